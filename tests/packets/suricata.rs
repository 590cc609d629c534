//! Suricata in NFQ mode (`suricata -q 0`) inside a router's namespace, for
//! the flows kojo's Linux rule sets send inline. Started with the lab's
//! minimal configuration (`suricata.yaml` beside this file: Modbus parsed,
//! the stream engine inline, no fail-open) and the device's generated
//! rules; ready when its log says the engine started; stopped on drop, also
//! when a test fails.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Suricata may take to start (it takes about a second here).
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub struct Suricata {
    child: Child,
    pub log_dir: PathBuf,
}

impl Suricata {
    /// Starts Suricata in `ns` on queue 0 with `rules`, logging under `dir`,
    /// and waits until its engine has started.
    pub fn start(ns: &str, rules: &Path, dir: &Path) -> Result<Suricata, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packets/suricata.yaml");
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
