//! The editor packages: the VS Code extension's TextMate grammar keeps up
//! with the parser's grammar (every keyword of `lang/src/grammar.pest` is
//! highlighted), passes its own tests (vscode-tmgrammar-test, on
//! `editors/vscode/test/`), and the extension packages into a `.vsix`
//! with vsce, as docs/editors.md tells users to build it. The npm tools
//! are pinned by the extension's lock file; `.ci/test` installs them under
//! `target/ci-tools/vscode`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The words of the alternations `(?:a|b|c)` in the grammar's keyword
/// patterns.
fn highlighted_keywords() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("editors/vscode/syntaxes/kojo.tmLanguage.json")).unwrap();
    let grammar: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut words = Vec::new();
    for group in ["declarations", "keywords"] {
        for pattern in grammar["repository"][group]["patterns"].as_array().unwrap() {
            let Some(regex) = pattern["match"].as_str() else { continue };
            for alternation in regex.split("(?:").skip(1) {
                let Some((inner, _)) = alternation.split_once(')') else { continue };
                words.extend(inner.split('|').map(|w| w.replace("\\-", "-")));
            }
        }
    }
    words
}

#[test]
fn every_keyword_of_the_language_is_highlighted() {
    let pest = std::fs::read_to_string(repo().join("lang/src/grammar.pest")).unwrap();
    let keywords: Vec<&str> =
        pest.lines().filter(|l| l.starts_with("kw_")).filter_map(|l| l.split('"').nth(1)).collect();
    assert!(keywords.len() > 40, "{keywords:?}");
    let highlighted = highlighted_keywords();
    let missing: Vec<&&str> = keywords.iter().filter(|k| !highlighted.iter().any(|h| h == **k)).collect();
    assert!(missing.is_empty(), "keywords of grammar.pest the TextMate grammar does not highlight: {missing:?}");
}

/// The installed tools, or `None` when they are missing and
/// `KOJO_SKIP_TOOLS` says to skip.
fn tools() -> Option<PathBuf> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo().join("target"), PathBuf::from);
    let modules = target.join("ci-tools/vscode/node_modules");
    if modules.join(".bin/vsce").exists() && modules.join(".bin/vscode-tmgrammar-test").exists() {
        return Some(modules);
    }
    assert!(
        std::env::var_os("KOJO_SKIP_TOOLS").is_some(),
        "vsce and vscode-tmgrammar-test are missing from {}: run .ci/test (it installs them), or set KOJO_SKIP_TOOLS=1 to skip knowingly",
        modules.display()
    );
    eprintln!("skipped: the VS Code extension's npm tools are not installed (KOJO_SKIP_TOOLS)");
    None
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "node_modules" || name.to_string_lossy().ends_with(".vsix") {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

fn run(dir: &Path, program: &Path, args: &[&str]) -> String {
    let out = Command::new(program).args(args).current_dir(dir).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{} {args:?}:\n{text}", program.display());
    text
}

#[test]
fn the_extension_packages_and_its_grammar_passes_its_tests() {
    let Some(modules) = tools() else { return };
    // A copy, so that the checkout stays as it is.
    let dir = tempfile::tempdir().unwrap();
    let extension = dir.path().join("vscode");
    copy_tree(&repo().join("editors/vscode"), &extension);
    std::os::unix::fs::symlink(&modules, extension.join("node_modules")).unwrap();
    let bin = extension.join("node_modules/.bin");
    let tested = run(
        &extension,
        &bin.join("vscode-tmgrammar-test"),
        &["-g", "syntaxes/kojo.tmLanguage.json", "test/plant.kojo"],
    );
    assert!(tested.contains("run successfuly"), "{tested}");
    run(
        &extension,
        &bin.join("vsce"),
        &["package", "--allow-missing-repository", "--skip-license", "--out", "kojo.vsix"],
    );
    // What VS Code loads from the package.
    let listing = Command::new("python3")
        .args(["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", "kojo.vsix"])
        .current_dir(&extension)
        .output()
        .unwrap();
    let names = String::from_utf8_lossy(&listing.stdout);
    for wanted in [
        "extension/package.json",
        "extension/extension.js",
        "extension/language-configuration.json",
        "extension/syntaxes/kojo.tmLanguage.json",
        "extension/node_modules/vscode-languageclient/package.json",
    ] {
        assert!(names.lines().any(|n| n == wanted), "{wanted} is not in the package:\n{names}");
    }
    assert!(!names.contains("extension/test/"), "the grammar's tests are not shipped");
}

/// Line and UTF-16 column (ASCII here) of `needle` in `text`, plus `offset`.
fn position(text: &str, needle: &str, offset: usize) -> String {
    let at = text.find(needle).unwrap() + offset;
    let line = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    format!("{line}:{column}")
}

#[test]
fn neovim_gets_diagnostics_hover_and_completion_with_the_documented_config() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("KOJO_SKIP_TOOLS").is_some(),
            "nvim is missing: run .ci/test (it installs Debian's neovim), or set KOJO_SKIP_TOOLS=1 to skip knowingly"
        );
        eprintln!("skipped: nvim is not installed (KOJO_SKIP_TOOLS)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().canonicalize().unwrap().join("small-plant");
    copy_tree(&repo().join("examples/small-plant"), &project);
    // An unknown zone: an error the editor must show.
    let plant = project.join("plant.kojo");
    let mut text = std::fs::read_to_string(&plant).unwrap();
    text.push_str("\nasset stray \"Stray\" in nowhere { kind plc }\n");
    std::fs::write(&plant, &text).unwrap();
    let out = dir.path().join("out.txt");
    let run = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", repo().join("tests/editors/neovim.lua").display()))
        .env("KOJO", env!("CARGO_BIN_EXE_kojo"))
        .env("KOJO_CONFIG", repo().join("editors/neovim/kojo.lua"))
        .env("KOJO_FILE", &plant)
        .env("KOJO_OUT", &out)
        .env("KOJO_HOVER", position(&text, "zones [control]", "zones [".len()))
        .env("KOJO_COMPLETE", position(&text, "in nowhere", "in ".len()))
        .current_dir(&project)
        .output()
        .unwrap();
    let got = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(run.status.success(), "{got}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(got.contains("filetype kojo") && got.contains("K hover"), "{got}");
    assert!(got.lines().any(|l| l.starts_with("diagnostic KOJO-E0201") && l.contains("nowhere")), "{got}");
    assert!(got.lines().any(|l| l.starts_with("hover ") && l.contains("zone `control`")), "{got}");
    assert!(got.lines().any(|l| l == "completion control"), "zones complete after `in`: {got}");
}

/// Helix is not in the registries CI reaches, so its configuration is
/// checked for what Helix reads of it: a language for `.kojo` files rooted
/// at `kojo.kdl`, whose server is `kojo lsp`.
#[test]
fn the_helix_configuration_starts_kojo_lsp_for_kojo_files() {
    let text = std::fs::read_to_string(repo().join("editors/helix/languages.toml")).unwrap();
    let config: toml::Value = toml::from_str(&text).unwrap();
    let language = &config["language"].as_array().unwrap()[0];
    assert_eq!(language["name"].as_str(), Some("kojo"));
    assert_eq!(language["file-types"].as_array().unwrap()[0].as_str(), Some("kojo"));
    assert_eq!(language["roots"].as_array().unwrap()[0].as_str(), Some("kojo.kdl"));
    assert_eq!(language["comment-token"].as_str(), Some("//"));
    assert_eq!(language["language-servers"].as_array().unwrap()[0].as_str(), Some("kojo"));
    let server = &config["language-server"]["kojo"];
    assert_eq!(server["command"].as_str(), Some("kojo"));
    assert_eq!(server["args"].as_array().unwrap()[0].as_str(), Some("lsp"));
}
