//! Feeds arbitrary bytes to `kojo drift`'s three readers (nft JSON, nft
//! text, iptables-save), which must never panic or hang, and compares what
//! they read with a small device's policy: the walk through chains and the
//! comparison must not panic either, and must end (a budget bounds them).

#![no_main]

use std::sync::OnceLock;

use kojo_backends::drift::{self, iptables, nft_json, nft_text, Ruleset, SourceFormat};
use kojo_backends::policy::DevicePolicy;
use kojo_compiler::MemorySource;
use libfuzzer_sys::fuzz_target;

/// A firewall between two dual-stack zones, one flow each way.
const PLANT: &str = r#"plant "F" { name "Fuzz" }
zone a "A" { subnet 10.1.0.0/24  subnet fd00:1::/64 }
zone b "B" { subnet 10.2.0.0/24  subnet fd00:2::/64 }
asset fw "FW" {
  kind firewall
  interfaces { a 10.1.0.1; b 10.2.0.1 }
}
asset h1 "H1" in a { kind server  ip 10.1.0.10  ip fd00:1::10 }
asset s1 "S1" in b { kind server  ip 10.2.0.10  ip fd00:2::10 }
conduit a_to_b from a to b {
  allow h1 -> s1 port [tcp/502, udp/5000-5010]
  allow any -> s1 service https
  enforced-by fw
}
"#;

/// The device's policy and kojo's own files for it, read back, by format.
struct Fixture {
    device: DevicePolicy,
    nftables: Ruleset,
    iptables: Ruleset,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut source = MemorySource::new("fuzz").with_file("plant.kojo", PLANT);
        source.manifest = Some("project \"fuzz\"\nbackend \"nftables\" \"iptables\"\n".to_string());
        let options = kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() };
        let checked = kojo_compiler::check_with(&source, &options);
        let (model, manifest, catalogue) =
            (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
        let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
        let policy = kojo_backends::build::policy(&request).unwrap();
        let device = policy.devices.first().unwrap().clone();
        let expected = |format: SourceFormat| {
            let artifacts =
                kojo_backends::build::render_one(&request, &policy, &device, drift::backend(format)).unwrap();
            drift::expected(format, &artifacts).unwrap()
        };
        Fixture { nftables: expected(SourceFormat::NftText), iptables: expected(SourceFormat::IptablesSave), device }
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fixture = fixture();
    let readers = [
        nft_json::parse(&text).ok(),
        nft_text::parse(&text).ok(),
        iptables::parse(&text, None).ok(),
        drift::parse(&text).ok(),
    ];
    for ruleset in readers.into_iter().flatten() {
        let expected = match ruleset.format {
            SourceFormat::IptablesSave => &fixture.iptables,
            SourceFormat::NftJson | SourceFormat::NftText => &fixture.nftables,
        };
        let _ = drift::compare(&fixture.device, &ruleset, expected);
    }
});
