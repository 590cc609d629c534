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
        Ok(out)
    }
}

/// "Entities of this kind at this tier or above need one of these controls."
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The rule ID findings carry and waivers name, e.g. `NW-TRAFFIC-IDS`.
    pub id: String,
    pub label: Label,
    pub applies_to: crate::Applies,
    /// The lowest tier that needs it.
    pub tier: String,
    /// Met by any of these controls.
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
        if profile.tier(&requirement.tier).is_none() || requirement.any_of.is_empty() {
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
