//! Running kojo on hostile input under a deadline, shared by the hostile
//! input tests: a hang fails the test instead of hanging CI.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub struct Run {
    /// `None` when kojo ended by a signal (a stack overflow aborts).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs kojo in `cwd` with `stdin`, killed and failed after `deadline`.
/// Output goes to files, not pipes, so a large output cannot stall it.
pub fn kojo(args: &[&str], cwd: &Path, stdin: Stdio, deadline: Duration) -> Run {
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kojo"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(stdin)
        .stdout(out.reopen().unwrap())
        .stderr(err.reopen().unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("`kojo {}` still running after {deadline:?}: a hang", args.join(" "));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let read = |f: &tempfile::NamedTempFile| String::from_utf8_lossy(&std::fs::read(f.path()).unwrap()).into_owned();
    Run { code: status.code(), stdout: read(&out), stderr: read(&err) }
}
