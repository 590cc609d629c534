// expect: KOJO-E0205
// expect: KOJO-E0205
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset plc1 "PLC 1" in a { kind plc; ip 10.0.0.11 }
asset hmi1 "HMI 1" in a { kind hmi; ip 10.0.0.31 }
// An asset listed twice is a warning (it is bought once); a second supplier, an error.
purchase line1 "Line 1 upgrade" {
  assets [plc1, hmi1, plc1]
  supplier "Example Integration Co."
  supplier "Another Co."
}
