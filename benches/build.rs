//! `kojo build` of synthetic plants, in memory: `cargo bench --bench build`.
//!
//! The plant is checked once per size, outside the timings; what is timed is
//! what `kojo build` adds to `kojo check`: lowering to per-device policies
//! and rendering. `build` is the whole [`kojo_backends::build`] for a
//! manifest selecting every backend; `render` is one backend at a time
//! ([`kojo_backends::render_backend`], which lowers again each time, as a
//! build does once); `lower` is the lowering alone. A backend that cannot
//! render the plant yet is reported on stderr and skipped, not timed.
//!
//! The synthetic plant's Modbus flows are limited to `functions [read]`, so
//! `build` needs the `suricata` backend to succeed.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use kojo::synth::{self, Build, Params};
use kojo_compiler::{Checked, Options};

const SIZES: [usize; 2] = [1_000, 10_000];
/// The sizes that show the slope: a build at 200k takes tens of seconds,
/// so these take three samples.
const LARGE: [usize; 2] = [50_000, 200_000];

fn main() {
    divan::main();
}

/// The plant of `assets` assets, checked, with a manifest selecting every
/// backend. Checked once per size: a 10k check takes about half a second.
fn plant(assets: usize) -> &'static Checked {
    static PLANTS: [OnceLock<Checked>; SIZES.len() + LARGE.len()] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let slot = SIZES.iter().chain(&LARGE).position(|&s| s == assets).expect("a size of SIZES or LARGE");
    PLANTS[slot].get_or_init(|| {
        let source = synth::source_building(Params::with_assets(assets), &Build::backends(kojo_backends::names()));
        let checked = kojo_compiler::check_with(
            &source,
            &Options { backends: kojo_backends::names(), today: None, ..Default::default() },
        );
        assert!(checked.model.is_some() && checked.manifest.is_some() && checked.catalogue.is_some());
        checked
    })
}

fn request(checked: &Checked) -> kojo_backends::Request<'_> {
    kojo_backends::Request {
        model: checked.model.as_ref().unwrap(),
        catalogue: checked.catalogue.as_ref().unwrap(),
        tiers: &checked.tiers,
        manifest: checked.manifest.as_ref().unwrap(),
    }
}

/// Says why a benchmark is skipped: the first diagnostic is enough to tell
/// a backend that is not written yet from a real failure.
fn skip(what: &str, diagnostics: &[kojo_lang::Diagnostic]) {
    let first = diagnostics.first().map(|d| d.message.as_str()).unwrap_or_default();
    eprintln!("skipped {what}: {} diagnostics, the first: {first}", diagnostics.len());
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn build(bencher: divan::Bencher, assets: usize) {
    let request = request(plant(assets));
    if let Err(diagnostics) = kojo_backends::build(&request) {
        return skip(&format!("build of {assets} assets (every backend)"), &diagnostics);
    }
    bencher.bench(|| kojo_backends::build(divan::black_box(&request)).map(|b| b.artifacts.len()));
}

/// [`build`] at 50k and 200k assets: every backend, in memory, so the
/// slope is the renderers' and not the disk's.
#[divan::bench(args = LARGE, sample_count = 3)]
fn build_large(bencher: divan::Bencher, assets: usize) {
    build(bencher, assets);
}

#[divan::bench(args = kojo_backends::names(), sample_count = 10)]
fn render(bencher: divan::Bencher, backend: &str) {
    let request = request(plant(10_000));
    let backend = kojo_backends::backend(backend).unwrap();
    if let Err(diagnostics) = kojo_backends::render_backend(&request, backend) {
        return skip(&format!("{} for 10k assets", backend.name()), &diagnostics);
    }
    bencher.bench(|| kojo_backends::render_backend(divan::black_box(&request), backend).map(|a| a.len()));
}

#[divan::bench(args = SIZES, sample_count = 10)]
fn lower(bencher: divan::Bencher, assets: usize) {
    let checked = plant(assets);
    let request = request(checked);
    let settings = BTreeMap::new();
    bencher.bench(|| {
        kojo_backends::policy::lower(divan::black_box(request.model), request.catalogue, request.tiers, &settings)
            .map(|p| p.devices.len())
    });
}
