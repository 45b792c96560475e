//! Lexical anchors: what a source sentence and a target sentence can share as evidence.
//!
//! Each sentence becomes a sorted set of *anchor ids*. Ids below the lexicon size are English
//! word stems: an English sentence contributes the stems it contains, a Chinese sentence the
//! stems its dictionary words may be translated by. Above them, ids are interned per alignment
//! for evidence both scripts write alike: numbers ([`numbers`](super::numbers)), Latin-script
//! names and acronyms written verbatim, glossary pairs, and quotation, bracket and sentence-mood
//! marks. Two sentences then score the weighted size of the intersection of their sets.
//!
//! Weights are inverse document frequencies over the target text, so "God" in a Bible or
//! "development" in a white paper counts little and a rare name counts a lot; numbers, names
//! and approved glossary renderings are multiplied on top, as they seldom match by chance.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

use super::lexicon::Lexicon;
use super::numbers::{for_each_number, for_each_quantity};
use super::{AlignError, Language};

/// Weight multiplier of number and name anchors.
const STRONG: f32 = 2.0;
/// Weight multiplier of glossary anchors (the project's approved renderings).
const GLOSSARY: f32 = 3.0;
/// Weight multiplier of structure marks (quotes, brackets, question and exclamation marks).
const STRUCTURE: f32 = 0.5;

/// Which extractors apply to one side's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Script {
    /// Chinese text: dictionary words by longest match, every Latin token is a name.
    Chinese,
    /// English text: dictionary stems, capitalised tokens are names.
    English,
    /// Any other language: numbers, names and structure only.
    Other,
}

impl Script {
    fn of(language: &Language, dictionary: bool) -> Script {
        match language {
            Language::Chinese if dictionary => Script::Chinese,
            Language::English if dictionary => Script::English,
            Language::Chinese => Script::Chinese,
            _ => Script::Other,
        }
    }
}

/// Glossary pairs compiled for matching on both sides.
pub(crate) struct GlossaryMatcher {
    src: AhoCorasick,
    tgt: AhoCorasick,
}

impl GlossaryMatcher {
    pub(crate) fn new(pairs: &[(String, String)]) -> Result<Option<GlossaryMatcher>, AlignError> {
        let pairs: Vec<&(String, String)> = pairs
            .iter()
            .filter(|(s, t)| !s.trim().is_empty() && !t.trim().is_empty())
            .collect();
        if pairs.is_empty() {
            return Ok(None);
        }
        let build = |terms: Vec<&str>| {
            AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(terms)
                .map_err(|e| AlignError::Glossary(e.to_string()))
        };
        Ok(Some(GlossaryMatcher {
            src: build(pairs.iter().map(|(s, _)| s.trim()).collect())?,
            tgt: build(pairs.iter().map(|(_, t)| t.trim()).collect())?,
        }))
    }
}

/// The anchor sets of both sides of one alignment problem, with their weights.
pub(crate) struct Anchors {
    /// Sorted, distinct anchor ids of each source sentence.
    pub(crate) src: Vec<Vec<u32>>,
    /// Sorted, distinct anchor ids of each target sentence.
    pub(crate) tgt: Vec<Vec<u32>>,
    /// Weight of each anchor id (0 for ids no target sentence has).
    pub(crate) weight: Vec<f32>,
    /// For each source sentence, the similarity it may expect with a target sentence that is
    /// not its translation: each anchor's weight times the share of target sentences that have
    /// it, not counting one occurrence (the translation's own). Rare anchors expect nothing,
    /// so the estimate holds even for a text of two sentences.
    pub(crate) chance: Vec<f32>,
    /// Total weight of each source sentence's anchors that some target sentence has.
    pub(crate) src_mass: Vec<f32>,
    /// Total weight of each target sentence's anchors that some source sentence has.
    pub(crate) tgt_mass: Vec<f32>,
    /// Ids of the punctuation-structure anchors (weak evidence, not content).
    structure: Vec<u32>,
    /// How many target sentences have each anchor id.
    df: Vec<u32>,
}

/// Per-alignment interner for anchors beyond the lexicon's words.
struct Extractor<'a> {
    lexicon: Option<&'a Lexicon>,
    glossary: Option<&'a GlossaryMatcher>,
    base: u32,
    keys: HashMap<String, u32>,
    multiplier: Vec<f32>,
    scratch: String,
}

impl Extractor<'_> {
    fn key(&mut self, kind: char, text: &str, multiplier: f32) -> u32 {
        self.scratch.clear();
        self.scratch.push(kind);
        self.scratch.push_str(text);
        if let Some(&id) = self.keys.get(&self.scratch) {
            return id;
        }
        let id = self.base + u32::try_from(self.multiplier.len()).unwrap_or(u32::MAX);
        self.keys.insert(self.scratch.clone(), id);
        self.multiplier.push(multiplier);
        id
    }

    /// The id of an anchor some earlier sentence created, if any.
    fn existing(&mut self, kind: char, text: &str) -> Option<u32> {
        self.scratch.clear();
        self.scratch.push(kind);
        self.scratch.push_str(text);
        self.keys.get(&self.scratch).copied()
    }

    /// The anchor ids of one sentence. Latin-script names are created on the source side (any
    /// Latin word in Chinese text; capitalised words, acronyms and codes in other scripts) and
    /// only looked up on the target side, so a capitalised English word that no source sentence
    /// writes costs nothing.
    fn sentence(&mut self, text: &str, script: Script, source_side: bool) -> Vec<u32> {
        let mut ids = Vec::new();
        if let Some(lexicon) = self.lexicon {
            match script {
                Script::Chinese => lexicon.chinese_ids(text, &mut ids),
                Script::English => {
                    for word in text.split(|c: char| !c.is_ascii_alphabetic() && c != '\'') {
                        if word.len() > 1
                            && let Some(id) = lexicon.english_id(&word.to_ascii_lowercase())
                        {
                            ids.push(id);
                        }
                    }
                }
                Script::Other => {}
            }
        }
        let mut numbers = Vec::new();
        // The numbers check's parser (Chinese numerals, dates, ranges) where it knows the
        // language; the small reader elsewhere. Same Bible F1 and speed as the reader alone.
        if script == Script::Other {
            for_each_number(text, |k| numbers.push(k.to_owned()));
        } else {
            for_each_quantity(text, script == Script::Chinese, |k| {
                numbers.push(k.to_owned());
            });
        }
        for n in numbers {
            ids.push(self.key('N', &n, STRONG));
        }
        for token in text.split(|c: char| !c.is_ascii_alphanumeric() && c != '-') {
            let token = token.trim_matches('-');
            if token.len() < 2 || !token.chars().any(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            if !source_side {
                // The source side decided which names exist; the target only looks them up.
                if let Some(id) = self.existing('L', token) {
                    ids.push(id);
                }
            } else if script == Script::Chinese
                || token
                    .chars()
                    .any(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            {
                ids.push(self.key('L', token, STRONG));
            }
        }
        for (mark, chars) in [
            ("quote", &['"', '“', '”', '「', '」', '『', '』'][..]),
            ("paren", &['(', ')', '（', '）', '[', ']', '【', '】'][..]),
            ("question", &['?', '？'][..]),
            ("exclaim", &['!', '！'][..]),
        ] {
            if text.contains(chars) {
                ids.push(self.key('S', mark, STRUCTURE));
            }
        }
        if let Some(glossary) = self.glossary {
            let automaton = if source_side {
                &glossary.src
            } else {
                &glossary.tgt
            };
            let found: Vec<usize> = automaton
                .find_overlapping_iter(text)
                .map(|m| m.pattern().as_usize())
                .collect();
            for pattern in found {
                ids.push(self.key('G', &pattern.to_string(), GLOSSARY));
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

impl Anchors {
    /// Extracts the anchors of every sentence of both sides and weighs them.
    pub(crate) fn extract(
        src: &[&str],
        tgt: &[&str],
        languages: (&Language, &Language),
        glossary: Option<&GlossaryMatcher>,
    ) -> Anchors {
        let dictionary = matches!(
            languages,
            (Language::Chinese, Language::English) | (Language::English, Language::Chinese)
        );
        let lexicon = dictionary.then(Lexicon::get);
        let mut extractor = Extractor {
            lexicon,
            glossary,
            base: lexicon.map_or(0, Lexicon::vocab_len),
            keys: HashMap::new(),
            multiplier: Vec::new(),
            scratch: String::new(),
        };
        let (src_script, tgt_script) = (
            Script::of(languages.0, dictionary),
            Script::of(languages.1, dictionary),
        );
        let src: Vec<Vec<u32>> = src
            .iter()
            .map(|s| extractor.sentence(s, src_script, true))
            .collect();
        let tgt: Vec<Vec<u32>> = tgt
            .iter()
            .map(|s| extractor.sentence(s, tgt_script, false))
            .collect();
        let total = extractor.base as usize + extractor.multiplier.len();
        let mut df = vec![0u32; total];
        for ids in &tgt {
            for &id in ids {
                df[id as usize] += 1;
            }
        }
        let n = tgt.len() as f32 + 1.0;
        let weight: Vec<f32> = df
            .iter()
            .enumerate()
            .map(|(id, &d)| {
                if d == 0 {
                    return 0.0;
                }
                let idf = (n / d as f32).ln().max(0.05);
                let extra = id
                    .checked_sub(extractor.base as usize)
                    .map_or(1.0, |k| extractor.multiplier[k]);
                idf * extra
            })
            .collect();
        let structure = extractor
            .keys
            .iter()
            .filter(|(k, _)| k.starts_with('S'))
            .map(|(_, &id)| id)
            .collect();
        let mut anchors = Anchors {
            src,
            tgt,
            weight,
            chance: Vec::new(),
            src_mass: Vec::new(),
            tgt_mass: Vec::new(),
            structure,
            df,
        };
        anchors.totals();
        anchors
    }

    /// Adds `count` new anchors (ids `0..count` in `src_extra` and `tgt_extra`, sorted per
    /// sentence), weighted like the others by inverse document frequency, times `multiplier`.
    pub(crate) fn add(
        &mut self,
        src_extra: &[Vec<u32>],
        tgt_extra: &[Vec<u32>],
        count: u32,
        multiplier: f32,
    ) {
        let base = u32::try_from(self.weight.len()).unwrap_or(u32::MAX);
        let mut df = vec![0u32; count as usize];
        for (ids, extra) in self.tgt.iter_mut().zip(tgt_extra) {
            for &k in extra {
                df[k as usize] += 1;
                ids.push(base + k);
            }
        }
        for (ids, extra) in self.src.iter_mut().zip(src_extra) {
            ids.extend(extra.iter().map(|&k| base + k));
        }
        let n = self.tgt.len() as f32 + 1.0;
        for d in df {
            self.weight.push(if d == 0 {
                0.0
            } else {
                (n / d as f32).ln().max(0.05) * multiplier
            });
            self.df.push(d);
        }
        self.totals();
    }

    /// Computes `chance`, `src_mass` and `tgt_mass` from the sets and weights.
    fn totals(&mut self) {
        let (weight, df) = (&self.weight, &self.df);
        let m = self.tgt.len().max(1) as f32;
        self.chance = self
            .src
            .iter()
            .map(|ids| {
                ids.iter()
                    .map(|&id| weight[id as usize] * df[id as usize].saturating_sub(1) as f32 / m)
                    .sum()
            })
            .collect();
        let mut in_src = vec![false; weight.len()];
        for ids in &self.src {
            for &id in ids {
                in_src[id as usize] = true;
            }
        }
        self.src_mass = self
            .src
            .iter()
            .map(|ids| ids.iter().map(|&id| weight[id as usize]).sum())
            .collect();
        self.tgt_mass = self
            .tgt
            .iter()
            .map(|ids| {
                ids.iter()
                    .filter(|&&id| in_src[id as usize])
                    .map(|&id| weight[id as usize])
                    .sum()
            })
            .collect();
    }

    /// Weighted size of the intersection of source sentence `s` and target sentence `t`.
    pub(crate) fn similarity(&self, s: usize, t: usize) -> f32 {
        self.weigh_common(&self.src[s], &self.tgt[t])
    }

    /// Total weight of the ids two sorted id lists have in common.
    pub(crate) fn weigh_common(&self, a: &[u32], b: &[u32]) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += self.weight[a[i] as usize];
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    /// The ids two sorted id lists have in common (that some target sentence has).
    pub(crate) fn common(&self, a: &[u32], b: &[u32]) -> Vec<u32> {
        let (mut i, mut j, mut out) = (0, 0, Vec::new());
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if self.weight[a[i] as usize] > 0.0 {
                        out.push(a[i]);
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    /// The share of source sentences with a content anchor that some target sentence has.
    pub(crate) fn linked_share(&self) -> f64 {
        if self.src.is_empty() {
            return 0.0;
        }
        let linked = self
            .src
            .iter()
            .filter(|ids| {
                ids.iter()
                    .any(|&id| self.weight[id as usize] > 0.0 && !self.is_structure(id))
            })
            .count();
        linked as f64 / self.src.len() as f64
    }

    /// Whether source sentence `s` and target sentence `t` share a content anchor (a word,
    /// number, name or glossary term, not a punctuation mark).
    pub(crate) fn shares_content(&self, s: usize, t: usize) -> bool {
        self.src[s].iter().any(|id| {
            self.weight[*id as usize] > 0.0
                && self.tgt[t].binary_search(id).is_ok()
                && !self.is_structure(*id)
        })
    }

    fn is_structure(&self, id: u32) -> bool {
        self.structure.contains(&id)
    }
}
