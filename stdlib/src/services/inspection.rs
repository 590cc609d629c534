//! A service's inspection data (`[services.inspection]`): how a gateway
//! recognises a protocol's function codes on the wire, checked on load so
//! that nothing copied into a rule can end a rule option early.

use serde::{Deserialize, Serialize};

use super::PortRange;

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
    /// Fields whose values the protocol defines: a frame holding any other
    /// value is caught, so that bytes of another protocol (a Modbus request
    /// on the SLMP port) cannot pass as this frame.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<Fixed>,
}

/// A field of a frame and the values it may hold (inclusive ranges).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fixed {
    /// Names the field in rule messages.
    pub name: String,
    pub field: Field,
    pub values: Vec<[u32; 2]>,
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

/// The inspection data is copied into rules: it must be complete and must
/// not be able to end a rule option early.
pub(super) fn check_inspection(i: &Inspection) -> Result<(), String> {
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
        for fixed in &f.fixed {
            if fixed.name.contains([';', '"', '\\']) || fixed.name.trim().is_empty() {
                return Err(format!(
                    "frame `{}`: fixed field name `{}` is empty or has `;`, `\"` or `\\`",
                    f.name, fixed.name
                ));
            }
            if fixed.values.is_empty() || fixed.values.iter().any(|[a, b]| a > b || *b > fixed.field.max()) {
                return Err(format!(
                    "frame `{}`: fixed field `{}` needs ranges its field can hold",
                    f.name, fixed.name
                ));
            }
        }
        let fixed = f.fixed.iter().map(|x| &x.field);
        for field in std::iter::once(&f.code).chain(&f.length).chain(fixed) {
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
    use super::super::load;
    use super::*;
    use crate::catalogue::tests::builtin;

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
        let fixed = |values: &str| {
            format!("code = {{ offset = 11, size = 2, endian = \"little\" }}\nfixed = [{{ name = \"io\", field = {{ offset = 4, size = 1 }}, values = {values} }}]")
        };
        let code = "code = { offset = 11, size = 2, endian = \"little\" }";
        assert!(load("services.toml", &INSPECTED.replace(code, &fixed("[[0, 9]]"))).is_ok());
        assert!(bad(code, &fixed("[[0, 256]]")).contains("ranges its field can hold"));
        assert!(bad(code, &fixed("[]")).contains("ranges its field can hold"));

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
