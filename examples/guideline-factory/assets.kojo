// Protected objects (保護対象) — step 1-4 [3.1.4]: every device of the
// guideline's system diagram (装置・機器), with the inventory Appendix E asks
// for (2-6 device ledger, 2-8 model and firmware for vulnerability tracking).
// Vendors, models and firmware versions are invented placeholders.
//
// The guideline draws "the production line" as one box; here it is the
// devices of one PCB line (a conveyor PLC, a reflow-oven PLC, a chip mounter,
// an automated optical inspection machine and an operator HMI). A plant with
// several lines repeats this set per line (ch. 2: several independent lines).

// Device measures [3.2.2(1)②]. The zone-wide measures (zones.kojo) are in
// force for every device in the zone; each asset declares what it has as a
// device: which peers it accepts (peer-restriction, host-firewall), how it
// authenticates them (device-auth: IP/MAC/device ID; crypto-peer-auth:
// certificates), whether its traffic is encrypted, how programs and files
// are protected, and its logs. `ports` gives the state of the device's
// unused ports: sealed (keyed port blockers, the key issued only under the
// maintenance procedure) on high-tier devices, locked (disabled in the
// firmware or USB class restriction) elsewhere. What a device cannot do is
// in waivers.kojo, with the reason and what compensates.

// ---- boundaries ---------------------------------------------------------------
//
// The diagram shows one boundary device, the VPN appliance + firewall. The
// zone boundaries of step 1-6 need more: every conduit is enforced by a
// device with an interface in both of its zones. All four are administered
// the same way: personal admin accounts with MFA and roles (least-privilege),
// management only from the IT admin hosts (peer-restriction) over HTTPS/SSH,
// signed firmware with secure boot (program-tamper-protection), logs to the
// collector, configuration in the change-managed repository.

// VPN装置兼ファイアウォール: the site's only gateway to the internet and to the
// head office. Remote-access VPN for staff terminates here, with device
// certificates (crypto-peer-auth) and MFA. On its OA side it is also the
// site's DNS proxy (DNSSEC-validating, with threat-intelligence filtering)
// and NTP server, synchronised with public NTP servers.
asset vpn_fw "VPN appliance + firewall / VPN装置兼ファイアウォール" {
  kind firewall
  vendor "ExampleNet"
  model "UTM-500"
  firmware "7.2.8"
  interfaces { internet 203.0.113.10; intersite 198.51.100.10; oa 10.1.0.1 }
  services [https, dns, ntp]
  ports { usb locked; console locked }
  controls [
    operation-logs,
    device-auth,
    individual-id,
    mfa,
    least-privilege,
    peer-restriction,
    crypto-peer-auth,
    encryption-in-transit,
    program-tamper-protection,
    patching,
    log-forwarding,
    config-management,
    offline-backup,
  ]
}

// The IT/OT boundary between the office and the production side: a
// next-generation firewall with application control and IPS, which publishes
// the MES web UI through its reverse proxy (the conduits' `gateway`). It
// guards a high-tier zone, so it runs as an HA pair (spare-device) with its
// keys in the appliance's TPM (key-protection).
asset fw_ot "IT/OT boundary firewall / IT・OT境界ファイアウォール" {
  kind firewall
  vendor "ExampleNet"
  model "FW-300"
  firmware "7.2.8"
  interfaces { oa 10.1.0.2; prod_mgmt 10.2.0.1 }
  ports { usb sealed; console sealed }
  controls [
    operation-logs,
    device-auth,
    individual-id,
    mfa,
    least-privilege,
    peer-restriction,
    crypto-peer-auth,
    encryption-in-transit,
    key-protection,
    program-tamper-protection,
    patching,
    log-forwarding,
    config-management,
    offline-backup,
    spare-device,
  ]
}

// The floor's industrial firewall: one port per floor zone, with IPS and
// Modbus/SLMP deep-packet inspection (so `functions [read]` is enforced).
// A cold spare, configured, is kept on the shelf.
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
  ports { usb sealed; console sealed }
  controls [
    operation-logs,
    device-auth,
    individual-id,
    mfa,
    least-privilege,
    peer-restriction,
    crypto-peer-auth,
    encryption-in-transit,
    key-protection,
    program-tamper-protection,
    patching,
    log-forwarding,
    config-management,
    offline-backup,
    spare-device,
  ]
}

// Terminates the vendor's closed maintenance line (IPsec with certificates)
// and separates the remote-maintenance zone from the warehouse it serves.
asset fw_rm "Remote-maintenance firewall / リモートメンテナンス用ファイアウォール" {
  kind firewall
  vendor "ExampleNet"
  model "FW-100"
  firmware "7.2.8"
  interfaces { vendor_centre 198.51.100.130; remote_maint 10.7.0.1; warehouse 10.6.0.2 }
  ports { usb locked; console locked }
  controls [
    operation-logs,
    device-auth,
    individual-id,
    mfa,
    least-privilege,
    peer-restriction,
    crypto-peer-auth,
    encryption-in-transit,
    program-tamper-protection,
    patching,
    log-forwarding,
    config-management,
    offline-backup,
  ]
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
//
// IT's Windows baseline for every PC and server: host firewall, BitLocker
// (file-encryption), users without admin rights (least-privilege), EDR with
// tamper protection (anti-malware, program-tamper-protection), monthly
// patches, logs to the collector.

// OA系サーバ: file and groupware server, the office's DNS and NTP (relayed
// from vpn_fw), and the landing point of the production plan from the head
// office's ERP. Peers
// are domain members, authenticated by Kerberos (device-auth); HTTPS and
// SMB 3 with encryption required.
asset oa_server "OA server / OA系サーバ" in oa {
  kind server
  ip 10.1.0.10
  vendor "ExampleServers"
  model "TS-320"
  firmware "2.19.0"
  services [https, smb, dns, ntp]
  ports { usb locked }
  controls [
    operation-logs,
    peer-restriction,
    user-group-management,
    host-firewall,
    device-auth,
    encryption-in-transit,
    least-privilege,
    file-access-control,
    file-encryption,
    anti-malware,
    program-tamper-protection,
    patching,
    log-forwarding,
  ]
}

// OA端末: production planners' and quality staff's PCs (one shown), laptops
// on docking stations. They reach the MES web UI for planning, productivity
// analysis and traceability; their files live on the OA server.
asset oa_terminal "OA terminal / OA端末" in oa {
  kind workstation
  ip 10.1.0.101
  vendor "ExamplePC"
  model "OptiBook 5"
  firmware "1.22.0"
  ports { usb locked }
  controls [
    operation-logs,
    peer-restriction,
    user-group-management,
    host-firewall,
    device-auth,
    encryption-in-transit,
    least-privilege,
    file-access-control,
    file-encryption,
    anti-malware,
    program-tamper-protection,
    patching,
    log-forwarding,
  ]
}

// ---- production management zone (生産管理ゾーン) ---------------------------------

// MESサーバ: turns the production plan into production instructions and
// recipes for the line, and keeps production results (traceability). Also the
// floor's time source, from a GNSS receiver on its serial port, so timestamps
// in traceability data agree and do not depend on the office.
// A high-tier server: TLS and OPC UA with certificates on both sides
// (crypto-peer-auth), keys in the server's TPM, an EDR suite with
// allow-listing, file-integrity monitoring and exploit protection (the
// protection tools), reserved CPU and memory on its host (resource-protection-
// tools), and a warm standby (spare-device). Modbus and SLMP to the PLCs
// cannot be encrypted; that is waived on the PLCs, not here.
// Its software is the vendor's MES package plus the plant's own recipe
// conversion and traceability add-ons (独自プログラム), so the guideline's
// questions for in-house programs apply as well as those for packaged
// software, which is all a server's kind would give it [3.2.2(1)③].
asset mes "MES server / MESサーバ" in prod_mgmt {
  kind server
  ip 10.2.0.10
  vendor "ExampleSoft"
  model "MES Suite"
  firmware "2024.2"
  software [packaged-software, in-house-program]
  component "MES Suite" {
    kind application
    version "2024.2"
    vendor "ExampleSoft"
    purl "pkg:generic/examplesoft/mes-suite@2024.2"
  }
  component "Recipe conversion and traceability add-ons / 独自プログラム" { kind application }
  services [https, ntp]
  ports { usb sealed }
  controls [
    device-auth,
    peer-restriction,
    user-group-management,
    host-firewall,
    crypto-peer-auth,
    encryption-in-transit,
    key-protection,
    least-privilege,
    application-allowlist,
    program-tamper-protection,
    program-protection-tools,
    file-access-control,
    file-encryption,
    file-protection-tools,
    resource-protection-tools,
    config-management,
    operation-logs,
    log-forwarding,
    spare-device,
  ]
}

// ---- control zone (制御ゾーン（生産現場）): the production line (生産ライン) -------

// The PLCs accept connections only from the MES, the SCADA and the
// maintenance terminal (IP filter: peer-restriction, and IP authentication,
// device-auth); the CPU's access level lets those peers read and write data
// registers only, programs and parameters need the engineering password
// (least-privilege); programs are write-protected in RUN with the key switch
// (program-tamper-protection); the CPU's event history records program
// writes and mode changes (operation-logs). Programs are loaded over the
// network from the maintenance terminal, so USB and spare Ethernet are
// sealed. No user accounts, no cryptography: see waivers.kojo.
asset plc1 "Line 1 board-handling PLC / 1号ライン 基板搬送PLC" in control {
  kind plc
  ip 10.3.0.11
  vendor "ExampleCorp"
  model "X-100"
  firmware "1.05"
  services [modbus-tcp]
  ports { usb sealed; ethernet-spare sealed }
  controls [
    log-forwarding,
    peer-restriction,
    device-auth,
    least-privilege,
    program-tamper-protection,
    operation-logs,
  ]
}

asset plc2 "Line 1 reflow-oven PLC / 1号ライン リフロー炉PLC" in control {
  kind plc
  ip 10.3.0.12
  vendor "ExampleElectric"
  model "Q-200"
  firmware "2.31"
  services [slmp]
  ports { usb sealed; ethernet-spare sealed }
  controls [
    log-forwarding,
    peer-restriction,
    device-auth,
    least-privilege,
    program-tamper-protection,
    operation-logs,
  ]
}

// The mounter's line-management software takes placement programs (recipes)
// from the MES over an HTTPS API with client certificates (crypto-peer-auth)
// and reports placement logs back. Its Windows-based controller allows only
// the MES (peer-restriction) and runs only allow-listed programs; set-up
// engineers and operators log on with their own accounts and roles. The
// vendor's image is closed (no third-party tools may be installed, the
// allow-listing is the vendor's own), so it keeps its kind's capabilities:
// user accounts, but no `general-purpose-os` for the tool rows.
asset mounter1 "Line 1 chip mounter / 1号ライン チップマウンタ" in control {
  kind equipment
  ip 10.3.0.21
  vendor "ExampleMount"
  model "CM-50"
  firmware "5.2.0"
  services [https]
  ports { usb sealed; sd-card sealed }
  controls [
    log-forwarding,
    device-auth,
    individual-id,
    least-privilege,
    peer-restriction,
    crypto-peer-auth,
    encryption-in-transit,
    application-allowlist,
    program-tamper-protection,
    operation-logs,
  ]
}

// 検査: the automated optical inspection machine; sends results to the MES
// over HTTPS, checking the MES's certificate (crypto-peer-auth). Windows-based
// like the mounter, with personal accounts for inspectors.
asset aoi1 "Line 1 automated optical inspection / 1号ライン 外観検査装置（AOI）" in control {
  kind equipment
  ip 10.3.0.22
  vendor "ExampleVision"
  model "AOI-7"
  firmware "4.0.3"
  ports { usb sealed; ethernet-spare sealed }
  controls [
    log-forwarding,
    device-auth,
    individual-id,
    least-privilege,
    peer-restriction,
    crypto-peer-auth,
    encryption-in-transit,
    application-allowlist,
    anti-malware,
    program-tamper-protection,
    operation-logs,
  ]
}

// A legacy operator panel (Windows Embedded). Operators and supervisors log
// on to the HMI runtime with their own accounts (password only); the
// emergency stop is hard-wired and needs no logon (Appendix E 2-10). Windows
// firewall on (host-firewall); an ICS lockdown agent made for legacy Windows
// gives allow-listing, write protection of program and data folders and
// memory/exploit protection (the protection tools). In a locked enclosure at
// the line. No MFA, no encryption, no disk encryption: see waivers.kojo.
asset hmi1 "Line 1 operator panel (HMI) / 1号ライン 操作パネル（HMI）" in control {
  kind hmi
  ip 10.3.0.31
  vendor "ExamplePanel"
  model "GT-15"
  firmware "1.12"
  component "Windows Embedded" { kind operating-system; vendor "Microsoft" }
  component "ICS lockdown agent" { kind application }
  ports { usb sealed; ethernet-spare sealed }
  controls [
    log-forwarding,
    peer-restriction,
    user-group-management,
    individual-id,
    least-privilege,
    host-firewall,
    device-auth,
    file-access-control,
    application-allowlist,
    program-tamper-protection,
    program-protection-tools,
    file-protection-tools,
    resource-protection-tools,
    operation-logs,
    physical-access-control,
  ]
}

// 保守端末（常時非接続）: kept unplugged in a locked cabinet and connected to the
// line only during maintenance; the address is reserved for those sessions.
// Brought-in PCs and USB media are the commonest entry points (EP01, EP02).
// Smart-card logon (mfa), keys on the card and in the TPM (key-protection),
// BitLocker, EDR with allow-listing, its own media scanner. It holds the
// master programs of the line (config-management in zones.kojo). Its USB port
// is the one port on the line in use (利用ポート): vendors' programs arrive on
// media from the media cabinet, scanned at the kiosk and again on the
// terminal (media-scan), and device control admits only the plant's
// registered sticks. Its unused optical drive is sealed.
asset maint_terminal "Maintenance terminal (normally disconnected) / 保守端末（常時非接続）" in control {
  kind maintenance-terminal
  ip 10.3.0.250
  vendor "ExamplePC"
  model "RuggedBook 14"
  firmware "3.8.1"
  ports { usb used; optical-drive sealed }
  controls [
    log-forwarding,
    peer-restriction,
    user-group-management,
    individual-id,
    mfa,
    least-privilege,
    host-firewall,
    device-auth,
    key-protection,
    file-access-control,
    file-encryption,
    anti-malware,
    application-allowlist,
    program-tamper-protection,
    program-protection-tools,
    file-protection-tools,
    resource-protection-tools,
    media-scan,
    patching,
    operation-logs,
    physical-access-control,
  ]
}

// ---- production monitoring zone (生産状況監視ゾーン) ---------------------------------

// The figure of ch. 2 draws SCADA beside the MES server; it is placed in the
// production monitoring zone, the zone of the operation it serves
// (生産状況監視). It reads the line and the MES reads it, over OPC UA with
// Sign&Encrypt (encryption-in-transit); the line's own protocols it polls
// cannot be encrypted (see the PLC waivers).
asset scada "SCADA server / SCADA（監視制御システム）" in monitoring {
  kind scada
  ip 10.4.0.10
  vendor "ExampleSCADA"
  model "Vision"
  firmware "8.1"
  services [opc-ua, https]
  ports { usb locked }
  controls [
    peer-restriction,
    user-group-management,
    host-firewall,
    device-auth,
    encryption-in-transit,
    least-privilege,
    file-access-control,
    file-encryption,
    anti-malware,
    program-tamper-protection,
    patching,
    operation-logs,
    log-forwarding,
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
    operation-logs,
    peer-restriction,
    user-group-management,
    individual-id,
    host-firewall,
    device-auth,
    encryption-in-transit,
    least-privilege,
    file-access-control,
    file-encryption,
    anti-malware,
    application-allowlist,
    program-tamper-protection,
    log-forwarding,
  ]
}

// 無線LAN-AP: WPA3-Enterprise, only registered AGVs associate (802.1X with
// device certificates); admins log on with personal accounts via RADIUS.
asset wlan_ap "Wireless LAN access point / 無線LAN-AP" in transport {
  kind access-point
  ip 10.5.0.5
  vendor "ExampleNet"
  model "AP-20"
  firmware "10.4"
  ports { usb locked; console locked }
  controls [
    operation-logs,
    individual-id,
    least-privilege,
    wireless-allowlist,
    peer-restriction,
    device-auth,
    encryption-in-transit,
    program-tamper-protection,
    log-forwarding,
  ]
}

// The AGVs join the wireless LAN with device certificates (device-auth) over
// WPA3-Enterprise (encryption-in-transit), take orders only from the AGV
// control PC (peer-restriction), keep a travel and event log, and need the
// maintenance key switch for anything but running (least-privilege).
asset agv1 "AGV 1 / AGV 1号機" in transport {
  kind agv
  ip 10.5.0.21
  vendor "ExampleAGV"
  model "AGV-300"
  firmware "2.8"
  impact { safety mid }
  ports { usb locked; ethernet-spare locked }
  controls [
    log-forwarding,
    least-privilege,
    peer-restriction,
    device-auth,
    encryption-in-transit,
    program-tamper-protection,
    operation-logs,
  ]
}

asset agv2 "AGV 2 / AGV 2号機" in transport {
  kind agv
  ip 10.5.0.22
  vendor "ExampleAGV"
  model "AGV-300"
  firmware "2.8"
  impact { safety mid }
  ports { usb locked; ethernet-spare locked }
  controls [
    log-forwarding,
    least-privilege,
    peer-restriction,
    device-auth,
    encryption-in-transit,
    program-tamper-protection,
    operation-logs,
  ]
}

// ---- automated warehouse zone (自動倉庫ゾーン) ---------------------------------------

// 自動倉庫: modelled by its controller (stacker cranes, in/out stations), which
// the MES, the AGV control PC and the vendor's server talk to over SLMP. Like
// the line's PLCs: IP filter, access level, key switch, event history.
asset wh_controller "Automated warehouse controller / 自動倉庫（制御盤）" in warehouse {
  kind plc
  ip 10.6.0.10
  vendor "ExampleLogi"
  model "AS/RS-C5"
  firmware "6.1"
  services [slmp]
  ports { usb locked; ethernet-spare locked }
  controls [
    log-forwarding,
    peer-restriction,
    device-auth,
    least-privilege,
    program-tamper-protection,
    operation-logs,
  ]
}

// ---- remote maintenance zone (リモートメンテナンスゾーン) ------------------------------

// 自動倉庫遠隔保守用サーバ: supplied and operated by the warehouse vendor; it
// collects the warehouse's state so the vendor can prepare maintenance. It
// reads the controller, it does not program it: programs are changed on site.
// The vendor's maintenance contract fixes its hardening, patching and backup.
asset wh_rm_server "Automated-warehouse remote maintenance server / 自動倉庫遠隔保守用サーバ" in remote_maint {
  kind server
  ip 10.7.0.10
  vendor "ExampleLogi"
  model "RemoteCare"
  firmware "1.9"
  services [https]
  ports { usb locked }
  controls [
    peer-restriction,
    user-group-management,
    mfa,
    host-firewall,
    device-auth,
    encryption-in-transit,
    least-privilege,
    file-access-control,
    file-encryption,
    anti-malware,
    program-tamper-protection,
    patching,
    operation-logs,
    log-forwarding,
  ]
}
