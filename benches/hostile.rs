//! What hostile input costs as it grows: `cargo bench --bench hostile`.
//! Each input is checked at three sizes a factor of ten apart; the time
//! should grow by about ten each step (linear), never by a hundred. The
//! figures are in docs/performance.md ("Hostile input").

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use kojo_compiler::MemorySource;

fn main() {
    divan::main();
}

const HEADER: &str = "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.0.0.0/24 }\n";

fn project(text: String) -> MemorySource {
    let mut source = MemorySource::new("t").with_file("plant.kojo", text);
    source.manifest = Some("project \"t\"\nprofile \"meti-factory\"\n".to_string());
    source
}

/// `n` assets with neither kind nor zone: two errors each, past the caps
/// almost all of them only counted.
#[divan::bench(args = [10_000, 100_000, 1_000_000], sample_count = 3)]
fn errors(bencher: divan::Bencher, n: usize) {
    let mut text = String::from(HEADER);
    for i in 0..n / 2 {
        text.push_str(&format!("asset x{i} \"X\" {{}}\n"));
    }
    let source = project(text);
    bencher.bench(|| {
        let checked = kojo_compiler::check(divan::black_box(&source), &[]);
        assert!(checked.dropped.total() > 0, "{:?}", checked.diagnostics.first().map(|d| &d.message));
        checked.diagnostics.len()
    });
}

/// A reference to a zone whose name is `len` characters, one letter off:
/// "did you mean" measured the two names' edit distance (quadratic).
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 3)]
fn long_name(bencher: divan::Bencher, len: usize) {
    let zone = "z".repeat(len);
    let wanted = format!("{}y", "z".repeat(len - 1));
    let text =
        format!("{HEADER}zone {zone} \"Z\" {{ subnet 10.0.1.0/24 }}\nasset x \"X\" in {wanted} {{ kind plc }}\n");
    let source = project(text);
    bencher.bench(|| kojo_compiler::check(divan::black_box(&source), &[]).diagnostics.len());
}

/// `n` zones and `n` references to unknown zones, all 64 letters of `a`
/// and `b`: each lookup is near every name (the per-check budget bounds
/// the comparisons).
#[divan::bench(args = [100, 1_000, 10_000], sample_count = 3)]
fn similar_names(bencher: divan::Bencher, n: usize) {
    let name = |i: usize, pad: char| {
        let bits: String = (0..14).map(|b| if i >> b & 1 == 1 { 'b' } else { 'a' }).collect();
        format!("{bits}{}", pad.to_string().repeat(50))
    };
    let mut text = String::from(HEADER);
    for i in 0..n {
        text.push_str(&format!("zone {} \"Z\"\n", name(i, 'a')));
        text.push_str(&format!("asset r{i} \"R\" in {} {{ kind plc }}\n", name(i, 'b')));
    }
    let source = project(text);
    bencher.bench(|| kojo_compiler::check(divan::black_box(&source), &[]).diagnostics.len());
}
