// expect: KOJO-E0104
plant "T" { profile meti-factroy }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
