//! Sessions in the packet lab: what happens to connections that are
//! already open when fw_floor's rules are loaded again.
//!
//! - **Before kojo**: a session opened under a previous stateful firewall
//!   (an accept-all table that tracks connections) has no ticket, and is
//!   reset at kojo's first load.
//! - **Revocation**: three sessions from the MES (10.2.0.10) are opened
//!   under the example's rules: to mounter1 tcp/443 (prod_mgmt_to_control
//!   flow 3), to the SCADA tcp/4840 (prod_mgmt_to_monitoring) and to the AGV
//!   PC tcp/443 (prod_mgmt_to_transport, given a window open now). Then the
//!   rules of the same model without the mounter1 flow are loaded: that
//!   session is cut (its ticket is gone: the client gets a reset, the
//!   server's half stays open, as checked), the others keep working.
//! - **Window end**: the same rules again, with the window's hours moved so
//!   that it is closed now and nothing else changed (the flow keeps its
//!   ticket): this is what the device sees when its clock passes the
//!   window's end. The AGV session is cut, the SCADA session keeps working.
//!
//! Run for nftables and iptables; `session.py` holds the sessions open.

use std::io::{BufRead, BufReader, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::PoisonError;
use std::time::{SystemTime, UNIX_EPOCH};

use super::lab::{Lab, Topology};
use super::{queue, SERIAL};

/// How long a session waits for an answer; answers take milliseconds.
const TIMEOUT: f64 = 3.0;

/// The example plant (without its build), or a copy of it changed by
/// `edit` (file name, text).
pub fn example_copy(edit: impl Fn(&str, &str) -> String) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path, edit: &dyn Fn(&str, &str) -> String) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() && name != "build" {
                copy(&path, &to.join(&name), edit);
            } else if path.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                match String::from_utf8(bytes) {
                    Ok(text) => std::fs::write(to.join(&name), edit(&name, &text)).unwrap(),
                    Err(e) => std::fs::write(to.join(&name), e.into_bytes()).unwrap(),
                }
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guideline-factory"), dir.path(), &edit);
    dir
}

/// A project checked, rendered by `backend` with every device a Linux
/// router named as the lab names it; its policy; and `extra` backends'
/// artifacts too.
pub struct Built {
    pub artifacts: Vec<kojo_backends::Artifact>,
    pub policy: kojo_backends::Policy,
}

pub fn build(dir: &Path, backends: &[&dyn kojo_backends::Backend]) -> Built {
    let checked = kojo_compiler::check_with(
        &kojo_compiler::DiskSource::new(dir),
        &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
    );
    let (Some(model), Some(manifest), Some(catalogue)) =
        (checked.model.as_ref(), checked.manifest.as_ref(), checked.catalogue.as_ref())
    else {
        panic!("{} does not compile:\n{}", dir.display(), kojo::report::render_all(&checked.diagnostics, false));
    };
    let manifest = kojo_compiler::manifest::Manifest { devices: Vec::new(), ..manifest.clone() };
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest: &manifest };
    let mut artifacts = Vec::new();
    for backend in backends {
        artifacts.extend(kojo_backends::render_backend(&request, *backend).unwrap_or_else(|d| {
            panic!("{} cannot render {}:\n{}", backend.name(), dir.display(), kojo::report::render_all(&d, false))
        }));
    }
    let policy = kojo_backends::policy::lower(model, catalogue, &checked.tiers, &Default::default()).unwrap();
    Built { artifacts, policy }
}

/// A lab of the example plant, its topology kept for names.
pub fn lab(built: &Built, model_dir: &Path, short: &str, dir: &Path) -> (Lab, Topology) {
    let checked = kojo_compiler::check_with(
        &kojo_compiler::DiskSource::new(model_dir),
        &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
    );
    let prefix = format!("kojo-pkt-{short}-{}-", std::process::id());
    let topology = Topology::new(checked.model.as_ref().unwrap(), &built.policy, &prefix);
    let lab = Lab::build(&topology, &format!("kojo-pkt-{short}-"), dir).unwrap_or_else(|e| panic!("the lab: {e}"));
    (lab, topology)
}

pub fn zone_ns(topology: &Topology, zone: &str) -> String {
    topology.zones.iter().find(|z| z.name == zone).map(|z| z.ns.clone()).unwrap()
}

pub fn router_ns(topology: &Topology, device: &str) -> String {
    topology.routers.iter().find(|r| r.name == device).map(|r| r.ns.clone()).unwrap()
}

/// `session.py`, running in a namespace, stopped on drop.
pub struct Script {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Script {
    fn start(ns: &str, args: &[&str]) -> Script {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packets/session.py");
        let mut child = Command::new("ip")
            .args(["netns", "exec", ns, "python3", "-S", "-E"])
            .arg(&script)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("session.py in {ns}: {e}"));
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Script { child, stdin, stdout }
    }

    /// Servers in `ns`: (`echo`|`modbus`, address, port).
    pub fn serve(ns: &str, listeners: &[(&str, IpAddr, u16)]) -> Script {
        let mut server = Script::start(ns, &["serve"]);
        let text: String = listeners.iter().map(|(k, a, p)| format!("{k} {a} {p}\n")).collect();
        assert_eq!(server.ask(&format!("{text}\n")), "ready", "the session server in {ns} did not start");
        server
    }

    pub fn client(ns: &str) -> Script {
        Script::start(ns, &["client", &TIMEOUT.to_string()])
    }

    /// Sends `command` and returns the answer line.
    pub fn ask(&mut self, command: &str) -> String {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(command.as_bytes()).unwrap();
        if !command.ends_with('\n') {
            stdin.write_all(b"\n").unwrap();
        }
        stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line.trim().to_string()
    }

    /// What `ping ID` (or another command on session ID) got: `ok`, `reset`…
    pub fn outcome(&mut self, command: &str) -> String {
        let answer = self.ask(command);
        answer.split_once(' ').map(|(_, rest)| rest.to_string()).unwrap_or(answer)
    }
}

impl Drop for Script {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Loads fw_floor's file(s) of `backend` from `artifacts` into `ns`.
pub fn load(lab: &Lab, ns: &str, artifacts: &[kojo_backends::Artifact], dir: &Path, step: &str) -> Vec<String> {
    let mut notes = Vec::new();
    let files: Vec<(&str, &[&str])> = vec![
        ("nftables.nft", &["nft", "-f"]),
        ("iptables.rules", &["iptables-restore"]),
        ("ip6tables.rules", &["ip6tables-restore"]),
    ];
    for (name, command) in files {
        let Some(artifact) = artifacts.iter().find(|a| a.path == format!("fw_floor/{name}")) else { continue };
        let mut text = artifact.content.clone();
        if name == "nftables.nft" && text.contains(queue::QUEUE) && !queue::kernel_has_queue() {
            text = text.replace(queue::QUEUE, "accept");
            notes.push(format!("{step}: nft_queue missing, `{}` loaded as `accept`", queue::QUEUE));
        }
        let path: PathBuf = dir.join(format!("{step}-{name}"));
        std::fs::write(&path, text).unwrap();
        let mut args: Vec<&str> = command.to_vec();
        let path = path.to_string_lossy().into_owned();
        args.push(&path);
        lab.exec(ns, &args).unwrap_or_else(|e| panic!("loading {step} {name}: {e}"));
    }
    notes
}

/// A window of two hours around now (within the day, UTC), and one of an
/// hour that is closed now; `None` within 3 minutes of midnight.
fn windows_now() -> Option<((u16, u16), (u16, u16))> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let minute = u16::try_from(now % 86_400 / 60).unwrap();
    if !(3..1437).contains(&minute) {
        return None;
    }
    let open = (minute.saturating_sub(60), (minute + 60).min(1440));
    let closed = if minute < 720 { (1200, 1260) } else { (60, 120) };
    Some((open, closed))
}

/// How each format writes a slot's hours (`docs/backends/*.md`).
fn hours(nft: bool, (start, end): (u16, u16)) -> String {
    let stop = u32::from(end) * 60 - 1;
    if nft {
        format!("meta hour {}-{stop}", u32::from(start) * 60)
    } else {
        format!(
            "--timestart {:02}:{:02} --timestop {:02}:{:02}:{:02}",
            start / 60,
            start % 60,
            stop / 3600,
            stop / 60 % 60,
            stop % 60
        )
    }
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The example with the AGV flow given the window `open`, and the same
/// without the mounter1 flow.
fn copies(open: (u16, u16)) -> (tempfile::TempDir, tempfile::TempDir) {
    let window = format!("  window \"Mon-Sun {}-{} UTC\"\n", hhmm(open.0), hhmm(open.1));
    let with_window = move |name: &str, text: &str| {
        if name != "conduits.kojo" {
            return text.to_string();
        }
        let marker = "  allow mes -> agv_pc service https\n";
        assert!(text.contains(marker), "the example changed: no `{}`", marker.trim());
        text.replace(marker, &format!("{marker}{window}"))
    };
    let before_dir = example_copy(&with_window);
    let after_dir = example_copy(|name, text| {
        let text = with_window(name, text);
        let removed = "  allow mes -> mounter1 service https\n";
        if name == "conduits.kojo" {
            assert!(text.contains(removed), "the example changed: no `{}`", removed.trim());
        }
        text.replace(removed, "")
    });
    (before_dir, after_dir)
}

/// `before`'s files with the window's hours moved from `open` to `closed`.
fn closed(before: &Built, nft: bool, open: (u16, u16), closed: (u16, u16)) -> Vec<kojo_backends::Artifact> {
    let moved: Vec<kojo_backends::Artifact> = before
        .artifacts
        .iter()
        .map(|a| kojo_backends::Artifact {
            content: a.content.replace(&hours(nft, open), &hours(nft, closed)),
            ..a.clone()
        })
        .collect();
    let fw_floor = |artifacts: &[kojo_backends::Artifact]| {
        artifacts.iter().filter(|a| a.path.starts_with("fw_floor/")).map(|a| a.content.clone()).collect::<String>()
    };
    assert!(fw_floor(&before.artifacts).contains(&hours(nft, open)), "the window is written as expected");
    assert_ne!(fw_floor(&moved), fw_floor(&before.artifacts));
    moved
}

fn revocation(backend: &dyn kojo_backends::Backend, short: &str) {
    let Some((open, shut)) = windows_now() else {
        eprintln!("session test {}: SKIPPED within 3 minutes of midnight UTC", backend.name());
        return;
    };
    let (before_dir, after_dir) = copies(open);
    let before = build(before_dir.path(), &[backend]);
    let after = build(after_dir.path(), &[backend]);
    let closed_rules = closed(&before, backend.name() == "nftables", open, shut);

    let dir = tempfile::tempdir().unwrap();
    let (lab, topology) = lab(&before, before_dir.path(), short, dir.path());
    let router = router_ns(&topology, "fw_floor");
    let address = |a: &str| a.parse::<IpAddr>().unwrap();
    let _servers = [
        Script::serve(&zone_ns(&topology, "control"), &[("echo", address("10.3.0.21"), 443)]),
        Script::serve(&zone_ns(&topology, "monitoring"), &[("echo", address("10.4.0.10"), 4840)]),
        Script::serve(&zone_ns(&topology, "transport"), &[("echo", address("10.5.0.10"), 443)]),
    ];
    let mut client = Script::client(&zone_ns(&topology, "prod_mgmt"));
    // The device's previous, stateful firewall (an accept-all table that
    // tracks connections): a connection it tracks has no ticket (mark 0).
    // Without any tracking, Linux would pick the connection up mid-stream
    // as new (nf_conntrack_tcp_loose) and judge it by the flows.
    let previous = "table inet previous {\n\tchain forward {\n\t\ttype filter hook forward priority filter + 10; \
                    policy accept;\n\t\tct state established,related accept\n\t}\n}\n";
    std::fs::write(dir.path().join("previous.nft"), previous).unwrap();
    lab.exec(&router, &["nft", "-f", &dir.path().join("previous.nft").to_string_lossy()]).unwrap();
    assert_eq!(client.ask("open early 10.2.0.10 10.4.0.10 4840"), "early open");
    assert_eq!(client.outcome("ping early"), "ok");
    let mut notes = load(&lab, &router, &before.artifacts, dir.path(), "before");
    let early = client.outcome("ping early");
    assert_eq!(early, "reset", "{}: a tracked connection no kojo flow opened outlives the first load", backend.name());
    let sessions = [("removed", "10.3.0.21", 443), ("kept", "10.4.0.10", 4840), ("windowed", "10.5.0.10", 443)];
    for (id, destination, port) in sessions {
        assert_eq!(client.ask(&format!("open {id} 10.2.0.10 {destination} {port}")), format!("{id} open"));
        assert_eq!(client.outcome(&format!("ping {id}")), "ok", "{id} works before any reload");
    }
    notes.extend(load(&lab, &router, &after.artifacts, dir.path(), "flow-removed"));
    let removed = client.outcome("ping removed");
    // The client, whose message met the reload, gets a reset. Only it: the
    // server (mounter1) is sent nothing and keeps its half of the
    // connection until its own keepalive or timeout (documented, in
    // docs/backends/nftables.md, as what a reload does not end).
    assert_eq!(removed, "reset", "{}: the removed flow's session", backend.name());
    let server = lab.exec(&zone_ns(&topology, "control"), &["ss", "-Htn", "state", "established", "( sport = :443 )"]);
    assert!(!server.unwrap().trim().is_empty(), "{}: the server's half stays open", backend.name());
    assert_eq!(client.outcome("ping kept"), "ok", "an unchanged flow's session survives the reload");
    assert_eq!(client.outcome("ping windowed"), "ok", "the windowed flow's session survives while its window is open");
    notes.extend(load(&lab, &router, &closed_rules, dir.path(), "window-closed"));
    let windowed = client.outcome("ping windowed");
    assert_eq!(windowed, "reset", "{}: the session of a flow whose window closed", backend.name());
    assert_eq!(client.outcome("ping kept"), "ok", "a flow without a window keeps its session");
    eprintln!(
        "session test {}: a session opened under a previous stateful firewall -> {early} at kojo's first load; \
         3 sessions opened through fw_floor; flow removed -> its session {removed} (client side), 2 kept; \
         window moved to closed (same ticket) -> its session {windowed}, the unwindowed one kept{}",
        backend.name(),
        if notes.is_empty() { String::new() } else { format!("; {}", notes.join("; ")) }
    );
}

#[test]
fn removed_flows_and_closed_windows_end_their_sessions() {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(why) = super::lab::unavailable(&["nft", "iptables-restore"]) {
        if std::env::var("KOJO_SKIP_NETNS").as_deref() == Ok("1") {
            eprintln!("session test SKIPPED (KOJO_SKIP_NETNS=1): {why}");
            return;
        }
        panic!("the session test cannot run: {why}; set KOJO_SKIP_NETNS=1 to skip it");
    }
    revocation(&kojo_backends::nftables::NFTABLES, "sesnft");
    revocation(&kojo_backends::iptables::IPTABLES, "sesipt");
}
