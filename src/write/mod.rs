//! Writing files atomically. One file (`kojo fmt`, a report written with
//! `--output`): a temporary file in the same directory, then a rename, so a
//! reader (or a crash) never sees half a file. A whole build: see
//! [`outdir`], which swaps the output directory in one step.

pub mod outdir;

use std::io::Write;
use std::path::Path;

pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    // Renamed over, a device or a FIFO (`/dev/null` named by mistake)
    // would be replaced by a regular file: only regular files, and links
    // (which the rename replaces, never follows), are written over.
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_file() && !meta.file_type().is_symlink() {
            return Err(std::io::Error::other(
                "it is not a regular file (a directory, device, FIFO or socket); kojo writes only files (to print, use --format)",
            ));
        }
    }
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new().prefix(".kojo-").suffix(".tmp").tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    // A new file is rw-r--r-- like any the user would make (the
    // temporary file is rw-------).
    if let Some(mode) = kept_mode(path).or_else(new_file_mode) {
        temp.as_file().set_permissions(mode)?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The permissions a replaced file keeps: only a regular file's own (never
/// those of what a symbolic link points to: a generated file swapped for a
/// link to a setuid program must not make the new file setuid), and only the
/// read/write/execute bits.
#[cfg(unix)]
fn kept_mode(path: &Path) -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::symlink_metadata(path).ok().filter(|m| m.file_type().is_file())?;
    Some(std::fs::Permissions::from_mode(metadata.permissions().mode() & 0o777))
}

#[cfg(unix)]
fn new_file_mode() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn new_file_mode() -> Option<std::fs::Permissions> {
    None
}

#[cfg(not(unix))]
fn kept_mode(path: &Path) -> Option<std::fs::Permissions> {
    std::fs::symlink_metadata(path).ok().filter(|m| m.file_type().is_file()).map(|m| m.permissions())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::FileTypeExt;

    use super::*;

    #[test]
    fn a_fifo_or_directory_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.json");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let err = write_atomic(&fifo, b"{}").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is still there");
        assert!(write_atomic(dir.path(), b"{}").is_err(), "nor a directory");
    }

    #[test]
    fn replaces_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.kojo");
        std::fs::write(&path, "old contents that are longer").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_readable_by_others() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.sarif");
        write_atomic(&path, b"{}").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_never_come_through_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let setuid = dir.path().join("setuid");
        std::fs::write(&setuid, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&setuid, std::fs::Permissions::from_mode(0o4755)).unwrap();
        let path = dir.path().join("out.txt");
        std::os::unix::fs::symlink(&setuid, &path).unwrap();
        write_atomic(&path, b"report").unwrap();
        let mode = std::fs::symlink_metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o7000, 0, "{mode:o}");
        assert_eq!(std::fs::read(&setuid).unwrap(), b"#!/bin/sh\n", "the link's target is untouched");
        // A regular file keeps its rwx bits, never setuid.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o4750)).unwrap();
        write_atomic(&path, b"again").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o750);
    }
}
