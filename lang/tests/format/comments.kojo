// kojo file header comment
// second header line

/* a block comment
   on several lines */
plant "KNT1" { // plant header comment
  name "Kanto" // trailing on item
  // leading on profile
  profile meti-factory /* block trailing */ // and a line trailing
  // dangling at the end of the plant
} // trailing after the closing brace

// leading on a one-liner
zone internet "Internet" : untrusted // trailing on a one-liner
zone /* between header tokens */ vendor "Vendor" : external
zone dmz "DMZ" // before the brace
{
  vlan 30
}

asset plc1 "PLC" in control {
  services [
    modbus-tcp, // inside a list
    /* also inside */ s7comm,
  ]
  impact {
    safety high // inside a nested block
    continuity mid
  }

  // after a blank line
  kind plc
}

conduit c from a to b {
  allow a -> b service https { // in a flow body
    functions [read]
  }
  /* leading block */ one-way /* trailing block */
}

zone empty {
  // only a comment in the block
}

zone half { /* head only */ }

// the end of the file
/* really the end */
