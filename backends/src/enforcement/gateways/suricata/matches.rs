//! From a service's inspection data (`[services.inspection]` in the
//! catalogue) and the codes a flow allows, to the rule options that match
//! every request the flow does not allow: one rule per forbidden code the
//! parser's keyword names, one per range of other codes (or one `rest`
//! option for all of them), and for byte-level frames one for payloads that
//! are no known frame and one for a second frame in the same packet.
//!
//! Suricata cannot say "function not in this set" in one option (its
//! protocol keywords take one code and no negation), and a `pass` rule
//! would pass the whole TCP flow, so what is allowed is expressed only by
//! leaving it out of these matches.

use std::collections::BTreeSet;

use kojo_stdlib::{Frame, Service};

/// More rules than this for one service of one flow is a catalogue mistake
/// (a `keyword_codes` range far wider than the protocol's), not a policy.
const MAX_MATCHES: u64 = 1024;

/// The options of one rule, without the header, `msg`, `flow` and `sid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Match {
    /// Unique within the flow and service, stable across builds: part of
    /// the rule's sid.
    pub key: String,
    /// What the rule catches, for its message: `function 5 (write)`.
    pub what: String,
    /// Rule options, each ending in `;`, separated by spaces.
    pub options: String,
    /// Whether the options inspect the packet's payload (so the rule needs
    /// a transport header, not the app-layer one).
    pub payload: bool,
}

/// The matches for a service of a flow that allows `allowed` codes, or why
/// they cannot be written.
pub(super) fn forbidden(service: &Service, allowed: &BTreeSet<u32>) -> Result<Vec<Match>, String> {
    let Some(inspection) = &service.inspection else {
        return Err(format!(
            "the catalogue has no inspection data for {} (`[services.inspection]`): suricata cannot tell its functions apart",
            service.id
        ));
    };
    if let Some(code) = allowed.iter().find(|c| !inspection.tells_apart(**c)) {
        return Err(format!(
            "the inspection data of {} cannot tell code {} apart from the others, so no rule can let it through alone",
            service.id,
            show(*code)
        ));
    }
    let [low, high] = inspection.space;
    let named: Vec<[u32; 2]> = match &inspection.keyword {
        Some(_) => clip(&inspection.keyword_codes, low, high),
        None => Vec::new(),
    };
    let outside = subtract(&[[low, high]], &named);
    let outside_ranges = subtract(&outside, &ranges_of(allowed));
    let per_code: u64 = named.iter().map(|[a, b]| u64::from(b - a) + 1).sum();
    let per_range = (outside_ranges.len() as u64).saturating_mul(inspection.frames.len() as u64);
    if per_code.saturating_add(per_range) > MAX_MATCHES {
        return Err(format!(
            "the inspection data of {} would need more than {MAX_MATCHES} rules for one flow",
            service.id
        ));
    }

    let mut out = Vec::new();
    if let Some(keyword) = &inspection.keyword {
        for code in named.iter().flat_map(|[a, b]| *a..=*b).filter(|c| !allowed.contains(c)) {
            out.push(Match {
                key: format!("code {code}"),
                what: describe(service, code),
                options: format!("{};", keyword.replace("{code}", &code.to_string())),
                payload: false,
            });
        }
    }
    if let Some(rest) = &inspection.rest {
        if !outside.is_empty() {
            out.push(Match {
                key: "rest".into(),
                what: "a function code the parser does not name".into(),
                options: format!("{rest};"),
                payload: false,
            });
        }
    } else {
        out.extend(frame_matches(service, &inspection.frames, &outside_ranges));
    }
    Ok(out)
}

/// Per frame layout: one rule per range of forbidden codes, the frame cut
/// short or longer than its packet, data after its end; and payloads that
/// start as no frame at all.
fn frame_matches(service: &Service, frames: &[Frame], outside_ranges: &[[u32; 2]]) -> Vec<Match> {
    let mut out = Vec::new();
    for frame in frames {
        let prefix = frame_prefix(frame.buffer.as_deref(), frame.magic.as_deref(), frame.code.end());
        let payload = frame.buffer.is_none();
        for [a, b] in outside_ranges {
            let at = At {
                offset: frame.code.offset,
                size: frame.code.size,
                endian: &frame.code.endian,
                max: frame.code.max(),
            };
            let tests = range_tests(at, *a, *b);
            out.push(Match {
                key: format!("{} {a}-{b}", frame.name),
                what: format!("{} with {}", frame.name, describe_range(service, *a, *b)),
                options: join(&prefix, &tests),
                payload,
            });
        }
        out.extend(unexpected(frame));
        if frame.buffer.is_none() {
            out.extend(incomplete(frame));
        }
        if let Some(length) = &frame.length {
            // After the jump over the frame's length the cursor is at its
            // end; any byte there is a second frame the code tests above
            // never look at.
            let prefix = frame_prefix(frame.buffer.as_deref(), frame.magic.as_deref(), length.end());
            let jump =
                format!("byte_jump:{},{}{}; isdataat:1,relative;", length.size, length.offset, endian(&length.endian));
            out.push(Match {
                key: format!("{} trailing", frame.name),
                what: format!("data after a {} in the same packet", frame.name),
                options: join(&prefix, &jump),
                payload,
            });
        }
    }
    let magics: Vec<&str> = frames.iter().filter_map(|f| f.magic.as_deref()).collect();
    if !magics.is_empty() && frames.iter().all(|f| f.buffer.is_none()) {
        let names: Vec<&str> = frames.iter().map(|f| f.name.as_str()).collect();
        let negated: Vec<String> =
            magics.iter().map(|m| format!("content:!\"|{m}|\"; depth:{};", m.split(' ').count())).collect();
        out.push(Match {
            key: "unframed".into(),
            what: format!("a payload that is none of: {}", names.join(", ")),
            options: format!("dsize:>0; {}", negated.join(" ")),
            payload: true,
        });
    }
    out
}

/// A frame whose fixed fields hold a value the protocol does not define:
/// one rule per range of other values.
fn unexpected(frame: &Frame) -> Vec<Match> {
    let mut out = Vec::new();
    for fixed in &frame.fixed {
        let field = &fixed.field;
        let prefix = frame_prefix(frame.buffer.as_deref(), frame.magic.as_deref(), field.end());
        let at = At { offset: field.offset, size: field.size, endian: &field.endian, max: field.max() };
        let mut allowed = fixed.values.clone();
        allowed.sort_unstable();
        for [a, b] in subtract(&[[0, field.max()]], &clip(&allowed, 0, field.max())) {
            out.push(Match {
                key: format!("fixed {} {} {a}..{b}", frame.name, fixed.name),
                what: format!("a {} whose {} is {}", frame.name, fixed.name, show_range(a, b)),
                options: join(&prefix, &range_tests(at, a, b)),
                payload: frame.buffer.is_none(),
            });
        }
    }
    out
}

fn show_range(low: u32, high: u32) -> String {
    let hex = |v: u32| format!("0x{v:04X}");
    if low == high {
        hex(low)
    } else {
        format!("{}-{}", hex(low), hex(high))
    }
}

/// A byte-matched frame must be whole in one segment or datagram: the
/// rules read each packet on its own (`dsize`), so a frame cut short, its
/// rest in the next segment, would carry a code no rule saw. Caught: a
/// packet that starts as the frame but ends before its code, and one whose
/// length field promises more than the packet holds.
fn incomplete(frame: &Frame) -> Vec<Match> {
    let Some(magic) = frame.magic.as_deref() else {
        return Vec::new();
    };
    let start = format!("content:\"|{magic}|\"; depth:{};", magic.split(' ').count());
    let mut out = vec![Match {
        key: format!("{} short", frame.name),
        what: format!("a {} cut before its command", frame.name),
        options: format!("dsize:<{}; {start}", frame.code.end()),
        payload: true,
    }];
    if let Some(length) = &frame.length {
        // After the extraction the cursor is at the length field's end,
        // where the bytes it counts start.
        out.push(Match {
            key: format!("{} incomplete", frame.name),
            what: format!("a {} longer than its packet", frame.name),
            options: format!(
                "dsize:>{}; {start} byte_extract:{},{},kojo_length{}; isdataat:!kojo_length,relative;",
                length.end().saturating_sub(1),
                length.size,
                length.offset,
                endian(&length.endian)
            ),
            payload: true,
        });
    }
    out
}

/// The options that select a frame: the parser's buffer, or a packet (not
/// the reassembled stream, so offsets count from a segment's first byte)
/// long enough to hold the field that ends at `end`, and the magic bytes.
fn frame_prefix(buffer: Option<&str>, magic: Option<&str>, end: u32) -> String {
    let mut parts = Vec::new();
    match buffer {
        Some(buffer) => parts.push(format!("{buffer};")),
        None => parts.push(format!("dsize:>{};", end.saturating_sub(1))),
    }
    if let Some(magic) = magic {
        parts.push(format!("content:\"|{magic}|\"; depth:{};", magic.split(' ').count()));
    }
    parts.join(" ")
}

fn join(prefix: &str, rest: &str) -> String {
    if rest.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix} {rest}")
    }
}

/// A number in a frame, as the rule options need it.
#[derive(Debug, Clone, Copy)]
struct At<'a> {
    offset: u32,
    size: u32,
    endian: &'a str,
    max: u32,
}

/// `byte_test`s for a field value in `low..=high`; none when that is every
/// value the field can hold.
fn range_tests(field: At<'_>, low: u32, high: u32) -> String {
    let test = |op: &str, value: u32| {
        format!("byte_test:{},{op},{value},{}{};", field.size, field.offset, endian(field.endian))
    };
    if low == high {
        return test("=", low);
    }
    let mut tests = Vec::new();
    if low > 0 {
        tests.push(test(">", low - 1));
    }
    if high < field.max {
        tests.push(test("<", high + 1));
    }
    tests.join(" ")
}

fn endian(endian: &str) -> &'static str {
    if endian == "little" {
        ",little"
    } else {
        ""
    }
}

/// `5`, or `0x1401` for codes past a byte (protocols document those in hex).
pub(super) fn show(code: u32) -> String {
    if code > 0xFF {
        format!("0x{code:04X}")
    } else {
        code.to_string()
    }
}

fn describe(service: &Service, code: u32) -> String {
    match service.function_for_code(code) {
        Some(f) => format!("function {} ({})", show(code), f.name),
        None => format!("function {} (not in the catalogue)", show(code)),
    }
}

fn describe_range(service: &Service, low: u32, high: u32) -> String {
    if low == high {
        return describe(service, low);
    }
    format!("function codes {}-{}", show(low), show(high))
}

/// Sorted, merged inclusive ranges of a set of codes.
fn ranges_of(codes: &BTreeSet<u32>) -> Vec<[u32; 2]> {
    let mut out: Vec<[u32; 2]> = Vec::new();
    for &code in codes {
        match out.last_mut() {
            Some(last) if last[1].checked_add(1) == Some(code) => last[1] = code,
            _ => out.push([code, code]),
        }
    }
    out
}

/// The ranges cut to `low..=high`, sorted and merged.
fn clip(ranges: &[[u32; 2]], low: u32, high: u32) -> Vec<[u32; 2]> {
    let mut sorted: Vec<[u32; 2]> =
        ranges.iter().map(|[a, b]| [(*a).max(low), (*b).min(high)]).filter(|[a, b]| a <= b).collect();
    sorted.sort_unstable();
    let mut out: Vec<[u32; 2]> = Vec::new();
    for [a, b] in sorted {
        match out.last_mut() {
            Some(last) if u64::from(a) <= u64::from(last[1]) + 1 => last[1] = last[1].max(b),
            _ => out.push([a, b]),
        }
    }
    out
}

/// `from` without the values of `cut` (both sorted, merged, inclusive).
fn subtract(from: &[[u32; 2]], cut: &[[u32; 2]]) -> Vec<[u32; 2]> {
    let mut out = Vec::new();
    for &[a, b] in from {
        let mut start = u64::from(a);
        for &[c, d] in cut {
            if u64::from(d) < start || c > b {
                continue;
            }
            if u64::from(c) > start {
                out.push([start as u32, c - 1]);
            }
            start = u64::from(d) + 1;
        }
        if start <= u64::from(b) {
            out.push([start as u32, b]);
        }
    }
    out
}
