// expect: KOJO-E0317
plant "T" { profile meti-factory }
attest E-1-1 level 7 { owner "Plant manager" }
