//! `kojo explain ID`: print the page of a diagnostic code, a rule, a
//! control, a service, an asset kind, a checklist item or a threat entry
//! point, or list one of those vocabularies.

use std::path::Path;

use kojo_compiler::explain::{self, Answer};
use kojo_lang::Code;

use crate::cli::ExplainArgs;
use crate::exit::Exit;

pub fn run(args: &ExplainArgs) -> Exit {
    if let Some(artifact) = &args.artifact {
        return artifact_line(artifact);
    }
    let catalogue = match kojo_stdlib::Catalogue::builtin() {
        Ok(catalogue) => catalogue,
        Err(err) => {
            errln!("error: internal error in the built-in catalogue: {err}");
            return Exit::Usage;
        }
    };
    let Some(text) = args.code.as_deref() else {
        out!("{}", explain::overview(catalogue));
        return Exit::Clean;
    };
    let lang = args.lang.map(Into::into).unwrap_or_default();
    match explain::lookup(catalogue, text, lang) {
        Answer::Listing(vocabulary) => {
            out!("{}", explain::listing(catalogue, vocabulary, lang));
            Exit::Clean
        }
        Answer::Page { id, page, also, .. } => {
            out!("{page}");
            if !page.ends_with('\n') {
                outln!();
            }
            for other in also {
                errln!("note: `{id}` is also {}: `kojo explain {}:{id}`", other.noun(), other.prefix());
            }
            Exit::Clean
        }
        Answer::Unknown { suggestion } => {
            errln!("error: `{text}` is no diagnostic code, rule, control, service, asset kind, checklist item or threat entry point");
            match suggestion {
                Some(near) => errln!("  help: did you mean `{near}`?"),
                None => errln!("  help: `kojo explain` with no argument lists every vocabulary"),
            }
            Exit::Usage
        }
    }
}

/// `--artifact PATH:LINE`: rebuild the project in memory and show which flow
/// the line renders, and whether the file on disk still matches.
fn artifact_line(text: &str) -> Exit {
    let parsed = text.rsplit_once(':').and_then(|(p, l)| Some((p, l.parse::<usize>().ok().filter(|n| *n > 0)?)));
    let Some((path, line)) = parsed else {
        errln!(
            "error: `{text}` is not PATH:LINE\n  help: e.g. `kojo explain --artifact build/fw_floor/nftables.nft:42`"
        );
        return Exit::Usage;
    };
    let file = Path::new(path);
    let Ok(absolute) = file.canonicalize() else {
        errln!("error[{}]: cannot read `{path}`", Code::Io);
        return Exit::Usage;
    };
    let Some(root) = absolute.parent().and_then(kojo_compiler::DiskSource::find_upwards) else {
        errln!("error: `{path}` is not inside a kojo project (no kojo.kdl above it)");
        return Exit::Usage;
    };
    let built = match super::build::build_project(Some(&root), true) {
        Ok(built) => built,
        Err(exit) => return exit,
    };
    let output = built.output.canonicalize().unwrap_or(built.output.clone());
    let relative = absolute
        .strip_prefix(&output)
        .ok()
        .map(|p| p.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/"));
    let Some(artifact) = relative.as_deref().and_then(|r| built.build.artifact(r)) else {
        errln!(
            "error: `{path}` is not a file `kojo build` generates for this project (its output is `{}`)",
            built.output.display()
        );
        return Exit::Usage;
    };
    // Only a regular file, bounded: the output directory may hold anything.
    let on_disk = kojo_compiler::DiskSource::read_named(file).ok().and_then(|bytes| String::from_utf8(bytes).ok());
    let disk_line = on_disk.as_deref().and_then(|t| t.lines().nth(line.saturating_sub(1)));
    let generated_line = artifact.content.lines().nth(line.saturating_sub(1));
    if on_disk.as_deref() != Some(artifact.content.as_str()) {
        errln!("warning: `{path}` differs from what the source generates now; run `kojo build` (the answer is for the generated file)");
    }
    let Some(generated) = generated_line else {
        errln!("error: `{path}` has {} lines; there is no line {line}", artifact.content.lines().count());
        return Exit::Usage;
    };
    outln!("{path}:{line} ({}, device {}):", artifact.backend, artifact.device);
    outln!("  {}", generated.trim_end());
    if disk_line.is_some_and(|d| d != generated) {
        outln!("  (on disk: {})", disk_line.unwrap_or_default().trim_end());
    }
    let model = built.checked.model.as_ref();
    match (artifact.trace(line), model) {
        (Some(trace), Some(model)) => {
            let flow = model
                .conduits
                .iter()
                .find(|c| *c.name == *trace.conduit)
                .map(|c| super::query::describe_flow(model, c, trace.flow.saturating_sub(1)));
            outln!(
                "renders {}",
                flow.unwrap_or_else(|| format!("conduit {} flow {} ({})", trace.conduit, trace.flow, trace.origin))
            );
            Exit::Clean
        }
        _ => {
            outln!("renders no single flow: it is part of the device's frame (defaults, stateful return traffic, logging of denied traffic, object definitions)");
            Exit::Clean
        }
    }
}
