// expect: KOJO-E0001
// expect: KOJO-E0001
plant "T" { profile meti-factory }
zone a "A" { vlan }
zone b "B"
asset x "X" in b { kind }
