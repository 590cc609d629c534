//! `<device>/suricata-kojo.yaml`: the settings of `suricata.yaml` the rules
//! depend on. Suricata ships the Modbus, DNP3 and ENIP parsers disabled,
//! reassembles only the first MiB of a connection, keeps TCP urgent bytes
//! in the stream a receiver may take out of it and, on a memcap or parser
//! error, lets traffic through uninspected by default; any of these would
//! let a request outside a flow's functions through without a rule ever
//! seeing it. The file turns on exactly the parsers the rules use, on the
//! ports the rules need them, adds the rules file to the operator's
//! `rule-files`, and makes everything Suricata cannot inspect a drop, so
//! that inline flows fail closed.
//!
//! The operator includes the file at the end of their `suricata.yaml`.
//! Suricata 7's loader replaces a whole mapping when an included file
//! names it again (`stream:` would drop the operator's memcaps), but a
//! dotted key (`stream.reassembly.depth: 0`) sets that one value and
//! leaves its siblings alone, so every setting here is one dotted key.
//! `tests/suricata_engine.rs` includes the file into an operator's
//! configuration and checks `suricata --dump-config`.

use std::collections::{BTreeMap, BTreeSet};

use kojo_stdlib::PortRange;

use super::port_list;
use crate::enforcement::policy::{DevicePolicy, Rule};
use crate::enforcement::{Artifact, Writer};

/// Where the operator installs the device's files.
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
        "# Install beside suricata.rules and include it at the end of suricata.yaml:",
        &format!("#   include: {RULE_PATH}/{FILE}"),
        "# Each setting is one dotted key, so it replaces that value only; the",
        "# rest of suricata.yaml (its rule files, memcaps, other parsers) stays.",
        "",
        "# The rules kojo wrote for this device, added to suricata.yaml's",
        "# `rule-files` list (which must exist; Suricata's default has one).",
        &format!("rule-files.kojo: {RULE_PATH}/suricata.rules"),
        "",
        "# The firewall queues inline flows, both ways, to NFQUEUE 0 without bypass:",
        "# Suricata accepts what no rule drops; nothing passes while it is down.",
        "nfq.mode: accept",
        "nfq.fail-open: no",
        "",
        "# Engine-wide: the rules that mark a flow as speaking its protocol (`alert`,",
        "# with `flowbits:noalert`) must run before the `drop` rules that test the mark.",
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
        w.line("# Engine-wide: what Suricata cannot inspect it drops: a flow over a memcap,");
        w.line("# a parser error, a connection picked up mid-stream. Defragmentation and");
        w.line("# the flow table have no flow to drop, so they drop the packet.");
        w.line("exception-policy: drop-flow");
    } else {
        w.line("# Every flow is monitored (`inspection monitor`): Suricata may run as an");
        w.line("# IDS, where `auto` ignores what it cannot inspect; inline it drops the flow.");
        w.line("exception-policy: auto");
    }
    for line in ["defrag.memcap-policy: drop-packet", "flow.memcap-policy: drop-packet", ""] {
        w.line(line);
    }
}

fn stream(w: &mut Writer) {
    for line in [
        "# Engine-wide: no inspection without the handshake; inline, a connection",
        "# already open when Suricata started is dropped (the exception policy).",
        "stream.midstream: false",
        "stream.async-oneside: false",
        "# Inline (NFQUEUE), data is inspected as it arrives, before it is",
        "# forwarded, and overlapping data is rewritten to what was inspected.",
        "stream.inline: auto",
        "# Engine-wide: the whole connection, not its first MiB: a PLC's connection",
        "# lives for months, and past the depth no parser would see a request.",
        "stream.reassembly.depth: 0",
        "# Engine-wide: a segment with urgent data is dropped. A receiver that takes",
        "# the urgent byte out of the stream (RFC 6093) reads other bytes than the",
        "# rules, which see it in place.",
        "stream.reassembly.urgent.policy: drop",
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
    w.line("# Their detection ports replace suricata.yaml's for these parsers.");
    for (protocol, parser) in parsers {
        for rule in &parser.flows {
            w.traced_fmt(rule, format_args!("# {}", rule.comment()));
        }
        let ports = format!("\"{}\"", port_list(parser.ports.iter()));
        let key = format!("app-layer.protocols.{protocol}");
        for line in [
            format!("{key}.enabled: yes"),
            format!("{key}.detection-ports.dp: {ports}"),
            format!("{key}.detection-ports.sp: {ports}"),
        ] {
            w.line(line);
        }
    }
}
