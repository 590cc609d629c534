//! Parse + resolve of synthetic plants: `cargo bench --bench check`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use kojo::synth::{self, Params};

fn main() {
    divan::main();
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn check(bencher: divan::Bencher, assets: usize) {
    let source = synth::source(Params::with_assets(assets));
    bencher.bench(|| {
        let checked = kojo_compiler::check(divan::black_box(&source), &[]);
        assert!(checked.model.is_some());
        checked
    });
}

#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn parse_only(bencher: divan::Bencher, assets: usize) {
    let files: Vec<_> = synth::plant(Params::with_assets(assets))
        .into_iter()
        .filter(|(name, _)| name.ends_with(".kojo"))
        .map(|(name, text)| kojo_lang::SourceFile::new(name, text))
        .collect();
    bencher.bench(|| files.iter().map(|f| kojo_lang::parse(divan::black_box(f)).file.decls.len()).sum::<usize>());
}
