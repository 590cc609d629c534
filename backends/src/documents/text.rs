//! Words in the document's language, and escaping for its format.
//!
//! [`Words`] turns message keys, catalogue labels and evidence messages
//! into text in one language. The escape functions make any text safe in
//! Markdown or HTML; tera applies them to every value a template prints.

use kojo_compiler::evidence::message::{Arg, Message};
use kojo_compiler::model::Tier;
use kojo_stdlib::{Catalogue, Label, Messages, Profile};

use super::Lang;

/// How many items of a list a sentence shows before "and N more".
const LIST_LIMIT: usize = 12;

/// A problem with the words of a document: a bug in kojo's message files
/// or in a project's template, never shown half-filled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct WordsError(pub String);

/// Text in one language.
pub struct Words<'a> {
    pub lang: Lang,
    pub messages: &'a Messages,
    pub catalogue: &'a Catalogue,
    pub profile: &'a Profile,
}

impl<'a> Words<'a> {
    /// The built-in messages of `lang`.
    pub fn new(lang: Lang, catalogue: &'a Catalogue, profile: &'a Profile) -> Result<Words<'a>, WordsError> {
        let messages = Messages::builtin(lang.code())
            .map_err(|e| WordsError(format!("internal error: {e}")))?
            .ok_or_else(|| WordsError(format!("internal error: no messages in `{lang}`")))?;
        Ok(Words { lang, messages, catalogue, profile })
    }

    /// A label in this language.
    pub fn label<'l>(&self, label: &'l Label) -> &'l str {
        label.get(self.lang.code())
    }

    /// The message `key` with its arguments.
    pub fn text(&self, key: &str, args: &[(&str, &str)]) -> Result<String, WordsError> {
        self.messages.format(key, args).map_err(|e| WordsError(format!("internal error: {e}")))
    }

    /// A message with no arguments.
    pub fn plain(&self, key: &str) -> Result<String, WordsError> {
        self.text(key, &[])
    }

    /// An evidence message, its arguments rendered in this language.
    pub fn message(&self, message: &Message) -> Result<String, WordsError> {
        let args: Vec<(&str, String)> =
            message.args.iter().map(|(name, arg)| Ok((*name, self.arg(arg)?))).collect::<Result<_, WordsError>>()?;
        let borrowed: Vec<(&str, &str)> = args.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.text(message.key, &borrowed)
    }

    /// Every message of a list.
    pub fn messages(&self, messages: &[Message]) -> Result<Vec<String>, WordsError> {
        messages.iter().map(|m| self.message(m)).collect()
    }

    pub fn tier(&self, tier: Tier) -> String {
        self.profile
            .tiers
            .iter()
            .find(|t| t.id == tier.id())
            .map_or_else(|| tier.id().to_string(), |t| self.label(&t.label).to_string())
    }

    pub fn control(&self, id: &str) -> String {
        self.catalogue.control(id).map_or_else(|| id.to_string(), |c| self.label(&c.label).to_string())
    }

    /// A rule by its ID, with the requirement's label where it is one.
    pub fn rule(&self, id: &str) -> String {
        match self.profile.requirements.iter().find(|r| r.id == id) {
            Some(r) => format!("{id} ({})", self.label(&r.label)),
            None => id.to_string(),
        }
    }

    /// Values as a list: "a, b and 3 more" (or "なし" when empty).
    pub fn list(&self, values: &[String]) -> Result<String, WordsError> {
        if values.is_empty() {
            return self.plain("common.none");
        }
        let separator = self.plain("common.list-separator")?;
        let shown: Vec<&str> = values.iter().take(LIST_LIMIT).map(String::as_str).collect();
        let mut out = shown.join(&separator);
        if values.len() > LIST_LIMIT {
            let more = (values.len() - LIST_LIMIT).to_string();
            out.push_str(&separator);
            out.push_str(&self.text("common.and-more", &[("count", &more)])?);
        }
        Ok(out)
    }

    /// The first [`kojo_compiler::threats::LISTED`] values, then "and 3
    /// more" as one more value when there are more: for a template that
    /// joins them its own way.
    pub fn first(&self, values: &[String]) -> Result<Vec<String>, WordsError> {
        let limit = kojo_compiler::threats::LISTED;
        let mut out: Vec<String> = values.iter().take(limit).cloned().collect();
        if values.len() > limit {
            out.push(self.text("common.and-more", &[("count", &(values.len() - limit).to_string())])?);
        }
        Ok(out)
    }

    fn arg(&self, arg: &Arg) -> Result<String, WordsError> {
        Ok(match arg {
            Arg::Name(s) | Arg::Text(s) => s.clone(),
            Arg::Count(n) => n.to_string(),
            Arg::Date(d) => d.to_string(),
            Arg::Tier(t) => self.tier(*t),
            Arg::Control(id) => self.control(id),
            Arg::Rule(id) => self.rule(id),
            Arg::List(items) => {
                let values = items.iter().map(|a| self.arg(a)).collect::<Result<Vec<_>, _>>()?;
                self.list(&values)?
            }
        })
    }
}

/// Text safe anywhere in Markdown: punctuation that would start emphasis,
/// code, links, HTML or a table cell is backslash-escaped; line breaks
/// become spaces; control characters are dropped.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '#' | '&' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Inside a word an underscore is plain text in CommonMark and GFM.
            '_' => {
                let word = |j: Option<usize>| j.and_then(|j| chars.get(j)).is_some_and(|c| c.is_alphanumeric());
                if !(word(i.checked_sub(1)) && word(Some(i + 1))) {
                    out.push('\\');
                }
                out.push('_');
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text safe in HTML element content and attribute values; control
/// characters are dropped.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One segment of a URL path, percent-encoded: everything but unreserved
/// characters (RFC 3986), so a file name can never end or change a link.
pub fn url_segment(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escaping_keeps_words_and_breaks_markup() {
        assert_eq!(escape_markdown("line1_upgrade"), "line1_upgrade");
        assert_eq!(escape_markdown("_x_"), "\\_x\\_");
        assert_eq!(escape_markdown("a|b"), "a\\|b");
        assert_eq!(escape_markdown("**bold** [x](http://e)"), "\\*\\*bold\\*\\* \\[x\\](http://e)");
        assert_eq!(escape_markdown("<script>\nx"), "\\<script\\> x");
        assert_eq!(escape_markdown("a\u{1b}]0;title\u{7}b"), "a\\]0;titleb");
        assert_eq!(escape_markdown("制御ゾーン"), "制御ゾーン");
    }

    #[test]
    fn html_escaping() {
        assert_eq!(escape_html("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assert_eq!(escape_html("a\u{1b}[31mb"), "a[31mb");
    }
}
