// expect: KOJO-E0202
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
zone a "Again" { subnet 10.0.2.0/24 }
