// expect: KOJO-E0302
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.5/24 }
