//! A first hour that works: the README's tour runs as written, `docs/cli.md`
//! documents every command and flag the binary has and quotes the example
//! plant's figures as `kojo` prints them, and a check that passes never
//! leads to a build refused for a reason the check could have seen.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::CommandFactory;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn kojo(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kojo")).args(args).current_dir(cwd).env("NO_COLOR", "1").output().unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The lines of the first fenced block of `lang` after `heading`.
fn block_after<'a>(markdown: &'a str, heading: &str, lang: &str) -> Vec<&'a str> {
    let start = markdown.find(heading).unwrap_or_else(|| panic!("no `{heading}`"));
    let fence = format!("```{lang}\n");
    let rest = &markdown[start..];
    let body = &rest[rest.find(&fence).unwrap_or_else(|| panic!("no {lang} block after `{heading}`")) + fence.len()..];
    body[..body.find("```").unwrap()].lines().collect()
}

/// Every command of the README's tour, run as written from the repository
/// root of a copy of the examples, with the exit code its comment promises
/// ("exit 1: …"), else 0.
#[test]
fn the_readme_tour_runs_as_written() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let root = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples"), &root.path().join("examples"));
    let bin = Path::new(env!("CARGO_BIN_EXE_kojo")).parent().unwrap();
    let path = std::env::join_paths(
        std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let mut cwd: PathBuf = root.path().to_path_buf();
    let mut ran = 0;
    for line in block_after(&readme, "## A short tour", "sh") {
        let (command, comment) = line.split_once(" #").map_or((line, ""), |(c, m)| (c, m));
        let command = command.trim();
        if command.is_empty() {
            continue;
        }
        if command.starts_with("cargo install") {
            assert!(command.contains("--locked"), "the README installs without --locked: {command}");
            continue;
        }
        if let Some(dir) = command.strip_prefix("cd ") {
            cwd = cwd.join(dir.trim());
            assert!(cwd.is_dir(), "`{command}` names no directory");
            continue;
        }
        assert!(command.starts_with("kojo "), "the tour runs kojo only: {command}");
        // "exit 1: by then …" promises an exit code; "exit 1 if …" describes one.
        let expected = comment
            .split_once("exit ")
            .and_then(|(_, n)| n.strip_suffix(':').or_else(|| n.split_once(':').map(|(c, _)| c)))
            .and_then(|n| n.parse::<i32>().ok())
            .unwrap_or(0);
        let out = Command::new("sh")
            .args(["-c", command])
            .current_dir(&cwd)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(expected),
            "`{command}`:\nstdout:\n{}\nstderr:\n{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(!text(&out.stderr).contains("panicked"), "`{command}`: {}", text(&out.stderr));
        // A document command writes its document, to standard output or
        // where the tour redirects it.
        if command.starts_with("kojo procure") || command.starts_with("kojo evidence") {
            let written = match command.split_once(" > ") {
                Some((_, file)) => std::fs::metadata(cwd.join(file.trim())).map_or(0, |m| m.len()),
                None => out.stdout.len() as u64,
            };
            assert!(written > 1000, "`{command}` wrote no document");
        }
        ran += 1;
    }
    assert!(ran >= 15, "the tour has {ran} commands");
    let items = kojo_stdlib::Catalogue::builtin().unwrap().checklist_items().count();
    assert!(readme.contains(&format!("all {items} items")), "the README's tour counts the checklist's {items} items");
}

/// What the tour's comments claim of the example plant: line 77 of
/// `fw_floor`'s nftables file renders a flow, and a Modbus write from the
/// SCADA to the PLC is blocked inline.
#[test]
fn the_tours_claims_hold() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    assert!(readme.contains("kojo explain --artifact build/fw_floor/nftables.nft:77"));
    let example = repo().join("examples/guideline-factory");
    let out = kojo(&["explain", "--artifact", "build/fw_floor/nftables.nft:77"], &example);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\nrenders conduit "), "{}", text(&out.stdout));
    assert!(readme.contains("`write` is blocked inline by Suricata"));
    let out = kojo(&["query", "scada", "plc1", "modbus-tcp", "--function", "write"], &example);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("blocked:") && text(&out.stdout).contains("drops it inline"),
        "{}",
        text(&out.stdout)
    );
}

/// The synopsis of `docs/cli.md` names every subcommand with its every
/// flag, argument and value, and each subcommand has a section.
#[test]
fn cli_md_documents_every_command_and_flag() {
    let doc = std::fs::read_to_string(repo().join("docs/cli.md")).unwrap();
    let synopsis = block_after(&doc, "# The command line", "");
    let cli = kojo::cli::Cli::command();
    let mut missing = Vec::new();
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = sub.get_name();
        // The command's lines and their continuations.
        let mut lines = String::new();
        let mut inside = false;
        for line in &synopsis {
            if line.starts_with("kojo ") {
                inside = line.starts_with(&format!("kojo {name} ")) || *line == format!("kojo {name}");
            }
            if inside {
                lines.push_str(line);
                lines.push('\n');
            }
        }
        if lines.is_empty() {
            missing.push(format!("`kojo {name}` is not in the synopsis"));
            continue;
        }
        if !doc.contains(&format!("\n## `kojo {name}")) {
            missing.push(format!("`kojo {name}` has no section"));
        }
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set() && a.get_id() != "help") {
            let mut words: Vec<String> = Vec::new();
            words.extend(arg.get_long().map(|l| format!("--{l}")));
            words.extend(arg.get_short().map(|s| format!("-{s}")));
            if arg.is_positional() {
                words.extend(arg.get_value_names().into_iter().flatten().map(|v| v.to_string()));
            }
            if arg.get_action().takes_values() {
                words.extend(
                    arg.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_string()),
                );
            }
            for word in words.iter().filter(|w| !mentions(&lines, w)) {
                missing.push(format!("`kojo {name}`: {word}"));
            }
        }
    }
    assert!(missing.is_empty(), "docs/cli.md's synopsis lacks:\n{}", missing.join("\n"));
}

/// Whether `word` stands in `text` as a word of its own (`--check`, not
/// `--check-this`; `json`, not `jsonl`).
fn mentions(text: &str, word: &str) -> bool {
    let part = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    text.match_indices(word)
        .any(|(i, _)| !part(text[..i].chars().next_back()) && !part(text[i + word.len()..].chars().next()))
}

/// The JSON example of `docs/cli.md` quotes the example plant's figures as
/// `kojo check --format json` prints them today.
#[test]
fn cli_md_quotes_the_example_plants_figures() {
    let doc = std::fs::read_to_string(repo().join("docs/cli.md")).unwrap();
    let example = block_after(&doc, "## `--format json`", "json").join("\n");
    let out = kojo(&["check", "examples/guideline-factory", "--format", "json"], repo());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut stale = Vec::new();
    for part in ["summary", "model"] {
        for (key, value) in json[part].as_object().unwrap() {
            let quoted = format!("\"{key}\": {value}");
            if !example.contains(&quoted) {
                stale.push(format!("{part}: {quoted}"));
            }
        }
    }
    assert!(stale.is_empty(), "docs/cli.md's JSON example is stale; kojo prints:\n{}", stale.join("\n"));
}

/// The small plant with `limited` (its office's SLMP read) replaced by
/// `flow` and `edit` (from, to) made to its plant.kojo, built for nftables
/// and Suricata: what `kojo check` and `kojo build` say.
fn check_and_build(flow: &str, edit: (&str, &str)) -> (Output, Output) {
    let plant = repo().join("examples/small-plant");
    let conduits = std::fs::read_to_string(plant.join("conduits.kojo")).unwrap();
    let limited = "allow office_pc -> plc1 service slmp { functions [read] }";
    assert!(conduits.contains(limited), "the small plant's office reads the PLC over SLMP");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&plant, dir.path());
    let manifest = std::fs::read_to_string(plant.join("kojo.kdl")).unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), manifest + "backend \"nftables\" \"suricata\"\n").unwrap();
    std::fs::write(dir.path().join("conduits.kojo"), conduits.replace(limited, flow)).unwrap();
    let assets = std::fs::read_to_string(plant.join("plant.kojo")).unwrap();
    assert!(assets.contains(edit.0), "plant.kojo has no `{}`", edit.0);
    std::fs::write(dir.path().join("plant.kojo"), assets.replacen(edit.0, edit.1, 1)).unwrap();
    (kojo(&["check"], dir.path()), kojo(&["build"], dir.path()))
}

/// Either the check reports `rule` and the build refuses (exit 3), or the
/// check passes and so does the build. Whether it was reported.
fn agree(what: &str, rule: &str, (check, build): &(Output, Output)) -> bool {
    let reported = text(&check.stderr).contains(rule);
    match check.status.code() {
        Some(0) => {
            assert_eq!(build.status.code(), Some(0), "{what}: check passes, build fails:\n{}", text(&build.stderr))
        }
        _ => assert!(reported, "{what}: the check fails for another reason:\n{}", text(&check.stderr)),
    }
    if reported {
        assert_eq!(build.status.code(), Some(3), "{what}: reported, yet the build passes");
    }
    reported
}

/// For every service with functions, a flow limited to one of them: the
/// check fails (FUNCTIONS-NOT-INSPECTABLE) exactly when the build refuses
/// the flow, with a help that does not send the user to a gateway that
/// cannot inspect the service.
#[test]
fn a_check_that_passes_leads_to_a_build_that_does() {
    let catalogue = kojo_stdlib::Catalogue::builtin().unwrap();
    let mut refused = Vec::new();
    for service in catalogue.services().filter(|s| !s.functions.is_empty()) {
        let flow =
            format!("allow office_pc -> plc1 service {} {{ functions [{}] }}", service.id, service.functions[0].name);
        let outputs = check_and_build(&flow, ("", ""));
        if agree(&service.id, "FUNCTIONS-NOT-INSPECTABLE", &outputs) {
            let help = text(&outputs.1.stderr).split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                help.contains("no gateway kojo generates can recognise"),
                "{}: the build's help:\n{help}",
                service.id
            );
            refused.push(service.id.clone());
        }
    }
    assert!(refused.contains(&"s7comm".to_string()) && !refused.contains(&"modbus-tcp".to_string()), "{refused:?}");
}

/// Flows the enforcing device cannot match (FLOW-NOT-ENFORCEABLE) or
/// cannot keep apart (FUNCTION-LIMITS-OVERLAP): the check reports them and
/// the build refuses them; without them, both pass.
#[test]
fn a_flow_the_firewall_cannot_match_fails_the_check_not_only_the_build() {
    let no_ip = ("  ip 192.168.10.21\n", "");
    for (what, flow, edit) in [
        ("no address", "allow office_pc -> plc1 service slmp", no_ip),
        ("the firewall itself", "allow office_pc -> utm1 service ssh", ("", "")),
    ] {
        let outputs = check_and_build(flow, edit);
        assert!(agree(what, "FLOW-NOT-ENFORCEABLE", &outputs), "{what}: not reported:\n{}", text(&outputs.0.stderr));
    }
    let overlapping = "allow any -> plc1 service slmp { functions [read] }\n  allow office_pc -> plc1 service slmp";
    let outputs = check_and_build(overlapping, ("", ""));
    assert!(agree("overlapping limits", "FUNCTION-LIMITS-OVERLAP", &outputs), "{}", text(&outputs.0.stderr));
    let outputs = check_and_build("allow office_pc -> plc1 service slmp", ("", ""));
    assert!(!agree("with an address", "FLOW-NOT-ENFORCEABLE", &outputs));
}

/// Checks a plant written out of the docs in a fresh project; the output
/// (both streams) and the exit code.
fn check_doc_plant(kdl: &str, plant: &str, evidence: &[&str]) -> (String, Option<i32>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kojo.kdl"), kdl).unwrap();
    std::fs::write(dir.path().join("plant.kojo"), plant).unwrap();
    for file in evidence {
        let path = dir.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "evidence\n").unwrap();
    }
    let out = kojo(&["check", "--now", "2026-12-01"], dir.path());
    (format!("{}{}", text(&out.stderr), text(&out.stdout)), out.status.code())
}

/// A newcomer's first check reads as a summary, not a wall: the language
/// reference's complete example and the README's sample, each checked as a
/// new project, give their findings grouped by rule with what to do first,
/// in a number of lines a person reads.
#[test]
fn the_docs_plants_check_grouped_and_readable() {
    let language = std::fs::read_to_string(repo().join("docs/language.md")).unwrap();
    let complete = block_after(&language, "## 16. A complete example", "kojo").join("\n");
    let evidence: Vec<&str> = complete
        .lines()
        .filter_map(|l| l.trim().strip_prefix("evidence \"").and_then(|e| e.strip_suffix('"')))
        .collect();
    let (out, code) = check_doc_plant("project \"knt1\"\n", &complete, &evidence);
    assert_eq!(code, Some(1), "findings, nothing else:\n{out}");
    assert!(out.contains(" findings in ") && out.contains("what to do first:"), "{out}");
    assert!(!out.contains("╭─["), "no snippets when grouped:\n{out}");
    assert!(out.lines().count() < 300, "{} lines:\n{out}", out.lines().count());

    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let kdl = block_after(&readme, "## A short tour", "kdl").join("\n");
    let sample = block_after(&readme, "## A short tour", "kojo").join("\n");
    let (out, code) = check_doc_plant(&kdl, &sample, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(" findings in ") && out.contains("what to do first:"), "{out}");
    assert!(out.lines().count() < 150, "{} lines:\n{out}", out.lines().count());
}

/// What only the manifest decides (which formats are built) is checked
/// too: `kojo check` builds in memory when the manifest selects backends,
/// so a function limit that no selected format can enforce fails the
/// check exactly as it fails the build.
#[test]
fn a_check_sees_what_the_selected_formats_cannot_enforce() {
    let plant = repo().join("examples/small-plant");
    let manifest = std::fs::read_to_string(plant.join("kojo.kdl")).unwrap();
    for (backends, fails) in [("backend \"nftables\"\n", true), ("backend \"nftables\" \"suricata\"\n", false)] {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&plant, dir.path());
        std::fs::write(dir.path().join("kojo.kdl"), format!("{manifest}{backends}")).unwrap();
        let (check, build) = (kojo(&["check"], dir.path()), kojo(&["build"], dir.path()));
        let err = text(&check.stderr);
        assert_eq!(check.status.success(), !fails, "{backends}: {err}");
        assert_eq!(build.status.success(), !fails, "{backends}: {}", text(&build.stderr));
        if fails {
            assert!(err.contains("KOJO-E04"), "the build's refusal, in the check: {err}");
        }
    }
}

/// The capability table of `docs/language.md` says what the catalogue
/// does: which requirements each capability's absence makes not
/// applicable, and which kinds have it by default ("all but …" naming
/// those that lack it).
#[test]
fn the_capability_table_matches_the_catalogue() {
    let catalogue = kojo_stdlib::Catalogue::builtin().unwrap();
    let profile = catalogue.profile("meti-factory").unwrap();
    let language = std::fs::read_to_string(repo().join("docs/language.md")).unwrap();
    let ticked = |cell: &str| -> std::collections::BTreeSet<String> {
        cell.split('`').skip(1).step_by(2).map(String::from).collect()
    };
    let mut rows = 0;
    for line in language.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let capability = cells[1].trim_matches('`');
        if catalogue.capability(capability).is_none() {
            continue;
        }
        rows += 1;
        let needing: std::collections::BTreeSet<String> = profile
            .requirements
            .iter()
            .filter(|r| r.needs.iter().any(|c| c == capability))
            .map(|r| r.id.clone())
            .collect();
        let listed: std::collections::BTreeSet<String> = ticked(cells[2])
            .into_iter()
            .filter(|id| id.contains('-') && id.chars().any(|c| c.is_ascii_uppercase()))
            .collect();
        assert_eq!(listed, needing, "{capability}: the requirements it makes not applicable");
        let (has, lacks): (Vec<_>, Vec<_>) =
            catalogue.asset_kinds().partition(|k| k.capabilities.iter().any(|c| c == capability));
        let names = |kinds: Vec<&kojo_stdlib::AssetKind>| kinds.into_iter().map(|k| k.id.clone()).collect();
        let expected: std::collections::BTreeSet<String> =
            if cells[3].starts_with("all but") { names(lacks) } else { names(has) };
        assert_eq!(ticked(cells[3]), expected, "{capability}: the kinds");
    }
    assert_eq!(rows, catalogue.capabilities().count(), "every capability has a row");
}
