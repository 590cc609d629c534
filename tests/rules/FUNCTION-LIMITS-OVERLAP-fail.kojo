plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { oa 10.1.0.1; control 10.2.0.1 }
}

asset eng "Engineering PC" in oa {
  kind engineering-workstation
  ip 10.1.0.20
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// `any` in the office includes the engineering PC: its unlimited Modbus
// flow and the read-only one can carry the same connection.
conduit oa_to_control "Office to the line" from oa to control {
  allow any -> plc service modbus-tcp { functions [read] }
  allow eng -> plc service modbus-tcp
  enforced-by fw
}
