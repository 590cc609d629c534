// expect: KOJO-E0306
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
asset fw "FW" { kind firewall; interfaces { a 10.0.0.1; b 10.0.9.1 } }
