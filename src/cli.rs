//! Command-line arguments and dispatch.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands;
use crate::exit::Exit;

#[derive(Debug, Parser)]
#[command(name = "kojo", version, about = "Policy as code for factory (OT/ICS) security", max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project (manifest, a plant, two zones, a conduit, a README) that checks clean and builds.
    Init(commands::init::InitArgs),
    /// Check a project: syntax, names, types and the guideline's rules.
    Check(CheckArgs),
    /// Generate every enforcing device's configuration (firewall rules, gateway policies).
    Build(BuildArgs),
    /// Format .kojo files in the canonical layout (in place, or --check).
    Fmt(FmtArgs),
    /// Explain a code, rule, control, service, asset kind, checklist item or threat entry point; list
    /// each vocabulary; or trace a generated line back to its flow (--artifact).
    Explain(ExplainArgs),
    /// Which conduit and flow allow traffic from SRC to DST, or why it is denied.
    Query(QueryArgs),
    /// A procurement specification (Appendix F style) for an asset, a zone's assets or a purchase.
    Procure(ProcureArgs),
    /// The Appendix E checklist: every item with a level and what supports it.
    Evidence(EvidenceArgs),
    /// Where the plant stands: one self-contained HTML page (zones and tiers, the zone diagram, findings,
    /// waivers, threats, checklist, asset ledger).
    Report(ReportArgs),
    /// The asset ledger (checklist 2-6): every asset with its zone, tier, kind, addresses, vendor, model,
    /// firmware, services, controls and waivers, as CSV, JSON or a CycloneDX SBOM.
    Ledger(LedgerArgs),
    /// The zone diagram: zones by level and tier, their assets, conduits with services (SVG, DOT, Mermaid).
    Graph(commands::graph::GraphArgs),
    /// What a change does to the plant's security, entity by entity, rated by risk (git revisions).
    Diff(DiffArgs),
    /// The commits that changed an entity's meaning, newest first, with the change.
    Log(LogArgs),
    /// Compare a device's deployed rule set (nft or iptables-save output) with what the model generates for it.
    Drift(DriftArgs),
    /// The language server editors start: diagnostics, hover, go to definition, references, rename,
    /// completion, formatting and outlines, over LSP on standard input and output.
    Lsp,
}

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The entity: `conduit vendor_remote`, `conduit:vendor_remote`, or a name of any kind.
    #[arg(required = true, num_args = 1..=2, value_name = "ENTITY")]
    pub entity: Vec<String>,
    /// The commit to start from.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub rev: String,
    /// The project directory (default: the nearest directory upwards with a kojo.kdl); in a bare
    /// repository, the project's directory in the tree (default: its root).
    #[arg(long, value_name = "PATH")]
    pub project: Option<std::path::PathBuf>,
    /// List at most this many commits.
    #[arg(long, short = 'n', value_name = "N", default_value_t = 50)]
    pub max_count: usize,
    /// How to show the history.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier revision: a branch, a tag, a commit, `HEAD~2`, anything git accepts.
    #[arg(value_name = "REV")]
    pub from: String,
    /// The later revision (default: the working tree).
    #[arg(value_name = "REV")]
    pub to: Option<String>,
    /// The project directory (default: the nearest directory upwards with a kojo.kdl); in a bare
    /// repository, the project's directory in the tree (default: its root).
    #[arg(long, value_name = "PATH")]
    pub project: Option<std::path::PathBuf>,
    /// How to show the diff: for a terminal, as a pull-request comment, or as JSON.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 if any change is rated at this risk or above.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on_risk: Option<RiskLevel>,
    /// The date waivers expire against, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Where links to files start, e.g. `https://github.com/org/plant/blob/<sha>/` (default: from
    /// GitHub Actions' or GitLab CI's variables, else links relative to the repository root).
    #[arg(long, value_name = "URL")]
    pub link_base: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    pub path: Option<PathBuf>,
    /// How to show the result: `human` shows up to 10 findings with their source and groups more by
    /// rule, with what to fix first; `full` shows every one with its source; `concise` one a line.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Also write the result in FORMAT to PATH (relative to the current directory); repeatable, e.g.
    /// `--output sarif=kojo.sarif --output junit=kojo.xml`. Written even when the check fails.
    #[arg(long, value_name = "FORMAT=PATH", value_parser = parse_output)]
    pub output: Vec<Output>,
    /// Fail only on findings this git revision did not have (a branch, a tag, a commit): findings are
    /// matched by rule and entity, never by line, so moved or reformatted code adds none.
    #[arg(long, value_name = "REV")]
    pub baseline: Option<String>,
    /// The lowest severity of finding that fails the check (exit code 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// The date waivers expire against, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Also show findings that a waiver hides, each with its waiver (file, line, reason, expiry).
    #[arg(long)]
    pub show_waived: bool,
    /// List the requirements that do not apply to an asset because it lacks
    /// a capability they need, with the reason.
    #[arg(long)]
    pub show_not_applicable: bool,
    /// Print how each zone's tier is derived.
    #[arg(long)]
    pub explain_tiers: bool,
    /// Print the threat entry points of each zone (guideline step 1-7).
    #[arg(long)]
    pub threats: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// The formats of `kojo check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// For people: up to 10 findings with their source; more grouped by rule, one line per entity,
    /// then what to fix first.
    Human,
    /// Every diagnostic with its source lines, not grouped (up to the caps: docs/cli.md, "Untrusted input").
    Full,
    /// One line per diagnostic (`path:line:col: severity[CODE/RULE]: message`), for terminals and
    /// editors, then the summary.
    Concise,
    /// JSON, one object (schema in docs/cli.md).
    Json,
    /// SARIF 2.1.0, for code-scanning viewers.
    Sarif,
    /// JUnit XML: a test case per rule that ran.
    Junit,
    /// GitHub workflow commands: annotations on the pull request.
    Github,
    /// A GitLab Code Quality report.
    Gitlab,
}

impl CheckFormat {
    /// The name on the command line (`sarif`).
    pub fn name(self) -> String {
        self.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default()
    }
}

/// One `--output FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: CheckFormat,
    pub path: PathBuf,
}

/// Parses `FORMAT=PATH`.
pub fn parse_output(text: &str) -> Result<Output, String> {
    let formats = CheckFormat::value_variants().iter().map(|f| f.name()).collect::<Vec<_>>().join(", ");
    let Some((format, path)) = text.split_once('=') else {
        return Err(format!("`{text}` is not FORMAT=PATH (formats: {formats})"));
    };
    let Ok(format) = CheckFormat::from_str(format, true) else {
        return Err(format!("`{format}` is not a format (formats: {formats})"));
    };
    if path.is_empty() {
        return Err(format!("`{text}` names no file to write (FORMAT=PATH; formats: {formats})"));
    }
    Ok(Output { format, path: PathBuf::from(path) })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    pub path: Option<PathBuf>,
    /// Write nothing; exit 1 if the files in the output directory differ from what the source generates.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Files or directories to format (default: the current project). `-` formats standard input to standard output.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// What to explain: KOJO-E0201, a rule (NW-TRAFFIC-IDS), a control (ips), a service (s7comm), an asset
    /// kind (plc), a checklist item (E-2-3) or a threat entry point (EP07); `kind:firewall` names the
    /// vocabulary of an ID several share. A list: codes, rules, controls, services, kinds, checklist,
    /// entry-points. Omitted: what there is to explain.
    #[arg(conflicts_with = "artifact", value_name = "ID")]
    pub code: Option<String>,
    /// A line of a generated file, e.g. build/fw_floor/nftables.nft:42: which flow it renders.
    #[arg(long, value_name = "PATH:LINE")]
    pub artifact: Option<String>,
    /// The page's language (default: English). Listings title their entries in it.
    #[arg(long, value_enum, conflicts_with = "artifact")]
    pub lang: Option<DocLang>,
}

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The source: an asset (`mes`), an address (`10.2.0.10`, or `192.0.2.7@internet` outside every subnet),
    /// `ASSET@ZONE` for a device in several zones, or a zone (a host of it that is no asset).
    #[arg(value_name = "SRC")]
    pub source: String,
    /// The destination, written like the source.
    #[arg(value_name = "DST")]
    pub destination: String,
    /// The port: `tcp/502`, `502/tcp` or a service (`modbus-tcp`). Omitted: any traffic.
    pub port: Option<String>,
    /// A request inside the connection: a function of the service (`write`) or its code (`6`). PORT must then
    /// name the service, as `modbus-tcp` or `modbus-tcp@tcp/1502` for another port.
    #[arg(long, value_name = "FUNCTION")]
    pub function: Option<String>,
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    #[arg(long, value_name = "PATH")]
    pub project: Option<PathBuf>,
    /// How to show the answer.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct DriftArgs {
    /// The enforcing device, e.g. `fw_floor`.
    pub device: String,
    /// Its exported rule set: `nft -j list ruleset`, `nft list ruleset`, or `iptables-save` (and `ip6tables-save`)
    /// output; `-` reads standard input.
    pub file: PathBuf,
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    #[arg(long, value_name = "PATH")]
    pub project: Option<PathBuf>,
    /// How to show the differences.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct EvidenceArgs {
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    pub path: Option<PathBuf>,
    /// The document's format: Markdown, one self-contained HTML page, JSON, or OSCAL assessment results.
    #[arg(long, value_enum, default_value_t = DocFormat::Md)]
    pub format: DocFormat,
    /// The document's language (default: the manifest's `language`, else English).
    #[arg(long, value_enum)]
    pub lang: Option<DocLang>,
    /// The assessment date, YYYY-MM-DD (default: today, UTC): reviews and waivers are measured from it.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    pub path: Option<PathBuf>,
    /// The report's language (default: the manifest's `language`, else English).
    #[arg(long, value_enum)]
    pub lang: Option<DocLang>,
    /// The report's date, YYYY-MM-DD (default: today, UTC): waivers expire and reviews are measured from it.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct LedgerArgs {
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    pub path: Option<PathBuf>,
    /// The ledger's format: CSV (RFC 4180, CRLF), JSON, or a CycloneDX 1.6 SBOM (JSON).
    #[arg(long, value_enum, default_value_t = LedgerFormat::Csv)]
    pub format: LedgerFormat,
    /// The language of the CSV header and labels (default: the manifest's `language`, else English).
    #[arg(long, value_enum)]
    pub lang: Option<DocLang>,
    /// The document date, YYYY-MM-DD (default: today, UTC): waivers expired before it are not listed.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Start the CSV with a UTF-8 byte-order mark, so spreadsheet programs show Japanese correctly (CSV only).
    #[arg(long)]
    pub bom: bool,
}

/// The formats of the asset ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LedgerFormat {
    Csv,
    Json,
    Cyclonedx,
}

#[derive(Debug, clap::Args)]
pub struct ProcureArgs {
    /// What is bought: an asset, a zone (every asset going into it) or a purchase; `asset:NAME`, `zone:NAME`,
    /// `purchase:NAME` when names clash.
    pub target: String,
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    pub path: Option<PathBuf>,
    /// The document's format: Markdown or one self-contained, print-ready HTML page.
    #[arg(long, value_enum, default_value_t = SpecFormat::Md)]
    pub format: SpecFormat,
    /// The document's language (default: the manifest's `language`, else English).
    #[arg(long, value_enum)]
    pub lang: Option<DocLang>,
    /// The issue date, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// The buyer's own copy: also say, for each requirement, on which items the model shows it in force today
    /// (leave it out of what suppliers receive).
    #[arg(long)]
    pub internal: bool,
}

/// The formats of a procurement specification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpecFormat {
    Md,
    Html,
}

/// The formats of documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    Md,
    Html,
    Json,
    Oscal,
}

/// The languages of documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocLang {
    En,
    Ja,
}

impl From<DocLang> for kojo_stdlib::Lang {
    fn from(lang: DocLang) -> Self {
        match lang {
            DocLang::En => kojo_stdlib::Lang::En,
            DocLang::Ja => kojo_stdlib::Lang::Ja,
        }
    }
}

/// Whether to colour output on stderr.
pub fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return match err.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => Exit::Clean,
                _ => Exit::Usage,
            }
            .into();
        }
    };
    let exit = match cli.command {
        Command::Init(args) => commands::init::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Build(args) => commands::build::run(&args),
        Command::Fmt(args) => commands::fmt::run(&args),
        Command::Lsp => crate::lsp::run(),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Query(args) => commands::query::run(&args),
        Command::Procure(args) => commands::procure::run(&args),
        Command::Evidence(args) => commands::evidence::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Ledger(args) => commands::ledger::run(&args),
        Command::Graph(args) => commands::graph::run(&args),
        Command::Diff(args) => commands::diff::run(&args),
        Command::Log(args) => commands::log::run(&args),
        Command::Drift(args) => commands::drift::run(&args),
    };
    // Output cut short (a closed pipe) fails the run: what was shown is not all there is.
    if crate::output::closed() {
        return exit.max(Exit::Usage).into();
    }
    exit.into()
}
