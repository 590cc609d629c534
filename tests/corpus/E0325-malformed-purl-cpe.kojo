// expect: KOJO-E0325
// expect: KOJO-E0325
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset srv1 "Server" in a {
  kind server
  ip 10.0.0.10
  component "Recipe tool" { purl "generic/example/recipe-tool@2.1" }
  component "Windows 10" { kind operating-system; cpe "cpe:/o:microsoft:windows_10:21h2" }
}
