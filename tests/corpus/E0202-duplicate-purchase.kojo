// expect: KOJO-E0202
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
asset plc1 "PLC 1" in a { kind plc; ip 10.0.0.11 }
asset hmi1 "HMI 1" in a { kind hmi; ip 10.0.0.31 }
// A purchase may share a name with an asset or a zone, not with another purchase.
purchase plc1 "PLC replacement" { assets [plc1] }
purchase line1 "Line 1 upgrade" { assets [plc1, hmi1] }
purchase line1 "Line 1 HMI" { assets [hmi1] }
