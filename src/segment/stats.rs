//! Counts over a segmented document: units by role, segments, Han characters, per section.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::{Document, Role, Section};
use crate::source::is_han;

/// Counts for one top-level section.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SectionStats {
    /// The section (`toc`, `front`, `0`, `1`, ...).
    pub section: String,
    /// Its heading text, if it has one.
    pub title: Option<String>,
    /// Units in it (heading included).
    pub units: usize,
    /// Segments in it.
    pub segments: usize,
    /// Han characters in it.
    pub han: usize,
}

/// Counts for a document.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Stats {
    /// The document id.
    pub doc: String,
    /// Units per role (role names as in machine output); roles absent from the document are 0.
    pub units: BTreeMap<&'static str, usize>,
    /// Headings per level.
    pub headings_by_level: BTreeMap<u8, usize>,
    /// All segments.
    pub segments: usize,
    /// Segments in the table of contents.
    pub toc_segments: usize,
    /// Segments outside the table of contents.
    pub body_segments: usize,
    /// Han characters in the document.
    pub han: usize,
    /// Characters of text (indentation excluded).
    pub chars: usize,
    /// Per top-level section, in document order.
    pub sections: Vec<SectionStats>,
}

/// The stats as `duiyi stats` prints them: totals, units by role, headings by level, and a
/// table of the sections.
impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.doc)?;
        writeln!(
            f,
            "  segments {} (body {}, toc {}), Han characters {}, characters {}",
            self.segments, self.body_segments, self.toc_segments, self.han, self.chars
        )?;
        let roles: Vec<String> = self
            .units
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        writeln!(f, "  units: {}", roles.join(", "))?;
        let levels: Vec<String> = self
            .headings_by_level
            .iter()
            .map(|(l, n)| format!("level {l}: {n}"))
            .collect();
        if !levels.is_empty() {
            writeln!(f, "  headings: {}", levels.join(", "))?;
        }
        writeln!(
            f,
            "  {:<8} {:>6} {:>9} {:>7}  title",
            "section", "units", "segments", "Han"
        )?;
        for s in &self.sections {
            let title = s.title.as_deref().unwrap_or("");
            writeln!(
                f,
                "  {:<8} {:>6} {:>9} {:>7}  {title}",
                s.section, s.units, s.segments, s.han
            )?;
        }
        Ok(())
    }
}

/// Computes the stats of a document.
pub fn stats(doc: &Document) -> Stats {
    let mut units: BTreeMap<&'static str, usize> =
        Role::ALL.iter().map(|r| (r.name(), 0)).collect();
    let mut headings_by_level = BTreeMap::new();
    let mut sections: Vec<SectionStats> = Vec::new();
    let (mut segments, mut toc_segments, mut han, mut chars) = (0, 0, 0, 0);
    let mut current: Option<Section> = None;
    for u in &doc.units {
        *units.entry(u.role.name()).or_default() += 1;
        if let Some(l) = u.level {
            *headings_by_level.entry(l).or_default() += 1;
        }
        let n = u.segments.len();
        let (h, c) = count_chars(doc.unit_text(u));
        segments += n;
        han += h;
        chars += c;
        if u.section == Section::Toc {
            toc_segments += n;
        }
        let top = match &u.section {
            Section::Body(path) => Section::body(&path[..1]),
            other => other.clone(),
        };
        if current.as_ref() != Some(&top) {
            sections.push(SectionStats {
                section: top.to_string(),
                title: (u.role == Role::Heading && u.section == top)
                    .then(|| doc.unit_text(u).to_string()),
                units: 0,
                segments: 0,
                han: 0,
            });
            current = Some(top);
        }
        if let Some(s) = sections.last_mut() {
            s.units += 1;
            s.segments += n;
            s.han += h;
        }
    }
    Stats {
        doc: doc.name.clone(),
        units,
        headings_by_level,
        segments,
        toc_segments,
        body_segments: segments - toc_segments,
        han,
        chars,
        sections,
    }
}

/// (Han characters, characters) of `text`, in one pass over the bytes. A lead byte E5–E9 is
/// always a Han character (U+5000–U+9FFF), E4 is one unless followed by B7 (the hexagram
/// symbols U+4DC0–U+4DFF); only the rare other candidates are decoded.
fn count_chars(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    let (mut han, mut chars) = (0, 0);
    for (i, &b) in bytes.iter().enumerate() {
        if b & 0xC0 == 0x80 {
            continue;
        }
        chars += 1;
        match b {
            0xE5..=0xE9 => han += 1,
            0xE4 => han += usize::from(bytes.get(i + 1) != Some(&0xB7)),
            0xE3 | 0xEF | 0xF0..=0xF4 => {
                han += usize::from(text[i..].chars().next().is_some_and(is_han));
            }
            _ => {}
        }
    }
    (han, chars)
}

#[cfg(test)]
mod tests {
    #[test]
    fn counting_matches_the_char_iterator() {
        let text = "中国2030年〇𠀀（见图1）é ";
        let expected = (
            text.chars().filter(|&c| super::is_han(c)).count(),
            text.chars().count(),
        );
        assert_eq!(super::count_chars(text), expected);
    }
}
