//! The journal `translations/<lang>/history.jsonl`: one line per change, appended, never
//! rewritten.
//!
//! Every change of a translation — by a person, an import or a source revision — adds an
//! [`Event`] saying who, when, which segment (id and the ref it had), the state before and
//! after, the text before and after when it changed, and the note. The store holds the present;
//! the journal holds how it came to be (`duiyi log`, `duiyi revert`).
//!
//! # One change, two files
//!
//! A change is written journal first: its events are appended (and flushed) under a new
//! transaction id, then the store is replaced with a header naming that id
//! ([`super::record::Header::tx`]). A crash between the two leaves a journal whose last group
//! of events names a transaction its store never saw; [`recover`] (run under the language's
//! lock before every write) moves that group, and any torn line a crash in the middle of an
//! append left, out of the journal into `history.rolled-back.jsonl`, so the journal tells
//! exactly what the stores hold and nothing anyone wrote is thrown away. Readers without the
//! lock ([`read_committed`]) skip the same lines. Because every write holds the lock and
//! recovers first, only the journal's last group can ever be uncommitted.

use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::StoreError;
use super::record::{Header, State};
use crate::files;
use crate::project::Project;

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
    /// What happened: `set`, `import`, `edit`, `align`, `translate`, `confirm`, `revert`,
    /// `approve`, `reject`, `reopen`, `finalize`, `carry-over`, `obsolete`, `restore`.
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
    /// The transaction that wrote this event and its store (absent in journals written before
    /// transactions existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx: Option<String>,
}

impl Event {
    /// Whether the event wrote machine text (a backend's or the memory's draft), as opposed to
    /// text a person answers for.
    pub fn is_machine_text(&self) -> bool {
        self.action == "translate"
    }
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
/// A torn final line (a crash in the middle of an append, no line break) is not an error: it
/// is left out and counted in [`Journal::torn`].
pub fn read(path: &Path) -> Result<Journal, StoreError> {
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Journal::default()),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    parse(path, &text)
}

/// The journal in `text`, read from `path` (named in errors), as [`read`] reads it.
pub fn parse(path: &Path, text: &str) -> Result<Journal, StoreError> {
    let mut body = text;
    let mut torn = 0;
    if !body.is_empty() && !body.ends_with('\n') {
        let cut = body.rfind('\n').map_or(0, |i| i + 1);
        let tail = &body[cut..];
        if serde_json::from_str::<Event>(tail).is_err() {
            torn = tail.len();
            body = &body[..cut];
        }
    }
    let events = body
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| StoreError::Malformed {
                path: path.to_path_buf(),
                line: i + 1,
                message: format!("not a history event: {e}"),
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Journal { events, torn })
}

/// A journal as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Journal {
    /// The events, oldest first.
    pub events: Vec<Event>,
    /// Bytes of a torn final line that were left out.
    pub torn: usize,
}

/// Reads `lang`'s journal without the lock, leaving out what [`recover`] would roll back: a
/// torn final line and a last transaction whose store never got written. Returns the events
/// and how many were left out.
pub fn read_committed(project: &Project, lang: &str) -> Result<(Vec<Event>, usize), StoreError> {
    let path = super::history_path(project, lang);
    let mut journal = read(&path)?;
    let mut left_out = usize::from(journal.torn > 0);
    if let Some(last) = journal.events.last()
        && let Some(tx) = last.tx.clone()
        && !committed(project, lang, &last.doc, &tx)?
    {
        let start = journal
            .events
            .iter()
            .rposition(|e| e.tx.as_deref() != Some(tx.as_str()))
            .map_or(0, |i| i + 1);
        let group = journal.events.split_off(start);
        let held = reflected(project, lang, &group)?;
        left_out += held.iter().filter(|h| !**h).count();
        journal.events.extend(
            group
                .into_iter()
                .zip(held)
                .filter(|(_, h)| *h)
                .map(|(e, _)| e),
        );
    }
    Ok((journal.events, left_out))
}

/// What [`tail`] read: the events appended since an offset, and where to read from next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tail {
    /// The events of the whole lines after the offset, oldest first (lines that are not
    /// events are left out: a reader of the tail only follows).
    pub events: Vec<Event>,
    /// The offset after the last whole line read.
    pub end: u64,
}

/// The events appended to `lang`'s journal from byte offset `from` on, without the lock (a
/// face following changes: `duiyi serve`'s event stream). Only whole lines are read; a journal
/// shorter than `from` was cut back by [`recover`], and reading starts again at its end.
/// Whether the events reached their stores is for the caller to ask ([`committed`]).
pub fn tail(project: &Project, lang: &str, from: u64) -> Result<Tail, StoreError> {
    let path = super::history_path(project, lang);
    let mut file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Tail::default()),
        Err(e) => return Err(StoreError::io(&path, e)),
    };
    let len = file.metadata().map_err(|e| StoreError::io(&path, e))?.len();
    if len < from {
        return Ok(Tail {
            events: Vec::new(),
            end: len,
        });
    }
    file.seek(SeekFrom::Start(from))
        .map_err(|e| StoreError::io(&path, e))?;
    let mut bytes = Vec::new();
    file.take(len - from)
        .read_to_end(&mut bytes)
        .map_err(|e| StoreError::io(&path, e))?;
    let whole = memchr::memrchr(b'\n', &bytes).map_or(0, |i| i + 1);
    let events = bytes[..whole]
        .split(|b| *b == b'\n')
        .filter_map(|line| serde_json::from_slice::<Event>(line).ok())
        .collect();
    Ok(Tail {
        events,
        end: from + whole as u64,
    })
}

/// For each event of a transaction its store's header does not name, whether the store holds
/// what the event did all the same — a git merge may have kept the other side's header line
/// while keeping these records. A segment's last event in the group must match its record:
/// the state it went to, and the text when it wrote one. A segment's events are judged
/// together.
fn reflected(project: &Project, lang: &str, group: &[Event]) -> Result<Vec<bool>, StoreError> {
    let Some(doc) = group.first().map(|e| e.doc.as_str()) else {
        return Ok(Vec::new());
    };
    let path = super::store_path(project, lang, doc);
    let Some(bytes) = super::file::read_bytes(&path)? else {
        return Ok(vec![false; group.len()]);
    };
    let Ok(parsed) = super::file::parse_as::<super::record::RecordView<'_>>(&path, &bytes) else {
        return Ok(vec![false; group.len()]);
    };
    let records: std::collections::HashMap<&str, &super::record::RecordView<'_>> =
        parsed.records.iter().map(|r| (r.id.as_ref(), r)).collect();
    let mut last: std::collections::HashMap<&str, &Event> = std::collections::HashMap::new();
    for e in group {
        last.insert(e.id.as_str(), e);
    }
    let held: std::collections::HashMap<&str, bool> = last
        .iter()
        .map(|(id, e)| {
            let ok = records
                .get(id)
                .is_some_and(|r| r.state == e.to && e.new.as_deref().is_none_or(|t| r.target == t));
            (*id, ok)
        })
        .collect();
    Ok(group.iter().map(|e| held[e.id.as_str()]).collect())
}

/// Whether transaction `tx` of document `doc` reached its store: the store's header names it.
pub fn committed(project: &Project, lang: &str, doc: &str, tx: &str) -> Result<bool, StoreError> {
    let path = super::store_path(project, lang, doc);
    let mut first = Vec::new();
    match File::open(&path) {
        Ok(f) => {
            let mut reader = io::BufReader::new(f);
            io::BufRead::read_until(&mut reader, b'\n', &mut first)
                .map_err(|e| StoreError::io(&path, e))?;
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(StoreError::io(&path, e)),
    }
    let header: Option<Header> = serde_json::from_slice(first.trim_ascii()).ok();
    Ok(header.and_then(|h| h.tx).as_deref() == Some(tx))
}

/// The transaction the journal ended with after the last recovery: the `{"checkpoint": TX}`
/// line that ends `history.rolled-back.jsonl`, if it does.
fn last_checkpoint(path: &Path) -> Result<Option<String>, StoreError> {
    #[derive(Deserialize)]
    struct Checkpoint {
        checkpoint: String,
    }
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    let len = f.metadata().map_err(|e| StoreError::io(path, e))?.len();
    let mut lines = Backwards::new(&mut f, len);
    while let Some((_, line)) = lines.next_line().map_err(|e| StoreError::io(path, e))? {
        if line.trim_ascii().is_empty() {
            continue;
        }
        return Ok(serde_json::from_slice::<Checkpoint>(&line)
            .ok()
            .map(|c| c.checkpoint));
    }
    Ok(None)
}

/// What [`recover`] moved out of a journal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Events of an interrupted transaction that never reached the store.
    pub events: usize,
    /// Bytes of a torn final line.
    pub torn: usize,
    /// Where they were kept.
    pub kept: Option<PathBuf>,
}

impl Recovered {
    /// Whether anything was moved.
    pub fn any(&self) -> bool {
        self.events > 0 || self.torn > 0
    }
}

/// The file that keeps what [`recover`] moves out of `lang`'s journal.
pub fn rolled_back_path(project: &Project, lang: &str) -> PathBuf {
    project
        .translations_dir(lang)
        .join("history.rolled-back.jsonl")
}

/// Brings `lang`'s journal back in step with its stores after a crash: a torn final line and a
/// last transaction whose store header does not name it are moved to
/// [`rolled_back_path`]. Only under the language's lock. Reads only the journal's last line
/// when nothing needs doing.
pub fn recover(project: &Project, lang: &str) -> Result<Recovered, StoreError> {
    let path = super::history_path(project, lang);
    let mut f = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Recovered::default()),
        Err(e) => return Err(StoreError::io(&path, e)),
    };
    let len = f.metadata().map_err(|e| StoreError::io(&path, e))?.len();
    let mut lines = Backwards::new(&mut f, len);
    let mut recovered = Recovered::default();
    let mut cut = len;
    let io = |e| StoreError::io(&path, e);
    // A torn final line: no line break after it (and it does not parse).
    if let Some((start, line)) = lines.next_line().map_err(io)?
        && start + line.len() as u64 == len
        && !line.is_empty()
    {
        if serde_json::from_slice::<Event>(&line).is_ok() {
            // A complete event missing only its line break: keep it, the next append adds one.
            lines = Backwards::new(&mut f, len);
        } else {
            recovered.torn = line.len();
            cut = start;
        }
    } else {
        lines = Backwards::new(&mut f, len);
    }
    // The last transaction: committed when its store's header names it, when an earlier
    // recovery left the journal ending with it (its checkpoint), or when the store holds what
    // it did all the same (see `reflected`). Without the checkpoint, a transaction before a
    // rolled-back one whose store has moved on (or is gone) would be rolled back in turn by
    // the next recovery, and the journal would erode one transaction per lock.
    let checkpoint = last_checkpoint(&rolled_back_path(project, lang))?;
    let torn_at = cut;
    let mut tx: Option<String> = None;
    let mut group: Vec<(u64, Vec<u8>, Event)> = Vec::new();
    while let Some((start, line)) = lines.next_line().map_err(io)? {
        if start >= torn_at || line.trim_ascii().is_empty() {
            continue;
        }
        let Ok(event) = serde_json::from_slice::<Event>(&line) else {
            break;
        };
        match (&tx, &event.tx) {
            (None, Some(t)) => {
                if checkpoint.as_deref() == Some(t.as_str())
                    || committed(project, lang, &event.doc, t)?
                {
                    break;
                }
                tx.clone_from(&event.tx);
            }
            (Some(t), Some(u)) if t == u => {}
            _ => break,
        }
        group.push((start, line, event));
    }
    drop(lines);
    group.reverse();
    let events: Vec<Event> = group.iter().map(|(_, _, e)| e.clone()).collect();
    let held = reflected(project, lang, &events)?;
    let mut moved = Vec::new();
    let mut keep = Vec::new();
    for ((_, line, _), held) in group.iter().zip(&held) {
        let to = if *held { &mut keep } else { &mut moved };
        to.extend_from_slice(line);
        to.push(b'\n');
    }
    recovered.events = held.iter().filter(|h| !**h).count();
    if recovered.events > 0 {
        cut = group.first().map_or(cut, |(start, _, _)| *start);
    } else {
        keep.clear();
    }
    if cut == len {
        return Ok(recovered);
    }
    if recovered.torn > 0 {
        let mut tail = Vec::new();
        f.seek(SeekFrom::Start(torn_at)).map_err(io)?;
        f.read_to_end(&mut tail).map_err(io)?;
        moved.extend_from_slice(&tail);
        moved.push(b'\n');
    }
    // Where the journal ends now: the group's own transaction when part of it stays, else the
    // transaction before it. The next recovery takes that one as committed.
    let ends_with = if keep.is_empty() {
        let mut before = Backwards::new(&mut f, cut);
        let mut found = None;
        while let Some((_, line)) = before.next_line().map_err(io)? {
            if line.trim_ascii().is_empty() {
                continue;
            }
            found = serde_json::from_slice::<Event>(&line)
                .ok()
                .and_then(|e| e.tx);
            break;
        }
        found
    } else {
        tx.clone()
    };
    if let Some(t) = ends_with {
        let mark = serde_json::json!({ "checkpoint": t }).to_string();
        moved.extend_from_slice(mark.as_bytes());
        moved.push(b'\n');
    }
    let kept = rolled_back_path(project, lang);
    files::confine(project.root(), &kept)?;
    files::append_durable(&kept, &moved)?;
    if keep.is_empty() {
        files::truncate(&path, cut)?;
    } else {
        // Some of the group stays (a merge kept part of it): the journal is rewritten whole,
        // atomically, so a crash now cannot lose the lines that stay.
        let mut text = Vec::with_capacity(usize::try_from(cut).unwrap_or(0) + keep.len());
        f.seek(SeekFrom::Start(0)).map_err(io)?;
        (&mut f).take(cut).read_to_end(&mut text).map_err(io)?;
        text.extend_from_slice(&keep);
        files::write_atomic(&path, &text)?;
    }
    recovered.kept = Some(kept);
    Ok(recovered)
}

/// Reads a file's lines from the end, a chunk at a time.
struct Backwards<'a> {
    file: &'a mut File,
    /// Bytes before `pos` are not read yet.
    pos: u64,
    /// Read bytes not yet returned (they start at `pos`).
    buf: Vec<u8>,
}

impl<'a> Backwards<'a> {
    fn new(file: &'a mut File, len: u64) -> Self {
        Self {
            file,
            pos: len,
            buf: Vec::new(),
        }
    }

    /// The previous line (without its line break) and the offset where it starts.
    fn next_line(&mut self) -> io::Result<Option<(u64, Vec<u8>)>> {
        // Drop the line break that ends the previous line, if it is the last byte.
        if self.pos == 0 && self.buf.is_empty() {
            return Ok(None);
        }
        loop {
            let body = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
            if let Some(i) = body.iter().rposition(|&b| b == b'\n') {
                let line = body[i + 1..].to_vec();
                let start = self.pos + i as u64 + 1;
                self.buf.truncate(i + 1);
                return Ok(Some((start, line)));
            }
            if self.pos == 0 {
                let line = body.to_vec();
                self.buf.clear();
                return Ok(Some((0, line)));
            }
            let start = self.pos.saturating_sub(1 << 16);
            let mut chunk = vec![0; usize::try_from(self.pos - start).unwrap_or(0)];
            self.file.seek(SeekFrom::Start(start))?;
            self.file.read_exact(&mut chunk)?;
            chunk.extend_from_slice(&self.buf);
            self.buf = chunk;
            self.pos = start;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::timestamp;

    fn event(action: &str, tx: Option<&str>) -> Event {
        Event {
            when: timestamp(0),
            who: "ana".into(),
            doc: "d".into(),
            id: "0123456789abcdef".into(),
            r#ref: "1¶1.1".into(),
            action: action.into(),
            from: State::Initial,
            to: State::Translated,
            old: Some(String::new()),
            new: Some("China.".into()),
            note: None,
            tx: tx.map(str::to_string),
        }
    }

    #[test]
    fn events_round_trip_and_bad_lines_are_named() {
        let e = event("set", None);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("history.jsonl");
        fs::write(&p, render(&[e.clone(), e.clone()])).unwrap();
        assert_eq!(read(&p).unwrap().events, vec![e.clone(), e]);
        fs::write(&p, "{}\n").unwrap();
        assert!(
            read(&p)
                .unwrap_err()
                .to_string()
                .contains("history.jsonl:1:")
        );
    }

    #[test]
    fn a_torn_final_line_is_left_out() {
        let e = event("set", None);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("history.jsonl");
        fs::write(
            &p,
            format!("{}{{\"when\":\"20", render(std::slice::from_ref(&e))),
        )
        .unwrap();
        let j = read(&p).unwrap();
        assert_eq!(j.events, vec![e]);
        assert_eq!(j.torn, 11);
    }

    #[test]
    fn backwards_reads_lines_across_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let long = "x".repeat(70_000);
        fs::write(&p, format!("a\n{long}\nb\n\nc")).unwrap();
        let mut f = File::open(&p).unwrap();
        let len = f.metadata().unwrap().len();
        let mut b = Backwards::new(&mut f, len);
        let mut got = Vec::new();
        while let Some((start, line)) = b.next_line().unwrap() {
            got.push((start, String::from_utf8(line).unwrap()));
        }
        assert_eq!(
            got,
            vec![
                (70_006, "c".to_string()),
                (70_005, String::new()),
                (70_003, "b".to_string()),
                (2, long),
                (0, "a".to_string()),
            ]
        );
    }
}
