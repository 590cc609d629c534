//! Profiles (`data/profiles/*.toml`): the tiers and impact scale a plant is checked with.
//!
//! A profile is the guideline tailored to an industry or company. Later
//! versions of the schema add the controls each tier requires and rules;
//! they will be optional sections, so today's profiles stay valid.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::catalogue::{parse, unique};
use crate::{CatalogueError, Label};

/// A profile, e.g. `meti-factory`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub id: String,
    pub label: Label,
    /// Control tiers from lowest to highest (最低限, 中, 高).
    pub tiers: Vec<TierDef>,
    pub impact: ImpactScale,
    /// The controls each tier requires of zones, conduits and assets.
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    /// Severities that differ from a rule's default (`error`, `warning`,
    /// `info`), by rule ID.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// How recent a review must be to prove Appendix E levels 4 and 5.
    #[serde(default)]
    pub review: ReviewPeriods,
}

/// Appendix E levels 4 ("reviewed periodically") and 5 ("reviewed
/// continuously, as needed") need proof of review: a commit to the
/// evidence file within this many days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewPeriods {
    /// Level 4: the evidence changed within this many days.
    pub periodic_days: u32,
    /// Level 5: the evidence changed within this many days.
    pub continuous_days: u32,
}

impl Default for ReviewPeriods {
    fn default() -> Self {
        ReviewPeriods { periodic_days: 365, continuous_days: 90 }
    }
}

impl ReviewPeriods {
    /// The period that proves `level`; `None` below level 4.
    pub fn days_for(&self, level: u8) -> Option<u32> {
        match level {
            4 => Some(self.periodic_days),
            5.. => Some(self.continuous_days),
            _ => None,
        }
    }
}

/// An organisation's profile, stacked on a complete one: it adds or
/// replaces requirements (by ID), removes requirements, replaces the impact
/// scale and overrides severities. Lives in the project's `profiles/` folder.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileOverlay {
    pub id: String,
    pub label: Label,
    #[serde(default)]
    pub impact: Option<ImpactScale>,
    #[serde(default)]
    pub requirements: Vec<Requirement>,
    /// Requirement IDs of the profiles below that no longer apply.
    #[serde(default)]
    pub remove: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Controls added to the catalogue (or replacing one of the same ID).
    #[serde(default)]
    pub controls: Vec<crate::Control>,
    /// Checklist items added (or replacing one of the same ID).
    #[serde(default)]
    pub checklist: Vec<crate::ChecklistItem>,
    /// Review periods replacing the ones below.
    #[serde(default)]
    pub review: Option<ReviewPeriods>,
}

/// Severity names a profile may use.
pub const SEVERITIES: [&str; 3] = ["error", "warning", "info"];

impl ProfileOverlay {
    /// Parses an overlay from a project's `profiles/NAME.toml`.
    pub fn parse(file: &str, text: &str) -> Result<ProfileOverlay, CatalogueError> {
        let overlay: ProfileOverlay = parse(file, text)?;
        unique(file, "requirement", overlay.requirements.iter().map(|r| r.id.as_str()))?;
        if let Some((rule, value)) = overlay.severity.iter().find(|(_, v)| !SEVERITIES.contains(&v.as_str())) {
            return Err(CatalogueError::invalid(
                file,
                format!("severity `{value}` for `{rule}` is not one of error, warning, info"),
            ));
        }
        Ok(overlay)
    }
}

impl Profile {
    /// This profile with `overlay` stacked on top. The result is checked
    /// like a built-in profile (tiers of requirements exist, levels map to
    /// tiers); `remove` entries must name requirements that exist below.
    pub fn stack(&self, overlay: &ProfileOverlay, file: &str) -> Result<Profile, CatalogueError> {
        let mut out = self.clone();
        out.id = format!("{}+{}", self.id, overlay.id);
        if let Some(impact) = &overlay.impact {
            out.impact = impact.clone();
        }
        if let Some(review) = overlay.review {
            check_review(file, &review)?;
            out.review = review;
        }
        for id in &overlay.remove {
            let before = out.requirements.len();
            out.requirements.retain(|r| &r.id != id);
            if out.requirements.len() == before {
                return Err(CatalogueError::invalid(
                    file,
                    format!("`remove` names `{id}`, which no profile below defines"),
                ));
            }
        }
        for requirement in &overlay.requirements {
            match out.requirements.iter_mut().find(|r| r.id == requirement.id) {
                Some(existing) => *existing = requirement.clone(),
                None => out.requirements.push(requirement.clone()),
            }
        }
        out.severity.extend(overlay.severity.clone());
        for level in &out.impact.levels {
            if out.tier(&level.tier).is_none() {
                return Err(CatalogueError::invalid(
                    file,
                    format!("impact level `{}` maps to an unknown tier", level.id),
                ));
            }
        }
        if let Some(r) = out.requirements.iter().find(|r| out.tier(&r.tier).is_none()) {
            return Err(CatalogueError::invalid(
                file,
                format!("requirement `{}` names an unknown tier `{}`", r.id, r.tier),
            ));
        }
        if let Some(r) = out.requirements.iter().find(|r| r.controls().next().is_none()) {
            return Err(CatalogueError::invalid(
                file,
                format!("requirement `{}` needs at least one control in `all_of` or `any_of`", r.id),
            ));
        }
        Ok(out)
    }
}

/// "Entities of this kind at this tier or above need these controls."
///
/// A requirement checks one or more measures of the guideline's tier tables
/// (`measures`) and is met when every control of `all_of` and, if `any_of`
/// is given, one control of `any_of` are in force. A cell marked ＋ adds to
/// the tier on its left, so its requirement is separate from the lower
/// one's and a higher tier's control does not meet a lower requirement.
/// Whatever kojo adds beyond the guideline's words (an alternative control,
/// a `kinds` scope, a requirement of its own) carries a `kojo` note.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The rule ID findings carry and waivers name, e.g. `NW-TRAFFIC-IDS`.
    pub id: String,
    /// The guideline's words for the measures (`ja` verbatim); kojo's own
    /// wording for a requirement of its own.
    pub label: Label,
    pub applies_to: crate::Applies,
    /// The lowest tier that needs it.
    pub tier: String,
    /// The tier-table measures it checks (`device.logging.medium`); empty
    /// for a requirement the tables do not have (an organisation's, or
    /// kojo's own, which then says why in `kojo`).
    #[serde(default)]
    pub measures: Vec<String>,
    /// Every one of these controls is needed.
    #[serde(default)]
    pub all_of: Vec<String>,
    /// One of these controls is needed (none when empty).
    #[serde(default)]
    pub any_of: Vec<String>,
    /// The tier table (`network`, `device`) and its row.
    pub table: String,
    pub item: String,
    /// The guideline section, for citing.
    pub source: String,
    /// For assets: only these kinds (all kinds when empty). Kept for
    /// organisations' own profiles; the built-in one says `needs` instead,
    /// so that what is exempt is reported, not silent.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// For assets: the capabilities (`capabilities.toml`) the requirement
    /// presupposes. On an asset lacking one it is not applicable, and
    /// reported so with the reason.
    #[serde(default)]
    pub needs: Vec<String>,
    /// What kojo reads into or adds to the guideline here, and why; shown
    /// on the requirement's page as kojo's interpretation, never as the
    /// guideline's.
    #[serde(default)]
    pub kojo: Option<Label>,
}

impl Requirement {
    /// Every control the requirement names: `all_of`, then `any_of`.
    pub fn controls(&self) -> impl Iterator<Item = &str> + Clone {
        self.all_of.iter().chain(&self.any_of).map(String::as_str)
    }

    /// Whether the controls `in_force` meet it.
    pub fn met_by(&self, in_force: impl Fn(&str) -> bool) -> bool {
        self.all_of.iter().all(|c| in_force(c)) && (self.any_of.is_empty() || self.any_of.iter().any(|c| in_force(c)))
    }

    /// The controls still to add where `in_force` are in place: the missing
    /// ones of `all_of`, and the first of `any_of` if none of it is in force.
    pub fn missing(&self, in_force: impl Fn(&str) -> bool) -> Vec<&str> {
        let mut out: Vec<&str> = self.all_of.iter().map(String::as_str).filter(|c| !in_force(c)).collect();
        if let Some(first) = self.any_of.first().filter(|_| !self.any_of.iter().any(|c| in_force(c))) {
            out.push(first);
        }
        out
    }

    /// What it needs, in words: "`a` and `b`", "one of `c` or `d`".
    pub fn needs(&self) -> String {
        let all = self.all_of.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(" and ");
        let any = match self.any_of.as_slice() {
            [] => String::new(),
            [one] => format!("`{one}`"),
            many => format!("one of `{}`", many.join("` or `")),
        };
        match (all.is_empty(), any.is_empty()) {
            (false, false) => format!("{all} and {any}"),
            (true, _) => any,
            (false, true) => all,
        }
    }
}

impl Profile {
    pub fn tier(&self, id: &str) -> Option<&TierDef> {
        self.tiers.iter().find(|t| t.id == id)
    }

    /// Position of a tier from the lowest (0); for comparing tiers.
    pub fn tier_rank(&self, id: &str) -> Option<usize> {
        self.tiers.iter().position(|t| t.id == id)
    }

    /// The impact axis with this ID (`safety`) or short code (`S`, `bc`;
    /// case-insensitive).
    pub fn axis(&self, id_or_short: &str) -> Option<&ImpactAxis> {
        self.impact
            .axes
            .iter()
            .find(|a| a.id == id_or_short)
            .or_else(|| self.impact.axes.iter().find(|a| a.short.eq_ignore_ascii_case(id_or_short)))
    }

    pub fn level(&self, id: &str) -> Option<&ImpactLevel> {
        self.impact.levels.iter().find(|l| l.id == id)
    }

    /// Position of an impact level from the lowest (0); for comparing levels.
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id == id)
    }

    pub fn level_rank(&self, id: &str) -> Option<usize> {
        self.impact.levels.iter().position(|l| l.id == id)
    }
}

/// A control tier (セキュリティ強度).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TierDef {
    pub id: String,
    pub label: Label,
}

/// How operations, data and assets are rated: on each axis, one level.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactScale {
    /// The values a factory protects (S, BC, Q, D, C).
    pub axes: Vec<ImpactAxis>,
    /// From lowest to highest.
    pub levels: Vec<ImpactLevel>,
}

/// One value a factory protects, e.g. safety (S) 安全確保.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactAxis {
    pub id: String,
    /// The guideline's code: `S`, `BC`, `Q`, `D`, `C`.
    pub short: String,
    pub label: Label,
}

/// One level of the impact scale, e.g. `high` 高.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactLevel {
    pub id: String,
    pub label: Label,
    /// The tier that a thing rated at this level needs [3.2.1]: the
    /// profile's mapping from importance to countermeasure tier.
    pub tier: String,
}

/// A review period of zero days could never be met, and "continuously"
/// cannot be a longer period than "periodically".
fn check_review(file: &str, review: &ReviewPeriods) -> Result<(), CatalogueError> {
    if review.continuous_days == 0 || review.continuous_days > review.periodic_days {
        return Err(CatalogueError::invalid(
            file,
            format!(
                "`review`: `continuous_days` ({}) must be at least 1 and at most `periodic_days` ({})",
                review.continuous_days, review.periodic_days
            ),
        ));
    }
    Ok(())
}

pub(crate) fn load(file: &str, stem: &str, text: &str) -> Result<Profile, CatalogueError> {
    let profile: Profile = parse(file, text)?;
    if profile.id != stem {
        return Err(CatalogueError::invalid(
            file,
            format!("profile `{}` must live in `profiles/{}.toml`", profile.id, profile.id),
        ));
    }
    if profile.tiers.is_empty() || profile.impact.axes.is_empty() || profile.impact.levels.is_empty() {
        return Err(CatalogueError::invalid(
            file,
            format!("profile `{stem}` needs at least one tier, impact axis and impact level"),
        ));
    }
    unique(file, "tier", profile.tiers.iter().map(|t| t.id.as_str()))?;
    unique(file, "impact axis", profile.impact.axes.iter().map(|a| a.id.as_str()))?;
    let shorts: Vec<String> = profile.impact.axes.iter().map(|a| a.short.to_ascii_uppercase()).collect();
    unique(file, "impact axis short code", shorts.iter().map(String::as_str))?;
    unique(file, "impact level", profile.impact.levels.iter().map(|l| l.id.as_str()))?;
    for level in &profile.impact.levels {
        if profile.tier(&level.tier).is_none() {
            return Err(CatalogueError::invalid(
                file,
                format!("impact level `{}` maps to tier `{}`, which the profile does not define", level.id, level.tier),
            ));
        }
    }
    unique(file, "requirement", profile.requirements.iter().map(|r| r.id.as_str()))?;
    check_review(file, &profile.review)?;
    for requirement in &profile.requirements {
        if profile.tier(&requirement.tier).is_none() || requirement.controls().next().is_none() {
            return Err(CatalogueError::invalid(
                file,
                format!("requirement `{}` needs a tier of the profile and at least one control", requirement.id),
            ));
        }
    }
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::catalogue::tests::builtin;

    fn meti() -> &'static Profile {
        builtin().profile("meti-factory").unwrap()
    }

    #[test]
    fn tiers_in_order() {
        let p = meti();
        let tiers: Vec<(&str, &str)> = p.tiers.iter().map(|t| (t.id.as_str(), t.label.ja.as_str())).collect();
        assert_eq!(tiers, [("minimum", "最低限"), ("medium", "中"), ("high", "高")]);
        assert!(p.tier_rank("high") > p.tier_rank("minimum"));
        assert!(p.tier("extreme").is_none());
    }

    #[test]
    fn impact_axes_by_id_or_short_code() {
        let p = meti();
        let axes: Vec<(&str, &str)> = p.impact.axes.iter().map(|a| (a.id.as_str(), a.short.as_str())).collect();
        assert_eq!(axes, [("safety", "S"), ("continuity", "BC"), ("quality", "Q"), ("delivery", "D"), ("cost", "C")]);
        assert_eq!(p.axis("continuity").unwrap().short, "BC");
        assert_eq!(p.axis("bc").unwrap().id, "continuity");
        assert_eq!(p.axis("S").unwrap().label.ja, "安全確保");
        assert_eq!(p.axis("d").unwrap().label.ja, "納期遵守・遅延防止");
        assert!(p.axis("Safety").is_none(), "IDs are case-sensitive");
        assert!(p.axis("X").is_none());
    }

    #[test]
    fn impact_levels_in_order() {
        let p = meti();
        let levels: Vec<&str> = p.impact.levels.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(levels, ["low", "mid", "high"]);
        assert_eq!(p.level("mid").unwrap().label.ja, "中");
        assert_eq!(p.level_rank("high"), Some(2));
        assert!(p.level("medium").is_none());
    }

    /// The measures a requirement checks, with their table and row.
    fn measures_of(r: &Requirement) -> Vec<(&'static str, &'static str, &'static crate::Measure)> {
        r.measures
            .iter()
            .map(|id| {
                let (t, row, m) = builtin().measure(id).unwrap_or_else(|| panic!("{}: no measure `{id}`", r.id));
                (t.id.as_str(), row.id.as_str(), m)
            })
            .collect()
    }

    /// Every requirement says the seed's words for the measures it checks,
    /// at their tier and in their row, and every measure of both tables is
    /// checked by some requirement.
    #[test]
    fn requirements_say_what_the_tier_tables_say() {
        let c = builtin();
        for r in &meti().requirements {
            let measures = measures_of(r);
            if measures.is_empty() {
                assert!(r.kojo.is_some(), "{}: a requirement of kojo's own says so in `kojo`", r.id);
                continue;
            }
            let own: Vec<&str> =
                measures.iter().filter(|(t, _, _)| *t == r.table).map(|(_, _, m)| m.text.ja.as_str()).collect();
            assert!(!own.is_empty(), "{}: no measure of its own table `{}`", r.id, r.table);
            // The seed's words, and after them, where they alone would name
            // two requirements alike, the row or the table they sit in.
            let seed = own.join("、");
            let qualifier =
                r.label.ja.strip_prefix(&seed).unwrap_or_else(|| panic!("{}: the label is not the seed's text", r.id));
            if !qualifier.is_empty() {
                let table = c.tier_table(&r.table).unwrap();
                let row = table.row(&r.item).unwrap();
                let named = qualifier.strip_prefix('（').and_then(|q| q.strip_suffix('）')).unwrap_or_default();
                // the row's name (without its parenthesis: 資源保護(CPU、メモリ、ディスク)), or the table's
                let row_name = row.label.ja.split('(').next().unwrap_or_default();
                let table_name = table.label.ja.replace("セキュリティ", "");
                assert!(
                    named == row_name || named == table_name,
                    "{}: `{qualifier}` names neither its row nor its table",
                    r.id
                );
            }
            for (table, row, m) in &measures {
                assert_eq!(*row, r.item, "{}: {} is in row `{row}`", r.id, m.id);
                assert_eq!(m.tier, r.tier, "{}: {} is at tier {}", r.id, m.id, m.tier);
                // a row both tables have: the same cell, repeated
                assert!(*table == r.table || c.tier_table(&r.table).and_then(|t| t.row(row)).is_some(), "{}", r.id);
            }
        }
        let checked: BTreeSet<&str> =
            meti().requirements.iter().flat_map(|r| &r.measures).map(String::as_str).collect();
        for m in c.tier_tables().flat_map(|t| t.measures()) {
            assert!(checked.contains(m.id.as_str()), "measure `{}` ({}) is checked by no requirement", m.id, m.text.ja);
        }
    }

    /// Whatever kojo adds (other controls than the measures', a `kinds` or
    /// `needs` scope, one claim standing for several measures, a
    /// requirement of its own) is marked as kojo's, with a reason in both
    /// languages; and nothing else is.
    #[test]
    fn what_kojo_adds_is_marked_as_kojos() {
        for r in &meti().requirements {
            let seed: BTreeSet<&str> =
                measures_of(r).iter().flat_map(|(_, _, m)| &m.controls).map(String::as_str).collect();
            let own: BTreeSet<&str> = r.controls().collect();
            // One claim standing for several measures of a cell is a reading too.
            let distinct: BTreeSet<&str> = measures_of(r).iter().map(|(_, _, m)| m.text.ja.as_str()).collect();
            let composite = own.len() < distinct.len() && !r.any_of.is_empty() && r.all_of.is_empty();
            let added = own != seed || !r.kinds.is_empty() || !r.needs.is_empty() || r.measures.is_empty() || composite;
            match &r.kojo {
                Some(note) => {
                    assert!(added, "{}: a `kojo` note on a requirement that says only the seed's", r.id);
                    assert!(!note.en.trim().is_empty() && !note.ja.trim().is_empty(), "{}", r.id);
                }
                None => {
                    assert!(!added, "{}: controls {own:?} (seed {seed:?}), kinds or needs, but no `kojo` note", r.id)
                }
            }
            if r.measures.is_empty() {
                assert!(!r.source.starts_with("3.2.2(1)"), "{}: kojo's own requirement cites the tier tables", r.id);
            }
        }
    }

    /// A ＋ cell adds to the one on its left: the higher tier's controls do
    /// not meet the lower requirement of the same row.
    #[test]
    fn a_higher_tier_control_does_not_meet_a_plus_cells_lower_requirement() {
        let c = builtin();
        let reqs = &meti().requirements;
        for high in reqs.iter().filter(|r| measures_of(r).iter().all(|(_, _, m)| m.plus)) {
            for low in reqs.iter().filter(|l| l.item == high.item && l.table == high.table && l.id != high.id) {
                if meti().tier_rank(&low.tier) >= meti().tier_rank(&high.tier) {
                    continue;
                }
                let only_high = |ctl: &str| high.controls().any(|h| h == ctl) && !low.controls().any(|l| l == ctl);
                assert!(!low.met_by(only_high), "{} is met by {}'s controls", low.id, high.id);
            }
        }
        // and the rows are the catalogue's rows
        for ctl in c.controls().filter(|x| x.table == "network" || x.table == "device") {
            assert!(c.tier_table(&ctl.table).unwrap().row(&ctl.item).is_some(), "control {}: row {}", ctl.id, ctl.item);
        }
        for r in reqs.iter().filter(|r| r.table == "network" || r.table == "device") {
            assert!(c.tier_table(&r.table).unwrap().row(&r.item).is_some(), "{}: row {}", r.id, r.item);
        }
    }

    #[test]
    fn all_of_needs_every_control_and_any_of_one() {
        let r = meti().requirement("DEV-OPERATION-LOGS").unwrap();
        assert!(!r.met_by(|c| c == "operation-logs"));
        assert!(!r.met_by(|c| c == "log-forwarding"));
        assert!(r.met_by(|c| c == "operation-logs" || c == "log-forwarding"));
        assert_eq!(r.missing(|c| c == "operation-logs"), ["log-forwarding"]);
        assert_eq!(r.needs(), "`operation-logs` and `log-forwarding`");
        let nat = meti().requirement("NW-CONCEAL-NAT").unwrap();
        assert!(nat.met_by(|c| c == "stealth"));
        assert_eq!(nat.missing(|_| false), ["nat"]);
        assert_eq!(nat.needs(), "one of `nat` or `stealth` or `gateway`");
        let mut both = nat.clone();
        both.all_of = vec!["firewall".into()];
        assert!(!both.met_by(|c| c == "nat") && both.met_by(|c| c == "nat" || c == "firewall"));
        assert_eq!(both.needs(), "`firewall` and one of `nat` or `stealth` or `gateway`");
        // a requirement needs at least one control
        let mut overlay =
            ProfileOverlay::parse("profiles/o.toml", "id = \"o\"\nlabel = { en = \"o\", ja = \"o\" }\n").unwrap();
        let mut empty = r.clone();
        empty.all_of.clear();
        overlay.requirements.push(empty);
        let err = meti().stack(&overlay, "profiles/o.toml").unwrap_err();
        assert!(err.to_string().contains("at least one control"), "{err}");
    }

    #[test]
    fn unknown_sections_are_rejected() {
        let text = r#"
id = "p"
label = { en = "p", ja = "p" }
tiers = [{ id = "t", label = { en = "t", ja = "t" } }]
requirments = []
[impact]
axes = [{ id = "s", short = "S", label = { en = "s", ja = "s" } }]
levels = [{ id = "l", label = { en = "l", ja = "l" }, tier = "t" }]
"#;
        let err = load("profiles/p.toml", "p", text).unwrap_err();
        assert!(err.to_string().contains("requirments"), "{err}");
        let ok = text.replace("requirments = []\n", "");
        assert!(load("profiles/p.toml", "p", &ok).is_ok());
        let dup =
            ok.replace("levels = [", "levels = [{ id = \"l\", label = { en = \"l\", ja = \"l\" }, tier = \"t\" }, ");
        assert!(load("profiles/p.toml", "p", &dup).is_err());
    }
}
