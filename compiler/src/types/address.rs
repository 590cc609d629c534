//! IP addresses, subnets (CIDR) and VLAN IDs.

use std::net::IpAddr;

use ipnet::IpNet;

use super::Invalid;

pub fn parse_address(text: &str) -> Result<IpAddr, Invalid> {
    if text.contains('/') {
        return Err(Invalid::new(
            format!("`{text}` is a subnet, not a single address"),
            "write the host address without a prefix length, e.g. `10.10.0.5`",
        ));
    }
    text.parse::<IpAddr>().map_err(|_| {
        Invalid::new(
            format!("`{text}` is not a valid IPv4 or IPv6 address"),
            "write an IPv4 address like `10.10.0.5` or an IPv6 address like `fd00:10::5`",
        )
    })
}

pub fn parse_subnet(text: &str) -> Result<IpNet, Invalid> {
    let Some((addr, prefix)) = text.split_once('/') else {
        return Err(Invalid::new(
            format!("`{text}` has no prefix length"),
            format!("write the subnet in CIDR form, e.g. `{text}/24`"),
        ));
    };
    let address: IpAddr = addr.parse().map_err(|_| {
        Invalid::new(
            format!("`{addr}` in `{text}` is not a valid IPv4 or IPv6 address"),
            "write the subnet in CIDR form, e.g. `10.10.0.0/24` or `fd00:10::/64`",
        )
    })?;
    let max = if address.is_ipv4() { 32 } else { 128 };
    let prefix: u8 = match prefix.parse::<u8>() {
        Ok(p) if p <= max => p,
        _ => {
            return Err(Invalid::new(
                format!("`/{prefix}` is not a valid prefix length for `{addr}`"),
                format!("the prefix length must be a number from 0 to {max}"),
            ))
        }
    };
    let net = IpNet::new(address, prefix)
        .map_err(|_| Invalid::new(format!("`{text}` is not a valid subnet"), "write the subnet in CIDR form"))?;
    if net.network() != address {
        return Err(Invalid::new(
            format!("`{text}` has host bits set"),
            format!("did you mean `{}`? A subnet is written with its network address", net.trunc()),
        ));
    }
    Ok(net)
}

pub fn parse_vlan(text: &str) -> Result<u16, Invalid> {
    match text.parse::<u16>() {
        Ok(id @ 1..=4094) => Ok(id),
        _ => Err(Invalid::new(
            format!("`{text}` is not a valid VLAN ID"),
            "VLAN IDs run from 1 to 4094 (0 and 4095 are reserved by IEEE 802.1Q)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(parse_address("10.0.0.1").is_ok());
        assert!(parse_address("fd00::1").is_ok());
        assert!(parse_address("10.0.0.256").is_err());
        assert!(parse_address("10.0.0.0/24").is_err());
        assert!(parse_address("plc").is_err());
    }

    #[test]
    fn subnets() {
        assert!(parse_subnet("10.0.0.0/24").is_ok());
        assert!(parse_subnet("fd00:10::/64").is_ok());
        let host_bits = parse_subnet("10.0.0.5/24").unwrap_err();
        assert!(host_bits.help.contains("10.0.0.0/24"), "{host_bits:?}");
        assert!(parse_subnet("10.0.0.0/33").is_err());
        assert!(parse_subnet("10.0.0.0").is_err());
        assert!(parse_subnet("10.0.0.0/x").is_err());
    }

    #[test]
    fn vlans() {
        assert_eq!(parse_vlan("1"), Ok(1));
        assert_eq!(parse_vlan("4094"), Ok(4094));
        assert!(parse_vlan("0").is_err());
        assert!(parse_vlan("4095").is_err());
        assert!(parse_vlan("99999999999999999999").is_err());
    }
}
