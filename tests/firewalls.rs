//! The nftables and iptables backends: golden files of the example plant and
//! of a small dual-stack lab, every file accepted by the real loaders
//! (`nft -c -f`, `iptables-restore --test`, `ip6tables-restore --test`), the
//! lab loaded for real in a throw-away network namespace to pin down how
//! windows are read, every rule line traced to its flow, and the flows
//! these formats refuse.
//!
//! The loaders must be installed (`apt-get install -y nftables iptables`)
//! and the tests run as root; without them the tests fail, unless
//! `KOJO_SKIP_TOOLS=1` says to skip the tool runs. On a kernel without
//! nftables' `queue` expression, `nft -c` checks files with inline flows
//! with the queue replaced by `drop`, and the test prints that it did.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[path = "netfilter/queue.rs"]
mod queue;

use std::path::Path;
use std::process::{Command, Output};

use kojo_backends::{Artifact, Backend};
use kojo_lang::Diagnostic;

const EXAMPLE: &str = "examples/guideline-factory";

/// A dual-stack lab: `any` on both kinds of zone, raw ports, port ranges,
/// DNS on both transports, host lists, a window in Tokyo time and one in UTC.
const LAB: &[(&str, &str)] = &[
    ("kojo.kdl", "project \"lab\"\nprofile \"meti-factory\"\nbackend \"nftables\" \"iptables\"\ndevice \"fw1\" {\n  interface \"internet\" \"wan0\"\n  interface \"control\" \"eth1\"\n}\n"),
    (
        "lab.kojo",
        r#"plant "LAB1" { profile meti-factory }

zone internet "Internet" : untrusted
zone vendor "Vendor centre" : external
zone office "Office" {
  subnet 10.10.0.0/24
  subnet fd00:10::/64
}
zone control "Control" {
  subnet 10.20.0.0/24
  subnet fd00:20::/64
  tier high
}

asset fw1 "Lab firewall" {
  kind firewall
  interfaces { internet 203.0.113.1; vendor 198.51.100.1; office 10.10.0.1; control fd00:20::1 }
}
asset pc1 "Dual-stack PC" in office { kind workstation; ip 10.10.0.10; ip fd00:10::10 }
asset pc2 "IPv4 PC" in office { kind workstation; ip 10.10.0.11 }
asset plc1 "PLC" in control { kind plc; ip 10.20.0.10 }
asset scada "SCADA" in control { kind scada; ip 10.20.0.20; ip fd00:20::20 }
asset hist "Historian" in control { kind server; ip fd00:20::30 }
asset vendor_ops "Vendor terminal" in vendor { kind workstation; ip 198.51.100.50 }

conduit office_to_control "Office to the floor" from office to control {
  allow [pc1, pc2] -> [plc1, scada] service modbus-tcp
  allow pc1 -> hist port [tcp/8080, udp/5000-5010]
  allow any -> scada service [https, dns]
  controls [firewall, device-logs]
  enforced-by fw1
}

conduit internet_to_office "Web server, office hours in Tokyo" from internet to office {
  allow any -> pc1 service https
  controls [firewall]
  enforced-by fw1
  window "Mon-Fri 09:00-18:00 Asia/Tokyo"
}

conduit control_to_internet "Updates" from control to internet {
  allow scada -> any port tcp/443
  controls [firewall]
  enforced-by fw1
}

conduit vendor_to_control "Vendor maintenance on Saturday nights" from vendor to control {
  allow vendor_ops -> plc1 service https
  allow any -> any port tcp/102
  controls [firewall]
  enforced-by fw1
  window "Sat 22:00-24:00 UTC"
}

conduit internet_to_vendor "The vendor's tunnel" from internet to vendor {
  allow any -> any port udp/500
  controls [firewall]
  enforced-by fw1
}
"#,
    ),
];

/// `backend`'s files for every enforcing device of the project in `dir`.
///
/// `render_backend` renders every enforcing device, also those whose
/// `device` block in kojo.kdl selects a vendor format and names their
/// interfaces the vendor's way (`ge-0/0/0`, which Linux cannot have); with
/// `own_names` false those blocks are left out, so such devices get their
/// zones' names and render as the Linux firewall they could be.
fn render(dir: &Path, backend: &dyn Backend, own_names: bool) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    let checked = kojo_compiler::check_with(
        &kojo_compiler::DiskSource::new(dir),
        &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
    );
    let errors: Vec<&Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == kojo_lang::Severity::Error && d.code != kojo_lang::Code::Finding)
        .collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", dir.display());
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    let mut manifest = manifest.clone();
    if !own_names {
        manifest
            .devices
            .retain(|d| d.backends.as_ref().is_none_or(|list| list.iter().any(|b| b.value == backend.name())));
    }
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest: &manifest };
    kojo_backends::render_backend(&request, backend)
}

fn render_dir(dir: &Path, backend: &dyn Backend) -> Result<Vec<Artifact>, Vec<Diagnostic>> {
    render(dir, backend, false)
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn firewalls() -> [&'static dyn Backend; 2] {
    [&kojo_backends::nftables::NFTABLES, &kojo_backends::iptables::IPTABLES]
}

/// Every file of both backends for the example plant and the lab.
fn all_artifacts() -> Vec<(&'static str, Artifact)> {
    let lab = project(LAB);
    let mut out = Vec::new();
    for backend in firewalls() {
        for (plant, dir) in [("example", Path::new(EXAMPLE)), ("lab", lab.path())] {
            let artifacts = render_dir(dir, backend).unwrap_or_else(|d| panic!("{plant}: {d:#?}"));
            out.extend(artifacts.into_iter().map(|a| (plant, a)));
        }
    }
    out
}

fn skip_tools() -> bool {
    std::env::var("KOJO_SKIP_TOOLS").is_ok_and(|v| v == "1")
}

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("`{program}` did not run ({e}): install it (apt-get install -y nftables iptables util-linux) and run as root, or set KOJO_SKIP_TOOLS=1")
    })
}

fn assert_ok(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn golden_files() {
    for (plant, artifact) in all_artifacts() {
        let name = format!("{plant}__{}", artifact.path.replace('/', "__"));
        insta::assert_snapshot!(name, artifact.content);
    }
}

#[test]
fn one_table_per_device_and_both_iptables_families() {
    let paths: Vec<String> =
        all_artifacts().into_iter().filter(|(p, _)| *p == "example").map(|(_, a)| a.path).collect();
    assert_eq!(
        paths,
        [
            "fw_floor/nftables.nft",
            "fw_ot/nftables.nft",
            "fw_rm/nftables.nft",
            "vpn_fw/nftables.nft",
            "fw_floor/ip6tables.rules",
            "fw_floor/iptables.rules",
            "fw_ot/ip6tables.rules",
            "fw_ot/iptables.rules",
            "fw_rm/ip6tables.rules",
            "fw_rm/iptables.rules",
            "vpn_fw/ip6tables.rules",
            "vpn_fw/iptables.rules",
        ]
    );
}

#[test]
fn the_loaders_accept_every_file() {
    if skip_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (plant, artifact) in all_artifacts() {
        let file = dir.path().join(format!("{plant}-{}", artifact.path.replace('/', "-")));
        // Without nft_queue in this kernel, `nft -c` checks the file with the
        // gateway's queue replaced by `drop`, and says so.
        let (content, note) = queue::loadable(&artifact.content, &format!("{plant} {}", artifact.path));
        if let Some(note) = note {
            eprintln!("{note}");
        }
        std::fs::write(&file, content).unwrap();
        let file = file.to_str().unwrap();
        let output = match artifact.path.rsplit('/').next().unwrap() {
            "nftables.nft" => run("nft", &["-c", "-f", file]),
            "iptables.rules" => run("iptables-restore", &["--test", file]),
            "ip6tables.rules" => run("ip6tables-restore", &["--test", file]),
            other => panic!("unexpected file {other}"),
        };
        assert_ok(&format!("{plant} {}", artifact.path), &output);
    }
}

/// Loads the lab in a new network namespace (twice, as a redeploy would),
/// with the loading shell in Tokyo time, and reads the windows back in UTC.
#[test]
fn the_lab_loads_and_windows_are_utc() {
    if skip_tools() {
        return;
    }
    let lab = project(LAB);
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for backend in firewalls() {
        for artifact in render_dir(lab.path(), backend).unwrap() {
            let file = dir.path().join(artifact.path.replace('/', "-"));
            std::fs::write(&file, &artifact.content).unwrap();
            files.push(file.to_str().unwrap().to_string());
        }
    }
    let [nft, ip6, ip4] = files.as_slice() else { panic!("{files:?}") };
    let script = format!(
        "set -e; export TZ=Asia/Tokyo; nft -f {nft}; nft -f {nft}; TZ=UTC nft list table inet kojo; \
         iptables-restore {ip4}; ip6tables-restore {ip6}; iptables -S; ip6tables -S"
    );
    let output = run("unshare", &["--net", "sh", "-c", &script]);
    assert_ok("loading the lab in a network namespace", &output);
    let listing = String::from_utf8_lossy(&output.stdout);
    // Mon-Fri 09:00-18:00 in Tokyo is 00:00-09:00 UTC, whatever the shell's TZ.
    assert!(
        listing.contains(
            "meta day { \"Monday\", \"Tuesday\", \"Wednesday\", \"Thursday\", \"Friday\" } meta hour \"00:00\"-\"08:59:59\""
        ),
        "{listing}"
    );
    assert!(listing.contains("meta day \"Saturday\" meta hour \"22:00\"-\"23:59:59\""), "{listing}");
    assert!(listing.contains("--timestart 00:00:00 --timestop 08:59:59 --weekdays Mon,Tue,Wed,Thu,Fri"), "{listing}");
    assert!(listing.contains("-s fd00:10::10/128 -d fd00:20::30/128 -p udp -m udp --dport 5000:5010"), "{listing}");
}

/// Every rule line carries its flow's comment and is traced to that flow;
/// nothing else is traced but the window notes above them.
#[test]
fn every_rule_line_is_traced_to_its_flow() {
    for (plant, artifact) in all_artifacts() {
        let mut rules = 0;
        for (n, line) in artifact.content.lines().enumerate() {
            let trace = artifact.trace(n + 1);
            let comment = line.split("comment \"kojo: conduit ").nth(1);
            match (comment, trace) {
                (Some(comment), Some(trace)) => {
                    rules += 1;
                    let expected = format!("{} flow {}\"", trace.conduit, trace.flow);
                    assert!(trace.origin.contains(".kojo:"), "the trace still knows the source line");
                    assert!(comment.starts_with(&expected), "{plant} {}:{}: {line}", artifact.path, n + 1);
                }
                (None, Some(trace)) => {
                    // A verdict map's element has no comment: its ticket is
                    // that of a line of the same flow that has one.
                    let ticket = line.trim_start().split(' ').next().filter(|w| w.starts_with("0x"));
                    let same_flow = |ticket: &str| {
                        let flow = format!("comment \"kojo: conduit {} flow {}\"", trace.conduit, trace.flow);
                        artifact
                            .content
                            .lines()
                            .any(|l| l.contains(&flow) && l.contains(&format!("ct mark set {ticket}")))
                    };
                    assert!(
                        line.trim_start().starts_with("# window ") || ticket.is_some_and(same_flow),
                        "{plant} {}:{}: {line}",
                        artifact.path,
                        n + 1
                    )
                }
                (Some(_), None) => panic!("{plant} {}:{} is not traced: {line}", artifact.path, n + 1),
                (None, None) => {}
            }
        }
        assert!(rules > 0 || artifact.path.ends_with("ip6tables.rules"), "{plant} {} has no rules", artifact.path);
    }
}

#[test]
fn same_input_same_bytes() {
    let first: Vec<String> = all_artifacts().into_iter().map(|(_, a)| a.content).collect();
    let second: Vec<String> = all_artifacts().into_iter().map(|(_, a)| a.content).collect();
    assert_eq!(first, second);
}

fn refused(files: &[(&str, &str)]) -> Vec<String> {
    let dir = project(files);
    firewalls()
        .into_iter()
        .flat_map(|backend| match render_dir(dir.path(), backend) {
            Ok(artifacts) => {
                panic!("{} rendered {:?}", backend.name(), artifacts.iter().map(|a| &a.path).collect::<Vec<_>>())
            }
            Err(diagnostics) => diagnostics.into_iter().map(|d| format!("{}: {}", backend.name(), d.message)),
        })
        .collect()
}

const TWO_ZONES: &str = r#"plant "T" { profile meti-factory }
zone a { subnet 10.1.0.0/24; subnet fd00:1::/64 }
zone b { subnet 10.2.0.0/24; subnet fd00:2::/64 }
asset fw "FW" { kind firewall; interfaces { a 10.1.0.1; b 10.2.0.1 } }
asset h4 "IPv4 host" in a { kind workstation; ip 10.1.0.10 }
asset h6 "IPv6 host" in b { kind server; ip fd00:2::10 }
"#;

#[test]
fn a_flow_between_families_is_refused() {
    let sources =
        format!("{TWO_ZONES}conduit a_to_b from a to b {{\n  allow h4 -> h6 service https\n  enforced-by fw\n}}\n");
    let messages = refused(&[("kojo.kdl", "project \"t\"\n"), ("t.kojo", &sources)]);
    assert_eq!(messages.len(), 2, "{messages:#?}");
    for message in &messages {
        assert!(message.contains("flow 1 of conduit `a_to_b` has no address family on both ends"), "{message}");
    }
}

#[test]
fn zones_sharing_an_interface_are_refused() {
    let sources =
        format!("{TWO_ZONES}conduit a_to_b from a to b {{\n  allow any -> any service https\n  enforced-by fw\n}}\n");
    let manifest = "project \"t\"\ndevice \"fw\" {\n  interface \"a\" \"eth1\"\n  interface \"b\" \"eth1\"\n}\n";
    let messages = refused(&[("kojo.kdl", manifest), ("t.kojo", &sources)]);
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages[0].contains("`eth1` names the interface in zone `a` and in zone `b`"), "{}", messages[0]);
}

#[test]
fn interface_names_linux_cannot_have_are_refused() {
    let sources =
        format!("{TWO_ZONES}conduit a_to_b from a to b {{\n  allow any -> any service https\n  enforced-by fw\n}}\n");
    let manifest = "project \"t\"\ndevice \"fw\" {\n  interface \"a\" \"Gi0/1\"\n}\n";
    let messages = refused(&[("kojo.kdl", manifest), ("t.kojo", &sources)]);
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[1].contains("`Gi0/1` (the interface of `fw` in zone a) cannot be a Linux interface name"),
        "{}",
        messages[1]
    );
}

/// A flow from 120 hosts: iptables-restore refuses a `-s` list of 1,024
/// characters or more, so the list is cut over several lines.
#[test]
fn long_host_lists_load() {
    let mut sources = String::from(
        "plant \"T\" { profile meti-factory }\nzone a { subnet 10.1.0.0/16; subnet fd00:1::/64 }\nzone b { subnet 10.2.0.0/24 }\n\
         asset fw \"FW\" { kind firewall; interfaces { a 10.1.0.1; b 10.2.0.1 } }\n\
         asset dst \"Server\" in b { kind server; ip 10.2.0.10 }\n",
    );
    let names: Vec<String> = (0..120).map(|i| format!("h{i}")).collect();
    for i in 0..120 {
        // Every other address, so that summarising cannot shorten the list.
        sources += &format!(
            "asset h{i} \"Host\" in a {{ kind workstation; ip 10.1.{}.{}; ip fd00:1::{:x} }}\n",
            i / 100 + 1,
            i % 100 * 2 + 2,
            i * 2 + 16
        );
    }
    sources += &format!(
        "conduit a_to_b from a to b {{\n  allow [{}] -> dst service https\n  enforced-by fw\n}}\n",
        names.join(", ")
    );
    let dir = project(&[("kojo.kdl", "project \"t\"\n"), ("t.kojo", &sources)]);
    let out = tempfile::tempdir().unwrap();
    for backend in firewalls() {
        for artifact in render_dir(dir.path(), backend).unwrap() {
            assert!(artifact.content.lines().all(|l| l.len() < 20_000));
            if skip_tools() {
                continue;
            }
            let file = out.path().join(artifact.path.replace('/', "-"));
            std::fs::write(&file, &artifact.content).unwrap();
            let file = file.to_str().unwrap();
            let output = match artifact.path.rsplit('/').next().unwrap() {
                "nftables.nft" => run("nft", &["-c", "-f", file]),
                "iptables.rules" => {
                    assert!(artifact.content.matches("-A a_to_b -s ").count() > 1, "one list would be too long");
                    run("iptables-restore", &["--test", file])
                }
                _ => run("ip6tables-restore", &["--test", file]),
            };
            assert_ok(&artifact.path, &output);
        }
    }
}

/// The example names fw_rm's interfaces for its Juniper SRX: rendered as a
/// Linux firewall with those names, it would match nothing.
#[test]
fn the_examples_junos_interface_names_are_refused() {
    for backend in firewalls() {
        let diagnostics = render(Path::new(EXAMPLE), backend, true).unwrap_err();
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages.iter().all(|m| m.contains("cannot be a Linux interface name")), "{messages:#?}");
        assert!(
            messages.iter().any(|m| m.starts_with("`ge-0/0/0` (the interface of `fw_rm` in zone vendor_centre)")),
            "{messages:#?}"
        );
    }
}

#[test]
fn interface_names_longer_than_linux_allows_are_refused() {
    let sources =
        format!("{TWO_ZONES}conduit a_to_b from a to b {{\n  allow any -> any service https\n  enforced-by fw\n}}\n");
    let manifest = "project \"t\"\ndevice \"fw\" {\n  interface \"a\" \"a_very_long_ifname\"\n}\n";
    let messages = refused(&[("kojo.kdl", manifest), ("t.kojo", &sources)]);
    assert!(messages.iter().all(|m| m.contains("at most 15 characters")), "{messages:#?}");
}

/// How long `nft -c -f` takes on the 10,000-asset synthetic plant's
/// ~10,000 flows (a measurement, not a timed test: run with `--ignored
/// --nocapture`, in release mode for the rendering figure).
#[test]
#[ignore = "a measurement; see docs/backends/nftables.md"]
fn measure_the_synthetic_10k_plant() {
    use kojo::synth::{self, Params};
    let source = synth::source(Params::with_assets(10_000));
    let checked = kojo_compiler::check_with(
        &source,
        &kojo_compiler::Options { backends: kojo_backends::names(), today: None, ..Default::default() },
    );
    let (model, manifest, catalogue) =
        (checked.model.as_ref().unwrap(), checked.manifest.as_ref().unwrap(), checked.catalogue.as_ref().unwrap());
    let request = kojo_backends::Request { model, catalogue, tiers: &checked.tiers, manifest };
    // Kept for a closer look (`nft -c -f /tmp/kojo-10k/core_fw-nftables.nft`).
    let dir = std::env::temp_dir().join("kojo-10k");
    std::fs::create_dir_all(&dir).unwrap();
    for backend in firewalls() {
        let started = std::time::Instant::now();
        let artifacts = kojo_backends::render_backend(&request, backend).unwrap();
        println!("{}: rendered in {:?}", backend.name(), started.elapsed());
        for artifact in artifacts {
            let file = dir.join(artifact.path.replace('/', "-"));
            let (content, note) = queue::loadable(&artifact.content, &artifact.path);
            if let Some(note) = note {
                println!("{note}");
            }
            std::fs::write(&file, content).unwrap();
            let file = file.to_str().unwrap();
            let (program, args) = match artifact.path.rsplit('/').next().unwrap() {
                "nftables.nft" => ("nft", vec!["-c", "-f", file]),
                "iptables.rules" => ("iptables-restore", vec!["--test", file]),
                _ => ("ip6tables-restore", vec!["--test", file]),
            };
            let started = std::time::Instant::now();
            let output = run(program, &args);
            assert_ok(&artifact.path, &output);
            println!(
                "{}: {} lines, {} traced; {program} {} in {:?}",
                artifact.path,
                artifact.content.lines().count(),
                artifact.traced_lines().count(),
                args[0],
                started.elapsed()
            );
        }
    }
}

/// Every ticket a flow's new connections get is one the established
/// packets are checked against, and only inline tickets (bit 31) go to the
/// gateway: in nftables through the `ct mark` verdict map, in iptables in
/// `kojo_established` and the ticket's own chain.
#[test]
fn every_ticket_is_dispatched_and_only_inline_ones_queue() {
    let mut inline = 0;
    for (plant, artifact) in all_artifacts() {
        let content = &artifact.content;
        let is_nft = artifact.path.ends_with(".nft");
        let marks: std::collections::BTreeSet<String> = if is_nft {
            content.split("ct mark set ").skip(1).map(|rest| rest[..10].to_string()).collect()
        } else {
            content.split("--set-xmark ").skip(1).map(|rest| rest[..10].to_string()).collect()
        };
        for mark in &marks {
            let ticket = u32::from_str_radix(&mark[2..], 16).unwrap();
            let queued = ticket & 0x8000_0000 != 0;
            inline += usize::from(queued);
            let (dispatch, verdict) = if is_nft {
                let line =
                    content.lines().find(|l| l.trim_start().starts_with(&format!("{mark} : "))).unwrap_or_else(|| {
                        panic!("{plant} {}: ticket {mark} is not in the established map", artifact.path)
                    });
                (line.to_string(), if queued { "jump gateway" } else { "accept" })
            } else {
                let line = content
                    .lines()
                    .find(|l| l.starts_with(&format!("-A kojo_established -m connmark --mark {mark} ")))
                    .unwrap_or_else(|| panic!("{plant} {}: ticket {mark} is not in kojo_established", artifact.path));
                (line.to_string(), if queued { "-j NFQUEUE --queue-num 0" } else { "-j ACCEPT" })
            };
            assert!(
                dispatch.contains(verdict) || dispatch.contains("jump window_"),
                "{plant} {}: {dispatch}",
                artifact.path
            );
        }
        // A stale TCP connection is reset; anything else goes on to the
        // zone chains (an nft rule that dropped it, or iptables' DROP,
        // would cut a UDP poller whose flow only changed its ticket).
        if is_nft {
            assert_eq!(content.contains("\t\tqueue num 0\n"), marks.iter().any(|m| m.as_bytes()[2] >= b'8'));
            assert!(content.contains(
                "ct state established,related meta l4proto tcp reject with tcp reset\n\t\tct state invalid drop\n"
            ));
        } else {
            assert!(content.contains(
                "-A kojo_established -p tcp -j REJECT --reject-with tcp-reset\n-A kojo_established -j RETURN\n"
            ));
        }
    }
    assert!(inline > 0, "the example's Modbus and SLMP flows are inline");
}

/// The tickets of two sources that differ only in names and order: a
/// conduit and the device renamed, flows and services reordered. Every
/// ticket must stay byte for byte, so a reload of such an edit keeps every
/// open session (`firewalls/nftables/tickets.rs` says what a ticket is).
#[test]
fn renaming_and_reordering_keeps_every_ticket() {
    let (kdl, lab) = (LAB[0].1, LAB[1].1);
    let edited = lab
        .replace("conduit office_to_control \"Office to the floor\"", "conduit floor_access \"Office to the floor\"")
        .replace(
            "  allow [pc1, pc2] -> [plc1, scada] service modbus-tcp\n  allow pc1 -> hist port [tcp/8080, udp/5000-5010]\n  allow any -> scada service [https, dns]\n",
            "  allow any -> scada service [dns, https]\n  allow pc1 -> hist port [udp/5000-5010, tcp/8080]\n  allow [pc2, pc1] -> [scada, plc1] service modbus-tcp\n",
        )
        .replace("fw1", "fw_renamed");
    assert_eq!(edited.matches("fw_renamed").count(), 6, "the device is renamed everywhere");
    assert!(edited.contains("floor_access") && edited.contains("[dns, https]"));
    let tickets = |files: [(&str, &str); 2]| -> Vec<String> {
        let dir = project(&files);
        let mut all = Vec::new();
        for backend in firewalls() {
            for artifact in render_dir(dir.path(), backend).unwrap() {
                let content = &artifact.content;
                let mut found: Vec<String> = ["ct mark set ", "--set-xmark "]
                    .iter()
                    .flat_map(|word| content.split(word).skip(1).map(|rest| rest[..10].to_string()))
                    .collect();
                found.sort();
                let name = artifact.path.rsplit('/').next().unwrap().to_string();
                all.push(format!("{name}: {}", found.join(" ")));
            }
        }
        all
    };
    let before = tickets([("kojo.kdl", kdl), ("lab.kojo", lab)]);
    let after = tickets([("kojo.kdl", &kdl.replace("fw1", "fw_renamed")), ("lab.kojo", &edited)]);
    assert!(before.iter().all(|line| line.contains("0x")), "{before:?}");
    assert_eq!(before, after);
}
