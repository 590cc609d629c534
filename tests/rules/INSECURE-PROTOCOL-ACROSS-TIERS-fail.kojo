plant "T" { profile meti-factory }

zone oa "Office" { subnet 10.1.0.0/24 }
zone control "Control" {
  subnet 10.2.0.0/24
  tier high
}

asset fw "FW" {
  kind firewall
  interfaces { oa 10.1.0.1; control 10.2.0.1 }
}

asset pc "Office PC" in oa {
  kind workstation
  ip 10.1.0.5
}

asset pc2 "Office PC 2" in oa {
  kind workstation
  ip 10.1.0.6
}

asset hmi "HMI" in control {
  kind hmi
  ip 10.2.0.11
}

asset plc "PLC" in control {
  kind plc
  ip 10.2.0.10
}

// Telnet (with a secure alternative) and VNC (without one) into the high
// zone; Modbus is industrial and left to the IDS/IPS requirements.
conduit oa_to_control "Office to the line" from oa to control {
  allow pc -> hmi service [telnet, vnc]
  allow pc2 -> hmi service telnet
  allow pc -> plc service modbus-tcp
  enforced-by fw
}
