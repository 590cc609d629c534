plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }

asset kiosk1 "Kiosk 1" in office {
  kind workstation
  ip 10.1.0.5
}

asset kiosk2 "Kiosk 2" in office {
  kind workstation
  ip 10.1.0.6
}

// Both kiosks lack a password policy; one decision covers both.
waive NW-PASSWORD-POLICY on assets of kind workstation in zone office {
  reason "shared kiosk login"
  until 2027-01-31
}
