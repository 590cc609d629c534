// Capabilities, written loosely.
asset plc1 "PLC" in control { kind plc; capabilities [on-premises,user-accounts]; ip 10.3.0.10 }
asset cnc1 in control {kind equipment
  capabilities [on-premises]   // the NC has no user accounts
}
asset bare in control { kind server; capabilities [] }
