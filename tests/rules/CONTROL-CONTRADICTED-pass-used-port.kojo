plant "T" { profile meti-factory }

zone office "Office" {
  subnet 10.1.0.0/24
  vlan 10
  controls [segmentation-vlan]
}

// The USB port is in use (利用ポート), so it says nothing about unused
// ports: the caps on the spare Ethernet port and the claim stand.
asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
  ports { usb used; ethernet-spare sealed }
  controls [port-caps, soft-lockout, hard-lockout]
}

// Only used ports: the claim is not contradicted either.
asset hmi "HMI" in office {
  kind hmi
  ip 10.1.0.6
  ports { usb used }
  controls [port-caps]
}
