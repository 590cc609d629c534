//! `kojo log ENTITY`: the commits that changed an entity's meaning, newest
//! first, each with what changed and its risk.

use kojo_compiler::diff::log::{self, Log, Wanted};
use kojo_compiler::Options;
use serde_json::json;

use super::diff::human::describe;
use super::revision;
use crate::cli::{Format, LogArgs};
use crate::exit::Exit;

/// The kinds an entity can be asked about by.
const KINDS: [&str; 8] = ["zone", "asset", "conduit", "operation", "data", "purchase", "waiver", "attestation"];

fn wanted(words: &[String]) -> Result<Wanted, String> {
    let (kind, name) = match words {
        [kind, name] => (Some(kind.clone()), name.clone()),
        [one] => match one.split_once(':') {
            Some((kind, name)) => (Some(kind.to_string()), name.to_string()),
            None => (None, one.clone()),
        },
        _ => return Err("name one entity: `conduit vendor_remote` or a name".to_string()),
    };
    match kind {
        Some(kind) if !KINDS.contains(&kind.as_str()) => {
            Err(format!("`{kind}` is not a kind of entity; kinds: {}", KINDS.join(", ")))
        }
        kind => Ok(Wanted { kind, name }),
    }
}

pub fn run(args: &LogArgs) -> Exit {
    let wanted = match wanted(&args.entity) {
        Ok(wanted) => wanted,
        Err(message) => {
            errln!("error: {message}");
            return Exit::Usage;
        }
    };
    let located = match revision::locate(args.project.as_deref()) {
        Ok(located) => located,
        Err(exit) => return exit,
    };
    let source = match revision::open(&located, &args.rev) {
        Ok(source) => source,
        Err(exit) => return exit,
    };
    if !matches!(kojo_compiler::ProjectSource::manifest(&source), Ok(Some(_))) {
        errln!(
            "error: {} holds no project at `{}`\n  help: name a revision that has its kojo.kdl, or the project's directory with --project",
            args.rev,
            if located.prefix.is_empty() { "." } else { located.prefix.as_str() }
        );
        return Exit::Usage;
    }
    let start = source.commit();
    let Ok(start) = git2::Oid::from_str(&start) else { return Exit::Usage };
    let Ok(repo) = git2::Repository::open(&located.git_dir) else { return Exit::Usage };
    // No waiver expires in the past: history is about what was written.
    let options = Options { backends: kojo_backends::names(), ..Default::default() };
    let history = match log::log(&repo, &located.prefix, start, &wanted, &options, args.max_count) {
        Ok(history) => history,
        Err(err) => {
            errln!("error: the git history cannot be read: {}", err.message());
            return Exit::Usage;
        }
    };
    let shown = match &wanted.kind {
        Some(kind) => format!("{kind} `{}`", wanted.name),
        None => format!("`{}`", wanted.name),
    };
    let text = match args.format {
        Format::Human => human(&history, &shown, &located),
        Format::Json => {
            let value = json!({ "version": 1, "kind": wanted.kind, "name": wanted.name, "log": history });
            format!("{}\n", serde_json::to_string_pretty(&value).unwrap_or_default())
        }
    };
    let print = match args.format {
        Format::Human => super::documents::print_human,
        Format::Json => super::documents::print,
    };
    if print(&text) != Exit::Clean {
        return Exit::Usage;
    }
    let missing = unknown(&source, &wanted, &options);
    match (history.entries.is_empty(), missing) {
        // Nowhere in the history: a typo.
        (true, Some(help)) => {
            errln!("error: {} has no {shown}\n  help: {help}", args.rev);
            return Exit::Usage;
        }
        (true, None) => {
            errln!("note: no commit from {} changed {shown} ({} commits walked)", args.rev, history.walked)
        }
        // Once there, gone since: removed, or renamed.
        (false, Some(_)) => errln!(
            "note: {} has no {shown} any more (removed or renamed): its history up to then; `kojo diff` from the last commit listed says which",
            args.rev
        ),
        (false, None) => {}
    }
    Exit::Clean
}

/// When the start revision has no entity `wanted`, what to say instead
/// (a name that is close, or the kinds); `None` when it has one.
fn unknown(source: &kojo_compiler::GitSource, wanted: &Wanted, options: &Options<'_>) -> Option<String> {
    let snapshot = kojo_compiler::diff::Snapshot::entities_of(&kojo_compiler::check_with(source, options))?;
    let names: Vec<&str> = snapshot
        .entities
        .values()
        .filter(|e| wanted.kind.as_deref().is_none_or(|k| k == e.kind))
        .map(|e| e.name.as_str())
        .collect();
    if names.contains(&wanted.name.as_str()) {
        return None;
    }
    Some(match kojo_compiler::suggest::did_you_mean(&wanted.name, names.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "name an entity as `kojo check` shows it, e.g. `conduit vendor_remote`".to_string(),
    })
}

fn human(history: &Log, shown: &str, located: &revision::Located) -> String {
    let mut out = String::new();
    for entry in &history.entries {
        out.push_str(&format!(
            "{} {} {}  {}\n",
            revision::short(&entry.commit),
            entry.date,
            entry.author,
            entry.summary
        ));
        match entry.skipped {
            0 => {}
            1 => out.push_str("  (with the older commit before it, which did not compile)\n"),
            n => out.push_str(&format!("  (with the {n} older commits before it, which did not compile)\n")),
        }
        for change in &entry.changes {
            let at = change
                .place
                .as_ref()
                .filter(|_| !change.place_before)
                .map(|p| format!("  ({}:{})", located.repo_path(&p.file), p.line));
            out.push_str(&format!("  {:6}  {}{}\n", change.risk.id(), describe(change), at.unwrap_or_default()));
        }
    }
    if history.truncated {
        out.push_str(&format!("(the walk stopped after {} commits)\n", history.walked));
    }
    if history.shallow && !history.entries.is_empty() {
        out.push_str(&format!("(a shallow clone: {shown}'s history may go back further than it shows)\n"));
    }
    out
}
