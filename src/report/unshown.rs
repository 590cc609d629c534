//! The findings past [`kojo_compiler::cap::FINDINGS_PER_RUN`]: kojo made
//! no diagnostic for them, so no format lists them, but every one counts
//! in the summary, the exit code and a baseline written from the check.

use std::collections::BTreeMap;

use kojo_compiler::Checked;
use kojo_lang::Severity;

use super::Baseline;

/// The unshown findings, counted as the summary and the exit code see
/// them (waived ones are only in [`kojo_compiler::cap::Dropped::findings`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unshown {
    /// Those the baseline does not know.
    pub new: Counts,
    /// Those the baseline knows.
    pub known: Counts,
    /// Those the baseline does not know, by rule: how many and the most
    /// severe.
    pub by_rule: BTreeMap<String, (Severity, usize)>,
    /// Whether any of them fails the check by itself (as
    /// [`crate::exit::fails`] decides for a diagnostic).
    pub fails: bool,
}

/// None: for a check whose findings were all made diagnostics.
pub static NONE: Unshown = Unshown {
    new: Counts { errors: 0, warnings: 0, infos: 0 },
    known: Counts { errors: 0, warnings: 0, infos: 0 },
    by_rule: BTreeMap::new(),
    fails: false,
};

/// Findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    fn add(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

impl Unshown {
    pub fn new(checked: &Checked, baseline: Option<&Baseline>, fail_on: Severity) -> Unshown {
        let mut out = Unshown::default();
        let Some(model) = &checked.model else { return out };
        for finding in checked.unshown_findings() {
            let fingerprint = finding.fingerprint(model);
            let refused = kojo_compiler::rules::BUILD_REFUSES.contains(&finding.rule.as_str());
            if baseline.is_some_and(|b| b.fingerprints.contains(&fingerprint)) {
                out.known.add(finding.severity);
                out.fails |= refused;
            } else {
                out.new.add(finding.severity);
                let rule = out.by_rule.entry(finding.rule.clone()).or_insert((finding.severity, 0));
                *rule = (rule.0.max(finding.severity), rule.1 + 1);
                out.fails |= refused || finding.severity >= fail_on;
            }
        }
        out
    }

    /// The fingerprints of the unshown findings, waived ones too, for a
    /// baseline.
    pub fn fingerprints(checked: &Checked) -> impl Iterator<Item = String> + '_ {
        let findings = checked
            .model
            .iter()
            .flat_map(|model| checked.unshown_findings().chain(checked.unshown_waived()).map(|f| f.fingerprint(model)));
        findings
    }

    /// All of them, known or not, by severity.
    pub fn all(&self) -> Counts {
        let (n, k) = (self.new, self.known);
        Counts { errors: n.errors + k.errors, warnings: n.warnings + k.warnings, infos: n.infos + k.infos }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plant whose findings pass the cap: one zone, many bare assets,
    /// each lacking what its tier asks for.
    fn checked(assets: usize) -> Checked {
        let mut plant = String::from("plant \"P\" {\n  name \"P\"\n}\nzone a \"A\" {\n  subnet 10.0.0.0/8\n}\n");
        for i in 0..assets {
            plant.push_str(&format!("asset h{i} \"H\" in a {{ kind sensor }}\n"));
        }
        let source = kojo_compiler::source::MemorySource::new("p").with_file("plant.kojo", plant);
        kojo_compiler::check(&source, &[])
    }

    #[test]
    fn findings_past_the_cap_still_count_and_fail() {
        let checked = checked(2_000);
        let shown = checked.diagnostics.iter().filter(|d| d.rule.is_some()).count();
        assert_eq!(shown, kojo_compiler::cap::FINDINGS_PER_RUN);
        let unshown = Unshown::new(&checked, None, Severity::Error);
        let all = checked.findings.kept.len() + checked.findings.problems.len();
        assert!(all > shown, "the plant passes the cap: {all}");
        assert_eq!(unshown.new.total(), all - shown);
        assert_eq!(unshown.by_rule.values().map(|(_, n)| n).sum::<usize>(), all - shown);
        assert_eq!(checked.dropped.findings(), all - shown);
        assert_eq!(checked.dropped.total(), 0, "findings are not dropped diagnostics");
        assert!(unshown.fails);
        // A baseline that knows them all: none fails, all are known.
        let baseline = Baseline { revision: "main".into(), fingerprints: Unshown::fingerprints(&checked).collect() };
        let known = Unshown::new(&checked, Some(&baseline), Severity::Error);
        assert_eq!((known.known.total(), known.new.total(), known.fails), (all - shown, 0, false));
    }

    #[test]
    fn the_first_findings_in_the_order_shown_are_the_ones_made() {
        let checked = checked(2_000);
        let last = checked.diagnostics.iter().rev().find(|d| d.rule.is_some()).and_then(|d| d.primary_span());
        let model = checked.model.as_ref().unwrap();
        let first_unshown = checked.unshown_findings().map(|f| f.loc.span.start).min().unwrap();
        assert!(last.unwrap().start <= first_unshown, "unshown findings come after the shown ones");
        assert!(checked.unshown_findings().all(|f| model.file(f.loc.file).is_some()));
    }
}
