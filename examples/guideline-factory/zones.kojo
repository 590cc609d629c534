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

// ---- outside the site -------------------------------------------------------

zone internet "Internet / インターネット" : untrusted

// The head office's inter-site network (拠点間ネットワーク) is modelled as
// `external`, not internal: it is run by head-office IT, and the other sites
// on it manage their own networks (guideline ch. 2: "each site manages its own
// network"), so nothing this plant can verify protects it. It is not
// `untrusted` either: it is a closed carrier WAN under company contract.
// Traffic from it therefore passes the same boundary as the internet.
zone intersite "Head-office inter-site network / 拠点間ネットワーク" : external

// The equipment vendor's maintenance centre (設備ベンダ保守センタ) reaches the
// automated warehouse's remote-maintenance server over the vendor's own
// closed line, not through the plant's internet VPN: one of the direct paths
// from the production side to the outside that the guideline warns are
// increasingly common (ch. 2).
zone vendor_centre "Equipment vendor maintenance centre / 設備ベンダ保守センタ" : external

// ---- the plant's own zones ----------------------------------------------------

// Information network (情報系ネットワーク): office PCs and servers.
zone oa "OA zone / OAゾーン" {
  subnet 10.1.0.0/24
  vlan 10
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    ids,
    ndr,
    remove-unneeded-users,
    password-policy,
    individual-id,
    asset-inventory,
    vuln-info,
    vuln-assessment,
    device-logs,
    ids-log-integration,
    ups,
  ]
}

// Production-management network (生産管理系ネットワーク): the MES. It sends
// production instructions and recipes to the floor, so it derives the high
// tier from the production operation's data.
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
    remove-unneeded-users,
    password-policy,
    individual-id,
    mfa,
    asset-inventory,
    device-config-management,
    vuln-info,
    vuln-assessment,
    patching,
    device-logs,
    ids-log-integration,
    log-analysis,
    ups,
    generator,
    physical-access-control,
  ]
}

// Equipment network (設備系ネットワーク) of the production floor: the line's
// PLCs, mounter, inspection machine and HMI. Physically separate switches
// (segmentation-physical, the high tier's 物理ドメイン分割). PLCs and legacy
// equipment cannot be patched on the guideline's schedule, so the zone relies
// on virtual patching (IPS signatures at fw_floor) instead [3.2.2(1)①].
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
    remove-unneeded-users,
    password-policy,
    individual-id,
    asset-inventory,
    device-config-management,
    vuln-info,
    vuln-assessment,
    virtual-patching,
    device-logs,
    ids-log-integration,
    log-analysis,
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
    remove-unneeded-users,
    password-policy,
    individual-id,
    asset-inventory,
    vuln-info,
    vuln-assessment,
    device-logs,
    ids-log-integration,
    ups,
  ]
}

// AGVs and their control PC, joined by a wireless LAN (an entry point, EP09):
// only registered AGVs may associate (Appendix E 2-7).
zone transport "Automated transport zone / 自動搬送ゾーン" {
  subnet 10.5.0.0/24
  vlan 50
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    wireless-allowlist,
    ids,
    ndr,
    remove-unneeded-users,
    password-policy,
    individual-id,
    asset-inventory,
    vuln-info,
    vuln-assessment,
    device-logs,
    ids-log-integration,
    ups,
  ]
}

// The automated warehouse. It has two boundaries: fw_floor towards the MES and
// the AGVs, fw_rm towards the vendor's remote-maintenance server.
zone warehouse "Automated warehouse zone / 自動倉庫ゾーン" {
  subnet 10.6.0.0/24
  vlan 60
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    ids,
    ndr,
    remove-unneeded-users,
    password-policy,
    individual-id,
    asset-inventory,
    vuln-info,
    vuln-assessment,
    device-logs,
    ids-log-integration,
    ups,
  ]
}

// Where the vendor's remote access lands: a landing zone of its own, so that
// the maintenance line never reaches the warehouse controller directly.
zone remote_maint "Remote maintenance zone / リモートメンテナンスゾーン" {
  subnet 10.7.0.0/24
  vlan 70
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    ids,
    ndr,
    remove-unneeded-users,
    password-policy,
    individual-id,
    asset-inventory,
    vuln-info,
    vuln-assessment,
    device-logs,
    ids-log-integration,
    ups,
  ]
}
