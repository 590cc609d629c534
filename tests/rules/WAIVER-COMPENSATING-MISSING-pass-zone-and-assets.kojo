plant "T" { profile meti-factory }

zone office "Office" {
  subnet 10.1.0.0/24
  controls [physical-access-control]
}

asset kiosk1 "Kiosk 1" in office {
  kind workstation
  ip 10.1.0.5
}

asset kiosk2 "Kiosk 2" in office {
  kind workstation
  ip 10.1.0.6
}

// The zone's physical access control is in force for the assets in it.
waive NW-PASSWORD-POLICY on zone office and its assets {
  reason "shared kiosk login"
  until 2027-01-31
  compensating [physical-access-control]
}
