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

/// `n` bare sensors in one zone: seven findings each, past the first
/// 10,000 made no diagnostic but still counted.
#[divan::bench(args = [1_500, 15_000, 150_000], sample_count = 3)]
fn findings(bencher: divan::Bencher, n: usize) {
    let mut text = String::from(HEADER);
    for i in 0..n {
        text.push_str(&format!("asset h{i} \"H\" in a {{ kind sensor }}\n"));
    }
    let source = project(text);
    bencher.bench(|| {
        let checked = kojo_compiler::check(divan::black_box(&source), &[]);
        assert!(checked.findings.kept.len() >= 7 * n);
        checked.diagnostics.len()
    });
}

/// One conduit of `n` flows (between 20 hosts on each side, on a device of
/// two interfaces), checked and built in memory for every backend, as
/// `kojo check` does: the passes that compared every pair of a device's
/// rules, or scanned every rule per ticket or per rule, made it quadratic.
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 3)]
fn flows(bencher: divan::Bencher, n: usize) {
    let mut text = String::from(
        "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.1.0.0/16 }\nzone b \"B\" { subnet 10.2.0.0/16 }\n\
         asset fw \"FW\" { kind firewall; interfaces { a 10.1.0.1; b 10.2.0.1 } }\n",
    );
    for i in 0..20 {
        text.push_str(&format!("asset x{i} \"X\" in a {{ kind workstation; ip 10.1.1.{} }}\n", i + 2));
        text.push_str(&format!("asset y{i} \"Y\" in b {{ kind server; ip 10.2.1.{} }}\n", i + 2));
    }
    text.push_str("conduit c \"C\" from a to b {\n");
    for k in 0..n {
        text.push_str(&format!("  allow x{} -> y{} port tcp/{}\n", k % 20, (k / 20) % 20, k / 400 + 1));
    }
    text.push_str("  controls [firewall]\n  enforced-by fw\n}\n");
    let mut source = project(text);
    // Every backend but Junos, whose interface names these are not.
    let backends: Vec<&str> = kojo_backends::names().iter().copied().filter(|b| *b != "juniper-srx").collect();
    let quoted: Vec<String> = backends.iter().map(|b| format!("\"{b}\"")).collect();
    source.manifest = Some(format!("project \"t\"\nprofile \"meti-factory\"\nbackend {}\n", quoted.join(" ")));
    bencher.bench(|| {
        let checked = kojo_compiler::check(divan::black_box(&source), kojo_backends::names());
        let (Some(model), Some(manifest), Some(catalogue)) = (&checked.model, &checked.manifest, &checked.catalogue)
        else {
            panic!("{:?}", checked.diagnostics.iter().find(|d| d.rule.is_none()).map(|d| &d.message));
        };
        let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
        kojo_backends::build(&request).map(|b| b.artifacts.len()).expect("it builds")
    });
}

/// A diff of `n` sensors against the same plant with every one renamed:
/// renames were found by comparing each new entity with every gone one.
/// The two checks are made once; the bench times the diff itself.
#[divan::bench(args = [1_000, 10_000, 100_000], sample_count = 3)]
fn renames(bencher: divan::Bencher, n: usize) {
    let plant = |prefix: &str| {
        let mut text = String::from(HEADER);
        for i in 0..n {
            text.push_str(&format!("asset {prefix}{i} \"H\" in a {{ kind sensor }}\n"));
        }
        kojo_compiler::check(&project(text), &[])
    };
    let (before, after) = (plant("h"), plant("renamed"));
    bencher.bench(|| {
        let diff = kojo_compiler::diff::diff(divan::black_box(&before), divan::black_box(&after)).unwrap();
        assert_eq!(diff.counts().iter().sum::<usize>(), n, "one rename each");
        diff.introduced.total + diff.fixed.total
    });
}
