//! The comparison: what the device forwards against what the model's flows
//! allow, in both directions, by family, and the [`Report`] that lists the
//! differences with the rules and flows behind them. Which rules kojo
//! generated and the frame are [`super::ownership`]'s.

use std::collections::{BTreeMap, BTreeSet};

use super::describe::{self, Traffic};
use super::evaluate::{evaluate, Cause, Evaluation, Mode, RuleId};
use super::ownership::{self, Ownership};
use super::permits::{self, Permit, Space};
use super::ruleset::{Policy, Rule, Ruleset, SourceFormat, TableFamily, Verdict};
use super::space::{self, Block, Budget, Index, TooComplex, BUDGET};
use super::{At, DriftError, Extra, Missing, Report};
use crate::enforcement::policy::{DevicePolicy, Family};

/// How many sets of connections one finding lists.
const TRAFFIC_MAX: usize = 12;
/// How many boxes are joined for showing (joining is quadratic).
const COALESCE_MAX: usize = 400;

/// Of one flow: what of it the device does not forward, and what blocks it.
type Shortfall = (Vec<(Family, Block)>, BTreeSet<Cause>);

/// Compares the rule set exported from `device` with `expected`, kojo's
/// own files for it read back (see [`super::expected`]).
pub fn compare(device: &DevicePolicy, deployed: &Ruleset, expected: &Ruleset) -> Result<Report, DriftError> {
    let space = Space::new(device, &[deployed, expected]);
    let mut budget = Budget::new(BUDGET);
    let too_complex = |_: TooComplex| DriftError::TooComplex;
    let owners = Ownership::new(deployed, expected);
    let families = compared_families(deployed);
    let model = permits::model(&space, device);
    let mut extra: BTreeMap<Cause, Vec<(Family, Block)>> = BTreeMap::new();
    let mut missing: BTreeMap<usize, Shortfall> = BTreeMap::new();
    let mut evaluations = Vec::new();
    for &family in &families {
        let lead = owners.lead_table(family);
        let evaluation = evaluate(&space, deployed, family, lead, Mode::Widest, &mut budget).map_err(too_complex)?;
        // Rules with matches kojo does not read are taken the other way for
        // what the device blocks; without such rules both walks are one.
        let narrowest = if evaluation.unread {
            Some(evaluate(&space, deployed, family, lead, Mode::Narrowest, &mut budget).map_err(too_complex)?)
        } else {
            None
        };
        let blocking = narrowest.as_ref().unwrap_or(&evaluation);
        let permits: Vec<&Permit> = model.iter().filter(|p| p.family == family).collect();
        let index = Index::new(permits.iter().map(|p| p.block.clone()));
        let full = space.full(family);
        for (cause, blocks) in extras(&evaluation, &full, &index, &mut budget).map_err(too_complex)? {
            extra.entry(cause).or_default().extend(blocks.into_iter().map(|b| (family, b)));
        }
        for permit in permits {
            let rest = space::minus_index(std::slice::from_ref(&permit.block), &blocking.accepted, &mut budget)
                .map_err(too_complex)?;
            if rest.is_empty() {
                continue;
            }
            let entry = missing.entry(permit.rule).or_default();
            entry.1.extend(blockers(blocking, &rest, &mut budget).map_err(too_complex)?);
            entry.0.extend(rest.into_iter().map(|b| (family, b)));
        }
        evaluations.push(evaluation);
    }
    let (not_generated, mut frame) = ownership::classify(&owners, device, &families, &evaluations, &space, &mut budget);
    frame.extend(uncompared_families(deployed, &families, &model));
    Ok(Report {
        device: device.name.clone(),
        format: deployed.format,
        families: families.iter().map(|f| describe::family_name(*f)).collect(),
        allowed_not_modelled: extra
            .into_iter()
            .map(|(cause, blocks)| extra_finding(deployed, &space, &evaluations, cause, blocks))
            .collect(),
        modelled_not_allowed: missing
            .into_iter()
            .filter_map(|(rule, (blocks, causes))| missing_finding(deployed, &space, device, rule, blocks, &causes))
            .collect(),
        not_generated,
        frame,
        notes: notes(deployed, device, &families, &evaluations, &model),
    })
}

/// The families the file says something about: both for nft (a family no
/// chain filters is forwarded whole); for iptables, those it has a filter table for.
fn compared_families(ruleset: &Ruleset) -> Vec<Family> {
    match ruleset.format {
        SourceFormat::NftJson | SourceFormat::NftText => vec![Family::V4, Family::V6],
        SourceFormat::IptablesSave => [(Family::V4, TableFamily::Ip), (Family::V6, TableFamily::Ip6)]
            .into_iter()
            .filter(|(_, t)| ruleset.tables.iter().any(|table| table.family == *t && table.name == "filter"))
            .map(|(f, _)| f)
            .collect(),
    }
}

/// What the lead chain's verdicts forward that no flow allows, by cause.
fn extras(
    evaluation: &Evaluation,
    full: &Block,
    model: &Index,
    budget: &mut Budget,
) -> Result<BTreeMap<Cause, Vec<Block>>, TooComplex> {
    let mut out: BTreeMap<Cause, Vec<Block>> = BTreeMap::new();
    let Some(lead) = evaluation.outcomes.get(evaluation.lead) else { return Ok(out) };
    let alone = evaluation.outcomes.len() == 1;
    let mut forwarded: Vec<(Cause, Vec<Block>)> =
        lead.accepted.iter().map(|d| (d.cause, vec![d.block.clone()])).collect();
    if lead.policy == Policy::Accept {
        let cause = lead.chain.map_or(Cause::Unfiltered, |(t, c)| Cause::Policy(t, c));
        forwarded.push((cause, space::minus_index(std::slice::from_ref(full), &lead.decided, budget)?));
    }
    for (cause, blocks) in forwarded {
        let blocks = if alone { blocks } else { space::intersect_index(&blocks, &evaluation.accepted, budget)? };
        let rest = space::minus_index(&blocks, model, budget)?;
        if !rest.is_empty() {
            out.entry(cause).or_default().extend(rest);
        }
    }
    Ok(out)
}

/// What drops any of `blocks`: rules, and the policies of chains none of
/// whose rules decides all of them.
fn blockers(evaluation: &Evaluation, blocks: &[Block], budget: &mut Budget) -> Result<Vec<Cause>, TooComplex> {
    let mut causes = BTreeSet::new();
    for outcome in &evaluation.outcomes {
        for decided in &outcome.dropped {
            if space::meets(std::slice::from_ref(&decided.block), blocks) {
                causes.insert(decided.cause);
            }
        }
        if let (Policy::Drop, Some((t, c))) = (outcome.policy, outcome.chain) {
            if !space::minus_index(blocks, &outcome.decided, budget)?.is_empty() {
                causes.insert(Cause::Policy(t, c));
            }
        }
    }
    Ok(causes.into_iter().collect())
}

pub(super) fn rule_of(ruleset: &Ruleset, (t, c, r): RuleId) -> Option<&Rule> {
    ruleset.tables.get(t)?.chains.get(c)?.rules.get(r)
}

/// Where a cause is in the file.
pub(super) fn at(ruleset: &Ruleset, cause: Cause) -> Option<At> {
    let (t, c, place) = match cause {
        Cause::Rule((t, c, r)) => (t, c, rule_of(ruleset, (t, c, r))?.place.clone()),
        Cause::Policy(t, c) => (t, c, ruleset.tables.get(t)?.chains.get(c)?.place.clone()),
        Cause::Unfiltered => return None,
    };
    let table = ruleset.tables.get(t)?;
    let chain = table.chains.get(c)?;
    Some(At { table: table.label(), chain: chain.name.clone(), place })
}

/// A cause in words: `line 9: ct state invalid drop`, `the policy drop of chain forward (line 7)`.
fn cause_text(ruleset: &Ruleset, cause: Cause) -> String {
    let Some(at) = at(ruleset, cause) else { return "no chain filters forwarded traffic".into() };
    match cause {
        Cause::Rule(id) => format!("{}: {}", at.describe(), rule_of(ruleset, id).map_or("", |r| r.text.as_str())),
        _ => {
            let policy = policy_of(ruleset, cause).unwrap_or("accept");
            let place = match (at.place.line, at.place.handle) {
                (Some(line), _) => format!(" (line {line})"),
                (None, Some(handle)) => format!(" (handle {handle})"),
                (None, None) => String::new(),
            };
            format!("the policy {policy} of chain {} in table {}{place}", at.chain, at.table)
        }
    }
}

fn policy_of(ruleset: &Ruleset, cause: Cause) -> Option<&'static str> {
    let Cause::Policy(t, c) = cause else { return None };
    Some(ruleset.tables.get(t)?.chains.get(c)?.hook.as_ref()?.policy.name())
}

/// Boxes in words, joined where they can be: at most [`TRAFFIC_MAX`], and
/// how many more there are.
pub(super) fn traffic(space: &Space, blocks: Vec<(Family, Block)>) -> (Vec<Traffic>, usize) {
    let mut by_family: BTreeMap<Family, Vec<Block>> = BTreeMap::new();
    for (family, block) in blocks {
        by_family.entry(family).or_default().push(block);
    }
    let mut out: Vec<Traffic> = by_family
        .into_iter()
        .flat_map(|(family, blocks)| {
            space::coalesce(blocks, COALESCE_MAX).into_iter().map(move |b| (family, b)).collect::<Vec<_>>()
        })
        .map(|(family, block)| describe::traffic(space, family, &block))
        .collect();
    out.dedup();
    let more = out.len().saturating_sub(TRAFFIC_MAX);
    out.truncate(TRAFFIC_MAX);
    (out, more)
}

/// `conduit x flow 2`, when `comment` is kojo's.
pub(super) fn kojo_flow(comment: Option<&str>) -> Option<(String, usize)> {
    let rest = comment?.strip_prefix("kojo: conduit ")?;
    let (conduit, flow) = rest.rsplit_once(" flow ")?;
    Some((conduit.to_string(), flow.trim().parse().ok()?))
}

fn extra_finding(
    ruleset: &Ruleset,
    space: &Space,
    evaluations: &[Evaluation],
    cause: Cause,
    blocks: Vec<(Family, Block)>,
) -> Extra {
    let families: BTreeSet<&str> = blocks.iter().map(|(f, _)| describe::family_name(*f)).collect();
    let (rule, carries, not_compared) = match cause {
        Cause::Rule(id) => {
            let rule = rule_of(ruleset, id);
            let carries =
                kojo_flow(rule.and_then(|r| r.comment.as_deref())).map(|(c, f)| format!("conduit {c} flow {f}"));
            let mut ignored: Vec<String> =
                evaluations.iter().flat_map(|e| e.ignored.get(&id).into_iter().flatten().cloned()).collect();
            ignored.sort();
            ignored.dedup();
            (rule.map_or(String::new(), |r| r.text.clone()), carries, ignored)
        }
        Cause::Policy(..) => (format!("policy {}", policy_of(ruleset, cause).unwrap_or("accept")), None, Vec::new()),
        Cause::Unfiltered => (
            format!(
                "no base chain on the forward hook for {}: the device forwards all of it",
                families.into_iter().collect::<Vec<_>>().join(" and ")
            ),
            None,
            Vec::new(),
        ),
    };
    let (traffic, more) = traffic(space, blocks);
    Extra { at: at(ruleset, cause), rule, carries, traffic, more, not_compared }
}

fn missing_finding(
    ruleset: &Ruleset,
    space: &Space,
    device: &DevicePolicy,
    rule: usize,
    blocks: Vec<(Family, Block)>,
    causes: &BTreeSet<Cause>,
) -> Option<Missing> {
    let flow = device.rules.get(rule)?;
    let (traffic, more) = traffic(space, blocks);
    Some(Missing {
        conduit: flow.conduit_name.to_string(),
        flow: flow.flow,
        origin: flow.origin.to_string(),
        traffic,
        more,
        blocked_by: causes.iter().map(|c| cause_text(ruleset, *c)).collect(),
    })
}

/// An iptables file without the filter table of a family the model has
/// flows in: that family's forwarding is unknown, which is drift.
fn uncompared_families(ruleset: &Ruleset, families: &[Family], model: &[Permit]) -> Vec<super::FrameDiff> {
    if ruleset.format != SourceFormat::IptablesSave {
        return Vec::new();
    }
    [(Family::V4, "iptables-save"), (Family::V6, "ip6tables-save")]
        .into_iter()
        .filter(|(family, _)| !families.contains(family) && model.iter().any(|p| p.family == *family))
        .map(|(family, tool)| super::FrameDiff {
            at: None,
            message: format!(
                "the file holds no {tool} filter table, so {} was not compared, and the model has flows in it: \
                 export both families (`iptables-save; ip6tables-save`)",
                describe::family_name(family)
            ),
        })
        .collect()
}

/// What was not compared.
fn notes(
    ruleset: &Ruleset,
    device: &DevicePolicy,
    families: &[Family],
    evaluations: &[Evaluation],
    model: &[Permit],
) -> Vec<String> {
    let mut notes = Vec::new();
    if ruleset.format == SourceFormat::IptablesSave {
        for (family, tool) in [(Family::V4, "iptables-save"), (Family::V6, "ip6tables-save")] {
            let modelled = model.iter().any(|p| p.family == family);
            if !families.contains(&family) && !modelled {
                notes.push(format!(
                    "the file holds no {tool} filter table: {} was not compared (append `{tool}` output to compare it)",
                    describe::family_name(family)
                ));
            }
        }
    }
    let windows = device.rules.iter().any(|r| r.window.is_some())
        || evaluations.iter().any(|e| e.ignored.values().flatten().any(|w| w == "a time window"));
    if windows {
        notes.push("time windows are not compared: a rule limited to a window counts as always open".into());
    }
    let ignored: BTreeSet<&String> =
        evaluations.iter().flat_map(|e| e.ignored.values().flatten()).filter(|w| *w != "a time window").collect();
    if !ignored.is_empty() {
        let words: Vec<&str> = ignored.iter().map(|w| w.as_str()).take(8).collect();
        notes.push(format!(
            "kojo does not compare {} (beyond the protocol or family they imply): a rule with one counts as matching every such packet when it accepts and none when it drops, returns or goes to a chain (for what the device forwards), and the other way round for the model's flows it blocks",
            words.join(", ")
        ));
    }
    let queues = ruleset
        .tables
        .iter()
        .flat_map(|t| t.chains.iter().flat_map(|c| c.rules.iter()))
        .any(|r| r.verdict == Some(Verdict::Queue));
    if queues {
        notes.push("`queue` hands packets to a program (an IPS) that decides: kojo counts them as accepted".into());
    }
    let problems: BTreeSet<&String> = evaluations.iter().flat_map(|e| e.problems.iter()).collect();
    notes.extend(problems.into_iter().cloned());
    notes
}
