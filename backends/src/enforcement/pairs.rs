//! A bound on the checks that compare a device's flows pair by pair (the
//! gateway's overlapping limits, an ASA's crossing access lists). They
//! prune by interface pair and by limits, which keeps real plants near
//! linear, but a crafted conduit of many flows alike on one interface pair
//! would still cost their number squared. Past the bound the device is
//! refused, with a reason and a way out, rather than checked for minutes:
//! kojo runs on untrusted pull requests, and a build it cannot prove safe
//! is never written.

use crate::enforcement::Unrenderable;

/// Pairs one check compares on one device: tens of millions of pairs
/// take about a second; real plants compare far fewer, as flows of
/// different interface pairs or equal limits are never compared.
pub const PAIRS_PER_CHECK: u64 = 20_000_000;

/// What is left of one check's comparisons.
#[derive(Debug)]
pub(crate) struct Budget {
    left: u64,
}

impl Budget {
    pub(crate) fn new() -> Budget {
        Budget { left: PAIRS_PER_CHECK }
    }

    /// Takes `n` comparisons at once; `false` (and nothing taken) when
    /// fewer are left.
    pub(crate) fn spend(&mut self, n: u64) -> bool {
        match self.left.checked_sub(n) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }

    /// The refusal of a device whose flows ran out of comparisons.
    pub(crate) fn refusal(device: &str, what: &str, help: &str) -> Unrenderable {
        Unrenderable {
            rule: None,
            message: format!(
                "`{device}` has too many flows to check {what}: it would take more than {PAIRS_PER_CHECK} comparisons of two flows, so kojo refuses to build it rather than build it unchecked"
            ),
            help: help.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_runs_out_and_stays_out() {
        let mut budget = Budget { left: 3 };
        assert!(budget.spend(2));
        assert!(!budget.spend(2));
        assert!(budget.spend(1));
        assert!(!budget.spend(1));
        assert!(budget.spend(0));
    }
}
