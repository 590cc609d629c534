// expect: KOJO-E0005
plant "T" { profile meti-factory }
zone a "A" /* the control zone
