plant "T" { profile meti-factory }

zone transport "Automated transport" {
  subnet 10.5.0.0/24
  controls [wireless-allowlist]
}
zone warehouse "Warehouse" { subnet 10.6.0.0/24 }
zone office "Office" { subnet 10.1.0.0/24 }

asset ap "Wireless LAN access point" in transport {
  kind access-point
  ip 10.5.0.5
}

// The access point itself admits only registered terminals.
asset ap2 "Warehouse access point" in warehouse {
  kind access-point
  ip 10.6.0.5
  controls [wireless-allowlist]
}

// No wireless device, no requirement.
asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
}
