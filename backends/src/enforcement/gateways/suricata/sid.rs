//! Signature IDs: derived from what a rule is for (device, conduit, flow,
//! service, match), so that a rule keeps its sid when other flows are added
//! or removed, and placed in the range Suricata rule sets leave for local
//! rules.

use std::collections::BTreeSet;

/// The first sid kojo uses: the local-use range is 1 000 000 – 1 999 999.
pub const FIRST: u32 = 1_000_000;
/// How many sids the range holds.
pub const COUNT: u32 = 1_000_000;

/// A sid for each key, in the same order. Keys hash into the range; when
/// two collide, the one that sorts later takes the next free sid, so a sid
/// moves only when a new key collides with it. `None` if there are more
/// keys than sids.
pub fn assign(keys: &[String]) -> Option<Vec<u32>> {
    if keys.len() > COUNT as usize {
        return None;
    }
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|a, b| keys.get(*a).cmp(&keys.get(*b)));
    let mut taken = BTreeSet::new();
    let mut sids = vec![0; keys.len()];
    for index in order {
        let key = keys.get(index)?;
        let mut slot = (fnv1a(key.as_bytes()) % u64::from(COUNT)) as u32;
        while !taken.insert(slot) {
            slot = (slot + 1) % COUNT;
        }
        *sids.get_mut(index)? = FIRST + slot;
    }
    Some(sids)
}

/// 64-bit FNV-1a: fixed by its definition, unlike std's hashers, so sids
/// are the same on every platform and release.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn keys(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("fw|c|{i}|modbus-tcp|modbus|code {i}")).collect()
    }

    #[test]
    fn sids_are_unique_in_range_and_deterministic() {
        let keys = keys(20_000);
        let sids = assign(&keys).unwrap();
        let unique: BTreeSet<u32> = sids.iter().copied().collect();
        assert_eq!(unique.len(), keys.len());
        assert!(sids.iter().all(|s| (FIRST..FIRST + COUNT).contains(s)));
        assert_eq!(assign(&keys).unwrap(), sids);
    }

    #[test]
    fn a_sid_does_not_depend_on_the_other_rules() {
        let all = keys(50);
        let sids = assign(&all).unwrap();
        let fewer: Vec<String> = all.iter().skip(10).cloned().collect();
        assert_eq!(assign(&fewer).unwrap(), sids[10..]);
    }

    #[test]
    fn collisions_take_the_next_free_sid() {
        let same = vec!["b".to_string(), "a".to_string(), "a".to_string()];
        let sids = assign(&same).unwrap();
        assert_eq!(sids[1] + 1, sids[2]);
        assert_ne!(sids[0], sids[1]);
        // The reference value of FNV-1a for "a".
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
