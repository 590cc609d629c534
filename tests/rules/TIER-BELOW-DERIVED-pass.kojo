plant "T" { profile meti-factory }

// Declaring a tier above the derived one is allowed.
zone control "Control" {
  subnet 10.20.0.0/24
  tier high
}

operation production "Production" {
  impact { safety mid }
  zones [control]
}
