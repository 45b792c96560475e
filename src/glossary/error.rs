//! The glossary's error type: every variant says what went wrong and where.

use std::path::PathBuf;

use super::term::Status;
use crate::files::FileError;

/// Where in an input a problem was found: a file (or `-` for in-memory text) and a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file read, as given by the caller.
    pub file: PathBuf,
    /// 1-based line number; 0 when the problem is about the whole file.
    pub line: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}:{}", self.file.display(), self.line)
        }
    }
}

/// Errors of the glossary module.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    /// A file (TSV, CSV or TBX) could not be read as a glossary.
    #[error("{at}: {message}")]
    Malformed {
        /// File and line of the problem.
        at: Location,
        /// What is wrong and, where possible, what to do.
        message: String,
    },
    /// The input is larger than duiyi reads as one glossary.
    #[error("{file}: {size} bytes is more than the {limit}-byte limit for a glossary file", file = .file.display())]
    TooLarge {
        /// The file.
        file: PathBuf,
        /// Its size.
        size: u64,
        /// The limit ([`super::MAX_FILE_BYTES`]).
        limit: u64,
    },
    /// A term or field is not acceptable (empty source, a tab inside a field, ...).
    #[error("{0}")]
    Invalid(String),
    /// The person may not make this decision (the project's `[review]` rules).
    #[error("{who} may not {action} glossary entries: {rule}; {hint}")]
    NotPermitted {
        /// Who asked.
        who: String,
        /// The decision (`approve`, `reject`, …).
        action: &'static str,
        /// The rule that refuses it.
        rule: String,
        /// What to do instead.
        hint: String,
    },
    /// No entry matches the id or source term given.
    #[error(
        "no glossary entry {key:?} for language {lang}; `duiyi glossary list --lang {lang}` shows the entries"
    )]
    NotFound {
        /// The id or source term asked for.
        key: String,
        /// The glossary's language.
        lang: String,
    },
    /// Several entries match; the caller must name one by id (or by target).
    #[error("{key:?} names {count} entries; use one of these ids: {candidates}")]
    Ambiguous {
        /// The id or source term asked for.
        key: String,
        /// How many entries match.
        count: usize,
        /// `id (target, status)` of each.
        candidates: String,
    },
    /// The status change is not one of the allowed transitions.
    #[error("entry {id} ({source_term} → {target}) cannot go from {from} to {to}")]
    Transition {
        /// Entry id.
        id: String,
        /// Its source term.
        source_term: String,
        /// Its target rendering.
        target: String,
        /// Current status.
        from: Status,
        /// Requested status.
        to: Status,
    },
    /// Approving would make a second approved rendering of one source term.
    #[error(
        "{source_term} already has the approved rendering {existing:?} (id {existing_id}); \
         deprecate it first, or approve with --replace to deprecate it in the same step"
    )]
    AlreadyApproved {
        /// The source term.
        source_term: String,
        /// The approved rendering in place.
        existing: String,
        /// Its id.
        existing_id: String,
    },
    /// The same (source, target) pair is already in the glossary.
    #[error("{source_term} → {target} is already in the glossary (id {id}, {status})")]
    Duplicate {
        /// Source term.
        source_term: String,
        /// Target rendering.
        target: String,
        /// Id of the existing entry.
        id: String,
        /// Its status.
        status: Status,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Atomic write or lock failed.
    #[error(transparent)]
    Files(#[from] FileError),
    /// Reading the project's documents or translations failed (see [`super::project`]).
    #[error(transparent)]
    Store(Box<crate::store::StoreError>),
}

impl GlossaryError {
    /// A [`GlossaryError::Malformed`] at `file:line`.
    pub fn malformed_at(file: &std::path::Path, line: usize, message: impl Into<String>) -> Self {
        Self::malformed(file, line, message)
    }

    /// Whether the error is a refusal of the review workflow (exit code 1) rather than an
    /// input error (exit code 2): a second approved rendering, a disallowed status change, a
    /// duplicate entry.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::AlreadyApproved { .. }
                | Self::Transition { .. }
                | Self::Duplicate { .. }
                | Self::NotPermitted { .. }
        )
    }

    pub(crate) fn malformed(
        file: &std::path::Path,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        Self::Malformed {
            at: Location {
                file: file.to_path_buf(),
                line,
            },
            message: message.into(),
        }
    }
}
