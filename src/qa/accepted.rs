//! Accepted findings: a reviewer's decision that a check is wrong about a segment
//! (`duiyi check accept REF CHECK --note TEXT`).
//!
//! Decisions are appended to `translations/<lang>/accepted.jsonl`, one JSON object per line
//! (doc, id, ref, check, text, note, who, when), never rewritten, so git merges them line by
//! line. `text` is a fingerprint of the segment's source and target when accepted: the check
//! stays quiet for that segment only while both are unchanged, so an edit brings the question
//! back.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::QaError;
use crate::files;

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// The document.
    pub doc: String,
    /// The segment id.
    pub id: String,
    /// The segment ref when accepted (for people reading the file).
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The check.
    pub check: String,
    /// Fingerprint of source and target when accepted ([`fingerprint`]).
    pub text: String,
    /// Why the finding is acceptable.
    pub note: String,
    /// Who accepted it.
    pub who: String,
    /// When (UTC, RFC 3339).
    pub when: String,
}

/// The fingerprint of a segment's source and target.
pub fn fingerprint(source: &str, target: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(source.as_bytes());
    h.update(&[0]);
    h.update(target.as_bytes());
    h.finalize().to_hex()[..16].to_string()
}

/// The accepted-findings file of a language folder.
pub fn path(translations_dir: &Path) -> PathBuf {
    translations_dir.join("accepted.jsonl")
}

/// The accepted findings of a language, for fast lookup.
#[derive(Debug, Default)]
pub struct Accepted {
    keys: HashSet<(String, String, String, String)>,
}

impl Accepted {
    /// Reads `path` (empty when the file does not exist); a malformed line is an error naming it.
    pub fn read(path: &Path) -> Result<Self, QaError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => {
                return Err(QaError::Malformed {
                    path: path.to_path_buf(),
                    line: 0,
                    message: e.to_string(),
                });
            }
        };
        Self::parse(&text, path)
    }

    /// Parses the text of an `accepted.jsonl`; `path` is for error messages. A torn final line
    /// (a crash in the middle of an append: no line break, and it does not parse) is left out,
    /// as the journal's is; the next append cuts it.
    pub fn parse(text: &str, path: &Path) -> Result<Self, QaError> {
        let mut text = text;
        if !text.ends_with('\n') {
            let cut = text.rfind('\n').map_or(0, |i| i + 1);
            if serde_json::from_str::<Acceptance>(&text[cut..]).is_err() {
                text = &text[..cut];
            }
        }
        let mut keys = HashSet::new();
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let a: Acceptance = serde_json::from_str(line).map_err(|e| QaError::Malformed {
                path: path.to_path_buf(),
                line: n + 1,
                message: e.to_string(),
            })?;
            keys.insert((a.doc, a.id, a.check, a.text));
        }
        Ok(Self { keys })
    }

    /// Whether `check` was accepted for this segment with exactly this source and target.
    pub fn covers(&self, doc: &str, id: &str, check: &str, source: &str, target: &str) -> bool {
        !self.keys.is_empty()
            && self.keys.contains(&(
                doc.to_string(),
                id.to_string(),
                check.to_string(),
                fingerprint(source, target),
            ))
    }

    /// How many acceptances there are.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// Appends an acceptance to `path` (durably; the caller holds the language's lock).
pub fn append(path: &Path, acceptance: &Acceptance) -> Result<(), QaError> {
    let mut line = serde_json::to_string(acceptance).map_err(|e| QaError::Malformed {
        path: path.to_path_buf(),
        line: 0,
        message: e.to_string(),
    })?;
    line.push('\n');
    files::append_durable(path, line.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acceptance(source: &str, target: &str) -> Acceptance {
        Acceptance {
            doc: "white-paper".into(),
            id: "805306b5c3435f3b".into(),
            r#ref: "2.2¶2.1".into(),
            check: "length".into(),
            text: fingerprint(source, target),
            note: "a list lead-in, short on purpose".into(),
            who: "wang".into(),
            when: "2026-11-29T13:00:00Z".into(),
        }
    }

    #[test]
    fn a_torn_final_line_is_left_out_and_the_next_append_cuts_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path());
        let one = acceptance("——援建成套项目。", "– Complete projects.");
        append(&file, &one).unwrap();
        let whole = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, format!("{whole}{}", &whole[..40])).unwrap();
        assert_eq!(Accepted::read(&file).unwrap().len(), 1);
        let two = acceptance("——援建成套项目。", "– Turnkey projects.");
        append(&file, &two).unwrap();
        assert_eq!(Accepted::read(&file).unwrap().len(), 2);
        // A broken line that is not the last one is still an error naming it.
        std::fs::write(&file, format!("{}\n{whole}", &whole[..40])).unwrap();
        let err = Accepted::read(&file).unwrap_err().to_string();
        assert!(err.contains("accepted.jsonl:1"), "{err}");
    }

    #[test]
    fn an_acceptance_holds_until_the_text_changes() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path());
        assert!(Accepted::read(&file).unwrap().is_empty());
        append(
            &file,
            &acceptance("——援建成套项目。", "– Complete projects."),
        )
        .unwrap();
        let a = Accepted::read(&file).unwrap();
        assert_eq!(a.len(), 1);
        let id = "805306b5c3435f3b";
        assert!(a.covers(
            "white-paper",
            id,
            "length",
            "——援建成套项目。",
            "– Complete projects."
        ));
        assert!(!a.covers(
            "white-paper",
            id,
            "numbers",
            "——援建成套项目。",
            "– Complete projects."
        ));
        assert!(!a.covers(
            "white-paper",
            id,
            "length",
            "——援建成套项目。",
            "– Turnkey projects."
        ));
        assert!(!a.covers(
            "white-paper",
            id,
            "length",
            "——援建项目。",
            "– Complete projects."
        ));
    }

    #[test]
    fn a_malformed_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = path(dir.path());
        std::fs::write(&file, "{\"doc\": 1}\n").unwrap();
        let e = Accepted::read(&file).unwrap_err().to_string();
        assert!(e.contains("accepted.jsonl:1"), "{e}");
    }
}
