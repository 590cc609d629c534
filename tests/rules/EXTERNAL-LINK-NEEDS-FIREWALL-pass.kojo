plant "T" { profile meti-factory }

zone internet "Internet" : untrusted
zone cloud "Cloud service" : external
zone oa "Office" { subnet 10.1.0.0/24 }
zone lab "Lab" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; oa 10.1.0.1 }
}

asset diode1 "Data diode" {
  kind diode
  interfaces { oa 10.1.0.2; cloud 198.51.100.2 }
}

asset r1 "Lab router" {
  kind router
  interfaces { oa 10.1.0.3; lab 10.2.0.1 }
}

asset pc "PC" in oa {
  kind workstation
  ip 10.1.0.5
}

asset hist "Historian mirror" in oa {
  kind historian
  ip 10.1.0.6
}

asset lab_pc "Lab PC" in lab {
  kind workstation
  ip 10.2.0.5
}

asset portal "Cloud portal" in cloud {
  kind cloud-service
  ip 198.51.100.10
}

conduit oa_to_internet "Office web access" from oa to internet {
  allow pc -> any service https
  enforced-by fw
}

// A diode may export to the outside over a one-way conduit.
conduit oa_to_cloud "Historian export" from oa to cloud {
  allow hist -> portal port udp/7000
  one-way
  enforced-by diode1
}

// Inside the plant a router may enforce a conduit.
conduit oa_to_lab "Office to lab" from oa to lab {
  allow pc -> lab_pc service ssh
  enforced-by r1
}
