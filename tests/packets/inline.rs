//! Inline inspection in the packet lab: fw_floor's generated iptables rules
//! in its router's namespace, with Suricata in NFQ mode on queue 0 beside
//! them (`suricata -q 0` with fw_floor's generated `suricata-kojo.yaml` and
//! `suricata.rules`), and real Modbus/TCP between the zones' namespaces
//! (`session.py`'s server on plc1, clients on the SCADA and the MES):
//!
//! - the SCADA (monitoring_to_control flow 1, `functions [read]`) reads
//!   holding registers from plc1; its write (function 6) gets no answer,
//!   and the connection's later reads neither: Suricata dropped the flow;
//! - the MES (prod_mgmt_to_control flow 1, `functions [read, write]`)
//!   reads, writes and reads again;
//! - with Suricata stopped, the MES's open Modbus connection gets no answer
//!   and a new Modbus connection of an inline flow gets nowhere (the queue
//!   has no bypass: fail closed), while a flow that is not inline (the MES
//!   to mounter1, https) still connects.
//!
//! Each request's outcome is first asked of the model
//! (`reach::evaluate_request`, what `kojo query --function` answers).
//!
//! iptables only: this machine's kernel has no nftables `queue` expression
//! (see `docs/backends/packet-tests.md`); nftables queues to the same
//! queue number, so the same Suricata serves it where the kernel has it.

use std::net::IpAddr;
use std::sync::PoisonError;

use super::sessions::{build, example_copy, lab, load, router_ns, zone_ns, Script};
use super::suricata::Suricata;
use super::SERIAL;

#[test]
fn suricata_inline_passes_modbus_reads_and_drops_writes() {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(why) = super::lab::unavailable(&["iptables-restore", "suricata"]) {
        if std::env::var("KOJO_SKIP_NETNS").as_deref() == Ok("1") {
            eprintln!("inline test SKIPPED (KOJO_SKIP_NETNS=1): {why}");
            return;
        }
        panic!("the inline Suricata test cannot run: {why}; set KOJO_SKIP_NETNS=1 to skip it");
    }
    let project = example_copy(|_, text| text.to_string());
    let built = build(project.path(), &[&kojo_backends::iptables::IPTABLES, &kojo_backends::suricata::SURICATA]);
    let dir = tempfile::tempdir().unwrap();
    let (lab, topology) = lab(&built, project.path(), "inl", dir.path());
    let router = router_ns(&topology, "fw_floor");
    let rules =
        built.artifacts.iter().find(|a| a.path == "fw_floor/suricata.rules").expect("fw_floor's Suricata rules");
    let rules_file = dir.path().join("fw_floor-suricata.rules");
    std::fs::write(&rules_file, &rules.content).unwrap();
    let address = |a: &str| a.parse::<IpAddr>().unwrap();
    let _server = Script::serve(
        &zone_ns(&topology, "control"),
        &[("modbus", address("10.3.0.11"), 502), ("echo", address("10.3.0.21"), 443)],
    );
    let mut scada = Script::client(&zone_ns(&topology, "monitoring"));
    let mut mes = Script::client(&zone_ns(&topology, "prod_mgmt"));
    let settings =
        built.artifacts.iter().find(|a| a.path == "fw_floor/suricata-kojo.yaml").expect("fw_floor's Suricata settings");
    let suricata = Suricata::start(&router, &rules_file, &settings.content, &dir.path().join("suricata"))
        .unwrap_or_else(|e| panic!("Suricata in fw_floor: {e}"));
    load(&lab, &router, &built.artifacts, dir.path(), "inline");

    // What the model says of each request (`kojo query … --function`),
    // which the gateway must do: read is function 3, write function 6.
    let says = model_answers(project.path());
    assert_eq!(says("10.4.0.10", 3), "allowed");
    assert_eq!(says("10.4.0.10", 6), "blocked");
    assert_eq!((says("10.2.0.10", 3), says("10.2.0.10", 6)), ("allowed", "allowed"));

    assert_eq!(scada.ask("open s 10.4.0.10 10.3.0.11 502"), "s open");
    assert_eq!(scada.outcome("read s 1"), "ok", "the SCADA may read");
    let write = scada.outcome("write s 2");
    assert_ne!(write, "ok", "the SCADA's write (function 6) must not be answered");
    let after = scada.outcome("read s 3");
    assert_ne!(after, "ok", "the connection that tried to write is dropped");

    assert_eq!(mes.ask("open m 10.2.0.10 10.3.0.11 502"), "m open");
    let mes_results: Vec<String> = ["read m 1", "write m 2", "read m 3"].iter().map(|c| mes.outcome(c)).collect();
    assert_eq!(mes_results, ["ok", "ok", "ok"], "the MES may read and write");
    let drops = suricata.drops();
    assert!(drops >= 1, "Suricata logged no drop");

    // Fail closed: without Suricata, inline flows get nowhere, also an
    // established connection (its packets are queued too).
    drop(suricata);
    let established = mes.outcome("read m 4");
    assert_ne!(established, "ok", "the MES's open Modbus connection must stop with Suricata");
    assert!(scada.ask("open late 10.4.0.10 10.3.0.11 502").starts_with("late error"), "the queue has no bypass");
    assert_eq!(mes.ask("open web 10.2.0.10 10.3.0.21 443"), "web open", "a flow that is not inline");
    assert_eq!(mes.outcome("ping web"), "ok");
    eprintln!(
        "inline test iptables: SCADA read ok, write {write}, next read {after}; MES read/write/read ok; \
         Suricata drop events: {drops}; without Suricata: open inline connection {established}, new inline \
         connection refused, https to mounter1 ok"
    );
}

/// The model's verdict (`reach::evaluate_request`) on a Modbus request with
/// function `code` from `source` to plc1 (10.3.0.11:502), as a word.
fn model_answers(project: &std::path::Path) -> impl Fn(&str, u32) -> &'static str {
    use kojo_compiler::reach::{evaluate_request, zone_of, Connection, Endpoint, Request, RequestVerdict};
    let options = kojo_compiler::Options { backends: kojo_backends::names(), ..Default::default() };
    let checked = kojo_compiler::check_with(&kojo_compiler::DiskSource::new(project), &options);
    let (model, catalogue) = (checked.model.expect("the example compiles"), checked.catalogue.expect("a catalogue"));
    move |source: &str, code: u32| {
        let end = |a: &str| {
            let address: IpAddr = a.parse().unwrap();
            Endpoint { zone: zone_of(&model, address).expect("an address of the plant"), address }
        };
        let connection = Connection {
            source: end(source),
            destination: end("10.3.0.11"),
            port: Some((kojo_compiler::types::Transport::Tcp, 502)),
        };
        match evaluate_request(&model, &catalogue, &connection, &Request { service: "modbus-tcp", code }) {
            RequestVerdict::Allowed(_) => "allowed",
            RequestVerdict::Blocked(_) => "blocked",
            RequestVerdict::Alerted(_) => "alerted",
            RequestVerdict::Denied(_) => "denied",
        }
    }
}
