//! kojo's built-in catalogues, as data embedded in the binary, with typed read-only access.
//!
//! The crate owns the *data* kojo checks a plant against, written as files so
//! that they can be reviewed, cited and overridden like any other data:
//!
//! | file | what | type |
//! |---|---|---|
//! | `data/services.toml` | industrial and IT services: ports, whether secure, restrictable functions | [`Service`] |
//! | `data/controls.toml` | the control vocabulary from the guideline's tier tables [3.2.2(1)①②] and checklist | [`Control`] |
//! | `data/asset-kinds.toml` | asset kinds: enforcing, wireless, entry points they open, default capabilities | [`AssetKind`] |
//! | `data/capabilities.toml` | what an asset can do that requirements presuppose (user accounts, a general-purpose OS …) | [`Capability`] |
//! | `data/ports.toml` | physical port kinds and the states they can be in | [`PortKind`], [`PortStateDef`] |
//! | `data/checklist.toml` | the Appendix E checklist: levels, categories, 35 items | [`ChecklistItem`] |
//! | `data/entry-points.toml` | the thirteen threat entry points (JNSA) | [`EntryPoint`] |
//! | `data/program-checks.toml` | questions to ask of packaged software, in-house programs, external services [3.2.2(1)③] | [`ProgramCheckKind`], [`CheckPoint`] |
//! | `data/physical-measures.toml` | the six physical measures, building to physical access [3.2.2(2)] | [`PhysicalMeasure`] |
//! | `data/supply-chain.toml` | check points per supply-chain counterpart, with related checklist items [3.3(2)] | [`SupplyChainCounterpart`], [`CheckPoint`] |
//! | `data/tier-tables.toml` | the network and device tier tables cell by cell [3.2.2(1)①②], each measure with its procurement clause (text, FAT, SAT) | [`TierTable`], [`TierRow`], [`Measure`], [`Clause`] |
//! | `data/procurement.toml` | the procurement specification's sections (Appendix F style, F0–F17 without F12, A) and its lifecycle clauses | [`ProcurementSection`], [`ProcurementClause`], [`When`], [`CODE_FILLED_SECTIONS`] |
//! | `data/profiles/*.toml` | profiles: tiers and the impact scale | [`Profile`] |
//! | `explain/*.md`, `explain/ja/*.md` | the pages `kojo explain CODE` prints, in English and Japanese | [`explain_page_in`] |
//! | `templates/*.tera` | tera templates of the documents (procurement, evidence) | [`template`] |
//! | `messages/*.toml` | every word documents print that is not catalogue data, per language | [`Messages`] |
//! | `init/<lang>/*` | the files of a new project (`kojo init`), `{{project}}` standing for its name | [`init_project`] |
//!
//! [`Catalogue::builtin`] parses the embedded files once and checks them
//! (unknown keys, duplicate IDs, dangling references), returning an error
//! rather than panicking on bad data; [`Catalogue::from_sources`] does the
//! same for any text, which is how tests and organisations' own catalogues
//! are loaded.
//!
//! What the crate does *not* do: it holds no checking logic (tier derivation,
//! required controls, paths and findings live in `kojo-compiler`), renders no
//! documents (that is `kojo-backends`, with these templates and messages),
//! and performs no I/O beyond the files embedded at build time.

mod assets;
mod capabilities;
mod catalogue;
mod check_points;
mod checklist;
mod clause;
mod controls;
mod entry_points;
mod error;
mod explain;
mod init;
mod lang;
mod messages;
mod physical;
mod ports;
mod procurement;
mod profiles;
mod program_checks;
mod services;
mod supply_chain;
mod templates;
mod tier_tables;

/// Tables written by `build.rs`: `(file stem, contents)` of every embedded
/// explain page, profile, template and message file, sorted by stem, and
/// `(language, path, contents)` of the init files.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

pub use assets::AssetKind;
pub use capabilities::Capability;
pub use catalogue::{Catalogue, Sources};
pub use check_points::CheckPoint;
pub use checklist::{AchievementLevel, ChecklistCategory, ChecklistItem, Scope};
pub use clause::{Clause, PLACEHOLDERS};
pub use controls::{Applies, Control};
pub use entry_points::EntryPoint;
pub use error::CatalogueError;
pub use explain::{explain_codes, explain_codes_ja, explain_page, explain_page_in};
pub use init::{init_files, init_languages, init_project, PROJECT_PLACEHOLDER};
pub use lang::Lang;
pub use messages::{MessageError, Messages, LANGUAGES};
pub use physical::PhysicalMeasure;
pub use ports::{PortKind, PortStateDef};
pub use procurement::{ProcurementClause, ProcurementSection, When, CODE_FILLED_SECTIONS};
pub use profiles::{
    ImpactAxis, ImpactLevel, ImpactScale, Profile, ProfileOverlay, Requirement, ReviewPeriods, TierDef, SEVERITIES,
};
pub use program_checks::ProgramCheckKind;
pub use services::{Field, Fixed, Frame, Function, Inspection, Pdu, PortRange, Purpose, Service, Transport};
pub use supply_chain::SupplyChainCounterpart;
pub use templates::{template, templates};
pub use tier_tables::{Measure, TierRow, TierTable, TIERS, TIER_TABLES};

use serde::{Deserialize, Serialize};

/// A name in English and Japanese. Both are required: reports, procurement
/// specifications and evidence are produced in either language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, expecting = "a text in both languages: { en = \"…\", ja = \"…\" }")]
pub struct Label {
    pub en: String,
    pub ja: String,
}

impl Label {
    /// The label in the given language: `"ja"` gives Japanese, anything else English.
    pub fn get(&self, lang: &str) -> &str {
        if lang.eq_ignore_ascii_case("ja") {
            &self.ja
        } else {
            &self.en
        }
    }
}
