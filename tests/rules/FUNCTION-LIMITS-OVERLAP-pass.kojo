plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { oa 10.1.0.1; control 10.2.0.1 }
}

asset pc "Office PC" in oa {
  kind workstation
  ip 10.1.0.5
}

asset eng "Engineering PC" in oa {
  kind engineering-workstation
  ip 10.1.0.20
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// Named sources that do not overlap; the same limit twice; another port.
conduit oa_to_control "Office to the line" from oa to control {
  allow pc -> plc service modbus-tcp { functions [read] }
  allow eng -> plc service modbus-tcp
  allow any -> plc service dnp3 { functions [read] }
  allow [pc, eng] -> plc service dnp3 { functions [read] }
  allow any -> plc service https
  enforced-by fw
}
