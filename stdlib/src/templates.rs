//! Document templates (`templates/*.tera`): the tera templates documents
//! are rendered with, embedded at build time. A project overrides one by a
//! file of the same name in its own `templates/` directory.
//!
//! A template's name is its file name without `.tera`: `procurement.md`,
//! `evidence.html`. Templates hold layout only; every word comes from the
//! message files (`messages/`) or the catalogues, in the chosen language.

use crate::embedded::TEMPLATE_FILES;

/// The built-in template `name` (`procurement.md`).
pub fn template(name: &str) -> Option<&'static str> {
    TEMPLATE_FILES.iter().find(|(stem, _)| *stem == name).map(|(_, text)| *text)
}

/// Every built-in template, `(name, text)`, sorted by name.
pub fn templates() -> impl Iterator<Item = (&'static str, &'static str)> + Clone {
    TEMPLATE_FILES.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Messages, LANGUAGES};

    /// The message keys a template names in `t(key="…")`.
    fn keys(text: &str) -> Vec<&str> {
        text.split("t(key=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect()
    }

    /// A template naming a key that one language lacks would fail to render
    /// in that language: every key is in every message file.
    #[test]
    fn every_template_key_is_in_every_language() {
        let mut checked = 0;
        for (name, text) in templates() {
            for key in keys(text) {
                assert!(!key.ends_with(['-', '.']), "{name}: `{key}…` is built at run time; name whole keys");
                for lang in LANGUAGES {
                    let messages = Messages::builtin(lang).unwrap().unwrap();
                    assert!(messages.get(key).is_some(), "{name}: `{key}` is missing in messages/{lang}.toml");
                }
                checked += 1;
            }
        }
        assert!(checked > 100, "only {checked} keys found: has the t(key=…) form changed?");
    }

    #[test]
    fn the_documents_have_markdown_and_html_templates() {
        for name in ["procurement.md", "procurement.html", "evidence.md", "evidence.html", "_page.html"] {
            assert!(template(name).is_some(), "{name}");
        }
    }
}
