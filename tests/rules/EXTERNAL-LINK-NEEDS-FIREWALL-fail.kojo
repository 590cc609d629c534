plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone oa "Office" { subnet 10.1.0.0/24 }

asset r1 "Broadband router" {
  kind router
  interfaces { internet 203.0.113.1; oa 10.1.0.1 }
}

asset pc "PC" in oa {
  kind workstation
  ip 10.1.0.5
}

// A router's access list is the only thing between the office and the internet.
conduit oa_to_internet "Office web access" from oa to internet {
  allow pc -> any service https
  enforced-by r1
}
