//! `kojo drift DEVICE FILE` (issue 9): rule sets exported by the real `nft`
//! and `iptables-save` from network namespaces the tests create, loaded
//! with kojo's own files: no drift; then a rule added by hand and a
//! generated one deleted: drift, with the hand-added rule named by its line
//! (or, in JSON, by its handle). Also hand-written drifted files
//! (snapshots of the report) and the usage errors.
//!
//! The namespace tests need root, iproute2, nft and iptables; they fail
//! when they cannot run, unless `KOJO_SKIP_NETNS=1` (then they say they are
//! skipped). Every namespace is named `kojo-drift-<pid>-…` and removed on
//! drop, also when a test fails; inside, only the plant's own addresses are
//! used, and no interface is created. On a kernel without nftables'
//! `queue` expression, fw_floor's file is loaded with its gateway's queue
//! as `drop` and read back as the queue (see `netfilter/queue.rs`), which
//! the test prints.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "netfilter/queue.rs"]
mod queue;
#[path = "drift/tampering.rs"]
mod tampering;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

const EXAMPLE: &str = "examples/guideline-factory";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn kojo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(repo()).env("NO_COLOR", "1").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
}

/// `kojo drift DEVICE FILE --project PROJECT [extra…]`.
fn drift(device: &str, file: &Path, project: &Path, extra: &[&str]) -> Output {
    let (file, project) = (file.to_string_lossy(), project.to_string_lossy());
    let mut args = vec!["drift", device, &file, "--project", &project];
    args.extend_from_slice(extra);
    kojo(&args)
}

/// A device's generated files, built in memory from the project at `dir`.
fn generated(dir: &Path, device: &str) -> Vec<kojo_backends::Artifact> {
    let checked = kojo_compiler::check_with(
        &kojo_compiler::DiskSource::new(dir),
        &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
    );
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    let policy = kojo_backends::build::policy(&request).unwrap();
    let device = policy.devices.iter().find(|d| d.name == device).unwrap();
    let mut artifacts = Vec::new();
    for backend in
        [&kojo_backends::nftables::NFTABLES as &dyn kojo_backends::Backend, &kojo_backends::iptables::IPTABLES]
    {
        artifacts.extend(kojo_backends::build::render_one(&request, &policy, device, backend).unwrap());
    }
    artifacts
}

fn write_generated(dir: &Path, artifacts: &[kojo_backends::Artifact]) -> PathBuf {
    let out = dir.join("generated");
    std::fs::create_dir_all(&out).unwrap();
    for artifact in artifacts {
        let name = artifact.path.rsplit('/').next().unwrap();
        std::fs::write(out.join(name), &artifact.content).unwrap();
    }
    out
}

/// Why namespaces cannot be made here, if they cannot.
fn unavailable(tools: &[&str]) -> Option<String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for tool in ["ip"].iter().chain(tools) {
        if !std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()) {
            return Some(format!("`{tool}` is not installed (not on PATH)"));
        }
    }
    let probe = Netns::name("canary");
    match run("ip", &["netns", "add", &probe]) {
        Ok(_) => {
            let _ = run("ip", &["netns", "delete", &probe]);
            None
        }
        Err(e) => Some(format!("cannot create a network namespace (root is needed): {e}")),
    }
}

/// Whether to go on: false (after saying so) when namespaces cannot be
/// made and `KOJO_SKIP_NETNS=1`; a failure when they cannot without it.
fn namespaces_available(test: &str, tools: &[&str]) -> bool {
    let Some(why) = unavailable(tools) else { return true };
    if std::env::var("KOJO_SKIP_NETNS").as_deref() == Ok("1") {
        eprintln!("drift test `{test}` SKIPPED (KOJO_SKIP_NETNS=1): {why}");
        return false;
    }
    panic!(
        "the drift test `{test}` cannot run: {why}\nit needs root, iproute2 and {}; set KOJO_SKIP_NETNS=1 to skip it",
        tools.join(", ")
    );
}

fn run(program: &str, args: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `{program}`: {e}"))?;
    if output.status.success() {
        Ok(text(&output.stdout))
    } else {
        Err(format!("`{program} {}` failed ({}): {}", args.join(" "), output.status, text(&output.stderr)))
    }
}

/// A network namespace of this test process, deleted on drop.
struct Netns {
    name: String,
}

impl Netns {
    fn name(what: &str) -> String {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        format!("kojo-drift-{}-{what}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
    }

    fn new(what: &str) -> Netns {
        // Namespaces left by earlier runs whose process is gone.
        for line in run("ip", &["netns", "list"]).unwrap_or_default().lines() {
            let Some(name) = line.split_whitespace().next() else { continue };
            let Some(pid) = name.strip_prefix("kojo-drift-").and_then(|rest| rest.split('-').next()) else { continue };
            if !Path::new("/proc").join(pid).exists() {
                let _ = run("ip", &["netns", "delete", name]);
            }
        }
        let name = Netns::name(what);
        run("ip", &["netns", "add", &name]).unwrap();
        Netns { name }
    }

    /// Runs a command inside; its standard output.
    fn exec(&self, command: &[&str]) -> String {
        let mut args = vec!["netns", "exec", &self.name];
        args.extend_from_slice(command);
        run("ip", &args).unwrap()
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        if let Err(e) = run("ip", &["netns", "delete", &self.name]) {
            eprintln!("drift test: could not remove namespace {}: {e}", self.name);
        }
    }
}

/// The line (from 1) of `text` that contains `needle`, once.
fn line_of(text: &str, needle: &str) -> usize {
    let lines: Vec<usize> = text.lines().enumerate().filter(|(_, l)| l.contains(needle)).map(|(i, _)| i + 1).collect();
    assert_eq!(lines.len(), 1, "`{needle}` should be on one line of:\n{text}");
    lines[0]
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stdout)))
}

/// The handle nft gave the rule whose line contains `needle` (`nft -a`).
fn handle(ns: &Netns, chain: &str, needle: &str) -> String {
    let listing = ns.exec(&["nft", "-a", "list", "chain", "inet", "kojo", chain]);
    let line = listing.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no `{needle}` in:\n{listing}"));
    line.rsplit("# handle ").next().unwrap().trim().to_string()
}

#[test]
fn nft_exports_match_the_model_until_edited_by_hand() {
    if !namespaces_available("nft", &["nft"]) {
        return;
    }
    let example = repo().join(EXAMPLE);
    let dir = tempfile::tempdir().unwrap();
    let files = write_generated(dir.path(), &generated(&example, "fw_floor"));
    let ns = Netns::new("nft");
    let substituted = load_nft(&ns, &files.join("nftables.nft"));
    let export = |name: &str| {
        let (mut listing, mut json) =
            (ns.exec(&["nft", "list", "ruleset"]), ns.exec(&["nft", "-j", "list", "ruleset"]));
        if substituted {
            (listing, json) = (queue_back_text(&listing), queue_back_json(&json));
        }
        let (text_path, json_path) = (dir.path().join(format!("{name}.nft")), dir.path().join(format!("{name}.json")));
        std::fs::write(&text_path, &listing).unwrap();
        std::fs::write(&json_path, json).unwrap();
        (listing, text_path, json_path)
    };
    let (_, clean_text, clean_json) = export("clean");
    clean_exports_match(&[&clean_text, &clean_json], &example);
    tampering::json_edits_are_drift(&clean_json, &example);

    // By hand: telnet from the MES into the control zone, and the SCADA's
    // Modbus rule to plc1 deleted.
    ns.exec(&[
        "nft",
        "add",
        "rule",
        "inet",
        "kojo",
        "prod_mgmt_to_control",
        "ip",
        "saddr",
        "10.2.0.10",
        "tcp",
        "dport",
        "23",
        "accept",
    ]);
    let added = handle(&ns, "prod_mgmt_to_control", "tcp dport 23");
    let generated = handle(&ns, "monitoring_to_control", "conduit monitoring_to_control flow 1\"");
    ns.exec(&["nft", "delete", "rule", "inet", "kojo", "monitoring_to_control", "handle", &generated]);
    let (listing, drifted_text, drifted_json) = export("drifted");

    let out = drift("fw_floor", &drifted_text, &example, &[]);
    assert_exit(&out, 1);
    let report = text(&out.stdout);
    let line = line_of(&listing, "tcp dport 23");
    let named = format!("line {line} (table inet kojo, chain prod_mgmt_to_control): ip saddr 10.2.0.10 tcp dport 23");
    assert_eq!(report.matches(&named).count(), 2, "allowed beyond the model, and not generated:\n{report}");
    assert!(report.contains("ipv4 prod_mgmt -> control: 10.2.0.10 -> any, tcp/23"), "{report}");
    assert!(report.contains("kojo: conduit monitoring_to_control flow 1 ("), "{report}");
    assert!(report.contains("ipv4 monitoring -> control: 10.4.0.10 -> 10.3.0.11, tcp/502"), "{report}");

    let out = drift("fw_floor", &drifted_json, &example, &["--format", "json"]);
    assert_exit(&out, 1);
    let report = json(&out);
    assert_eq!(report["drift"], true);
    assert_eq!(report["format"], "nft-json");
    let extra = &report["allowed_not_modelled"][0];
    assert_eq!(extra["at"]["chain"], "prod_mgmt_to_control");
    assert_eq!(extra["at"]["handle"].to_string(), added);
    assert_eq!(extra["traffic"][0]["service"], "tcp/23");
    assert_eq!(report["not_generated"][0]["at"]["handle"].to_string(), added);
    let missing = &report["modelled_not_allowed"][0];
    assert_eq!((missing["conduit"].as_str(), missing["flow"].as_u64()), (Some("monitoring_to_control"), Some(1)));
    assert_eq!(report["allowed_not_modelled"].as_array().unwrap().len(), 1);
    assert_eq!(report["modelled_not_allowed"].as_array().unwrap().len(), 1);
    assert_eq!(report["frame"].as_array().unwrap().len(), 0);

    // The gateway's queue replaced by `accept`: the inline flows are no
    // longer inspected, which is drift even though the same connections pass.
    ns.exec(&["nft", "flush", "chain", "inet", "kojo", "gateway"]);
    ns.exec(&["nft", "add", "rule", "inet", "kojo", "gateway", "accept"]);
    let (_, uninspected, _) = export("uninspected");
    uninspected_is_drift(&uninspected, &example);
}

fn clean_exports_match(files: &[&Path], example: &Path) {
    for file in files {
        let out = drift("fw_floor", file, example, &[]);
        assert_exit(&out, 0);
        let report = text(&out.stdout);
        // The only note: queued packets are counted as accepted.
        assert!(report.starts_with("notes (1):\n  `queue` hands packets"), "{report}");
        assert!(report.contains("\nno drift: "), "{report}");
    }
}

fn uninspected_is_drift(export: &Path, example: &Path) {
    let out = drift("fw_floor", export, example, &[]);
    assert_exit(&out, 1);
    let report = text(&out.stdout);
    assert!(report.contains("chain gateway): accept"), "{report}");
    assert!(report.contains("lacks kojo's `queue"), "{report}");
}

/// Loads kojo's nftables file into `ns`, as this kernel can (see
/// `netfilter/queue.rs`); whether the queue was replaced.
fn load_nft(ns: &Netns, file: &Path) -> bool {
    let generated = std::fs::read_to_string(file).unwrap();
    let (loadable, note) = queue::loadable(&generated, "fw_floor's nftables.nft");
    if let Some(note) = &note {
        eprintln!("{note}; its export is compared with `drop` read back as `{}`", queue::QUEUE);
    }
    let path = file.with_extension("loadable.nft");
    std::fs::write(&path, loadable).unwrap();
    ns.exec(&["nft", "-f", &path.to_string_lossy()]);
    note.is_some()
}

/// A listing of the file loaded with `drop` for the queue (on a kernel
/// without nft_queue), with the gateway's `drop` read back as the queue.
fn queue_back_text(listing: &str) -> String {
    listing.replace("chain gateway {\n\t\tdrop\n", &format!("chain gateway {{\n\t\t{}\n", queue::QUEUE))
}

/// The same for `nft -j list ruleset`: the gateway's `{"drop": null}`
/// becomes `{"queue": {"num": 0}}`, as nft lists a queue.
fn queue_back_json(json: &str) -> String {
    let mut value: Value = serde_json::from_str(json).unwrap();
    for item in value["nftables"].as_array_mut().unwrap() {
        let Some(rule) = item.get_mut("rule") else { continue };
        if rule["chain"] == "gateway" && rule["expr"] == serde_json::json!([{"drop": null}]) {
            rule["expr"] = serde_json::json!([{"queue": {"num": 0}}]);
        }
    }
    value.to_string()
}

#[test]
fn iptables_exports_match_the_model_until_edited_by_hand() {
    if !namespaces_available("iptables", &["iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save"])
    {
        return;
    }
    let example = repo().join(EXAMPLE);
    let dir = tempfile::tempdir().unwrap();
    let files = write_generated(dir.path(), &generated(&example, "fw_floor"));
    let ns = Netns::new("ipt");
    ns.exec(&["iptables-restore", &files.join("iptables.rules").to_string_lossy()]);
    ns.exec(&["ip6tables-restore", &files.join("ip6tables.rules").to_string_lossy()]);
    let export = |name: &str, families: &[&str]| {
        let saved: String = families.iter().map(|tool| ns.exec(&[tool])).collect();
        let path = dir.path().join(format!("{name}.rules"));
        std::fs::write(&path, &saved).unwrap();
        (saved, path)
    };
    let (_, both) = export("clean", &["iptables-save", "ip6tables-save"]);
    let out = drift("fw_floor", &both, &example, &[]);
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains("(iptables-save; ipv4, ipv6)"), "{}", text(&out.stdout));
    let (_, v4) = export("clean-v4", &["iptables-save"]);
    let out = drift("fw_floor", &v4, &example, &[]);
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains("ipv6 was not compared"), "the model has no IPv6 flow: {}", text(&out.stdout));
    // Without the IPv4 table, the model's IPv4 flows are not compared: drift.
    let (_, v6) = export("clean-v6", &["ip6tables-save"]);
    let out = drift("fw_floor", &v6, &example, &[]);
    assert_exit(&out, 1);
    assert!(text(&out.stdout).contains("`iptables-save; ip6tables-save`"), "{}", text(&out.stdout));

    ns.exec(&[
        "iptables",
        "-A",
        "prod_mgmt_to_control",
        "-s",
        "10.2.0.10",
        "-p",
        "tcp",
        "--dport",
        "23",
        "-j",
        "ACCEPT",
    ]);
    ns.exec(&["iptables", "-D", "monitoring_to_control", "1"]);
    ns.exec(&["ip6tables", "-P", "FORWARD", "ACCEPT"]);
    let (saved, drifted) = export("drifted", &["iptables-save", "ip6tables-save"]);
    let out = drift("fw_floor", &drifted, &example, &[]);
    assert_exit(&out, 1);
    let report = text(&out.stdout);
    let line = line_of(&saved, "--dport 23");
    let named =
        format!("line {line} (table ip filter, chain prod_mgmt_to_control): -A prod_mgmt_to_control -s 10.2.0.10/32");
    assert_eq!(report.matches(&named).count(), 2, "{report}");
    assert!(report.contains("kojo: conduit monitoring_to_control flow 1 ("), "{report}");
    assert!(report.contains("ipv6 any interface -> any interface: any -> any, any traffic"), "{report}");
    assert!(
        report.contains("chain `FORWARD` in table ip6 filter is type filter hook forward, policy accept"),
        "{report}"
    );

    // An inline flow's ticket chain accepting instead of queueing to
    // Suricata: the same connections pass, uninspected, which is drift.
    let listing = ns.exec(&["iptables", "-S"]);
    let queued = listing.lines().find(|l| l.contains("-j NFQUEUE") && !l.contains("kojo_established")).unwrap();
    let chain = queued.split_whitespace().nth(1).unwrap();
    ns.exec(&["iptables", "-R", chain, "2", "-j", "ACCEPT"]);
    let (_, uninspected) = export("uninspected", &["iptables-save", "ip6tables-save"]);
    let report = text(&drift("fw_floor", &uninspected, &example, &[]).stdout);
    assert!(report.contains(&format!("chain {chain}): -A {chain} -j ACCEPT")), "{report}");
    assert!(report.contains(&format!("chain `{chain}` in table ip filter lacks kojo's `-A {chain}")), "{report}");
    assert!(report.contains("so its functions are not inspected inline"), "{report}");
}

/// A dual-stack plant: IPv6 flows, `any`, port ranges and sets, windows.
const LAB: &[(&str, &str)] = &[
    ("kojo.kdl", "project \"lab\"\nprofile \"meti-factory\"\nbackend \"nftables\" \"iptables\"\ndevice \"fw1\" {\n  interface \"internet\" \"wan0\"\n  interface \"control\" \"eth1\"\n}\n"),
    (
        "lab.kojo",
        r#"plant "LAB1" { profile meti-factory }

zone internet "Internet" : untrusted
zone office "Office" {
  subnet 10.10.0.0/24
  subnet fd00:10::/64
}
zone control "Control" {
  subnet 10.20.0.0/24
  subnet fd00:20::/64
  tier high
}

asset fw1 "Lab firewall" {
  kind firewall
  interfaces { internet 203.0.113.1; office 10.10.0.1; control fd00:20::1 }
}
asset pc1 "Dual-stack PC" in office { kind workstation; ip 10.10.0.10; ip fd00:10::10 }
asset pc2 "IPv4 PC" in office { kind workstation; ip 10.10.0.11 }
asset plc1 "PLC" in control { kind plc; ip 10.20.0.10 }
asset scada "SCADA" in control { kind scada; ip 10.20.0.20; ip fd00:20::20 }
asset hist "Historian" in control { kind server; ip fd00:20::30 }

conduit office_to_control "Office to the floor" from office to control {
  allow [pc1, pc2] -> [plc1, scada] service modbus-tcp
  allow pc1 -> hist port [tcp/8080, udp/5000-5010]
  allow any -> scada service [https, dns]
  controls [firewall, device-logs]
  enforced-by fw1
}

conduit internet_to_office "Web server, office hours in Tokyo" from internet to office {
  allow any -> pc1 service https
  controls [firewall]
  enforced-by fw1
  window "Mon-Fri 09:00-18:00 Asia/Tokyo"
}

conduit control_to_internet "Updates" from control to internet {
  allow scada -> any port tcp/443
  controls [firewall]
  enforced-by fw1
}
"#,
    ),
];

fn lab() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in LAB {
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    dir
}

#[test]
fn dual_stack_exports_match_and_ipv6_drift_is_found() {
    if !namespaces_available("dual-stack", &["nft", "iptables-restore", "ip6tables-restore"]) {
        return;
    }
    let project = lab();
    let files = write_generated(project.path(), &generated(project.path(), "fw1"));
    let ns = Netns::new("lab");
    ns.exec(&["nft", "-f", &files.join("nftables.nft").to_string_lossy()]);
    for (args, name) in
        [(&["nft", "list", "ruleset"][..], "lab.nft"), (&["nft", "-j", "list", "ruleset"][..], "lab.json")]
    {
        let path = project.path().join(name);
        std::fs::write(&path, ns.exec(args)).unwrap();
        let out = drift("fw1", &path, project.path(), &[]);
        assert_exit(&out, 0);
        assert!(text(&out.stdout).contains("time windows are not compared"), "{}", text(&out.stdout));
    }
    ns.exec(&[
        "nft",
        "add",
        "rule",
        "inet",
        "kojo",
        "office_to_control",
        "ip6",
        "daddr",
        "fd00:20::30",
        "tcp",
        "dport",
        "22",
        "accept",
    ]);
    let path = project.path().join("lab-drifted.nft");
    let listing = ns.exec(&["nft", "list", "ruleset"]);
    std::fs::write(&path, &listing).unwrap();
    let out = drift("fw1", &path, project.path(), &[]);
    assert_exit(&out, 1);
    let line = line_of(&listing, "tcp dport 22");
    let report = text(&out.stdout);
    assert!(report.contains(&format!("line {line} (table inet kojo, chain office_to_control)")), "{report}");
    assert!(report.contains("ipv6 office -> eth1 (control): any -> fd00:20::30, tcp/22"), "{report}");

    ns.exec(&["nft", "flush", "ruleset"]);
    ns.exec(&["iptables-restore", &files.join("iptables.rules").to_string_lossy()]);
    ns.exec(&["ip6tables-restore", &files.join("ip6tables.rules").to_string_lossy()]);
    let saved = ns.exec(&["iptables-save"]) + &ns.exec(&["ip6tables-save"]);
    let path = project.path().join("lab.rules");
    std::fs::write(&path, saved).unwrap();
    assert_exit(&drift("fw1", &path, project.path(), &[]), 0);
}

fn snapshot(name: &str, out: &Output) {
    insta::with_settings!({ snapshot_path => "snapshots/drift", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text(&out.stdout));
    });
}

#[test]
fn hand_written_drift_is_reported() {
    let example = Path::new(EXAMPLE);
    let out = drift("fw_floor", Path::new("tests/drift/fw_floor-drifted.nft"), example, &[]);
    assert_exit(&out, 1);
    snapshot("fw_floor-drifted.nft", &out);
    let out = drift("fw_floor", Path::new("tests/drift/fw_floor-drifted.rules"), example, &[]);
    assert_exit(&out, 1);
    snapshot("fw_floor-drifted.rules", &out);
    let out = drift("fw_floor", Path::new("tests/drift/fw_floor-drifted.nft"), example, &["--format", "json"]);
    assert_exit(&out, 1);
    let report = json(&out);
    assert_eq!((report["version"].as_u64(), report["exit_code"].as_u64()), (Some(1), Some(1)));
    let extras: Vec<&str> =
        report["allowed_not_modelled"].as_array().unwrap().iter().map(|e| e["at"]["chain"].as_str().unwrap()).collect();
    assert_eq!(extras, ["monitoring_to_control", "prod_mgmt_to_control"]);
    assert_eq!(report["allowed_not_modelled"][0]["carries"], "conduit monitoring_to_control flow 1");
    assert_eq!(report["modelled_not_allowed"][1]["blocked_by"][0].as_str().unwrap().split(':').next(), Some("line 68"));
}

#[test]
fn the_committed_build_has_no_drift() {
    let example = Path::new(EXAMPLE);
    for file in ["nftables.nft", "iptables.rules"] {
        let out = drift("fw_floor", &example.join("build/fw_floor").join(file), example, &[]);
        assert_exit(&out, 0);
    }
}

#[test]
fn usage_errors_exit_2_and_broken_projects_3() {
    let example = Path::new(EXAMPLE);
    let file = Path::new("tests/drift/fw_floor-drifted.nft");
    let out = drift("fw_flor", file, example, &[]);
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("did you mean `fw_floor`?"), "{}", text(&out.stderr));
    let out = drift("mes", file, example, &[]);
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("`mes` enforces no conduit"), "{}", text(&out.stderr));

    let dir = tempfile::tempdir().unwrap();
    for (name, content) in
        [("garbage.txt", "hello world\n"), ("empty.txt", ""), ("broken.nft", "table inet kojo {\n chain x {\n")]
    {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let out = drift("fw_floor", &path, example, &[]);
        assert_exit(&out, 2);
    }
    let out = drift("fw_floor", &dir.path().join("broken.nft"), example, &[]);
    assert!(text(&out.stderr).contains("line 2: chain `x` is not closed"), "{}", text(&out.stderr));
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge).unwrap().set_len(65 * 1024 * 1024).unwrap();
    let out = drift("fw_floor", &huge, example, &[]);
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("larger than 64 MiB"), "{}", text(&out.stderr));
    assert_exit(&drift("fw_floor", dir.path(), example, &[]), 2);
    assert_exit(&drift("fw_floor", &dir.path().join("missing.nft"), example, &[]), 2);

    let broken = tempfile::tempdir().unwrap();
    std::fs::write(broken.path().join("kojo.kdl"), "project \"x\"\n").unwrap();
    std::fs::write(broken.path().join("plant.kojo"), "zone {\n").unwrap();
    assert_exit(&drift("fw_floor", &repo().join(file), broken.path(), &[]), 3);
}
