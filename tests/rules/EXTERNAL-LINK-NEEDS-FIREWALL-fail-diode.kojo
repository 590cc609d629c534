plant "T" { profile meti-factory }

zone cloud "Cloud service" : external
zone oa "Office" { subnet 10.1.0.0/24 }

asset diode1 "Data diode" {
  kind diode
  interfaces { oa 10.1.0.2; cloud 198.51.100.2 }
}

asset pc "PC" in oa {
  kind workstation
  ip 10.1.0.5
}

asset portal "Cloud portal" in cloud {
  kind cloud-service
  ip 198.51.100.10
}

// A diode on a two-way conduit: the replies https needs cannot come back.
conduit oa_to_cloud "Office to the cloud portal" from oa to cloud {
  allow pc -> portal service https
  enforced-by diode1
}
