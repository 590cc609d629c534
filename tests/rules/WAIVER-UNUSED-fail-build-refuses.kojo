plant "T" { profile meti-factory }

zone office { subnet 10.1.0.0/24 }
zone floor { subnet 10.2.0.0/24 }

asset fw { kind firewall; interfaces { office 10.1.0.1; floor 10.2.0.1 } }
asset scada in office { kind scada; ip 10.1.0.5 }
asset plc in floor { kind plc; ip 10.2.0.5 }

conduit office_to_floor from office to floor {
  allow scada -> plc service s7comm { functions [read-var] }
  enforced-by fw
}

// The build refuses the flow whatever a waiver says, so the waiver hides
// nothing and the finding stays.
waive FUNCTIONS-NOT-INSPECTABLE on conduit office_to_floor {
  reason "the PLC's own protection level keeps writes out"
  until 2099-01-01
}
