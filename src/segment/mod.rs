//! Segmentation: from decoded source text to a [`Document`] of [`Unit`]s and [`Segment`]s.
//!
//! The pipeline is three visible steps: [`structure`] gives each line a [`Role`]; sections are
//! numbered from the headings (which gives every segment a human [`Ref`]); [`sentence`] cuts
//! paragraphs, list items and notes into sentences (headings, TOC entries, the title and the
//! dateline stay whole). Each segment then gets a stable id (see [`segment_id`]): a hash of its
//! normalized text and how many identical segments come before it in the same part of the
//! document (TOC or body), so editing, inserting or deleting other text changes no other id.
//! Chinese numerals (heading numbers here, quantities in the numbers check) are read through
//! one table, [`numerals`], kept as data.

pub mod numerals;
pub mod refs;
pub mod rules;
pub mod sentence;
pub mod srx;
pub mod stats;
pub mod structure;

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use refs::{Ref, RefParseError, Section, Selector};
pub use rules::{Rules, SentenceOptions, SrxMode};
pub use structure::Role;

use crate::source::{self, Decoded, Encoding};

/// The revision of the segmenting code. Bump it when a code change can segment the same text
/// differently (boundaries, roles, refs or ids): stores fingerprint it with the built-in rules
/// ([`rules::BUILTIN_RULES`]), so a store merged against the old output is merged again.
pub const SEGMENTER_REVISION: u32 = 1;

/// Errors of segmentation and of naming segments.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    /// A rules file that does not parse or compile.
    #[error("{}: {message}", .path.display())]
    Rules {
        /// The rules file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An SRX file that does not parse or compile.
    #[error("{}:{line}: {message}", .path.display())]
    Srx {
        /// The SRX file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A ref or id that names nothing in the document.
    #[error("{doc}: no segment {what}; run `duiyi segments {doc}` to list refs and ids")]
    NotFound {
        /// The document.
        doc: String,
        /// What was asked for.
        what: String,
    },
    /// A section that has no segment.
    #[error("no segment in section {0}; run `duiyi stats` to see the sections")]
    EmptySection(String),
    /// A malformed ref.
    #[error(transparent)]
    Ref(#[from] RefParseError),
}

/// A reference inside a unit's text, such as （见图1） or （注1）.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InlineReference {
    /// `note`, `figure`, `box` or `table`.
    pub kind: String,
    /// The number referred to.
    pub number: u32,
    /// The reference as written.
    pub text: String,
}

/// One sentence-level segment: the unit of translation.
///
/// A segment owns no text: its `range` points into its unit's text, which points into the
/// document's text (see [`Document::segment_text`] and [`SegmentView::text`]). This keeps a
/// segmented document at about twice the size of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The stable id.
    pub id: SegmentId,
    /// The human ref.
    pub r#ref: Ref,
    /// The byte range in the unit's text that this segment covers (ranges tile the unit).
    pub range: Range<usize>,
}

impl Segment {
    /// The segment's text (without surrounding whitespace) out of its unit's text.
    pub fn text<'a>(&self, unit_text: &'a str) -> &'a str {
        trim_segment(unit_text.get(self.range.clone()).unwrap_or_default())
    }
}

/// A segment's text is its range without surrounding whitespace and layout spaces.
fn trim_segment(piece: &str) -> &str {
    piece.trim_matches(|ch: char| ch.is_whitespace() || source::is_layout_space(ch))
}

/// One paragraph-level block of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// 1-based line number in the source file.
    pub line: usize,
    /// The role.
    pub role: Role,
    /// The heading level (1 = outermost), for headings only.
    pub level: Option<u8>,
    /// The heading or list style (`cn-comma`, `dash`, ...).
    pub style: Option<String>,
    /// The section the unit belongs to (a heading belongs to its own section).
    pub section: Section,
    /// The paragraph number in the section; a heading is 0.
    pub number: u32,
    /// Byte range of the leading layout (indentation) in the document's text.
    pub indent: Range<usize>,
    /// Byte range of the text (without indentation and trailing whitespace) in the document's
    /// text; read it with [`Document::unit_text`] or [`Unit::text`].
    pub span: Range<usize>,
    /// Inline references found in the text.
    pub references: Vec<InlineReference>,
    /// For a TOC entry: the id of the heading it lists, when found.
    pub links_to: Option<SegmentId>,
    /// The segments, in order; their ranges tile the unit's text.
    pub segments: Vec<Segment>,
}

impl Unit {
    /// The unit's text out of the text it was segmented from (the document's text).
    pub fn text<'a>(&self, source: &'a str) -> &'a str {
        source.get(self.span.clone()).unwrap_or_default()
    }
}

/// A segmented source document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document id (file stem).
    pub name: String,
    /// The source file.
    pub path: PathBuf,
    /// The encoding it was decoded from.
    pub encoding: Encoding,
    /// The decoded text: units and segments are ranges into it.
    pub text: String,
    /// The units in order.
    pub units: Vec<Unit>,
}

/// A segment seen with its unit and document: what commands print.
#[derive(Debug, Clone, Copy)]
pub struct SegmentView<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The unit holding the segment.
    pub unit: &'a Unit,
    /// The segment.
    pub segment: &'a Segment,
}

impl<'a> SegmentView<'a> {
    /// The stable id.
    pub fn id(&self) -> &'a str {
        self.segment.id.as_str()
    }

    /// The human ref.
    pub fn r#ref(&self) -> &'a Ref {
        &self.segment.r#ref
    }

    /// The text.
    pub fn text(&self) -> &'a str {
        self.doc.segment_text(self.unit, self.segment)
    }

    /// The text of the whole unit holding the segment.
    pub fn unit_text(&self) -> &'a str {
        self.doc.unit_text(self.unit)
    }

    /// The unit's role.
    pub fn role(&self) -> Role {
        self.unit.role
    }
}

/// The machine-readable form of a segment (`duiyi segments --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct SegmentRecord<'a> {
    /// Document id.
    pub doc: &'a str,
    /// Human ref.
    pub r#ref: String,
    /// Stable id.
    pub id: &'a str,
    /// Role name.
    pub role: Role,
    /// Heading level, null unless a heading.
    pub level: Option<u8>,
    /// The text.
    pub text: &'a str,
    /// Source line.
    pub line: usize,
    /// Section.
    pub section: String,
    /// For TOC entries: id of the heading listed.
    pub links_to: Option<&'a str>,
    /// Inline references in the unit (on its first segment only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<&'a InlineReference>,
}

/// The segments of `docs` in the section (or unit or segment) `section` names, or all of them
/// (`duiyi segments --section`); a section without segments is an error.
pub fn select<'a>(
    docs: &'a [Document],
    section: Option<&str>,
) -> Result<Vec<SegmentView<'a>>, SegmentError> {
    let selector: Option<Selector> = section.map(str::parse).transpose()?;
    let views: Vec<_> = docs
        .iter()
        .flat_map(Document::segments)
        .filter(|s| selector.as_ref().is_none_or(|sel| sel.selects(s.r#ref())))
        .collect();
    match section {
        Some(section) if views.is_empty() => Err(SegmentError::EmptySection(section.to_string())),
        _ => Ok(views),
    }
}

/// The header of `duiyi segments --format tsv`.
pub const TSV_HEADER: &str = "doc\tref\tid\trole\tlevel\ttext";

impl<'a> SegmentView<'a> {
    /// The segment as a line of `duiyi segments --format tsv` (see [`TSV_HEADER`]), without
    /// its line break; tabs, line breaks and backslashes in the text are escaped (`\t`, `\n`,
    /// `\r`, `\\`).
    pub fn tsv_line(&self) -> String {
        let level = self.unit.level.map(|l| l.to_string()).unwrap_or_default();
        let mut text = String::with_capacity(self.text().len());
        for c in self.text().chars() {
            match c {
                '\\' => text.push_str("\\\\"),
                '\t' => text.push_str("\\t"),
                '\n' => text.push_str("\\n"),
                '\r' => text.push_str("\\r"),
                c => text.push(c),
            }
        }
        let (doc, r, id, role) = (&self.doc.name, self.r#ref(), self.id(), self.role());
        format!("{doc}\t{r}\t{id}\t{role}\t{level}\t{text}")
    }

    /// The machine-readable record.
    pub fn record(&self) -> SegmentRecord<'a> {
        let unit_text = self.unit_text();
        let refs = self.unit.references.iter().filter(move |r| {
            let start = unit_text.find(&r.text).unwrap_or(0);
            self.segment.range.contains(&start)
        });
        SegmentRecord {
            doc: &self.doc.name,
            r#ref: self.segment.r#ref.to_string(),
            id: self.segment.id.as_str(),
            role: self.unit.role,
            level: self.unit.level,
            text: self.text(),
            line: self.unit.line,
            section: self.unit.section.to_string(),
            links_to: self.unit.links_to.as_ref().map(SegmentId::as_str),
            references: refs.collect(),
        }
    }
}

impl Document {
    /// Segments `text` (one paragraph per line) into a document.
    pub fn from_text(
        name: &str,
        path: &Path,
        encoding: Encoding,
        text: String,
        rules: &Rules,
    ) -> Document {
        let units = segment_text(&text, rules);
        Document {
            name: name.to_string(),
            path: path.to_path_buf(),
            encoding,
            text,
            units,
        }
    }

    /// A unit's text (without indentation).
    pub fn unit_text(&self, unit: &Unit) -> &str {
        unit.text(&self.text)
    }

    /// A unit's leading layout, as in the source.
    pub fn unit_indent(&self, unit: &Unit) -> &str {
        self.text.get(unit.indent.clone()).unwrap_or_default()
    }

    /// A segment's text (without surrounding whitespace).
    pub fn segment_text(&self, unit: &Unit, segment: &Segment) -> &str {
        segment.text(self.unit_text(unit))
    }

    /// Every segment in document order.
    pub fn segments(&self) -> impl Iterator<Item = SegmentView<'_>> {
        self.units.iter().flat_map(move |unit| {
            unit.segments.iter().map(move |segment| SegmentView {
                doc: self,
                unit,
                segment,
            })
        })
    }

    /// The number of segments.
    pub fn segment_count(&self) -> usize {
        self.units.iter().map(|u| u.segments.len()).sum()
    }

    /// The segments a selector picks.
    pub fn select(&self, selector: Selector) -> impl Iterator<Item = SegmentView<'_>> {
        self.segments().filter(move |s| selector.selects(s.r#ref()))
    }

    /// Resolves what a user typed (a ref, a unit ref, a section, or a segment id) to segments.
    pub fn resolve(&self, what: &str) -> Result<Vec<SegmentView<'_>>, SegmentError> {
        let found: Vec<_> = if is_id(what) {
            self.segments().filter(|s| s.id() == what).collect()
        } else {
            let selector: Selector = what.parse()?;
            let mut v: Vec<_> = self.select(selector.clone()).collect();
            // `3.2¶4` names the unit; `3.2¶0` the heading. Keep it.
            if v.is_empty()
                && let Selector::Segment(r) = &selector
                && r.sentence == 1
            {
                v = self
                    .select(Selector::Unit(r.section.clone(), r.unit))
                    .collect();
            }
            v
        };
        if found.is_empty() {
            return Err(SegmentError::NotFound {
                doc: self.name.clone(),
                what: what.to_string(),
            });
        }
        Ok(found)
    }

    /// The heading unit that opens `section`, if any.
    pub fn heading_of(&self, section: &Section) -> Option<&Unit> {
        self.units
            .iter()
            .find(|u| u.role == Role::Heading && &u.section == section)
    }

    /// The headings enclosing a section, outermost first (for context in prompts and views).
    pub fn heading_path(&self, section: &Section) -> Vec<&Unit> {
        match section {
            Section::Body(path) => (1..=path.len())
                .filter_map(|n| self.heading_of(&Section::body(&path[..n])))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Whether `s` looks like a segment id (16 lowercase hex digits).
pub fn is_id(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The stable id of a segment: 64 bits of BLAKE3 over its scope (`toc` or `body`), its
/// normalized text and its occurrence number among identical segments of that scope.
pub fn segment_id(scope: &str, normalized: &str, occurrence: u32) -> SegmentId {
    id_of(&text_key(scope, normalized), occurrence)
}

/// The hash of a segment's scope and normalized text: identical segments share it.
fn text_key(scope: &str, normalized: &str) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(scope.as_bytes());
    h.update(&[0x1f]);
    h.update(normalized.as_bytes());
    *h.finalize().as_bytes()
}

/// The first occurrence's id is the first 64 bits of the text key; a later occurrence mixes
/// its number in (splitmix64), so ids of repeated text differ and stay stable.
fn id_of(key: &[u8; 32], occurrence: u32) -> SegmentId {
    let mut first = [0u8; 8];
    first.copy_from_slice(&key[..8]);
    let mut value = u64::from_be_bytes(first);
    if occurrence > 0 {
        let mut z = u64::from(occurrence).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        value ^= z ^ (z >> 31);
    }
    SegmentId::from_u64(value)
}

/// A segment id: 16 lowercase hex digits, held inline (no allocation) and read as a `&str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SegmentId([u8; 16]);

impl SegmentId {
    /// The id of a 64-bit value.
    pub fn from_u64(value: u64) -> SegmentId {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut id = [0u8; 16];
        for (k, b) in value.to_be_bytes().iter().enumerate() {
            id[2 * k] = HEX[usize::from(b >> 4)];
            id[2 * k + 1] = HEX[usize::from(b & 0xf)];
        }
        SegmentId(id)
    }

    /// Parses an id as users and files write it (see [`is_id`]).
    pub fn parse(s: &str) -> Option<SegmentId> {
        if !is_id(s) {
            return None;
        }
        let mut id = [0u8; 16];
        id.copy_from_slice(s.as_bytes());
        Some(SegmentId(id))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII hex digits.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl std::ops::Deref for SegmentId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SegmentId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for SegmentId {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for SegmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for SegmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

impl PartialEq<str> for SegmentId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SegmentId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SegmentId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<SegmentId> for str {
    fn eq(&self, other: &SegmentId) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SegmentId> for String {
    fn eq(&self, other: &SegmentId) -> bool {
        self == other.as_str()
    }
}

impl From<SegmentId> for String {
    fn from(id: SegmentId) -> String {
        id.as_str().to_string()
    }
}

impl Serialize for SegmentId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A hasher for keys that already are cryptographic hashes: it keeps their first 8 bytes.
#[derive(Default)]
struct PrehashedKey(u64);

impl std::hash::Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut first = [0u8; 8];
        let n = bytes.len().min(8);
        first[..n].copy_from_slice(&bytes[..n]);
        self.0 ^= u64::from_le_bytes(first);
    }
}

/// Segments decoded text into a document (the text moves into the document).
pub fn segment_document(name: &str, path: &Path, decoded: Decoded, rules: &Rules) -> Document {
    Document::from_text(name, path, decoded.encoding, decoded.text, rules)
}

/// Segments text (one paragraph per line) into units whose spans are byte ranges of `text`.
pub fn segment_text(text: &str, rules: &Rules) -> Vec<Unit> {
    let lines: Vec<_> = source::lines(text).collect();
    let classified = structure::classify(&rules.structure, &lines);

    // Heading levels: named headings are level 1; numbered styles take the dense rank of
    // their style among the styles the document uses.
    let mut ranks: Vec<u8> = classified
        .iter()
        .filter_map(|c| c.rank.filter(|&r| r > 0))
        .collect();
    ranks.sort_unstable();
    ranks.dedup();
    let level_of = |rank: u8| -> u8 {
        if rank == 0 {
            1
        } else {
            u8::try_from(ranks.iter().position(|&r| r == rank).unwrap_or(0) + 1).unwrap_or(u8::MAX)
        }
    };

    let mut units = Vec::with_capacity(classified.len());
    let mut path: Vec<u32> = Vec::new();
    let mut last_at_level: Vec<Option<u32>> = Vec::new();
    let mut in_body = false;
    let mut current = Section::Front;
    let mut unit_no: u32 = 0;
    let mut toc_no: u32 = 0;
    let mut occurrences: HashMap<[u8; 32], u32, BuildHasherDefault<PrehashedKey>> =
        HashMap::default();

    for c in classified {
        let mut level = None;
        let (section, number) = match c.role {
            Role::TocTitle | Role::TocEntry => {
                let n = toc_no;
                toc_no += 1;
                (
                    Section::Toc,
                    if c.role == Role::TocTitle {
                        0
                    } else {
                        n.max(1)
                    },
                )
            }
            Role::Heading => {
                let l = level_of(c.rank.unwrap_or(0));
                level = Some(l);
                let depth = usize::from(l);
                path.truncate(depth - 1);
                while path.len() < depth - 1 {
                    path.push(0);
                }
                last_at_level.truncate(depth);
                while last_at_level.len() < depth {
                    last_at_level.push(None);
                }
                let previous = last_at_level[depth - 1];
                let n = match (c.number, previous) {
                    (Some(n), Some(p)) if n > p => n,
                    (Some(n), None) => n,
                    (_, Some(p)) => p + 1,
                    (None, None) => 0,
                };
                last_at_level[depth - 1] = Some(n);
                path.push(n);
                in_body = true;
                unit_no = 0;
                current = Section::body(&path);
                (current.clone(), 0)
            }
            _ => {
                unit_no += 1;
                let section = if in_body {
                    current.clone()
                } else {
                    Section::Front
                };
                (section, unit_no)
            }
        };
        let text = c.line.text;
        let span_start = c.line.start + c.line.indent.len();
        let ranges = if c.role.is_atomic() {
            std::iter::once(0..text.len()).collect()
        } else {
            sentence::split(rules, text)
        };
        let toc = section == Section::Toc;
        let segments = ranges
            .into_iter()
            .enumerate()
            .map(|(k, range)| {
                let piece = trim_segment(&text[range.clone()]);
                let key = text_key(if toc { "toc" } else { "body" }, &source::normalize(piece));
                let occurrence = {
                    let n = occurrences.entry(key).or_insert(0);
                    *n += 1;
                    *n - 1
                };
                Segment {
                    id: id_of(&key, occurrence),
                    r#ref: Ref {
                        section: section.clone(),
                        unit: number,
                        sentence: u32::try_from(k + 1).unwrap_or(u32::MAX),
                    },
                    range,
                }
            })
            .collect();
        units.push(Unit {
            line: c.line.number,
            role: c.role,
            level,
            style: c.style,
            section,
            number,
            indent: c.line.start..span_start,
            span: span_start..span_start + text.len(),
            references: inline_references(rules, text),
            links_to: None,
            segments,
        });
    }
    link_toc(text, &mut units);
    units
}

fn inline_references(rules: &Rules, text: &str) -> Vec<InlineReference> {
    // Two single-character searches (memchr) rather than one decoding scan.
    if !text.contains('（') && !text.contains('(') {
        return Vec::new();
    }
    let mut found: Vec<(usize, InlineReference)> = Vec::new();
    for rule in &rules.structure.inline_references {
        for c in rule.pattern.captures_iter(text) {
            let (Some(whole), Some(n)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if let Ok(number) = n.as_str().parse() {
                found.push((
                    whole.start(),
                    InlineReference {
                        kind: rule.kind.clone(),
                        number,
                        text: whole.as_str().to_string(),
                    },
                ));
            }
        }
    }
    found.sort_by_key(|(start, _)| *start);
    found.into_iter().map(|(_, r)| r).collect()
}

/// Links each TOC entry to the first heading after the previous link with the same text
/// (ignoring spaces and trailing page numbers or dot leaders).
fn link_toc(text: &str, units: &mut [Unit]) {
    let key = |t: &str| {
        let s = rules::squeeze(t);
        s.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '…' | '·' | '．'))
            .to_string()
    };
    let headings: Vec<(String, SegmentId)> = units
        .iter()
        .filter(|u| u.role == Role::Heading)
        .filter_map(|u| u.segments.first().map(|s| (key(u.text(text)), s.id)))
        .collect();
    let mut from = 0;
    for unit in units.iter_mut().filter(|u| u.role == Role::TocEntry) {
        let k = key(unit.text(text));
        if let Some(pos) = headings[from..].iter().position(|(hk, _)| *hk == k) {
            unit.links_to = Some(headings[from + pos].1);
            from += pos + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(text: &str) -> Vec<Unit> {
        segment_text(text, &Rules::builtin(SentenceOptions::default()))
    }

    fn refs(units: &[Unit]) -> Vec<String> {
        units
            .iter()
            .flat_map(|u| u.segments.iter().map(|s| s.r#ref.to_string()))
            .collect()
    }

    const SMALL: &str = "　　目 录\n　　前 言\n　　一、总论\n　\n　　前 言\n　　第一句。第二句。\n　　一、总论\n　　（一）分论\n　　——列表项。（见图1）\n　　结束语\n　　末段（注1）。";

    #[test]
    fn sections_number_as_the_document_does() {
        let u = units(SMALL);
        assert_eq!(
            refs(&u),
            [
                "toc¶0.1", "toc¶1.1", "toc¶2.1", "0¶0.1", "0¶1.1", "0¶1.2", "1¶0.1", "1.1¶0.1",
                "1.1¶1.1", "2¶0.1", "2¶1.1"
            ]
        );
        assert_eq!(u[5].level, Some(1));
        assert_eq!(u[6].level, Some(2));
        assert_eq!(u[4].level, None);
    }

    #[test]
    fn toc_entries_link_to_their_headings_and_have_other_ids() {
        let u = units(SMALL);
        assert_eq!(u[1].links_to.as_deref(), Some(u[3].segments[0].id.as_str()));
        assert_eq!(u[2].links_to.as_deref(), Some(u[5].segments[0].id.as_str()));
        assert_ne!(u[1].segments[0].id, u[3].segments[0].id);
    }

    #[test]
    fn inline_references_are_recorded() {
        let u = units(SMALL);
        assert_eq!(u[7].references[0].kind, "figure");
        assert_eq!(u[9].references[0].kind, "note");
        assert_eq!(u[9].references[0].number, 1);
    }

    #[test]
    fn ids_are_stable_when_other_text_changes() {
        let before = units(SMALL);
        let edited = SMALL.replace("第一句。", "新插入的句子。第一句。").replace(
            "　　一、总论\n　　（一）",
            "　　插入一段。\n　　一、总论\n　　（一）",
        );
        let after = units(&edited);
        // (scope, text) -> ids in order: the n-th identical segment keeps the n-th id.
        let ids = |text: &str, u: &[Unit]| -> Vec<((bool, String), SegmentId)> {
            u.iter()
                .flat_map(|u| {
                    let toc = u.section == Section::Toc;
                    let unit_text = u.text(text);
                    u.segments
                        .iter()
                        .map(move |s| ((toc, s.text(unit_text).to_string()), s.id))
                })
                .collect()
        };
        let old = ids(SMALL, &before);
        let new = ids(&edited, &after);
        for (key, id) in &old {
            let nth = old
                .iter()
                .filter(|(k, _)| k == key)
                .position(|(_, i)| i == id);
            let same = new.iter().filter(|(k, _)| k == key).nth(nth.unwrap_or(0));
            assert_eq!(same.map(|(_, i)| i), Some(id), "{key:?}");
        }
        assert_eq!(new.len(), old.len() + 2);
    }

    #[test]
    fn repeated_text_gets_distinct_ids() {
        let u = units("同一句。同一句。\n同一句。");
        let ids: std::collections::HashSet<_> = u
            .iter()
            .flat_map(|u| u.segments.iter().map(|s| &s.id))
            .collect();
        assert_eq!(ids.len(), 3);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Segmentation loses nothing: each unit's segment ranges tile its text, every
        /// segment's text is its range trimmed, and no segment is empty.
        #[test]
        fn segments_concatenate_back_to_the_unit(text in arbitrary_text()) {
            let rules = Rules::builtin(SentenceOptions::default());
            for unit in segment_text(&text, &rules) {
                let mut joined = String::new();
                let mut at = 0;
                let unit_text = unit.text(&text);
                for s in &unit.segments {
                    proptest::prop_assert_eq!(s.range.start, at);
                    joined.push_str(&unit_text[s.range.clone()]);
                    at = s.range.end;
                    proptest::prop_assert!(!s.text(unit_text).is_empty());
                }
                proptest::prop_assert_eq!(joined, unit_text);
            }
        }

        #[test]
        fn arbitrary_unicode_never_panics(text in "\\PC*") {
            let rules = Rules::builtin(SentenceOptions { semicolon: true });
            let _ = segment_text(&text, &rules);
        }
    }

    /// Text built from the characters the rules care about, so the interesting paths run.
    fn arbitrary_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let pieces = prop::sample::select(vec![
            "中国",
            "合作",
            "。",
            "！",
            "？",
            "……",
            "…",
            "；",
            "：",
            "，",
            "”",
            "“",
            "‘",
            "’",
            "《",
            "》",
            "（",
            "）",
            "（见图1）",
            "（注1）",
            "「",
            "」",
            ".",
            "U.S.",
            "47.30%",
            " ",
            "\u{3000}",
            "\u{a0}",
            "\n",
            "\r\n",
            "\r",
            "——",
            "一、",
            "（一）",
            "1. ",
            "注1：",
            "目录",
            "前言",
            "abc",
            "Dr.",
            "?",
            "!",
            "e.g.",
            "😀",
            "\u{200b}",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
    }

    #[test]
    fn ids_look_like_ids() {
        let id = segment_id("body", "中国。", 0);
        assert!(is_id(&id), "{id}");
        assert!(!is_id("3.2¶4.1"));
    }
}
