// Purchases: assets bought together, each the group `kojo procure NAME`
// renders a procurement specification (調達仕様書) for. The guideline asks
// that what is bought meets the tier of the zone it goes into [3.2.2(1)②],
// that its software answers the questions for programs and services
// [3.2.2(1)③], and that suppliers are asked the supply-chain check points
// [3.3(2)]. The guideline's Appendix F (調達仕様書テンプレート) is known to
// kojo only by its title; `kojo procure` uses kojo's own template built
// from those tables and questions (docs/procurement.md). The assets are
// those of assets.kojo: a purchase only groups them and names the supplier.

// The FY2027 refresh of line 1 (the control zone, tier high) that the line's
// waivers in waivers.kojo wait for: both PLCs and the operator panel are
// replaced by models with user management and secure communication, and the
// mounter and the inspection machine get their vendors' next major software
// release (MFA, keys in hardware). One integrator delivers and commissions
// the whole line, so the five devices are one specification. The
// maintenance terminal serves the line but is not replaced.
purchase line1_upgrade "Line 1 upgrade (FY2027) / 1号ライン更新（2027年度）" {
  assets [plc1, plc2, mounter1, aoi1, hmi1]
  supplier "Example Integration Co. / 例示エンジニアリング株式会社"
}
