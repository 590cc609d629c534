//! The words of the pages `kojo explain` writes from catalogue data, in the
//! page's language. Every sentence and heading is a message of `[explain]`
//! in `stdlib/messages/<lang>.toml`; code only lays them out, so that a page
//! is never half translated.

use kojo_stdlib::{Applies, Catalogue, Label, Lang, Messages};

/// One language's words for a page.
pub(crate) struct Words {
    lang: Lang,
    messages: Option<&'static Messages>,
}

/// The forms of the noun for what a control or a requirement applies to:
/// English needs an article and a plural, Japanese neither, so each form
/// is a message of its own.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Noun {
    Bare,
    Indefinite,
    Plural,
}

impl Words {
    pub(crate) fn new(lang: Lang) -> Words {
        // The message files are embedded and checked by kojo's tests; were
        // one unreadable, a page of message keys still says what it would.
        Words { lang, messages: Messages::builtin(lang.code()).ok().flatten() }
    }

    /// The message `key` with its `{arguments}`; the key itself if there is
    /// no such message.
    pub(crate) fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.messages.and_then(|m| m.format(key, args).ok()).unwrap_or_else(|| key.to_string())
    }

    pub(crate) fn plain(&self, key: &str) -> String {
        self.text(key, &[])
    }

    /// A page's heading: `## ` and the message.
    pub(crate) fn heading(&self, key: &str) -> String {
        format!("## {}", self.plain(key))
    }

    /// A catalogue label in the page's language.
    pub(crate) fn label<'a>(&self, label: &'a Label) -> &'a str {
        label.get(self.lang.code())
    }

    /// A label as titles and lists show it: on a Japanese page the
    /// Japanese label alone; on a page in another language the guideline's
    /// Japanese term beside the page's, once where the two are the same
    /// (`Modbus/TCP`).
    pub(crate) fn name(&self, label: &Label) -> String {
        let own = self.label(label);
        if !self.adds_original() || own == label.ja {
            own.to_string()
        } else {
            format!("{own} / {}", label.ja)
        }
    }

    /// A text the guideline writes in Japanese, as the page shows it: in
    /// the page's language, then, on a page in another language, the
    /// original after kojo's rendering. A Japanese page has nothing to add.
    pub(crate) fn with_original<'a>(&self, label: &'a Label) -> Vec<&'a str> {
        let mut texts = vec![self.label(label)];
        if self.adds_original() {
            texts.push(&label.ja);
        }
        texts
    }

    /// Whether the page quotes the guideline's Japanese after its own text.
    pub(crate) fn adds_original(&self) -> bool {
        self.lang != Lang::Ja
    }

    /// Values joined as the language lists them.
    pub(crate) fn list<S: AsRef<str>>(&self, values: &[S]) -> String {
        let separator = self.plain("common.list-separator");
        values.iter().map(AsRef::as_ref).collect::<Vec<&str>>().join(&separator)
    }

    /// IDs as code, listed: "`a`, `b`".
    pub(crate) fn codes<S: AsRef<str>>(&self, ids: &[S]) -> String {
        self.list(&ids.iter().map(|id| format!("`{}`", id.as_ref())).collect::<Vec<_>>())
    }

    /// How the page names a catalogue term that has an ID and a label (a
    /// tier, a tier table or its row): an English page by the ID, which is
    /// the English word a model writes (`tier high`); a page in another
    /// language by the guideline's term in it (強度「高」).
    pub(crate) fn term(&self, id: &str, label: Option<&Label>) -> String {
        match (self.lang, label) {
            (Lang::En, _) | (_, None) => id.to_string(),
            (_, Some(label)) => self.label(label).to_string(),
        }
    }

    /// A tier, named as [`Words::term`] says, by the built-in profiles' labels.
    pub(crate) fn tier(&self, catalogue: &Catalogue, tier: &str) -> String {
        self.term(tier, catalogue.profiles().find_map(|p| p.tier(tier)).map(|t| &t.label))
    }

    /// "zone", "an asset", "conduits" in the page's language.
    pub(crate) fn entity(&self, applies: Applies, noun: Noun) -> String {
        let form = match noun {
            Noun::Bare => "entity",
            Noun::Indefinite => "a-entity",
            Noun::Plural => "entities",
        };
        self.plain(&format!("explain.common.{form}.{}", applies.as_str()))
    }

    /// "a zone or a conduit".
    pub(crate) fn entities_or(&self, applies: &[Applies], noun: Noun) -> String {
        let or = self.plain("explain.common.or");
        applies.iter().map(|a| self.entity(*a, noun)).collect::<Vec<_>>().join(&or)
    }

    /// A list item's text: "`id`: label", or the ID alone without a label.
    pub(crate) fn item(&self, id: &str, label: Option<&str>) -> String {
        match label {
            Some(label) => self.text("explain.common.item", &[("id", id), ("label", label)]),
            None => format!("`{id}`"),
        }
    }

    /// A section listing catalogue entries: its heading, then one item per
    /// ID with the entry's label (`label_of`), or the `none` message when
    /// there are no IDs.
    pub(crate) fn id_section<'c>(
        &self,
        out: &mut String,
        heading: &str,
        none: &str,
        ids: &[String],
        label_of: impl Fn(&str) -> Option<&'c Label>,
    ) {
        use std::fmt::Write;
        let _ = writeln!(out, "\n{}", self.heading(heading));
        if ids.is_empty() {
            let _ = writeln!(out, "{}", self.plain(none));
        }
        for id in ids {
            let label = label_of(id).map(|l| self.name(l));
            let _ = writeln!(out, "- {}", self.item(id, label.as_deref()));
        }
    }
}
