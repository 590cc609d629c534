//! A `kojo build` killed (SIGKILL, injected by strace) before every system
//! call by which it changes the disk leaves the whole old set of files or
//! the whole new set, never a mix, and the next build finishes the job:
//! every leftover removed, no lock left, `build --check` clean. Run over a
//! rebuild (files changed, added, no longer generated, the user's own kept),
//! a first build, and the two-rename path used where directories cannot be
//! exchanged in one step.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(target_os = "linux")]

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

#[path = "hostile/outdir.rs"]
mod outdir;

use outdir::*;

/// The system calls by which a build changes the file system (or takes its
/// lock): a kill before each of them reaches every state the disk can be
/// left in. `open`/`openat` count only when they may create or write.
const STEPS: &[&str] = &[
    "open",
    "openat",
    "creat",
    "write",
    "pwrite64",
    "mkdir",
    "mkdirat",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "rmdir",
    "chmod",
    "fchmod",
    "fchmodat",
    "chown",
    "fchown",
    "fchownat",
    "lchown",
    "truncate",
    "ftruncate",
    "fallocate",
    "copy_file_range",
    "sendfile",
    "utimensat",
    "fsync",
    "fdatasync",
    "syncfs",
    "flock",
];

/// System calls that change nothing on disk. A build making one that is in
/// neither list fails the test, so the list of steps cannot silently go
/// stale: classify it.
const READ_ONLY: &[&str] = &[
    "access",
    "arch_prctl",
    "brk",
    "clock_gettime",
    "clock_nanosleep",
    "clone",
    "clone3",
    "close",
    "dup",
    "dup2",
    "dup3",
    "execve",
    "exit",
    "exit_group",
    "faccessat",
    "faccessat2",
    "fcntl",
    "fstat",
    "fstatfs",
    "futex",
    "getcwd",
    "getdents64",
    "getegid",
    "geteuid",
    "getgid",
    "getpid",
    "getppid",
    "getrandom",
    "gettid",
    "getuid",
    "ioctl",
    "lseek",
    "lstat",
    "madvise",
    "mmap",
    "mprotect",
    "mremap",
    "munmap",
    "nanosleep",
    "newfstatat",
    "pipe2",
    "poll",
    "pread64",
    "prctl",
    "prlimit64",
    "read",
    "readlink",
    "readlinkat",
    "rseq",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigreturn",
    "sched_getaffinity",
    "sched_yield",
    "set_robust_list",
    "set_tid_address",
    "sigaltstack",
    "stat",
    "statfs",
    "statx",
    "sysinfo",
    "uname",
    "wait4",
];

/// strace, and its right to trace (ptrace), are needed; without them the
/// test fails unless the tools are knowingly skipped.
fn strace_works() -> bool {
    let ok = Command::new("strace").args(["-f", "-qq", "-o", "/dev/null", "true"]).status().is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("KOJO_SKIP_TOOLS").is_some(),
            "strace is missing or cannot trace (ptrace refused): install strace (.ci/test does), or set KOJO_SKIP_TOOLS=1 to skip knowingly"
        );
        eprintln!("note: KOJO_SKIP_TOOLS: the kill-at-every-step tests did not run");
    }
    ok
}

/// One strace-run build of a copy of `template`, in a new directory.
fn traced_build(template: &Path, strace: &[String], fallback: bool) -> (tempfile::TempDir, std::process::ExitStatus) {
    let work = tempfile::tempdir().unwrap();
    copy_tree(template, work.path());
    let mut command = Command::new("strace");
    command.args(["-f", "-qq"]).args(strace).arg(env!("CARGO_BIN_EXE_kojo")).arg("build");
    if fallback {
        command.env("KOJO_TEST_NO_EXCHANGE", "1");
    }
    let status = command.current_dir(work.path()).stdout(Stdio::null()).stderr(Stdio::null()).status().unwrap();
    (work, status)
}

/// Every step of a full build at which to kill it, as (system call, its
/// number among the calls of that name). A read-only `open` changes nothing
/// on disk, so a kill there leaves what a kill at the step before leaves.
fn kill_points(template: &Path, fallback: bool) -> Vec<(String, usize)> {
    let log = tempfile::NamedTempFile::new().unwrap();
    let args = vec!["-o".to_string(), log.path().to_string_lossy().into_owned()];
    let (_work, status) = traced_build(template, &args, fallback);
    assert!(status.success());
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut unknown = BTreeSet::new();
    let mut points = Vec::new();
    for line in std::fs::read_to_string(log.path()).unwrap().lines() {
        // "PID name(args) = result"; "+++ exited …" and signals aside.
        let Some(call) = line.split_whitespace().nth(1).and_then(|c| c.split_once('(')).map(|(c, _)| c) else {
            continue;
        };
        if !STEPS.contains(&call) {
            if !READ_ONLY.contains(&call) {
                unknown.insert(call.to_string());
            }
            continue;
        }
        let n = counts.entry(call.to_string()).or_insert(0);
        *n += 1;
        let opens = call == "open" || call == "openat";
        let writes = ["O_CREAT", "O_WRONLY", "O_RDWR", "O_TRUNC"].iter().any(|flag| line.contains(flag));
        if !opens || writes {
            points.push((call.to_string(), *n));
        }
    }
    assert!(unknown.is_empty(), "a build makes system calls neither list classifies: {unknown:?}");
    points
}

/// How a build can be left: the old output, the new one, or (two renames
/// only) no output with the old one whole beside it.
fn assert_whole(work: &Path, old: &Option<Tree>, new: &Tree, at: &str) -> &'static str {
    let now = tree(&work.join("build"));
    let missing = !work.join("build").exists();
    if old.as_ref() == Some(&now) && !missing {
        "old"
    } else if &now == new {
        "new"
    } else if missing && old.is_none() {
        "none"
    } else if missing && old.as_ref() == Some(&tree(&work.join(".kojo-build.old.tmp"))) {
        "old, moved aside"
    } else {
        let mut mixed: Vec<&String> = now.keys().chain(new.keys()).collect();
        mixed.retain(|k| now.get(*k) != new.get(*k) && old.as_ref().is_none_or(|o| now.get(*k) != o.get(*k)));
        panic!("{at}: the output is neither the old build nor the new one; differs at {mixed:?}");
    }
}

type Tree = BTreeMap<String, Entry>;

/// Kills a build of `template` at every step (or every step whose index has
/// this parity), and checks what it left and what the next build makes of it.
fn kill_at_every_step(template: &Path, fallback: bool, parity: Option<usize>) {
    let old = template.join("build").exists().then(|| tree(&template.join("build")));
    let finished = tempfile::tempdir().unwrap();
    copy_tree(template, finished.path());
    assert_exit(&kojo(&["build"], finished.path()), 0);
    let new = tree(&finished.path().join("build"));
    let points = kill_points(template, fallback);
    assert!(points.iter().any(|(call, _)| call == "renameat2" || call == "rename"), "{points:?}");
    // Up to the flush of the staged tree both paths run the same code: the
    // two-rename path is killed from there on.
    let from = if fallback { points.iter().position(|(call, _)| call == "syncfs").unwrap_or(0) } else { 0 };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let (skip, step) = parity.map_or((0, 1), |p| (p, 2));
    for (call, n) in points.iter().skip(from + skip).step_by(step) {
        let at = format!("killed at {call} #{n}");
        let strace = [
            "-o".into(),
            "/dev/null".into(),
            "-e".into(),
            format!("trace={call}"),
            "-e".into(),
            format!("inject={call}:signal=KILL:when={n}"),
        ];
        let (work, status) = traced_build(template, &strace, fallback);
        assert!(status.signal() == Some(9) || status.code() == Some(137), "{at}: the build was not killed ({status})");
        *seen.entry(assert_whole(work.path(), &old, &new, &at)).or_default() += 1;
        // The next build finishes the job, removes every leftover and is
        // not held up by a lock the killed one took.
        let left = !kojo_temporaries(work.path()).is_empty();
        if left {
            let check = kojo(&["build", "--check"], work.path());
            assert_exit(&check, 1);
            assert!(stderr(&check).contains("leftover: "), "{at}: {}", stderr(&check));
        }
        let rebuilt = kojo(&["build"], work.path());
        assert_exit(&rebuilt, 0);
        assert!(!stderr(&rebuilt).contains("waiting"), "{at}: {}", stderr(&rebuilt));
        assert_eq!(tree(&work.path().join("build")), new, "{at}: the next build");
        assert_eq!(kojo_temporaries(work.path()), Vec::<String>::new(), "{at}: leftovers removed");
        if left {
            assert_exit(&kojo(&["build", "--check"], work.path()), 0);
        }
    }
    eprintln!("{} steps, killed from {} on, every {step}: {seen:?}", points.len(), from + skip);
    assert!(seen.contains_key("new") && seen.len() > 1, "{seen:?}");
    if fallback {
        assert!(seen.contains_key("old, moved aside"), "{seen:?}");
    }
}

fn rebuild(parity: usize) {
    if !strace_works() {
        return;
    }
    let template = old_project();
    kill_at_every_step(template.path(), false, Some(parity));
}

// Each case's steps are shared out between two tests, which run on two cores.
#[test]
fn a_rebuild_killed_at_every_even_step_leaves_the_old_or_the_new_build() {
    rebuild(0);
}

#[test]
fn a_rebuild_killed_at_every_odd_step_leaves_the_old_or_the_new_build() {
    rebuild(1);
}

#[test]
fn a_two_rename_rebuild_killed_at_every_step_leaves_the_old_build_whole() {
    if !strace_works() {
        return;
    }
    let template = old_project();
    kill_at_every_step(template.path(), true, None);
}

#[test]
fn a_first_build_killed_at_every_step_leaves_nothing_or_all() {
    if !strace_works() {
        return;
    }
    let template = project(OLD);
    kill_at_every_step(template.path(), false, None);
}
