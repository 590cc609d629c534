//! The CI files of `docs/ci.md` work: every kojo command in the GitHub
//! Actions workflow, the GitLab CI job and the pre-commit configuration is
//! run, as the file writes it, in a clone of a repository made by `kojo
//! init`, on a pull request that changes little (every step passes) and on
//! one that lets telnet into the control zone (the check and the risk gate
//! fail, the comment says high risk). Steps that need the hosting service
//! (installing kojo, uploading, commenting) are not run; the YAML is read
//! with Python's `yaml`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "init.defaultBranch=main", "-c", "user.name=Kojo Tests", "-c", "user.email=tests@kojo.invalid"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn kojo_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_kojo")).parent().unwrap().to_path_buf()
}

/// The YAML block of `docs/ci.md` whose first line is `# NAME`, as JSON.
fn block(name: &str) -> Option<Value> {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap();
    let start = doc.find(&format!("```yaml\n# {name}\n")).unwrap_or_else(|| panic!("no {name} in docs/ci.md"));
    let body = &doc[start + "```yaml\n".len()..];
    let yaml = &body[..body.find("```").unwrap()];
    let script = "import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), yaml.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    if !out.status.success() {
        let stderr = text(&out.stderr);
        if stderr.contains("No module named 'yaml'") && std::env::var_os("KOJO_SKIP_TOOLS").is_some() {
            eprintln!("SKIPPED: python3's yaml is missing (KOJO_SKIP_TOOLS set)");
            return None;
        }
        panic!("{name} is not YAML (or python3 yaml is missing: pip install pyyaml): {stderr}");
    }
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

/// Runs a shell script in `dir` with kojo on the PATH.
fn sh(dir: &Path, script: &str, env: &[(&str, &str)]) -> Output {
    let path = format!("{}:{}", kojo_dir().display(), std::env::var("PATH").unwrap_or_default());
    let mut command = Command::new("bash");
    command.args(["-e", "-c", script]).current_dir(dir).env("PATH", path).env("NO_COLOR", "1");
    for name in ["GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "CI_PROJECT_URL", "KOJO_BOT_TOKEN"] {
        command.env_remove(name);
    }
    command.envs(env.iter().copied()).output().unwrap()
}

/// A repository with a new project in `plant/`, built and committed on
/// `main`; cloned, with a pull-request branch made by `change`.
struct Pull {
    _tmp: tempfile::TempDir,
    clone: PathBuf,
    base: String,
}

fn pull(change: &dyn Fn(&Path)) -> Pull {
    let tmp = tempfile::tempdir().unwrap();
    let upstream = tmp.path().join("upstream");
    std::fs::create_dir_all(&upstream).unwrap();
    git(&upstream, &["init", "-q"]);
    let init = sh(&upstream, "kojo init plant && kojo build plant", &[]);
    assert!(init.status.success(), "{}{}", text(&init.stdout), text(&init.stderr));
    git(&upstream, &["add", "-A"]);
    git(&upstream, &["commit", "-q", "-m", "a new plant"]);
    let base = git(&upstream, &["rev-parse", "HEAD"]).trim().to_string();
    let clone = tmp.path().join("clone");
    git(tmp.path(), &["clone", "-q", upstream.to_str().unwrap(), "clone"]);
    git(&clone, &["checkout", "-q", "-b", "change"]);
    change(&clone.join("plant"));
    let rebuilt = sh(&clone, "kojo build plant", &[]);
    assert!(rebuilt.status.success(), "{}", text(&rebuilt.stderr));
    git(&clone, &["add", "-A"]);
    git(&clone, &["commit", "-q", "-m", "the change"]);
    Pull { _tmp: tmp, clone, base }
}

fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let old = std::fs::read_to_string(&path).unwrap();
    assert!(old.contains(from), "{file} has no {from:?}");
    std::fs::write(path, old.replacen(from, to, 1)).unwrap();
}

fn small(plant: &Path) {
    edit(plant, "plant.kojo", "\"The server reads line 1's data\"", "\"The MES reads line 1's data\"");
}

fn risky(plant: &Path) {
    edit(
        plant,
        "plant.kojo",
        "  allow mes -> plc1 service opc-ua\n",
        "  allow mes -> plc1 service opc-ua\n  allow mes -> plc1 service telnet\n",
    );
}

/// The GitHub workflow's kojo steps in order: (name, exit code).
fn github_steps(pull: &Pull) -> Vec<(String, i32)> {
    let Some(workflow) = block(".github/workflows/kojo.yml") else { return Vec::new() };
    let steps = workflow["jobs"]["kojo"]["steps"].as_array().unwrap();
    // What the runner makes of the expression on a pull request to `main`.
    let expression = workflow["jobs"]["kojo"]["env"]["BASE"].as_str().unwrap();
    assert!(expression.contains("format('origin/{0}', github.base_ref)") && expression.contains("'HEAD~1'"));
    let base = "origin/main".to_string();
    let env = [("BASE", base.as_str()), ("GITHUB_EVENT_NAME", "pull_request"), ("GITHUB_BASE_REF", "main")];
    let mut ran = Vec::new();
    let mut failed = false;
    for step in steps {
        let Some(run) = step["run"].as_str() else { continue };
        // As the runner decides: after a failure only `!cancelled()` steps run.
        let condition = step["if"].as_str().unwrap_or("success()");
        if failed && !condition.contains("!cancelled()") {
            continue;
        }
        // Installing kojo and talking to GitHub need GitHub.
        if !run.contains("kojo ") || run.contains("cargo install") {
            continue;
        }
        assert!(!run.contains("${{"), "a kojo step reads only the environment: {run}");
        let out = sh(&pull.clone, run, &env);
        failed |= !out.status.success();
        ran.push((step["name"].as_str().unwrap().to_string(), out.status.code().unwrap()));
        assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
    }
    ran
}

#[test]
fn the_github_workflow_passes_a_small_change_and_fails_a_risky_one() {
    let clean = pull(&small);
    let ran = github_steps(&clean);
    if ran.is_empty() {
        return;
    }
    assert_eq!(ran.len(), 5, "{ran:?}");
    assert!(ran.iter().all(|(_, code)| *code == 0), "{ran:?}");
    for file in ["kojo.sarif", "kojo-junit.xml", "kojo-diff.md"] {
        assert!(clean.clone.join(file).is_file(), "{file}");
    }
    let comment = std::fs::read_to_string(clean.clone.join("kojo-diff.md")).unwrap();
    assert!(comment.starts_with("**kojo: 🟢 low risk**"), "{comment}");

    let risky = pull(&risky);
    let ran = github_steps(&risky);
    let code = |name: &str| ran.iter().find(|(n, _)| n.starts_with(name)).map(|(_, c)| *c);
    assert_eq!(code("Formatting"), Some(0));
    assert_eq!(code("Check"), Some(1), "a new finding: {ran:?}");
    assert_eq!(code("Generated configurations"), Some(0), "the build was committed");
    assert_eq!(code("What this pull request changes"), Some(0));
    assert_eq!(code("Fail high-risk changes"), Some(1), "{ran:?}");
    let comment = std::fs::read_to_string(risky.clone.join("kojo-diff.md")).unwrap();
    assert!(comment.starts_with("**kojo: 🔴 high risk**"), "{comment}");
    assert!(comment.contains("a new insecure protocol across a boundary"), "{comment}");
}

#[test]
fn the_gitlab_job_passes_a_small_change_and_fails_a_risky_one() {
    let Some(job) = block(".gitlab-ci.yml") else { return };
    let job = &job["kojo"];
    assert_eq!(job["variables"]["GIT_DEPTH"], 0);
    assert_eq!(job["artifacts"]["reports"]["junit"], "kojo-junit.xml");
    assert_eq!(job["artifacts"]["reports"]["codequality"], "gl-code-quality.json");
    let script: Vec<&str> = job["script"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let script = script.join("\n");
    for (change, expected) in [(&small as &dyn Fn(&Path), 0), (&risky, 1)] {
        let pull = pull(change);
        let env = [("CI_MERGE_REQUEST_DIFF_BASE_SHA", pull.base.as_str()), ("CI_MERGE_REQUEST_IID", "7")];
        let out = sh(&pull.clone, &script, &env);
        assert_eq!(out.status.code(), Some(expected), "{}\n{}", text(&out.stdout), text(&out.stderr));
        if expected == 0 {
            for file in ["kojo-junit.xml", "gl-code-quality.json", "kojo.sarif", "kojo-diff.md"] {
                assert!(pull.clone.join(file).is_file(), "{file}");
            }
        }
    }
}

#[test]
fn the_pre_commit_configuration_names_kojos_hooks() {
    let Some(config) = block(".pre-commit-config.yaml") else { return };
    let hooks_file =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml")).unwrap();
    let clean = pull(&small);
    for hook in config["repos"][0]["hooks"].as_array().unwrap() {
        let id = hook["id"].as_str().unwrap();
        let entry = hooks_file
            .split("\n- id: ")
            .find(|h| h.starts_with(&format!("{id}\n")))
            .and_then(|h| h.lines().find_map(|l| l.trim().strip_prefix("entry: ")))
            .unwrap_or_else(|| panic!("no hook {id} in .pre-commit-hooks.yaml"));
        let args: Vec<&str> = hook["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        let out = sh(&clean.clone, &format!("{entry} {}", args.join(" ")), &[]);
        assert_eq!(out.status.code(), Some(0), "{id}: {}", text(&out.stderr));
    }
}
