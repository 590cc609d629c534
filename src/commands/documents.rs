//! What the document commands (`kojo procure`, `kojo evidence`, `kojo report`) share:
//! loading a project that compiles, the language and format flags, the
//! project's own templates, and reporting a document that cannot be
//! rendered.

use std::path::Path;

use kojo_backends::documents::render::RenderError;
use kojo_backends::documents::{Format, Lang, ProjectTemplate};
use kojo_compiler::evidence::{self, Assessment, Input};
use kojo_compiler::types::Date;
use kojo_compiler::{Checked, DiskSource, Options, ProjectSource};
use kojo_lang::{Code, Diagnostic, Severity};

use crate::cli;
use crate::exit::{self, Exit};
use crate::report;

/// A project that compiled, with where it came from.
pub struct Loaded {
    pub checked: Checked,
    pub source: DiskSource,
}

/// Loads and checks the project at `path`. Compile errors are printed and
/// returned as the exit code; findings are not printed (the documents
/// show them).
pub fn load(path: Option<&Path>, today: Date) -> Result<Loaded, Exit> {
    let root = super::project_root(path);
    let source = DiskSource::new(&root);
    let options = Options { backends: kojo_backends::names(), today: Some(today), ..Default::default() };
    let checked = kojo_compiler::check_with(&source, &options);
    let errors: Vec<Diagnostic> = checked.diagnostics.iter().filter(|d| d.code != Code::Finding).cloned().collect();
    let stop = exit::for_diagnostics(&errors, Severity::Error);
    if matches!(stop, Exit::Usage | Exit::Compile) || checked.model.is_none() {
        crate::output::err_rendered(&report::render_all(&errors, cli::color()));
        return Err(if matches!(stop, Exit::Usage) { Exit::Usage } else { Exit::Compile });
    }
    Ok(Loaded { checked, source })
}

/// Everything a document command starts from: the date, the project
/// (compiled), and its own templates. On failure the problem has been
/// printed and the exit code is returned.
pub fn open(path: Option<&Path>, now: Option<&str>) -> Result<(Date, Loaded, Vec<ProjectTemplate>), Exit> {
    let date = date(now)?;
    let loaded = load(path, date)?;
    let templates = templates(&loaded.source)?;
    Ok((date, loaded, templates))
}

/// The Appendix E assessment of a compiled project on `now`, with proof of
/// review from its git history (`kojo evidence`, `kojo report`); `None`
/// when the project did not compile.
pub fn assess(loaded: &Loaded, now: Date) -> Option<Assessment> {
    let checked = &loaded.checked;
    let (Some(model), Some(catalogue), Some(profile)) = (&checked.model, &checked.catalogue, &checked.profile) else {
        return None;
    };
    let versioning = loaded.source.history(&evidence::paths::inside(model), now);
    let input = Input {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        findings: &checked.findings,
        now,
        versioning: &versioning,
    };
    Some(evidence::assess(&input))
}

/// The date and the project, for the commands that take no templates
/// (`graph`, `ledger`). On failure the problem has been printed and the
/// exit code is returned.
pub fn dated(path: Option<&Path>, now: Option<&str>) -> Result<(Date, Loaded), Exit> {
    let date = date(now)?;
    Ok((date, load(path, date)?))
}

/// The document date: `--now`, or today in UTC.
pub fn date(now: Option<&str>) -> Result<Date, Exit> {
    match now.map(Date::parse) {
        None => Ok(super::check::today()),
        Some(Ok(date)) => Ok(date),
        Some(Err(invalid)) => {
            errln!("error: --now: {}\n  help: {}", invalid.message, invalid.help);
            Err(Exit::Usage)
        }
    }
}

/// The language: `--lang`, else the manifest's `language`, else English.
pub fn lang(flag: Option<cli::DocLang>, checked: &Checked) -> Lang {
    match flag {
        Some(flag) => flag.into(),
        None => checked
            .manifest
            .as_ref()
            .and_then(|m| m.language.as_ref())
            .and_then(|l| Lang::parse(&l.value))
            .unwrap_or(Lang::En),
    }
}

pub fn format(flag: cli::DocFormat) -> Format {
    match flag {
        cli::DocFormat::Md => Format::Markdown,
        cli::DocFormat::Html => Format::Html,
        cli::DocFormat::Json => Format::Json,
        cli::DocFormat::Oscal => Format::Oscal,
    }
}

/// The project's `templates/*.tera`, each overriding the built-in template
/// of its name, and a KOJO-E0601 for each that cannot be used: a name that
/// overrides nothing (it would be silently ignored), a file that is not
/// UTF-8, what project templates may not do, a template tera cannot read.
/// `kojo check` reports these too, so CI catches a broken template before
/// a document is written.
pub fn read_templates(source: &dyn ProjectSource) -> (Vec<ProjectTemplate>, Vec<Diagnostic>) {
    let (files, mut problems) = source.templates();
    let mut out = Vec::new();
    for file in files {
        let base = Path::new(&file.name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let name = base.trim_end_matches(".tera").to_string();
        if kojo_stdlib::template(&name).is_none() {
            let known: Vec<String> = kojo_stdlib::templates().map(|(n, _)| format!("{n}.tera")).collect();
            problems.push(
                Diagnostic::at_path(
                    Code::InvalidTemplate,
                    &file.name,
                    format!("`{base}` overrides no built-in template"),
                )
                .with_help(format!("a project's templates/ directory holds overrides of: {}", known.join(", "))),
            );
            continue;
        }
        match String::from_utf8(file.bytes) {
            Ok(text) => out.push(ProjectTemplate { name, file: file.name, text }),
            Err(_) => problems.push(
                Diagnostic::at_path(Code::InvalidTemplate, &file.name, format!("`{base}` is not valid UTF-8"))
                    .with_help("save the template as UTF-8"),
            ),
        }
    }
    for error in kojo_backends::documents::render::validate(&out) {
        problems.push(template_diagnostic(&error));
    }
    (out, problems)
}

/// [`read_templates`], printing the problems: the exit code if there are any.
pub fn templates(source: &DiskSource) -> Result<Vec<ProjectTemplate>, Exit> {
    let (out, problems) = read_templates(source);
    if problems.is_empty() {
        return Ok(out);
    }
    crate::output::err_rendered(&report::render_all(&problems, cli::color()));
    Err(exit::for_diagnostics(&problems, Severity::Error))
}

fn template_diagnostic(error: &RenderError) -> Diagnostic {
    match error {
        RenderError::Template { file, message } => {
            Diagnostic::at_path(Code::InvalidTemplate, file, format!("`{file}` cannot be used: {message}"))
                .with_help("fix the template, or delete it to use kojo's own")
        }
        RenderError::Internal(message) => {
            Diagnostic::at_path(Code::Io, "<built-in templates>", format!("internal error: {message}"))
                .with_help("this is a bug in kojo; please report it")
        }
    }
}

/// Prints why a document could not be rendered; the exit code.
pub fn render_failed(error: &RenderError) -> Exit {
    match error {
        RenderError::Template { .. } => {
            crate::output::err_rendered(&report::render(&template_diagnostic(error), cli::color()));
            Exit::Compile
        }
        RenderError::Internal(message) => {
            errln!("error: internal error: {message}\n  help: this is a bug in kojo; please report it");
            Exit::Usage
        }
    }
}

/// Writes the document to standard output as it is (it has its format's
/// own escaping); 2 if it could not all be written (a closed pipe).
pub fn print(text: &str) -> Exit {
    crate::output::out_raw(text);
    written()
}

/// Writes human text to standard output, made inert; 2 if it could not all
/// be written.
pub fn print_human(text: &str) -> Exit {
    crate::output::out(text);
    written()
}

fn written() -> Exit {
    if crate::output::closed() {
        Exit::Usage
    } else {
        Exit::Clean
    }
}
