// expect: KOJO-E0206
// expect: KOJO-E0206
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset plc1 "PLC 1" in a { kind plc; ip 10.0.0.11 }
purchase line1 "Line 1 upgrade" { supplier "Example Integration Co." }
purchase line2 "Line 2 upgrade" { assets [] }
