plant "T" { profile meti-factory }

zone office "Office" {
  subnet 10.1.0.0/24
  tier minimum
}

// The USB port is used, but the spare Ethernet port is unused and open.
asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
  ports { usb used; ethernet-spare open }
}
