// Conduits — the only paths between zones, each enforced by a firewall with
// an interface in both of its zones [3.2.2(1)①, 通信データ制限]. A conduit
// runs in the direction connections are opened; replies need no rule. Where
// the other side must open connections too, there is a second conduit.
//
// The zones and which of them meet follow the guideline's system diagram
// (ch. 2: one VPN appliance and firewall at the site's edge); the firewalls
// inside the site (fw_ot, fw_floor, fw_rm) are this example's:
//
//   internet  ──┐
//               ├── vpn_fw ── oa ── fw_ot ── prod_mgmt ── fw_floor ──┬── control
//   intersite ──┘                                                    ├── monitoring
//                                                                    ├── transport
//                                                                    └── warehouse
//   vendor_centre ── fw_rm ── remote_maint ── fw_rm ── warehouse
//
// fw_floor also carries the floor's cross traffic: monitoring → control (SCADA
// polling the line) and transport → warehouse (AGV dispatch).
//
// Controls follow the higher tier of a conduit's two zones (kojo's reading:
// the guideline's tier tables [3.2.2(1)①②] rate zones, not the paths between
// them): firewall + protocol allow-list + IDS + NAT or
// stealth (内部秘匿) into medium zones; to and from the high-tier production
// management and control zones also IPS and a gateway that inspects the
// application layer (fw_ot's reverse proxy and application control,
// fw_floor's Modbus/SLMP function filtering), virtual patching and log
// analysis. Flows name services between named hosts, which is what proves
// `protocol-allowlist`; office web access cannot name its destinations and
// is waived (waivers.kojo).

// ---- the site boundary: VPN appliance + firewall (vpn_fw) -----------------------

// Staff working from home reach the OA server through the remote-access VPN,
// from company laptops with a device certificate and MFA, in extended office
// hours. The VPN's user groups give each user only the OA server
// (per-user-targets), a log-in outside the hours raises an alert
// (out-of-window-detection), and vpn_fw's IPS inspects the tunnel's traffic
// (ips): the measures of Appendix E 3-6. Every session is also logged with
// user, device, time and volume (session-log). The laptops' addresses on the
// internet cannot be known in advance, so the flow comes from `any` host
// there: what admits a laptop is the VPN's certificate and MFA check, which
// is why the conduit must carry `mfa` (ANY-ENDPOINT), and why it cannot
// prove `protocol-allowlist` (waivers.kojo).
conduit internet_to_oa "Remote-access VPN into the office / インターネット→OA（リモートアクセスVPN）" from internet to oa {
  allow any -> oa_server service https
  controls [
    firewall,
    nat,
    stealth,
    ids,
    ips,
    ndr,
    mfa,
    per-user-targets,
    time-window,
    out-of-window-detection,
    session-log,
    encryption-in-transit,
    device-logs,
    ids-log-integration,
  ]
  enforced-by vpn_fw
  window "Mon-Sat 07:00-22:00 Asia/Tokyo"
}

// Web access for office PCs, and software updates for the OA server. Names
// and time come from vpn_fw itself (its DNS proxy and NTP server on the OA
// side, which the OA server relays to the office), so no DNS or NTP crosses
// the boundary. Nothing on the production side reaches the internet
// (Appendix E 2-3). Web sites cannot be named in advance, so the flows go to
// `any` host and cannot prove `protocol-allowlist`; vpn_fw limits them to
// HTTPS with URL-category filtering (waivers.kojo).
conduit oa_to_internet "Office web access / OA→インターネット" from oa to internet {
  allow [oa_terminal, oa_server] -> any service https
  controls [firewall, nat, ids, ndr, device-logs, ids-log-integration]
  enforced-by vpn_fw
}

// The plant and the head office's ERP: the OA server fetches the production
// plan and purchase orders and reports production results and stock levels,
// over HTTPS with a client certificate (device-auth). Every connection is
// opened from the plant's side, so nothing on the inter-site network can open
// one into the plant. Each site runs its own addressing, so vpn_fw NATs the
// plant towards the inter-site network.
conduit oa_to_intersite "Plant and the head office / OA→拠点間ネットワーク" from oa to intersite {
  allow oa_server -> ho_erp service https
  controls [
    firewall,
    protocol-allowlist,
    nat,
    ids,
    ndr,
    device-auth,
    encryption-in-transit,
    device-logs,
    ids-log-integration,
  ]
  enforced-by vpn_fw
}

// ---- the IT/OT boundary (fw_ot) ------------------------------------------------

// Planners enter the production plan, and staff run productivity analysis and
// traceability look-ups, in the MES web UI. The MES is high-tier, so users
// authenticate with MFA at this boundary, and fw_ot's reverse proxy
// (`gateway`) passes only the MES's UI to it.
conduit oa_to_prod_mgmt "Office users to the MES / OA→生産管理" from oa to prod_mgmt {
  allow oa_terminal -> mes service https
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    stealth,
    ids,
    ips,
    ndr,
    individual-id,
    mfa,
    encryption-in-transit,
    virtual-patching,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by fw_ot
}

// The MES fetches the production plan from the OA server. Application control
// (`gateway`) and IPS at fw_ot, as on the way in. (The MES takes its time from
// its own GNSS receiver, not from the office.)
conduit prod_mgmt_to_oa "MES to the office / 生産管理→OA" from prod_mgmt to oa {
  allow mes -> oa_server service https
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ids,
    ips,
    ndr,
    encryption-in-transit,
    device-logs,
    ids-log-integration,
  ]
  enforced-by fw_ot
}

// ---- the production floor (fw_floor) --------------------------------------------

// Production instructions and recipes to the line: Modbus and SLMP limited to
// register reads and writes (no program download, no remote STOP/RUN), and
// placement programs to the mounter. Enforced by the firewall's deep packet
// inspection (`gateway`, `ips`).
conduit prod_mgmt_to_control "MES to the line / 生産管理→制御" from prod_mgmt to control {
  allow mes -> plc1 service modbus-tcp { functions [read, write] }
  allow mes -> plc2 service slmp { functions [read, write] }
  allow mes -> mounter1 service https
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    stealth,
    ids,
    ips,
    ndr,
    virtual-patching,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by fw_floor
}

// Production results (traceability): placement logs and inspection results
// to the MES; time for every device on the line.
conduit control_to_prod_mgmt "Line results to the MES / 制御→生産管理" from control to prod_mgmt {
  allow [mounter1, aoi1] -> mes service https
  allow [plc1, plc2, mounter1, aoi1, hmi1] -> mes service ntp
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    ids,
    ips,
    ndr,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by fw_floor
}

// The MES reads equipment state from the SCADA's OPC UA server for
// productivity analysis.
conduit prod_mgmt_to_monitoring "MES to SCADA / 生産管理→生産状況監視" from prod_mgmt to monitoring {
  allow mes -> scada service opc-ua
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    ids,
    ips,
    ndr,
    device-auth,
    encryption-in-transit,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by fw_floor
}

// Production monitoring (生産状況監視) only reads the line: no writes.
conduit monitoring_to_control "SCADA polling the line / 生産状況監視→制御" from monitoring to control {
  allow scada -> plc1 service modbus-tcp { functions [read] }
  allow scada -> plc2 service slmp { functions [read] }
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    stealth,
    ids,
    ips,
    ndr,
    virtual-patching,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by fw_floor
}

// Parts refill (部材補充): the MES sends transport orders to the AGV control PC.
conduit prod_mgmt_to_transport "Transport orders / 生産管理→自動搬送" from prod_mgmt to transport {
  allow mes -> agv_pc service https
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    ids,
    ips,
    ndr,
    encryption-in-transit,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by fw_floor
}

// Parts purchase (部材購入) and stock (部材在庫量): the MES registers incoming
// purchased parts and reads the warehouse stock.
conduit prod_mgmt_to_warehouse "MES to the warehouse / 生産管理→自動倉庫" from prod_mgmt to warehouse {
  allow mes -> wh_controller service slmp { functions [read, write] }
  controls [
    firewall,
    protocol-allowlist,
    gateway,
    ip-mac-restriction,
    ids,
    ips,
    ndr,
    device-logs,
    ids-log-integration,
    log-analysis,
  ]
  enforced-by fw_floor
}

// Parts refill: the AGV control PC orders a retrieval and hands over at the
// warehouse's out-station.
conduit transport_to_warehouse "AGV dispatch to the warehouse / 自動搬送→自動倉庫" from transport to warehouse {
  allow agv_pc -> wh_controller service slmp { functions [read, write] }
  controls [
    firewall,
    protocol-allowlist,
    stealth,
    ip-mac-restriction,
    ids,
    ndr,
    device-logs,
    ids-log-integration,
  ]
  enforced-by fw_floor
}

// ---- remote maintenance (fw_rm) ---------------------------------------------------

// The vendor's engineers reach only the warehouse's remote-maintenance server,
// each only with their own account, with MFA, in office hours; connections
// outside the window raise an alert, and fw_rm's IPS inspects what passes
// (Appendix E 3-6). Every session is also recorded.
conduit vendor_to_remote_maint "Vendor remote maintenance / 保守センタ→リモートメンテナンス" from vendor_centre to remote_maint {
  allow vendor_ops -> wh_rm_server service https
  controls [
    firewall,
    protocol-allowlist,
    nat,
    mfa,
    per-user-targets,
    time-window,
    session-log,
    out-of-window-detection,
    ids,
    ips,
    ndr,
    encryption-in-transit,
    device-logs,
    ids-log-integration,
  ]
  enforced-by fw_rm
  window "Mon-Fri 09:00-18:00 Asia/Tokyo"
}

// Remote state monitoring: the server reads the warehouse controller, and the
// vendor cannot go further than this server. The SRX cannot pass traffic through
// Suricata, which watches a mirror port here: a write would raise an alert, not
// be stopped. The warehouse is a medium-tier zone, where the tier table asks
// for an IDS; `inspection monitor` says so, and `kojo diff` would flag it.
conduit remote_maint_to_warehouse "Remote state monitoring / リモートメンテナンス→自動倉庫" from remote_maint to warehouse {
  allow wh_rm_server -> wh_controller service slmp { functions [read] }
  controls [
    firewall,
    protocol-allowlist,
    stealth,
    ip-mac-restriction,
    ids,
    ndr,
    device-logs,
    ids-log-integration,
  ]
  enforced-by fw_rm
  inspection monitor
}
