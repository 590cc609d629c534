plant "KNT1" {
  name "関東第一工場 / Kanto Plant 1"
}
zone control "制御ゾーン（生産現場）" : trusted
asset plc1 "ライン１ PLC" in control {
  vendor "株式会社\"サンプル\""
  model "X-100\tRev.\u{41}"
  firmware "C:\\firmware\\1.05"
}
conduit remote from vendor to control {
  window "月〜金 09:00-17:00\nJST // not a comment /* nor this */"
}
waive NW-MFA on asset plc1 {
  reason "ベンダがMFAを追加できない\r\n（Windows XP）"
}
attest E-1-1 level 3 {
  evidence "docs/組織/予算承認.pdf"
  owner "工場長 \u{1F3ED}"
}
