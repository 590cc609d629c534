//! Packet tests of the generated firewalls (issue 4): the example plant is
//! built as network namespaces (a router per enforcing device, a bridge per
//! zone holding its hosts), the nftables rules and then the iptables rules
//! are loaded into the routers, and real TCP connections and UDP exchanges
//! are opened for every declared flow and for a sample of undeclared ones.
//!
//! Each probe's outcome is compared with the model's own answer
//! (`kojo_compiler::reach::evaluate`), so the test is differential: the
//! generated rules must pass exactly what the model allows. Before the
//! rules are loaded every probe must connect, which shows that what is
//! blocked later is blocked by a rule and not by a missing route.
//!
//! `packets/lab.rs` builds the namespaces, `packets/plan.rs` chooses the
//! probes, `packets/probe.py` opens them; this file compares. Needs root,
//! iproute2, python3 and the loader (`nft`, `iptables-restore`); it fails
//! when it cannot run, unless `KOJO_SKIP_NETNS=1`. See
//! `docs/backends/packet-tests.md`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "packets/inline.rs"]
mod inline;
#[path = "packets/lab.rs"]
mod lab;
#[path = "packets/plan.rs"]
mod plan;
#[path = "netfilter/queue.rs"]
mod queue;
#[path = "packets/sessions.rs"]
mod sessions;
#[path = "packets/suricata.rs"]
mod suricata;
#[path = "packets/tally.rs"]
mod tally;
#[path = "packets/udp.rs"]
mod udp;

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use kojo_backends::Backend;
use kojo_compiler::model::{ConduitId, Model};
use kojo_compiler::reach::{evaluate, zone_of, Connection, Denial, Endpoint, Verdict};
use kojo_compiler::types::TimeWindow;

use lab::{Lab, Topology};
use plan::{plan, Probe};
use tally::{expectations, tally, Tally};

/// The two runs of this process take turns. Namespace names are global, so
/// each run also names its own `kojo-pkt-<run>-<pid>-…`: test processes
/// started at the same time (two `cargo test` in one work tree) cannot
/// take over each other's namespaces.
static SERIAL: Mutex<()> = Mutex::new(());

/// How long a probe waits for a connection or a reply. Allowed probes
/// answer in milliseconds; blocked ones all wait this long, in parallel.
const TIMEOUT: f64 = 1.5;
/// For the second try of a probe that should have connected.
const RETRY_TIMEOUT: f64 = 5.0;

/// Probes this close to a window's opening or closing are not judged.
const WINDOW_MARGIN_SECONDS: u64 = 120;

#[test]
fn nftables_rules_pass_exactly_what_the_model_allows() {
    // On a kernel without nft_queue the gateway's queue cannot be loaded:
    // the run then loads `accept` in its place (the inline flows pass
    // uninspected, everything else is as generated) and says so; the
    // inline inspection is proved by the iptables run.
    let queues = queue::kernel_has_queue();
    if !queues {
        eprintln!(
            "NOTE: packet test nftables: this kernel has no nftables `queue` expression (nft_queue): the rules are \
             loaded with `{}` replaced by `accept`, so inline flows pass without Suricata in this run",
            queue::QUEUE
        );
    }
    packet_test(&kojo_backends::nftables::NFTABLES, "nft", &["nft"], queues, |lab, ns, dir, device| {
        let file = dir.join(device).join("nftables.nft");
        if !file.is_file() {
            return Err(format!("nftables rendered no {device}/nftables.nft"));
        }
        if !queues {
            let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
            std::fs::write(&file, text.replace(queue::QUEUE, "accept")).map_err(|e| e.to_string())?;
        }
        // A shell in the plant's zone: the rules must not depend on the
        // loading shell's TZ (nft reads "HH:MM" in it).
        lab.exec(ns, &["env", "TZ=Asia/Tokyo", "nft", "-f", &file.to_string_lossy()]).map(|_| ())
    });
}

#[test]
fn iptables_rules_pass_exactly_what_the_model_allows() {
    packet_test(
        &kojo_backends::iptables::IPTABLES,
        "ipt",
        &["iptables-restore", "ip6tables-restore", "suricata"],
        true,
        |lab, ns, dir, device| {
            let v4 = dir.join(device).join("iptables.rules");
            if !v4.is_file() {
                return Err(format!("iptables rendered no {device}/iptables.rules"));
            }
            lab.exec(ns, &["env", "TZ=Asia/Tokyo", "iptables-restore", &v4.to_string_lossy()])?;
            let v6 = dir.join(device).join("ip6tables.rules");
            if v6.is_file() {
                lab.exec(ns, &["env", "TZ=Asia/Tokyo", "ip6tables-restore", &v6.to_string_lossy()])?;
            }
            Ok(())
        },
    );
}
#[derive(Debug, Clone, PartialEq, Eq)]
enum Observed {
    /// Connected; the address the destination saw the probe come from.
    Connected(IpAddr),
    Blocked(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    Allow,
    Deny,
    /// Too close to a window's boundary to say.
    Skip,
    /// Allowed by an inline flow, but the probe's UDP payload is no request
    /// of the flow's protocol: Suricata, inline, drops it.
    Gateway,
}

/// `inline`: the loaded rules queue inline flows, so Suricata runs (on
/// queue 0, with the device's generated rules) in each router that has them.
fn packet_test(
    backend: &dyn Backend,
    short: &str,
    tools: &[&str],
    inline: bool,
    load: impl Fn(&Lab, &str, &Path, &str) -> Result<(), String>,
) {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    let name = backend.name();
    if skipped(name, tools) {
        return;
    }
    let started = Instant::now();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guideline-factory");
    let checked = kojo_compiler::check_with(
        &kojo_compiler::DiskSource::new(&example),
        &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
    );
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    // Every device is rendered as a Linux router, with the interfaces named
    // after their zones as the lab creates them: the example's own device
    // settings (vendor formats, their interface names) do not apply here.
    let manifest = kojo_compiler::manifest::Manifest { devices: Vec::new(), ..manifest.clone() };
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest: &manifest };
    let artifacts = kojo_backends::render_backend(&request, backend).unwrap_or_else(|diagnostics| {
        panic!("{name} cannot render the example:\n{}", kojo::report::render_all(&diagnostics, false))
    });
    let policy = kojo_backends::policy::lower(model, catalogue, &checked.tiers, &Default::default()).unwrap();
    let prefix = format!("kojo-pkt-{short}-{}-", std::process::id());
    let topology = Topology::new(model, &policy, &prefix);
    check_topology(model, &topology);
    let probes = plan(model, catalogue, &topology);

    let dir = tempfile::tempdir().unwrap();
    let rules = write_rules(&artifacts, dir.path(), name);
    let mut lab = Lab::build(&topology, &format!("kojo-pkt-{short}-"), dir.path())
        .unwrap_or_else(|e| panic!("building the lab: {e}"));
    let mut listeners: BTreeMap<String, BTreeSet<(&'static str, IpAddr, u16)>> = BTreeMap::new();
    for probe in &probes {
        let ns = topology.zones[probe.destination.0].ns.clone();
        listeners.entry(ns).or_default().insert((probe.transport.as_str(), probe.destination.1, probe.port));
    }
    lab.serve(&listeners).unwrap_or_else(|e| panic!("{e}"));

    // Without rules everything forwards: the routes are complete.
    routes_are_complete(&lab, &topology, &probes);
    let baseline = started.elapsed();

    // Declared after the lab, so dropped (stopped) before its namespaces go.
    let (gateways, suricata_rules) = if inline {
        let generated = kojo_backends::render_backend(&request, &kojo_backends::suricata::SURICATA)
            .unwrap_or_else(|d| panic!("suricata cannot render the example:\n{}", kojo::report::render_all(&d, false)));
        (suricata::start_gateways(&topology, &artifacts, &generated, &rules, &dir.path().join("suricata")), generated)
    } else {
        (Vec::new(), Vec::new())
    };
    for router in &topology.routers {
        load(&lab, &router.ns, &rules, &router.name)
            .unwrap_or_else(|e| panic!("loading the {name} rules of {} failed: {e}", router.name));
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let verdicts: Vec<Verdict> = probes.iter().map(|p| evaluate(model, catalogue, &connection(&topology, p))).collect();
    let expected =
        expectations(model, &probes, &verdicts, &suricata::judged_flows(&policy, catalogue, &suricata_rules), now);
    let observed = run_probes(&lab, &topology, &probes, |i| expected[i] == Expect::Allow);

    let tally = tally(model, &topology, &probes, &observed, &verdicts, expected);
    report(name, &tally, probes.len(), (started, baseline), &windows_now(model, now));
    drop(gateways);
    drop(lab);
}

/// Prints the counts and fails on any disagreement.
fn report(
    name: &str,
    tally: &Tally,
    probes: usize,
    (started, baseline): (Instant, std::time::Duration),
    windows: &str,
) {
    let Tally { disagreements, allowed, blocked, skipped, gateway, kinds, open, closed, declared } = tally;
    eprintln!(
        "packet test {name}: flows allowed: {open} of {} declared ({closed} closed by their window now), \
         probes blocked: {blocked}; probes expected allowed: {allowed}, expected blocked: {blocked}, \
         UDP probes of inline flows dropped by Suricata as no protocol request: {gateway}, \
         skipped near a window boundary: {skipped}, disagreeing: {}; {} probes, {:.1} s in all \
         (lab and baseline without rules, where all connected: {:.1} s); windows now: {}; \
         allowed/blocked by kind: {}",
        declared,
        disagreements.len(),
        probes,
        started.elapsed().as_secs_f64(),
        baseline.as_secs_f64(),
        windows,
        kinds.iter().map(|(k, (a, d))| format!("{k} {a}/{d}")).collect::<Vec<_>>().join(", "),
    );
    assert!(
        disagreements.is_empty(),
        "{name}: {} probe(s) disagree with the model:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

/// Whether the packet test of `name` is skipped (saying so): only when it
/// cannot run and `KOJO_SKIP_NETNS=1`; a failure when it cannot without.
fn skipped(name: &str, tools: &[&str]) -> bool {
    if let Some(why) = lab::unavailable(tools) {
        if std::env::var("KOJO_SKIP_NETNS").as_deref() == Ok("1") {
            eprintln!("packet test of {name} SKIPPED (KOJO_SKIP_NETNS=1): {why}");
            return true;
        }
        panic!(
            "the packet test of {name} cannot run: {why}\n\
             it needs root, iproute2, python3 and {}; set KOJO_SKIP_NETNS=1 to skip it",
            tools.join(", ")
        );
    }
    false
}

/// Writes `artifacts` where the routers load them from (or, with
/// KOJO_PACKETS_RULES=DIR, where they are kept for a look after a failure).
fn write_rules(artifacts: &[kojo_backends::Artifact], dir: &Path, name: &str) -> std::path::PathBuf {
    // KOJO_PACKETS_RULES=DIR keeps the loaded rules for a look after a failure.
    let rules = match std::env::var_os("KOJO_PACKETS_RULES") {
        Some(keep) => Path::new(&keep).join(name),
        None => dir.join("rules"),
    };
    for artifact in artifacts {
        let path = rules.join(&artifact.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &artifact.content).unwrap();
    }
    rules
}

/// Every probe connects before any rule is loaded: what is blocked later
/// is blocked by a rule, not by a missing route.
fn routes_are_complete(lab: &Lab, topology: &Topology, probes: &[Probe]) {
    let open = run_probes(lab, topology, probes, |_| true);
    let unreached: Vec<String> = probes
        .iter()
        .zip(&open)
        .filter(|(p, o)| **o != Observed::Connected(p.source.1))
        .map(|(p, o)| format!("  {}: {o:?}", describe_probe(topology, p)))
        .collect();
    assert!(
        unreached.is_empty(),
        "without rules, {} probes did not connect (the lab's routes):\n{}",
        unreached.len(),
        unreached.join("\n")
    );
}

/// Every host is where the model puts it, and every conduit's traffic
/// crosses the device that enforces it.
fn check_topology(model: &Model, topology: &Topology) {
    for zone in &topology.zones {
        for host in &zone.hosts {
            let found = zone_of(model, host.address);
            assert!(
                found.is_none() || found == Some(zone.id),
                "{} ({}) is in zone {} in the lab but in {found:?} in the model",
                host.name,
                host.address,
                zone.name
            );
        }
    }
    for conduit in &model.conduits {
        let (Some(from), Some(to)) = (topology.zone_index(conduit.from), topology.zone_index(conduit.to)) else {
            panic!("conduit {} joins a zone no enforcing device is in", conduit.name);
        };
        let enforcer = conduit.enforced_by.and_then(|id| model.asset(id)).map(|a| a.name.as_str());
        let first = topology.first_router(from, to).map(|r| r.name.as_str());
        assert_eq!(first, enforcer, "traffic of conduit {} would not cross its enforcing device", conduit.name);
    }
}
fn connection(topology: &Topology, probe: &Probe) -> Connection {
    let at = |(zone, address): (usize, IpAddr)| Endpoint { zone: topology.zones[zone].id, address };
    Connection {
        source: at(probe.source),
        destination: at(probe.destination),
        port: Some((probe.transport, probe.port)),
    }
}

/// Opens every probe, those of each source zone from one process, all zones
/// at once. A probe that should connect and did not is tried once more with
/// a longer timeout, so a loaded machine does not fail the test; a
/// connection that should have been blocked needs no second look.
fn run_probes(
    lab: &Lab,
    topology: &Topology,
    probes: &[Probe],
    should_connect: impl Fn(usize) -> bool,
) -> Vec<Observed> {
    let all: Vec<usize> = (0..probes.len()).collect();
    let mut observed = probe_once(lab, topology, probes, &all, TIMEOUT);
    let again: Vec<usize> =
        all.into_iter().filter(|i| should_connect(*i) && matches!(observed[*i], Observed::Blocked(_))).collect();
    if !again.is_empty() {
        for (i, seen) in again.iter().zip(probe_once(lab, topology, probes, &again, RETRY_TIMEOUT)) {
            observed[*i] = seen;
        }
    }
    observed
}

/// The probes `ids`, in that order.
fn probe_once(lab: &Lab, topology: &Topology, probes: &[Probe], ids: &[usize], timeout: f64) -> Vec<Observed> {
    let mut by_zone: BTreeMap<usize, String> = BTreeMap::new();
    for &id in ids {
        let p = &probes[id];
        by_zone.entry(p.source.0).or_default().push_str(&format!(
            "{id} {} {} {} {}\n",
            p.transport.as_str(),
            p.source.1,
            p.destination.1,
            p.port
        ));
    }
    let outputs: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = by_zone
            .iter()
            .map(|(zone, lines)| {
                let ns = &topology.zones[*zone].ns;
                scope.spawn(move || lab.connect(ns, lines, timeout).unwrap_or_else(|e| panic!("{e}")))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut observed: BTreeMap<usize, Observed> = BTreeMap::new();
    for line in outputs.iter().flat_map(|o| o.lines()) {
        let mut words = line.split_whitespace();
        let (Some(id), Some(status), Some(detail)) = (words.next(), words.next(), words.next()) else {
            panic!("unexpected probe output `{line}`");
        };
        let id: usize = id.parse().unwrap();
        observed.insert(
            id,
            match status {
                "ok" => Observed::Connected(detail.parse().unwrap_or_else(|_| panic!("bad peer in `{line}`"))),
                _ => Observed::Blocked(detail.to_string()),
            },
        );
    }
    ids.iter()
        .map(|id| {
            observed
                .remove(id)
                .unwrap_or_else(|| panic!("no result for probe {}", describe_probe(topology, &probes[*id])))
        })
        .collect()
}

/// What the packets should do: the model's verdict, with windows judged
/// at `now` (seconds since the epoch), which the evaluator leaves out.
fn expectation(model: &Model, verdict: &Verdict, now: u64) -> Expect {
    let Verdict::Allowed(flows) = verdict else { return Expect::Deny };
    let mut states = Vec::new();
    for allowing in flows {
        match model.conduit(allowing.conduit).and_then(|c| c.window.as_ref()) {
            None => return Expect::Allow,
            Some(window) => states.push(window_state(window, now)),
        }
    }
    if states.contains(&Some(true)) {
        Expect::Allow
    } else if states.contains(&None) {
        Expect::Skip
    } else {
        Expect::Deny
    }
}

/// Whether the window is open at `now`; `None` within the margin of an
/// opening or closing.
fn window_state(window: &TimeWindow, now: u64) -> Option<bool> {
    const DAY: u64 = 86_400;
    const WEEK: u64 = 7 * DAY;
    let slots = window.slots_in("UTC").unwrap_or_else(|e| panic!("window {window:?}: {}", e.message));
    let spans: Vec<(u64, u64)> = slots
        .iter()
        .flat_map(|slot| {
            slot.days.iter().map(move |day| {
                let base = u64::from(day.index()) * DAY;
                (base + u64::from(slot.start) * 60, base + u64::from(slot.end) * 60)
            })
        })
        .collect();
    // 1970-01-01 was a Thursday; weekdays count from Monday = 0.
    let at = ((now / DAY + 3) % 7) * DAY + now % DAY;
    // A slot split at midnight (UTC) ends where the next one starts: that
    // is no boundary.
    let starts: BTreeSet<u64> = spans.iter().map(|s| s.0 % WEEK).collect();
    let ends: BTreeSet<u64> = spans.iter().map(|s| s.1 % WEEK).collect();
    let near = |edge: u64| {
        let distance = (at + WEEK - edge) % WEEK;
        distance.min(WEEK - distance) <= WINDOW_MARGIN_SECONDS
    };
    if starts.symmetric_difference(&ends).any(|edge| near(*edge)) {
        return None;
    }
    Some(spans.iter().any(|(start, end)| (*start..*end).contains(&at)))
}

fn windows_now(model: &Model, now: u64) -> String {
    let states: Vec<String> = model
        .conduits
        .iter()
        .filter_map(|c| {
            let state = match window_state(c.window.as_ref()?, now) {
                Some(true) => "open",
                Some(false) => "closed",
                None => "at a boundary",
            };
            Some(format!("{} {state}", c.name))
        })
        .collect();
    if states.is_empty() {
        "none".into()
    } else {
        states.join(", ")
    }
}

fn describe_probe(topology: &Topology, probe: &Probe) -> String {
    let end = |(zone, address): (usize, IpAddr)| {
        let zone = &topology.zones[zone];
        let host = zone.hosts.iter().find(|h| h.address == address).map_or("?", |h| h.name.as_str());
        format!("{host} {address} ({})", zone.name)
    };
    format!(
        "[{}] {}/{} {} -> {}",
        probe.kind,
        probe.transport.as_str(),
        probe.port,
        end(probe.source),
        end(probe.destination)
    )
}

fn describe_verdict(model: &Model, verdict: &Verdict) -> String {
    let conduit = |id: ConduitId| model.conduit(id).map_or("?", |c| c.name.as_str()).to_string();
    match verdict {
        Verdict::Allowed(flows) => format!(
            "allowed by {}",
            flows.iter().map(|a| format!("{} flow {}", conduit(a.conduit), a.flow + 1)).collect::<Vec<_>>().join(", ")
        ),
        Verdict::Denied(Denial::SameZone) => "denied: same zone".into(),
        Verdict::Denied(Denial::NoConduit { .. }) => "denied: no conduit between the zones".into(),
        Verdict::Denied(Denial::SourceNotAllowed { .. }) => "denied: no flow from this source".into(),
        Verdict::Denied(Denial::DestinationNotAllowed { .. }) => {
            "denied: no flow from this source to this destination".into()
        }
        Verdict::Denied(Denial::PortNotAllowed { .. }) => "denied: not this port".into(),
    }
}

/// The window arithmetic the expectations rest on, at fixed instants.
#[test]
fn windows_are_judged_in_utc_with_a_margin() {
    let window = |text: &str| TimeWindow::parse(text).unwrap();
    // 2026-11-23 was a Monday.
    let monday = 1_795_392_000;
    let at = |day: u64, hour: u64, minute: u64| monday + day * 86_400 + hour * 3600 + minute * 60;
    let office = window("Mon-Fri 09:00-18:00 Asia/Tokyo"); // 00:00-09:00 UTC
    assert_eq!(window_state(&office, at(0, 0, 28)), Some(true));
    assert_eq!(window_state(&office, at(0, 8, 57)), Some(true));
    assert_eq!(window_state(&office, at(0, 8, 59)), None);
    assert_eq!(window_state(&office, at(0, 9, 2)), None);
    assert_eq!(window_state(&office, at(0, 9, 3)), Some(false));
    assert_eq!(window_state(&office, at(5, 3, 0)), Some(false), "Saturday");
    assert_eq!(window_state(&office, at(6, 23, 59)), None, "Monday 09:00 in Tokyo is near");
    // Mon-Sat 07:00-22:00 Tokyo is Sun 22:00 - Mon 13:00 UTC and so on: the
    // split at midnight UTC is no boundary.
    let remote = window("Mon-Sat 07:00-22:00 Asia/Tokyo");
    assert_eq!(window_state(&remote, at(1, 0, 0)), Some(true), "Tuesday 00:00 UTC");
    assert_eq!(window_state(&remote, at(6, 21, 0)), Some(false), "Sunday 21:00 UTC");
    assert_eq!(window_state(&remote, at(6, 22, 1)), None);
    assert_eq!(window_state(&remote, at(6, 23, 0)), Some(true), "Monday 08:00 in Tokyo");
}
