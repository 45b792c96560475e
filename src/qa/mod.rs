//! Quality checks: what a careful reviewer of a Chinese official document catches, run before
//! approval and before publishing (`duiyi check`).
//!
//! Every check looks at one [`Item`] (a segment with its translation and what the segmentation
//! knows about it: role, heading style, inline references, the heading a TOC entry lists) and
//! reports [`Issue`]s. Checks that need the whole language — consistency, and the length ratio
//! learned from the project's own translations — first see every item once through
//! [`Check::learn`]. One file per check, behind the one small [`Check`] trait, so a check is
//! testable on plain strings without a project on disk:
//!
//! - [`check_numbers`] wraps the [`numbers`] library (万/亿 magnitudes, dates, ranges, ...);
//! - [`terms`] applies the glossary; [`untranslated`], [`consistency`], [`punctuation`],
//!   [`structure`], [`length`] and [`invisible`] need nothing else.
//!
//! [`run`] applies checks to items on all cores and drops what a reviewer has accepted
//! ([`accepted`]); [`project`] builds the items of a project's documents from the store.

pub mod accepted;
pub mod check_numbers;
pub mod consistency;
pub mod invisible;
pub mod length;
pub mod numbers;
pub mod project;
pub mod punctuation;
pub mod structure;
pub mod terms;
pub mod untranslated;

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::segment::{InlineReference, Role};

/// The names of the checks, in the order they run and report.
pub const CHECKS: [&str; 8] = [
    "numbers",
    "terms",
    "untranslated",
    "consistency",
    "punctuation",
    "structure",
    "length",
    "invisible",
];

/// Errors of the quality checks.
#[derive(Debug, thiserror::Error)]
pub enum QaError {
    /// A check name that does not exist.
    #[error("unknown check {0:?}; the checks are {list}", list = CHECKS.join(", "))]
    UnknownCheck(String),
    /// A setting of `[qa]` in duiyi.toml with a value the checks do not know.
    #[error("duiyi.toml [qa] {key} = {value:?}: {expected}")]
    Setting {
        /// The key.
        key: &'static str,
        /// The value found.
        value: String,
        /// What is allowed.
        expected: &'static str,
    },
    /// An acceptance without a reason.
    #[error("--note must say why the finding is acceptable")]
    NoReason,
    /// A malformed line of `accepted.jsonl`.
    #[error("{}:{line}: {message}; fix or remove that line", .path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Reading the glossary failed.
    #[error(transparent)]
    Glossary(#[from] crate::glossary::GlossaryError),
    /// Reading the store or the project failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Writing a file failed.
    #[error(transparent)]
    File(#[from] crate::files::FileError),
}

/// How serious a finding is; `--fail-on` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; may well be right.
    Warning,
    /// Almost certainly wrong: blocks by default.
    Error,
}

impl Severity {
    /// The name used in output and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

impl std::str::FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "warning" => Ok(Severity::Warning),
            "error" => Ok(Severity::Error),
            _ => Err(format!("unknown severity {s:?}; use error or warning")),
        }
    }
}

/// A segment and its translation as the checks see it.
#[derive(Debug, Clone, Default)]
pub struct Item<'a> {
    /// The document.
    pub doc: &'a str,
    /// The human ref.
    pub r#ref: &'a str,
    /// The stable id.
    pub id: &'a str,
    /// The source text.
    pub source: &'a str,
    /// The translation (empty when not translated).
    pub target: &'a str,
    /// The unit's role (`None` when the segmentation was not consulted).
    pub role: Option<Role>,
    /// The unit's heading or list style (`cn-comma`, `dash`, ...).
    pub style: Option<&'a str>,
    /// Whether this is the first segment of its unit (where a list marker or a heading number
    /// stands).
    pub first: bool,
    /// The inline references (（注1）, （见图1）) inside this segment.
    pub references: Vec<&'a InlineReference>,
    /// For a TOC entry: the translation of the heading it lists (empty when untranslated).
    pub linked_target: Option<&'a str>,
}

/// What a check reports about one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// How serious.
    pub severity: Severity,
    /// What is wrong, for a person.
    pub message: String,
}

impl Issue {
    /// An error.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning.
    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

/// One check.
pub trait Check: Send + Sync {
    /// Its name, as in [`CHECKS`], `--only` and `duiyi check accept`.
    fn name(&self) -> &'static str;
    /// Sees every item of the language once before any [`Check::check`] (for checks that learn
    /// from or compare across the whole translation).
    fn learn(&mut self, _items: &[Item<'_>]) {}
    /// The issues of one item.
    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>);
}

/// One finding: the `--json` contract (see `docs/qa.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The document.
    pub doc: String,
    /// The segment's ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The segment's id.
    pub id: String,
    /// The check that found it.
    pub check: &'static str,
    /// How serious.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:<7} {:<12} {}",
            self.r#ref, self.severity, self.check, self.message
        )
    }
}

/// Runs `checks` over `items` (learning first), on all cores, and returns the findings in item
/// order, then check order; `quiet` says which (item, check) pairs a reviewer accepted.
pub fn run(
    checks: &mut [Box<dyn Check>],
    items: &[Item<'_>],
    quiet: &(dyn Fn(&Item<'_>, &str) -> bool + Sync),
) -> Vec<Finding> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads > 1 && items.len() > CHUNK {
        // The checks learn independently of each other: each on its own thread.
        std::thread::scope(|s| {
            for c in checks.iter_mut() {
                s.spawn(move || c.learn(items));
            }
        });
    } else {
        for c in checks.iter_mut() {
            c.learn(items);
        }
    }
    let checks: &[Box<dyn Check>] = checks;
    let work = |part: &[Item<'_>]| {
        let mut found = Vec::new();
        let mut issues = Vec::new();
        for item in part {
            for c in checks {
                issues.clear();
                c.check(item, &mut issues);
                if issues.is_empty() || quiet(item, c.name()) {
                    continue;
                }
                found.extend(issues.drain(..).map(|i| Finding {
                    doc: item.doc.to_string(),
                    r#ref: item.r#ref.to_string(),
                    id: item.id.to_string(),
                    check: c.name(),
                    severity: i.severity,
                    message: i.message,
                }));
            }
        }
        found
    };
    if threads == 1 || items.len() <= CHUNK {
        return work(items);
    }
    // Small chunks handed out in turn, so a thread slowed down by other processes on a shared
    // machine does not hold back the others; the findings are put back in item order.
    let parts: Vec<&[Item<'_>]> = items.chunks(CHUNK).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut found: Vec<(usize, Vec<Finding>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(parts.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(part) = parts.get(i) else {
                            return mine;
                        };
                        let f = work(part);
                        if !f.is_empty() {
                            mine.push((i, f));
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    found.sort_unstable_by_key(|(i, _)| *i);
    found.into_iter().flat_map(|(_, f)| f).collect()
}

/// How many items a thread of [`run`] checks at a time.
const CHUNK: usize = 2048;

/// Whether `c` is a Han character (CJK ideographs, extensions A–F, compatibility).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
pub(crate) mod testing {
    use super::{Check, Issue, Item};

    /// An item with just source and target.
    pub(crate) fn item<'a>(source: &'a str, target: &'a str) -> Item<'a> {
        Item {
            doc: "doc",
            r#ref: "1¶1.1",
            id: "0000000000000000",
            source,
            target,
            first: true,
            ..Item::default()
        }
    }

    /// The issues of one item.
    pub(crate) fn issues(check: &dyn Check, item: &Item<'_>) -> Vec<Issue> {
        let mut out = Vec::new();
        check.check(item, &mut out);
        out
    }
}
