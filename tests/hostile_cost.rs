//! Hostile inputs that cost: names long enough to make "did you mean"
//! quadratic, and files with so many errors that collecting and printing
//! them all would take minutes and gigabytes. Each run has a deadline, so
//! a regression fails the test instead of hanging CI; the deadline is
//! generous (a debug build on a loaded machine), not a timing assertion.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// Far beyond what any run here needs (well under a few seconds each).
const DEADLINE: Duration = Duration::from_secs(60);

/// Mirrors `kojo_compiler::cap` (the test reads what the binary prints).
const PER_FILE: usize = kojo_compiler::cap::PER_FILE;
const PER_RUN: usize = kojo_compiler::cap::PER_RUN;

#[path = "hostile/run.rs"]
mod run;

use run::Run;

/// [`run::kojo`] in `dir` under [`DEADLINE`].
fn kojo(args: &[&str], dir: &Path) -> Run {
    run::kojo(args, dir, Stdio::null(), DEADLINE)
}

/// A project with the given `.kojo` files.
fn project(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\nprofile \"meti-factory\"\n").unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const HEADER: &str = "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.0.0.0/24 }\n";

/// `assets` assets with neither kind nor zone: two E0206 errors each.
fn broken_assets(prefix: &str, assets: usize) -> String {
    let mut text = String::from(HEADER);
    for i in 0..assets {
        text.push_str(&format!("asset {prefix}{i} \"X\" {{}}\n"));
    }
    text
}

/// A zone and a reference to it, `name` and `near` apart.
fn reference(zone: &str, wanted: &str) -> String {
    format!(
        "plant \"T\" {{ profile meti-factory }}\nzone {zone} \"A\" {{ subnet 10.0.0.0/24 }}\n\
         asset x \"X\" in {wanted} {{ kind plc; ip 10.0.0.5 }}\n"
    )
}

#[test]
fn a_long_name_gets_no_suggestion_and_the_check_ends() {
    // Two 100,000-character names one letter apart: measuring their edit
    // distance took minutes.
    let zone = "z".repeat(100_000);
    let wanted = format!("{}y", "z".repeat(99_999));
    let dir = project(&[("plant.kojo", reference(&zone, &wanted))]);
    let run = kojo(&["check", "--threats"], dir.path());
    assert!(run.stdout.len() < 20_000, "the threat table stays short: {} bytes", run.stdout.len());

    let run = kojo(&["check", "--format", "concise"], dir.path());
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stdout.contains("[KOJO-E0201]"), "{}", run.stdout);
    assert!(!run.stdout.contains("did you mean"), "{}", run.stdout);
}

#[test]
fn huge_names_are_passed_over_without_being_measured() {
    // Five 3-million-character zone names (15 MB, under the file limit) and
    // 1,000 misspelt references over ten files (under the caps): each lookup
    // used to count the characters of every name, 1.5 × 10^10 steps.
    let mut names = String::from("plant \"T\" { profile meti-factory }\n");
    for letter in ["a", "b", "c", "d", "e"] {
        names.push_str(&format!("zone {} \"A\" {{ subnet 10.0.0.0/24 }}\n", letter.repeat(3_000_000)));
    }
    let mut files = vec![("names.kojo".to_string(), names)];
    for file in 0..10 {
        let references: String =
            (0..100).map(|i| format!("asset x{file}_{i} \"X\" in zon{file}_{i} {{ kind plc }}\n")).collect();
        files.push((format!("refs{file}.kojo"), references));
    }
    let files: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let dir = project(&files);
    let run = kojo(&["check", "--threats"], dir.path());
    assert!(run.stdout.len() < 20_000, "the threat table stays short: {} bytes", run.stdout.len());

    let run = kojo(&["check", "--format", "concise"], dir.path());
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert_eq!(run.stdout.matches("[KOJO-E0201]").count(), 1_000, "{}", run.stdout);
}

#[test]
fn many_unknown_references_to_many_similar_long_names_end() {
    // A thousand zones and twelve hundred references, all 63 or 64 letters
    // of `a` and `b`: every reference is within reach of every zone by
    // length, so each lookup would measure a thousand candidates.
    let mut seed: u64 = 1;
    let mut word = |n: usize| -> String {
        (0..n)
            .map(|_| {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                if seed >> 63 == 0 {
                    'a'
                } else {
                    'b'
                }
            })
            .collect()
    };
    let mut zones = String::from("plant \"T\" { profile meti-factory }\n");
    for _ in 0..1_000 {
        zones.push_str(&format!("zone z{} \"A\" {{}}\n", word(63)));
    }
    let mut files = vec![("a.kojo".to_string(), zones)];
    for f in 0..10 {
        let refs: String =
            (0..120).map(|i| format!("asset x{f}_{i} \"X\" in z{} {{ kind plc }}\n", word(62))).collect();
        files.push((format!("r{f:02}.kojo"), refs));
    }
    let files: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let dir = project(&files);
    let run = kojo(&["check", "--threats"], dir.path());
    assert!(run.stdout.len() < 20_000, "the threat table stays short: {} bytes", run.stdout.len());

    let run = kojo(&["check", "--format", "concise"], dir.path());
    assert_eq!(run.code, Some(3), "{}", run.stdout);
    assert!(run.stdout.contains("error: `t` does not compile: 1200 errors"), "{}", run.stdout);
}

#[test]
fn a_normal_name_is_still_suggested() {
    let dir = project(&[("plant.kojo", reference("control", "contrl"))]);
    let run = kojo(&["check"], dir.path());
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `control`?"), "{}", run.stderr);
}

#[test]
fn many_errors_in_one_file_are_capped_with_a_count_of_the_rest() {
    let dir = project(&[("plant.kojo", broken_assets("a", 20_000))]);
    let total = 40_000;
    let run = kojo(&["check", "--format", "full"], dir.path());
    assert_eq!(run.code, Some(3), "still the compile-error exit: {}", run.stdout);
    let shown = run.stderr.matches("× asset `").count();
    assert_eq!(shown, PER_FILE, "{}", &run.stderr[run.stderr.len().saturating_sub(2000)..]);
    assert!(run.stderr.contains(&format!("{} more diagnostics in `plant.kojo` not shown\n", total - PER_FILE)));
    assert!(run.stdout.contains(&format!("{total} errors, 0 warnings in 1 file ({PER_FILE} shown)")), "{}", run.stdout);

    let run = kojo(&["check", "--format", "json"], dir.path());
    assert_eq!(run.code, Some(3));
    assert!(run.stdout.len() < 200_000, "the JSON stays small: {} bytes", run.stdout.len());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["exit_code"], 3);
    assert_eq!(json["summary"]["errors"], total);
    assert_eq!(json["summary"]["shown"], PER_FILE);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), PER_FILE);
    assert_eq!(json["dropped"]["total"], total - PER_FILE);
    assert_eq!(json["dropped"]["errors"], total - PER_FILE);
    assert_eq!(json["dropped"]["files"]["plant.kojo"], total - PER_FILE);

    let run = kojo(&["check", "--format", "sarif"], dir.path());
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), PER_FILE);
    assert_eq!(sarif["runs"][0]["properties"]["dropped"]["total"], total - PER_FILE);

    let run = kojo(&["check", "--format", "junit"], dir.path());
    let junit = format!("name=\"{} more diagnostics not shown\"", total - PER_FILE);
    assert!(run.stdout.contains(&junit) && run.stdout.contains("<error type=\"dropped\""), "{}", run.stdout);

    let run = kojo(&["check", "--format", "gitlab"], dir.path());
    let issues: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    assert_eq!(issues.len(), PER_FILE + 1);
    let last = &issues[PER_FILE];
    assert_eq!(last["check_name"], "kojo/dropped");
    assert_eq!(last["severity"], "blocker");
    assert_eq!(last["location"]["path"], "plant.kojo");

    let run = kojo(&["check", "--format", "github"], dir.path());
    assert!(run.stdout.contains(&format!("({PER_FILE} shown)")), "{}", run.stdout);
}

#[test]
fn many_files_of_errors_are_capped_per_run() {
    // Fifteen files of 300 errors each: the first files fill the run's cap.
    // The plant and its zone are declared once, in the first file.
    let assets = |i: usize| broken_assets(&format!("f{i}_"), 150).replacen(HEADER, "", usize::from(i > 0));
    let files: Vec<(String, String)> = (0..15).map(|i| (format!("f{i:02}.kojo"), assets(i))).collect();
    let files: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let dir = project(&files);
    let run = kojo(&["check", "--threats"], dir.path());
    assert!(run.stdout.len() < 20_000, "the threat table stays short: {} bytes", run.stdout.len());

    let run = kojo(&["check", "--format", "concise"], dir.path());
    assert_eq!(run.code, Some(3), "{}", run.stdout);
    assert_eq!(run.stdout.matches("error[KOJO-E0206]").count(), PER_RUN, "{}", run.stdout);
    assert!(run.stdout.contains(&format!("{} more diagnostics in `f00.kojo` not shown\n", 300 - PER_FILE)));
    // f00 to f08 keep a file's worth each; f09 what is left of the run's.
    let f09 = 300 - (PER_RUN - 9 * PER_FILE);
    assert!(run.stdout.contains(&format!("{f09} more diagnostics in `f09.kojo` not shown\n")), "{}", run.stdout);
    assert!(run.stdout.contains("1500 more not shown in 5 other files\n"), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("{} more not shown in all", 15 * 300 - PER_RUN)), "{}", run.stdout);
}

#[test]
fn few_errors_print_no_cap_line() {
    let dir = project(&[("plant.kojo", broken_assets("a", 3))]);
    let run = kojo(&["check", "--format", "json"], dir.path());
    assert!(!run.stderr.contains("not shown"));
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["dropped"]["total"], 0);
    assert_eq!(json["summary"]["shown"], 6);
}

#[test]
fn a_manifest_the_kdl_parser_would_take_minutes_on_is_refused_at_once() {
    // Found by the `check` fuzz target: after slashdashes, quotes glued to
    // words sent the KDL parser's error recovery into exponential time
    // (16 such lines: 3 s; 20: minutes). The scan before it refuses them.
    let dir = project(&[("plant.kojo", HEADER.to_string())]);
    std::fs::write(dir.path().join("kojo.kdl"), format!("project \"t\"\n{}", "/--- x\" { y\n".repeat(1_000))).unwrap();
    let run = kojo(&["check"], dir.path());
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stderr.contains("KOJO-E0102") && run.stderr.contains("right after a word"), "{}", run.stderr);
}

/// `assets` sensors in one zone, each lacking what its tier asks for:
/// seven findings each, the first bare plant that compiles with more
/// findings than a check lists.
fn bare_sensors(assets: usize) -> String {
    let mut text = String::from(HEADER);
    for i in 0..assets {
        text.push_str(&format!("asset h{i} \"H\" in a {{ kind sensor }}\n"));
    }
    text
}

const FINDINGS_PER_RUN: usize = kojo_compiler::cap::FINDINGS_PER_RUN;

#[test]
fn findings_past_the_cap_are_counted_not_listed_and_still_fail() {
    // Three not-applicable requirements per sensor: past their cap too.
    let dir = project(&[("plant.kojo", bare_sensors(4_000))]);
    let run = kojo(&["check", "--format", "json"], dir.path());
    assert_eq!(run.code, Some(1), "findings fail: {}", &run.stdout[..run.stdout.len().min(2000)]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let total = json["summary"]["errors"].as_u64().unwrap() as usize;
    assert!(total > FINDINGS_PER_RUN, "{total}");
    assert_eq!(json["summary"]["shown"], FINDINGS_PER_RUN);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), FINDINGS_PER_RUN);
    assert_eq!(json["dropped"]["findings"], total - FINDINGS_PER_RUN);
    assert_eq!(json["dropped"]["total"], 0, "no diagnostic but findings was left out");
    let by_rule: u64 =
        json["dropped"]["findings_by_rule"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(by_rule as usize, total - FINDINGS_PER_RUN);
    // The threat entry points name their first openers and count the rest.
    let threats = json["threats"].as_array().unwrap();
    assert!(threats.iter().all(|t| t["via"].as_array().unwrap().len() <= 100));
    assert!(threats.iter().any(|t| t["via_count"].as_u64().unwrap() > 100), "{threats:?}");
    let not_applicable = json["not_applicable"].as_array().unwrap().len();
    assert_eq!(not_applicable, kojo_compiler::rules::applicability::LISTED);
    assert!(json["dropped"]["not_applicable"].as_u64().unwrap() > 0);

    let run = kojo(&["check"], dir.path());
    assert_eq!(run.code, Some(1));
    let more = format!("{} more findings not listed (", total - FINDINGS_PER_RUN);
    assert!(run.stderr.contains(&more), "{}", run.stderr);
    assert!(run.stderr.contains("more findings past the first 10000 findings of the check, not listed"));
    let folded = run.stderr.lines().find(|l| l.starts_with("  zone a (")).unwrap();
    let names = folded.split_once("): ").unwrap().1.split_once(" and ").unwrap().0;
    assert_eq!(names.split(", ").count(), 20, "a folded line names twenty assets: {folded}");
    assert!(run.stdout.contains(&format!("{total} findings ({total} errors, 0 warnings)")), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("({FINDINGS_PER_RUN} shown)")), "{}", run.stdout);
    assert!(run.stderr.len() < 20_000, "grouped output stays short: {} bytes", run.stderr.len());

    let run = kojo(&["check", "--threats"], dir.path());
    assert!(run.stdout.len() < 20_000, "the threat table stays short: {} bytes", run.stdout.len());

    let run = kojo(&["check", "--format", "concise"], dir.path());
    assert_eq!(run.stdout.lines().filter(|l| l.contains(": error[")).count(), FINDINGS_PER_RUN);
    assert!(run.stdout.contains(&more));

    let run = kojo(&["check", "--format", "sarif"], dir.path());
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), FINDINGS_PER_RUN);
    assert_eq!(sarif["runs"][0]["properties"]["dropped"]["findings"], total - FINDINGS_PER_RUN);

    let run = kojo(&["check", "--format", "junit"], dir.path());
    let case = format!("name=\"{} more findings not listed\"", total - FINDINGS_PER_RUN);
    assert!(run.stdout.contains(&case), "{}", &run.stdout[run.stdout.len().saturating_sub(3000)..]);
    assert!(run.stdout.contains("<failure type=\"finding\""));
    // Each rule with findings past the cap has a failing case for them, never "no findings".
    let per_rule = run.stdout.matches(" more findings not listed\"").count();
    assert!(per_rule >= 8, "the dropped case and one per rule: {per_rule}");

    let run = kojo(&["check", "--format", "gitlab"], dir.path());
    let issues: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let last = issues.as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["check_name"].as_str(), last["severity"].as_str()), (Some("kojo/dropped"), Some("major")));
}

/// `git` in `dir`, as a CI checkout would have it.
fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn a_baseline_knows_the_findings_past_the_cap() {
    let dir = project(&[("plant.kojo", bare_sensors(2_000))]);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "plant"]);
    let run = kojo(&["check", "--baseline", "main"], dir.path());
    assert_eq!(run.code, Some(0), "every finding, listed or not, is known: {}", run.stdout);
    // One more asset at the end of the file: its findings are past the cap, and new.
    let mut text = bare_sensors(2_000);
    text.push_str("asset zz \"H\" in a { kind sensor }\n");
    std::fs::write(dir.path().join("plant.kojo"), text).unwrap();
    let run = kojo(&["check", "--baseline", "main", "--format", "json"], dir.path());
    assert_eq!(run.code, Some(1), "a new finding fails");
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let listed = json["diagnostics"].as_array().unwrap();
    assert_eq!(listed.len(), FINDINGS_PER_RUN);
    // Past the cap in the order shown, but listed first: they are what the change brings.
    let new: Vec<&serde_json::Value> = listed.iter().filter(|d| d["baseline"] == "new").collect();
    assert_eq!(new.len(), 7, "the new asset's findings are listed");
    assert!(new.iter().all(|d| d["fingerprint"].as_str().unwrap().contains("asset:zz")));
    let run = kojo(&["check", "--baseline", "main"], dir.path());
    assert!(run.stderr.contains("asset zz"), "people see them too: {}", run.stderr);
}

/// One conduit of `n` flows limited to reads and `n` unlimited flows
/// through the same firewall interfaces: every limited flow is to be
/// compared with every unlimited one.
fn limited_and_unlimited(n: usize) -> String {
    let mut text = String::from(
        "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.1.0.0/16 }\nzone b \"B\" { subnet 10.2.0.0/24 }\n\
         asset fw \"FW\" { kind firewall\n  interfaces { a 10.1.255.1; b 10.2.0.1 } }\n\
         asset s1 \"S1\" in b { kind plc  ip 10.2.0.10  services [modbus-tcp] }\n",
    );
    for i in 0..n {
        text.push_str(&format!("asset h{i} \"H\" in a {{ kind workstation  ip 10.1.{}.{} }}\n", i / 200, i % 200 + 2));
    }
    text.push_str("conduit a_to_b from a to b {\n  enforced-by fw\n");
    for i in 0..n {
        text.push_str(&format!("  allow h{i} -> s1 service modbus-tcp {{ functions [read] }}\n"));
        text.push_str(&format!("  allow h{i} -> s1 port tcp/{}\n", 1000 + i));
    }
    text.push_str("}\n");
    text
}

#[test]
fn flows_too_many_to_compare_pairwise_are_refused_not_compared() {
    let pairs = kojo_backends::enforcement::pairs::PAIRS_PER_CHECK;
    let n = (pairs as f64).sqrt() as usize + 1;
    let dir = project(&[("plant.kojo", limited_and_unlimited(n))]);
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\nbackend \"nftables\" \"suricata\"\n").unwrap();
    let run = kojo(&["check", "--format", "json"], dir.path());
    assert!(
        run.stdout.contains("has too many flows to check that no two of different function limits overlap"),
        "{}",
        &run.stdout[..run.stdout.len().min(3000)]
    );
    // The rule that reports overlaps before any build stops the same way
    // (its finding past the first 10,000 listed, counted by rule: no two
    // of these flows overlap, so it is the only one).
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let listed = json["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "FUNCTION-LIMITS-OVERLAP");
    assert!(listed || json["dropped"]["findings_by_rule"]["FUNCTION-LIMITS-OVERLAP"] == 1, "{}", json["dropped"]);
    assert_eq!(run.code, Some(3), "a refused build fails the check");
}

#[test]
fn two_flows_of_thousands_of_hosts_each_count_as_thousands_squared() {
    // One limited flow and one not, each from 5,000 hosts: one pair, but
    // comparing their hosts is 25 million comparisons.
    let n = 5_000;
    let mut text = String::from(
        "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.1.0.0/16 }\nzone b \"B\" { subnet 10.2.0.0/24 }\n\
         asset fw \"FW\" { kind firewall\n  interfaces { a 10.1.255.1; b 10.2.0.1 } }\n\
         asset s1 \"S1\" in b { kind plc  ip 10.2.0.10  services [modbus-tcp] }\n",
    );
    for i in 0..2 * n {
        text.push_str(&format!("asset h{i} \"H\" in a {{ kind workstation  ip 10.1.{}.{} }}\n", i / 200, i % 200 + 2));
    }
    let hosts = |range: std::ops::Range<usize>| range.map(|i| format!("h{i}")).collect::<Vec<_>>().join(", ");
    text.push_str(&format!(
        "conduit a_to_b from a to b {{\n  enforced-by fw\n  allow [{}] -> s1 service modbus-tcp {{ functions [read] }}\n  allow [{}] -> s1 service modbus-tcp\n}}\n",
        hosts(0..n),
        hosts(n..2 * n)
    ));
    let dir = project(&[("plant.kojo", text)]);
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\nbackend \"nftables\" \"suricata\"\n").unwrap();
    let run = kojo(&["check", "--format", "json"], dir.path());
    assert!(run.stdout.contains("has too many flows to check that no two of different function limits overlap"));
    // The rule's finding is past the first 10,000 listed (each workstation
    // has its own), counted by rule.
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let listed = json["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "FUNCTION-LIMITS-OVERLAP");
    assert!(listed || json["dropped"]["findings_by_rule"]["FUNCTION-LIMITS-OVERLAP"] == 1);
    assert_eq!(run.code, Some(3));
}

#[test]
fn an_asa_of_too_many_any_ended_flows_to_compare_is_refused() {
    let pairs = kojo_backends::enforcement::pairs::PAIRS_PER_CHECK;
    let n = (pairs as f64).sqrt() as usize + 1;
    // Flows into `a` from anywhere outside (`c` has no subnets: its `any`
    // is any address) and out of `a` to `b`: each pair is to be compared.
    let mut text = String::from(
        "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.1.0.0/24 }\nzone b \"B\" { subnet 10.2.0.0/24 }\n\
         zone c \"C\" : untrusted\n\
         asset fw \"FW\" { kind firewall\n  interfaces { a 10.1.0.1; b 10.2.0.1; c 203.0.113.1 } }\n\
         asset sa \"SA\" in a { kind server  ip 10.1.0.10 }\nasset sb \"SB\" in b { kind server  ip 10.2.0.10 }\n",
    );
    for (name, from, to, host) in [("c_to_a", "c", "a", "sa"), ("a_to_b", "a", "b", "sb")] {
        text.push_str(&format!("conduit {name} from {from} to {to} {{\n  enforced-by fw\n"));
        for i in 0..n {
            text.push_str(&format!("  allow any -> {host} port tcp/{}\n", 1000 + i));
        }
        text.push_str("}\n");
    }
    let dir = project(&[("plant.kojo", text)]);
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\nbackend \"cisco-asa\"\n").unwrap();
    let run = kojo(&["check", "--format", "json"], dir.path());
    assert!(
        run.stdout.contains("has too many flows to check that no two of its access lists together pass"),
        "{}",
        &run.stdout[..run.stdout.len().min(3000)]
    );
    assert_eq!(run.code, Some(3), "a refused build fails the check");
}

#[test]
fn an_asa_of_too_many_windowed_flows_to_compare_is_refused() {
    let pairs = kojo_backends::enforcement::pairs::PAIRS_PER_CHECK;
    let n = (pairs as f64).sqrt() as usize + 1;
    // Every flow has a window, whose connections an applet clears: each is
    // compared with every other flow.
    let mut text = String::from(
        "plant \"T\" { profile meti-factory }\nzone a \"A\" { subnet 10.1.0.0/24 }\nzone b \"B\" { subnet 10.2.0.0/24 }\n\
         asset fw \"FW\" { kind firewall\n  interfaces { a 10.1.0.1; b 10.2.0.1 } }\n\
         asset sa \"SA\" in a { kind server  ip 10.1.0.10 }\nasset sb \"SB\" in b { kind server  ip 10.2.0.10 }\n\
         conduit w from a to b {\n  enforced-by fw\n  window \"Mon-Fri 09:00-17:00 UTC\"\n",
    );
    for i in 0..n {
        text.push_str(&format!("  allow sa -> sb port tcp/{}\n", 1000 + i));
    }
    text.push_str("}\n");
    let dir = project(&[("plant.kojo", text)]);
    std::fs::write(dir.path().join("kojo.kdl"), "project \"t\"\nbackend \"cisco-asa\"\n").unwrap();
    let run = kojo(&["check", "--format", "json"], dir.path());
    assert!(
        run.stdout.contains("has too many flows to check that each window's applet cuts no connection"),
        "{}",
        &run.stdout[..run.stdout.len().min(3000)]
    );
    assert_eq!(run.code, Some(3), "a refused build fails the check");
}

#[test]
fn a_vast_diff_lists_the_first_of_each_kind_and_counts_the_rest() {
    let listed = kojo_compiler::diff::LISTED;
    let dir = project(&[("plant.kojo", bare_sensors(0))]);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "plant"]);
    // More assets than a diff lists changes, each with seven findings.
    let assets = listed + 5;
    std::fs::write(dir.path().join("plant.kojo"), bare_sensors(assets)).unwrap();
    let run = kojo(&["diff", "main", "--format", "json"], dir.path());
    assert_eq!(run.code, Some(0), "{}", &run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let changes = json["changes"].as_array().unwrap().len();
    let counted: u64 = ["high", "medium", "low"].iter().map(|r| json["counts"][r].as_u64().unwrap()).sum();
    assert_eq!(changes, listed);
    assert_eq!(json["not_listed"]["changes"].as_u64().unwrap(), counted - listed as u64);
    assert!(counted as usize >= assets, "{counted}");
    assert_eq!(json["findings_introduced"].as_array().unwrap().len(), listed);
    assert_eq!(json["not_listed"]["findings_introduced"].as_u64().unwrap() as usize, 7 * assets - listed);
    let run = kojo(&["diff", "main"], dir.path());
    assert!(run.stdout.contains(&format!("findings introduced ({}):", 7 * assets)), "{}", &run.stdout[..2000]);
    assert!(run.stdout.contains(&format!("… and {} more findings, not listed", 7 * assets - listed)));
    // A pull-request comment fits what GitHub takes.
    let run = kojo(&["diff", "main", "--format", "markdown"], dir.path());
    assert!(run.stdout.len() <= 65_536, "{}", run.stdout.len());
    assert!(run.stdout.contains("more changes, not shown") && run.stdout.contains("more findings, not shown"));
}

#[test]
fn evidence_and_the_report_list_the_first_findings_and_openers_and_count_the_rest() {
    let listed = kojo_compiler::evidence::findings::LISTED;
    let assets = listed + 50;
    let dir = project(&[("plant.kojo", bare_sensors(assets))]);
    let run = kojo(&["evidence", "--format", "json", "--now", "2026-01-01"], dir.path());
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let items: Vec<&serde_json::Value> =
        json["categories"].as_array().unwrap().iter().flat_map(|c| c["items"].as_array().unwrap()).collect();
    let crowded: Vec<&&serde_json::Value> =
        items.iter().filter(|i| i["findings_total"].as_u64().unwrap() > listed as u64).collect();
    assert!(!crowded.is_empty(), "every sensor lacks the same controls");
    for item in crowded {
        assert_eq!(item["findings"].as_array().unwrap().len(), listed);
        let more = item["findings_total"].as_u64().unwrap() as usize - listed;
        assert!(item["findings_more"].as_str().unwrap().contains(&more.to_string()), "{}", item["findings_more"]);
    }
    let run = kojo(&["evidence", "--now", "2026-01-01"], dir.path());
    assert!(run.stdout.contains("more findings of these rules, not listed here"));
    // The sensors all open one entry point of their zone: ten are named.
    let run = kojo(&["report", "--now", "2026-01-01"], dir.path());
    assert!(run.stdout.contains("asset h9 (sensor); and"), "{}", run.stderr);
    assert!(!run.stdout.contains("asset h10 (sensor)"));
}

#[test]
fn a_comment_on_a_revision_that_does_not_compile_fits_too() {
    let dir = project(&[("plant.kojo", bare_sensors(1))]);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "plant"]);
    // Hundreds of errors, each naming a name of 3,000 characters.
    let long = "x".repeat(3_000);
    std::fs::write(dir.path().join("plant.kojo"), broken_assets(&long, 200)).unwrap();
    let run = kojo(&["diff", "main", "--format", "markdown"], dir.path());
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(run.stdout.len() <= 65_536, "{}", run.stdout.len());
    assert!(
        run.stdout.contains("cannot compare") && run.stdout.contains("more errors, not shown"),
        "{}",
        &run.stdout[..500]
    );
}

/// `u` untrusted zones into a hub, and the hub into `h` high-tier zones,
/// no conduit with an IPS; a chain of `chain` zones from the hub on.
fn hub(u: usize, h: usize) -> String {
    let mut text = String::from("plant \"T\" { profile meti-factory }\nzone hub \"H\" { subnet 10.255.0.0/24 }\n");
    for i in 0..h {
        text.push_str(&format!("zone z{i} \"Z\" {{ subnet 10.{}.{}.0/24; tier high }}\n", i / 250, i % 250));
        text.push_str(&format!("conduit h{i} \"C\" from hub to z{i} {{ allow any -> any port tcp/80 }}\n"));
    }
    for i in 0..u {
        text.push_str(&format!("zone u{i} \"U\" : untrusted\n"));
        text.push_str(&format!("conduit o{i} \"C\" from u{i} to hub {{ allow any -> any port tcp/80 }}\n"));
    }
    text
}

#[test]
fn ways_in_from_many_outside_zones_are_one_finding_per_high_tier_zone() {
    let (u, h) = (1_000, 1_000);
    let dir = project(&[("plant.kojo", hub(u, h))]);
    let run = kojo(&["check", "--format", "json"], dir.path());
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let listed = json["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "PATH-INTO-HIGH-TIER").count();
    let unlisted = json["dropped"]["findings_by_rule"]["PATH-INTO-HIGH-TIER"].as_u64().unwrap_or(0) as usize;
    // Before: one per pair of zones, a million.
    assert_eq!(listed + unlisted, h, "one per high-tier zone");
}
