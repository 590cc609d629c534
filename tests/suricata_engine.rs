//! The `suricata` backend's files in the real engine (Suricata 7): every
//! generated `suricata.rules` loads with its `suricata-kojo.yaml` (`suricata
//! -T`, no rule failing), and captures the tests write themselves, replayed
//! inline (`suricata -r … --simulate-ips`), show each allowed request
//! passing and each forbidden one, and each way of talking around a
//! function limit, dropped before it reaches the device. A missing
//! `suricata` fails the tests unless `KOJO_SKIP_TOOLS=1`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "suricata/dnp3_enip.rs"]
mod dnp3_enip;
#[path = "suricata/frames.rs"]
mod frames;
#[path = "suricata/pcap.rs"]
mod pcap;
#[path = "suricata/replay.rs"]
mod replay;
#[path = "suricata/tcp.rs"]
mod tcp;

use std::path::Path;

use kojo_backends::suricata::SURICATA;
use kojo_backends::Artifact;
use kojo_compiler::{check_with, DiskSource, MemorySource, Options, ProjectSource};

use frames::*;
use replay::{Body, Cases, Expect, Hosts};

/// Modbus, DNP3, EtherNet/IP and SLMP: read-only and read/write flows
/// enforced inline, and a monitored conduit.
const PLANT: &str = r#"plant "E" { name "Engine" }
zone ops "Operations" { subnet 10.1.0.0/24 }
zone field "Field" {
  subnet 10.9.0.0/24
  tier high
}
zone lab "Lab" { subnet 10.8.0.0/24 }
asset gw "Gateway" {
  kind firewall
  interfaces { ops 10.1.0.1; field 10.9.0.1; lab 10.8.0.1 }
}
asset hmi "HMI" in ops { kind server  ip 10.1.0.10 }
asset eng "Engineering station" in ops { kind server  ip 10.1.0.20 }
asset diag "Diagnostics station" in ops { kind server  ip 10.1.0.30 }
asset rtu "RTU" in field { kind plc  ip 10.9.0.20  services [dnp3] }
asset drive "Drive" in field { kind plc  ip 10.9.0.30  services [ethernet-ip] }
asset plc "PLC" in field { kind plc  ip 10.9.0.40  services [modbus-tcp, slmp] }
asset lab_plc "Lab PLC" in lab { kind plc  ip 10.8.0.40  services [modbus-tcp, slmp] }
conduit ops_to_field from ops to field {
  allow hmi -> plc service [modbus-tcp, slmp] { functions [read] }
  allow eng -> plc service [modbus-tcp, slmp] { functions [read, write] }
  allow diag -> plc service [modbus-tcp, slmp] { functions [diagnostics, device-id] }
  allow hmi -> rtu service dnp3 { functions [confirm, read] }
  allow hmi -> drive service ethernet-ip { functions [get-attribute] }
  enforced-by gw
}
conduit ops_to_lab from ops to lab {
  allow hmi -> lab_plc service [modbus-tcp, slmp] { functions [read] }
  enforced-by gw
  inspection monitor
}
"#;

const HOSTS: Hosts = Hosts {
    hmi: [10, 1, 0, 10],
    eng: [10, 1, 0, 20],
    diag: [10, 1, 0, 30],
    rtu: [10, 9, 0, 20],
    drive: [10, 9, 0, 30],
    plc: [10, 9, 0, 40],
    lab_plc: [10, 8, 0, 40],
};

fn render(source: &dyn ProjectSource) -> Vec<Artifact> {
    let checked = check_with(source, &Options { backends: kojo_backends::names(), today: None, ..Default::default() });
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    kojo_backends::render_backend(&request, &SURICATA).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn plant() -> Vec<Artifact> {
    let mut source = MemorySource::new("e").with_file("plant.kojo", PLANT);
    source.manifest = Some("project \"e\"\nprofile \"meti-factory\"\nbackend \"suricata\"\n".into());
    render(&source)
}

#[test]
fn every_generated_file_loads_in_the_engine() {
    let example = render(&DiskSource::new(Path::new("examples/guideline-factory")));
    let mut files = plant();
    files.extend(example);
    for pair in files.chunks(2) {
        let [yaml, rules] = pair else { panic!("{pair:?}") };
        assert!(yaml.path.ends_with("/suricata-kojo.yaml") && rules.path.ends_with("/suricata.rules"));
        if let Some(engine) = replay::Engine::new(yaml, rules) {
            engine.test();
        }
    }
}

/// Runs the cases' capture through the engine and checks every case.
fn run(cases: Cases) {
    let files = plant();
    run_with(&files[0], &files[1], cases);
}

fn run_with(yaml: &Artifact, rules: &Artifact, Cases { capture, cases }: Cases) {
    let Some(engine) = replay::Engine::new(yaml, rules) else { return };
    let events = engine.replay(&capture);
    let failures: Vec<String> = cases.iter().filter_map(|case| case.failure(&events)).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn modbus_allowed_functions_pass_and_everything_else_is_dropped() {
    let mut cases = Cases::default();
    modbus_functions(&mut cases);
    modbus_evasions(&mut cases);
    run(cases);
}

/// Allowed and forbidden functions on read-only, read/write and monitored flows.
fn modbus_functions(cases: &mut Cases) {
    let (hmi, eng, plc, lab) = (HOSTS.hmi, HOSTS.eng, HOSTS.plc, HOSTS.lab_plc);
    let mut case = |name, client, server, port, body: Body| cases.tcp(name, client, (server, port), body);
    case("read-only flow: reads pass", hmi, plc, 502, &|c, t| {
        for id in 1..=2 {
            t.send(c, &modbus_read(id));
            t.reply(c, &modbus_read_reply(id));
        }
        Expect::Pass
    });
    case("read-only flow: write coil (FC 5) dropped", hmi, plc, 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        Expect::drop(t.send(c, &modbus_write_coil(2)), "function 5 (write)")
    });
    case("read-only flow: write registers (FC 16) dropped", hmi, plc, 502, &|c, t| {
        Expect::drop(t.send(c, &modbus(1, 16, &[0, 0, 0, 1, 2, 0x12, 0x34])), "function 16 (write)")
    });
    case("read-only flow: unassigned code (FC 90) dropped", hmi, plc, 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        Expect::drop(t.send(c, &modbus(2, 90, &[0, 0])), "function code the parser does not name")
    });
    case("read/write flow: write coil passes", eng, plc, 502, &|c, t| {
        t.send(c, &modbus_write_coil(1));
        t.reply(c, &modbus_write_coil(1));
        Expect::Pass
    });
    case("read/write flow: diagnostics (FC 8) dropped", eng, plc, 502, &|c, t| {
        Expect::drop(t.send(c, &modbus(1, 8, &[0, 0, 0x12, 0x34])), "function 8 (diagnostics)")
    });
    let diag = HOSTS.diag;
    case("diagnostics flow: FC 8 and FC 43 pass", diag, plc, 502, &|c, t| {
        t.send(c, &modbus(1, 8, &[0, 0, 0x12, 0x34]));
        t.reply(c, &modbus(1, 8, &[0, 0, 0x12, 0x34]));
        t.send(c, &modbus(2, 43, &[0x0E, 1, 0]));
        t.ack(c);
        Expect::Pass
    });
    case("diagnostics flow: FC 8 with a reserved sub-function (5) dropped", diag, plc, 502, &|c, t| {
        t.send(c, &modbus(1, 8, &[0, 0, 0x12, 0x34]));
        t.reply(c, &modbus(1, 8, &[0, 0, 0x12, 0x34]));
        Expect::drop(t.send(c, &modbus(2, 8, &[0, 5, 0, 0])), "function code the parser does not name")
    });
    case("diagnostics flow: FC 43 with an unknown MEI type dropped", diag, plc, 502, &|c, t| {
        t.send(c, &modbus(1, 8, &[0, 0, 0x12, 0x34]));
        t.reply(c, &modbus(1, 8, &[0, 0, 0x12, 0x34]));
        Expect::drop(t.send(c, &modbus(2, 43, &[0x99, 1, 0])), "function code the parser does not name")
    });
    case("diagnostics flow: SLMP, with none of its functions listed, allows no request", diag, plc, 5007, &|c, t| {
        Expect::drop(t.send(c, &slmp_read()), "3E binary request with function codes 0-0xFFFF")
    });
    case("monitored flow: reads pass without alerts", hmi, lab, 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        Expect::Pass
    });
    case("monitored flow: write alerts, passes", hmi, lab, 502, &|c, t| {
        t.send(c, &modbus_write_coil(1));
        t.reply(c, &modbus_write_coil(1));
        Expect::Alert("function 5 (write)")
    });
}

/// Ways of talking around the read-only flow's limit.
fn modbus_evasions(cases: &mut Cases) {
    let (hmi, plc) = (HOSTS.hmi, HOSTS.plc);
    let mut case = |name, client, server, port, body: Body| cases.tcp(name, client, (server, port), body);
    case("evasion: unassigned code (FC 90) as the first request dropped", hmi, plc, 502, &|c, t| {
        // Suricata's Modbus probe does not take an unassigned code for Modbus.
        Expect::drop(t.send(c, &modbus(1, 90, &[0, 0])), "not recognised as modbus")
    });
    case("evasion: write split over two segments dropped", hmi, plc, 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        let write = modbus_write_coil(2);
        t.send(c, &write[..5]);
        t.ack(c);
        Expect::drop(t.send(c, &write[5..]), "function 5 (write)")
    });
    case("evasion: write sent in two segments out of order dropped", hmi, plc, 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        // The segment that completes the write is dropped: the PLC never has it whole.
        let (first, _) = t.send_reordered(c, &modbus_write_coil(2), 5);
        Expect::drop(first, "function 5 (write)")
    });
    case("split read after the first request passes", hmi, plc, 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        let read = modbus_read(2);
        t.send(c, &read[..3]);
        t.ack(c);
        t.send(c, &read[3..]);
        t.reply(c, &modbus_read_reply(2));
        Expect::Pass
    });
    case("fail closed: a first request cut before Suricata recognises Modbus is dropped", hmi, plc, 502, &|c, t| {
        let read = modbus_read(1);
        let first = t.send(c, &read[..5]);
        t.ack(c);
        t.send(c, &read[5..]);
        Expect::drop(first, "not recognised as modbus")
    });
    case("evasion: unrecognised first request, then write, dropped", hmi, plc, 502, &|c, t| {
        let garbage = t.send(c, &[0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0]);
        t.ack(c);
        let write = t.send(c, &modbus_write_coil(1));
        Expect::drops(&[garbage, write], "not recognised as modbus")
    });
    case("evasion: pipelined read and write in one segment dropped", hmi, plc, 502, &|c, t| {
        let both = [modbus_read(1), modbus_write_coil(2)].concat();
        Expect::drop(t.send(c, &both), "function 5 (write)")
    });
    case("evasion: non-Modbus payload on tcp/502 dropped", hmi, plc, 502, &|c, t| {
        Expect::drop(t.send(c, b"GET / HTTP/1.1\r\nHost: plc\r\n\r\n"), "not recognised as modbus")
    });
    case("evasion: malformed header after reads dropped", hmi, plc, 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        let mut bad = modbus_write_coil(2);
        bad[2] = 7;
        Expect::drop(t.send(c, &bad), "invalid_protocol_id")
    });
    case("evasion: Modbus on the flow's SLMP port dropped", hmi, plc, 5007, &|c, t| {
        Expect::drop(t.send(c, &modbus_write_coil(1)), "modbus on a port the flow allows for another service")
    });
}

#[test]
fn slmp_whole_frames_of_allowed_commands_pass_and_everything_else_is_dropped() {
    let mut cases = Cases::default();
    slmp_functions(&mut cases);
    slmp_evasions(&mut cases);
    run(cases);
}

/// Allowed and forbidden commands on read-only and read/write flows, TCP and UDP.
fn slmp_functions(cases: &mut Cases) {
    let (hmi, eng) = (HOSTS.hmi, HOSTS.eng);
    let mut case = |name, client, port, body: Body| cases.tcp(name, client, (HOSTS.plc, port), body);
    case("read-only flow: batch reads pass", hmi, 5007, &|c, t| {
        for _ in 0..2 {
            t.send(c, &slmp_read());
            t.reply(c, &slmp_reply(&[0; 20]));
        }
        Expect::Pass
    });
    case("read-only flow: batch write (0x1401) dropped", hmi, 5007, &|c, t| {
        t.send(c, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        Expect::drop(t.send(c, &slmp_write()), "3E binary request with function codes 0x041D-0xFFFF")
    });
    case("read-only flow: remote run (0x1001) dropped", hmi, 5007, &|c, t| {
        Expect::drop(t.send(c, &slmp(0x1001, &[0, 0, 0, 0])), "3E binary request with function codes")
    });
    case("read/write flow: batch write passes", eng, 5007, &|c, t| {
        t.send(c, &slmp_write());
        t.reply(c, &slmp_reply(&[]));
        Expect::Pass
    });
    case("read/write flow: remote run (0x1001) dropped", eng, 5007, &|c, t| {
        Expect::drop(t.send(c, &slmp(0x1001, &[0, 0, 0, 0])), "3E binary request with function codes")
    });
    case("4E frames: batch read passes", hmi, 5007, &|c, t| {
        t.send(c, &slmp_4e(7, &slmp_read()));
        t.ack(c);
        Expect::Pass
    });
    case("4E frames: batch write dropped", hmi, 5007, &|c, t| {
        Expect::drop(t.send(c, &slmp_4e(7, &slmp_write())), "4E binary request with function codes 0x041D-0xFFFF")
    });
    cases.udp("udp: batch reads pass", hmi, (HOSTS.plc, 5006), &[slmp_read(), slmp_read()], Expect::Pass);
    let read_4e = slmp_4e(7, &slmp_read());
    cases.udp("udp: 4E batch reads pass", hmi, (HOSTS.plc, 5006), &[read_4e.clone(), read_4e], Expect::Pass);
    let why_4e = "4E binary request with function codes 0x041D-0xFFFF";
    let write_4e = slmp_4e(8, &slmp_write());
    cases.udp("udp: 4E batch write dropped", hmi, (HOSTS.plc, 5006), &[write_4e], Expect::Drop(Vec::new(), why_4e));
    let why = "3E binary request with function codes 0x041D-0xFFFF";
    cases.udp("udp: batch write dropped", hmi, (HOSTS.plc, 5006), &[slmp_write()], Expect::Drop(Vec::new(), why));
}

/// Ways of talking around the read-only flow's limit: every segment must be one whole frame.
fn slmp_evasions(cases: &mut Cases) {
    let hmi = HOSTS.hmi;
    let mut case = |name, client, port, body: Body| cases.tcp(name, client, (HOSTS.plc, port), body);
    case("evasion: write split after its command dropped", hmi, 5007, &|c, t| {
        let write = slmp_write();
        let first = t.send(c, &write[..14]);
        t.ack(c);
        let rest = t.send(c, &write[14..]);
        Expect::drops(&[first, rest], "longer than its packet")
    });
    case("evasion: write split before its command dropped", hmi, 5007, &|c, t| {
        let write = slmp_write();
        let first = t.send(c, &write[..10]);
        t.ack(c);
        let rest = t.send(c, &write[10..]);
        Expect::drops(&[first, rest], "cut before its command")
    });
    case("evasion: write sent in two segments out of order dropped", hmi, 5007, &|c, t| {
        t.send(c, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        // Neither half is a whole frame.
        let (first, second) = t.send_reordered(c, &slmp_write(), 14);
        Expect::drops(&[first, second], "longer than its packet")
    });
    case("fail closed: a read split over two segments is dropped", hmi, 5007, &|c, t| {
        let read = slmp_read();
        t.send(c, &read[..5]);
        t.ack(c);
        Expect::drop(t.send(c, &read[5..]), "a payload that is none of")
    });
    case("evasion: pipelined read and write in one segment dropped", hmi, 5007, &|c, t| {
        Expect::drop(t.send(c, &[slmp_read(), slmp_write()].concat()), "data after a 3E binary request")
    });
    case("evasion: unrecognised first request, then write, dropped", hmi, 5007, &|c, t| {
        let garbage = t.send(c, b"500000FF03FF000018001004010000D*0001000001");
        t.ack(c);
        let write = t.send(c, &slmp_write());
        Expect::drops(&[garbage, write], "a payload that is none of")
    });
    case("evasion: non-SLMP payload on tcp/5007 dropped", hmi, 5007, &|c, t| {
        Expect::drop(t.send(c, b"GET / HTTP/1.1\r\n\r\n"), "a payload that is none of")
    });
    // A Modbus write (FC 6) whose bytes also read as a whole 3E batch read:
    // its MBAP length sits where the 3E frame has its I/O no.
    let polyglot = modbus(0x5000, 6, &[0, 0, 0, 1, 4, 0, 0]);
    assert_eq!((polyglot.len(), &polyglot[11..13]), (15, &[1u8, 4][..]));
    case("evasion: Modbus write shaped as a 3E read, after a read, dropped", hmi, 5007, &|c, t| {
        t.send(c, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        Expect::drop(t.send(c, &modbus(0x5000, 6, &[0, 0, 0, 1, 4, 0, 0])), "request destination module I/O no.")
    });
    case("evasion: Modbus write shaped as a 3E read, first, dropped", hmi, 5007, &|c, t| {
        Expect::drop(t.send(c, &modbus(0x5000, 6, &[0, 0, 0, 1, 4, 0, 0])), "request destination module I/O no.")
    });
    case("evasion: SLMP on the flow's Modbus port dropped", hmi, 502, &|c, t| {
        Expect::drop(t.send(c, &slmp_write()), "not recognised as modbus")
    });
    case("evasion: retransmission that turns a read into a write dropped", hmi, 5007, &|c, t| {
        let read = slmp_read();
        let seq = t.send(c, &read);
        let mut write = read.clone();
        write[11..13].copy_from_slice(&0x1401u16.to_le_bytes());
        t.resend(c, seq, &write);
        Expect::drop(seq, "a retransmission that changes data")
    });
}

#[test]
fn dnp3_and_enip_allowed_functions_pass_and_others_are_dropped() {
    let mut cases = Cases::default();
    dnp3_enip::dnp3(&mut cases);
    dnp3_enip::enip(&mut cases);
    run(cases);
}

#[test]
fn urgent_data_keepalives_and_changed_retransmissions() {
    let mut cases = Cases::default();
    tcp::urgent(&mut cases);
    tcp::keepalives(&mut cases);
    tcp::retransmissions(&mut cases);
    tcp::ordinary(&mut cases);
    run(cases);
}

/// The settings matter: without them the rules would pass what they must
/// not, or drop what they must let through.
#[test]
fn the_generated_settings_are_what_makes_the_rules_hold() {
    let files = plant();
    let (hmi, plc) = (HOSTS.hmi, HOSTS.plc);
    let mut cases = Cases::default();
    cases.tcp_midstream("a connection open before Suricata started is dropped", hmi, (plc, 502), &|c, t| {
        let seq = t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        // `midstream: false` and the exception policy.
        Expect::Refused(seq, "stream midstream")
    });
    run(cases);

    // Without `action-order` (alert rules first) the rule that marks a flow
    // as Modbus runs after the one that drops unmarked payloads: the first
    // read of every connection would be dropped.
    let mut yaml = files[0].clone();
    let order = "action-order:\n  - pass\n  - alert\n  - drop\n  - reject\n";
    assert!(yaml.content.contains(order));
    yaml.content = yaml.content.replace(order, "");
    let mut cases = Cases::default();
    cases.tcp("without action-order a read is dropped", hmi, (plc, 502), &|c, t| {
        let seq = t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        Expect::drop(seq, "not recognised as modbus")
    });
    run_with(&yaml, &files[1], cases);

    // Without the urgent policy the Modbus write hidden behind an urgent
    // byte passes: Suricata reads the byte in place, as FC 3.
    let mut yaml = files[0].clone();
    let urgent = "stream.reassembly.urgent.policy: drop\n";
    assert!(yaml.content.contains(urgent));
    yaml.content = yaml.content.replace(urgent, "");
    let mut cases = Cases::default();
    tcp::urgent(&mut cases);
    let events = replay::Engine::new(&yaml, &files[1]).map(|engine| engine.replay(&cases.capture));
    let refused = |case: &replay::Case| events.as_ref().is_some_and(|e| case.failure(e).is_none());
    assert!(events.is_none() || !cases.cases.iter().any(refused), "urgent data refused without the policy");
}

/// Installed as documented (included last in an operator's `suricata.yaml`),
/// the generated file sets its own keys and leaves every other setting of
/// the operator in force: their rules, memcaps and other parsers.
#[test]
fn the_generated_settings_leave_the_operators_alone() {
    let files = plant();
    let Some(engine) = replay::Engine::new(&files[0], &files[1]) else { return };
    let dump = engine.dump_config();
    let has = |line: &str| dump.lines().any(|l| l == line);
    for kept in [
        "rule-files.0 = operator.rules",
        "flow.memcap = 77mb",
        "stream.memcap = 99mb",
        "stream.reassembly.memcap = 333mb",
        "app-layer.protocols.http.enabled = yes",
        "app-layer.protocols.http.libhtp.default-config.personality = IDS",
        "stats.enabled = no",
    ] {
        assert!(has(kept), "`{kept}` lost:\n{dump}");
    }
    assert!(dump.lines().any(|l| l.starts_with("default-rule-path = ") && !l.contains("kojo")), "{dump}");
    assert!(dump.lines().any(|l| l.starts_with("rule-files.kojo = ") && l.ends_with("/suricata.rules")), "{dump}");
    for set in [
        "stream.reassembly.depth = 0",
        "stream.reassembly.urgent.policy = drop",
        "stream.midstream = false",
        "exception-policy = drop-flow",
        "flow.memcap-policy = drop-packet",
        "app-layer.protocols.modbus.enabled = yes",
        "app-layer.protocols.modbus.detection-ports.dp = [502,5006,5007]",
        "action-order.1 = alert",
    ] {
        assert!(has(set), "`{set}` not in force:\n{dump}");
    }
    // Both the operator's rule and every kojo rule load (`-T` counts them).
    engine.test();
    // Without a `rule-files` list of the operator's, kojo's entry is no
    // list: Suricata says so and loads no rules (documented requirement).
    engine.edit_config(|config| config.replace("rule-files:\n  - operator.rules\n", ""));
    let log = engine.test_log();
    assert!(log.contains("Invalid rule-files configuration section"), "{log}");
    assert!(!log.contains("rules successfully loaded"), "{log}");
}
