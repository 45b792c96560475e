//! Printing what several commands print alike: JSON, what a store write did besides its own
//! result, and an import's report.

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use super::Error;
use crate::store::import::{ConflictKind, Report};
use crate::store::{Applied, Committed};

/// Prints `value` as pretty JSON and a line break.
pub fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Tells the user, on stderr, what a write did besides its own result: warnings about the
/// stores read and what a merge with a changed source recorded.
pub fn committed<T>(lang: &str, doc: &str, committed: &Committed<T>) {
    for w in &committed.warnings {
        eprintln!("warning: {w}");
    }
    let merged = committed.merge_counts();
    if !merged.is_empty() {
        eprintln!(
            "{lang} {doc}: the source changed: {} translation(s) carried over (needs-review), {} obsolete, {} restored",
            merged.carried_over, merged.obsolete, merged.restored
        );
    }
}

/// Tells the user, on stderr, the notices of changes applied to `lang` (a reviewed segment went
/// back to translated, …).
pub fn notices(lang: &str, applied: &[Applied]) {
    for a in applied {
        if let Some(n) = &a.notice {
            eprintln!("{lang} {}: {n}", a.r#ref);
        }
    }
}

/// Prints `LANG REF: STATE` for each change (`unchanged` when nothing changed, else
/// `unchanged_text`), after the notices on stderr.
pub fn applied(
    out: &mut dyn Write,
    lang: &str,
    applied: &[Applied],
    unchanged_text: &str,
) -> Result<(), Error> {
    notices(lang, applied);
    for a in applied {
        let what = if a.changed {
            a.state.name()
        } else {
            unchanged_text
        };
        writeln!(out, "{lang} {}: {what}", a.r#ref)?;
    }
    Ok(())
}

/// Prints what an import did: the notices of applied changes (stderr), a summary line, then
/// every conflict with base, store and file text, every refusal and every stale segment.
pub fn import_report(
    out: &mut dyn Write,
    lang: &str,
    doc: &str,
    report: &Report,
    unmatched: usize,
) -> Result<(), Error> {
    notices(lang, &report.applied);
    let mut summary = format!(
        "{lang} {doc}: {} segment(s) read, {} changed",
        report.read,
        report.changed()
    );
    if !report.stale.is_empty() {
        let _ = write!(
            summary,
            ", {} kept (the store is newer than the file)",
            report.stale.len()
        );
    }
    if !report.conflicts.is_empty() {
        let _ = write!(summary, ", {} conflict(s)", report.conflicts.len());
    }
    if !report.refused.is_empty() {
        let _ = write!(summary, ", {} refused", report.refused.len());
    }
    if unmatched > 0 {
        let _ = write!(summary, ", {unmatched} unit(s) matched no segment");
    }
    writeln!(out, "{summary}")?;
    let at = |line: Option<usize>| line.map(|l| format!(" (line {l})")).unwrap_or_default();
    for c in &report.conflicts {
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
        writeln!(out, "conflict {}{}: {why}", c.r#ref, at(c.line))?;
        if let Some(hash) = &c.base_hash {
            match &c.base {
                Some(b) => writeln!(out, "  base:  “{b}”")?,
                None => writeln!(out, "  base:  (text {hash}, no longer in the journal)")?,
            }
        }
        writeln!(out, "  store: “{}” ({})", c.store, c.store_state)?;
        writeln!(out, "  file:  “{}”", c.file)?;
    }
    for r in &report.refused {
        writeln!(out, "refused {}{}: {}", r.r#ref, at(r.line), r.message)?;
    }
    for s in &report.stale {
        writeln!(out, "kept {}{}: {}", s.r#ref, at(s.line), s.what)?;
    }
    if !report.conflicts.is_empty() {
        let unbased = report
            .conflicts
            .iter()
            .any(|c| c.kind == ConflictKind::Unbased);
        writeln!(
            out,
            "nothing of the conflicting segments was applied; decide with --prefer file or --prefer store{}",
            if unbased {
                " (--force lets a file without bases replace reviewed text)"
            } else {
                ""
            }
        )?;
    }
    Ok(())
}
