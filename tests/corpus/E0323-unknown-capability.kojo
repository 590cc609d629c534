// expect: KOJO-E0323
// expect: KOJO-E0323
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset plc1 "PLC" in a { kind plc; ip 10.0.0.10; capabilities [user-acounts, on-premises] }
asset nc1 "NC" in a { kind equipment; ip 10.0.0.11; capabilities [firmware] }
