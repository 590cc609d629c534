//! A capture the engine tests write themselves: classic pcap (LINKTYPE
//! ETHERNET), IPv4, TCP conversations (handshake, segments both ways, each
//! with its sequence numbers and checksums) and UDP datagrams. Small on
//! purpose: the tests need exact control over where a request is cut, and
//! no capture library gives more than this does.

use std::net::Ipv4Addr;

/// Packets in the order they are written, one timestamp apart.
#[derive(Default)]
pub struct Capture {
    packets: Vec<Vec<u8>>,
}

impl Capture {
    /// The pcap file: global header, then each packet 10 ms after the last.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend(0xa1b2_c3d4_u32.to_le_bytes());
        out.extend(2u16.to_le_bytes());
        out.extend(4u16.to_le_bytes());
        out.extend([0u8; 8]);
        out.extend(65_535u32.to_le_bytes());
        out.extend(1u32.to_le_bytes());
        for (index, packet) in self.packets.iter().enumerate() {
            let micros = index as u64 * 10_000;
            out.extend((1_700_000_000 + (micros / 1_000_000) as u32).to_le_bytes());
            out.extend(((micros % 1_000_000) as u32).to_le_bytes());
            out.extend((packet.len() as u32).to_le_bytes());
            out.extend((packet.len() as u32).to_le_bytes());
            out.extend(packet);
        }
        out
    }

    fn push(&mut self, src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, transport: Vec<u8>) {
        let mut ip = vec![0x45, 0];
        ip.extend(((20 + transport.len()) as u16).to_be_bytes());
        ip.extend([0, 1, 0x40, 0, 64, protocol, 0, 0]);
        ip.extend(src.octets());
        ip.extend(dst.octets());
        let sum = checksum(&ip);
        ip[10..12].copy_from_slice(&sum.to_be_bytes());
        let mut frame = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
        frame.extend(ip);
        frame.extend(transport);
        self.packets.push(frame);
    }

    /// A UDP datagram.
    pub fn udp(&mut self, (src, sport): (Ipv4Addr, u16), (dst, dport): (Ipv4Addr, u16), data: &[u8]) {
        let mut udp = Vec::new();
        udp.extend(sport.to_be_bytes());
        udp.extend(dport.to_be_bytes());
        udp.extend(((8 + data.len()) as u16).to_be_bytes());
        udp.extend([0, 0]);
        udp.extend(data);
        let sum = transport_checksum(src, dst, 17, &udp);
        udp[6..8].copy_from_slice(&sum.to_be_bytes());
        self.push(src, dst, 17, udp);
    }
}

/// One TCP connection, client to server, written into a capture.
pub struct Tcp {
    client: (Ipv4Addr, u16),
    server: (Ipv4Addr, u16),
    /// The next sequence number of each side.
    client_seq: u32,
    server_seq: u32,
}

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const PSH_ACK: u8 = 0x18;
const SYN_ACK: u8 = 0x12;
const URG: u8 = 0x20;

impl Tcp {
    /// Opens the connection with a three-way handshake.
    pub fn open(capture: &mut Capture, client: (Ipv4Addr, u16), server: (Ipv4Addr, u16)) -> Tcp {
        let mut tcp = Tcp { client, server, client_seq: 1_000, server_seq: 50_000 };
        tcp.segment(capture, true, SYN, tcp.client_seq, &[]);
        tcp.client_seq += 1;
        tcp.segment(capture, false, SYN_ACK, tcp.server_seq, &[]);
        tcp.server_seq += 1;
        tcp.segment(capture, true, ACK, tcp.client_seq, &[]);
        tcp
    }

    /// A connection already open when the capture starts: no handshake.
    pub fn midstream(client: (Ipv4Addr, u16), server: (Ipv4Addr, u16)) -> Tcp {
        Tcp { client, server, client_seq: 1_001, server_seq: 50_001 }
    }

    /// The client sends `data` in one segment; returns its sequence number.
    pub fn send(&mut self, capture: &mut Capture, data: &[u8]) -> u32 {
        let seq = self.client_seq;
        self.segment(capture, true, PSH_ACK, seq, data);
        self.client_seq += data.len() as u32;
        seq
    }

    /// The client sends `data` in one segment with the URG flag and urgent
    /// pointer `pointer`; returns its sequence number.
    pub fn send_urgent(&mut self, capture: &mut Capture, data: &[u8], pointer: u16) -> u32 {
        let seq = self.client_seq;
        self.segment_urgent(capture, true, PSH_ACK | URG, seq, data, pointer);
        self.client_seq += data.len() as u32;
        seq
    }

    /// A TCP keep-alive from the client: an ACK one below the next sequence
    /// number, with the last byte sent again (Windows) or no data (Linux).
    pub fn keepalive(&mut self, capture: &mut Capture, last: Option<u8>) -> u32 {
        let seq = self.client_seq - 1;
        let data: Vec<u8> = last.into_iter().collect();
        self.segment(capture, true, ACK, seq, &data);
        seq
    }

    /// The client sends `data` in two segments, the second first (out of
    /// order); returns the sequence numbers of the first and second half.
    pub fn send_reordered(&mut self, capture: &mut Capture, data: &[u8], cut: usize) -> (u32, u32) {
        let (first, second) = (self.client_seq, self.client_seq + cut as u32);
        self.segment(capture, true, PSH_ACK, second, &data[cut..]);
        self.segment(capture, true, PSH_ACK, first, &data[..cut]);
        self.client_seq += data.len() as u32;
        (first, second)
    }

    /// The client sends `data` again from an earlier sequence number (a
    /// retransmission, possibly with other bytes).
    pub fn resend(&mut self, capture: &mut Capture, seq: u32, data: &[u8]) {
        self.segment(capture, true, PSH_ACK, seq, data);
        self.client_seq = self.client_seq.max(seq + data.len() as u32);
    }

    /// The server answers with `data`, acknowledging everything sent.
    pub fn reply(&mut self, capture: &mut Capture, data: &[u8]) {
        let seq = self.server_seq;
        self.segment(capture, false, PSH_ACK, seq, data);
        self.server_seq += data.len() as u32;
    }

    /// The server acknowledges without data.
    pub fn ack(&mut self, capture: &mut Capture) {
        self.segment(capture, false, ACK, self.server_seq, &[]);
    }

    fn segment(&self, capture: &mut Capture, from_client: bool, flags: u8, seq: u32, data: &[u8]) {
        self.segment_urgent(capture, from_client, flags, seq, data, 0);
    }

    fn segment_urgent(&self, capture: &mut Capture, from_client: bool, flags: u8, seq: u32, data: &[u8], urg: u16) {
        let (src, dst, ack) = if from_client {
            (self.client, self.server, if flags == SYN { 0 } else { self.server_seq })
        } else {
            (self.server, self.client, self.client_seq)
        };
        let mut tcp = Vec::new();
        tcp.extend(src.1.to_be_bytes());
        tcp.extend(dst.1.to_be_bytes());
        tcp.extend(seq.to_be_bytes());
        tcp.extend(ack.to_be_bytes());
        tcp.extend([5 << 4, flags]);
        tcp.extend(65_535u16.to_be_bytes());
        tcp.extend([0, 0]);
        tcp.extend(urg.to_be_bytes());
        tcp.extend(data);
        let sum = transport_checksum(src.0, dst.0, 6, &tcp);
        tcp[16..18].copy_from_slice(&sum.to_be_bytes());
        capture.push(src.0, dst.0, 6, tcp);
    }
}

fn transport_checksum(src: Ipv4Addr, dst: Ipv4Addr, protocol: u8, segment: &[u8]) -> u16 {
    let mut pseudo = Vec::new();
    pseudo.extend(src.octets());
    pseudo.extend(dst.octets());
    pseudo.extend([0, protocol]);
    pseudo.extend((segment.len() as u16).to_be_bytes());
    pseudo.extend(segment);
    checksum(&pseudo)
}

/// The Internet checksum (RFC 1071).
fn checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = bytes.chunks(2).map(|c| u32::from(c[0]) << 8 | u32::from(*c.get(1).unwrap_or(&0))).sum();
    while sum > 0xFFFF {
        sum = (sum & 0xFFFF) + (sum >> 16);
    }
    !(sum as u16)
}
