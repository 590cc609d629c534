//! OSCAL documents validated by compliance-trestle (`pip install
//! compliance-trestle==5.2.0`), which loads them into its OSCAL models and
//! runs its validators: the schema, UUID uniqueness, references.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use super::support::{run_limited, skip_tools, text};

const INSTALL: &str =
    "install compliance-trestle (python3 -m pip install 'compliance-trestle==5.2.0'), or set KOJO_SKIP_TOOLS=1";

/// A trestle workspace (`trestle init`) in a temporary directory.
pub struct Workspace {
    dir: tempfile::TempDir,
}

fn trestle(cwd: &Path, args: &[&str]) -> std::io::Result<Output> {
    run_limited(Command::new("trestle").args(args).current_dir(cwd), Duration::from_secs(180))
}

impl Workspace {
    /// `None` when trestle is missing and `KOJO_SKIP_TOOLS=1`.
    pub fn new() -> Option<Workspace> {
        let dir = tempfile::tempdir().unwrap();
        match trestle(dir.path(), &["init"]) {
            Ok(out) => {
                assert!(out.status.success(), "trestle init: {}{}", text(&out.stdout), text(&out.stderr));
                Some(Workspace { dir })
            }
            Err(e) if skip_tools() => {
                eprintln!("skipping trestle ({e}), KOJO_SKIP_TOOLS=1");
                None
            }
            Err(e) => panic!("trestle did not run ({e}): {INSTALL}"),
        }
    }

    /// Validates `json` as OSCAL assessment results: trestle's exit code
    /// (0 valid) and what it printed.
    pub fn validate(&self, json: &str) -> (Option<i32>, String) {
        let file = "assessment-results/kojo/assessment-results.json";
        let path = self.dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, json).unwrap();
        let out = trestle(self.dir.path(), &["validate", "-f", file]).unwrap();
        (out.status.code(), format!("{}{}", text(&out.stdout), text(&out.stderr)))
    }
}
