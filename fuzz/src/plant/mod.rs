//! A generator of valid plants, driven by fuzz input: zones (trust, tier,
//! role, level, VLANs, IPv4, IPv6 or both), assets of every kind with
//! addresses, services, ports and components, enforcing devices, conduits
//! with services, function limits, raw ports, time windows, one-way and
//! monitored inspection, and a manifest selecting any backends for the
//! project and per device, with interface names and clocks.
//!
//! Every choice is made so that the plant compiles and every selected
//! backend can render it (the refusals of `kojo build` are in
//! docs/backends.md): the `build` target asserts both, so a plant that does
//! not is a bug of the generator or of kojo.

mod extras;
mod manifest;
mod vocab;

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::bytes::Bytes;
pub use manifest::Caps;
use manifest::Device;
pub use vocab::{vocab, Vocab};

/// A generated project: its manifest and its `.kojo` files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plant {
    pub manifest: String,
    pub files: Vec<(String, String)>,
    /// The backends built for some device that enforces a conduit.
    pub backends: BTreeSet<&'static str>,
}

impl Plant {
    pub fn source(&self) -> kojo_compiler::MemorySource {
        let mut source = kojo_compiler::MemorySource::new("generated");
        source.manifest = Some(self.manifest.clone());
        for (name, text) in &self.files {
            source.files.push((name.clone(), text.clone().into_bytes()));
        }
        source
    }

    /// The whole project as text, for a failure message.
    pub fn text(&self) -> String {
        let mut out = format!("--- kojo.kdl\n{}", self.manifest);
        for (name, text) in &self.files {
            let _ = write!(out, "--- {name}\n{text}");
        }
        out
    }
}

/// Which address families the plant uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
    Dual,
}

struct Zone {
    name: String,
    trust: &'static str,
    assets: Vec<usize>,
}

struct Asset {
    name: String,
}

/// Titles with what output formats must escape (quotes, backslashes,
/// comment and statement characters, control characters, other scripts).
const TITLES: [&str; 8] = [
    "Line 1",
    "Control zone / 制御ゾーン",
    "Quote \\\" and backslash \\\\",
    "semi; # hash // slashes /* star */",
    "new\\nline and tab\\t",
    "escape \\u{1b}[31m red",
    "'single' `back` $dollar {brace}",
    "",
];
const WINDOW_DAYS: [&str; 5] = ["Mon-Fri", "Mon,Wed,Fri", "Sat", "Mon-Wed,Sat", "Mon-Sun"];

/// The plant `data` stands for.
pub fn generate(data: &[u8]) -> Plant {
    let mut gen = Gen { b: Bytes::new(data), zones: Vec::new(), assets: Vec::new(), devices: Vec::new(), ports: 0 };
    let family = *gen.b.pick(&[Family::V4, Family::Dual, Family::V6]).unwrap_or(&Family::V4);
    let project = manifest::backends(&mut gen.b);
    let mut zones = String::from("plant \"GEN1\" {\n  name \"Generated plant\"\n  profile meti-factory\n}\n\n");
    for z in 0..gen.b.between(2, 5) {
        gen.zone(z, family, &mut zones);
    }
    let mut assets = String::new();
    for d in 0..gen.b.between(1, 2) {
        gen.device(d, family, &project, &mut assets);
    }
    for z in 0..gen.zones.len() {
        gen.zone_assets(z, family, &mut assets);
    }
    let mut conduits = String::new();
    for c in 0..gen.b.between(1, 6) {
        gen.conduit(c, &project, &mut conduits);
    }
    let names: Vec<&str> = gen.assets.iter().map(|a| a.name.as_str()).collect();
    let zone_names: Vec<&str> = gen.zones.iter().map(|z| z.name.as_str()).collect();
    let extra = extras::write(&mut gen.b, &zone_names, &names);
    let (manifest, backends) = manifest::write(&project, &gen.devices);
    let files = [("plant.kojo", zones), ("assets.kojo", assets), ("conduits.kojo", conduits), ("extra.kojo", extra)]
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(name, text)| (name.to_string(), text))
        .collect();
    Plant { manifest, files, backends }
}

struct Gen<'a> {
    b: Bytes<'a>,
    zones: Vec<Zone>,
    assets: Vec<Asset>,
    devices: Vec<Device>,
    /// Raw ports handed out so far: each flow with raw ports gets its own.
    ports: u16,
}

impl Gen<'_> {
    fn title(&mut self) -> String {
        match self.b.pick(&TITLES) {
            Some(t) if !t.is_empty() => format!(" \"{t}\""),
            _ => String::new(),
        }
    }

    fn zone(&mut self, z: usize, family: Family, out: &mut String) {
        let trust = match self.b.byte() {
            0..=199 => "internal",
            200..=227 => "external",
            _ => "untrusted",
        };
        let title = self.title();
        let suffix = if trust == "internal" && !self.b.chance(64) { String::new() } else { format!(" : {trust}") };
        let _ = writeln!(out, "zone z{z}{title}{suffix} {{");
        if family != Family::V6 {
            let _ = writeln!(out, "  subnet 10.{z}.0.0/24");
        }
        if family != Family::V4 {
            let _ = writeln!(out, "  subnet fd00:{z}::/64");
        }
        if self.b.chance(128) {
            let _ = writeln!(out, "  vlan {}", z + 10);
        }
        if let (true, Some(tier)) = (self.b.chance(64), self.b.pick(&vocab().tiers)) {
            let _ = writeln!(out, "  tier {tier}");
        }
        if trust == "internal" {
            if let (true, Some(role)) = (self.b.chance(48), self.b.pick(&["office", "remote-maintenance"])) {
                let _ = writeln!(out, "  role {role}");
            }
            if let (true, Some(level)) = (self.b.chance(32), self.b.pick(&["0", "1", "2", "3", "4", "5", "dmz"])) {
                let _ = writeln!(out, "  level {level}");
            }
        }
        list(out, "controls", &self.b.some_of(&vocab().zone_controls, 4));
        out.push_str("}\n\n");
        self.zones.push(Zone { name: format!("z{z}"), trust, assets: Vec::new() });
    }

    /// The address of host `host` of zone `z`, in each family the plant uses
    /// (a dual-stack host may leave out its IPv6 address).
    fn addresses(&mut self, z: usize, host: usize, family: Family) -> Vec<String> {
        let v4 = format!("10.{z}.0.{host}");
        let v6 = format!("fd00:{z}::{host:x}");
        match family {
            Family::V4 => vec![v4],
            Family::V6 => vec![v6],
            Family::Dual if self.b.chance(160) => vec![v4, v6],
            Family::Dual => vec![v4],
        }
    }

    fn device(&mut self, d: usize, family: Family, project: &[&'static str], out: &mut String) {
        let kind = self.b.pick(&vocab().enforcing).cloned().unwrap_or_else(|| "firewall".into());
        let mut zones: Vec<usize> = (0..self.zones.len()).filter(|_| d == 0 || self.b.chance(160)).collect();
        if zones.len() < 2 {
            zones = vec![0, 1];
        }
        let title = self.title();
        let _ = writeln!(out, "asset d{d}{title} {{\n  kind {kind}\n  interfaces {{");
        for &z in &zones {
            // The first address only: a device has one address per zone.
            let address = self.addresses(z, d + 1, family).swap_remove(0);
            let _ = writeln!(out, "    z{z} {address}");
        }
        out.push_str("  }\n");
        list(out, "controls", &self.b.some_of(&vocab().asset_controls, 3));
        out.push_str("}\n\n");
        self.devices.push(Device::new(&mut self.b, format!("d{d}"), &kind, zones, project));
    }

    fn zone_assets(&mut self, z: usize, family: Family, out: &mut String) {
        let v = vocab();
        for host in 0..self.b.between(0, 3) {
            let name = format!("a{}", self.assets.len());
            let kind = self.b.pick(&v.kinds).cloned().unwrap_or_else(|| "server".into());
            let title = self.title();
            let _ = writeln!(out, "asset {name}{title} in z{z} {{\n  kind {kind}");
            for address in self.addresses(z, host + 10, family) {
                let _ = writeln!(out, "  ip {address}");
            }
            if self.b.chance(64) {
                out.push_str("  vendor \"ExampleCorp\" model \"X-100\" firmware \"1.05\"\n");
            }
            let services: Vec<&String> = self.b.some_of(&v.services, 3).into_iter().map(|s| &s.id).collect();
            list(out, "services", &services);
            list(out, "controls", &self.b.some_of(&v.asset_controls, 4));
            self.extras(out);
            out.push_str("}\n\n");
            if let Some(zone) = self.zones.get_mut(z) {
                zone.assets.push(self.assets.len());
            }
            self.assets.push(Asset { name });
        }
    }

    /// Ports, software, capabilities, a component and impact, now and then.
    fn extras(&mut self, out: &mut String) {
        let v = vocab();
        let kinds = self.b.some_of(&v.port_kinds, 3);
        if !kinds.is_empty() {
            let ports: Vec<String> = kinds
                .iter()
                .map(|k| format!("{k} {}", self.b.pick(&v.port_states).map_or("", |s| s.as_str())))
                .collect();
            let _ = writeln!(out, "  ports {{ {} }}", ports.join("; "));
        }
        if self.b.chance(48) {
            list(out, "software", &self.b.some_of(&["packaged-software", "in-house-program", "external-service"], 2));
        }
        if self.b.chance(48) {
            list(out, "capabilities", &self.b.some_of(&v.capabilities, 3));
        }
        if self.b.chance(48) {
            out.push_str("  component \"Runtime\" {\n    kind operating-system\n    version \"2.1\"\n    vendor \"Example\"\n    purl \"pkg:generic/example/runtime@2.1\"\n    cpe \"cpe:2.3:o:example:runtime:2.1:*:*:*:*:*:*:*\"\n  }\n");
        }
        impact(&mut self.b, out);
    }

    fn conduit(&mut self, c: usize, project: &[&'static str], out: &mut String) {
        let d = self.b.below(self.devices.len());
        let Some(device) = self.devices.get(d) else { return };
        let caps = device.caps(project);
        let (from, to) = {
            let zones = &device.zones;
            let from = self.b.below(zones.len());
            let to = (from + 1 + self.b.below(zones.len() - 1)) % zones.len();
            (zones.get(from).copied().unwrap_or(0), zones.get(to).copied().unwrap_or(1))
        };
        let enforced = !self.b.chance(12);
        let window = if caps.windows.is_empty() || !self.b.chance(64) { None } else { Some(self.window(&caps)) };
        // An ASA clears a window's connections by protocol, port and
        // address: its windowed flows get ports of their own.
        let raw_only = window.is_some() && caps.asa;
        // Decided before the flows: two flows with the same limits, one
        // watched and one inline, would overlap on the gateway.
        let watched = self.b.chance(32);
        let monitor = watched || !caps.inline;
        let title = self.title();
        let _ = writeln!(out, "conduit c{c}{title} from z{from} to z{to} {{");
        let mut limited = false;
        for _ in 0..self.b.between(1, 3) {
            let (Some(src), Some(dst)) = (self.endpoint(from, &caps), self.endpoint(to, &caps)) else { continue };
            let (what, limit) = self.what(d, enforced && caps.functions, enforced, raw_only, monitor);
            let functions = limit.map(|l| format!(" {{ functions [{}] }}", l.join(", "))).unwrap_or_default();
            limited |= !functions.is_empty();
            let _ = writeln!(out, "  allow {src} -> {dst} {what}{functions}");
        }
        list(out, "controls", &self.b.some_of(&vocab().conduit_controls, 4));
        if enforced {
            let _ = writeln!(out, "  enforced-by d{d}");
            if let Some(device) = self.devices.get_mut(d) {
                device.enforces += 1;
            }
        }
        if let Some(window) = window {
            let _ = writeln!(out, "  window \"{window}\"");
        }
        if caps.one_way && self.b.chance(64) {
            out.push_str("  one-way\n");
        }
        if (limited && !caps.inline) || watched {
            out.push_str("  inspection monitor\n");
        }
        out.push_str("}\n\n");
    }

    /// `any`, an asset or a list of assets of zone `z`; `None` when the
    /// zone has no asset and `any` is not possible.
    fn endpoint(&mut self, z: usize, caps: &Caps) -> Option<String> {
        let zone = self.zones.get(z)?;
        // An ASA access list cannot tell interfaces apart: `any` outside
        // the site could cross between two of its conduits.
        let any_ok = !(caps.asa && zone.trust != "internal");
        let assets = zone.assets.clone();
        let names = |ids: Vec<&usize>| -> Vec<String> {
            ids.into_iter().filter_map(|&i| self.assets.get(i)).map(|a| a.name.clone()).collect()
        };
        match self.b.below(3) {
            _ if assets.is_empty() => any_ok.then(|| "any".to_string()),
            0 if any_ok => Some("any".to_string()),
            2 => {
                let chosen = names(self.b.some_of(&assets, 3));
                Some(if chosen.is_empty() {
                    names(assets.first().into_iter().collect()).join("")
                } else {
                    format!("[{}]", chosen.join(", "))
                })
            }
            _ => Some(names(vec![self.b.pick(&assets)?]).join("")),
        }
    }

    /// What a flow allows (`service …` or `port …`) and the functions it is
    /// limited to. Services whose ports a flow with other limits already
    /// uses on the device give way to raw ports of the flow's own.
    fn what(
        &mut self,
        d: usize,
        functions: bool,
        enforced: bool,
        raw_only: bool,
        monitor: bool,
    ) -> (String, Option<Vec<String>>) {
        let v = vocab();
        let mode = if raw_only { 2 } else { self.b.below(3) };
        let chosen: Vec<&vocab::Service> = match mode {
            // Services a gateway inspects, more often than their share.
            0 if functions && self.b.chance(96) => {
                self.b.pick(&v.limitable).and_then(|&i| v.services.get(i)).into_iter().collect()
            }
            0 => self.b.pick(&v.services).into_iter().collect(),
            1 => self.b.some_of(&v.services, 3),
            _ => Vec::new(),
        };
        if !chosen.is_empty() && enforced {
            let single = chosen.len() == 1;
            if let Some(device) = self.devices.get_mut(d) {
                if let Some(limit) = device.claim(&mut self.b, &chosen, single, functions, monitor) {
                    let ids: Vec<&str> = chosen.iter().map(|s| s.id.as_str()).collect();
                    return (service_text(&ids), limit);
                }
            }
        } else if !chosen.is_empty() {
            let ids: Vec<&str> = chosen.iter().map(|s| s.id.as_str()).collect();
            return (service_text(&ids), None);
        }
        self.ports += 1;
        let n = self.ports;
        let port = match self.b.below(3) {
            0 => format!("port tcp/{}", 30000 + n),
            1 => format!("port udp/{}", 31000 + n),
            _ => format!("port [tcp/{}-{}, udp/{}]", 32000 + 10 * n, 32005 + 10 * n, 31000 + n),
        };
        (port, None)
    }

    fn window(&mut self, caps: &Caps) -> String {
        let days = self.b.pick(&WINDOW_DAYS).copied().unwrap_or("Mon-Fri");
        let start = self.b.between(1, 12);
        let end = start + self.b.between(1, 10);
        let minutes = if self.b.chance(64) { 30 } else { 0 };
        let zone = self.b.pick(&caps.windows).copied().unwrap_or("UTC");
        format!("{days} {start:02}:{minutes:02}-{end:02}:00 {zone}")
    }
}

fn service_text(ids: &[&str]) -> String {
    match ids {
        [one] => format!("service {one}"),
        _ => format!("service [{}]", ids.join(", ")),
    }
}

/// `  NAME [a, b]`, or nothing for an empty list (now and then `[]`).
fn list<S: AsRef<str>>(out: &mut String, name: &str, items: &[S]) {
    if items.is_empty() {
        return;
    }
    let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    let _ = writeln!(out, "  {name} [{}]", items.join(", "));
}

/// `  impact { AXIS LEVEL; … }`, on distinct axes, now and then.
fn impact(b: &mut Bytes<'_>, out: &mut String) {
    let v = vocab();
    // Axes by ID and short code alternate: take every other one.
    let axes: Vec<&String> = v.axes.iter().step_by(2).collect();
    let chosen = b.some_of(&axes, 3);
    if chosen.is_empty() {
        return;
    }
    let ratings: Vec<String> =
        chosen.iter().map(|a| format!("{a} {}", b.pick(&v.levels).map_or("low", |l| l.as_str()))).collect();
    let _ = writeln!(out, "  impact {{ {} }}", ratings.join("; "));
}

/// Checks `plant` and builds it twice: it must compile without errors
/// (findings are fine), every selected backend must render it, the two
/// builds must give the same files byte for byte, and every firewall
/// format a device selects must write its file. Returns the files, or
/// what went wrong.
pub fn check_and_build(plant: &Plant) -> Result<Vec<kojo_backends::Artifact>, String> {
    use kojo_lang::{Code, Severity};
    let options =
        kojo_compiler::Options { backends: kojo_backends::names(), today: crate::today(), ..Default::default() };
    let checked = kojo_compiler::check_with(&plant.source(), &options);
    let errors: Vec<kojo_lang::Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code != Code::Finding && d.severity == Severity::Error)
        .cloned()
        .collect();
    if !errors.is_empty() || checked.dropped.errors > 0 {
        return Err(format!("the plant does not compile:\n{}", kojo::report::render_all(&errors, false)));
    }
    let (Some(model), Some(manifest), Some(catalogue)) = (&checked.model, &checked.manifest, &checked.catalogue) else {
        return Err("a plant without errors has no model".into());
    };
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    let build = || {
        kojo_backends::build(&request)
            .map(|b| b.artifacts)
            .map_err(|refused| format!("the build refused the plant:\n{}", kojo::report::render_all(&refused, false)))
    };
    let (first, second) = (build()?, build()?);
    let files = |artifacts: &[kojo_backends::Artifact]| -> Vec<(String, String)> {
        artifacts.iter().map(|a| (a.path.clone(), a.content.clone())).collect()
    };
    if files(&first) != files(&second) {
        return Err("two builds of one model differ".into());
    }
    // Gateways write only for devices they concern; firewalls always do.
    for name in &plant.backends {
        let firewall =
            kojo_backends::backend(name).is_some_and(|b| b.capabilities().kind == kojo_backends::Kind::Firewall);
        if firewall && !first.iter().any(|a| a.backend == *name) {
            return Err(format!("{name} wrote nothing"));
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs from a fixed xorshift stream: the generator must give plants
    /// that compile and build, whatever it is fed.
    #[test]
    fn generated_plants_compile_and_build() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut reached = BTreeSet::new();
        for round in 0..300 {
            let data: Vec<u8> = (0..64 + round % 200)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state.to_le_bytes()[0]
                })
                .collect();
            let plant = generate(&data);
            if let Err(problem) = check_and_build(&plant) {
                panic!("round {round}: {problem}\n{}", plant.text());
            }
            reached.extend(plant.backends.iter().copied());
        }
        let every: BTreeSet<&str> = kojo_backends::names().iter().copied().collect();
        assert_eq!(reached, every, "every backend is built for some plant");
    }

    #[test]
    fn a_plant_that_does_not_compile_or_build_is_reported() {
        let mut plant = generate(&[]);
        plant.files.push(("bad.kojo".into(), "asset x in nowhere { kind plc }\n".into()));
        assert!(check_and_build(&plant).is_err_and(|e| e.contains("does not compile")));
        // nftables keeps state: replies would pass a one-way conduit.
        let mut plant = generate(&[]);
        let one_way = "conduit back from z1 to z0 {\n  allow any -> any port tcp/9\n  one-way\n  enforced-by d0\n}\n";
        plant.files.push(("one-way.kojo".into(), one_way.into()));
        assert!(check_and_build(&plant).is_err_and(|e| e.contains("refused")), "{}", plant.text());
    }

    /// A failing plant is printed as a container: saved, it is an input
    /// of the `check` target for the same project.
    #[test]
    fn a_plant_as_text_is_a_check_input() {
        let plant = generate(&[7; 64]);
        let mut read = crate::container::project(plant.text().as_bytes());
        let mut source = plant.source();
        read.files.sort();
        source.files.sort();
        assert_eq!((read.manifest, read.files), (source.manifest, source.files));
    }

    #[test]
    fn the_empty_input_is_a_plant_too() {
        let plant = generate(&[]);
        assert_eq!(plant.backends, ["nftables"].into_iter().collect());
        assert!(check_and_build(&plant).is_ok_and(|files| !files.is_empty()), "{}", plant.text());
    }
}
