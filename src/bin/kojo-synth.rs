//! Writes a synthetic plant to a directory, for timing the CLI end to end:
//! `cargo run --release --bin kojo-synth -- 10000 /tmp/plant-10k`, or, for
//! `kojo build`, `kojo-synth 10000 /tmp/plant-10k --backend nftables,suricata`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kojo::synth::{self, Build, Params};

/// Write a synthetic plant (zones of 50 assets, ASSETS / 2 conduits, one
/// core firewall) to DIR. The same arguments always write the same files.
#[derive(Debug, Parser)]
#[command(name = "kojo-synth", max_term_width = 100)]
struct Args {
    /// How many assets (besides the core firewall).
    assets: usize,
    /// The project directory to write (created if missing).
    dir: PathBuf,
    /// Backends for kojo.kdl to select (repeat or separate with commas);
    /// none: the plant only checks.
    #[arg(long = "backend", value_name = "NAME", value_delimiter = ',')]
    backends: Vec<String>,
    /// The output directory kojo.kdl names (default: kojo's `build`).
    #[arg(long, value_name = "DIR")]
    output: Option<String>,
    /// Leave Modbus flows unlimited (no `functions [read]`), so the plant
    /// builds with packet filters alone, without `suricata`.
    #[arg(long)]
    no_functions: bool,
    /// The seed of the generator.
    #[arg(long, default_value_t = Params::with_assets(0).seed)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let params = Params { seed: args.seed, functions: !args.no_functions, ..Params::with_assets(args.assets) };
    let build = Build { backends: args.backends, output: args.output };
    let dir = args.dir.as_path();
    for (name, text) in synth::plant_building(params, &build) {
        if let Err(err) = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(dir.join(&name), text)) {
            kojo::output::err(&format!("error: cannot write {}: {err}\n", dir.join(&name).display()));
            return ExitCode::from(2);
        }
    }
    kojo::output::out(&format!("wrote a plant of {} assets to {}\n", args.assets, dir.display()));
    ExitCode::SUCCESS
}
