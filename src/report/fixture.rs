//! The small project of `tests/ci/small`, checked, for the renderers' unit
//! tests: one finding kept (`DEV-FILE-ACCESS` on `asset:jump`, an error), one
//! waived (`REMOTE-ACCESS-CONTROLS`), one warning (`WAIVER-UNUSED`).

use kojo_compiler::types::Date;
use kojo_compiler::{Checked, DiskSource, Options};
use kojo_lang::Severity;

use super::{Baseline, Outcome, Paths};

pub struct Fixture {
    /// Holds the copy the diagnostics name.
    _dir: tempfile::TempDir,
    pub checked: Checked,
    pub paths: Paths,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ci/small");
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, root.join(path.file_name().unwrap())).unwrap();
        }
        let today = Date::parse("2026-01-01").ok();
        let checked =
            kojo_compiler::check_with(&DiskSource::new(&root), &Options { backends: &[], today, ..Default::default() });
        Fixture { _dir: dir, checked, paths: Paths::new(&root, &root) }
    }

    pub fn outcome<'a>(&'a self, baseline: Option<&'a Baseline>) -> Outcome<'a> {
        Outcome {
            checked: &self.checked,
            paths: &self.paths,
            baseline,
            fail_on: Severity::Error,
            unshown: &super::unshown::NONE,
        }
    }

    /// A baseline that knows the kept error finding.
    pub fn baseline(&self) -> Baseline {
        let known = self.checked.diagnostics.iter().find(|d| d.id() == "DEV-FILE-ACCESS").unwrap();
        Baseline { revision: "main".into(), fingerprints: [known.fingerprint.clone().unwrap()].into() }
    }
}
