// expect: KOJO-E0004
plant "T" { profile meti-factory }
zone a "Control zone
zone b "B"
