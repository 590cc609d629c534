//! The one error type of the crate: a catalogue file that cannot be used.

/// A catalogue file is malformed or inconsistent. Names the file (for
/// example `services.toml` or `profiles/meti-factory.toml`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// The file is not valid TOML, or does not match the schema (a missing
    /// key, a wrong type, an unknown key).
    #[error("catalogue file `{file}` cannot be read: {message}")]
    Parse { file: String, message: String },
    /// Two entries of one file share an ID.
    #[error("catalogue file `{file}` declares `{id}` more than once")]
    DuplicateId { file: String, id: String },
    /// The file parses but breaks a rule: a dangling reference, an empty
    /// list that must not be empty, a value out of range.
    #[error("catalogue file `{file}`: {message}")]
    Invalid { file: String, message: String },
}

impl CatalogueError {
    /// The file the error is about.
    pub fn file(&self) -> &str {
        match self {
            CatalogueError::Parse { file, .. }
            | CatalogueError::DuplicateId { file, .. }
            | CatalogueError::Invalid { file, .. } => file,
        }
    }

    pub(crate) fn invalid(file: &str, message: impl Into<String>) -> Self {
        CatalogueError::Invalid { file: file.to_owned(), message: message.into() }
    }
}
