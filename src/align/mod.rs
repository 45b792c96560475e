//! Sentence alignment: pairing the sentences of a source text with those of an existing
//! translation (issue 8).
//!
//! The aligner is a classical, offline one in the line of Gale and Church (length) and Hunalign
//! (length plus a bilingual dictionary), tuned for Chinese–English, where the two scripts make
//! character counts useless:
//!
//! 1. **Anchors** (`anchors.rs`): each sentence becomes a set of anchor ids: English word stems,
//!    for Chinese reached through a lexicon derived from CC-CEDICT (`lexicon.rs`, embedded,
//!    built once per process); numbers read the same in both scripts (`2702亿` = `270.2
//!    billion`); Latin-script names and acronyms written verbatim; the project's glossary
//!    pairs; quotation and bracket marks. Anchors are weighted by inverse document frequency
//!    over the target text.
//! 2. **Length** (`length.rs`): UTF-8 bytes, with the expected ratio estimated per document.
//! 3. **Band** (`band.rs`): a coarse pass over blocks of sentences finds roughly where the
//!    alignment runs, so that
//! 4. **the dynamic programme** (`dp.rs`) over beads 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3 and 3-1
//!    only searches a band around it: cost grows about linearly with the input.
//!
//! Everything is deterministic and needs no network or model. A later backend (embeddings, a
//! translation model) can add its evidence through [`PairScore`].
//!
//! [`Aligner::align`] never fails and always returns every index of both sides exactly once, in
//! order; [`Aligner::align_checked`] additionally refuses a target that does not look like a
//! translation at all ([`LanguageCheck`]). [`format`](mod@format) reads one-sentence-per-line files and
//! prints alignments as beads, TSV or TMX; [`document`] aligns a whole translation with a
//! segmented document for `duiyi align`.

mod anchors;
mod band;
mod bead;
mod check;
pub mod document;
mod dp;
pub mod format;
mod length;
mod lexicon;
mod numbers;
pub mod project;

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

pub use bead::Bead;
pub use check::LanguageCheck;
pub use dp::PairScore;

use anchors::{Anchors, GlossaryMatcher};
use band::Band;
use length::LengthModel;

/// How many times a search may be repeated with a wider band.
const MAX_SEARCHES: usize = 4;

/// Errors of alignment and of reading its inputs.
#[derive(Debug, thiserror::Error)]
pub enum AlignError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is not UTF-8.
    #[error("{}:{line}: not valid UTF-8; convert the file to UTF-8 first", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// The first line (1-based) that is not valid UTF-8.
        line: usize,
    },
    /// The target does not look like a translation of the source in the expected language.
    #[error(
        "the target does not look like a {target} translation of the {source} text: only \
         {:.0}% of the aligned sentences share a word, number or name, and the length ratio is \
         {ratio:.2} (expected {:.1} to {:.1}); check the files and the languages, or force the \
         alignment",
        100.0 * anchor_rate, expected.0, expected.1, source = source_language
    )]
    WrongLanguage {
        /// The source language.
        source_language: Language,
        /// The target language.
        target: Language,
        /// Share of aligned beads with a shared content anchor.
        anchor_rate: f64,
        /// Target bytes per source byte.
        ratio: f64,
        /// The plausible range of `ratio` for this language pair.
        expected: (f64, f64),
    },
    /// One side has no sentences at all, so there is nothing to align it with.
    #[error(
        "the {side} text has no sentences; check the file, or force the alignment to mark every \
         sentence of the other side as untranslated"
    )]
    EmptySide {
        /// `"source"` or `"target"`.
        side: &'static str,
    },
    /// The glossary pairs could not be compiled for matching.
    #[error("cannot use the glossary for alignment: {0}")]
    Glossary(String),
    /// A file too large to be a translation.
    #[error("{} is {size} bytes, more than the {limit} bytes a translation may have; split it", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: usize,
    },
    /// A word-processor or other binary file.
    #[error(
        "{} is not a text file (a Word document?); save it as plain text or Markdown (UTF-8, one paragraph per line) and align that",
        path.display()
    )]
    NotText {
        /// The file.
        path: PathBuf,
    },
    /// The translation store refused or failed.
    #[error(transparent)]
    Store(Box<crate::store::StoreError>),
    /// The project or its source could not be read.
    #[error(transparent)]
    Project(Box<crate::project::ProjectError>),
    /// An output format name that is not known.
    #[error("unknown alignment format {0:?}; expected one of: beads, tsv, tmx")]
    UnknownFormat(String),
}

impl AlignError {
    /// The exit code: 1 for a refusal (the target does not look like a translation), else 2.
    pub fn code(&self) -> u8 {
        match self {
            AlignError::WrongLanguage { .. } => 1,
            AlignError::Store(e) => e.code(),
            _ => 2,
        }
    }
}

/// The language of one side, as far as the aligner cares.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    /// Chinese (any script or region: `zh`, `zh-CN`, `zh-Hant`, `cmn`...).
    Chinese,
    /// English (`en`, `en-GB`...).
    English,
    /// Any other language, by its code: aligned by length, numbers and names only.
    Other(String),
}

impl FromStr for Language {
    type Err = std::convert::Infallible;

    /// Parses a BCP 47 style code; anything not Chinese or English is [`Language::Other`].
    fn from_str(code: &str) -> Result<Language, Self::Err> {
        let primary = crate::lang::primary(code).to_ascii_lowercase();
        Ok(match primary.as_str() {
            "zh" | "cmn" | "zho" | "chi" => Language::Chinese,
            "en" | "eng" => Language::English,
            _ => Language::Other(code.to_owned()),
        })
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Language::Chinese => f.write_str("zh"),
            Language::English => f.write_str("en"),
            Language::Other(code) => f.write_str(code),
        }
    }
}

/// How to align: the languages, the search band and extra anchors.
#[derive(Clone, Debug)]
pub struct AlignOptions {
    /// The source language (default Chinese).
    pub source: Language,
    /// The target language (default English).
    pub target: Language,
    /// Half-width, in sentences, of the band around the coarse path; `None` picks one from the
    /// input size. Wider is slower and only helps when the texts diverge a lot.
    pub band: Option<usize>,
    /// Glossary pairs (source term, target rendering): strong anchors wherever both occur.
    pub glossary: Vec<(String, String)>,
}

impl Default for AlignOptions {
    fn default() -> AlignOptions {
        AlignOptions {
            source: Language::Chinese,
            target: Language::English,
            band: None,
            glossary: Vec::new(),
        }
    }
}

/// A sentence aligner, built once and used for any number of texts.
pub struct Aligner {
    options: AlignOptions,
    glossary: Option<GlossaryMatcher>,
}

impl Aligner {
    /// Prepares an aligner; loads the shared Chinese–English lexicon if the pair needs it.
    pub fn new(options: AlignOptions) -> Result<Aligner, AlignError> {
        let glossary = GlossaryMatcher::new(&options.glossary)?;
        let aligner = Aligner { options, glossary };
        if aligner.has_dictionary() {
            let _ = lexicon::Lexicon::get();
        }
        Ok(aligner)
    }

    /// The options the aligner was built with.
    pub fn options(&self) -> &AlignOptions {
        &self.options
    }

    fn has_dictionary(&self) -> bool {
        matches!(
            (&self.options.source, &self.options.target),
            (Language::Chinese, Language::English) | (Language::English, Language::Chinese)
        )
    }

    /// Aligns source sentences with target sentences.
    ///
    /// The result covers every index of both sides exactly once, in order; either side may be
    /// empty. Never fails: input that does not align well still gets its cheapest alignment.
    pub fn align(&self, src: &[&str], tgt: &[&str]) -> Vec<Bead> {
        self.align_with(src, tgt, None)
    }

    /// Like [`align`](Self::align), adding `extra` evidence for each sentence pair searched.
    pub fn align_with(
        &self,
        src: &[&str],
        tgt: &[&str],
        extra: Option<&dyn PairScore>,
    ) -> Vec<Bead> {
        self.run(src, tgt, extra).0
    }

    /// Aligns, then refuses with [`AlignError::WrongLanguage`] if the target does not look like
    /// a translation of the source in the expected language, and with
    /// [`AlignError::EmptySide`] if a side has no sentences, unless `force` is set.
    pub fn align_checked(
        &self,
        src: &[&str],
        tgt: &[&str],
        force: bool,
    ) -> Result<Vec<Bead>, AlignError> {
        if !force && (src.is_empty() || tgt.is_empty()) {
            let side = if src.is_empty() { "source" } else { "target" };
            return Err(AlignError::EmptySide { side });
        }
        let (beads, anchors) = self.run(src, tgt, None);
        if !force && let Some(anchors) = anchors {
            self.measure(&anchors, &beads, src, tgt)
                .verdict(&self.options)?;
        }
        Ok(beads)
    }

    /// Measures how much a finished alignment looks like a real translation.
    pub fn language_check(&self, src: &[&str], tgt: &[&str], beads: &[Bead]) -> LanguageCheck {
        let anchors = Anchors::extract(
            src,
            tgt,
            (&self.options.source, &self.options.target),
            self.glossary.as_ref(),
        );
        self.measure(&anchors, beads, src, tgt)
    }

    fn measure(
        &self,
        anchors: &Anchors,
        beads: &[Bead],
        src: &[&str],
        tgt: &[&str],
    ) -> LanguageCheck {
        LanguageCheck::measure(
            anchors,
            beads,
            src,
            tgt,
            &self.options.target,
            self.has_dictionary(),
        )
    }

    /// Aligns paragraph by paragraph: first the paragraphs (each taken as one long sentence),
    /// then the sentences inside each group of aligned paragraphs. Sentence indices in the
    /// result count across the whole side (paragraph after paragraph), so the result covers
    /// every sentence exactly once, in order. Paragraph boundaries thus become (soft) anchors.
    pub fn align_paragraphs(&self, src: &[Vec<&str>], tgt: &[Vec<&str>]) -> Vec<Bead> {
        let join = |paragraphs: &[Vec<&str>], language: &Language| -> Vec<String> {
            let sep = if *language == Language::Chinese {
                ""
            } else {
                " "
            };
            paragraphs.iter().map(|p| p.join(sep)).collect()
        };
        let src_text = join(src, &self.options.source);
        let tgt_text = join(tgt, &self.options.target);
        let src_refs: Vec<&str> = src_text.iter().map(String::as_str).collect();
        let tgt_refs: Vec<&str> = tgt_text.iter().map(String::as_str).collect();
        let starts = |paragraphs: &[Vec<&str>]| -> Vec<usize> {
            paragraphs
                .iter()
                .scan(0, |acc, p| {
                    let start = *acc;
                    *acc += p.len();
                    Some(start)
                })
                .collect()
        };
        let (src_start, tgt_start) = (starts(src), starts(tgt));
        let mut beads = Vec::new();
        for group in self.align(&src_refs, &tgt_refs) {
            fn gather<'t>(
                paragraphs: &[Vec<&'t str>],
                start: &[usize],
                ids: &[usize],
            ) -> (usize, Vec<&'t str>) {
                let first = ids.first().map_or(0, |&p| start[p]);
                let sentences = ids
                    .iter()
                    .flat_map(|&p| paragraphs[p].iter().copied())
                    .collect();
                (first, sentences)
            }
            let (s0, s) = gather(src, &src_start, &group.src);
            let (t0, t) = gather(tgt, &tgt_start, &group.tgt);
            for bead in self.align(&s, &t) {
                beads.push(Bead {
                    src: bead.src.iter().map(|i| i + s0).collect(),
                    tgt: bead.tgt.iter().map(|j| j + t0).collect(),
                    confidence: bead.confidence.min(group.confidence.max(0.5)),
                });
            }
        }
        beads
    }

    fn run(
        &self,
        src: &[&str],
        tgt: &[&str],
        extra: Option<&dyn PairScore>,
    ) -> (Vec<Bead>, Option<Anchors>) {
        if src.is_empty() || tgt.is_empty() {
            let beads = (0..src.len())
                .map(|i| Bead {
                    src: vec![i],
                    tgt: vec![],
                    confidence: 1.0,
                })
                .chain((0..tgt.len()).map(|j| Bead {
                    src: vec![],
                    tgt: vec![j],
                    confidence: 1.0,
                }))
                .collect();
            return (beads, None);
        }
        let anchors = Anchors::extract(
            src,
            tgt,
            (&self.options.source, &self.options.target),
            self.glossary.as_ref(),
        );
        let src_len: Vec<usize> = src.iter().map(|s| s.trim().len()).collect();
        let tgt_len: Vec<usize> = tgt.iter().map(|s| s.trim().len()).collect();
        let (lo, hi) = LanguageCheck::expected_ratio(&self.options.source, &self.options.target);
        let model = LengthModel::estimate(&src_len, &tgt_len, (lo * hi).sqrt());
        let lengths = (&src_len[..], &tgt_len[..]);
        let mut band = Band::choose(&anchors, lengths, model, self.options.band);
        let mut tries = 0;
        loop {
            let scorer = dp::Scorer::new(&anchors, &band, lengths, model, extra);
            let beads = dp::search(&scorer, &band);
            tries += 1;
            let ends = beads.iter().scan((0, 0), |end, b| {
                *end = (end.0 + b.src.len(), end.1 + b.tgt.len());
                Some(*end)
            });
            // A path along the band's edge may have been pushed there: search again, wider.
            if tries >= MAX_SEARCHES || band.is_full(tgt.len()) || !band.touched_by(ends, tgt.len())
            {
                return (beads, Some(anchors));
            }
            band = band.widen(tgt.len(), 16);
        }
    }
}

#[cfg(test)]
mod tests;
