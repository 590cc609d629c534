//! End-to-end tests of kojo reading git: `kojo diff` between revisions and
//! the working tree, its risk ratings and exit codes, `kojo log`, and the
//! awkward repositories (a project in a subdirectory, bare, shallow,
//! detached, a link out of the project in a tree). Repositories are made
//! with the real `git`, one commit per version of a small plant.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        // Links in Markdown must not depend on the CI running the tests.
        .env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("CI_PROJECT_URL")
        .output()
        .unwrap()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "init.defaultBranch=main", "-c", "user.name=Kojo Tests", "-c", "user.email=tests@kojo.invalid"])
        .args(["-c", "commit.gpgsign=false", "-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", "2026-01-02T12:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-02T12:00:00Z")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

const MANIFEST: &str = "project \"t\"\nbackend \"nftables\" \"suricata\"\n";

const ZONES: &str = r#"plant "T" { name "Test" }

zone internet "Internet" : untrusted
zone office "Office" {
  subnet 10.1.0.0/24
}
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
  controls [segmentation-physical]
}
"#;

const ASSETS: &str = r#"asset fw "Firewall" {
  kind firewall
  interfaces { internet 203.0.113.1; office 10.1.0.1; control 10.2.0.1 }
}
asset ws "Engineering workstation" in office {
  kind workstation
  ip 10.1.0.10
}
asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
  services [modbus-tcp]
}
"#;

const CONDUITS: &str = r#"conduit office_to_control "Office to control" from office to control {
  allow ws -> plc service modbus-tcp { functions [read] }
  controls [firewall]
  enforced-by fw
}
"#;

/// A repository with the plant in `plant/`, committed once as `v1`.
struct Plant {
    _tmp: tempfile::TempDir,
    repo: PathBuf,
}

impl Plant {
    fn new() -> Plant {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join("plant")).unwrap();
        git(&repo, &["init", "-q"]);
        let plant = Plant { _tmp: tmp, repo };
        plant.write("kojo.kdl", MANIFEST);
        plant.write("zones.kojo", ZONES);
        plant.write("assets.kojo", ASSETS);
        plant.write("conduits.kojo", CONDUITS);
        plant.commit("v1");
        git(&plant.repo, &["tag", "v1"]);
        plant
    }

    fn dir(&self) -> PathBuf {
        self.repo.join("plant")
    }

    fn write(&self, file: &str, text: &str) {
        let path = self.dir().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir().join(file)).unwrap()
    }

    /// Replaces `from` with `to` in a file (which must contain it).
    fn edit(&self, file: &str, from: &str, to: &str) {
        let old = self.read(file);
        assert!(old.contains(from), "{file} has no {from:?}");
        self.write(file, &old.replacen(from, to, 1));
    }

    fn commit(&self, message: &str) {
        git(&self.repo, &["add", "-A"]);
        git(&self.repo, &["commit", "-q", "-m", message]);
    }

    /// `kojo diff ARGS --format json` from the project directory.
    fn diff(&self, args: &[&str]) -> (Value, Output) {
        let mut all = vec!["diff"];
        all.extend_from_slice(args);
        all.extend(["--format", "json", "--now", "2026-06-01"]);
        let out = kojo(&all, &self.dir());
        let value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (value, out)
    }
}

/// `(risk, entity, facet, kind)` of every change.
fn changes(diff: &Value) -> Vec<(String, String, String, String)> {
    diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
            (s("risk"), s("entity"), s("facet"), s("kind"))
        })
        .collect()
}

fn has(diff: &Value, risk: &str, entity: &str, facet: &str) -> bool {
    changes(diff).iter().any(|(r, e, f, _)| r == risk && e == entity && f == facet)
}

#[test]
fn a_move_a_reformat_and_comments_are_no_semantic_change() {
    let plant = Plant::new();
    // The conduit moves to a file of its own in a subdirectory; the rest is
    // reflowed and commented.
    std::fs::remove_file(plant.dir().join("conduits.kojo")).unwrap();
    plant.write("net/links.kojo", &format!("// moved\n\n{}", CONDUITS.replace("  ", "    ")));
    plant.write("assets.kojo", &format!("/* the devices */\n{}\n\n", ASSETS.replace('\n', "\n\n")));
    plant.commit("move and reformat");
    let (diff, out) = plant.diff(&["v1", "HEAD"]);
    assert_exit(&out, 0);
    assert_eq!(changes(&diff), Vec::<(String, String, String, String)>::new());
    assert_eq!(diff["findings_introduced"], serde_json::json!([]));
    assert_eq!(diff["findings_fixed"], serde_json::json!([]));
    assert_eq!(diff["risk"], Value::Null);
    let human = kojo(&["diff", "v1", "--now", "2026-06-01"], &plant.dir());
    assert_exit(&human, 0);
    assert!(text(&human.stdout).contains("no semantic change"), "{}", text(&human.stdout));
    // --fail-on-risk passes a change with no risk at all.
    assert_exit(&kojo(&["diff", "v1", "--fail-on-risk", "low"], &plant.dir()), 0);
}

#[test]
fn a_rename_is_one_low_risk_change_and_no_finding_moves() {
    let plant = Plant::new();
    for file in ["assets.kojo", "conduits.kojo"] {
        plant.write(file, &plant.read(file).replace("ws ", "eng_ws ").replace("asset ws", "asset eng_ws"));
    }
    plant.commit("rename the workstation");
    let (diff, out) = plant.diff(&["v1", "HEAD"]);
    assert_exit(&out, 0);
    assert_eq!(changes(&diff), [("low".into(), "asset:eng_ws".into(), "".into(), "renamed".into())]);
    assert_eq!(diff["changes"][0]["before"], "ws");
    assert_eq!(diff["findings_introduced"], serde_json::json!([]), "{diff}");
    assert_eq!(diff["findings_fixed"], serde_json::json!([]), "{diff}");
}

#[test]
fn each_high_risk_change_is_rated_high() {
    let plant = Plant::new();
    let cases: [(&str, &str, &str, &str, &str, &str); 5] = [
        // file, from, to: the edit; then the entity and facet rated high.
        ("zones.kojo", "tier high", "tier medium", "zone:control", "declared tier", "a tier lowered"),
        ("conduits.kojo", "  enforced-by fw\n", "", "conduit:office_to_control", "enforced by", "firewall removed"),
        (
            "zones.kojo",
            "  controls [segmentation-physical]\n",
            "",
            "zone:control",
            "controls in force",
            "a required control removed",
        ),
        (
            "conduits.kojo",
            "  controls [firewall]\n",
            "  controls [firewall]\n  one-way\n",
            "conduit:office_to_control",
            "direction",
            "",
        ),
        (
            "conduits.kojo",
            "allow ws -> plc service modbus-tcp { functions [read] }",
            "allow ws -> plc service modbus-tcp { functions [read] }\n  allow ws -> plc service telnet",
            "conduit:office_to_control",
            "flow",
            "insecure protocol",
        ),
    ];
    for (file, from, to, entity, facet, reason) in cases {
        let before = plant.read(file);
        plant.edit(file, from, to);
        plant.commit(&format!("{entity} {facet}"));
        let (diff, out) = plant.diff(&["HEAD~1", "HEAD"]);
        assert_exit(&out, 0);
        if facet == "direction" {
            // Made one-way: low; the next commit makes it two-way again: high.
            assert!(has(&diff, "low", entity, facet), "{diff}");
            plant.write(file, &before);
            plant.commit("two-way again");
            let (diff, _) = plant.diff(&["HEAD~1", "HEAD"]);
            assert!(has(&diff, "high", entity, facet), "{diff}");
            continue;
        }
        assert!(has(&diff, "high", entity, facet), "{entity} {facet}: {diff}");
        let found = diff["changes"].as_array().unwrap().iter().any(|c| c["reason"].as_str().unwrap().contains(reason));
        assert!(found, "{reason}: {diff}");
        assert_eq!(diff["risk"], "high");
        // CI fails the change.
        let fail = kojo(&["diff", "HEAD~1", "HEAD", "--fail-on-risk", "high"], &plant.dir());
        assert_exit(&fail, 1);
        plant.write(file, &before);
        plant.commit("undo");
    }
}

#[test]
fn waivers_and_new_paths_from_outside_are_high() {
    let plant = Plant::new();
    let waiver = "waive NW-TRAFFIC-IDS on conduit office_to_control {\n  reason \"IDS arrives with the line upgrade\"\n  until 2026-09-30\n}\n";
    plant.write("waivers.kojo", waiver);
    plant.commit("waive the IDS");
    let (diff, _) = plant.diff(&["HEAD~1", "HEAD"]);
    assert!(has(&diff, "high", "waiver:NW-TRAFFIC-IDS on conduit:office_to_control", ""), "{diff}");
    plant.edit("waivers.kojo", "2026-09-30", "2027-09-30");
    plant.commit("extend the waiver");
    let (diff, _) = plant.diff(&["HEAD~1", "HEAD"]);
    assert!(has(&diff, "high", "waiver:NW-TRAFFIC-IDS on conduit:office_to_control", "until"), "{diff}");
    plant.edit("waivers.kojo", "2027-09-30", "2026-08-31");
    plant.commit("shorten the waiver");
    let (diff, out) = plant.diff(&["HEAD~1", "HEAD", "--fail-on-risk", "medium"]);
    assert!(has(&diff, "low", "waiver:NW-TRAFFIC-IDS on conduit:office_to_control", "until"), "{diff}");
    assert_exit(&out, 0);

    // Remote access into the control zone: a new path from outside.
    plant.write(
        "remote.kojo",
        "conduit vendor \"Vendor\" from internet to control {\n  allow any -> plc service https\n  enforced-by fw\n}\n",
    );
    plant.commit("vendor access");
    let (diff, out) = plant.diff(&["HEAD~1", "HEAD", "--fail-on-risk", "high"]);
    assert_exit(&out, 1);
    assert!(has(&diff, "high", "path:internet", ""), "{diff}");
    assert!(has(&diff, "medium", "conduit:vendor", ""), "{diff}");
    assert!(!diff["findings_introduced"].as_array().unwrap().is_empty(), "{diff}");
    let path = diff["changes"].as_array().unwrap().iter().find(|c| c["entity"] == "path:internet").unwrap();
    assert_eq!(path["after"], "control (tier high) via vendor");
    assert_eq!(path["path"], "plant/remote.kojo");
}

#[test]
fn the_working_tree_is_the_default_later_side_and_nothing_is_written() {
    let plant = Plant::new();
    plant.edit("conduits.kojo", "{ functions [read] }", "{ functions [read, write] }");
    let index = std::fs::read(plant.repo.join(".git/index")).unwrap();
    let head = git(&plant.repo, &["rev-parse", "HEAD"]);
    let status = git(&plant.repo, &["status", "--porcelain"]);
    let (diff, out) = plant.diff(&["HEAD"]);
    assert_exit(&out, 0);
    assert!(has(&diff, "medium", "conduit:office_to_control", "flow"), "{diff}");
    assert_eq!(diff["to"]["label"], "the working tree");
    assert_eq!(diff["to"]["commit"], Value::Null);
    assert_eq!(std::fs::read(plant.repo.join(".git/index")).unwrap(), index, "the index is untouched");
    assert_eq!(git(&plant.repo, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(&plant.repo, &["status", "--porcelain"]), status);
}

#[test]
fn markdown_is_a_pull_request_comment() {
    let plant = Plant::new();
    plant.edit("zones.kojo", "tier high", "tier medium");
    plant.commit("lower the tier");
    let base = "https://git.example.invalid/plant/blob/abc/";
    let out =
        kojo(&["diff", "v1", "HEAD", "--format", "markdown", "--link-base", base, "--now", "2026-06-01"], &plant.dir());
    assert_exit(&out, 0);
    let md = text(&out.stdout);
    let first = md.lines().next().unwrap();
    assert!(first.starts_with("**kojo: 🔴 high risk** for `t`:"), "{md}");
    assert!(md.contains("<details open><summary>Changes"), "{md}");
    assert!(md.contains(&format!("]({base}plant/zones.kojo#L")), "{md}");
    assert!(md.contains("| high | zone `control`: declared tier `high` → `medium` |"), "{md}");
}

#[test]
fn broken_revisions_are_clear_errors() {
    let plant = Plant::new();
    let missing = kojo(&["diff", "no-such-branch"], &plant.dir());
    assert_exit(&missing, 2);
    assert!(text(&missing.stderr).contains("revision `no-such-branch` is not in this repository"));

    plant.edit("conduits.kojo", "enforced-by fw", "enforced-by fw {");
    plant.commit("a syntax error");
    let broken = kojo(&["diff", "v1", "HEAD"], &plant.dir());
    assert_exit(&broken, 3);
    let stderr = text(&broken.stderr);
    assert!(stderr.contains("HEAD (") && stderr.contains("does not compile"), "{stderr}");
    assert!(stderr.contains("HEAD:plant/conduits.kojo"), "the error names the revision's file: {stderr}");
    // A pull request still gets a comment that says why there is no diff.
    let comment = kojo(&["diff", "v1", "HEAD", "--format", "markdown"], &plant.dir());
    assert_exit(&comment, 3);
    let md = text(&comment.stdout);
    assert!(md.starts_with("**kojo: ❌ cannot compare**"), "{md}");
    assert!(md.contains("HEAD:plant/conduits.kojo:"), "{md}");
    let json = kojo(&["diff", "v1", "HEAD", "--format", "json"], &plant.dir());
    assert_exit(&json, 3);
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!((value["exit_code"].as_u64(), value["risk"].is_null()), (Some(3), true), "{value}");
    // From a directory without the project: said so, with the way out.
    let root = kojo(&["diff", "v1"], &plant.repo);
    assert_exit(&root, 2);
    assert!(text(&root.stderr).contains("holds no project at `.`") && text(&root.stderr).contains("--project"));

    // Outside any repository.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("kojo.kdl"), MANIFEST).unwrap();
    let outside = kojo(&["diff", "HEAD"], tmp.path());
    assert_exit(&outside, 2);
    assert!(text(&outside.stderr).contains("is not inside a git repository"), "{}", text(&outside.stderr));
}

#[test]
fn bare_shallow_and_detached_repositories() {
    let plant = Plant::new();
    for n in 2..=4 {
        plant.edit("assets.kojo", &format!("ip 10.1.0.{}", n + 8), &format!("ip 10.1.0.{}", n + 9));
        plant.commit(&format!("v{n}"));
    }
    let root = plant.repo.parent().unwrap();
    let url = format!("file://{}", plant.repo.display());

    // Bare: no working tree, so both revisions are named; the project is a path in the tree.
    git(root, &["clone", "-q", "--bare", &url, "bare.git"]);
    let bare = kojo(&["diff", "v1", "main", "--project", "plant", "--format", "json"], &root.join("bare.git"));
    assert_exit(&bare, 0);
    assert!(text(&bare.stdout).contains("asset:ws"), "{}", text(&bare.stdout));
    let no_tree = kojo(&["diff", "v1", "--project", "plant"], &root.join("bare.git"));
    assert_exit(&no_tree, 2);
    assert!(text(&no_tree.stderr).contains("bare repository"), "{}", text(&no_tree.stderr));

    // Shallow: the baseline is not there; the error says how to fetch it.
    git(root, &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let shallow = kojo(&["diff", "v1"], &root.join("shallow/plant"));
    assert_exit(&shallow, 2);
    assert!(text(&shallow.stderr).contains("shallow clone"), "{}", text(&shallow.stderr));
    assert!(text(&shallow.stderr).contains("git fetch --unshallow"), "{}", text(&shallow.stderr));

    // Detached HEAD: revisions are still read.
    git(&plant.repo, &["checkout", "-q", "--detach", "HEAD~1"]);
    let detached = kojo(&["diff", "v1", "HEAD", "--format", "json"], &plant.dir());
    assert_exit(&detached, 0);
    assert!(text(&detached.stdout).contains("\"asset:ws\""), "{}", text(&detached.stdout));
}

#[test]
fn a_link_out_of_the_project_in_a_tree_is_never_followed() {
    let plant = Plant::new();
    std::fs::write(plant.repo.join("secret.kojo"), "zone leaked \"from outside the project\"\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("../secret.kojo", plant.dir().join("evil.kojo")).unwrap();
    plant.commit("a link out");
    let out = kojo(&["diff", "v1", "HEAD"], &plant.dir());
    assert_exit(&out, 2);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("HEAD:plant/evil.kojo") && stderr.contains("leads out of the project"), "{stderr}");
    assert!(!stderr.contains("leaked"), "{stderr}");
}

#[test]
fn log_lists_the_commits_that_changed_an_entity() {
    let plant = Plant::new();
    plant.edit("conduits.kojo", "{ functions [read] }", "{ functions [read, write] }");
    plant.commit("let the workstation write");
    plant.write("conduits.kojo", &format!("// who may write to the PLC\n{}", plant.read("conduits.kojo")));
    plant.commit("a comment only");
    plant.edit("assets.kojo", "ip 10.1.0.10", "ip 10.1.0.11");
    plant.commit("another address for the workstation");
    plant.write("conduits.kojo", &plant.read("conduits.kojo").replace("office_to_control", "eng_access"));
    plant.commit("rename the conduit");
    plant.edit("conduits.kojo", "{ functions [read, write] }", "{ functions [read] }");
    plant.commit("read only again");

    let out = kojo(&["log", "conduit", "eng_access"], &plant.dir());
    assert_exit(&out, 0);
    let log = text(&out.stdout);
    let subjects: Vec<&str> =
        log.lines().filter(|l| !l.starts_with(' ')).map(|l| l.split("  ").last().unwrap()).collect();
    assert_eq!(subjects, ["read only again", "rename the conduit", "let the workstation write", "v1"], "{log}");
    assert!(log.contains("renamed from `office_to_control`"), "{log}");
    assert!(log.contains("medium  conduit `office_to_control`: flow"), "{log}");

    let json = kojo(&["log", "conduit:eng_access", "--format", "json", "-n", "1"], &plant.dir());
    assert_exit(&json, 0);
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["log"]["entries"].as_array().unwrap().len(), 1);
    assert_exit(&kojo(&["log", "gizmo", "x"], &plant.dir()), 2);
    let typo = kojo(&["log", "conduit", "eng_acess"], &plant.dir());
    assert_exit(&typo, 2);
    assert!(text(&typo.stderr).contains("did you mean `eng_access`?"), "{}", text(&typo.stderr));
}

/// Copies a directory's files (not its `build/`), for a repository of its own.
fn copy_project(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (path, name) = (entry.path(), entry.file_name());
        if path.is_dir() {
            if name != "build" {
                copy_project(&path, &to.join(&name));
            }
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// `(1a2b3c4)`: commit IDs vary with git's version; the snapshot does not.
fn without_commits(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" (") {
        let (head, tail) = rest.split_at(at);
        out.push_str(head);
        let id = tail.get(2..9).unwrap_or("");
        if tail.get(9..10) == Some(")") && id.chars().all(|c| c.is_ascii_hexdigit()) {
            out.push_str(" (COMMIT)");
            rest = &tail[10..];
        } else {
            out.push_str(" (");
            rest = &tail[2..];
        }
    }
    out.push_str(rest);
    out
}

/// The realistic change of the closing note: a vendor conduit straight into
/// the example factory's control zone, as a pull-request comment.
#[test]
fn a_vendor_conduit_into_the_control_zone_of_the_example() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let plant = repo.join("guideline-factory");
    copy_project(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/guideline-factory"), &plant);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "the factory"]);
    let assets = std::fs::read_to_string(plant.join("assets.kojo")).unwrap();
    let leg = "warehouse 10.6.0.2 }";
    assert!(assets.contains(leg));
    std::fs::write(plant.join("assets.kojo"), assets.replacen(leg, "warehouse 10.6.0.2; control 10.3.0.3 }", 1))
        .unwrap();
    let conduit = "\n// The PLC vendor asked for direct access to line 1 during commissioning.\n\
        conduit vendor_to_control \"Vendor access to line 1 PLC\" from vendor_centre to control {\n\
        \x20 allow vendor_ops -> plc1 service vnc\n\
        \x20 allow vendor_ops -> plc1 service modbus-tcp\n\
        \x20 controls [firewall, mfa]\n\
        \x20 enforced-by fw_rm\n}\n";
    let conduits = std::fs::read_to_string(plant.join("conduits.kojo")).unwrap();
    std::fs::write(plant.join("conduits.kojo"), conduits + conduit).unwrap();
    git(&repo, &["commit", "-q", "-am", "vendor access to line 1"]);

    let args = ["diff", "HEAD~1", "HEAD", "--format", "markdown", "--now", "2026-12-06", "--fail-on-risk", "high"];
    let out = kojo(&args, &plant);
    assert_exit(&out, 1);
    let md = without_commits(&text(&out.stdout));
    insta::assert_snapshot!("example-vendor-conduit.md", md);
    assert!(md.starts_with("**kojo: 🔴 high risk** for `guideline-factory`"), "{md}");
    assert!(md.contains("[`guideline-factory/conduits.kojo:"), "{md}");
}

/// `kojo check` from the project directory.
fn check(plant: &Plant, args: &[&str]) -> Output {
    let mut all = vec!["check", "--now", "2026-06-01"];
    all.extend_from_slice(args);
    kojo(&all, &plant.dir())
}

#[test]
fn a_baseline_fails_only_on_new_findings() {
    let plant = Plant::new();
    let before = check(&plant, &[]);
    assert_exit(&before, 1);
    let known = text(&before.stdout);
    assert!(known.contains("findings ("), "v1 has findings of its own: {known}");
    // The same findings: nothing new.
    let same = check(&plant, &["--baseline", "v1"]);
    assert_exit(&same, 0);
    assert!(text(&same.stderr).contains("also in the baseline `v1` (not failing)"), "{}", text(&same.stderr));

    // Moved to another file and reformatted: still nothing new.
    std::fs::remove_file(plant.dir().join("conduits.kojo")).unwrap();
    plant.write("links/conduits.kojo", &format!("\n\n// moved\n{}", CONDUITS.replace("  ", "    ")));
    plant.commit("move the conduit");
    assert_exit(&check(&plant, &["--baseline", "v1"]), 0);

    // A new insecure flow: its finding is new, the old ones are not.
    plant.edit("links/conduits.kojo", "enforced-by fw", "allow ws -> plc service telnet\n    enforced-by fw");
    let new = check(&plant, &["--baseline", "v1", "--format", "json"]);
    assert_exit(&new, 1);
    let report: Value = serde_json::from_slice(&new.stdout).unwrap();
    let states: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["baseline"].as_str().unwrap_or("").to_string()))
        .collect();
    let fresh: Vec<&String> = states.iter().filter(|(_, s)| s == "new").map(|(c, _)| c).collect();
    assert_eq!(fresh, ["INSECURE-PROTOCOL-ACROSS-TIERS"], "{states:?}");
    assert!(states.iter().filter(|(_, s)| s == "unchanged").count() >= 1, "{states:?}");

    // SARIF says which results are new.
    let sarif_path = plant.dir().join("kojo.sarif");
    let out = check(&plant, &["--baseline", "v1", "--output", &format!("sarif={}", sarif_path.display())]);
    assert_exit(&out, 1);
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    let new_results = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["baselineState"] == "new")
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect::<Vec<_>>();
    assert_eq!(new_results, ["INSECURE-PROTOCOL-ACROSS-TIERS"]);
    std::fs::remove_file(&sarif_path).unwrap();

    // Fixed in a commit, then brought back: new again against the fixed baseline.
    plant.commit("telnet for the vendor");
    plant.edit("links/conduits.kojo", "allow ws -> plc service telnet\n", "");
    plant.commit("no telnet");
    assert_exit(&check(&plant, &["--baseline", "HEAD"]), 0);
    plant.edit("links/conduits.kojo", "enforced-by fw", "allow ws -> plc service telnet\n    enforced-by fw");
    let again = check(&plant, &["--baseline", "HEAD"]);
    assert_exit(&again, 1);
    assert!(text(&again.stderr).contains("INSECURE-PROTOCOL-ACROSS-TIERS"), "{}", text(&again.stderr));
    // …but known to the commit that had it.
    assert_exit(&check(&plant, &["--baseline", "HEAD~1"]), 0);

    // A rename carries the findings' names: nothing is new.
    plant.commit("telnet again");
    let links = plant.read("links/conduits.kojo").replace("office_to_control", "eng_access");
    plant.write("links/conduits.kojo", &links);
    let renamed = check(&plant, &["--baseline", "HEAD"]);
    assert_exit(&renamed, 0);
    assert!(text(&renamed.stderr).contains("also in the baseline `HEAD`"), "{}", text(&renamed.stderr));
}

#[test]
fn a_baseline_that_cannot_be_read_is_a_usage_error() {
    let plant = Plant::new();
    let missing = check(&plant, &["--baseline", "v9"]);
    assert_exit(&missing, 2);
    assert!(text(&missing.stderr).contains("revision `v9` is not in this repository"), "{}", text(&missing.stderr));
    plant.edit("zones.kojo", "tier high", "tier high {");
    plant.commit("broken");
    plant.edit("zones.kojo", "tier high {", "tier high");
    // A baseline that does not compile knows nothing: every finding is new.
    let broken = check(&plant, &["--baseline", "HEAD"]);
    assert_exit(&broken, 1);
    assert!(text(&broken.stderr).contains("does not compile, so it knows no finding"), "{}", text(&broken.stderr));

    // A baseline with a link out of the project cannot be read: the job's problem, exit 2.
    std::fs::write(plant.repo.join("secret.kojo"), "zone leaked \"x\"\n").unwrap();
    std::os::unix::fs::symlink("../secret.kojo", plant.dir().join("evil.kojo")).unwrap();
    plant.commit("a link out");
    std::fs::remove_file(plant.dir().join("evil.kojo")).unwrap();
    let sarif = plant.dir().join("out.sarif");
    let unreadable = check(&plant, &["--baseline", "HEAD", "--output", &format!("sarif={}", sarif.display())]);
    assert_exit(&unreadable, 2);
    assert!(sarif.is_file(), "the files are written whatever happened");
    assert!(text(&unreadable.stderr).contains("the baseline HEAD ("), "{}", text(&unreadable.stderr));
    // A reader that stops early is no error.
    let mut child = Command::new(env!("CARGO_BIN_EXE_kojo"))
        .args(["diff", "v1", "--format", "json"])
        .current_dir(plant.dir())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

#[test]
fn log_credits_the_commit_that_made_the_change_not_a_later_one() {
    let plant = Plant::new();
    plant.edit("zones.kojo", "tier high", "tier medium");
    plant.commit("lower the control zone");
    for n in 1..=2 {
        std::fs::write(plant.repo.join("README.md"), format!("notes {n}\n")).unwrap();
        plant.commit(&format!("readme {n}"));
    }
    let out = kojo(&["log", "zone", "control"], &plant.dir());
    assert_exit(&out, 0);
    let log = text(&out.stdout);
    let subjects: Vec<&str> =
        log.lines().filter(|l| !l.starts_with(' ')).map(|l| l.split("  ").last().unwrap()).collect();
    assert_eq!(subjects, ["lower the control zone", "v1"], "{log}");
    assert!(!log.contains("did not compile"), "{log}");

    // A waiver's own history.
    plant.write(
        "waivers.kojo",
        "waive NW-TRAFFIC-IDS on conduit office_to_control {\n  reason \"r\"\n  until 2027-01-31\n}\n",
    );
    plant.commit("waive");
    let waiver = kojo(&["log", "waiver", "NW-TRAFFIC-IDS on conduit:office_to_control"], &plant.dir());
    assert_exit(&waiver, 0);
    assert!(text(&waiver.stdout).contains("waive"), "{}", text(&waiver.stdout));
    // The conduit's log shows the waiver on it too.
    let conduit = kojo(&["log", "conduit", "office_to_control", "-n", "1"], &plant.dir());
    assert!(
        text(&conduit.stdout).contains("waiver `NW-TRAFFIC-IDS on conduit:office_to_control`: added"),
        "{}",
        text(&conduit.stdout)
    );

    // A revision without the project, and a project directory that is not there.
    let nothing = kojo(&["log", "zone", "control", "--project", "elsewhere"], &plant.repo);
    assert_exit(&nothing, 2);
    assert!(text(&nothing.stderr).contains("holds no project at `elsewhere`"), "{}", text(&nothing.stderr));
    let gone = kojo(&["diff", "v1", "HEAD", "--project", "does-not-exist"], &plant.repo);
    assert_exit(&gone, 2);
}
