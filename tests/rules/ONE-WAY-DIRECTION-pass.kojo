plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}
zone line2 "Line 2" {
  subnet 10.3.0.0/24
  tier high
}

asset diode1 "Data diode" {
  kind diode
  interfaces { oa 10.1.0.2; control 10.2.0.2 }
}

asset gw "Unidirectional gateway" {
  kind gateway
  interfaces { control 10.2.0.3; line2 10.3.0.3 }
}

asset hist "Historian" in control {
  kind historian
  ip 10.2.0.50
}

asset hist2 "Line 2 historian" in line2 {
  kind historian
  ip 10.3.0.50
}

asset mirror "Historian mirror" in oa {
  kind historian
  ip 10.1.0.50
}

// From the protected side out, through a diode.
conduit control_to_oa "Historian export" from control to oa {
  allow hist -> mirror port udp/7000
  one-way
  enforced-by diode1
}

// Between zones of equal tier the direction is free.
conduit line2_to_control "Line 2 to line 1" from line2 to control {
  allow hist2 -> hist port udp/7001
  one-way
  enforced-by gw
}
