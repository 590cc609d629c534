//! Output is inert (issue 13, part B): what a pull request puts in its
//! files cannot reach the reviewer's terminal or CI log as control
//! sequences, a very long line renders without a panic, and a closed
//! stdout or stderr ends kojo quietly with exit 2.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// An OSC that retitles the terminal, a CSI that clears it, and a
/// right-to-left override: the three kinds of hostile text.
const OSC: &str = "\u{1b}]0;PWNED\u{7}";
const CSI: &str = "\u{1b}[2J";
const RLO: &str = "\u{202e}";

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The characters no output for people or CI logs may carry raw.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|c| {
            matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

fn assert_inert(what: &str, s: &str) {
    assert_eq!(raw_controls(s), Vec::<char>::new(), "{what} carries raw control characters:\n{}", s.escape_debug());
}

/// A project from `kojo init` whose name, a zone's title, a file's name and
/// a source line carry hostile text; the hostile file has one error.
fn hostile_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let init = kojo(&["init", "."], dir.path());
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    let manifest = std::fs::read_to_string(dir.path().join("kojo.kdl")).unwrap();
    let start = manifest.find("project \"").unwrap();
    let end = start + manifest[start..].find('\n').unwrap();
    // KDL has no raw controls in strings: its own escapes put them there.
    let manifest = format!(
        "{}project \"p\\u{{1b}}]0;PWNED\\u{{7}}\\u{{1b}}[2J\\u{{202e}}\"{}",
        &manifest[..start],
        &manifest[end..]
    );
    std::fs::write(dir.path().join("kojo.kdl"), manifest).unwrap();
    let plant = std::fs::read_to_string(dir.path().join("plant.kojo")).unwrap();
    let plant = plant.replace("zone control \"Control (line 1)\"", &format!("zone control \"Control{OSC}{RLO}\""));
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    std::fs::write(dir.path().join(format!("evil{CSI}.kojo")), format!("// {OSC}{CSI}{RLO} \u{9b}2J\n{EXTRA}\n"))
        .unwrap();
    dir
}

/// The hostile file's second line: its error is the unknown tier `q`.
const EXTRA: &str = "zone extra \"E\u{1b}]0;PWNED\u{7}\u{202e}\" { tier q }";

#[test]
fn human_output_shows_hostile_text_escaped() {
    let dir = hostile_project();
    for format in ["human", "full", "concise"] {
        let out = kojo(&["check", "--format", format], dir.path());
        assert_eq!(out.status.code(), Some(3), "{format}: {}", text(&out.stderr));
        let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
        assert_inert(&format!("check --format {format} stdout"), &stdout);
        assert_inert(&format!("check --format {format} stderr"), &stderr);
        let all = format!("{stdout}{stderr}");
        assert!(all.contains("evil\\u{1b}[2J.kojo"), "the file name, escaped: {all}");
        assert!(all.contains("unknown tier `q`"), "{all}");
        if format != "concise" {
            assert!(all.contains("`p\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J\\u{202e}` does not compile"), "{all}");
            assert!(all.contains(r"// \u{1b}]0;PWNED\u{7}\u{1b}[2J\u{202e} \u{9b}2J"), "the source line: {all}");
            assert!(all.contains(r#"zone extra "E\u{1b}]0;PWNED\u{7}\u{202e}" { tier q }"#), "{all}");
        }
    }
}

#[test]
fn the_label_points_where_the_error_is_after_escapes() {
    let dir = hostile_project();
    let stderr = text(&kojo(&["check"], dir.path()).stderr);
    // The header counts the source's characters; the caret sits under `q`
    // in the escaped line.
    let q = EXTRA.chars().position(|c| c == 'q').unwrap() + 1;
    assert!(stderr.contains(&format!("╭─[evil\\u{{1b}}[2J.kojo:2:{q}]")), "{stderr}");
    let line = stderr.lines().find(|l| l.contains("zone extra")).unwrap();
    let caret = stderr.lines().skip_while(|l| !l.contains("zone extra")).nth(1).unwrap();
    let column = |s: &str, c: char| s.chars().position(|x| x == c).unwrap();
    assert_eq!(column(caret, '┬'), column(line, 'q'), "{stderr}");
}

#[test]
fn ci_formats_are_valid_and_carry_no_raw_controls() {
    let dir = hostile_project();
    for format in ["json", "sarif", "gitlab"] {
        let out = kojo(&["check", "--format", format], dir.path());
        let stdout = text(&out.stdout);
        serde_json::from_str::<serde_json::Value>(&stdout).unwrap_or_else(|e| panic!("{format}: {e}"));
        // A file's name is shown escaped everywhere (`evil\u{1b}[2J.kojo`,
        // see the tree rule in docs/cli.md), and JSON then escapes the
        // backslash. SARIF and GitLab name only files of the repository,
        // which the escaped name is not: they point at the project's kojo.kdl.
        let name = match format {
            "sarif" => r#""uri": "kojo.kdl""#,
            "gitlab" => r#""path": "kojo.kdl""#,
            _ => r"evil\\u{1b}[2J.kojo",
        };
        assert!(stdout.contains(name), "{format}: {stdout}");
        // serde escapes C0; the rest must not be there either.
        let c0: Vec<char> = raw_controls(&stdout).into_iter().filter(|c| *c < '\u{7f}').collect();
        assert!(c0.is_empty(), "{format}: {c0:?}");
    }
    let junit = text(&kojo(&["check", "--format", "junit"], dir.path()).stdout);
    roxmltree::Document::parse(&junit).unwrap();
    let not_bidi: Vec<char> = raw_controls(&junit).into_iter().filter(|c| *c <= '\u{9f}').collect();
    assert!(not_bidi.is_empty(), "JUnit XML: {not_bidi:?}");
    let github = text(&kojo(&["check", "--format", "github"], dir.path()).stdout);
    assert_inert("GitHub workflow commands", &github);
    // As for SARIF and GitLab: the escaped name is no file of the repository,
    // so the annotation goes to kojo.kdl without a line (line 2 is the
    // hostile file's, not kojo.kdl's), and the message says where it is.
    let annotation = github.lines().find(|l| l.contains("evil")).unwrap_or_else(|| panic!("{github}"));
    assert!(annotation.contains("file=kojo.kdl,title="), "{annotation}");
    assert!(annotation.contains(r"in `evil\u{1b}[2J.kojo`, line 2, column"), "{annotation}");
    assert!(!junit.contains("kojo.kdl:2:"), "{junit}");
    assert!(junit.contains(r"evil\u{1b}[2J.kojo:2:"), "{junit}");
    // SARIF and GitLab say it in the message.
    for format in ["sarif", "gitlab"] {
        let out = text(&kojo(&["check", "--format", format], dir.path()).stdout);
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(value.to_string().contains(r"in `evil\\u{1b}[2J.kojo`, line 2, column"), "{format}: {out}");
    }
}

#[test]
fn explain_and_query_echo_arguments_escaped() {
    let dir = hostile_project();
    let hostile = format!("E0001{OSC}{RLO}");
    let explain = kojo(&["explain", &hostile], dir.path());
    assert_eq!(explain.status.code(), Some(2));
    let stderr = text(&explain.stderr);
    assert_inert("kojo explain", &stderr);
    assert!(stderr.contains("`E0001\\u{1b}]0;PWNED\\u{7}\\u{202e}`"), "{stderr}");
    // query needs a project that compiles.
    std::fs::remove_file(dir.path().join(format!("evil{CSI}.kojo"))).unwrap();
    let query = kojo(&["query", &format!("mes{CSI}"), "plc1"], dir.path());
    assert_ne!(query.status.code(), Some(101));
    let all = format!("{}{}", text(&query.stdout), text(&query.stderr));
    assert_inert("kojo query", &all);
    assert!(all.contains("mes\\u{1b}[2J"), "{all}");
}

#[test]
fn a_line_past_column_65535_renders_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\n").unwrap();
    let line = format!("zone d {{ tier low }} {}@\n", " ".repeat(70_000));
    std::fs::write(dir.path().join("a.kojo"), format!("plant \"P\" {{ name \"p\" }}\n{line}")).unwrap();
    let out = kojo(&["check"], dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("at a.kojo:2:70021 (a line there is longer than 4096 bytes, so it is not shown)"),
        "{stderr}"
    );
    assert!(stderr.len() < 10_000, "the line is not printed: {} bytes", stderr.len());
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "init.defaultBranch=main", "-c", "user.email=tests@kojo.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

#[test]
fn log_and_diff_show_hostile_commits_and_titles_escaped() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(kojo(&["init", "."], dir.path()).status.code(), Some(0));
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["-c", "user.name=a", "commit", "-q", "-m", "first"]);
    let plant = std::fs::read_to_string(dir.path().join("plant.kojo")).unwrap();
    let plant = plant.replace("zone control \"Control (line 1)\"", &format!("zone control \"Control{OSC}{RLO}\""));
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    git(dir.path(), &["add", "-A"]);
    let author = format!("user.name=x{CSI}");
    git(dir.path(), &["-c", &author, "commit", "-q", "-m", &format!("evil {OSC} subject")]);
    let log = kojo(&["log", "zone", "control"], dir.path());
    assert_eq!(log.status.code(), Some(0), "{}", text(&log.stderr));
    let log = text(&log.stdout);
    assert_inert("kojo log", &log);
    assert!(log.contains("x\\u{1b}[2J  evil \\u{1b}]0;PWNED\\u{7} subject"), "{log}");
    let diff = kojo(&["diff", "HEAD~1", "HEAD"], dir.path());
    let diff = format!("{}{}", text(&diff.stdout), text(&diff.stderr));
    assert_inert("kojo diff", &diff);
    assert!(diff.contains("`Control\\u{1b}]0;PWNED\\u{7}\\u{202e}`"), "{diff}");
}

/// Runs kojo with stdout (or stderr) a pipe whose reading end is already
/// closed, so that its first write fails whatever the timing.
fn closed(args: &[&str], cwd: &Path, stdin: &[u8], close_stderr: bool) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut command = Command::new(env!("CARGO_BIN_EXE_kojo"));
    command.args(args).current_dir(cwd).env("NO_COLOR", "1").stdin(Stdio::piped());
    if close_stderr {
        command.stderr(writer).stdout(Stdio::piped());
    } else {
        command.stdout(writer).stderr(Stdio::piped());
    }
    let mut child = command.spawn().unwrap();
    {
        use std::io::Write;
        let _ = child.stdin.take().unwrap().write_all(stdin);
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_ends_quietly_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(kojo(&["init", "."], dir.path()).status.code(), Some(0));
    let runs: [(&[&str], &[u8]); 9] = [
        (&["check", "--format", "json"], b""),
        (&["check", "--format", "sarif"], b""),
        (&["check", "--explain-tiers"], b""),
        (&["fmt", "-"], b"zone a \"A\" {\n}\n"),
        (&["explain", "KOJO-E0001"], b""),
        (&["explain"], b""),
        (&["graph"], b""),
        (&["report"], b""),
        (&["build"], b""),
    ];
    for (args, stdin) in runs {
        let out = closed(args, dir.path(), stdin, false);
        let stderr = text(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(2), "{args:?}: the output is incomplete: {stderr}");
    }
}

#[test]
fn a_closed_stderr_ends_quietly_with_exit_2() {
    let dir = hostile_project();
    // The compile error's exit code (3) outranks the incomplete output's.
    let out = closed(&["check"], dir.path(), b"", true);
    assert_eq!(out.status.code(), Some(3));
    let out = closed(&["explain", "nothing-at-all"], dir.path(), b"", true);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_output_that_cannot_be_written_is_said_but_a_closed_pipe_is_not() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("skipped: no /dev/full on this system");
        return;
    }
    let dir = hostile_project();
    let out = Command::new(env!("CARGO_BIN_EXE_kojo"))
        .args(["check", "--format", "json"])
        .current_dir(dir.path())
        .stdout(std::fs::File::create(full).unwrap())
        .output()
        .unwrap();
    // The hostile project does not compile (3); incomplete output never passes.
    assert!(out.status.code().is_some_and(|c| c >= 2), "{:?}", out.status);
    assert!(text(&out.stderr).contains("could not write all of its output"), "{}", text(&out.stderr));
}
