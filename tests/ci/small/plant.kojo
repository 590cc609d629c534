// For tests/ci_outputs.rs: one finding kept (DEV-FILE-ACCESS on `jump`), one waived, one warning.

plant "T" {
  profile meti-factory
}

zone internet "Internet" : untrusted

zone maint "Remote maintenance" {
  subnet 10.4.0.0/24
  tier minimum
  controls [device-logs]
}

asset fw "FW" {
  kind firewall
  interfaces { internet 203.0.113.1; maint 10.4.0.1 }
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

asset jump "Jump host" in maint {
  kind jump-host
  ip 10.4.0.10
  controls [
    anti-malware,
    user-group-management,
    close-unneeded-services,
    port-caps,
    remove-unneeded-programs,
    system-logs,
    password-policy,
    remove-unneeded-users,
    vuln-info,
  ]
}

conduit internet_to_maint "Remote access" from internet to maint {
  allow any -> jump service https
  enforced-by fw
}
