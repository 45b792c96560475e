//! Reading and writing `translations/<lang>/<doc>.jsonl`, strictly.
//!
//! The first line may be a [`Header`]; every other line is one [`Translation`]. Reading refuses
//! anything a person or a merge could have broken — a line that is not a record, a duplicate
//! id, an unknown state, git conflict markers — with the file and line, and never rewrites the
//! file: commands stop before they change anything. Lines are parsed on all cores because a
//! store of half a million segments is a few hundred megabytes.

use std::fs;
use std::io;
use std::path::Path;

use super::StoreError;
#[cfg(test)]
use super::record::FORMAT;
use super::record::{Header, IdMap, READABLE, RecordView, Translation, id_key};

/// A store as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<T> {
    /// The header, when the file has one.
    pub header: Option<Header>,
    /// The records in file order.
    pub records: Vec<T>,
    /// For each record, its 1-based line and the byte range of that line in the text
    /// (without the line break).
    pub spans: Vec<(usize, std::ops::Range<usize>)>,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Self {
            header: None,
            records: Vec::new(),
            spans: Vec::new(),
        }
    }
}

/// A store read in full.
pub type StoreFile = Parsed<Translation>;

/// A record type the reader can check for duplicate ids.
pub trait Keyed {
    /// The segment id.
    fn id(&self) -> &str;
}

impl Keyed for Translation {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Keyed for RecordView<'_> {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Reads a store; `Ok(None)` when the file does not exist yet.
pub fn read(path: &Path) -> Result<Option<StoreFile>, StoreError> {
    match read_bytes(path)? {
        Some(bytes) => parse_as(path, &bytes).map(Some),
        None => Ok(None),
    }
}

/// Reads the bytes of a store (for [`parse_as`]); `Ok(None)` when the file does not exist yet.
/// UTF-8 is checked line by line while parsing, on all cores.
pub fn read_bytes(path: &Path) -> Result<Option<Vec<u8>>, StoreError> {
    match fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::io(path, e)),
    }
}

/// Parses the text of a store; `path` is for error messages.
pub fn parse(path: &Path, text: &str) -> Result<StoreFile, StoreError> {
    parse_as(path, text.as_bytes())
}

/// Parses a store into any record type (the full [`Translation`], or the borrowed
/// [`RecordView`] that counting and `set` need), with the same checks.
pub fn parse_as<'a, T>(path: &Path, text: &'a [u8]) -> Result<Parsed<T>, StoreError>
where
    T: serde::Deserialize<'a> + Keyed + Send,
{
    let mut starts = Vec::new();
    let mut lines: Vec<(usize, &[u8])> = Vec::new();
    let mut offset = 0;
    for (i, raw) in text.split(|&b| b == b'\n').enumerate() {
        let start = offset;
        offset += raw.len() + 1;
        let l = raw.strip_suffix(b"\r").unwrap_or(raw);
        if !l.iter().all(u8::is_ascii_whitespace) {
            lines.push((i + 1, l));
            starts.push(start);
        }
    }
    for &(n, l) in &lines {
        if [b"<<<<<<<", b"=======", b">>>>>>>", b"|||||||"]
            .iter()
            .any(|m| l.starts_with(*m))
        {
            return Err(StoreError::Conflict {
                path: path.to_path_buf(),
                line: n,
            });
        }
    }
    let mut body = &lines[..];
    let mut body_starts = &starts[..];
    let mut header = None;
    if let Some(&(n, first)) = lines.first()
        && first.starts_with(b"{\"duiyi\"")
    {
        let h: Header = serde_json::from_slice(first).map_err(|e| StoreError::Malformed {
            path: path.to_path_buf(),
            line: n,
            message: format!("bad header: {e}"),
        })?;
        if !READABLE.contains(&h.duiyi.as_str()) {
            return Err(StoreError::Malformed {
                path: path.to_path_buf(),
                line: n,
                message: format!(
                    "this store is format {:?}; this duiyi reads {}: update duiyi",
                    h.duiyi,
                    READABLE.join(" and ")
                ),
            });
        }
        header = Some(h);
        body = &lines[1..];
        body_starts = &starts[1..];
    }
    let records: Vec<T> = parse_records(path, body)?;
    let mut seen: IdMap<usize> = IdMap::default();
    seen.reserve(records.len());
    for (r, &(n, _)) in records.iter().zip(body) {
        let Some(key) = id_key(r.id()) else {
            return Err(StoreError::Malformed {
                path: path.to_path_buf(),
                line: n,
                message: format!("{:?} is not a segment id (16 lowercase hex digits)", r.id()),
            });
        };
        if let Some(first) = seen.insert(key, n) {
            return Err(StoreError::Duplicate {
                path: path.to_path_buf(),
                line: n,
                first,
                id: r.id().to_string(),
            });
        }
    }
    let spans = body
        .iter()
        .zip(body_starts)
        .map(|(&(n, l), &start)| (n, start..start + l.len()))
        .collect();
    Ok(Parsed {
        header,
        records,
        spans,
    })
}

fn parse_records<'a, T>(path: &Path, lines: &[(usize, &'a [u8])]) -> Result<Vec<T>, StoreError>
where
    T: serde::Deserialize<'a> + Send,
{
    let parse_chunk = |chunk: &[(usize, &'a [u8])]| -> Result<Vec<T>, StoreError> {
        chunk
            .iter()
            .map(|&(n, l)| {
                serde_json::from_slice::<T>(l).map_err(|e| StoreError::Malformed {
                    path: path.to_path_buf(),
                    line: n,
                    message: describe(&e),
                })
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 || lines.len() < 20_000 {
        return parse_chunk(lines);
    }
    let size = lines.len().div_ceil(threads);
    let parts: Vec<Result<Vec<T>, StoreError>> = std::thread::scope(|s| {
        let handles: Vec<_> = lines
            .chunks(size)
            .map(|c| s.spawn(move || parse_chunk(c)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(StoreError::Malformed {
                        path: path.to_path_buf(),
                        line: 0,
                        message: "the reader failed".into(),
                    })
                })
            })
            .collect()
    });
    let mut records = Vec::with_capacity(lines.len());
    for p in parts {
        records.extend(p?);
    }
    Ok(records)
}

/// A serde error without its own "at line 1 column N" (we name the file line).
fn describe(e: &serde_json::Error) -> String {
    let s = e.to_string();
    let core = s.rsplit_once(" at line ").map_or(s.as_str(), |(m, _)| m);
    format!("{core} (column {})", e.column())
}

/// Renders a store: the header line, then one line per record.
pub fn render(header: &Header, records: &[Translation]) -> Vec<u8> {
    let mut out = Vec::with_capacity(records.len() * 224);
    let _ = serde_json::to_writer(&mut out, header);
    out.push(b'\n');
    let lines = |chunk: &[Translation], out: &mut Vec<u8>| {
        for r in chunk {
            r.write_line(out);
            out.push(b'\n');
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 || records.len() < 20_000 {
        lines(records, &mut out);
        return out;
    }
    let size = records.len().div_ceil(threads);
    let parts: Option<Vec<Vec<u8>>> = std::thread::scope(|s| {
        let handles: Vec<_> = records
            .chunks(size)
            .map(|c| {
                s.spawn(move || {
                    let mut part = Vec::with_capacity(c.len() * 224);
                    lines(c, &mut part);
                    part
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    match parts {
        Some(parts) => {
            for p in parts {
                out.extend_from_slice(&p);
            }
        }
        // A renderer thread died: render on this thread instead, never a partial file.
        None => lines(records, &mut out),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::record::{Flag, Origin, State};

    fn p() -> &'static Path {
        Path::new("translations/en/doc.jsonl")
    }

    const A: &str = r#"{"id":"000000000000000a","ref":"1¶1.1","source":"甲。","target":"A.","state":"translated"}"#;
    const B: &str =
        r#"{"id":"000000000000000b","ref":"1¶1.2","source":"乙。","target":"","state":"initial"}"#;

    fn err(text: &str) -> String {
        parse(p(), text).unwrap_err().to_string()
    }

    #[test]
    fn reads_records_with_and_without_header() {
        let f = parse(p(), &format!("{A}\n{B}\n")).unwrap();
        assert_eq!(f.records.len(), 2);
        assert!(f.header.is_none());
        let h = r#"{"duiyi":"translations/1","doc":"doc","lang":"en","fingerprint":"x"}"#;
        let f = parse(p(), &format!("{h}\r\n{A}\r\n\n{B}")).unwrap();
        assert_eq!(f.header.unwrap().lang, "en");
        assert_eq!(f.records[1].state, State::Initial);
    }

    #[test]
    fn a_broken_line_is_named() {
        let e = err(&format!("{A}\n{{\"id\": \n{B}\n"));
        assert!(e.starts_with("translations/en/doc.jsonl:2: "), "{e}");
    }

    #[test]
    fn an_unknown_state_is_named() {
        let e = err(&A.replace("translated", "done"));
        assert!(e.contains(":1: unknown variant `done`"), "{e}");
    }

    #[test]
    fn a_duplicate_id_names_both_lines() {
        let e = err(&format!("{A}\n{B}\n{A}\n"));
        assert!(e.contains(":3: duplicate id 000000000000000a"), "{e}");
        assert!(e.contains("line 1"), "{e}");
    }

    #[test]
    fn conflict_markers_are_refused() {
        for m in ["<<<<<<< HEAD", "=======", ">>>>>>> theirs"] {
            let e = err(&format!("{A}\n{m}\n{B}\n"));
            assert!(e.contains(":2: git conflict marker"), "{e}");
        }
    }

    #[test]
    fn invalid_utf8_is_named() {
        let mut bytes = format!("{A}\n{B}\n").into_bytes();
        let at = bytes.iter().position(|&b| b == b'A').unwrap();
        bytes[at] = 0xff;
        let e = parse_as::<Translation>(p(), &bytes)
            .unwrap_err()
            .to_string();
        assert!(e.contains(":1: "), "{e}");
    }

    #[test]
    fn a_future_format_is_refused() {
        let h = r#"{"duiyi":"translations/9","doc":"doc","lang":"en","fingerprint":"x"}"#;
        assert!(err(h).contains("update duiyi"));
    }

    #[test]
    fn render_then_parse_is_identity() {
        let mut t = Translation::initial("0123456789abcdef", "toc¶1.1", "一、总论");
        t.flags.insert(Flag::NeedsReview);
        t.origin = Some(Origin::Memory);
        let h = Header {
            duiyi: FORMAT.into(),
            doc: "doc".into(),
            lang: "fr".into(),
            fingerprint: "f".into(),
            segments: Some(1),
            tx: None,
        };
        let text = String::from_utf8(render(&h, std::slice::from_ref(&t))).unwrap();
        let f = parse(p(), &text).unwrap();
        assert_eq!(f.header, Some(h));
        assert_eq!(f.records, vec![t]);
    }

    #[test]
    fn many_lines_parse_in_parallel_in_order() {
        let text: String = (0..25_000)
            .map(|i| {
                format!(
                    "{{\"id\":\"{i:016x}\",\"ref\":\"1¶{i}.1\",\"source\":\"甲\",\"target\":\"\",\"state\":\"initial\"}}\n"
                )
            })
            .collect::<Vec<_>>()
            .concat();
        let f = parse(p(), &text).unwrap();
        assert_eq!(f.records.len(), 25_000);
        let h = Header {
            duiyi: FORMAT.into(),
            doc: "d".into(),
            lang: "en".into(),
            fingerprint: "f".into(),
            segments: Some(1),
            tx: None,
        };
        let again = String::from_utf8(render(&h, &f.records)).unwrap();
        assert_eq!(parse(p(), &again).unwrap().records, f.records);
        assert_eq!(f.records[24_999].id, format!("{:016x}", 24_999));
        let mut lines: Vec<&str> = text.lines().collect();
        lines[23_999] = "{\"id\":";
        let broken = lines.join("\n");
        assert!(
            parse(p(), &broken)
                .unwrap_err()
                .to_string()
                .contains(":24000:")
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_lines_never_panic(lines in proptest::collection::vec(".*", 0..8)) {
            let _ = parse(p(), &lines.join("\n"));
        }

        #[test]
        fn arbitrary_json_like_lines_never_panic(s in r#"\{("[a-z]{1,6}":("[^"]{0,5}"|[0-9]|\[\]|null),?){0,6}\}"#) {
            let _ = parse(p(), &s);
        }

        #[test]
        fn any_record_survives_write_then_read(t in crate::store::tests::any_translation()) {
            let h = Header { duiyi: FORMAT.into(), doc: "d".into(), lang: "en".into(), fingerprint: "f".into(), segments: None, tx: None };
            let f = parse(p(), &String::from_utf8(render(&h, std::slice::from_ref(&t))).unwrap()).unwrap();
            proptest::prop_assert_eq!(f.records, vec![t]);
        }
    }
}
