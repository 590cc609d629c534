// expect: KOJO-E0205
plant "T" { profile meti-factory }
zone a "A" {
  vlan 10
  vlan 11
}
