plant "T" { profile meti-factory }

zone floor "Floor" {
  subnet 10.2.0.0/24
  vlan 20
  tier high
}

// ＋多要素認証 adds to individual IDs: MFA alone does not meet the medium
// tier's requirement.
asset hmi "HMI" in floor {
  kind hmi
  ip 10.2.0.5
  controls [mfa]
}
