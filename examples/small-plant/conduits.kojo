// Conduits, all enforced by the UTM. A conduit runs in the direction
// connections are opened; replies need no rule.

// Office web access and the NAS's updates. Names and time come from the UTM
// itself. Web sites cannot be named in advance, so this conduit cannot prove
// `protocol-allowlist`: see waivers.kojo.
conduit oa_to_internet "Office to the internet / 事務所→インターネット" from oa to internet {
  allow [office_pc, nas1] -> any service https
  controls [firewall, nat, ids, device-logs]
  enforced-by utm1
}

// The office reads production counts from the PLC. Read only: the office
// cannot change the line.
conduit oa_to_control "Production counts for the office / 事務所→加工現場" from oa to control {
  allow office_pc -> plc1 service slmp { functions [read] }
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    ids,
    ips,
    virtual-patching,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by utm1
}

// The engineering PC fetches work orders and drawings from the NAS, by SFTP
// rather than SMB, which should not cross into the office (a main path for
// ransomware). The floor is high-tier, so the UTM inspects and blocks here
// too (`gateway`, `ips`).
conduit control_to_oa "Work orders to the floor / 加工現場→事務所" from control to oa {
  allow eng_pc -> nas1 service ssh
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    ids,
    ips,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by utm1
}

// Remote maintenance of the washing-line PLC by its maker (Appendix E 3-6):
// through the site-to-site VPN, only the vendor's registered engineers, each
// with their own account and MFA, only to plc1, in office hours, a connection
// outside them raising an alert, every session recorded. Register reads and
// writes only: program downloads and remote
// RUN/STOP are done on site with the plant's staff present.
conduit vendor_to_control "PLC remote maintenance / PLCリモートメンテナンス" from vendor_centre to control {
  allow vendor_pc -> plc1 service slmp { functions [read, write] }
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    mfa,
    per-user-targets,
    time-window,
    out-of-window-detection,
    session-log,
    ids,
    ips,
    encryption-in-transit,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by utm1
  window "Mon-Fri 09:00-17:00 Asia/Tokyo"
}
