//! End-to-end tests of the `kojo` binary: exit codes, output formats, and
//! bad input of every kind (nothing may panic or hang).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::{Command, Output};

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A project directory with a manifest and the given files.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\n").unwrap();
    for (name, contents) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
    dir
}

/// Snapshots what a run printed to stderr (for codes the corpus cannot hold).
fn snapshot(name: &str, out: &Output) {
    insta::with_settings!({ snapshot_path => "snapshots/cli", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text(&out.stderr));
    });
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

const PLANT: &[u8] = b"plant \"T\" { name \"Test\" }\nzone a \"A\" { subnet 10.0.0.0/24; controls [device-logs] }\n";

#[test]
fn the_examples_check_clean() {
    for example in ["examples/guideline-factory", "examples/small-plant", "examples/semiconductor-fab"] {
        let out = kojo(&["check", example], repo());
        assert_exit(&out, 0);
        assert!(text(&out.stdout).starts_with("ok:"), "{}", text(&out.stdout));
        assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    }
}

#[test]
fn check_finds_the_manifest_upwards() {
    let dir = project(&[("plant.kojo", PLANT), ("sub/deeper/more.kojo", b"zone b \"B\" { controls [device-logs] }\n")]);
    let out = kojo(&["check"], &dir.path().join("sub/deeper"));
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains("2 files"), "{}", text(&out.stdout));
}

#[test]
fn compile_errors_exit_3_and_report_everything_at_once() {
    let dir = project(&[
        ("a.kojo", b"plant \"T\"\nzone a \"A\" { vlan 0 }\nasset x \"X\" in b { kind plc }\n"),
        ("b.kojo", b"zone c \"C\" { subnet 10.0.0.5/24 }\n"),
    ]);
    let out = kojo(&["check", "."], dir.path());
    assert_exit(&out, 3);
    let stderr = text(&out.stderr);
    for code in ["KOJO-E0303", "KOJO-E0201", "KOJO-E0302"] {
        assert!(stderr.contains(code), "{code} missing:\n{stderr}");
    }
    // Sorted by file, then position.
    assert!(stderr.find("KOJO-E0303") < stderr.find("KOJO-E0201"));
    assert!(stderr.find("KOJO-E0201") < stderr.find("KOJO-E0302"));
    assert!(text(&out.stdout).contains("3 errors"), "{}", text(&out.stdout));
}

#[test]
fn json_output_is_machine_readable() {
    let dir = project(&[("a.kojo", b"plant \"T\"\nasset x \"X\" in nowhere { kind plc }\n")]);
    let out = kojo(&["check", ".", "--format", "json"], dir.path());
    assert_exit(&out, 3);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["exit_code"], 3);
    assert_eq!(json["summary"]["errors"], 1);
    let d = &json["diagnostics"][0];
    assert_eq!(d["code"], "KOJO-E0201");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "a.kojo");
    assert_eq!(d["start"]["line"], 2);
    assert_eq!(d["start"]["column"], 16);
    assert!(d["help"].as_str().unwrap().contains("zone nowhere"));

    let clean = kojo(&["check", "examples/small-plant", "--format", "json"], repo());
    assert_exit(&clean, 0);
    let json: serde_json::Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert!(json["model"]["assets"].as_u64().unwrap() > 0);
}

#[test]
fn a_missing_project_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = kojo(&["check", "does-not-exist"], dir.path());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("KOJO-E0101"), "{}", text(&out.stderr));
    snapshot("E0101-manifest-not-found", &out);
    let out = kojo(&["check", "--format", "yaml"], dir.path());
    assert_exit(&out, 2);

    // Without a manifest, nothing below the directory is read.
    std::fs::write(dir.path().join("stray.kojo"), "zone {{{").unwrap();
    let out = kojo(&["check"], dir.path());
    assert_exit(&out, 2);
    assert_eq!(text(&out.stderr).lines().filter(|l| l.starts_with("KOJO-E")).count(), 1, "{}", text(&out.stderr));
}

#[test]
fn a_project_without_sources_is_reported() {
    let dir = project(&[]);
    let out = kojo(&["check", "."], dir.path());
    assert_exit(&out, 3);
    assert!(text(&out.stderr).contains("KOJO-E0106"), "{}", text(&out.stderr));
    snapshot("E0106-no-sources", &out);
}

#[test]
fn empty_and_garbage_files_give_diagnostics() {
    let dir = project(&[("empty.kojo", b"")]);
    let out = kojo(&["check", "."], dir.path());
    assert_exit(&out, 3);
    assert!(text(&out.stderr).contains("KOJO-E0204"), "{}", text(&out.stderr));

    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let dir = project(&[("garbage.kojo", &garbage), ("plant.kojo", PLANT)]);
    let out = kojo(&["check", "."], dir.path());
    assert_exit(&out, 3);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("KOJO-E0002") || stderr.contains("KOJO-E0001"), "{stderr}");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let braces = "zone a \"A\" ".to_string() + &"{".repeat(200_000);
    let brackets = "operation o \"O\" { zones ".to_string() + &"[".repeat(200_000);
    let dir = project(&[("a.kojo", braces.as_bytes()), ("b.kojo", brackets.as_bytes()), ("plant.kojo", PLANT)]);
    let out = kojo(&["check", "."], dir.path());
    assert_exit(&out, 3);
    assert!(text(&out.stderr).contains("KOJO-E0001"));
}

#[test]
fn a_huge_file_is_refused_not_read() {
    let line = b"zone z \"Z\" { vlan 10 }\n";
    let huge: Vec<u8> = line.iter().copied().cycle().take(50 * 1024 * 1024).collect();
    let dir = project(&[("huge.kojo", &huge), ("plant.kojo", PLANT)]);
    let out = kojo(&["check", "."], dir.path());
    assert_exit(&out, 3);
    assert!(text(&out.stderr).contains("KOJO-E0003"), "{}", text(&out.stderr));
    snapshot("E0003-file-too-large", &out);
}

#[test]
fn unreadable_entries_are_io_errors_naming_the_path() {
    let dir = project(&[("plant.kojo", PLANT)]);
    // A directory that looks like a source file.
    std::fs::create_dir(dir.path().join("odd.kojo")).unwrap();
    let out = kojo(&["check", "."], dir.path());
    assert_exit(&out, 2);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("KOJO-E0107") && stderr.contains("odd.kojo"), "{stderr}");
    snapshot("E0107-directory-named-like-a-source", &out);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_io_errors() {
    let dir = project(&[("plant.kojo", PLANT)]);
    std::os::unix::fs::symlink("b.kojo", dir.path().join("a.kojo")).unwrap();
    std::os::unix::fs::symlink("a.kojo", dir.path().join("b.kojo")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/up")).unwrap();
    let out = kojo(&["check", "."], dir.path());
    assert_exit(&out, 2);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("KOJO-E0107") && stderr.contains("a.kojo"), "{stderr}");
    assert!(stderr.contains("sub/up"), "the directory loop is named:\n{stderr}");
}

#[test]
fn fmt_rewrites_checks_and_reads_stdin() {
    let messy = b"plant \"T\" {   name \"Test\" ; }\nzone a \"A\" {subnet 10.0.0.0/24;vlan 10;controls [device-logs]}   // the office\n";
    let dir = project(&[("a.kojo", messy)]);
    let out = kojo(&["fmt", "--check"], dir.path());
    assert_exit(&out, 1);
    assert!(text(&out.stdout).contains("would reformat a.kojo"), "{}", text(&out.stdout));
    assert_eq!(std::fs::read(dir.path().join("a.kojo")).unwrap(), messy, "--check changes nothing");

    let out = kojo(&["fmt"], dir.path());
    assert_exit(&out, 0);
    let formatted = std::fs::read_to_string(dir.path().join("a.kojo")).unwrap();
    assert!(formatted.contains("// the office"), "comments are kept:\n{formatted}");
    assert_exit(&kojo(&["fmt", "--check"], dir.path()), 0);
    assert_exit(&kojo(&["check", "."], dir.path()), 0);

    let mut child = Command::new(env!("CARGO_BIN_EXE_kojo"))
        .args(["fmt", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), messy).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout), formatted);
}

#[test]
fn fmt_refuses_broken_files_and_leaves_them_alone() {
    let broken = b"zone a \"A\" { vlan }\n";
    let dir = project(&[("a.kojo", broken)]);
    let out = kojo(&["fmt"], dir.path());
    assert_exit(&out, 3);
    assert!(text(&out.stderr).contains("KOJO-E0001"));
    assert_eq!(std::fs::read(dir.path().join("a.kojo")).unwrap(), broken);
}

#[test]
fn the_examples_are_formatted() {
    for example in ["examples/guideline-factory", "examples/small-plant", "examples/semiconductor-fab"] {
        assert_exit(&kojo(&["fmt", "--check", example], repo()), 0);
    }
}

#[test]
fn explain_prints_pages_and_lists_codes() {
    let out = kojo(&["explain", "KOJO-E0201"], repo());
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains("# KOJO-E0201"), "{}", text(&out.stdout));
    assert_exit(&kojo(&["explain", "e0201"], repo()), 0);
    let out = kojo(&["explain", "KOJO-E0202x"], repo());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("did you mean `KOJO-E0202`"), "{}", text(&out.stderr));
    let out = kojo(&["explain"], repo());
    assert_exit(&out, 0);
    for list in ["codes", "rules", "controls", "services", "kinds", "checklist", "entry-points"] {
        assert!(text(&out.stdout).contains(&format!("\n  {list} ")), "{list} is not offered:\n{}", text(&out.stdout));
        let listed = kojo(&["explain", list], repo());
        assert_exit(&listed, 0);
        assert!(text(&listed.stdout).lines().count() >= 10, "{list}: {}", text(&listed.stdout));
    }
    let out = kojo(&["explain", "services"], repo());
    assert!(
        text(&out.stdout).lines().any(|l| l.starts_with("s7comm ") && l.contains("S7comm")),
        "{}",
        text(&out.stdout)
    );
    // Every vocabulary has pages; a shared ID names the others.
    for (id, head) in [
        ("s7comm", "# Service `s7comm`"),
        ("plc", "# Asset kind `plc`"),
        ("E-2-3", "# Checklist item E-2-3"),
        ("ep07", "# Threat entry point EP07"),
        ("kind:firewall", "# Asset kind `firewall`"),
    ] {
        let out = kojo(&["explain", id], repo());
        assert_exit(&out, 0);
        assert!(text(&out.stdout).starts_with(head), "{id}: {}", text(&out.stdout));
    }
    let out = kojo(&["explain", "firewall"], repo());
    assert!(text(&out.stdout).starts_with("# Control `firewall`"), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("`kojo explain kind:firewall`"), "{}", text(&out.stderr));
    let out = kojo(&["explain", "historien"], repo());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("did you mean `historian`"), "{}", text(&out.stderr));
    // A control named in a finding has a page too.
    let out = kojo(&["explain", "ips"], repo());
    assert_exit(&out, 0);
    assert!(text(&out.stdout).starts_with("# Control `ips`"), "{}", text(&out.stdout));
    let out = kojo(&["explain", "ipx"], repo());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("did you mean `ips`"), "{}", text(&out.stderr));
}

#[test]
fn explain_writes_pages_and_listings_in_japanese_on_request() {
    let out = kojo(&["explain", "--lang", "ja", "KOJO-E0201"], repo());
    assert_exit(&out, 0);
    let page = text(&out.stdout);
    assert!(page.starts_with("# KOJO-E0201: 未知の名前\n") && page.contains("## 直し方"), "{page}");
    let out = kojo(&["explain", "--lang", "en", "KOJO-E0201"], repo());
    assert!(text(&out.stdout).contains("## How to fix"), "{}", text(&out.stdout));
    let out = kojo(&["explain", "--lang", "ja", "services"], repo());
    assert!(
        text(&out.stdout).lines().any(|l| l.starts_with("dns ") && l.contains("名前解決")),
        "{}",
        text(&out.stdout)
    );
    let out = kojo(&["explain", "--lang", "de", "KOJO-E0201"], repo());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("possible values: en, ja"), "{}", text(&out.stderr));
}

#[cfg(unix)]
#[test]
fn fmt_writes_through_links_and_skips_hidden_files() {
    let dir = project(&[("real/shared.kojo", b"zone a \"A\" {vlan 10}\n"), (".#plant.kojo", b"zone {{{")]);
    std::os::unix::fs::symlink("real/shared.kojo", dir.path().join("link.kojo")).unwrap();
    assert_exit(&kojo(&["fmt"], dir.path()), 0);
    assert!(std::fs::symlink_metadata(dir.path().join("link.kojo")).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(dir.path().join("real/shared.kojo")).unwrap(), "zone a \"A\" {\n  vlan 10\n}\n");
}

#[test]
fn a_nested_project_is_not_part_of_its_parent() {
    let dir = project(&[("plant.kojo", PLANT), ("sub/kojo.kdl", b"project \"sub\"\n"), ("sub/plant.kojo", PLANT)]);
    assert_exit(&kojo(&["check", "."], dir.path()), 0);
    assert_exit(&kojo(&["check", "sub"], dir.path()), 0);
}

#[test]
fn a_path_that_does_not_exist_is_not_the_project_around_it() {
    let dir = project(&[("plant.kojo", PLANT)]);
    let out = kojo(&["check", "no-such-dir"], dir.path());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("KOJO-E0101"));
}
