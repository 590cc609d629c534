//! Writes a synthetic plant to a directory, for timing the CLI end to end:
//! `cargo run --release --bin kojo-synth -- 10000 /tmp/plant-10k`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(assets), Some(dir)) = (args.first().and_then(|a| a.parse::<usize>().ok()), args.get(1)) else {
        eprintln!("usage: kojo-synth ASSETS DIR   (conduits = ASSETS / 2)");
        return ExitCode::from(2);
    };
    let dir = std::path::Path::new(dir);
    for (name, text) in kojo::synth::plant(kojo::synth::Params::with_assets(assets)) {
        if let Err(err) = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(dir.join(&name), text)) {
            eprintln!("error: cannot write {}: {err}", dir.join(&name).display());
            return ExitCode::from(2);
        }
    }
    println!("wrote a plant of {assets} assets to {}", dir.display());
    ExitCode::SUCCESS
}
