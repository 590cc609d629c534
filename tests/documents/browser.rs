//! A self-contained HTML document in headless Chromium: what the browser
//! says on its console while loading it, a screenshot that must show a
//! page, and the PDF it prints (read back with poppler's `pdftotext` and
//! `pdfinfo`). For any HTML kojo writes (`kojo evidence`, `kojo procure`).
//!
//! Chromium runs with a fresh profile and without anything that phones home
//! (no background networking, component updates, sync, QUIC), and every
//! host name resolves to nothing, so a page that tried to fetch from the
//! network could not reach it, and would show up as a console error (the
//! documents' Content-Security-Policy refuses any fetch, and Chromium
//! logs the refusal on the console).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use super::support::{run_limited, skip_tools, text};

const INSTALL: &str = "install Chromium, Japanese fonts and poppler (apt-get install -y chromium fonts-noto-cjk poppler-utils), or set KOJO_SKIP_TOOLS=1";

/// How long one Chromium run may take; a first start on a busy machine
/// takes a few seconds.
const LIMIT: Duration = Duration::from_secs(120);

/// What one Chromium run left.
pub struct Run {
    pub output: Output,
    /// Chromium's stderr, logging on.
    pub log: String,
}

/// Runs headless Chromium on `page` with `args` (one of `--dump-dom`,
/// `--screenshot=…`, `--print-to-pdf=…`) and a fresh profile in `scratch`;
/// `None` when Chromium is missing and `KOJO_SKIP_TOOLS=1`.
pub fn chromium(page: &Path, scratch: &Path, args: &[&str]) -> Option<Run> {
    let profile = tempfile::tempdir_in(scratch).unwrap();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let mut command = Command::new("chromium");
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-extensions",
            "--no-pings",
            "--disable-domain-reliability",
            // Nothing resolves: a fetch that got past the page's policy
            // still could not leave the machine.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        // Chromium's crash reporter and the like stay inside the scratch directory.
        .env("HOME", scratch)
        .env("XDG_CONFIG_HOME", scratch.join(".config"))
        .env("XDG_CACHE_HOME", scratch.join(".cache"));
    match run_limited(&mut command, LIMIT) {
        Ok(output) => {
            let log = text(&output.stderr);
            assert!(output.status.success(), "chromium {args:?} failed ({}):\n{log}", output.status);
            Some(Run { output, log })
        }
        Err(e) if skip_tools() => {
            eprintln!("skipping Chromium ({e}), KOJO_SKIP_TOOLS=1");
            None
        }
        Err(e) => panic!("chromium did not run ({e}): {INSTALL}"),
    }
}

/// The console messages Chromium logged while loading `page`: the
/// `CONSOLE` lines of its log (`[…:INFO:CONSOLE:12] "message", source: …`;
/// older versions write `CONSOLE(12)`). Chromium's own complaints about
/// D-Bus, the GPU and the sandbox are not console messages and are not
/// returned. `None` when skipped.
pub fn console_messages(page: &Path, scratch: &Path) -> Option<Vec<String>> {
    let run = chromium(page, scratch, &["--dump-dom"])?;
    assert!(!run.output.stdout.is_empty(), "--dump-dom printed nothing:\n{}", run.log);
    Some(run.log.lines().filter(|l| is_console_line(l)).map(str::to_string).collect())
}

fn is_console_line(line: &str) -> bool {
    let Some(at) = line.find(":CONSOLE") else { return false };
    let rest = &line[at + ":CONSOLE".len()..];
    line.starts_with('[') && (rest.starts_with(':') || rest.starts_with('(') || rest.starts_with(']'))
}

/// The document as Chromium has built it after loading `page`
/// (`--dump-dom`): what markup in the page became, elements and text.
/// `None` when skipped.
// Not every test file that includes this module dumps the DOM.
#[allow(dead_code)]
pub fn dump_dom(page: &Path, scratch: &Path) -> Option<String> {
    let run = chromium(page, scratch, &["--dump-dom"])?;
    assert!(!run.output.stdout.is_empty(), "--dump-dom printed nothing:\n{}", run.log);
    Some(text(&run.output.stdout))
}

/// Asserts that Chromium loads `page` without a single console message.
/// kojo's pages carry no script, so anything on the console is the browser
/// reporting a problem: a fetch the Content-Security-Policy refused, a
/// resource that failed, markup it could not use.
pub fn assert_clean_console(page: &Path, scratch: &Path) {
    if let Some(messages) = console_messages(page, scratch) {
        assert!(messages.is_empty(), "{}: console messages:\n{}", page.display(), messages.join("\n"));
    }
}

/// A screenshot of `page` in a 1200×1800 window, decoded: how many pixels
/// are not white, out of how many, and how many distinct colours there are.
pub struct Screenshot {
    pub width: u32,
    pub height: u32,
    pub non_white: usize,
    pub pixels: usize,
    pub colours: usize,
}

pub fn screenshot(page: &Path, scratch: &Path) -> Option<Screenshot> {
    let png = scratch.join(format!("{}.png", stem(page)));
    let _ = std::fs::remove_file(&png);
    chromium(page, scratch, &[&format!("--screenshot={}", png.display()), "--window-size=1200,1800"])?;
    let mut decoder = png::Decoder::new(std::fs::File::open(&png).unwrap());
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let bytes = &buf[..info.buffer_size()];
    let channels = info.color_type.samples();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "8-bit screenshot expected");
    let mut colours = std::collections::BTreeSet::new();
    let mut non_white = 0;
    for px in bytes.chunks_exact(channels) {
        let rgb = if channels >= 3 { [px[0], px[1], px[2]] } else { [px[0]; 3] };
        colours.insert(rgb);
        // Near-white counts as white: anti-aliased page background.
        if rgb.iter().any(|&c| c < 240) {
            non_white += 1;
        }
    }
    Some(Screenshot {
        width: info.width,
        height: info.height,
        non_white,
        pixels: bytes.len() / channels,
        colours: colours.len(),
    })
}

/// Asserts that the screenshot of `page` shows a page: the full window,
/// more than a handful of colours, and at least `min_ink` (a fraction) of
/// it not white.
pub fn assert_not_blank(page: &Path, scratch: &Path, min_ink: f64) {
    let Some(shot) = screenshot(page, scratch) else { return };
    assert_eq!((shot.width, shot.height), (1200, 1800), "{}", page.display());
    assert!(shot.colours > 8, "{}: {} colours: a blank page", page.display(), shot.colours);
    let ink = shot.non_white as f64 / shot.pixels as f64;
    assert!(ink >= min_ink, "{}: {:.4} of the screenshot is not white (< {min_ink})", page.display(), ink);
}

/// Prints `page` to PDF (A4 from the page's print stylesheet, without
/// Chromium's header and footer); the PDF's path.
pub fn print_to_pdf(page: &Path, scratch: &Path) -> Option<PathBuf> {
    let pdf = scratch.join(format!("{}.pdf", stem(page)));
    let _ = std::fs::remove_file(&pdf);
    chromium(page, scratch, &[&format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer"])?;
    assert!(pdf.is_file(), "no PDF written");
    Some(pdf)
}

/// Runs a poppler tool; `None` when it is missing and `KOJO_SKIP_TOOLS=1`.
fn poppler(program: &str, args: &[&str], pdf: &Path) -> Option<String> {
    let mut command = Command::new(program);
    command.args(args).arg(pdf);
    if program == "pdftotext" {
        command.arg("-");
    }
    match run_limited(&mut command, Duration::from_secs(60)) {
        Ok(out) => {
            assert!(out.status.success(), "{program} failed: {}", text(&out.stderr));
            Some(text(&out.stdout))
        }
        Err(e) if skip_tools() => {
            eprintln!("skipping {program} ({e}), KOJO_SKIP_TOOLS=1");
            None
        }
        Err(e) => panic!("{program} did not run ({e}): {INSTALL}"),
    }
}

/// The text of a PDF, as `pdftotext` reads it (UTF-8, reading order).
pub fn pdf_text(pdf: &Path) -> Option<String> {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf)
}

/// What `pdfinfo` reports (pages, page size, …).
pub fn pdf_info(pdf: &Path) -> Option<String> {
    poppler("pdfinfo", &[], pdf)
}

/// The number of pages `pdfinfo` reports.
pub fn pdf_pages(pdf: &Path) -> Option<usize> {
    let info = pdf_info(pdf)?;
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap_or_else(|| panic!("pdfinfo:\n{info}"));
    Some(line["Pages:".len()..].trim().parse().unwrap())
}

/// The font families fontconfig has for Japanese (`fc-list :lang=ja`):
/// without one Chromium draws boxes. (The PDF cannot tell: Chromium embeds
/// its fonts as unnamed Type 3 fonts.)
pub fn japanese_fonts() -> Option<Vec<String>> {
    match run_limited(Command::new("fc-list").args([":lang=ja", "family"]), Duration::from_secs(60)) {
        Ok(out) => Some(text(&out.stdout).lines().map(str::to_string).collect()),
        Err(e) if skip_tools() => {
            eprintln!("skipping fc-list ({e}), KOJO_SKIP_TOOLS=1");
            None
        }
        Err(e) => panic!("fc-list did not run ({e}): {INSTALL}"),
    }
}

/// Prints `page` to PDF and asserts that it has at least `min_pages` pages
/// and that every one of `headings` is in its text (whitespace collapsed,
/// since `pdftotext` breaks lines where the page did).
pub fn assert_pdf(page: &Path, scratch: &Path, headings: &[&str], min_pages: usize) -> Option<PathBuf> {
    let pdf = print_to_pdf(page, scratch)?;
    let pages = pdf_pages(&pdf)?;
    assert!(pages >= min_pages, "{}: {pages} pages, expected at least {min_pages}", page.display());
    let body = pdf_text(&pdf)?;
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    for heading in headings {
        let wanted: String = heading.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(&wanted), "{}: `{heading}` is not in the PDF's text:\n{body}", page.display());
    }
    Some(pdf)
}

/// The `src` and `href` attribute values of an HTML text that name a web
/// address (`http://`, `https://`, or scheme-relative `//`).
pub fn remote_urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    for attr in ["src", "href"] {
        let mut rest = lower.as_str();
        let mut offset = 0;
        while let Some(at) = rest.find(attr) {
            let start = offset + at + attr.len();
            let after = lower[start..].trim_start();
            let boundary = lower[..offset + at].chars().last().is_none_or(|c| c.is_whitespace());
            if boundary {
                if let Some(value) = after.strip_prefix('=') {
                    let value = value.trim_start();
                    let unquoted = value.trim_start_matches(['"', '\'']);
                    let end = unquoted.find(['"', '\'', ' ', '>']).unwrap_or(unquoted.len());
                    let url = &unquoted[..end];
                    if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//") {
                        out.push(url.to_string());
                    }
                }
            }
            offset = start;
            rest = &lower[start..];
        }
    }
    out
}

fn stem(page: &Path) -> String {
    page.file_stem().unwrap().to_string_lossy().into_owned()
}
