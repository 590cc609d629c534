//! The editor packages: the VS Code extension's TextMate grammar keeps up
//! with the parser's grammar (every keyword of `lang/src/grammar.pest` is
//! highlighted), passes its own tests (vscode-tmgrammar-test, on
//! `editors/vscode/test/`), and the extension packages into a `.vsix`
//! with vsce, as docs/editors.md tells users to build it; that package,
//! installed into VS Code (code-server), shows diagnostics, hover and
//! completion; Neovim's own client does the same with
//! `editors/neovim/kojo.lua`; the Helix configuration says what Helix
//! reads. The npm tools are pinned by lock files; `.ci/test` installs them
//! under `target/ci-tools/`.

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
    let modules = ci_tools("vscode");
    if modules.join(".bin/vsce").exists() && modules.join(".bin/vscode-tmgrammar-test").exists() {
        return Some(modules);
    }
    missing("vsce and vscode-tmgrammar-test", &modules)
}

/// The `node_modules` of the npm tools `.ci/test` installs as `name`.
fn ci_tools(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| repo().join("target"), PathBuf::from);
    target.join("ci-tools").join(name).join("node_modules")
}

/// Fails for tools `.ci/test` should have installed, unless
/// `KOJO_SKIP_TOOLS` says to skip knowingly.
fn missing(what: &str, modules: &Path) -> Option<PathBuf> {
    assert!(
        std::env::var_os("KOJO_SKIP_TOOLS").is_some(),
        "{what} are missing from {}: run .ci/test (it installs them), or set KOJO_SKIP_TOOLS=1 to skip knowingly",
        modules.display()
    );
    eprintln!("skipped: {what} are not installed (KOJO_SKIP_TOOLS)");
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

/// The extension built as docs/editors.md says (`vsce package`), in a copy
/// of `editors/vscode` so that the checkout stays as it is: the directory
/// and the path of `kojo.vsix` in it.
fn package_extension(modules: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let extension = dir.path().join("vscode");
    copy_tree(&repo().join("editors/vscode"), &extension);
    std::os::unix::fs::symlink(modules, extension.join("node_modules")).unwrap();
    run(
        &extension,
        &extension.join("node_modules/.bin/vsce"),
        &["package", "--allow-missing-repository", "--skip-license", "--out", "kojo.vsix"],
    );
    let vsix = extension.join("kojo.vsix");
    (dir, vsix)
}

#[test]
fn the_extension_packages_and_its_grammar_passes_its_tests() {
    let Some(modules) = tools() else { return };
    let (dir, vsix) = package_extension(&modules);
    let extension = dir.path().join("vscode");
    let tested = run(
        &extension,
        &extension.join("node_modules/.bin/vscode-tmgrammar-test"),
        &["-g", "syntaxes/kojo.tmLanguage.json", "test/plant.kojo"],
    );
    assert!(tested.contains("run successfuly"), "{tested}");
    // What VS Code loads from the package.
    let listing = Command::new("python3")
        .args(["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))"])
        .arg(&vsix)
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

/// A copy of `examples/small-plant` in `dir` with an unknown zone (an
/// error the editor must show) and a waiver (a rule ID to hover) at the end
/// of `plant.kojo`: the project, that file, and its text.
fn broken_example(dir: &Path) -> (PathBuf, PathBuf, String) {
    let project = dir.join("small-plant");
    copy_tree(&repo().join("examples/small-plant"), &project);
    let plant = project.join("plant.kojo");
    let mut text = std::fs::read_to_string(&plant).unwrap();
    text.push_str("\nasset stray \"Stray\" in nowhere { kind plc }\n");
    text.push_str("waive ANY-ENDPOINT on asset plc1 { compensating [ids] }\n");
    std::fs::write(&plant, &text).unwrap();
    (project, plant, text)
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
    let (project, plant, text) = broken_example(&dir.path().canonicalize().unwrap());
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
        .env("KOJO_HOVER_RULE", position(&text, "ANY-ENDPOINT", 3))
        .env("KOJO_LANGUAGE", "ja")
        .current_dir(&project)
        .output()
        .unwrap();
    let got = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(run.status.success(), "{got}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(got.contains("filetype kojo") && got.contains("K hover"), "{got}");
    assert!(got.lines().any(|l| l.starts_with("diagnostic KOJO-E0201") && l.contains("nowhere")), "{got}");
    assert!(got.lines().any(|l| l.starts_with("hover ") && l.contains("zone `control`")), "{got}");
    assert!(got.lines().any(|l| l == "completion control"), "zones complete after `in`: {got}");
    assert!(
        got.lines().any(|l| l.starts_with("rule # ANY-ENDPOINT: ") && l.contains("## 直し方")),
        "vim.g.kojo_language = \"ja\" gives Japanese pages: {got}"
    );
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
    // Helix sends `config` as the initialization options.
    assert_eq!(server["config"]["language"].as_str(), Some("en"));
}

/// VS Code as code-server (Coder's build of VS Code for the browser, from
/// npm) and puppeteer-core, pinned by `tests/editors/vscode/package-lock.json`
/// and installed by `.ci/test`; `None` when they are missing and that is
/// expected: code-server 4.100 installs only under Node.js 20, or
/// `KOJO_SKIP_TOOLS` says to skip.
fn code_server() -> Option<PathBuf> {
    let modules = ci_tools("code-server");
    if modules.join(".bin/code-server").exists() && modules.join("puppeteer-core").exists() {
        return Some(modules);
    }
    let node = Command::new("node").arg("--version").output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if let Ok(version) = &node {
        if !version.starts_with("v20.") {
            eprintln!("skipped: code-server 4.100 (VS Code 1.100) installs only under Node.js 20; this is {version}");
            return None;
        }
    }
    missing("code-server and puppeteer-core", &modules)
}

/// A code-server and everything it started (the extension host, `kojo
/// lsp`): its own process group, ended with the test.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.wait();
    }
}

/// code-server with its configuration, settings and extensions in `home`,
/// never in the user's own directories.
fn code_server_in(binary: &Path, home: &Path) -> Command {
    let mut command = Command::new(binary);
    command
        .arg("--config")
        .arg(home.join("config.yaml"))
        .arg("--user-data-dir")
        .arg(home.join("user"))
        .arg("--extensions-dir")
        .arg(home.join("extensions"));
    command
}

/// Starts code-server on a free port of 127.0.0.1 and returns it with its
/// address, read from what it prints.
fn start_code_server(binary: &Path, home: &Path, project: &Path) -> (Server, String) {
    use std::io::BufRead;
    use std::os::unix::process::CommandExt;
    let mut child = code_server_in(binary, home)
        .args(["--auth", "none", "--bind-addr", "127.0.0.1:0", "--disable-telemetry", "--disable-update-check"])
        .arg(project)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("HTTP server listening on ") {
                let url = line[at + "HTTP server listening on ".len()..].trim().trim_end_matches('/').to_string();
                let _ = tx.send(url);
            }
        }
    });
    let url = rx.recv_timeout(std::time::Duration::from_secs(60)).expect("code-server did not start listening");
    (server, url)
}

#[test]
fn vscode_shows_diagnostics_hover_and_completion_from_the_packaged_extension() {
    let Some(tools) = tools() else { return };
    let Some(host) = code_server() else { return };
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(|name| {
            let out = Command::new("sh").args(["-c", &format!("command -v {name}")]).output().ok()?;
            out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
        })
        .expect("chromium is missing: run .ci/test (it installs it)");
    let (_package, vsix) = package_extension(&tools);

    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().canonicalize().unwrap();
    let code_server = host.join(".bin/code-server");
    // As docs/editors.md says: install the .vsix, name the kojo to start.
    let installed = code_server_in(&code_server, &home).arg("--install-extension").arg(&vsix).output().unwrap();
    let said = String::from_utf8_lossy(&installed.stdout);
    assert!(said.contains("successfully installed"), "{said}{}", String::from_utf8_lossy(&installed.stderr));
    // User settings: the kojo to start, and Japanese explain pages. The
    // folder is left untrusted (Restricted Mode), where only user settings
    // may name the executable.
    let settings = serde_json::json!({
        "kojo.server.path": env!("CARGO_BIN_EXE_kojo"),
        "kojo.language": "ja",
        "workbench.startupEditor": "none",
        "telemetry.telemetryLevel": "off",
    });
    std::fs::create_dir_all(home.join("user/User")).unwrap();
    std::fs::write(home.join("user/User/settings.json"), settings.to_string()).unwrap();

    let (project, _, _) = broken_example(&home);
    // A workspace setting naming another executable, which Restricted Mode
    // must ignore (a cloned repository could name any program here).
    std::fs::create_dir_all(project.join(".vscode")).unwrap();
    std::fs::write(project.join(".vscode/settings.json"), r#"{ "kojo.server.path": "/bin/false" }"#).unwrap();

    let (_server, url) = start_code_server(&code_server, &home, &project);
    let out = home.join("out.txt");
    let shot = home.join("vscode.png");
    let run = Command::new("node")
        .arg(repo().join("tests/editors/vscode/drive.js"))
        .env("NODE_PATH", &host)
        .env("KOJO_CHROMIUM", &chromium)
        .env("KOJO_URL", &url)
        .env("KOJO_PROJECT", &project)
        .env("KOJO_FILE", "plant.kojo")
        .env("KOJO_HOVER", "zones [control]|control")
        .env("KOJO_HOVER_RULE", "waive ANY-ENDPOINT on asset plc1 { compensating [ids] }|ANY-ENDPOINT")
        .env("KOJO_TYPE", "asset lathe2 \"Lathe\" in co")
        .env("KOJO_OUT", &out)
        .env("KOJO_SHOT", &shot)
        .output()
        .unwrap();
    let got = std::fs::read_to_string(&out).unwrap_or_default();
    if !run.status.success() {
        // Kept, for the screenshot and code-server's logs.
        let kept = dir.keep();
        panic!(
            "{got}\n{}\n(the editor's screen and logs are kept in {})",
            String::from_utf8_lossy(&run.stderr),
            kept.display()
        );
    }
    // docs/images/vscode.png is this screen: KOJO_SCREENSHOT=docs/images/vscode.png.
    if let Some(to) = std::env::var_os("KOJO_SCREENSHOT") {
        std::fs::copy(&shot, to).unwrap();
    }
    assert!(got.lines().any(|l| l.starts_with("trust No, I don't trust")), "{got}");
    assert!(got.lines().any(|l| l == "language kojo"), "{got}");
    assert!(got.lines().any(|l| l == "unicode-highlights 0"), "Japanese text is flagged: {got}");
    assert!(got.lines().any(|l| l == "problem unknown zone `nowhere`"), "{got}");
    assert!(got.lines().any(|l| l == "problem KOJO-E0201"), "{got}");
    assert!(got.lines().any(|l| l.starts_with("hover zone control") && l.contains("declared in plant.kojo")), "{got}");
    assert!(got.lines().any(|l| l == "completion control"), "zones complete after `in co`: {got}");
    assert!(
        // The hover shows the line's problems, then the rule's page.
        got.lines().any(|l| l.starts_with("rule ") && l.contains("ANY-ENDPOINT: 強度") && l.contains("直し方")),
        "`kojo.language` \"ja\" gives Japanese pages: {got}"
    );
}
