plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }
zone floor "Floor" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { office 10.1.0.1; floor 10.2.0.1 }
}

asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
}

asset plc "PLC" in floor {
  kind plc
  ip 10.2.0.5
  ports { usb sealed; ethernet-spare sealed }
  controls [hard-lockout]
}

conduit office_to_floor "Office to floor" from office to floor {
  allow pc -> plc service modbus-tcp { functions [read] }
  controls [firewall, protocol-allowlist, function-restriction, time-window]
  enforced-by fw
  window "Mon-Fri 09:00-17:00 Asia/Tokyo"
}
