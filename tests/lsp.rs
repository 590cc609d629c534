//! `kojo lsp` end to end: a real LSP client (pytest-lsp on pygls, from
//! PyPI; `.ci/test` installs it) drives the server over stdio through
//! tests/lsp/test_kojo_lsp.py; and raw bytes that are no LSP message are
//! answered with a parse error without ending the session.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

const KOJO: &str = env!("CARGO_BIN_EXE_kojo");

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn a_real_client_drives_the_server() {
    let has_client = Command::new("python3").args(["-c", "import pytest_lsp"]).status().is_ok_and(|s| s.success());
    if !has_client {
        assert!(
            std::env::var_os("KOJO_SKIP_TOOLS").is_some(),
            "pytest-lsp is missing: run .ci/test (it installs it), or set KOJO_SKIP_TOOLS=1 to skip knowingly"
        );
        eprintln!("skipped: pytest-lsp is not installed (KOJO_SKIP_TOOLS)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().canonicalize().unwrap().join("small-plant");
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/small-plant"), &project);
    let out = Command::new("python3")
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/lsp"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("KOJO", KOJO)
        .env("KOJO_PROJECT", &project)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
}

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Reads one framed message's body.
fn read_message(out: &mut impl BufRead) -> serde_json::Value {
    let mut length = 0;
    loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "the server ended its output");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse().unwrap();
        }
    }
    let mut body = vec![0; length];
    out.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[test]
fn malformed_messages_get_a_parse_error_and_the_session_goes_on() {
    let mut server = Command::new(KOJO)
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = server.stdin.take().unwrap();
    let mut output = BufReader::new(server.stdout.take().unwrap());
    // Not JSON; JSON but no JSON-RPC message; a request before `initialize`.
    let early = r#"{"jsonrpc":"2.0","id":7,"method":"textDocument/hover","params":{}}"#;
    write!(input, "{}{}{}", frame("{not json"), frame("[1, 2]"), frame(early)).unwrap();
    let first = read_message(&mut output);
    assert_eq!((first["id"].clone(), first["error"]["code"].clone()), (serde_json::Value::Null, (-32700).into()));
    let second = read_message(&mut output);
    assert_eq!(second["error"]["code"], -32700);
    let third = read_message(&mut output);
    assert_eq!((third["id"].clone(), third["error"]["code"].clone()), (7.into(), (-32002).into()));
    // Then a normal session: initialize, bad params, shutdown, exit.
    let initialize = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
    let bad = r#"{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"nonsense":true}}"#;
    let shutdown = r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#;
    write!(input, "{}{}{}", frame(initialize), frame(bad), frame(shutdown)).unwrap();
    assert!(read_message(&mut output)["result"]["capabilities"]["hoverProvider"].as_bool().unwrap());
    assert_eq!(read_message(&mut output)["error"]["code"], -32602);
    assert_eq!(read_message(&mut output)["id"], 3);
    write!(input, "{}", frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)).unwrap();
    drop(input);
    let status = server.wait().unwrap();
    assert_eq!(status.code(), Some(0), "exit after shutdown is a clean exit");
}
