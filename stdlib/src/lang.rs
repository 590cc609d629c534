//! The two languages kojo writes in: every label, message and page exists
//! in English and Japanese.

use std::fmt;

/// A language kojo writes documents, pages and messages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The language of a locale tag an editor or a system reports (`ja`,
    /// `ja-JP`, `ja_JP.UTF-8`): Japanese for Japanese, English for the rest.
    pub fn of_locale(tag: &str) -> Lang {
        let primary = tag.split(['-', '_', '.']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_the_two_languages() {
        for tag in ["ja", "ja-JP", "JA_jp.UTF-8"] {
            assert_eq!(Lang::of_locale(tag), Lang::Ja, "{tag}");
        }
        for tag in ["en", "en-US", "de", "", "jav"] {
            assert_eq!(Lang::of_locale(tag), Lang::En, "{tag}");
        }
        assert_eq!(Lang::parse(Lang::Ja.code()), Some(Lang::Ja));
        assert_eq!(Lang::parse("jp"), None);
    }
}
