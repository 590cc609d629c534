plant "T" { profile meti-factory }

zone office "Office" { subnet 10.1.0.0/24 }
zone lab "Lab" { subnet 10.3.0.0/24 }

asset pc "PC" in office {
  kind workstation
  ip 10.1.0.5
}

asset bench "Bench PC" in lab {
  kind workstation
  ip 10.3.0.5
}

// A plant-wide waiver still needs its compensating control on every
// entity whose finding it hides: both PCs lack it.
waive NW-PASSWORD-POLICY on plant T {
  reason "shared logins until the directory service arrives"
  until 2027-01-31
  compensating [physical-access-control]
}
