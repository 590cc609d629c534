//! Runs Suricata on generated files: `suricata -T` with the generated
//! configuration, and a capture replayed as an IPS would see it
//! (`--simulate-ips`), read back from `eve.json`: every dropped packet
//! (`drop` events with their TCP sequence numbers) and every alert, by the
//! client port of the case it belongs to.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Command;

use kojo_backends::Artifact;

use super::pcap::{Capture, Tcp};

/// The test plant's addresses.
pub struct Hosts {
    pub hmi: [u8; 4],
    pub eng: [u8; 4],
    pub diag: [u8; 4],
    pub rtu: [u8; 4],
    pub drive: [u8; 4],
    pub plc: [u8; 4],
    pub lab_plc: [u8; 4],
}

/// What must happen to a case's connection.
pub enum Expect {
    /// Nothing dropped, nothing alerted.
    Pass,
    /// These client segments (by sequence number; none for UDP) dropped,
    /// by a rule whose message holds the text.
    Drop(Vec<u32>, &'static str),
    /// Nothing dropped; an alert whose message holds the text.
    Alert(&'static str),
    /// This client segment dropped by the engine itself, no rule matching:
    /// the exception policy, with the drop's `reason` (`applayer error`).
    Refused(u32, &'static str),
}

impl Expect {
    pub fn drop(seq: u32, why: &'static str) -> Expect {
        Expect::Drop(vec![seq], why)
    }

    pub fn drops(seqs: &[u32], why: &'static str) -> Expect {
        Expect::Drop(seqs.to_vec(), why)
    }
}

/// A case's body: what the client and server send, and what must happen.
pub type Body<'a> = &'a dyn Fn(&mut Capture, &mut Tcp) -> Expect;

/// Cases and the one capture that holds all their connections.
#[derive(Default)]
pub struct Cases {
    pub capture: Capture,
    pub cases: Vec<Case>,
}

impl Cases {
    /// A TCP connection from `client` to `server:port`, its handshake done,
    /// then `body`.
    pub fn tcp(&mut self, name: &'static str, client: [u8; 4], server: ([u8; 4], u16), body: Body<'_>) {
        let client_port = next_port();
        let (server, port) = server;
        let mut tcp =
            Tcp::open(&mut self.capture, (Ipv4Addr::from(client), client_port), (Ipv4Addr::from(server), port));
        let expect = body(&mut self.capture, &mut tcp);
        self.cases.push(Case { name, client_port, expect });
    }

    /// Like [`Cases::tcp`], on a connection whose handshake the capture
    /// does not hold (it was open before Suricata started).
    pub fn tcp_midstream(&mut self, name: &'static str, client: [u8; 4], server: ([u8; 4], u16), body: Body<'_>) {
        let client_port = next_port();
        let (server, port) = server;
        let mut tcp = Tcp::midstream((Ipv4Addr::from(client), client_port), (Ipv4Addr::from(server), port));
        let expect = body(&mut self.capture, &mut tcp);
        self.cases.push(Case { name, client_port, expect });
    }

    /// UDP datagrams from `client` to `server:port`.
    pub fn udp(
        &mut self,
        name: &'static str,
        client: [u8; 4],
        (server, port): ([u8; 4], u16),
        datagrams: &[Vec<u8>],
        expect: Expect,
    ) {
        let client_port = next_port();
        for data in datagrams {
            self.capture.udp((Ipv4Addr::from(client), client_port), (Ipv4Addr::from(server), port), data);
        }
        self.cases.push(Case { name, client_port, expect });
    }
}

/// One connection of a capture and what must happen to it.
pub struct Case {
    name: &'static str,
    /// Unique per case: how events are told apart.
    client_port: u16,
    expect: Expect,
}

/// Client ports count up from here, one per case, across the whole run:
/// above every server port the plant uses (44818 the highest).
static NEXT_PORT: std::sync::atomic::AtomicU16 = std::sync::atomic::AtomicU16::new(50_000);

fn next_port() -> u16 {
    NEXT_PORT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Case {
    /// Why the case failed, or `None`.
    pub fn failure(&self, events: &Events) -> Option<String> {
        let empty = Seen::default();
        let seen = events.get(&self.client_port).unwrap_or(&empty);
        let problem = match &self.expect {
            Expect::Pass if seen.drops.is_empty() && seen.alerts.is_empty() => return None,
            Expect::Pass => "expected to pass".to_string(),
            Expect::Drop(seqs, why) => {
                let dropped = if seqs.is_empty() {
                    !seen.drops.is_empty()
                } else {
                    seqs.iter().all(|s| seen.drops.iter().any(|(seq, _)| *seq == Some(u64::from(*s))))
                };
                let by = seen.alerts.iter().any(|(action, msg)| action == "blocked" && msg.contains(why));
                if dropped && by {
                    return None;
                }
                format!("expected segments {seqs:?} dropped by a rule saying `{why}`")
            }
            Expect::Alert(why) => {
                let by = seen.alerts.iter().any(|(action, msg)| action == "allowed" && msg.contains(why));
                if seen.drops.is_empty() && by {
                    return None;
                }
                format!("expected an alert saying `{why}` and no drop")
            }
            Expect::Refused(seq, reason) => {
                if seen.alerts.is_empty() && seen.drops.contains(&(Some(u64::from(*seq)), (*reason).to_string())) {
                    return None;
                }
                format!("expected segment {seq} dropped for `{reason}`, no alert")
            }
        };
        Some(format!(
            "- {} (client port {}): {problem}; dropped {:?}, alerts {:?}",
            self.name, self.client_port, seen.drops, seen.alerts
        ))
    }
}

/// What the engine did to one connection.
#[derive(Default, Debug)]
pub struct Seen {
    /// Dropped packets from the client: their TCP sequence numbers, and
    /// why (`rules`, `applayer error`, …).
    pub drops: Vec<(Option<u64>, String)>,
    /// `(action, message)` of every alert.
    pub alerts: Vec<(String, String)>,
}

/// By client port.
pub type Events = BTreeMap<u16, Seen>;

fn skip_tools() -> bool {
    std::env::var("KOJO_SKIP_TOOLS").is_ok_and(|v| v == "1")
}

/// An operator's `suricata.yaml`, with settings of its own that the
/// generated file must leave alone, its own rules, where the tests read the
/// engine's events, and the generated file included last as documented.
pub const OPERATOR: &str = "%YAML 1.1
---
default-rule-path: {dir}
rule-files:
  - operator.rules
stats:
  enabled: no
flow:
  memcap: 77mb
stream:
  memcap: 99mb
  reassembly:
    memcap: 333mb
app-layer:
  protocols:
    http:
      enabled: yes
      libhtp:
        default-config:
          personality: IDS
outputs:
  - eve-log:
      enabled: yes
      filetype: regular
      filename: eve.json
      types:
        - alert
        - drop:
            alerts: yes
            flows: all
include: {include}
";

/// The operator's own rule: on a port no case uses.
const OPERATOR_RULE: &str = "alert tcp any any -> any 9 (msg:\"operator rule\"; sid:1; rev:1;)\n";

/// A directory holding a device's generated files, installed into an
/// operator's configuration (`OPERATOR`).
pub struct Engine {
    dir: tempfile::TempDir,
    rules: usize,
    name: String,
}

impl Engine {
    /// `None` when `suricata` is missing and `KOJO_SKIP_TOOLS=1`.
    pub fn new(yaml: &Artifact, rules: &Artifact) -> Option<Engine> {
        match Command::new("suricata").arg("-V").output() {
            Ok(out) if out.status.success() => {}
            other if skip_tools() => {
                eprintln!("skipping the Suricata engine ({other:?}), KOJO_SKIP_TOOLS=1");
                return None;
            }
            other => {
                panic!("suricata: {other:?}; install Suricata 7 (`apt-get install suricata`), or set KOJO_SKIP_TOOLS=1")
            }
        }
        let dir = tempfile::tempdir().unwrap();
        // Installed as documented, in a directory of the test's own.
        let installed = yaml.content.replace("/etc/suricata/kojo/", &format!("{}/", dir.path().display()));
        std::fs::write(dir.path().join("suricata-kojo.yaml"), installed).unwrap();
        std::fs::write(dir.path().join("suricata.rules"), &rules.content).unwrap();
        std::fs::write(dir.path().join("operator.rules"), OPERATOR_RULE).unwrap();
        let config = OPERATOR
            .replace("{dir}", &dir.path().display().to_string())
            .replace("{include}", &dir.path().join("suricata-kojo.yaml").display().to_string());
        std::fs::write(dir.path().join("test.yaml"), config).unwrap();
        let count = rules.content.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).count();
        Some(Engine { dir, rules: count + 1, name: rules.path.clone() })
    }

    fn command(&self) -> Command {
        let mut command = Command::new("suricata");
        command.arg("-c").arg(self.dir.path().join("test.yaml")).arg("-l").arg(self.dir.path());
        command
    }

    /// Replaces the operator's configuration by `edit` of it.
    pub fn edit_config(&self, edit: impl Fn(&str) -> String) {
        let path = self.dir.path().join("test.yaml");
        let config = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edit(&config)).unwrap();
    }

    /// `suricata -T`'s output, whatever its outcome.
    pub fn test_log(&self) -> String {
        let out = self.command().arg("-T").output().unwrap();
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    }

    /// `suricata --dump-config`: every setting in force, `key = value`.
    pub fn dump_config(&self) -> String {
        let out = self.command().arg("--dump-config").output().unwrap();
        assert!(out.status.success(), "{}: suricata --dump-config failed", self.name);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `suricata -T`: the configuration loads, and with it every rule.
    pub fn test(&self) {
        let out = self.command().arg("-T").output().unwrap();
        let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{}: suricata -T failed:\n{log}", self.name);
        let loaded = format!("{} rules successfully loaded, 0 rules failed", self.rules);
        assert!(log.contains(&loaded), "{}: expected `{loaded}`:\n{log}", self.name);
        for line in log.lines() {
            assert!(!line.starts_with("Error") && !line.contains("E: "), "{}: {line}", self.name);
        }
    }

    /// Replays the capture inline and reads what was dropped and alerted.
    pub fn replay(&self, capture: &Capture) -> Events {
        let pcap: PathBuf = self.dir.path().join("capture.pcap");
        std::fs::write(&pcap, capture.bytes()).unwrap();
        let out = self.command().arg("-r").arg(&pcap).args(["--simulate-ips", "-k", "none"]).output().unwrap();
        let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{}: suricata -r failed:\n{log}", self.name);
        let eve = std::fs::read_to_string(self.dir.path().join("eve.json")).unwrap();
        if let Ok(keep) = std::env::var("KOJO_SURICATA_KEEP") {
            std::fs::create_dir_all(&keep).unwrap();
            for file in ["eve.json", "capture.pcap", "suricata.rules", "test.yaml", "suricata-kojo.yaml"] {
                std::fs::copy(self.dir.path().join(file), Path::new(&keep).join(file)).unwrap();
            }
        }
        let mut events = Events::new();
        for line in eve.lines() {
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            let port = |key: &str| event[key].as_u64().and_then(|p| u16::try_from(p).ok());
            let (Some(src), Some(dst)) = (port("src_port"), port("dest_port")) else { continue };
            match event["event_type"].as_str() {
                // The client's packets: the server's port is the lower one.
                Some("drop") if src > dst => {
                    let reason = event["drop"]["reason"].as_str().unwrap_or_default().to_string();
                    events.entry(src).or_default().drops.push((event["drop"]["tcpseq"].as_u64(), reason));
                }
                Some("alert") => {
                    let client = if src > dst { src } else { dst };
                    let alert = &event["alert"];
                    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
                    events.entry(client).or_default().alerts.push((text(&alert["action"]), text(&alert["signature"])));
                }
                _ => {}
            }
        }
        events
    }
}
