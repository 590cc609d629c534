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

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// Modbus functions are inspectable; S7comm without a limit promises
// nothing a gateway must keep.
conduit oa_to_control "Office to the line" from oa to control {
  allow pc -> plc service modbus-tcp { functions [read] }
  allow pc -> plc service s7comm
  enforced-by fw
}
