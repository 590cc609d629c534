// expect: KOJO-E0322
// expect: KOJO-E0205
plant "T" { profile meti-factory }

zone office { subnet 10.1.0.0/24 }
zone floor { subnet 10.2.0.0/24 }

asset fw { kind firewall; interfaces { office 10.1.0.1; floor 10.2.0.1 } }
asset scada in office { kind scada; ip 10.1.0.5 }
asset plc in floor { kind plc; ip 10.2.0.5 }

conduit office_to_floor from office to floor {
  allow scada -> plc service modbus-tcp { functions [read] }
  enforced-by fw
  inspection alert-only
  inspection monitor
  inspection inline
}
