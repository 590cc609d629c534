//! Follows every new forwarded connection of one family through a rule
//! set, as netfilter does: each base chain on the forward hook in turn,
//! rule by rule, first match deciding, into the chains it jumps to and back,
//! and the chain's policy for what no rule decides. A connection is
//! forwarded only when every such base chain accepts it; with none, every
//! connection is.
//!
//! It owns that walk and records what each rule decided (for naming the
//! rule behind a difference); the comparison with the model is
//! [`super::compare`]'s.

use std::collections::{BTreeMap, BTreeSet};

use super::permits::{expr_region, rule_region, Lowered, Meaning, Space};
use super::ruleset::{Chain, Policy, Ruleset, Table, Verdict};
use super::space::{self, Block, Budget, TooComplex};
use crate::enforcement::policy::Family;

/// How deep chains may jump into each other (netfilter's own limit is 16).
const MAX_DEPTH: usize = 16;

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
#[derive(Debug, Clone, Default)]
pub(super) struct Outcome {
    /// (table, chain); `None` for a family no chain filters.
    pub chain: Option<(usize, usize)>,
    pub accepted: Vec<Decided>,
    pub dropped: Vec<Decided>,
}

/// A family's walk through the rule set.
#[derive(Debug, Clone)]
pub(super) struct Evaluation {
    pub family: Family,
    pub outcomes: Vec<Outcome>,
    /// What the device forwards: what every base chain accepts.
    pub accepted: Vec<Block>,
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
}

/// Walks `ruleset` for `family`; `lead` is the table whose forward chain
/// names what is forwarded (kojo's), if it has one.
pub(super) fn evaluate(
    space: &Space,
    ruleset: &Ruleset,
    family: Family,
    lead: Option<usize>,
    budget: &mut Budget,
) -> Result<Evaluation, TooComplex> {
    let mut walker = Walker { space, ruleset, family, budget, cache: BTreeMap::new() };
    let mut evaluation = Evaluation {
        family,
        outcomes: Vec::new(),
        accepted: Vec::new(),
        lead: 0,
        hits: BTreeMap::new(),
        ignored: BTreeMap::new(),
        reached: BTreeSet::new(),
        problems: Vec::new(),
    };
    let full = space.full(family);
    for (t, table) in ruleset.tables.iter().enumerate().filter(|(_, t)| t.family.covers(family)) {
        for (c, chain) in table.chains.iter().enumerate() {
            let Some(hook) = chain.hook.as_ref().filter(|h| h.hook == "forward" && h.kind == "filter") else {
                continue;
            };
            evaluation.reached.insert((t, c));
            let flow = walker.run(&mut evaluation, (t, c), vec![full.clone()], 0)?;
            let mut outcome = Outcome { chain: Some((t, c)), accepted: flow.accepted, dropped: flow.dropped };
            let rest = flow.fallthrough.into_iter().map(|block| Decided { block, cause: Cause::Policy(t, c) });
            match hook.policy {
                Policy::Accept => outcome.accepted.extend(rest),
                Policy::Drop => outcome.dropped.extend(rest),
            }
            evaluation.outcomes.push(outcome);
        }
    }
    evaluation.lead =
        evaluation.outcomes.iter().position(|o| o.chain.is_some_and(|(t, _)| Some(t) == lead)).unwrap_or(0);
    if evaluation.outcomes.is_empty() {
        let everything = Decided { block: full.clone(), cause: Cause::Unfiltered };
        evaluation.outcomes.push(Outcome { chain: None, accepted: vec![everything], dropped: Vec::new() });
    }
    let mut accepted: Option<Vec<Block>> = None;
    for outcome in &evaluation.outcomes {
        let blocks: Vec<Block> = outcome.accepted.iter().map(|d| d.block.clone()).collect();
        accepted = Some(match accepted {
            None => blocks,
            Some(so_far) => space::intersect(&so_far, &blocks, walker.budget)?,
        });
    }
    evaluation.accepted = accepted.unwrap_or_default();
    Ok(evaluation)
}

/// What one chain did with what entered it.
#[derive(Debug, Default)]
struct Flow {
    accepted: Vec<Decided>,
    dropped: Vec<Decided>,
    /// What reached the end of the chain or returned from it.
    fallthrough: Vec<Block>,
}

struct Walker<'a, 'b> {
    space: &'a Space,
    ruleset: &'a Ruleset,
    family: Family,
    budget: &'b mut Budget,
    cache: BTreeMap<RuleId, Lowered>,
}

/// The state of one chain's walk.
struct Walk {
    remaining: Vec<Block>,
    returned: Vec<Block>,
    flow: Flow,
}

impl Walker<'_, '_> {
    fn table(&self, t: usize) -> Option<&Table> {
        self.ruleset.tables.get(t)
    }

    fn chain(&self, (t, c): (usize, usize)) -> Option<&Chain> {
        self.table(t).and_then(|table| table.chains.get(c))
    }

    fn lowered(&mut self, id: RuleId, evaluation: &mut Evaluation) -> Result<Vec<Block>, TooComplex> {
        if let Some(lowered) = self.cache.get(&id) {
            return Ok(lowered.region.clone());
        }
        let (t, c, r) = id;
        let ruleset = self.ruleset;
        let table = ruleset.tables.get(t);
        let (Some(table), Some(rule)) = (table, table.and_then(|t| t.chains.get(c)).and_then(|chain| chain.rules.get(r)))
        else {
            return Ok(Vec::new());
        };
        let lowered = rule_region(self.space, table, rule, self.family, self.budget)?;
        if !lowered.ignored.is_empty() {
            evaluation.ignored.insert(id, lowered.ignored.clone());
        }
        let region = lowered.region.clone();
        self.cache.insert(id, lowered);
        Ok(region)
    }

    fn run(
        &mut self,
        evaluation: &mut Evaluation,
        (t, c): (usize, usize),
        input: Vec<Block>,
        depth: usize,
    ) -> Result<Flow, TooComplex> {
        evaluation.reached.insert((t, c));
        let mut walk = Walk { remaining: input, returned: Vec::new(), flow: Flow::default() };
        let count = self.chain((t, c)).map_or(0, |chain| chain.rules.len());
        for r in 0..count {
            if walk.remaining.is_empty() {
                break;
            }
            let Some(verdict) = self.chain((t, c)).and_then(|chain| chain.rules.get(r)).and_then(|rule| rule.verdict.clone())
            else {
                continue;
            };
            let region = self.lowered((t, c, r), evaluation)?;
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
                        let Some(table) = self.table(t) else { break };
                        let matched = match expr_region(self.space, table, &key, &value, self.family) {
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
        walk.flow.fallthrough = walk.remaining;
        walk.flow.fallthrough.extend(walk.returned);
        Ok(walk.flow)
    }

    /// The rule `id` with `verdict` decides what of `walk.remaining` is in `m`.
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
        let hit = space::intersect(&walk.remaining, m, self.budget)?;
        if hit.is_empty() {
            return Ok(());
        }
        evaluation.hits.entry(id).or_default().extend(hit.iter().cloned());
        let decided = |blocks: Vec<Block>| blocks.into_iter().map(move |block| Decided { block, cause: Cause::Rule(id) });
        match verdict {
            Verdict::Accept | Verdict::Queue => walk.flow.accepted.extend(decided(hit)),
            Verdict::Drop => walk.flow.dropped.extend(decided(hit)),
            Verdict::Return => walk.returned.extend(hit),
            Verdict::Jump(target) | Verdict::Goto(target) => {
                let (t, _, _) = id;
                let Some(next) = self.table(t).and_then(|table| table.chains.iter().position(|c| c.name == *target))
                else {
                    evaluation.problems.push(format!("a rule jumps to chain `{target}`, which is not in the file"));
                    return Ok(());
                };
                if depth >= MAX_DEPTH {
                    evaluation.problems.push(format!("chains jump more than {MAX_DEPTH} deep at `{target}` (a loop?)"));
                    return Ok(());
                }
                let sub = self.run(evaluation, (t, next), hit, depth + 1)?;
                walk.flow.accepted.extend(sub.accepted);
                walk.flow.dropped.extend(sub.dropped);
                walk.remaining = space::minus(&walk.remaining, m, self.budget)?;
                if matches!(verdict, Verdict::Jump(_)) {
                    walk.remaining.extend(sub.fallthrough);
                } else {
                    walk.returned.extend(sub.fallthrough);
                }
                return Ok(());
            }
            Verdict::Continue | Verdict::Map { .. } | Verdict::NamedMap { .. } => return Ok(()),
        }
        walk.remaining = space::minus(&walk.remaining, m, self.budget)?;
        Ok(())
    }
}
