//! The whole catalogue: every data file parsed, indexed by ID and cross-checked.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::{
    assets, checklist, controls, entry_points, physical, ports, procurement, profiles, program_checks, services,
    supply_chain, tier_tables, AchievementLevel, AssetKind, CatalogueError, CheckPoint, ChecklistCategory,
    ChecklistItem, Control, EntryPoint, Measure, PhysicalMeasure, PortKind, PortStateDef, ProcurementClause,
    ProcurementSection, Profile, ProgramCheckKind, Service, SupplyChainCounterpart, TierRow, TierTable,
};

/// File names used in errors; the built-in data lives under `data/`.
pub(crate) const SERVICES_FILE: &str = "services.toml";
pub(crate) const CONTROLS_FILE: &str = "controls.toml";
pub(crate) const ASSET_KINDS_FILE: &str = "asset-kinds.toml";
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
            services: include_str!("../data/services.toml"),
            controls: include_str!("../data/controls.toml"),
            asset_kinds: include_str!("../data/asset-kinds.toml"),
            ports: include_str!("../data/ports.toml"),
            checklist: include_str!("../data/checklist.toml"),
            entry_points: include_str!("../data/entry-points.toml"),
            program_checks: include_str!("../data/program-checks.toml"),
            physical_measures: include_str!("../data/physical-measures.toml"),
            supply_chain: include_str!("../data/supply-chain.toml"),
            tier_tables: include_str!("../data/tier-tables.toml"),
            procurement: include_str!("../data/procurement.toml"),
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

    fn check_references(&self) -> Result<(), CatalogueError> {
        for service in self.services.values() {
            if let Some(alt) = &service.secure_alternative {
                if alt == &service.id || !self.services.contains_key(alt) {
                    return Err(CatalogueError::invalid(
                        SERVICES_FILE,
                        format!("service `{}` names an unknown secure alternative `{alt}`", service.id),
                    ));
                }
            }
        }
        for kind in self.asset_kinds.values() {
            if let Some(ep) = kind.entry_points.iter().find(|ep| !self.entry_points.contains_key(*ep)) {
                return Err(CatalogueError::invalid(
                    ASSET_KINDS_FILE,
                    format!("asset kind `{}` names an unknown entry point `{ep}`", kind.id),
                ));
            }
        }
        for kind in self.asset_kinds.values() {
            if let Some(software) = kind.software.iter().find(|s| self.program_checks.get(s).is_none()) {
                return Err(CatalogueError::invalid(
                    ASSET_KINDS_FILE,
                    format!("asset kind `{}` names an unknown software kind `{software}`", kind.id),
                ));
            }
        }
        for ep in self.entry_points.values() {
            if let Some(c) = ep.addressed_by.iter().find(|c| !self.controls.contains_key(*c)) {
                return Err(CatalogueError::invalid(
                    ENTRY_POINTS_FILE,
                    format!("entry point `{}` names an unknown control `{c}`", ep.id),
                ));
            }
        }
        for profile in self.profiles.values() {
            for requirement in &profile.requirements {
                let file = format!("profiles/{}.toml", profile.id);
                if let Some(c) = requirement.any_of.iter().find(|c| !self.controls.contains_key(*c)) {
                    return Err(CatalogueError::invalid(
                        &file,
                        format!("requirement `{}` names an unknown control `{c}`", requirement.id),
                    ));
                }
                if let Some(k) = requirement.kinds.iter().find(|k| !self.asset_kinds.contains_key(*k)) {
                    return Err(CatalogueError::invalid(
                        &file,
                        format!("requirement `{}` names an unknown asset kind `{k}`", requirement.id),
                    ));
                }
            }
        }
        for state in self.port_states.values() {
            if let Some(control) = &state.control {
                if !self.controls.contains_key(control) {
                    return Err(CatalogueError::invalid(
                        PORTS_FILE,
                        format!("port state `{}` names an unknown control `{control}`", state.id),
                    ));
                }
            }
        }
        for measure in self.physical_measures.iter() {
            if let Some(c) = measure.controls.iter().find(|c| !self.controls.contains_key(*c)) {
                return Err(CatalogueError::invalid(
                    PHYSICAL_MEASURES_FILE,
                    format!("physical measure `{}` names an unknown control `{c}`", measure.id),
                ));
            }
            if let Some(item) = measure.checklist.iter().find(|i| !self.checklist_index.contains_key(*i)) {
                return Err(CatalogueError::invalid(
                    PHYSICAL_MEASURES_FILE,
                    format!("physical measure `{}` names an unknown checklist item `{item}`", measure.id),
                ));
            }
        }
        for counterpart in self.supply_chain.iter() {
            if let Some(item) = counterpart.checklist.iter().find(|i| !self.checklist_index.contains_key(*i)) {
                return Err(CatalogueError::invalid(
                    SUPPLY_CHAIN_FILE,
                    format!("counterpart `{}` names an unknown checklist item `{item}`", counterpart.id),
                ));
            }
        }
        self.check_tier_table_references()?;
        for clause in self.procurement_clauses.iter() {
            if let Some(id) = clause.related.iter().find(|id| !self.related_exists(id)) {
                return Err(CatalogueError::invalid(
                    PROCUREMENT_FILE,
                    format!(
                        "clause `{}` names `{id}`, which is no physical measure, supply-chain or program check point, or tier-table measure",
                        clause.id
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Measures name requirements of the `meti-factory` profile and controls.
    fn check_tier_table_references(&self) -> Result<(), CatalogueError> {
        let profile = self.profiles.get(TIER_TABLES_PROFILE);
        for measure in self.tier_tables.iter().flat_map(|t| t.measures()) {
            if let Some(r) = measure.requirements.iter().find(|r| profile.is_none_or(|p| p.requirement(r).is_none())) {
                return Err(CatalogueError::invalid(
                    TIER_TABLES_FILE,
                    format!(
                        "measure `{}` names `{r}`, which profile `{TIER_TABLES_PROFILE}` does not define",
                        measure.id
                    ),
                ));
            }
            if let Some(c) = measure.controls.iter().find(|c| !self.controls.contains_key(*c)) {
                return Err(CatalogueError::invalid(
                    TIER_TABLES_FILE,
                    format!("measure `{}` names an unknown control `{c}`", measure.id),
                ));
            }
        }
        Ok(())
    }

    /// Whether `id` names an entry a procurement clause may build on: a
    /// physical measure (`PHY-…`), a supply-chain (`SC-…`) or program
    /// (`PS-…`) check point, or a tier-table measure (`device.backup.medium`).
    pub(crate) fn related_exists(&self, id: &str) -> bool {
        if id.starts_with("PHY-") {
            self.physical_measure(id).is_some()
        } else if id.starts_with("SC-") {
            self.supply_chain_check(id).is_some()
        } else if id.starts_with("PS-") {
            self.program_check(id).is_some()
        } else {
            self.measure(id).is_some()
        }
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn builtin() -> &'static Catalogue {
        match Catalogue::builtin() {
            Ok(c) => c,
            Err(e) => panic!("built-in catalogue does not load: {e}"),
        }
    }

    /// The built-in sources with one file replaced.
    pub(crate) fn with(edit: impl FnOnce(&mut Sources<'static>)) -> Result<Catalogue, CatalogueError> {
        let mut sources = Sources::builtin();
        edit(&mut sources);
        Catalogue::from_sources(&sources)
    }

    #[test]
    fn builtin_catalogue_loads() {
        let c = builtin();
        assert!(c.services().count() >= 28);
        assert!(c.controls().count() >= 64);
        assert_eq!(c.asset_kinds().count(), 23);
        assert_eq!(c.checklist_items().count(), 35);
        assert_eq!(c.entry_points().count(), 13);
        assert!(c.profile("meti-factory").is_some());
        assert_eq!(c.program_checks().count(), 3);
        assert_eq!(c.physical_measures().count(), 6);
        assert_eq!(c.supply_chain().count(), 4);
        assert_eq!(c.tier_tables().count(), 2);
        assert_eq!(c.procurement_sections().count(), 18);
        assert!(c.procurement_clauses().count() >= 60);
    }

    #[test]
    fn builtin_is_parsed_once() {
        let a = builtin();
        let b = builtin();
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn iterators_are_sorted_by_id() {
        let c = builtin();
        let ids: Vec<&str> = c.services().map(|s| s.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        let ids: Vec<&str> = c.controls().map(|s| s.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn invalid_toml_is_an_error_naming_the_file() {
        let err = with(|s| s.services = "[[services]\nid = ").unwrap_err();
        assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
        assert_eq!(err.file(), "services.toml");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let text = r#"
[[entry_points]]
id = "EP01"
label = { en = "USB", ja = "USB" }
shown_by = "ports"
colour = "red"
"#;
        let err = with(|s| s.entry_points = Box::leak(text.to_owned().into_boxed_str())).unwrap_err();
        assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn missing_fields_are_rejected() {
        let text = "[[controls]]\nid = \"firewall\"\nlabel = { en = \"FW\", ja = \"FW\" }\n";
        let err = with(|s| s.controls = Box::leak(text.to_owned().into_boxed_str())).unwrap_err();
        assert!(matches!(err, CatalogueError::Parse { .. }), "{err:?}");
        assert_eq!(err.file(), "controls.toml");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let one = r#"
[[entry_points]]
id = "EP01"
label = { en = "USB", ja = "USBメモリー" }
shown_by = "ports"
"#;
        let text = format!("{one}{one}");
        let err = with(|s| s.entry_points = Box::leak(text.into_boxed_str())).unwrap_err();
        assert_eq!(err, CatalogueError::DuplicateId { file: "entry-points.toml".into(), id: "EP01".into() });
    }

    #[test]
    fn dangling_references_are_rejected() {
        // asset-kinds name entry points that this file no longer has
        let text = r#"
[[entry_points]]
id = "EP99"
label = { en = "x", ja = "x" }
shown_by = "x"
"#;
        let err = with(|s| s.entry_points = text).unwrap_err();
        assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
        assert_eq!(err.file(), "asset-kinds.toml");
    }

    #[test]
    fn software_defaults_must_be_program_check_kinds() {
        // asset-kinds give servers `packaged-software`, which this file lacks
        let text = r#"
[[kinds]]
id = "external-service"
label = { en = "x", ja = "x" }

[[kinds.checks]]
id = "PS-EXTERNAL-DAMAGE"
label = { en = "x", ja = "x" }
source = "3.2.2(1)③"
"#;
        let err = with(|s| s.program_checks = text).unwrap_err();
        assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
        assert_eq!(err.file(), "asset-kinds.toml");
        assert!(err.to_string().contains("unknown software kind `packaged-software`"), "{err}");
    }

    #[test]
    fn profile_id_must_match_its_file() {
        let text = Sources::builtin().profiles[0].1;
        let profiles: &'static [(&'static str, &'static str)] =
            Box::leak(vec![("other-name", text)].into_boxed_slice());
        let err = with(|s| s.profiles = profiles).unwrap_err();
        assert!(matches!(err, CatalogueError::Invalid { .. }), "{err:?}");
        assert_eq!(err.file(), "profiles/other-name.toml");
    }

    #[test]
    fn empty_sources_fail_cleanly() {
        let sources = Sources {
            services: "",
            controls: "",
            asset_kinds: "",
            ports: "",
            checklist: "",
            entry_points: "",
            program_checks: "",
            physical_measures: "",
            supply_chain: "",
            tier_tables: "",
            procurement: "",
            profiles: &[],
        };
        assert!(Catalogue::from_sources(&sources).is_err());
    }

    /// Every label in every file has both languages.
    #[test]
    fn labels_are_non_empty_in_both_languages() {
        let c = builtin();
        let mut labels: Vec<(String, &crate::Label)> = Vec::new();
        for s in c.services() {
            labels.push((format!("service {}", s.id), &s.label));
            for f in &s.functions {
                labels.push((format!("service {} function {}", s.id, f.name), &f.label));
            }
        }
        labels.extend(c.controls().map(|x| (format!("control {}", x.id), &x.label)));
        labels.extend(c.asset_kinds().map(|x| (format!("asset kind {}", x.id), &x.label)));
        labels.extend(c.port_kinds().map(|x| (format!("port kind {}", x.id), &x.label)));
        labels.extend(c.port_states().map(|x| (format!("port state {}", x.id), &x.label)));
        labels.extend(c.checklist_items().map(|x| (format!("checklist {}", x.id), &x.text)));
        labels.extend(c.checklist_items().filter_map(|x| x.note.as_ref().map(|n| (format!("note {}", x.id), n))));
        labels.extend(c.checklist_levels().iter().map(|x| (format!("level {}", x.level), &x.label)));
        labels.extend(c.checklist_categories().map(|x| (format!("category {}", x.id), &x.label)));
        labels.extend(c.entry_points().map(|x| (format!("entry point {}", x.id), &x.label)));
        for kind in c.program_checks() {
            labels.push((format!("program check kind {}", kind.id), &kind.label));
            labels.extend(kind.checks.iter().map(|x| (format!("program check {}", x.id), &x.label)));
        }
        for m in c.physical_measures() {
            labels.push((format!("physical measure {}", m.id), &m.label));
            labels.push((format!("physical measure {} description", m.id), &m.description));
        }
        for counterpart in c.supply_chain() {
            labels.push((format!("counterpart {}", counterpart.id), &counterpart.label));
            labels.extend(counterpart.checks.iter().map(|x| (format!("supply-chain check {}", x.id), &x.label)));
        }
        for t in c.tier_tables() {
            labels.push((format!("tier table {}", t.id), &t.label));
            for row in &t.rows {
                labels.push((format!("row {}.{}", t.id, row.id), &row.label));
                for m in &row.measures {
                    labels.push((format!("measure {}", m.id), &m.text));
                    for (part, label) in m.clause.parts() {
                        labels.push((format!("measure {} {part}", m.id), label));
                    }
                    for (part, label) in m.enforcing.iter().flat_map(|e| e.parts()) {
                        labels.push((format!("measure {} enforcing {part}", m.id), label));
                    }
                }
            }
        }
        for s in c.procurement_sections() {
            labels.push((format!("section {}", s.id), &s.heading));
            labels.extend(s.intro.iter().map(|x| (format!("section {} intro", s.id), x)));
        }
        for x in c.procurement_clauses() {
            for (part, label) in x.clause.parts() {
                labels.push((format!("clause {} {part}", x.id), label));
            }
        }
        for p in c.profiles() {
            labels.push((format!("profile {}", p.id), &p.label));
            labels.extend(p.tiers.iter().map(|x| (format!("tier {}", x.id), &x.label)));
            labels.extend(p.impact.axes.iter().map(|x| (format!("axis {}", x.id), &x.label)));
            labels.extend(p.impact.levels.iter().map(|x| (format!("level {}", x.id), &x.label)));
        }
        for (what, label) in labels {
            assert!(!label.en.trim().is_empty(), "{what}: empty English label");
            assert!(!label.ja.trim().is_empty(), "{what}: empty Japanese label");
            // placeholders: only the four the renderer fills, the same in both languages
            let en = crate::clause::placeholders(&label.en).unwrap_or_else(|bad| panic!("{what}: {bad}"));
            let ja = crate::clause::placeholders(&label.ja).unwrap_or_else(|bad| panic!("{what}: {bad}"));
            assert_eq!(en, ja, "{what}: placeholders differ between the languages");
        }
    }

    /// The texts a procurement specification prints carry no brace other
    /// than the four placeholders, in either language.
    #[test]
    fn procurement_texts_use_only_known_placeholders() {
        let c = builtin();
        let mut texts: Vec<&str> = Vec::new();
        let mut add = |label: &'static crate::Label| texts.extend([label.en.as_str(), label.ja.as_str()]);
        for m in c.tier_tables().flat_map(|t| t.measures()) {
            add(&m.text);
            m.clause.parts().into_iter().for_each(|(_, l)| add(l));
            m.enforcing.iter().flat_map(|e| e.parts()).for_each(|(_, l)| add(l));
        }
        for s in c.procurement_sections() {
            add(&s.heading);
            s.intro.iter().for_each(&mut add);
        }
        for x in c.procurement_clauses() {
            x.clause.parts().into_iter().for_each(|(_, l)| add(l));
        }
        let mut used = BTreeSet::new();
        for text in texts {
            let mut rest = text;
            while let Some(start) = rest.find('{') {
                let after = &rest[start + 1..];
                let end = after.find('}').unwrap_or_else(|| panic!("unclosed brace in {text:?}"));
                let name = &after[..end];
                assert!(crate::clause::PLACEHOLDERS.contains(&name), "`{{{name}}}` in {text:?}");
                used.insert(name);
                rest = &after[end + 1..];
            }
            assert!(!rest.contains('}'), "stray brace in {text:?}");
        }
        // all four are used somewhere
        assert_eq!(used.len(), crate::clause::PLACEHOLDERS.len(), "{used:?}");
    }

    /// IDs are what sources refer to: lower-case kebab-case everywhere except
    /// the numbered and coded catalogues (EP01, E-0-1, PS-…, PHY-…, SC-…).
    #[test]
    fn ids_are_kebab_case() {
        let c = builtin();
        let kebab = |id: &str| {
            !id.is_empty()
                && !id.starts_with('-')
                && !id.ends_with('-')
                && !id.contains("--")
                && id.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        };
        let mut ids: Vec<&str> = Vec::new();
        ids.extend(c.services().map(|x| x.id.as_str()));
        ids.extend(c.services().flat_map(|s| s.functions.iter().map(|f| f.name.as_str())));
        ids.extend(c.controls().map(|x| x.id.as_str()));
        ids.extend(c.controls().map(|x| x.item.as_str()));
        ids.extend(c.asset_kinds().map(|x| x.id.as_str()));
        ids.extend(c.port_kinds().map(|x| x.id.as_str()));
        ids.extend(c.port_states().map(|x| x.id.as_str()));
        ids.extend(c.checklist_categories().map(|x| x.id.as_str()));
        ids.extend(c.profiles().map(|x| x.id.as_str()));
        ids.extend(c.program_checks().map(|x| x.id.as_str()));
        ids.extend(c.supply_chain().map(|x| x.id.as_str()));
        ids.extend(c.tier_tables().flat_map(|t| t.rows.iter().map(|r| r.id.as_str())));
        ids.extend(c.procurement_sections().map(|x| x.id.as_str()));
        for id in ids {
            assert!(kebab(id), "`{id}` is not kebab-case");
        }
    }

    #[test]
    fn catalogue_serialises_to_json_like_data() {
        // Serialize is derived for tools that dump the catalogue; make sure
        // it works through a serde data format (TOML is what we have here).
        let c = builtin();
        let service = c.service("modbus-tcp").unwrap();
        let text = toml::to_string(service).unwrap();
        let back: Service = toml::from_str(&text).unwrap();
        assert_eq!(&back, service);
    }
}
