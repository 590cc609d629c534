// expect: KOJO-E0001
plant "T" { profile meti-factory }
zone control "Control" { subnet 10.0.0.0/24 }
waive [] on zone control {
  reason "no rule"
  until 2027-03-31
}
