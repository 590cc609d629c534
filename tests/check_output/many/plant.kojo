// A plant for the tests of `kojo check`'s output for people
// (tests/check_output.rs): more findings than are shown in full, so they are
// grouped by rule. The nine PLCs of `line` (with user management, so the
// account rows apply to them) lack three controls each (groups long enough
// to fold by zone), two of the three workstations of `office`
// lack file access control, and a waiver hides the third's finding.

plant "M" {
  profile meti-factory
}

zone internet "Internet" : untrusted

zone line "Production line" {
  subnet 10.1.0.0/24
  tier minimum
}

zone office "Office" {
  subnet 10.2.0.0/24
  tier minimum
  controls [password-policy, remove-unneeded-users, device-logs, system-logs, anti-malware, user-group-management]
}

asset fw "Firewall" {
  kind firewall
  interfaces { internet 203.0.113.1; line 10.1.0.1; office 10.2.0.1 }
  controls [
    close-unneeded-services,
    port-caps,
    remove-unneeded-programs,
    system-logs,
    password-policy,
    remove-unneeded-users,
    vuln-info,
  ]
}

asset plc1 "PLC 1" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.11
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset plc2 "PLC 2" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.12
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset plc3 "PLC 3" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.13
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset plc4 "PLC 4" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.14
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset plc5 "PLC 5" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.15
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset plc6 "PLC 6" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.16
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset plc7 "PLC 7" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.17
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset plc8 "PLC 8" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.18
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset plc9 "PLC 9" in line {
  kind plc
  capabilities [on-premises, user-accounts]
  ip 10.1.0.19
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, vuln-info]
}

asset ws1 "Workstation 1" in office {
  kind workstation
  ip 10.2.0.11
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, system-logs, vuln-info]
}

asset ws2 "Workstation 2" in office {
  kind workstation
  ip 10.2.0.12
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, system-logs, vuln-info]
}

asset ws3 "Workstation 3" in office {
  kind workstation
  ip 10.2.0.13
  controls [close-unneeded-services, port-caps, remove-unneeded-programs, system-logs, vuln-info]
}

conduit office_to_line "Recipes to the PLCs" from office to line {
  allow ws1 -> plc1 service modbus-tcp
  controls [firewall]
  enforced-by fw
}
