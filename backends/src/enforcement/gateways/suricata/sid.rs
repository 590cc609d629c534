//! Signature IDs: derived from what a rule is for (device, conduit, flow,
//! service, match), so that a rule keeps its sid when other flows are added
//! or removed, and placed in the range Suricata rule sets leave for local
//! rules.

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
    let mut taken = Taken::new();
    let mut sids = vec![0; keys.len()];
    for index in order {
        let key = keys.get(index)?;
        let slot = taken.take_from((fnv1a(key.as_bytes()) % u64::from(COUNT)) as u32)?;
        *sids.get_mut(index)? = FIRST + slot;
    }
    Some(sids)
}

/// The sids given out, a bit each. Near a full range, collisions form long
/// runs of taken sids; a set of numbers walked one by one made a plant of
/// hundreds of thousands of rules spend most of its build walking them;
/// here a run of 64 taken sids is one word.
struct Taken {
    words: Vec<u64>,
}

impl Taken {
    fn new() -> Self {
        Taken { words: vec![0; COUNT.div_ceil(64) as usize] }
    }

    /// Takes the first free sid at or after `slot`, wrapping past the end
    /// of the range; `None` if none is free.
    fn take_from(&mut self, slot: u32) -> Option<u32> {
        let words = self.words.len();
        let (first, bit) = ((slot / 64) as usize, slot % 64);
        // The first word is searched from `slot`'s bit, then every word in
        // turn, and the first word again for the bits below `slot`.
        for step in 0..=words {
            let at = (first + step) % words;
            let word = self.words.get(at).copied()?;
            let mask = match step {
                0 => !0u64 << bit,
                _ if step == words => !(!0u64 << bit),
                _ => !0,
            };
            let free = !word & mask;
            if free != 0 {
                let found = at as u32 * 64 + free.trailing_zeros();
                if found >= COUNT {
                    continue;
                }
                if let Some(w) = self.words.get_mut(at) {
                    *w |= 1 << free.trailing_zeros();
                }
                return Some(found);
            }
        }
        None
    }
}

/// 64-bit FNV-1a: fixed by its definition, unlike std's hashers, so sids
/// are the same on every platform and release.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use std::collections::BTreeSet;

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

    /// The bit set gives what walking a set of sids one by one gave,
    /// wrapping past the end of the range included.
    #[test]
    fn the_bit_set_agrees_with_walking_the_sids() {
        let mut taken = Taken::new();
        let mut reference = BTreeSet::new();
        let starts = [COUNT - 3, COUNT - 1, COUNT - 2, 0, 5, 63, 63, 64, 0, COUNT - 1, 127, 60, 60, 60, 60, 60];
        for start in starts {
            let mut slot = start;
            while !reference.insert(slot) {
                slot = (slot + 1) % COUNT;
            }
            assert_eq!(taken.take_from(start), Some(slot), "from {start}");
        }
    }

    #[test]
    fn a_full_range_gives_no_sid() {
        let mut taken = Taken::new();
        for slot in 0..COUNT {
            assert_eq!(taken.take_from(slot), Some(slot));
        }
        assert_eq!(taken.take_from(0), None);
        assert_eq!(taken.take_from(COUNT - 1), None);
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
