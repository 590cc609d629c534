//! A baseline: the findings a project already had at an earlier revision.
//!
//! A team adopting kojo on a plant with open findings does not want every
//! pull request to fail for what was already there. With a baseline, the
//! findings it knows (by [`Diagnostic::fingerprint`], which survives moving
//! and reformatting a declaration) are still reported, but as known: they do
//! not fail the check, SARIF marks them `unchanged`, JUnit skips them,
//! GitHub shows them as notices and GitLab lowers them to `info`. New
//! findings, and compile errors always, fail as before.
//!
//! `kojo check --baseline REV` builds it from the revision read from git
//! (`commands::check`); nothing here reads git.

use std::collections::BTreeSet;

use kojo_lang::Diagnostic;

/// The fingerprints of the findings at a baseline revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Baseline {
    /// The revision the fingerprints come from, as the user named it
    /// (`main`, `v1.2`, a commit): shown in messages.
    pub revision: String,
    pub fingerprints: BTreeSet<String>,
}

impl Baseline {
    /// Whether the baseline had this finding. Diagnostics without a
    /// fingerprint (compile errors) are never known.
    pub fn knows(&self, d: &Diagnostic) -> bool {
        d.fingerprint.as_ref().is_some_and(|f| self.fingerprints.contains(f))
    }
}

/// Whether `d` is in `baseline`, if there is one.
pub fn known(baseline: Option<&Baseline>, d: &Diagnostic) -> bool {
    baseline.is_some_and(|b| b.knows(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kojo_lang::{Severity, SourceFile, Span};

    #[test]
    fn a_baseline_knows_findings_by_fingerprint_only() {
        let file = SourceFile::new("plant.kojo", "zone a {}\n");
        let mut finding = Diagnostic::finding("ANY-ENDPOINT", Severity::Error, &file, Span::new(0, 4), "m");
        let baseline = Baseline { revision: "main".into(), fingerprints: BTreeSet::from(["A/zone:a/1".to_string()]) };
        assert!(!baseline.knows(&finding), "no fingerprint: never known");
        finding.fingerprint = Some("A/zone:a/1".into());
        assert!(baseline.knows(&finding));
        assert!(known(Some(&baseline), &finding));
        assert!(!known(None, &finding));
        finding.fingerprint = Some("A/zone:b/1".into());
        assert!(!baseline.knows(&finding));
    }
}
