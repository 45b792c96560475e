//! Human references to sections, units and segments: `3.2¶4.1`.
//!
//! A ref reads "section 3, subsection 2, paragraph 4, sentence 1". Sections are numbered as the
//! document numbers them (一、 is 1, （二） is 2); an unnumbered heading takes the number after the
//! previous one, so in the white paper 前言 is 0 and 结束语 is 9. A heading is paragraph 0 of
//! its section. The table of contents is section `toc` (its title `toc¶0.1`, entries from
//! `toc¶1.1`), and text before the first heading is section `front`. Wherever a ref is typed,
//! `p` or `:` may replace `¶`, and `.N` may be left out for the first sentence.
//!
//! Refs are for people and may shift when headings are inserted; ids are what the store keys on.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Serialize, Serializer};

/// Which part of a document a section is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    /// Text before the table of contents and the first heading.
    Front,
    /// The table of contents.
    Toc,
    /// A numbered section path: `[3, 2]` is `3.2`. Shared: every segment of a section holds
    /// the same path.
    Body(Arc<[u32]>),
}

impl Section {
    /// The body section with this path.
    pub fn body(path: &[u32]) -> Section {
        Section::Body(Arc::from(path))
    }
}

impl Section {
    /// Whether `self` is `other` or inside it (`3.2` is within `3`).
    pub fn is_within(&self, other: &Section) -> bool {
        match (self, other) {
            (Section::Body(a), Section::Body(b)) => a.starts_with(b),
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Section::Front => f.write_str("front"),
            Section::Toc => f.write_str("toc"),
            Section::Body(path) => {
                for (i, n) in path.iter().enumerate() {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    write!(f, "{n}")?;
                }
                Ok(())
            }
        }
    }
}

/// The full ref of one segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ref {
    /// The section.
    pub section: Section,
    /// The paragraph (unit) number within the section; 0 is the heading.
    pub unit: u32,
    /// The sentence number within the unit, from 1.
    pub sentence: u32,
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}¶{}.{}", self.section, self.unit, self.sentence)
    }
}

impl Serialize for Ref {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A typed selector: a whole section, a unit, or one segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// A section and everything in it (`3`, `3.2`, `toc`).
    Section(Section),
    /// One unit (`3.2¶4`).
    Unit(Section, u32),
    /// One segment (`3.2¶4.1`).
    Segment(Ref),
}

/// A ref that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a ref; write SECTION[¶PARAGRAPH[.SENTENCE]] such as 3.2¶4.1, 3.2p4, toc¶1 or 0 (`p` or `:` may replace `¶`)"
)]
pub struct RefParseError(pub String);

impl FromStr for Selector {
    type Err = RefParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || RefParseError(s.to_string());
        let t = s.trim();
        let (section_part, rest) = match t.find(['¶', 'p', ':']) {
            Some(i) => {
                let sep_len = t[i..].chars().next().map_or(1, char::len_utf8);
                (&t[..i], Some(&t[i + sep_len..]))
            }
            None => (t, None),
        };
        let section = match section_part {
            "toc" => Section::Toc,
            "front" => Section::Front,
            "" => return Err(bad()),
            digits => Section::Body(
                digits
                    .split('.')
                    .map(|n| n.parse::<u32>().map_err(|_| bad()))
                    .collect::<Result<Vec<_>, _>>()?
                    .into(),
            ),
        };
        let Some(rest) = rest else {
            return Ok(Selector::Section(section));
        };
        let mut parts = rest.split('.');
        let unit = parts
            .next()
            .and_then(|u| u.parse::<u32>().ok())
            .ok_or_else(bad)?;
        match (parts.next(), parts.next()) {
            (None, _) => Ok(Selector::Unit(section, unit)),
            (Some(n), None) => {
                let sentence = n.parse::<u32>().map_err(|_| bad())?;
                if sentence == 0 {
                    return Err(bad());
                }
                Ok(Selector::Segment(Ref {
                    section,
                    unit,
                    sentence,
                }))
            }
            _ => Err(bad()),
        }
    }
}

impl Selector {
    /// Whether the segment at `r` is selected.
    pub fn selects(&self, r: &Ref) -> bool {
        match self {
            Selector::Section(s) => r.section.is_within(s),
            Selector::Unit(s, u) => &r.section == s && r.unit == *u,
            Selector::Segment(x) => x == r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(s: &str) -> Selector {
        s.parse().unwrap()
    }

    #[test]
    fn refs_display_and_parse_back() {
        let r = Ref {
            section: Section::body(&[3, 2]),
            unit: 4,
            sentence: 1,
        };
        assert_eq!(r.to_string(), "3.2¶4.1");
        assert_eq!(sel("3.2¶4.1"), Selector::Segment(r.clone()));
        assert_eq!(sel("3.2p4.1"), Selector::Segment(r.clone()));
        assert_eq!(sel("3.2:4.1"), Selector::Segment(r));
    }

    #[test]
    fn short_forms_select_units_and_sections() {
        assert_eq!(sel("toc¶1"), Selector::Unit(Section::Toc, 1));
        assert_eq!(sel("3"), Selector::Section(Section::body(&[3])));
        assert_eq!(sel("front"), Selector::Section(Section::Front));
        let inside = Ref {
            section: Section::body(&[3, 2]),
            unit: 0,
            sentence: 1,
        };
        assert!(sel("3").selects(&inside));
        assert!(!sel("3.1").selects(&inside));
        assert!(sel("3.2¶0").selects(&inside));
    }

    #[test]
    fn malformed_refs_are_refused() {
        for bad in ["", "x", "3.a", "3¶", "3¶1.0", "3¶1.2.3", "¶1", "3..2"] {
            assert!(bad.parse::<Selector>().is_err(), "{bad}");
        }
    }
}
