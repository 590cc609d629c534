//! `kojo init [DIR]`: a new project that checks clean and builds, from the
//! files in `stdlib/init/<lang>/` (a manifest, a plant with two zones, a
//! firewall, a server, a PLC and a conduit, a README), with the project's
//! name put in.
//!
//! It never overwrites anything: when any file it would write exists, it
//! writes nothing and lists them. The files are staged as temporary files in
//! their directory and renamed into place only when all are written, each
//! rename refusing to replace a file that appeared meanwhile; on any failure
//! what was already put in place is removed again, so a project is written
//! whole or not at all.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use kojo_lang::{Code, Diagnostic};

use crate::cli::{self, DocLang};
use crate::exit::Exit;
use crate::report;

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The new project's directory (default: the current directory); created if missing.
    pub dir: Option<PathBuf>,
    /// The project's name (default: the directory's name, made into a valid project name).
    #[arg(long)]
    pub name: Option<String>,
    /// The language of the files' titles and comments, and the default language of documents.
    #[arg(long, value_enum, default_value_t = DocLang::En)]
    pub lang: DocLang,
}

/// The name when the directory's name has nothing usable (`/`, `工場`).
const FALLBACK_NAME: &str = "plant";
/// The longest project name `kojo init` writes.
const MAX_NAME: usize = 64;

pub fn run(args: &InitArgs) -> Exit {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if dir.exists() && !dir.is_dir() {
        return fail(
            Diagnostic::at_path(Code::Io, &dir, format!("`{}` is not a directory", dir.display()))
                .with_help("name a new or an empty directory for the project, e.g. `kojo init my-plant`"),
        );
    }
    let name = match &args.name {
        Some(name) if valid_name(name) => name.clone(),
        Some(name) => {
            errln!(
                "error: `{name}` is not a valid project name\n  help: use ASCII letters, digits, `-`, `_` and `.`, starting with a letter or a digit, at most {MAX_NAME} characters: e.g. `--name {}`",
                derive_name(name)
            );
            return Exit::Usage;
        }
        None => derive_name(&dir_name(&dir).unwrap_or_default()),
    };
    let lang = match args.lang {
        DocLang::En => "en",
        DocLang::Ja => "ja",
    };
    let Some(files) = kojo_stdlib::init_project(lang, &name) else {
        errln!("error: kojo has no project files in `{lang}`");
        return Exit::Usage;
    };
    let conflicts: Vec<PathBuf> =
        files.iter().map(|(path, _)| dir.join(path)).filter(|path| path.symlink_metadata().is_ok()).collect();
    if !conflicts.is_empty() {
        errln!("error: `kojo init` would overwrite files that exist; nothing was written:");
        for path in &conflicts {
            errln!("  {}", path.display());
        }
        errln!("  help: choose an empty directory, e.g. `kojo init my-plant`, or move these files away");
        return Exit::Usage;
    }
    if let Err(err) = write_new(&dir, &files) {
        return fail(
            Diagnostic::at_path(Code::Io, &dir, format!("cannot write the project in `{}`: {err}", dir.display()))
                .with_help("choose a directory you can write to; nothing was written"),
        );
    }
    let here = dir == Path::new(".");
    if here {
        outln!("created the kojo project `{name}` in the current directory:");
    } else {
        outln!("created the kojo project `{name}` in {}:", dir.display());
    }
    for (path, _) in &files {
        outln!("  {}", if here { PathBuf::from(path) } else { dir.join(path) }.display());
    }
    outln!("next:");
    if !here {
        outln!("  cd {}", shell_word(&dir));
    }
    // The files are data an organisation may change: only generic advice here.
    outln!("  kojo check      # syntax, names, types and the guideline's rules");
    outln!("  kojo build      # every enforcing device's configuration, under the manifest's output (commit it)");
    outln!("  kojo fmt        # the canonical layout");
    outln!("  kojo explain    # every diagnostic code and rule");
    if files.iter().any(|(path, _)| *path == "README.md") {
        outln!("README.md says what the files are and how to make the model your plant's.");
    }
    Exit::Clean
}

fn fail(diagnostic: Diagnostic) -> Exit {
    crate::output::err_rendered(&report::render(&diagnostic, cli::color()));
    Exit::Usage
}

/// A project name: ASCII letters, digits, `-`, `_` and `.`, starting with a
/// letter or a digit; it is written into strings of the manifest and the
/// model, and into file names of documents.
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.len() <= MAX_NAME
}

/// `text` made into a valid project name: lower case, every run of other
/// characters one `-`, no separator at either end (`My Plant #2` →
/// `my-plant-2`); `plant` when nothing is left.
fn derive_name(text: &str) -> String {
    let mut name = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            name.push(c.to_ascii_lowercase());
        } else if !name.is_empty() && !name.ends_with('-') {
            name.push('-');
        }
    }
    name.truncate(MAX_NAME);
    let name = name.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    if name.is_empty() {
        FALLBACK_NAME.to_string()
    } else {
        name.to_string()
    }
}

/// The last name of `dir` as an absolute path (`.` is the current
/// directory's name, `a/b/..` is `a`).
fn dir_name(dir: &Path) -> Option<String> {
    let full = dir.canonicalize().or_else(|_| std::path::absolute(dir)).ok()?;
    let mut names = Vec::new();
    for component in full.components() {
        match component {
            Component::Normal(name) => names.push(name),
            Component::ParentDir => {
                names.pop();
            }
            _ => {}
        }
    }
    names.last().map(|name| name.to_string_lossy().into_owned())
}

/// A path as one word for a POSIX shell, quoted when it needs to be.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./+:@%".contains(c)) {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

/// Writes `files` below `dir`, all or none, replacing nothing: the
/// directories missing are created, every file is staged as a temporary file
/// next to where it goes, then each is renamed into place without replacing
/// a file that exists. On a failure, the files put in place and the
/// directories created are removed again.
fn write_new(dir: &Path, files: &[(&str, String)]) -> std::io::Result<()> {
    let mut created: Vec<PathBuf> = Vec::new();
    let result = stage_and_place(dir, files, &mut created);
    if result.is_err() {
        // Deepest first; a directory is only removed when it is empty.
        for dir in created.iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    result
}

fn stage_and_place(dir: &Path, files: &[(&str, String)], created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut staged = Vec::new();
    for (path, text) in files {
        let target = dir.join(path);
        let parent = target.parent().unwrap_or(dir);
        create_dirs(parent, created)?;
        let mut temp = tempfile::Builder::new().prefix(".kojo-").suffix(".tmp").tempfile_in(parent)?;
        temp.write_all(text.as_bytes())?;
        temp.as_file().sync_all()?;
        set_readable(temp.as_file())?;
        staged.push((temp, target));
    }
    let mut placed: Vec<PathBuf> = Vec::new();
    for (temp, target) in staged {
        if let Err(err) = temp.persist_noclobber(&target) {
            for path in &placed {
                let _ = std::fs::remove_file(path);
            }
            let error = if err.error.kind() == std::io::ErrorKind::AlreadyExists {
                std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    format!("`{}` appeared meanwhile", target.display()),
                )
            } else {
                err.error
            };
            return Err(error);
        }
        placed.push(target);
    }
    Ok(())
}

/// Creates `dir` and its missing parents, recording each directory created,
/// outermost first.
fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let missing: Vec<&Path> = dir.ancestors().take_while(|d| !d.as_os_str().is_empty() && !d.exists()).collect();
    for dir in missing.into_iter().rev() {
        std::fs::create_dir(dir)?;
        created.push(dir.to_path_buf());
    }
    Ok(())
}

/// A new project's files are rw-r--r-- like any file an editor creates
/// (temporary files are created rw-------).
#[cfg(unix)]
fn set_readable(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_made_valid() {
        for (dir, name) in [
            ("My Plant", "my-plant"),
            ("Kanto Plant #1", "kanto-plant-1"),
            ("  --odd--  ", "odd"),
            ("plant_2.b", "plant_2.b"),
            ("工場", FALLBACK_NAME),
            ("", FALLBACK_NAME),
            ("第2工場 Line", "2-line"),
        ] {
            assert_eq!(derive_name(dir), name, "{dir:?}");
            assert!(valid_name(&derive_name(dir)), "{dir:?}");
        }
        assert_eq!(derive_name(&"a".repeat(100)).len(), MAX_NAME);
        assert!(valid_name("Kanto-1"));
        for invalid in ["", "-a", "a b", "a\"b", "工場", ".hidden"] {
            assert!(!valid_name(invalid), "{invalid:?}");
        }
    }

    #[test]
    fn a_directory_is_named_by_its_last_name() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(dir_name(Path::new(".")), cwd.file_name().map(|n| n.to_string_lossy().into_owned()));
        assert_eq!(dir_name(Path::new("no-such-dir/New Plant")).as_deref(), Some("New Plant"));
        assert_eq!(dir_name(Path::new("no-such-dir/a/..")).as_deref(), Some("no-such-dir"));
    }

    #[test]
    fn shell_words_are_quoted_when_needed() {
        assert_eq!(shell_word(Path::new("my-plant")), "my-plant");
        assert_eq!(shell_word(Path::new("My Plant")), "'My Plant'");
        assert_eq!(shell_word(Path::new("it's")), r"'it'\''s'");
    }

    /// The embedded files in both languages: the sources are already in
    /// `kojo fmt`'s layout, and the project checks with nothing to report.
    #[test]
    fn the_embedded_projects_are_formatted_and_check_clean() {
        for lang in ["en", "ja"] {
            let files = kojo_stdlib::init_project(lang, "test-plant").unwrap();
            let mut source = kojo_compiler::MemorySource::new("init");
            for (path, text) in &files {
                if *path == kojo_compiler::source::MANIFEST {
                    source.manifest = Some(text.clone());
                } else if path.ends_with(".kojo") {
                    let (parsed, result) = kojo_lang::parse_bytes(path, text.clone().into_bytes());
                    assert!(result.diagnostics.is_empty(), "{lang}/{path}: {:?}", result.diagnostics);
                    let formatted = kojo_lang::format::format_source(&parsed.unwrap()).unwrap();
                    assert_eq!(&formatted, text, "init/{lang}/{path} is not in kojo fmt's layout");
                    source = source.with_file(path, text.as_bytes());
                }
            }
            let checked = kojo_compiler::check(&source, kojo_backends::names());
            assert!(
                checked.diagnostics.is_empty(),
                "init/{lang}:\n{}",
                report::render_all(&checked.diagnostics, false)
            );
        }
    }
}
