//! `kojo build`: from a checked model and its manifest to every artifact, in
//! memory. Either every selected target renders every flow of its device, or
//! the build returns diagnostics and no artifacts at all (fail closed).

use std::collections::{BTreeMap, BTreeSet};

use kojo_compiler::manifest::{Entry, Manifest};
use kojo_compiler::model::{AssetId, Model};
use kojo_compiler::suggest::did_you_mean;
use kojo_compiler::tiers::ZoneTier;
use kojo_lang::{Code, Diagnostic, Span};
use kojo_stdlib::Catalogue;

use crate::enforcement::policy::{self, DevicePolicy, DeviceSettings, Family, LowerError, Policy};
use crate::enforcement::{Artifact, Backend, Clock, Context, Kind, Unrenderable};

mod functions;
use functions::{check_functions, check_overlaps};
use std::sync::Mutex;

use crate::enforcement::pairs::Budget;

/// What to build from.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub model: &'a Model,
    pub catalogue: &'a Catalogue,
    pub tiers: &'a [ZoneTier],
    pub manifest: &'a Manifest,
}

/// A finished build.
#[derive(Debug, Clone)]
pub struct Build {
    pub policy: Policy,
    /// Sorted by path.
    pub artifacts: Vec<Artifact>,
}

impl Build {
    pub fn artifact(&self, path: &str) -> Option<&Artifact> {
        self.artifacts.iter().find(|a| a.path == path)
    }
}

/// Builds every artifact the manifest asks for. Devices and formats
/// render on every core; the artifacts and diagnostics come in the order of
/// rendering them one by one. The shared pair budget is spent in a fixed
/// order: every device's overlap check, then Cisco ASA's devices in turn.
pub fn build(request: &Request<'_>) -> Result<Build, Vec<Diagnostic>> {
    let policy = lowered(request)?;
    let pairs = Mutex::new(Budget::new());
    let ctx = Context { model: request.model, catalogue: request.catalogue, policy: &policy, pairs: &pairs };
    // Each device's own problems, then its formats' in their order.
    let mut checked: Vec<Vec<Diagnostic>> = Vec::new();
    let mut jobs: Vec<Job> = Vec::new();
    let mut budget_jobs: BTreeMap<&str, usize> = BTreeMap::new();
    for (index, device) in policy.devices.iter().enumerate() {
        let backends = selected(request.manifest, &device.name);
        let mut diagnostics = Vec::new();
        for problem in check_functions(request.catalogue, device, &backends) {
            diagnostics.push(unrenderable(request.model, device, "no selected backend", &problem));
        }
        if backends.iter().any(|b| b.capabilities().kind == Kind::Gateway) {
            for problem in check_overlaps(request.catalogue, device, &pairs) {
                diagnostics.push(unrenderable(request.model, device, OVERLAP, &problem));
            }
        }
        checked.push(diagnostics);
        for (order, backend) in backends.into_iter().enumerate() {
            let key = (index, order);
            // A backend that spends the shared budget renders its devices
            // in one job, in order, so the budget runs out at the same
            // device whatever the threads do.
            let shared = backend.spends_pair_budget().then(|| budget_jobs.get(backend.name()).copied()).flatten();
            match shared.and_then(|at| jobs.get_mut(at)) {
                Some(job) => job.devices.push(key),
                None => {
                    if backend.spends_pair_budget() {
                        budget_jobs.insert(backend.name(), jobs.len());
                    }
                    jobs.push(Job { backend, devices: vec![key] });
                }
            }
        }
    }
    let rendered = kojo_compiler::parallel::map(&jobs, |job| {
        job.devices
            .iter()
            .map(|&(index, order)| {
                let (mut artifacts, mut problems) = (Vec::new(), Vec::new());
                if let Some(device) = ctx.policy.devices.get(index) {
                    render_device(&ctx, device, job.backend, &mut artifacts, &mut problems);
                }
                ((index, order), artifacts, problems)
            })
            .collect::<Vec<_>>()
    });
    let mut rendered: Vec<_> = rendered.into_iter().flatten().collect();
    rendered.sort_by_key(|(key, _, _)| *key);
    let mut artifacts = Vec::new();
    let mut diagnostics = Vec::new();
    let mut devices = checked.into_iter().enumerate().peekable();
    for ((index, _), mut files, mut problems) in rendered {
        while let Some((_, mut own)) = devices.next_if(|(i, _)| *i <= index) {
            diagnostics.append(&mut own);
        }
        artifacts.append(&mut files);
        diagnostics.append(&mut problems);
    }
    diagnostics.extend(devices.flat_map(|(_, own)| own));
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Build { policy, artifacts })
}

/// Renderings done together: one (device, format) pair, or every device of
/// a backend that spends the pair budget. Devices are keyed by their place
/// in the policy and the format's in the device's list.
struct Job {
    backend: &'static dyn Backend,
    devices: Vec<(usize, usize)>,
}

/// Renders one backend for every enforcing device, whatever the manifest
/// selects, with the same capability checks as [`build`] but without the
/// check that protocol functions are enforced by some selected backend.
/// For tests and tools that need one format (the packet tests, benchmarks);
/// the CLI runs [`build`].
pub fn render_backend(request: &Request<'_>, backend: &dyn Backend) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let policy = lowered(request)?;
    let pairs = Mutex::new(Budget::new());
    let ctx = Context { model: request.model, catalogue: request.catalogue, policy: &policy, pairs: &pairs };
    let mut artifacts = Vec::new();
    let mut diagnostics = Vec::new();
    for device in &policy.devices {
        render_device(&ctx, device, backend, &mut artifacts, &mut diagnostics);
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(artifacts)
}

/// Every enforcing device's policy (what every backend renders), with the
/// manifest's device settings; or every problem with either.
pub fn policy(request: &Request<'_>) -> Result<Policy, Vec<Diagnostic>> {
    lowered(request)
}

/// One backend's files for one device of `policy`, after the same
/// capability checks as [`build`], whatever the manifest selects for it
/// (`kojo drift` compares a device with the nftables or iptables files it
/// would get).
pub fn render_one(
    request: &Request<'_>,
    policy: &Policy,
    device: &DevicePolicy,
    backend: &dyn Backend,
) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let pairs = Mutex::new(Budget::new());
    let ctx = Context { model: request.model, catalogue: request.catalogue, policy, pairs: &pairs };
    let mut artifacts = Vec::new();
    let mut diagnostics = Vec::new();
    render_device(&ctx, device, backend, &mut artifacts, &mut diagnostics);
    if diagnostics.is_empty() {
        Ok(artifacts)
    } else {
        Err(diagnostics)
    }
}

/// The policy of every enforcing device, with the manifest's device
/// settings; every problem with either.
fn lowered(request: &Request<'_>) -> Result<Policy, Vec<Diagnostic>> {
    let Request { model, catalogue, tiers, manifest } = *request;
    let mut diagnostics = Vec::new();
    let settings = device_settings(model, manifest, &mut diagnostics);
    match policy::lower(model, catalogue, tiers, &settings) {
        Ok(policy) if diagnostics.is_empty() => Ok(policy),
        Ok(_) => Err(diagnostics),
        Err(errors) => {
            diagnostics.extend(errors.iter().map(|e| lower_error(model, e)));
            Err(diagnostics)
        }
    }
}

/// One backend's files for one device, after the generic capability checks.
fn render_device(
    ctx: &Context<'_>,
    device: &DevicePolicy,
    backend: &dyn Backend,
    artifacts: &mut Vec<Artifact>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut problems = check_capabilities(backend, device);
    if problems.is_empty() {
        match backend.render(ctx, device) {
            Ok(mut files) => artifacts.append(&mut files),
            Err(mut more) => problems.append(&mut more),
        }
    }
    diagnostics.extend(problems.iter().map(|p| unrenderable(ctx.model, device, backend.name(), p)));
}

/// The backends built for a device: its own list, or the project's.
pub fn selected(manifest: &Manifest, device: &str) -> Vec<&'static dyn Backend> {
    let entries: &[Entry] = manifest
        .devices
        .iter()
        .find(|d| d.name.value == device)
        .and_then(|d| d.backends.as_deref())
        .unwrap_or(&manifest.backends);
    let mut seen = BTreeSet::new();
    entries
        .iter()
        .filter(|e| seen.insert(e.value.as_str()))
        .filter_map(|e| crate::enforcement::backend(&e.value))
        .collect()
}

/// The manifest's `device` blocks, checked against the model.
fn device_settings(
    model: &Model,
    manifest: &Manifest,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, DeviceSettings> {
    let enforcing: BTreeSet<AssetId> = model.conduits.iter().filter_map(|c| c.enforced_by).collect();
    let names: Vec<&str> = enforcing.iter().filter_map(|id| model.asset(*id)).map(|a| a.name.as_str()).collect();
    let file = &manifest.file;
    let mut settings = BTreeMap::new();
    for device in &manifest.devices {
        let error = |span: Span, message: String, help: String| {
            Diagnostic::error(Code::DeviceConfig, file, span, message).with_help(help)
        };
        let Some(asset) = model.assets.iter().find(|a| a.name == device.name.value && enforcing.contains(&a.id)) else {
            let known = model.assets.iter().any(|a| a.name == device.name.value);
            let help = match did_you_mean(&device.name.value, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("devices that enforce conduits: {}", names.join(", ")),
            };
            let message = if known {
                format!("`{}` enforces no conduit", device.name.value)
            } else {
                format!("no asset `{}`", device.name.value)
            };
            diagnostics.push(error(device.name.span, message, help).with_label("not an enforcing device"));
            continue;
        };
        let zones: Vec<&str> =
            asset.interfaces.iter().filter_map(|i| model.zone(i.zone)).map(|z| z.name.as_str()).collect();
        let mut entry = DeviceSettings::default();
        for (zone, name) in &device.interfaces {
            if !zones.contains(&zone.value.as_str()) {
                let help = match did_you_mean(&zone.value, zones.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("`{}` has interfaces in: {}", asset.name, zones.join(", ")),
                };
                diagnostics.push(
                    error(zone.span, format!("`{}` has no interface in zone `{}`", asset.name, zone.value), help)
                        .with_label("no interface here"),
                );
            } else if !valid_interface_name(&name.value) {
                diagnostics.push(
                    error(
                        name.span,
                        format!("`{}` is not an interface name", name.value),
                        "use letters, digits and `._-/:` only, e.g. `eth1` or `GigabitEthernet0/1`".into(),
                    )
                    .with_label("invalid interface name"),
                );
            } else {
                entry.interfaces.insert(zone.value.clone(), name.value.clone());
            }
        }
        if let Some(tz) = &device.timezone {
            if tz.value.parse::<chrono_tz::Tz>().is_err() {
                diagnostics.push(
                    error(
                        tz.span,
                        format!("`{}` is not a time zone", tz.value),
                        match did_you_mean(&tz.value, chrono_tz::TZ_VARIANTS.iter().map(|t| t.name())) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "write an IANA name such as `Asia/Tokyo`, or `UTC`".into(),
                        },
                    )
                    .with_label("unknown time zone"),
                );
            } else {
                entry.timezone = Some(tz.value.clone());
            }
        }
        settings.insert(asset.name.clone(), entry);
    }
    settings
}

fn valid_interface_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':'))
}

/// The generic checks every target gets: address families, windows,
/// one-way conduits and interface names.
fn check_capabilities(backend: &dyn Backend, device: &DevicePolicy) -> Vec<Unrenderable> {
    let caps = backend.capabilities();
    let target = backend.name();
    let mut problems = Vec::new();
    if let Some(max) = caps.max_interface_name {
        for interface in &device.interfaces {
            if interface.name.len() > max {
                problems.push(Unrenderable {
                    rule: None,
                    message: format!(
                        "{target} interface names have at most {max} characters; `{}` (the interface in zone `{}`) has {}",
                        interface.name,
                        interface.zone_name,
                        interface.name.len()
                    ),
                    help: format!(
                        "name the interface in kojo.kdl: `device \"{}\" {{ interface \"{}\" \"eth1\" }}`",
                        device.name, interface.zone_name
                    ),
                });
            }
        }
    }
    if caps.kind != Kind::Firewall {
        return problems;
    }
    // Two zones behind one interface name would merge their rules (and
    // their `any`) on the device.
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for interface in &device.interfaces {
        if let Some(first) = seen.insert(interface.name.as_str(), interface.zone_name.as_str()) {
            problems.push(Unrenderable {
                rule: None,
                message: format!(
                    "`{}` names the interface in zone `{first}` and in zone `{}`; {target} would apply one zone's rules to the other's traffic",
                    interface.name, interface.zone_name
                ),
                help: format!("give each zone its own interface in kojo.kdl's `device \"{}\"` block", device.name),
            });
        }
    }
    for (index, rule) in device.rules.iter().enumerate() {
        let flow = format!("flow {} of conduit `{}`", rule.flow, rule.conduit_name);
        if !caps.ipv6 && rule.sources.nets().chain(rule.destinations.nets()).any(|n| Family::of(n) == Family::V6) {
            problems.push(Unrenderable {
                rule: Some(index),
                message: format!("{flow} has IPv6 hosts, and {target} output here is IPv4-only"),
                help: "choose a format with IPv6 for this device in its `device` block in kojo.kdl".into(),
            });
        }
        if rule.one_way {
            problems.push(Unrenderable {
                rule: Some(index),
                message: format!(
                    "{flow} is in a one-way conduit; a stateful {target} rule set lets replies back, which a data diode does not"
                ),
                help: "enforce one-way conduits with the diode itself and leave its firewall formats out of its `device` block".into(),
            });
        }
        if let Some(window) = &rule.window {
            let clock = match caps.windows {
                Clock::None => {
                    problems.push(Unrenderable {
                        rule: Some(index),
                        message: format!("{flow} is limited to the window {window}, and {target} has no schedules"),
                        help: "choose a format with schedules for this device (nftables, iptables, fortigate, juniper-srx, cisco-asa)".into(),
                    });
                    continue;
                }
                Clock::Utc => "UTC",
                Clock::Device => device.timezone.as_str(),
            };
            if let Err(err) = window.slots_in(clock) {
                problems.push(Unrenderable {
                    rule: Some(index),
                    message: format!("{flow}: {target} schedules run on {clock}, and {}", err.message),
                    help: match caps.windows {
                        Clock::Device => format!(
                            "set the device's clock zone to the window's in kojo.kdl: `device \"{}\" {{ timezone \"{}\" }}`",
                            device.name, window.zone
                        ),
                        _ => "write the window in a zone without daylight saving (or in UTC), or choose a format whose schedules run on the device's clock".into(),
                    },
                });
            }
        }
    }
    problems
}

/// The "target" of a problem of two overlapping function-limited flows.
const OVERLAP: &str = "overlapping limits";

/// A diagnostic at the flow (or the device) a problem concerns.
fn unrenderable(model: &Model, device: &DevicePolicy, target: &str, problem: &Unrenderable) -> Diagnostic {
    let rule = problem.rule.and_then(|i| device.rules.get(i));
    let loc = rule
        .and_then(|r| model.conduit(r.conduit).and_then(|c| c.flows.get(r.flow.saturating_sub(1))).map(|f| f.loc))
        .or_else(|| model.asset(device.device).map(|a| a.loc));
    let label = match rule {
        Some(_) if target == "no selected backend" => format!("no backend built for `{}` enforces this", device.name),
        Some(_) if target == OVERLAP => format!("overlaps another flow of `{}` with other limits", device.name),
        Some(_) => format!("{target} cannot render this flow for `{}`", device.name),
        None => format!("{target} cannot render `{}`", device.name),
    };
    at(model, loc, Code::Unrenderable, problem.message.clone()).with_label(label).with_help(problem.help.clone())
}

fn lower_error(model: &Model, error: &LowerError) -> Diagnostic {
    let conduit = model.conduit(error.conduit);
    let loc = conduit.and_then(|c| c.flows.get(error.flow.saturating_sub(1)).map(|f| f.loc).or(Some(c.loc)));
    at(model, loc, Code::Unrenderable, format!("cannot build `{}`: {}", error.device, error.message))
        .with_label("this flow")
        .with_help(error.help.clone())
}

fn at(model: &Model, loc: Option<kojo_compiler::model::Loc>, code: Code, message: String) -> Diagnostic {
    match loc.and_then(|l| model.file(l.file).map(|f| (f, l.span))) {
        Some((file, span)) => Diagnostic::error(code, file, span, message),
        None => Diagnostic::at_path(code, &model.project, message),
    }
}
