//! Follows every new forwarded connection of one family through a rule
//! set, as netfilter does: each base chain on the forward hook in turn,
//! rule by rule, first match deciding, into the chains it jumps to and back,
//! and the chain's policy for what no rule decides. A connection is
//! forwarded only when every such base chain accepts it; with none, every
//! connection is.
//!
//! What reaches a rule is never built as a set: it is what entered the
//! chain less what earlier rules took (indexed by interface pair), so a
//! forward chain dispatching to thousands of zone-pair chains costs one
//! lookup per rule. This module owns that walk and records what each rule
//! decided (to name the rule behind a difference); the comparison with the
//! model is [`super::compare`]'s.

use std::collections::{BTreeMap, BTreeSet};

use super::permits::{expr_region, rule_region, Lowered, Meaning, Space};
use super::ruleset::{Policy, Ruleset, Table, Verdict};
use super::space::{self, Block, Budget, Index, TooComplex};
use crate::enforcement::policy::Family;

/// How deep chains may jump into each other (netfilter's own limit is 16).
const MAX_DEPTH: usize = 16;

/// Which way a rule with a match kojo does not read is taken, so that
/// each side of the comparison errs towards drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// For what the device forwards beyond the model: such a rule that
    /// accepts (or jumps) matches the most it may, one that drops, returns
    /// or goes to a chain matches nothing.
    Widest,
    /// For the model's flows the device blocks: such a rule that accepts
    /// matches nothing, any other the most it may.
    Narrowest,
}

/// A rule by table, chain and rule index.
pub(super) type RuleId = (usize, usize, usize);

/// What decided a set of connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Cause {
    Rule(RuleId),
    /// A base chain's policy: (table, chain).
    Policy(usize, usize),
    /// No base chain filters the family's forwarded traffic.
    Unfiltered,
}

#[derive(Debug, Clone)]
pub(super) struct Decided {
    pub block: Block,
    pub cause: Cause,
}

/// One base chain's verdicts.
#[derive(Debug, Clone)]
pub(super) struct Outcome {
    /// (table, chain); `None` for a family no chain filters.
    pub chain: Option<(usize, usize)>,
    /// What the chain does with what no rule decides.
    pub policy: Policy,
    /// What its rules accept, and drop.
    pub accepted: Vec<Decided>,
    pub dropped: Vec<Decided>,
    /// Both, indexed: the policy decides the rest.
    pub decided: Index,
}

/// A family's walk through the rule set.
#[derive(Debug, Clone)]
pub(super) struct Evaluation {
    pub family: Family,
    pub outcomes: Vec<Outcome>,
    /// What the device forwards: what every base chain accepts.
    pub accepted: Index,
    /// The outcome whose rules name what the device forwards: kojo's
    /// forward chain when there is one, else the first.
    pub lead: usize,
    /// What each rule decided (accepted, dropped, sent on).
    pub hits: BTreeMap<RuleId, Vec<Block>>,
    /// Matches not compared, by rule.
    pub ignored: BTreeMap<RuleId, Vec<String>>,
    /// Chains some new connection entered.
    pub reached: BTreeSet<(usize, usize)>,
    /// What could not be followed (a jump to a missing chain, too deep).
    pub problems: Vec<String>,
    /// Whether a rule walked has a match kojo does not read (not a time window).
    pub unread: bool,
}

/// Walks `ruleset` for `family`; `lead` is the table whose forward chain
/// names what is forwarded (kojo's), if it has one.
pub(super) fn evaluate(
    space: &Space,
    ruleset: &Ruleset,
    family: Family,
    lead: Option<usize>,
    mode: Mode,
    budget: &mut Budget,
) -> Result<Evaluation, TooComplex> {
    let mut walker = Walker { space, ruleset, family, mode, budget, cache: BTreeMap::new(), stack: Vec::new() };
    let mut evaluation = Evaluation {
        family,
        outcomes: Vec::new(),
        accepted: Index::default(),
        lead: 0,
        hits: BTreeMap::new(),
        ignored: BTreeMap::new(),
        reached: BTreeSet::new(),
        problems: Vec::new(),
        unread: false,
    };
    let full = space.full(family);
    // A dormant table (or one with flags kojo does not know) is not walked:
    // its chains filter nothing (ownership reports the flag).
    for (t, table) in
        ruleset.tables.iter().enumerate().filter(|(_, t)| t.family.covers(family) && t.inactive().is_none())
    {
        for (c, chain) in table.chains.iter().enumerate() {
            let Some(hook) = chain.hook.as_ref().filter(|h| h.hook == "forward" && h.kind == "filter") else {
                continue;
            };
            let decided = walker.run(&mut evaluation, (t, c), vec![full.clone()], 0)?;
            let mut outcome = Outcome {
                chain: Some((t, c)),
                policy: hook.policy,
                accepted: Vec::new(),
                dropped: Vec::new(),
                decided: Index::new(decided.iter().map(|(d, _)| d.block.clone())),
            };
            for (decision, accepted) in decided {
                if accepted {
                    outcome.accepted.push(decision);
                } else {
                    outcome.dropped.push(decision);
                }
            }
            evaluation.outcomes.push(outcome);
        }
    }
    evaluation.lead =
        evaluation.outcomes.iter().position(|o| o.chain.is_some_and(|(t, _)| Some(t) == lead)).unwrap_or(0);
    if evaluation.outcomes.is_empty() {
        evaluation.outcomes.push(Outcome {
            chain: None,
            policy: Policy::Accept,
            accepted: Vec::new(),
            dropped: Vec::new(),
            decided: Index::default(),
        });
    }
    evaluation.accepted = forwarded(&evaluation.outcomes, &full, walker.budget)?;
    Ok(evaluation)
}

/// What every base chain accepts: what the chains with a drop policy all
/// accept by a rule, less what those with an accept policy drop by one.
fn forwarded(outcomes: &[Outcome], full: &Block, budget: &mut Budget) -> Result<Index, TooComplex> {
    let mut base: Option<Vec<Block>> = None;
    let mut removed = Index::default();
    for outcome in outcomes {
        match outcome.policy {
            Policy::Drop => {
                let accepted: Vec<Block> = outcome.accepted.iter().map(|d| d.block.clone()).collect();
                base = Some(match base {
                    None => accepted,
                    Some(so_far) => space::intersect_index(&so_far, &Index::new(accepted), budget)?,
                });
            }
            Policy::Accept => removed.extend(outcome.dropped.iter().map(|d| d.block.clone())),
        }
    }
    let base = base.unwrap_or_else(|| vec![full.clone()]);
    Ok(Index::new(space::minus_index(&base, &removed, budget)?))
}

/// Where one chain's walk is: what entered it, and what its rules took.
struct Walk {
    input: Vec<Block>,
    /// Decided here (or in chains jumped to), or returned: no later rule sees it.
    taken: Index,
    /// What was decided, and whether it was accepted.
    decided: Vec<(Decided, bool)>,
}

struct Walker<'a, 'b> {
    space: &'a Space,
    ruleset: &'a Ruleset,
    family: Family,
    mode: Mode,
    budget: &'b mut Budget,
    cache: BTreeMap<RuleId, Lowered>,
    /// The chains being walked, outermost first.
    stack: Vec<(usize, usize)>,
}

impl Walker<'_, '_> {
    fn table(&self, t: usize) -> Option<&Table> {
        self.ruleset.tables.get(t)
    }

    /// What rule `id` matches, and whether a match of it was not read.
    fn lowered(&mut self, id: RuleId, evaluation: &mut Evaluation) -> Result<(Vec<Block>, bool), TooComplex> {
        if let Some(lowered) = self.cache.get(&id) {
            return Ok((lowered.region.clone(), lowered.unread));
        }
        let (t, c, r) = id;
        let ruleset = self.ruleset;
        let table = ruleset.tables.get(t);
        let (Some(table), Some(rule)) =
            (table, table.and_then(|t| t.chains.get(c)).and_then(|chain| chain.rules.get(r)))
        else {
            return Ok((Vec::new(), false));
        };
        let lowered = rule_region(self.space, table, rule, self.family, self.budget)?;
        if !lowered.ignored.is_empty() {
            evaluation.ignored.insert(id, lowered.ignored.clone());
        }
        evaluation.unread |= lowered.unread;
        let out = (lowered.region.clone(), lowered.unread);
        self.cache.insert(id, lowered);
        Ok(out)
    }

    /// Walks chain `(t, c)` with `input`; what it (and the chains it jumps
    /// to) decided, each with whether it was accepted.
    fn run(
        &mut self,
        evaluation: &mut Evaluation,
        (t, c): (usize, usize),
        input: Vec<Block>,
        depth: usize,
    ) -> Result<Vec<(Decided, bool)>, TooComplex> {
        evaluation.reached.insert((t, c));
        self.stack.push((t, c));
        let mut walk = Walk { input, taken: Index::default(), decided: Vec::new() };
        let count = self.table(t).and_then(|table| table.chains.get(c)).map_or(0, |chain| chain.rules.len());
        for r in 0..count {
            // Each rule looked at counts: chains jumped to many times over
            // cost time even when they split nothing.
            self.budget.spend(1)?;
            let rule = self.table(t).and_then(|table| table.chains.get(c)).and_then(|chain| chain.rules.get(r));
            let Some(verdict) = rule.and_then(|rule| rule.verdict.clone()) else { continue };
            let (region, unread) = self.lowered((t, c, r), evaluation)?;
            // A rule with a match kojo does not read is taken the way that
            // errs towards drift (see [`Mode`]).
            let region = match (unread, self.mode, &verdict) {
                (false, _, _) => region,
                (true, Mode::Widest, Verdict::Drop | Verdict::Return | Verdict::Goto(_)) => Vec::new(),
                (true, Mode::Narrowest, Verdict::Accept | Verdict::Queue) => Vec::new(),
                (true, _, _) => region,
            };
            let entries = match &verdict {
                Verdict::Map { key, entries } => Some((key.clone(), entries.clone())),
                Verdict::NamedMap { key, name } => match self.table(t).and_then(|table| table.maps.get(name)) {
                    Some(entries) => Some((key.clone(), entries.clone())),
                    None => {
                        evaluation.problems.push(format!("the verdict map `@{name}` is not in the file"));
                        continue;
                    }
                },
                _ => None,
            };
            match entries {
                Some((key, entries)) => {
                    for (value, entry) in entries {
                        let Some(table) = self.ruleset.tables.get(t) else { break };
                        let matched = match expr_region(self.space, table, &key, &value, self.family, self.budget)? {
                            Meaning::Region(blocks) => blocks,
                            Meaning::Ignored(_, block) => vec![block],
                        };
                        let m = space::intersect(&region, &matched, self.budget)?;
                        self.apply(evaluation, (t, c, r), &entry, &m, &mut walk, depth)?;
                    }
                }
                None => self.apply(evaluation, (t, c, r), &verdict, &region, &mut walk, depth)?,
            }
        }
        self.stack.pop();
        Ok(walk.decided)
    }

    /// What of `m` still reaches the rule: in the input, not yet taken.
    fn hit(&mut self, walk: &Walk, m: &[Block]) -> Result<Vec<Block>, TooComplex> {
        let entering = space::intersect(&walk.input, m, self.budget)?;
        space::minus_index(&entering, &walk.taken, self.budget)
    }

    /// The rule `id` with `verdict` decides what of `m` reaches it.
    fn apply(
        &mut self,
        evaluation: &mut Evaluation,
        id: RuleId,
        verdict: &Verdict,
        m: &[Block],
        walk: &mut Walk,
        depth: usize,
    ) -> Result<(), TooComplex> {
        if m.is_empty() || matches!(verdict, Verdict::Continue | Verdict::Map { .. } | Verdict::NamedMap { .. }) {
            return Ok(());
        }
        let hit = self.hit(walk, m)?;
        if hit.is_empty() {
            return Ok(());
        }
        evaluation.hits.entry(id).or_default().extend(hit.iter().cloned());
        let decided = |blocks: Vec<Block>, accepted: bool| {
            blocks.into_iter().map(move |block| (Decided { block, cause: Cause::Rule(id) }, accepted))
        };
        match verdict {
            Verdict::Accept | Verdict::Queue => walk.decided.extend(decided(hit, true)),
            Verdict::Drop => walk.decided.extend(decided(hit, false)),
            Verdict::Return => {}
            Verdict::Jump(target) | Verdict::Goto(target) => {
                let (t, _, _) = id;
                let Some(next) = self.table(t).and_then(|table| table.chain_index(target)) else {
                    evaluation.problems.push(format!("a rule jumps to chain `{target}`, which is not in the file"));
                    return Ok(());
                };
                if self.stack.contains(&(t, next)) {
                    evaluation.problems.push(format!(
                        "chain `{target}` is jumped to from itself (a loop, which nft refuses): not followed"
                    ));
                    return Ok(());
                }
                if depth >= MAX_DEPTH {
                    evaluation.problems.push(format!("chains jump more than {MAX_DEPTH} deep at `{target}` (a loop?)"));
                    return Ok(());
                }
                let mut sub = self.run(evaluation, (t, next), hit, depth + 1)?;
                // A chain whose rules match nothing of their own (the
                // gateway's `queue`, a ticket chain's CONNMARK and ACCEPT)
                // only finishes what the jump chose: the jumping rule is the
                // one to name.
                let finisher = self
                    .table(t)
                    .and_then(|table| table.chains.get(next))
                    .is_some_and(|chain| chain.rules.iter().all(|rule| rule.exprs.is_empty()));
                if finisher {
                    for (decided, _) in &mut sub {
                        if matches!(decided.cause, Cause::Rule(_)) {
                            decided.cause = Cause::Rule(id);
                        }
                    }
                }
                if matches!(verdict, Verdict::Jump(_)) {
                    // What the chain jumped to did not decide comes back.
                    walk.taken.extend(sub.iter().map(|(d, _)| d.block.clone()));
                    walk.decided.extend(sub);
                    return Ok(());
                }
                walk.decided.extend(sub);
            }
            Verdict::Continue | Verdict::Map { .. } | Verdict::NamedMap { .. } => return Ok(()),
        }
        walk.taken.extend(m.iter().cloned());
        Ok(())
    }
}
