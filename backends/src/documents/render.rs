//! Rendering a document view with tera.
//!
//! One tera environment per document: the built-in templates, the
//! project's overrides on top, the format's escaping applied to every value
//! a template prints, and `t(key=…)` for the words of the message files.
//! A project's template runs on untrusted pull requests, so the environment
//! refuses what could leak or never end: `get_env` (the CI's secrets) and
//! `range` are replaced by functions that fail, and a project template may
//! not define macros or include other templates (recursion has no limit in
//! tera).

use std::collections::HashMap;
use std::sync::Arc;

use kojo_stdlib::Messages;
use serde::Serialize;

use super::text::{escape_html, escape_markdown};
use super::{Format, ProjectTemplate};

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// A project template is broken or uses what is refused; `file` names it.
    Template { file: String, message: String },
    /// A bug in kojo's own templates or messages.
    Internal(String),
}

/// How long a document may take to render. kojo's own render in well
/// under a second even for large plants; a project's template that runs
/// longer is looping, and CI must not hang on it.
const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Renders the template `name` (`evidence.md`) with `view` as its context.
pub fn render(
    name: &str,
    format: Format,
    view: &impl Serialize,
    messages: &Messages,
    overrides: &[ProjectTemplate],
) -> Result<String, RenderError> {
    let mut tera = tera::Tera::default();
    let builtin: Vec<(&str, &str)> = kojo_stdlib::templates().collect();
    tera.add_raw_templates(builtin).map_err(|e| RenderError::Internal(chain(&e)))?;
    for template in overrides {
        refuse_unsafe(template)?;
        tera.add_raw_template(&template.name, &template.text).map_err(|e| blame(template, &e))?;
    }
    // Adding a template rebuilds inheritance, which checks every template
    // again: a broken page is found here, not half-way through rendering.
    match format {
        Format::Html => {
            tera.autoescape_on(vec![".html"]);
            tera.set_escape_fn(escape_html);
        }
        _ => {
            tera.autoescape_on(vec![".md"]);
            tera.set_escape_fn(escape_markdown);
        }
    }
    tera.register_function("t", Words(Arc::new(messages.clone())));
    tera.register_filter("code_spans", code_spans);
    tera.register_function("get_env", refused("get_env"));
    tera.register_function("range", refused("range"));
    let context = tera::Context::from_serialize(view).map_err(|e| RenderError::Internal(chain(&e)))?;
    // The project's templates that take part: the one rendered and the page it extends.
    let involved: Vec<&ProjectTemplate> =
        overrides.iter().filter(|t| t.name == name || (format == Format::Html && t.name.starts_with('_'))).collect();
    let result = if involved.is_empty() {
        tera.render(name, &context)
    } else {
        with_time_limit(tera, name.to_string(), context).map_err(|timeout| match involved.first() {
            Some(t) => RenderError::Template { file: t.file.clone(), message: timeout },
            None => RenderError::Internal(timeout),
        })?
    };
    result.map_err(|e| match involved.first() {
        Some(t) => blame(t, &e),
        None => RenderError::Internal(chain(&e)),
    })
}

/// Renders on a thread of its own, giving up after [`TIME_LIMIT`]. The
/// thread cannot be stopped; the command exits after reporting.
fn with_time_limit(tera: tera::Tera, name: String, context: tera::Context) -> Result<tera::Result<String>, String> {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = sender.send(tera.render(&name, &context));
    });
    receiver.recv_timeout(TIME_LIMIT).map_err(|_| {
        format!(
            "rendering took longer than {} s: the template loops too long (a project's template must stay in proportion to the plant)",
            TIME_LIMIT.as_secs()
        )
    })
}

fn blame(template: &ProjectTemplate, error: &tera::Error) -> RenderError {
    RenderError::Template { file: template.file.clone(), message: chain(error) }
}

/// Every problem of a project's templates that shows before rendering:
/// what they may not do, and what tera cannot read (every template's
/// syntax, and the pages they extend).
pub fn validate(overrides: &[ProjectTemplate]) -> Vec<RenderError> {
    // kojo's own templates are checked by its tests; parsing them costs
    // milliseconds on every check.
    if overrides.is_empty() {
        return Vec::new();
    }
    let mut problems: Vec<RenderError> = overrides.iter().filter_map(|t| refuse_unsafe(t).err()).collect();
    if !problems.is_empty() {
        return problems;
    }
    let mut tera = tera::Tera::default();
    if let Err(e) = tera.add_raw_templates(kojo_stdlib::templates().collect::<Vec<_>>()) {
        return vec![RenderError::Internal(chain(&e))];
    }
    for template in overrides {
        if let Err(e) = tera.add_raw_template(&template.name, &template.text) {
            problems.push(blame(template, &e));
        }
    }
    problems
}

/// Project templates may not define macros or pull in other templates:
/// either can recurse without end, and tera sets no limit.
fn refuse_unsafe(template: &ProjectTemplate) -> Result<(), RenderError> {
    let text = &template.text;
    let mut rest = text.as_str();
    while let Some(open) = rest.find("{%") {
        let tag = rest.get(open + 2..).unwrap_or_default().trim_start_matches(['-', '+']).trim_start();
        let word: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if matches!(word.as_str(), "macro" | "include" | "import") {
            return Err(RenderError::Template {
                file: template.file.clone(),
                message: format!(
                    "`{{% {word} %}}` is not allowed in a project's template: it can recurse without end; write the template out in one file (start from a copy of kojo's own)"
                ),
            });
        }
        rest = rest.get(open + 2..).unwrap_or_default();
    }
    Ok(())
}

/// tera's error with its causes, which hold the useful part.
fn chain(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

/// `t(key="procure.title", count=3)`: a message in the document's language.
struct Words(Arc<Messages>);

impl tera::Function for Words {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(|k| k.as_str())
            .ok_or_else(|| tera::Error::msg("t() needs `key`, e.g. t(key=\"evidence.title\")"))?;
        let values: Vec<(String, String)> = args
            .iter()
            .filter(|(name, _)| name.as_str() != "key")
            .map(|(name, value)| {
                let text = match value {
                    tera::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (name.clone(), text)
            })
            .collect();
        let borrowed: Vec<(&str, &str)> = values.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        self.0.format(key, &borrowed).map(tera::Value::String).map_err(|e| tera::Error::msg(e.to_string()))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// A diagnostic's text as HTML: escaped, with its backtick-quoted names
/// (kojo's diagnostics quote them as Markdown does) as `<code>`. A text
/// with an odd backtick is only escaped. The result is HTML already, so a
/// template writes `{{ text | code_spans | safe }}`.
fn code_spans(value: &tera::Value, _: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    if value.is_null() {
        return Ok(tera::Value::String(String::new()));
    }
    let text = value.as_str().ok_or_else(|| tera::Error::msg("code_spans: not a string"))?;
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return Ok(tera::Value::String(escape_html(text)));
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            out.push_str("<code>");
            out.push_str(&escape_html(part));
            out.push_str("</code>");
        } else {
            out.push_str(&escape_html(part));
        }
    }
    Ok(tera::Value::String(out))
}

fn refused(name: &'static str) -> impl tera::Function {
    move |_: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
        Err(tera::Error::msg(format!("`{name}()` is not available in kojo's document templates")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `validate` no longer does on every check without overrides.
    #[test]
    fn kojos_own_templates_parse() {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(kojo_stdlib::templates().collect::<Vec<_>>()).unwrap();
        assert!(tera.get_template_names().count() >= 4);
        assert!(validate(&[]).is_empty());
    }

    #[test]
    fn code_spans_are_escaped_code() {
        let html = |text: &str| code_spans(&tera::Value::String(text.into()), &HashMap::new()).unwrap();
        assert_eq!(html("add `ids` to <b>`x`</b>"), "add <code>ids</code> to &lt;b&gt;<code>x</code>&lt;/b&gt;");
        assert_eq!(html("`<img src=x>`"), "<code>&lt;img src=x&gt;</code>");
        assert_eq!(html("one ` alone <i>"), "one ` alone &lt;i&gt;", "an odd backtick stays text");
        assert_eq!(code_spans(&tera::Value::Null, &HashMap::new()).unwrap(), "", "no fix, no text");
    }

    fn messages() -> Messages {
        Messages::parse("en", "[x]\nhello = \"hello {name}\"\n").unwrap()
    }

    fn project(text: &str) -> ProjectTemplate {
        ProjectTemplate { name: "probe.md".into(), file: "templates/probe.md.tera".into(), text: text.into() }
    }

    fn run(text: &str, format: Format) -> Result<String, RenderError> {
        let view = serde_json::json!({ "name": "<b>a|b</b>" });
        render("probe.md", format, &view, &messages(), &[project(text)])
    }

    #[test]
    fn values_are_escaped_and_words_come_from_messages() {
        assert_eq!(run("{{ name }}", Format::Markdown).unwrap(), "\\<b\\>a\\|b\\</b\\>");
        assert_eq!(run("{{ t(key=\"x.hello\", name=name) }}", Format::Markdown).unwrap(), "hello \\<b\\>a\\|b\\</b\\>");
        assert!(run("{{ t(key=\"x.nope\") }}", Format::Markdown).is_err());
    }

    #[test]
    fn what_could_leak_or_never_end_is_refused() {
        for text in [
            "{{ get_env(name=\"HOME\") }}",
            "{% for i in range(end=10) %}{% endfor %}",
            "{% macro m() %}{{ self::m() }}{% endmacro m %}",
            "{%- include \"probe.md\" %}",
            "{% import \"x\" as x %}",
        ] {
            let err = run(text, Format::Markdown).unwrap_err();
            assert!(matches!(err, RenderError::Template { .. }), "{text}: {err:?}");
        }
    }
}
