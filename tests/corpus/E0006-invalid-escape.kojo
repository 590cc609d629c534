// expect: KOJO-E0006
plant "T" { profile meti-factory }
zone a "C:\plant\zone" { vlan 10 }
