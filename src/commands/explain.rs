//! `kojo explain CODE`: print a code's page.

use kojo_lang::Code;

use crate::cli::ExplainArgs;
use crate::exit::Exit;

pub fn run(args: &ExplainArgs) -> Exit {
    let catalogue = match kojo_stdlib::Catalogue::builtin() {
        Ok(catalogue) => catalogue,
        Err(err) => {
            eprintln!("error: internal error in the built-in catalogue: {err}");
            return Exit::Usage;
        }
    };
    let Some(text) = args.code.as_deref() else {
        println!("diagnostic codes:");
        for code in Code::ALL {
            println!("  {}  {}", code.as_str(), code.title());
        }
        println!("rules:");
        for id in kojo_compiler::rules::all_ids(catalogue) {
            println!("  {id}");
        }
        return Exit::Clean;
    };
    // Accept `E0201` and `0201` as well as `KOJO-E0201`, and rule IDs in any case.
    let candidates = [text.to_string(), text.to_uppercase(), format!("KOJO-{text}"), format!("KOJO-E{text}")];
    let found = candidates.iter().find_map(|c| kojo_compiler::rules::page(catalogue, c));
    match found {
        Some(page) => {
            print!("{page}");
            if !page.ends_with('\n') {
                println!();
            }
            Exit::Clean
        }
        None => {
            let rules = kojo_compiler::rules::all_ids(catalogue);
            let codes: Vec<&str> =
                Code::ALL.iter().map(|c| c.as_str()).chain(rules.iter().map(String::as_str)).collect();
            let lower: Vec<String> = codes.iter().map(|c| c.to_lowercase()).collect();
            let near = kojo_compiler::suggest::did_you_mean(&text.to_lowercase(), lower.iter().map(String::as_str))
                .and_then(|found| codes.iter().find(|c| c.to_lowercase() == found));
            eprintln!("error: no diagnostic code `{text}`");
            match near {
                Some(c) => eprintln!("  help: did you mean `{c}`?"),
                None => eprintln!("  help: `kojo explain` with no code lists every code"),
            }
            Exit::Usage
        }
    }
}
