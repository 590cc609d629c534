//! `kojo evidence` end to end: the built binary on projects on disk.
//!
//! - Proof of review comes from real git history: repositories made with
//!   git2 whose commits carry chosen dates; levels 4 and 5 stand or fall
//!   by the last commit that changed each evidence file, outside git
//!   nothing above 3 is proved, a project may sit in a subdirectory of its
//!   repository, a shallow clone's boundary proves nothing, and reading the
//!   history changes nothing in the repository.
//! - Bad evidence paths (KOJO-E0501…E0504) are located errors with exit
//!   code 3, in `kojo check` and `kojo evidence`; a FIFO does not hang.
//! - The model lowers a level: the guideline example without an IDS.
//! - OSCAL output is valid for compliance-trestle and byte-for-byte stable.
//! - The HTML renders in headless Chromium without a console message,
//!   screenshots as a page and prints to a PDF with the headings
//!   (poppler's `pdftotext`, `pdfinfo`, `pdffonts`).
//! - Project templates override the built-in ones; refused ones are
//!   KOJO-E0601 and leak no environment.
//! - Golden files of every example, made deterministic by a synthetic
//!   history with fixed dates and a fixed `--now`.
//!
//! Real tools: Chromium (`chromium`, with `fonts-noto-cjk`), poppler
//! (`poppler-utils`) and compliance-trestle 5.2.0. A missing tool fails the
//! test unless `KOJO_SKIP_TOOLS=1`. Nothing here uses the network.
//!
//! Tests whose comment starts with "Regression" pin down a bug found while
//! writing these tests, since fixed.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "documents/browser.rs"]
mod browser;
#[path = "documents/git.rs"]
mod git;
#[path = "documents/support.rs"]
mod support;
#[path = "documents/trestle.rs"]
mod trestle;

use std::collections::BTreeMap;
use std::path::Path;

use git::{days_before, Fingerprint, Repo};
use support::{
    assert_exit, evidence, evidence_json, example_copy, item, items, kojo, kojo_env, notes, text, write_files, NOW,
};

// ---------------------------------------------------------------------------
// Proof of review from git history
// ---------------------------------------------------------------------------

/// A small plant: two zones, a firewall, a conduit. Attestations follow
/// (see [`ATTESTED`]).
const PLANT: &str = r#"plant "RV1" { name "Review plant" }
zone oa "Office" { subnet 10.1.0.0/24; vlan 10 }
zone control "Control" { subnet 10.2.0.0/24; vlan 20 }
asset fw "Firewall" { kind firewall; interfaces { oa 10.1.0.1; control 10.2.0.1 } }
asset mes "MES" in oa { kind server; ip 10.1.0.5 }
asset plc "PLC" in control { kind plc; ip 10.2.0.5 }
conduit down "Office to control" from oa to control {
  allow mes -> plc service modbus-tcp
  controls [firewall, ids]
  enforced-by fw
}
"#;

/// Evidence files, and how many days before [`NOW`] the last commit that
/// changed each one is dated; `None`: never committed (only in the
/// working tree).
const FILES: &[(&str, Option<i64>)] = &[
    ("docs/recent.md", Some(30)),
    ("docs/quarter.md", Some(90)),
    ("docs/quarter-and-a-day.md", Some(91)),
    ("docs/half-year.md", Some(200)),
    ("docs/yearly.md", Some(200)),
    ("docs/year.md", Some(365)),
    ("docs/year-and-a-day.md", Some(366)),
    ("docs/stale.md", Some(400)),
    ("docs/uncommitted.md", None),
];

/// Attestations: item, declared level, evidence files, the level the
/// default review periods (365 days for 4, 90 for 5) accept. None of these
/// items is derived from the model, so the review alone decides.
const ATTESTED: &[(&str, u8, &[&str], u8)] = &[
    ("E-1-1", 5, &["docs/recent.md"], 5),
    ("E-1-2", 5, &["docs/half-year.md"], 4),
    ("E-1-3", 5, &["docs/stale.md"], 3),
    ("E-1-4", 5, &["docs/uncommitted.md"], 3),
    ("E-1-5", 4, &["docs/yearly.md"], 4),
    ("E-2-1", 5, &["docs/quarter.md"], 5),
    ("E-2-2", 5, &["docs/quarter-and-a-day.md"], 4),
    ("E-2-4", 4, &["docs/year.md"], 4),
    ("E-2-5", 4, &["docs/year-and-a-day.md"], 3),
    // The newest change of any of its files counts.
    ("E-4-1", 5, &["docs/stale.md", "docs/recent.md"], 5),
];

fn plant_source() -> String {
    let mut text = PLANT.to_string();
    for (id, level, files, _) in ATTESTED {
        let evidence: Vec<String> = files.iter().map(|f| format!("evidence \"{f}\"")).collect();
        text.push_str(&format!("attest {id} level {level} {{ {}; owner \"QA\" }}\n", evidence.join("; ")));
    }
    text
}

/// The review project under `prefix` (`""` or `site/plant/`) of the
/// repository at `repo`, with its history: everything first committed 500
/// days before [`NOW`], each evidence file changed last on its day of
/// [`FILES`], and a commit 5 days before NOW that changes no evidence (if
/// kojo dated every file by `HEAD`, everything would be level 5). Then,
/// in the working tree only, `docs/uncommitted.md` and an edit to
/// `docs/stale.md`: what is not committed proves nothing. The commit that
/// last changed each file.
fn review_history(repo: &Repo, prefix: &str) -> BTreeMap<String, git2::Oid> {
    let p = |path: &str| format!("{prefix}{path}");
    let source = plant_source();
    let mut first: Vec<(String, String)> =
        vec![(p("kojo.kdl"), "project \"review\"\nprofile \"meti-factory\"\n".into()), (p("plant.kojo"), source)];
    for (file, days) in FILES {
        if days.is_some() {
            first.push((p(file), format!("# {file}\n\nFirst version.\n")));
        }
    }
    let borrowed: Vec<(&str, &str)> = first.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let initial = repo.commit(&days_before(NOW, 500), &borrowed, "The plant and its evidence");
    let mut last: BTreeMap<String, git2::Oid> =
        FILES.iter().filter(|(_, d)| d.is_some()).map(|(f, _)| (f.to_string(), initial)).collect();
    let mut days: Vec<i64> = FILES.iter().filter_map(|(_, d)| *d).collect();
    days.sort_by(|a, b| b.cmp(a));
    days.dedup();
    for day in days {
        let date = days_before(NOW, day);
        let changed: Vec<(String, String)> = FILES
            .iter()
            .filter(|(_, d)| *d == Some(day))
            .map(|(f, _)| (p(f), format!("# {f}\n\nReviewed on {date}.\n")))
            .collect();
        let borrowed: Vec<(&str, &str)> = changed.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let oid = repo.commit(&date, &borrowed, &format!("Review of {date}"));
        for (file, _) in FILES.iter().filter(|(_, d)| *d == Some(day)) {
            last.insert(file.to_string(), oid);
        }
    }
    repo.commit(&days_before(NOW, 5), &[(&p("notes.txt"), "Not evidence.\n")], "Unrelated");
    write_files(
        &repo.dir,
        &[
            (&p("docs/uncommitted.md"), "# Never committed\n"),
            (&p("docs/stale.md"), "# Edited yesterday, not committed\n"),
        ],
    );
    last
}

/// Asserts every attestation of the review project at the level `expect`
/// gives it, and, where `commits` is given, each file's last change as
/// the history has it.
fn assert_reviews(doc: &serde_json::Value, commits: Option<&BTreeMap<String, git2::Oid>>, expect: impl Fn(&str) -> u8) {
    for (id, declared, files, _) in ATTESTED {
        let it = item(doc, id);
        let accepted = expect(id);
        assert_eq!(it["level"], accepted, "{id}: {it:#}");
        assert_eq!(it["basis"], "attestation", "{id}");
        assert_eq!(it["attestation"]["declared"], *declared, "{id}");
        assert_eq!(it["attestation"]["accepted"], accepted, "{id}");
        let listed = it["attestation"]["files"].as_array().unwrap();
        assert_eq!(listed.len(), files.len(), "{id}");
        for (file, view) in files.iter().zip(listed) {
            assert_eq!(view["path"], *file, "{id}");
            let days = FILES.iter().find(|(f, _)| f == file).unwrap().1;
            match (commits, days) {
                (Some(commits), Some(days)) => {
                    let commit = commits[*file].to_string();
                    assert_eq!(view["commit"], commit[..12], "{id} {file}");
                    assert_eq!(view["date"], days_before(NOW, days), "{id} {file}");
                    assert_eq!(view["age_days"], days, "{id} {file}");
                }
                _ => {
                    assert!(view["commit"].is_null() && view["date"].is_null(), "{id} {file}: {view}");
                }
            }
        }
        let said = notes(it);
        if accepted < *declared {
            assert!(said.contains(&format!("accepted at level {accepted}")), "{id}: {said}");
        } else {
            assert!(!said.contains("accepted at level"), "{id}: {said}");
        }
    }
}

fn expected_level(id: &str) -> u8 {
    ATTESTED.iter().find(|a| a.0 == id).unwrap().3
}

#[test]
fn review_is_proved_by_the_last_commit_that_changed_each_file() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Repo::init(tmp.path());
    let commits = review_history(&repo, "");
    let doc = evidence_json(tmp.path());
    assert_reviews(&doc, Some(&commits), expected_level);
    let head = repo.repo.head().unwrap().target().unwrap().to_string();
    assert_eq!(doc["repository"], format!("Git history at commit {}.", &head[..12]));
    // Why each cap: too old, or never committed.
    let e12 = notes(item(&doc, "E-1-2"));
    assert!(e12.contains("docs/half-year.md last changed on") && e12.contains("90 days"), "{e12}");
    assert!(e12.contains("within the 365-day review period of level 4"), "{e12}");
    assert!(notes(item(&doc, "E-1-4")).contains(&format!("No commit on or before {NOW} changed docs/uncommitted.md")));
    // The 35 items are all there, in the guideline's order.
    let ids: Vec<&str> = items(&doc).iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 35);
    assert_eq!((ids[0], ids[34]), ("E-0-1", "E-4-6"));

    // The same history judged a year later: nothing is recent enough.
    let later = kojo(tmp.path(), &["evidence", "--format", "json", "--now", &git::date_of(git::unix_days(NOW) + 400)]);
    assert_exit(&later, 0);
    let later: serde_json::Value = serde_json::from_slice(&later.stdout).unwrap();
    for (id, ..) in ATTESTED {
        assert_eq!(item(&later, id)["level"], 3, "{id} a year later");
    }
}

#[test]
fn without_git_nothing_above_three_is_proved() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Repo::init(&tmp.path().join("repo"));
    review_history(&repo, "");
    let copy = tmp.path().join("copy");
    support::copy_dir(&repo.dir, &copy, &[".git"]);
    // A temporary directory inside some repository would be read as part
    // of it: that is not the case under test.
    let outer = git2::Repository::discover(&copy);
    assert!(outer.is_err(), "{} is inside a git repository: set TMPDIR elsewhere", copy.display());

    let doc = evidence_json(&copy);
    assert_reviews(&doc, None, |id| expected_level(id).min(3));
    for (id, declared, ..) in ATTESTED {
        let said = notes(item(&doc, id));
        if *declared > 3 {
            assert!(said.contains("The project is not in a git repository"), "{id}: {said}");
        }
    }
    assert_eq!(doc["repository"], "The project is not in a git repository, so levels 4 and 5 cannot be proved.");
}

#[test]
fn a_project_in_a_subdirectory_of_its_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Repo::init(tmp.path());
    let commits = review_history(&repo, "site/plant/");
    // Files of the same names elsewhere in the repository, changed
    // yesterday: they are not the project's evidence.
    let decoys: Vec<(String, &str)> = ["docs/stale.md", "site/docs/stale.md", "docs/year-and-a-day.md"]
        .iter()
        .map(|p| (p.to_string(), "# Another document\n"))
        .collect();
    let borrowed: Vec<(&str, &str)> = decoys.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    repo.commit(&days_before(NOW, 1), &borrowed, "Other documents");

    // Named from the repository's root…
    let out = kojo(tmp.path(), &["evidence", "site/plant", "--format", "json", "--now", NOW]);
    assert_exit(&out, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_reviews(&doc, Some(&commits), expected_level);
    // …and found upwards from inside the project.
    let inside = evidence_json(&tmp.path().join("site/plant/docs"));
    assert_eq!(inside, doc);
}

#[test]
fn a_change_at_a_shallow_clones_boundary_proves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = Repo::init(&tmp.path().join("origin"));
    let commits = review_history(&origin, "");
    let clone_dir = tmp.path().join("clone");
    let clone = git2::Repository::clone(origin.dir.to_str().unwrap(), &clone_dir).unwrap();
    assert!(!clone.is_shallow());
    // Not committed in the origin, so not cloned.
    write_files(&clone_dir, &[("docs/uncommitted.md", "# Never committed\n")]);

    // The full clone proves what the origin does.
    let full = evidence_json(&clone_dir);
    assert_reviews(&full, Some(&commits), expected_level);

    // Cut at the commit 200 days back: half-year.md and yearly.md changed
    // there, and every older file is only seen there. None of them proves
    // a review; the changes after the cut (30, 90, 91 days) still do.
    let boundary = commits["docs/half-year.md"];
    assert_eq!(commits["docs/yearly.md"], boundary);
    git::make_shallow(&clone_dir, boundary);
    let shallow = evidence_json(&clone_dir);
    let at_boundary = |file: &str| FILES.iter().find(|(f, _)| *f == file).unwrap().1.is_some_and(|d| d >= 200);
    let shallow_level = |id: &str| {
        let (_, _, files, accepted) = ATTESTED.iter().find(|a| a.0 == id).unwrap();
        if files.iter().all(|f| at_boundary(f) || *f == "docs/uncommitted.md") {
            3
        } else {
            *accepted
        }
    };
    for (id, ..) in ATTESTED {
        assert_eq!(item(&shallow, id)["level"], shallow_level(id), "{id}: {:#}", item(&shallow, id));
    }
    // Three items lose a level they had with the full history.
    let lost: Vec<&str> = ATTESTED.iter().map(|a| a.0).filter(|id| shallow_level(id) < expected_level(id)).collect();
    assert_eq!(lost, ["E-1-2", "E-1-5", "E-2-4"]);
    for id in &lost {
        let said = notes(item(&shallow, id));
        assert!(said.contains("a shallow clone") && said.contains("git fetch --unshallow"), "{id}: {said}");
    }
    let repository = shallow["repository"].as_str().unwrap();
    assert!(repository.contains("from a shallow clone"), "{repository}");
}

#[test]
fn reading_the_history_changes_nothing_in_the_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Repo::init(tmp.path());
    review_history(&repo, "");
    let before = Fingerprint::of(tmp.path());
    // The fingerprint is stable by itself…
    assert_eq!(before.difference(&Fingerprint::of(tmp.path())), None);
    for format in ["md", "html", "json", "oscal"] {
        evidence(tmp.path(), &["--format", format]);
    }
    assert_exit(&kojo(tmp.path(), &["check"]), 1);
    assert_eq!(before.difference(&Fingerprint::of(tmp.path())), None);

    // …and notices a changed time alone, or a changed byte, in `.git`.
    let description = tmp.path().join(".git/description");
    let file = std::fs::File::options().write(true).open(&description).unwrap();
    file.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(3600)).unwrap();
    drop(file);
    let touched = Fingerprint::of(tmp.path());
    assert!(before.difference(&touched).is_some_and(|d| d.contains("description")));
    let mut config = std::fs::read(tmp.path().join(".git/config")).unwrap();
    config.push(b'\n');
    std::fs::write(tmp.path().join(".git/config"), config).unwrap();
    assert!(touched.difference(&Fingerprint::of(tmp.path())).is_some_and(|d| d.contains("config")));
}

/// A project of one zone and one attestation, `attest`, in a new repository.
fn one_attestation(attest: &str) -> (tempfile::TempDir, Repo) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Repo::init(tmp.path());
    let plant =
        format!("plant \"T1\" {{ name \"One attestation\" }}\nzone a \"A\" {{ subnet 10.0.0.0/24 }}\n{attest}\n");
    write_files(tmp.path(), &[("kojo.kdl", "project \"one\"\n"), ("plant.kojo", &plant)]);
    (tmp, repo)
}

/// Regression: evidence that is a link inside
/// the project is dated by the link's own commits, so committing a new link
/// to a document untouched for 400 days "proves" a review 10 days ago.
/// What a reader of the evidence reads is the document; the link's history
/// proves nothing about it.
#[cfg(unix)]
#[test]
fn a_link_proves_no_review_of_the_document_it_points_to() {
    let (tmp, repo) = one_attestation("attest E-1-1 level 5 { evidence \"docs/current.md\" }");
    repo.commit(&days_before(NOW, 400), &[("docs/2025-review.md", "# Review\n")], "The review");
    std::os::unix::fs::symlink("2025-review.md", tmp.path().join("docs/current.md")).unwrap();
    repo.commit_all(&days_before(NOW, 10), "Point current.md at the review");
    let doc = evidence_json(tmp.path());
    let e11 = item(&doc, "E-1-1");
    assert_eq!(e11["level"], 3, "a new link is not a review of the document:\n{e11:#}");
}

/// A document written and committed yesterday has not been reviewed: the
/// review is a later change to it, however recent its first version.
#[test]
fn a_new_document_is_not_a_review() {
    let (tmp, repo) = one_attestation("attest E-1-1 level 5 { evidence \"docs/new.md\" }");
    repo.commit(&days_before(NOW, 1), &[("docs/new.md", "# Written yesterday\n")], "New document");
    let doc = evidence_json(tmp.path());
    let e11 = item(&doc, "E-1-1");
    assert_eq!(e11["level"], 3, "{e11:#}");
    assert!(notes(e11).contains("has not been revised since"), "{e11:#}");
    repo.commit(&days_before(NOW, 0), &[("docs/new.md", "# Written yesterday\n\nReviewed today.\n")], "Review");
    assert_eq!(item(&evidence_json(tmp.path()), "E-1-1")["level"], 5);
}

/// Regression: an assessment dated in the
/// past (`--now`) reads the newest change of the file even when it comes
/// after that date, so the change 30 days before it, which proves level 5,
/// is not seen, and the note says the later change was made "0 days ago".
#[test]
fn an_assessment_dated_in_the_past_reads_the_history_up_to_that_date() {
    let (tmp, repo) = one_attestation("attest E-1-1 level 5 { evidence \"docs/a.md\" }");
    repo.commit(&days_before(NOW, 300), &[("docs/a.md", "# Written\n")], "First version");
    repo.commit(&days_before(NOW, 30), &[("docs/a.md", "# Reviewed\n")], "Review");
    repo.commit_all(&days_before(NOW, 29), "The plant");
    repo.commit(&days_before(NOW, -10), &[("docs/a.md", "# Reviewed again\n")], "Later review");
    let doc = evidence_json(tmp.path());
    let e11 = item(&doc, "E-1-1");
    assert_eq!(e11["level"], 5, "{e11:#}");
    assert_eq!(e11["attestation"]["files"][0]["date"], days_before(NOW, 30), "{e11:#}");
}

// ---------------------------------------------------------------------------
// Evidence paths on disk
// ---------------------------------------------------------------------------

/// Every way an evidence path can fail, one per line, and two that are
/// fine (a link to a file inside the project, a path with `.` and `..`
/// that stays inside).
const BAD_PLANT: &str = r#"plant "T" { name "Bad paths" }
zone a "A" { subnet 10.0.0.0/24; controls [device-logs] }
attest E-1-1 level 3 { evidence "/etc/passwd" }
attest E-1-2 level 3 { evidence "docs\\real.md" }
attest E-1-3 level 3 { evidence "C:\\evidence\\real.md" }
attest E-1-4 level 3 { evidence "../outside/secret.md" }
attest E-1-5 level 3 { evidence "docs/leak.md" }
attest E-2-1 level 3 { evidence "docs/outdir/secret.md" }
attest E-2-2 level 3 { evidence "docs/missing.md" }
attest E-2-4 level 3 { evidence "docs/sub" }
attest E-2-5 level 3 { evidence "docs/alias.md" }
attest E-2-12 level 3 { evidence "docs/./sub/../real.md" }
"#;

/// The diagnostics [`BAD_PLANT`] must give: line, code.
const BAD_LINES: &[(u64, &str)] = &[
    (3, "KOJO-E0501"),
    (4, "KOJO-E0501"),
    (5, "KOJO-E0501"),
    (6, "KOJO-E0502"),
    (7, "KOJO-E0503"),
    (8, "KOJO-E0503"),
    (9, "KOJO-E0504"),
    (10, "KOJO-E0504"),
];

/// `<tmp>/project` with [`BAD_PLANT`] and its files, and `<tmp>/outside`
/// with a document the project must not reach, by `..` or by links (to the
/// file, and to its directory).
#[cfg(unix)]
fn bad_paths_project(plant: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("project");
    write_files(tmp.path(), &[("outside/secret.md", "# Not the project's\n")]);
    write_files(&dir, &[("kojo.kdl", "project \"bad\"\n"), ("plant.kojo", plant), ("docs/real.md", "# Real\n")]);
    std::fs::create_dir(dir.join("docs/sub")).unwrap();
    std::os::unix::fs::symlink("../../outside/secret.md", dir.join("docs/leak.md")).unwrap();
    std::os::unix::fs::symlink("../../outside", dir.join("docs/outdir")).unwrap();
    std::os::unix::fs::symlink("real.md", dir.join("docs/alias.md")).unwrap();
    (tmp, dir)
}

#[cfg(unix)]
#[test]
fn bad_evidence_paths_are_located_errors() {
    let (tmp, dir) = bad_paths_project(BAD_PLANT);

    let out = kojo(&dir, &["check", "--format", "json"]);
    assert_exit(&out, 3);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(u64, String, String)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["start"]["line"].as_u64().unwrap(), d["code"].as_str().unwrap().into(), d["file"].to_string()))
        .collect();
    let wanted: Vec<(u64, String, String)> =
        BAD_LINES.iter().map(|(l, c)| (*l, c.to_string(), "\"plant.kojo\"".to_string())).collect();
    assert_eq!(found, wanted);
    for d in json["diagnostics"].as_array().unwrap() {
        // The span is the string: it starts at its opening quote.
        assert_eq!(d["start"]["column"], 33, "{d}");
    }

    // The human output, every diagnostic with its location.
    let out = kojo(&dir, &["check"]);
    assert_exit(&out, 3);
    let human = format!("{}{}", text(&out.stdout), text(&out.stderr));
    for (line, code) in BAD_LINES {
        assert!(human.contains(code), "{code}:\n{human}");
        assert!(human.contains(&format!("[plant.kojo:{line}:33]")), "line {line}:\n{human}");
    }
    // Where the links lead is not printed, nor what is there.
    let real_tmp = tmp.path().canonicalize().unwrap();
    assert!(!human.contains(&*real_tmp.to_string_lossy()) && !human.contains("Not the project's"), "{human}");
    insta::with_settings!({ snapshot_path => "snapshots/documents", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("bad-evidence-paths", support::without_tmp(&human, tmp.path()));
    });

    // `kojo evidence` refuses the project the same way, in every format.
    for format in ["md", "html", "json", "oscal"] {
        let out = kojo(&dir, &["evidence", "--format", format, "--now", NOW]);
        assert_exit(&out, 3);
        assert!(out.stdout.is_empty(), "{format}: {}", text(&out.stdout));
        let stderr = text(&out.stderr);
        for (line, code) in BAD_LINES {
            assert!(stderr.contains(code) && stderr.contains(&format!("[plant.kojo:{line}:33]")), "{stderr}");
        }
    }

    // Without the bad lines the project is clean: the link inside the
    // project and the path through `.`/`..` are accepted.
    let good: String = BAD_PLANT
        .lines()
        .filter(|l| !l.starts_with("attest") || l.starts_with("attest E-2-5 ") || l.starts_with("attest E-2-12 "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(good.matches("attest").count(), 2, "{good}");
    let (_tmp, dir) = bad_paths_project(&good);
    assert_exit(&kojo(&dir, &["check"]), 0);
    let doc = evidence_json(&dir);
    assert_eq!(item(&doc, "E-2-5")["attestation"]["files"][0]["path"], "docs/alias.md");
    assert_eq!(item(&doc, "E-2-12")["attestation"]["files"][0]["path"], "docs/real.md");
}

/// Makes a FIFO with coreutils' `mkfifo`.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    let out = std::process::Command::new("mkfifo").arg(path).output().unwrap();
    assert!(out.status.success(), "mkfifo: {}", text(&out.stderr));
}

/// kojo never opens an evidence file: a FIFO (which would block an open
/// until a writer came) is reported, not waited on.
#[cfg(unix)]
#[test]
fn a_fifo_named_as_evidence_does_not_hang() {
    let (tmp, _repo) = one_attestation("attest E-1-1 level 3 { evidence \"docs/pipe\" }");
    std::fs::create_dir(tmp.path().join("docs")).unwrap();
    mkfifo(&tmp.path().join("docs/pipe"));
    for args in [&["check"][..], &["evidence", "--now", NOW], &["evidence", "--format", "json", "--now", NOW]] {
        let out = kojo(tmp.path(), args);
        assert_exit(&out, 3);
        let stderr = text(&out.stderr);
        assert!(stderr.contains("KOJO-E0504") && stderr.contains("is not a file"), "{args:?}: {stderr}");
    }
}

/// Regression: a FIFO in `templates/` is
/// opened and read, and `kojo evidence` blocks forever. (The same holds
/// for a FIFO named `*.kojo` in `kojo check`.) Git cannot carry a FIFO, so
/// a pull request cannot plant one, but a command must not hang.
#[cfg(unix)]
#[test]
fn a_fifo_in_templates_does_not_hang() {
    let (tmp, _repo) = one_attestation("");
    std::fs::create_dir(tmp.path().join("templates")).unwrap();
    mkfifo(&tmp.path().join("templates/evidence.md.tera"));
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kojo"));
    command.args(["evidence", "--now", NOW]).current_dir(tmp.path()).env("NO_COLOR", "1");
    let out = support::run_limited(&mut command, std::time::Duration::from_secs(15)).unwrap();
    assert_ne!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"), "{}", text(&out.stderr));
}

// ---------------------------------------------------------------------------
// The model sets levels
// ---------------------------------------------------------------------------

/// `oa_to_internet` is a boundary conduit (the office to the internet)
/// whose only IDS/IPS is the `ids` in its `controls`: taking it out leaves
/// the conduit unwatched, and item 3-7 (network detection) falls from done
/// to partly done, naming the conduit.
#[test]
fn removing_an_ids_from_a_boundary_conduit_lowers_network_detection() {
    let (_tmp, dir) = example_copy("guideline-factory");
    let before = evidence_json(&dir);
    let e37 = item(&before, "E-3-7");
    assert_eq!((e37["level"].as_u64(), e37["basis"].as_str()), (Some(3), Some("model")), "{e37:#}");
    assert_eq!(e37["model"]["missing"], serde_json::json!([]));

    let path = dir.join("conduits.kojo");
    let conduits = std::fs::read_to_string(&path).unwrap();
    let line = "  controls [firewall, nat, ids, ndr, device-logs, ids-log-integration]\n  enforced-by vpn_fw\n";
    let at = conduits.find("conduit oa_to_internet ").unwrap();
    assert_eq!(conduits[at..].find(line), Some(conduits[at..].find("controls").unwrap() - 2), "the conduit changed");
    std::fs::write(&path, conduits.replacen(line, &line.replace("ids, ", ""), 1)).unwrap();

    let after = evidence_json(&dir);
    let e37 = item(&after, "E-3-7");
    assert_eq!(e37["level"], 2, "{e37:#}");
    let missing = e37["model"]["missing"].to_string();
    assert!(missing.contains("oa_to_internet"), "{missing}");
    // Nothing else moved but what watching that conduit feeds.
    let changed: Vec<&str> = items(&before)
        .iter()
        .zip(items(&after))
        .filter(|(b, a)| b["level"] != a["level"])
        .map(|(b, _)| b["id"].as_str().unwrap())
        .collect();
    assert_eq!(changed, ["E-3-7"]);
}

// ---------------------------------------------------------------------------
// OSCAL, validated by compliance-trestle
// ---------------------------------------------------------------------------

#[test]
fn oscal_of_every_example_is_valid_for_trestle_and_stable() {
    let Some(trestle) = trestle::Workspace::new() else { return };
    let mut first = None;
    for example in support::EXAMPLES {
        let dir = support::repo().join("examples").join(example);
        let oscal = evidence(&dir, &["--format", "oscal"]);
        // The same plant gives the same document, UUIDs included.
        assert_eq!(evidence(&dir, &["--format", "oscal"]), oscal, "{example}: two runs differ");
        let (code, said) = trestle.validate(&oscal);
        assert_eq!(code, Some(0), "{example}: trestle rejects the OSCAL:\n{said}");
        assert!(said.contains("VALID"), "{said}");
        first.get_or_insert(oscal);
    }

    // Negative controls: trestle rejects what is not OSCAL, so the checks
    // above cannot pass by validating nothing.
    let valid: serde_json::Value = serde_json::from_str(&first.unwrap()).unwrap();
    let mut bogus_state = valid.clone();
    bogus_state["assessment-results"]["results"][0]["findings"][0]["target"]["status"]["state"] = "bogus".into();
    let mut no_title = valid.clone();
    no_title["assessment-results"]["metadata"].as_object_mut().unwrap().remove("title").unwrap();
    let mut bad_uuid = valid;
    bad_uuid["assessment-results"]["uuid"] = "not-a-uuid".into();
    for (what, doc) in [("state bogus", bogus_state), ("no title", no_title), ("bad uuid", bad_uuid)] {
        let (code, said) = trestle.validate(&serde_json::to_string_pretty(&doc).unwrap());
        assert_ne!(code, Some(0), "trestle accepts a document with {what}:\n{said}");
    }
}

#[test]
fn oscal_findings_follow_the_checklist() {
    let oscal: serde_json::Value =
        serde_json::from_str(&evidence(&support::repo().join("examples/guideline-factory"), &["--format", "oscal"]))
            .unwrap();
    let json = evidence_json(&support::repo().join("examples/guideline-factory"));
    let results = &oscal["assessment-results"]["results"][0];
    let findings = results["findings"].as_array().unwrap();
    let checklist = items(&json);
    assert_eq!(findings.len(), checklist.len());
    for (finding, it) in findings.iter().zip(checklist) {
        assert_eq!(finding["target"]["target-id"], it["id"]);
        // Done (3) or better satisfies the item; anything less does not.
        let satisfied = it["level"].as_u64().is_some_and(|l| l >= 3);
        let state = finding["target"]["status"]["state"].as_str().unwrap();
        if it["level"].is_null() {
            continue;
        }
        assert_eq!(state == "satisfied", satisfied, "{}: {state} at level {}", it["id"], it["level"]);
    }
}

// ---------------------------------------------------------------------------
// HTML in headless Chromium, and its PDF
// ---------------------------------------------------------------------------

/// The HTML checklist of the guideline example in `lang`, in a headless
/// browser: no console message, a screenshot that shows a page, a PDF of
/// several pages with the document's headings.
fn html_in_chromium(lang: &str, headings: &[&str]) {
    let scratch = tempfile::tempdir().unwrap();
    let html = evidence(&support::repo().join("examples/guideline-factory"), &["--format", "html", "--lang", lang]);
    assert_eq!(browser::remote_urls(&html), Vec::<String>::new(), "the page names web addresses");
    assert!(html.contains("Content-Security-Policy"), "the page lost its policy");
    let page = scratch.path().join(format!("evidence-{lang}.html"));
    std::fs::write(&page, &html).unwrap();

    browser::assert_clean_console(&page, scratch.path());
    browser::assert_not_blank(&page, scratch.path(), 0.02);
    if lang == "ja" {
        // Japanese text needs a Japanese font, or the page shows boxes.
        let Some(fonts) = browser::japanese_fonts() else { return };
        assert!(!fonts.is_empty(), "no Japanese font: apt-get install -y fonts-noto-cjk");
    }
    browser::assert_pdf(&page, scratch.path(), headings, 2);
}

#[test]
fn html_evidence_in_chromium_ja() {
    html_in_chromium("ja", &["付録E チェックリスト エビデンス", "準備", "組織的対策", "技術的対策"]);
}

#[test]
fn html_evidence_in_chromium_en() {
    html_in_chromium(
        "en",
        &["Appendix E checklist evidence", "Preparation", "Organisational measures", "Technical measures"],
    );
}

/// The browser checks fail on pages that are wrong, so they cannot pass
/// by seeing nothing: a page that logs an error and one whose fetches the
/// Content-Security-Policy refuses both show console messages, a blank
/// page is blank, a page without the headings does not have them, and a
/// web address in an attribute is found.
#[test]
fn the_browser_checks_catch_bad_pages() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    let policy = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">"#;
    let pages = [
        ("logs", "<!doctype html><meta charset=utf-8><h1>x</h1><script>console.error('kojo-probe')</script>".to_string()),
        // Loopback and file addresses only: nothing may leave the machine.
        ("refused", format!("<!doctype html><meta charset=utf-8>{policy}<h1>x</h1><img src=\"http://127.0.0.1:9/x.png\"><link rel=stylesheet href=\"file:///nonexistent.css\">")),
        ("blank", "<!doctype html><meta charset=utf-8><body></body>".to_string()),
    ];
    for (name, html) in &pages {
        std::fs::write(dir.join(format!("{name}.html")), html).unwrap();
    }
    let Some(logged) = browser::console_messages(&dir.join("logs.html"), dir) else { return };
    assert!(logged.iter().any(|l| l.contains("kojo-probe")), "{logged:?}");
    let refused = browser::console_messages(&dir.join("refused.html"), dir).unwrap();
    assert!(refused.iter().any(|l| l.contains("Content Security Policy")), "{refused:?}");
    // …and the console check stays quiet on a page that is fine.
    browser::assert_clean_console(&dir.join("blank.html"), dir);

    let blank = browser::screenshot(&dir.join("blank.html"), dir).unwrap();
    assert!(blank.non_white == 0 && blank.colours == 1, "{} non-white, {} colours", blank.non_white, blank.colours);
    // One heading is a page, but not the 2% of ink a document has.
    let heading = browser::screenshot(&dir.join("logs.html"), dir).unwrap();
    assert!(heading.non_white > 0 && (heading.non_white as f64) < 0.02 * heading.pixels as f64);
    let pdf = browser::print_to_pdf(&dir.join("logs.html"), dir).unwrap();
    assert_eq!(browser::pdf_pages(&pdf), Some(1));
    assert!(!browser::pdf_text(&pdf).unwrap().contains("付録E"));

    assert_eq!(browser::remote_urls("<img src=\"https://cdn.example/x.png\">"), ["https://cdn.example/x.png"]);
    assert_eq!(browser::remote_urls("<link rel=stylesheet href='//cdn.example/x.css'>"), ["//cdn.example/x.css"]);
    assert_eq!(browser::remote_urls("<a HREF = \"http://x.example/\">"), ["http://x.example/"]);
    assert!(
        browser::remote_urls("<a href=\"#E-1-1\">https://in.text/</a><img src=\"data:image/png;base64,\">").is_empty()
    );
}

// ---------------------------------------------------------------------------
// Project templates
// ---------------------------------------------------------------------------

/// A plant with no attestation, and `templates` (name, text) in its
/// `templates/` directory.
fn with_templates(templates: &[(&str, &str)]) -> tempfile::TempDir {
    let (tmp, _repo) = one_attestation("");
    for (name, body) in templates {
        write_files(tmp.path(), &[(&format!("templates/{name}"), body)]);
    }
    tmp
}

#[test]
fn a_project_template_overrides_the_built_in_one() {
    let template = "{{ t(key=\"evidence.doc.title\") }} {{ project }}\nIssued under ACME factory rule 12 <b>|</b>.\n{{ plant_name }}\n";
    let tmp = with_templates(&[("evidence.md.tera", template)]);
    assert_eq!(
        evidence(tmp.path(), &["--lang", "en"]),
        "Appendix E checklist evidence one\nIssued under ACME factory rule 12 <b>|</b>.\nOne attestation\n"
    );
    assert_eq!(
        evidence(tmp.path(), &["--lang", "ja"]),
        "付録E チェックリスト エビデンス one\nIssued under ACME factory rule 12 <b>|</b>.\nOne attestation\n"
    );
    // Only the Markdown is overridden: HTML, JSON and OSCAL are kojo's own.
    let html = evidence(tmp.path(), &["--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("ACME"), "{html}");
    // An override of the page the HTML extends reaches the HTML.
    let page = r#"<!DOCTYPE html><html><head><title>{% block title %}{% endblock title %}</title></head><body><p>ACME</p>{% block body %}{% endblock body %}</body></html>"#;
    let tmp = with_templates(&[("_page.html.tera", page)]);
    let html = evidence(tmp.path(), &["--format", "html"]);
    assert!(html.contains("<p>ACME</p>") && html.contains("Appendix E checklist evidence"), "{html}");
}

/// A secret in the environment of the child: a template that could read
/// the environment would print it.
const SECRET: (&str, &str) = ("KOJO_TEST_CI_TOKEN", "kojo-secret-5b2f91c7");

#[test]
fn refused_templates_are_e0601_and_leak_nothing() {
    let cases: &[(&str, &str, &str)] = &[
        ("get_env", "evidence.md.tera", "{{ get_env(name=\"KOJO_TEST_CI_TOKEN\") }}"),
        ("get_env with a default", "evidence.md.tera", "{{ get_env(name=\"KOJO_TEST_CI_TOKEN\", default=\"x\") }}"),
        ("range", "evidence.md.tera", "{% for i in range(end=1000000000) %}{{ i }}{% endfor %}"),
        ("macro", "evidence.md.tera", "{% macro m() %}{{ self::m() }}{% endmacro m %}{{ self::m() }}"),
        ("include", "evidence.md.tera", "{% include \"evidence.md\" %}"),
        ("include, trimmed", "evidence.md.tera", "{%- include \"_page.html\" -%}"),
        ("import", "evidence.md.tera", "{% import \"evidence.md\" as e %}"),
        ("get_env in the HTML", "evidence.html.tera", "{{ get_env(name=\"KOJO_TEST_CI_TOKEN\") }}"),
        ("not tera in the page", "_page.html.tera", "{% if %}"),
        ("not tera", "evidence.md.tera", "{{ project "),
        ("an unknown message", "evidence.md.tera", "{{ t(key=\"evidence.doc.no-such-key\") }}"),
        ("an unknown value", "evidence.md.tera", "{{ no_such_value }}"),
        ("overrides nothing", "nonsense.md.tera", "{{ project }}"),
    ];
    for (what, name, body) in cases {
        let tmp = with_templates(&[(name, body)]);
        let format = if name.contains("html") { "html" } else { "md" };
        let out = kojo_env(tmp.path(), &["evidence", "--format", format, "--now", NOW], &[SECRET]);
        assert_exit(&out, 3);
        let stderr = text(&out.stderr);
        assert!(stderr.contains("KOJO-E0601"), "{what}: {stderr}");
        assert!(out.stdout.is_empty(), "{what}: {}", text(&out.stdout));
        assert!(!stderr.contains(SECRET.1), "{what}: the secret leaked:\n{stderr}");
    }

    // The file that overrides nothing is named.
    let tmp = with_templates(&[("nonsense.md.tera", "{{ project }}")]);
    let out = kojo(tmp.path(), &["evidence", "--now", NOW]);
    assert!(text(&out.stderr).contains("`nonsense.md.tera` overrides no built-in template"), "{}", text(&out.stderr));

    // Negative control: the same secret does reach a document when the
    // template is given it as a plain value, so the check above can see it.
    let tmp = with_templates(&[("evidence.md.tera", "{{ project }}")]);
    std::fs::write(tmp.path().join("kojo.kdl"), format!("project \"{}\"\n", SECRET.1)).unwrap();
    let out = kojo_env(tmp.path(), &["evidence", "--now", NOW], &[SECRET]);
    assert_exit(&out, 0);
    assert!(text(&out.stdout).contains(SECRET.1));
}

// ---------------------------------------------------------------------------
// Golden files
// ---------------------------------------------------------------------------

/// A copy of the example `name` in a repository of its own with two
/// commits at fixed dates: the model on 2025-06-01, its `docs/` (the
/// evidence) on 2026-10-01, 66 days before [`NOW`]. The documents then
/// depend only on the example and kojo, not on this repository's history
/// or today's date.
fn example_with_history(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, dir) = example_copy(name);
    let repo = Repo::init(&dir);
    repo.commit_all("2025-06-01", "The plant model and its evidence");
    // A review is a later change to a document, not its first version.
    let docs = dir.join("docs");
    if docs.is_dir() {
        revise(&docs);
        repo.commit_all("2026-10-01", "Evidence reviewed");
    }
    (tmp, dir)
}

/// Appends a review line to every document below `dir`.
fn revise(dir: &Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            revise(&path);
        } else {
            let mut text = std::fs::read_to_string(&path).unwrap();
            text.push_str("\nReviewed on 2026-10-01.\n");
            std::fs::write(&path, text).unwrap();
        }
    }
}

#[test]
fn golden_evidence_documents() {
    for example in support::EXAMPLES {
        let (_tmp, dir) = example_with_history(example);
        for lang in ["en", "ja"] {
            let md = without_commits(&evidence(&dir, &["--lang", lang]));
            insta::with_settings!({ snapshot_path => "snapshots/documents", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("evidence__{example}__{lang}.md"), md);
            });
        }
        if example == "guideline-factory" {
            let json = without_commits(&evidence(&dir, &["--format", "json", "--lang", "en"]));
            insta::with_settings!({ snapshot_path => "snapshots/documents", prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!(format!("evidence__{example}__en.json"), json);
            });
        }
    }
}

/// The synthetic history's commit IDs, which change with every byte of the
/// example (a comment edited), as `<commit>`: dates and ages stay, and
/// the tests above check the commits themselves.
fn without_commits(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c.is_ascii_hexdigit()) {
        let (before, from) = rest.split_at(i);
        out.push_str(before);
        let run = from.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(from.len());
        let word_start = before.chars().last().is_none_or(|c| !c.is_ascii_alphanumeric());
        let word_end = from[run..].chars().next().is_none_or(|c| !c.is_ascii_alphanumeric());
        if run == 12 && word_start && word_end && from[..run].chars().any(|c| c.is_ascii_alphabetic()) {
            out.push_str("<commit>");
        } else {
            out.push_str(&from[..run]);
        }
        rest = &from[run..];
    }
    out.push_str(rest);
    out
}

/// The golden files are what they are because of the synthetic history:
/// E-2-9 of the guideline example is attested at level 4 and its evidence
/// changed 66 days before NOW, so it is accepted at 4; a day past the
/// yearly period it falls back to 3.
#[test]
fn the_golden_history_proves_what_it_should() {
    let (_tmp, dir) = example_with_history("guideline-factory");
    let doc = evidence_json(&dir);
    let e29 = item(&doc, "E-2-9");
    assert_eq!((e29["level"].as_u64(), e29["attestation"]["files"][0]["age_days"].as_i64()), (Some(4), Some(66)));
    let late = git::date_of(git::unix_days("2026-10-01") + 366);
    let out = kojo(&dir, &["evidence", "--format", "json", "--now", &late]);
    assert_exit(&out, 0);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(item(&doc, "E-2-9")["level"], 3);
}

/// Regression: `_page.html.tera`, which
/// KOJO-E0601's page lists as a template a project may override, is not
/// blamed when it fails while rendering (a refused `get_env()`, a value
/// that is not there): kojo reports an internal error ("this is a bug in
/// kojo", exit 2) instead of KOJO-E0601 (exit 3). Only an override named
/// like the document being rendered is blamed.
#[test]
fn a_page_template_that_fails_is_e0601_not_an_internal_error() {
    for body in ["{{ get_env(name=\"KOJO_TEST_CI_TOKEN\") }}", "{{ no_such_value }}"] {
        let tmp = with_templates(&[("_page.html.tera", body)]);
        let out = kojo_env(tmp.path(), &["evidence", "--format", "html", "--now", NOW], &[SECRET]);
        let stderr = text(&out.stderr);
        assert!(!stderr.contains(SECRET.1) && out.stdout.is_empty(), "{body}: the secret leaked");
        assert_exit(&out, 3);
        assert!(stderr.contains("KOJO-E0601") && !stderr.contains("internal error"), "{body}: {stderr}");
    }
}

/// Regression: KOJO-E0601 for a template
/// that is refused or fails does not say which file: the diagnostic is
/// attached to the path, but the human output shows only the message
/// ("the template cannot be used: …"), which names tera's template
/// (`evidence.md`), not the project's file.
#[test]
fn e0601_names_the_project_template() {
    for body in ["{{ get_env(name=\"HOME\") }}", "{% macro m() %}{% endmacro m %}", "{{ project "] {
        let tmp = with_templates(&[("evidence.md.tera", body)]);
        let out = kojo(tmp.path(), &["evidence", "--now", NOW]);
        assert_exit(&out, 3);
        let stderr = text(&out.stderr);
        assert!(stderr.contains("templates/evidence.md.tera"), "{body}: which file?\n{stderr}");
    }
}

/// Regression: refusing `range()`, macros
/// and includes does not stop a project template from running for ever.
/// Loops nested over a list the template makes itself (`split`) never end:
/// four loops over 1,000 items are 10^12 turns, from 300 bytes of a pull
/// request, and the CI job hangs.
#[test]
fn a_template_that_loops_for_ever_is_stopped() {
    let list = "x".repeat(1000);
    let template = format!(
        "{{% set l = \"{list}\" | split(pat=\"x\") %}}{{% for a in l %}}{{% for b in l %}}{{% for c in l %}}{{% for d in l %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}{{% endfor %}}"
    );
    let tmp = with_templates(&[("evidence.md.tera", &template)]);
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kojo"));
    command.args(["evidence", "--now", NOW]).current_dir(tmp.path()).env("NO_COLOR", "1");
    let out = support::run_limited(&mut command, std::time::Duration::from_secs(15)).unwrap();
    assert_exit(&out, 3);
    assert!(text(&out.stderr).contains("KOJO-E0601"), "{}", text(&out.stderr));
}
