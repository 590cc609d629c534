// expect: KOJO-E0206
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
asset x "X" { kind server }
