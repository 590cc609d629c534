//! kojo's backends: artifacts generated from the resolved
//! [`Model`](kojo_compiler::model::Model) (firewall configurations, gateway
//! policies, procurement specifications, evidence, diagrams).
//!
//! Each backend is one module and sees only the model, never the syntax
//! tree. None is implemented yet: the manifest's `backend` entries are
//! checked against [`names`], which is empty until the first backend lands.

/// The backends this build of kojo can generate, by manifest name.
pub fn names() -> &'static [&'static str] {
    &[]
}
