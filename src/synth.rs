//! Synthetic plants for benchmarks: N assets in zones of ~50, about half as
//! many conduits as assets, each with a few flows, all through one core
//! firewall. The same size and seed always give the same files.
//!
//! The manifest can also select backends and an output directory, so the
//! same plant serves `kojo check` and `kojo build` benchmarks.

use std::fmt::Write;

/// The shape of a synthetic plant.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    pub assets: usize,
    pub conduits: usize,
    pub seed: u64,
    /// Modbus flows are limited to `functions [read]`. A build must then
    /// select a backend that inspects Modbus (`suricata`), and the conduits
    /// say `inspection monitor` when a vendor format is selected; without the
    /// limits the plant builds with packet filters alone, which is what a
    /// comparison with other firewall generators needs.
    pub functions: bool,
}

impl Params {
    /// `assets` assets and half as many conduits, Modbus limited to `read`.
    pub fn with_assets(assets: usize) -> Self {
        Params { assets, conduits: assets / 2, seed: 42, functions: true }
    }
}

/// What the generated `kojo.kdl` asks `kojo build` for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Build {
    /// Backends by manifest name; none: the plant only checks.
    pub backends: Vec<String>,
    /// The output directory; none: kojo's default (`build`).
    pub output: Option<String>,
}

impl Build {
    /// Builds these backends into the default output directory.
    pub fn backends<S: AsRef<str>>(names: &[S]) -> Self {
        Build { backends: names.iter().map(|n| n.as_ref().to_string()).collect(), output: None }
    }
}

/// The manifest: the project, its profile, and what it builds.
fn manifest(build: &Build) -> String {
    let mut text = "project \"synthetic\"\nprofile \"meti-factory\"\n".to_string();
    if let Some(output) = &build.output {
        let _ = writeln!(text, "output {output:?}");
    }
    if !build.backends.is_empty() {
        let names: Vec<String> = build.backends.iter().map(|b| format!("{b:?}")).collect();
        let _ = writeln!(text, "backend {}", names.join(" "));
    }
    text
}

/// xorshift64*: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or_default()
    }
}

const KINDS: [&str; 6] = ["plc", "hmi", "server", "workstation", "sensor", "equipment"];
const SERVICES: [&str; 6] = ["modbus-tcp", "opc-ua", "https", "s7comm", "ethernet-ip", "ssh"];
const ASSETS_PER_ZONE: usize = 50;
const FILES: usize = 10;

fn zone_net(zone: usize) -> (usize, usize) {
    (zone / 256, zone % 256)
}

/// Controls that meet every requirement of `meti-factory` that applies to
/// `applies` (every control of `all_of` and the first of `any_of`), as a
/// kojo list body. A plant that has adopted the guideline declares these;
/// the benchmark plant does, so it measures a realistic check rather than
/// one drowned in findings.
fn adopted_controls(applies: &[kojo_stdlib::Applies]) -> String {
    let Ok(catalogue) = kojo_stdlib::Catalogue::builtin() else { return String::new() };
    let proven = ["firewall", "protocol-allowlist", "segmentation-vlan", "time-window"];
    let mut controls: Vec<&str> = catalogue
        .profile("meti-factory")
        .map(|p| p.requirements.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|r| applies.contains(&r.applies_to))
        .flat_map(|r| r.all_of.iter().chain(r.any_of.first()).map(String::as_str))
        .filter(|c| !proven.contains(c))
        .collect();
    controls.sort_unstable();
    controls.dedup();
    controls.join(", ")
}

/// The plant as `(file name, text)` pairs, with a manifest named `kojo.kdl`
/// that selects no backend.
pub fn plant(params: Params) -> Vec<(String, String)> {
    plant_building(params, &Build::default())
}

/// The plant, with a manifest that builds `build`.
pub fn plant_building(params: Params, build: &Build) -> Vec<(String, String)> {
    use kojo_stdlib::Applies;
    let zone_controls = adopted_controls(&[Applies::Zone, Applies::Asset]);
    let conduit_controls = adopted_controls(&[Applies::Conduit]);
    let mut rng = Rng(params.seed.max(1));
    let zones = params.assets.div_ceil(ASSETS_PER_ZONE).max(2);
    let mut out = vec![("kojo.kdl".to_string(), manifest(build))];

    let mut text = String::from("plant \"SYN\" {\n  name \"Synthetic plant\"\n  profile meti-factory\n}\n\n");
    for z in 0..zones {
        let (hi, lo) = zone_net(z);
        let _ = writeln!(
            text,
            "zone z{z} \"Zone {z}\" {{\n  subnet 10.{hi}.{lo}.0/24\n  vlan {}\n  controls [{zone_controls}]\n}}\n",
            z % 4094 + 1
        );
    }
    text.push_str("asset core_fw \"Core firewall\" {\n  kind firewall\n  interfaces {\n");
    for z in 0..zones {
        let (hi, lo) = zone_net(z);
        let _ = writeln!(text, "    z{z} 10.{hi}.{lo}.1");
    }
    text.push_str("  }\n}\n");
    out.push(("zones.kojo".to_string(), text));

    let per_file = params.assets.div_ceil(FILES).max(1);
    for (f, chunk) in (0..params.assets).collect::<Vec<_>>().chunks(per_file).enumerate() {
        let mut text = String::new();
        for &a in chunk {
            let zone = a / ASSETS_PER_ZONE;
            let (hi, lo) = zone_net(zone);
            let host = a % ASSETS_PER_ZONE + 10;
            let kind = rng.pick(&KINDS);
            let _ = writeln!(
                text,
                "asset a{a} \"Asset {a}\" in z{zone} {{\n  kind {kind}\n  ip 10.{hi}.{lo}.{host}\n  services [{}]\n  controls [individual-id, log-forwarding]\n}}\n",
                rng.pick(&SERVICES)
            );
        }
        out.push((format!("assets-{f:02}.kojo"), text));
    }

    // A firewall format that cannot send a flow through Suricata inline
    // (the vendor formats) is refused inline limits, so a plant built with
    // one watches its function limits instead.
    let monitor =
        build.backends.iter().filter_map(|name| kojo_backends::backend(name)).any(|b| {
            b.capabilities().kind == kojo_backends::Kind::Firewall && !b.sends_inline() && !b.describes_only()
        });
    let watched_controls = conduit_controls.split(", ").filter(|c| *c != "ips").collect::<Vec<_>>().join(", ");
    let per_file = params.conduits.div_ceil(FILES).max(1);
    let asset_in = |rng: &mut Rng, zone: usize| {
        let first = zone * ASSETS_PER_ZONE;
        let count = ASSETS_PER_ZONE.min(params.assets.saturating_sub(first)).max(1);
        first + rng.below(count)
    };
    for (f, chunk) in (0..params.conduits).collect::<Vec<_>>().chunks(per_file).enumerate() {
        let mut text = String::new();
        for &c in chunk {
            let from = rng.below(zones);
            let to = (from + 1 + rng.below(zones - 1)) % zones;
            let _ = writeln!(text, "conduit c{c} \"Conduit {c}\" from z{from} to z{to} {{");
            let mut limited = false;
            for _ in 0..1 + rng.below(3) {
                let (src, dst) = (asset_in(&mut rng, from), asset_in(&mut rng, to));
                let service = rng.pick(&SERVICES);
                let functions = if params.functions && service == "modbus-tcp" { " { functions [read] }" } else { "" };
                limited |= !functions.is_empty();
                let _ = writeln!(text, "  allow a{src} -> a{dst} service {service}{functions}");
            }
            // A monitored conduit is an IDS: claiming `ips` would contradict it.
            let (controls, inspection) = if limited && monitor {
                (&watched_controls, "\n  inspection monitor")
            } else {
                (&conduit_controls, "")
            };
            let _ = writeln!(text, "  controls [{controls}]\n  enforced-by core_fw{inspection}\n}}\n");
        }
        out.push((format!("conduits-{f:02}.kojo"), text));
    }

    let mut text = String::new();
    let groups = (params.assets / 100).max(1);
    for g in 0..groups {
        let zone = rng.below(zones);
        let a = asset_in(&mut rng, zone);
        let _ = writeln!(
            text,
            "data d{g} \"Data {g}\" {{\n  impact {{ quality high; continuity mid }}\n  stored-on [a{a}]\n}}\n\noperation o{g} \"Operation {g}\" {{\n  impact {{ safety mid; continuity high; quality high; delivery mid; cost low }}\n  zones [z{zone}]\n  data [d{g}]\n}}\n"
        );
    }
    out.push(("operations.kojo".to_string(), text));
    out
}

/// The plant as an in-memory project.
pub fn source(params: Params) -> kojo_compiler::MemorySource {
    source_building(params, &Build::default())
}

/// The plant as an in-memory project whose manifest builds `build`.
pub fn source_building(params: Params, build: &Build) -> kojo_compiler::MemorySource {
    let mut source = kojo_compiler::MemorySource::new("synthetic");
    for (name, text) in plant_building(params, build) {
        if name == "kojo.kdl" {
            source.manifest = Some(text);
        } else {
            source.files.push((name, text.into_bytes()));
        }
    }
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_plants_check_clean_and_are_deterministic() {
        let params = Params::with_assets(500);
        assert_eq!(plant(params), plant(params));
        let checked = kojo_compiler::check(&source(params), &[]);
        let language: Vec<_> =
            checked.diagnostics.iter().filter(|d| d.code != kojo_lang::Code::Finding).cloned().collect();
        assert!(language.is_empty(), "{}", crate::report::render_all(&language, false));
        let model = checked.model.unwrap();
        assert_eq!(model.assets.len(), 501);
        assert_eq!(model.conduits.len(), 250);
    }

    #[test]
    fn the_manifest_selects_what_to_build_and_the_plant_stays_the_same() {
        let params = Params::with_assets(200);
        let build = Build { backends: vec!["nftables".into(), "json".into()], output: Some("out".into()) };
        let (plain, building) = (plant(params), plant_building(params, &build));
        assert_eq!(plain[0].1, "project \"synthetic\"\nprofile \"meti-factory\"\n");
        assert_eq!(
            building[0].1,
            "project \"synthetic\"\nprofile \"meti-factory\"\noutput \"out\"\nbackend \"nftables\" \"json\"\n"
        );
        assert_eq!(plain[1..], building[1..]);
        let checked = kojo_compiler::check_with(
            &source_building(params, &build),
            &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
        );
        let manifest = checked.manifest.unwrap();
        assert_eq!(manifest.backends.len(), 2);
        assert_eq!(manifest.output.unwrap().value, "out");
    }

    #[test]
    fn a_plant_for_every_backend_builds_and_watches_its_limits() {
        let params = Params::with_assets(300);
        let every = Build::backends(kojo_backends::names());
        let files = plant_building(params, &every);
        assert!(files.iter().any(|(_, t)| t.contains("inspection monitor")));
        let checked = kojo_compiler::check_with(
            &source_building(params, &every),
            &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
        );
        let (model, catalogue, manifest) =
            (checked.model.unwrap(), checked.catalogue.unwrap(), checked.manifest.unwrap());
        let request =
            kojo_backends::Request { model: &model, catalogue: &catalogue, tiers: &checked.tiers, manifest: &manifest };
        assert!(kojo_backends::build(&request).is_ok(), "every backend builds the plant");
        // Built for Linux formats and Suricata only, the limits are inline.
        let linux = plant_building(params, &Build::backends(&["nftables", "suricata"]));
        assert!(!linux.iter().any(|(_, t)| t.contains("inspection monitor")));
    }

    #[test]
    fn without_functions_only_the_function_limits_go() {
        let with = Params::with_assets(500);
        let without = Params { functions: false, ..with };
        let (a, b) = (plant(with), plant(without));
        let limited = |files: &[(String, String)]| {
            files.iter().map(|(_, t)| t.matches("functions [read]").count()).sum::<usize>()
        };
        assert!(limited(&a) > 0);
        assert_eq!(limited(&b), 0);
        for ((_, x), (_, y)) in a.iter().zip(&b) {
            assert_eq!(x.replace(" { functions [read] }", ""), *y);
        }
        let checked = kojo_compiler::check(&source(without), &[]);
        assert!(checked.diagnostics.iter().all(|d| d.code == kojo_lang::Code::Finding));
    }
}
