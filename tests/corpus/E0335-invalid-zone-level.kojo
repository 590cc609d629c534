// expect: KOJO-E0335
// expect: KOJO-E0335
// expect: KOJO-E0205
plant "T" { profile meti-factory }

zone cell "Cell controllers" {
  subnet 10.30.0.0/24
  level 7
  level fieldbus
  level 1
  level dmz
}
