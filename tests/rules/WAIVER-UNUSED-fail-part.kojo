plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }

asset kiosk1 "Kiosk 1" in office {
  kind workstation
  ip 10.1.0.5
}

asset kiosk2 "Kiosk 2" in office {
  kind workstation
  ip 10.1.0.6
  controls [password-policy]
}

// kiosk2 has a password policy: that part of the waiver waives nothing,
// and the rest still hides kiosk1's finding.
waive NW-PASSWORD-POLICY on asset [kiosk1, kiosk2] {
  reason "shared kiosk login"
  until 2027-01-31
}
