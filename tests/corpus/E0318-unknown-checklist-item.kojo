// expect: KOJO-E0318
plant "T" { profile meti-factory }
attest E-9-9 level 3 { owner "Plant manager" }
