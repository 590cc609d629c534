// {{project}}：出発点となる最初のモデル。工場ネットワークの二つのゾーン、
// その間のファイアウォール、サーバ、PLC、そしてファイアウォールが許可する
// 一つの通信。名前・アドレス・対策を自工場のものに置き換えてください。
// `kojo check` が、ゾーン・コンジット・機器ごとに、そのセキュリティ強度で
// ガイドラインが求める対策を示します。

// 工場：文書に記載する短いコードと名称。
plant "PLANT1" {
  name "{{project}}"
  profile meti-factory
}

// ---- 業務：工場が行うこと、損なわれたときの影響 --------------------------------

// 安全・事業継続・品質・納期・コストへの影響を low、mid、high で評価します。
// ゾーンには、その中で最も重要な業務・データ・機器のセキュリティ強度が必要
// です。ここでは `mid` により制御ゾーンが中（medium）になります
// （`kojo check --explain-tiers` で確認できます）。
operation production "ライン1の生産" {
  impact { safety mid; continuity mid; quality mid; delivery mid; cost low }
  zones [control]
  assets [plc1]
}

operation planning "生産計画" {
  impact { safety low; continuity low; quality low; delivery low; cost low }
  zones [prod_mgmt]
  assets [mes]
}

// ---- ゾーン：同じ水準で守るネットワークの区域 ---------------------------------

// `controls` は実施している対策で、責任を持って主張するものです。実施して
// いない対策を削除すると、`kojo check` が満たされない要求を示します。ゾーンの
// 対策はゾーン内のすべての機器に及びます。ここでは全機器に共通の手順
// （アカウント、パスワード、脆弱性情報、不要機能の停止、ログ）です。
zone prod_mgmt "生産管理ゾーン" {
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

// セキュリティ強度「中」では、ネットワーク（IP・MAC制限、通信の可視化・監視
// （NDR）とIDS及びそのログ、機器管理）にも、機器（脆弱性診断、持込み媒体の検査、リソースの確認、
// バックアップ、UPS）にも、より多くを求めます。
zone control "制御ゾーン（ライン1）" {
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

// ---- 資産：守るべき機器 -------------------------------------------------------

// ファイアウォールなど通信を制御する機器は、つなぐゾーンごとにインタフェースを
// 持ちます。`kojo build` は、
// この機器が担うコンジットからそのルールを生成します。
asset fw1 "境界ファイアウォール" {
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

asset mes "生産管理サーバ" in prod_mgmt {
  kind server
  ip 10.10.0.10
  ports { usb capped }
  controls [file-access-control, user-group-management, anti-malware]
}

asset plc1 "ライン1 PLC" in control {
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

// ---- コンジット：ゾーン間で許可する通信 -----------------------------------------

// コンジットは接続を開始する向きに書きます。応答にルールは要りません。
// どのフローも許可しない通信はすべて拒否されます。
conduit mes_to_plc "サーバがライン1のデータを読む" from prod_mgmt to control {
  allow mes -> plc1 service opc-ua
  controls [firewall, stealth, protocol-allowlist, ids]
  enforced-by fw1
}
