//! Fuzz input as a stream of choices: every byte the generator reads is one
//! decision, and an input that runs out reads zeros, so every input (the
//! empty one too) stands for exactly one plant.

/// The fuzz input, read front to back.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, pos: 0 }
    }

    /// The next byte; zero once the input is used up.
    pub fn byte(&mut self) -> u8 {
        let byte = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos = self.pos.saturating_add(1);
        byte
    }

    /// A number in `0..n` (0 when `n` is 0 or 1, without reading).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        usize::from(self.byte()) % n
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `n`/256 (so a used-up input says no).
    pub fn chance(&mut self, n: u8) -> bool {
        self.byte() >= 255 - n.saturating_sub(1) && n > 0
    }

    /// One of `items`; `None` when there is none.
    pub fn pick<'b, T>(&mut self, items: &'b [T]) -> Option<&'b T> {
        if items.is_empty() {
            return None;
        }
        items.get(self.below(items.len()))
    }

    /// Up to `max` distinct items of `items`, in their order.
    pub fn some_of<'b, T>(&mut self, items: &'b [T], max: usize) -> Vec<&'b T> {
        let mut chosen: Vec<usize> = (0..self.below(max + 1)).map(|_| self.below(items.len())).collect();
        chosen.sort_unstable();
        chosen.dedup();
        chosen.into_iter().filter_map(|i| items.get(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Bytes;

    #[test]
    fn a_used_up_input_reads_zeros_and_says_no() {
        let mut bytes = Bytes::new(&[255]);
        assert!(bytes.chance(1));
        assert!(!bytes.chance(255));
        assert_eq!(bytes.below(7), 0);
        assert_eq!(bytes.between(2, 5), 2);
        assert!(bytes.some_of(&[1, 2, 3], 3).is_empty());
    }
}
