// expect: KOJO-E0326
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset srv1 "Server" in a {
  kind server
  ip 10.0.0.10
  component "Recipe tool" { version "2.1" }
  component "Recipe tool" { version "2.2" }
  component "Recipe tool" { version "2.1"; vendor "Example" }
}
