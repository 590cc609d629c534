//! The gateway formats on the example plant and on a plant with every
//! protocol the `suricata` backend inspects: golden files, traces, and the
//! outputs checked by real tools: every `suricata.rules` by `suricata-check`
//! (PyPI), every `remote-access.json` against its JSON Schema
//! (`docs/backends/remote-access.schema.json`) with Python's `jsonschema`.
//! A missing tool fails the test unless `KOJO_SKIP_TOOLS=1`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use kojo_backends::remote_access::REMOTE_ACCESS;
use kojo_backends::suricata::SURICATA;
use kojo_backends::{Artifact, Backend};
use kojo_compiler::{check_with, Checked, DiskSource, MemorySource, Options, ProjectSource};

const EXAMPLE: &str = "examples/guideline-factory";

fn checked(source: &dyn ProjectSource) -> Checked {
    let checked = check_with(source, &Options { backends: kojo_backends::names(), today: None, ..Default::default() });
    let messages: Vec<&str> = checked.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(checked.model.is_some() && checked.catalogue.is_some(), "{messages:#?}");
    checked
}

fn render(checked: &Checked, backend: &dyn Backend) -> Vec<Artifact> {
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    match kojo_backends::render_backend(&request, backend) {
        Ok(files) => files,
        Err(errors) => panic!("{:#?}", errors.iter().map(|d| &d.message).collect::<Vec<_>>()),
    }
}

fn example() -> Checked {
    checked(&DiskSource::new(Path::new(EXAMPLE)))
}

/// The example's sources with another manifest.
fn example_with(manifest: &str) -> MemorySource {
    let mut source = MemorySource::new("guideline-factory");
    source.manifest = Some(manifest.to_string());
    let mut names: Vec<_> = std::fs::read_dir(EXAMPLE).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    for path in names.into_iter().filter(|p| p.extension().is_some_and(|e| e == "kojo")) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        source = source.with_file(&name, std::fs::read(&path).unwrap());
    }
    source
}

fn skip_tools() -> bool {
    std::env::var("KOJO_SKIP_TOOLS").is_ok_and(|v| v == "1")
}

/// Every line that is not a comment or blank.
fn rule_lines(file: &Artifact) -> Vec<(usize, &str)> {
    file.content
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Options `suricata-check` does not know but Suricata 7 does (the ICS
/// app-layer keywords, rules/modbus-keyword, dnp3-keywords, enip-keyword;
/// `stream-event`, rules/decode-layer; `byte_math`, rules/payload-keywords);
/// `tests/suricata_engine.rs` loads them all into the engine.
const ICS_KEYWORDS: &[&str] = &["modbus", "dnp3_func", "dnp3_data", "cip_service", "stream-event", "byte_math"];

/// Runs `suricata-check` on a rules file and fails on anything it could not
/// parse: the tool itself exits 0 even then, so the test reads its log (no
/// ERROR or CRITICAL; no unrecognised option outside [`ICS_KEYWORDS`]), its
/// findings of WARNING or above (none) and its report (one entry per rule).
fn suricata_check(file: &Artifact) {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("suricata.rules");
    std::fs::write(&rules, &file.content).unwrap();
    let out = dir.path().join("out");
    let run = Command::new("suricata-check")
        .arg("--rules")
        .arg(&rules)
        .arg("--out")
        .arg(&out)
        .args(["--log-level", "INFO", "--issue-severity", "WARNING"])
        .output();
    let run = match run {
        Ok(run) => run,
        Err(e) if skip_tools() => {
            eprintln!("skipping suricata-check ({e}), KOJO_SKIP_TOOLS=1");
            return;
        }
        Err(e) => panic!(
            "suricata-check: {e}; install it with `pip install suricata-check==0.9.3b0`, or set KOJO_SKIP_TOOLS=1"
        ),
    };
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "suricata-check failed on {}:\n{stdout}\n{}",
        file.path,
        String::from_utf8_lossy(&run.stderr)
    );
    let log = std::fs::read_to_string(out.join("suricata-check.log")).unwrap();
    for line in log.lines() {
        assert!(!line.contains(" - ERROR - ") && !line.contains(" - CRITICAL - "), "{}: {line}", file.path);
        if line.contains("is not recognized") {
            let option = line.split("Option ").nth(1).and_then(|r| r.split(' ').next()).unwrap_or_default();
            assert!(ICS_KEYWORDS.contains(&option), "{}: unknown rule option: {line}", file.path);
        }
    }
    let findings = std::fs::read_to_string(out.join("suricata-check-fast.log")).unwrap();
    let findings: Vec<&str> = findings.lines().filter(|l| !l.trim().is_empty() && !event_name(file, l)).collect();
    assert!(findings.is_empty(), "{}: suricata-check findings:\n{}", file.path, findings.join("\n"));
    let report = std::fs::read_to_string(out.join("suricata-check.jsonl")).unwrap();
    let checked: Vec<serde_json::Value> = report.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let rules = rule_lines(file);
    assert_eq!(
        checked.len(),
        rules.len(),
        "{}: suricata-check read {} of {} rules",
        file.path,
        checked.len(),
        rules.len()
    );
    for (entry, (_, rule)) in checked.iter().zip(&rules) {
        assert_eq!(entry["rule"].as_str(), Some(*rule));
    }
}

/// Whether a finding is S406 ("a domain name without escaping") on a rule
/// whose only dotted value is an `app-layer-event` name
/// (`modbus.invalid_length`), which names a parser event, not a domain.
fn event_name(file: &Artifact, finding: &str) -> bool {
    let Some(line) = finding.strip_prefix("[S406] (WARNING) Lines ") else {
        return false;
    };
    let line: usize = line.split('-').next().and_then(|n| n.parse().ok()).unwrap_or(0);
    let rule = file.content.lines().nth(line.saturating_sub(1)).unwrap_or_default();
    let (_, options) = parse_rule(rule);
    let dotted: Vec<&(String, String)> =
        options.iter().filter(|(name, value)| name != "msg" && value.contains('.')).collect();
    !dotted.is_empty() && dotted.iter().all(|(name, _)| name == "app-layer-event")
}

/// The options kojo writes; anything else in a rule is a mistake.
const OPTIONS: &[&str] = &[
    "msg",
    "flow",
    "classtype",
    "sid",
    "rev",
    "modbus",
    "dnp3_func",
    "dnp3_data",
    "cip_service",
    "dsize",
    "content",
    "depth",
    "byte_test",
    "byte_jump",
    "byte_extract",
    "byte_math",
    "isdataat",
    "app-layer-protocol",
    "app-layer-event",
    "stream-event",
    "flowbits",
];

/// A rule's header fields and `(name, value)` options, split on `;` outside
/// quotes; the rule checkers' parsers are lenient (both `suricata-check`
/// and `idstools` take `msg:"…" flow:…;` as one option), so the structure
/// is checked here too.
fn parse_rule(rule: &str) -> (Vec<&str>, Vec<(String, String)>) {
    let (header, body) = rule.split_once(" (").unwrap_or_else(|| panic!("no options: {rule}"));
    let body = body.strip_suffix(')').unwrap_or_else(|| panic!("no closing parenthesis: {rule}"));
    let mut options = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    for c in body.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                current.push(c);
            }
            ';' if !quoted => {
                let option = std::mem::take(&mut current);
                let (name, value) = option.trim().split_once(':').unwrap_or((option.trim(), ""));
                options.push((name.trim().to_string(), value.trim().to_string()));
            }
            _ => current.push(c),
        }
    }
    assert!(!quoted && current.trim().is_empty(), "unterminated option `{current}` in {rule}");
    (header.split(' ').collect(), options)
}

/// What every generated rules file must be, whatever the plant.
fn check_rules_file(file: &Artifact) {
    let rules = rule_lines(file);
    assert!(!rules.is_empty(), "{}", file.path);
    let mut sids = BTreeSet::new();
    for (line, rule) in &rules {
        assert!(file.trace(*line).is_some(), "{}:{line} is not traced: {rule}", file.path);
        assert!(rule.starts_with("alert ") || rule.starts_with("drop "), "{rule}");
        assert!(rule.ends_with("; rev:1;)") && rule.contains("classtype:policy-violation;"), "{rule}");
        assert!(!rule.contains('$'), "variables make the file depend on suricata.yaml: {rule}");
        let (header, options) = parse_rule(rule);
        assert!(header.len() == 7 && header[4] == "->", "{rule}");
        for (name, value) in &options {
            assert!(OPTIONS.contains(&name.as_str()), "unknown option `{name}` in {rule}");
            if name == "msg" || name == "content" {
                let quoted = value.trim_start_matches('!');
                assert!(
                    quoted.len() > 1 && quoted.starts_with('"') && quoted.ends_with('"'),
                    "{name}:{value} in {rule}"
                );
                assert!(!quoted[1..quoted.len() - 1].contains('"'), "{name}:{value} in {rule}");
            }
        }
        let sid: u32 = rule.split("sid:").nth(1).unwrap().split(';').next().unwrap().parse().unwrap();
        assert!((1_000_000..2_000_000).contains(&sid), "{rule}");
        assert!(sids.insert(sid), "sid {sid} twice in {}", file.path);
        let msg = rule.split("msg:\"").nth(1).unwrap().split('"').next().unwrap();
        let trace = file.trace(*line).unwrap();
        assert!(msg.starts_with(&format!("kojo {}#{} ", trace.conduit, trace.flow)), "{rule}");
    }
    suricata_check(file);
}

#[test]
fn example_suricata_rules() {
    let files = render(&example(), &SURICATA);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    // vpn_fw and fw_ot carry no industrial protocol.
    assert_eq!(
        paths,
        ["fw_floor/suricata-kojo.yaml", "fw_floor/suricata.rules", "fw_rm/suricata-kojo.yaml", "fw_rm/suricata.rules"]
    );
    for file in &files {
        if file.path.ends_with(".rules") {
            check_rules_file(file);
        }
        insta::assert_snapshot!(file.path.replace('/', "__"), file.content);
    }
    let floor = &files[1].content;
    // fw_floor's flows are enforced inline: drop; SCADA's Modbus is read-only: FC 5, 6, 15, 16 dropped.
    for code in [5, 6, 15, 16] {
        assert!(
            floor.lines().any(|l| l.starts_with("drop modbus 10.4.0.10 any -> 10.3.0.11 502 ")
                && l.contains(&format!("; modbus: function {code};"))),
            "{floor}"
        );
    }
    // The MES may write the PLC: no rule catches FC 16 from it.
    assert!(!floor.lines().any(|l| l.starts_with("drop modbus 10.2.0.10 ") && l.contains("function 16;")));
    // fw_rm's vendor conduit says `inspection monitor`: SLMP writes only alert.
    let rm = &files[3].content;
    assert!(rm.lines().any(|l| l.starts_with("alert tcp 10.7.0.10 any -> 10.6.0.10 5007 ")), "{rm}");
    assert!(!rm.lines().any(|l| l.starts_with("drop ")), "{rm}");
    assert!(
        files[2].content.contains("exception-policy: auto\n")
            && files[0].content.contains("exception-policy: drop-flow\n")
    );
    assert_eq!(render(&example(), &SURICATA), files, "not deterministic");
}

#[test]
fn example_remote_access_policy() {
    let files = render(&example(), &REMOTE_ACCESS);
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["fw_rm/remote-access.json", "vpn_fw/remote-access.json"]);
    for file in &files {
        let doc: serde_json::Value = serde_json::from_str(&file.content).unwrap();
        assert_eq!(doc["schema"], "kojo-remote-access/2");
        for (index, line) in file.content.lines().enumerate() {
            assert_eq!(file.trace(index + 1).is_some(), line.starts_with("  {"), "{}:{}", file.path, index + 1);
        }
        validate_schema(file);
        insta::assert_snapshot!(file.path.replace('/', "__"), file.content);
    }
    let rm: serde_json::Value = serde_json::from_str(&files[0].content).unwrap();
    let vendor = &rm["entries"][0];
    assert_eq!(vendor["role"]["name"], "vendor_ops");
    assert_eq!(vendor["targets"][0]["name"], "wh_rm_server");
    assert_eq!(vendor["window"]["zone"], "Asia/Tokyo");
    assert_eq!(vendor["out_of_window_alert"], true);
    let vpn: serde_json::Value = serde_json::from_str(&files[1].content).unwrap();
    let staff = &vpn["entries"][0];
    assert_eq!(staff["role"]["name"], "any@internet");
    // Any address on the internet, said explicitly: no list a reader could take as empty.
    assert_eq!((staff["role"]["any_address"].as_bool(), staff["role"].get("addresses")), (Some(true), None));
    // Both ways in carry every measure of Appendix E 3-6, out-of-window detection included.
    assert_eq!((staff["mfa_required"].as_bool(), staff["out_of_window_alert"].as_bool()), (Some(true), Some(true)));
}

/// Validates a file against the documented JSON Schema with Python's
/// `jsonschema` (which also checks the schema itself).
fn validate_schema(file: &Artifact) {
    const SCRIPT: &str = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        cls = jsonschema.validators.validator_for(schema)\n\
        cls.check_schema(schema)\n\
        errors = sorted(cls(schema).iter_errors(json.load(open(sys.argv[2]))), key=str)\n\
        for e in errors: print(list(e.absolute_path), e.message)\n\
        sys.exit(1 if errors else 0)\n";
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("remote-access.json");
    std::fs::write(&json, &file.content).unwrap();
    let run =
        Command::new("python3").args(["-c", SCRIPT]).arg("docs/backends/remote-access.schema.json").arg(&json).output();
    let run = match run {
        Ok(run) => run,
        Err(e) if skip_tools() => return eprintln!("skipping jsonschema ({e}), KOJO_SKIP_TOOLS=1"),
        Err(e) => panic!("python3: {e}; or set KOJO_SKIP_TOOLS=1"),
    };
    let stderr = String::from_utf8_lossy(&run.stderr);
    if stderr.contains("No module named 'jsonschema'") {
        assert!(skip_tools(), "install Python's jsonschema (`pip install jsonschema`), or set KOJO_SKIP_TOOLS=1");
        return;
    }
    assert!(
        run.status.success(),
        "{} does not match the schema:\n{}{stderr}",
        file.path,
        String::from_utf8_lossy(&run.stdout)
    );
}

#[test]
fn the_schema_rejects_what_the_format_forbids() {
    let files = render(&example(), &REMOTE_ACCESS);
    validate_schema(&files[0]);
    let mut bad = files[0].clone();
    bad.content = bad.content.replace("\"mfa_required\":true", "\"mfa_required\":\"yes\"");
    assert_ne!(bad.content, files[0].content);
    let result = std::panic::catch_unwind(|| validate_schema(&bad));
    assert!(result.is_err() || skip_tools(), "the schema accepted a string for mfa_required");
    // "Any address" as an empty list is what a naive reader takes for no
    // restriction: the schema refuses it.
    let mut empty = files[1].clone();
    empty.content = empty.content.replace("\"any_address\":true", "\"addresses\":[]");
    assert_ne!(empty.content, files[1].content);
    let result = std::panic::catch_unwind(|| validate_schema(&empty));
    assert!(result.is_err() || skip_tools(), "the schema accepted an empty address list");
}

#[test]
fn a_build_needs_the_gateway_for_restricted_functions() {
    let manifest = "project \"guideline-factory\"\nprofile \"meti-factory\"\n";
    let build = |backends: &str| {
        let checked = checked(&example_with(&format!("{manifest}backend {backends}\n")));
        let (model, manifest, catalogue) =
            (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
        kojo_backends::build(&kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest })
    };
    // The inline limits need a format that sends the flows through Suricata.
    let built = build("\"nftables\" \"json\" \"suricata\" \"remote-access\"").unwrap();
    for path in
        ["fw_floor/suricata.rules", "fw_rm/suricata.rules", "fw_rm/remote-access.json", "vpn_fw/remote-access.json"]
    {
        assert!(built.artifact(path).is_some(), "{path}");
    }
    // Without a gateway the Modbus and SLMP function limits have no enforcer.
    let errors = build("\"json\"").unwrap_err();
    assert!(errors.iter().any(|d| d.message.contains("slmp") && d.message.contains("inspects slmp")), "{errors:#?}");
    // A description of the policy sends nothing through the gateway.
    let errors = build("\"json\" \"suricata\"").unwrap_err();
    assert!(errors.iter().any(|d| d.message.contains("sends its packets through the gateway")), "{errors:#?}");
}

/// Modbus, DNP3, EtherNet/IP and SLMP, IPv4 and IPv6, one high-tier zone:
/// the rule forms the example does not use, through the same checker.
const PROTOCOLS: &str = r#"plant "P" { name "Protocols" }
zone ops "Operations" { subnet 10.1.0.0/24 }
zone field "Field" {
  subnet 10.9.0.0/24
  subnet fd00:9::/64
  tier high
}
asset gw "Gateway" {
  kind firewall
  interfaces { ops 10.1.0.1; field 10.9.0.1 }
}
asset hmi "HMI" in ops { kind server  ip 10.1.0.10 }
asset rtu "RTU" in field { kind plc  ip 10.9.0.20  services [dnp3] }
asset drive "Drive" in field { kind plc  ip 10.9.0.30  ip fd00:9::30  services [ethernet-ip] }
asset plc "PLC" in field { kind plc  ip 10.9.0.40  services [modbus-tcp, slmp] }
conduit ops_to_field from ops to field {
  allow hmi -> rtu service dnp3 { functions [confirm, read] }
  allow hmi -> drive service ethernet-ip { functions [get-attribute, forward-open, forward-close] }
  allow any -> plc service [modbus-tcp, slmp] { functions [read] }
  enforced-by gw
}
"#;

#[test]
fn every_inspected_protocol_passes_the_checker() {
    let mut source = MemorySource::new("p").with_file("plant.kojo", PROTOCOLS);
    source.manifest = Some("project \"p\"\nprofile \"meti-factory\"\nbackend \"suricata\"\n".into());
    let files = render(&checked(&source), &SURICATA);
    assert_eq!(files.len(), 2);
    let file = &files[1];
    check_rules_file(file);
    let rules = rule_lines(file);
    let count = |prefix: &str| rules.iter().filter(|(_, l)| l.starts_with(prefix)).count();
    // 35 codes, 2 ranges, 4 malformed-frame events.
    assert_eq!(count("drop dnp3 10.1.0.10 any -> 10.9.0.20 20000 "), 35 + 2 + 4);
    // udp/2222 carries cyclic I/O, no requests: the parser is not asked to read it.
    assert_eq!(count("drop enip 10.1.0.10 any -> [10.9.0.30,fd00:9::30] 44818 "), 128 - 6);
    // 22 functions, 4 malformed-request events, and Modbus on the flow's SLMP ports.
    assert_eq!(count("drop modbus 10.1.0.0/24 any -> 10.9.0.40 502 "), 22 + 4);
    assert_eq!(count("drop modbus 10.1.0.0/24 any -> 10.9.0.40 [5006,5007] "), 1);
    // SLMP's frame rules on both transports (per frame: 6 command ranges, cut,
    // longer than its packet, trailing data; 4 ranges of I/O no. the protocol
    // does not define, and for 4E a non-zero reserved field; and no frame at
    // all); TCP also catches changed retransmissions.
    assert_eq!(count("drop udp 10.1.0.0/24 any -> 10.9.0.40 5006 "), 2 * (6 + 3 + 4) + 1 + 1);
    assert_eq!(count("drop tcp 10.1.0.0/24 any -> 10.9.0.40 5007 "), 2 * (6 + 3 + 4) + 1 + 1 + 1);
    let yaml = &files[0].content;
    for (protocol, ports) in [("dnp3", "20000"), ("enip", "44818"), ("modbus", "[502,5006,5007]")] {
        assert!(yaml.contains(&format!("app-layer.protocols.{protocol}.enabled: yes\n")), "{yaml}");
        let dp = format!("app-layer.protocols.{protocol}.detection-ports.dp: \"{ports}\"\n");
        assert!(yaml.contains(&dp), "{protocol} {ports}: {yaml}");
    }
}

/// The checks fail on broken rules: `suricata-check` on its own for all but
/// a missing `;` after a quoted value, which only the structural check sees.
#[test]
fn the_rule_checker_fails_on_what_suricata_would_reject() {
    if skip_tools() {
        return;
    }
    let good = render(&example(), &SURICATA).remove(3);
    // The tool runs and accepts the file as generated.
    check_rules_file(&good);
    let rule = rule_lines(&good).iter().find(|(_, l)| l.contains("dsize:")).unwrap().1.to_string();
    for (what, broken) in [
        ("no closing parenthesis", rule.trim_end_matches(')').to_string()),
        ("a missing `;`", rule.replacen("; flow:", " flow:", 1)),
        ("an unknown keyword", rule.replacen("dsize:", "dsise:", 1)),
        ("no sid", rule.replacen(" sid:", " sdi:", 1)),
    ] {
        let mut file = good.clone();
        file.content = format!("{}{broken}\n", file.content);
        let result = std::panic::catch_unwind(|| check_rules_file(&file));
        assert!(result.is_err(), "the checks accepted a rule with {what}: {broken}");
        if what != "a missing `;`" {
            let result = std::panic::catch_unwind(|| suricata_check(&file));
            assert!(result.is_err(), "suricata-check accepted a rule with {what}: {broken}");
        }
    }
}
