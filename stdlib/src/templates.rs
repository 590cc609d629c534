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
