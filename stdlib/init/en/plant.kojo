// {{project}}: a first model to start from. Two zones of a factory network,
// the firewall between them, a server, a PLC, and the one connection the
// firewall allows. Replace the names, addresses and measures with your
// plant's; `kojo check` says what the guideline asks of each zone, conduit
// and device at its tier.

// The site: its short code and its name, as documents show them.
plant "PLANT1" {
  name "{{project}}"
  profile meti-factory
}

// ---- operations: what the plant does, and how bad its loss would be ----------

// Impact on safety, business continuity, quality, delivery and cost, each
// low, mid or high. A zone needs the tier of the most important operation,
// data or device in it: `mid` here puts the control zone at the medium tier
// (`kojo check --explain-tiers` shows how).
operation production "Production on line 1" {
  impact { safety mid; continuity mid; quality mid; delivery mid; cost low }
  zones [control]
  assets [plc1]
}

operation planning "Production planning" {
  impact { safety low; continuity low; quality low; delivery low; cost low }
  zones [prod_mgmt]
  assets [mes]
}

// ---- zones: areas of the network with one level of protection ---------------

// `controls` are the measures in place, claims you stand behind: remove one
// your plant does not have, and `kojo check` names the requirement it leaves
// open. Controls of a zone are in force for every device in it; here, the
// procedures for all devices (accounts, passwords, vulnerability
// information, hardening, logs).
zone prod_mgmt "Production management" {
  subnet 10.10.0.0/24
  vlan 10
  controls [
    remove-unneeded-users,
    password-policy,
    vuln-info,
    close-unneeded-services,
    remove-unneeded-programs,
    device-logs,
    system-logs,
  ]
}

// The medium tier asks more of the network (IP/MAC restriction, traffic
// monitoring (NDR) and an IDS with its logs, an inventory) and of the devices (vulnerability assessment,
// media inspection, resource checks, backups, a UPS).
zone control "Control (line 1)" {
  subnet 10.20.0.0/24
  vlan 20
  controls [
    ip-mac-restriction,
    ndr,
    ids,
    ids-log-integration,
    asset-inventory,
    remove-unneeded-users,
    password-policy,
    vuln-info,
    vuln-assessment,
    close-unneeded-services,
    remove-unneeded-programs,
    device-logs,
    system-logs,
    media-inspection,
    resource-checks,
    config-visibility,
    offline-backup,
    ups,
  ]
}

// ---- assets: the devices to protect ---------------------------------------

// An enforcing device has an interface in each zone it joins; `kojo build`
// generates its rules from the conduits it enforces.
asset fw1 "Boundary firewall" {
  kind firewall
  interfaces { prod_mgmt 10.10.0.1; control 10.20.0.1 }
  ports { usb locked; console locked }
  controls [
    individual-id,
    least-privilege,
    peer-restriction,
    device-auth,
    encryption-in-transit,
    program-tamper-protection,
    operation-logs,
    log-forwarding,
  ]
}

asset mes "Production management server" in prod_mgmt {
  kind server
  ip 10.10.0.10
  ports { usb capped }
  controls [file-access-control, user-group-management, anti-malware]
}

asset plc1 "Line 1 PLC" in control {
  kind plc
  ip 10.20.0.10
  services [opc-ua]
  ports { usb locked; sd-card locked }
  controls [
    individual-id,
    least-privilege,
    peer-restriction,
    device-auth,
    encryption-in-transit,
    program-tamper-protection,
    operation-logs,
    log-forwarding,
  ]
}

// ---- conduits: the traffic allowed between zones ----------------------------

// A conduit runs in the direction connections are opened; replies need no
// rule. Everything no flow allows is denied.
conduit mes_to_plc "The server reads line 1's data" from prod_mgmt to control {
  allow mes -> plc1 service opc-ua
  controls [firewall, stealth, protocol-allowlist, ids]
  enforced-by fw1
}
