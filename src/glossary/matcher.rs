//! Finding glossary terms in source text: unsegmented Chinese, so no word boundaries, only
//! substrings.
//!
//! One aho-corasick automaton with leftmost-longest semantics gives the hits a translator
//! sees: 南南合作援助基金 wins over the 南南合作 inside it. A second automaton with standard
//! semantics gives every hit, overlapping and nested ones included, for `glossary hits`.
//!
//! Text and patterns are folded the same way before matching, and hit offsets are mapped back
//! to the original text: full-width ASCII becomes half-width (Ｇ２０ = G20), the ideographic
//! space a space, ASCII letters lower case, and quotation marks (“”‘’「」『』"' ...) disappear,
//! so “一带一路” and 一带一路 match either way round. Simplified/traditional pairs are not folded
//! by rule (the mapping is ambiguous); an entry lists its accepted source variants instead,
//! and each variant is one more pattern for the same term.

use std::borrow::Cow;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::{Glossary, GlossaryError, Status};

/// One occurrence of a term in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset of the first character, in the original text.
    pub start: usize,
    /// Byte offset after the last character, in the original text.
    pub end: usize,
    /// Index of the term in the matcher ([`Matcher::term`] gives the source term).
    pub term: usize,
    /// True when the hit lies inside or across a longer one, so the leftmost-longest reading
    /// does not show it (only [`Matcher::find_all`] returns such hits).
    pub nested: bool,
}

/// A compiled set of source terms.
#[derive(Debug, Clone)]
pub struct Matcher {
    longest: AhoCorasick,
    all: AhoCorasick,
    /// Pattern index → term index.
    pattern_term: Vec<usize>,
    terms: Vec<String>,
}

impl Matcher {
    /// Compiles `terms`: each is a source term and its accepted variants. Terms whose folded
    /// form is empty (only quotation marks) are kept as terms but never match.
    pub fn new<I, S, V>(terms: I) -> Result<Self, GlossaryError>
    where
        I: IntoIterator<Item = (S, V)>,
        S: AsRef<str>,
        V: IntoIterator,
        V::Item: AsRef<str>,
    {
        let mut names = Vec::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_term = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (source, variants) in terms {
            let index = names.len();
            names.push(source.as_ref().to_owned());
            let forms = std::iter::once(fold(source.as_ref()).text.into_owned()).chain(
                variants
                    .into_iter()
                    .map(|v| fold(v.as_ref()).text.into_owned()),
            );
            for form in forms {
                if !form.is_empty() && seen.insert(form.clone()) {
                    patterns.push(form);
                    pattern_term.push(index);
                }
            }
        }
        let build = |kind| {
            AhoCorasickBuilder::new()
                .match_kind(kind)
                .build(&patterns)
                .map_err(|e| {
                    GlossaryError::Invalid(format!("cannot compile the glossary matcher: {e}"))
                })
        };
        Ok(Self {
            longest: build(MatchKind::LeftmostLongest)?,
            all: build(MatchKind::Standard)?,
            pattern_term,
            terms: names,
        })
    }

    /// A matcher for the distinct source terms of `glossary` that are not rejected, with their
    /// variants.
    pub fn for_glossary(glossary: &Glossary) -> Result<Self, GlossaryError> {
        let mut order: Vec<&str> = Vec::new();
        let mut variants: std::collections::HashMap<&str, Vec<&str>> =
            std::collections::HashMap::new();
        for term in glossary
            .terms()
            .iter()
            .filter(|t| t.status != Status::Rejected)
        {
            let entry = variants.entry(term.source.as_str()).or_insert_with(|| {
                order.push(term.source.as_str());
                Vec::new()
            });
            entry.extend(term.variants.iter().map(String::as_str));
        }
        Self::new(
            order
                .into_iter()
                .map(|s| (s, variants.remove(s).unwrap_or_default())),
        )
    }

    /// The source term with index `term`.
    pub fn term(&self, term: usize) -> &str {
        &self.terms[term]
    }

    /// Heap memory used by the two automata, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.longest.memory_usage() + self.all.memory_usage()
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the matcher has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Non-overlapping hits, leftmost-longest: what a translator should see.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        self.find_folded(&fold(text), text)
    }

    fn find_folded(&self, folded: &Folded, text: &str) -> Vec<Hit> {
        self.longest
            .find_iter(folded.text.as_ref())
            .map(|m| Hit {
                start: folded.origin_start(m.start(), text),
                end: folded.origin_end(m.end(), text),
                term: self.pattern_term[m.pattern().as_usize()],
                nested: false,
            })
            .collect()
    }

    /// Every hit, overlapping and nested ones included, sorted by start then longest first;
    /// hits that [`Matcher::find`] would not return have `nested` set.
    pub fn find_all(&self, text: &str) -> Vec<Hit> {
        let folded = fold(text);
        let primary = self.find_folded(&folded, text);
        let mut hits: Vec<Hit> = self
            .all
            .find_overlapping_iter(folded.text.as_ref())
            .map(|m| {
                let start = folded.origin_start(m.start(), text);
                let end = folded.origin_end(m.end(), text);
                let term = self.pattern_term[m.pattern().as_usize()];
                let nested = !primary
                    .iter()
                    .any(|p| p.start == start && p.end == end && p.term == term);
                Hit {
                    start,
                    end,
                    term,
                    nested,
                }
            })
            .collect();
        hits.sort_by(|a, b| {
            a.start
                .cmp(&b.start)
                .then(b.end.cmp(&a.end))
                .then(a.term.cmp(&b.term))
        });
        hits.dedup();
        hits
    }
}

/// Text folded for matching, and how to map folded offsets back to the original.
#[derive(Debug)]
pub(crate) struct Folded<'a> {
    pub(crate) text: Cow<'a, str>,
    /// `(folded offset, original offset)` pairs, ascending, around every character whose
    /// folded form has another length; between them offsets move in step. Empty when the
    /// folding kept every length.
    checkpoints: Vec<(usize, usize)>,
}

impl Folded<'_> {
    /// The original offset of folded byte `folded`.
    fn origin(&self, folded: usize) -> usize {
        let i = self.checkpoints.partition_point(|&(f, _)| f <= folded);
        match i.checked_sub(1).map(|i| self.checkpoints[i]) {
            Some((f, o)) => o + (folded - f),
            None => folded,
        }
    }

    fn origin_start(&self, folded: usize, _original: &str) -> usize {
        self.origin(folded)
    }

    fn origin_end(&self, folded: usize, original: &str) -> usize {
        if folded == 0 {
            return 0;
        }
        // The end of the original character that produced the last matched byte.
        let mut end = self.origin(folded - 1) + 1;
        while end < original.len() && !original.is_char_boundary(end) {
            end += 1;
        }
        end.min(original.len())
    }
}

/// The folded form of one character: `None` drops it.
fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{FF01}'..='\u{FF5E}' => {
            char::from_u32(c as u32 - 0xFEE0).map(|c| c.to_ascii_lowercase())
        }
        '\u{3000}' => Some(' '),
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '〝' | '〞' | '„'
        | '‟' => None,
        _ => Some(c.to_ascii_lowercase()),
    }
}

/// Folds `text` for matching (see the module documentation). Text that needs no folding is
/// borrowed; otherwise unchanged runs are copied whole, so the cost is one pass over the text.
pub(crate) fn fold(text: &str) -> Folded<'_> {
    let mut out: Option<String> = None;
    let mut checkpoints = Vec::new();
    let mut copied = 0;
    for (offset, c) in text.char_indices() {
        let folded = fold_char(c);
        if folded == Some(c) {
            continue;
        }
        let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..offset]);
        copied = offset + c.len_utf8();
        let new_len = folded.map_or(0, char::len_utf8);
        if new_len != c.len_utf8() {
            checkpoints.push((out.len(), offset));
        }
        if let Some(f) = folded {
            out.push(f);
        }
        if new_len != c.len_utf8() {
            checkpoints.push((out.len(), copied));
        }
    }
    match out {
        None => Folded {
            text: Cow::Borrowed(text),
            checkpoints,
        },
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Folded {
                text: Cow::Owned(out),
                checkpoints,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(terms: &[&str]) -> Matcher {
        Matcher::new(terms.iter().map(|t| (*t, Vec::<&str>::new()))).unwrap()
    }

    fn found<'a>(m: &Matcher, text: &'a str, hits: &[Hit]) -> Vec<(&'a str, String, bool)> {
        hits.iter()
            .map(|h| (&text[h.start..h.end], m.term(h.term).to_owned(), h.nested))
            .collect()
    }

    #[test]
    fn longest_term_wins_and_nested_terms_are_listed_separately() {
        let m = matcher(&["南南合作", "南南合作援助基金", "援助"]);
        let text = "设立南南合作援助基金，推进南南合作。";
        let hits = m.find(text);
        assert_eq!(
            found(&m, text, &hits),
            vec![
                ("南南合作援助基金", "南南合作援助基金".to_owned(), false),
                ("南南合作", "南南合作".to_owned(), false),
            ]
        );
        let all = m.find_all(text);
        assert_eq!(
            found(&m, text, &all),
            vec![
                ("南南合作援助基金", "南南合作援助基金".to_owned(), false),
                ("南南合作", "南南合作".to_owned(), true),
                ("援助", "援助".to_owned(), true),
                ("南南合作", "南南合作".to_owned(), false),
            ]
        );
    }

    #[test]
    fn overlapping_terms_are_all_found() {
        let m = matcher(&["人类命运", "命运共同体"]);
        let text = "人类命运共同体";
        let all = m.find_all(text);
        assert_eq!(all.len(), 2);
        assert_eq!(m.find(text).len(), 1);
    }

    #[test]
    fn quotation_marks_and_full_width_are_folded_both_ways() {
        let m = matcher(&["一带一路", "“真实亲诚”", "G20"]);
        let text = "共建“一带一路”，秉持真实亲诚理念，在Ｇ２０峰会上";
        let hits = m.find(text);
        assert_eq!(
            hits.iter()
                .map(|h| &text[h.start..h.end])
                .collect::<Vec<_>>(),
            vec!["一带一路", "真实亲诚", "Ｇ２０"]
        );
        // A hit spanning a quotation mark keeps the original characters.
        let m = matcher(&["共建一带一路"]);
        let hits = m.find(text);
        assert_eq!(&text[hits[0].start..hits[0].end], "共建“一带一路");
    }

    #[test]
    fn listed_traditional_variants_match() {
        let m = Matcher::new([("一带一路", vec!["一帶一路"])]).unwrap();
        let text = "「一帶一路」倡議";
        let hits = m.find(text);
        assert_eq!(hits.len(), 1);
        assert_eq!(m.term(hits[0].term), "一带一路");
        assert_eq!(&text[hits[0].start..hits[0].end], "一帶一路");
        // Without the variant listed, no match.
        assert!(matcher(&["一带一路"]).find(text).is_empty());
    }

    #[test]
    fn rejected_entries_do_not_match() {
        use crate::glossary::{Stamp, Term};
        let stamp = Stamp::now("t");
        let mut g = Glossary::new("en");
        let id = g
            .add(Term::proposed("南南合作", "x", "", "", ""), &stamp)
            .unwrap()
            .id;
        g.add(Term::proposed("南南合作", "y", "", "", ""), &stamp)
            .unwrap();
        g.add(Term::proposed("援助", "aid", "", "", ""), &stamp)
            .unwrap();
        g.reject("援助", None, None, &stamp).unwrap();
        g.reject(&id, None, None, &stamp).unwrap();
        let m = Matcher::for_glossary(&g).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m.find("南南合作援助").len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn hits_map_back_to_the_original_characters(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "一", "带", "路", "“", "”", "「", "」", "Ｇ", "２", "G", "2", "０", " ", "　", "a", "A",
            ]), 0..40)
        ) {
            let text = parts.concat();
            let m = matcher(&["一带一路", "带一", "G20", "路", "a一"]);
            for hit in m.find_all(&text) {
                proptest::prop_assert!(text.is_char_boundary(hit.start) && text.is_char_boundary(hit.end));
                proptest::prop_assert!(hit.start < hit.end);
                let found = fold(&text[hit.start..hit.end]).text.into_owned();
                proptest::prop_assert_eq!(found, fold(m.term(hit.term)).text.into_owned());
            }
        }
    }
}
