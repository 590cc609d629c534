// Zones (想定ゾーン) — step 1-6 [3.1.6]: areas whose operations are of
// similar importance and so need the same level of protection. The seven
// zones are the guideline's; the three networks outside the site are the
// other ends of its conduits.
//
// Address plan: one private /24 per internal zone, 10.<n>.0.0/24, with the
// matching VLAN <n>0. The boundary firewall of a zone takes .1 (.2 where a
// zone has two boundaries). Networks outside the site have no subnet; the
// firewall interfaces facing them use documentation ranges (RFC 5737).
//
// Tiers (セキュリティ強度 [3.2.1]) are derived by kojo from the impact of what
// each zone holds (operations.kojo, data.kojo). With this example's ratings:
//   control, prod_mgmt                      high   (production, recipes)
//   oa, monitoring, transport, warehouse,
//   remote_maint                            medium
// Only the control zone declares its tier: it is the zone the whole design
// protects, and the declaration keeps it high even if a rating is lowered.
//
// Zone-wide controls. A zone's `controls` are in force for every device in
// it, so they hold what the zone has as a whole: its network measures
// [3.2.2(1)①], the site's procedures, and its building services. What
// differs from device to device (host firewall, encryption, accounts,
// logging …) is declared on the asset (assets.kojo). The procedures behind
// the zone-wide device measures [3.2.2(1)②]:
//   close-unneeded-services,   the hardening checklist every device passes
//   remove-unneeded-programs   at acceptance (Appendix E 3-3, 4-5), re-checked
//                              at the yearly review
//   remove-unneeded-users,     the site's account procedure: leavers and
//   password-policy            movers removed within a week (E 2-10, 2-11)
//   vuln-info, vuln-assessment models and firmware in the inventory are
//                              matched against JVN/ICS-CERT advisories
//                              weekly; yearly assessment (E 2-8)
//   media-inspection           the removable-media rule (E 2-9,
//                              docs/rules/removable-media.md): ledger and
//                              visual check of every medium brought in
//   media-scan                 on the production side, media come only from
//                              the media cabinet and are scanned at the
//                              floor's scanning kiosk before use
//   resource-checks            monthly check of CPU, memory, disk and (for
//                              PLCs) scan time, in the maintenance plan
//   config-visibility          settings of every device exported to the
//                              configuration ledger at commissioning and
//                              after each change
//   config-management          control zone: the master programs and
//                              settings of every device are kept on the
//                              maintenance terminal and compared with the
//                              devices monthly and after each maintenance
//   offline-backup             monthly backup to offline media, kept in the
//                              fire safe; restores tested yearly (E 2-13)
//   spare-device               spare stock for the line (see `control`)
//   ups, generator             the server room's and the floor's power
//                              [3.2.2(2)②]

// ---- outside the site -------------------------------------------------------

zone internet "Internet / インターネット" : untrusted

// The head office's inter-site network (拠点間ネットワーク) is modelled as
// `external`, not internal: it is run by head-office IT, and the other sites
// on it manage their own networks (guideline ch. 2: "each site manages its own
// network"), so nothing this plant can verify protects it. It is not
// `untrusted` either: it is a closed carrier WAN under company contract.
// Traffic from it therefore passes the same boundary as the internet.
zone intersite "Head-office inter-site network / 拠点間ネットワーク" : external

// The equipment vendor's maintenance centre (設備ベンダ保守センタ) monitors the
// automated warehouse remotely (ch. 2: 自動倉庫は、設備ベンダが保守に備えて
// リモートで状態監視). Here it reaches the warehouse's remote-maintenance
// server over the vendor's own closed line, not through the plant's internet
// VPN: this example's choice, and a path from the production side to the
// outside that does not pass the information network (the guideline notes
// such paths are increasing, and that its steps apply to them too).
zone vendor_centre "Equipment vendor maintenance centre / 設備ベンダ保守センタ" : external

// ---- the plant's own zones ----------------------------------------------------

// Information network (情報系ネットワーク): office PCs and servers. IT runs it:
// every PC and server uses a personal domain account (individual-id).
zone oa "OA zone / OAゾーン" {
  subnet 10.1.0.0/24
  vlan 10
  role office
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    ids,
    ndr,
    asset-inventory,
    device-logs,
    system-logs,
    ids-log-integration,
    remove-unneeded-users,
    password-policy,
    individual-id,
    vuln-info,
    vuln-assessment,
    close-unneeded-services,
    remove-unneeded-programs,
    media-inspection,
    resource-checks,
    config-visibility,
    offline-backup,
    ups,
  ]
}

// Production-management network (生産管理系ネットワーク): the MES. It sends
// production instructions and recipes to the floor, so it derives the high
// tier from the production operation's data. Its own switches
// (segmentation-physical), in the server room (physical-access-control) on
// UPS and the site generator; every login with MFA.
zone prod_mgmt "Production management zone / 生産管理ゾーン" {
  subnet 10.2.0.0/24
  vlan 20
  controls [
    segmentation-vlan,
    segmentation-physical,
    ip-mac-restriction,
    device-attestation,
    device-trust,
    ids,
    ips,
    ndr,
    asset-inventory,
    device-config-management,
    device-logs,
    system-logs,
    ids-log-integration,
    log-analysis,
    remove-unneeded-users,
    password-policy,
    individual-id,
    mfa,
    vuln-info,
    vuln-assessment,
    patching,
    close-unneeded-services,
    remove-unneeded-programs,
    media-inspection,
    media-scan,
    resource-checks,
    config-visibility,
    offline-backup,
    ups,
    generator,
    physical-access-control,
  ]
}

// Equipment network (設備系ネットワーク) of the production floor: the line's
// PLCs, mounter, inspection machine and HMI. Physically separate switches
// (segmentation-physical, the high tier's 物理ドメイン分割). PLCs and legacy
// equipment cannot take security patches as the high tier asks (ソフトウェア
// 更新), so the zone relies on virtual patching instead, the cell's own
// alternative (IPS signatures at fw_floor) [3.2.2(1)①].
// Spare stock (spare-device): a spare CPU and I/O set for each PLC model and
// a spare operator panel on the shelf; the mounter's and the AOI's
// controller images on offline media with 48-hour spare-part contracts.
// There is no zone-wide `individual-id`: the PLCs have no user accounts
// (waivers.kojo), so each device says what it has.
zone control "Control zone (production floor) / 制御ゾーン（生産現場）" {
  subnet 10.3.0.0/24
  vlan 30
  tier high
  controls [
    segmentation-vlan,
    segmentation-physical,
    ip-mac-restriction,
    device-attestation,
    device-trust,
    ids,
    ips,
    ndr,
    asset-inventory,
    device-config-management,
    device-logs,
    system-logs,
    ids-log-integration,
    log-analysis,
    remove-unneeded-users,
    password-policy,
    vuln-info,
    vuln-assessment,
    virtual-patching,
    close-unneeded-services,
    remove-unneeded-programs,
    media-inspection,
    media-scan,
    resource-checks,
    config-visibility,
    config-management,
    offline-backup,
    spare-device,
    ups,
    generator,
    physical-access-control,
  ]
}

// SCADA watching the lines (生産状況監視). It only reads the floor.
zone monitoring "Production monitoring zone / 生産状況監視ゾーン" {
  subnet 10.4.0.0/24
  vlan 40
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    ids,
    ndr,
    asset-inventory,
    device-logs,
    system-logs,
    ids-log-integration,
    remove-unneeded-users,
    password-policy,
    individual-id,
    vuln-info,
    vuln-assessment,
    close-unneeded-services,
    remove-unneeded-programs,
    media-inspection,
    media-scan,
    resource-checks,
    config-visibility,
    offline-backup,
    ups,
  ]
}

// AGVs and their control PC, joined by a wireless LAN (an entry point, EP09):
// only registered AGVs may associate (Appendix E 2-7). AGVs have no user
// accounts, so `individual-id` is declared per device.
zone transport "Automated transport zone / 自動搬送ゾーン" {
  subnet 10.5.0.0/24
  vlan 50
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    wireless-allowlist,
    ids,
    ndr,
    asset-inventory,
    device-logs,
    system-logs,
    ids-log-integration,
    remove-unneeded-users,
    password-policy,
    vuln-info,
    vuln-assessment,
    close-unneeded-services,
    remove-unneeded-programs,
    media-inspection,
    media-scan,
    resource-checks,
    config-visibility,
    offline-backup,
    ups,
  ]
}

// The automated warehouse. It has two boundaries: fw_floor towards the MES and
// the AGVs, fw_rm towards the vendor's remote-maintenance server. Its
// controller has no user accounts (waivers.kojo).
zone warehouse "Automated warehouse zone / 自動倉庫ゾーン" {
  subnet 10.6.0.0/24
  vlan 60
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    ids,
    ndr,
    asset-inventory,
    device-logs,
    system-logs,
    ids-log-integration,
    remove-unneeded-users,
    password-policy,
    vuln-info,
    vuln-assessment,
    close-unneeded-services,
    remove-unneeded-programs,
    media-inspection,
    media-scan,
    resource-checks,
    config-visibility,
    offline-backup,
    ups,
  ]
}

// Where the vendor's remote access lands: a landing zone of its own, so that
// the maintenance line never reaches the warehouse controller directly.
zone remote_maint "Remote maintenance zone / リモートメンテナンスゾーン" {
  subnet 10.7.0.0/24
  role remote-maintenance
  vlan 70
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    ids,
    ndr,
    asset-inventory,
    device-logs,
    system-logs,
    ids-log-integration,
    remove-unneeded-users,
    password-policy,
    individual-id,
    vuln-info,
    vuln-assessment,
    close-unneeded-services,
    remove-unneeded-programs,
    media-inspection,
    media-scan,
    resource-checks,
    config-visibility,
    offline-backup,
    ups,
  ]
}
