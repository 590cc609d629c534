// expect: KOJO-E0303
plant "T" { profile meti-factory }
zone a "A" { vlan 4095 }
