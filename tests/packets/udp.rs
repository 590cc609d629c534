//! UDP across a reload: conntrack keeps a UDP "connection" alive for as
//! long as its client keeps sending, so a poller from a fixed source port
//! (NTP here, as a PLC polls the MES) keeps one entry, and its ticket,
//! for good. When a reload changes its flow's ticket (the flow still
//! allows it), the poller must go on: its next packet is judged by the
//! flows again and its connection marked with the new ticket. When a
//! reload removes its flow, it must stop.
//!
//! Before: the example with its NTP flow split in two, `[plc1, plc2,
//! mounter1, aoi1] -> mes` and `hmi1 -> mes`. After: the first without
//! mounter1 (a new ticket, still allowing plc1), the second removed.
//! Last, the server is stopped: the MES's ICMP port unreachable, related
//! to plc1's connection, passes with the connection's ticket. Run for
//! nftables and iptables.

use std::net::IpAddr;
use std::sync::PoisonError;

use super::sessions::{build, example_copy, lab, load, router_ns, zone_ns, Script};
use super::SERIAL;

const NTP: &str = "  allow [plc1, plc2, mounter1, aoi1, hmi1] -> mes service ntp\n";

fn pollers(backend: &dyn kojo_backends::Backend, short: &str) {
    let edit = |replacement: &'static str| {
        move |name: &str, text: &str| {
            if name != "conduits.kojo" {
                return text.to_string();
            }
            assert!(text.contains(NTP), "the example changed: no `{}`", NTP.trim());
            text.replace(NTP, replacement)
        }
    };
    let before_dir = example_copy(edit(
        "  allow [plc1, plc2, mounter1, aoi1] -> mes service ntp\n  allow hmi1 -> mes service ntp\n",
    ));
    let after_dir = example_copy(edit("  allow [plc1, plc2, aoi1] -> mes service ntp\n"));
    let (before, after) = (build(before_dir.path(), &[backend]), build(after_dir.path(), &[backend]));
    let dir = tempfile::tempdir().unwrap();
    let (lab, topology) = lab(&before, before_dir.path(), short, dir.path());
    let router = router_ns(&topology, "fw_floor");
    let mes: IpAddr = "10.2.0.10".parse().unwrap();
    let server = Script::serve(&zone_ns(&topology, "prod_mgmt"), &[("uecho", mes, 123)]);
    let mut client = Script::client(&zone_ns(&topology, "control"));
    let mut notes = load(&lab, &router, &before.artifacts, dir.path(), "before");
    for (id, source) in [("changed", "10.3.0.11"), ("removed", "10.3.0.31")] {
        assert_eq!(client.ask(&format!("uopen {id} {source} 40123 10.2.0.10 123")), format!("{id} open"));
        assert_eq!(client.outcome(&format!("ping {id}")), "ok", "{id}: NTP passes before the reload");
    }
    notes.extend(load(&lab, &router, &after.artifacts, dir.path(), "after"));
    let changed = client.outcome("ping changed");
    assert_eq!(changed, "ok", "{}: a poller whose flow only changed its ticket goes on", backend.name());
    assert_eq!(client.outcome("ping changed"), "ok", "and keeps going, marked with the new ticket");
    let removed = client.outcome("ping removed");
    assert_eq!(removed, "timeout", "{}: a poller whose flow was removed stops", backend.name());
    // With the server gone, the MES answers with ICMP port unreachable: a
    // related packet, which passes with its connection's (new) ticket.
    drop(server);
    let refused = client.outcome("ping changed");
    assert!(refused.contains("refused"), "{}: the related ICMP error passes: {refused}", backend.name());
    eprintln!(
        "udp test {}: 2 NTP pollers from fixed ports; reload -> the one whose flow changed {changed}, \
         the one whose flow was removed {removed}; server stopped -> ICMP error passes ({refused}){}",
        backend.name(),
        if notes.is_empty() { String::new() } else { format!("; {}", notes.join("; ")) }
    );
}

#[test]
fn udp_pollers_survive_a_changed_ticket_and_stop_with_their_flow() {
    let _serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(why) = super::lab::unavailable(&["nft", "iptables-restore"]) {
        if std::env::var("KOJO_SKIP_NETNS").as_deref() == Ok("1") {
            eprintln!("udp test SKIPPED (KOJO_SKIP_NETNS=1): {why}");
            return;
        }
        panic!("the udp test cannot run: {why}; set KOJO_SKIP_NETNS=1 to skip it");
    }
    pollers(&kojo_backends::nftables::NFTABLES, "udpnft");
    pollers(&kojo_backends::iptables::IPTABLES, "udpipt");
}
