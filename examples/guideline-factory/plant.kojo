// The assumed factory (想定工場) of the METI "Cyber/Physical Security
// Guidelines for Factory Systems" (工場システムにおけるサイバー・フィジカル・
// セキュリティ対策ガイドライン Ver 1.0), chapter 2, modelled completely:
// its nine operations (想定業務), eight data items (想定データ), every device
// of its system diagram (想定システム) and its seven zones (想定ゾーン).
//
// The guideline's factory: an electronics maker with several sites linked by
// a head-office inter-site network, each site running its own network. Its
// lines assemble printed circuit boards automatically from production
// instructions; set-up and parts refill are manual; equipment comes from
// equipment makers and is maintained by their vendors; the automated
// warehouse is monitored remotely by its vendor.
//
// The guideline gives no addresses, vendors or importance ratings: those are
// this example's (plausible) choices, and a company would replace them with
// its own [3.1.3][3.1.5]. Files, by concern:
//
//   plant.kojo         the plant (this file)
//   zones.kojo         the seven zones and the three networks outside the site
//   assets.kojo        every device of the diagram, plus the boundary firewalls
//   conduits.kojo      the paths between zones and the flows they allow
//   operations.kojo    the nine operations (steps 1-2, 1-3)
//   data.kojo          the eight data items (steps 1-4, 1-5)
//   waivers.kojo       reviewed exceptions for legacy equipment
//   attestations.kojo  Appendix E items a network model cannot show

plant "KNT1" {
  name "Kanto Plant 1 (the guideline's assumed factory) / 関東第一工場（ガイドライン想定工場）"
  profile meti-factory
}
