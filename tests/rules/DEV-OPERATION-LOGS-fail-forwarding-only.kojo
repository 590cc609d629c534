plant "T" { profile meti-factory }

zone floor "Floor" {
  subnet 10.2.0.0/24
  vlan 20
  tier medium
}

// 操作ログ取得・ログ連携 asks for both: forwarding logs alone is not enough.
asset hmi "HMI" in floor {
  kind hmi
  ip 10.2.0.5
  controls [log-forwarding]
}
