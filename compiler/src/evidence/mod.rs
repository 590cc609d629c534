//! Checklist evidence (Appendix E): a level from 1 to 5 for every item,
//! and what supports it.
//!
//! Three sources, combined per item:
//!
//! - the **model**: a [`derive`] derivation (named by the item's
//!   `derivation` in `checklist.toml`) says how much of the item the model
//!   shows done, up to level 3;
//! - the **rules** that bear on the item (its `rules`): each finding, waived
//!   or not, is listed and lowers what the model shows to "partly done";
//! - an **attestation** (`attest E-x-y level N { evidence "…" }`): what the
//!   model cannot see. Levels 4 and 5 stand only with proof of review in
//!   the evidence's git history ([`review`]).
//!
//! How they combine: an item the model sees in full (`scope = "full"`) is
//! at the model's level without an attestation; an item it sees in part is
//! at most level 2 without one. An attestation is accepted up to what its
//! review proves, and never above a level the model contradicts (below 3).
//! An item with nothing behind it is level 1, with what would raise it.
//! An item that does not concern the plant (no wireless LAN, no remote
//! access) has no level.

pub mod derive;
pub mod findings;
pub mod message;
pub mod paths;
pub mod review;

use kojo_stdlib::{Catalogue, ChecklistItem, Profile, ReviewPeriods, Scope};

use crate::model::Model;
use crate::rules::{self, required_controls};
use crate::source::{Change, Versioning};
use crate::tiers::ZoneTier;
use crate::types::Date;
use crate::waivers::Applied;
use message::{key, Arg, Message};
use review::FileReview;

pub use findings::{FindingRef, ItemFindings, WaiverRef};

/// Everything the assessment reads.
pub struct Input<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub profile: &'a Profile,
    pub tiers: &'a [ZoneTier],
    pub findings: &'a Applied,
    /// The assessment date: reviews are measured back from it.
    pub now: Date,
    /// What version control says of [`paths::inside`]`(model)`, in that order.
    pub versioning: &'a Versioning,
}

/// The whole checklist, assessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// In the catalogue's (the guideline's) order.
    pub items: Vec<ItemAssessment>,
    pub now: Date,
    pub review: ReviewPeriods,
    pub repository: Repository,
    /// The threat table the derivations read (step 1-7), for documents
    /// that show it too, so it is derived once.
    pub threats: Vec<crate::threats::ZoneThreat>,
}

/// The version control the evidence was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repository {
    NotVersioned,
    Git { head: Option<String>, shallow: bool, truncated: bool },
    Unreadable(String),
}

/// What the level of an item rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Model,
    Attestation,
    ModelAndAttestation,
    Nothing,
    NotApplicable,
}

impl Basis {
    /// The stable ID documents and JSON use (`model-and-attestation`).
    pub fn id(self) -> &'static str {
        match self {
            Basis::Model => "model",
            Basis::Attestation => "attestation",
            Basis::ModelAndAttestation => "model-and-attestation",
            Basis::Nothing => "nothing",
            Basis::NotApplicable => "not-applicable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAssessment {
    /// The checklist item, e.g. `E-3-5`.
    pub item: String,
    /// 1–5; `None` when the item does not concern the plant.
    pub level: Option<u8>,
    pub basis: Basis,
    /// What the model shows, where the item is model-derived.
    pub derived: Option<ModelView>,
    /// Findings of the item's rules, waived or not.
    pub findings: ItemFindings,
    pub attestation: Option<AttestationView>,
    /// Why the level is what it is, where something capped it.
    pub notes: Vec<Message>,
    /// What would raise it; empty at level 5.
    pub raise: Vec<Message>,
}

/// The model's side of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelView {
    /// What the model shows: 1–3, after its rules' findings.
    pub level: u8,
    pub scope: Scope,
    pub applicable: bool,
    pub supports: Vec<Message>,
    pub missing: Vec<Message>,
    /// The derivation found nothing in the model to judge the item by (no
    /// operations modelled): not a contradiction of an attestation.
    pub silent: bool,
}

/// An attestation, as accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestationView {
    pub declared: u8,
    /// After the proof of review.
    pub accepted: u8,
    pub owner: Option<String>,
    pub files: Vec<FileReview>,
    /// `file:line` of the attestation.
    pub at: String,
}

/// Assesses every checklist item of the catalogue.
pub fn assess(input: &Input<'_>) -> Assessment {
    let asked = paths::inside(input.model);
    let rule_ctx =
        rules::Context { model: input.model, catalogue: input.catalogue, profile: input.profile, tiers: input.tiers };
    let in_force = required_controls::InForce::new(&rule_ctx);
    let derive_ctx = derive::Ctx {
        model: input.model,
        catalogue: input.catalogue,
        profile: input.profile,
        tiers: input.tiers,
        threats: std::cell::OnceCell::new(),
    };
    let index = findings::Index::new(input.findings);
    let items = input
        .catalogue
        .checklist_items()
        .map(|item| assess_item(input, item, &asked, &rule_ctx, &in_force, &derive_ctx, &index))
        .collect();
    let repository = match input.versioning {
        Versioning::NotVersioned => Repository::NotVersioned,
        Versioning::Git { head, shallow, truncated, .. } => {
            Repository::Git { head: head.clone(), shallow: *shallow, truncated: *truncated }
        }
        Versioning::Unreadable(problem) => Repository::Unreadable(problem.clone()),
    };
    let threats =
        derive_ctx.threats.into_inner().unwrap_or_else(|| crate::threats::derive(input.model, input.catalogue));
    Assessment { items, now: input.now, review: input.profile.review, repository, threats }
}

fn assess_item(
    input: &Input<'_>,
    item: &ChecklistItem,
    asked: &[String],
    rule_ctx: &rules::Context<'_>,
    in_force: &required_controls::InForce<'_>,
    derive_ctx: &derive::Ctx<'_>,
    index: &findings::Index<'_>,
) -> ItemAssessment {
    let findings = index.of(input.model, &item.rules);
    let derived = model_view(input, item, rule_ctx, in_force, derive_ctx, &findings, index);
    let attestation = input.model.attestations.iter().find(|a| a.item == item.id).map(|a| {
        let files: Vec<String> = a.evidence.iter().filter_map(|e| paths::normalise(&e.path).ok()).collect();
        let periods = input.profile.review;
        let (accepted, files, notes) = review::review(a.level, &files, input.versioning, asked, &periods, input.now);
        let view = AttestationView {
            declared: a.level,
            accepted,
            owner: a.owner.clone(),
            files,
            at: input.model.locate(a.loc),
        };
        (view, notes)
    });
    combine(item, derived, findings, attestation)
}

/// What the model shows of the item: its derivation, the coverage of its
/// requirement rules, lowered by findings. `None` when nothing in the model
/// speaks to it.
fn model_view(
    input: &Input<'_>,
    item: &ChecklistItem,
    rule_ctx: &rules::Context<'_>,
    in_force: &required_controls::InForce<'_>,
    derive_ctx: &derive::Ctx<'_>,
    findings: &ItemFindings,
    index: &findings::Index<'_>,
) -> Option<ModelView> {
    let scope = item.scope?;
    let derived = item.derivation.as_deref().and_then(derive::find).map(|d| d(derive_ctx));
    let mut supports = Vec::new();
    let mut applies_anywhere = false;
    for rule in &item.rules {
        let Some(requirement) = input.profile.requirements.iter().find(|r| &r.id == rule) else {
            if !index.any(rule) {
                supports.push(Message::new(key::RULE_CLEAN).arg("rule", Arg::Rule(rule.clone())));
            }
            applies_anywhere = true;
            continue;
        };
        let coverage = required_controls::coverage(rule_ctx, in_force, requirement);
        applies_anywhere |= coverage.applies > 0;
        supports.push(if coverage.applies == 0 {
            Message::new(key::RULE_APPLIES_TO_NOTHING).arg("rule", Arg::Rule(rule.clone()))
        } else {
            Message::new(key::RULE_COVERAGE)
                .arg("rule", Arg::Rule(rule.clone()))
                .count("met", coverage.met)
                .count("count", coverage.applies)
        });
    }
    let silent = derived.as_ref().is_some_and(|d| d.silent);
    let (mut level, applicable, mut all_supports, missing) = match derived {
        Some(d) => (d.level, d.applicable, d.supports, d.missing),
        // Only rules speak to the item: done where they apply and hold.
        None if applies_anywhere => (3, true, Vec::new(), Vec::new()),
        None => return None,
    };
    all_supports.append(&mut supports);
    if !findings.is_empty() {
        level = level.min(2);
    }
    Some(ModelView { level, scope, applicable, supports: all_supports, missing, silent: silent && findings.is_empty() })
}

fn combine(
    item: &ChecklistItem,
    derived: Option<ModelView>,
    findings: ItemFindings,
    attestation: Option<(AttestationView, Vec<Message>)>,
) -> ItemAssessment {
    let mut notes = Vec::new();
    let mut raise = Vec::new();
    let hint = || Message::new(key::RAISE_ATTEST).name("item", &item.id);
    let (attestation, mut review_notes) = match attestation {
        Some((view, notes)) => (Some(view), notes),
        None => (None, Vec::new()),
    };
    if derived.as_ref().is_some_and(|d| !d.applicable) {
        notes.push(Message::new(key::NOT_APPLICABLE));
        return ItemAssessment {
            item: item.id.clone(),
            level: None,
            basis: Basis::NotApplicable,
            derived,
            findings,
            attestation,
            notes,
            raise,
        };
    }
    if !findings.is_empty() {
        notes.push(Message::new(key::FINDINGS_LOWER).count("count", findings.total));
        raise.push(Message::new(key::RAISE_FIX));
    }
    if let Some(d) = &derived {
        if !d.missing.is_empty() {
            raise.push(Message::new(key::RAISE_MODEL));
        }
    }
    let (level, basis) = match (&derived, &attestation) {
        (None, None) => {
            notes.push(Message::new(key::NOTHING));
            raise.push(hint());
            (1, Basis::Nothing)
        }
        (Some(d), None) => {
            let level = match d.scope {
                Scope::Full => d.level,
                Scope::Part => {
                    if d.level > 2 {
                        notes.push(Message::new(key::PART_NEEDS_ATTESTATION));
                    }
                    d.level.min(2)
                }
            };
            raise.push(hint());
            (level, Basis::Model)
        }
        (None, Some(a)) => (a.accepted, Basis::Attestation),
        (Some(d), Some(a)) => {
            // The model caps an attestation where it shows the item short
            // (a finding, a zone without IDS); where it holds nothing on the
            // item at all (no operations modelled) it is silent, not a
            // contradiction.
            let ceiling = if d.level >= 3 || d.silent { 5 } else { d.level };
            if a.accepted > ceiling {
                notes.push(Message::new(key::MODEL_CAPS_ATTESTATION).count("level", usize::from(ceiling)));
            }
            (a.accepted.min(ceiling), Basis::ModelAndAttestation)
        }
    };
    notes.append(&mut review_notes);
    if let Some(a) = &attestation {
        if level == a.accepted && (3..5).contains(&level) {
            raise.push(Message::new(key::RAISE_REVIEW).count("level", usize::from(level) + 1));
        }
        if a.accepted < 3 {
            raise.push(Message::new(key::RAISE_COMPLETE));
        }
    }
    if level >= 5 {
        raise.clear();
    }
    ItemAssessment { item: item.id.clone(), level: Some(level), basis, derived, findings, attestation, notes, raise }
}

/// A change's commit, short, for showing.
pub fn short_commit(change: &Change) -> &str {
    change.commit.get(..12).unwrap_or(&change.commit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemorySource;

    fn catalogue() -> &'static Catalogue {
        Catalogue::builtin().unwrap()
    }

    /// Every message the compiler can produce exists in every language.
    #[test]
    fn every_key_is_in_every_message_file() {
        for lang in kojo_stdlib::LANGUAGES {
            let messages = kojo_stdlib::Messages::builtin(lang).unwrap().unwrap();
            for key in message::key::ALL {
                assert!(messages.get(key).is_some(), "`{key}` is missing in messages/{lang}.toml");
            }
        }
    }

    /// The checklist names derivations and rules that exist.
    #[test]
    fn the_checklist_names_real_derivations_and_rules() {
        let rules = crate::rules::all_ids(catalogue());
        for item in catalogue().checklist_items() {
            if let Some(name) = &item.derivation {
                assert!(derive::find(name).is_some(), "{}: no derivation `{name}`", item.id);
            }
            for rule in &item.rules {
                assert!(rules.contains(rule), "{}: no rule `{rule}`", item.id);
            }
        }
        for (name, _) in derive::DERIVATIONS {
            assert!(
                catalogue().checklist_items().any(|i| i.derivation.as_deref() == Some(*name)),
                "derivation `{name}` is used by no checklist item"
            );
        }
    }

    pub(crate) fn assess_text(text: &str, versioning: &Versioning) -> Assessment {
        let source = MemorySource::new("t").with_file("t.kojo", text);
        let checked = crate::check_with(&source, &crate::Options { backends: &[], today: None, ..Default::default() });
        let model = checked.model.as_ref().unwrap_or_else(|| panic!("{:#?}", checked.diagnostics));
        let input = Input {
            model,
            catalogue: checked.catalogue.as_ref().unwrap(),
            profile: checked.profile.as_ref().unwrap(),
            tiers: &checked.tiers,
            findings: &checked.findings,
            now: Date::parse("2026-12-06").unwrap(),
            versioning,
        };
        assess(&input)
    }

    fn item<'a>(assessment: &'a Assessment, id: &str) -> &'a ItemAssessment {
        assessment.items.iter().find(|i| i.item == id).unwrap()
    }

    const PLANT: &str = r#"
plant "T"
zone internet : untrusted
zone oa { subnet 10.1.0.0/24; vlan 10; controls [ids] }
zone control { subnet 10.2.0.0/24; vlan 20; controls [ndr] }
asset fw { kind firewall; interfaces { oa 10.1.0.1; control 10.2.0.1 } }
asset mes in oa { kind server; ip 10.1.0.5; services [https] }
asset plc in control { kind plc; ip 10.2.0.5; services [modbus-tcp] }
conduit down from oa to control {
  allow mes -> plc service modbus-tcp { functions [read] }
  controls [ids]
  enforced-by fw
}
"#;

    #[test]
    fn removing_an_ids_lowers_network_detection() {
        let with = assess_text(PLANT, &Versioning::NotVersioned);
        assert_eq!(item(&with, "E-3-7").derived.as_ref().unwrap().level, 3);
        let without =
            assess_text(&PLANT.replace("controls [ids]\n  enforced-by", "enforced-by"), &Versioning::NotVersioned);
        let view = item(&without, "E-3-7").derived.as_ref().unwrap();
        assert_eq!(view.level, 2, "{view:#?}");
        assert!(view.missing.iter().any(|m| m.key == message::key::DET_UNMONITORED_CONDUITS));
    }

    #[test]
    fn items_with_nothing_behind_them_are_level_one_with_a_hint() {
        let a = assess_text(PLANT, &Versioning::NotVersioned);
        let e11 = item(&a, "E-1-1");
        assert_eq!((e11.level, e11.basis), (Some(1), Basis::Nothing));
        assert!(e11.raise.iter().any(|m| m.key == message::key::RAISE_ATTEST));
        assert_eq!(a.items.len(), 35);
    }

    #[test]
    fn items_that_do_not_apply_have_no_level() {
        let a = assess_text(PLANT, &Versioning::NotVersioned);
        assert_eq!(item(&a, "E-2-7").level, None, "no wireless");
        assert_eq!(item(&a, "E-3-6").basis, Basis::NotApplicable, "no way in from outside");
    }

    #[test]
    fn part_scope_items_need_an_attestation_for_done() {
        let a = assess_text(PLANT, &Versioning::NotVersioned);
        // 4-5: the model gives the acceptance baseline, not the inspections.
        let e45 = item(&a, "E-4-5");
        assert_eq!(e45.derived.as_ref().unwrap().level, 3);
        assert_eq!(e45.level, Some(2));
        let attested = format!("{PLANT}\nattest E-4-5 level 3 {{ evidence \"docs/acceptance.md\" }}\n");
        assert_eq!(item(&assess_text(&attested, &Versioning::NotVersioned), "E-4-5").level, Some(3));
    }

    #[test]
    fn the_model_caps_an_attestation_it_contradicts() {
        let text = format!(
            "{}\nattest E-3-7 level 3 {{ evidence \"docs/ids.md\" }}\n",
            PLANT.replace("controls [ids]\n  enforced-by", "enforced-by")
        );
        let e37 = item(&assess_text(&text, &Versioning::NotVersioned), "E-3-7").clone();
        assert_eq!((e37.level, e37.basis), (Some(2), Basis::ModelAndAttestation));
        assert!(e37.notes.iter().any(|m| m.key == message::key::MODEL_CAPS_ATTESTATION));
    }

    #[test]
    fn a_silent_model_does_not_cap_an_attestation() {
        // No operations or data are modelled: the model says nothing of 0-2,
        // so the attestation stands.
        let text = format!("{PLANT}\nattest E-0-2 level 3 {{ evidence \"docs/zones.md\" }}\n");
        let e02 = item(&assess_text(&text, &Versioning::NotVersioned), "E-0-2").clone();
        assert_eq!(e02.derived.as_ref().map(|d| d.level), Some(1));
        assert_eq!((e02.level, e02.basis), (Some(3), Basis::ModelAndAttestation));
    }

    #[test]
    fn a_gap_the_model_shows_caps_an_attestation() {
        // One zone is not segmentation: the model shows the gap (not
        // silence), so an attestation of 3-5 cannot rise above it.
        let text = "plant \"T\"\nzone a { subnet 10.1.0.0/24 }\nasset x in a { kind server; ip 10.1.0.5 }\nattest E-3-5 level 3 { evidence \"docs/net.md\" }\n";
        let e35 = item(&assess_text(text, &Versioning::NotVersioned), "E-3-5").clone();
        assert_eq!(e35.level, Some(1), "{e35:#?}");
        assert!(e35.notes.iter().any(|m| m.key == message::key::MODEL_CAPS_ATTESTATION));
    }

    #[test]
    fn findings_of_an_items_rules_are_listed_and_lower_it() {
        // Neither the MES server nor the PLC has a password policy:
        // NW-PASSWORD-POLICY (2-10) finds both. (A PLC without user accounts
        // still has a password to govern; only MFA and individual IDs do
        // not apply to it.)
        let a = assess_text(PLANT, &Versioning::NotVersioned);
        let e210 = item(&a, "E-2-10");
        assert!(e210.findings.listed.iter().any(|f| f.rule == "NW-PASSWORD-POLICY" && f.entity == "asset mes"));
        assert!(e210.findings.listed.iter().any(|f| f.rule == "NW-PASSWORD-POLICY" && f.entity == "asset plc"));
        assert!(e210.derived.as_ref().unwrap().level <= 2);
    }
}
