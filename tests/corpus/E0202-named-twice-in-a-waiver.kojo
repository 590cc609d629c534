// expect: KOJO-E0202
// expect: KOJO-E0202
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset plc1 "PLC 1" in a { kind plc; ip 10.0.0.11 }
waive [DEV-UPS, DEV-UPS] on asset [plc1, plc1] {
  reason "UPS arrives with the line upgrade"
  until 2027-03-31
}
