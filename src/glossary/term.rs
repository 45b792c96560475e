//! A glossary entry ([`Term`]): one rendering of one source term in one language, and the
//! review [`Status`] it moves through.
//!
//! Several entries may share a source term (one approved rendering, older ones deprecated,
//! proposals waiting); the pair (source, target) is unique. The allowed status changes live in
//! [`Status::can_become`], the one place that enforces them:
//!
//! ```text
//! proposed ──▶ approved ──▶ deprecated ──▶ approved (reinstated)
//!     │                          ▲
//!     ├──────────────────────────┘
//!     └──▶ rejected ──▶ proposed (proposed again by `add`)
//! ```

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::GlossaryError;

/// Review status of a rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Suggested, not yet reviewed; shown to translators as a hint.
    Proposed,
    /// The rendering to use; checks require it.
    Approved,
    /// Refused by a reviewer.
    Rejected,
    /// Formerly used or approved, now to be avoided; checks flag it.
    Deprecated,
}

impl Status {
    /// Every status, in the order of the review workflow.
    pub const ALL: [Self; 4] = [
        Self::Proposed,
        Self::Approved,
        Self::Rejected,
        Self::Deprecated,
    ];

    /// The word used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Deprecated => "deprecated",
        }
    }

    /// Whether a reviewer may move an entry from `self` to `next`.
    pub fn can_become(self, next: Self) -> bool {
        use Status::{Approved, Deprecated, Proposed, Rejected};
        matches!(
            (self, next),
            (Proposed, Approved | Rejected | Deprecated)
                | (Approved, Deprecated)
                | (Deprecated, Approved)
                | (Rejected, Proposed)
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = GlossaryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| {
                GlossaryError::Invalid(format!(
                    "unknown status {s:?}; expected one of proposed, approved, rejected, deprecated"
                ))
            })
    }
}

/// One rendering of a source term in the glossary's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    /// The source (Chinese) term, as written in the source text.
    pub source: String,
    /// Its rendering in the target language.
    pub target: String,
    /// Free comment for translators (`OmegaT` shows it).
    pub comment: String,
    /// Review status.
    pub status: Status,
    /// Target-language variants that must not be used for this source term.
    pub forbidden: Vec<String>,
    /// Accepted variants of the source term (traditional characters, abbreviations).
    pub variants: Vec<String>,
    /// Whether the target rendering must match with exact case.
    pub case_sensitive: bool,
    /// Who made the last change.
    pub by: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}

impl Term {
    /// A new proposed entry with no variants.
    pub fn proposed(source: &str, target: &str, comment: &str, by: &str, at: &str) -> Self {
        Self {
            source: source.to_owned(),
            target: target.to_owned(),
            comment: comment.to_owned(),
            status: Status::Proposed,
            forbidden: Vec::new(),
            variants: Vec::new(),
            case_sensitive: false,
            by: by.to_owned(),
            at: at.to_owned(),
        }
    }

    /// Stable short id of the entry: derived from (source, target), so it survives edits of
    /// every other field and is the same on every machine.
    pub fn id(&self) -> String {
        term_id(&self.source, &self.target)
    }

    /// Checks the entry can be stored in every format duiyi writes: non-empty source and
    /// target, no tab, line break or other control character, no `|` inside list items.
    pub fn validate(&self) -> Result<(), GlossaryError> {
        if self.source.trim().is_empty() {
            return Err(GlossaryError::Invalid("empty source term".into()));
        }
        if self.target.trim().is_empty() {
            return Err(GlossaryError::Invalid(format!(
                "empty target rendering for {}",
                self.source
            )));
        }
        let fields = [
            ("source", &self.source),
            ("target", &self.target),
            ("comment", &self.comment),
            ("by", &self.by),
            ("at", &self.at),
        ];
        for (name, value) in fields {
            if let Some(c) = value.chars().find(|c| c.is_control()) {
                return Err(GlossaryError::Invalid(format!(
                    "{name} {value:?} contains the control character {c:?}"
                )));
            }
        }
        for (name, list) in [("forbidden", &self.forbidden), ("variants", &self.variants)] {
            for item in list {
                if item.trim().is_empty()
                    || item.contains('|')
                    || item.chars().any(char::is_control)
                {
                    return Err(GlossaryError::Invalid(format!(
                        "{name} item {item:?} of {} is empty or contains `|` or a control character",
                        self.source
                    )));
                }
            }
        }
        Ok(())
    }
}

/// The id of the entry rendering `source` as `target`: 8 hex digits of a BLAKE3 hash.
pub fn term_id(source: &str, target: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(source.as_bytes());
    hasher.update(b"\t");
    hasher.update(target.as_bytes());
    hasher.finalize().to_hex()[..8].to_owned()
}

#[cfg(test)]
mod tests {
    use super::Status::{Approved, Deprecated, Proposed, Rejected};
    use super::*;

    #[test]
    fn every_transition_is_specified() {
        let allowed = [
            (Proposed, Approved),
            (Proposed, Rejected),
            (Proposed, Deprecated),
            (Approved, Deprecated),
            (Deprecated, Approved),
            (Rejected, Proposed),
        ];
        for from in Status::ALL {
            for to in Status::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn status_parses_its_own_words_only() {
        for status in Status::ALL {
            assert_eq!(status.as_str().parse::<Status>().unwrap(), status);
        }
        let err = "Approved".parse::<Status>().unwrap_err();
        assert!(err.to_string().contains("unknown status"));
    }

    #[test]
    fn id_depends_on_source_and_target_only() {
        let a = Term::proposed("一带一路", "Belt and Road", "", "a", "t");
        let mut b = a.clone();
        b.comment = "x".into();
        b.status = Approved;
        assert_eq!(a.id(), b.id());
        assert_eq!(a.id().len(), 8);
        assert_ne!(a.id(), term_id("一带一路", "Belt and Road Initiative"));
    }

    #[test]
    fn validation_refuses_empty_source_and_tabs() {
        assert!(Term::proposed(" ", "x", "", "", "").validate().is_err());
        assert!(Term::proposed("a", "x\ty", "", "", "").validate().is_err());
        let mut t = Term::proposed("a", "x", "", "", "");
        t.forbidden.push("b|c".into());
        assert!(t.validate().is_err());
    }
}
