//! Cross-checks between catalogue files: every ID one file names must exist
//! in the other, so that bad data is an error when the catalogue loads,
//! never a surprise while checking a plant.

use super::*;

impl Catalogue {
    pub(super) fn check_references(&self) -> Result<(), CatalogueError> {
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
            if let Some(c) = ep.addressed_by.iter().chain(&ep.required).find(|c| !self.controls.contains_key(*c)) {
                return Err(CatalogueError::invalid(
                    ENTRY_POINTS_FILE,
                    format!("entry point `{}` names an unknown control `{c}`", ep.id),
                ));
            }
        }
        if !self.checklist_items.iter().any(|i| i.derivation.as_deref() == Some("remote-access")) {
            return Err(CatalogueError::invalid(
                CHECKLIST_FILE,
                "no checklist item carries the `remote-access` derivation, whose measures REMOTE-ACCESS-CONTROLS asks for",
            ));
        }
        for item in &self.checklist_items {
            if let Some(c) = item.controls.iter().find(|c| !self.controls.contains_key(*c)) {
                return Err(CatalogueError::invalid(
                    CHECKLIST_FILE,
                    format!("checklist item `{}` names an unknown control `{c}`", item.id),
                ));
            }
            // The remote-access item's measures are what REMOTE-ACCESS-CONTROLS
            // asks of every conduit from outside: an overlay may change them,
            // never empty them, and each must be a conduit's.
            if item.derivation.as_deref() == Some("remote-access") {
                let conduit = |c: &String| self.controls.get(c).is_some_and(|c| c.applies_to(crate::Applies::Conduit));
                if item.controls.is_empty() || !item.controls.iter().all(conduit) {
                    return Err(CatalogueError::invalid(
                        CHECKLIST_FILE,
                        format!(
                            "checklist item `{}` (remote access) must list its measures in `controls`, each a conduit's control",
                            item.id
                        ),
                    ));
                }
            }
        }
        for profile in self.profiles.values() {
            for requirement in &profile.requirements {
                let file = format!("profiles/{}.toml", profile.id);
                if let Some(c) = requirement.controls().find(|c| !self.controls.contains_key(*c)) {
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
                if let Some(problem) = self.needs_problem(requirement) {
                    return Err(CatalogueError::invalid(&file, problem));
                }
            }
        }
        for kind in self.asset_kinds.values() {
            if let Some(c) = kind.capabilities.iter().find(|c| !self.capabilities.contains_key(*c)) {
                return Err(CatalogueError::invalid(
                    ASSET_KINDS_FILE,
                    format!("asset kind `{}` names an unknown capability `{c}`", kind.id),
                ));
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
        self.check_requirement_measures()
    }

    /// Requirements name measures of the tier tables.
    fn check_requirement_measures(&self) -> Result<(), CatalogueError> {
        for profile in self.profiles.values() {
            for requirement in &profile.requirements {
                if let Some(m) = requirement.measures.iter().find(|m| self.measure(m).is_none()) {
                    return Err(CatalogueError::invalid(
                        &format!("profiles/{}.toml", profile.id),
                        format!("requirement `{}` names an unknown tier-table measure `{m}`", requirement.id),
                    ));
                }
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
            // The two files name each other; they must say the same.
            let checking =
                profile.into_iter().flat_map(|p| &p.requirements).filter(|r| r.measures.contains(&measure.id));
            if let Some(r) = checking.map(|r| &r.id).find(|r| !measure.requirements.contains(r)) {
                return Err(CatalogueError::invalid(
                    TIER_TABLES_FILE,
                    format!("measure `{}` does not list `{r}`, which names it in `measures`", measure.id),
                ));
            }
            let named =
                |r: &String| profile.and_then(|p| p.requirement(r)).is_some_and(|r| r.measures.contains(&measure.id));
            if let Some(r) = measure.requirements.iter().find(|r| !named(r)) {
                return Err(CatalogueError::invalid(
                    TIER_TABLES_FILE,
                    format!("measure `{}` lists `{r}`, whose `measures` do not name it", measure.id),
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

    /// What is wrong with a requirement's `needs`, if anything: an unknown
    /// capability (with the known ones), or `needs` on a zone or conduit
    /// requirement, which no capability describes. Also used for the
    /// requirements of a project's own profiles.
    pub fn needs_problem(&self, requirement: &crate::Requirement) -> Option<String> {
        if let Some(c) = requirement.needs.iter().find(|c| !self.capabilities.contains_key(*c)) {
            let known: Vec<String> = self.capabilities.keys().map(|k| format!("`{k}`")).collect();
            return Some(format!(
                "requirement `{}` needs an unknown capability `{c}` (the capabilities are {})",
                requirement.id,
                known.join(", ")
            ));
        }
        if !requirement.needs.is_empty() && requirement.applies_to != crate::Applies::Asset {
            return Some(format!(
                "requirement `{}` applies to {}s, but `needs` names capabilities of assets",
                requirement.id,
                requirement.applies_to.as_str()
            ));
        }
        None
    }
}
