// expect: KOJO-E0316
// expect: KOJO-E0316
plant "T" { profile meti-factory }
zone a "A" { subnet 10.0.0.0/24 }
zone b "B" { subnet 10.0.1.0/24 }
asset x "X" in a { kind plc; ports { usb glued; firewire capped } }
