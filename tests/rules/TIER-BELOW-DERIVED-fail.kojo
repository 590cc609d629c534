plant "T" { profile meti-factory }

zone control "Control" {
  subnet 10.20.0.0/24
  tier medium
}

operation production "Production" {
  impact { safety high; quality mid }
  zones [control]
}
