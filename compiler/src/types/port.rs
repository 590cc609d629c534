//! Transport ports: `tcp/502`, `udp/161-162`.

use std::fmt;

pub use kojo_stdlib::Transport;

use super::Invalid;

/// An inclusive range of ports on one transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct PortRange {
    pub transport: Transport,
    pub start: u16,
    pub end: u16,
}

impl PortRange {
    pub fn parse(text: &str) -> Result<PortRange, Invalid> {
        let help = "write a port as `tcp/502` or a range as `udp/161-162` (ports 1-65535)";
        let (proto, ports) =
            text.split_once('/').ok_or_else(|| Invalid::new(format!("`{text}` is not a port"), help))?;
        let transport = match proto {
            "tcp" => Transport::Tcp,
            "udp" => Transport::Udp,
            other => {
                return Err(Invalid::new(
                    format!("unknown transport `{other}` in `{text}`"),
                    "the transport is `tcp` or `udp`",
                ))
            }
        };
        let number = |s: &str| match s.parse::<u16>() {
            Ok(n) if n >= 1 => Ok(n),
            _ => Err(Invalid::new(format!("`{s}` in `{text}` is not a port number"), help)),
        };
        let (start, end) = match ports.split_once('-') {
            Some((a, b)) => (number(a)?, number(b)?),
            None => {
                let n = number(ports)?;
                (n, n)
            }
        };
        if start > end {
            return Err(Invalid::new(
                format!("the range in `{text}` runs backwards"),
                format!("write the lower port first: `{proto}/{end}-{start}`"),
            ));
        }
        Ok(PortRange { transport, start, end })
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}/{}", self.transport.as_str(), self.start)
        } else {
            write!(f, "{}/{}-{}", self.transport.as_str(), self.start, self.end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ports_and_ranges() {
        let p = PortRange::parse("tcp/502").unwrap();
        assert_eq!((p.transport, p.start, p.end), (Transport::Tcp, 502, 502));
        assert_eq!(PortRange::parse("udp/161-162").unwrap().to_string(), "udp/161-162");
        for bad in ["tcp/0", "tcp/65536", "sctp/1", "udp/9-1", "tcp/", "tcp/a"] {
            assert!(PortRange::parse(bad).is_err(), "{bad}");
        }
    }
}
