plant "T" { profile meti-factory }

zone office "Office" {
  subnet 10.1.0.0/24
  tier minimum
}

// A sealed port is also capped: the unused-port states are cumulative.
asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
  ports { usb sealed }
}
