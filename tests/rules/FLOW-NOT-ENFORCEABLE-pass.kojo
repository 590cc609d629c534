plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" { subnet 10.2.0.0/24 }
zone internet "Internet" : untrusted

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; oa 10.1.0.1; control 10.2.0.1 }
}

asset pc "Office PC" in oa {
  kind workstation
  ip 10.1.0.5
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// Every end has an address; `any` outside the plant needs no subnet; a
// conduit nobody enforces is another rule's matter.
conduit oa_to_control "Office to the line" from oa to control {
  allow pc -> plc service modbus-tcp
  enforced-by fw
}

conduit oa_to_internet "Office to the internet" from oa to internet {
  allow pc -> any service https
  enforced-by fw
}
