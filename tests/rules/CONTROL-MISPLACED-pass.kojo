plant "T" { profile meti-factory }

zone office { subnet 10.1.0.0/24 }

// A zone carries its own measures and its assets' (in force for each).
zone floor {
  subnet 10.2.0.0/24
  vlan 20
  controls [segmentation-vlan, ups, offline-backup]
}

// A firewall carries the measures of the conduits it enforces.
asset fw "FW" {
  kind firewall
  interfaces { office 10.1.0.1; floor 10.2.0.1 }
  controls [device-logs, patching]
}
asset scada "SCADA" in office { kind scada; ip 10.1.0.5 }
asset plc "PLC" in floor { kind plc; ip 10.2.0.5 }

conduit office_to_floor from office to floor {
  allow scada -> plc service modbus-tcp
  controls [ids]
  enforced-by fw
}
