//! Waived findings for people (`kojo check --show-waived`): each finding
//! with the waiver that hides it, so a reader sees where the acceptance is
//! written, why, and until when.

use kojo_lang::Diagnostic;

use super::grouped::location;
use super::{render, Waived, WaiverInfo};

/// `waived by waivers.kojo:4:1 until 2099-12-31 (compensating: mfa): "reason"`;
/// the reason quoted and escaped, so a control character in it cannot
/// play tricks on a terminal.
pub fn waived_by(info: &WaiverInfo) -> String {
    let compensating = match info.compensating.as_slice() {
        [] => String::new(),
        controls => format!(" (compensating: {})", controls.join(", ")),
    };
    format!(
        "waived by {}:{}:{} until {}{compensating}: {:?}",
        info.file, info.start.0, info.start.1, info.until, info.reason
    )
}

/// The waived findings: each in full (with its source) when `full`, else
/// in one line; each followed by its waiver.
pub fn render_waived(waived: &[Waived<'_>], full: bool, color: bool) -> String {
    let mut out = format!("waived findings ({}):\n", waived.len());
    for (i, w) in waived.iter().enumerate() {
        // Without a model (the project does not compile) the waiver is not known.
        let by =
            w.waiver.map_or_else(|| "waived (which waiver is known once the project compiles)".to_string(), waived_by);
        if full {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&render(w.diagnostic, color));
            out.push_str(&format!("  {by}\n"));
        } else {
            out.push_str(&format!("  {}\n    {by}\n", one_line(w.diagnostic)));
        }
    }
    out
}

/// `plant.kojo:164:1  NW-MFA  asset `hmi1` …`.
fn one_line(d: &Diagnostic) -> String {
    // Printed beside miette's coloured output, which keeps colour sequences.
    let message = kojo_lang::inert::escape(&d.message).replace('\n', " ");
    format!("{}  {}  {message}", location(d), d.id()).trim_start().to_string()
}
