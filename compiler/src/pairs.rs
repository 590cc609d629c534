//! A bound on the checks that compare a device's flows pair by pair (the
//! `FUNCTION-LIMITS-OVERLAP` rule, and in the backends the gateway's
//! overlap check, and the Cisco ASA crossing and windowed-applet checks).
//! They prune by device, zone or interface pair and by limits, which keeps
//! real plants near linear, but a crafted conduit of many flows alike
//! would still cost their number squared. Past the bound the check stops and says so, and
//! the device is refused rather than built unchecked: kojo runs on
//! untrusted pull requests.

/// The work one check may do on one device, counted in comparisons of
/// two addresses or two ports: tens of millions take about a second.
pub const PAIRS_PER_CHECK: u64 = 20_000_000;

/// What is left of one check's comparisons.
#[derive(Debug)]
pub struct Budget {
    left: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { left: PAIRS_PER_CHECK }
    }
}

impl Budget {
    pub fn new() -> Budget {
        Budget::default()
    }

    /// Takes `n` comparisons; `false` (and nothing taken) when fewer are
    /// left.
    pub fn spend(&mut self, n: u64) -> bool {
        match self.left.checked_sub(n) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }

    /// What comparing two flows costs at most: their ports with each
    /// other's and their hosts with each other's, each flow's sizes
    /// summed. A pair of flows of thousands of hosts each is thousands
    /// squared, not one.
    pub fn pair_cost(a: usize, b: usize) -> u64 {
        1 + (a as u64).saturating_mul(b as u64)
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
        assert_eq!(Budget::pair_cost(1000, 1000), 1_000_001);
    }
}
