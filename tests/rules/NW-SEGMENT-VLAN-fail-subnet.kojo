plant "T" { profile meti-factory }

// A zone at tier medium with a subnet but no VLAN: a subnet is an address
// range, not a logical domain.
zone floor "Floor" {
  subnet 10.2.0.0/24
  tier medium
}
