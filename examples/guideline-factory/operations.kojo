// Operations (想定業務) — steps 1-2 and 1-3 [3.1.2][3.1.3]: the nine daily
// operations of the assumed factory that use its systems, and how badly a
// compromise or outage of each would hurt the values a factory protects
// (BC/SQDC: safety 安全, continuity 事業継続, quality 品質, delivery 納期,
// cost コスト).
//
// The guideline deliberately gives no ratings (each company sets its own);
// these are plausible for a PCB maker. An operation passes its highest rating
// to the zones and assets it lists, which is how the zones get their tiers.
// Only the operations that run the line itself are rated high; the office-side
// operations stay at mid, so the OA zone derives the medium tier.

// 生産計画設定: the head office's plan is turned into the plant's production
// plan and instructions in the MES. A lost day of planning delays delivery but
// the line keeps running on the current plan.
operation planning "Production planning / 生産計画設定" {
  impact { safety low; continuity mid; quality low; delivery mid; cost mid }
  zones [oa, prod_mgmt]
  data [production_plan, production_instruction]
  assets [oa_terminal, oa_server, mes]
}

// 生産(＋検査): automatic board assembly and inspection. A stopped or
// manipulated line stops shipments and can ship bad boards; the reflow oven
// and moving heads make safety a concern, though not the plant's highest.
operation production "Production (+inspection) / 生産（＋検査）" {
  impact { safety mid; continuity high; quality high; delivery high; cost mid }
  zones [control]
  data [production_instruction, recipe, production_results, equipment_programs]
  assets [plc1, plc2, mounter1, aoi1, hmi1]
}

// 生産状況監視(現場): watching the lines on the floor; the line runs on without
// it, but problems are seen late.
operation production_monitoring "Production monitoring (floor) / 生産状況監視（現場）" {
  impact { safety mid; continuity mid; quality mid; delivery mid; cost low }
  zones [monitoring]
  data [equipment_state]
  assets [scada]
}

// 部材補充(現場へ): AGVs bring parts from the warehouse to the line. Staff can
// refill by hand for a while; AGVs move among people.
operation parts_refill "Parts refill to the floor / 部材補充（現場へ）" {
  impact { safety mid; continuity mid; quality low; delivery mid; cost low }
  zones [transport, warehouse]
  data [stock_floor, stock_warehouse]
  assets [agv_pc, wlan_ap, agv1, agv2, wh_controller]
}

// 部材購入(倉庫へ): purchased parts are registered into the warehouse.
operation parts_purchase "Parts purchase into the warehouse / 部材購入（倉庫へ）" {
  impact { safety low; continuity mid; quality low; delivery mid; cost mid }
  zones [oa, prod_mgmt, warehouse]
  data [stock_warehouse]
  assets [oa_terminal, mes, wh_controller]
}

// 生産性分析: analysis of results and equipment state for improvement.
operation productivity_analysis "Productivity analysis / 生産性分析" {
  impact { safety low; continuity low; quality mid; delivery low; cost mid }
  zones [oa, prod_mgmt]
  data [production_results, equipment_state]
  assets [oa_terminal, mes]
}

// トレーサビリティデータ参照: looking up which parts and settings went into a
// board, e.g. for a customer claim. The data matters more than the look-up
// (see production_results in data.kojo).
operation traceability "Traceability look-up / トレーサビリティデータ参照" {
  impact { safety low; continuity low; quality mid; delivery low; cost mid }
  zones [oa, prod_mgmt]
  data [production_results]
  assets [oa_terminal, mes]
}

// メンテナンス: on-site maintenance by production engineering and equipment
// vendors, with the maintenance terminal plugged into the line. A bad program
// loaded here stops or damages the line.
operation maintenance "Maintenance / メンテナンス" {
  impact { safety mid; continuity high; quality high; delivery mid; cost mid }
  zones [control]
  data [equipment_programs, equipment_state]
  assets [maint_terminal, plc1, plc2, mounter1, aoi1, hmi1]
}

// リモートメンテナンス: the warehouse vendor watches the warehouse's state
// remotely to prepare maintenance; the maintenance itself is done on site.
operation remote_maintenance "Remote maintenance / リモートメンテナンス" {
  impact { safety low; continuity mid; quality low; delivery mid; cost low }
  zones [remote_maint, warehouse]
  data [equipment_state]
  assets [wh_rm_server, wh_controller]
}
