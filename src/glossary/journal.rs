//! The glossary's change journal: `glossary/history.jsonl`, append-only, one JSON object per
//! change (who, when, language, action, entry id, old → new, note).
//!
//! The journal is the audit trail reviewers ask for ("who approved this rendering, and what
//! was it before?"). It is appended under the same lock as the glossary file it describes and
//! never rewritten; one line per change keeps git merges of two reviewers' work line-based.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Change, GlossaryError};
use crate::files;

/// Appends `changes` to the journal at `path`, one JSON line each.
pub fn append(path: &Path, changes: &[Change]) -> Result<(), GlossaryError> {
    if changes.is_empty() {
        return Ok(());
    }
    let mut lines = String::new();
    for change in changes {
        // A Change is plain strings and enums: serializing it cannot fail.
        let line = serde_json::to_string(change).map_err(|e| {
            GlossaryError::Invalid(format!("cannot serialize a journal entry: {e}"))
        })?;
        lines.push_str(&line);
        lines.push('\n');
    }
    files::append_durable(path, lines.as_bytes())?;
    Ok(())
}

/// The current time as RFC 3339 UTC with second precision (`2026-11-29T12:00:00Z`).
pub fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_utc(secs)
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC.
pub fn format_utc(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    // Both are small positive numbers by construction.
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Glossary, Stamp, Term};

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_795_953_600), "2026-11-29T12:00:00Z");
    }

    #[test]
    fn journal_lines_record_who_when_and_old_to_new() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        let stamp = Stamp {
            by: "wang".into(),
            at: "2026-11-29T12:00:00Z".into(),
        };
        let mut g = Glossary::new("en");
        let add = g
            .add(
                Term::proposed("一带一路", "Belt and Road Initiative", "", "", ""),
                &stamp,
            )
            .unwrap();
        let approve = g.approve(&add.id, None, false, Some("ok"), &stamp).unwrap();
        append(&path, &[add]).unwrap();
        append(&path, &approve).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["action"], "add");
        assert!(lines[0]["old"].is_null());
        assert_eq!(lines[1]["by"], "wang");
        assert_eq!(lines[1]["old"]["status"], "proposed");
        assert_eq!(lines[1]["new"]["status"], "approved");
        assert_eq!(lines[1]["note"], "ok");
    }
}
