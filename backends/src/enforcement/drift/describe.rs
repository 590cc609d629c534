//! Sets of connections in words: a box as the interfaces, addresses
//! (summarised into prefixes) and services it holds, the way an engineer
//! reads a rule: `ipv4 prod_mgmt -> control: 10.2.0.10 -> any, tcp/23`.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use super::permits::{max_address, Space};
use super::space::{Block, Ranges, DST, IIF, OIF, PORT, PROTO, SRC};
use crate::enforcement::policy::Family;

/// How many addresses, interfaces or ports one field lists before `…`.
const LIST_MAX: usize = 6;

/// A set of connections in words.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Traffic {
    /// `ipv4` or `ipv6`.
    pub family: &'static str,
    /// The interfaces connections enter by.
    pub from: String,
    /// The interfaces they leave by.
    pub to: String,
    pub sources: String,
    pub destinations: String,
    /// `tcp/23`, `udp/5000-5010`, `any traffic`, `icmp`.
    pub service: String,
}

impl fmt::Display for Traffic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} -> {}: {} -> {}, {}",
            self.family, self.from, self.to, self.sources, self.destinations, self.service
        )
    }
}

pub(super) fn family_name(family: Family) -> &'static str {
    match family {
        Family::V4 => "ipv4",
        Family::V6 => "ipv6",
    }
}

pub(super) fn traffic(space: &Space, family: Family, block: &Block) -> Traffic {
    Traffic {
        family: family_name(family),
        from: interfaces(space, block.dim(IIF)),
        to: interfaces(space, block.dim(OIF)),
        sources: addresses(family, block.dim(SRC)),
        destinations: addresses(family, block.dim(DST)),
        service: service(block.dim(PROTO), block.dim(PORT)),
    }
}

/// A list, cut after [`LIST_MAX`] items.
fn list(items: Vec<String>) -> String {
    let more = items.len().saturating_sub(LIST_MAX);
    let mut shown: Vec<String> = items.into_iter().take(LIST_MAX).collect();
    if more > 0 {
        shown.push(format!("… ({more} more)"));
    }
    shown.join(", ")
}

fn interfaces(space: &Space, ranges: &Ranges) -> String {
    let all = Ranges::span(0, space.interface_count().saturating_sub(1));
    let name = |n: Option<String>| n.unwrap_or_else(|| "other interfaces".to_string());
    if ranges.covers(&all) {
        return "any interface".into();
    }
    let missing = all.minus(ranges);
    if missing.count() < ranges.count() && !space.interface_names(&missing).contains(&None) {
        let names = space.interface_names(&missing).into_iter().map(name).collect();
        return format!("any interface but {}", list(names));
    }
    list(space.interface_names(ranges).into_iter().map(name).collect())
}

fn addresses(family: Family, ranges: &Ranges) -> String {
    let all = Ranges::span(0, max_address(family));
    if ranges.covers(&all) {
        return "any".into();
    }
    let shown = prefixes(family, ranges);
    // A prefix but a few addresses reads better as just that.
    if let Some((hull, len)) = hull(family, ranges) {
        let missing = prefixes(family, &hull.minus(ranges));
        if !missing.is_empty() && missing.len() < shown.len() {
            let whole = if len == 0 { "any".to_string() } else { prefixes(family, &hull).join(", ") };
            return format!("{whole} but {}", list(missing));
        }
    }
    list(shown)
}

/// The smallest prefix holding every address of `ranges`, and its length.
fn hull(family: Family, ranges: &Ranges) -> Option<(Ranges, u32)> {
    let (lo, hi) = (ranges.spans().first()?.0, ranges.spans().last()?.1);
    let width: u32 = if family == Family::V4 { 32 } else { 128 };
    let differing = 128 - (lo ^ hi).leading_zeros();
    let len = width.saturating_sub(differing);
    let host = if differing >= 128 { u128::MAX } else { (1u128 << differing) - 1 };
    Some((Ranges::span(lo & !host, (lo & !host) | host), len))
}

/// The fewest prefixes that hold exactly `ranges`, as text.
fn prefixes(family: Family, ranges: &Ranges) -> Vec<String> {
    let width: u32 = if family == Family::V4 { 32 } else { 128 };
    let mut out = Vec::new();
    for &(lo, hi) in ranges.spans() {
        let mut start = lo;
        loop {
            // The longest prefix starting at `start` that ends by `hi`.
            let mut len = width.saturating_sub(start.trailing_zeros().min(width));
            while len < width && end_of(start, len, width) > hi {
                len += 1;
            }
            out.push(prefix_text(family, start, len, width));
            if out.len() > 64 {
                return out;
            }
            let end = end_of(start, len, width);
            match end.checked_add(1) {
                Some(next) if end < hi => start = next,
                _ => break,
            }
        }
    }
    out
}

fn end_of(start: u128, len: u32, width: u32) -> u128 {
    let host_bits = width - len;
    let host = if host_bits >= 128 { u128::MAX } else { (1u128 << host_bits) - 1 };
    start | host
}

fn prefix_text(family: Family, start: u128, len: u32, width: u32) -> String {
    let address = match family {
        Family::V4 => Ipv4Addr::from(u32::try_from(start).unwrap_or(u32::MAX)).to_string(),
        Family::V6 => Ipv6Addr::from(start).to_string(),
    };
    if len == width {
        address
    } else {
        format!("{address}/{len}")
    }
}

fn protocol_name(number: u128) -> String {
    match number {
        1 => "icmp".into(),
        2 => "igmp".into(),
        6 => "tcp".into(),
        17 => "udp".into(),
        33 => "dccp".into(),
        47 => "gre".into(),
        50 => "esp".into(),
        51 => "ah".into(),
        58 => "icmpv6".into(),
        132 => "sctp".into(),
        136 => "udplite".into(),
        n => format!("protocol {n}"),
    }
}

fn has_ports(protocol: u128) -> bool {
    matches!(protocol, 6 | 17 | 33 | 132 | 136)
}

fn service(protocols: &Ranges, ports: &Ranges) -> String {
    let all_protocols = Ranges::span(0, 255);
    let all_ports = Ranges::span(0, u128::from(u16::MAX));
    let port_text = || {
        let text = |r: &Ranges| {
            let spans: Vec<String> =
                r.spans().iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}-{b}") }).collect();
            list(spans).replace(", ", ",")
        };
        let missing = all_ports.minus(ports);
        if missing.spans().len() < ports.spans().len() {
            format!("* but {}", text(&missing))
        } else {
            text(ports)
        }
    };
    let any_port = ports.covers(&all_ports);
    if protocols.covers(&all_protocols) && any_port {
        return "any traffic".into();
    }
    if protocols.count() > 8 {
        let except: Vec<String> =
            all_protocols.minus(protocols).spans().iter().flat_map(|&(a, b)| a..=b).map(protocol_name).collect();
        let what =
            if except.is_empty() { "any protocol".to_string() } else { format!("any protocol but {}", list(except)) };
        return if any_port { what } else { format!("{what}, port {}", port_text()) };
    }
    let named: Vec<String> = protocols
        .spans()
        .iter()
        .flat_map(|&(a, b)| a..=b)
        .map(|p| match (has_ports(p), any_port) {
            (true, false) => format!("{}/{}", protocol_name(p), port_text()),
            _ => protocol_name(p),
        })
        .collect();
    named.join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::enforcement::drift::permits::addresses as parse;

    #[test]
    fn addresses_are_summarised_into_prefixes() {
        let v4 = |t: &str| parse(t, Family::V4).unwrap();
        assert_eq!(addresses(Family::V4, &v4("10.2.0.10")), "10.2.0.10");
        assert_eq!(addresses(Family::V4, &v4("10.2.0.0-10.2.0.255")), "10.2.0.0/24");
        assert_eq!(addresses(Family::V4, &v4("10.0.0.1-10.0.0.6")), "10.0.0.0/29 but 10.0.0.0, 10.0.0.7");
        assert_eq!(addresses(Family::V4, &v4("10.0.0.2-10.0.0.5")), "10.0.0.2/31, 10.0.0.4/31");
        assert_eq!(addresses(Family::V4, &v4("0.0.0.0/0")), "any");
        let all_but = Ranges::span(0, max_address(Family::V4)).minus(&v4("10.1.1.1"));
        assert_eq!(addresses(Family::V4, &all_but), "any but 10.1.1.1");
        let subnet_but = v4("10.1.0.0/24").minus(&v4("10.1.0.10-10.1.0.11"));
        assert_eq!(addresses(Family::V4, &subnet_but), "10.1.0.0/24 but 10.1.0.10/31");
        assert_eq!(addresses(Family::V6, &parse("fd00::/64", Family::V6).unwrap()), "fd00::/64");
        assert_eq!(addresses(Family::V6, &Ranges::span(0, u128::MAX)), "any");
    }

    #[test]
    fn services_read_like_rules() {
        let all = Ranges::span(0, 65535);
        assert_eq!(service(&Ranges::point(6), &Ranges::point(23)), "tcp/23");
        assert_eq!(
            service(&Ranges::from_spans([(6, 6), (17, 17)]), &Ranges::from_spans([(53, 53), (100, 200)])),
            "tcp/53,100-200, udp/53,100-200"
        );
        assert_eq!(service(&Ranges::point(1), &all), "icmp");
        assert_eq!(
            service(&Ranges::point(17), &all.minus(&Ranges::from_spans([(53, 53), (5000, 5010)]))),
            "udp/* but 53,5000-5010"
        );
        assert_eq!(service(&Ranges::point(6), &all), "tcp");
        assert_eq!(service(&Ranges::span(0, 255), &all), "any traffic");
        assert_eq!(service(&Ranges::span(0, 255).minus(&Ranges::point(6)), &all), "any protocol but tcp");
    }
}
