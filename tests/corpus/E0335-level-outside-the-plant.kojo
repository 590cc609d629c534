// expect: KOJO-E0335
plant "T" { profile meti-factory }

zone internet "Internet" : untrusted {
  level 4
}
