//! `kojo fmt`: rewrite .kojo files in the canonical layout.

use std::io::Read;
use std::path::{Path, PathBuf};

use kojo_compiler::{DiskSource, ProjectSource};
use kojo_lang::format::format_source;
use kojo_lang::{Code, Diagnostic};

use crate::cli::{self, FmtArgs};
use crate::exit::Exit;
use crate::report;
use crate::write::write_atomic;

pub fn run(args: &FmtArgs) -> Exit {
    if args.paths.iter().any(|p| p == Path::new("-")) {
        return stdin_to_stdout();
    }
    // (shown name, path to write, contents)
    let mut files: Vec<(String, PathBuf, Vec<u8>)> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let roots = if args.paths.is_empty() {
        // Like `check`: with no path, the current project, and only a project.
        let root = super::project_root(None);
        if !root.join(kojo_compiler::source::MANIFEST).is_file() {
            let diagnostic =
                Diagnostic::at_path(Code::ManifestNotFound, &root, "no kojo.kdl here or in any directory above")
                    .with_help("run `kojo fmt` inside a project, or name the files or directories to format");
            crate::output::err_rendered(&report::render(&diagnostic, cli::color()));
            return Exit::Usage;
        }
        vec![root]
    } else {
        args.paths.clone()
    };
    for path in roots {
        if path.is_dir() {
            let (found, mut errors) = DiskSource::new(&path).sources();
            problems.append(&mut errors);
            files.extend(found.into_iter().map(|f| {
                let path = f.path.unwrap_or_else(|| PathBuf::from(&f.name));
                (f.name, path, f.bytes)
            }));
        } else {
            match DiskSource::read_named(&path) {
                Ok(bytes) => files.push((kojo_compiler::source::shown(&path), path, bytes)),
                Err(diagnostic) => problems.push(diagnostic),
            }
        }
    }
    let mut unformatted = 0;
    for (name, path, bytes) in files {
        let (source, parsed) = kojo_lang::parse_bytes(&name, bytes);
        let Some(source) = source.filter(|_| parsed.diagnostics.is_empty()) else {
            problems.extend(parsed.diagnostics);
            continue;
        };
        let formatted = match format_source(&source) {
            Ok(text) => text,
            Err(mut diagnostics) => {
                problems.append(&mut diagnostics);
                continue;
            }
        };
        if formatted == source.text() {
            continue;
        }
        unformatted += 1;
        if args.check {
            outln!("would reformat {name}");
        } else if let Err(err) = write_atomic(&link_target(&path), formatted.as_bytes()) {
            problems.push(Diagnostic::at_path(Code::Io, &path, format!("cannot write `{name}`: {err}")));
        } else {
            outln!("formatted {name}");
        }
    }
    if !problems.is_empty() {
        kojo_lang::diagnostic::sort(&mut problems);
        crate::output::err_rendered(&report::render_all(&problems, cli::color()));
        return crate::exit::for_diagnostics(&problems, kojo_lang::Severity::Error);
    }
    if args.check && unformatted > 0 {
        outln!("{unformatted} file(s) not formatted; run `kojo fmt` to fix");
        return Exit::Findings;
    }
    Exit::Clean
}

fn stdin_to_stdout() -> Exit {
    let mut bytes = Vec::new();
    // Bounded like a file: `kojo fmt - < /dev/zero` must end.
    let limit = kojo_lang::parser::MAX_FILE_BYTES as u64 + 1;
    if let Err(err) = std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
        errln!("error: cannot read standard input: {err}");
        return Exit::Usage;
    }
    let (source, parsed) = kojo_lang::parse_bytes("<stdin>", bytes);
    let result = match source {
        Some(source) if parsed.diagnostics.is_empty() => format_source(&source),
        _ => Err(parsed.diagnostics),
    };
    match result {
        Ok(text) => {
            // The formatted source itself: data, written as it is.
            crate::output::out_raw(&text);
            Exit::Clean
        }
        Err(diagnostics) => {
            crate::output::err_rendered(&report::render_all(&diagnostics, cli::color()));
            crate::exit::for_diagnostics(&diagnostics, kojo_lang::Severity::Error)
        }
    }
}

/// The file a path names, through symbolic links: formatting a linked file
/// rewrites the file and keeps the link.
fn link_target(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}
