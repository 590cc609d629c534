plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone oa "Office" { subnet 10.1.0.0/24 }

asset pc "PC" in oa {
  kind workstation
  ip 10.1.0.5
}

// Nothing stands between the office and the internet.
conduit oa_to_internet "Office web access" from oa to internet {
  allow pc -> any service https
}
