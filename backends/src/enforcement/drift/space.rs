//! Sets of new forwarded connections, as unions of boxes: each box is one
//! range set per dimension (the interface a connection enters by, the one
//! it leaves by, source and destination address, protocol, destination
//! port). This module owns the arithmetic on them (intersection,
//! difference, coverage) and the budget that keeps a pathological rule set
//! from running for ever; what the dimensions mean is [`super::permits`]'s.

use std::collections::BTreeMap;
use std::fmt;

/// Dimensions of a [`Block`], by index.
pub(super) const IIF: usize = 0;
pub(super) const OIF: usize = 1;
pub(super) const SRC: usize = 2;
pub(super) const DST: usize = 3;
pub(super) const PROTO: usize = 4;
pub(super) const PORT: usize = 5;
pub(super) const DIMS: usize = 6;

/// How many boxes one comparison may create (and rules it may look at)
/// before it gives up: far more than real rule sets need (the
/// 10,000-asset synthetic plant's 4,700 chains need under 100,000), and a
/// bound of a few seconds and some hundred megabytes for crafted input.
pub(super) const BUDGET: usize = 5_000_000;

/// The comparison would need more boxes than [`BUDGET`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TooComplex;

/// Counts the boxes created.
#[derive(Debug)]
pub(super) struct Budget {
    left: usize,
}

impl Budget {
    pub(super) fn new(boxes: usize) -> Self {
        Budget { left: boxes }
    }

    pub(super) fn spend(&mut self, boxes: usize) -> Result<(), TooComplex> {
        self.left = self.left.checked_sub(boxes).ok_or(TooComplex)?;
        Ok(())
    }
}

/// A set of integers as sorted, disjoint, non-adjacent inclusive ranges.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub(super) struct Ranges(Vec<(u128, u128)>);

impl fmt::Debug for Ranges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> =
            self.0.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
        write!(f, "[{}]", parts.join(","))
    }
}

impl Ranges {
    pub(super) fn empty() -> Self {
        Ranges(Vec::new())
    }

    /// `lo..=hi`; empty when `lo > hi`.
    pub(super) fn span(lo: u128, hi: u128) -> Self {
        if lo > hi {
            Ranges::empty()
        } else {
            Ranges(vec![(lo, hi)])
        }
    }

    pub(super) fn point(value: u128) -> Self {
        Ranges(vec![(value, value)])
    }

    /// The union of any ranges (each `lo..=hi`, empty ones skipped).
    pub(super) fn from_spans(spans: impl IntoIterator<Item = (u128, u128)>) -> Self {
        let mut spans: Vec<(u128, u128)> = spans.into_iter().filter(|(a, b)| a <= b).collect();
        spans.sort_unstable();
        let mut out: Vec<(u128, u128)> = Vec::with_capacity(spans.len());
        for (lo, hi) in spans {
            match out.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => out.push((lo, hi)),
            }
        }
        Ranges(out)
    }

    pub(super) fn spans(&self) -> &[(u128, u128)] {
        &self.0
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many values, saturating.
    pub(super) fn count(&self) -> u128 {
        self.0.iter().fold(0u128, |n, (a, b)| n.saturating_add(b - a).saturating_add(1))
    }

    pub(super) fn contains(&self, value: u128) -> bool {
        self.0.iter().any(|(a, b)| (*a..=*b).contains(&value))
    }

    pub(super) fn union(&self, other: &Ranges) -> Ranges {
        Ranges::from_spans(self.0.iter().chain(other.0.iter()).copied())
    }

    pub(super) fn intersect(&self, other: &Ranges) -> Ranges {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while let (Some(&(a1, b1)), Some(&(a2, b2))) = (self.0.get(i), other.0.get(j)) {
            let (lo, hi) = (a1.max(a2), b1.min(b2));
            if lo <= hi {
                out.push((lo, hi));
            }
            if b1 < b2 {
                i += 1;
            } else {
                j += 1;
            }
        }
        Ranges(out)
    }

    pub(super) fn minus(&self, other: &Ranges) -> Ranges {
        let mut out = Vec::new();
        for &(lo, hi) in &self.0 {
            let mut start = Some(lo);
            for &(a, b) in &other.0 {
                let Some(s) = start else { break };
                if b < s || a > hi {
                    continue;
                }
                if a > s {
                    out.push((s, a - 1));
                }
                start = b.checked_add(1).filter(|n| *n <= hi);
            }
            if let Some(s) = start {
                out.push((s, hi));
            }
        }
        Ranges(out)
    }

    /// Whether the sets share a value.
    pub(super) fn meets(&self, other: &Ranges) -> bool {
        let (mut i, mut j) = (0, 0);
        while let (Some(&(a1, b1)), Some(&(a2, b2))) = (self.0.get(i), other.0.get(j)) {
            if a1.max(a2) <= b1.min(b2) {
                return true;
            }
            if b1 < b2 {
                i += 1;
            } else {
                j += 1;
            }
        }
        false
    }

    /// Whether every value of `other` is in `self`.
    pub(super) fn covers(&self, other: &Ranges) -> bool {
        other.minus(self).is_empty()
    }
}

/// A box: the connections whose every dimension is in its ranges.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Block(pub(super) [Ranges; DIMS]);

impl fmt::Debug for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl Block {
    pub(super) fn dim(&self, dim: usize) -> &Ranges {
        self.0.get(dim).unwrap_or(&EMPTY)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.iter().any(Ranges::is_empty)
    }

    /// This box with one dimension narrowed to `ranges` (intersected).
    pub(super) fn narrowed(mut self, dim: usize, ranges: &Ranges) -> Block {
        if let Some(slot) = self.0.get_mut(dim) {
            *slot = slot.intersect(ranges);
        }
        self
    }

    pub(super) fn intersect(&self, other: &Block) -> Option<Block> {
        let mut dims: [Ranges; DIMS] = Default::default();
        for (slot, (a, b)) in dims.iter_mut().zip(self.0.iter().zip(other.0.iter())) {
            *slot = a.intersect(b);
            if slot.is_empty() {
                return None;
            }
        }
        Some(Block(dims))
    }

    pub(super) fn covers(&self, other: &Block) -> bool {
        self.0.iter().zip(other.0.iter()).all(|(a, b)| a.covers(b))
    }

    /// Whether the boxes share a connection (without building the intersection).
    pub(super) fn meets(&self, other: &Block) -> bool {
        self.0.iter().zip(other.0.iter()).all(|(a, b)| a.meets(b))
    }

    /// The one value of a dimension, if it has one.
    pub(super) fn single(&self, dim: usize) -> Option<u128> {
        match self.dim(dim).spans() {
            [(a, b)] if a == b => Some(*a),
            _ => None,
        }
    }

    /// `self` minus `other`, as at most [`DIMS`] disjoint boxes.
    pub(super) fn minus(&self, other: &Block, out: &mut Vec<Block>) {
        let Some(common) = self.intersect(other) else {
            out.push(self.clone());
            return;
        };
        for dim in 0..DIMS {
            let rest = self.dim(dim).minus(other.dim(dim));
            if rest.is_empty() {
                continue;
            }
            let mut piece = self.clone();
            for (d, slot) in piece.0.iter_mut().enumerate() {
                if d < dim {
                    *slot = common.dim(d).clone();
                } else if d == dim {
                    *slot = rest.clone();
                }
            }
            out.push(piece);
        }
    }
}

static EMPTY: Ranges = Ranges(Vec::new());

/// `a` minus every box of `b`.
pub(super) fn minus(a: &[Block], b: &[Block], budget: &mut Budget) -> Result<Vec<Block>, TooComplex> {
    let cuts: Vec<&Block> = b.iter().collect();
    minus_refs(a, &cuts, budget)
}

/// [`minus`], with the boxes to take away by reference.
pub(super) fn minus_refs(a: &[Block], b: &[&Block], budget: &mut Budget) -> Result<Vec<Block>, TooComplex> {
    let mut out = Vec::new();
    for block in a {
        let mut pieces = vec![block.clone()];
        for cut in b {
            if pieces.is_empty() {
                break;
            }
            let mut next = Vec::with_capacity(pieces.len());
            for piece in &pieces {
                piece.minus(cut, &mut next);
            }
            budget.spend(next.len())?;
            pieces = next;
        }
        out.extend(pieces);
    }
    Ok(out)
}

/// Every non-empty intersection of a box of `a` with a box of `b`.
pub(super) fn intersect(a: &[Block], b: &[Block], budget: &mut Budget) -> Result<Vec<Block>, TooComplex> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if let Some(common) = x.intersect(y) {
                out.push(common);
            }
        }
        budget.spend(b.len().max(1))?;
    }
    Ok(out)
}

/// Whether any box of `a` meets any box of `b`.
pub(super) fn meets(a: &[Block], b: &[Block]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.meets(y)))
}

/// Boxes filed by the pair of interfaces they are for, when they are for
/// one pair (as every flow and every zone-pair chain is), so that taking
/// them away from a box looks only at those it may meet.
#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    pairs: BTreeMap<(u128, u128), Vec<Block>>,
    wide: Vec<Block>,
}

impl Index {
    pub(super) fn new(blocks: impl IntoIterator<Item = Block>) -> Self {
        let mut index = Index::default();
        index.extend(blocks);
        index
    }

    pub(super) fn push(&mut self, block: Block) {
        if block.is_empty() {
            return;
        }
        match (block.single(IIF), block.single(OIF)) {
            (Some(i), Some(o)) => self.pairs.entry((i, o)).or_default().push(block),
            _ => self.wide.push(block),
        }
    }

    pub(super) fn extend(&mut self, blocks: impl IntoIterator<Item = Block>) {
        for block in blocks {
            self.push(block);
        }
    }

    /// The interfaces boxes for one pair come in by, each once.
    fn incoming(&self) -> impl Iterator<Item = u128> + '_ {
        let mut last = None;
        self.pairs.keys().filter_map(move |&(i, _)| {
            let new = last != Some(i);
            last = Some(i);
            new.then_some(i)
        })
    }

    /// Every box that meets `block`.
    pub(super) fn near<'a>(&'a self, block: &'a Block) -> impl Iterator<Item = &'a Block> {
        let pairs: Box<dyn Iterator<Item = &Block>> = match (block.single(IIF), block.single(OIF)) {
            (Some(i), Some(o)) => Box::new(self.pairs.get(&(i, o)).into_iter().flatten()),
            (Some(i), None) => Box::new(self.pairs.range((i, 0)..=(i, u128::MAX)).flat_map(|(_, b)| b)),
            _ => Box::new(self.pairs.values().flatten()),
        };
        pairs.chain(self.wide.iter()).filter(move |b| b.meets(block))
    }
}

/// `a` minus every box of `index`; a box for many incoming interfaces is
/// taken one interface at a time (each meets fewer boxes, and splits less).
pub(super) fn minus_index(a: &[Block], index: &Index, budget: &mut Budget) -> Result<Vec<Block>, TooComplex> {
    let mut out = Vec::new();
    for block in a {
        let rows: Vec<Block> = match block.single(IIF) {
            Some(_) => vec![block.clone()],
            None => {
                // One row per interface that boxes for one pair come in by,
                // and one for every other interface.
                let listed =
                    Ranges::from_spans(index.incoming().filter(|i| block.dim(IIF).contains(*i)).map(|i| (i, i)));
                budget.spend(listed.spans().len())?;
                let rest = block.clone().narrowed(IIF, &block.dim(IIF).minus(&listed));
                listed
                    .spans()
                    .iter()
                    .flat_map(|&(lo, hi)| lo..=hi)
                    .map(|i| block.clone().narrowed(IIF, &Ranges::point(i)))
                    .chain(Some(rest).filter(|r| !r.is_empty()))
                    .collect()
            }
        };
        for row in rows {
            let cuts: Vec<&Block> = index.near(&row).collect();
            out.extend(minus_refs(std::slice::from_ref(&row), &cuts, budget)?);
        }
    }
    Ok(out)
}

/// Every non-empty intersection of a box of `a` with a box of `index`.
pub(super) fn intersect_index(a: &[Block], index: &Index, budget: &mut Budget) -> Result<Vec<Block>, TooComplex> {
    let mut out = Vec::new();
    for x in a {
        for y in index.near(x) {
            out.extend(x.intersect(y));
        }
        budget.spend(1)?;
    }
    Ok(out)
}

/// Fewer boxes for the same set: boxes that differ in one dimension only
/// are joined, and boxes inside another dropped. For showing a set to
/// people; at most `limit` boxes are looked at.
pub(super) fn coalesce(mut blocks: Vec<Block>, limit: usize) -> Vec<Block> {
    blocks.retain(|b| !b.is_empty());
    blocks.sort();
    blocks.dedup();
    if blocks.len() > limit {
        return blocks;
    }
    loop {
        let mut joined = false;
        'outer: for i in 0..blocks.len() {
            for j in i + 1..blocks.len() {
                let (Some(a), Some(b)) = (blocks.get(i), blocks.get(j)) else { continue };
                if let Some(merged) = join(a, b) {
                    if let Some(slot) = blocks.get_mut(i) {
                        *slot = merged;
                    }
                    blocks.remove(j);
                    joined = true;
                    break 'outer;
                }
            }
        }
        if !joined {
            break;
        }
    }
    blocks.sort();
    blocks
}

/// `a ∪ b` as one box, if it is one.
fn join(a: &Block, b: &Block) -> Option<Block> {
    if a.covers(b) {
        return Some(a.clone());
    }
    if b.covers(a) {
        return Some(b.clone());
    }
    let differing: Vec<usize> = (0..DIMS).filter(|d| a.dim(*d) != b.dim(*d)).collect();
    match differing.as_slice() {
        [d] => {
            let mut merged = a.clone();
            if let Some(slot) = merged.0.get_mut(*d) {
                *slot = a.dim(*d).union(b.dim(*d));
            }
            Some(merged)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn r(spans: &[(u128, u128)]) -> Ranges {
        Ranges::from_spans(spans.iter().copied())
    }

    fn block(ranges: [(u128, u128); DIMS]) -> Block {
        Block(ranges.map(|(a, b)| Ranges::span(a, b)))
    }

    #[test]
    fn ranges_normalise_and_subtract() {
        assert_eq!(r(&[(5, 9), (1, 3), (4, 4), (20, 30)]), r(&[(1, 9), (20, 30)]));
        assert_eq!(r(&[(0, 100)]).minus(&r(&[(10, 20), (50, 60)])), r(&[(0, 9), (21, 49), (61, 100)]));
        assert_eq!(r(&[(0, u128::MAX)]).minus(&r(&[(0, 5)])), r(&[(6, u128::MAX)]));
        assert_eq!(r(&[(0, u128::MAX)]).minus(&r(&[(7, u128::MAX)])), r(&[(0, 6)]));
        assert!(r(&[(3, 4)]).minus(&r(&[(0, 10)])).is_empty());
        assert_eq!(r(&[(0, 10), (20, 30)]).intersect(&r(&[(5, 25)])), r(&[(5, 10), (20, 25)]));
        assert!(r(&[(0, 10)]).covers(&r(&[(2, 3), (9, 10)])));
        assert!(!r(&[(0, 10)]).covers(&r(&[(9, 11)])));
        assert_eq!(r(&[(1, 3), (7, 7)]).count(), 4);
    }

    #[test]
    fn boxes_subtract_into_disjoint_pieces() {
        let all = block([(0, 9); DIMS]);
        let hole = block([(0, 9), (0, 9), (3, 3), (0, 9), (6, 6), (2, 2)]);
        let mut out = Vec::new();
        all.minus(&hole, &mut out);
        assert_eq!(out.len(), 3);
        let mut budget = Budget::new(100);
        assert!(
            minus(&out, std::slice::from_ref(&hole), &mut budget).unwrap().len() == 3,
            "already disjoint from the hole"
        );
        let back = minus(std::slice::from_ref(&all), &out, &mut budget).unwrap();
        assert_eq!(back, std::slice::from_ref(&hole), "what is left is the hole");
        assert_eq!(coalesce(out.into_iter().chain([hole]).collect(), 100), [all]);
    }

    #[test]
    fn the_budget_stops_runaway_splitting() {
        let all = block([(0, 1000); DIMS]);
        let cuts: Vec<Block> = (0..200u128).map(|i| block([(i, i), (i, i), (i, i), (i, i), (i, i), (i, i)])).collect();
        assert_eq!(minus(&[all], &cuts, &mut Budget::new(50)), Err(TooComplex));
    }
}
