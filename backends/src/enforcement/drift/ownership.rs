//! Which rules of the exported rule set kojo generated, and the frame.
//!
//! A rule is kojo's when it sits in kojo's table (`inet kojo`; the filter
//! tables for iptables), in a chain kojo writes, and either carries the
//! comment kojo writes on a flow of this device (`kojo: conduit x flow 2`)
//! and is, by its full [key](super::ruleset::Rule::key) (time matches
//! included), one of the rules kojo writes with that comment in that chain
//! and not yet claimed by an earlier rule, or is one of the chain's frame
//! rules (connection tracking, the dispatch to zone-pair chains, logging),
//! recognised by its key however the tool listed it. A comment alone makes
//! no rule kojo's. Everything else is reported with what it does. The frame
//! differences are kojo's base chains missing or with another policy, and
//! frame rules missing (`ct state established,related accept`).

use std::collections::BTreeMap;

use super::compare::{kojo_flow, traffic};
use super::evaluate::Evaluation;
use super::permits::{rule_region, Space};
use super::ruleset::{one_line, Chain, Hook, Rule, Ruleset, Selector, SourceFormat, Table, Value, Verdict};
use super::space::Budget;
use super::{At, Foreign, FrameDiff};
use crate::enforcement::policy::{DevicePolicy, Family};

/// How many sets of connections a rule's action names.
const ACTION_MAX: usize = 3;

/// The deployed tables and the expected ones they are.
pub(super) struct Ownership<'a> {
    deployed: &'a Ruleset,
    expected: &'a Ruleset,
    /// By deployed table: the expected table of the same family and name.
    tables: Vec<Option<usize>>,
}

impl<'a> Ownership<'a> {
    pub(super) fn new(deployed: &'a Ruleset, expected: &'a Ruleset) -> Self {
        let tables = deployed
            .tables
            .iter()
            .map(|t| expected.tables.iter().position(|e| e.family == t.family && e.name == t.name))
            .collect();
        Ownership { deployed, expected, tables }
    }

    /// kojo's table for `family`, by its index in the deployed rule set.
    pub(super) fn lead_table(&self, family: Family) -> Option<usize> {
        self.tables.iter().enumerate().find_map(|(t, expected)| {
            let table = self.deployed.tables.get(t)?;
            (expected.is_some() && table.family.covers(family)).then_some(t)
        })
    }

    fn expected_table(&self, t: usize) -> Option<&'a Table> {
        self.tables.get(t).copied().flatten().and_then(|e| self.expected.tables.get(e))
    }
}

/// What a classification needs besides the rule sets.
struct Context<'a, 'b> {
    device: &'a DevicePolicy,
    families: &'a [Family],
    evaluations: &'a [Evaluation],
    space: &'a Space,
    budget: &'b mut Budget,
    foreign: Vec<Foreign>,
    frame: Vec<FrameDiff>,
}

/// Every rule and base chain kojo did not generate, and the frame's differences.
pub(super) fn classify(
    owners: &Ownership<'_>,
    device: &DevicePolicy,
    families: &[Family],
    evaluations: &[Evaluation],
    space: &Space,
    budget: &mut Budget,
) -> (Vec<Foreign>, Vec<FrameDiff>) {
    let mut cx = Context { device, families, evaluations, space, budget, foreign: Vec::new(), frame: Vec::new() };
    for (t, table) in owners.deployed.tables.iter().enumerate() {
        let expected = owners.expected_table(t);
        if let Some(why) = table.inactive() {
            cx.frame.push(FrameDiff {
                at: Some(At { table: table.label(), chain: String::new(), place: table.place.clone() }),
                message: format!("table {} {why}", table.label()),
            });
        }
        for (c, chain) in table.chains.iter().enumerate() {
            let ours = expected.and_then(|e| e.chain(&chain.name));
            let split = owners.expected.format == SourceFormat::IptablesSave;
            cx.chain((t, c), table, chain, ours, (expected.is_some(), split));
        }
        if let Some(expected) = expected {
            for missing in expected.chains.iter().filter(|e| e.hook.is_some() && table.chain(&e.name).is_none()) {
                cx.frame.push(FrameDiff {
                    at: Some(At { table: table.label(), chain: missing.name.clone(), place: table.place.clone() }),
                    message: format!(
                        "table {} has no chain `{}` ({}): kojo's has one",
                        table.label(),
                        missing.name,
                        hook_text(missing.hook.as_ref())
                    ),
                });
            }
        }
    }
    for (e, expected) in owners.expected.tables.iter().enumerate() {
        let compared = families.iter().any(|f| expected.family.covers(*f));
        if compared && !owners.tables.contains(&Some(e)) {
            cx.frame.push(FrameDiff {
                at: None,
                message: format!("there is no table {}: kojo's rule set is not loaded", expected.label()),
            });
        }
    }
    (cx.foreign, cx.frame)
}

fn hook_text(hook: Option<&Hook>) -> String {
    match hook {
        Some(h) => format!("type {} hook {}, policy {}", h.kind, h.hook, h.policy.name()),
        None => "a regular chain".into(),
    }
}

impl Context<'_, '_> {
    /// `split`: the tool lists a rule of several addresses as one rule
    /// per address (`iptables-save`).
    fn chain(
        &mut self,
        (t, c): (usize, usize),
        table: &Table,
        chain: &Chain,
        ours: Option<&Chain>,
        (our_table, split): (bool, bool),
    ) {
        let at = |place| At { table: table.label(), chain: chain.name.clone(), place };
        match ours {
            None if chain.hook.is_some() => self.foreign.push(Foreign {
                at: at(chain.place.clone()),
                rule: format!("chain {} {{ {} }}", chain.name, hook_text(chain.hook.as_ref())),
                action: match &chain.hook {
                    Some(h) if h.hook == "forward" && h.kind == "filter" => {
                        format!("filters forwarded traffic too; what its rules do not decide, it {}s", h.policy.name())
                    }
                    Some(h) => format!("a base chain on hook {} (not compared)", h.hook),
                    None => String::new(),
                },
                reason: not_ours(table, chain, our_table),
            }),
            Some(ours) if ours.hook != chain.hook => self.frame.push(FrameDiff {
                at: Some(at(chain.place.clone())),
                message: format!(
                    "chain `{}` in table {} is {}; kojo's is {}",
                    chain.name,
                    table.label(),
                    hook_text(chain.hook.as_ref()),
                    hook_text(ours.hook.as_ref())
                ),
            }),
            _ => {}
        }
        let mut frame = frame_rules(ours);
        let mut flows = flow_rules(ours, split);
        for (r, rule) in chain.rules.iter().enumerate() {
            let reason = match ours {
                None => not_ours(table, chain, our_table),
                Some(ours) => match self.owned(rule, ours, &mut frame, &mut flows) {
                    None => continue,
                    Some(reason) => reason,
                },
            };
            let action = self.action((t, c, r), table, chain, rule);
            self.foreign.push(Foreign { at: at(rule.place.clone()), rule: rule.text.clone(), action, reason });
        }
        for (_, (count, text)) in frame {
            for _ in 0..count {
                self.frame.push(FrameDiff {
                    at: Some(at(chain.place.clone())),
                    message: format!("chain `{}` in table {} lacks kojo's `{text}`", chain.name, table.label()),
                });
            }
        }
        // A flow's queue to the gateway that is gone lets nothing less
        // through (the comparison of connections sees no change), but the
        // flow's functions are no longer inspected inline.
        for rule in ours.into_iter().flat_map(|c| c.rules.iter()).filter(|r| r.verdict == Some(Verdict::Queue)) {
            let Some(count) = flows.get_mut(&(rule.comment.clone().unwrap_or_default(), rule.key())) else { continue };
            if *count == 0 {
                continue;
            }
            *count -= 1;
            self.frame.push(FrameDiff {
                at: Some(at(chain.place.clone())),
                message: format!(
                    "chain `{}` in table {} lacks kojo's `{}`: the flow's packets no longer go to the gateway, \
                     so its functions are not inspected inline",
                    chain.name,
                    table.label(),
                    one_line(&rule.text, 120)
                ),
            });
        }
    }

    /// `None` when `rule` is kojo's (a frame rule is taken from `frame`, a
    /// flow's rule from `flows`), else why it is not.
    fn owned(
        &self,
        rule: &Rule,
        ours: &Chain,
        frame: &mut BTreeMap<String, (usize, String)>,
        flows: &mut BTreeMap<(String, String), usize>,
    ) -> Option<String> {
        if let Some((conduit, flow)) = kojo_flow(rule.comment.as_deref()) {
            let enforced = self.device.rules.iter().any(|r| *r.conduit_name == *conduit && r.flow == flow);
            if !enforced {
                return Some(format!(
                    "it carries the comment of conduit {conduit} flow {flow}, which `{}` does not enforce",
                    self.device.name
                ));
            }
            if !ours.rules.iter().any(|r| r.comment == rule.comment) {
                return Some(format!(
                    "it carries the comment of conduit {conduit} flow {flow}, which kojo does not write in chain `{}`",
                    ours.name
                ));
            }
            // The comment is only a claim: the rule is kojo's when it is, in
            // full (time matches too), one of kojo's rules with that comment
            // not already matched by an earlier rule.
            let comment = rule.comment.clone().unwrap_or_default();
            return match flows.get_mut(&(comment, rule.key())) {
                Some(count) if *count > 0 => {
                    *count -= 1;
                    None
                }
                Some(_) => Some(format!(
                    "it carries the comment of conduit {conduit} flow {flow}, but kojo writes that rule in chain `{}` \
                     fewer times",
                    ours.name
                )),
                None => Some(format!(
                    "it carries the comment of conduit {conduit} flow {flow}, but kojo writes no such rule for it in \
                     chain `{}`",
                    ours.name
                )),
            };
        }
        match frame.get_mut(&rule.key()) {
            Some((count, _)) if *count > 0 => {
                *count -= 1;
                None
            }
            _ => Some(format!("kojo writes no such rule in chain `{}`", ours.name)),
        }
    }

    /// What a rule does to new forwarded connections, in words.
    fn action(&mut self, id: (usize, usize, usize), table: &Table, chain: &Chain, rule: &Rule) -> String {
        let verb = match &rule.verdict {
            Some(Verdict::Accept) => "accepts".to_string(),
            Some(Verdict::Drop) => "drops".to_string(),
            Some(Verdict::Queue) => "queues to a program".to_string(),
            Some(Verdict::Return) => "returns".to_string(),
            Some(Verdict::Continue) => "continues".to_string(),
            Some(Verdict::Jump(c)) => format!("jumps to chain {c} with"),
            Some(Verdict::Goto(c)) => format!("goes to chain {c} with"),
            Some(Verdict::Map { .. } | Verdict::NamedMap { .. }) => "sends through a verdict map".to_string(),
            None if rule.statements.is_empty() => return "does nothing (no verdict)".into(),
            None => return format!("has no verdict ({} only)", rule.statements.join(", ")),
        };
        let hits: Vec<(Family, super::space::Block)> = self
            .evaluations
            .iter()
            .flat_map(|e| e.hits.get(&id).into_iter().flatten().map(move |b| (e.family, b.clone())))
            .collect();
        if !hits.is_empty() {
            return format!("{verb} {}", self.listed(hits));
        }
        let mut own = Vec::new();
        for &family in self.families {
            if let Ok(lowered) = rule_region(self.space, table, rule, family, self.budget) {
                own.extend(lowered.region.into_iter().map(|b| (family, b)));
            }
        }
        if own.is_empty() {
            return "matches no new connection".into();
        }
        let (t, c, _) = id;
        if self.evaluations.iter().any(|e| e.reached.contains(&(t, c))) {
            return format!("{verb} nothing: earlier rules decide every new forwarded connection it matches");
        }
        let path = match &chain.hook {
            Some(h) if h.kind == "filter" => format!("on hook {}, not compared", h.hook),
            Some(h) => format!("in a {} chain on hook {}, not compared", h.kind, h.hook),
            // Such a chain may still see packets: kojo_established, a
            // window's or the gateway's chain judge established ones, which
            // this comparison (of new connections) does not follow.
            None => "in a chain no new forwarded connection reaches".to_string(),
        };
        format!("{path}: {verb} {}", self.listed(own))
    }

    fn listed(&self, blocks: Vec<(Family, super::space::Block)>) -> String {
        let (shown, more) = traffic(self.space, blocks);
        let mut words: Vec<String> = shown.iter().take(ACTION_MAX).map(ToString::to_string).collect();
        if shown.len() > ACTION_MAX || more > 0 {
            words.push("…".into());
        }
        words.join("; ")
    }
}

/// Why a rule in a table or chain kojo does not write is not kojo's.
fn not_ours(table: &Table, chain: &Chain, our_table: bool) -> String {
    if our_table {
        format!("kojo writes no chain `{}` in table {}", chain.name, table.label())
    } else {
        format!("table {} is not kojo's", table.label())
    }
}

/// kojo's rules for flows in a chain, by comment and key: how many. With
/// `split`, a rule of several source or destination addresses counts as
/// one rule per address, as `iptables-save` lists it.
fn flow_rules(ours: Option<&Chain>, split: bool) -> BTreeMap<(String, String), usize> {
    let mut flows: BTreeMap<(String, String), usize> = BTreeMap::new();
    for rule in ours.into_iter().flat_map(|c| c.rules.iter()) {
        if let (Some(comment), Some(_)) = (&rule.comment, kojo_flow(rule.comment.as_deref())) {
            let mut rules = vec![rule.clone()];
            if split {
                rules.extend(split_addresses(rule).into_iter().filter(|r| r.key() != rule.key()));
            }
            for rule in rules {
                *flows.entry((comment.clone(), rule.key())).or_insert(0) += 1;
            }
        }
    }
    flows
}

/// `rule` as one rule per source and destination address.
fn split_addresses(rule: &Rule) -> Vec<Rule> {
    let mut rules = vec![rule.clone()];
    for (i, expr) in rule.exprs.iter().enumerate() {
        let Value::Set(items) = &expr.right else { continue };
        if !matches!(expr.left.as_slice(), [Selector::Saddr(_) | Selector::Daddr(_)]) || expr.negated {
            continue;
        }
        rules = rules
            .into_iter()
            .flat_map(|r| {
                items.iter().map(move |item| {
                    let mut one = r.clone();
                    if let Some(e) = one.exprs.get_mut(i) {
                        e.right = item.clone();
                    }
                    one
                })
            })
            .collect();
    }
    rules
}

/// kojo's frame rules of a chain (those without a flow's comment), by
/// key: how many, and the text to name one by.
fn frame_rules(ours: Option<&Chain>) -> BTreeMap<String, (usize, String)> {
    let mut frame: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for rule in ours.into_iter().flat_map(|c| c.rules.iter()).filter(|r| kojo_flow(r.comment.as_deref()).is_none()) {
        let entry = frame.entry(rule.key()).or_insert((0, one_line(&rule.text, 120)));
        entry.0 += 1;
    }
    frame
}
