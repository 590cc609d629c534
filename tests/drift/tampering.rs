//! Edits that keep every rule where kojo put it but change what it does:
//! the gateway's queue made to let packets through when Suricata is not
//! running (`bypass`) or sent to another queue, an inline flow's
//! connections marked with a ticket that skips the gateway, a ticket match
//! that matches every connection, an established window widened. Each
//! must be drift in every format kojo reads, though the same new
//! connections pass. The files edited are kojo's own (which `kojo drift`
//! reads as `nft -f` and iptables-restore files); `nft -j` output is
//! edited in the namespace test, which has one.

use std::path::Path;

use serde_json::Value;

use super::{assert_exit, drift, generated, lab, text, write_generated, EXAMPLE};

/// Each edit of `file` (a generated file in `dir`) must be drift, and
/// must change the file.
fn each_is_drift(dir: &Path, device: &str, project: &Path, file: &str, edits: &[(&str, &str, &str)]) {
    let original = std::fs::read_to_string(dir.join(file)).unwrap();
    assert_exit(&drift(device, &dir.join(file), project, &[]), 0);
    for (what, from, to) in edits {
        assert!(original.contains(from), "{what}: `{from}` is not in {file}");
        let edited = dir.join(format!("edited-{file}"));
        std::fs::write(&edited, original.replacen(from, to, 1)).unwrap();
        let out = drift(device, &edited, project, &[]);
        assert_eq!(out.status.code(), Some(1), "{what} in {file} is drift:\n{}", text(&out.stdout));
    }
}

#[test]
fn queue_ticket_and_window_edits_are_drift() {
    let example = super::repo().join(EXAMPLE);
    let dir = tempfile::tempdir().unwrap();
    let files = write_generated(dir.path(), &generated(&example, "fw_floor"));
    let nft = [
        ("a queue with bypass", "\t\tqueue num 0\n", "\t\tqueue flags bypass to 0\n"),
        ("another queue", "\t\tqueue num 0\n", "\t\tqueue num 1\n"),
        (
            "an inline flow marked non-inline",
            "ct mark set 0xeadb8057 jump gateway",
            "ct mark set 0x337db127 jump gateway",
        ),
    ];
    each_is_drift(&files, "fw_floor", &example, "nftables.nft", &nft);
    let iptables = [
        ("a queue with bypass", "--queue-num 0\n", "--queue-num 0 --queue-bypass\n"),
        ("another queue", "--queue-num 0\n", "--queue-num 1\n"),
        ("an inline flow marked non-inline", "--set-xmark 0xeadb8057/0xffffffff", "--set-xmark 0x337db127/0xffffffff"),
        ("a mark with an empty mask", "--set-xmark 0xeadb8057/0xffffffff", "--set-xmark 0xeadb8057/0x0"),
        ("a ticket match for any mark", "-m connmark --mark 0x337db127", "-m connmark --mark 0x0/0x0"),
    ];
    each_is_drift(&files, "fw_floor", &example, "iptables.rules", &iptables);

    let project = lab();
    let files = write_generated(project.path(), &generated(project.path(), "fw1"));
    // A dual-stack device: both families' files, as `iptables-save; ip6tables-save` gives them.
    let both = ["iptables.rules", "ip6tables.rules"].map(|f| std::fs::read_to_string(files.join(f)).unwrap()).concat();
    std::fs::write(files.join("both.rules"), both).unwrap();
    // Only kojo_established's line ends in ACCEPT: the zone chain's jumps to the ticket's chain.
    let end = "-m comment --comment \"kojo: conduit internet_to_office flow 1\" -j ACCEPT";
    let (from, to) = (format!("--timestop 08:59:59 {end}"), format!("--timestop 23:59:59 {end}"));
    let hours = [("an established window widened", from.as_str(), to.as_str())];
    each_is_drift(&files, "fw1", project.path(), "both.rules", &hours);
    let hours = [("an established window widened", "meta hour 0-32399 accept", "meta hour 0-86399 accept")];
    each_is_drift(&files, "fw1", project.path(), "nftables.nft", &hours);
}

/// Changes one rule expression, saying whether it did.
type Edit = dyn Fn(&mut Value) -> bool;

/// The same edits in `nft -j list ruleset` output (`clean`, with no drift).
pub(super) fn json_edits_are_drift(clean: &Path, example: &Path) {
    let original: Value = serde_json::from_str(&std::fs::read_to_string(clean).unwrap()).unwrap();
    let queue = |q: Value| move |expr: &mut Value| (expr.get("queue").is_some()).then(|| *expr = q.clone()).is_some();
    let marked = |expr: &mut Value| {
        let is_inline = expr.pointer("/mangle/value") == Some(&Value::from(0xeadb_8057u32));
        is_inline.then(|| expr["mangle"]["value"] = Value::from(0x337d_b127u32)).is_some()
    };
    let edits: [(&str, Box<Edit>); 3] = [
        ("a queue with bypass", Box::new(queue(serde_json::json!({"queue": {"num": 0, "flags": "bypass"}})))),
        ("another queue", Box::new(queue(serde_json::json!({"queue": {"num": 1}})))),
        ("an inline flow marked non-inline", Box::new(marked)),
    ];
    for (what, edit) in edits {
        let mut value = original.clone();
        let mut edited = 0;
        for item in value["nftables"].as_array_mut().unwrap() {
            let Some(exprs) = item.pointer_mut("/rule/expr").and_then(Value::as_array_mut) else { continue };
            edited += exprs.iter_mut().map(|e| usize::from(edit(e))).sum::<usize>();
        }
        assert!(edited > 0, "{what}: nothing to edit");
        let path = clean.with_file_name("edited.json");
        std::fs::write(&path, value.to_string()).unwrap();
        let out = drift("fw_floor", &path, example, &[]);
        assert_eq!(out.status.code(), Some(1), "{what} in nft -j output is drift:\n{}", text(&out.stdout));
    }
}

/// A plant with more tickets on one firewall than `kojo_established`
/// lists flat: its established tickets are dispatched by their low six
/// bits to one chain per value. Every ticket is in the chain of its bits,
/// the file reads back as no drift, and a dispatch rule whose mask was
/// emptied (every connection to one bucket) is drift.
#[test]
fn bucketed_established_tickets_read_back_and_their_dispatch_is_compared() {
    let project = tempfile::tempdir().unwrap();
    let build = kojo::synth::Build::backends(&["iptables"]);
    for (name, text) in kojo::synth::plant_building(kojo::synth::Params::with_assets(300), &build) {
        let path = project.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let files = write_generated(project.path(), &generated(project.path(), "core_fw"));
    let rules = std::fs::read_to_string(files.join("iptables.rules")).unwrap();
    let mut tickets = 0;
    for line in rules.lines().filter(|l| l.starts_with("-A kojo_est_")) {
        let (chain, rest) = line["-A ".len()..].split_once(' ').unwrap();
        let mark = rest.strip_prefix("-m connmark --mark 0x").unwrap().get(..8).unwrap();
        let bits = u32::from_str_radix(mark, 16).unwrap() & 0x3f;
        assert_eq!(chain, format!("kojo_est_{bits:02x}"), "{line}");
        tickets += 1;
    }
    let dispatch = rules.lines().filter(|l| l.starts_with("-A kojo_established -m connmark --mark ")).count();
    assert!(tickets > 64 && (1..=64).contains(&dispatch), "{tickets} tickets, {dispatch} buckets");
    assert_eq!(tickets, rules.matches("-j CONNMARK --set-xmark ").count(), "every ticket once");
    let edits =
        [("a bucket that takes every connection", "--mark 0x00/0x3f -j kojo_est_00", "--mark 0x0/0x0 -j kojo_est_00")];
    each_is_drift(&files, "core_fw", project.path(), "iptables.rules", &edits);
    if super::namespaces_available("bucketed", &["iptables-restore", "iptables-save"]) {
        // Loaded for real and saved back (`0x0/0x3f`): still no drift.
        let ns = super::Netns::new("bkt");
        ns.exec(&["iptables-restore", &files.join("iptables.rules").to_string_lossy()]);
        let saved = files.join("saved.rules");
        std::fs::write(&saved, ns.exec(&["iptables-save"])).unwrap();
        assert_exit(&drift("core_fw", &saved, project.path(), &[]), 0);
    }
}
