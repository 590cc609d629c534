plant "T" { profile meti-factory }

// A subnet is an address range, not a logical domain: only a `vlan` shows
// segmentation by VLAN.
zone office "Office" {
  subnet 10.1.0.0/24
  controls [segmentation-vlan]
}
