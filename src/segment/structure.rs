//! Document structure: which role each line plays.
//!
//! A source has one paragraph per line. This module decides, line by line, whether it is the
//! title (and its subtitle), the table of contents (its title and entries), a heading (named
//! like 前言, or numbered like 一、, （一）, 第一章 or 1.1), an article of a law (第一条) with its
//! clauses and items, a list item (——…), a table row, a caption (表1), a note (注1：…), a
//! dateline (（新华社北京1月10日电）) or a plain paragraph. Two shapes put two units on one line:
//! a run-in heading (（一）着力扩大有效需求。全年……) and a run-in dateline
//! (新华社江川3月6日电（记者张明）江川省……). Patterns come from the rules data; levels are the
//! dense ranks of the heading styles a document uses, so the same file of rules serves a white
//! paper (一、 / （一）), a book (第一章 / 一、 / （一）) and a regulation (第一章 / 第一条).

use serde::Serialize;

use super::rules::{LinePattern, Rules, StructureRules, squeeze};
use super::sentence;
use crate::source::Line;

/// The role of a unit, with the names used in machine output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The document title before any table of contents or heading (or an attachment's title).
    Title,
    /// A line right after the title that qualifies it: a speech's occasion
    /// (——2024年3月5日在…会议上), a bracketed date.
    Subtitle,
    /// The title of the table of contents (目录).
    TocTitle,
    /// An entry of the table of contents, linked to the heading it lists.
    TocEntry,
    /// A heading, with a level.
    Heading,
    /// An article of a law or regulation (第一条　…): it opens a section and is its first
    /// paragraph (第一款).
    Article,
    /// A further paragraph of an article (第二款, 第三款 …).
    Clause,
    /// A list item (——…, 1. …, （1）…, ①…, and an article's items （一）…).
    ListItem,
    /// A row of a table: each cell is a segment.
    TableRow,
    /// The caption of a table, figure or box (表1　…, 图1　…, 专栏1　…).
    Caption,
    /// A note (注1：…, 资料来源：…).
    Note,
    /// A dateline (（新华社北京1月10日电）, or 新华社江川3月6日电（记者…） before a paragraph).
    Dateline,
    /// Any other paragraph.
    Paragraph,
}

impl Role {
    /// The machine-output name (`toc-entry`).
    pub fn name(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::Subtitle => "subtitle",
            Role::TocTitle => "toc-title",
            Role::TocEntry => "toc-entry",
            Role::Heading => "heading",
            Role::Article => "article",
            Role::Clause => "clause",
            Role::ListItem => "list-item",
            Role::TableRow => "table-row",
            Role::Caption => "caption",
            Role::Note => "note",
            Role::Dateline => "dateline",
            Role::Paragraph => "paragraph",
        }
    }

    /// All roles, in output order.
    pub const ALL: [Role; 13] = [
        Role::Title,
        Role::Subtitle,
        Role::TocTitle,
        Role::TocEntry,
        Role::Heading,
        Role::Article,
        Role::Clause,
        Role::ListItem,
        Role::TableRow,
        Role::Caption,
        Role::Note,
        Role::Dateline,
        Role::Paragraph,
    ];

    /// Whether units of this role are one segment, never split into sentences.
    pub fn is_atomic(self) -> bool {
        matches!(
            self,
            Role::Title
                | Role::Subtitle
                | Role::TocTitle
                | Role::TocEntry
                | Role::Heading
                | Role::Caption
                | Role::Dateline
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A classified line (or part of a line), before sections and sentences.
#[derive(Debug, Clone)]
pub(crate) struct Classified<'a> {
    /// The line; for the second unit of a run-in line, the rest of the line.
    pub line: Line<'a>,
    pub role: Role,
    /// For headings and articles: the style's rank (0 for named headings); levels come later.
    pub rank: Option<u8>,
    /// Heading, list or caption style name.
    pub style: Option<String>,
    /// The number a heading or article carries (一、 → 1), if any.
    pub number: Option<u32>,
    /// 0 in the body, k in the k-th attachment: heading levels are ranked within a part.
    pub part: u32,
}

/// The style of an attachment's heading (附件1).
pub(crate) const ATTACHMENT: &str = "attachment";

/// Lines longer than this (in bytes) are never compared with the TOC titles or the named
/// headings, which are a few characters long; this keeps long paragraphs from being copied.
const SHORT: usize = 96;

/// The key a TOC entry and its heading share: no spaces, no trailing page number or leader.
pub(crate) fn toc_key(text: &str) -> String {
    let s = squeeze(text);
    s.trim_end_matches(|c: char| c.is_ascii_digit() || matches!(c, '.' | '…' | '·' | '．'))
        .to_string()
}

/// Classifies the lines of a document (blank lines are dropped).
pub(crate) fn classify<'a>(all: &Rules, lines: &[Line<'a>]) -> Vec<Classified<'a>> {
    let rules = &all.structure;
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
            // Subtitles: the lines right after the title that match the subtitle pattern.
            if let Some(subtitle) = &rules.subtitle {
                while let Some(k) = lines[i..].iter().position(|l| !l.text.is_empty()) {
                    let l = lines[i + k];
                    if l.text.chars().count() > rules.max_heading_chars * 2
                        || !subtitle.is_match(l.text)
                        || is_dateline(rules, l.text)
                    {
                        break;
                    }
                    out.push(plain(l, Role::Subtitle));
                    i += k + 1;
                }
            }
        }
    }
    // Table of contents: a TOC title among the first lines, then entries until a blank line,
    // a repeat of the first entry (the body starts), or a line with a sentence end; entries
    // after the last one that names a later line (its heading) belong to the body.
    if let Some(t) = lines[i..]
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.text.is_empty())
        .take(2)
        .find(|(_, l)| l.text.len() <= SHORT && rules.toc_titles.contains(&squeeze(l.text)))
        .map(|(k, _)| i + k)
    {
        let mut cx = Context::default();
        for l in &lines[i..t] {
            if !l.text.is_empty() {
                let (first, second) = body_line(all, *l, &mut cx);
                out.push(first);
                out.extend(second);
            }
        }
        out.push(plain(lines[t], Role::TocTitle));
        let mut first_entry: Option<String> = None;
        let mut entries: Vec<usize> = Vec::new();
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
            entries.push(j);
            j += 1;
        }
        let later: std::collections::HashSet<String> = lines[j..]
            .iter()
            .filter(|l| !l.text.is_empty() && l.text.len() <= rules.max_heading_chars * 4)
            .map(|l| toc_key(l.text))
            .collect();
        let kept = entries
            .iter()
            .rposition(|&e| later.contains(&toc_key(lines[e].text)))
            .map_or(entries.len(), |last| last + 1);
        for &e in &entries[..kept] {
            out.push(plain(lines[e], Role::TocEntry));
        }
        i = entries.get(kept).copied().unwrap_or(j);
    }
    body(all, &lines[i..], &mut out);
    out
}

fn plain(line: Line<'_>, role: Role) -> Classified<'_> {
    Classified {
        line,
        role,
        rank: None,
        style: None,
        number: None,
        part: 0,
    }
}

fn is_dateline(rules: &StructureRules, text: &str) -> bool {
    let hits = rules.any.matches(text);
    rules.hit(&hits, LinePattern::Dateline)
}

/// What the lines before tell about the next one.
#[derive(Default)]
struct Context {
    /// Inside an article: its items and clauses follow.
    in_article: bool,
    /// The attachment being read (0: the body).
    part: u32,
    /// An attachment's heading was the last unit: a short line now is its title.
    attachment_title: bool,
}

/// Classifies the body lines (after the title and the table of contents).
fn body<'a>(all: &Rules, lines: &[Line<'a>], out: &mut Vec<Classified<'a>>) {
    let rules = &all.structure;
    let rows = table_rows(rules, lines);
    let mut cx = Context::default();
    for (k, l) in lines.iter().enumerate() {
        if l.text.is_empty() {
            continue;
        }
        let attachment_title = std::mem::take(&mut cx.attachment_title);
        if rows.get(k).copied().unwrap_or(false) {
            out.push(Classified {
                part: cx.part,
                ..plain(*l, Role::TableRow)
            });
            continue;
        }
        let (mut first, second) = body_line(all, *l, &mut cx);
        if attachment_title
            && first.role == Role::Paragraph
            && second.is_none()
            && l.text.chars().count() <= rules.title_max_chars
            && !l.text.contains(['。', '！', '？', '；', '，'])
        {
            first.role = Role::Title;
            cx.in_article = false;
        }
        first.part = cx.part;
        out.push(first);
        if let Some(mut s) = second {
            s.part = cx.part;
            out.push(s);
        }
    }
}

/// The role of one body line, and for a run-in line the unit that follows on the same line.
fn body_line<'a>(
    all: &Rules,
    line: Line<'a>,
    cx: &mut Context,
) -> (Classified<'a>, Option<Classified<'a>>) {
    let rules = &all.structure;
    let text = line.text;
    let paragraph = |cx: &Context| {
        plain(
            line,
            if cx.in_article {
                Role::Clause
            } else {
                Role::Paragraph
            },
        )
    };
    let hits = rules.any.matches(text);
    if !hits.matched_any() && text.len() > SHORT {
        return (paragraph(cx), None);
    }
    if rules.hit(&hits, LinePattern::Dateline) {
        return (plain(line, Role::Dateline), None);
    }
    if rules.hit(&hits, LinePattern::Note) {
        return (plain(line, Role::Note), None);
    }
    if rules.hit(&hits, LinePattern::Attachment)
        && let Some(pattern) = &rules.attachment
    {
        let number = pattern
            .captures(text)
            .and_then(|c| c.get(1))
            .and_then(|m| super::numerals::parse(m.as_str()));
        cx.part += 1;
        cx.in_article = false;
        cx.attachment_title = true;
        return (
            Classified {
                rank: Some(0),
                style: Some(ATTACHMENT.to_string()),
                number,
                ..plain(line, Role::Heading)
            },
            None,
        );
    }
    if let Some(article) = &rules.article {
        if rules.hit(&hits, LinePattern::Article) {
            let number = article
                .pattern
                .captures(text)
                .and_then(|c| c.get(1))
                .and_then(|m| super::numerals::parse(m.as_str()));
            cx.in_article = true;
            return (
                Classified {
                    rank: Some(article.rank),
                    style: Some("article".to_string()),
                    number,
                    ..plain(line, Role::Article)
                },
                None,
            );
        }
        if cx.in_article && article.items.iter().any(|p| p.is_match(text)) {
            return (
                Classified {
                    style: Some("item".to_string()),
                    ..plain(line, Role::ListItem)
                },
                None,
            );
        }
    }
    if let Some((rank, style, number)) = heading_of(rules, text, Some(&hits)) {
        if rules.article.as_ref().is_some_and(|a| rank < a.rank) {
            cx.in_article = false;
        }
        return (
            Classified {
                rank: Some(rank),
                style: Some(style),
                number,
                ..plain(line, Role::Heading)
            },
            None,
        );
    }
    if text.chars().count() <= rules.max_heading_chars && !text.contains('。') {
        for (k, caption) in rules.captions.iter().enumerate() {
            if rules.hit(&hits, LinePattern::Caption(k)) {
                let number = caption
                    .pattern
                    .captures(text)
                    .and_then(|c| c.get(1))
                    .and_then(|m| super::numerals::parse(m.as_str()));
                return (
                    Classified {
                        style: Some(caption.kind.clone()),
                        number,
                        ..plain(line, Role::Caption)
                    },
                    None,
                );
            }
        }
    }
    if let Some(split) = run_in_heading(all, text, &hits) {
        if rules.article.as_ref().is_some_and(|a| split.rank < a.rank) {
            cx.in_article = false;
        }
        let heading = Classified {
            rank: Some(split.rank),
            style: Some(split.style),
            number: split.number,
            ..plain(line, Role::Heading)
        };
        if split.at >= text.len() {
            return (heading, None);
        }
        let (first, rest) = cut(line, split.at);
        return (
            heading.with_line(first),
            Some(paragraph(cx).with_line(rest)),
        );
    }
    if rules.hit(&hits, LinePattern::RunInDateline)
        && let Some(m) = rules.run_in_dateline.as_ref().and_then(|p| p.find(text))
    {
        if m.end() >= text.len() {
            return (plain(line, Role::Dateline), None);
        }
        let (dateline, rest) = cut(line, m.end());
        return (
            plain(dateline, Role::Dateline),
            Some(paragraph(cx).with_line(rest)),
        );
    }
    if let Some(style) = (0..rules.list_items.len())
        .find(|&k| rules.hit(&hits, LinePattern::List(k)))
        .map(|k| &rules.list_items[k])
    {
        return (
            Classified {
                style: Some(style.style.clone()),
                ..plain(line, Role::ListItem)
            },
            None,
        );
    }
    (paragraph(cx), None)
}

impl<'a> Classified<'a> {
    fn with_line(self, line: Line<'a>) -> Self {
        Self { line, ..self }
    }
}

/// Cuts a line in two at byte `at` of its text: the first part keeps the indentation and loses
/// trailing spaces; the second part's leading spaces become its indentation.
fn cut(line: Line<'_>, at: usize) -> (Line<'_>, Line<'_>) {
    let head = &line.text[..at];
    let trimmed =
        head.trim_end_matches(|c: char| c.is_whitespace() || crate::source::is_layout_space(c));
    let tail = &line.text[at..];
    let body =
        tail.trim_start_matches(|c: char| c.is_whitespace() || crate::source::is_layout_space(c));
    let text_start = line.start + line.indent.len();
    let first = Line {
        text: trimmed,
        ..line
    };
    let gap_start = trimmed.len();
    let gap_end = line.text.len() - body.len();
    let second = Line {
        number: line.number,
        start: text_start + gap_start,
        indent: &line.text[gap_start..gap_end],
        text: body,
    };
    (first, second)
}

/// A run-in heading found at the start of a line.
struct RunInSplit {
    /// Where the body text starts (byte offset in the line's text).
    at: usize,
    rank: u8,
    style: String,
    number: Option<u32>,
}

/// Whether `text` starts with a run-in heading: a heading style allowed to run in, whose first
/// sentence ends with a terminator, is short, and is followed by more text.
fn run_in_heading(all: &Rules, text: &str, hits: &regex::SetMatches) -> Option<RunInSplit> {
    let rules = &all.structure;
    let run_in = rules.run_in.as_ref()?;
    let (_, style) = rules.headings.iter().enumerate().find(|(k, h)| {
        rules.hit(hits, LinePattern::Heading(*k)) && run_in.styles.contains(&h.style)
    })?;
    let ranges = sentence::split(all, text);
    let first = ranges.first()?;
    let heading = text[first.clone()]
        .trim_end_matches(|c: char| c.is_whitespace() || crate::source::is_layout_space(c));
    let last = heading.chars().next_back()?;
    // Alone on its line, the heading sentence has no comma either: （二）加强要素保障。 is a
    // heading, （一）各地要加强组织领导，确保任务落实。 a numbered paragraph.
    if !matches!(last, '。' | '！' | '？')
        || heading.chars().count() > run_in.max_chars
        || heading.contains('；')
        || (ranges.len() < 2 && heading.contains('，'))
    {
        return None;
    }
    let number = style
        .pattern
        .captures(text)
        .and_then(|c| c.get(1))
        .and_then(|m| super::numerals::parse(m.as_str()));
    Some(RunInSplit {
        at: first.end,
        rank: style.rank,
        style: style.style.clone(),
        number,
    })
}

/// Which lines are table rows: runs of at least `min_rows` consecutive lines that each cut into
/// two or more cells, have no 。 and do not open a chapter, section, article or attachment
/// (第一章　　总则 is a heading, not a row).
fn table_rows(rules: &StructureRules, lines: &[Line<'_>]) -> Vec<bool> {
    let Some(table) = &rules.table else {
        return Vec::new();
    };
    let candidate: Vec<bool> = lines
        .iter()
        .map(|l| {
            let text = l.text;
            !text.is_empty()
                && !text.contains('。')
                && table.separator.is_match(text)
                && cells(&table.separator, text).len() >= 2
                && !opens_structure(rules, text)
        })
        .collect();
    let mut rows = vec![false; lines.len()];
    let mut k = 0;
    while k < lines.len() {
        if !candidate[k] {
            k += 1;
            continue;
        }
        let run = candidate[k..].iter().take_while(|&&c| c).count();
        if run >= table.min_rows {
            rows[k..k + run].fill(true);
        }
        k += run;
    }
    rows
}

/// Whether a line opens a part, chapter, section, article or attachment.
fn opens_structure(rules: &StructureRules, text: &str) -> bool {
    let hits = rules.any.matches(text);
    rules.hit(&hits, LinePattern::Article)
        || rules.hit(&hits, LinePattern::Attachment)
        || rules.headings.iter().enumerate().any(|(k, h)| {
            rules.hit(&hits, LinePattern::Heading(k))
                && matches!(h.style.as_str(), "part" | "chapter" | "section")
        })
}

/// The cells of a table row: byte ranges that tile the text, each ending with the separator
/// after it (an empty cell's separator joins the cell before).
pub(crate) fn cells(separator: &regex::Regex, text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut start = 0;
    for m in separator.find_iter(text) {
        if m.start() == 0 || m.end() >= text.len() {
            continue;
        }
        if text[start..m.start()].trim().is_empty() {
            if let Some(last) = ranges.last_mut() {
                last.end = m.end();
                start = m.end();
            }
            continue;
        }
        ranges.push(start..m.end());
        start = m.end();
    }
    ranges.push(start..text.len());
    ranges
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
        if hits.is_some_and(|m| !rules.hit(m, LinePattern::Heading(k))) {
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
        classify(&rules, &ls)
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
                (Heading, Some(40), Some(1)),
                (Heading, Some(50), Some(1)),
                (ListItem, None, None),
                (Note, None, None),
                (Dateline, None, None),
            ]
        );
    }

    #[test]
    fn long_or_punctuated_numbered_lines_are_not_headings() {
        let text = "（一）这是一段带句号，也带逗号的文字。\n一、总论";
        assert_eq!(
            roles(text),
            [(Paragraph, None, None), (Heading, Some(40), Some(1))]
        );
        // A short heading sentence without a comma, alone on its line, is a heading.
        assert_eq!(
            roles("（二）加强要素保障。\n（三）"),
            [(Heading, Some(50), Some(2)), (Heading, Some(50), Some(3))]
        );
    }

    #[test]
    fn book_structure_with_title_chapters_and_numbered_items() {
        let text = "《长河》序\n第一章 出发\n一、清晨\n1. 第一项。\n（1）第一小项。\n第二章 归来";
        assert_eq!(
            roles(text),
            [
                (Title, None, None),
                (Heading, Some(20), Some(1)),
                (Heading, Some(40), Some(1)),
                (ListItem, None, None),
                (ListItem, None, None),
                (Heading, Some(20), Some(2)),
            ]
        );
    }
}
