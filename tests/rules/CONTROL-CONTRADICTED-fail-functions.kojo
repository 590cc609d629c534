plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }
zone floor "Floor" { subnet 10.2.0.0/24 }

asset fw "FW" {
  kind firewall
  interfaces { office 10.1.0.1; floor 10.2.0.1 }
}

asset scada "SCADA" in office {
  kind scada
  ip 10.1.0.5
}

asset plc "PLC" in floor {
  kind plc
  ip 10.2.0.5
}

// Claims function restriction, but the Modbus flow allows every function.
conduit office_to_floor "Office to floor" from office to floor {
  allow scada -> plc service modbus-tcp
  controls [function-restriction]
  enforced-by fw
}
