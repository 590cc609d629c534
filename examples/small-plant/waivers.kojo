// Waivers: reviewed, expiring exceptions. The floor is declared high-tier,
// and a small plant meets most of that tier, but not all of it: the PLC and
// the machining centre cannot do what the tier asks of devices, there is no
// private generator, and the printer is not on a UPS. Each waiver says why,
// what compensates (controls in force on the device or its zone), and expires
// at the yearly review with the president in March.

// ---- the site ---------------------------------------------------------------

// The high tier asks for a private generator for every device on the floor
// [3.2.2(1)② 電源可用性確保]. The plant has none: a power cut stops the
// spindles and the washer anyway, and the UPS covers a controlled shutdown of
// the PLC, the HMI, the engineering PC and the UTM. A site-wide fact, so it is
// waived on the plant.
waive DEV-GENERATOR on plant SKR1 {
  reason "No private generator on site; a power cut stops the machines anyway, and the UPS covers a controlled shutdown of the controls / 自家発電設備なし（UPSで安全停止）"
  until 2027-03-31
  compensating [ups]
}

// A laser printer draws too much current for an office UPS; losing it only
// stops printing and scanning.
waive DEV-UPS on asset mfp1 {
  reason "Laser MFP cannot run on the office UPS (fuser load); a power cut only stops printing and scanning / 複合機はUPS接続不可"
  until 2027-03-31
  compensating [offline-backup, config-visibility]
}

// ---- the washing-line PLC -----------------------------------------------------
//
// SLMP has no encryption or cryptographic authentication, and the Q-200's CPU
// has no user accounts. The floor's own switch, the UTM's IPS and SLMP
// function filtering, the PLC's IP filter and write protection compensate;
// the vendor's sessions come through the VPN with MFA and are recorded. The
// PLC is replaced with the washer's overhaul planned for FY2027.

waive DEV-ENCRYPTION on asset plc1 {
  reason "SLMP has no encryption; the UTM's SLMP function filtering needs plaintext, and the vendor's traffic is encrypted in the VPN up to the UTM / SLMPは暗号化不可"
  until 2027-03-31
  compensating [segmentation-physical, ips, peer-restriction]
}

// ---- the machining centre -----------------------------------------------------
//
// The NC talks its maker's plaintext protocol; a second machining centre is
// not affordable. (It has no user accounts either: plant.kojo declares its
// capabilities, so the account rows do not apply and need no waiver.) Its
// programs and parameters are backed up offline and the masters kept on the
// engineering PC; in a breakdown, urgent orders go to a partner shop (BCP).

waive DEV-ENCRYPTION on asset cnc1 {
  reason "The NC's data server speaks its maker's plaintext protocol; traffic stays on the floor's own switch / NCの通信は暗号化不可"
  until 2027-03-31
  compensating [segmentation-physical, peer-restriction, ids]
}

// DEV-CRYPTO-AUTH and DEV-KEY-PROTECTION: the same limit and the same
// compensating controls on the PLC and the NC, one waiver each.
waive DEV-CRYPTO-AUTH on asset [plc1, cnc1] {
  reason "The Q-200 and the NC can only filter peers by IP address, not prove them cryptographically / 暗号による相手認証の機能なし"
  until 2027-03-31
  compensating [peer-restriction, device-auth, device-attestation]
}

waive DEV-KEY-PROTECTION on asset [plc1, cnc1] {
  reason "No cryptographic keys on the Q-200 or the NC (no encryption, see DEV-ENCRYPTION), so none to protect / 暗号鍵を持たない"
  until 2027-03-31
  compensating [segmentation-physical, physical-access-control]
}

waive DEV-SPARE on asset cnc1 {
  reason "A second machining centre is not affordable; NC data backed up offline, spare boards from the maker within 48 hours, urgent orders to a partner shop / 予備機なし（協力工場へ振替）"
  until 2027-03-31
  compensating [offline-backup, config-management]
}

// ---- the HMI and the engineering PC: plaintext peers ----------------------------
//
// Both talk to the PLC (and the engineering PC to the NC) in protocols that
// neither encrypt nor authenticate; the HMI software has no second factor.

waive NW-MFA on asset hmi1 {
  reason "The HMI software has personal operator logons with passwords only; no second factor is available, and the panel must stay usable at once / HMIソフトはMFA非対応"
  until 2027-03-31
  compensating [individual-id, physical-access-control, application-allowlist]
}

waive DEV-ENCRYPTION on asset [hmi1, eng_pc] {
  reason "The panel runs the PLC in SLMP and the PC programs the PLC and the NC in their plaintext protocols, which cannot be encrypted; the PC's work orders from the NAS come over SFTP / PLC・NCとの通信は暗号化不可"
  until 2027-03-31
  compensating [segmentation-physical, host-firewall, ids]
}

waive DEV-CRYPTO-AUTH on asset [hmi1, eng_pc] {
  reason "The PLC and the NC cannot prove themselves cryptographically; the panel's and the PC's firewalls admit the floor's addresses only / PLC・NCが暗号による相手認証に非対応"
  until 2027-03-31
  compensating [host-firewall, device-auth, device-attestation]
}

// ---- office web access --------------------------------------------------------

// Web sites cannot be named in advance, so the office's web flow goes to
// `any` host on the internet and cannot prove message-type restriction. The
// UTM passes HTTPS only, with URL-category filtering and application control.
waive NW-TRAFFIC-ALLOWLIST on conduit oa_to_internet {
  reason "Web browsing cannot name its destinations; the UTM allows HTTPS only, with URL-category filtering and application control / Web閲覧先は列挙不可"
  until 2027-03-31
  compensating [firewall, ids, nat]
}
