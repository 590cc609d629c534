// expect: KOJO-E0207
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
asset fw "FW" { kind firewall; interfaces { a 10.0.0.1; b 10.0.1.1 } }
asset s "S" in a { kind server; ip 10.0.0.5 }
asset p "P" in b { kind plc; ip 10.0.1.5 }
conduit c "C" from a to b {
  allow p -> s service modbus-tcp
  enforced-by fw
}
