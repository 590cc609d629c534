plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }

asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
  controls [password-policy]
}

// No PLC is in the office: the waiver covers nothing.
waive NW-PASSWORD-POLICY on assets of kind plc in zone office {
  reason "PLCs have no user accounts"
  until 2027-01-31
}
