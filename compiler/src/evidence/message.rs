//! What evidence says, as message keys with arguments: the words live in
//! the message files (`kojo-stdlib`, `messages/<lang>.toml`), so the same
//! assessment reads in Japanese and in English.
//!
//! Every key the compiler uses is declared here once; a test checks that
//! each exists in every language.

use crate::model::Tier;
use crate::types::Date;

/// One sentence of evidence: a message key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(key: &'static str) -> Self {
        Message { key, args: Vec::new() }
    }

    pub fn arg(mut self, name: &'static str, value: Arg) -> Self {
        self.args.push((name, value));
        self
    }

    /// A model name (zone, asset …), shown as written.
    pub fn name(self, arg: &'static str, value: impl Into<String>) -> Self {
        self.arg(arg, Arg::Name(value.into()))
    }

    pub fn count(self, arg: &'static str, value: usize) -> Self {
        self.arg(arg, Arg::Count(value))
    }

    /// A list of model names.
    pub fn names(self, arg: &'static str, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.arg(arg, Arg::List(values.into_iter().map(|v| Arg::Name(v.into())).collect()))
    }

    /// A list of controls, shown by their catalogue labels.
    pub fn controls(self, arg: &'static str, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.arg(arg, Arg::List(ids.into_iter().map(|v| Arg::Control(v.into())).collect()))
    }
}

/// A value in a message, rendered in the document's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// A name from the model, shown as written.
    Name(String),
    /// Free text from the model (a window, a reason), shown as written.
    Text(String),
    Count(usize),
    Date(Date),
    /// A tier, by the profile's label.
    Tier(Tier),
    /// A control, by the catalogue's label.
    Control(String),
    /// A rule, by its ID (and a requirement's label where it is one).
    Rule(String),
    /// Values joined as a list (long lists are shortened).
    List(Vec<Arg>),
}

macro_rules! keys {
    ($($name:ident = $key:literal;)*) => {
        $(pub const $name: &str = $key;)*
        /// Every key the compiler uses.
        pub const ALL: &[&str] = &[$($key),*];
    };
}

/// The message keys of evidence.
pub mod key {
    keys! {
        // Combining the model, the rules and an attestation into a level.
        FINDINGS_LOWER = "evidence.level.findings-lower";
        PART_NEEDS_ATTESTATION = "evidence.level.part-needs-attestation";
        MODEL_CAPS_ATTESTATION = "evidence.level.model-caps-attestation";
        NOT_APPLICABLE = "evidence.level.not-applicable";
        NOTHING = "evidence.level.nothing";
        // Proof of review.
        REVIEW_PROVEN = "evidence.review.proven";
        REVIEW_TOO_OLD = "evidence.review.too-old";
        REVIEW_NEVER_COMMITTED = "evidence.review.never-committed";
        REVIEW_SHALLOW = "evidence.review.shallow";
        REVIEW_CREATED_ONLY = "evidence.review.created-only";
        REVIEW_NOT_GIT = "evidence.review.not-git";
        REVIEW_UNREADABLE = "evidence.review.unreadable";
        REVIEW_NO_FILE = "evidence.review.no-file";
        REVIEW_CAPPED = "evidence.review.capped";
        // What would raise a level.
        RAISE_ATTEST = "evidence.raise.attest";
        RAISE_FIX = "evidence.raise.fix";
        RAISE_REVIEW = "evidence.raise.review";
        RAISE_COMPLETE = "evidence.raise.complete";
        RAISE_MODEL = "evidence.raise.model";
        // Rules bearing on an item.
        RULE_COVERAGE = "evidence.rules.coverage";
        RULE_APPLIES_TO_NOTHING = "evidence.rules.applies-to-nothing";
        RULE_CLEAN = "evidence.rules.clean";
        // Derivations, one group per checklist item they evidence.
        OPS_OPERATIONS = "evidence.operations.operations";
        OPS_UNRATED = "evidence.operations.unrated";
        OPS_DATA = "evidence.operations.data";
        OPS_DATA_UNBOUND = "evidence.operations.data-unbound";
        OPS_ZONES = "evidence.operations.zones";
        OPS_ZONES_UNBOUND = "evidence.operations.zones-unbound";
        OPS_THREATS = "evidence.operations.threats";
        OPS_NONE = "evidence.operations.none";
        CM_TIERS = "evidence.countermeasures.tiers";
        CM_ADDRESSED = "evidence.countermeasures.addressed";
        CM_OPEN = "evidence.countermeasures.open";
        CM_UNKNOWN = "evidence.countermeasures.unknown";
        CM_NO_ZONES = "evidence.countermeasures.no-zones";
        NET_NONE = "evidence.internet.none";
        NET_REACHES = "evidence.internet.reaches";
        INV_DEVICES = "evidence.inventory.devices";
        INV_IDENTIFIED = "evidence.inventory.identified";
        INV_UNIDENTIFIED = "evidence.inventory.unidentified";
        INV_NO_FIRMWARE = "evidence.inventory.no-firmware";
        INV_NO_ADDRESS = "evidence.inventory.no-address";
        INV_NONE = "evidence.inventory.none";
        WL_NONE = "evidence.wireless.none";
        WL_COVERED = "evidence.wireless.covered";
        WL_UNCOVERED = "evidence.wireless.uncovered";
        VULN_TRACKED = "evidence.vulnerabilities.tracked";
        VULN_UNTRACKED = "evidence.vulnerabilities.untracked";
        SVC_DECLARED = "evidence.services.declared";
        SVC_UNDECLARED = "evidence.services.undeclared";
        SVC_PORTS = "evidence.services.ports";
        SVC_OPEN_PORTS = "evidence.services.open-ports";
        PHY_COVERED = "evidence.physical.covered";
        PHY_UNCOVERED = "evidence.physical.uncovered";
        SEG_ZONE_VLAN = "evidence.segmentation.zone-vlan";
        SEG_ZONE_PHYSICAL = "evidence.segmentation.zone-physical";
        SEG_FLAT = "evidence.segmentation.flat";
        SEG_UNSEGMENTED = "evidence.segmentation.unsegmented";
        SEG_ENFORCED = "evidence.segmentation.enforced";
        SEG_UNENFORCED = "evidence.segmentation.unenforced";
        RA_NONE = "evidence.remote-access.none";
        RA_CONDUIT = "evidence.remote-access.conduit";
        RA_MISSING = "evidence.remote-access.missing";
        DET_CONDUITS = "evidence.detection.conduits";
        DET_UNMONITORED_CONDUITS = "evidence.detection.unmonitored-conduits";
        DET_ZONES = "evidence.detection.zones";
        DET_UNMONITORED_ZONES = "evidence.detection.unmonitored-zones";
        LOG_DEVICES = "evidence.logging.devices";
        LOG_SILENT = "evidence.logging.silent";
        LOG_FORWARDED = "evidence.logging.forwarded";
        LOG_ANALYSED = "evidence.logging.analysed";
        LOG_NO_ANALYSIS = "evidence.logging.no-analysis";
        ACC_BASELINE = "evidence.acceptance.baseline";
        ACC_NONE = "evidence.acceptance.none";
        SPEC_REQUIREMENTS = "evidence.specifications.requirements";
        SPEC_PURCHASES = "evidence.specifications.purchases";
    }
}
