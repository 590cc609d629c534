plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }
zone floor "Floor" { subnet 10.2.0.0/24 }

asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
}

asset plc "PLC" in floor {
  kind plc
  ip 10.2.0.5
  ports { usb open; ethernet-spare capped }
  controls [hard-lockout]
}

// Claims a firewall with no device to enforce it, message-type restriction
// over raw ports, and a time window without `window`.
conduit office_to_floor "Office to floor" from office to floor {
  allow pc -> plc port tcp/502
  controls [firewall, protocol-allowlist, time-window]
}
