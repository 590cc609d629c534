// expect: KOJO-E0310
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
asset fw "FW" { kind firewall; interfaces { a 10.0.0.1; b 10.0.1.1 } }
conduit c "C" from a to b {
  enforced-by fw
  window "weekdays 9-5"
}
