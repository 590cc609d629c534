plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" { subnet 10.2.0.0/24 }
zone cell "Cell" { vlan 30 }

asset fw "FW" {
  kind firewall
  interfaces { oa 10.1.0.1; control 10.2.0.1; cell 10.3.0.1 }
}

// No address: the firewall has nothing to match.
asset pc "Office PC" in oa {
  kind workstation
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// Two flows from a host without an address (one finding, at the first),
// and the firewall's own management.
conduit oa_to_control "Office to the line" from oa to control {
  allow pc -> plc service modbus-tcp
  allow pc -> plc service s7comm
  allow pc -> fw service ssh
  enforced-by fw
}

// `any` in a zone without a subnet.
conduit control_to_cell "Line to the cell" from control to cell {
  allow plc -> any service modbus-tcp
  enforced-by fw
}
