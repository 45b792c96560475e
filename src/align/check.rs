//! The "is this even a translation?" check, run before an alignment is stored.
//!
//! A target in the wrong language (or the wrong file) still gets an alignment: the dynamic
//! programme always finds a cheapest path. What gives it away is that almost no aligned pair
//! shares a dictionary word, number or name, and often that the length ratio is far from what
//! the language pair produces.

use super::anchors::Anchors;
use super::lexicon::{Lexicon, is_stopword};
use super::{AlignError, AlignOptions, Bead, Language};

/// Below this share of beads with a shared content anchor the target looks unrelated.
const MIN_ANCHOR_RATE: f64 = 0.2;
/// Below this share of words the lexicon knows, the target is not in the expected language.
const MIN_KNOWN_WORDS: f64 = 0.6;

/// What the check measured on one alignment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LanguageCheck {
    /// Share of non-null beads in which some source and target sentence share a content anchor
    /// (a dictionary word, number, name or glossary term).
    pub anchor_rate: f64,
    /// Target bytes per source byte over the whole texts.
    pub length_ratio: f64,
    /// Whether a bilingual dictionary was available, so that words were expected to anchor.
    pub dictionary: bool,
    /// With a dictionary, the share of the target's words that look like the target language:
    /// for English, words the lexicon or the stop-word list knows; for Chinese, Han characters
    /// among Han characters and Latin words. `None` without a dictionary.
    pub known_words: Option<f64>,
}

impl LanguageCheck {
    pub(crate) fn measure(
        anchors: &Anchors,
        beads: &[Bead],
        src: &[&str],
        tgt: &[&str],
        target: &Language,
        dictionary: bool,
    ) -> LanguageCheck {
        let mut paired = 0usize;
        let mut anchored = 0usize;
        for bead in beads
            .iter()
            .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
        {
            paired += 1;
            if bead
                .src
                .iter()
                .any(|&s| bead.tgt.iter().any(|&t| anchors.shares_content(s, t)))
            {
                anchored += 1;
            }
        }
        let bytes = |side: &[&str]| side.iter().map(|s| s.len()).sum::<usize>();
        let (s, t) = (bytes(src), bytes(tgt));
        LanguageCheck {
            anchor_rate: if paired == 0 {
                0.0
            } else {
                anchored as f64 / paired as f64
            },
            length_ratio: if s == 0 { 0.0 } else { t as f64 / s as f64 },
            dictionary,
            known_words: dictionary.then(|| known_share(tgt, target)).flatten(),
        }
    }

    /// The plausible range of the byte length ratio (target over source) for a language pair.
    /// Its geometric mean is the typical ratio the length model starts from (1.34 for
    /// Chinese to English: a Han character is 3 bytes and says about as much as 4 letters).
    pub fn expected_ratio(source: &Language, target: &Language) -> (f64, f64) {
        match (source, target) {
            (Language::Chinese, Language::Chinese) => (0.5, 2.0),
            (Language::Chinese, _) => (0.6, 3.0),
            (_, Language::Chinese) => (1.0 / 3.0, 1.0 / 0.6),
            _ => (0.5, 2.0),
        }
    }

    /// Whether the target looks like something other than a translation into the target
    /// language: few of its words are known in that language, or there are almost no shared
    /// anchors and either a dictionary that should have found some or a length ratio far
    /// outside the language pair's range.
    pub fn looks_wrong(&self, source: &Language, target: &Language) -> bool {
        let (lo, hi) = LanguageCheck::expected_ratio(source, target);
        let ratio_off = !(lo..=hi).contains(&self.length_ratio);
        self.known_words.is_some_and(|k| k < MIN_KNOWN_WORDS)
            || self.anchor_rate < MIN_ANCHOR_RATE && (self.dictionary || ratio_off)
    }

    /// `Ok` if the alignment looks plausible, else [`AlignError::WrongLanguage`].
    pub(crate) fn verdict(&self, options: &AlignOptions) -> Result<(), AlignError> {
        if self.looks_wrong(&options.source, &options.target) {
            return Err(AlignError::WrongLanguage {
                source_language: options.source.clone(),
                target: options.target.clone(),
                anchor_rate: self.anchor_rate,
                ratio: self.length_ratio,
                expected: LanguageCheck::expected_ratio(&options.source, &options.target),
            });
        }
        Ok(())
    }
}

/// The share of `text`'s words that look like `language` (see [`LanguageCheck::known_words`]);
/// `None` if there are no words at all.
fn known_share(text: &[&str], language: &Language) -> Option<f64> {
    let (mut known, mut total) = (0usize, 0usize);
    for sentence in text {
        let mut latin_words = 0;
        for word in sentence.split(|c: char| !c.is_alphabetic() && c != '\'') {
            let word = word.trim_matches('\'');
            if word.chars().count() < 2 || word.chars().all(is_han) {
                continue;
            }
            latin_words += 1;
            if *language == Language::English && word.is_ascii() {
                let lower = word.to_ascii_lowercase();
                if is_stopword(&lower) || Lexicon::get().english_id(&lower).is_some() {
                    known += 1;
                }
            }
        }
        total += latin_words;
        if *language == Language::Chinese {
            let han = sentence.chars().filter(|&c| is_han(c)).count();
            known += han;
            total += han;
        }
    }
    (total > 0).then(|| known as f64 / total as f64)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ffff}')
}
