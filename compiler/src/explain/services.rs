//! A service's page: its ports, whether it is secure, its functions, and
//! whether a gateway kojo generates can hold a flow to those functions, so
//! that a user learns before building that `functions` on `s7comm` cannot be
//! enforced.

use std::fmt::Write;

use kojo_stdlib::{Catalogue, Lang, Service};

use crate::rules::Words;

pub(super) fn page(catalogue: &Catalogue, s: &Service, lang: Lang) -> String {
    let w = Words::new(lang);
    let mut out = String::new();
    let title = w.text("explain.service.title", &[("id", &s.id), ("label", &w.name(&s.label))]);
    let _ = writeln!(out, "# {title}\n");
    let _ = writeln!(out, "{}", w.heading("explain.common.what-it-is"));
    let ports: Vec<String> = s.ports.iter().map(ToString::to_string).collect();
    let security = w.plain(if s.secure { "explain.service.secure" } else { "explain.service.insecure" });
    let kind = if s.industrial { "explain.service.industrial" } else { "explain.service.it" };
    let _ = writeln!(out, "{}", w.text(kind, &[("ports", &w.list(&ports)), ("security", &security)]));
    if let Some(note) = &s.note {
        let _ = writeln!(out, "\n{}", w.label(note));
    }
    if let Some(alt) = s.secure_alternative.as_deref().and_then(|a| catalogue.service(a)) {
        let _ = writeln!(
            out,
            "\n{}",
            w.text("explain.service.alternative", &[("id", &alt.id), ("label", w.label(&alt.label))])
        );
    }
    if !s.secure && !s.industrial {
        let _ = writeln!(out, "\n{}", w.plain("explain.service.insecure-across-tiers"));
    }
    functions(&mut out, &w, s);
    let _ = writeln!(out, "\n{}", w.heading("explain.common.how-model-uses"));
    let reads = || s.functions.iter().filter(|f| !f.write);
    let example = reads().find(|f| f.name.contains("read")).or_else(|| reads().next());
    // Only a limit a gateway can keep is an example to follow.
    let example = example.filter(|_| s.functions_inspectable()).map(|f| format!(" {{ functions [{}] }}", f.name));
    let usage = w.text("explain.service.usage", &[("id", &s.id), ("functions", &example.unwrap_or_default())]);
    let _ = writeln!(out, "{usage}");
    out
}

/// The functions a flow may limit itself to, and who can enforce the limit.
fn functions(out: &mut String, w: &Words, s: &Service) {
    let _ = writeln!(out, "\n{}", w.heading("explain.service.functions"));
    if s.functions.is_empty() {
        let _ = writeln!(out, "{}", w.plain("explain.service.no-functions"));
        return;
    }
    // A page in English shows a function's labels in both languages, a
    // Japanese page its own.
    let both = w.adds_original();
    let names: &[&str] =
        if both { &["function", "en", "ja", "codes", "writes"] } else { &["function", "label", "codes", "writes"] };
    let columns: Vec<String> = names.iter().map(|c| w.plain(&format!("explain.service.column-{c}"))).collect();
    let _ = writeln!(out, "| {} |\n|{}", columns.join(" | "), "---|".repeat(columns.len()));
    let (writes, reads) = (w.plain("explain.service.writes"), w.plain("explain.service.reads"));
    for f in &s.functions {
        let codes: Vec<String> = f.codes.iter().map(|c| format!("0x{c:02X}")).collect();
        let label = if both { format!("{} | {}", f.label.en, f.label.ja) } else { w.label(&f.label).to_string() };
        let _ = writeln!(
            out,
            "| `{}` | {label} | {} | {} |",
            f.name,
            w.list(&codes),
            if f.write { &writes } else { &reads }
        );
    }
    let _ = writeln!(out, "\n{}", w.heading("explain.service.enforce"));
    let key = if s.functions_inspectable() { "explain.service.inspectable" } else { "explain.service.not-inspectable" };
    let _ = writeln!(out, "{}", w.plain(key));
}
