//! Terminology: the glossary of fixed phrases, how reviewers govern it, and how it is found in
//! source and target text.
//!
//! A political or technical text lives or dies by its fixed phrases (人类命运共同体, 一带一路,
//! 南南合作 ...): each must be rendered the approved way every time. This module owns that list
//! and everything done with it, one concept per file:
//!
//! - [`term`]: a [`Term`] (one rendering of one source term) and its review [`Status`];
//! - [`entries`]: the [`Glossary`] of one language and the reviewer's operations (add,
//!   approve, reject, deprecate, forbid), each returning the [`Change`]s it made;
//! - [`tsv`]: `glossary/<lang>.tsv`, the file in the repository (OmegaT-compatible columns);
//! - [`journal`]: `glossary/history.jsonl`, who changed what, old → new;
//! - [`store`]: a project's glossary directory: locked read-modify-write with journaling;
//! - [`matcher`]: finding terms in unsegmented Chinese (aho-corasick, leftmost-longest, with
//!   width, quotation-mark and listed-variant folding);
//! - [`target`]: finding a rendering in English text despite case, inflection, articles and
//!   line breaks;
//! - [`check`](mod@check): findings for (segment, source, target) triples;
//! - [`hints`]: terms of a segment for `duiyi next` and `duiyi show`;
//! - [`extract`]: candidate terms from a document (jieba-rs word segmentation plus quotation,
//!   formula and body-name evidence);
//! - [`csv`] and [`tbx`]: interchange with spreadsheets and terminology tools;
//! - [`project`]: the glossary of a project: terms in its documents, candidates, checks of its
//!   translations, interchange files, for every face of `duiyi glossary`.
//!
//! Apart from [`project`], the module reads and writes plain strings and files; it knows
//! nothing of projects, stores or the CLI.

pub mod check;
pub mod csv;
pub mod entries;
pub mod error;
pub mod extract;
pub mod hints;
pub mod journal;
pub mod matcher;
pub mod project;
pub mod store;
pub mod target;
pub mod tbx;
pub mod term;
pub mod tsv;

use std::path::Path;

pub use check::{Finding, FindingKind, check};
pub use entries::{Action, Change, Filter, Glossary, Stamp};
pub use error::{GlossaryError, Location};
pub use extract::{Candidate, Evidence, ExtractOptions, Extractor};
pub use matcher::{Hit, Matcher};
pub use store::GlossaryStore;
pub use target::Rendering;
pub use term::{Status, Term};

/// The largest glossary file (TSV, CSV or TBX) duiyi reads: 32 MiB, some 200,000 entries.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

fn check_size(file: &Path, size: usize) -> Result<(), GlossaryError> {
    let size = size as u64;
    if size > MAX_FILE_BYTES {
        return Err(GlossaryError::TooLarge {
            file: file.to_path_buf(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    Ok(())
}

/// Reads a UTF-8 file no larger than [`MAX_FILE_BYTES`]; invalid UTF-8 is an error naming
/// the line.
fn read_limited(path: &Path) -> Result<String, GlossaryError> {
    let io = |source| GlossaryError::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(GlossaryError::TooLarge {
            file: path.to_path_buf(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..valid].split(|&b| b == b'\n').count();
        GlossaryError::malformed(path, line, "not valid UTF-8; save the file as UTF-8")
    })
}

/// Proptest strategies shared by the format tests.
#[cfg(test)]
pub(crate) mod strategy {
    use proptest::prelude::*;

    use super::{Glossary, Status, Term};

    fn field() -> impl Strategy<Value = String> {
        // Printable text without tabs, line breaks or `|`; may include XML/CSV specials.
        "[a-zA-Z0-9 ,;\"'<>&一带路南合作共同体-]{0,12}".prop_map(|s| s)
    }

    fn nonempty() -> impl Strategy<Value = String> {
        "[a-zA-Z一带路南合作共同体&<\"][a-zA-Z0-9 ,'&<>一带路南合作共同体-]{0,10}[a-zA-Z一带路南合作]"
    }

    fn status() -> impl Strategy<Value = Status> {
        prop::sample::select(Status::ALL.to_vec())
    }

    fn term() -> impl Strategy<Value = Term> {
        (
            (nonempty(), nonempty(), field(), status()),
            (
                prop::collection::vec(nonempty(), 0..3),
                prop::collection::vec(nonempty(), 0..3),
                any::<bool>(),
                "[a-z]{0,6}",
                (2000u32..2100, 1u32..13, 1u32..29),
            ),
        )
            .prop_map(
                |(
                    (source, target, comment, status),
                    (forbidden, variants, case_sensitive, by, (y, m, d)),
                )| Term {
                    source,
                    target,
                    comment,
                    status,
                    forbidden,
                    variants,
                    case_sensitive,
                    by,
                    at: format!("{y:04}-{m:02}-{d:02}T10:20:30Z"),
                },
            )
    }

    /// A list of entries that satisfies the glossary's invariants.
    pub(crate) fn glossary() -> impl Strategy<Value = Vec<Term>> {
        prop::collection::vec(term(), 0..8).prop_map(|terms| {
            let mut g = Glossary::new("en");
            for t in terms {
                let _ = g.push_checked(t);
            }
            g.terms().to_vec()
        })
    }
}
