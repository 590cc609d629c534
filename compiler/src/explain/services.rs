//! A service's page: its ports, whether it is secure, its functions, and
//! whether a gateway kojo generates can hold a flow to those functions, so
//! that a user learns before building that `functions` on `s7comm` cannot be
//! enforced.

use std::fmt::Write;

use kojo_stdlib::{Catalogue, Lang, Service};

pub(super) fn page(catalogue: &Catalogue, s: &Service, _lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Service `{}`: {} / {}\n", s.id, s.label.en, s.label.ja);
    let _ = writeln!(out, "## What it is");
    let ports: Vec<String> = s.ports.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "{} protocol on {}. {}",
        if s.industrial { "An industrial (OT)" } else { "An IT" },
        ports.join(", "),
        if s.secure {
            "As normally deployed it authenticates the peer and encrypts the traffic."
        } else {
            "As normally deployed it authenticates nobody or sends its traffic in clear."
        }
    );
    if let Some(note) = &s.note {
        let _ = writeln!(out, "\n{note}");
    }
    if let Some(alt) = s.secure_alternative.as_deref().and_then(|a| catalogue.service(a)) {
        let _ = writeln!(out, "\nIts secure alternative is `{}` ({}).", alt.id, alt.label.en);
    }
    if !s.secure && !s.industrial {
        let _ = writeln!(
            out,
            "\nAcross zones of different trust or tier, a flow of it is an INSECURE-PROTOCOL-ACROSS-TIERS finding."
        );
    }
    functions(&mut out, s);
    let _ = writeln!(out, "\n## How a model uses it");
    let reads = || s.functions.iter().filter(|f| !f.write);
    let example = reads().find(|f| f.name.contains("read")).or_else(|| reads().next());
    // Only a limit a gateway can keep is an example to follow.
    let example = example.filter(|_| s.functions_inspectable()).map(|f| format!(" {{ functions [{}] }}", f.name));
    let _ = writeln!(
        out,
        "A flow names it: `allow hmi -> plc service {}{}`; the flow allows its default ports.",
        s.id,
        example.unwrap_or_default()
    );
    out
}

/// The functions a flow may limit itself to, and who can enforce the limit.
fn functions(out: &mut String, s: &Service) {
    let _ = writeln!(out, "\n## Functions");
    if s.functions.is_empty() {
        let _ =
            writeln!(out, "The catalogue names no functions of it: a flow of it cannot be limited with `functions`.");
        return;
    }
    let _ = writeln!(out, "| function | en | ja | codes | changes the device |\n|---|---|---|---|---|");
    for f in &s.functions {
        let codes: Vec<String> = f.codes.iter().map(|c| format!("0x{c:02X}")).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            f.name,
            f.label.en,
            f.label.ja,
            codes.join(", "),
            if f.write { "yes" } else { "no" }
        );
    }
    let _ = writeln!(out, "\n## Who can enforce `functions`");
    if s.functions_inspectable() {
        let _ = writeln!(
            out,
            "The service catalogue says where a gateway finds each function code, so a gateway backend \
             (`docs/backends.md`) can hold a flow to its `functions`: inline (`inspection inline`, the default) \
             it drops the other requests, with `inspection monitor` it alerts on them."
        );
    } else {
        let _ = writeln!(
            out,
            "No gateway kojo generates can recognise its functions on the wire (the service catalogue has no \
             inspection data for them), so a flow of it limited with `functions` cannot be enforced: `kojo check` \
             reports it (FUNCTIONS-NOT-INSPECTABLE) and `kojo build` refuses it. Limit the functions at the \
             device itself, or carry the traffic over a service whose functions a gateway inspects."
        );
    }
}
