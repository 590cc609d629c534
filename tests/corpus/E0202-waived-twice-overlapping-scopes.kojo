// expect: KOJO-E0202
// expect: KOJO-E0202
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset plc1 "PLC 1" in a { kind plc; ip 10.0.0.11 }
asset plc2 "PLC 2" in a { kind plc; ip 10.0.0.12 }
waive [DEV-UPS, NW-PASSWORD-POLICY] on zone a and its assets {
  reason "UPS and accounts arrive with the line upgrade"
  until 2027-03-31
}
// plc2 is in zone `a`: its DEV-UPS is already waived above.
waive DEV-UPS on asset [plc2] {
  reason "longer"
  until 2099-12-31
}
// A plant waiver covers every entity: it overlaps the zone's waiver.
waive NW-PASSWORD-POLICY on plant T {
  reason "plant-wide"
  until 2027-03-31
}
