//! End-to-end tests of `kojo build`, `kojo build --check`, `kojo query` and
//! `kojo explain --artifact` on small projects: what is written, that a
//! failed build leaves the previous outputs untouched, drift, and bad input.
//! The formats themselves are tested in `firewalls.rs`, `vendor_firewalls.rs`
//! and `gateways.rs`; these tests use the `json` backend.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::{Command, Output};

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

const PLANT: &str = r#"plant "T" { name "Test" }
zone internet "Internet" : untrusted
zone a "A" { subnet 10.1.0.0/24 }
zone b "B" { subnet 10.2.0.0/24 }
asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; a 10.1.0.1; b 10.2.0.1 }
}
asset fw2 "FW 2" {
  kind firewall
  interfaces { a 10.1.0.2; b 10.2.0.2 }
}
asset h1 "H1" in a { kind server  ip 10.1.0.10 }
asset s1 "S1" in b { kind server  ip 10.2.0.10  services [https] }
conduit a_to_b from a to b {
  allow h1 -> s1 service https
  enforced-by fw
}
conduit b_to_a from b to a {
  allow s1 -> h1 port tcp/8080
  enforced-by fw2
}
"#;

fn project(manifest: &str, plant: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), manifest).unwrap();
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    dir
}

const MANIFEST: &str = "project \"t\"\nbackend \"json\"\n";

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap()
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn build_writes_every_device_and_is_deterministic() {
    let dir = project(MANIFEST, PLANT);
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains("built 2 files for 2 devices"), "{}", text(&out.stdout));
    assert_eq!(files(&dir.path().join("build")), ["fw/policy.json", "fw2/policy.json", "kojo-index.txt"]);
    let first = read(dir.path(), "build/fw/policy.json");
    assert!(first.contains("\"origin\":\"plant.kojo:16\""), "origins are relative to the project: {first}");
    serde_json::from_str::<serde_json::Value>(&first).unwrap();

    // The same bytes again, from another working directory and path.
    let out = kojo(&["build", dir.path().to_str().unwrap()], Path::new("/"));
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains("(0 changed)"), "{}", text(&out.stdout));
    assert_eq!(read(dir.path(), "build/fw/policy.json"), first);
}

#[test]
fn check_reports_drift_missing_and_stale_files() {
    let dir = project(MANIFEST, PLANT);
    let missing = kojo(&["build", "--check"], dir.path());
    assert_exit(&missing, 1);
    assert!(text(&missing.stderr).contains("missing:"), "{}", text(&missing.stderr));

    assert_exit(&kojo(&["build"], dir.path()), 0);
    let clean = kojo(&["build", "--check"], dir.path());
    assert_exit(&clean, 0);
    assert!(text(&clean.stdout).contains("up to date"));

    let path = dir.path().join("build/fw/policy.json");
    let edited = read(dir.path(), "build/fw/policy.json").replace("10.2.0.10", "10.2.0.99");
    std::fs::write(&path, edited).unwrap();
    let changed = kojo(&["build", "--check"], dir.path());
    assert_exit(&changed, 1);
    assert!(text(&changed.stderr).contains("changed:") && text(&changed.stderr).contains("policy.json"));

    // fw2 no longer enforces anything: its file is stale, then removed by a build.
    std::fs::write(dir.path().join("plant.kojo"), PLANT.replace("enforced-by fw2", "enforced-by fw")).unwrap();
    assert_exit(&kojo(&["build"], dir.path()), 0);
    // A conduit without a device is said to get no rules.
    std::fs::write(dir.path().join("plant.kojo"), PLANT.replace("  enforced-by fw2\n", "")).unwrap();
    let unenforced = kojo(&["build", "--check"], dir.path());
    assert!(
        text(&unenforced.stderr).contains("note: conduit `b_to_a` (plant.kojo:19) has no `enforced-by`"),
        "{}",
        text(&unenforced.stderr)
    );
    std::fs::write(dir.path().join("plant.kojo"), PLANT.replace("enforced-by fw2", "enforced-by fw")).unwrap();
    std::fs::create_dir_all(dir.path().join("build/fw2")).unwrap();
    std::fs::write(dir.path().join("build/fw2/policy.json"), "{}").unwrap();
    std::fs::write(dir.path().join("build/kojo-index.txt"), "fw/policy.json\nfw2/policy.json\n").unwrap();
    let stale = kojo(&["build", "--check"], dir.path());
    assert_exit(&stale, 1);
    assert!(text(&stale.stderr).contains("stale:"), "{}", text(&stale.stderr));
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert!(!dir.path().join("build/fw2").exists(), "a build removes what it no longer generates");
    assert_exit(&kojo(&["build", "--check"], dir.path()), 0);
}

#[test]
fn a_failed_build_leaves_the_previous_outputs_untouched() {
    let dir = project(MANIFEST, PLANT);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    let before = read(dir.path(), "build/fw/policy.json");
    // A host without an address cannot be rendered (fail closed), and the
    // other device's file must not be rewritten either.
    let broken = PLANT
        .replace("allow h1 -> s1 service https", "allow h1 -> s1 service https\n  allow h2 -> s1 service ssh")
        + "asset h2 \"H2\" in a { kind workstation }\n";
    std::fs::write(dir.path().join("plant.kojo"), &broken).unwrap();
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 3);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("KOJO-E0401") && stderr.contains("`h2` has no address in zone `a`"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(read(dir.path(), "build/fw/policy.json"), before);
    assert_eq!(
        files(&dir.path().join("build")),
        ["fw/policy.json", "fw2/policy.json", "kojo-index.txt"],
        "no temp files"
    );
}

#[test]
fn an_unwritable_output_is_an_io_error_and_writes_nothing() {
    let dir = project(&format!("{MANIFEST}output \"out/build\"\n"), PLANT);
    std::fs::write(dir.path().join("out"), "a file where the output directory should be").unwrap();
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("KOJO-E0107") && text(&out.stderr).contains("no file was changed"));
    assert_eq!(read(dir.path(), "out"), "a file where the output directory should be");
}

#[test]
fn output_paths_cannot_escape_the_project() {
    for output in ["../elsewhere", "/tmp/kojo-escape", "build/../../x", ""] {
        let dir = project(&format!("{MANIFEST}output \"{output}\"\n"), PLANT);
        let out = kojo(&["build"], dir.path());
        assert_exit(&out, 2);
        assert!(text(&out.stderr).contains("KOJO-E0403"), "{output}: {}", text(&out.stderr));
    }
}

#[test]
fn device_settings_are_checked_against_the_model() {
    let manifest = "project \"t\"\nbackend \"json\"\ndevice \"fw3\" { timezone \"UTC\" }\ndevice \"h1\" { }\ndevice \"fw\" {\n  interface \"c\" \"eth9\"\n  interface \"a\" \"eth 1\"\n  timezone \"Asia/Tokio\"\n}\n";
    let dir = project(manifest, PLANT);
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 3);
    let stderr = text(&out.stderr);
    assert_eq!(stderr.matches("kojo explain KOJO-E0402").count(), 5, "{stderr}");
    for expected in [
        "no asset `fw3`",
        "did you mean `fw`?",
        "`h1` enforces no conduit",
        "no interface in zone `c`",
        "`eth 1` is not an interface name",
        "`Asia/Tokio` is not a time zone",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    assert!(!dir.path().join("build").exists());
}

#[test]
fn device_blocks_choose_backends_and_interface_names() {
    let manifest = "project \"t\"\ndevice \"fw\" {\n  backend \"json\"\n  interface \"a\" \"eth1\"\n}\n";
    let dir = project(manifest, PLANT);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert_eq!(files(&dir.path().join("build")), ["fw/policy.json", "kojo-index.txt"], "fw2 selects no backend");
    assert!(read(dir.path(), "build/fw/policy.json").contains("\"name\":\"eth1\""));
}

#[test]
fn nothing_to_build_says_how_to_select_a_backend() {
    let dir = project("project \"t\"\n", PLANT);
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("selects no backend"));
}

#[test]
fn functions_need_a_gateway_that_enforces_them() {
    let plant = PLANT
        .replace(
            "asset s1 \"S1\" in b { kind server  ip 10.2.0.10  services [https] }",
            "asset s1 \"S1\" in b { kind plc  ip 10.2.0.10  services [modbus-tcp] }",
        )
        .replace("allow h1 -> s1 service https", "allow h1 -> s1 service modbus-tcp { functions [read] }");
    let dir = project(MANIFEST, &plant);
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 3);
    let stderr = text(&out.stderr);
    let flat = stderr.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("KOJO-E0401") && flat.contains("no backend built for `fw` (json) inspects modbus-tcp"),
        "{stderr}"
    );
    assert!(stderr.contains("suricata"), "the help names the backend that would: {stderr}");
}

#[test]
fn explain_artifact_traces_a_line_to_its_flow() {
    let dir = project(MANIFEST, PLANT);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    let content = read(dir.path(), "build/fw/policy.json");
    let line = content.lines().position(|l| l.contains("\"conduit\":\"a_to_b\"")).unwrap() + 1;
    let out = kojo(&["explain", "--artifact", &format!("build/fw/policy.json:{line}")], dir.path());
    assert_exit(&out, 0);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("renders conduit a_to_b, flow 1 (plant.kojo:16): allow h1 -> s1 service https"),
        "{stdout}"
    );
    let frame = kojo(&["explain", "--artifact", "build/fw/policy.json:1"], dir.path());
    assert_exit(&frame, 0);
    assert!(text(&frame.stdout).contains("renders no single flow"));
    for bad in ["build/fw/policy.json", "build/fw/policy.json:999", "plant.kojo:1", "nope.nft:1"] {
        let out = kojo(&["explain", "--artifact", bad], dir.path());
        assert_exit(&out, 2);
    }
}

#[test]
fn query_answers_from_the_model() {
    let dir = project(MANIFEST, PLANT);
    let allowed = kojo(&["query", "h1", "s1", "tcp/443"], dir.path());
    assert_exit(&allowed, 0);
    assert!(text(&allowed.stdout).contains("by conduit a_to_b, flow 1 (plant.kojo:16)"), "{}", text(&allowed.stdout));
    assert!(text(&allowed.stdout).contains("enforced by fw"));
    let port = kojo(&["query", "h1", "s1", "22/tcp"], dir.path());
    assert_exit(&port, 1);
    assert!(text(&port.stdout).contains("do not carry this port"));
    let reverse = kojo(&["query", "10.2.0.10", "10.1.0.10", "https"], dir.path());
    assert_exit(&reverse, 1);
    let json = kojo(&["query", "--format", "json", "s1", "h1", "tcp/8080"], dir.path());
    assert_exit(&json, 0);
    let value: serde_json::Value = serde_json::from_str(&text(&json.stdout)).unwrap();
    assert_eq!(value["flows"][0]["conduit"], "b_to_a");
    let internet = kojo(&["query", "192.0.2.1@internet", "h1"], dir.path());
    assert_exit(&internet, 1);
    assert!(text(&internet.stdout).contains("no conduit runs from zone internet to zone a"));
    for bad in [["h9", "s1"], ["8.8.8.8", "s1"], ["fw", "s1"], ["h1", "s1@a"]] {
        assert_exit(&kojo(&["query", bad[0], bad[1]], dir.path()), 2);
    }
    assert_exit(&kojo(&["query", "h1", "s1", "tcp/0"], dir.path()), 2);
}

/// The build's own diagnostics, rendered as users see them (snapshots).
#[test]
fn build_diagnostics_snapshots() {
    use kojo_compiler::MemorySource;
    let render = |manifest: &str, plant: &str| -> String {
        let mut source = MemorySource::new("t").with_file("plant.kojo", plant);
        source.manifest = Some(manifest.to_string());
        let options = kojo_compiler::Options { backends: kojo_backends::names(), today: None };
        let checked = kojo_compiler::check_with(&source, &options);
        let (model, manifest, catalogue) =
            (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
        let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
        let diagnostics = kojo_backends::build(&request).err().unwrap();
        kojo::report::render_all(&diagnostics, false)
    };
    let functions = PLANT
        .replace(
            "asset s1 \"S1\" in b { kind server  ip 10.2.0.10  services [https] }",
            "asset s1 \"S1\" in b { kind plc  ip 10.2.0.10  services [modbus-tcp] }",
        )
        .replace("allow h1 -> s1 service https", "allow h1 -> s1 service modbus-tcp { functions [read] }");
    let no_address = PLANT.replace("allow h1 -> s1 service https", "allow h2 -> s1 service https")
        + "asset h2 \"H2\" in a { kind workstation }\n";
    let long_name =
        "project \"t\"\nbackend \"nftables\"\ndevice \"fw\" { interface \"b\" \"a-very-long-interface-name\" }\n";
    let devices = "project \"t\"\nbackend \"json\"\ndevice \"fw3\" { }\ndevice \"fw\" {\n  interface \"c\" \"eth9\"\n  timezone \"Asia/Tokio\"\n}\n";
    let to_device =
        PLANT.replace("allow h1 -> s1 service https", "allow h1 -> s1 service https\n  allow h1 -> fw service ssh");
    insta::with_settings!({ snapshot_path => "snapshots/build", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("E0401-flow-to-the-enforcing-device", render(MANIFEST, &to_device));
        insta::assert_snapshot!("E0401-functions-without-gateway", render(MANIFEST, &functions));
        insta::assert_snapshot!("E0401-host-without-address", render(MANIFEST, &no_address));
        insta::assert_snapshot!("E0401-interface-name-too-long", render(long_name, PLANT));
        insta::assert_snapshot!("E0402-device-settings", render(devices, PLANT));
    });
}

/// The example's generated configurations are committed (GitOps): they must
/// be exactly what the source generates, in every format.
#[test]
fn the_example_build_is_committed_and_up_to_date() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = kojo(&["build", "--check", "examples/guideline-factory"], repo);
    assert_exit(&out, 0);
    let index = read(&repo.join("examples/guideline-factory"), "build/kojo-index.txt");
    for format in [
        "nftables.nft",
        "iptables.rules",
        "suricata.rules",
        "fortigate.conf",
        "cisco-asa.cfg",
        "juniper-srx.set",
        "remote-access.json",
    ] {
        assert!(index.contains(format), "the example exercises {format}: {index}");
    }
}

#[test]
fn build_never_writes_or_deletes_through_a_symbolic_link() {
    let victim = tempfile::tempdir().unwrap();
    std::fs::write(victim.path().join("secret.txt"), "keep me").unwrap();
    // A device directory that is a link out of the project, listed as stale.
    let dir = project(MANIFEST, PLANT);
    std::fs::create_dir_all(dir.path().join("build")).unwrap();
    std::os::unix::fs::symlink(victim.path(), dir.path().join("build/evil")).unwrap();
    std::fs::write(dir.path().join("build/kojo-index.txt"), "evil/secret.txt\n").unwrap();
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert_eq!(read(victim.path(), "secret.txt"), "keep me");
    // A device directory that is a link out: refused, nothing written there.
    let dir = project(MANIFEST, PLANT);
    std::fs::create_dir_all(dir.path().join("build")).unwrap();
    std::os::unix::fs::symlink(victim.path(), dir.path().join("build/fw")).unwrap();
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("leads outside the project"), "{}", text(&out.stderr));
    assert!(!victim.path().join("policy.json").exists());
    // The output directory itself a link out of the project: refused.
    let dir = project(MANIFEST, PLANT);
    std::os::unix::fs::symlink(victim.path(), dir.path().join("build")).unwrap();
    assert_exit(&kojo(&["build"], dir.path()), 2);
    assert_eq!(std::fs::read_dir(victim.path()).unwrap().count(), 1);
}

#[test]
fn generated_files_are_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(MANIFEST, PLANT);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    let mode = std::fs::metadata(dir.path().join("build/fw/policy.json")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn gateway_only_devices_and_empty_builds_are_said() {
    // remote-access only: no device has a remote-access conduit, so no file.
    let dir = project("project \"t\"\nbackend \"remote-access\"\n", PLANT);
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains("built 0 files"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("no firewall format is selected for `fw`"), "{}", text(&out.stderr));
    assert_exit(&kojo(&["build", "--check"], dir.path()), 0);
}

#[test]
fn zones_and_interfaces_that_would_widen_a_rule_fail_closed() {
    // `any` in an internal zone without a subnet.
    let plant = PLANT
        .replace("zone b \"B\" { subnet 10.2.0.0/24 }", "zone b \"B\"")
        .replace("allow h1 -> s1 service https", "allow h1 -> any service https");
    let dir = project(MANIFEST, &plant);
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 3);
    let flat = text(&out.stderr).replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("`any` host in zone `b`, which has no subnet"), "{flat}");
    // Two zones behind one interface name.
    let manifest = "project \"t\"\nbackend \"fortigate\"\ndevice \"fw\" {\n  interface \"a\" \"port1\"\n  interface \"b\" \"port1\"\n}\n";
    let dir = project(manifest, PLANT);
    let out = kojo(&["build"], dir.path());
    assert_exit(&out, 3);
    assert!(
        text(&out.stderr).contains("`port1` names the interface in zone `a` and in zone `b`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_asset_named_like_a_zone_group_is_not_the_zone() {
    let plant = PLANT
        .replace(
            "asset s1 \"S1\" in b",
            "asset any_b \"Named like a group\" in b { kind server  ip 10.2.0.11 }\nasset s1 \"S1\" in b",
        )
        .replace("allow h1 -> s1 service https", "allow h1 -> any service ssh\n  allow h1 -> any_b service https");
    for backend in ["cisco-asa", "fortigate", "juniper-srx"] {
        let dir = project(&format!("project \"t\"\nbackend \"{backend}\"\ndevice \"fw\" {{\n  interface \"internet\" \"ge-0/0/0\"\n  interface \"a\" \"ge-0/0/1\"\n  interface \"b\" \"ge-0/0/2\"\n}}\ndevice \"fw2\" {{\n  interface \"a\" \"ge-0/0/1\"\n  interface \"b\" \"ge-0/0/2\"\n}}\n").replace("ge-0/0/", if backend == "juniper-srx" { "ge-0/0/" } else { "port" }), &plant);
        let out = kojo(&["build"], dir.path());
        assert_exit(&out, 0);
        let file = match backend {
            "cisco-asa" => "cisco-asa.cfg",
            "fortigate" => "fortigate.conf",
            _ => "juniper-srx.set",
        };
        let config = read(dir.path(), &format!("build/fw/{file}"));
        assert!(config.contains("10.2.0.11"), "{backend}: the asset's own address is defined:\n{config}");
    }
}

#[test]
fn queries_and_traces_refuse_what_is_not_there() {
    let dir = project(MANIFEST, PLANT);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert_exit(&kojo(&["explain", "--artifact", "build/fw/policy.json:0"], dir.path()), 2);
    let empty = tempfile::tempdir().unwrap();
    assert_exit(&kojo(&["query", "h1", "s1"], empty.path()), 2);
}
