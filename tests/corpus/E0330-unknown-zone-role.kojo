// expect: KOJO-E0330
// expect: KOJO-E0205
plant "T" { profile meti-factory }

zone oa "OA zone" {
  subnet 10.10.0.0/24
  role offce
  role office
  role office
}
