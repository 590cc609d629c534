//! The ledger as CSV for spreadsheets (RFC 4180): a header row in the
//! document's language, then one row per asset.
//!
//! Lines end in CRLF, as RFC 4180 says and spreadsheet programs expect. A
//! cell with a comma, a double quote, CR or LF is quoted, its quotes
//! doubled. A cell holding several values joins them with `; `. A cell
//! starting with `=`, `+`, `-`, `@`, a tab or CR would be read as a formula
//! by a spreadsheet program (CSV injection): it gets a leading `'`, as
//! OWASP advises, so a name from the model always shows as text. With
//! `bom`, the text starts with a UTF-8 byte-order mark, without which
//! Excel reads UTF-8 as the local code page and garbles Japanese.

use super::view::{AssetRow, LedgerView};
use crate::documents::text::{Words, WordsError};

/// How a cell joins several values.
pub const SEPARATOR: &str = "; ";
const BOM: char = '\u{feff}';

/// The columns, by the message key of their header (`ledger.column.KEY`).
const COLUMNS: [&str; 17] = [
    "name",
    "title",
    "zone",
    "other-zones",
    "tier",
    "kind",
    "kind-label",
    "addresses",
    "vendor",
    "model",
    "firmware",
    "services",
    "controls",
    "capabilities",
    "ports",
    "waivers",
    "components",
];

pub fn render(view: &LedgerView, words: &Words<'_>, bom: bool) -> Result<String, WordsError> {
    let mut out = String::new();
    if bom {
        out.push(BOM);
    }
    let header =
        COLUMNS.iter().map(|key| words.plain(&format!("ledger.column.{key}"))).collect::<Result<Vec<_>, _>>()?;
    line(&mut out, &header);
    for asset in &view.assets {
        line(&mut out, &cells(asset, words)?);
    }
    Ok(out)
}

/// An asset's cells, in the order of [`COLUMNS`].
fn cells(asset: &AssetRow, words: &Words<'_>) -> Result<Vec<String>, WordsError> {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let addresses: Vec<String> = asset
        .addresses
        .iter()
        .map(|a| match &a.zone {
            Some(zone) => format!("{} ({zone})", a.address),
            None => a.address.clone(),
        })
        .collect();
    let ports: Vec<String> = asset.ports.iter().map(|p| format!("{}: {}", p.port, p.state)).collect();
    let waivers = asset
        .waivers
        .iter()
        .map(|w| {
            words.text("ledger.waiver", &[("rules", &w.rules.join(", ")), ("until", &w.until), ("reason", &w.reason)])
        })
        .collect::<Result<Vec<_>, _>>()?;
    let components: Vec<String> = asset
        .components
        .iter()
        .map(|c| match &c.version {
            Some(version) => format!("{} {version}", c.name),
            None => c.name.clone(),
        })
        .collect();
    Ok(vec![
        asset.name.clone(),
        text(&asset.title),
        text(&asset.zone),
        asset.other_zones.join(SEPARATOR),
        asset.tier.as_ref().map(|t| t.label.clone()).unwrap_or_default(),
        asset.kind.id.clone(),
        asset.kind.label.clone(),
        addresses.join(SEPARATOR),
        text(&asset.vendor),
        text(&asset.model),
        text(&asset.firmware),
        asset.services.join(SEPARATOR),
        asset.controls.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(SEPARATOR),
        asset.capabilities.join(SEPARATOR),
        ports.join(SEPARATOR),
        waivers.join(SEPARATOR),
        components.join(SEPARATOR),
    ])
}

fn line(out: &mut String, cells: &[String]) {
    for (i, value) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell(value));
    }
    out.push_str("\r\n");
}

/// One cell: defused as a formula, then quoted if it needs to be.
pub fn cell(value: &str) -> String {
    let defused =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    if defused.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        assert_eq!(cell("plc1"), "plc1");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn formulas_stay_text() {
        for formula in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell(formula).trim_start_matches('"').starts_with('\''), "{formula:?} → {:?}", cell(formula));
        }
        assert_eq!(cell("=HYPERLINK(\"x\",\"y\")"), "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
        // Only the start of a cell makes a formula.
        assert_eq!(cell("a=b"), "a=b");
    }
}
