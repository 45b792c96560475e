//! The one way translations come in from files: CSV and XLSX tables, the `edit` working file,
//! XLIFF and TMX all become an [`IncomingFile`], and [`apply`] decides per segment what to do.
//!
//! # Bases and the three-way decision
//!
//! Every file duiyi exports carries, per segment, its **base**: the state and a hash of the
//! target text when the file was made ([`Base`]). Importing compares three texts — the base,
//! the store's (ours) and the file's (theirs) — as a three-way merge does:
//!
//! | file vs base | store vs base | what happens |
//! | --- | --- | --- |
//! | same | same | nothing to do |
//! | same | changed | nothing: the file is stale, the store's newer text stays ([`Report::stale`]) |
//! | changed | same | the file's text is applied |
//! | changed | changed | a **conflict**: nothing of that segment is applied; `--prefer file` or `--prefer store` decides |
//!
//! A file without bases (a foreign TMX or XLIFF, an old export) may fill and replace open
//! translations, but not reviewed or final ones unless the user forces it. A segment whose
//! source changed since the file was made is a conflict too.
//!
//! # States
//!
//! Changed text never keeps an approval, whatever the file says: new text is `translated` (or
//! `initial` when the file marks it a draft). A file may only *raise* a state, only for text the
//! store already has, only when the store's state is still the one the file was made from, and
//! only as far as the importing person may go ([`crate::review::permitted`]): a reviewer
//! approving in a spreadsheet is an approval by that reviewer, and nobody approves their own
//! text. A file never lowers a state.
//!
//! Everything is decided and applied on a copy of the store: a bad entry (an unknown id, an
//! empty or multi-line text) refuses the whole file with its line and changes nothing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::record::{Base, Origin, State};
use super::{Applied, Store, StoreError};
use crate::project::Project;
use crate::review::{Action, ReviewError};

/// One segment as a file from outside has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// 1-based line (or row) in the file, when the format has lines.
    pub line: Option<usize>,
    /// The segment id.
    pub id: String,
    /// The source text as the file has it, when the format carries it and it should be checked
    /// against the store (XLIFF, TMX).
    pub source: Option<String>,
    /// The target text (`None` or empty: the file has no translation for it).
    pub target: Option<String>,
    /// The state the file gives.
    pub state: Option<State>,
    /// What the file was made from.
    pub base: Option<Base>,
}

/// A file read for import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncomingFile {
    /// The file (for messages).
    pub path: PathBuf,
    /// Its segments, in file order.
    pub entries: Vec<Incoming>,
    /// The origin new text gets: `import` for exchange files, `human` for the working file.
    pub origin: Origin,
}

/// How to decide what the base cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prefer {
    /// Take the file's text in a conflict.
    File,
    /// Keep the store's text in a conflict.
    Store,
}

/// How [`apply`] decides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// How to settle conflicts (`None`: list them, apply nothing of those segments).
    pub prefer: Option<Prefer>,
    /// Let a file without bases replace reviewed and final text.
    pub force: bool,
}

/// Why a segment is a conflict.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum ConflictKind {
    /// The file and the store both changed the text since the file was made.
    BothChanged,
    /// The source text changed since the file was made: its translation is for the old one.
    SourceChanged {
        /// The source as the file has it.
        was: String,
    },
    /// A file without bases would replace a reviewed or final translation.
    Unbased,
}

/// A segment where the file and the store disagree and nothing was applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Conflict {
    /// The segment's ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The segment id.
    pub id: String,
    /// The line in the file.
    pub line: Option<usize>,
    /// Why.
    #[serde(flatten)]
    pub kind: ConflictKind,
    /// The base text, when the journal still has it (filled by the caller that reads it).
    pub base: Option<String>,
    /// The hash of the base text, to find it in the journal.
    pub base_hash: Option<String>,
    /// The store's text (ours) and its state.
    pub store: String,
    /// The store's state.
    pub store_state: State,
    /// The file's text (theirs).
    pub file: String,
}

/// A segment the file is behind on: the store changed since the file was made, the file did
/// not, so the store's newer text or state stays.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Stale {
    /// The segment's ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The line in the file.
    pub line: Option<usize>,
    /// What was kept.
    pub what: String,
}

/// A change the file asks for that the importing person may not make.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    /// The segment's ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The line in the file.
    pub line: Option<usize>,
    /// Why (the review rule).
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// Segments read from the file.
    pub read: usize,
    /// Changes applied (text, confirmations, raised states), in file order.
    pub applied: Vec<Applied>,
    /// Segments the file is behind on.
    pub stale: Vec<Stale>,
    /// Segments where file and store disagree; nothing of them was applied.
    pub conflicts: Vec<Conflict>,
    /// Changes refused by the review rules.
    pub refused: Vec<Refusal>,
}

impl Report {
    /// How many segments changed.
    pub fn changed(&self) -> usize {
        let mut refs: Vec<&str> = self
            .applied
            .iter()
            .filter(|a| a.changed)
            .map(|a| a.r#ref.as_str())
            .collect();
        refs.sort_unstable();
        refs.dedup();
        refs.len()
    }

    /// Whether everything the file asked for was done or deliberately left (no conflict, no
    /// refusal).
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty() && self.refused.is_empty()
    }

    /// The report as `duiyi import` and `duiyi edit` print it, lines ending in line breaks: a
    /// summary for `lang` and `doc` (with `unmatched` units of a memory that matched no
    /// segment), then every conflict with base, store and file text, every refusal and every
    /// stale segment, and what to do about conflicts.
    pub fn text(&self, lang: &str, doc: &str, unmatched: usize) -> String {
        let mut t = format!(
            "{lang} {doc}: {} segment(s) read, {} changed",
            self.read,
            self.changed()
        );
        if !self.stale.is_empty() {
            let _ = write!(
                t,
                ", {} kept (the store is newer than the file)",
                self.stale.len()
            );
        }
        if !self.conflicts.is_empty() {
            let _ = write!(t, ", {} conflict(s)", self.conflicts.len());
        }
        if !self.refused.is_empty() {
            let _ = write!(t, ", {} refused", self.refused.len());
        }
        if unmatched > 0 {
            let _ = write!(t, ", {unmatched} unit(s) matched no segment");
        }
        t.push('\n');
        let at = |line: Option<usize>| line.map(|l| format!(" (line {l})")).unwrap_or_default();
        for c in &self.conflicts {
            let why = match &c.kind {
                ConflictKind::BothChanged => {
                    "changed in the file and in the store since the file was made".to_string()
                }
                ConflictKind::SourceChanged { was } => {
                    format!("the source changed since the file was made (it was “{was}”)")
                }
                ConflictKind::Unbased => format!(
                    "the file has no base and would replace {} text",
                    c.store_state
                ),
            };
            let _ = writeln!(t, "conflict {}{}: {why}", c.r#ref, at(c.line));
            match (&c.base_hash, &c.base) {
                (Some(_), Some(b)) => _ = writeln!(t, "  base:  “{b}”"),
                (Some(hash), None) => {
                    _ = writeln!(t, "  base:  (text {hash}, no longer in the journal)");
                }
                (None, _) => {}
            }
            let _ = writeln!(t, "  store: “{}” ({})", c.store, c.store_state);
            let _ = writeln!(t, "  file:  “{}”", c.file);
        }
        for r in &self.refused {
            let _ = writeln!(t, "refused {}{}: {}", r.r#ref, at(r.line), r.message);
        }
        for s in &self.stale {
            let _ = writeln!(t, "kept {}{}: {}", s.r#ref, at(s.line), s.what);
        }
        if !self.conflicts.is_empty() {
            let unbased = self
                .conflicts
                .iter()
                .any(|c| c.kind == ConflictKind::Unbased);
            let _ = writeln!(
                t,
                "nothing of the conflicting segments was applied; decide with --prefer file or --prefer store{}",
                if unbased {
                    " (--force lets a file without bases replace reviewed text)"
                } else {
                    ""
                }
            );
        }
        t
    }
}

/// The steps of the review state machine that raise `from` to `to`, if there are any.
fn raise(from: State, to: State) -> Vec<Action<'static>> {
    let mut steps = Vec::new();
    let mut at = from;
    while at < to {
        let (step, next) = match at {
            State::Initial => (Action::Confirm, State::Translated),
            State::Translated => (Action::Approve, State::Reviewed),
            State::Reviewed => (Action::Finalize, State::Final),
            State::Final => break,
        };
        steps.push(step);
        at = next;
    }
    steps
}

/// Finds the base text of each conflict in the journal (the latest text with the base's hash).
pub fn fill_bases(
    project: &Project,
    lang: &str,
    doc: &str,
    report: &mut Report,
) -> Result<(), StoreError> {
    if report.conflicts.iter().all(|c| c.base_hash.is_none()) {
        return Ok(());
    }
    let (events, _) = super::history::read_committed(project, lang)?;
    for c in &mut report.conflicts {
        let Some(hash) = &c.base_hash else { continue };
        c.base = events
            .iter()
            .rev()
            .filter(|e| e.doc == doc && e.id == c.id)
            .flat_map(|e| [e.new.as_deref(), e.old.as_deref()])
            .flatten()
            .find(|t| super::record::text_hash(t) == *hash)
            .map(str::to_string);
    }
    Ok(())
}

/// Applies an incoming file to `store` as `who` (see the module documentation). On error
/// nothing is changed and the error names the file's line.
pub fn apply(
    store: &mut Store,
    file: &IncomingFile,
    options: Options,
    who: &str,
) -> Result<Report, StoreError> {
    let fail = |line: Option<usize>, message: String| StoreError::Exchange {
        path: file.path.clone(),
        line,
        message,
    };
    let mut seen: HashMap<&str, Option<usize>> = HashMap::new();
    let mut positions = Vec::with_capacity(file.entries.len());
    for e in &file.entries {
        if let Some(first) = seen.insert(e.id.as_str(), e.line) {
            return Err(fail(
                e.line,
                format!(
                    "segment {} appears twice{}; keep one",
                    e.id,
                    first
                        .map(|l| format!(" (first on line {l})"))
                        .unwrap_or_default()
                ),
            ));
        }
        let Some(at) = store.position(&e.id) else {
            return Err(fail(
                e.line,
                format!(
                    "no segment {} in {} (was the id changed, or the file made for another document?)",
                    e.id,
                    store.doc()
                ),
            ));
        };
        positions.push(at);
    }
    let mut copy = store.clone();
    let mut report = Report {
        read: file.entries.len(),
        ..Report::default()
    };
    for (e, &at) in file.entries.iter().zip(&positions) {
        decide(&mut copy, file, e, at, options, who, &mut report)?;
    }
    *store = copy;
    Ok(report)
}

/// The state the file asks for: the state it gives, unless that is just the state it was made
/// with (an unchanged state word asks for nothing).
fn requested(e: &Incoming) -> Option<State> {
    match &e.base {
        Some(b) if Some(b.state) == e.state => None,
        _ => e.state,
    }
}

/// Decides and applies one entry on the working copy.
fn decide(
    copy: &mut Store,
    file: &IncomingFile,
    e: &Incoming,
    at: usize,
    options: Options,
    who: &str,
    report: &mut Report,
) -> Result<(), StoreError> {
    let fail = |message: String| StoreError::Exchange {
        path: file.path.clone(),
        line: e.line,
        message,
    };
    let r = copy.records()[at].clone();
    let theirs = e.target.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if r.obsolete {
        if theirs.is_some_and(|t| t != r.target.trim()) {
            return Err(fail(format!(
                "segment {} is obsolete (its source was deleted); leave its text unchanged, or `duiyi restore` it first",
                e.id
            )));
        }
        return Ok(());
    }
    let conflict = |kind: ConflictKind, text: &str| Conflict {
        r#ref: r.r#ref.clone(),
        id: r.id.clone(),
        line: e.line,
        kind,
        base: None,
        base_hash: e.base.as_ref().map(|b| b.hash.clone()),
        store: r.target.clone(),
        store_state: r.state,
        file: text.to_string(),
    };
    let stale = |what: String| Stale {
        r#ref: r.r#ref.clone(),
        line: e.line,
        what,
    };
    let Some(text) = theirs else {
        return Ok(());
    };
    let same_text = text == r.target.trim();
    if let Some(was) = e.source.as_deref()
        && was.trim() != r.source.trim()
    {
        if same_text {
            return Ok(());
        }
        match options.prefer {
            Some(Prefer::Store) => {
                report
                    .stale
                    .push(stale("the store's text (the source changed)".into()));
            }
            Some(Prefer::File) => {
                let applied = edit(copy, file, e, at, text, who)?;
                report.applied.push(applied);
                let note = format!("translated for an earlier source: {was}");
                report
                    .applied
                    .push(copy.flag_for_review(at, &note, who, "import")?);
            }
            None => report.conflicts.push(conflict(
                ConflictKind::SourceChanged {
                    was: was.to_string(),
                },
                text,
            )),
        }
        return Ok(());
    }
    if same_text {
        return raise_state(copy, e, at, who, report);
    }
    let take_file = match &e.base {
        Some(base) if base.has_text(text) => {
            report.stale.push(stale(format!(
                "the store's newer text ({}; the file still has the text it was made from)",
                r.state
            )));
            false
        }
        Some(base) if base.has_text(&r.target) => true,
        Some(_) => match options.prefer {
            Some(Prefer::File) => true,
            Some(Prefer::Store) => {
                report
                    .stale
                    .push(stale("the store's text (--prefer store)".into()));
                false
            }
            None => {
                report
                    .conflicts
                    .push(conflict(ConflictKind::BothChanged, text));
                false
            }
        },
        None if r.state >= State::Reviewed
            && !options.force
            && options.prefer != Some(Prefer::File) =>
        {
            report.conflicts.push(conflict(ConflictKind::Unbased, text));
            false
        }
        None => true,
    };
    if take_file {
        let applied = edit(copy, file, e, at, text, who)?;
        report.applied.push(applied);
    }
    Ok(())
}

/// Writes the file's text into the record at `at` (a new text is translated, or a draft when
/// the file says `initial`; an approval never survives a change of text).
fn edit(
    copy: &mut Store,
    file: &IncomingFile,
    e: &Incoming,
    at: usize,
    text: &str,
    who: &str,
) -> Result<Applied, StoreError> {
    let state = (requested(e) == Some(State::Initial)).then_some(State::Initial);
    let action = Action::Edit {
        target: text,
        state,
    };
    let mut applied = copy
        .apply(at, &action, None, who, Some(file.origin.clone()))
        .map_err(|err| match err {
            StoreError::Review { r#ref, source } if !source.is_refusal() => StoreError::Exchange {
                path: file.path.clone(),
                line: e.line,
                message: format!("{ref}: {source}"),
            },
            other => other,
        })?;
    if let Some(s) = requested(e).filter(|s| *s >= State::Reviewed)
        && applied.changed
    {
        let said =
            format!("the file says {s}, but its text is new: it is translated and needs review");
        applied.notice = Some(match applied.notice.take() {
            Some(n) => format!("{n}; {said}"),
            None => said,
        });
    }
    Ok(applied)
}

/// Raises the state of a record whose text the file does not change, as far as the file asks,
/// the base allows and the importing person may.
fn raise_state(
    copy: &mut Store,
    e: &Incoming,
    at: usize,
    who: &str,
    report: &mut Report,
) -> Result<(), StoreError> {
    let r = &copy.records()[at];
    let Some(wanted) = requested(e).filter(|s| *s > r.state) else {
        return Ok(());
    };
    if let Some(base) = &e.base
        && base.state != r.state
    {
        report.stale.push(Stale {
            r#ref: r.r#ref.clone(),
            line: e.line,
            what: format!(
                "the store's state {} (it was {} when the file was made; the file's {wanted} is not applied)",
                r.state, base.state
            ),
        });
        return Ok(());
    }
    for step in raise(r.state, wanted) {
        match copy.check(at, &step, who) {
            Ok(()) => report.applied.push(copy.apply(at, &step, None, who, None)?),
            Err(StoreError::Review { r#ref, source }) if source.is_refusal() => {
                let message = match &source {
                    ReviewError::NotPermitted { rule, hint, .. } => format!(
                        "the file says {wanted}, but {who} may not {}: {rule}; {hint}",
                        step.name()
                    ),
                    other => format!("the file says {wanted}: {other}"),
                };
                report.refused.push(Refusal {
                    r#ref,
                    line: e.line,
                    message,
                });
                break;
            }
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raising_walks_the_state_machine() {
        assert_eq!(
            raise(State::Initial, State::Final),
            vec![Action::Confirm, Action::Approve, Action::Finalize]
        );
        assert_eq!(
            raise(State::Translated, State::Reviewed),
            vec![Action::Approve]
        );
        assert!(raise(State::Final, State::Reviewed).is_empty());
    }
}
