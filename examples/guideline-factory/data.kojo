// Data (想定データ) — steps 1-4 and 1-5 [3.1.4][3.1.5]: the eight data items of
// the assumed factory, the harm if each were altered, lost or leaked, and the
// assets that hold it. An asset holding a data item inherits its rating, and
// so does the asset's zone.

// 生産計画: from the head office's ERP, kept on the OA server and in the MES.
data production_plan "Production plan / 生産計画" {
  impact { safety low; continuity mid; quality low; delivery mid; cost mid }
  stored-on [oa_server, mes]
}

// 生産指示(生産機種・量): which board type and how many; a wrong instruction
// builds the wrong product.
data production_instruction "Production instruction (model, volume) / 生産指示（生産機種・量）" {
  impact { safety low; continuity high; quality mid; delivery high; cost mid }
  stored-on [mes, plc1, mounter1]
}

// 生産レシピ: placement programs and reflow temperature profiles. Tampering
// yields boards that pass the line but fail in the field; an overheated oven
// is a fire risk.
data recipe "Production recipe / 生産レシピ" {
  impact { safety mid; continuity high; quality high; delivery mid; cost mid }
  stored-on [mes, plc2, mounter1]
}

// 生産実績(トレサビデータ): what was built with which parts and settings, and
// the inspection results; needed for recalls and customer claims.
data production_results "Production results (traceability) / 生産実績（トレサビデータ）" {
  impact { safety low; continuity mid; quality high; delivery mid; cost mid }
  stored-on [mes, aoi1]
}

// 設備状態: running, stopped, alarms; from the line and from the warehouse.
data equipment_state "Equipment state / 設備状態" {
  impact { safety mid; continuity mid; quality mid; delivery low; cost low }
  stored-on [scada, plc1, plc2, wh_controller, wh_rm_server]
}

// 設備プログラム・パラメタ・図面: the line's PLC programs, equipment parameters
// and drawings, kept by production engineering on the maintenance terminal and
// in the equipment. The automated warehouse's own programs are held and
// maintained by its vendor (ch. 2), so they are not listed here.
data equipment_programs "Equipment programs, parameters, drawings / 設備プログラム・パラメタ・図面" {
  impact { safety mid; continuity high; quality high; delivery mid; cost mid }
  stored-on [maint_terminal, plc1, plc2, mounter1, aoi1]
}

// 部材在庫量(現場): parts at the line's stations, tracked by the MES and the
// AGV control PC to trigger refills.
data stock_floor "Parts stock on the floor / 部材在庫量（現場）" {
  impact { safety low; continuity mid; quality low; delivery mid; cost low }
  stored-on [mes, agv_pc]
}

// 部材在庫量(倉庫): parts in the automated warehouse.
data stock_warehouse "Parts stock in the warehouse / 部材在庫量（倉庫）" {
  impact { safety low; continuity mid; quality low; delivery mid; cost mid }
  stored-on [wh_controller, mes]
}
