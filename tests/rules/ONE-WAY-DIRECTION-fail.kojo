plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}

asset diode1 "Data diode" {
  kind diode
  interfaces { oa 10.1.0.2; control 10.2.0.2 }
}

asset files "File server" in oa {
  kind server
  ip 10.1.0.10
}

asset ews "Engineering workstation" in control {
  kind engineering-workstation
  ip 10.2.0.30
}

// The diode points into the protected zone.
conduit oa_to_control "Files to the line" from oa to control {
  allow files -> ews port udp/7000
  one-way
  enforced-by diode1
}
