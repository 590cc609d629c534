//! Generated files and the trace from each generated line back to the flow
//! that asked for it.

use crate::enforcement::policy::Rule;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Relative to the output directory, `/`-separated: `fw_floor/nftables.nft`.
    pub path: String,
    /// The device it configures.
    pub device: String,
    /// The backend that wrote it.
    pub backend: &'static str,
    pub content: String,
    /// Lines that carry a flow, sorted by line.
    pub traces: Vec<Trace>,
}

impl Artifact {
    /// The trace of a line (from 1), if the line renders a flow.
    pub fn trace(&self, line: usize) -> Option<&Trace> {
        self.traces.binary_search_by_key(&line, |t| t.line).ok().and_then(|i| self.traces.get(i))
    }
}

/// Which flow a generated line renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The line in the artifact, from 1.
    pub line: usize,
    pub conduit: std::sync::Arc<str>,
    /// The flow's position in its conduit, from 1.
    pub flow: usize,
    /// `path:line` of the flow in the sources.
    pub origin: std::sync::Arc<str>,
}

/// Builds an artifact line by line, recording which lines render a flow.
#[derive(Debug, Default)]
pub struct Writer {
    content: String,
    /// The number of the next line, from 1.
    next: usize,
    traces: Vec<Trace>,
}

impl Writer {
    pub fn new() -> Self {
        Writer { content: String::new(), next: 1, traces: Vec::new() }
    }

    /// Appends one line (or several, separated by `\n`) that render no flow.
    pub fn line(&mut self, text: impl AsRef<str>) {
        for line in text.as_ref().split('\n') {
            self.content.push_str(line);
            self.content.push('\n');
            self.next += 1;
        }
    }

    /// Appends lines that render `rule`; each is traced to it.
    pub fn traced(&mut self, rule: &Rule, text: impl AsRef<str>) {
        for line in text.as_ref().split('\n') {
            self.traces.push(Trace {
                line: self.next,
                conduit: rule.conduit_name.clone(),
                flow: rule.flow,
                origin: rule.origin.clone(),
            });
            self.content.push_str(line);
            self.content.push('\n');
            self.next += 1;
        }
    }

    /// [`Writer::line`] of `format_args!(…)`: formatted straight into the
    /// file, not into a `String` of its own first (a 10k plant's build
    /// writes millions of lines).
    pub fn line_fmt(&mut self, text: std::fmt::Arguments<'_>) {
        if let Some(text) = text.as_str() {
            return self.line(text);
        }
        let start = self.content.len();
        // Writing into a `String` cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut self.content, text);
        self.next += 1 + self.content.get(start..).map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count());
        self.content.push('\n');
    }

    /// [`Writer::traced`] of `format_args!(…)`, formatted straight into the file.
    pub fn traced_fmt(&mut self, rule: &Rule, text: std::fmt::Arguments<'_>) {
        if let Some(text) = text.as_str() {
            return self.traced(rule, text);
        }
        let start = self.content.len();
        let _ = std::fmt::Write::write_fmt(&mut self.content, text);
        let lines = 1 + self.content.get(start..).map_or(0, |s| s.bytes().filter(|&b| b == b'\n').count());
        for _ in 0..lines {
            self.traces.push(Trace {
                line: self.next,
                conduit: rule.conduit_name.clone(),
                flow: rule.flow,
                origin: rule.origin.clone(),
            });
            self.next += 1;
        }
        self.content.push('\n');
    }

    /// The number the next line will have.
    pub fn next_line(&self) -> usize {
        self.next
    }

    pub fn finish(self, path: String, device: &str, backend: &'static str) -> Artifact {
        Artifact { path, device: device.to_string(), backend, content: self.content, traces: self.traces }
    }
}
