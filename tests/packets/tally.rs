//! The packet test's judgement: what each probe should do (the model's
//! verdict now, or the gateway's drop) and how what it did compares, flow
//! by flow.

use std::collections::{BTreeMap, BTreeSet};

use kojo_compiler::model::{ConduitId, Model};
use kojo_compiler::reach::Verdict;

use super::lab::Topology;
use super::plan::Probe;
use super::{describe_probe, describe_verdict, expectation, Expect, Observed};

/// What each probe should do: the model's verdict now, except that a UDP
/// probe of a flow Suricata judges is expected to be dropped there.
pub fn expectations(
    model: &Model,
    probes: &[Probe],
    verdicts: &[Verdict],
    judged: &BTreeSet<(ConduitId, usize)>,
    now: u64,
) -> Vec<Expect> {
    probes
        .iter()
        .zip(verdicts)
        .map(|(probe, verdict)| match (expectation(model, verdict, now), verdict) {
            // A TCP probe only connects, which Suricata lets through; a UDP
            // probe carries its text as payload.
            (Expect::Allow, Verdict::Allowed(by))
                if probe.transport == kojo_stdlib::Transport::Udp
                    && by.iter().all(|a| judged.contains(&(a.conduit, a.flow))) =>
            {
                Expect::Gateway
            }
            (expect, _) => expect,
        })
        .collect()
}

/// What the probes did against what the model expects of them, flow by flow.
pub struct Tally {
    pub disagreements: Vec<String>,
    pub allowed: usize,
    pub blocked: usize,
    pub skipped: usize,
    pub gateway: usize,
    pub kinds: BTreeMap<&'static str, (usize, usize)>,
    /// Declared flows whose probes all connected, and those all closed by their window.
    pub open: usize,
    pub closed: usize,
    /// Every declared flow.
    pub declared: usize,
}

pub fn tally(
    model: &Model,
    topology: &Topology,
    probes: &[Probe],
    observed: &[Observed],
    verdicts: &[Verdict],
    expected: Vec<Expect>,
) -> Tally {
    let mut disagreements = Vec::new();
    let (mut allowed, mut blocked, mut skipped, mut gateway) = (0, 0, 0, 0);
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    // Per declared flow: what its probes were expected to do, and whether
    // the packets did it.
    let mut flows: BTreeMap<(ConduitId, usize), Vec<(Expect, bool)>> = BTreeMap::new();
    for (((probe, seen), verdict), expect) in probes.iter().zip(observed).zip(verdicts).zip(expected) {
        if probe.kind == "declared" && !verdict.allowed() {
            disagreements.push(format!(
                "{}\n    model: {} — a declared flow the evaluator denies",
                describe_probe(topology, probe),
                describe_verdict(model, verdict)
            ));
        }
        let agrees = match (&expect, seen) {
            (Expect::Skip, _) => true,
            (Expect::Allow, Observed::Connected(peer)) => *peer == probe.source.1,
            (Expect::Deny | Expect::Gateway, Observed::Blocked(_)) => true,
            _ => false,
        };
        let kind = kinds.entry(probe.kind).or_default();
        match expect {
            Expect::Allow => (allowed, kind.0) = (allowed + 1, kind.0 + 1),
            Expect::Deny => (blocked, kind.1) = (blocked + 1, kind.1 + 1),
            Expect::Skip => skipped += 1,
            Expect::Gateway => gateway += 1,
        }
        for flow in &probe.flows {
            flows.entry(*flow).or_default().push((expect.clone(), agrees));
        }
        if !agrees {
            let packets = match seen {
                Observed::Connected(peer) if *peer != probe.source.1 => {
                    format!("connected, but the destination saw it from {peer}")
                }
                Observed::Connected(_) => "connected".to_string(),
                Observed::Blocked(why) => format!("blocked ({why})"),
            };
            disagreements.push(format!(
                "{}\n    model: {}{}\n    packets: {packets}",
                describe_probe(topology, probe),
                describe_verdict(model, verdict),
                if expect == Expect::Deny && verdict.allowed() { " (its window is closed now)" } else { "" },
            ));
        }
    }
    let all = |results: &Vec<(Expect, bool)>, e: Expect| results.iter().all(|(x, ok)| *x == e && *ok);
    // A flow is open when its probes connected; those of its UDP probes the
    // gateway dropped as no protocol request still agree.
    let open = flows
        .values()
        .filter(|r| {
            r.iter().any(|(x, _)| *x == Expect::Allow)
                && r.iter().all(|(x, ok)| matches!(x, Expect::Allow | Expect::Gateway) && *ok)
        })
        .count();
    let closed = flows.values().filter(|r| all(r, Expect::Deny)).count();
    let declared: Vec<(ConduitId, usize)> =
        model.conduits.iter().flat_map(|c| (0..c.flows.len()).map(move |i| (c.id, i))).collect();
    for (id, flow) in declared.iter().filter(|f| !flows.contains_key(f)) {
        let conduit = model.conduit(*id).map_or("?", |c| c.name.as_str());
        disagreements.push(format!("flow {} of conduit {conduit} has no host in the lab to probe", flow + 1));
    }
    Tally { disagreements, allowed, blocked, skipped, gateway, kinds, open, closed, declared: declared.len() }
}
