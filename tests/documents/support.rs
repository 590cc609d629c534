//! Running the `kojo` binary and other programs with a time limit, project
//! directories in temporary directories, and reading `kojo evidence
//! --format json`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The assessment date of every run: the review periods are counted back
/// from it, so no result depends on today's date.
pub const NOW: &str = "2026-12-06";

/// kojo's own repository (the examples live there).
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `KOJO_SKIP_TOOLS=1`: the real tools (Chromium, poppler, trestle) may be
/// missing, and the tests that need them say so and pass.
pub fn skip_tools() -> bool {
    std::env::var("KOJO_SKIP_TOOLS").is_ok_and(|v| v == "1")
}

/// Runs `command` to its end, or kills it after `limit` and fails: a run
/// that hangs (a FIFO opened, a browser waiting) must fail the test, not
/// stall the suite. Output is read on threads so a full pipe cannot stall
/// the child either.
pub fn run_limited(command: &mut Command, limit: Duration) -> std::io::Result<Output> {
    let mut child = command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > limit {
            // Only the child this function started, by its id.
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Output { status, stdout: out_reader.join().unwrap(), stderr: err_reader.join().unwrap() })
}

/// Runs the built `kojo` in `cwd`, without colours, for at most a minute.
pub fn kojo(cwd: &Path, args: &[&str]) -> Output {
    kojo_env(cwd, args, &[])
}

/// [`kojo`] with extra environment variables for the child.
pub fn kojo_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kojo"));
    command.args(args).current_dir(cwd).env("NO_COLOR", "1");
    for (name, value) in env {
        command.env(name, value);
    }
    run_limited(&mut command, Duration::from_secs(60)).unwrap()
}

pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout:\n{}\nstderr:\n{}", text(&out.stdout), text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

/// `kojo evidence` of the project at `dir` (run from there), which must
/// succeed; its standard output.
pub fn evidence(dir: &Path, args: &[&str]) -> String {
    let mut all = vec!["evidence", "--now", NOW];
    all.extend_from_slice(args);
    let out = kojo(dir, &all);
    assert_exit(&out, 0);
    text(&out.stdout)
}

/// `kojo evidence --format json` of the project at `dir`, parsed.
pub fn evidence_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&evidence(dir, &["--format", "json", "--lang", "en"])).unwrap()
}

/// The item `id` (`E-1-1`) of an evidence JSON document.
pub fn item<'a>(doc: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    doc["categories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["items"].as_array().unwrap())
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

/// Every item of an evidence JSON document, in order.
pub fn items(doc: &serde_json::Value) -> Vec<&serde_json::Value> {
    doc["categories"].as_array().unwrap().iter().flat_map(|c| c["items"].as_array().unwrap()).collect()
}

/// The item's notes, joined, for `contains` checks.
pub fn notes(item: &serde_json::Value) -> String {
    item["notes"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect::<Vec<_>>().join("\n")
}

/// Writes `files` (path from `dir`, contents) under `dir`.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, contents) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

/// Copies the directory `from` to `to` (created), leaving out the entries
/// directly under `from` named in `skip`. Links are copied as links.
pub fn copy_dir(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(from).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap();
        if skip.iter().any(|s| name == *s) {
            continue;
        }
        let target = to.join(name);
        let kind = std::fs::symlink_metadata(&path).unwrap().file_type();
        if kind.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(&path).unwrap(), &target).unwrap();
        } else if kind.is_dir() {
            copy_dir(&path, &target, &[]);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// A copy of the example `name` (`guideline-factory`) in a new temporary
/// directory, as `<tmp>/<name>`. Its `build/` output and README are left
/// out: documents never read them, and a golden file of the checklist
/// should not change when a firewall backend does.
pub fn example_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(name);
    copy_dir(&repo().join("examples").join(name), &dir, &["build", "README.md"]);
    (tmp, dir)
}

/// The example directories the document tests run on.
pub const EXAMPLES: [&str; 3] = ["guideline-factory", "semiconductor-fab", "small-plant"];

/// `s` with every occurrence of the temporary directory `dir` (and its
/// resolved form, which may differ where /tmp is a link) replaced by
/// `[TMP]`.
pub fn without_tmp(s: &str, dir: &Path) -> String {
    let mut out = s.to_string();
    if let Ok(real) = dir.canonicalize() {
        out = out.replace(&*real.to_string_lossy(), "[TMP]");
    }
    out.replace(&*dir.to_string_lossy(), "[TMP]")
}
