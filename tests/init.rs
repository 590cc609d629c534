//! `kojo init`: a new project checks with nothing to report, builds (rule
//! sets that `nft -c` and `iptables-restore --test` accept, unless
//! `KOJO_SKIP_TOOLS=1`), is formatted, and passes `kojo build --check` after
//! a build, in English and Japanese; init never overwrites or half-writes
//! (a directory without write permission is only tried when the tests do
//! not run as root); and the pre-commit hooks
//! in `.pre-commit-hooks.yaml` run clean on a new project (and fail when
//! they should).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
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

/// The files `kojo init` writes, by name.
const FILES: [&str; 4] = [".gitattributes", "README.md", "kojo.kdl", "plant.kojo"];

/// Every file below `dir`, relative, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path.clone());
            }
            out.push(path.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

/// `kojo init` into a new directory, then the whole workflow: check with
/// nothing to report (not even with `--fail-on info`), format check, build,
/// build check.
fn new_project_is_clean(lang: &str) {
    let parent = tempfile::tempdir().unwrap();
    let out = kojo(&["init", "plant", "--lang", lang], parent.path());
    assert_exit(&out, 0);
    let dir = parent.path().join("plant");
    assert_eq!(listing(&dir), FILES);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("plant/kojo.kdl") && stdout.contains("cd plant") && stdout.contains("kojo check"),
        "{stdout}"
    );

    let manifest = std::fs::read_to_string(dir.join("kojo.kdl")).unwrap();
    assert!(manifest.contains("project \"plant\"\n"), "{manifest}");
    assert!(manifest.contains(&format!("language \"{lang}\"\n")), "{manifest}");

    let out = kojo(&["check", "--fail-on", "info"], &dir);
    assert_exit(&out, 0);
    assert!(out.stderr.is_empty(), "no finding, no warning:\n{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("ok: `plant` checked"), "{}", text(&out.stdout));
    let out = kojo(&["check", "--format", "json"], &dir);
    assert_exit(&out, 0);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    assert_eq!(json["summary"]["warnings"], 0);
    assert_eq!(json["summary"]["infos"], 0);

    assert_exit(&kojo(&["fmt", "--check"], &dir), 0);
    // What the README's next steps name: the diagram, the ledger, the report.
    for (command, starts) in [("graph", "<?xml"), ("ledger", "\u{feff}"), ("report", "<!DOCTYPE html>")] {
        let args: &[&str] = if command == "ledger" { &[command, "--bom"] } else { &[command] };
        let out = kojo(args, &dir);
        assert_exit(&out, 0);
        assert!(text(&out.stdout).starts_with(starts), "kojo {command}: {}", text(&out.stdout));
    }
    let out = kojo(&["build"], &dir);
    assert_exit(&out, 0);
    assert!(out.stderr.is_empty(), "the build says nothing is missing:\n{}", text(&out.stderr));
    for generated in ["build/fw1/nftables.nft", "build/fw1/iptables.rules", "build/kojo-index.txt"] {
        assert!(dir.join(generated).is_file(), "{generated} missing: {:?}", listing(&dir));
    }
    let nft = std::fs::read_to_string(dir.join("build/fw1/nftables.nft")).unwrap();
    assert!(nft.contains("\"eth0\" . \"eth1\""), "the manifest's interface names are used:\n{nft}");
    assert!(nft.contains("tcp dport 4840 counter ct mark set 0x"), "{nft}");
    assert!(nft.contains(" accept comment \"kojo: conduit mes_to_plc flow 1\""), "{nft}");
    assert_exit(&kojo(&["build", "--check"], &dir), 0);
    assert_exit(&kojo(&["query", "mes", "plc1", "opc-ua"], &dir), 0);
    the_tools_accept(&dir.join("build/fw1"));
}

/// The real loaders accept the generated rule sets (`nft -c`,
/// `iptables-restore --test`), unless `KOJO_SKIP_TOOLS=1`.
fn the_tools_accept(dir: &Path) {
    if std::env::var("KOJO_SKIP_TOOLS").is_ok_and(|v| v == "1") {
        return eprintln!("skipping nft and iptables-restore, KOJO_SKIP_TOOLS=1");
    }
    for (program, args, file) in [
        ("nft", ["-c", "-f"].as_slice(), "nftables.nft"),
        ("iptables-restore", ["--test"].as_slice(), "iptables.rules"),
        ("ip6tables-restore", ["--test"].as_slice(), "ip6tables.rules"),
    ] {
        let out = Command::new(program).args(args).arg(dir.join(file)).output().unwrap_or_else(|e| {
            panic!("`{program}` did not run ({e}): install it (apt-get install -y nftables iptables) and run as root, or set KOJO_SKIP_TOOLS=1")
        });
        assert!(out.status.success(), "{program} {file}:\n{}{}", text(&out.stdout), text(&out.stderr));
    }
}

#[test]
fn a_new_project_checks_clean_and_builds() {
    new_project_is_clean("en");
}

#[test]
fn a_new_japanese_project_checks_clean_and_builds() {
    new_project_is_clean("ja");
    let dir = tempfile::tempdir().unwrap();
    assert_exit(&kojo(&["init", "--lang", "ja"], dir.path()), 0);
    let plant = std::fs::read_to_string(dir.path().join("plant.kojo")).unwrap();
    assert!(plant.contains("zone control \"制御ゾーン（ライン1）\""), "{plant}");
    let readme = std::fs::read_to_string(dir.path().join("README.md")).unwrap();
    assert!(readme.contains("## 次の手順"), "{readme}");
}

#[test]
fn init_into_the_current_directory_which_may_hold_other_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "kept").unwrap();
    let out = kojo(&["init", "--name", "Kanto-1"], dir.path());
    assert_exit(&out, 0);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("in the current directory") && !stdout.contains("cd "), "{stdout}");
    let mut expected: Vec<&str> = FILES.to_vec();
    expected.push("notes.txt");
    expected.sort_unstable();
    assert_eq!(listing(dir.path()), expected);
    assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "kept");
    let manifest = std::fs::read_to_string(dir.path().join("kojo.kdl")).unwrap();
    assert!(manifest.contains("project \"Kanto-1\"\n"), "--name is used as given: {manifest}");
    assert_exit(&kojo(&["check"], dir.path()), 0);
}

#[test]
fn the_name_comes_from_the_directory_made_valid() {
    let parent = tempfile::tempdir().unwrap();
    let out = kojo(&["init", "Kanto Plant #2"], parent.path());
    assert_exit(&out, 0);
    let dir = parent.path().join("Kanto Plant #2");
    let manifest = std::fs::read_to_string(dir.join("kojo.kdl")).unwrap();
    assert!(manifest.contains("project \"kanto-plant-2\"\n"), "{manifest}");
    assert!(text(&out.stdout).contains("cd 'Kanto Plant #2'"), "{}", text(&out.stdout));
    let plant = std::fs::read_to_string(dir.join("plant.kojo")).unwrap();
    assert!(plant.contains("name \"kanto-plant-2\""), "{plant}");
    let out = kojo(&["check"], &dir);
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains("`kanto-plant-2`"), "{}", text(&out.stdout));

    // The current directory's own name, in upper case.
    let dir = parent.path().join("LINE3");
    std::fs::create_dir(&dir).unwrap();
    assert_exit(&kojo(&["init"], &dir), 0);
    assert!(std::fs::read_to_string(dir.join("kojo.kdl")).unwrap().contains("project \"line3\"\n"));
}

#[test]
fn an_invalid_name_is_refused() {
    let parent = tempfile::tempdir().unwrap();
    let out = kojo(&["init", "p", "--name", "my \"plant\""], parent.path());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("--name my-plant"), "a valid name is suggested: {}", text(&out.stderr));
    assert!(listing(parent.path()).is_empty(), "nothing written: {:?}", listing(parent.path()));
}

#[test]
fn init_never_overwrites_and_then_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "mine").unwrap();
    let out = kojo(&["init", "."], dir.path());
    assert_exit(&out, 2);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("README.md") && stderr.contains("choose an empty directory"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!stderr.contains("kojo.kdl"), "only the files that exist are listed: {stderr}");
    assert_eq!(listing(dir.path()), ["README.md"], "nothing else was written");
    assert_eq!(std::fs::read_to_string(dir.path().join("README.md")).unwrap(), "mine");

    // A link counts as a file, even one that leads nowhere.
    #[cfg(unix)]
    {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("nowhere", dir.path().join("plant.kojo")).unwrap();
        assert_exit(&kojo(&["init"], dir.path()), 2);
        assert_eq!(listing(dir.path()), ["plant.kojo"]);
    }

    // A second init over a first one.
    let dir = tempfile::tempdir().unwrap();
    assert_exit(&kojo(&["init"], dir.path()), 0);
    let before: BTreeMap<String, Vec<u8>> =
        listing(dir.path()).into_iter().map(|f| (f.clone(), std::fs::read(dir.path().join(&f)).unwrap())).collect();
    let out = kojo(&["init", "--lang", "ja"], dir.path());
    assert_exit(&out, 2);
    for file in FILES {
        assert!(text(&out.stderr).contains(file), "{file} not listed: {}", text(&out.stderr));
        assert_eq!(std::fs::read(dir.path().join(file)).unwrap(), before[file], "{file} changed");
    }
}

#[test]
fn a_dir_that_is_a_file_or_cannot_be_written_is_a_usage_error() {
    let parent = tempfile::tempdir().unwrap();
    std::fs::write(parent.path().join("plant"), "a file").unwrap();
    let out = kojo(&["init", "plant"], parent.path());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("`plant` is not a directory"), "{}", text(&out.stderr));

    // Below a file: the directory cannot be created.
    let out = kojo(&["init", "plant/new"], parent.path());
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("cannot write the project"), "{}", text(&out.stderr));
    assert_eq!(listing(parent.path()), ["plant"], "nothing was written");

    // A directory without write permission (root writes anyway: then this
    // part cannot be shown).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = parent.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
        let root = std::fs::write(locked.join("probe"), "").is_ok();
        if !root {
            let out = kojo(&["init", "locked"], parent.path());
            assert_exit(&out, 2);
            assert!(text(&out.stderr).contains("cannot write the project"), "{}", text(&out.stderr));
            assert!(listing(&locked).is_empty(), "{:?}", listing(&locked));
            let out = kojo(&["init", "locked/deeper/new"], parent.path());
            assert_exit(&out, 2);
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

// ---- .pre-commit-hooks.yaml --------------------------------------------------

/// A hook's keys and their values as text.
type Hook = BTreeMap<String, String>;

/// Reads the hooks file's simple form: a list of maps of scalars, each
/// item starting with `- key: value` and continuing with `  key: value`;
/// values plain, or single-quoted with `''` for a quote; `#` comment lines.
/// Anything else fails the test, so that the file stays in the form that
/// this reader and real YAML parsers read alike.
fn read_hooks(yaml: &str) -> Vec<Hook> {
    let mut hooks: Vec<Hook> = Vec::new();
    for (n, line) in yaml.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let entry = if let Some(rest) = line.strip_prefix("- ") {
            hooks.push(Hook::new());
            rest
        } else if let Some(rest) = line.strip_prefix("  ") {
            rest
        } else {
            panic!("line {}: not a list item or a key of one: {line:?}", n + 1);
        };
        let (key, value) = entry.split_once(": ").unwrap_or_else(|| panic!("line {}: no `key: value`", n + 1));
        assert!(key.chars().all(|c| c.is_ascii_lowercase() || c == '_'), "line {}: key {key:?}", n + 1);
        let value = if let Some(quoted) = value.strip_prefix('\'') {
            let inner = quoted.strip_suffix('\'').unwrap_or_else(|| panic!("line {}: unclosed quote", n + 1));
            assert!(!inner.replace("''", "").contains('\''), "line {}: a lone quote inside", n + 1);
            inner.replace("''", "'")
        } else {
            assert!(
                !value.starts_with(['"', '[', '{', '&', '*', '!', '|', '>', '%', '@', '`']) && !value.contains(" #"),
                "line {}: quote this value: {value:?}",
                n + 1
            );
            value.to_string()
        };
        let hook = hooks.last_mut().unwrap_or_else(|| panic!("line {}: a key before the first item", n + 1));
        assert!(hook.insert(key.to_string(), value).is_none(), "line {}: {key} given twice", n + 1);
    }
    hooks
}

/// The same file read by Python's YAML parser, when there is one, as
/// `(key, value)` maps with values as JSON text (`false`, not `"false"`).
fn python_yaml(path: &Path) -> Option<Vec<BTreeMap<String, serde_json::Value>>> {
    const SCRIPT: &str =
        "import json, sys, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))";
    let out = Command::new("python3").args(["-c", SCRIPT]).arg(path).output().ok()?;
    if !out.status.success() {
        let stderr = text(&out.stderr);
        assert!(stderr.contains("No module named 'yaml'"), "YAML parser failed:\n{stderr}");
        eprintln!("note: python3 has no yaml module: the hooks file is only read by this test's own reader");
        return None;
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

fn hooks_file() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml")
}

#[test]
fn the_pre_commit_hooks_are_well_formed() {
    let path = hooks_file();
    let hooks = read_hooks(&std::fs::read_to_string(&path).unwrap());
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str()).collect();
    assert_eq!(ids, ["kojo-fmt", "kojo-check", "kojo-build-check"]);
    for hook in &hooks {
        let id = &hook["id"];
        for key in hook.keys() {
            assert!(
                ["id", "name", "description", "entry", "language", "pass_filenames", "files"].contains(&key.as_str()),
                "{id}: unexpected key {key}"
            );
        }
        assert!(!hook["name"].is_empty(), "{id}");
        assert_eq!(hook["language"], "rust", "{id}: built from this repository at the pinned rev");
        assert_eq!(hook["pass_filenames"], "false", "{id}: kojo checks the whole project");
        assert!(hook["entry"].starts_with("kojo "), "{id}: {}", hook["entry"]);
    }
    if let Some(parsed) = python_yaml(&path) {
        assert_eq!(parsed.len(), hooks.len());
        for (yaml, ours) in parsed.iter().zip(&hooks) {
            assert_eq!(yaml.keys().collect::<Vec<_>>(), ours.keys().collect::<Vec<_>>());
            for (key, value) in yaml {
                match value {
                    serde_json::Value::String(s) => assert_eq!(s, &ours[key], "{key}: both readers agree"),
                    serde_json::Value::Bool(b) => assert_eq!(b.to_string(), ours[key], "{key}"),
                    other => panic!("{key}: {other} is neither text nor a boolean"),
                }
            }
            assert_eq!(yaml["pass_filenames"], serde_json::Value::Bool(false), "a boolean, not text");
        }
    }
}

/// Whether a hook's `files` pattern selects `path`, as pre-commit's Python
/// `re.search` would; `None` without python3.
fn selects(pattern: &str, path: &str) -> Option<bool> {
    let out = Command::new("python3")
        .args(["-c", "import re, sys\nprint(bool(re.search(sys.argv[1], sys.argv[2])))", pattern, path])
        .output()
        .ok()?;
    assert!(out.status.success(), "{}", text(&out.stderr));
    Some(text(&out.stdout).trim() == "True")
}

#[test]
fn the_pre_commit_hooks_select_the_project_files() {
    let hooks = read_hooks(&std::fs::read_to_string(hooks_file()).unwrap());
    let pattern = |id: &str| hooks.iter().find(|h| h["id"] == id).unwrap()["files"].clone();
    let cases: &[(&str, &[(&str, bool)])] = &[
        ("kojo-fmt", &[("plant.kojo", true), ("zones/control.kojo", true), ("kojo.kdl", false), ("README.md", false)]),
        (
            "kojo-check",
            &[
                ("plant.kojo", true),
                ("kojo.kdl", true),
                ("profiles/acme.toml", true),
                ("site/profiles/acme.toml", true),
                ("Cargo.toml", false),
                ("build/fw1/nftables.nft", false),
            ],
        ),
        (
            "kojo-build-check",
            &[
                ("plant.kojo", true),
                ("kojo.kdl", true),
                ("build/fw1/nftables.nft", true),
                ("site/build/kojo-index.txt", true),
                ("README.md", false),
                ("rebuild/x", false),
            ],
        ),
    ];
    for (id, paths) in cases {
        for (path, expected) in *paths {
            match selects(&pattern(id), path) {
                Some(selected) => assert_eq!(selected, *expected, "{id} on {path}"),
                None => return eprintln!("note: no python3: the `files` patterns are not tried"),
            }
        }
    }
}

/// Runs a hook's `entry` (and `extra` arguments, as a hook's `args`) with the
/// built binary in `dir`.
fn run_entry(hook: &Hook, extra: &[&str], dir: &Path) -> Output {
    let words: Vec<&str> = hook["entry"].split_whitespace().collect();
    assert_eq!(words.first(), Some(&"kojo"));
    let mut args: Vec<&str> = words.get(1..).unwrap().to_vec();
    args.extend_from_slice(extra);
    kojo(&args, dir)
}

#[test]
fn the_pre_commit_hooks_pass_on_a_new_project_and_fail_when_they_should() {
    let hooks = read_hooks(&std::fs::read_to_string(hooks_file()).unwrap());
    let hook = |id: &str| hooks.iter().find(|h| h["id"] == id).unwrap();
    for lang in ["en", "ja"] {
        let dir = tempfile::tempdir().unwrap();
        assert_exit(&kojo(&["init", "--lang", lang], dir.path()), 0);
        // The build output is committed with the sources.
        assert_exit(&kojo(&["build"], dir.path()), 0);
        for h in &hooks {
            let out = run_entry(h, &[], dir.path());
            assert_exit(&out, 0);
            // `args: [path]` for a project in a subdirectory.
            let parent = dir.path().parent().unwrap();
            let name = dir.path().file_name().unwrap().to_str().unwrap();
            assert_exit(&run_entry(h, &[name], parent), 0);
        }

        // Each hook fails on what it guards against.
        let plant = dir.path().join("plant.kojo");
        let source = std::fs::read_to_string(&plant).unwrap();
        std::fs::write(&plant, source.replace("  vlan 20\n", "  vlan   20\n")).unwrap();
        assert_exit(&run_entry(hook("kojo-fmt"), &[], dir.path()), 1);
        std::fs::write(&plant, source.replace("[firewall, stealth, protocol-allowlist, ids]", "[firewall]")).unwrap();
        let out = run_entry(hook("kojo-check"), &[], dir.path());
        assert_exit(&out, 1);
        assert!(text(&out.stderr).contains("NW-TRAFFIC-IDS"), "{}", text(&out.stderr));
        std::fs::write(&plant, source.replace("ip 10.20.0.10\n", "ip 10.20.0.11\n")).unwrap();
        assert_exit(&run_entry(hook("kojo-build-check"), &[], dir.path()), 1);
    }
}
