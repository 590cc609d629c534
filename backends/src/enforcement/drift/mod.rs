//! Drift: a rule set exported from a device (`nft -j list ruleset`, `nft
//! list ruleset`, `iptables-save`/`ip6tables-save`) against what the model
//! generates for it (`kojo drift DEVICE FILE`).
//!
//! The comparison is of meaning, not text. Both sides become sets of new
//! forwarded connections (interface in, interface out, family, source and
//! destination addresses, protocol, destination port): the model's from
//! the device's [`DevicePolicy`] as the netfilter backends render it, the
//! device's by following its forward chains as netfilter does
//! ([`evaluate`]). The report lists what the device forwards that no flow
//! allows (with the rule that lets it through), flows the device blocks
//! (with what blocks them), every rule kojo did not generate, and
//! differences in the frame (chain policies, connection tracking).
//!
//! - [`ruleset`]: the rule set read from any format; [`nft_json`],
//!   [`nft_text`] with [`nft_rule`], [`iptables`]: the readers;
//! - [`space`]: sets of connections as boxes; [`permits`]: what matches
//!   mean, and the model's flows; [`evaluate`]: the walk through chains;
//! - [`compare`]: the report; [`describe`]: connections in words.
//!
//! Nothing here reads files or prints: the CLI reads the file, renders the
//! device's own nftables or iptables files for the frame, and shows the
//! [`Report`].

mod compare;
mod describe;
mod evaluate;
pub mod iptables;
mod marks;
pub mod nft_json;
mod nft_rule;
pub mod nft_text;
mod ownership;
mod permits;
pub mod ruleset;
mod space;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use compare::compare;
pub use describe::Traffic;
pub use ruleset::{Place, Ruleset, SourceFormat};

use crate::enforcement::firewalls::{iptables::IPTABLES, nftables::NFTABLES};
use crate::enforcement::policy::Family;
use crate::enforcement::{Artifact, Backend};

/// The longest rule text a report quotes.
pub(crate) const TEXT_MAX: usize = 240;

/// A file kojo cannot read as a rule set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct ParseError {
    pub line: Option<usize>,
    pub message: String,
}

impl ParseError {
    pub(crate) fn at(line: usize, message: impl Into<String>) -> Self {
        ParseError { line: Some(line), message: message.into() }
    }
}

/// Why a comparison could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DriftError {
    /// The rule set splits into more pieces than kojo follows.
    #[error("the rule set is too complex to compare (more than {} pieces)", space::BUDGET)]
    TooComplex,
    /// kojo's own file for the device did not read back (a bug).
    #[error("kojo cannot read its own {file}: {error}")]
    Expected { file: String, error: ParseError },
}

/// The format of `text`, from its first line that is not a comment.
pub fn detect(text: &str) -> Option<SourceFormat> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let word = first.split_whitespace().next().unwrap_or_default();
    if first.starts_with('{') {
        Some(SourceFormat::NftJson)
    } else if first.starts_with('*') {
        Some(SourceFormat::IptablesSave)
    } else if matches!(word, "table" | "flush" | "delete" | "destroy") {
        Some(SourceFormat::NftText)
    } else {
        None
    }
}

/// Reads an exported rule set, whichever of the three formats it is in.
pub fn parse(text: &str) -> Result<Ruleset, ParseError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) {
        return Err(ParseError {
            line: None,
            message: "the file holds no rules: an empty `nft list ruleset` means the device has none at all; \
                      export `nft -j list ruleset`, which says so, to compare it"
                .into(),
        });
    }
    match detect(text) {
        Some(SourceFormat::NftJson) => nft_json::parse(text),
        Some(SourceFormat::NftText) => nft_text::parse(text),
        Some(SourceFormat::IptablesSave) => iptables::parse(text, None),
        None => Err(ParseError {
            line: None,
            message:
                "not a rule set: expected `nft -j list ruleset` (JSON), `nft list ruleset` or `iptables-save` output"
                    .into(),
        }),
    }
}

/// The backend whose files a format is compared with.
pub fn backend(format: SourceFormat) -> &'static dyn Backend {
    match format {
        SourceFormat::NftJson | SourceFormat::NftText => &NFTABLES,
        SourceFormat::IptablesSave => &IPTABLES,
    }
}

/// kojo's own files for the device (from [`backend`]), read back as the
/// rule set the device should hold.
pub fn expected(format: SourceFormat, artifacts: &[Artifact]) -> Result<Ruleset, DriftError> {
    let mut tables = Vec::new();
    for artifact in artifacts {
        let parsed = match (format, artifact.path.rsplit('/').next().unwrap_or_default()) {
            (SourceFormat::IptablesSave, "iptables.rules") => iptables::parse(&artifact.content, Some(Family::V4)),
            (SourceFormat::IptablesSave, "ip6tables.rules") => iptables::parse(&artifact.content, Some(Family::V6)),
            (SourceFormat::NftJson | SourceFormat::NftText, "nftables.nft") => nft_text::parse(&artifact.content),
            _ => continue,
        };
        let ruleset = parsed.map_err(|error| DriftError::Expected { file: artifact.path.clone(), error })?;
        tables.extend(ruleset.tables);
    }
    Ok(Ruleset { format, tables })
}

/// Where a rule or chain is: its table and chain, and its place in the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct At {
    /// `inet kojo`, `ip filter`.
    pub table: String,
    pub chain: String,
    #[serde(flatten)]
    pub place: Place,
}

impl At {
    /// `line 23`, or for JSON `chain forward, handle 15 (rule 3)`.
    pub fn describe(&self) -> String {
        match (self.place.line, self.place.handle) {
            (Some(line), _) => format!("line {line}"),
            (None, Some(handle)) if self.place.position > 0 => {
                format!("table {} chain {} handle {handle} (rule {})", self.table, self.chain, self.place.position)
            }
            (None, Some(handle)) => format!("table {} chain {} (handle {handle})", self.table, self.chain),
            (None, None) if self.place.position > 0 => {
                format!("table {} chain {} rule {}", self.table, self.chain, self.place.position)
            }
            (None, None) => format!("table {} chain {}", self.table, self.chain),
        }
    }
}

/// The comparison of one device's exported rule set with the model.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub device: String,
    pub format: SourceFormat,
    /// The families compared (`ipv4`, `ipv6`).
    pub families: Vec<&'static str>,
    /// Connections the device forwards that no flow of the model allows.
    pub allowed_not_modelled: Vec<Extra>,
    /// Flows of the model the device does not forward (all or part).
    pub modelled_not_allowed: Vec<Missing>,
    /// Rules (and base chains) kojo did not generate.
    pub not_generated: Vec<Foreign>,
    /// Differences in what frames the flows: policies, connection tracking, tables.
    pub frame: Vec<FrameDiff>,
    /// What was not compared, and why.
    pub notes: Vec<String>,
}

impl Report {
    /// Whether the device differs from the model in anything.
    pub fn drifted(&self) -> bool {
        !(self.allowed_not_modelled.is_empty()
            && self.modelled_not_allowed.is_empty()
            && self.not_generated.is_empty()
            && self.frame.is_empty())
    }
}

/// What the device forwards beyond the model, by the rule (or policy) that forwards it.
#[derive(Debug, Clone, Serialize)]
pub struct Extra {
    /// The rule or chain; `None` when no chain filters the family.
    pub at: Option<At>,
    /// The rule's text, or what decides (`policy accept`).
    pub rule: String,
    /// `conduit x flow 2` when the rule carries kojo's comment for a flow.
    pub carries: Option<String>,
    pub traffic: Vec<Traffic>,
    /// How many more sets of connections there are than `traffic` lists.
    pub more: usize,
    /// Parts of the rule that were not compared (taken as matching everything).
    pub not_compared: Vec<String>,
}

/// A flow of the model the device does not forward.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub conduit: String,
    /// From 1.
    pub flow: usize,
    /// `path:line` of the flow's `allow`.
    pub origin: String,
    /// What of the flow is not forwarded.
    pub traffic: Vec<Traffic>,
    /// How many more sets of connections there are than `traffic` lists.
    pub more: usize,
    /// What blocks it: rules and policies, in words.
    pub blocked_by: Vec<String>,
}

/// A rule, or a base chain, kojo did not generate.
#[derive(Debug, Clone, Serialize)]
pub struct Foreign {
    pub at: At,
    pub rule: String,
    /// What it does to new forwarded connections, in words.
    pub action: String,
    /// Why it is not kojo's.
    pub reason: String,
}

/// A difference in the frame.
#[derive(Debug, Clone, Serialize)]
pub struct FrameDiff {
    pub at: Option<At>,
    pub message: String,
}
