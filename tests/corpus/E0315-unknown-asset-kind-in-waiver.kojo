// expect: KOJO-E0315
plant "T" { profile meti-factory }
zone control "Control" { subnet 10.0.0.0/24 }
asset plc1 "PLC 1" in control { kind plc; ip 10.0.0.11 }
waive DEV-UPS on assets of kind plcs in zone control {
  reason "UPS arrives with the line upgrade"
  until 2027-03-31
}
