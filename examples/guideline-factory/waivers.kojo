// Waivers: reviewed, expiring exceptions where a device cannot meet a rule.
// Equipment that cannot encrypt or be patched is the normal case on a
// factory floor; the model says so openly, names what reduces the risk
// meanwhile (compensating controls in force on the device or its zone), and
// expires so it is looked at again. The IT/OT committee reviews them every
// March with the budget for the following year (docs/org/). Devices that
// share one decision (same reason, expiry and compensating controls) share
// one waiver.
//
// What a device cannot have at all is no exception: the PLCs, the warehouse
// controller and the AGVs have no user accounts (their kinds' default
// capabilities), so the user-account rows (NW-INDIVIDUAL-ID, NW-MFA …) are
// not applicable to them and need no waiver; `kojo check
// --show-not-applicable` lists them with the reason.
//
//   device                  waived                                  why
//   plc1, plc2              DEV-ENCRYPTION, DEV-CRYPTO-AUTH,        plaintext protocols, no cryptography
//                           DEV-KEY-PROTECTION                      in the CPU
//   wh_controller           DEV-ENCRYPTION                          the same, at the medium tier
//   hmi1                    NW-MFA, DEV-ENCRYPTION, DEV-CRYPTO-AUTH, legacy Windows Embedded panel
//                           DEV-KEY-PROTECTION, DEV-FILE-ENCRYPTION
//   mounter1, aoi1          NW-MFA, DEV-KEY-PROTECTION              vendor software until the refresh
//   maint_terminal          DEV-ENCRYPTION, DEV-CRYPTO-AUTH,        talks the PLCs' protocols; its USB
//                           DEV-PORT-HARD-LOCKOUT                   port is the line's used port
//   oa_to_internet          NW-TRAFFIC-ALLOWLIST                    web sites cannot be named
//   internet_to_oa          NW-TRAFFIC-ALLOWLIST                    VPN clients have no fixed address

// ---- the line's PLCs (control zone, tier high) -------------------------------------
//
// Modbus/TCP (plc1) and SLMP (plc2) have no encryption and no cryptographic
// authentication. (The CPUs have no user accounts either, one engineering
// password guarding programs and parameters, so the account rows do not
// apply to them.) What compensates: the control
// zone's own switches (segmentation-physical), fw_floor's IPS and
// Modbus/SLMP function filtering on every conduit into the zone, the PLCs' IP
// filters (peer-restriction, device-auth), the CPU access level
// (least-privilege) and event history (operation-logs). People reach the
// PLCs only through the maintenance terminal (personal smart-card logon) and
// the HMI (personal logon). Both PLCs are replaced at the FY2027 line
// refresh by models with user management and secure communication; until
// then the waivers are renewed each March only with that plan still in place.

// One waiver per rule for both PLCs: the decision, its reason and what
// compensates are the same for the X-100 and the Q-200.

waive DEV-ENCRYPTION on asset [plc1, plc2] {
  reason "Modbus/TCP (plc1; the X-100 offers no Modbus/TLS) and SLMP (plc2) have no encryption; encrypting would also blind fw_floor's function filtering. Traffic stays on the control zone's own switches / Modbus/TCP・SLMPは暗号化不可"
  until 2027-03-31
  compensating [segmentation-physical, ips, peer-restriction]
}

waive DEV-CRYPTO-AUTH on asset [plc1, plc2] {
  reason "The X-100 and the Q-200 can only filter peers by IP address, not prove them cryptographically / 暗号による相手認証の機能なし"
  until 2027-03-31
  compensating [peer-restriction, device-auth, device-attestation]
}

waive DEV-KEY-PROTECTION on asset [plc1, plc2] {
  reason "No cryptographic keys on the X-100 or the Q-200 (no encryption, see DEV-ENCRYPTION), so none to protect / 暗号鍵を持たない"
  until 2027-03-31
  compensating [segmentation-physical, physical-access-control]
}

// ---- the warehouse controller (medium tier) ------------------------------------------
//
// The same limits at the medium tier. The warehouse's controller belongs to
// its vendor's system and is replaced with it. (The AGVs, driven by the AGV
// control PC, have no logon of their own: nothing to waive.)

waive DEV-ENCRYPTION on asset wh_controller {
  reason "SLMP has no encryption; fw_floor and fw_rm filter its functions, which needs plaintext / SLMPは暗号化不可"
  until 2027-03-31
  compensating [segmentation-vlan, peer-restriction, ids]
}

// ---- the line's operator panel: legacy Windows Embedded -------------------------
//
// The control zone is high-tier, which asks for multi-factor authentication
// of users, encryption with strictly protected keys and cryptographic peer
// authentication, and file encryption [3.2.2(1)②]. The panel's vendor image
// supports none of them; the panel is replaced at the FY2027 line refresh.
// Operators and supervisors log on with personal accounts; the emergency stop
// is hard-wired (Appendix E 2-10). A lockdown agent, a sealed enclosure and
// the zone's IPS compensate.

waive NW-MFA on asset hmi1 {
  reason "Legacy Windows Embedded panel: the HMI runtime has personal accounts with passwords only and the vendor cannot add a second factor; replaced at the FY2027 line refresh / 旧型パネルでMFA非対応"
  until 2027-03-31
  compensating [physical-access-control, application-allowlist, individual-id]
}

waive DEV-ENCRYPTION on asset hmi1 {
  reason "The panel talks to the PLCs in their plaintext protocols; there is nothing to encrypt with on either side / PLCとの通信は暗号化不可"
  until 2027-03-31
  compensating [segmentation-physical, host-firewall, ips]
}

// DEV-CRYPTO-AUTH for the panel is waived with the maintenance terminal's,
// below: the same PLCs, the same limit.

waive DEV-KEY-PROTECTION on asset hmi1 {
  reason "No transport keys on the panel (see DEV-ENCRYPTION) and no TPM in the legacy hardware / 暗号鍵・TPMなし"
  until 2027-03-31
  compensating [physical-access-control, file-protection-tools]
}

waive DEV-FILE-ENCRYPTION on asset hmi1 {
  reason "The vendor's panel image has no disk encryption and enabling it voids support; the panel holds screens and alarm history, no recipes or programs / ベンダイメージが暗号化非対応"
  until 2027-03-31
  compensating [physical-access-control, file-access-control, file-protection-tools]
}

// ---- the mounter and the inspection machine: vendor software -------------------

// The mounter's console and the AOI's inspection software have personal
// accounts but no second factor, and keep their TLS keys in files, until
// their vendors' next major releases, planned with the line refresh.
waive NW-MFA on asset [mounter1, aoi1] {
  reason "Vendor line software (mounter console, AOI inspection) has personal accounts but no MFA; both vendors add it in their FY2027 releases, installed at the line refresh / 装置ソフトはMFA非対応（次期版で対応予定）"
  until 2027-09-30
  compensating [physical-access-control, operation-logs, application-allowlist]
}

waive DEV-KEY-PROTECTION on asset [mounter1, aoi1] {
  reason "The line software keeps its TLS keys in file keystores; hardware key storage (TPM) comes with the vendors' FY2027 releases / 鍵はソフトウェアの鍵ストアに保存（次期版でTPM対応）"
  until 2027-09-30
  compensating [physical-access-control, application-allowlist, program-tamper-protection]
}

// ---- the maintenance terminal -------------------------------------------------

// It programs the PLCs in their own protocols, which neither encrypt nor
// authenticate; it is plugged in only for maintenance, under supervision.
waive DEV-ENCRYPTION on asset maint_terminal {
  reason "Engineering traffic to the PLCs uses their plaintext protocols; the terminal is connected only during supervised maintenance / PLCとの保守通信は暗号化不可"
  until 2027-03-31
  compensating [physical-access-control, segmentation-physical, host-firewall]
}

// Neither the panel nor the terminal can prove the PLCs they talk to.
waive DEV-CRYPTO-AUTH on asset [hmi1, maint_terminal] {
  reason "The PLCs the panel and the terminal talk to cannot prove themselves cryptographically; each host's firewall admits the line's addresses only / PLCが暗号による相手認証に非対応"
  until 2027-03-31
  compensating [host-firewall, device-auth, device-attestation]
}

// ---- office web access --------------------------------------------------------

// Web sites cannot be named in advance, so the office's web flows go to `any`
// host on the internet and cannot prove message-type restriction. vpn_fw
// passes HTTPS only, with URL-category filtering and its IPS signatures.
waive NW-TRAFFIC-ALLOWLIST on conduit oa_to_internet {
  reason "Web browsing cannot name its destinations; vpn_fw allows HTTPS only, with URL-category filtering and application control / Web閲覧先は列挙不可"
  until 2027-03-31
  compensating [firewall, ids, nat]
}

// Staff laptops reach the office through the remote-access VPN from
// addresses nobody can list in advance, so the flow's source is `any` host
// on the internet and the conduit cannot prove message-type restriction by
// address. What admits a laptop is its device certificate and MFA at
// vpn_fw, and the VPN's user groups give each user only the OA server.
waive NW-TRAFFIC-ALLOWLIST on conduit internet_to_oa {
  reason "Remote-access VPN clients have no fixed internet address; vpn_fw admits them by device certificate and MFA and limits each user group to the OA server / VPN接続元アドレスは列挙不可"
  until 2027-03-31
  compensating [firewall, mfa, per-user-targets]
}
