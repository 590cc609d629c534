zone control "Control" {
  controls [firewall, protocol-allowlist, ids, individual-id, log-forwarding, patching, backup, anti-malware, physical-access]
  controls [firewall, ids]
}
asset eng "Engineering workstation" in control {
  services [https, ssh, rdp, modbus-tcp, s7comm, ethernet-ip, dnp3, opc-ua, bacnet, profinet, iec-104]
  ports { usb locked; ethernet-spare capped; serial-console locked; sd-card locked; bluetooth disabled; wifi disabled }
  impact { safety high; continuity high; quality high; delivery mid; cost low }
  interfaces { control 10.20.0.50; prod_mgmt 10.10.0.50; maintenance 10.99.0.50; management 10.250.0.50 }
}
conduit wide from prod_mgmt to control {
  allow [mes, historian, scada1, scada2, eng1, eng2] -> [plc1, plc2, plc3, plc4, plc5, plc6, plc7] service [modbus-tcp, s7comm] { functions [read, write] }
  allow [mes, historian, scada1, scada2, eng1, eng2] -> plc1 service modbus-tcp { functions [read, write, diagnostics, program-upload, program-download, firmware-update] }
  allow mes -> plc1 port [tcp/502, tcp/102, udp/161-162, tcp/44818, udp/2222, tcp/20000, tcp/4840, udp/47808]
}
operation production "Production" {
  zones [control, prod_mgmt, dmz, maintenance, engineering, quality-lab, warehouse, shipping]
  zones []
}
