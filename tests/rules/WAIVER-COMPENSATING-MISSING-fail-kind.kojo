plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }

asset kiosk1 "Kiosk 1" in office {
  kind workstation
  ip 10.1.0.5
  controls [physical-access-control]
}

asset kiosk2 "Kiosk 2" in office {
  kind workstation
  ip 10.1.0.6
}

// The compensating control is checked on each kiosk the waiver excuses:
// kiosk2 lacks it.
waive NW-PASSWORD-POLICY on assets of kind workstation {
  reason "shared kiosk login"
  until 2027-01-31
  compensating [physical-access-control]
}
