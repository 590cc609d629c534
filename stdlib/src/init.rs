//! The files of a new project, which `kojo init` writes: every file below
//! `init/<lang>/` (`kojo.kdl`, `plant.kojo`, `README.md`, …), embedded at
//! build time. An organisation changes what new projects start from by
//! editing these files; adding a file needs no code change.
//!
//! The one substitution: `{{project}}` anywhere in a file becomes the new
//! project's name. Nothing else in the files is interpreted.

use crate::embedded::INIT_FILES;

/// What the project's name replaces in the init files.
pub const PROJECT_PLACEHOLDER: &str = "{{project}}";

/// The languages with init files (`en`, `ja`), sorted.
pub fn init_languages() -> Vec<&'static str> {
    let mut langs: Vec<&str> = INIT_FILES.iter().map(|(lang, _, _)| *lang).collect();
    langs.dedup();
    langs
}

/// The files of a new project in `lang`, `(path inside the project, text)`
/// with the placeholder left in, sorted by path. Empty for a language
/// without init files.
pub fn init_files(lang: &str) -> impl Iterator<Item = (&'static str, &'static str)> + Clone + '_ {
    INIT_FILES.iter().filter(move |(l, _, _)| *l == lang).map(|(_, path, text)| (*path, *text))
}

/// The files of a new project named `project` in `lang`: `init_files`
/// with the project's name put in. `None` for a language without them.
pub fn init_project(lang: &str, project: &str) -> Option<Vec<(&'static str, String)>> {
    let files: Vec<(&str, String)> =
        init_files(lang).map(|(path, text)| (path, text.replace(PROJECT_PLACEHOLDER, project))).collect();
    (!files.is_empty()).then_some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_japanese_have_the_same_files() {
        assert_eq!(init_languages(), ["en", "ja"]);
        let paths = |lang| init_files(lang).map(|(path, _)| path).collect::<Vec<_>>();
        assert_eq!(paths("en"), paths("ja"));
        for required in ["kojo.kdl", "plant.kojo", "README.md"] {
            assert!(paths("en").contains(&required), "init/en/{required} is missing");
        }
    }

    #[test]
    fn the_name_is_put_in_and_nothing_else_is_left_to_fill() {
        for lang in init_languages() {
            let files = init_project(lang, "kanto-1").unwrap();
            let manifest = files.iter().find(|(path, _)| *path == "kojo.kdl").unwrap();
            assert!(manifest.1.contains("project \"kanto-1\"\n"), "init/{lang}/kojo.kdl names no project");
            assert!(manifest.1.contains(&format!("language \"{lang}\"\n")), "init/{lang}/kojo.kdl: language");
            for (path, text) in &files {
                assert!(!text.contains("{{"), "init/{lang}/{path} has a placeholder other than {PROJECT_PLACEHOLDER}");
                assert!(!text.contains('\r'), "init/{lang}/{path} has CR line endings");
                assert!(text.ends_with('\n'), "init/{lang}/{path} does not end with a newline");
            }
        }
        assert!(init_project("de", "x").is_none());
    }
}
