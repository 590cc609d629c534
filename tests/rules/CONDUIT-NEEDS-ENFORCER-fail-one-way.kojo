plant "T" { profile meti-factory }

// Same trust and tier, but `one-way` is a property only a device can give.
zone line1 "Line 1" { subnet 10.1.0.0/24 }
zone line2 "Line 2" { subnet 10.2.0.0/24 }

asset hist1 "Historian 1" in line1 {
  kind historian
  ip 10.1.0.5
}

asset hist2 "Historian 2" in line2 {
  kind historian
  ip 10.2.0.5
}

conduit mirror "Historian mirror" from line1 to line2 {
  allow hist1 -> hist2 port udp/7000
  one-way
}
