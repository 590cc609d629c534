plant "T" { profile meti-factory }

zone floor "Floor" {
  subnet 10.2.0.0/24
  vlan 20
  tier medium
}

// A USB port in use: brought-in media must be inspected.
asset hmi "HMI" in floor {
  kind hmi
  ip 10.2.0.5
  ports { usb used; ethernet-spare locked }
}
