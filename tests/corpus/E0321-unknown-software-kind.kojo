// expect: KOJO-E0321
// expect: KOJO-E0321
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset mes "MES" in a { kind server; ip 10.0.0.10; software [inhouse-program] }
asset line "Line PC" in a { kind workstation; ip 10.0.0.11; software [packaged-software, firmware] }
