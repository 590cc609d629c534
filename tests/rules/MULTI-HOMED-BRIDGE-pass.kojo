plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone oa2 "Office annex" { subnet 10.3.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}

// An enforcing device is meant to sit in several zones.
asset fw "FW" {
  kind firewall
  interfaces { oa 10.1.0.1; control 10.2.0.1 }
}

// Two zones of the same trust and tier: no boundary to bridge.
asset nas "File server" in oa {
  kind server
  ip 10.1.0.10
  interfaces { oa2 10.3.0.10 }
}

asset ews "Engineering workstation" in control {
  kind engineering-workstation
  ip 10.2.0.30
}
