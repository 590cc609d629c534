// expect: KOJO-E0202
plant "T" { profile meti-factory }
attest E-1-1 level 3 { owner "Plant manager" }
attest E-1-1 level 1 { owner "Plant manager" }
