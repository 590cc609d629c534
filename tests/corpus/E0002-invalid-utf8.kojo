// expect: KOJO-E0002
plant "T" { name "Kanto ÿþ" }
