//! Parse + resolve of synthetic plants, and the zone diagram drawn from
//! them: `cargo bench --bench check`.

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

/// [`check`] at 50k and 200k assets, for the slope: three samples, as a
/// 200k check takes seconds.
#[divan::bench(args = [50_000, 200_000], sample_count = 3)]
fn check_large(bencher: divan::Bencher, assets: usize) {
    check(bencher, assets);
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

/// `kojo graph` of a checked plant: the view (levels, assets collapsed to
/// counts above 200, conduits merged) and the laid-out SVG.
#[divan::bench(args = [1_000, 10_000], sample_count = 10)]
fn graph_svg(bencher: divan::Bencher, assets: usize) {
    use kojo_backends::documents::graph::{self, Assets, Request};
    let source = synth::source(Params::with_assets(assets));
    let checked = kojo_compiler::check(&source, &[]);
    let (model, catalogue, profile) =
        (checked.model.as_ref().unwrap(), checked.catalogue.as_ref().unwrap(), checked.profile.as_ref().unwrap());
    let date = kojo_compiler::types::Date::parse("2026-12-06").unwrap();
    let request = Request {
        model,
        catalogue,
        profile,
        tiers: &checked.tiers,
        date,
        lang: kojo_backends::documents::Lang::En,
        assets: Assets::Auto,
    };
    bencher.bench(|| graph::svg(&graph::view(divan::black_box(&request)).unwrap()).len());
}
