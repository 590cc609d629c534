plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone lab "Lab" { subnet 10.3.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}

asset fw "FW" {
  kind firewall
  interfaces { oa 10.1.0.1; control 10.2.0.1; lab 10.3.0.1 }
}

asset pc "Office PC" in oa {
  kind workstation
  ip 10.1.0.5
}

asset lab_pc "Lab PC" in lab {
  kind workstation
  ip 10.3.0.5
}

asset hmi "HMI" in control {
  kind hmi
  ip 10.2.0.11
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// Across the boundary: secure and industrial protocols only.
conduit oa_to_control "Office to the line" from oa to control {
  allow pc -> hmi service [ssh, https]
  allow pc -> plc service modbus-tcp { functions [read] }
  enforced-by fw
}

// Telnet between zones of the same trust and tier is not this rule's concern.
conduit oa_to_lab "Office to lab" from oa to lab {
  allow pc -> lab_pc service telnet
  enforced-by fw
}
