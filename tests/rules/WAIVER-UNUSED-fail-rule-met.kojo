plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }

asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
  controls [password-policy]
}

// One waiver, two rules: the PC keeps unneeded user accounts, but has a password
// policy, so only `NW-PASSWORD-POLICY` waives nothing.
waive [NW-REMOVE-UNNEEDED-USERS, NW-PASSWORD-POLICY] on zone office and its assets {
  reason "shared operator login until the MES upgrade"
  until 2027-01-31
}
