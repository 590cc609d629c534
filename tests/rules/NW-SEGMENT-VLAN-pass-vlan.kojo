plant "T" { profile meti-factory }

// The zone's VLAN shows the logical domain.
zone floor "Floor" {
  subnet 10.2.0.0/24
  vlan 20
  tier medium
}
