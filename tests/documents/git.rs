//! Git repositories with commits at chosen dates, made with git2 (libgit2,
//! the library kojo reads history with), and a fingerprint of a directory
//! to show that reading the history changed nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
pub fn unix_days(date: &str) -> i64 {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().unwrap());
    let (y, m, d) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The `YYYY-MM-DD` date of a day count since 1970-01-01.
pub fn date_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The date `days` before `date`.
pub fn days_before(date: &str, days: i64) -> String {
    date_of(unix_days(date) - days)
}

/// A repository whose working tree is `dir`.
pub struct Repo {
    pub repo: git2::Repository,
    pub dir: PathBuf,
}

impl Repo {
    pub fn init(dir: &Path) -> Repo {
        std::fs::create_dir_all(dir).unwrap();
        Repo { repo: git2::Repository::init(dir).unwrap(), dir: dir.to_path_buf() }
    }

    /// Writes `files` (paths from the working tree's root) and commits
    /// them on top of `HEAD`, author and committer dated noon UTC on `date`.
    /// Noon: the day kojo reads (the committer date in UTC) is `date`
    /// whatever the machine's time zone.
    pub fn commit(&self, date: &str, files: &[(&str, &str)], message: &str) -> git2::Oid {
        super::support::write_files(&self.dir, files);
        let mut index = self.repo.index().unwrap();
        for (path, _) in files {
            index.add_path(Path::new(path)).unwrap();
        }
        self.commit_index(&mut index, date, message)
    }

    /// Commits everything in the working tree (as `git add -A`).
    pub fn commit_all(&self, date: &str, message: &str) -> git2::Oid {
        let mut index = self.repo.index().unwrap();
        index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
        self.commit_index(&mut index, date, message)
    }

    fn commit_index(&self, index: &mut git2::Index, date: &str, message: &str) -> git2::Oid {
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let time = git2::Time::new(unix_days(date) * 86_400 + 12 * 3600, 0);
        let sig = git2::Signature::new("Kojo Tests", "tests@kojo.invalid", &time).unwrap();
        let parent = self.repo.head().ok().map(|h| h.peel_to_commit().unwrap());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents).unwrap()
    }
}

/// Makes the clone at `dir` shallow with `boundary` as its oldest commit,
/// as `git clone --depth` leaves it: `.git/shallow` lists the commits whose
/// parents the clone does not have, and libgit2 (like git) reads their
/// parents as absent. libgit2's local transport cannot fetch shallow
/// (`depth` is refused for local paths), so this is how a shallow clone is
/// made without the network; `is_shallow()` shows libgit2 honours it.
pub fn make_shallow(dir: &Path, boundary: git2::Oid) {
    std::fs::write(dir.join(".git/shallow"), format!("{boundary}\n")).unwrap();
    let repo = git2::Repository::open(dir).unwrap();
    assert!(repo.is_shallow(), "libgit2 does not read .git/shallow");
    let commit = repo.find_commit(boundary).unwrap();
    assert_eq!(commit.parent_count(), 0, "libgit2 still sees the boundary's parents");
}

/// Everything observable about a directory tree, `.git` included: each
/// entry's kind, size, modification time and contents (or link target).
#[derive(Debug, PartialEq, Eq)]
pub struct Fingerprint {
    entries: BTreeMap<PathBuf, (String, Option<SystemTime>, Vec<u8>)>,
    head: Option<String>,
    status: Vec<(String, u32)>,
}

impl Fingerprint {
    pub fn of(dir: &Path) -> Fingerprint {
        let mut entries = BTreeMap::new();
        walk(dir, dir, &mut entries);
        let (head, status) = match git2::Repository::discover(dir) {
            Ok(repo) => {
                let head = repo.head().ok().and_then(|h| h.target()).map(|o| o.to_string());
                let mut options = git2::StatusOptions::new();
                options.include_untracked(true).include_ignored(true).recurse_untracked_dirs(true);
                let statuses = repo.statuses(Some(&mut options)).unwrap();
                let status =
                    statuses.iter().map(|s| (s.path().unwrap_or("?").to_string(), s.status().bits())).collect();
                (head, status)
            }
            Err(_) => (None, Vec::new()),
        };
        Fingerprint { entries, head, status }
    }

    /// The first difference from `other`, in words.
    pub fn difference(&self, other: &Fingerprint) -> Option<String> {
        if self.head != other.head {
            return Some(format!("HEAD {:?} -> {:?}", self.head, other.head));
        }
        if self.status != other.status {
            return Some(format!("status {:?} -> {:?}", self.status, other.status));
        }
        for (path, entry) in &self.entries {
            match other.entries.get(path) {
                None => return Some(format!("{} removed", path.display())),
                Some(o) if o != entry => {
                    return Some(format!("{} changed: {:?} -> {:?}", path.display(), entry.1, o.1))
                }
                Some(_) => {}
            }
        }
        other.entries.keys().find(|p| !self.entries.contains_key(*p)).map(|p| format!("{} added", p.display()))
    }
}

fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, (String, Option<SystemTime>, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let relative = path.strip_prefix(root).unwrap().to_path_buf();
        let kind = meta.file_type();
        let modified = meta.modified().ok();
        if kind.is_symlink() {
            let target = std::fs::read_link(&path).unwrap().to_string_lossy().into_owned().into_bytes();
            out.insert(relative, ("link".into(), modified, target));
        } else if kind.is_dir() {
            out.insert(relative, ("dir".into(), modified, Vec::new()));
            walk(root, &path, out);
        } else if kind.is_file() {
            out.insert(relative, ("file".into(), modified, std::fs::read(&path).unwrap()));
        } else {
            out.insert(relative, ("other".into(), modified, Vec::new()));
        }
    }
}
