//! The whole catalogue: every data file parsed, indexed by ID and cross-checked.

mod references;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{
    assets, capabilities, checklist, controls, entry_points, physical, ports, procurement, profiles, program_checks,
    services, supply_chain, tier_tables, AchievementLevel, AssetKind, Capability, CatalogueError, CheckPoint,
    ChecklistCategory, ChecklistItem, Control, EntryPoint, Measure, PhysicalMeasure, PortKind, PortStateDef,
    ProcurementClause, ProcurementSection, Profile, ProgramCheckKind, Service, SupplyChainCounterpart, TierRow,
    TierTable,
};

/// File names used in errors; the built-in data lives under `data/`.
pub(crate) const SERVICES_FILE: &str = "services.toml";
pub(crate) const CONTROLS_FILE: &str = "controls.toml";
pub(crate) const ASSET_KINDS_FILE: &str = "asset-kinds.toml";
pub(crate) const CAPABILITIES_FILE: &str = "capabilities.toml";
pub(crate) const PORTS_FILE: &str = "ports.toml";
pub(crate) const CHECKLIST_FILE: &str = "checklist.toml";
pub(crate) const ENTRY_POINTS_FILE: &str = "entry-points.toml";
pub(crate) const PROGRAM_CHECKS_FILE: &str = "program-checks.toml";
pub(crate) const PHYSICAL_MEASURES_FILE: &str = "physical-measures.toml";
pub(crate) const SUPPLY_CHAIN_FILE: &str = "supply-chain.toml";
pub(crate) const TIER_TABLES_FILE: &str = "tier-tables.toml";
pub(crate) const PROCUREMENT_FILE: &str = "procurement.toml";

/// The profile whose requirement IDs the tier tables' measures name.
pub(crate) const TIER_TABLES_PROFILE: &str = "meti-factory";

/// The text of every catalogue file, for [`Catalogue::from_sources`].
#[derive(Debug, Clone, Copy)]
pub struct Sources<'a> {
    pub services: &'a str,
    pub controls: &'a str,
    pub asset_kinds: &'a str,
    pub capabilities: &'a str,
    pub ports: &'a str,
    pub checklist: &'a str,
    pub entry_points: &'a str,
    pub program_checks: &'a str,
    pub physical_measures: &'a str,
    pub supply_chain: &'a str,
    pub tier_tables: &'a str,
    pub procurement: &'a str,
    /// `(file stem, text)` of each profile; a profile's `id` must equal its stem.
    pub profiles: &'a [(&'a str, &'a str)],
}

impl Sources<'static> {
    /// The data embedded in the binary.
    pub fn builtin() -> Self {
        Sources {
            services: include_str!("../../data/services.toml"),
            controls: include_str!("../../data/controls.toml"),
            asset_kinds: include_str!("../../data/asset-kinds.toml"),
            capabilities: include_str!("../../data/capabilities.toml"),
            ports: include_str!("../../data/ports.toml"),
            checklist: include_str!("../../data/checklist.toml"),
            entry_points: include_str!("../../data/entry-points.toml"),
            program_checks: include_str!("../../data/program-checks.toml"),
            physical_measures: include_str!("../../data/physical-measures.toml"),
            supply_chain: include_str!("../../data/supply-chain.toml"),
            tier_tables: include_str!("../../data/tier-tables.toml"),
            procurement: include_str!("../../data/procurement.toml"),
            profiles: crate::embedded::PROFILE_FILES,
        }
    }
}

/// Every catalogue, indexed by ID. Iterators return entries sorted by ID,
/// except where the guideline's order matters (checklist items, program
/// checks, physical measures, supply-chain counterparts, tier tables,
/// procurement sections and clauses), which keep it.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    services: BTreeMap<String, Service>,
    controls: BTreeMap<String, Control>,
    asset_kinds: BTreeMap<String, AssetKind>,
    capabilities: BTreeMap<String, Capability>,
    port_kinds: BTreeMap<String, PortKind>,
    port_states: BTreeMap<String, PortStateDef>,
    checklist_levels: Vec<AchievementLevel>,
    checklist_categories: BTreeMap<String, ChecklistCategory>,
    /// In the guideline's order (E-0-1 … E-2-9, E-2-10 … E-4-6).
    checklist_items: Vec<ChecklistItem>,
    #[serde(skip)]
    checklist_index: BTreeMap<String, usize>,
    entry_points: BTreeMap<String, EntryPoint>,
    profiles: BTreeMap<String, Profile>,
    program_checks: Ordered<ProgramCheckKind>,
    physical_measures: Ordered<PhysicalMeasure>,
    supply_chain: Ordered<SupplyChainCounterpart>,
    tier_tables: Ordered<TierTable>,
    procurement_sections: Ordered<ProcurementSection>,
    procurement_clauses: Ordered<ProcurementClause>,
}

static BUILTIN: OnceLock<Result<Catalogue, CatalogueError>> = OnceLock::new();

impl Catalogue {
    /// The built-in catalogue, parsed once (on first use) from the embedded data.
    pub fn builtin() -> Result<&'static Catalogue, CatalogueError> {
        BUILTIN.get_or_init(|| Catalogue::from_sources(&Sources::builtin())).as_ref().map_err(Clone::clone)
    }

    /// Parses and cross-checks a full set of catalogue files. Bad data gives
    /// the first error found, naming its file; it never panics.
    pub fn from_sources(sources: &Sources<'_>) -> Result<Catalogue, CatalogueError> {
        let services = services::load(SERVICES_FILE, sources.services)?;
        let controls = controls::load(CONTROLS_FILE, sources.controls)?;
        let entry_points = entry_points::load(ENTRY_POINTS_FILE, sources.entry_points)?;
        let asset_kinds = assets::load(ASSET_KINDS_FILE, sources.asset_kinds)?;
        let capabilities = capabilities::load(CAPABILITIES_FILE, sources.capabilities)?;
        let (port_kinds, port_states) = ports::load(PORTS_FILE, sources.ports)?;
        let checklist = checklist::load(CHECKLIST_FILE, sources.checklist)?;
        let program_checks = program_checks::load(PROGRAM_CHECKS_FILE, sources.program_checks)?;
        let physical_measures = physical::load(PHYSICAL_MEASURES_FILE, sources.physical_measures)?;
        let supply_chain = supply_chain::load(SUPPLY_CHAIN_FILE, sources.supply_chain)?;
        let tier_tables = tier_tables::load(TIER_TABLES_FILE, sources.tier_tables)?;
        let (procurement_sections, procurement_clauses) = procurement::load(PROCUREMENT_FILE, sources.procurement)?;
        let mut profiles = BTreeMap::new();
        for (stem, text) in sources.profiles {
            let file = format!("profiles/{stem}.toml");
            let profile = profiles::load(&file, stem, text)?;
            if profiles.insert(profile.id.clone(), profile).is_some() {
                return Err(CatalogueError::DuplicateId { file, id: (*stem).to_owned() });
            }
        }

        let catalogue = Catalogue {
            services,
            controls,
            asset_kinds,
            capabilities,
            port_kinds,
            port_states,
            checklist_levels: checklist.levels,
            checklist_categories: checklist.categories,
            checklist_index: checklist.items.iter().enumerate().map(|(i, item)| (item.id.clone(), i)).collect(),
            checklist_items: checklist.items,
            entry_points,
            profiles,
            program_checks,
            physical_measures,
            supply_chain,
            tier_tables,
            procurement_sections,
            procurement_clauses,
        };
        catalogue.check_references()?;
        Ok(catalogue)
    }

    /// References between files: every ID one file names must exist in the other.
    /// This catalogue with a profile overlay's `controls` and `checklist`
    /// entries added, or replacing entries of the same ID; checked like the
    /// built-in data. `file` names the overlay in errors.
    pub fn extended(
        &self,
        file: &str,
        controls: &[Control],
        checklist: &[ChecklistItem],
    ) -> Result<Catalogue, CatalogueError> {
        let mut out = self.clone();
        for control in controls {
            out.controls.insert(control.id.clone(), control.clone());
        }
        for item in checklist {
            if !out.checklist_categories.contains_key(&item.category) {
                return Err(CatalogueError::invalid(
                    file,
                    format!("checklist item `{}` names an unknown category `{}`", item.id, item.category),
                ));
            }
            match out.checklist_index.get(&item.id) {
                Some(&i) => {
                    if let Some(slot) = out.checklist_items.get_mut(i) {
                        *slot = item.clone();
                    }
                }
                None => {
                    out.checklist_index.insert(item.id.clone(), out.checklist_items.len());
                    out.checklist_items.push(item.clone());
                }
            }
        }
        out.check_references()?;
        Ok(out)
    }

    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.get(id)
    }

    pub fn services(&self) -> impl Iterator<Item = &Service> + Clone {
        self.services.values()
    }

    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.get(id)
    }

    pub fn controls(&self) -> impl Iterator<Item = &Control> + Clone {
        self.controls.values()
    }

    pub fn asset_kind(&self, id: &str) -> Option<&AssetKind> {
        self.asset_kinds.get(id)
    }

    pub fn asset_kinds(&self) -> impl Iterator<Item = &AssetKind> + Clone {
        self.asset_kinds.values()
    }

    pub fn capability(&self, id: &str) -> Option<&Capability> {
        self.capabilities.get(id)
    }

    pub fn capabilities(&self) -> impl Iterator<Item = &Capability> + Clone {
        self.capabilities.values()
    }

    pub fn port_kind(&self, id: &str) -> Option<&PortKind> {
        self.port_kinds.get(id)
    }

    pub fn port_kinds(&self) -> impl Iterator<Item = &PortKind> + Clone {
        self.port_kinds.values()
    }

    pub fn port_state(&self, id: &str) -> Option<&PortStateDef> {
        self.port_states.get(id)
    }

    pub fn port_states(&self) -> impl Iterator<Item = &PortStateDef> + Clone {
        self.port_states.values()
    }

    pub fn checklist_item(&self, id: &str) -> Option<&ChecklistItem> {
        self.checklist_index.get(id).and_then(|&i| self.checklist_items.get(i))
    }

    /// In the guideline's order, which is ID order read numerically
    /// (`E-2-9` before `E-2-10`; see [`ChecklistItem::order`]).
    pub fn checklist_items(&self) -> impl Iterator<Item = &ChecklistItem> + Clone {
        self.checklist_items.iter()
    }

    /// The achievement levels (達成度), from 1 (not done) to 5.
    pub fn checklist_levels(&self) -> &[AchievementLevel] {
        &self.checklist_levels
    }

    pub fn checklist_category(&self, id: &str) -> Option<&ChecklistCategory> {
        self.checklist_categories.get(id)
    }

    pub fn checklist_categories(&self) -> impl Iterator<Item = &ChecklistCategory> + Clone {
        self.checklist_categories.values()
    }

    pub fn entry_point(&self, id: &str) -> Option<&EntryPoint> {
        self.entry_points.get(id)
    }

    pub fn entry_points(&self) -> impl Iterator<Item = &EntryPoint> + Clone {
        self.entry_points.values()
    }

    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.get(id)
    }

    pub fn profiles(&self) -> impl Iterator<Item = &Profile> + Clone {
        self.profiles.values()
    }

    /// The kinds of business program or service and the questions to ask of
    /// each [3.2.2(1)③], in the guideline's order.
    pub fn program_checks(&self) -> impl Iterator<Item = &ProgramCheckKind> + Clone {
        self.program_checks.iter()
    }

    pub fn program_check_kind(&self, id: &str) -> Option<&ProgramCheckKind> {
        self.program_checks.get(id)
    }

    /// A program check point by its ID (`PS-PACKAGED-FUNCTIONS`), with its kind.
    pub fn program_check(&self, id: &str) -> Option<(&ProgramCheckKind, &CheckPoint)> {
        self.program_checks().find_map(|kind| kind.check(id).map(|check| (kind, check)))
    }

    /// The six physical measures [3.2.2(2)], in the guideline's order (① building … ⑥ physical access).
    pub fn physical_measures(&self) -> impl Iterator<Item = &PhysicalMeasure> + Clone {
        self.physical_measures.iter()
    }

    pub fn physical_measure(&self, id: &str) -> Option<&PhysicalMeasure> {
        self.physical_measures.get(id)
    }

    /// The supply-chain counterparts and their check points [3.3(2)], in the guideline's order.
    pub fn supply_chain(&self) -> impl Iterator<Item = &SupplyChainCounterpart> + Clone {
        self.supply_chain.iter()
    }

    pub fn supply_chain_counterpart(&self, id: &str) -> Option<&SupplyChainCounterpart> {
        self.supply_chain.get(id)
    }

    /// A supply-chain check point by its ID (`SC-PRODUCTS-VULN-INFO`), with its counterpart.
    pub fn supply_chain_check(&self, id: &str) -> Option<(&SupplyChainCounterpart, &CheckPoint)> {
        self.supply_chain().find_map(|counterpart| counterpart.check(id).map(|check| (counterpart, check)))
    }

    /// The guideline's tier tables [3.2.2(1)①②]: `network`, then `device`.
    pub fn tier_tables(&self) -> impl Iterator<Item = &TierTable> + Clone {
        self.tier_tables.iter()
    }

    /// A tier table by ID: `"network"` or `"device"`.
    pub fn tier_table(&self, id: &str) -> Option<&TierTable> {
        self.tier_tables.get(id)
    }

    /// A measure by its ID (`device.unused-ports.medium`), with its table and row.
    pub fn measure(&self, id: &str) -> Option<(&TierTable, &TierRow, &Measure)> {
        let table = self.tier_table(id.split('.').next().unwrap_or_default())?;
        table.rows.iter().find_map(|row| row.measures.iter().find(|m| m.id == id).map(|m| (table, row, m)))
    }

    /// The sections of a procurement specification (F0 … F17, annex A), in order.
    pub fn procurement_sections(&self) -> impl Iterator<Item = &ProcurementSection> + Clone {
        self.procurement_sections.iter()
    }

    pub fn procurement_section(&self, id: &str) -> Option<&ProcurementSection> {
        self.procurement_sections.get(id)
    }

    /// The lifecycle clauses of a procurement specification, in file order
    /// (which follows the sections).
    pub fn procurement_clauses(&self) -> impl Iterator<Item = &ProcurementClause> + Clone {
        self.procurement_clauses.iter()
    }

    pub fn procurement_clause(&self, id: &str) -> Option<&ProcurementClause> {
        self.procurement_clauses.get(id)
    }

    /// The clauses of one section, in file order; none for an unknown section.
    pub fn procurement_clauses_in<'a>(
        &'a self,
        section: &'a str,
    ) -> impl Iterator<Item = &'a ProcurementClause> + Clone + 'a {
        self.procurement_clauses.iter().filter(move |c| c.section == section)
    }
}

/// Entries in their file's order, with an index by ID. Serialises as the list.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub(crate) struct Ordered<T> {
    entries: Vec<T>,
    #[serde(skip)]
    index: BTreeMap<String, usize>,
}

impl<T> Ordered<T> {
    /// Keeps `entries` in order and indexes them; an empty or repeated ID is an error.
    pub(crate) fn new(file: &str, entries: Vec<T>, id: impl Fn(&T) -> &str) -> Result<Self, CatalogueError> {
        let mut index = BTreeMap::new();
        for (position, entry) in entries.iter().enumerate() {
            let key = id(entry);
            if key.is_empty() {
                return Err(CatalogueError::invalid(file, "an entry has an empty ID"));
            }
            if index.insert(key.to_owned(), position).is_some() {
                return Err(CatalogueError::DuplicateId { file: file.to_owned(), id: key.to_owned() });
            }
        }
        Ok(Ordered { entries, index })
    }

    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        self.index.get(id).and_then(|&i| self.entries.get(i))
    }

    pub(crate) fn iter(&self) -> std::slice::Iter<'_, T> {
        self.entries.iter()
    }
}

/// Parses one file into its schema type, mapping errors to the file.
pub(crate) fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, CatalogueError> {
    toml::from_str(text)
        .map_err(|e| CatalogueError::Parse { file: file.to_owned(), message: e.to_string().trim_end().to_owned() })
}

/// Indexes entries by ID; a repeated ID is an error.
pub(crate) fn index<T>(
    file: &str,
    entries: Vec<T>,
    id: impl Fn(&T) -> &str,
) -> Result<BTreeMap<String, T>, CatalogueError> {
    let mut map = BTreeMap::new();
    for entry in entries {
        let key = id(&entry).to_owned();
        if key.is_empty() {
            return Err(CatalogueError::invalid(file, "an entry has an empty ID"));
        }
        if map.contains_key(&key) {
            return Err(CatalogueError::DuplicateId { file: file.to_owned(), id: key });
        }
        map.insert(key, entry);
    }
    Ok(map)
}

/// Checks that the strings of a list are unique; `what` names them in the error.
pub(crate) fn unique<'a>(
    file: &str,
    what: &str,
    items: impl IntoIterator<Item = &'a str>,
) -> Result<(), CatalogueError> {
    let mut seen = BTreeSet::new();
    for item in items {
        if !seen.insert(item) {
            return Err(CatalogueError::invalid(file, format!("{what} `{item}` is listed twice")));
        }
    }
    Ok(())
}
