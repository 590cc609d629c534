//! What the fuzz targets share: the `check` target's project container
//! and the `build` target's generator of valid plants.

pub mod bytes;
pub mod check;
pub mod container;
pub mod plant;

/// The date every target checks on, so that runs repeat (waivers expire
/// against it).
pub fn today() -> Option<kojo_compiler::types::Date> {
    kojo_compiler::types::Date::parse("2026-01-01").ok()
}
