//! `kojo explain CODE`: print a code's page.

use kojo_lang::Code;

use crate::cli::ExplainArgs;
use crate::exit::Exit;

pub fn run(args: &ExplainArgs) -> Exit {
    let Some(text) = args.code.as_deref() else {
        for code in Code::ALL {
            println!("{}  {}", code.as_str(), code.title());
        }
        return Exit::Clean;
    };
    // Accept `E0201` and `0201` as well as `KOJO-E0201`.
    let candidates = [text.to_string(), format!("KOJO-{text}"), format!("KOJO-E{text}")];
    let found = candidates.iter().find_map(|c| kojo_stdlib::explain_page(c));
    match found {
        Some(page) => {
            print!("{page}");
            if !page.ends_with('\n') {
                println!();
            }
            Exit::Clean
        }
        None => {
            let codes: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            let distance = |c: &&&str| strsim::levenshtein(&c.to_lowercase(), &text.to_lowercase());
            let near = codes.iter().min_by_key(distance).filter(|c| distance(c) <= 2);
            eprintln!("error: no diagnostic code `{text}`");
            match near {
                Some(c) => eprintln!("  help: did you mean `{c}`?"),
                None => eprintln!("  help: `kojo explain` with no code lists every code"),
            }
            Exit::Usage
        }
    }
}
