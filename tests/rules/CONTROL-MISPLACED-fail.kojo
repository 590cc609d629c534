plant "T" { profile meti-factory }

zone office { subnet 10.1.0.0/24 }
zone floor { subnet 10.2.0.0/24; vlan 20 }

asset fw "FW" { kind firewall; interfaces { office 10.1.0.1; floor 10.2.0.1 } }
asset scada "SCADA" in office { kind scada; ip 10.1.0.5 }

// A UPS protects devices, not a path; VLAN segmentation is a zone's.
asset plc "PLC" in floor {
  kind plc
  ip 10.2.0.5
  controls [segmentation-vlan]
}

conduit office_to_floor from office to floor {
  allow scada -> plc service modbus-tcp
  controls [ups]
  enforced-by fw
}
