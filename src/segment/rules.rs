//! Segmentation rules as data: the built-in `zh.toml`, a project's replacement, and SRX.
//!
//! The rules file is deserialized into plain strings, then compiled once into [`Rules`]; the
//! segmenter never sees TOML. Keeping rules in data lets a project adapt punctuation,
//! abbreviations or heading styles without touching code (STYLE.md: data over code).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::SegmentError;
use super::srx::{Srx, SrxRules};

/// The built-in rules file.
pub const BUILTIN_RULES: &str = include_str!("zh.toml");

/// Options that switch optional rules on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SentenceOptions {
    /// End sentences after `；` too.
    pub semicolon: bool,
}

/// How SRX rules combine with the built-in sentence rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SrxMode {
    /// SRX decides wherever one of its rules matches; elsewhere the built-in rules decide.
    #[default]
    Extend,
    /// Only SRX decides; positions no SRX rule matches do not break.
    Replace,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    sentence: SentenceFile,
    structure: StructureFile,
    #[serde(default)]
    inline_references: Vec<InlineReferenceFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SentenceFile {
    terminators: String,
    latin_terminators: String,
    closers: String,
    no_break_inside: Vec<String>,
    quotes: Vec<String>,
    semicolons: String,
    abbreviations: Vec<String>,
    references: Vec<String>,
    list_markers: Vec<String>,
    #[serde(default)]
    weak_terminators: String,
    #[serde(default)]
    continuations: String,
    #[serde(default)]
    latin_exceptions: Vec<ExceptionFile>,
    #[serde(default)]
    attribution: Option<AttributionFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExceptionFile {
    before: String,
    after: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributionFile {
    max_chars: usize,
    verbs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StructureFile {
    toc_titles: Vec<String>,
    named_headings: Vec<String>,
    max_heading_chars: usize,
    headings: Vec<HeadingStyleFile>,
    list_items: Vec<ListStyleFile>,
    note: PatternFile,
    dateline: PatternFile,
    title: TitleFile,
    #[serde(default)]
    subtitle: Option<PatternFile>,
    #[serde(default)]
    article: Option<ArticleFile>,
    #[serde(default)]
    attachment: Option<PatternFile>,
    #[serde(default)]
    captions: Vec<InlineReferenceFile>,
    #[serde(default)]
    run_in: Option<RunInFile>,
    #[serde(default)]
    run_in_dateline: Option<PatternFile>,
    #[serde(default)]
    table: Option<TableFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleFile {
    rank: u8,
    pattern: String,
    items: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunInFile {
    max_chars: usize,
    styles: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    separator: String,
    min_rows: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HeadingStyleFile {
    style: String,
    rank: u8,
    pattern: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListStyleFile {
    style: String,
    pattern: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternFile {
    pattern: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleFile {
    max_chars: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InlineReferenceFile {
    kind: String,
    pattern: String,
}

/// A small set of characters: a bitmap for ASCII, a sorted list for the rest, and for scans a
/// multi-literal searcher of the members (aho-corasick's packed Teddy SIMD search where the CPU
/// has it, an Aho-Corasick automaton otherwise), so finding the next sentence end skips the Han
/// text in between at memchr speed, with little fixed cost per call.
#[derive(Debug, Clone, Default)]
pub struct CharSet {
    ascii: u128,
    other: Vec<char>,
    finder: std::sync::OnceLock<Option<Finder>>,
}

/// The compiled search for the members of a [`CharSet`].
#[derive(Debug, Clone)]
enum Finder {
    Packed(aho_corasick::packed::Searcher),
    Automaton(aho_corasick::AhoCorasick),
}

impl CharSet {
    /// The first member at or after byte offset `from`, with its offset.
    #[inline]
    pub fn find_in(&self, text: &str, from: usize) -> Option<(usize, char)> {
        if from >= text.len() {
            return None;
        }
        let finder = self.finder.get_or_init(|| self.compile_finder()).as_ref()?;
        let start = match finder {
            Finder::Packed(s) => s
                .find_in(text, aho_corasick::Span::from(from..text.len()))?
                .start(),
            Finder::Automaton(a) => a
                .find(aho_corasick::Input::new(text).range(from..))?
                .start(),
        };
        text[start..].chars().next().map(|c| (start, c))
    }

    fn compile_finder(&self) -> Option<Finder> {
        let members: Vec<String> = (0u8..128)
            .filter(|b| (self.ascii >> b) & 1 == 1)
            .map(char::from)
            .chain(self.other.iter().copied())
            .map(String::from)
            .collect();
        if members.is_empty() {
            return None;
        }
        // Members are whole characters, so a match always starts on a character boundary.
        if let Some(s) = aho_corasick::packed::Searcher::new(&members) {
            return Some(Finder::Packed(s));
        }
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(&members)
            .ok()
            .map(Finder::Automaton)
    }

    /// Whether `c` is in the set.
    #[inline]
    pub fn contains(&self, c: &char) -> bool {
        let c = *c;
        if c.is_ascii() {
            (self.ascii >> (c as u32)) & 1 == 1
        } else {
            !self.other.is_empty() && self.other.binary_search(&c).is_ok()
        }
    }

    /// Adds `c`.
    pub fn insert(&mut self, c: char) {
        self.finder = std::sync::OnceLock::new();
        if c.is_ascii() {
            self.ascii |= 1 << (c as u32);
        } else if let Err(at) = self.other.binary_search(&c) {
            self.other.insert(at, c);
        }
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ascii == 0 && self.other.is_empty()
    }
}

impl FromIterator<char> for CharSet {
    fn from_iter<I: IntoIterator<Item = char>>(iter: I) -> Self {
        let mut set = Self::default();
        for c in iter {
            set.insert(c);
        }
        set
    }
}

/// A numbered heading style.
#[derive(Debug, Clone)]
pub struct HeadingStyle {
    /// Its name (`cn-comma` for 一、).
    pub style: String,
    /// Nesting rank: smaller is outer.
    pub rank: u8,
    /// Matches the marker; group 1 is the number.
    pub pattern: Regex,
}

/// A list-item marker style.
#[derive(Debug, Clone)]
pub struct ListStyle {
    /// Its name (`dash` for ——).
    pub style: String,
    /// Matches the marker.
    pub pattern: Regex,
}

/// An inline reference pattern such as （见图1）.
#[derive(Debug, Clone)]
pub struct InlineReferenceRule {
    /// What is referred to: `note`, `figure`, `box`, `table`.
    pub kind: String,
    /// Matches the reference; group 1 is the number.
    pub pattern: Regex,
}

/// Compiled sentence rules.
#[derive(Debug, Clone)]
pub struct SentenceRules {
    pub(crate) terminators: CharSet,
    pub(crate) latin_terminators: CharSet,
    pub(crate) closers: CharSet,
    pub(crate) no_break_close: CharSet,
    pub(crate) pair_of: Vec<(char, char)>,
    pub(crate) openers: CharSet,
    /// Openers and closers of the pairs.
    pub(crate) pair_marks: CharSet,
    pub(crate) quote_closers: CharSet,
    /// Every character that can start a sentence end under the options in force.
    pub(crate) starts: CharSet,
    pub(crate) abbreviations: HashSet<String>,
    pub(crate) references: Vec<Regex>,
    pub(crate) list_markers: Vec<Regex>,
    /// Terminators that end a sentence only before a closer, another terminator or the end.
    pub(crate) weak_terminators: CharSet,
    /// Characters before which a sentence never ends.
    pub(crate) continuations: CharSet,
    /// (before, after) patterns where a Latin terminator does not end a sentence.
    pub(crate) latin_exceptions: Vec<(Regex, Regex)>,
    /// Matches, at the start of the text after a quotation, its attribution (他说。).
    pub(crate) attribution: Option<Regex>,
}

/// An article style of laws and regulations (第一条).
#[derive(Debug, Clone)]
pub struct ArticleStyle {
    /// Nesting rank among the heading styles.
    pub rank: u8,
    /// Matches the article number; group 1 is the number.
    pub pattern: Regex,
    /// Items (项) inside an article; group 1 is the number.
    pub items: Vec<Regex>,
}

/// Run-in headings: which heading styles, and how long the heading sentence may be.
#[derive(Debug, Clone)]
pub struct RunIn {
    /// At most this many characters in the heading sentence.
    pub max_chars: usize,
    /// The heading styles that may run in.
    pub styles: Vec<String>,
}

/// Table rows: the cell separator and how many rows make a table.
#[derive(Debug, Clone)]
pub struct TableRule {
    /// Separates cells.
    pub separator: Regex,
    /// Consecutive rows needed.
    pub min_rows: usize,
}

/// Compiled structure rules.
#[derive(Debug, Clone)]
pub struct StructureRules {
    pub(crate) toc_titles: Vec<String>,
    pub(crate) named_headings: Vec<String>,
    pub(crate) max_heading_chars: usize,
    pub(crate) headings: Vec<HeadingStyle>,
    pub(crate) list_items: Vec<ListStyle>,
    pub(crate) title_max_chars: usize,
    pub(crate) inline_references: Vec<InlineReferenceRule>,
    pub(crate) subtitle: Option<Regex>,
    pub(crate) article: Option<ArticleStyle>,
    pub(crate) attachment: Option<Regex>,
    /// Caption styles: `kind` (table, figure, box) and the pattern (group 1: the number).
    pub(crate) captions: Vec<InlineReferenceRule>,
    pub(crate) run_in: Option<RunIn>,
    pub(crate) run_in_dateline: Option<Regex>,
    pub(crate) table: Option<TableRule>,
    /// All line patterns at once, in the order of [`LinePattern`]: one pass per line tells
    /// which (if any) can apply.
    pub(crate) any: regex::RegexSet,
}

/// Where the patterns of one kind sit in [`StructureRules::any`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinePattern {
    /// The bracketed dateline.
    Dateline,
    /// A note.
    Note,
    /// Heading style `k`.
    Heading(usize),
    /// List style `k`.
    List(usize),
    /// The article.
    Article,
    /// The attachment marker.
    Attachment,
    /// Caption style `k`.
    Caption(usize),
    /// The run-in dateline.
    RunInDateline,
}

impl StructureRules {
    /// The index of a pattern in [`StructureRules::any`]; a pattern the rules do not have gets
    /// an index past the end, which never matches.
    pub(crate) fn index(&self, p: LinePattern) -> usize {
        let headings = self.headings.len();
        let lists = self.list_items.len();
        let after_lists = 2 + headings + lists;
        let absent = usize::MAX;
        match p {
            LinePattern::Dateline => 0,
            LinePattern::Note => 1,
            LinePattern::Heading(k) => 2 + k,
            LinePattern::List(k) => 2 + headings + k,
            LinePattern::Article => {
                if self.article.is_some() {
                    after_lists
                } else {
                    absent
                }
            }
            LinePattern::Attachment => {
                if self.attachment.is_some() {
                    after_lists + usize::from(self.article.is_some())
                } else {
                    absent
                }
            }
            LinePattern::Caption(k) => {
                after_lists
                    + usize::from(self.article.is_some())
                    + usize::from(self.attachment.is_some())
                    + k
            }
            LinePattern::RunInDateline => {
                if self.run_in_dateline.is_some() {
                    after_lists
                        + usize::from(self.article.is_some())
                        + usize::from(self.attachment.is_some())
                        + self.captions.len()
                } else {
                    absent
                }
            }
        }
    }

    /// Whether pattern `p` matched in `hits`.
    pub(crate) fn hit(&self, hits: &regex::SetMatches, p: LinePattern) -> bool {
        let i = self.index(p);
        i < hits.len() && hits.matched(i)
    }
}

/// Everything the segmenter needs: structure rules, sentence rules and optional SRX rules.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Sentence rules.
    pub sentence: SentenceRules,
    /// Structure rules.
    pub structure: StructureRules,
    /// SRX rules for the source language, when the project has an SRX file.
    pub srx: Option<(SrxRules, SrxMode)>,
}

impl Rules {
    /// The built-in rules.
    pub fn builtin(options: SentenceOptions) -> Self {
        // The built-in file is tested; failing to compile it is a bug, not user input.
        Self::from_toml(BUILTIN_RULES, Path::new("<built-in zh.toml>"), options)
            .unwrap_or_else(|e| panic!("built-in segmentation rules are invalid: {e}"))
    }

    /// Compiles a rules file; `path` is used in error messages.
    pub fn from_toml(
        text: &str,
        path: &Path,
        options: SentenceOptions,
    ) -> Result<Self, SegmentError> {
        let file: RulesFile = toml::from_str(text).map_err(|e| SegmentError::Rules {
            path: path.to_path_buf(),
            message: e.to_string().trim().to_string(),
        })?;
        let re = |pattern: &str| compile(pattern, path);
        let s = file.sentence;
        let mut no_break_close = CharSet::default();
        let mut pair_of = Vec::new();
        let mut quote_closers = CharSet::default();
        for pair in s.no_break_inside.iter().chain(&s.quotes) {
            let mut chars = pair.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(open), Some(close), None) => {
                    no_break_close.insert(close);
                    pair_of.push((open, close));
                    if s.quotes.contains(pair) {
                        quote_closers.insert(close);
                    }
                }
                _ => {
                    return Err(SegmentError::Rules {
                        path: path.to_path_buf(),
                        message: format!(
                            "no_break_inside entry {pair:?} must be exactly two characters, an opening and a closing one"
                        ),
                    });
                }
            }
        }
        let mut starts: CharSet = s
            .terminators
            .chars()
            .chain(s.latin_terminators.chars())
            .collect();
        if options.semicolon {
            for c in s.semicolons.chars() {
                starts.insert(c);
            }
        }
        if let Some(han) = s
            .terminators
            .chars()
            .chain(s.closers.chars())
            .find(|&c| crate::source::is_han(c))
        {
            return Err(SegmentError::Rules {
                path: path.to_path_buf(),
                message: format!("{han:?} is a Han character and cannot end sentences"),
            });
        }
        let sentence = SentenceRules {
            starts,
            terminators: s.terminators.chars().collect(),
            latin_terminators: s.latin_terminators.chars().collect(),
            closers: s.closers.chars().collect(),
            no_break_close,
            openers: pair_of.iter().map(|(o, _)| *o).collect(),
            pair_marks: pair_of.iter().flat_map(|(o, c)| [*o, *c]).collect(),
            pair_of,
            quote_closers,
            abbreviations: s.abbreviations.iter().map(|a| a.to_lowercase()).collect(),
            references: s
                .references
                .iter()
                .map(|p| re(p))
                .collect::<Result<_, _>>()?,
            list_markers: s
                .list_markers
                .iter()
                .map(|p| re(p))
                .collect::<Result<_, _>>()?,
            weak_terminators: s.weak_terminators.chars().collect(),
            continuations: s.continuations.chars().collect(),
            latin_exceptions: s
                .latin_exceptions
                .iter()
                .map(|e| Ok((re(&e.before)?, re(&e.after)?)))
                .collect::<Result<_, SegmentError>>()?,
            attribution: s
                .attribution
                .as_ref()
                .filter(|a| !a.verbs.is_empty())
                .map(|a| re(&attribution_pattern(a)))
                .transpose()?,
        };
        let st = file.structure;
        // Compiled one by one first so that an error names the pattern at fault.
        re(&st.note.pattern)?;
        re(&st.dateline.pattern)?;
        // The order of `LinePattern` (see `StructureRules::index`).
        let line_patterns: Vec<&str> = [st.dateline.pattern.as_str(), st.note.pattern.as_str()]
            .into_iter()
            .chain(st.headings.iter().map(|h| h.pattern.as_str()))
            .chain(st.list_items.iter().map(|l| l.pattern.as_str()))
            .chain(st.article.as_ref().map(|a| a.pattern.as_str()))
            .chain(st.attachment.as_ref().map(|a| a.pattern.as_str()))
            .chain(st.captions.iter().map(|c| c.pattern.as_str()))
            .chain(st.run_in_dateline.as_ref().map(|d| d.pattern.as_str()))
            .collect();
        for p in &line_patterns {
            re(p)?;
        }
        let any = regex::RegexSet::new(&line_patterns).map_err(|e| SegmentError::Rules {
            path: path.to_path_buf(),
            message: format!("structure patterns do not compile together: {e}"),
        })?;
        let structure = StructureRules {
            any,
            toc_titles: st.toc_titles.iter().map(|t| squeeze(t)).collect(),
            named_headings: st.named_headings.iter().map(|t| squeeze(t)).collect(),
            max_heading_chars: st.max_heading_chars,
            headings: st
                .headings
                .into_iter()
                .map(|h| {
                    Ok(HeadingStyle {
                        pattern: re(&h.pattern)?,
                        style: h.style,
                        rank: h.rank,
                    })
                })
                .collect::<Result<_, SegmentError>>()?,
            list_items: st
                .list_items
                .into_iter()
                .map(|l| {
                    Ok(ListStyle {
                        pattern: re(&l.pattern)?,
                        style: l.style,
                    })
                })
                .collect::<Result<_, SegmentError>>()?,
            title_max_chars: st.title.max_chars,
            subtitle: st.subtitle.map(|p| re(&p.pattern)).transpose()?,
            article: st
                .article
                .map(|a| {
                    Ok::<_, SegmentError>(ArticleStyle {
                        rank: a.rank,
                        pattern: re(&a.pattern)?,
                        items: a
                            .items
                            .iter()
                            .map(|p| re(p))
                            .collect::<Result<_, SegmentError>>()?,
                    })
                })
                .transpose()?,
            attachment: st.attachment.map(|p| re(&p.pattern)).transpose()?,
            captions: st
                .captions
                .into_iter()
                .map(|c| {
                    Ok(InlineReferenceRule {
                        pattern: re(&c.pattern)?,
                        kind: c.kind,
                    })
                })
                .collect::<Result<_, SegmentError>>()?,
            run_in: st.run_in.map(|r| RunIn {
                max_chars: r.max_chars,
                styles: r.styles,
            }),
            run_in_dateline: st.run_in_dateline.map(|p| re(&p.pattern)).transpose()?,
            table: st
                .table
                .map(|t| {
                    Ok::<_, SegmentError>(TableRule {
                        separator: re(&t.separator)?,
                        min_rows: t.min_rows.max(1),
                    })
                })
                .transpose()?,
            inline_references: file
                .inline_references
                .into_iter()
                .map(|r| {
                    Ok(InlineReferenceRule {
                        pattern: re(&r.pattern)?,
                        kind: r.kind,
                    })
                })
                .collect::<Result<_, SegmentError>>()?,
        };
        Ok(Self {
            sentence,
            structure,
            srx: None,
        })
    }

    /// Adds SRX rules for `language`.
    #[must_use]
    pub fn with_srx(mut self, srx: &Srx, language: &str, mode: SrxMode) -> Self {
        self.srx = Some((srx.rules_for(language), mode));
        self
    }
}

/// The attribution after a quotation: a short clause without punctuation ending in a verb of
/// saying and a terminator (他说。 王明远笑着说。).
fn attribution_pattern(a: &AttributionFile) -> String {
    let mut verbs: Vec<&str> = a.verbs.iter().map(String::as_str).collect();
    verbs.sort_by_key(|v| std::cmp::Reverse(v.chars().count()));
    let verbs: Vec<String> = verbs.iter().map(|v| regex::escape(v)).collect();
    format!(
        "^[^。！？；：“”‘’「」『』《》\\s.!?;:]{{0,{}}}?(?:{})[。！？!?]",
        a.max_chars,
        verbs.join("|")
    )
}

fn compile(pattern: &str, path: &Path) -> Result<Regex, SegmentError> {
    Regex::new(pattern).map_err(|e| SegmentError::Rules {
        path: PathBuf::from(path),
        message: format!("pattern {pattern:?} does not compile: {e}"),
    })
}

/// Removes all whitespace (including ideographic and no-break spaces).
pub(crate) fn squeeze(text: &str) -> String {
    text.chars()
        .filter(|&c| !(c.is_whitespace() || crate::source::is_layout_space(c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_compile() {
        let rules = Rules::builtin(SentenceOptions::default());
        assert!(rules.sentence.terminators.contains(&'。'));
        assert!(rules.sentence.abbreviations.contains("u.s."));
        assert_eq!(rules.structure.headings.len(), 9);
    }

    #[test]
    fn a_broken_rules_file_names_the_problem() {
        let path = Path::new("rules/zh.toml");
        let err = Rules::from_toml("[sentence]\n", path, SentenceOptions::default()).unwrap_err();
        assert!(err.to_string().contains("rules/zh.toml"), "{err}");
        let bad_regex = BUILTIN_RULES.replace("(?:注(?:释)?", "(?:注(?:释");
        let err = Rules::from_toml(&bad_regex, path, SentenceOptions::default()).unwrap_err();
        assert!(err.to_string().contains("does not compile"), "{err}");
    }

    /// A project's replacement file written before the optional rules existed still loads, and
    /// leaves those rules off.
    #[test]
    fn a_rules_file_without_the_optional_rules_loads() {
        let mut old = String::new();
        let mut skipping = false;
        for line in BUILTIN_RULES.lines() {
            if line.starts_with('[') {
                skipping = [
                    "[sentence.attribution]",
                    "[structure.subtitle]",
                    "[structure.article]",
                    "[structure.attachment]",
                    "[[structure.captions]]",
                    "[structure.run_in]",
                    "[structure.run_in_dateline]",
                    "[structure.table]",
                ]
                .contains(&line);
            }
            let optional_key = ["weak_terminators", "continuations"]
                .iter()
                .any(|k| line.starts_with(k));
            if line.starts_with("latin_exceptions") {
                skipping = true;
            }
            if !skipping && !optional_key {
                old.push_str(line);
                old.push('\n');
            }
            if skipping && line == "]" && !line.starts_with('[') {
                skipping = false;
            }
        }
        let rules = Rules::from_toml(&old, Path::new("old.toml"), SentenceOptions::default())
            .unwrap_or_else(|e| panic!("{e}\n{old}"));
        assert!(rules.structure.article.is_none() && rules.structure.table.is_none());
        assert!(rules.sentence.weak_terminators.is_empty());
        assert!(rules.sentence.attribution.is_none());
    }
}
