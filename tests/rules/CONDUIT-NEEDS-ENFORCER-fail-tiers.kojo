plant "T" { profile meti-factory }

// Two internal zones of different tiers: a boundary even inside the plant.
zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}

asset mes "MES" in oa {
  kind server
  ip 10.1.0.5
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.5
}

conduit oa_to_control "MES to the line" from oa to control {
  allow mes -> plc service modbus-tcp { functions [read] }
}
