// Protected objects (保護対象) — step 1-4 [3.1.4]: every device of the
// guideline's system diagram (装置・機器), with the inventory Appendix E asks
// for (2-6 device ledger, 2-8 model and firmware for vulnerability tracking).
// Vendors, models and firmware versions are invented placeholders.
//
// The guideline draws "the production line" as one box; here it is the
// devices of one PCB line (a conveyor PLC, a reflow-oven PLC, a chip mounter,
// an automated optical inspection machine and an operator HMI). A plant with
// several lines repeats this set per line (ch. 2: several independent lines).

// ---- boundaries ---------------------------------------------------------------
//
// The diagram shows one boundary device, the VPN appliance + firewall. The
// zone boundaries of step 1-6 need more: every conduit is enforced by a
// device with an interface in both of its zones.

// VPN装置兼ファイアウォール: the site's only gateway to the internet and to the
// head office. Remote-access VPN for staff terminates here.
asset vpn_fw "VPN appliance + firewall / VPN装置兼ファイアウォール" {
  kind firewall
  vendor "ExampleNet"
  model "UTM-500"
  firmware "7.2.8"
  interfaces { internet 203.0.113.10; intersite 198.51.100.10; oa 10.1.0.1 }
  services [https]
  controls [individual-id, mfa, patching, log-forwarding, config-management, offline-backup]
}

// The IT/OT boundary between the office and the production side.
asset fw_ot "IT/OT boundary firewall / IT・OT境界ファイアウォール" {
  kind firewall
  vendor "ExampleNet"
  model "FW-300"
  firmware "7.2.8"
  interfaces { oa 10.1.0.2; prod_mgmt 10.2.0.1 }
  controls [individual-id, mfa, patching, log-forwarding, config-management, offline-backup]
}

// The floor's industrial firewall: one port per floor zone, with IPS and
// Modbus/SLMP deep-packet inspection (so `functions [read]` is enforced).
asset fw_floor "Production-floor industrial firewall / 生産現場用産業ファイアウォール" {
  kind firewall
  vendor "ExampleICS"
  model "IFW-8"
  firmware "3.4.1"
  interfaces {
    prod_mgmt 10.2.0.2
    control 10.3.0.1
    monitoring 10.4.0.1
    transport 10.5.0.1
    warehouse 10.6.0.1
  }
  controls [
    individual-id,
    mfa,
    patching,
    log-forwarding,
    config-management,
    offline-backup,
    spare-device,
    ups,
  ]
}

// Terminates the vendor's closed maintenance line and separates the
// remote-maintenance zone from the warehouse it serves.
asset fw_rm "Remote-maintenance firewall / リモートメンテナンス用ファイアウォール" {
  kind firewall
  vendor "ExampleNet"
  model "FW-100"
  firmware "7.2.8"
  interfaces { vendor_centre 198.51.100.130; remote_maint 10.7.0.1; warehouse 10.6.0.2 }
  controls [individual-id, mfa, patching, log-forwarding, config-management]
}

// ---- outside the site ---------------------------------------------------------
//
// Named so that flows from outside can be limited to known peers instead of
// `any`. They are not the plant's to protect; they are listed for the rules.

asset ho_erp "Head-office ERP / 本社基幹システム（ERP）" in intersite {
  kind server
  ip 198.51.100.20
  services [https]
}

asset vendor_ops "Vendor maintenance-centre terminals / 保守センタ端末" in vendor_centre {
  kind workstation
  ip 198.51.100.150
}

// ---- OA zone (OAゾーン) ------------------------------------------------------

// OA系サーバ: file and groupware server, internal DNS/NTP relay, and the
// landing point of the production plan from the head office's ERP.
asset oa_server "OA server / OA系サーバ" in oa {
  kind server
  ip 10.1.0.10
  services [https, smb, dns, ntp]
  controls [
    individual-id,
    password-policy,
    remove-unneeded-users,
    patching,
    anti-malware,
    log-forwarding,
    offline-backup,
    ups,
  ]
}

// OA端末: production planners' and quality staff's PCs (one shown). They
// reach the MES web UI for planning, productivity analysis and traceability.
asset oa_terminal "OA terminal / OA端末" in oa {
  kind workstation
  ip 10.1.0.101
  ports { usb locked }
  controls [
    individual-id,
    password-policy,
    patching,
    anti-malware,
    media-inspection,
    log-forwarding,
  ]
}

// ---- production management zone (生産管理ゾーン) ---------------------------------

// MESサーバ: turns the production plan into production instructions and
// recipes for the line, and keeps production results (traceability). Also the
// floor's time source, so timestamps in traceability data agree.
asset mes "MES server / MESサーバ" in prod_mgmt {
  kind server
  ip 10.2.0.10
  vendor "ExampleSoft"
  model "MES Suite"
  firmware "2024.2"
  services [https, ntp]
  ports { usb sealed }
  controls [
    individual-id,
    mfa,
    password-policy,
    remove-unneeded-users,
    patching,
    host-firewall,
    application-allowlist,
    least-privilege,
    file-access-control,
    operation-logs,
    log-forwarding,
    log-analysis,
    offline-backup,
    spare-device,
    ups,
  ]
}

// ---- control zone (制御ゾーン（生産現場）): the production line (生産ライン) -------

// USB is each PLC's maintenance port: soft-locked, opened only under the
// maintenance procedure with the maintenance terminal (media scanned first).
asset plc1 "Line 1 board-handling PLC / 1号ライン 基板搬送PLC" in control {
  kind plc
  ip 10.3.0.11
  vendor "ExampleCorp"
  model "X-100"
  firmware "1.05"
  services [modbus-tcp]
  ports { usb locked; ethernet-spare capped }
  controls [
    close-unneeded-services,
    program-tamper-protection,
    config-visibility,
    offline-backup,
    spare-device,
  ]
}

asset plc2 "Line 1 reflow-oven PLC / 1号ライン リフロー炉PLC" in control {
  kind plc
  ip 10.3.0.12
  vendor "ExampleElectric"
  model "Q-200"
  firmware "2.31"
  services [slmp]
  ports { usb locked; ethernet-spare capped }
  controls [
    close-unneeded-services,
    program-tamper-protection,
    config-visibility,
    offline-backup,
    spare-device,
  ]
}

// The mounter's line-management software takes placement programs (recipes)
// from the MES over an HTTPS API and reports placement logs back.
asset mounter1 "Line 1 chip mounter / 1号ライン チップマウンタ" in control {
  kind equipment
  ip 10.3.0.21
  vendor "ExampleMount"
  model "CM-50"
  firmware "5.2.0"
  services [https]
  ports { usb locked; sd-card sealed }
  controls [close-unneeded-services, application-allowlist, operation-logs, offline-backup]
}

// 検査: the automated optical inspection machine; sends results to the MES.
asset aoi1 "Line 1 automated optical inspection / 1号ライン 外観検査装置（AOI）" in control {
  kind equipment
  ip 10.3.0.22
  vendor "ExampleVision"
  model "AOI-7"
  firmware "4.0.3"
  ports { usb locked; ethernet-spare capped }
  controls [
    close-unneeded-services,
    application-allowlist,
    anti-malware,
    operation-logs,
    offline-backup,
  ]
}

// A legacy operator panel (Windows Embedded): no per-user login, see the
// waiver in waivers.kojo.
asset hmi1 "Line 1 operator panel (HMI) / 1号ライン 操作パネル（HMI）" in control {
  kind hmi
  ip 10.3.0.31
  vendor "ExamplePanel"
  model "GT-15"
  firmware "1.12"
  ports { usb locked; ethernet-spare capped }
  controls [close-unneeded-services, application-allowlist, physical-access-control, offline-backup]
}

// 保守端末（常時非接続）: kept unplugged in a locked cabinet and connected to the
// line only during maintenance; the address is reserved for those sessions.
// Brought-in PCs and USB media are the commonest entry points (EP01, EP02).
asset maint_terminal "Maintenance terminal (normally disconnected) / 保守端末（常時非接続）" in control {
  kind maintenance-terminal
  ip 10.3.0.250
  ports { usb locked; optical-drive sealed }
  controls [
    individual-id,
    password-policy,
    anti-malware,
    application-allowlist,
    media-scan,
    patching,
    physical-access-control,
    offline-backup,
  ]
}

// ---- production monitoring zone (生産状況監視ゾーン) ---------------------------------

// The figure of ch. 2 draws SCADA beside the MES server; it is placed in the
// production monitoring zone, the zone of the operation it serves
// (生産状況監視). It reads the line and the MES reads it.
asset scada "SCADA server / SCADA（監視制御システム）" in monitoring {
  kind scada
  ip 10.4.0.10
  vendor "ExampleSCADA"
  model "Vision"
  firmware "8.1"
  services [opc-ua, https]
  ports { usb locked }
  controls [
    individual-id,
    password-policy,
    patching,
    anti-malware,
    operation-logs,
    log-forwarding,
    offline-backup,
  ]
}

// ---- automated transport zone (自動搬送ゾーン) ---------------------------------------

// AGV制御PC: dispatches AGVs between the warehouse pick-up station and the
// line's parts stations.
asset agv_pc "AGV control PC / AGV制御PC" in transport {
  kind workstation
  ip 10.5.0.10
  vendor "ExampleAGV"
  model "FleetManager"
  firmware "3.0.2"
  services [https]
  ports { usb locked }
  controls [
    individual-id,
    password-policy,
    anti-malware,
    application-allowlist,
    log-forwarding,
    offline-backup,
  ]
}

// 無線LAN-AP: WPA2/3-Enterprise, only registered AGVs associate.
asset wlan_ap "Wireless LAN access point / 無線LAN-AP" in transport {
  kind access-point
  ip 10.5.0.5
  vendor "ExampleNet"
  model "AP-20"
  firmware "10.4"
  controls [wireless-allowlist, device-auth, encryption-in-transit, log-forwarding]
}

asset agv1 "AGV 1 / AGV 1号機" in transport {
  kind agv
  ip 10.5.0.21
  vendor "ExampleAGV"
  model "AGV-300"
  firmware "2.8"
  impact { safety mid }
  controls [device-auth]
}

asset agv2 "AGV 2 / AGV 2号機" in transport {
  kind agv
  ip 10.5.0.22
  vendor "ExampleAGV"
  model "AGV-300"
  firmware "2.8"
  impact { safety mid }
  controls [device-auth]
}

// ---- automated warehouse zone (自動倉庫ゾーン) ---------------------------------------

// 自動倉庫: modelled by its controller (stacker cranes, in/out stations), which
// the MES, the AGV control PC and the vendor's server talk to over SLMP.
asset wh_controller "Automated warehouse controller / 自動倉庫（制御盤）" in warehouse {
  kind plc
  ip 10.6.0.10
  vendor "ExampleLogi"
  model "AS/RS-C5"
  firmware "6.1"
  services [slmp]
  ports { usb locked; ethernet-spare capped }
  controls [close-unneeded-services, program-tamper-protection, config-visibility, offline-backup]
}

// ---- remote maintenance zone (リモートメンテナンスゾーン) ------------------------------

// 自動倉庫遠隔保守用サーバ: supplied and operated by the warehouse vendor; it
// collects the warehouse's state so the vendor can prepare maintenance. It
// reads the controller, it does not program it: programs are changed on site.
asset wh_rm_server "Automated-warehouse remote maintenance server / 自動倉庫遠隔保守用サーバ" in remote_maint {
  kind server
  ip 10.7.0.10
  vendor "ExampleLogi"
  model "RemoteCare"
  firmware "1.9"
  services [https]
  ports { usb locked }
  controls [individual-id, mfa, patching, anti-malware, operation-logs, log-forwarding]
}
