plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}

// A second network card puts the engineering PC on the office network too.
asset ews "Engineering workstation" in control {
  kind engineering-workstation
  ip 10.2.0.30
  interfaces { oa 10.1.0.30 }
}
