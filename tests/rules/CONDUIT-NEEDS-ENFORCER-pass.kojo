plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone oa "Office" { subnet 10.1.0.0/24 }
zone lab "Lab" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; oa 10.1.0.1 }
}

asset pc "PC" in oa {
  kind workstation
  ip 10.1.0.5
}

asset lab_pc "Lab PC" in lab {
  kind workstation
  ip 10.2.0.5
}

conduit oa_to_internet "Office web access" from oa to internet {
  allow pc -> any service https
  enforced-by fw
}

// Same trust, same tier: not a boundary, so no enforcer is required.
conduit oa_to_lab "Office to lab" from oa to lab {
  allow pc -> lab_pc service ssh
}
