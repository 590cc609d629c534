//! TCP-level cases of `tests/suricata_engine.rs`: urgent data, keep-alives
//! and retransmissions that change data, on the protocols' read-only flows.

use super::frames::*;
use super::replay::{Body, Cases, Expect};
use super::HOSTS;

/// Urgent data: a receiver that takes the urgent byte out of the stream
/// (RFC 6093's out-of-band reading) would read a write where the rules read
/// a read. `stream.reassembly.urgent.policy: drop` drops the segment.
pub fn urgent(cases: &mut Cases) {
    let (hmi, plc) = (HOSTS.hmi, HOSTS.plc);
    let mut case = |name, port, body: Body| cases.tcp(name, hmi, (plc, port), body);
    case("evasion: Modbus write hidden behind an urgent byte refused", 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        // Read as is: FC 3 with a bad length; without byte 7: FC 6, a write.
        let mut segment = modbus(2, 3, &[6, 0, 0, 1, 0x2C]);
        segment[5] = 6;
        Expect::Refused(t.send_urgent(c, &segment, 8), "stream urgent")
    });
    case("evasion: SLMP write hidden behind an urgent byte refused", 5007, &|c, t| {
        t.send(c, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        // A 3E batch write with a byte 0x04 inserted before the command's
        // high byte: the rules read command 0x0401, the device 0x1401.
        let write = slmp(0x1401, &[0x64, 0, 0, 0x90, 6, 0, 0x11, 0x11]);
        let mut segment = write[..12].to_vec();
        segment.push(0x04);
        segment.extend(&write[12..write.len() - 1]);
        segment[8] = 0;
        segment[7] = (write.len() - 9) as u8;
        let seq = t.send_urgent(c, &segment, 13);
        Expect::Refused(seq, "stream urgent")
    });
}

/// Keep-alives: a probe without data passes on every flow; a Windows-style
/// probe (the last byte again) passes once the flow is recognised as Modbus,
/// and is dropped where the rules read each segment as a whole frame (SLMP)
/// or before a Modbus flow's first request (documented).
pub fn keepalives(cases: &mut Cases) {
    let (hmi, plc) = (HOSTS.hmi, HOSTS.plc);
    let mut case = |name, port, body: Body| cases.tcp(name, hmi, (plc, port), body);
    case("keep-alive without data passes (Modbus)", 502, &|c, t| {
        t.keepalive(c, None);
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        t.keepalive(c, None);
        t.send(c, &modbus_read(2));
        t.reply(c, &modbus_read_reply(2));
        Expect::Pass
    });
    case("keep-alive with one byte after a request passes (Modbus)", 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus_read_reply(1));
        t.keepalive(c, modbus_read(1).last().copied());
        t.send(c, &modbus_read(2));
        t.reply(c, &modbus_read_reply(2));
        Expect::Pass
    });
    case("known limit: keep-alive with one byte before the first request dropped (Modbus)", 502, &|c, t| {
        Expect::drop(t.keepalive(c, Some(0)), "not recognised as modbus")
    });
    case("keep-alive without data passes (SLMP)", 5007, &|c, t| {
        t.send(c, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        t.keepalive(c, None);
        t.send(c, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        Expect::Pass
    });
    case("known limit: keep-alive with one byte dropped (SLMP)", 5007, &|c, t| {
        t.send(c, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        Expect::drop(t.keepalive(c, slmp_read().last().copied()), "a payload that is none of")
    });
}

/// A retransmission that turns an inspected read into a write.
pub fn retransmissions(cases: &mut Cases) {
    let hmi = HOSTS.hmi;
    let why = "a retransmission that changes data";
    cases.tcp(
        "evasion: Modbus retransmission that turns a read into a write dropped",
        hmi,
        (HOSTS.plc, 502),
        &|c, t| {
            t.send(c, &modbus_read(1));
            t.reply(c, &modbus_read_reply(1));
            let seq = t.send(c, &modbus(2, 3, &[0, 0, 0, 1]));
            t.resend(c, seq, &modbus(2, 6, &[0, 0, 0, 1]));
            Expect::drop(seq, why)
        },
    );
    cases.tcp(
        "evasion: DNP3 retransmission that turns a read into a write dropped",
        hmi,
        (HOSTS.rtu, 20000),
        &|c, t| {
            t.send(c, &dnp3_read(0));
            t.ack(c);
            let read = dnp3(1, 1, &[80, 1, 0x00, 7, 7, 0]);
            let seq = t.send(c, &read);
            t.resend(c, seq, &dnp3(1, 2, &[80, 1, 0x00, 7, 7, 0]));
            Expect::drop(seq, why)
        },
    );
    cases.tcp(
        "evasion: ENIP retransmission that turns a get into a set dropped",
        hmi,
        (HOSTS.drive, 44818),
        &|c, t| {
            t.send(c, &enip_register());
            t.reply(c, &enip_register_reply());
            let seq = t.send(c, &cip(0x0E, &[1]));
            t.resend(c, seq, &cip(0x10, &[1]));
            Expect::drop(seq, why)
        },
    );
}

/// Ordinary TCP behaviour the rules must not mistake for evasion.
pub fn ordinary(cases: &mut Cases) {
    let (hmi, plc) = (HOSTS.hmi, HOSTS.plc);
    let mut case = |name, port, body: Body| cases.tcp(name, hmi, (plc, port), body);
    case("an unchanged retransmission of a read passes (SLMP)", 5007, &|c, t| {
        let seq = t.send(c, &slmp_read());
        t.resend(c, seq, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        Expect::Pass
    });
    case("a reply split over two segments passes (SLMP)", 5007, &|c, t| {
        t.send(c, &slmp_read());
        let reply = slmp_reply(&[0; 1900]);
        t.reply(c, &reply[..1460]);
        t.reply(c, &reply[1460..]);
        t.send(c, &slmp_read());
        t.reply(c, &slmp_reply(&[0; 20]));
        Expect::Pass
    });
    case("an exception reply, then another read, passes (Modbus)", 502, &|c, t| {
        t.send(c, &modbus_read(1));
        t.reply(c, &modbus(1, 0x83, &[2]));
        t.send(c, &modbus_read(2));
        t.reply(c, &modbus_read_reply(2));
        Expect::Pass
    });
}
