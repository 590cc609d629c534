// expect: KOJO-E0311
plant "T" { profile meti-factory }
zone a "A" { tier hihg }
