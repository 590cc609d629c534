// expect: KOJO-E0201
// expect: KOJO-E0301
// expect: KOJO-E0303
// expect: KOJO-E0308
// expect: KOJO-E0315
plant "T" { profile meti-factory }
zone a "A" {
  subnet 10.0.0.0/24
  vlan 0
}
asset x "X" in a { kind plcc; ip 10.0.0.999 }
asset y "Y" in b { kind plc; services [modbus] }
