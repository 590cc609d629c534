plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }
zone control "Control" { subnet 10.2.0.0/24 }

conduit office_to_control from office to control {
  allow any -> any service https
}

// A password policy is checked on assets; a conduit has none to waive.
waive NW-PASSWORD-POLICY on conduit office_to_control {
  reason "wrong kind of entity"
  until 2027-01-31
}
