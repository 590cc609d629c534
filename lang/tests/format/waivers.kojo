// Waivers in every scope form, written loosely.
waive   [NW-MFA ,NW-INDIVIDUAL-ID,]   on   zone control   and its   assets{reason "one decision";until 2027-03-31}
waive [DEV-UPS] on asset [ plc1 ] { reason "a one-item list is written bare" ; until 2027-03-31 }
waive DEV-UPS on asset [plc1,
  plc2 , /* the welder */ plc3] {
  reason "several assets" until 2027-03-31 compensating [ups]
}
waive NW-MFA on assets in zone   control { reason "r" until 2027-03-31 }
waive NW-MFA on assets of kind plc { reason "r"; until 2027-03-31 }
waive NW-MFA on assets of   kind plc in   zone control { reason "r"; until 2027-03-31 }
waive NW-MFA on zone control { reason "the zone's own findings"; until 2027-03-31 }
