// expect: KOJO-E0201
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
asset fw "FW" { kind firewall; interfaces { a 10.0.0.1; b 10.0.1.1 } }
asset x "X" in fw { kind plc }
