// A small 300 mm fab line: an office, the fab floor with two process tools,
// and the MES between them. The company's profile (profiles/) adds SEMI E187
// requirements for the tools' embedded computers.

plant "FAB1" {
  name "ACME Fab 1 / ACME第一ファブ"
  profile meti-factory, acme-semiconductor
}

zone office "Office / 事務所" {
  subnet 10.50.0.0/24
  vlan 50
  controls [vuln-info, device-logs, system-logs, physical-access-control]
}

zone fab "Fab floor / ファブ" {
  subnet 10.60.0.0/24
  vlan 60
  // Zone-wide measures, in force for every tool in the fab.
  controls [
    asset-inventory,
    device-logs,
    system-logs,
    ids,
    ids-log-integration,
    ip-mac-restriction,
    ndr,
    media-inspection,
    offline-backup,
    ups,
    vuln-info,
    physical-access-control,
  ]
}

asset fw "Fab firewall / ファブFW" {
  kind firewall
  interfaces { office 10.50.0.1; fab 10.60.0.1 }
  ports { usb locked; console locked }
  controls [
    operation-logs,
    close-unneeded-services,
    config-visibility,
    device-auth,
    device-logs,
    encryption-in-transit,
    individual-id,
    least-privilege,
    log-forwarding,
    password-policy,
    peer-restriction,
    program-tamper-protection,
    remove-unneeded-programs,
    remove-unneeded-users,
    resource-checks,
    vuln-assessment,
  ]
}

asset mes "MES server / MESサーバ" in office {
  kind server
  ip 10.50.0.10
  ports { usb locked }
  controls [
    close-unneeded-services,
    file-access-control,
    individual-id,
    password-policy,
    remove-unneeded-programs,
    remove-unneeded-users,
    system-logs,
    user-group-management,
    anti-malware,
  ]
}

// Process tools: their embedded equipment computers are what SEMI E187 covers.
asset etch1 "Plasma etcher / ドライエッチング装置" in fab {
  kind equipment
  ip 10.60.0.21
  vendor "ExampleTools"
  model "ET-300"
  firmware "4.2.1"
  services [hsms]
  ports { usb locked; ethernet-spare locked }
  controls [
    operation-logs,
    anti-malware,
    e187-declaration,
    close-unneeded-services,
    config-visibility,
    device-auth,
    individual-id,
    least-privilege,
    log-forwarding,
    password-policy,
    peer-restriction,
    program-tamper-protection,
    remove-unneeded-programs,
    remove-unneeded-users,
    resource-checks,
    system-logs,
    vuln-assessment,
    encryption-in-transit,
  ]
}

asset cvd1 "CVD tool / CVD装置" in fab {
  kind equipment
  ip 10.60.0.22
  vendor "ExampleTools"
  model "CV-300"
  firmware "2.8.0"
  services [hsms]
  ports { usb locked; ethernet-spare locked }
  controls [
    operation-logs,
    application-allowlist,
    e187-declaration,
    close-unneeded-services,
    config-visibility,
    device-auth,
    individual-id,
    least-privilege,
    log-forwarding,
    password-policy,
    peer-restriction,
    program-tamper-protection,
    remove-unneeded-programs,
    remove-unneeded-users,
    resource-checks,
    system-logs,
    vuln-assessment,
    encryption-in-transit,
  ]
}

// The MES sends recipes and collects results over HSMS.
conduit mes_to_fab "MES to process tools / MES→装置" from office to fab {
  allow mes -> [etch1, cvd1] service hsms
  controls [ids, nat]
  enforced-by fw
}

operation wafer_processing "Wafer processing / ウェーハ処理" {
  impact { safety mid; continuity mid; quality mid; delivery mid; cost mid }
  zones [fab]
  assets [etch1, cvd1]
}

attest E-4-7 level 3 {
  evidence "docs/acceptance/e187-declarations.md"
  owner "Equipment engineering / 装置技術課"
}
