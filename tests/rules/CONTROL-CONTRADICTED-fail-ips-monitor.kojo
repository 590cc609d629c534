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

// Claims an IPS, but the gateway only watches the read-only flow: a write
// would raise an alert and reach the PLC.
conduit office_to_floor "Office to floor" from office to floor {
  allow scada -> plc service modbus-tcp { functions [read] }
  controls [function-restriction, ips]
  enforced-by fw
  inspection monitor
}
