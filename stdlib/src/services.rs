//! Services and protocols (`data/services.toml`): ports, security, restrictable
//! functions, and how a gateway recognises those functions on the wire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{index, parse, unique};
use crate::{CatalogueError, Label};

/// A network service a flow can name (`service modbus-tcp`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub label: Label,
    /// Default transport ports (IANA or the vendor's documented default).
    pub ports: Vec<PortRange>,
    /// Whether the protocol, as normally deployed, authenticates the peer and
    /// encrypts the traffic. `note` gives the conditions.
    pub secure: bool,
    /// An OT (industrial) protocol rather than an IT one.
    pub industrial: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The catalogue service that should replace this one (`telnet` → `ssh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_alternative: Option<String>,
    /// Protocol operations a flow may restrict itself to (`functions [read]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// Where a gateway finds the function code (`[services.inspection]`);
    /// none: no gateway can restrict the service's functions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection: Option<Inspection>,
}

impl Service {
    /// The function with this name, if the protocol has it.
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }

    /// The function a protocol code (e.g. a Modbus function code) belongs to.
    pub fn function_for_code(&self, code: u32) -> Option<&Function> {
        self.functions.iter().find(|f| f.codes.contains(&code))
    }

    /// Whether the inspection data can tell every code of every function
    /// apart from the others, so that any `functions [...]` of the service
    /// can be enforced.
    pub fn functions_inspectable(&self) -> bool {
        self.inspection
            .as_ref()
            .is_some_and(|i| self.functions.iter().flat_map(|f| &f.codes).all(|c| i.tells_apart(*c)))
    }
}

/// How a gateway finds a protocol's function code, as data so that an
/// organisation's catalogue can add a protocol without a new kojo. The rule
/// options are Suricata's (the `suricata` backend); the byte layout of
/// [`Frame`]s is the protocol's own.
///
/// Every code in `space` that a flow does not allow must be matched: one
/// by one with `keyword` for `keyword_codes`, and the others either all at
/// once with `rest` or by ranges at the `frames`' byte offsets.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// The app-layer protocol whose parser the rules use (`modbus`, `dnp3`,
    /// `enip`); none: the rules match the transport payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_layer: Option<String>,
    /// The values the function-code field takes in a request, inclusive.
    pub space: [u32; 2],
    /// The rule option that matches one code; `{code}` stands for it in decimal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// The codes `keyword` tells apart, as inclusive ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keyword_codes: Vec<[u32; 2]>,
    /// A rule option that matches every code of `space` outside `keyword_codes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest: Option<String>,
    /// Where the code sits in the protocol's frames.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frames: Vec<Frame>,
    /// The `app_layer` parser's events that mark a malformed request
    /// (`modbus.invalid_length`): a request the parser cannot read is one
    /// whose function the rules cannot check, so they catch it too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<String>,
    /// Ports of the service that carry no requests (EtherNet/IP's cyclic
    /// I/O on udp/2222): the parser does not read them, so the rules that
    /// require the protocol on a port leave them to the firewall.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passive_ports: Vec<PortRange>,
    /// Where the protocol's PDU says how long it is, for a parser that does
    /// not reassemble a request split over TCP segments (Suricata 7's
    /// ENIP): the gateway then requires every segment to hold whole PDUs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdu: Option<Pdu>,
}

/// A PDU's length: `length` counts the bytes from offset `header` on.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Pdu {
    pub length: Field,
    pub header: u32,
}

impl Inspection {
    /// Whether rules can match every code but this one: `keyword` names it,
    /// or every frame can hold it (a range around it can be excluded).
    pub fn tells_apart(&self, code: u32) -> bool {
        let [low, high] = self.space;
        if !(low..=high).contains(&code) {
            return false;
        }
        if self.keyword_codes.iter().any(|[a, b]| (*a..=*b).contains(&code)) {
            return true;
        }
        !self.frames.is_empty() && self.frames.iter().all(|f| code <= f.code.max())
    }
}

/// One frame layout of a protocol without a parser (or inside a parser's
/// buffer): what it starts with and where its code and length are.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Frame {
    /// Names the layout in rule messages (`3E binary request`).
    pub name: String,
    /// The parser's buffer the offsets count in (`dnp3_data`); none: the
    /// packet's payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffer: Option<String>,
    /// The bytes every frame of the layout starts with, in hex (`50 00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magic: Option<String>,
    pub code: Field,
    /// A length field counting the bytes after itself: data after the
    /// frame's end is a second frame in the same packet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Field>,
}

/// An unsigned number in a frame.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// From the frame's first byte.
    pub offset: u32,
    /// 1, 2 or 4 bytes.
    pub size: u32,
    /// `big` (network order, the default) or `little`.
    #[serde(default = "big_endian")]
    pub endian: String,
}

impl Field {
    /// The largest value the field holds.
    pub fn max(&self) -> u32 {
        match self.size {
            1 => 0xFF,
            2 => 0xFFFF,
            _ => u32::MAX,
        }
    }

    /// The first byte after the field.
    pub fn end(&self) -> u32 {
        self.offset.saturating_add(self.size)
    }
}

fn big_endian() -> String {
    "big".to_string()
}

/// One port, or a range `port..=end`, on a transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PortRange {
    pub protocol: Transport,
    pub port: u16,
    /// Last port of a range, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u16>,
}

impl PortRange {
    /// The last port of the range (`port` for a single port).
    pub fn last(&self) -> u16 {
        self.end.unwrap_or(self.port)
    }

    /// Whether `port` on `protocol` falls in the range.
    pub fn contains(&self, protocol: Transport, port: u16) -> bool {
        self.protocol == protocol && (self.port..=self.last()).contains(&port)
    }
}

/// A transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Transport {
    Tcp,
    Udp,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Udp => "udp",
        }
    }
}

/// A named group of protocol operations (function codes, service codes,
/// command codes) that a flow may restrict itself to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Function {
    /// Kebab-case name, unique within the service.
    pub name: String,
    pub label: Label,
    /// The protocol's own codes; unique within the service.
    pub codes: Vec<u32>,
    /// Whether the function can change device state (memory, program, mode,
    /// clock, configuration).
    pub write: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    services: Vec<Service>,
}

pub(crate) fn load(file: &str, text: &str) -> Result<BTreeMap<String, Service>, CatalogueError> {
    let parsed: File = parse(file, text)?;
    for service in &parsed.services {
        check(file, service)?;
    }
    index(file, parsed.services, |s| &s.id)
}

fn check(file: &str, service: &Service) -> Result<(), CatalogueError> {
    let id = &service.id;
    if service.ports.is_empty() {
        return Err(CatalogueError::invalid(file, format!("service `{id}` has no ports")));
    }
    for range in &service.ports {
        if range.port == 0 || range.end.is_some_and(|end| end <= range.port) {
            return Err(CatalogueError::invalid(
                file,
                format!(
                    "service `{id}` has an invalid port range {}/{}-{}",
                    range.protocol.as_str(),
                    range.port,
                    range.last()
                ),
            ));
        }
    }
    unique(file, &format!("service `{id}`: function"), service.functions.iter().map(|f| f.name.as_str()))?;
    let mut codes = BTreeMap::new();
    for function in &service.functions {
        if function.name.is_empty() || function.codes.is_empty() {
            return Err(CatalogueError::invalid(
                file,
                format!("service `{id}` has a function without a name or codes"),
            ));
        }
        for code in &function.codes {
            if let Some(other) = codes.insert(*code, &function.name) {
                return Err(CatalogueError::invalid(
                    file,
                    format!("service `{id}`: code {code} belongs to both `{other}` and `{}`", function.name),
                ));
            }
        }
    }
    if let Some(inspection) = &service.inspection {
        check_inspection(inspection)
            .map_err(|m| CatalogueError::invalid(file, format!("service `{id}`: inspection: {m}")))?;
    }
    Ok(())
}

/// The inspection data is copied into rules: it must be complete and must
/// not be able to end a rule option early.
fn check_inspection(i: &Inspection) -> Result<(), String> {
    let [low, high] = i.space;
    if low > high {
        return Err(format!("space [{low}, {high}] is empty"));
    }
    let options = i
        .keyword
        .iter()
        .chain(&i.rest)
        .chain(&i.app_layer)
        .chain(&i.events)
        .chain(i.frames.iter().filter_map(|f| f.buffer.as_ref()));
    for text in options {
        if text.trim().is_empty() || text.contains([';', '"', '(', ')', '\\', '\n', '\r']) {
            return Err(format!("`{text}` must be one rule option without `;`, quotes, parentheses or line breaks"));
        }
    }
    match &i.keyword {
        Some(k) if k.matches("{code}").count() != 1 => {
            return Err(format!("keyword `{k}` must contain `{{code}}` once"))
        }
        Some(_) if i.keyword_codes.is_empty() => return Err("a keyword needs keyword_codes".into()),
        None if !i.keyword_codes.is_empty() || i.rest.is_some() => {
            return Err("keyword_codes and rest need a keyword".into())
        }
        _ => {}
    }
    if let Some([a, b]) = i.keyword_codes.iter().find(|[a, b]| a > b || *a < low || *b > high) {
        return Err(format!("keyword_codes [{a}, {b}] is not a range inside space"));
    }
    if i.app_layer.is_none() && (i.keyword.is_some() || i.frames.iter().any(|f| f.buffer.is_some())) {
        return Err("keyword and frame buffers are the app_layer parser's: name it".into());
    }
    if i.app_layer.is_none() && !i.events.is_empty() {
        return Err("events are the app_layer parser's: name it".into());
    }
    if let Some(pdu) = &i.pdu {
        if !matches!(pdu.length.size, 1 | 2 | 4) || !matches!(pdu.length.endian.as_str(), "big" | "little") {
            return Err("pdu: the length is 1, 2 or 4 bytes, `big` or `little` endian".into());
        }
        if pdu.header < pdu.length.end() {
            return Err("pdu: the header ends after the length field".into());
        }
    }
    if i.rest.is_some() && !i.frames.is_empty() {
        return Err("codes outside keyword_codes are matched by rest or by frames, not both".into());
    }
    if !covers(&i.keyword_codes, low, high) && i.rest.is_none() && i.frames.is_empty() {
        return Err("codes of space outside keyword_codes need rest or frames".into());
    }
    for f in &i.frames {
        for field in std::iter::once(&f.code).chain(&f.length) {
            if !matches!(field.size, 1 | 2 | 4) || !matches!(field.endian.as_str(), "big" | "little") {
                return Err(format!("frame `{}`: a field is 1, 2 or 4 bytes, `big` or `little` endian", f.name));
            }
        }
        if high > f.code.max() {
            return Err(format!("frame `{}`: the code field cannot hold {high}", f.name));
        }
        let hex = |t: &str| t.split(' ').all(|b| b.len() == 2 && b.chars().all(|c| c.is_ascii_hexdigit()));
        if f.magic.as_deref().is_some_and(|m| !hex(m)) {
            return Err(format!("frame `{}`: magic is hex bytes separated by spaces, e.g. `50 00`", f.name));
        }
        if f.name.contains([';', '"', '\\']) {
            return Err(format!("frame name `{}` has `;`, `\"` or `\\`", f.name));
        }
    }
    Ok(())
}

/// Whether the inclusive ranges together hold every value of `low..=high`.
fn covers(ranges: &[[u32; 2]], low: u32, high: u32) -> bool {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    let mut next = u64::from(low);
    for [a, b] in sorted {
        if u64::from(a) > next {
            break;
        }
        next = next.max(u64::from(b) + 1);
    }
    next > u64::from(high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::tests::builtin;
    use std::collections::BTreeSet;

    const REQUIRED: &[&str] = &[
        "modbus-tcp",
        "s7comm",
        "opc-ua",
        "ethernet-ip",
        "dnp3",
        "iec-104",
        "bacnet-ip",
        "mqtt",
        "mqtt-tls",
        "profinet",
        "slmp",
        "fins",
        "hart-ip",
        "https",
        "http",
        "ssh",
        "rdp",
        "vnc",
        "smb",
        "smbv1",
        "ftp",
        "telnet",
        "snmp",
        "snmpv3",
        "ntp",
        "syslog",
        "syslog-tls",
        "dns",
    ];

    fn ports(id: &str) -> Vec<(Transport, u16, u16)> {
        let service = builtin().service(id).unwrap();
        service.ports.iter().map(|p| (p.protocol, p.port, p.last())).collect()
    }

    #[test]
    fn required_services_exist() {
        let c = builtin();
        for id in REQUIRED {
            assert!(c.service(id).is_some(), "missing service `{id}`");
        }
    }

    #[test]
    fn every_service_has_a_port() {
        for s in builtin().services() {
            assert!(!s.ports.is_empty(), "`{}` has no ports", s.id);
        }
    }

    #[test]
    fn function_names_and_codes_are_unique_per_service() {
        for s in builtin().services() {
            let names: BTreeSet<&str> = s.functions.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(names.len(), s.functions.len(), "`{}` repeats a function name", s.id);
            let codes: Vec<u32> = s.functions.iter().flat_map(|f| f.codes.iter().copied()).collect();
            let unique: BTreeSet<u32> = codes.iter().copied().collect();
            assert_eq!(unique.len(), codes.len(), "`{}` repeats a code", s.id);
            assert!(s.functions.iter().all(|f| !f.codes.is_empty()), "`{}` has a function without codes", s.id);
        }
    }

    #[test]
    fn well_known_ports() {
        use Transport::{Tcp, Udp};
        assert_eq!(ports("modbus-tcp"), [(Tcp, 502, 502)]);
        assert_eq!(ports("s7comm"), [(Tcp, 102, 102)]);
        assert_eq!(ports("opc-ua"), [(Tcp, 4840, 4840)]);
        assert_eq!(ports("ethernet-ip"), [(Tcp, 44818, 44818), (Udp, 44818, 44818), (Udp, 2222, 2222)]);
        assert_eq!(ports("dnp3"), [(Tcp, 20000, 20000)]);
        assert_eq!(ports("iec-104"), [(Tcp, 2404, 2404)]);
        assert_eq!(ports("bacnet-ip"), [(Udp, 47808, 47808)]);
        assert_eq!(ports("mqtt"), [(Tcp, 1883, 1883)]);
        assert_eq!(ports("mqtt-tls"), [(Tcp, 8883, 8883)]);
        assert_eq!(ports("profinet"), [(Udp, 34962, 34964)]);
        assert_eq!(ports("fins"), [(Udp, 9600, 9600), (Tcp, 9600, 9600)]);
        assert_eq!(ports("hart-ip"), [(Tcp, 5094, 5094), (Udp, 5094, 5094)]);
        assert_eq!(ports("https"), [(Tcp, 443, 443)]);
        assert_eq!(ports("ssh"), [(Tcp, 22, 22)]);
        assert_eq!(ports("telnet"), [(Tcp, 23, 23)]);
        assert_eq!(ports("ntp"), [(Udp, 123, 123)]);
        assert_eq!(ports("syslog-tls"), [(Tcp, 6514, 6514)]);
    }

    #[test]
    fn security_classification() {
        let c = builtin();
        for id in ["telnet", "ftp", "http", "smbv1", "vnc", "modbus-tcp", "s7comm", "dnp3", "iec-104"] {
            assert!(!c.service(id).unwrap().secure, "`{id}` should be insecure");
        }
        for id in ["ssh", "https", "opc-ua", "mqtt-tls", "snmpv3", "syslog-tls"] {
            assert!(c.service(id).unwrap().secure, "`{id}` should be secure");
        }
        for s in c.services() {
            assert!(s.note.as_deref().is_some_and(|n| !n.is_empty()), "`{}` needs a note", s.id);
        }
    }

    #[test]
    fn modbus_functions() {
        let modbus = builtin().service("modbus-tcp").unwrap();
        let f = |name: &str| modbus.function(name).unwrap();
        assert_eq!(f("read").codes, [1, 2, 3, 4]);
        assert!(!f("read").write);
        assert_eq!(f("write").codes, [5, 6, 15, 16]);
        assert!(f("write").write);
        assert_eq!(f("read-write").codes, [23]);
        assert_eq!(f("diagnostics").codes, [8]);
        assert_eq!(f("device-id").codes, [43]);
        assert_eq!(f("file").codes, [20, 21]);
        assert_eq!(modbus.function_for_code(16).map(|f| f.name.as_str()), Some("write"));
        assert!(modbus.function("frobnicate").is_none());
    }

    #[test]
    fn protocols_with_functions() {
        let c = builtin();
        for id in ["modbus-tcp", "dnp3", "s7comm", "ethernet-ip", "iec-104", "slmp", "fins"] {
            let s = c.service(id).unwrap();
            assert!(s.functions.iter().any(|f| f.write), "`{id}` needs a write function");
            assert!(s.functions.iter().any(|f| !f.write), "`{id}` needs a read function");
        }
        let dnp3 = c.service("dnp3").unwrap();
        assert_eq!(dnp3.function("operate").unwrap().codes, [3, 4, 5, 6]);
        assert_eq!(dnp3.function("restart").unwrap().codes, [13, 14]);
        let s7 = c.service("s7comm").unwrap();
        assert_eq!(s7.function("plc-stop").unwrap().codes, [0x29]);
    }

    #[test]
    fn secure_alternatives_are_secure_or_better() {
        let c = builtin();
        assert_eq!(c.service("telnet").unwrap().secure_alternative.as_deref(), Some("ssh"));
        for s in c.services() {
            if let Some(alt) = &s.secure_alternative {
                assert!(!s.secure, "`{}` is secure but names an alternative", s.id);
                assert!(c.service(alt).is_some(), "`{}` names unknown `{alt}`", s.id);
            }
        }
    }

    #[test]
    fn bad_port_ranges_are_rejected() {
        let text = r#"
[[services]]
id = "x"
label = { en = "x", ja = "x" }
ports = [{ protocol = "tcp", port = 10, end = 5 }]
secure = false
industrial = false
"#;
        let err = load("services.toml", text).unwrap_err();
        assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
        let no_ports = text.replace("[{ protocol = \"tcp\", port = 10, end = 5 }]", "[]");
        assert!(load("services.toml", &no_ports).is_err());
        let bad_transport = text.replace("\"tcp\"", "\"sctp\"");
        assert!(matches!(load("services.toml", &bad_transport), Err(CatalogueError::Parse { .. })));
    }

    #[test]
    fn repeated_function_codes_are_rejected() {
        let text = r#"
[[services]]
id = "x"
label = { en = "x", ja = "x" }
ports = [{ protocol = "tcp", port = 10 }]
secure = false
industrial = true

[[services.functions]]
name = "a"
label = { en = "a", ja = "a" }
codes = [1, 2]
write = false

[[services.functions]]
name = "b"
label = { en = "b", ja = "b" }
codes = [2]
write = true
"#;
        let err = load("services.toml", text).unwrap_err();
        assert!(err.to_string().contains("code 2"), "{err}");
    }

    #[test]
    fn gateway_inspection_covers_the_protocols_suricata_reads() {
        let c = builtin();
        for id in ["modbus-tcp", "dnp3", "ethernet-ip", "slmp"] {
            assert!(c.service(id).unwrap().functions_inspectable(), "`{id}` should be inspectable");
        }
        // Encrypted, or no parser and no byte layout in the catalogue yet.
        for id in ["modbus-tls", "s7comm", "fins", "iec-104", "bacnet-ip", "https"] {
            assert!(!c.service(id).unwrap().functions_inspectable(), "`{id}` should not be inspectable");
        }
        let modbus = c.service("modbus-tcp").unwrap().inspection.as_ref().unwrap();
        assert_eq!(modbus.keyword_codes, [[1, 24], [43, 43]]);
        assert!(modbus.tells_apart(5) && !modbus.tells_apart(90) && !modbus.tells_apart(128));
        let slmp = c.service("slmp").unwrap().inspection.as_ref().unwrap();
        assert_eq!(slmp.frames.len(), 2);
        assert_eq!((slmp.frames[0].code.offset, slmp.frames[0].code.size), (11, 2));
        assert_eq!(slmp.frames[0].magic.as_deref(), Some("50 00"));
        assert!(slmp.tells_apart(0x1401) && slmp.keyword.is_none());
    }

    const INSPECTED: &str = r#"
[[services]]
id = "x"
label = { en = "x", ja = "x" }
ports = [{ protocol = "tcp", port = 10 }]
secure = false
industrial = true

[[services.functions]]
name = "read"
label = { en = "a", ja = "a" }
codes = [1, 300]
write = false

[services.inspection]
space = [0, 65535]

[[services.inspection.frames]]
name = "request"
magic = "50 00"
code = { offset = 11, size = 2, endian = "little" }
"#;

    #[test]
    fn inspection_data_is_checked() {
        let ok = load("services.toml", INSPECTED).unwrap();
        assert!(ok["x"].functions_inspectable());
        let bad = |from: &str, to: &str| {
            let text = INSPECTED.replace(from, to);
            load("services.toml", &text).map(|_| ()).unwrap_err().to_string()
        };
        assert!(bad("size = 2", "size = 3").contains("1, 2 or 4 bytes"));
        assert!(bad("size = 2", "size = 1").contains("cannot hold 65535"));
        assert!(bad("\"little\"", "\"middle\"").contains("endian"));
        assert!(bad("\"50 00\"", "\"5000\"").contains("magic"));
        assert!(bad("space = [0, 65535]", "space = [9, 1]").contains("empty"));
        // Rule options come from the data: nothing may end them early.
        let keyword = "space = [0, 65535]\nkeyword = \"x:{code}; drop\"\nkeyword_codes = [[0, 9]]";
        assert!(bad("space = [0, 65535]", keyword).contains("one rule option"));
        let no_code = "space = [0, 65535]\nkeyword = \"x:1\"\nkeyword_codes = [[0, 9]]";
        assert!(bad("space = [0, 65535]", no_code).contains("{code}"));
        let both =
            "app_layer = \"x\"\nspace = [0, 65535]\nkeyword = \"x:{code}\"\nkeyword_codes = [[0, 9]]\nrest = \"x:!a\"";
        assert!(bad("space = [0, 65535]", both).contains("not both"));
        let parserless = "space = [0, 65535]\nkeyword = \"x:{code}\"\nkeyword_codes = [[0, 9]]";
        assert!(bad("space = [0, 65535]", parserless).contains("app_layer"));
        let events = "space = [0, 65535]\nevents = [\"x.bad\"]";
        assert!(bad("space = [0, 65535]", events).contains("app_layer"));
        let quoted = "app_layer = \"x\"\nspace = [0, 65535]\nevents = [\"x.bad; pass\"]";
        assert!(bad("space = [0, 65535]", quoted).contains("one rule option"));
        let pdu = "space = [0, 65535]\n[services.inspection.pdu]\nlength = { offset = 2, size = 2 }\nheader = 3";
        assert!(bad("space = [0, 65535]", &format!("{pdu}\n")).contains("header ends after"));
        // A keyword alone must name every code of the space.
        let text = INSPECTED.replace(
            "space = [0, 65535]",
            "app_layer = \"x\"\nspace = [0, 9]\nkeyword = \"x:{code}\"\nkeyword_codes = [[0, 8]]",
        );
        let text = text.replace("[[services.inspection.frames]]\nname = \"request\"\nmagic = \"50 00\"\ncode = { offset = 11, size = 2, endian = \"little\" }\n", "");
        assert!(load("services.toml", &text).unwrap_err().to_string().contains("need rest or frames"));
    }

    #[test]
    fn codes_outside_what_rules_can_name_are_not_inspectable() {
        // 300 is a code of `read`; a one-byte code field cannot carry it.
        let text = INSPECTED.replace("space = [0, 65535]", "space = [0, 255]").replace("size = 2", "size = 1");
        assert!(!load("services.toml", &text).unwrap()["x"].functions_inspectable());
        assert!(covers(&[[0, 4], [5, 9], [3, 3]], 0, 9) && !covers(&[[0, 4], [6, 9]], 0, 9));
        assert!(covers(&[[0, u32::MAX]], 0, u32::MAX));
    }
}
