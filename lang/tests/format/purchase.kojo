// Software and purchases, written loosely.
asset mes "MES" in prod_mgmt { kind server; software [in-house-program,packaged-software]; ip 10.2.0.10 }
asset kiosk in oa {kind workstation
  software []   // nothing to ask about: a locked-down browser kiosk
}
purchase line1_upgrade "Line 1 upgrade (FY2027) / 1号ライン更新（2027年度）" { assets [plc1, plc2, hmi1]; supplier "Example Integration Co. / 例示エンジニアリング株式会社" }


purchase scada_renewal   "SCADA renewal" {
  /* the supplier is chosen by tender */
  assets [scada, historian1, historian2, engineering-workstation-1, engineering-workstation-2, opc-gateway, hmi1,]
}
purchase spare_parts
purchase empty {}
