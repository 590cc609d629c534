// A small manufacturer: one building, an office and a machining floor, one
// UTM (all-in-one firewall) towards the internet, and a PLC maker that
// maintains the washing line's PLC remotely. The smallest model that still
// follows the guideline's method: operations and data with their impact
// (steps 1-2 … 1-5 [3.1.2]-[3.1.5]), zones (step 1-6 [3.1.6]), and conduits
// with the network measures of their tier [3.2.2(1)①].
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

zone oa "Office / 事務所（OAゾーン）" {
  subnet 192.168.10.0/24
  vlan 10
  controls [
    segmentation-vlan,
    ip-mac-restriction,
    ids,
    remove-unneeded-users,
    password-policy,
    individual-id,
    asset-inventory,
    vuln-info,
    vuln-assessment,
    device-logs,
  ]
}

// Derives the high tier from production; declared so it stays there.
zone control "Machining floor / 加工現場（制御ゾーン）" {
  subnet 192.168.20.0/24
  vlan 20
  tier high
  controls [
    segmentation-vlan,
    segmentation-physical,
    ip-mac-restriction,
    device-attestation,
    device-trust,
    ids,
    ips,
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
    physical-access-control,
  ]
}

// ---- assets (step 1-4) -----------------------------------------------------------

// The one boundary device: internet, vendor VPN, office and floor each on
// their own port or tunnel, with IPS and application control.
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
  controls [individual-id, mfa, patching, log-forwarding, config-management, offline-backup]
}

asset vendor_pc "Vendor service engineers' PCs / メーカ保守員端末" in vendor_centre {
  kind workstation
  ip 198.51.100.10
}

asset office_pc "Office PC (orders, CAD/CAM) / 事務所PC（受注・CAD/CAM）" in oa {
  kind workstation
  ip 192.168.10.21
  ports { usb locked }
  controls [individual-id, password-policy, patching, anti-malware, media-inspection]
}

asset nas1 "File server (NAS) / ファイルサーバ（NAS）" in oa {
  kind server
  ip 192.168.10.10
  services [smb, dns, ntp]
  controls [individual-id, password-policy, patching, file-access-control, offline-backup]
}

// Multifunction printers store scans and are often forgotten (EP05).
asset mfp1 "Multifunction printer / 複合機" in oa {
  kind mfp
  ip 192.168.10.30
  controls [password-policy, patching, close-unneeded-services]
}

asset plc1 "Washing-line PLC / 洗浄ラインPLC" in control {
  kind plc
  ip 192.168.20.10
  vendor "ExampleElectric"
  model "Q-200"
  firmware "2.31"
  services [slmp]
  ports { usb locked; ethernet-spare capped }
  controls [close-unneeded-services, program-tamper-protection, offline-backup]
}

asset cnc1 "Machining centre / マシニングセンタ" in control {
  kind equipment
  ip 192.168.20.20
  vendor "ExampleMachine"
  model "MC-400"
  firmware "31i-B"
  ports { usb locked; sd-card locked }
  controls [close-unneeded-services, offline-backup]
}

asset hmi1 "Washing-line HMI / 洗浄ライン操作パネル" in control {
  kind hmi
  ip 192.168.20.11
  ports { usb sealed }
  controls [close-unneeded-services, physical-access-control]
}

// Production engineering's PC on the floor: programs the PLC and the CNC,
// keeps the master NC programs, and fetches work orders from the office NAS.
asset eng_pc "Engineering PC / 生産技術用PC" in control {
  kind engineering-workstation
  ip 192.168.20.50
  ports { usb locked }
  controls [
    individual-id,
    password-policy,
    patching,
    anti-malware,
    application-allowlist,
    media-scan,
    offline-backup,
  ]
}
