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
    /// Check a project: syntax, names, types and (later) the guideline's rules.
    Check(CheckArgs),
    /// Generate every enforcing device's configuration (firewall rules, gateway policies).
    Build(BuildArgs),
    /// Format .kojo files in the canonical layout (in place, or --check).
    Fmt(FmtArgs),
    /// Explain a diagnostic code, or trace a generated line back to its flow (--artifact).
    Explain(ExplainArgs),
    /// Which conduit and flow allow traffic from SRC to DST, or why it is denied.
    Query(QueryArgs),
    /// A procurement specification (Appendix F style) for an asset, a zone's assets or a purchase.
    Procure(ProcureArgs),
    /// The Appendix E checklist: every item with a level and what supports it.
    Evidence(EvidenceArgs),
    /// Compare a device's deployed rule set (nft or iptables-save output) with what the model generates for it.
    Drift(DriftArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The project directory (default: the nearest directory upwards with a kojo.kdl).
    pub path: Option<PathBuf>,
    /// How to show the result.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The lowest severity of finding that fails the check (exit code 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// The date waivers expire against, YYYY-MM-DD (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
    /// Also show findings that a waiver hides.
    #[arg(long)]
    pub show_waived: bool,
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
    pub paths: Vec<PathBuf>,
    /// Change nothing; list the files that are not formatted and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A code such as KOJO-E0201 (omit to list every code).
    #[arg(conflicts_with = "artifact")]
    pub code: Option<String>,
    /// A line of a generated file, e.g. build/fw_floor/nftables.nft:42: which flow it renders.
    #[arg(long, value_name = "PATH:LINE")]
    pub artifact: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The source: an asset (`mes`), an address (`10.2.0.10`, or `192.0.2.7@internet` outside every subnet),
    /// `ASSET@ZONE` for a device in several zones, or a zone (a host of it that is no asset).
    pub source: String,
    /// The destination, written like the source.
    pub destination: String,
    /// The port: `tcp/502`, `502/tcp` or a service (`modbus-tcp`). Omitted: any traffic.
    pub port: Option<String>,
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
        Command::Check(args) => commands::check::run(&args),
        Command::Build(args) => commands::build::run(&args),
        Command::Fmt(args) => commands::fmt::run(&args),
        Command::Explain(args) => commands::explain::run(&args),
        Command::Query(args) => commands::query::run(&args),
        Command::Procure(args) => commands::procure::run(&args),
        Command::Evidence(args) => commands::evidence::run(&args),
        Command::Drift(args) => commands::drift::run(&args),
    };
    exit.into()
}
