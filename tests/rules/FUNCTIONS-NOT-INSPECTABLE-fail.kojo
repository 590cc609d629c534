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

asset pc2 "Office PC 2" in oa {
  kind workstation
  ip 10.1.0.6
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// No gateway can tell S7comm functions apart: both limits are empty
// promises, reported once for the conduit.
conduit oa_to_control "Office to the line" from oa to control {
  allow pc -> plc service s7comm { functions [read-var] }
  allow pc2 -> plc service s7comm { functions [read-var, upload] }
  enforced-by fw
}
