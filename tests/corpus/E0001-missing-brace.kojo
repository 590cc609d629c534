// expect: KOJO-E0001
plant "T" { profile meti-factory }
zone a "A" {
  vlan 10

asset x "X" in a { kind plc }
