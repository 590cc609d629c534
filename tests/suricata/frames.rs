//! Requests of the protocols the gateway inspects, byte for byte as their
//! specifications lay them out: Modbus/TCP (MBAP + PDU), DNP3 (link frame
//! with its CRCs, transport and application headers), EtherNet/IP
//! (encapsulation header, SendRRData with an unconnected CIP request) and
//! SLMP (3E binary request).

/// A Modbus/TCP request: MBAP header (transaction, protocol 0, length,
/// unit 1), function code, data.
pub fn modbus(transaction: u16, function: u8, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(transaction.to_be_bytes());
    out.extend([0, 0]);
    out.extend(((data.len() + 2) as u16).to_be_bytes());
    out.extend([1, function]);
    out.extend(data);
    out
}

/// Read holding registers 0-1 (FC 3).
pub fn modbus_read(transaction: u16) -> Vec<u8> {
    modbus(transaction, 3, &[0, 0, 0, 2])
}

/// Its answer: two registers.
pub fn modbus_read_reply(transaction: u16) -> Vec<u8> {
    modbus(transaction, 3, &[4, 0, 1, 0, 2])
}

/// Write single coil 1 on (FC 5).
pub fn modbus_write_coil(transaction: u16) -> Vec<u8> {
    modbus(transaction, 5, &[0, 1, 0xFF, 0])
}

/// CRC-16/DNP over a link header or data block, little-endian.
fn dnp3_crc(bytes: &[u8]) -> [u8; 2] {
    let mut crc: u16 = 0;
    for byte in bytes {
        crc ^= u16::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xA6BC } else { crc >> 1 };
        }
    }
    (!crc).to_le_bytes()
}

/// A DNP3 request from master 1 to outstation 10: one link frame holding
/// one transport segment (FIR and FIN) with the application request
/// `function` and its `objects`.
pub fn dnp3(sequence: u8, function: u8, objects: &[u8]) -> Vec<u8> {
    let mut user = vec![0xC0 | (sequence & 0x3F), 0xC0 | (sequence & 0x0F), function];
    user.extend(objects);
    let mut header = vec![0x05, 0x64, (5 + user.len()) as u8, 0xC4, 10, 0, 1, 0];
    let crc = dnp3_crc(&header);
    header.extend(crc);
    for block in user.chunks(16) {
        header.extend(block);
        header.extend(dnp3_crc(block));
    }
    header
}

/// Read class 0 (FC 1, group 60 variation 1, all objects).
pub fn dnp3_read(sequence: u8) -> Vec<u8> {
    dnp3(sequence, 1, &[60, 1, 0x06])
}

/// Write the internal indication "device restart" off (FC 2, group 80
/// variation 1, index 7).
pub fn dnp3_write(sequence: u8) -> Vec<u8> {
    dnp3(sequence, 2, &[80, 1, 0x00, 7, 7, 0])
}

/// An EtherNet/IP encapsulation: `command`, session, `data`.
fn enip(command: u16, session: u32, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(command.to_le_bytes());
    out.extend((data.len() as u16).to_le_bytes());
    out.extend(session.to_le_bytes());
    out.extend([0; 4 + 8 + 4]);
    out.extend(data);
    out
}

/// RegisterSession (0x65), protocol version 1.
pub fn enip_register() -> Vec<u8> {
    enip(0x65, 0, &[1, 0, 0, 0])
}

/// Its answer, with session handle 0x11223344.
pub fn enip_register_reply() -> Vec<u8> {
    enip(0x65, 0x1122_3344, &[1, 0, 0, 0])
}

/// SendRRData (0x6F) with an unconnected CIP request: `service` on class
/// 1 (Identity), instance 1, attribute 1, then `data`.
pub fn cip(service: u8, data: &[u8]) -> Vec<u8> {
    let mut request = vec![service, 3, 0x20, 0x01, 0x24, 0x01, 0x30, 0x01];
    request.extend(data);
    let mut cpf = vec![0, 0, 0, 0, 10, 0, 2, 0, 0, 0, 0, 0, 0xB2, 0];
    cpf.extend((request.len() as u16).to_le_bytes());
    cpf.extend(request);
    enip(0x6F, 0x1122_3344, &cpf)
}

/// A SLMP 3E binary request to the local station: `command`,
/// sub-command 0, `data`. The length counts from the monitoring timer.
pub fn slmp(command: u16, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend(0x0010u16.to_le_bytes());
    body.extend(command.to_le_bytes());
    body.extend(0u16.to_le_bytes());
    body.extend(data);
    let mut out = vec![0x50, 0x00, 0x00, 0xFF, 0xFF, 0x03, 0x00];
    out.extend((body.len() as u16).to_le_bytes());
    out.extend(body);
    out
}

/// The same request as a 4E frame: subheader `54 00`, a serial number and
/// two reserved bytes before the 3E layout.
pub fn slmp_4e(serial: u16, frame_3e: &[u8]) -> Vec<u8> {
    let mut out = vec![0x54, 0x00];
    out.extend(serial.to_le_bytes());
    out.extend([0, 0]);
    out.extend(&frame_3e[2..]);
    out
}

/// Batch read (0x0401) of ten words from D100.
pub fn slmp_read() -> Vec<u8> {
    slmp(0x0401, &[100, 0, 0, 0xA8, 10, 0])
}

/// Batch write (0x1401) of one word to D100.
pub fn slmp_write() -> Vec<u8> {
    slmp(0x1401, &[100, 0, 0, 0xA8, 1, 0, 0x34, 0x12])
}

/// A 3E response: end code 0 and `data`.
pub fn slmp_reply(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0xD0, 0x00, 0x00, 0xFF, 0xFF, 0x03, 0x00];
    out.extend(((data.len() + 2) as u16).to_le_bytes());
    out.extend([0, 0]);
    out.extend(data);
    out
}
