//! Document structure: which role each line plays.
//!
//! A source has one paragraph per line. This module decides, line by line, whether it is the
//! title, the table of contents (its title and entries), a heading (named like 前言, or
//! numbered like 一、 and （一）), a list item (——…), a note (注1：…), a dateline
//! (（新华社北京1月10日电）) or a plain paragraph. Patterns come from the rules data; levels are
//! the dense ranks of the heading styles a document uses, so the same file of rules serves a
//! white paper (一、 / （一）) and a book (第一章 / 一、 / （一）).

use serde::Serialize;

use super::rules::{StructureRules, squeeze};
use crate::source::Line;

/// The role of a unit, with the names used in machine output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The document title before any table of contents or heading.
    Title,
    /// The title of the table of contents (目录).
    TocTitle,
    /// An entry of the table of contents, linked to the heading it lists.
    TocEntry,
    /// A heading, with a level.
    Heading,
    /// A list item (——…, 1. …, （1）…).
    ListItem,
    /// A note (注1：…).
    Note,
    /// A dateline (（新华社北京1月10日电）).
    Dateline,
    /// Any other paragraph.
    Paragraph,
}

impl Role {
    /// The machine-output name (`toc-entry`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::TocTitle => "toc-title",
            Role::TocEntry => "toc-entry",
            Role::Heading => "heading",
            Role::ListItem => "list-item",
            Role::Note => "note",
            Role::Dateline => "dateline",
            Role::Paragraph => "paragraph",
        }
    }

    /// All roles, in output order.
    pub const ALL: [Role; 8] = [
        Role::Title,
        Role::TocTitle,
        Role::TocEntry,
        Role::Heading,
        Role::ListItem,
        Role::Note,
        Role::Dateline,
        Role::Paragraph,
    ];

    /// Whether units of this role are one segment, never split into sentences.
    pub fn is_atomic(self) -> bool {
        matches!(
            self,
            Role::Title | Role::TocTitle | Role::TocEntry | Role::Heading | Role::Dateline
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A classified line, before sections and sentences.
#[derive(Debug, Clone)]
pub(crate) struct Classified<'a> {
    pub line: Line<'a>,
    pub role: Role,
    /// For headings: the style's rank (0 for named headings); levels come later.
    pub rank: Option<u8>,
    /// Heading or list style name.
    pub style: Option<String>,
    /// The number a heading carries (一、 → 1), if any.
    pub number: Option<u32>,
}

/// Lines longer than this (in bytes) are never compared with the TOC titles or the named
/// headings, which are a few characters long; this keeps long paragraphs from being copied.
const SHORT: usize = 96;

/// Classifies the lines of a document (blank lines are dropped).
pub(crate) fn classify<'a>(rules: &StructureRules, lines: &[Line<'a>]) -> Vec<Classified<'a>> {
    let mut out: Vec<Classified<'a>> = Vec::with_capacity(lines.len());
    let mut i = 0;
    let first_text = lines.iter().position(|l| !l.text.is_empty());
    // Title: the first line, when it is short, has no sentence end, and is not the TOC title
    // or a heading.
    if let Some(f) = first_text {
        let line = lines[f];
        let is_toc = line.text.len() <= SHORT && rules.toc_titles.contains(&squeeze(line.text));
        if !is_toc
            && heading_of(rules, line.text, None).is_none()
            && line.text.chars().count() <= rules.title_max_chars
            && !line.text.contains(['。', '！', '？', '；', '，'])
            && lines[f + 1..].iter().any(|l| !l.text.is_empty())
        {
            out.push(plain(line, Role::Title));
            i = f + 1;
        }
    }
    // Table of contents: a TOC title among the first lines, then entries until a blank line,
    // a repeat of the first entry (the body starts), or a line with a sentence end.
    if let Some(t) = lines[i..]
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.text.is_empty())
        .take(2)
        .find(|(_, l)| l.text.len() <= SHORT && rules.toc_titles.contains(&squeeze(l.text)))
        .map(|(k, _)| i + k)
    {
        for l in &lines[i..t] {
            if !l.text.is_empty() {
                out.push(body_line(rules, *l));
            }
        }
        out.push(plain(lines[t], Role::TocTitle));
        let mut first_entry: Option<String> = None;
        let mut j = t + 1;
        while j < lines.len() {
            let l = lines[j];
            if l.text.is_empty() {
                if first_entry.is_some() {
                    break;
                }
                j += 1;
                continue;
            }
            let key = squeeze(l.text);
            if first_entry.as_ref() == Some(&key)
                || l.text.contains(['。', '！', '？'])
                || l.text.chars().count() > rules.max_heading_chars * 2
            {
                break;
            }
            first_entry.get_or_insert(key);
            out.push(plain(l, Role::TocEntry));
            j += 1;
        }
        i = j;
    }
    for l in &lines[i..] {
        if !l.text.is_empty() {
            out.push(body_line(rules, *l));
        }
    }
    out
}

fn plain(line: Line<'_>, role: Role) -> Classified<'_> {
    Classified {
        line,
        role,
        rank: None,
        style: None,
        number: None,
    }
}

fn body_line<'a>(rules: &StructureRules, line: Line<'a>) -> Classified<'a> {
    let text = line.text;
    let hits = rules.any.matches(text);
    if !hits.matched_any() && text.len() > SHORT {
        return plain(line, Role::Paragraph);
    }
    if hits.matched(0) {
        return plain(line, Role::Dateline);
    }
    if hits.matched(1) {
        return plain(line, Role::Note);
    }
    if let Some((rank, style, number)) = heading_of(rules, text, Some(&hits)) {
        return Classified {
            line,
            role: Role::Heading,
            rank: Some(rank),
            style: Some(style),
            number,
        };
    }
    let first_list = 2 + rules.headings.len();
    if let Some(style) = (0..rules.list_items.len())
        .find(|&k| hits.matched(first_list + k))
        .map(|k| &rules.list_items[k])
    {
        return Classified {
            style: Some(style.style.clone()),
            ..plain(line, Role::ListItem)
        };
    }
    plain(line, Role::Paragraph)
}

/// Whether `text` is a heading: (rank, style, number). `hits`, when given, are the line's
/// matches of `rules.any`: only the heading styles that matched there are tried again for
/// their captures.
fn heading_of(
    rules: &StructureRules,
    text: &str,
    hits: Option<&regex::SetMatches>,
) -> Option<(u8, String, Option<u32>)> {
    if text.len() <= SHORT && rules.named_headings.contains(&squeeze(text)) {
        return Some((0, "named".to_string(), None));
    }
    if text.len() > rules.max_heading_chars * 4
        || text.chars().count() > rules.max_heading_chars
        || text.contains(['。', '；'])
    {
        return None;
    }
    rules.headings.iter().enumerate().find_map(|(k, h)| {
        if hits.is_some_and(|m| !m.matched(2 + k)) {
            return None;
        }
        h.pattern.captures(text).map(|c| {
            let number = c.get(1).and_then(|m| super::numerals::parse(m.as_str()));
            (h.rank, h.style.clone(), number)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::rules::{Rules, SentenceOptions};
    use crate::source::lines;
    use Role::*;

    fn roles(text: &str) -> Vec<(Role, Option<u8>, Option<u32>)> {
        let rules = Rules::builtin(SentenceOptions::default());
        let ls: Vec<_> = lines(text).collect();
        classify(&rules.structure, &ls)
            .into_iter()
            .map(|c| (c.role, c.rank, c.number))
            .collect()
    }

    #[test]
    fn white_paper_roles() {
        let text = "　　目\u{a0}录\n　　前\u{a0}言\n　　一、总论\n　　（一）分论\n　\n　　前\u{a0}言\n　　正文。\n　　一、总论\n　　（一）分论\n　　——列表项。\n　　注1：说明。\n　　（新华社北京1月10日电）";
        assert_eq!(
            roles(text),
            [
                (TocTitle, None, None),
                (TocEntry, None, None),
                (TocEntry, None, None),
                (TocEntry, None, None),
                (Heading, Some(0), None),
                (Paragraph, None, None),
                (Heading, Some(4), Some(1)),
                (Heading, Some(5), Some(1)),
                (ListItem, None, None),
                (Note, None, None),
                (Dateline, None, None),
            ]
        );
    }

    #[test]
    fn long_or_punctuated_numbered_lines_are_not_headings() {
        let text = "（一）这是一段带句号的文字。\n一、总论";
        assert_eq!(
            roles(text),
            [(Paragraph, None, None), (Heading, Some(4), Some(1))]
        );
    }

    #[test]
    fn book_structure_with_title_chapters_and_numbered_items() {
        let text = "《长河》序\n第一章 出发\n一、清晨\n1. 第一项。\n（1）第一小项。\n第二章 归来";
        assert_eq!(
            roles(text),
            [
                (Title, None, None),
                (Heading, Some(2), Some(1)),
                (Heading, Some(4), Some(1)),
                (ListItem, None, None),
                (ListItem, None, None),
                (Heading, Some(2), Some(2)),
            ]
        );
    }
}
