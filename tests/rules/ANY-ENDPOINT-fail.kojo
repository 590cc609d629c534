plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}

asset fw "FW" {
  kind firewall
  interfaces { oa 10.1.0.1; control 10.2.0.1 }
}

asset mes "MES" in oa {
  kind server
  ip 10.1.0.5
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// Every office host may reach the PLC, and the MES every host on the line.
conduit oa_to_control "Office to the line" from oa to control {
  allow any -> plc service modbus-tcp { functions [read] }
  allow mes -> any service opc-ua
  enforced-by fw
}
