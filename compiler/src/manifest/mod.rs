//! `kojo.kdl`, the project manifest: the project's name, the profiles in
//! force, where generated artifacts go and which backends to build.
//!
//! ```kdl
//! project "kanto-plant-1"
//! profile "meti-factory"
//! output "build"
//! backend "nftables" "suricata"      // built for every enforcing device
//! device "fw_ot" {                   // one device's own settings
//!     backend "fortigate"            // instead of the project's list
//!     interface "oa" "port1"         // the device's name for its interface in zone oa
//!     timezone "Asia/Tokyo"          // the clock its schedules run on (default UTC)
//! }
//! language "ja"                      // documents' default language (en, ja)
//! procurement {                      // the buyer's side of procurement specifications
//!     buyer "Example Electronics Co., Ltd."
//!     contact "Production engineering <ot-security@example.com>"
//!     support-years 10
//!     notice-days 30
//!     log-retention-days 365
//! }
//! ```

mod depth;
pub mod output;
mod procurement;

use kojo_lang::{Code, Diagnostic, SourceFile, Span};

pub use procurement::Procurement;

use crate::suggest::did_you_mean;

/// A value from the manifest with the span it came from.
#[derive(Debug, Clone)]
pub struct Entry {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Manifest {
    pub file: SourceFile,
    pub project: Entry,
    pub profiles: Vec<Entry>,
    pub output: Option<Entry>,
    pub backends: Vec<Entry>,
    /// Per-device settings, in manifest order.
    pub devices: Vec<Device>,
    /// The default language of documents (`en`, `ja`).
    pub language: Option<Entry>,
    /// The buyer's settings for procurement specifications.
    pub procurement: Procurement,
}

/// The languages documents are written in: those kojo has message files for.
pub use kojo_stdlib::LANGUAGES;

/// A `device "NAME" { … }` block: settings for one enforcing device.
#[derive(Debug, Clone)]
pub struct Device {
    /// The asset's name, as written.
    pub name: Entry,
    /// Backends for this device instead of the project's; `None`: the project's.
    pub backends: Option<Vec<Entry>>,
    /// Interface names by zone: (zone, interface).
    pub interfaces: Vec<(Entry, Entry)>,
    /// The time zone of the device's clock, for schedules.
    pub timezone: Option<Entry>,
}

/// The largest manifest read: a manifest is a few dozen lines (a device
/// block per enforcing device), so a megabyte is already far beyond any
/// real one, and refusing more keeps the KDL parser's work small.
pub const MAX_BYTES: usize = 1024 * 1024;

const NODES: [&str; 7] = ["project", "profile", "output", "backend", "device", "language", "procurement"];
const DEVICE_NODES: [&str; 3] = ["backend", "interface", "timezone"];

/// How long the KDL parser may take. A manifest is a few kilobytes and
/// parses in microseconds; the parser's error recovery can take time
/// exponential in some broken inputs, and the checks before it cannot
/// promise to catch every such input.
const KDL_BUDGET: std::time::Duration = std::time::Duration::from_secs(5);

/// The stack of the KDL parser's thread.
const KDL_STACK: usize = 64 << 20;

/// The KDL parser, on its own thread, given [`KDL_BUDGET`]. Past it the
/// manifest is reported as too broken to read and the thread is left to
/// end with the process: a pull request must not hang the check.
fn parse_kdl(text: &str) -> Result<kdl::KdlDocument, Parse> {
    parse_kdl_within(text, KDL_BUDGET)
}

fn parse_kdl_within(text: &str, budget: std::time::Duration) -> Result<kdl::KdlDocument, Parse> {
    let owned = text.to_string();
    let (send, receive) = std::sync::mpsc::channel();
    // The parser recurses per block (up to the scan's 64 levels): a stack
    // as deep as the main thread's and more (a thread's default, 2 MiB,
    // overflowed at 64 levels in a debug build). Reserved, not used.
    let spawned = std::thread::Builder::new().name("kojo-kdl".into()).stack_size(KDL_STACK).spawn(move || {
        let _ = send.send(kdl::KdlDocument::parse(&owned));
    });
    if spawned.is_err() {
        // No thread to be had: parse here, unbudgeted.
        return kdl::KdlDocument::parse(text).map_err(Parse::Invalid);
    }
    match receive.recv_timeout(budget) {
        Ok(result) => result.map_err(Parse::Invalid),
        Err(_) => Err(Parse::TooSlow),
    }
}

/// Why the KDL parser gave no document.
enum Parse {
    Invalid(kdl::KdlError),
    TooSlow,
}

pub(crate) fn span_of(span: miette::SourceSpan, text: &str) -> Span {
    let start = span.offset().min(text.len());
    Span::new(start, (start + span.len()).min(text.len()))
}

/// Parses a manifest. Every problem is reported; `None` only when the
/// manifest cannot be read or does not name the project.
pub fn parse(file: &SourceFile, known_backends: &[&str]) -> (Option<Manifest>, Vec<Diagnostic>) {
    let text = file.text();
    match depth::problem(text) {
        Some((span, depth::Problem::TooDeep)) => {
            let message = format!(
                "kojo.kdl nests blocks, comments or slashdashes (`/-`) more than {} levels deep",
                depth::MAX_DEPTH
            );
            let diagnostic = Diagnostic::error(Code::ManifestSyntax, file, span, message)
                .with_label("too deep")
                .with_help(
                "a manifest nests at most a `device { … }` block: remove the nested blocks, comments or slashdashes",
            );
            return (None, vec![diagnostic]);
        }
        Some((span, depth::Problem::GluedQuote)) => {
            let diagnostic =
                Diagnostic::error(Code::ManifestSyntax, file, span, "a `\"` right after a word is not valid KDL")
                    .with_label("no space before this quote")
                    .with_help("set a string apart from the word before it: `project \"my-plant\"`, `key=\"value\"`");
            return (None, vec![diagnostic]);
        }
        None => {}
    }
    let document = match parse_kdl(text) {
        Ok(document) => document,
        Err(Parse::TooSlow) => {
            let diagnostic = Diagnostic::error(
                Code::ManifestSyntax,
                file,
                Span::new(0, 0),
                format!("kojo.kdl could not be read within {} seconds: it is malformed", KDL_BUDGET.as_secs()),
            )
            .with_label("the KDL parser gave up on this file")
            .with_help("check its strings (each in double quotes, set apart by spaces) and its braces; `project \"my-plant\"` on its own line is a whole manifest");
            return (None, vec![diagnostic]);
        }
        Err(Parse::Invalid(err)) => {
            let diagnostics = err
                .diagnostics
                .iter()
                .map(|d| {
                    let message = d.message.clone().unwrap_or_else(|| "invalid KDL".into());
                    let mut diagnostic = Diagnostic::error(Code::ManifestSyntax, file, span_of(d.span, text), message)
                        .with_label(d.label.clone().unwrap_or_else(|| "here".into()));
                    let hint = "kojo.kdl is a KDL 2 document: strings in double quotes, e.g. `project \"my-plant\"` on its own line";
                    diagnostic.help = Some(match &d.help {
                        Some(help) => format!("{help}\n{hint}"),
                        None => hint.to_string(),
                    });
                    diagnostic
                })
                .collect();
            return (None, diagnostics);
        }
    };
    let mut diagnostics = Vec::new();
    let mut project: Option<Entry> = None;
    let mut profiles = Vec::new();
    let mut output: Option<Entry> = None;
    let mut backends = Vec::new();
    let mut devices: Vec<Device> = Vec::new();
    let mut language: Option<Entry> = None;
    let mut procurement: Option<Procurement> = None;
    for node in document.nodes() {
        let name = node.name().value();
        let node_span = span_of(node.span(), text);
        let invalid = |message: String, help: &str| {
            Diagnostic::error(Code::ManifestInvalid, file, node_span, message).with_help(help.to_string())
        };
        let strings: Vec<Entry> = node
            .entries()
            .iter()
            .filter(|e| e.name().is_none())
            .filter_map(|e| match e.value() {
                kdl::KdlValue::String(s) => Some(Entry { value: s.clone(), span: span_of(e.span(), text) }),
                _ => None,
            })
            .collect();
        let all_strings = strings.len() == node.entries().len();
        match name {
            "project" | "output" | "language" => {
                let [value] = strings.as_slice() else {
                    diagnostics
                        .push(invalid(format!("`{name}` takes exactly one string"), &format!("write `{name} \"…\"`")));
                    continue;
                };
                if name == "language" && !LANGUAGES.contains(&value.value.as_str()) {
                    diagnostics.push(
                        Diagnostic::error(
                            Code::ManifestInvalid,
                            file,
                            value.span,
                            format!("unknown language `{}`", value.value),
                        )
                        .with_label("not a language kojo writes")
                        .with_help(format!(
                            "documents are written in {}: e.g. `language \"ja\"`",
                            LANGUAGES.join(", ")
                        )),
                    );
                    continue;
                }
                let slot = match name {
                    "project" => &mut project,
                    "output" => &mut output,
                    _ => &mut language,
                };
                if slot.is_some() {
                    diagnostics.push(invalid(format!("`{name}` is given twice"), "keep one"));
                    continue;
                }
                if name == "output" {
                    diagnostics.extend(output::check(file, value));
                }
                *slot = Some(value.clone());
            }
            "procurement" if procurement.is_some() => {
                diagnostics.push(invalid("`procurement` is given twice".into(), "merge the two blocks"));
            }
            "procurement" => procurement = Some(procurement::parse(node, file, &mut diagnostics)),
            "device" if !all_strings => {
                diagnostics.push(invalid("`device` takes the device's name".into(), "write `device \"fw1\" { … }`"));
            }
            "profile" | "backend" if !all_strings || strings.is_empty() => {
                diagnostics
                    .push(invalid(format!("`{name}` takes one or more strings"), &format!("write `{name} \"…\"`")));
            }
            "profile" => profiles.extend(strings),
            "backend" => backends.extend(known(strings, known_backends, file, &mut diagnostics)),
            "device" => {
                let [name] = strings.as_slice() else {
                    diagnostics.push(invalid(
                        "`device` takes the device's name".to_string(),
                        "write `device \"fw1\" { backend \"nftables\" }`",
                    ));
                    continue;
                };
                if devices.iter().any(|d| d.name.value == name.value) {
                    diagnostics.push(invalid(
                        format!("device `{}` is configured twice", name.value),
                        "merge the two `device` blocks",
                    ));
                    continue;
                }
                devices.push(device(name.clone(), node, file, known_backends, &mut diagnostics));
            }
            other => {
                let help = match did_you_mean(other, NODES) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("a manifest has the nodes {}", NODES.join(", ")),
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::ManifestInvalid,
                        file,
                        span_of(node.name().span(), text),
                        format!("unknown manifest entry `{other}`"),
                    )
                    .with_label("unknown entry")
                    .with_help(help),
                );
            }
        }
    }
    let named = document.nodes().iter().any(|n| n.name().value() == "project");
    let Some(project) = project else {
        if named {
            // The malformed `project` line has been reported already.
            return (None, diagnostics);
        }
        diagnostics.push(
            Diagnostic::error(Code::ManifestInvalid, file, Span::new(0, 0), "the manifest does not name the project")
                .with_label("add the project's name here")
                .with_help("add a line `project \"my-plant\"` to kojo.kdl"),
        );
        return (None, diagnostics);
    };
    // Other problems are reported, but the project can still be read: its
    // sources' own errors are reported in the same run.
    let procurement = procurement.unwrap_or_default();
    (
        Some(Manifest { file: file.clone(), project, profiles, output, backends, devices, language, procurement }),
        diagnostics,
    )
}

/// The string arguments of a node, with their spans.
fn strings_of(node: &kdl::KdlNode, text: &str) -> Option<Vec<Entry>> {
    node.entries()
        .iter()
        .map(|e| match (e.name(), e.value()) {
            (None, kdl::KdlValue::String(s)) => Some(Entry { value: s.clone(), span: span_of(e.span(), text) }),
            _ => None,
        })
        .collect()
}

/// The entries that name a known backend; the others are reported.
fn known(
    entries: Vec<Entry>,
    known_backends: &[&str],
    file: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let mut found = Vec::new();
    for entry in entries {
        if known_backends.contains(&entry.value.as_str()) {
            found.push(entry);
            continue;
        }
        let help = match did_you_mean(&entry.value, known_backends.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if known_backends.is_empty() => "this version of kojo has no backends".to_string(),
            None => format!("known backends: {}", known_backends.join(", ")),
        };
        diagnostics.push(
            Diagnostic::error(Code::UnknownBackend, file, entry.span, format!("unknown backend `{}`", entry.value))
                .with_label("not a backend kojo knows")
                .with_help(help),
        );
    }
    found
}

/// Reads one `device` block.
fn device(
    name: Entry,
    node: &kdl::KdlNode,
    file: &SourceFile,
    known_backends: &[&str],
    diagnostics: &mut Vec<Diagnostic>,
) -> Device {
    let text = file.text();
    let mut device = Device { name, backends: None, interfaces: Vec::new(), timezone: None };
    let Some(children) = node.children() else { return device };
    for child in children.nodes() {
        let key = child.name().value();
        let span = span_of(child.span(), text);
        let invalid = |message: String, help: String| {
            Diagnostic::error(Code::ManifestInvalid, file, span, message).with_help(help)
        };
        let strings = strings_of(child, text).unwrap_or_default();
        match (key, strings.as_slice()) {
            ("backend", [_, ..]) => {
                let list = known(strings.clone(), known_backends, file, diagnostics);
                device.backends.get_or_insert_with(Vec::new).extend(list);
            }
            ("interface", [zone, name]) => {
                if device.interfaces.iter().any(|(z, _)| z.value == zone.value) {
                    diagnostics.push(invalid(
                        format!("the interface in zone `{}` is named twice", zone.value),
                        "keep one `interface` line per zone".into(),
                    ));
                } else {
                    device.interfaces.push((zone.clone(), name.clone()));
                }
            }
            ("timezone", [zone]) if device.timezone.is_none() => device.timezone = Some(zone.clone()),
            ("timezone", [_]) => {
                diagnostics.push(invalid("`timezone` is given twice".into(), "keep one".into()));
            }
            ("backend" | "interface" | "timezone", _) => {
                let usage = match key {
                    "backend" => "`backend \"nftables\" …`",
                    "interface" => "`interface \"ZONE\" \"IFNAME\"`",
                    _ => "`timezone \"Asia/Tokyo\"`",
                };
                diagnostics.push(invalid(
                    format!("malformed `{key}` in device `{}`", device.name.value),
                    format!("write {usage}"),
                ));
            }
            (other, _) => {
                let help = match did_you_mean(other, DEVICE_NODES) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("a device block has the entries {}", DEVICE_NODES.join(", ")),
                };
                diagnostics.push(
                    Diagnostic::error(
                        Code::ManifestInvalid,
                        file,
                        span_of(child.name().span(), text),
                        format!("unknown device entry `{other}`"),
                    )
                    .with_label("unknown entry")
                    .with_help(help),
                );
            }
        }
    }
    device
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_parse_past_its_budget_is_given_up() {
        // Quotes glued to words after slashdashes: the parser's recovery
        // takes a tenth of a second on these 12 lines in a release build
        // (the scan before it refuses them; here the parser gets them
        // directly), far past a budget of a millisecond.
        let slow = format!("project \"t\"\n{}", "/--- x\" { y\n".repeat(12));
        assert!(matches!(parse_kdl_within(&slow, std::time::Duration::from_millis(1)), Err(Parse::TooSlow)));
        assert!(parse_kdl_within("project \"t\"\n", KDL_BUDGET).is_ok());
    }

    #[test]
    fn the_deepest_manifest_the_scan_lets_through_parses_on_the_parsers_thread() {
        let nested = format!("project \"t\"\nx {}{}\n", "{ y ".repeat(depth::MAX_DEPTH), "}".repeat(depth::MAX_DEPTH));
        assert_eq!(depth::problem(&nested), None);
        let (manifest, _) = parse_text(&nested);
        assert!(manifest.is_some());
    }

    use super::*;

    fn parse_text(text: &str) -> (Option<Manifest>, Vec<Diagnostic>) {
        parse(&SourceFile::new("kojo.kdl", text), &["nftables"])
    }

    #[test]
    fn reads_a_manifest() {
        let (m, d) =
            parse_text("project \"p\"\nprofile \"meti-factory\" \"acme\"\noutput \"build\"\nbackend \"nftables\"\n");
        assert!(d.is_empty(), "{d:?}");
        let m = m.unwrap();
        assert_eq!(m.project.value, "p");
        assert_eq!(m.profiles.len(), 2);
        assert_eq!(m.output.unwrap().value, "build");
        assert_eq!(m.backends.len(), 1);
    }

    #[test]
    fn reads_device_blocks() {
        let (m, d) = parse_text(
            "project \"p\"\ndevice \"fw1\" {\n  backend \"nftables\"\n  interface \"control\" \"eth1\"\n  timezone \"Asia/Tokyo\"\n}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let m = m.unwrap();
        let [device] = m.devices.as_slice() else { panic!("{:?}", m.devices) };
        assert_eq!(device.name.value, "fw1");
        assert_eq!(device.backends.as_ref().map(Vec::len), Some(1));
        assert_eq!(device.interfaces.len(), 1);
        assert_eq!(device.timezone.as_ref().map(|t| t.value.as_str()), Some("Asia/Tokyo"));
        let (_, d) = parse_text("project \"p\"\ndevice \"fw1\" {\n  backnd \"x\"\n  interface \"a\"\n}\n");
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].help.as_deref().unwrap().contains("`backend`"));
    }

    #[test]
    fn reports_every_problem() {
        let (m, d) = parse_text("projcet \"p\"\nbackend \"nftabels\"\noutput 3\n");
        assert!(m.is_none());
        let codes: Vec<_> = d.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::ManifestInvalid, Code::UnknownBackend, Code::ManifestInvalid, Code::ManifestInvalid]);
        assert!(d[0].help.as_deref().unwrap().contains("`project`"));
        assert!(d[1].help.as_deref().unwrap().contains("`nftables`"));
    }

    #[test]
    fn problems_do_not_cascade_or_hide_the_project() {
        let (m, d) = parse_text("project 3\n");
        assert!(m.is_none());
        assert_eq!(d.len(), 1, "a malformed project line is reported once: {d:?}");
        let (m, d) = parse_text("project \"p\"\nbackend \"nftabels\"\n");
        assert_eq!(m.map(|m| m.project.value), Some("p".to_string()), "still readable");
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn reads_language_and_procurement() {
        let (m, d) = parse_text(
            "project \"p\"\nlanguage \"ja\"\nprocurement {\n  buyer \"ACME\"\n  support-years 10\n  notice-days 30\n}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let m = m.unwrap();
        assert_eq!(m.language.unwrap().value, "ja");
        assert_eq!(m.procurement.buyer.unwrap().value, "ACME");
        assert_eq!(m.procurement.support_years.map(|v| v.0), Some(10));
        assert_eq!(m.procurement.notice_days.map(|v| v.0), Some(30));
        let (_, d) = parse_text("project \"p\"\nlanguage \"de\"\nprocurement {\n  buyr \"x\"\n  support-years \"ten\"\n  notice-days 0\n}\n");
        assert_eq!(d.len(), 4, "{d:?}");
        assert!(d.iter().all(|d| d.code == Code::ManifestInvalid));
        assert!(d[1].help.as_deref().unwrap().contains("`buyer`"));
    }

    #[test]
    fn kdl_syntax_errors_point_into_the_file() {
        let (m, d) = parse_text("project \"p\n");
        assert!(m.is_none());
        assert!(!d.is_empty());
        assert!(d.iter().all(|d| d.code == Code::ManifestSyntax));
    }
}
