plant "T" { profile meti-factory }

zone office "Office" {
  subnet 10.1.0.0/24
  tier minimum
}

// The only declared port is in use (利用ポート): the unused-ports row has
// nothing to judge on this asset.
asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
  ports { usb used }
}
