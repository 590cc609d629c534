//! A project built once, its output directory, and the tools to compare
//! what a build left there: shared by the tests of `kojo build` on a
//! disturbed output directory (`hostile_build.rs`, `hostile_build_kills.rs`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn kojo(args: &[&str], cwd: &Path) -> Output {
    let out =
        Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn assert_exit(out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(out)
    );
}

pub const MANIFEST: &str = "project \"t\"\nbackend \"json\" \"nftables\"\n";

/// The old plant: devices fw and fw2.
pub const OLD: &str = r#"plant "T" { name "Test" }
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
pub fn new_plant() -> String {
    OLD.replace("allow h1 -> s1 service https", "allow h1 -> s1 service https\n  allow h1 -> s1 service ssh")
        .replace("asset fw2 \"FW 2\"", "asset fw3 \"FW 3\"")
        .replace("enforced-by fw2", "enforced-by fw3")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Dir,
    File(Vec<u8>, u32),
    Link(PathBuf),
}

/// Everything under `dir`, never following a link.
pub fn tree(dir: &Path) -> BTreeMap<String, Entry> {
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

pub fn project(plant: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), MANIFEST).unwrap();
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    dir
}

/// What a user keeps in the output directory beside kojo's files.
pub fn add_foreign(build: &Path) {
    std::fs::write(build.join("NOTES.md"), "ours, not kojo's\n").unwrap();
    std::fs::create_dir_all(build.join("keep/empty")).unwrap();
    std::fs::write(build.join("keep/x.txt"), "x\n").unwrap();
    std::fs::write(build.join("keep/local.txt"), "a note\n").unwrap();
    symlink("../plant.kojo", build.join("source-link")).unwrap();
}

pub fn copy_tree(from: &Path, to: &Path) {
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
pub fn kojo_temporaries(dir: &Path) -> Vec<String> {
    tree(dir)
        .into_keys()
        .filter(|rel| rel.rsplit('/').next().is_some_and(|n| n.starts_with(".kojo-") && n.ends_with(".tmp")))
        .collect()
}

/// A project built from the old plant, with files of the user's in its
/// output, about to be built from the new plant.
pub fn old_project() -> tempfile::TempDir {
    let dir = project(OLD);
    assert_exit(&kojo(&["build"], dir.path()), 0);
    add_foreign(&dir.path().join("build"));
    std::fs::write(dir.path().join("plant.kojo"), new_plant()).unwrap();
    dir
}
