//! Message files (`messages/<lang>.toml`): every word a document prints that
//! is not catalogue data, in each language kojo writes.
//!
//! A message file is TOML whose tables nest keys (`[evidence.segmentation]`
//! `zone = "…"` is the key `evidence.segmentation.zone`); every value is a
//! string. A message may name arguments in braces (`{zone}`), which the
//! caller fills in. Every language has the same keys with the same
//! arguments: a test fails otherwise, so no document is ever half
//! translated.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::embedded::MESSAGE_FILES;
use crate::CatalogueError;

/// The languages documents are written in.
pub const LANGUAGES: [&str; 2] = ["en", "ja"];

/// One language's messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Messages {
    pub lang: String,
    texts: BTreeMap<String, String>,
}

/// A message that cannot be formatted: a bug in kojo or in a project's
/// template, reported rather than printed half-filled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    #[error("no message `{key}` in language `{lang}`")]
    Missing { lang: String, key: String },
    #[error("message `{key}` ({lang}) needs the argument `{arg}`")]
    MissingArgument { lang: String, key: String, arg: String },
}

impl Messages {
    /// Parses one message file; `lang` names it in errors.
    pub fn parse(lang: &str, text: &str) -> Result<Messages, CatalogueError> {
        let file = format!("messages/{lang}.toml");
        let value: toml::Table = crate::catalogue::parse(&file, text)?;
        let mut texts = BTreeMap::new();
        flatten(&file, "", &value, &mut texts)?;
        for (key, text) in &texts {
            arguments(text).map_err(|problem| CatalogueError::invalid(&file, format!("message `{key}`: {problem}")))?;
        }
        Ok(Messages { lang: lang.to_owned(), texts })
    }

    /// The built-in messages of `lang` (`en`, `ja`); `None` for another language.
    pub fn builtin(lang: &str) -> Result<Option<&'static Messages>, CatalogueError> {
        static ALL: OnceLock<Result<Vec<Messages>, CatalogueError>> = OnceLock::new();
        let all = ALL
            .get_or_init(|| MESSAGE_FILES.iter().map(|(stem, text)| Messages::parse(stem, text)).collect())
            .as_ref()
            .map_err(Clone::clone)?;
        Ok(all.iter().find(|m| m.lang == lang))
    }

    /// The raw text of a message.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.texts.get(key).map(String::as_str)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }

    /// The message `key` with its `{arguments}` filled in from `args`.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> Result<String, MessageError> {
        let text =
            self.get(key).ok_or_else(|| MessageError::Missing { lang: self.lang.clone(), key: key.to_owned() })?;
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(rest.get(..open).unwrap_or_default());
            let after = rest.get(open + 1..).unwrap_or_default();
            let close = after.find('}').unwrap_or(after.len());
            let name = after.get(..close).unwrap_or_default();
            let value = args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).ok_or_else(|| {
                MessageError::MissingArgument { lang: self.lang.clone(), key: key.to_owned(), arg: name.to_owned() }
            })?;
            out.push_str(value);
            rest = after.get(close + 1..).unwrap_or_default();
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The argument names a message uses.
    pub fn arguments_of(&self, key: &str) -> BTreeSet<String> {
        self.get(key).and_then(|t| arguments(t).ok()).unwrap_or_default()
    }
}

fn flatten(
    file: &str,
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), CatalogueError> {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            toml::Value::Table(inner) => flatten(file, &full, inner, out)?,
            _ => return Err(CatalogueError::invalid(file, format!("message `{full}` is not a string"))),
        }
    }
    Ok(())
}

/// The `{name}` arguments of a message text; an unclosed or empty brace is an error.
fn arguments(text: &str) -> Result<BTreeSet<String>, String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        let Some(close) = after.find('}') else { return Err("a `{` is never closed".into()) };
        let name = after.get(..close).unwrap_or_default();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{{{name}}}` is not an argument name (letters, digits and `_`)"));
        }
        names.insert(name.to_owned());
        rest = after.get(close + 1..).unwrap_or_default();
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<&'static Messages> {
        LANGUAGES.iter().map(|l| Messages::builtin(l).unwrap().unwrap()).collect()
    }

    #[test]
    fn every_language_has_a_file() {
        let stems: Vec<&str> = MESSAGE_FILES.iter().map(|(s, _)| *s).collect();
        assert_eq!(stems, LANGUAGES);
    }

    /// A key missing in one language, or a message whose arguments differ
    /// between languages, would print a half-translated document.
    #[test]
    fn every_language_has_the_same_keys_and_arguments() {
        let all = all();
        let (first, rest) = all.split_first().unwrap();
        let keys: BTreeSet<&str> = first.keys().collect();
        assert!(!keys.is_empty());
        for other in rest {
            let theirs: BTreeSet<&str> = other.keys().collect();
            let missing: Vec<_> = keys.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&keys).collect();
            assert!(missing.is_empty(), "missing in {}: {missing:?}", other.lang);
            assert!(extra.is_empty(), "only in {}: {extra:?}", other.lang);
            for key in &keys {
                assert_eq!(first.arguments_of(key), other.arguments_of(key), "arguments of `{key}` differ");
            }
        }
        for messages in &all {
            for key in messages.keys() {
                assert!(!messages.get(key).unwrap().trim().is_empty(), "{key} is empty in {}", messages.lang);
            }
        }
    }

    #[test]
    fn format_fills_arguments_and_refuses_missing_ones() {
        let m = Messages::parse("en", "[a]\nb = \"zone {zone} is {tier}\"\nplain = \"x\"\n").unwrap();
        assert_eq!(m.format("a.b", &[("zone", "control"), ("tier", "high")]).unwrap(), "zone control is high");
        assert_eq!(m.format("a.plain", &[]).unwrap(), "x");
        assert!(matches!(m.format("a.b", &[("zone", "z")]), Err(MessageError::MissingArgument { .. })));
        assert!(matches!(m.format("nope", &[]), Err(MessageError::Missing { .. })));
        // Values are inserted once, never re-read as messages.
        assert_eq!(m.format("a.b", &[("zone", "{tier}"), ("tier", "x")]).unwrap(), "zone {tier} is x");
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(Messages::parse("en", "a = 1\n").is_err());
        assert!(Messages::parse("en", "a = \"{open\"\n").is_err());
        assert!(Messages::parse("en", "a = \"{}\"\n").is_err());
        assert!(Messages::parse("en", "a = \"x\"\na = \"y\"\n").is_err());
    }
}
