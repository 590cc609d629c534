//! The history of one entity: the commits that changed it semantically,
//! newest first, with the change (`kojo log`). A commit that touched the
//! entity's file without changing its meaning (a comment, a reformat, a
//! move) is not listed.
//!
//! The walk follows the first-parent line from a start commit. Commits
//! whose manifest, sources and profiles are the same objects as their
//! child's are skipped without being checked; the others are checked once
//! each, and each check's snapshot serves two comparisons.

use std::rc::Rc;

use git2::{Oid, Repository};
use kojo_stdlib::Catalogue;

use super::{compare, Change, ChangeKind, Snapshot};
use crate::project::ParseCache;
use crate::source::git::GitSource;
use crate::source::history::MAX_COMMITS;
use crate::types::Date;
use crate::Options;

/// An entity asked about: `conduit vendor_remote`, or a name of any kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub kind: Option<String>,
    pub name: String,
}

/// One commit that changed the entity.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub commit: String,
    pub date: String,
    pub author: String,
    pub summary: String,
    /// The entity's changes (under its name at that commit).
    pub changes: Vec<Change>,
    /// Commits between this one and the previous one listed that could not
    /// be compared (they did not compile): the changes span them.
    pub skipped: usize,
}

/// The entity's history.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Log {
    pub entries: Vec<Entry>,
    /// Commits walked.
    pub walked: usize,
    /// Commits checked (the others changed no input).
    pub checked: usize,
    /// The walk stopped at the limit before the first commit.
    pub truncated: bool,
    /// The repository is a shallow clone: the oldest entry may only be
    /// where the clone's history was cut.
    pub shallow: bool,
}

impl Wanted {
    /// Whether a change concerns the entity named `name` (its current
    /// name in the walk): the entity itself, a waiver on it, a path from it.
    fn concerns(&self, change: &Change, name: &str) -> bool {
        let (kind, rest) = change.entity.split_once(':').unwrap_or((change.entity.as_str(), ""));
        let kind_ok = |k: &str| self.kind.as_deref().is_none_or(|wanted| wanted == k);
        match kind {
            // `kojo log waiver "NW-MFA on asset:hmi"`: the waiver itself.
            "waiver" if self.kind.as_deref() == Some("waiver") => rest == name,
            "waiver" => rest.split_once(" on ").is_some_and(|(_, scope)| {
                super::rename::scope_names(scope).into_iter().any(|(k, n)| kind_ok(k) && n == name)
            }),
            // A path from the zone, or into it.
            "path" => {
                kind_ok("zone")
                    && (rest == name
                        || change
                            .after
                            .as_deref()
                            .is_some_and(|ways| ways.split("; ").any(|way| way.split(' ').next() == Some(name))))
            }
            _ => kind_ok(kind) && rest == name,
        }
    }
}

/// The newer side of a comparison: the commit its changes are credited
/// to (the oldest of a run of commits with the same inputs) and its
/// meaning (if it compiled).
type Newer = (Oid, Option<Snapshot>);

/// Commits checked together, spread over the machine's cores.
const BATCH: usize = 64;

/// A commit to check, and the commit its changes are credited to: the
/// oldest of the commits after it (in walking order) with the same inputs.
struct Candidate {
    checked: Oid,
    credited: Oid,
}

/// Walks the first-parent history from `start` and lists the commits that
/// changed `wanted`, at most `limit` of them.
pub fn log(
    repo: &Repository,
    prefix: &str,
    start: Oid,
    wanted: &Wanted,
    options: &Options<'_>,
    limit: usize,
) -> Result<Log, git2::Error> {
    let catalogue = Catalogue::builtin().map_err(|e| git2::Error::from_str(&e.to_string()))?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    // One per worker, kept across batches: most commits change a file or
    // two, and the others are parsed once.
    let mut caches: Vec<ParseCache> = (0..workers).map(|_| ParseCache::default()).collect();
    let mut out = Log { shallow: repo.is_shallow(), ..Log::default() };
    let mut revwalk = repo.revwalk()?;
    revwalk.push(start)?;
    revwalk.simplify_first_parent()?;
    let mut walk =
        Walk { commits: revwalk.peekable(), repo: Rc::new(Repository::open(repo.path())?), prefix, last: None };
    let mut name = wanted.name.clone();
    let mut newer: Option<Newer> = None;
    let mut skipped = 0;
    while out.entries.len() < limit && walk.commits.peek().is_some() {
        let batch = walk.next_batch(&mut out, &mut newer)?;
        let checked: Vec<Oid> = batch.iter().map(|c| c.checked).collect();
        let snapshots = snapshots(repo.path(), prefix, &checked, options, &mut caches);
        for (candidate, snapshot) in batch.into_iter().zip(snapshots) {
            if out.entries.len() >= limit {
                break;
            }
            let snapshot = match snapshot {
                Meaning::Compiled(snapshot) => Some(snapshot),
                // Before the project existed: it held nothing.
                Meaning::NoProject => Some(Snapshot::default()),
                Meaning::Broken if newer.as_ref().is_some_and(|(_, s)| s.is_some()) => {
                    // Keep comparing against the newer commit that compiled.
                    skipped += 1;
                    continue;
                }
                Meaning::Broken => None,
            };
            if let (Some((commit, Some(after))), Some(before)) = (&newer, &snapshot) {
                record(repo, &mut out, *commit, before, after, catalogue, wanted, &mut name, skipped)?;
                skipped = 0;
            }
            newer = Some((candidate.credited, snapshot));
        }
        if out.truncated {
            break;
        }
    }
    // The oldest commit walked that compiled: what it holds, it added.
    if !out.truncated && out.entries.len() < limit && walk.commits.peek().is_none() {
        if let Some((commit, Some(after))) = &newer {
            record(repo, &mut out, *commit, &Snapshot::default(), after, catalogue, wanted, &mut name, skipped)?;
        }
    }
    Ok(out)
}

/// The first-parent walk, and what the last commit walked held.
struct Walk<'r, 'p> {
    commits: std::iter::Peekable<git2::Revwalk<'r>>,
    repo: Rc<Repository>,
    prefix: &'p str,
    /// The project directory's tree and the inputs of the last commit walked.
    last: Option<(Option<Oid>, Inputs)>,
}

type Inputs = Vec<(String, Oid)>;

impl Walk<'_, '_> {
    /// The next commits whose inputs differ from their child's, each with
    /// the commit its changes are credited to.
    fn next_batch(&mut self, out: &mut Log, newer: &mut Option<Newer>) -> Result<Vec<Candidate>, git2::Error> {
        let mut batch: Vec<Candidate> = Vec::new();
        while batch.len() < BATCH {
            let Some(oid) = self.commits.next() else { break };
            if out.walked >= MAX_COMMITS {
                out.truncated = true;
                break;
            }
            let oid = oid?;
            out.walked += 1;
            let source = GitSource::at_commit(Rc::clone(&self.repo), self.prefix, oid, "history");
            // The same directory tree: the same inputs, without listing them.
            let tree = source.directory();
            let same_tree = tree.is_some() && self.last.as_ref().is_some_and(|(t, _)| *t == tree);
            let inputs = if same_tree { Vec::new() } else { source.inputs() };
            if same_tree || self.last.as_ref().is_some_and(|(_, i)| *i == inputs) {
                // Nothing that means anything changed: what changed before
                // this commit is credited to it, not to its child.
                match batch.last_mut() {
                    Some(candidate) => candidate.credited = oid,
                    None => {
                        if let Some((credited, _)) = newer.as_mut() {
                            *credited = oid;
                        }
                    }
                }
                continue;
            }
            batch.push(Candidate { checked: oid, credited: oid });
            self.last = Some((tree, inputs));
        }
        out.checked += batch.len();
        Ok(batch)
    }
}

/// What a commit means.
enum Meaning {
    Compiled(Snapshot),
    /// The commit has no project at that path (yet).
    NoProject,
    /// It has one that does not compile.
    Broken,
}

/// Each commit's meaning (`None`: it did not compile), in order, checked
/// on as many threads as there are caches, each over a run of
/// consecutive commits (which share most files, so their parses).
fn snapshots(
    git_dir: &std::path::Path,
    prefix: &str,
    commits: &[Oid],
    options: &Options<'_>,
    caches: &mut [ParseCache],
) -> Vec<Meaning> {
    if commits.is_empty() {
        return Vec::new();
    }
    let per = commits.len().div_ceil(caches.len().max(1));
    let (backends, today) = (options.backends, options.today);
    std::thread::scope(|scope| {
        let handles: Vec<_> = commits
            .chunks(per)
            .zip(caches.iter_mut())
            .map(|(run, cache)| {
                scope.spawn(move || {
                    let Ok(repo) = Repository::open(git_dir) else {
                        return run.iter().map(|_| Meaning::Broken).collect::<Vec<_>>();
                    };
                    let repo = Rc::new(repo);
                    let options = Options { backends, today, parsed: Some(cache), ..Options::default() };
                    run.iter()
                        .map(|oid| {
                            // One name for every commit, so that unchanged
                            // files keep theirs and their parse is reused.
                            let source = GitSource::at_commit(Rc::clone(&repo), prefix, *oid, "history");
                            if source.inputs().is_empty() {
                                return Meaning::NoProject;
                            }
                            // A log reads changes, never findings: no snapshot of them.
                            match Snapshot::entities_of(&crate::check_with(&source, &options)) {
                                Some(snapshot) => Meaning::Compiled(snapshot),
                                None => Meaning::Broken,
                            }
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        // A worker that failed leaves its commits unjudged, in their places.
        let runs = commits.chunks(per).map(<[Oid]>::len);
        handles
            .into_iter()
            .zip(runs)
            .flat_map(|(h, n)| h.join().unwrap_or_else(|_| (0..n).map(|_| Meaning::Broken).collect()))
            .collect()
    })
}

#[allow(clippy::too_many_arguments)]
fn record(
    repo: &Repository,
    out: &mut Log,
    commit: Oid,
    before: &Snapshot,
    after: &Snapshot,
    catalogue: &Catalogue,
    wanted: &Wanted,
    name: &mut String,
    skipped: usize,
) -> Result<(), git2::Error> {
    let diff = compare(before, after, catalogue);
    let changes: Vec<Change> = diff.changes.into_iter().filter(|c| wanted.concerns(c, name)).collect();
    if changes.is_empty() {
        return Ok(());
    }
    // Older commits know the entity by its old name.
    if let Some(old) = changes.iter().find(|c| c.kind == ChangeKind::Renamed).and_then(|c| c.before.clone()) {
        *name = old;
    }
    let commit = repo.find_commit(commit)?;
    let date = Date::from_unix_days(commit.time().seconds().div_euclid(86_400));
    out.entries.push(Entry {
        commit: commit.id().to_string(),
        date: date.to_string(),
        author: commit.author().name().unwrap_or_default().to_string(),
        summary: commit.summary().unwrap_or_default().to_string(),
        changes,
        skipped,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiver(name: &str) -> Change {
        Change {
            entity: format!("waiver:{name}"),
            kind: ChangeKind::Added,
            facet: None,
            before: None,
            after: None,
            risk: super::super::Risk::High,
            reason: String::new(),
            place: None,
            place_before: false,
        }
    }

    #[test]
    fn an_entity_log_has_the_waivers_that_name_it() {
        let plc1 = Wanted { kind: Some("asset".to_string()), name: "plc1".to_string() };
        assert!(plc1.concerns(&waiver("NW-MFA on asset:plc1"), "plc1"));
        assert!(plc1.concerns(&waiver("[NW-MFA, DEV-UPS] on asset:[hmi1, plc1]"), "plc1"));
        assert!(!plc1.concerns(&waiver("NW-MFA on asset:[hmi1, plc10]"), "plc1"));
        let control = Wanted { kind: Some("zone".to_string()), name: "control".to_string() };
        assert!(control.concerns(&waiver("NW-MFA on zone:control and its assets"), "control"));
        assert!(control.concerns(&waiver("NW-MFA on assets of kind plc in zone:control"), "control"));
        assert!(!control.concerns(&waiver("NW-MFA on assets of kind plc"), "control"));
    }
}
