// expect: KOJO-E0307
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/16 }
zone b "B" { subnet 10.0.1.0/24 }
