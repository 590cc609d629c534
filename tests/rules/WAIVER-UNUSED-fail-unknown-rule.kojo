plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }

waive NW-PASWORD-POLICY on zone office {
  reason "misspelt rule ID"
  until 2027-01-31
}
