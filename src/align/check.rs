//! The "is this even a translation?" check, run before an alignment is stored.
//!
//! A target in the wrong language (or the wrong file) still gets an alignment: the dynamic
//! programme always finds a cheapest path. What gives it away is that almost no aligned pair
//! shares a dictionary word, number or name, and often that the length ratio is far from what
//! the language pair produces.

use super::anchors::Anchors;
use super::{AlignError, AlignOptions, Bead, Language};

/// Below this share of beads with a shared content anchor the target looks unrelated.
const MIN_ANCHOR_RATE: f64 = 0.2;

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
}

impl LanguageCheck {
    pub(crate) fn measure(
        anchors: &Anchors,
        beads: &[Bead],
        src: &[&str],
        tgt: &[&str],
        dictionary: bool,
    ) -> LanguageCheck {
        let mut paired = 0usize;
        let mut anchored = 0usize;
        for bead in beads.iter().filter(|b| !b.src.is_empty() && !b.tgt.is_empty()) {
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
            anchor_rate: if paired == 0 { 0.0 } else { anchored as f64 / paired as f64 },
            length_ratio: if s == 0 { 0.0 } else { t as f64 / s as f64 },
            dictionary,
        }
    }

    /// The plausible range of the byte length ratio (target over source) for a language pair.
    pub fn expected_ratio(source: &Language, target: &Language) -> (f64, f64) {
        match (source, target) {
            (Language::Chinese, Language::Chinese) => (0.5, 2.0),
            (Language::Chinese, _) => (0.6, 3.0),
            (_, Language::Chinese) => (1.0 / 3.0, 1.0 / 0.6),
            _ => (0.5, 2.0),
        }
    }

    /// Whether the target looks like something other than a translation into the target
    /// language: almost no shared anchors, and either a dictionary that should have found
    /// some or a length ratio far outside the language pair's range.
    pub fn looks_wrong(&self, source: &Language, target: &Language) -> bool {
        let (lo, hi) = LanguageCheck::expected_ratio(source, target);
        let ratio_off = !(lo..=hi).contains(&self.length_ratio);
        self.anchor_rate < MIN_ANCHOR_RATE && (self.dictionary || ratio_off)
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
