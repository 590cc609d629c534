//! The rule engine: checks a compiled [`Model`] against the profile and
//! reports findings.
//!
//! Each rule is one module with its ID, default severity and check; its page
//! (`stdlib/explain/RULE-ID.md`) says what it checks, why, and how to fix
//! it. Rules see the model, the catalogue, the profile and the derived
//! tiers, never the syntax tree.

mod any_endpoint;
pub mod applicability;
mod boundary;
mod contradicted;
mod declared_tier;
mod external_firewall;
mod flow_enforceable;
mod functions_inspectable;
mod high_tier_path;
mod insecure_protocol;
mod internet_use;
mod limits_overlap;
mod misplaced_control;
mod multi_homed;
mod needs_enforcer;
mod one_way;
mod pages;
mod remote_access;
pub mod required_controls;
mod wireless;

pub(crate) use pages::Words;
pub use pages::{control_page, page, page_title, rule_page};

use std::sync::Arc;

use kojo_lang::ast::EntityKind;
use kojo_lang::{Diagnostic, Severity};
use kojo_stdlib::{Applies, Catalogue, Profile};

use crate::model::{EntityRef, Loc, Model};
use crate::tiers::ZoneTier;

/// What a rule may look at.
pub struct Context<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub profile: &'a Profile,
    /// Every zone's tiers, indexed by zone ID.
    pub tiers: &'a [ZoneTier],
}

/// One rule: an ID users can waive and look up, and its check.
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// The kinds of entity its findings are on: a waiver of it on any
    /// other kind waives nothing, and says so.
    pub applies_to: &'static [EntityKind],
    pub check: fn(&Context<'_>) -> Vec<Finding>,
}

/// Rules whose findings `kojo build` refuses: a waiver cannot hide them,
/// because a check that passes must never lead to a build that fails.
pub const BUILD_REFUSES: [&str; 3] =
    [functions_inspectable::RULE.id, flow_enforceable::RULE.id, limits_overlap::RULE.id];

/// Every built-in rule, in a fixed order.
pub const RULES: &[Rule] = &[
    declared_tier::RULE,
    contradicted::RULE,
    misplaced_control::RULE,
    needs_enforcer::RULE,
    high_tier_path::RULE,
    external_firewall::RULE,
    multi_homed::RULE,
    insecure_protocol::RULE,
    functions_inspectable::RULE,
    flow_enforceable::RULE,
    limits_overlap::RULE,
    any_endpoint::RULE,
    one_way::RULE,
    remote_access::RULE,
    internet_use::RULE,
    wireless::RULE,
];

/// A rule broken by one entity.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// The entity at fault: what a waiver names to accept the finding.
    pub target: EntityRef,
    pub loc: Loc,
    pub message: String,
    /// The label and help, and the notes, are shared between the findings
    /// of one rule that say the same (a requirement on every asset of a
    /// zone): a plant of half a million assets has millions of findings.
    pub label: Arc<str>,
    pub help: Arc<str>,
    /// Other places that explain the finding (what raised a tier, a path's hops).
    pub notes: Arc<[(Loc, String)]>,
    /// What in the entity the finding is about, for a rule that can find
    /// several things on one entity (`service:telnet`, `control:ips`,
    /// `path:internet->control`, `flow:…`, `waiver:RULE on conduit:x`);
    /// empty otherwise. Names and IDs, never prose: the fingerprint is
    /// made of it.
    pub key: String,
}

/// A declaration's first line (its header, without a trailing `{`): a
/// finding points at the entity, not at its whole body.
fn header(file: &kojo_lang::SourceFile, loc: Loc) -> Loc {
    let text = file.text().get(loc.span.range()).unwrap_or_default();
    let line = text.split('\n').next().unwrap_or_default();
    let trimmed = line.trim_end().trim_end_matches('{').trim_end();
    Loc { file: loc.file, span: kojo_lang::Span::new(loc.span.start, loc.span.start + trimmed.len()) }
}

impl Finding {
    /// What identifies the finding across revisions: the rule, the entity
    /// at fault (`conduit:vendor_remote`) and, when the rule can find
    /// several things on one entity, which (`service:telnet`). No line,
    /// file or wording: moving or reformatting a declaration, or a tier
    /// that changes the message's words, leaves the fingerprint as it was,
    /// so a baseline still recognises the finding.
    pub fn fingerprint(&self, model: &Model) -> String {
        let entity = model.entity_path(self.target);
        if self.key.is_empty() {
            format!("{}/{entity}", self.rule)
        } else {
            format!("{}/{entity}/{}", self.rule, self.key)
        }
    }

    pub fn to_diagnostic(&self, model: &Model) -> Diagnostic {
        let file =
            |loc: Loc| model.file(loc.file).cloned().unwrap_or_else(|| kojo_lang::SourceFile::new("<unknown>", ""));
        let primary = header(&file(self.loc), self.loc);
        let mut diagnostic =
            Diagnostic::finding(&self.rule, self.severity, &file(self.loc), primary.span, &self.message)
                .with_label(&*self.label)
                .with_help(&*self.help);
        diagnostic.fingerprint = Some(self.fingerprint(model));
        for (loc, note) in self.notes.iter() {
            let loc = &header(&file(*loc), *loc);
            if loc.file == self.loc.file {
                diagnostic = diagnostic.with_secondary(loc.span, note);
            } else {
                let mut related = Diagnostic::finding(&self.rule, Severity::Info, &file(*loc), loc.span, note);
                related.labels.iter_mut().for_each(|l| l.text.clone_from(note));
                diagnostic = diagnostic.with_related(related);
            }
        }
        diagnostic
    }
}

/// The entity part of a [`Finding::fingerprint`] (`RULE/ENTITY[/KEY]`):
/// `conduit:vendor_remote`, `plant`. `None` for anything that is not a
/// finding's fingerprint. Rule IDs and entity paths hold no `/`; a key may.
pub fn fingerprint_entity(fingerprint: &str) -> Option<&str> {
    let (_rule, rest) = fingerprint.split_once('/')?;
    let entity = rest.split('/').next()?;
    let well_formed = entity == "plant" || entity.split_once(':').is_some_and(|(k, n)| !k.is_empty() && !n.is_empty());
    well_formed.then_some(entity)
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and in every
/// release (std's hasher promises neither).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

/// The IDs of the rules the engine itself reports about waivers.
pub const WAIVER_RULES: [&str; 3] =
    [crate::waivers::EXPIRED, crate::waivers::UNUSED, crate::waivers::COMPENSATING_MISSING];

/// Every rule ID of the built-in rules and the built-in profiles, for
/// listings and tests.
pub fn all_ids(catalogue: &Catalogue) -> Vec<String> {
    let mut ids: Vec<String> = built_in_ids().map(String::from).collect();
    ids.extend(catalogue.profiles().flat_map(|p| p.requirements.iter().map(|r| r.id.clone())));
    ids.sort();
    ids.dedup();
    ids
}

/// The rules that are code: the registry and the waivers' own.
fn built_in_ids() -> impl Iterator<Item = &'static str> {
    RULES.iter().map(|r| r.id).chain(WAIVER_RULES)
}

/// The IDs of every rule a waiver may name: the built-in rules and the
/// requirements of the profiles in force.
pub fn ids<'a>(ctx: &Context<'a>) -> Vec<&'a str> {
    let mut ids: Vec<&'a str> = built_in_ids().collect();
    ids.extend(ctx.profile.requirements.iter().map(|r| r.id.as_str()));
    ids
}

/// The kinds of entity the findings of rule `id` are on, for every rule a
/// waiver may name (see [`ids`]); `None` for an unknown ID.
pub fn applies_to(ctx: &Context<'_>, id: &str) -> Option<Vec<EntityKind>> {
    if let Some(rule) = RULES.iter().find(|r| r.id == id) {
        return Some(rule.applies_to.to_vec());
    }
    if WAIVER_RULES.contains(&id) {
        // The waivers' own findings are on the plant.
        return Some(vec![EntityKind::Plant]);
    }
    let requirement = ctx.profile.requirements.iter().find(|r| r.id == id)?;
    Some(vec![match requirement.applies_to {
        Applies::Zone => EntityKind::Zone,
        Applies::Conduit => EntityKind::Conduit,
        Applies::Asset => EntityKind::Asset,
    }])
}

/// Runs every rule, then the profile's requirements.
pub fn run(ctx: &Context<'_>) -> Vec<Finding> {
    run_with_applicability(ctx).0
}

/// [`run`], and the requirements not applicable to assets
/// ([`applicability::not_applicable`]): both read every entity's controls
/// in force, gathered once here.
pub fn run_with_applicability(ctx: &Context<'_>) -> (Vec<Finding>, applicability::Listing) {
    // The rules read the model and write nothing: they run on every core,
    // their findings joined in RULES' order.
    let (in_force, mut findings) = crate::parallel::join(
        || required_controls::InForce::new(ctx),
        || crate::parallel::map(RULES, |rule| (rule.check)(ctx)).into_iter().flatten().collect::<Vec<Finding>>(),
    );
    let (listing, ()) = crate::parallel::join(
        || applicability::not_applicable_with(ctx, &in_force, applicability::LISTED),
        || required_controls::check_into(ctx, &in_force, &mut findings),
    );
    (findings, listing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entity_comes_back_out_of_a_fingerprint() {
        assert_eq!(fingerprint_entity("NW-TRAFFIC-IDS/conduit:vendor_remote"), Some("conduit:vendor_remote"));
        assert_eq!(fingerprint_entity("WAIVER-UNUSED/plant/waiver:X on zone:a"), Some("plant"));
        let flow = "ANY-ENDPOINT/conduit:c/flow:any -> plc port tcp/502";
        assert_eq!(fingerprint_entity(flow), Some("conduit:c"));
        for not_one in ["", "NW-TRAFFIC-IDS", "a/b", "a/:b/c", "a/b:/c"] {
            assert_eq!(fingerprint_entity(not_one), None, "{not_one}");
        }
    }
}
