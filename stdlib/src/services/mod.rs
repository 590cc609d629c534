//! Services and protocols (`data/services.toml`): ports, security, restrictable
//! functions, and how a gateway recognises those functions on the wire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{index, parse, unique};
use crate::{CatalogueError, Label};

mod inspection;

use inspection::check_inspection;
pub use inspection::{Field, Fixed, Frame, Inspection, Pdu};

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
    /// Why the service is secure or not and under which conditions, in
    /// both languages (`note.en`, `note.ja`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Label>,
    /// The catalogue service that should replace this one (`telnet` → `ssh`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secure_alternative: Option<String>,
    /// What people do with the service, where a rule cares: browse the
    /// web, send e-mail, log in to a remote host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// Protocol operations a flow may restrict itself to (`functions [read]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// Where a gateway finds the function code (`[services.inspection]`);
    /// none: no gateway can restrict the service's functions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inspection: Option<Inspection>,
}

/// What people do with a service (`purpose` in `services.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Purpose {
    /// Browsing the web (Appendix E 2-3: no internet use from factory systems).
    Web,
    /// Sending or fetching e-mail (Appendix E 2-3).
    Mail,
    /// Logging in to a remote host: how a maintenance line (EP10) is used.
    RemoteLogin,
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

/// `tcp/502`, `udp/161-162`, as a flow's `port` writes it.
impl std::fmt::Display for PortRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.end {
            Some(end) => write!(f, "{}/{}-{end}", self.protocol.as_str(), self.port),
            None => write!(f, "{}/{}", self.protocol.as_str(), self.port),
        }
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
            let note = s.note.as_ref().unwrap_or_else(|| panic!("`{}` needs a note", s.id));
            assert!(!note.en.is_empty() && !note.ja.is_empty(), "`{}` needs a note in both languages", s.id);
        }
    }

    /// A note is written in both languages like every catalogue text: one
    /// in a single language is an error that points at it.
    #[test]
    fn a_note_in_one_language_is_rejected() {
        let text = r#"
[[services]]
id = "acme-bus"
label = { en = "Acme bus", ja = "Acme bus" }
ports = [{ protocol = "tcp", port = 4000 }]
secure = false
industrial = true
note = "No authentication."
"#;
        let err = crate::catalogue::tests::with(|s| s.services = text).unwrap_err();
        assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
        assert!(err.to_string().contains(r#"note = "No authentication.""#), "{err}");
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
}
