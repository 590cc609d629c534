//! `kojo diff A [B]`: what a change does to the plant's security, entity
//! by entity, each change rated by risk; for reviewers (human, a
//! pull-request comment in Markdown) and for CI (JSON, `--fail-on-risk`).

pub(crate) mod human;
mod markdown;

use kojo_compiler::diff::{self, Diff, Place, Risk};
use kojo_lang::{Code, Diagnostic, Severity};
use serde_json::json;

use super::revision::{self, Located, Side};
use crate::cli::{self, DiffArgs, DiffFormat};
use crate::exit::{self, Exit};
use crate::report;

/// What the renderers need besides the diff.
pub struct Frame<'a> {
    pub project: String,
    pub before: &'a Side,
    pub after: &'a Side,
    pub located: &'a Located,
    /// Where a link to a file of the later revision starts (a URL ending
    /// in `/`); links are repository-relative without one.
    pub link_base: Option<String>,
}

impl Frame<'_> {
    /// `conduits.kojo:12` as a repository path and line.
    pub fn at(&self, place: &Place) -> String {
        format!("{}:{}", self.located.repo_path(&place.file), place.line)
    }

    /// A link to a line of the later revision.
    pub fn link(&self, place: &Place) -> String {
        let path = self.located.repo_path(&place.file);
        let encoded: String =
            path.split('/').map(kojo_backends::documents::text::url_segment).collect::<Vec<_>>().join("/");
        format!("{}{encoded}#L{}", self.link_base.as_deref().unwrap_or(""), place.line)
    }
}

pub fn run(args: &DiffArgs) -> Exit {
    let today = match super::documents::date(args.now.as_deref()) {
        Ok(date) => date,
        Err(exit) => return exit,
    };
    let located = match revision::locate(args.project.as_deref()) {
        Ok(located) => located,
        Err(exit) => return exit,
    };
    let before = match revision::check(&located, Some(&args.from), today) {
        Ok(side) => side,
        Err(exit) => return exit,
    };
    let after = match revision::check(&located, args.to.as_deref(), today) {
        Ok(side) => side,
        Err(exit) => return exit,
    };
    if let Some(exit) = broken(&[&before, &after], &located, args.format) {
        return exit;
    }
    let Some(diff) = diff::diff(&before.checked, &after.checked) else { return Exit::Compile };
    let project = after.checked.manifest.as_ref().map_or_else(String::new, |m| m.project.value.clone());
    let frame =
        Frame { project, before: &before, after: &after, located: &located, link_base: link_base(args, &after) };
    let exit = match args.fail_on_risk {
        Some(level) if diff.risk().is_some_and(|r| r >= risk(level)) => Exit::Findings,
        _ => Exit::Clean,
    };
    let text = match args.format {
        DiffFormat::Human => human::render(&diff, &frame),
        DiffFormat::Markdown => markdown::render(&diff, &frame),
        DiffFormat::Json => {
            format!("{}\n", serde_json::to_string_pretty(&to_json(&diff, &frame, exit)).unwrap_or_default())
        }
    };
    // A reader that stops early (`| head`) has not seen it all: exit 2.
    let print = match args.format {
        DiffFormat::Human => super::documents::print_human,
        DiffFormat::Markdown | DiffFormat::Json => super::documents::print,
    };
    exit.max(print(&text))
}

pub fn risk(level: cli::RiskLevel) -> Risk {
    match level {
        cli::RiskLevel::Low => Risk::Low,
        cli::RiskLevel::Medium => Risk::Medium,
        cli::RiskLevel::High => Risk::High,
    }
}

/// A side that cannot be compared (no project there, or one that does
/// not compile) is reported with its errors: exit 2 for no project or an
/// unreadable one, 3 for one that does not compile. As Markdown, the
/// pull request still gets a comment that says so.
fn broken(sides: &[&Side], located: &Located, format: DiffFormat) -> Option<Exit> {
    let mut worst: Option<Exit> = None;
    let mut comment = Vec::new();
    for side in sides {
        let errors: Vec<Diagnostic> = side
            .checked
            .diagnostics
            .iter()
            .filter(|d| d.code != Code::Finding && d.severity == Severity::Error)
            .cloned()
            .collect();
        if errors.is_empty() && side.checked.model.is_some() {
            continue;
        }
        let exit = if errors.iter().any(|d| d.code == Code::ManifestNotFound) {
            let at = if located.prefix.is_empty() { "." } else { located.prefix.as_str() };
            errln!(
                "error: {} holds no project at `{at}`\n  help: name the project's directory (the one with its kojo.kdl) with --project",
                side.label
            );
            comment.push(format!("{} holds no project at `{at}`", side.label));
            Exit::Usage
        } else {
            errln!("error: {} does not compile, so it cannot be compared:", side.label);
            crate::output::err_rendered(&report::render_all(&errors, cli::color()));
            comment.extend(errors.iter().map(|d| format!("{}: {} {}", side.label, where_(d), d.message)));
            let exit = exit::for_diagnostics(&errors, Severity::Error).max(Exit::Compile);
            if errors.iter().any(|d| d.code == Code::Io) {
                Exit::Usage
            } else {
                exit
            }
        };
        worst = Some(worst.map_or(exit, |w| w.max(exit)));
    }
    match (worst, format) {
        (Some(_), DiffFormat::Markdown) => {
            let _ = super::documents::print(&markdown::cannot_compare(&comment));
        }
        // A CI step that reads the JSON gets an answer, not empty input.
        (Some(exit), DiffFormat::Json) => {
            let value = json!({ "version": 1, "exit_code": exit as u8, "risk": null, "errors": comment });
            let _ = super::documents::print(&format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default()));
        }
        _ => {}
    }
    worst
}

/// `plant.kojo:12 KOJO-E0201`: where a diagnostic points, and its code.
fn where_(d: &Diagnostic) -> String {
    let line = d.file().zip(d.primary_span()).map(|(f, s)| f.line_col(s.start).0);
    match (d.path_display(), line) {
        (Some(path), Some(line)) => format!("{path}:{line} {}", d.id()),
        (Some(path), None) => format!("{path} {}", d.id()),
        _ => d.id().to_string(),
    }
}

/// `--link-base`, else what CI says of the repository (GitHub Actions,
/// GitLab CI), pointing at the later revision's commit.
fn link_base(args: &DiffArgs, after: &Side) -> Option<String> {
    let slash = |s: String| if s.ends_with('/') { s } else { format!("{s}/") };
    if let Some(base) = &args.link_base {
        return Some(slash(base.clone()));
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let (Some(server), Some(repo)) = (env("GITHUB_SERVER_URL"), env("GITHUB_REPOSITORY")) {
        let sha = after.commit.clone().or_else(|| env("GITHUB_SHA"))?;
        return Some(format!("{server}/{repo}/blob/{sha}/"));
    }
    if let Some(project) = env("CI_PROJECT_URL") {
        let sha = after.commit.clone().or_else(|| env("CI_COMMIT_SHA"))?;
        return Some(format!("{project}/-/blob/{sha}/"));
    }
    None
}

fn to_json(diff: &Diff, frame: &Frame<'_>, exit: Exit) -> serde_json::Value {
    let side = |s: &Side| json!({ "label": s.label, "commit": s.commit });
    let changes: Vec<serde_json::Value> = diff
        .changes
        .iter()
        .map(|c| {
            let mut value = serde_json::to_value(c).unwrap_or_default();
            if let (Some(place), Some(object)) = (&c.place, value.as_object_mut()) {
                object.insert("path".into(), json!(frame.located.repo_path(&place.file)));
                if !c.place_before {
                    object.insert("link".into(), json!(frame.link(place)));
                }
            }
            value
        })
        .collect();
    let [low, medium, high] = diff.counts();
    json!({
        "version": 1,
        "project": frame.project,
        "from": side(frame.before),
        "to": side(frame.after),
        "risk": diff.risk(),
        "counts": { "high": high, "medium": medium, "low": low },
        "exit_code": exit as u8,
        "changes": changes,
        "findings_introduced": diff.introduced.findings,
        "findings_fixed": diff.fixed.findings,
        "findings_waived": diff.waived.findings,
        // What a diff counts but does not list (it lists `listed_per_kind`
        // of each): zero unless a change is vast.
        "not_listed": {
            "listed_per_kind": diff::LISTED,
            "changes": diff.unlisted_changes(),
            "findings_introduced": diff.introduced.unlisted(),
            "findings_fixed": diff.fixed.unlisted(),
            "findings_waived": diff.waived.unlisted(),
        },
    })
}
