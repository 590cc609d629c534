// expect: KOJO-E0001
plant "T" { profile meti-factory }
zone control "Control" { subnet 10.0.0.0/24 }
// "and its assets" is the form that includes the zone's assets.
waive DEV-UPS on zone control and assets {
  reason "UPS arrives with the line upgrade"
  until 2027-03-31
}
