//! `<device>/suricata-kojo.yaml`: the part of `suricata.yaml` the rules
//! depend on. Suricata ships the Modbus, DNP3 and ENIP parsers disabled,
//! reassembles only the first MiB of a connection and, on a memcap or
//! parser error, lets traffic through uninspected by default; any of these
//! would let a request outside a flow's functions through without a rule
//! ever seeing it. The file turns on exactly the parsers the rules use, on
//! the ports the rules need them, and makes everything Suricata cannot
//! inspect a drop, so that inline flows fail closed.
//!
//! Every setting is in the Suricata 7 documentation (`suricata.yaml`,
//! "Exception Policies", "Setting up IPS/inline for Linux");
//! `tests/suricata_engine.rs` loads the file into the real engine.

use std::collections::{BTreeMap, BTreeSet};

use kojo_stdlib::PortRange;

use super::port_list;
use crate::enforcement::policy::{DevicePolicy, Rule};
use crate::enforcement::{Artifact, Writer};

/// Where the operator installs the device's files; the rules' path is
/// relative to it, and tests point Suricata elsewhere with
/// `--set default-rule-path=`.
pub const RULE_PATH: &str = "/etc/suricata/kojo";

/// The file's name beside `suricata.rules`.
pub const FILE: &str = "suricata-kojo.yaml";

/// The ports a parser must detect its protocol on, and the flows that need
/// it (for traces).
#[derive(Default)]
pub(super) struct Parser<'r> {
    pub ports: BTreeSet<PortRange>,
    pub flows: Vec<&'r Rule>,
}

/// By app-layer protocol (`modbus`).
pub(super) type Parsers<'r> = BTreeMap<String, Parser<'r>>;

/// The configuration for a device whose rules use `parsers`; `inline`:
/// some flow is enforced inline.
pub(super) fn render(device: &DevicePolicy, parsers: &Parsers<'_>, inline: bool, backend: &'static str) -> Artifact {
    let mut w = Writer::new();
    let title = device.title.as_deref().map(|t| format!(" ({t})")).unwrap_or_default();
    for line in [
        "%YAML 1.1",
        "---",
        &format!("# kojo: Suricata settings for {}{title}", device.name),
        "# Generated from the plant model by `kojo build`; edit the model, not this file.",
        "# What suricata.rules needs: include it at the end of suricata.yaml",
        &format!("# (`include: {RULE_PATH}/{FILE}`) or run Suricata with it as the"),
        "# configuration. Values given here replace suricata.yaml's.",
        "",
        "# The rules kojo wrote for this device, installed beside this file.",
        &format!("default-rule-path: {RULE_PATH}"),
        "rule-files:",
        "  - suricata.rules",
        "",
        "# The firewall queues inline flows, both ways, to NFQUEUE 0 without bypass:",
        "# Suricata accepts what no rule drops; nothing passes while it is down.",
        "nfq:",
        "  mode: accept",
        "  fail-open: no",
        "",
        "# The rules that mark a flow as speaking its protocol (`alert`, with",
        "# `flowbits:noalert`) must run before the `drop` rules that test the mark.",
        "action-order:",
        "  - pass",
        "  - alert",
        "  - drop",
        "  - reject",
        "",
    ] {
        w.line(line);
    }
    exceptions(&mut w, inline);
    stream(&mut w);
    protocols(&mut w, parsers);
    w.finish(format!("{}/{FILE}", device.name), &device.name, backend)
}

fn exceptions(w: &mut Writer, inline: bool) {
    if inline {
        w.line("# What Suricata cannot inspect it drops: a flow over a memcap, a parser");
        w.line("# error, a connection picked up mid-stream. Defragmentation and the flow");
        w.line("# table have no flow to drop, so they drop the packet.");
        w.line("exception-policy: drop-flow");
    } else {
        w.line("# Every flow is monitored (`inspection monitor`): Suricata may run as an");
        w.line("# IDS, where `auto` ignores what it cannot inspect; inline it drops the flow.");
        w.line("exception-policy: auto");
    }
    for line in ["defrag:", "  memcap-policy: drop-packet", "flow:", "  memcap-policy: drop-packet", ""] {
        w.line(line);
    }
}

fn stream(w: &mut Writer) {
    for line in [
        "stream:",
        "  # No inspection without the handshake: inline, a connection already open",
        "  # when Suricata started is dropped (the exception policy), not passed.",
        "  midstream: false",
        "  async-oneside: false",
        "  # Inline (NFQUEUE), data is inspected as it arrives, before it is",
        "  # forwarded, and overlapping data is rewritten to what was inspected.",
        "  inline: auto",
        "  reassembly:",
        "    # The whole connection, not its first MiB: a PLC's connection lives for",
        "    # months, and past the depth no parser would see a request.",
        "    depth: 0",
        "",
    ] {
        w.line(line);
    }
}

/// Each parser the rules use, on the ports they use it; traced to the
/// flows that need it.
fn protocols(w: &mut Writer, parsers: &Parsers<'_>) {
    if parsers.is_empty() {
        return;
    }
    w.line("# The parsers the rules use, on every port a flow needs them (Suricata");
    w.line("# ships them disabled); they parse as deep as the stream is reassembled.");
    w.line("app-layer:");
    w.line("  protocols:");
    for (protocol, parser) in parsers {
        w.line(format!("    {protocol}:"));
        for rule in &parser.flows {
            w.traced(rule, format!("      # {}", rule.comment()));
        }
        let ports = format!("\"{}\"", port_list(parser.ports.iter()));
        for line in [
            "      enabled: yes".to_string(),
            "      detection-ports:".into(),
            format!("        dp: {ports}"),
            format!("        sp: {ports}"),
        ] {
            w.line(line);
        }
    }
}
