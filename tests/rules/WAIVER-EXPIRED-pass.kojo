plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }

asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
}

waive NW-PASSWORD-POLICY on asset pc {
  reason "shared kiosk login, replaced by badge login"
  until 2027-01-31
}
