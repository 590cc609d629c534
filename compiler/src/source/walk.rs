//! Finding a project's `.kojo` files without leaving the project.
//!
//! The tree may come from an untrusted pull request, so the walk is
//! bounded and never trusts a link: a symbolic link is followed only when
//! it resolves inside the project root, each directory is read once (a
//! link back to an ancestor ends there instead of looping), and the walk
//! stops after [`MAX_ENTRIES`] entries or [`MAX_DEPTH`] levels. Nothing is
//! opened here; what is found is read by `DiskSource::read`, which refuses
//! anything but a regular file.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use kojo_lang::{Code, Diagnostic, Severity};

use super::MANIFEST;

/// Entries looked at before the walk gives up: a plant's repository holds
/// hundreds of files, and a tree of millions (a link to `/` that slipped
/// through, a generated directory) must not keep CI busy. The same bound as
/// a git revision's tree.
pub(super) const MAX_ENTRIES: usize = 100_000;

/// Directory levels below the root: deeper than any layout a person
/// writes, shallow enough that a generated chain of directories ends fast.
const MAX_DEPTH: usize = 64;

/// The `.kojo` paths under `root` in walk order (depth first, each
/// directory's entries sorted by name), and a diagnostic for each entry
/// that was not followed.
pub(super) fn kojo_files(root: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut walk = Walk { root_real: root.canonicalize().ok(), ..Walk::default() };
    if let Some(real) = walk.root_real.clone() {
        walk.seen.insert(real);
    }
    walk.dir(root, 0);
    (walk.found, walk.errors)
}

#[derive(Default)]
struct Walk {
    /// The root with its links resolved; `None` if it cannot be resolved,
    /// and then no link is followed.
    root_real: Option<PathBuf>,
    /// Directories and files already taken, resolved: each is read once.
    seen: BTreeSet<PathBuf>,
    entries: usize,
    found: Vec<PathBuf>,
    errors: Vec<Diagnostic>,
}

impl Walk {
    fn dir(&mut self, dir: &Path, depth: usize) {
        if depth > MAX_DEPTH {
            self.errors.push(
                super::disk::io_error(dir, &format!("it is more than {MAX_DEPTH} directories deep; kojo stops there"))
                    .with_help("keep the project's directories shallower, or move this tree out of the project"),
            );
            return;
        }
        let listing = match std::fs::read_dir(dir) {
            Ok(listing) => listing,
            Err(err) => return self.errors.push(super::disk::io_error(dir, &err)),
        };
        let mut names: Vec<OsString> = Vec::new();
        for entry in listing {
            // One directory of millions of entries is not listed whole:
            // one past the limit is enough to stop below.
            if self.entries + names.len() > MAX_ENTRIES {
                break;
            }
            match entry {
                Ok(entry) => names.push(entry.file_name()),
                Err(err) => self.errors.push(super::disk::io_error(dir, &err)),
            }
        }
        names.sort();
        for name in names {
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                self.errors.push(
                    super::disk::io_error(dir, &format!("the project holds more than {MAX_ENTRIES} entries; kojo stops reading it here"))
                        .with_help("move generated or vendored trees out of the project, or into a hidden directory (a name starting with `.`)"),
                );
                return;
            }
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            self.entry(&dir.join(&name), depth);
            if self.entries > MAX_ENTRIES {
                return;
            }
        }
    }

    fn entry(&mut self, path: &Path, depth: usize) {
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            // Gone since the listing: nothing to read.
            return;
        };
        let is_kojo = path.extension().is_some_and(|ext| ext == "kojo");
        if meta.file_type().is_symlink() {
            return self.link(path, is_kojo, depth);
        }
        if meta.is_dir() && is_kojo {
            self.errors.push(super::disk::io_error(path, &"it is a directory, not a file"));
        } else if meta.is_dir() {
            // Already read through a link that came first: read once.
            if !skipped_dir(path) && self.first_time(path) {
                self.dir(path, depth + 1);
            }
        } else if is_kojo && self.first_time(path) {
            // A pipe, socket or device named `.kojo` is found here and
            // refused, unopened, when read.
            self.found.push(path.to_path_buf());
        }
    }

    fn first_time(&mut self, path: &Path) -> bool {
        path.canonicalize().map_or(true, |real| self.seen.insert(real))
    }

    /// A link is followed only to a place inside the project not taken yet.
    fn link(&mut self, path: &Path, is_kojo: bool, depth: usize) {
        // A link not followed and not named as a source has no part in the
        // check, as in a git revision: only a `.kojo` one is reported, as
        // the plant would be checked without it. Where a link leads outside
        // is never shown: it would print the machine's layout in CI logs.
        let real = match path.canonicalize() {
            Ok(real) => real,
            Err(err) => {
                if is_kojo {
                    let why = format!("it is a link that leads nowhere or loops ({err})");
                    self.errors.push(not_followed(path, &why, Severity::Error));
                }
                return;
            }
        };
        let Some(inside) = self.root_real.as_ref().and_then(|root| real.strip_prefix(root).ok()) else {
            if is_kojo {
                let why = "it is a link that leads out of the project, which kojo never follows";
                self.errors.push(not_followed(path, why, Severity::Error));
            }
            return;
        };
        let inside = if inside.as_os_str().is_empty() { Path::new(".") } else { inside }.to_path_buf();
        let is_dir = real.is_dir();
        if !is_dir && !is_kojo {
            return;
        }
        if !self.seen.insert(real.clone()) {
            let why =
                format!("it is a link to `{}`, which kojo already reads; not read twice", super::disk::shown(&inside));
            self.errors.push(
                not_followed(path, &why, Severity::Warning)
                    .with_help("remove the link: each file and directory of the project is read once"),
            );
            return;
        }
        if is_dir && is_kojo {
            self.errors.push(super::disk::io_error(path, &"it is a link to a directory, not a file"));
        } else if is_dir {
            if !skipped_dir(&real) {
                self.dir(path, depth + 1);
            }
        } else {
            self.found.push(path.to_path_buf());
        }
    }
}

/// A link kojo did not follow: an error when it is named as a source
/// (`x.kojo`), since the plant would be checked without it; a warning
/// otherwise.
fn not_followed(path: &Path, why: &str, severity: Severity) -> Diagnostic {
    let name = super::disk::shown(path);
    Diagnostic::at_path(Code::Io, &name, format!("`{name}` is not read: {why}"))
        .with_severity(severity)
        .with_help("kojo follows a link only when it leads to a place inside the project: copy what it leads to into the project, or remove the link")
}

/// Whether the walk would read the file at `relative` (below `root`) as a
/// source: no hidden entry on the way, no directory it skips. An editor's
/// buffer of a file the walk skips is not part of the project either.
pub(crate) fn would_read(root: &Path, relative: &Path) -> bool {
    let mut dir = root.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for (i, part) in parts.iter().enumerate() {
        let std::path::Component::Normal(name) = part else { return false };
        if name.to_string_lossy().starts_with('.') {
            return false;
        }
        dir.push(name);
        if i + 1 < parts.len() && skipped_dir(&dir) {
            return false;
        }
    }
    true
}

/// Directories never read as sources: build output, nested projects (a
/// directory with its own kojo.kdl is a project of its own) and submodules
/// (another repository's files, which a revision read from git does not
/// hold either). Hidden entries are skipped before this.
fn skipped_dir(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    name == "target"
        || name == "node_modules"
        || std::fs::symlink_metadata(path.join(MANIFEST)).is_ok()
        || std::fs::symlink_metadata(path.join(".git")).is_ok()
}
