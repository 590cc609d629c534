//! Loading and checking a whole project: manifest, sources, parse, resolve.

use kojo_lang::ast::{self, Decl, PlantItem};
use kojo_lang::parser::Parsed;
use kojo_lang::{Code, Diagnostic, Severity, SourceFile};
use kojo_stdlib::{Catalogue, Profile, ProfileOverlay};

use crate::cap;
use crate::manifest::{self, Manifest};
use crate::model::Model;
use crate::resolve;
use crate::rules::{self, Finding};
use crate::source::{ProjectSource, RawFile, MANIFEST};
use crate::suggest::did_you_mean;
use crate::tiers::{self, ZoneTier};
use crate::types::Date;
use crate::waivers;

/// The profile used when neither the manifest nor the plant names one.
pub const DEFAULT_PROFILE: &str = "meti-factory";

/// What checking a project produced.
#[derive(Debug)]
pub struct Checked {
    /// The resolved model, when the project compiled without errors.
    pub model: Option<Model>,
    pub manifest: Option<Manifest>,
    /// Every problem, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many `.kojo` files were read.
    pub files: usize,
    /// Every zone's tiers, when the project compiled.
    pub tiers: Vec<ZoneTier>,
    /// Findings hidden by a waiver (shown with `--show-waived`).
    pub waived: Vec<Diagnostic>,
    /// The catalogue the project was checked against (built-in plus its
    /// profiles' additions), when the profiles stacked.
    pub catalogue: Option<Catalogue>,
    /// The profile in force (the stack in one), when the profiles stacked.
    pub profile: Option<Profile>,
    /// The findings before they became diagnostics: kept, waived (with the
    /// waiver), and the waivers' own. Empty unless the project compiled.
    pub findings: waivers::Applied,
    /// Requirements that do not apply to an asset for want of a capability
    /// (`kojo check --show-not-applicable`), with the reason: the first
    /// [`rules::applicability::LISTED`], and how many in all. Empty unless
    /// the project compiled.
    pub not_applicable: rules::applicability::Listing,
    /// The diagnostics past the caps ([`cap::PER_FILE`], [`cap::PER_RUN`]),
    /// counted but not kept in `diagnostics`; the findings past
    /// [`cap::FINDINGS_PER_RUN`], counted by rule.
    pub dropped: cap::Dropped,
    /// Every name declared and used, with where: for a project with
    /// errors too (what parsed); empty unless [`Options::symbols`] asks.
    pub symbols: crate::symbols::Symbols,
    /// Which of `findings` were made no diagnostic (past
    /// [`cap::FINDINGS_PER_RUN`]): they are in neither `diagnostics` nor
    /// `waived`, and still count.
    pub unshown: cap::Unshown,
}

/// How to check.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Backend names the manifest may select (the CLI passes them in).
    pub backends: &'a [&'a str],
    /// The date waivers expire against; `None`: no waiver expires.
    pub today: Option<Date>,
    /// Files parsed by earlier checks, reused when a file's name and bytes
    /// are the same: a history walk checks many revisions that differ in
    /// a file or two.
    pub parsed: Option<&'a ParseCache>,
    /// Whether every name is recorded ([`Checked::symbols`]), also for a
    /// project that does not parse (or read) whole, resolved then for its
    /// names alone: an editor navigates them while the user types; the
    /// command line has no use for them.
    pub symbols: bool,
}

/// Parsed files by name, for checks of many revisions of one project.
#[derive(Debug, Default)]
pub struct ParseCache {
    files: std::cell::RefCell<std::collections::HashMap<String, Parse>>,
}

/// One file's bytes and what parsing them gave.
type Parse = (Vec<u8>, Option<SourceFile>, kojo_lang::parser::Parsed);

impl ParseCache {
    /// What parsing `bytes` as `name` gave last time, if those were the bytes.
    fn known(&self, name: &str, bytes: &[u8]) -> Option<(Option<SourceFile>, kojo_lang::parser::Parsed)> {
        let files = self.files.borrow();
        let (known, file, parsed) = files.get(name)?;
        (known.as_slice() == bytes).then(|| (file.clone(), parsed.clone()))
    }

    fn remember(&self, name: &str, bytes: Vec<u8>, parse: &(Option<SourceFile>, kojo_lang::parser::Parsed)) {
        self.files.borrow_mut().insert(name.to_string(), (bytes, parse.0.clone(), parse.1.clone()));
    }
}

/// Every file parsed, in order: those the cache knows from it, the others
/// on every core (each file is independent until names are resolved).
fn parse_all(raw_files: Vec<RawFile>, cache: Option<&ParseCache>) -> Vec<(Option<SourceFile>, Parsed)> {
    let Some(cache) = cache else {
        return crate::parallel::map_owned(raw_files, |raw| kojo_lang::parse_bytes(&raw.name, raw.bytes));
    };
    let mut known = Vec::with_capacity(raw_files.len());
    let mut fresh = Vec::new();
    for raw in raw_files {
        let parse = cache.known(&raw.name, &raw.bytes);
        if parse.is_none() {
            fresh.push(raw);
        }
        known.push(parse);
    }
    let mut parsed = crate::parallel::map_owned(fresh, |raw| {
        let parse = kojo_lang::parse_bytes(&raw.name, raw.bytes.clone());
        (raw, parse)
    })
    .into_iter();
    let mut out = Vec::with_capacity(known.len());
    for known in known {
        match known.or_else(|| {
            parsed.next().map(|(raw, parse)| {
                cache.remember(&raw.name, raw.bytes, &parse);
                parse
            })
        }) {
            Some(parse) => out.push(parse),
            None => break,
        }
    }
    out
}

/// Loads, parses and resolves the project behind `source`.
///
/// `known_backends` are the backend names the manifest may select (the
/// compiler does not know the backends; the CLI passes their names in).
pub fn check(source: &dyn ProjectSource, known_backends: &[&str]) -> Checked {
    check_with(source, &Options { backends: known_backends, ..Options::default() })
}

/// Loads, parses, resolves and checks the project behind `source`.
pub fn check_with(source: &dyn ProjectSource, options: &Options<'_>) -> Checked {
    let known_backends = options.backends;
    let mut diagnostics = Vec::new();
    let manifest = match source.manifest() {
        Ok(Some(raw)) if raw.bytes.len() > manifest::MAX_BYTES => {
            let message = format!(
                "`{}` is larger than {} KiB, the most kojo reads of a manifest",
                raw.name,
                manifest::MAX_BYTES / 1024
            );
            let diagnostic = Diagnostic::at_path(Code::FileTooLarge, &raw.name, message)
                .with_help("a manifest is a few lines: the plant itself goes in .kojo files");
            return Checked::failed(diagnostic);
        }
        Ok(Some(raw)) => match String::from_utf8(raw.bytes) {
            Ok(text) => {
                let (manifest, mut problems) = manifest::parse(&SourceFile::new(raw.name, text), known_backends);
                diagnostics.append(&mut problems);
                manifest
            }
            Err(_) => {
                diagnostics.push(
                    Diagnostic::at_path(Code::ManifestSyntax, &raw.name, format!("`{}` is not valid UTF-8", raw.name))
                        .with_help("save kojo.kdl as UTF-8"),
                );
                None
            }
        },
        Ok(None) => {
            // Without a manifest this is not a project: reading every file
            // below an arbitrary directory would only report noise.
            let diagnostic = Diagnostic::at_path(
                Code::ManifestNotFound,
                source.root_display(),
                format!("no {MANIFEST} in `{}`", source.root_display()),
            )
            .with_help(format!(
                "a kojo project is a directory with a {MANIFEST} manifest: start one with `kojo init`, or write a {MANIFEST} with the line `project \"my-plant\"`"
            ));
            return Checked::failed(diagnostic);
        }
        Err(diagnostic) => return Checked::failed(diagnostic),
    };

    let (raw_files, mut io_errors) = source.sources();
    // A source that could not be read leaves its names undeclared:
    // resolving without it would bury the one real cause under an unknown
    // name for every use of them, so the model is not resolved.
    let unread = io_errors.iter().any(|d| d.severity == Severity::Error);
    diagnostics.append(&mut io_errors);
    let count = raw_files.len();
    if raw_files.is_empty() && diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::at_path(
                Code::NoSources,
                source.root_display(),
                format!("no .kojo files in `{}`", source.root_display()),
            )
            .with_help("describe the plant in one or more .kojo files under the project directory"),
        );
    }
    let mut files = Vec::with_capacity(raw_files.len());
    let mut syntax_errors = false;
    let mut syntax = cap::Collector::default();
    for (file, parsed) in parse_all(raw_files, options.parsed) {
        syntax_errors |= !parsed.diagnostics.is_empty();
        // The parser stops at MAX_SYNTAX_ERRORS a file; capped per run
        // here so that many broken files are never all held.
        syntax.extend(parsed.diagnostics);
        if let Some(file) = file {
            files.push((file, parsed.file));
        }
    }

    let (mut kept, mut dropped) = syntax.finish();
    diagnostics.append(&mut kept);

    let mut model = None;
    let mut model_stands = false;
    let mut zone_tiers = Vec::new();
    let mut waived = Vec::new();
    let mut checked_catalogue = None;
    let mut checked_profile = None;
    let mut findings = waivers::Applied::default();
    let mut not_applicable = rules::applicability::Listing::default();
    let mut unshown = cap::Unshown::default();
    let mut symbols = crate::symbols::Symbols::default();
    // Resolving half-parsed files would report names from the broken
    // declarations as unknown; the syntax errors come first. What did parse
    // is still resolved for its names, its diagnostics set aside.
    if (syntax_errors || unread) && !files.is_empty() {
        if options.symbols {
            symbols = names_only(source, manifest.as_ref(), files);
        }
    } else if !files.is_empty() {
        match Catalogue::builtin() {
            Ok(catalogue) => {
                let stack = profile_stack(catalogue, source, manifest.as_ref(), &files, &mut diagnostics);
                // Findings are only meaningful for a project that compiles.
                let clean_so_far = diagnostics.iter().all(|d| d.severity != Severity::Error);
                if let (Some(Stack { names: profiles, profile, catalogue }), Some(manifest)) =
                    (stack, manifest.as_ref())
                {
                    let (profile, catalogue) = (&profile, &catalogue);
                    let resolve::Resolved { model: resolved, mut problems, dropped: more, symbols: names } =
                        resolve::resolve(resolve::Input {
                            root: source.root_display(),
                            project: manifest.project.value.clone(),
                            profiles: profiles.clone(),
                            files,
                            catalogue,
                            profile,
                            symbols: options.symbols,
                        });
                    symbols = names;
                    diagnostics.append(&mut problems);
                    dropped.merge(more);
                    if let Some(model) = resolved.as_ref().filter(|_| clean_so_far) {
                        zone_tiers = tiers::derive(model, profile);
                        let ctx = rules::Context { model, catalogue, profile, tiers: &zone_tiers };
                        let (mut raw, not) = rules::run_with_applicability(&ctx);
                        not_applicable = not;
                        // What the build refuses stays an error: a profile cannot
                        // make a check pass that the build would fail.
                        for finding in raw.iter_mut().filter(|f| !rules::BUILD_REFUSES.contains(&f.rule.as_str())) {
                            if let Some(severity) = profile.severity.get(&finding.rule).and_then(|s| severity(s)) {
                                finding.severity = severity;
                            }
                        }
                        let applied = waivers::apply(&ctx, raw, options.today);
                        let (shown, shown_waived);
                        (shown, shown_waived, unshown) = cap_findings(model, &applied, &mut dropped, &|_| false);
                        diagnostics.extend(shown);
                        waived = shown_waived;
                        findings = applied;
                    }
                    // A model with errors in it is no model; a missing
                    // evidence file is an error about the evidence, not the
                    // plant, so the model and its findings stand beside it
                    // (a first draft names documents not yet written).
                    let compiles = dropped.errors == 0
                        && diagnostics.iter().all(|d| d.code == Code::Finding || d.severity != Severity::Error);
                    if let Some(model) = resolved.as_ref().filter(|_| compiles) {
                        diagnostics.extend(crate::evidence::paths::check(model, source));
                        model_stands = true;
                    }
                    model = resolved;
                    checked_catalogue = Some(catalogue.clone());
                    checked_profile = Some(profile.clone());
                }
            }
            Err(err) => diagnostics.push(
                Diagnostic::at_path(Code::Io, "<built-in catalogue>", format!("internal error: {err}"))
                    .with_help("this is a bug in kojo; please report it"),
            ),
        }
    }
    if !model_stands {
        model = None;
    }
    kojo_lang::diagnostic::sort(&mut diagnostics);
    // Once more over every stage, in the order shown: the first of each
    // file are kept, whichever stage found them.
    let diagnostics = cap::limit(diagnostics, &mut dropped);
    kojo_lang::diagnostic::sort(&mut waived);
    Checked {
        model,
        manifest,
        diagnostics,
        files: count,
        tiers: zone_tiers,
        waived,
        catalogue: checked_catalogue,
        profile: checked_profile,
        findings,
        not_applicable,
        dropped,
        unshown,
        symbols,
    }
}

/// The names of a project that does not parse (or read) whole: what did
/// parse, resolved, with the problems of doing so set aside (the syntax
/// errors are what the user is told).
fn names_only(
    source: &dyn ProjectSource,
    manifest: Option<&Manifest>,
    files: Vec<(SourceFile, ast::File)>,
) -> crate::symbols::Symbols {
    let (Ok(catalogue), Some(manifest)) = (Catalogue::builtin(), manifest) else {
        return crate::symbols::Symbols::default();
    };
    let mut aside = Vec::new();
    let Some(Stack { names: profiles, profile, catalogue }) =
        profile_stack(catalogue, source, Some(manifest), &files, &mut aside)
    else {
        return crate::symbols::Symbols::default();
    };
    resolve::resolve(resolve::Input {
        root: source.root_display(),
        project: manifest.project.value.clone(),
        profiles,
        files,
        catalogue: &catalogue,
        profile: &profile,
        symbols: true,
    })
    .symbols
}

/// The diagnostics of the first [`cap::FINDINGS_PER_RUN`] findings (and
/// waived findings) in the order shown, those `later` says yes to after
/// the others; the rest are counted by rule in `dropped` and listed in the
/// [`cap::Unshown`] returned.
fn cap_findings(
    model: &Model,
    applied: &waivers::Applied,
    dropped: &mut cap::Dropped,
    later: &dyn Fn(&Finding) -> bool,
) -> (Vec<Diagnostic>, Vec<Diagnostic>, cap::Unshown) {
    let mut made = |findings: Vec<&Finding>, later: &dyn Fn(&Finding) -> bool| {
        let (shown, rest) = cap::first_findings(model, &findings, cap::FINDINGS_PER_RUN, later);
        for finding in rest.iter().filter_map(|&i| findings.get(i)) {
            *dropped.findings.entry(finding.rule.clone()).or_default() += 1;
        }
        let made = shown.iter().filter_map(|&i| findings.get(i)).map(|f| f.to_diagnostic(model)).collect::<Vec<_>>();
        (made, rest)
    };
    let (shown, findings) = made(applied.kept.iter().chain(&applied.problems).collect(), later);
    let (waived, waived_rest) = made(applied.waived.iter().collect(), &|_| false);
    (shown, waived, cap::Unshown { findings, waived: waived_rest })
}

impl Checked {
    fn failed(diagnostic: Diagnostic) -> Checked {
        Checked {
            model: None,
            manifest: None,
            diagnostics: vec![diagnostic],
            files: 0,
            tiers: Vec::new(),
            waived: Vec::new(),
            catalogue: None,
            profile: None,
            findings: waivers::Applied::default(),
            not_applicable: rules::applicability::Listing::default(),
            dropped: cap::Dropped::default(),
            unshown: cap::Unshown::default(),
            symbols: crate::symbols::Symbols::default(),
        }
    }

    /// The findings, waivers' own included, made no diagnostic (past
    /// [`cap::FINDINGS_PER_RUN`]).
    pub fn unshown_findings(&self) -> impl Iterator<Item = &Finding> {
        let (kept, problems) = (&self.findings.kept, &self.findings.problems);
        self.unshown.findings.iter().filter_map(move |&i| kept.get(i).or_else(|| problems.get(i - kept.len())))
    }

    /// Lists again which findings get a diagnostic, those `later` says yes
    /// to after the others: a check against a baseline lists the new
    /// findings first, which a plant with more findings than
    /// [`cap::FINDINGS_PER_RUN`] would otherwise leave unlisted behind
    /// known ones. Nothing changes when every finding is listed.
    pub fn relist(&mut self, later: &dyn Fn(&Finding, &Model) -> bool) {
        let Some(model) = &self.model else { return };
        if self.unshown.findings.is_empty() {
            return;
        }
        self.diagnostics.retain(|d| d.code != Code::Finding);
        self.dropped.findings.clear();
        let (shown, waived, unshown) = cap_findings(model, &self.findings, &mut self.dropped, &|f| later(f, model));
        self.diagnostics.extend(shown);
        kojo_lang::diagnostic::sort(&mut self.diagnostics);
        self.waived = waived;
        kojo_lang::diagnostic::sort(&mut self.waived);
        self.unshown = unshown;
    }

    /// The waived findings made no diagnostic.
    pub fn unshown_waived(&self) -> impl Iterator<Item = &Finding> {
        self.unshown.waived.iter().filter_map(|&i| self.findings.waived.get(i))
    }
}

/// The profiles in force, by name, the one profile they stack into, and the
/// catalogue with the overlays' own controls and checklist items.
struct Stack {
    names: Vec<String>,
    profile: Profile,
    catalogue: Catalogue,
}

/// The profiles named by the manifest, then by the plant, each once, and
/// stacked in that order: built-in profiles are complete, a project's own
/// (`profiles/NAME.toml`) are overlays on the ones before them. A stack
/// that starts with an overlay stands on `meti-factory`. Problems are
/// reported; `None` if the stack cannot be built.
fn profile_stack(
    catalogue: &Catalogue,
    source: &dyn ProjectSource,
    manifest: Option<&Manifest>,
    files: &[(SourceFile, ast::File)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Stack> {
    // The project's own profiles, by ID.
    let (raw, mut errors) = source.profiles();
    diagnostics.append(&mut errors);
    let mut overlays: Vec<(String, ProfileOverlay)> = Vec::new();
    for file in raw {
        let text = String::from_utf8_lossy(&file.bytes).into_owned();
        let stem = std::path::Path::new(&file.name).file_stem().map(|s| s.to_string_lossy().into_owned());
        match ProfileOverlay::parse(&file.name, &text) {
            Ok(overlay) if stem.as_deref() == Some(overlay.id.as_str()) => overlays.push((file.name, overlay)),
            Ok(overlay) => diagnostics.push(invalid_profile(
                &file.name,
                format!("profile `{}` must live in `profiles/{}.toml`", overlay.id, overlay.id),
            )),
            Err(err) => diagnostics.push(invalid_profile(&file.name, err.to_string())),
        }
    }

    // The names, in order, each checked.
    let known: Vec<&str> =
        catalogue.profiles().map(|p| p.id.as_str()).chain(overlays.iter().map(|(_, o)| o.id.as_str())).collect();
    let mut names: Vec<String> = Vec::new();
    let mut check = |name: &str, report: &mut dyn FnMut(String)| {
        if !known.contains(&name) {
            report(match did_you_mean(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!(
                    "known profiles: {}; a project's own profiles live in `profiles/NAME.toml`",
                    known.join(", ")
                ),
            });
        } else if !names.iter().any(|p| p == name) {
            names.push(name.to_string());
        }
    };
    if let Some(manifest) = manifest {
        for entry in &manifest.profiles {
            check(&entry.value, &mut |help| {
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownProfile,
                        &manifest.file,
                        entry.span,
                        format!("unknown profile `{}`", entry.value),
                    )
                    .with_label("no profile has this name")
                    .with_help(help),
                );
            });
        }
    }
    for (file, ast) in files {
        for decl in &ast.decls {
            let Decl::Plant(plant) = decl else { continue };
            for item in &plant.items {
                let PlantItem::Profile(idents) = &item.node else { continue };
                for ident in idents {
                    check(&ident.node, &mut |help| {
                        diagnostics.push(
                            Diagnostic::error(
                                Code::UnknownProfile,
                                file,
                                ident.span,
                                format!("unknown profile `{}`", ident.node),
                            )
                            .with_label("no profile has this name")
                            .with_help(help),
                        );
                    });
                }
            }
        }
    }
    if names.first().is_none_or(|first| catalogue.profile(first).is_none()) {
        names.insert(0, DEFAULT_PROFILE.to_string());
    }

    // Stack them.
    let mut profile = catalogue.profile(names.first()?)?.clone();
    let mut extended = catalogue.clone();
    for name in names.iter().skip(1) {
        let Some((file, overlay)) = overlays.iter().find(|(_, o)| &o.id == name) else {
            diagnostics.push(invalid_profile(
                "kojo.kdl",
                format!("the built-in profile `{name}` can only come first: it is complete, not an overlay"),
            ));
            return None;
        };
        match profile.stack(overlay, file) {
            Ok(stacked) => profile = stacked,
            Err(err) => {
                diagnostics.push(invalid_profile(file, err.to_string()));
                return None;
            }
        }
        match extended.extended(file, &overlay.controls, &overlay.checklist) {
            Ok(more) => extended = more,
            Err(err) => {
                diagnostics.push(invalid_profile(file, err.to_string()));
                return None;
            }
        }
        if let Some(problem) =
            unknown_references(&extended, overlay).or_else(|| checklist_references(&profile, overlay))
        {
            diagnostics.push(invalid_profile(file, problem));
            return None;
        }
    }
    Some(Stack { names, profile, catalogue: extended })
}

/// A control, asset kind or capability an overlay's requirements name that
/// the catalogue lacks.
fn unknown_references(catalogue: &Catalogue, overlay: &ProfileOverlay) -> Option<String> {
    overlay.requirements.iter().find_map(|r| {
        if let Some(c) = r.controls().find(|c| catalogue.control(c).is_none()) {
            return Some(format!("requirement `{}` names an unknown control `{c}`", r.id));
        }
        if let Some(k) = r.kinds.iter().find(|k| catalogue.asset_kind(k).is_none()) {
            return Some(format!("requirement `{}` names an unknown asset kind `{k}`", r.id));
        }
        catalogue.needs_problem(r)
    })
}

/// A derivation or rule an overlay's checklist items name that does not exist.
fn checklist_references(profile: &Profile, overlay: &ProfileOverlay) -> Option<String> {
    overlay.checklist.iter().find_map(|item| {
        if let Some(name) = item.derivation.as_deref().filter(|n| crate::evidence::derive::find(n).is_none()) {
            let known: Vec<&str> = crate::evidence::derive::DERIVATIONS.iter().map(|(n, _)| *n).collect();
            return Some(format!(
                "checklist item `{}` names an unknown derivation `{name}` (known: {})",
                item.id,
                known.join(", ")
            ));
        }
        let known = |rule: &str| {
            rules::RULES.iter().any(|r| r.id == rule)
                || rules::WAIVER_RULES.contains(&rule)
                || profile.requirements.iter().any(|r| r.id == rule)
        };
        item.rules
            .iter()
            .find(|r| !known(r))
            .map(|r| format!("checklist item `{}` names an unknown rule `{r}`", item.id))
    })
}

fn invalid_profile(file: &str, message: String) -> Diagnostic {
    Diagnostic::at_path(Code::InvalidProfile, file, message)
        .with_help("a project profile is a TOML overlay: `id`, `label`, and any of `requirements`, `remove`, `severity`, `impact`; see docs/profiles.md")
}

fn severity(name: &str) -> Option<Severity> {
    match name {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}
