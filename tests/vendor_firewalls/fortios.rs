//! Every FortiOS keyword kojo writes, checked against Fortinet's own CLI
//! schema for every FortiOS version kojo supports: each `set`/`unset`
//! setting must exist in its table in that version, and each option
//! (`set action accept`, `set protocol TCP/UDP/SCTP`) must be one of its
//! options there. The schema is `fortios-schema.json` beside this file,
//! extracted by `fortios_schema.py` from Fortinet's Ansible collection
//! (whose modules carry the schema per version as `v_range`).

use std::collections::BTreeMap;

use serde_json::Value;

use kojo_backends::fortigate::FORTIGATE;
use kojo_backends::Backend;

/// The versions kojo supports, as the file header and docs/backends/vendor.md say.
const SUPPORTED: (&str, &str) = ("v6.4.0", "v7.4.4");

fn version(v: &str) -> Vec<u32> {
    v.trim_start_matches('v').split('.').map(|n| n.parse().unwrap()).collect()
}

/// Whether `v` lies in one of the ranges (`["v6.0.0", ""]`: from 6.0.0 on).
fn in_ranges(ranges: &Value, v: &str) -> bool {
    ranges.as_array().unwrap().iter().any(|range| {
        let (start, end) = (range[0].as_str().unwrap(), range[1].as_str().unwrap());
        version(start) <= version(v) && (end.is_empty() || version(v) <= version(end))
    })
}

/// Problems with one file in one version.
fn check(text: &str, schema: &Value, v: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut table = String::new();
    for (number, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["config", rest @ ..] => table = rest.join(" "),
            ["set" | "unset", key, values @ ..] => {
                let Some(setting) = schema["tables"][&table].get(*key) else {
                    problems.push(format!("{v} line {number}: `{table}` has no setting `{key}`"));
                    continue;
                };
                if !in_ranges(&setting["v_range"], v) {
                    problems.push(format!("{v} line {number}: `{table} {key}` is not in this version"));
                }
                let Some(options) = setting.get("options") else { continue };
                for value in values.iter().filter(|w| !w.starts_with('"')) {
                    match options.get(*value) {
                        Some(ranges) if in_ranges(ranges, v) => {}
                        _ => problems.push(format!("{v} line {number}: `{table} {key}` does not take `{value}`")),
                    }
                }
            }
            _ => {}
        }
    }
    problems
}

#[test]
fn every_fortios_keyword_exists_in_every_supported_version() {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string("tests/vendor_firewalls/fortios-schema.json").unwrap()).unwrap();
    let versions: Vec<&str> = schema["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .filter(|v| version(SUPPORTED.0) <= version(v) && version(v) <= version(SUPPORTED.1))
        .collect();
    assert!(versions.len() > 10, "{versions:?}");
    let (example, lab) = (crate::example_for(FORTIGATE.name()), crate::lab(FORTIGATE.name(), crate::LAB));
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for (plant, dir) in [("example", example.path()), ("lab", lab.path())] {
        for artifact in crate::render_dir(dir, &FORTIGATE).unwrap() {
            files.insert(format!("{plant} {}", artifact.path), artifact.content);
        }
    }
    for (name, text) in &files {
        let problems: Vec<String> = versions.iter().flat_map(|v| check(text, &schema, v)).collect();
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
    // The check would have caught the custom services' protocol on 7.6.
    let first = files.values().next().unwrap();
    assert!(check(first, &schema, "v7.6.0").iter().any(|p| p.contains("does not take `TCP/UDP/SCTP`")));
}
