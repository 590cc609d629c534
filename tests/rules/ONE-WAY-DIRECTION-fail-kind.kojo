plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}

asset fw "FW" {
  kind firewall
  interfaces { oa 10.1.0.1; control 10.2.0.1 }
}

asset hist "Historian" in control {
  kind historian
  ip 10.2.0.50
}

asset mirror "Historian mirror" in oa {
  kind historian
  ip 10.1.0.50
}

// The right direction, but a firewall cannot make a path one-way.
conduit control_to_oa "Historian export" from control to oa {
  allow hist -> mirror port udp/7000
  one-way
  enforced-by fw
}
