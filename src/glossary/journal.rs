//! The glossary's change journal: `glossary/history.jsonl`, append-only, one JSON object per
//! change (who, when, language, action, entry id, old → new, note).
//!
//! The journal is the audit trail reviewers ask for ("who approved this rendering, and what
//! was it before?"). It is appended under the same lock as the glossary file it describes and
//! never rewritten; one line per change keeps git merges of two reviewers' work line-based.
//! Its timestamps are the translation journal's ([`crate::clock::now`]).

use std::path::Path;

use super::{Change, GlossaryError};
use crate::files;

/// Appends `changes` to the journal at `path`, one JSON line each; the append can be taken
/// back ([`files::Appended::rollback`]) when the change it records is not written after all.
pub fn append(path: &Path, changes: &[Change]) -> Result<Option<files::Appended>, GlossaryError> {
    if changes.is_empty() {
        return Ok(None);
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
    Ok(Some(files::append_journal(path, lines.as_bytes())?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::{Glossary, Stamp, Term};

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
