// expect: KOJO-E0324
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset hmi1 "HMI" in a { kind hmi; ip 10.0.0.10; component "Windows Embedded" { kind operating_system } }
