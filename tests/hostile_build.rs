//! `kojo build` on an output directory a pull request, a kill or another
//! build may have disturbed: a kill at every step leaves the whole old or
//! the whole new set of files; leftovers are removed and reported; what kojo
//! did not generate is kept and never followed; permissions never come
//! through a link; a large build holds few files open; builds take turns.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(target_os = "linux")]

use std::collections::BTreeMap;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kojo(args: &[&str], cwd: &Path) -> Output {
    let out =
        Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    );
}

const MANIFEST: &str = "project \"t\"\nbackend \"json\" \"nftables\"\n";

/// The old plant: devices fw and fw2.
const OLD: &str = r#"plant "T" { name "Test" }
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
asset s1 "S1" in b { kind server  ip 10.2.0.10  services [https, ssh] }
conduit a_to_b from a to b {
  allow h1 -> s1 service https
  enforced-by fw
}
conduit b_to_a from b to a {
  allow s1 -> h1 port tcp/8080
  enforced-by fw2
}
"#;

/// The new plant: fw's policy changes, fw2 is gone (its files are stale),
/// fw3 is new.
fn new_plant() -> String {
    OLD.replace("allow h1 -> s1 service https", "allow h1 -> s1 service https\n  allow h1 -> s1 service ssh")
        .replace("asset fw2 \"FW 2\"", "asset fw3 \"FW 3\"")
        .replace("enforced-by fw2", "enforced-by fw3")
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Dir,
    File(Vec<u8>, u32),
    Link(PathBuf),
}

/// Everything under `dir`, never following a link.
fn tree(dir: &Path) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let rel = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let entry = if meta.file_type().is_symlink() {
                Entry::Link(std::fs::read_link(&path).unwrap())
            } else if meta.is_dir() {
                stack.push(path.clone());
                Entry::Dir
            } else {
                Entry::File(std::fs::read(&path).unwrap(), meta.permissions().mode() & 0o7777)
            };
            out.insert(rel, entry);
        }
    }
    out
}

fn project(plant: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), MANIFEST).unwrap();
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    dir
}

/// What a user keeps in the output directory beside kojo's files.
fn add_foreign(build: &Path) {
    std::fs::write(build.join("NOTES.md"), "ours, not kojo's\n").unwrap();
    std::fs::create_dir_all(build.join("keep/empty")).unwrap();
    std::fs::write(build.join("keep/x.txt"), "x\n").unwrap();
    std::fs::write(build.join("fw/local.txt"), "a note beside fw's files\n").unwrap();
    symlink("../plant.kojo", build.join("source-link")).unwrap();
}

fn copy_tree(from: &Path, to: &Path) {
    for (rel, entry) in tree(from) {
        let path = to.join(&rel);
        match entry {
            Entry::Dir => std::fs::create_dir_all(&path).unwrap(),
            Entry::File(bytes, mode) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, bytes).unwrap();
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            }
            Entry::Link(target) => {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                symlink(target, &path).unwrap();
            }
        }
    }
}

/// The names kojo's temporary files and directories have.
fn kojo_temporaries(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_keys()
        .filter(|rel| rel.rsplit('/').next().is_some_and(|n| n.starts_with(".kojo-") && n.ends_with(".tmp")))
        .collect()
}

/// A project built from the old plant, with files of the user's in its
/// output, about to be built from the new plant.
fn old_project() -> tempfile::TempDir {
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    add_foreign(&dir.path().join("build"));
    std::fs::write(dir.path().join("plant.kojo"), new_plant()).unwrap();
    dir
}

fn strace_works() -> bool {
    let ok = Command::new("strace").args(["-f", "-qq", "-o", "/dev/null", "true"]).status().is_ok_and(|s| s.success());
    if !ok {
        eprintln!(
            "note: strace is missing or cannot trace here (ptrace refused): the kill-at-every-step test did not run"
        );
    }
    ok
}

/// The system calls by which a build changes the file system (or could be
/// stopped just before it does): a kill before each of them is every state
/// the disk can be left in.
const STEPS: &[&str] = &[
    "openat",
    "write",
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
    "fsync",
    "syncfs",
    "flock",
];

/// Every step of a full build at which to kill it, as (system call, its
/// number among the calls of that name). An `openat` that only reads
/// changes nothing on disk, so a kill there leaves the state a kill at the
/// step before it leaves; those are skipped to keep the test fast.
fn kill_points(template: &Path) -> Vec<(String, usize)> {
    let work = tempfile::tempdir().unwrap();
    copy_tree(template, work.path());
    let log = work.path().join("strace.log");
    let status = Command::new("strace")
        .args(["-f", "-qq", "-o"])
        .arg(&log)
        .args(["-e", &format!("trace={}", STEPS.join(","))])
        .arg(env!("CARGO_BIN_EXE_kojo"))
        .arg("build")
        .current_dir(work.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut points = Vec::new();
    for line in std::fs::read_to_string(&log).unwrap().lines() {
        // "PID name(args) = result"
        let call = line.split_whitespace().nth(1).and_then(|c| c.split('(').next()).unwrap_or("");
        if !STEPS.contains(&call) {
            continue;
        }
        let n = counts.entry(call.to_string()).or_insert(0);
        *n += 1;
        let writes = ["O_CREAT", "O_WRONLY", "O_RDWR"].iter().any(|flag| line.contains(flag));
        if call != "openat" || writes {
            points.push((call.to_string(), *n));
        }
    }
    points
}

// The steps are shared out between two tests so that they run on two cores.
#[test]
fn a_kill_at_every_even_step_leaves_the_whole_old_or_the_whole_new_build() {
    kill_at_every_step(0);
}

#[test]
fn a_kill_at_every_odd_step_leaves_the_whole_old_or_the_whole_new_build() {
    kill_at_every_step(1);
}

/// Kills a build at every step of [`kill_points`] whose index has this
/// parity, and checks what it left and what the next build makes of it.
fn kill_at_every_step(parity: usize) {
    if !strace_works() {
        return;
    }
    let template = old_project();
    let old = tree(&template.path().join("build"));
    let finished = tempfile::tempdir().unwrap();
    copy_tree(template.path(), finished.path());
    assert_exit(&kojo(&["build"], finished.path()), 0);
    let new = tree(&finished.path().join("build"));
    assert_ne!(old, new);
    for kept in ["NOTES.md", "keep/x.txt", "keep/empty", "fw/local.txt", "source-link"] {
        assert_eq!(old.get(kept), new.get(kept), "{kept} is kept");
    }
    assert!(!new.keys().any(|k| k.starts_with("fw2")), "fw2's files are stale: {new:?}");

    let points = kill_points(template.path());
    assert!(points.iter().any(|(call, _)| call == "renameat2" || call == "rename"), "{points:?}");
    let (mut killed, mut saw_old, mut saw_new) = (0, 0, 0);
    for (call, n) in points.iter().skip(parity).step_by(2) {
        let work = tempfile::tempdir().unwrap();
        copy_tree(template.path(), work.path());
        let status = Command::new("strace")
            .args(["-f", "-qq", "-o", "/dev/null", "-e", &format!("trace={call}")])
            .args(["-e", &format!("inject={call}:signal=KILL:when={n}")])
            .arg(env!("CARGO_BIN_EXE_kojo"))
            .arg("build")
            .current_dir(work.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        let was_killed = status.signal() == Some(9) || status.code() == Some(137);
        let at = format!("killed at {call} #{n}");
        let now = tree(&work.path().join("build"));
        if now == old {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            let mixed: Vec<&String> = now
                .keys()
                .chain(old.keys())
                .filter(|k| now.get(*k) != old.get(*k) && now.get(*k) != new.get(*k))
                .collect();
            panic!("{at}: the output is neither the old build nor the new one; differs at {mixed:?}");
        }
        killed += usize::from(was_killed);
        // The next build finishes the job, removes every leftover and
        // is not blocked by a lock the killed one held.
        let check = kojo(&["build", "--check"], work.path());
        let leftovers = kojo_temporaries(work.path());
        if !leftovers.is_empty() {
            assert_exit(&check, 1);
            assert!(stderr(&check).contains("leftover: "), "{at}: {}", stderr(&check));
        }
        let rebuilt = kojo(&["build"], work.path());
        assert_exit(&rebuilt, 0);
        assert!(!stderr(&rebuilt).contains("waiting"), "{at}: {}", stderr(&rebuilt));
        assert_eq!(tree(&work.path().join("build")), new, "{at}: the next build");
        assert_eq!(kojo_temporaries(work.path()), Vec::<String>::new(), "{at}: leftovers removed");
        assert_exit(&kojo(&["build", "--check"], work.path()), 0);
    }
    eprintln!("{killed} kills at half of {} steps: {saw_old} left the old build, {saw_new} the new one", points.len());
    assert!(killed >= 10 && saw_old > 0 && saw_new > 0, "{killed} kills, {saw_old} old, {saw_new} new");
}

#[test]
fn leftovers_of_interrupted_builds_are_reported_then_removed() {
    let dir = old_project();
    let build = dir.path().join("build");
    // What the per-file writer of earlier versions left, and a staging
    // directory of this one, killed while writing (its index comes first).
    std::fs::write(build.join("fw/.kojo-a1B2c3.tmp"), "half a file").unwrap();
    let staging = dir.path().join(".kojo-build.new.tmp");
    std::fs::create_dir_all(staging.join("fw")).unwrap();
    std::fs::copy(build.join("kojo-index.txt"), staging.join("kojo-index.txt")).unwrap();
    std::fs::write(staging.join("fw/policy.json"), "half").unwrap();
    // Names like kojo's that are the user's are kept.
    std::fs::create_dir(build.join(".kojo-cache.tmp")).unwrap();
    std::fs::write(build.join(".kojo-cache.tmp/x"), "mine").unwrap();
    let check = kojo(&["build", "--check"], dir.path());
    assert_exit(&check, 1);
    for leftover in ["./.kojo-build.new.tmp", "./build/fw/.kojo-a1B2c3.tmp"] {
        assert!(stderr(&check).contains(&format!("leftover: {leftover}")), "{leftover}: {}", stderr(&check));
    }
    assert!(!stderr(&check).contains("kojo-cache"), "{}", stderr(&check));
    let built = kojo(&["build"], dir.path());
    assert_exit(&built, 0);
    assert!(stderr(&built).contains("removed what an interrupted build left behind"), "{}", stderr(&built));
    assert_eq!(kojo_temporaries(dir.path()), vec!["build/.kojo-cache.tmp".to_string()]);
    assert_eq!(std::fs::read_to_string(build.join(".kojo-cache.tmp/x")).unwrap(), "mine");
    assert_exit(&kojo(&["build", "--check"], dir.path()), 0);
    // Leftovers alone make a tree out of date, even when every file is current.
    std::fs::write(build.join(".kojo-xxxxxx.tmp"), "").unwrap();
    assert_exit(&kojo(&["build", "--check"], dir.path()), 1);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert!(!build.join(".kojo-xxxxxx.tmp").exists());
}

#[test]
fn a_directory_of_the_users_named_like_a_staging_one_is_never_removed() {
    let dir = old_project();
    for name in [".kojo-build.old.tmp", ".kojo-build.new.tmp"] {
        let theirs = dir.path().join(name);
        std::fs::create_dir(&theirs).unwrap();
        std::fs::write(theirs.join("data"), "mine").unwrap();
        for args in [&["build", "--check"][..], &["build"]] {
            let out = kojo(args, dir.path());
            assert_exit(&out, if args.len() == 2 { 1 } else { 2 });
            assert!(stderr(&out).contains("has the name of a build kojo stages, but is not one"), "{}", stderr(&out));
        }
        assert_eq!(std::fs::read_to_string(theirs.join("data")).unwrap(), "mine");
        std::fs::remove_dir_all(&theirs).unwrap();
    }
    // Not put back in place of a missing output either.
    std::fs::rename(dir.path().join("build"), dir.path().join("elsewhere")).unwrap();
    std::fs::create_dir(dir.path().join(".kojo-build.old.tmp")).unwrap();
    std::fs::write(dir.path().join(".kojo-build.old.tmp/data"), "mine").unwrap();
    assert_exit(&kojo(&["build"], dir.path()), 2);
    assert!(!dir.path().join("build").exists());
}

#[test]
fn a_swap_interrupted_between_two_renames_is_put_back() {
    // Where the directories cannot be exchanged in one step, a kill between
    // the two renames leaves the old build beside a missing output.
    let dir = old_project();
    let old = tree(&dir.path().join("build"));
    std::fs::rename(dir.path().join("build"), dir.path().join(".kojo-build.old.tmp")).unwrap();
    std::fs::create_dir(dir.path().join(".kojo-build.new.tmp")).unwrap();
    let check = kojo(&["build", "--check"], dir.path());
    assert_exit(&check, 1);
    assert!(stderr(&check).contains("leftover: ./.kojo-build.old.tmp"), "{}", stderr(&check));
    // Put back, then built over: what the user kept survives.
    std::fs::write(dir.path().join("plant.kojo"), OLD).unwrap();
    let built = kojo(&["build"], dir.path());
    assert_exit(&built, 0);
    assert!(stderr(&built).contains("was put back"), "{}", stderr(&built));
    assert_eq!(tree(&dir.path().join("build")), old);
    assert_eq!(kojo_temporaries(dir.path()), Vec::<String>::new());
}

#[test]
fn what_kojo_did_not_generate_is_kept_and_links_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "outside").unwrap();
    let dir = old_project();
    let build = dir.path().join("build");
    symlink(outside.path(), build.join("out-link")).unwrap();
    // A read-only directory of the user's does not stop this build or the next.
    std::fs::create_dir(build.join("ro")).unwrap();
    std::fs::write(build.join("ro/f"), "f").unwrap();
    std::fs::set_permissions(build.join("ro"), std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = tree(&build);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    let after = tree(&build);
    for (rel, entry) in &before {
        let generated = rel.starts_with("fw") && !rel.ends_with("local.txt") || rel == "kojo-index.txt";
        if !generated {
            assert_eq!(after.get(rel), Some(entry), "{rel} is kept as it was");
        }
    }
    assert_eq!(std::fs::read_link(build.join("out-link")).unwrap(), outside.path());
    assert_eq!(tree(outside.path()).len(), 1, "nothing written through the link");
    assert_eq!(std::fs::symlink_metadata(build.join("ro")).unwrap().permissions().mode() & 0o777, 0o555);
    std::fs::write(dir.path().join("plant.kojo"), OLD).unwrap();
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert_eq!(kojo_temporaries(dir.path()), Vec::<String>::new());
}

#[test]
fn permissions_never_come_through_a_link() {
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    let setuid = dir.path().join("setuid-tool");
    std::fs::write(&setuid, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&setuid, std::fs::Permissions::from_mode(0o4755)).unwrap();
    // A generated file swapped for a link: the build stops, writes nothing,
    // and --check says why.
    let policy = dir.path().join("build/fw/policy.json");
    std::fs::remove_file(&policy).unwrap();
    symlink(&setuid, &policy).unwrap();
    let built = kojo(&["build"], dir.path());
    assert_exit(&built, 2);
    assert!(stderr(&built).contains("is a symbolic link where kojo generates a file"), "{}", stderr(&built));
    let check = kojo(&["build", "--check"], dir.path());
    assert_exit(&check, 1);
    assert!(stderr(&check).contains("in the way: "), "{}", stderr(&check));
    assert_eq!(std::fs::metadata(&setuid).unwrap().permissions().mode() & 0o7777, 0o4755);
    // Removed as told, the file comes back rw-r--r--; a generated file made
    // setuid in place comes back without the bit.
    std::fs::remove_file(&policy).unwrap();
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert_eq!(std::fs::symlink_metadata(&policy).unwrap().permissions().mode() & 0o7777, 0o644);
    std::fs::set_permissions(&policy, std::fs::Permissions::from_mode(0o4755)).unwrap();
    assert_exit(&kojo(&["build", "--check"], dir.path()), 1);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert_eq!(std::fs::symlink_metadata(&policy).unwrap().permissions().mode() & 0o7777, 0o755);
}

#[test]
fn a_fifo_in_the_output_is_refused_without_opening_it() {
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    for at in ["build/fifo", "build/fw/policy.json"] {
        let path = dir.path().join(at);
        let _ = std::fs::remove_file(&path);
        assert!(Command::new("mkfifo").arg(&path).status().unwrap().success());
        // A blocked open would hang here; the test harness's timeout is the
        // backstop, the type check before any open is the guarantee.
        let built = kojo(&["build"], dir.path());
        assert_exit(&built, 2);
        assert!(stderr(&built).contains("FIFO, socket or device"), "{at}: {}", stderr(&built));
        assert_exit(&kojo(&["build", "--check"], dir.path()), 1);
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn no_directory_is_made_before_the_output_path_is_accepted() {
    let outside = tempfile::tempdir().unwrap();
    let dir = project(OLD);
    std::fs::write(dir.path().join("kojo.kdl"), format!("{MANIFEST}output \"gen/deeper/build\"\n")).unwrap();
    symlink(outside.path(), dir.path().join("gen")).unwrap();
    let built = kojo(&["build"], dir.path());
    assert_exit(&built, 2);
    assert!(stderr(&built).contains("is a symbolic link"), "{}", stderr(&built));
    assert_eq!(tree(outside.path()).len(), 0, "nothing made outside the project");
    // A real path: its directories are made, then the build lands whole.
    std::fs::remove_file(dir.path().join("gen")).unwrap();
    assert_exit(&kojo(&["build"], dir.path()), 0);
    assert!(dir.path().join("gen/deeper/build/fw/policy.json").is_file());
}

/// A plant with `devices` firewalls, each enforcing its own conduit.
fn many_devices(devices: usize) -> String {
    let mut plant = String::from(
        "plant \"T\" { name \"Test\" }\nzone a \"A\" { subnet 10.1.0.0/16 }\nzone b \"B\" { subnet 10.2.0.0/16 }\n",
    );
    plant.push_str("asset h1 \"H1\" in a { kind server  ip 10.1.255.10 }\n");
    for i in 0..devices {
        let (hi, lo) = (i / 200, i % 200 + 1);
        plant.push_str(&format!(
            "asset fw{i} \"FW {i}\" {{\n  kind firewall\n  interfaces {{ a 10.1.{hi}.{lo}; b 10.2.{hi}.{lo} }}\n}}\n\
             asset s{i} \"S {i}\" in b {{ kind server  ip 10.2.{}.{lo}  services [https] }}\n\
             conduit c{i} from a to b {{\n  allow h1 -> s{i} service https\n  enforced-by fw{i}\n}}\n",
            100 + hi
        ));
    }
    plant
}

#[test]
fn a_large_build_holds_few_files_open() {
    // 300 devices, 601 files, with at most 32 descriptors (the old writer
    // held every staged file open: EMFILE past ~1,000).
    let dir = project(&many_devices(300));
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\nbackend \"json\" \"nftables\"\n").unwrap();
    let built = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n 32 && exec '{}' build", env!("CARGO_BIN_EXE_kojo")))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_exit(&built, 0);
    assert!(
        String::from_utf8_lossy(&built.stdout).contains("built 600 files for 300 devices"),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    assert_exit(&kojo(&["build", "--check"], dir.path()), 0);
}

#[test]
fn builds_of_one_project_take_turns() {
    let dir = project(OLD);
    // Another build holds the lock (on the directory the output is in).
    let holder = std::fs::File::open(dir.path()).unwrap();
    holder.lock().unwrap();
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kojo"))
        .arg("build")
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    // It says it waits, and writes nothing until the lock is free.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let said = || std::fs::read_to_string(log.path()).unwrap();
    while !said().contains("waiting") {
        assert!(child.try_wait().unwrap().is_none(), "the build ended without waiting: {}", said());
        assert!(std::time::Instant::now() < deadline, "no word of waiting: {}", said());
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(said().contains("another `kojo build` of this project is running; waiting"), "{}", said());
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(child.try_wait().unwrap().is_none());
    assert!(!dir.path().join("build").exists());
    holder.unlock().unwrap();
    assert!(child.wait().unwrap().success(), "{}", said());
    assert!(dir.path().join("build/fw/policy.json").is_file());
}

#[test]
fn a_build_that_changes_nothing_touches_nothing_and_unchanged_files_keep_their_inode() {
    use std::os::unix::fs::MetadataExt;
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    let inode = |rel: &str| std::fs::symlink_metadata(dir.path().join(rel)).unwrap().ino();
    let (output, fw2) = (inode("build"), inode("build/fw2/policy.json"));
    let again = kojo(&["build"], dir.path());
    assert_exit(&again, 0);
    assert!(String::from_utf8_lossy(&again.stdout).contains("(0 changed)"));
    assert_eq!(inode("build"), output, "no new generation for an unchanged build");
    // fw changes, fw2 does not: a new generation, fw2's file the same inode.
    let changed = OLD.replace("allow h1 -> s1 service https", "allow h1 -> s1 service ssh");
    std::fs::write(dir.path().join("plant.kojo"), changed).unwrap();
    let built = kojo(&["build"], dir.path());
    assert_exit(&built, 0);
    assert!(
        String::from_utf8_lossy(&built.stdout).contains("(2 changed)"),
        "{}",
        String::from_utf8_lossy(&built.stdout)
    );
    assert_ne!(inode("build"), output);
    assert_eq!(inode("build/fw2/policy.json"), fw2);
}
