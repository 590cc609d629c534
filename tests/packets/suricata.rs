//! Suricata in NFQ mode (`suricata -q 0`) inside a router's namespace, for
//! the flows kojo's Linux rule sets send inline. Run with the device's
//! generated `suricata-kojo.yaml` (included by a configuration that only
//! adds where the engine logs) and its generated `suricata.rules`; ready
//! when its log says the engine started; stopped on drop, also when a test
//! fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kojo_compiler::model::ConduitId;

use super::lab::Topology;
use super::queue;

/// How long Suricata may take to start (it takes about a second here).
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Suricata {
    child: Child,
    pub log_dir: PathBuf,
}

impl Suricata {
    /// Starts Suricata in `ns` on queue 0 with `rules` and the generated
    /// `settings` (a `suricata-kojo.yaml`), logging under `dir`, and waits
    /// until its engine has started.
    pub fn start(ns: &str, rules: &Path, settings: &str, dir: &Path) -> Result<Suricata, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let kojo = dir.join("suricata-kojo.yaml");
        std::fs::write(&kojo, settings).map_err(|e| e.to_string())?;
        // The generated settings, and only where the engine logs: the log
        // file the readiness check reads, and eve.json with drops.
        let config = dir.join("lab.yaml");
        let lab = format!(
            "%YAML 1.1\n---\ninclude: {}\nstats:\n  enabled: no\nlogging:\n  default-log-level: info\n  outputs:\n    \
             - console:\n        enabled: no\n    - file:\n        enabled: yes\n        level: info\n        \
             filename: suricata.log\noutputs:\n  - eve-log:\n      enabled: yes\n      filetype: regular\n      \
             filename: eve.json\n      types:\n        - alert\n        - drop:\n            alerts: yes\n",
            kojo.display()
        );
        std::fs::write(&config, lab).map_err(|e| e.to_string())?;
        let child = Command::new("ip")
            .args(["netns", "exec", ns, "suricata", "-q", "0", "-k", "none", "-c"])
            .arg(&config)
            .arg("-S")
            .arg(rules)
            .arg("-l")
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run suricata: {e}"))?;
        let mut suricata = Suricata { child, log_dir: dir.to_path_buf() };
        let started = Instant::now();
        loop {
            let log = std::fs::read_to_string(dir.join("suricata.log")).unwrap_or_default();
            if log.contains("Engine started.") {
                return Ok(suricata);
            }
            if let Ok(Some(status)) = suricata.child.try_wait() {
                return Err(format!("suricata exited ({status}) before its engine started:\n{log}"));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!("suricata did not start within {START_TIMEOUT:?}:\n{log}"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The `drop` events Suricata logged so far.
    pub fn drops(&self) -> usize {
        let eve = std::fs::read_to_string(self.log_dir.join("eve.json")).unwrap_or_default();
        eve.lines().filter(|l| l.contains("\"event_type\":\"drop\"") || l.contains("\"action\":\"blocked\"")).count()
    }
}

impl Drop for Suricata {
    fn drop(&mut self) {
        // `ip netns exec` execs suricata, so the child is suricata itself.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Suricata in every router whose generated rules (`artifacts`) queue,
/// with its device's `suricata.rules` from `generated`, written under
/// `rules_dir`; logs under `log_dir`.
pub fn start_gateways(
    topology: &Topology,
    artifacts: &[kojo_backends::Artifact],
    generated: &[kojo_backends::Artifact],
    rules_dir: &Path,
    log_dir: &Path,
) -> Vec<Suricata> {
    let mut gateways = Vec::new();
    for router in &topology.routers {
        let own = artifacts.iter().filter(|a| a.path.starts_with(&format!("{}/", router.name)));
        if !own.into_iter().any(|a| a.content.contains("NFQUEUE") || a.content.contains(queue::QUEUE)) {
            continue;
        }
        let rules_file = rules_dir.join(&router.name).join("suricata.rules");
        let file = |name: &str| {
            let path = format!("{}/{name}", router.name);
            generated.iter().find(|a| a.path == path).map(|a| a.content.clone()).unwrap_or_default()
        };
        std::fs::write(&rules_file, file("suricata.rules")).unwrap();
        let started =
            Suricata::start(&router.ns, &rules_file, &file("suricata-kojo.yaml"), &log_dir.join(&router.name));
        gateways.push(started.unwrap_or_else(|e| panic!("Suricata in {}: {e}", router.name)));
    }
    gateways
}

/// The inline flows (conduit, flow index from 0) whose Suricata rules in
/// `generated` drop, not only alert on, what the flow does not allow: the
/// gateway judges their payloads. Empty when no Suricata runs.
pub fn judged_flows(
    policy: &kojo_backends::Policy,
    catalogue: &kojo_stdlib::Catalogue,
    generated: &[kojo_backends::Artifact],
) -> BTreeSet<(ConduitId, usize)> {
    let rules: String = generated.iter().map(|a| a.content.as_str()).collect();
    policy
        .devices
        .iter()
        .flat_map(|d| d.rules.iter())
        .filter(|r| r.inline(catalogue))
        .filter(|r| rules.lines().any(|l| l.starts_with("drop ") && l.contains(&format!("\"kojo {} ", r.label()))))
        .map(|r| (r.conduit, r.flow - 1))
        .collect()
}
