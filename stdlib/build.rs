//! Embeds every `explain/*.md` page (and its Japanese `explain/ja/*.md`), every `data/profiles/*.toml` profile,
//! every `templates/*.tera` document template, every `messages/*.toml`
//! message file and every file of `init/<lang>/` (what `kojo init` writes),
//! so adding one needs no code change.
//!
//! Writes `$OUT_DIR/embedded.rs` with sorted tables of
//! `(file stem, include_str!(absolute path))`, and for `init/` of
//! `(language, path inside the language's directory, include_str!(…))`. A
//! missing directory gives an empty table.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() -> Result<(), Box<dyn Error>> {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(env::var("OUT_DIR")?);

    let mut code = String::new();
    table(&mut code, "EXPLAIN_PAGES", &root.join("explain"), "md")?;
    table(&mut code, "EXPLAIN_PAGES_JA", &root.join("explain").join("ja"), "md")?;
    table(&mut code, "PROFILE_FILES", &root.join("data").join("profiles"), "toml")?;
    table(&mut code, "TEMPLATE_FILES", &root.join("templates"), "tera")?;
    table(&mut code, "MESSAGE_FILES", &root.join("messages"), "toml")?;
    init_table(&mut code, "INIT_FILES", &root.join("init"))?;
    fs::write(out.join("embedded.rs"), code)?;
    Ok(())
}

/// Appends `static NAME: &[(&str, &str, &str)]` listing every file below
/// each language directory of `dir` (hidden files included: `.gitattributes`),
/// as `(language, path with `/` separators, contents)`.
fn init_table(code: &mut String, name: &str, dir: &Path) -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, String, PathBuf)> = Vec::new();
    if dir.is_dir() {
        for entry in fs::read_dir(dir)? {
            let lang_dir = entry?.path();
            if !lang_dir.is_dir() {
                continue;
            }
            let Some(lang) = lang_dir.file_name().and_then(|s| s.to_str()).map(str::to_owned) else {
                return Err(format!("directory name is not UTF-8: {}", lang_dir.display()).into());
            };
            let mut pending = vec![lang_dir.clone()];
            while let Some(current) = pending.pop() {
                for entry in fs::read_dir(&current)? {
                    let path = entry?.path();
                    if path.is_dir() {
                        pending.push(path);
                        continue;
                    }
                    let relative = path.strip_prefix(&lang_dir)?;
                    let parts: Option<Vec<&str>> = relative.components().map(|c| c.as_os_str().to_str()).collect();
                    let Some(parts) = parts else {
                        return Err(format!("path is not UTF-8: {}", path.display()).into());
                    };
                    files.push((lang.clone(), parts.join("/"), path));
                }
            }
        }
    }
    files.sort();
    writeln!(code, "pub(crate) static {name}: &[(&str, &str, &str)] = &[")?;
    for (lang, relative, path) in &files {
        let Some(full) = path.to_str() else {
            return Err(format!("path is not UTF-8: {}", path.display()).into());
        };
        writeln!(code, "    ({lang:?}, {relative:?}, include_str!({full:?})),")?;
    }
    writeln!(code, "];")?;
    Ok(())
}

/// Appends `static NAME: &[(&str, &str)]` listing the `*.ext` files of `dir`.
fn table(code: &mut String, name: &str, dir: &Path, ext: &str) -> Result<(), Box<dyn Error>> {
    // A directory path makes cargo rescan everything in it; a missing one
    // makes the script rerun until it appears.
    println!("cargo:rerun-if-changed={}", dir.display());

    let mut files: Vec<(String, PathBuf)> = Vec::new();
    if dir.is_dir() {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if !path.is_file() || path.extension().and_then(|e| e.to_str()) != Some(ext) {
                continue;
            }
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                return Err(format!("file name is not UTF-8: {}", path.display()).into());
            };
            let Some(full) = path.to_str() else {
                return Err(format!("path is not UTF-8: {}", path.display()).into());
            };
            files.push((stem.to_owned(), PathBuf::from(full)));
        }
    }
    files.sort();
    // Look-ups ignore case, so two names that differ only in case would clash.
    let mut seen = BTreeMap::new();
    for (stem, _) in &files {
        if let Some(other) = seen.insert(stem.to_ascii_lowercase(), stem) {
            return Err(format!("`{other}` and `{stem}` in {} differ only in case", dir.display()).into());
        }
    }

    writeln!(code, "pub(crate) static {name}: &[(&str, &str)] = &[")?;
    for (stem, path) in &files {
        // `{:?}` writes a valid Rust string literal, escapes included.
        writeln!(code, "    ({stem:?}, include_str!({:?})),", path.display().to_string())?;
    }
    writeln!(code, "];")?;
    Ok(())
}
