// expect: KOJO-E0208
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
zone c "C" { subnet 10.0.2.0/24 }
asset fw "FW" { kind firewall; interfaces { a 10.0.0.1; c 10.0.2.1 } }
asset s "S" in a { kind server; ip 10.0.0.5 }
asset p "P" in b { kind plc; ip 10.0.1.5 }
conduit s_to_p "S to P" from a to b {
  allow s -> p service modbus-tcp
  enforced-by fw
}
