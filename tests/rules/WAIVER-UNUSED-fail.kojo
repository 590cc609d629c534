plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }

asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
  controls [password-policy]
}

// The PC has a password policy: there is nothing to waive.
waive NW-PASSWORD-POLICY on asset pc {
  reason "no longer needed"
  until 2027-01-31
}
