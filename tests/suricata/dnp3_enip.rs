//! DNP3 and EtherNet/IP cases of `tests/suricata_engine.rs`.

use super::frames::*;
use super::replay::{Body, Cases, Expect};
use super::HOSTS;

/// DNP3: reads pass; a write, split or not, or after garbage, and a bad CRC do not.
pub fn dnp3(cases: &mut Cases) {
    let rtu = HOSTS.rtu;
    let mut case = |name, server, port, body: Body| cases.tcp(name, HOSTS.hmi, (server, port), body);
    case("dnp3: reads pass", rtu, 20000, &|c, t| {
        for sequence in 0..2 {
            t.send(c, &dnp3_read(sequence));
            t.ack(c);
        }
        Expect::Pass
    });
    case("dnp3: write (FC 2) dropped", rtu, 20000, &|c, t| {
        t.send(c, &dnp3_read(0));
        t.ack(c);
        Expect::drop(t.send(c, &dnp3_write(1)), "function 2 (write)")
    });
    case("dnp3: a code outside the catalogue (40) dropped", rtu, 20000, &|c, t| {
        t.send(c, &dnp3_read(0));
        t.ack(c);
        Expect::drop(t.send(c, &super::frames::dnp3(1, 40, &[])), "function codes 34-128")
    });
    case("dnp3: a code outside the catalogue (140) dropped", rtu, 20000, &|c, t| {
        t.send(c, &dnp3_read(0));
        t.ack(c);
        Expect::drop(t.send(c, &super::frames::dnp3(1, 140, &[])), "function codes 132-255")
    });
    case("dnp3 evasion: write split over two segments dropped", rtu, 20000, &|c, t| {
        t.send(c, &dnp3_read(0));
        t.ack(c);
        let write = dnp3_write(1);
        t.send(c, &write[..12]);
        t.ack(c);
        Expect::drop(t.send(c, &write[12..]), "function 2 (write)")
    });
    case("dnp3 evasion: pipelined read and write in one segment dropped", rtu, 20000, &|c, t| {
        t.send(c, &dnp3_read(0));
        t.ack(c);
        Expect::drop(t.send(c, &[dnp3_read(1), dnp3_write(2)].concat()), "function 2 (write)")
    });
    case("dnp3 evasion: unrecognised first request, then write, dropped", rtu, 20000, &|c, t| {
        let garbage = t.send(c, &[0x05, 0x65, 1, 2, 3, 4, 5, 6, 7, 8]);
        t.ack(c);
        let write = t.send(c, &dnp3_write(0));
        Expect::drops(&[garbage, write], "not recognised as dnp3")
    });
    case("dnp3 evasion: a frame with a bad CRC is refused", rtu, 20000, &|c, t| {
        t.send(c, &dnp3_read(0));
        t.ack(c);
        let mut bad = dnp3_read(1);
        bad[8] ^= 0xFF;
        // The parser errors out; the exception policy drops the flow.
        Expect::Refused(t.send(c, &bad), "applayer error")
    });
}

/// EtherNet/IP: get-attribute passes; set-attribute, whole, split, short or pipelined, does not.
pub fn enip(cases: &mut Cases) {
    let drive = HOSTS.drive;
    let mut case = |name, server, port, body: Body| cases.tcp(name, HOSTS.hmi, (server, port), body);
    case("enip: get-attribute-single passes", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        t.send(c, &cip(0x0E, &[]));
        t.ack(c);
        Expect::Pass
    });
    case("enip: set-attribute-single (0x10) dropped", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        Expect::drop(t.send(c, &cip(0x10, &[1])), "function 16 (set-attribute)")
    });
    case("enip evasion: set-attribute split over two segments dropped", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        let set = cip(0x10, &[1]);
        // Suricata 7's ENIP parser never joins the halves: the cut segment is dropped.
        let first = t.send(c, &set[..30]);
        t.ack(c);
        t.send(c, &set[30..]);
        Expect::drop(first, "a PDU longer than its segment")
    });
    case("enip evasion: segment shorter than a header dropped", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        Expect::drop(t.send(c, &cip(0x10, &[1])[..4]), "a segment shorter than a PDU header")
    });
    case("enip evasion: pipelined get and set in one segment dropped", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        Expect::drop(t.send(c, &[cip(0x0E, &[]), cip(0x10, &[1])].concat()), "function 16 (set-attribute)")
    });
    case("enip evasion: non-ENIP payload on tcp/44818 dropped", drive, 44818, &|c, t| {
        Expect::drop(t.send(c, b"GET / HTTP/1.1\r\n\r\n"), "not recognised as enip")
    });
    case("enip evasion: a get, then a set cut after its header, in one segment dropped", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        let set = cip(0x10, &[1]);
        let first = t.send(c, &[cip(0x0E, &[]), set[..30].to_vec()].concat());
        t.ack(c);
        t.send(c, &set[30..]);
        Expect::drop(first, "PDU 2 of a segment longer than the segment")
    });
    case("enip evasion: a get, then a set cut inside its header, in one segment dropped", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        let set = cip(0x10, &[1]);
        let first = t.send(c, &[cip(0x0E, &[]), set[..10].to_vec()].concat());
        t.ack(c);
        t.send(c, &set[10..]);
        Expect::drop(first, "PDU 2 of a segment cut before the end of its header")
    });
    case("enip evasion: a get, then a set one byte short, in one segment dropped", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        let set = cip(0x10, &[1]);
        let first = t.send(c, &[cip(0x0E, &[]), set[..set.len() - 1].to_vec()].concat());
        t.ack(c);
        t.send(c, &set[set.len() - 1..]);
        Expect::drop(first, "PDU 2 of a segment longer than the segment")
    });
    case("enip: eight whole gets in one segment pass", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        t.send(c, &vec![cip(0x0E, &[]); 8].concat());
        t.ack(c);
        Expect::Pass
    });
    case("enip fail closed: nine PDUs in one segment dropped", drive, 44818, &|c, t| {
        t.send(c, &enip_register());
        t.reply(c, &enip_register_reply());
        Expect::drop(t.send(c, &vec![cip(0x0E, &[]); 9].concat()), "more than 8 PDUs in one segment")
    });
    case("enip evasion: unrecognised first request, then set, dropped", drive, 44818, &|c, t| {
        let garbage = t.send(c, &[0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0]);
        t.ack(c);
        let set = t.send(c, &cip(0x10, &[1]));
        Expect::drops(&[garbage, set], "not recognised as enip")
    });
}
