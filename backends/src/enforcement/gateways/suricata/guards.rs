//! The rules that keep a function limit from being talked around: a
//! parser's function keywords see only what the parser read, so a flow
//! whose traffic the parser never reads (garbage first, so that protocol
//! detection gives up; another protocol on the port; a request the parser
//! cannot decode; the protocol on another port of the flow) would carry any
//! function. For a service read by an app-layer parser these rules require,
//! on the service's ports, that every payload belongs to a flow Suricata
//! has recognised as the protocol, catch the parser's malformed-request
//! events and the protocol on the flow's other ports; for every restricted
//! service they catch retransmissions that change data already inspected.
//!
//! Suricata 7's `app-layer-protocol:!modbus` does not match while detection
//! is undecided, and detection never decides on a flow whose server does
//! not answer, so "not yet Modbus" is a flowbit instead: an `alert` rule
//! with `flowbits:noalert` sets `kojo.<protocol>` on every packet of a flow
//! recognised as the protocol, and a payload on a flow without the bit is
//! caught. The setter must run before the check on the same packet; the
//! configuration (`config`) orders `alert` before `drop` rules for that.

use std::collections::BTreeSet;

use kojo_stdlib::{Inspection, Pdu, PortRange, Transport};

/// One guard rule without its action, header addresses, `msg` prefix,
/// classtype and sid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Guard {
    /// Unique within the flow and service: part of the rule's sid.
    pub key: String,
    /// `None`: the flow's action (`drop` inline, `alert` monitored); the
    /// flowbit setter is always `alert` (and never alerts).
    pub action: Option<&'static str>,
    /// Rule protocol: a transport or the parser's protocol.
    pub proto: String,
    pub ports: Vec<PortRange>,
    /// What the rule catches, for its message.
    pub what: String,
    /// Rule options after `msg`, each ending in `;`.
    pub options: String,
}

/// The flowbit a flow recognised as `protocol` carries.
pub(super) fn flowbit(protocol: &str) -> String {
    format!("kojo.{protocol}")
}

/// The guards for one restricted service of a flow: `ports` are the
/// service's ports in the flow, `others` the flow's ports of its other
/// services.
pub(super) fn guards(inspection: &Inspection, ports: &[PortRange], others: &[PortRange]) -> Vec<Guard> {
    let mut out = Vec::new();
    let tcp: Vec<PortRange> = ports.iter().copied().filter(|p| p.protocol == Transport::Tcp).collect();
    if let Some(protocol) = inspection.app_layer.as_deref() {
        let parsed = parsed_ports(inspection, ports);
        let bit = flowbit(protocol);
        for transport in transports(&parsed) {
            let on: Vec<PortRange> = parsed.iter().copied().filter(|p| p.protocol == transport).collect();
            let state = flow_state(transport);
            out.push(Guard {
                key: format!("{} speaks {protocol}", transport.as_str()),
                action: Some("alert"),
                proto: transport.as_str().into(),
                ports: on.clone(),
                what: format!("the flow speaks {protocol}"),
                options: format!("flow:{state}; app-layer-protocol:{protocol}; flowbits:set,{bit}; flowbits:noalert;"),
            });
            out.push(Guard {
                key: format!("{} not {protocol}", transport.as_str()),
                action: None,
                proto: transport.as_str().into(),
                ports: on,
                what: format!("a payload on a flow not recognised as {protocol}"),
                options: format!("flow:{state}; dsize:>0; flowbits:isnotset,{bit};"),
            });
        }
        let state =
            if parsed.iter().all(|p| p.protocol == Transport::Tcp) { "established,to_server" } else { "to_server" };
        for event in &inspection.events {
            out.push(Guard {
                key: format!("event {event}"),
                action: None,
                proto: protocol.into(),
                ports: parsed.clone(),
                what: format!("a request the {protocol} parser cannot read ({event})"),
                options: format!("flow:{state}; app-layer-event:{event};"),
            });
        }
        let elsewhere: Vec<PortRange> = others.iter().copied().filter(|p| !ports.contains(p)).collect();
        if !elsewhere.is_empty() {
            out.push(Guard {
                key: format!("{protocol} elsewhere"),
                action: None,
                proto: protocol.into(),
                ports: elsewhere,
                what: format!("{protocol} on a port the flow allows for another service"),
                options: "flow:to_server;".into(),
            });
        }
    }
    if let (Some(pdu), false) = (&inspection.pdu, tcp.is_empty()) {
        out.extend(whole_pdus(pdu, &tcp));
    }
    if !tcp.is_empty() {
        out.push(Guard {
            key: "overlap".into(),
            action: None,
            proto: "tcp".into(),
            ports: tcp,
            what: "a retransmission that changes data already inspected".into(),
            options: "flow:established,to_server; stream-event:reassembly_overlap_different_data;".into(),
        });
    }
    out
}

/// How many PDUs of one segment the rules walk; a segment holding more
/// is dropped (fail closed). Clients send a request and wait for its
/// answer, so one segment rarely holds more than one.
pub(super) const MAX_PDUS: u32 = 8;

/// For a parser that reads each TCP segment on its own, a request split
/// over two would never be read: every segment must be exactly whole PDUs.
/// The rules walk the segment's PDUs (a `byte_jump` over each length) and
/// catch, at each PDU's start, a header cut short and a PDU running past
/// the segment's end; past `MAX_PDUS`, any data at all. A relative
/// `byte_math` leaves the cursor after the length field it read (observed in
/// Suricata 7: a test replays a PDU one byte short and eight whole ones),
/// so the rest of the PDU is its length plus what of the header follows.
fn whole_pdus(pdu: &Pdu, tcp: &[PortRange]) -> Vec<Guard> {
    let header = pdu.header;
    let (offset, size) = (pdu.length.offset, pdu.length.size);
    let endian = if pdu.length.endian == "little" { ", endian little" } else { "" };
    let jump_endian = if pdu.length.endian == "little" { ",little" } else { "" };
    // From a PDU's start to the next one's: the length counts from `header`.
    let rest = header.saturating_sub(offset + size);
    let guard = |key: String, what: String, options: String| Guard {
        key,
        action: None,
        proto: "tcp".into(),
        ports: tcp.to_vec(),
        what,
        options: format!("flow:established,to_server; {options}"),
    };
    let mut out = vec![
        guard("pdu short".into(), "a segment shorter than a PDU header".into(), format!("dsize:0<>{header};")),
        guard(
            "pdu cut".into(),
            "a PDU longer than its segment".into(),
            format!(
                "dsize:>{}; byte_math:bytes {size}, offset {offset}, oper +, rvalue {}, result kojo_end{endian}; isdataat:!kojo_end;",
                header - 1,
                header - 1
            ),
        ),
    ];
    let mut jumps = format!("dsize:>{};", header - 1);
    for index in 2..=MAX_PDUS + 1 {
        let relative = if index == 2 { "" } else { ",relative" };
        jumps.push_str(&format!(" byte_jump:{size},{offset}{relative}{jump_endian},post_offset {rest};"));
        if index > MAX_PDUS {
            out.push(guard(
                "pdu beyond".into(),
                format!("more than {MAX_PDUS} PDUs in one segment"),
                format!("{jumps} isdataat:1,relative;"),
            ));
            break;
        }
        out.push(guard(
            format!("pdu {index} short"),
            format!("PDU {index} of a segment cut before the end of its header"),
            format!("{jumps} isdataat:1,relative; isdataat:!{header},relative;"),
        ));
        out.push(guard(
            format!("pdu {index} cut"),
            format!("PDU {index} of a segment longer than the segment"),
            format!(
                "{jumps} isdataat:{header},relative; byte_math:bytes {size}, offset {offset}, oper +, rvalue {rest}, result kojo_rest, relative{endian}; isdataat:!kojo_rest,relative;"
            ),
        ));
    }
    out
}

/// The ports of a service its parser reads requests on: all but the
/// passive ones.
pub(super) fn parsed_ports(inspection: &Inspection, ports: &[PortRange]) -> Vec<PortRange> {
    ports.iter().copied().filter(|p| !inspection.passive_ports.contains(p)).collect()
}

fn transports(ports: &[PortRange]) -> BTreeSet<Transport> {
    ports.iter().map(|p| p.protocol).collect()
}

/// TCP rules wait for the handshake (`midstream: false` drops the rest);
/// UDP has none.
pub(super) fn flow_state(transport: Transport) -> &'static str {
    if transport == Transport::Tcp {
        "established,to_server"
    } else {
        "to_server"
    }
}
