//! `kojo build` on an output directory a pull request, an interrupted
//! build or another build may have disturbed: leftovers are removed and
//! reported; what kojo did not generate is kept and never followed;
//! permissions never come through a link; a large build holds few files
//! open; builds take turns. Kills at every step: `hostile_build_kills.rs`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(target_os = "linux")]

use std::os::unix::fs::{symlink, PermissionsExt};
use std::process::{Command, Stdio};
use std::time::Duration;

#[path = "hostile/outdir.rs"]
mod outdir;
#[allow(dead_code)]
#[path = "hostile/run.rs"]
mod run;

use outdir::*;

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
        let generated = rel.starts_with("fw") || rel == "kojo-index.txt";
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
    // A blocked open would be a hang: the runner kills and fails it.
    let deadline = Duration::from_secs(60);
    for at in ["build/fifo", "build/fw/policy.json"] {
        let path = dir.path().join(at);
        let _ = std::fs::remove_file(&path);
        assert!(Command::new("mkfifo").arg(&path).status().unwrap().success());
        let built = run::kojo(&["build"], dir.path(), Stdio::null(), deadline);
        assert_eq!(built.code, Some(2), "{at}: {}", built.stderr);
        assert!(built.stderr.contains("FIFO, socket or device"), "{at}: {}", built.stderr);
        let check = run::kojo(&["build", "--check"], dir.path(), Stdio::null(), deadline);
        assert_eq!(check.code, Some(1), "{at}: {}", check.stderr);
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

#[test]
fn a_link_at_a_device_directory_stops_the_build_even_if_the_index_lists_it() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("policy.json"), "x").unwrap();
    std::fs::set_permissions(outside.path().join("policy.json"), std::fs::Permissions::from_mode(0o6777)).unwrap();
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    let build = dir.path().join("build");
    std::fs::remove_dir_all(build.join("fw")).unwrap();
    symlink(outside.path(), build.join("fw")).unwrap();
    let index = std::fs::read_to_string(build.join("kojo-index.txt")).unwrap();
    std::fs::write(build.join("kojo-index.txt"), format!("{index}fw\n")).unwrap();
    let built = kojo(&["build"], dir.path());
    assert_exit(&built, 2);
    assert!(
        stderr(&built).contains("`./build/fw` is a symbolic link where kojo generates a directory"),
        "{}",
        stderr(&built)
    );
    assert!(std::fs::symlink_metadata(build.join("fw")).unwrap().file_type().is_symlink(), "the link is not removed");
    assert_eq!(std::fs::read_to_string(outside.path().join("policy.json")).unwrap(), "x");
}

#[test]
fn a_hostile_index_costs_little() {
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    // One line of a million `a/`: its directories used to be kept one set
    // entry per prefix (the line's length squared); and ten thousand
    // lines of paths out of the project.
    let mut index = "a/".repeat(1_000_000);
    index.push('\n');
    for i in 0..10_000 {
        index.push_str(&format!("../../outside{i}\n/etc/passwd\n"));
    }
    std::fs::write(dir.path().join("build/kojo-index.txt"), index).unwrap();
    let deadline = Duration::from_secs(60);
    let check = run::kojo(&["build", "--check"], dir.path(), Stdio::null(), deadline);
    assert_eq!(check.code, Some(1), "{}", check.stderr);
    assert!(check.stderr.contains("changed: ./build/kojo-index.txt"), "{}", check.stderr);
    let built = run::kojo(&["build"], dir.path(), Stdio::null(), deadline);
    assert_eq!(built.code, Some(0), "{}", built.stderr);
}

#[test]
fn names_with_control_characters_are_escaped_in_what_the_build_says() {
    use std::os::unix::ffi::OsStrExt;
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    // A FIFO (refused) named to forge a workflow command on its own line.
    let name = std::ffi::OsStr::from_bytes(b"build/x\x1b]0;PWNED\x07\xff\n::error::forged");
    assert!(Command::new("mkfifo").arg(dir.path().join(name)).status().unwrap().success());
    for args in [&["build"][..], &["build", "--check"]] {
        let out = kojo(args, dir.path());
        let text = stderr(&out);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
        assert!(!text.lines().any(|l| l.starts_with("::error::forged")), "{text}");
        assert!(text.contains(r"x\u{1b}]0;PWNED\u{7}\xff\n::error::forged"), "{text}");
    }
}

#[test]
fn a_mount_point_inside_the_output_stops_the_build_and_is_never_emptied() {
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    let mount = dir.path().join("build/mnt");
    std::fs::create_dir(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "tmpfs"])
        .arg(&mount)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("note: cannot mount a tmpfs here (not root?): the mount-point test did not run");
        return;
    }
    std::fs::write(mount.join("data.txt"), "important").unwrap();
    std::fs::write(dir.path().join("plant.kojo"), new_plant()).unwrap();
    let built = kojo(&["build"], dir.path());
    let data = std::fs::read_to_string(mount.join("data.txt"));
    let _ = Command::new("umount").arg(&mount).status();
    assert_exit(&built, 2);
    assert!(stderr(&built).contains("is a mount point inside the output directory"), "{}", stderr(&built));
    assert_eq!(data.unwrap(), "important");
    // A bind mount of the same file system has the same device number:
    // the kernel's word that it is a mount's root tells it.
    let source = dir.path().join("elsewhere");
    std::fs::create_dir(&source).unwrap();
    std::fs::write(source.join("data.txt"), "important").unwrap();
    assert!(Command::new("mount").arg("--bind").arg(&source).arg(&mount).status().unwrap().success());
    let built = kojo(&["build"], dir.path());
    let _ = Command::new("umount").arg(&mount).status();
    assert_exit(&built, 2);
    assert!(stderr(&built).contains("is a mount point inside the output directory"), "{}", stderr(&built));
    assert_eq!(std::fs::read_to_string(source.join("data.txt")).unwrap(), "important");
}

#[test]
fn a_file_kojo_did_not_generate_in_a_device_directory_fails_the_check() {
    // A deployment that copies `build/fw/` would load it with fw's rules.
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    std::fs::write(dir.path().join("build/fw/extra.nft"), "table inet evil {}\n").unwrap();
    std::fs::write(dir.path().join("build/NOTES.md"), "beside the devices' directories: fine\n").unwrap();
    let check = kojo(&["build", "--check"], dir.path());
    assert_exit(&check, 1);
    assert!(stderr(&check).contains("not generated: ./build/fw/extra.nft"), "{}", stderr(&check));
    assert!(!stderr(&check).contains("NOTES"), "{}", stderr(&check));
    std::fs::write(dir.path().join("plant.kojo"), new_plant()).unwrap();
    let built = kojo(&["build"], dir.path());
    assert_exit(&built, 0);
    assert!(stderr(&built).contains("`./build/fw/extra.nft` is not kojo's"), "{}", stderr(&built));
    assert!(dir.path().join("build/fw/extra.nft").is_file(), "kept");
    std::fs::remove_file(dir.path().join("build/fw/extra.nft")).unwrap();
    assert_exit(&kojo(&["build", "--check"], dir.path()), 0);
}

#[test]
fn a_check_waits_for_a_build_in_progress_and_readers_share_the_lock() {
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    // A reader holding a shared lock (`flock -s`) does not hold up a check.
    let reader = std::fs::File::open(dir.path()).unwrap();
    reader.lock_shared().unwrap();
    assert_exit(&kojo(&["build", "--check"], dir.path()), 0);
    reader.unlock().unwrap();
    // A build in progress (an exclusive lock) does: the check waits.
    let builder = std::fs::File::open(dir.path()).unwrap();
    builder.lock().unwrap();
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kojo"))
        .args(["build", "--check"])
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(log.reopen().unwrap())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let said = || std::fs::read_to_string(log.path()).unwrap();
    while !said().contains("waiting") {
        assert!(child.try_wait().unwrap().is_none(), "the check did not wait: {}", said());
        assert!(std::time::Instant::now() < deadline, "{}", said());
        std::thread::sleep(Duration::from_millis(50));
    }
    builder.unlock().unwrap();
    assert!(child.wait().unwrap().success(), "{}", said());
}
