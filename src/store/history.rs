//! The journal `translations/<lang>/history.jsonl`: one line per change, appended, never
//! rewritten.
//!
//! Every change of a translation — by a person, an import or a source revision — adds an
//! [`Event`] saying who, when, which segment (id and the ref it had), the state before and
//! after, the text before and after when it changed, and the note. The store holds the present;
//! the journal holds how it came to be (`duiyi log`).

use std::fs;
use std::io;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::record::State;

/// One change of one translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When (UTC, RFC 3339).
    pub when: String,
    /// Who acted.
    pub who: String,
    /// The document.
    pub doc: String,
    /// The segment id.
    pub id: String,
    /// The segment's ref at the time.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// What happened: `set`, `import`, `edit`, `approve`, `reject`, `reopen`, `finalize`,
    /// `carry-over`, `obsolete`, `restore`.
    pub action: String,
    /// The state before.
    pub from: State,
    /// The state after.
    pub to: State,
    /// The text before, when the text changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// The text after, when the text changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// The note given with the action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The events as journal lines.
pub fn render(events: &[Event]) -> String {
    let mut out = String::new();
    for e in events {
        out.push_str(&serde_json::to_string(e).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Reads a journal strictly (a broken line is an error naming it); a missing journal is empty.
pub fn read(path: &Path) -> Result<Vec<Event>, StoreError> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| StoreError::Malformed {
                path: path.to_path_buf(),
                line: i + 1,
                message: format!("not a history event: {e}"),
            })
        })
        .collect()
}

/// The current time as UTC RFC 3339 with seconds (`2026-11-29T12:30:05Z`).
pub fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    timestamp(secs)
}

/// Formats seconds since the Unix epoch as UTC RFC 3339.
pub fn timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_795_955_405), "2026-11-29T12:30:05Z");
        assert_eq!(timestamp(1_795_953_600), "2026-11-29T12:00:00Z");
    }

    #[test]
    fn events_round_trip_and_bad_lines_are_named() {
        let e = Event {
            when: timestamp(0),
            who: "ana".into(),
            doc: "d".into(),
            id: "0123456789abcdef".into(),
            r#ref: "1¶1.1".into(),
            action: "set".into(),
            from: State::Initial,
            to: State::Translated,
            old: Some(String::new()),
            new: Some("China.".into()),
            note: None,
        };
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("history.jsonl");
        fs::write(&p, render(&[e.clone(), e.clone()])).unwrap();
        assert_eq!(read(&p).unwrap(), vec![e.clone(), e]);
        fs::write(&p, "{}\n").unwrap();
        assert!(
            read(&p)
                .unwrap_err()
                .to_string()
                .contains("history.jsonl:1:")
        );
    }
}
