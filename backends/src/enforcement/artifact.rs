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
    /// Runs of lines that carry a flow, sorted by line.
    pub traces: Vec<Trace>,
}

impl Artifact {
    /// The trace of a line (from 1), if the line renders a flow.
    pub fn trace(&self, line: usize) -> Option<&Trace> {
        let at = self.traces.partition_point(|t| t.last < line);
        self.traces.get(at).filter(|t| t.line <= line)
    }

    /// Every traced line (from 1) with its trace, in order.
    pub fn traced_lines(&self) -> impl Iterator<Item = (usize, &Trace)> {
        self.traces.iter().flat_map(|t| (t.line..=t.last).map(move |line| (line, t)))
    }
}

/// Which flow a run of generated lines renders: a flow's lines come
/// together (its remark, its entries), and a plant's build has millions of
/// them, so a run is kept once rather than a trace per line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The run's first line in the artifact, from 1.
    pub line: usize,
    /// Its last line.
    pub last: usize,
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

    /// A writer whose file is expected to be about `bytes` long: a file of
    /// hundreds of megabytes grown by doubling is copied and faulted in
    /// again at every step.
    pub fn with_capacity(bytes: usize) -> Self {
        Writer { content: String::with_capacity(bytes), next: 1, traces: Vec::new() }
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
            self.trace_next(rule);
            self.content.push_str(line);
            self.content.push('\n');
            self.next += 1;
        }
    }

    /// Traces the next line to `rule`: the run of the line before it
    /// grows if that line renders the same flow.
    fn trace_next(&mut self, rule: &Rule) {
        let next = self.next;
        if let Some(run) = self.traces.last_mut().filter(|t| {
            t.last + 1 == next
                && t.flow == rule.flow
                && std::sync::Arc::ptr_eq(&t.conduit, &rule.conduit_name)
                && std::sync::Arc::ptr_eq(&t.origin, &rule.origin)
        }) {
            run.last = next;
            return;
        }
        self.traces.push(Trace {
            line: next,
            last: next,
            conduit: rule.conduit_name.clone(),
            flow: rule.flow,
            origin: rule.origin.clone(),
        });
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
            self.trace_next(rule);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use super::*;
    use crate::enforcement::policy::Hosts;

    fn rule(conduit: &Arc<str>, flow: usize) -> Rule {
        let rule = crate::enforcement::firewalls::nftables::netfilter::tests::rule(Hosts::Any, Hosts::Any, &[]);
        Rule { conduit_name: conduit.clone(), flow, origin: Arc::from(format!("plant.kojo:{flow}")), ..rule }
    }

    /// A flow's consecutive lines are one run; a line of another flow or
    /// an untraced line between them starts a new one. Every line still
    /// finds its flow, and only traced lines do.
    #[test]
    fn consecutive_lines_of_a_flow_are_one_run() {
        let conduit: Arc<str> = Arc::from("c");
        let (one, two) = (rule(&conduit, 1), rule(&conduit, 2));
        let mut w = Writer::new();
        w.line("header");
        w.traced(&one, "a\nb");
        w.traced_fmt(&one, format_args!("{}", "c"));
        w.traced(&two, "d");
        w.line_fmt(format_args!("{} {}", "plain", 1));
        w.traced_fmt(&two, format_args!("{}\n{}", "e", "f"));
        let artifact = w.finish("x".into(), "fw", "test");
        assert_eq!(artifact.content, "header\na\nb\nc\nd\nplain 1\ne\nf\n");
        let runs: Vec<(usize, usize, usize)> = artifact.traces.iter().map(|t| (t.line, t.last, t.flow)).collect();
        assert_eq!(runs, [(2, 4, 1), (5, 5, 2), (7, 8, 2)]);
        let flows: Vec<Option<usize>> = (0..=9).map(|l| artifact.trace(l).map(|t| t.flow)).collect();
        assert_eq!(flows, [None, None, Some(1), Some(1), Some(1), Some(2), None, Some(2), Some(2), None]);
        let lines: Vec<usize> = artifact.traced_lines().map(|(line, _)| line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 7, 8]);
    }
}
