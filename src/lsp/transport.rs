//! LSP's framing over standard input and output: `Content-Length` headers,
//! then a JSON body. Read by hand rather than by `lsp-server`'s reader, so
//! that a malformed message is answered with a parse error (JSON-RPC's
//! -32700) and the session goes on, instead of ending it; and so that a
//! body is never allocated past [`MAX_BODY`].

use std::io::{BufRead, Read, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use lsp_server::Message;
use serde_json::{json, Value};

/// The largest message read: a whole 16 MiB source file as JSON, escaped,
/// with room to spare. A larger one is skipped unread and answered with an
/// error.
pub const MAX_BODY: usize = 64 * 1024 * 1024;

/// What the reader passes on.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// A message that was not JSON-RPC, and why.
    Malformed(String),
}

/// What the writer writes.
#[derive(Debug)]
pub enum Outgoing {
    Message(Message),
    /// A response to a message that had no usable ID (`"id": null`).
    Raw(Value),
}

/// The two threads and their channels.
pub struct Transport {
    pub incoming: Receiver<Incoming>,
    pub outgoing: Sender<Outgoing>,
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
}

impl Transport {
    pub fn stdio() -> Transport {
        let (in_tx, incoming) = mpsc::channel();
        let (outgoing, out_rx) = mpsc::channel::<Outgoing>();
        let reader = std::thread::spawn(move || {
            let stdin = std::io::stdin();
            read_loop(&mut stdin.lock(), &in_tx);
        });
        let writer = std::thread::spawn(move || {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for message in out_rx {
                if write(&mut out, &message).is_err() {
                    // The editor closed its end: nothing more can be said.
                    break;
                }
            }
        });
        Transport { incoming, outgoing, reader, writer }
    }

    /// Ends the writer once everything sent is written. The reader ends
    /// with standard input; it is not waited for (an editor may keep its
    /// end open after `exit`).
    pub fn finish(self) {
        drop(self.outgoing);
        let _ = self.writer.join();
        drop(self.reader);
    }
}

fn write(out: &mut impl Write, message: &Outgoing) -> std::io::Result<()> {
    match message {
        Outgoing::Message(m) => m.write(out),
        Outgoing::Raw(value) => {
            let body = value.to_string();
            write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
            out.flush()
        }
    }
}

/// Reads messages until standard input ends.
pub fn read_loop(input: &mut impl BufRead, to: &Sender<Incoming>) {
    loop {
        let incoming = match read_one(input) {
            Ok(Some(incoming)) => incoming,
            Ok(None) | Err(_) => return,
        };
        if to.send(incoming).is_err() {
            return;
        }
    }
}

/// One message; `None` at the end of input.
fn read_one(input: &mut impl BufRead) -> std::io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        // A header line is short; a line without end is not a header. Read
        // as bytes: a header that is not UTF-8 is a bad header, not the end
        // of the session.
        let n = input.by_ref().take(4096).read_until(b'\n', &mut bytes)?;
        if n == 0 {
            return Ok(None);
        }
        let line = String::from_utf8_lossy(&bytes);
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            if length.is_some() || bad_header.is_some() {
                break;
            }
            continue;
        }
        match header.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => match value.trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
            },
            Some(_) => {}
            None => bad_header = Some("a header line without `:`".to_string()),
        }
    }
    let Some(length) = length else {
        return Ok(Some(Incoming::Malformed(bad_header.unwrap_or_else(|| "no Content-Length".into()))));
    };
    if length > MAX_BODY {
        std::io::copy(&mut input.by_ref().take(length as u64), &mut std::io::sink())?;
        return Ok(Some(Incoming::Malformed(format!("a message of {length} bytes, over the {MAX_BODY} kojo reads"))));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    // Only an object is a message (serde would read some arrays as one).
    let value = match serde_json::from_slice::<Value>(&body) {
        Ok(value @ Value::Object(_)) => value,
        Ok(_) => return Ok(Some(Incoming::Malformed("not a JSON-RPC message: not an object".into()))),
        Err(err) => return Ok(Some(Incoming::Malformed(format!("not JSON: {err}")))),
    };
    Ok(Some(match serde_json::from_value::<Message>(value) {
        Ok(message) => Incoming::Message(message),
        Err(err) => Incoming::Malformed(format!("not a JSON-RPC message: {err}")),
    }))
}

/// The answer to a malformed message.
pub fn parse_error(why: &str) -> Outgoing {
    Outgoing::Raw(json!({ "jsonrpc": "2.0", "id": null, "error": { "code": -32700, "message": why } }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8]) -> Vec<Incoming> {
        let (tx, rx) = mpsc::channel();
        read_loop(&mut std::io::Cursor::new(bytes.to_vec()), &tx);
        drop(tx);
        rx.into_iter().collect()
    }

    #[test]
    fn malformed_messages_are_reported_and_reading_goes_on() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: 9\r\n\r\n{{not json\r\nContent-Length: x\r\n\r\nContent-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let got = read_all(input.as_bytes());
        assert!(matches!(got.first(), Some(Incoming::Malformed(m)) if m.contains("not JSON")), "{got:?}");
        assert!(matches!(got.get(1), Some(Incoming::Malformed(m)) if m.contains("Content-Length")), "{got:?}");
        assert!(matches!(got.get(2), Some(Incoming::Message(Message::Notification(_)))), "{got:?}");
    }

    #[test]
    fn a_header_that_is_not_utf8_does_not_end_the_session() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = b"X-\xff\xfe: 1\r\nContent-Length: 2\r\n\r\n{}".to_vec();
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n{good}", good.len()).as_bytes());
        let got = read_all(&input);
        assert!(matches!(got.last(), Some(Incoming::Message(Message::Notification(_)))), "{got:?}");
    }

    #[test]
    fn a_huge_length_is_never_allocated() {
        let input = format!("Content-Length: {}\r\n\r\nshort", usize::MAX);
        let got = read_all(input.as_bytes());
        assert!(matches!(got.first(), Some(Incoming::Malformed(m)) if m.contains("over the")), "{got:?}");
    }
}
