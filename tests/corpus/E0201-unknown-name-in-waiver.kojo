// expect: KOJO-E0201
// expect: KOJO-E0201
plant "T" { profile meti-factory }
zone control "Control" { subnet 10.0.0.0/24 }
asset plc1 "PLC 1" in control { kind plc; ip 10.0.0.11 }
asset hmi1 "HMI 1" in control { kind hmi; ip 10.0.0.21 }
waive DEV-UPS on asset [plc1, hmi2] {
  reason "UPS arrives with the line upgrade"
  until 2027-03-31
}
waive DEV-UPS on assets in zone contrl {
  reason "misspelt zone"
  until 2027-03-31
}
