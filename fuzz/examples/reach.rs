//! How far the inputs of a corpus get: for the `plant` target, how many
//! generated plants built files, per backend; for the `check` target, how
//! many projects compiled and built. Prints a table; exits 1 if a plant
//! failed to build.
//!
//! cargo run --manifest-path fuzz/Cargo.toml --example reach -- plant fuzz/corpus/plant
//! cargo run --manifest-path fuzz/Cargo.toml --example reach -- check fuzz/corpus/check

use std::collections::BTreeMap;
use std::path::PathBuf;

use kojo_compiler::Options;
use kojo_lang::{Code, Severity};

fn main() {
    let mut args = std::env::args().skip(1);
    let target = args.next().unwrap_or_default();
    let mut inputs: Vec<PathBuf> = Vec::new();
    for arg in args {
        let path = PathBuf::from(arg);
        match std::fs::read_dir(&path) {
            Ok(entries) => inputs.extend(entries.filter_map(|e| e.ok()).map(|e| e.path())),
            Err(_) => inputs.push(path),
        }
    }
    inputs.sort();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed = false;
    for path in &inputs {
        let Ok(data) = std::fs::read(path) else { continue };
        *counts.entry("inputs".into()).or_default() += 1;
        let reached = match target.as_str() {
            "plant" => plant(&data, &mut failed, path),
            "check" => check(&data),
            _ => {
                eprintln!("usage: reach plant|check FILE-OR-DIR…");
                std::process::exit(2);
            }
        };
        for step in reached {
            *counts.entry(step).or_default() += 1;
        }
    }
    let total = counts.get("inputs").copied().unwrap_or(0).max(1);
    for (step, n) in &counts {
        println!("{step:28} {n:7}  {:5.1}%", 100.0 * *n as f64 / total as f64);
    }
    std::process::exit(i32::from(failed));
}

fn plant(data: &[u8], failed: &mut bool, path: &std::path::Path) -> Vec<String> {
    let plant = kojo_fuzz::plant::generate(data);
    match kojo_fuzz::plant::check_and_build(&plant) {
        Ok(files) => {
            let mut steps = vec!["compiled and built".to_string()];
            if !files.is_empty() {
                steps.push("built files".into());
            }
            let mut backends: Vec<&str> = files.iter().map(|f| f.backend).collect();
            backends.dedup();
            backends.sort_unstable();
            backends.dedup();
            steps.extend(backends.into_iter().map(|b| format!("built {b}")));
            steps
        }
        Err(problem) => {
            eprintln!("{}: {problem}", path.display());
            *failed = true;
            vec!["failed".into()]
        }
    }
}

fn check(data: &[u8]) -> Vec<String> {
    let options = Options { backends: kojo_backends::names(), today: kojo_fuzz::today(), ..Default::default() };
    let checked = kojo_compiler::check_with(&kojo_fuzz::container::project(data), &options);
    let errors = checked.diagnostics.iter().any(|d| d.code != Code::Finding && d.severity == Severity::Error);
    let (Some(model), Some(manifest), Some(catalogue), false) =
        (&checked.model, &checked.manifest, &checked.catalogue, errors)
    else {
        return Vec::new();
    };
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    match kojo_backends::build(&request) {
        Ok(build) if !build.artifacts.is_empty() => vec!["compiled".into(), "built files".into()],
        _ => vec!["compiled".into()],
    }
}
