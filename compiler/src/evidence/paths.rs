//! Evidence paths: an attestation's `evidence` names a file inside the
//! project, by its path from the project root.
//!
//! Evidence must live in the repository so that its git history can prove
//! review, and kojo runs on untrusted pull requests, so it never follows a
//! path out of the project: an absolute path, a path that climbs out with
//! `..`, and a link that leads out are each an error, as is a file that is
//! not there. The file itself is never read.

use kojo_lang::{Code, Diagnostic};

use crate::model::{EvidencePath, Model};
use crate::source::{EvidenceFile, ProjectSource};

/// Why a written path is not a path inside the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    Empty,
    /// `/etc/x`, `C:\x`, `\\server\x`.
    Absolute,
    /// Directories separated by `\`.
    Backslash,
    /// `..` above the project root.
    ClimbsOut,
}

/// The path with `.` and `..` resolved (`docs/./a/../b.md` → `docs/b.md`),
/// or why it does not stay inside the project.
pub fn normalise(path: &str) -> Result<String, PathProblem> {
    if path.trim().is_empty() {
        return Err(PathProblem::Empty);
    }
    let drive = path.len() >= 2
        && path.as_bytes().get(1) == Some(&b':')
        && path.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if path.starts_with('/') || path.starts_with('\\') || drive {
        return Err(PathProblem::Absolute);
    }
    if path.contains('\\') {
        return Err(PathProblem::Backslash);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathProblem::ClimbsOut);
                }
            }
            name => parts.push(name),
        }
    }
    if parts.is_empty() {
        return Err(PathProblem::Empty);
    }
    Ok(parts.join("/"))
}

/// Every distinct evidence path of the model that stays inside the project,
/// normalised and sorted: what to ask version control about.
pub fn inside(model: &Model) -> Vec<String> {
    let mut paths: Vec<String> =
        model.attestations.iter().flat_map(|a| &a.evidence).filter_map(|e| normalise(&e.path).ok()).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// One diagnostic per evidence path that does not lead to a file inside the project.
pub fn check(model: &Model, source: &dyn ProjectSource) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for evidence in model.attestations.iter().flat_map(|a| &a.evidence) {
        let problem = match normalise(&evidence.path) {
            Err(problem) => Some(written(evidence, problem)),
            Ok(path) => match source.evidence_file(&path) {
                EvidenceFile::File | EvidenceFile::Unchecked => None,
                found => Some(looked_up(evidence, &found)),
            },
        };
        if let Some((code, message, label, help)) = problem {
            let Some(file) = model.file(evidence.loc.file) else { continue };
            diagnostics
                .push(Diagnostic::error(code, file, evidence.loc.span, message).with_label(label).with_help(help));
        }
    }
    diagnostics
}

type Problem = (Code, String, &'static str, String);

fn written(evidence: &EvidencePath, problem: PathProblem) -> Problem {
    let path = &evidence.path;
    let example = "e.g. `docs/org/budget-approval.md`";
    match problem {
        PathProblem::Empty => (
            Code::EvidenceNotRelative,
            "the evidence path is empty".to_string(),
            "no file named",
            format!("name the document that proves the item, as a path from the project root, {example}"),
        ),
        PathProblem::Absolute => (
            Code::EvidenceNotRelative,
            format!("evidence `{path}` is an absolute path"),
            "absolute path",
            format!(
                "give the path from the project root (the directory with kojo.kdl), {example}: evidence lives in the repository, where its history proves review"
            ),
        ),
        PathProblem::Backslash => (
            Code::EvidenceNotRelative,
            format!("evidence `{path}` separates directories with `\\`"),
            "backslash",
            format!("write `{}`: kojo reads paths the same way on every system", path.replace('\\', "/")),
        ),
        PathProblem::ClimbsOut => (
            Code::EvidenceClimbsOut,
            format!("evidence `{path}` climbs out of the project"),
            "leaves the project",
            "keep the evidence inside the project, e.g. under `docs/`: kojo never reads files outside it".to_string(),
        ),
    }
}

fn looked_up(evidence: &EvidencePath, found: &EvidenceFile) -> Problem {
    let path = &evidence.path;
    match found {
        EvidenceFile::LeavesProject { .. } => (
            Code::EvidenceLeavesByLink,
            format!("evidence `{path}` leads out of the project through a link"),
            "a link on the way points outside the project",
            "copy the document into the project and commit it instead of linking to it: kojo never follows links out of the project".to_string(),
        ),
        EvidenceFile::NotAFile => (
            Code::EvidenceMissing,
            format!("evidence `{path}` is not a file"),
            "a directory or special file, not a document",
            "name the document itself, e.g. `docs/org/charter.md`, not its directory".to_string(),
        ),
        _ => (
            Code::EvidenceMissing,
            format!("evidence `{path}` does not exist"),
            "no such file in the project",
            "add the document and commit it (its history proves review), or correct the path; paths start at the project root".to_string(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_inside_the_project() {
        assert_eq!(normalise("docs/a.md"), Ok("docs/a.md".into()));
        assert_eq!(normalise("./docs//x/../a.md"), Ok("docs/a.md".into()));
        assert_eq!(normalise("../a.md"), Err(PathProblem::ClimbsOut));
        assert_eq!(normalise("docs/../../a.md"), Err(PathProblem::ClimbsOut));
        assert_eq!(normalise("/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(normalise("C:\\x.md"), Err(PathProblem::Absolute));
        assert_eq!(normalise("c:/x.md"), Err(PathProblem::Absolute));
        assert_eq!(normalise("\\\\server\\x"), Err(PathProblem::Absolute));
        assert_eq!(normalise("docs\\a.md"), Err(PathProblem::Backslash));
        assert_eq!(normalise(""), Err(PathProblem::Empty));
        assert_eq!(normalise("./"), Err(PathProblem::Empty));
        assert_eq!(normalise("docs/.."), Err(PathProblem::Empty));
    }
}
