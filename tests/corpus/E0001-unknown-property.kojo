// expect: KOJO-E0001
plant "T" { profile meti-factory }
zone a "A" {
  subnett 10.0.0.0/24
}
