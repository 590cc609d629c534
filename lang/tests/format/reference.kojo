plant "KNT1" {
  name "Kanto Plant 1 / 関東第一工場"
  profile meti-factory            // catalogue to check against; profiles stack
}

zone internet "Internet" : untrusted
zone vendor "Equipment vendor maintenance centre / 設備ベンダ保守センタ" : external

zone prod_mgmt "Production management / 生産管理ゾーン" {
  subnet 10.10.0.0/24
  vlan 10
}

zone control "Control (production floor) / 制御ゾーン（生産現場）" {
  subnet 10.20.0.0/24
  vlan 20
  tier high                       // may raise the derived tier, never lower it
}

operation production "Production (+inspection) / 生産（＋検査）" {
  impact { safety high; continuity high; quality high; delivery mid; cost low }
  zones [control]
  data [recipe, results]
}

data recipe "Production recipe / 生産レシピ" {
  impact { quality high }
  stored-on [mes, plc1]
}

asset mes "MES server" in prod_mgmt {
  kind server
  ip 10.10.0.5
  controls [individual-id, log-forwarding, patching]
}

asset plc1 "Line 1 PLC" in control {
  kind plc
  ip 10.20.0.10
  vendor "ExampleCorp" model "X-100" firmware "1.05"
  services [modbus-tcp]
  ports { usb locked; ethernet-spare capped }
}

conduit mes_to_plc from prod_mgmt to control {
  allow mes -> plc1 service modbus-tcp { functions [read] }
  controls [firewall, protocol-allowlist, ids]
  enforced-by fw1
}

conduit remote_maint from vendor to remote_maint_zone {
  allow any -> jump1 service https
  controls [firewall, mfa, per-user-targets, time-window, session-log]
  window "Mon-Fri 09:00-17:00 Asia/Tokyo"
}

waive NW-MFA on asset hmi_legacy {
  reason "Windows XP HMI; the vendor cannot add MFA"
  until 2027-03-31
  compensating [isolation, ids]
}

attest E-1-1 level 3 {
  evidence "docs/org/budget-approval.pdf"
  owner "Plant manager"
}
