plant "T" { profile meti-factory }

zone mgmt "Production management" {
  subnet 10.10.0.0/24
  tier minimum
}

asset mes "MES" in mgmt {
  kind server
  ip 10.10.0.5
}

// Data stored on an asset raises the asset's zone.
data recipe "Recipe" {
  impact { quality high }
  stored-on [mes]
}
