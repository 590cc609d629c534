plant "T" { profile meti-factory }

zone floor "Floor" {
  subnet 10.2.0.0/24
  vlan 20
  tier medium
}

// Every declared port is unused and locked: no media goes into this PLC,
// so the used-ports row has nothing to judge.
asset plc "PLC" in floor {
  kind plc
  ip 10.2.0.5
  ports { usb locked; ethernet-spare locked }
}
