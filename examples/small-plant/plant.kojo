// A small manufacturer: one building, an office and a machining floor, one
// UTM (all-in-one firewall) towards the internet, and a PLC maker that
// maintains the washing line's PLC remotely. The smallest model that still
// follows the guideline's method: operations and data with their impact
// (steps 1-2 … 1-5 [3.1.2]-[3.1.5]), zones (step 1-6 [3.1.6]), assets with
// the device measures of their tier [3.2.2(1)②], conduits with the network
// measures of theirs [3.2.2(1)①] (conduits.kojo), and the exceptions, each
// with its reason and an expiry (waivers.kojo).
//
// Names, addresses and versions are invented.

plant "SKR1" {
  name "Sakura Precision, main plant / さくら精密 本社工場"
  profile meti-factory
}

// ---- operations and data (steps 1-2 … 1-5) -------------------------------------

// Machining and washing of customer parts. A stopped floor misses delivery
// dates; a wrong NC program scraps parts or crashes a spindle.
operation production "Machining and washing / 加工・洗浄" {
  impact { safety mid; continuity high; quality high; delivery high; cost mid }
  zones [control]
  data [nc_programs, work_orders]
  assets [plc1, cnc1, hmi1, eng_pc]
}

// Orders, scheduling and shipping in the office.
operation order_management "Order and production management / 受注・生産管理" {
  impact { safety low; continuity mid; quality low; delivery mid; cost mid }
  zones [oa]
  data [work_orders]
  assets [office_pc, nas1]
}

// The master copies live on the engineering PC on the floor, not in the
// office, so the office stays at the medium tier.
data nc_programs "NC and PLC programs / NCプログラム・PLCプログラム" {
  impact { safety mid; continuity high; quality high; delivery mid; cost mid }
  stored-on [eng_pc, cnc1, plc1]
}

data work_orders "Work orders and drawings / 作業指示・図面" {
  impact { safety low; continuity mid; quality mid; delivery mid; cost mid }
  stored-on [nas1, office_pc, eng_pc]
}

// ---- zones (step 1-6) --------------------------------------------------------

zone internet "Internet / インターネット" : untrusted

// The PLC maker's service centre. Its engineers connect through a
// site-to-site VPN that ends on the UTM; the tunnel is its own zone so that
// the UTM's rules can tell vendor traffic from the rest of the internet.
zone vendor_centre "PLC maker's service centre / PLCメーカ サービスセンタ" : external

// Zone-wide controls are in force for every device in the zone: the
// network's measures [3.2.2(1)①] and the company's procedures for devices
// [3.2.2(1)②]. The procedures, for both zones: a hardening checklist every
// device passes before it is connected (close-unneeded-services,
// remove-unneeded-programs, Appendix E 3-3); leavers' accounts removed the
// same week and a password rule (remove-unneeded-users, password-policy);
// JVN advisories matched against the device ledger weekly and a yearly scan
// by the IT contractor (vuln-info, vuln-assessment, E 2-8); a ledger of
// removable media (media-inspection), which on the floor are also scanned on
// the engineering PC before use (media-scan); a monthly look at CPU, memory
// and disk (resource-checks); settings exported to the ledger after each
// change (config-visibility); a weekly backup to two rotating USB disks, one
// kept at the president's home (offline-backup, E 2-13). The UTM's IDS logs
// go to its vendor's log service (ids-log-integration).
zone oa "Office / 事務所（OAゾーン）" {
  subnet 192.168.10.0/24
  vlan 10
  role office
  controls [
    ndr,
    segmentation-vlan,
    ip-mac-restriction,
    ids,
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
  ]
}

// Derives the high tier from production; declared so it stays there. Its own
// switch (segmentation-physical), IPS and virtual patching at the UTM for
// machines that cannot be patched, the master NC and PLC programs and
// settings kept on the engineering PC and compared with the machines monthly
// (config-management), a UPS for the control cabinets and the engineering PC,
// and a locked floor after hours (physical-access-control). The PLC and the
// machining centre have no user accounts, so `individual-id` is per device.
// There is no private generator: see waivers.kojo.
zone control "Machining floor / 加工現場（制御ゾーン）" {
  subnet 192.168.20.0/24
  vlan 20
  tier high
  controls [
    ndr,
    segmentation-vlan,
    segmentation-physical,
    ip-mac-restriction,
    device-attestation,
    device-trust,
    ids,
    ips,
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
    media-scan,
    resource-checks,
    config-visibility,
    config-management,
    offline-backup,
    ups,
    physical-access-control,
  ]
}

// ---- assets (step 1-4) -----------------------------------------------------------

// The one boundary device: internet, vendor VPN, office and floor each on
// their own port or tunnel, with IPS and application control. It is also the
// DNS proxy and NTP server on the office and floor sides, so no DNS or NTP
// crosses a boundary. The floor is high-tier, so its admin keys sit in the
// TPM, the VPN authenticates with certificates, and a second, configured
// unit is on the shelf.
asset utm1 "UTM (firewall, VPN, IPS) / UTM（ファイアウォール・VPN・IPS）" {
  kind firewall
  vendor "ExampleNet"
  model "UTM-60"
  firmware "7.4.3"
  interfaces {
    internet 203.0.113.20
    vendor_centre 198.51.100.1
    oa 192.168.10.1
    control 192.168.20.1
  }
  services [dns, ntp]
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

asset vendor_pc "Vendor service engineers' PCs / メーカ保守員端末" in vendor_centre {
  kind workstation
  ip 198.51.100.10
}

// The office's Windows PC and NAS: host firewall on, BitLocker or encrypted
// volumes (file-encryption), users without admin rights (least-privilege),
// anti-virus with tamper protection, both on a small UPS.
asset office_pc "Office PC (orders, CAD/CAM) / 事務所PC（受注・CAD/CAM）" in oa {
  kind workstation
  ip 192.168.10.21
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
    ups,
  ]
}

// Shares work orders and drawings with the office (SMB 3, encryption
// required) and with the engineering PC (SFTP). Its USB port takes only the
// two registered backup disks.
asset nas1 "File server (NAS) / ファイルサーバ（NAS）" in oa {
  kind server
  ip 192.168.10.10
  services [smb, ssh]
  ports { usb locked }
  controls [
    anti-malware,
    log-forwarding,
    peer-restriction,
    user-group-management,
    host-firewall,
    device-auth,
    encryption-in-transit,
    least-privilege,
    file-access-control,
    file-encryption,
    program-tamper-protection,
    patching,
    operation-logs,
    ups,
  ]
}

// Multifunction printers store scans and are often forgotten (EP05). This one
// accepts print and scan jobs from office addresses only, with a PIN per
// user, encrypted printing and scan-to-folder, signed firmware and a job log;
// its USB port is disabled. It is not on the UPS: see waivers.kojo.
asset mfp1 "Multifunction printer / 複合機" in oa {
  kind mfp
  ip 192.168.10.30
  ports { usb locked }
  controls [
    file-access-control,
    file-encryption,
    log-forwarding,
    least-privilege,
    peer-restriction,
    device-auth,
    encryption-in-transit,
    program-tamper-protection,
    patching,
    operation-logs,
  ]
}

// The washing line's PLC: IP filter (the engineering PC, the office PC's
// read-only counts and the vendor; peer-restriction, device-auth), access
// level and program write-protection in RUN, event history, a spare CPU on
// the shelf. Programs are loaded over the network, so USB and the spare
// Ethernet port are sealed. No user accounts, no cryptography: see
// waivers.kojo.
asset plc1 "Washing-line PLC / 洗浄ラインPLC" in control {
  kind plc
  ip 192.168.20.10
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
    spare-device,
  ]
}

// NC programs come from the engineering PC over the network (the NC's data
// server accepts that PC only), so the USB port and the memory-card slot are
// sealed. Program and parameter changes need the NC's protect key; the NC
// keeps an operation history. Unlike most production equipment it has no
// user accounts at all, so it declares its capabilities: the account rows
// (NW-INDIVIDUAL-ID, NW-MFA …) are not applicable to it, and `kojo check
// --show-not-applicable` says so.
asset cnc1 "Machining centre / マシニングセンタ" in control {
  kind equipment
  capabilities [on-premises]
  ip 192.168.20.20
  vendor "ExampleMachine"
  model "MC-400"
  firmware "31i-B"
  ports { usb sealed; sd-card sealed }
  controls [
    log-forwarding,
    peer-restriction,
    device-auth,
    least-privilege,
    program-tamper-protection,
    operation-logs,
  ]
}

// A panel PC (Windows IoT Enterprise LTSC) running the washing line's HMI
// software: personal operator logons (password only), Windows firewall
// admitting the PLC and the engineering PC only, allow-listing with the
// embedded write filter (program and file protection tools), BitLocker with
// the TPM, and a spare panel on the shelf. In the line's locked cabinet.
asset hmi1 "Washing-line HMI / 洗浄ライン操作パネル" in control {
  kind hmi
  ip 192.168.20.11
  ports { usb sealed }
  controls [
    log-forwarding,
    peer-restriction,
    user-group-management,
    individual-id,
    least-privilege,
    host-firewall,
    device-auth,
    key-protection,
    file-access-control,
    file-encryption,
    application-allowlist,
    program-tamper-protection,
    program-protection-tools,
    file-protection-tools,
    resource-protection-tools,
    operation-logs,
    spare-device,
    physical-access-control,
  ]
}

// Production engineering's PC on the floor: programs the PLC and the CNC,
// keeps the master NC programs, and fetches work orders from the office NAS.
// Logon with a personal account and a hardware security key (mfa), keys in
// the TPM, BitLocker, allow-listing and an endpoint protection suite, its
// own media scanner, and an imaged spare PC. Its USB port is sealed: files
// arrive through the NAS.
asset eng_pc "Engineering PC / 生産技術用PC" in control {
  kind engineering-workstation
  ip 192.168.20.50
  ports { usb sealed }
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
    spare-device,
  ]
}
