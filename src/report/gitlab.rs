//! GitLab's Code Quality report: a JSON array of issues, which merge
//! requests show as new, fixed or unchanged against the target branch.
//!
//! Every diagnostic is an issue (waived findings are not: GitLab has no
//! way to show them accepted). GitLab matches issues across pipelines by
//! `fingerprint`, which it expects to be a hex digest: kojo's is 32 hex
//! digits, the FNV-1a 64-bit hashes of `kojo/v1:` and of `kojo/v1~` each
//! followed by the finding's own fingerprint (rule, entity, message: never
//! the line, so a moved finding stays the same issue). A diagnostic with
//! no fingerprint (a compile error) is hashed from its code, file, line
//! and message. Severities:
//!
//! | kojo | GitLab |
//! |---|---|
//! | a compile error | `blocker` |
//! | a finding, error | `critical` |
//! | a finding, warning | `major` |
//! | a compile warning | `minor` |
//! | info, or a finding the baseline knows | `info` |

use kojo_compiler::rules::fnv1a;
use kojo_lang::{Code, Diagnostic, Severity};
use serde_json::{json, Value};

use super::{position, Outcome};

/// The Code Quality report for `outcome`, pretty-printed.
pub fn render(outcome: &Outcome<'_>) -> String {
    let mut issues: Vec<Value> = outcome.checked.diagnostics.iter().map(|d| issue(outcome, d)).collect();
    issues.extend(dropped_issue(outcome));
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_default();
    out.push('\n');
    out
}

fn issue(outcome: &Outcome<'_>, d: &Diagnostic) -> Value {
    // A diagnostic about no file in particular: the project's manifest.
    let (path, line) = match position(d) {
        Some(p) => match outcome.paths.file(&p.file) {
            Some(Ok(path) | Err(path)) => (path, p.span.map_or(1, |((line, _), _)| line)),
            None => (outcome.paths.locate(&p.file).unwrap_or_else(|path| path), 1),
        },
        None => (outcome.paths.manifest().unwrap_or_else(|path| path), 1),
    };
    let mut description = d.message.clone();
    if let Some(place) = super::elsewhere(outcome, d) {
        description.push_str(&format!(" ({place})"));
    }
    if let (true, Some(baseline)) = (outcome.known(d), outcome.baseline) {
        description.push_str(&format!(" (in the baseline {})", baseline.revision));
    }
    let identity = d.fingerprint.clone().unwrap_or_else(|| format!("{}/{path}:{line}/{}", d.id(), d.message));
    json!({
        "description": description,
        "check_name": d.id(),
        "fingerprint": fingerprint(&identity),
        "severity": severity(outcome, d),
        "location": { "path": path, "lines": { "begin": line } },
    })
}

/// What the diagnostic caps left out, as one issue at the first file with
/// some: the merge request says the list is incomplete. Its fingerprint
/// leaves the count out, so fixing some of them keeps it the same issue.
fn dropped_issue(outcome: &Outcome<'_>) -> Option<Value> {
    let dropped = &outcome.checked.dropped;
    if dropped.total() + dropped.findings() == 0 {
        return None;
    }
    let path = match dropped.by_file.keys().next().filter(|f| !f.is_empty()) {
        Some(file) => outcome.paths.locate(file).unwrap_or_else(|path| path),
        None => outcome.paths.manifest().unwrap_or_else(|path| path),
    };
    Some(json!({
        "description": super::dropped::lines(dropped).trim_end().replace('\n', "; "),
        "check_name": "kojo/dropped",
        "fingerprint": fingerprint(&format!("dropped/{path}")),
        "severity": match (dropped.errors > 0, outcome.unshown.fails) {
            (true, _) => "blocker",
            (false, true) => "major",
            (false, false) => "minor",
        },
        "location": { "path": path, "lines": { "begin": 1 } },
    }))
}

/// 32 hex digits from kojo's fingerprint (see the module's documentation).
pub fn fingerprint(kojo: &str) -> String {
    let hash = |prefix: &str| fnv1a(format!("{prefix}{kojo}").as_bytes());
    format!("{:016x}{:016x}", hash("kojo/v1:"), hash("kojo/v1~"))
}

fn severity(outcome: &Outcome<'_>, d: &Diagnostic) -> &'static str {
    match (d.code == Code::Finding, d.severity) {
        _ if outcome.known(d) => "info",
        (_, Severity::Info) => "info",
        (false, Severity::Error) => "blocker",
        (false, Severity::Warning) => "minor",
        (true, Severity::Error) => "critical",
        (true, Severity::Warning) => "major",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::Fixture;

    #[test]
    fn issues_by_severity_and_baseline() {
        let fixture = Fixture::new();
        let issues: Value = serde_json::from_str(&render(&fixture.outcome(None))).unwrap();
        let severities: Vec<&str> =
            issues.as_array().unwrap().iter().map(|i| i["severity"].as_str().unwrap()).collect();
        assert_eq!(severities, ["critical", "major"]);
        assert_eq!(issues[0]["location"], json!({ "path": "plant.kojo", "lines": { "begin": 29 } }));
        let kojo = fixture.checked.diagnostics[0].fingerprint.clone().unwrap();
        assert_eq!(issues[0]["fingerprint"], fingerprint(&kojo));
        let baseline = fixture.baseline();
        let issues: Value = serde_json::from_str(&render(&fixture.outcome(Some(&baseline)))).unwrap();
        assert_eq!(issues[0]["severity"], "info");
        assert!(issues[0]["description"].as_str().unwrap().ends_with(" (in the baseline main)"));
        assert_eq!(issues[1]["severity"], "major");
    }

    #[test]
    fn fingerprints_are_stable_hex_digests() {
        let a = fingerprint("ANY-ENDPOINT/conduit:a/0123456789abcdef");
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_eq!(a, fingerprint("ANY-ENDPOINT/conduit:a/0123456789abcdef"));
        assert_ne!(a, fingerprint("ANY-ENDPOINT/conduit:b/0123456789abcdef"));
        assert_eq!(fingerprint(""), format!("{:016x}{:016x}", fnv1a(b"kojo/v1:"), fnv1a(b"kojo/v1~")));
    }
}
