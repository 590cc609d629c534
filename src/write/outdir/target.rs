//! Where a build goes: the output directory, the directory it sits in, and
//! the two names beside it that a build stages into and retires through.

use std::ffi::OsString;
use std::io;

use kojo_compiler::source::shown;
use std::path::{Component, Path, PathBuf};

/// The output directory of one project.
#[derive(Debug, Clone)]
pub struct Target {
    output: PathBuf,
    /// The directory the output directory is in (the project root or below).
    parent: PathBuf,
    name: OsString,
    /// The output's own components below the root, outermost first.
    components: Vec<PathBuf>,
}

impl Target {
    /// `relative` is the manifest's `output`, already known to be a relative
    /// path without `..` (see `kojo build`'s `output_dir`).
    pub fn new(root: &Path, relative: &Path) -> io::Result<Target> {
        let mut components = Vec::new();
        let mut output = root.to_path_buf();
        for component in relative.components() {
            match component {
                Component::Normal(part) => {
                    output.push(part);
                    components.push(output.clone());
                }
                Component::CurDir => {}
                _ => return Err(io::Error::new(io::ErrorKind::InvalidInput, "the output path leaves the project")),
            }
        }
        let (Some(name), Some(parent)) = (output.file_name().map(OsString::from), output.parent()) else {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "the output path names no directory"));
        };
        if components.is_empty() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "the output path names no directory"));
        }
        Ok(Target { parent: parent.to_path_buf(), output, name, components })
    }

    pub fn output(&self) -> &Path {
        &self.output
    }

    pub(super) fn parent(&self) -> &Path {
        &self.parent
    }

    /// Where the next generation is written before it is swapped in.
    pub(super) fn staging(&self) -> PathBuf {
        self.beside("new")
    }

    /// Where the previous generation waits while it is swapped out, on
    /// systems that cannot exchange two directories in one step.
    pub fn retired(&self) -> PathBuf {
        self.beside("old")
    }

    /// `.kojo-<name>.<what>.tmp`: hidden, and named like every temporary
    /// file kojo makes, so one pattern finds them all.
    fn beside(&self, what: &str) -> PathBuf {
        let mut name = OsString::from(".kojo-");
        name.push(&self.name);
        name.push(format!(".{what}.tmp"));
        self.parent.join(name)
    }

    /// Checks the output path before anything is created: every component
    /// that exists must be a real directory (never a symbolic link, so
    /// nothing is written outside the project through one). Returns the
    /// components that do not exist yet, outermost first.
    pub(super) fn missing(&self) -> Result<Vec<PathBuf>, super::Error> {
        let mut missing = Vec::new();
        for path in &self.components {
            if !missing.is_empty() {
                missing.push(path.clone());
                continue;
            }
            match std::fs::symlink_metadata(path) {
                Ok(metadata) if metadata.file_type().is_symlink() => {
                    return Err(super::Error::Path(format!(
                        "`{}` is a symbolic link: kojo writes only into real directories inside the project",
                        shown(path)
                    )))
                }
                Ok(metadata) if metadata.is_dir() => {}
                Ok(_) => {
                    return Err(super::Error::Path(format!(
                        "`{}` is a file where the output directory should be",
                        shown(path)
                    )))
                }
                Err(err) if err.kind() == io::ErrorKind::NotFound => missing.push(path.clone()),
                Err(err) => return Err(super::Error::Io(err)),
            }
        }
        Ok(missing)
    }

    /// Creates the directories above the output directory that do not exist
    /// yet, one at a time (the output directory itself arrives whole, by
    /// rename). Only called once [`Target::missing`] has accepted the path.
    pub(super) fn create_parents(&self, missing: &[PathBuf]) -> io::Result<()> {
        for dir in missing.iter().filter(|d| **d != self.output) {
            match std::fs::create_dir(dir) {
                Ok(()) => {}
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {
                    // Made meanwhile by another process: only a real directory will do.
                    if std::fs::symlink_metadata(dir).map(|m| m.file_type().is_symlink() || !m.is_dir())? {
                        return Err(io::Error::new(
                            io::ErrorKind::AlreadyExists,
                            format!("`{}` appeared during the build and is not a directory", shown(dir)),
                        ));
                    }
                }
                Err(err) => return Err(err),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_beside_the_output() {
        let target = Target::new(Path::new("/p"), Path::new("./gen/build")).unwrap();
        assert_eq!(target.output(), Path::new("/p/gen/build"));
        assert_eq!(target.staging(), Path::new("/p/gen/.kojo-build.new.tmp"));
        assert_eq!(target.retired(), Path::new("/p/gen/.kojo-build.old.tmp"));
        assert!(Target::new(Path::new("/p"), Path::new("../x")).is_err());
        assert!(Target::new(Path::new("/p"), Path::new(".")).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_created_when_a_component_is_a_link() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("gen")).unwrap();
        let target = Target::new(root.path(), Path::new("gen/deeper/build")).unwrap();
        assert!(target.missing().is_err());
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
        let target = Target::new(root.path(), Path::new("new/deeper/build")).unwrap();
        let missing = target.missing().unwrap();
        assert_eq!(missing.len(), 3);
        target.create_parents(&missing).unwrap();
        assert!(root.path().join("new/deeper").is_dir());
        assert!(!root.path().join("new/deeper/build").exists(), "the output itself arrives by rename");
    }
}
