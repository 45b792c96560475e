//! Printing what several commands print alike: JSON, what a store write did besides its own
//! result, an import's report.

use std::io::Write;

use serde::Serialize;

use super::Error;
use crate::store::import::Report;
use crate::store::{Applied, Changes, Committed};

/// Prints `value` as pretty JSON and a line break.
pub(super) fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> Result<(), Error> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// Tells the user, on stderr, what a write did besides its own result: warnings about the
/// stores read and what a merge with a changed source recorded.
pub(super) fn committed<T>(lang: &str, doc: &str, committed: &Committed<T>) {
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
pub(super) fn notices(lang: &str, applied: &[Applied]) {
    for a in applied {
        if let Some(n) = &a.notice {
            eprintln!("{lang} {}: {n}", a.r#ref);
        }
    }
}

/// Prints `LANG REF: STATE[, FLAG…]` for each change (`unchanged` when nothing changed, else
/// `unchanged_text`), after the notices on stderr.
pub(super) fn applied(
    out: &mut dyn Write,
    lang: &str,
    applied: &[Applied],
    unchanged_text: &str,
) -> Result<(), Error> {
    notices(lang, applied);
    for a in applied {
        if !a.changed {
            writeln!(out, "{lang} {}: {unchanged_text}", a.r#ref)?;
            continue;
        }
        write!(out, "{lang} {}: {}", a.r#ref, a.state)?;
        for flag in &a.flags {
            write!(out, ", {flag}")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Prints what an import did: the notices of applied changes (stderr), then the report.
pub(super) fn import_report(
    out: &mut dyn Write,
    lang: &str,
    doc: &str,
    report: &Report,
    unmatched: usize,
) -> Result<(), Error> {
    notices(lang, &report.applied);
    write!(out, "{}", report.text(lang, doc, unmatched))?;
    Ok(())
}

/// Prints what a write to one store did: with `json` the [`crate::store::Summary`] of the
/// change (and nothing on stderr); otherwise the warnings and notices on stderr and
/// `LANG REF: STATE` lines (`unchanged_text` for a segment that did not change).
pub(super) fn changes(
    out: &mut dyn Write,
    json: bool,
    lang: &str,
    doc: &str,
    committed: Committed<Vec<Applied>>,
    unchanged_text: &str,
) -> Result<(), Error> {
    let committed = committed.map(|applied| Changes { applied });
    if json {
        return self::json(out, &committed.summary(lang, doc));
    }
    self::committed(lang, doc, &committed);
    applied(out, lang, &committed.value.applied, unchanged_text)
}
