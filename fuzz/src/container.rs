//! The `check` target's input: a whole project in one file.
//!
//! An input that starts with a `--- NAME` line is a container: each
//! `--- NAME` line starts a file, which runs to the next such line.
//! `kojo.kdl` is the manifest, `profiles/*.toml` and `templates/*` the
//! project's own profiles and templates, `*.kojo` source files; any other
//! name is a document that exists (evidence). Any other input is one
//! `.kojo` file under [`MANIFEST`], so raw source files (the bad-input
//! corpus, the formatter's tests) are inputs as they are.

use kojo_compiler::MemorySource;

/// What starts a file in a container.
pub const SEPARATOR: &[u8] = b"--- ";

/// The manifest of an input that is one `.kojo` file: every backend, so
/// that a plant that compiles reaches every renderer.
pub const MANIFEST: &str = "project \"fuzz\"\nbackend \"nftables\" \"iptables\" \"cisco-asa\" \"fortigate\" \"juniper-srx\" \"json\" \"suricata\" \"remote-access\"\n";

/// The project `data` describes.
pub fn project(data: &[u8]) -> MemorySource {
    let mut source = MemorySource::new("fuzz");
    if !data.starts_with(SEPARATOR) {
        source.manifest = Some(MANIFEST.to_string());
        source.files.push(("fuzz.kojo".to_string(), data.to_vec()));
        return source;
    }
    source.manifest = None;
    let mut documents = Vec::new();
    for (name, bytes) in files(data) {
        let text = || String::from_utf8_lossy(bytes).into_owned();
        if name == "kojo.kdl" {
            source.manifest = Some(text());
        } else if name.starts_with("profiles/") {
            source.profiles.push((name, text()));
        } else if name.starts_with("templates/") {
            source.templates.push((name, text()));
        } else if name.ends_with(".kojo") {
            source.files.push((name, bytes.to_vec()));
        } else {
            documents.push(name);
        }
    }
    source.documents = Some(documents);
    source
}

/// The files of a container, `(name, contents)`, in order.
pub fn files(data: &[u8]) -> Vec<(String, &[u8])> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(after) = rest.strip_prefix(SEPARATOR) {
        let (header, body) = split_line(after);
        let end = find_separator(body).unwrap_or(body.len());
        let (contents, next) = body.split_at(end);
        out.push((String::from_utf8_lossy(header).trim().to_string(), contents));
        rest = next;
    }
    out
}

/// A container holding `files`, `(name, contents)`: what [`files`] reads back.
pub fn write(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, contents) in files {
        out.extend_from_slice(SEPARATOR);
        out.extend_from_slice(name.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(contents);
        if !contents.is_empty() && !contents.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    out
}

/// The first line and what follows it.
fn split_line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) => (data.get(..i).unwrap_or_default(), data.get(i + 1..).unwrap_or_default()),
        None => (data, &[]),
    }
}

/// Where the next `--- ` line starts (just after a newline).
fn find_separator(data: &[u8]) -> Option<usize> {
    (0..data.len()).find(|&i| {
        data.get(i..).is_some_and(|d| d.starts_with(SEPARATOR)) && (i == 0 || data.get(i - 1) == Some(&b'\n'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_container_reads_back_what_was_written() {
        let files = vec![
            ("kojo.kdl".to_string(), b"project \"p\"\n".to_vec()),
            ("a.kojo".to_string(), b"plant \"P\"\n-- not a separator\n".to_vec()),
            ("docs/x.md".to_string(), Vec::new()),
        ];
        let data = write(&files);
        let read: Vec<(String, Vec<u8>)> = super::files(&data).into_iter().map(|(n, b)| (n, b.to_vec())).collect();
        assert_eq!(read, files);
        let source = project(&data);
        assert_eq!(source.manifest.as_deref(), Some("project \"p\"\n"));
        assert_eq!(source.files.len(), 1);
        assert_eq!(source.documents, Some(vec!["docs/x.md".to_string()]));
    }

    #[test]
    fn anything_else_is_one_source_file_with_every_backend() {
        let source = project(b"plant \"P\"\n");
        assert_eq!(source.files, vec![("fuzz.kojo".to_string(), b"plant \"P\"\n".to_vec())]);
        let names = kojo_backends::names().iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(" ");
        assert_eq!(source.manifest.as_deref(), Some(format!("project \"fuzz\"\nbackend {names}\n").as_str()));
    }
}
