//! The refusal of a device whose flows are too many to compare pair by
//! pair ([`kojo_compiler::pairs`] has the bound and why).

pub use kojo_compiler::pairs::{Budget, PAIRS_PER_CHECK};

use crate::enforcement::Unrenderable;

/// The refusal of a device whose flows ran out of comparisons.
pub(crate) fn refusal(device: &str, what: &str, help: &str) -> Unrenderable {
    Unrenderable {
        rule: None,
        message: format!(
            "`{device}` has too many flows to check {what}: the build would take more than {PAIRS_PER_CHECK} comparisons of flows in all, so kojo refuses to build it rather than build it unchecked"
        ),
        help: help.to_string(),
    }
}
