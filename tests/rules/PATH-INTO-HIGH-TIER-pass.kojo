plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone oa "Office" { subnet 10.1.0.0/24 }
zone prod_mgmt "Production management" {
  subnet 10.2.0.0/24
  tier medium
}
zone control "Control" {
  subnet 10.3.0.0/24
  tier high
}

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; oa 10.1.0.1; prod_mgmt 10.2.0.1; control 10.3.0.1 }
}

asset web "Web server" in oa {
  kind server
  ip 10.1.0.10
}

asset pc "Office PC" in oa {
  kind workstation
  ip 10.1.0.20
}

asset mes "MES" in prod_mgmt {
  kind server
  ip 10.2.0.10
}

asset plc "PLC" in control {
  kind plc
  ip 10.3.0.10
}

conduit internet_to_oa "Web server" from internet to oa {
  allow any -> web service https
  controls [mfa]
  enforced-by fw
}

// The IT/OT boundary carries the IPS: every path from the internet passes it.
conduit oa_to_prod_mgmt "Office to the MES" from oa to prod_mgmt {
  allow pc -> mes service https
  controls [ips]
  enforced-by fw
}

conduit prod_mgmt_to_control "MES to the line" from prod_mgmt to control {
  allow mes -> plc service modbus-tcp { functions [read] }
  enforced-by fw
}

// Data leaving the high zone does not open a path into it.
conduit control_to_internet "Telemetry out" from control to internet {
  allow plc -> any service https
  controls [ips]
  enforced-by fw
}
