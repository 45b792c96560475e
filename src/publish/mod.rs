//! Publishing: bilingual editions (HTML, DOCX, EPUB, Markdown, plain text), exchange files
//! (XLIFF, TMX) and a progress and QA report from a document and its translations, behind a
//! review gate.
//!
//! [`Edition`] joins the segmented source with each language's [`Targets`] (the target, state
//! and ref of each live segment, read line by line from a current store), unit by unit; every
//! format walks it once and writes as it goes into an [`AtomicFile`]
//! (a temporary file renamed over the target when complete), so half a million segments never sit in memory twice and a
//! failure leaves nothing half-written. One file per format: [`html`], [`docx`], [`epub`],
//! [`text`] (Markdown and plain text), [`xliff`] (2.1) and [`xliff12`] (1.2), [`tmx`],
//! [`report`].
//!
//! The gate ([`gate`]) is checked before anything is written: with a required state, every
//! segment must have reached it, or the refusal lists the blocking segments and a count per
//! state. A draft publishes anyway and marks, in every format, each segment below the bar.
//! [`project::run`] adds the QA gate (no open QA error at `reviewed` or `final`) and loads
//! what a project's publication needs.

pub mod docx;
pub mod epub;
pub mod html;
pub mod pdf;
pub mod project;
pub mod report;
pub mod targets;
pub mod text;
pub mod tmx;
pub mod xliff;
pub mod xliff12;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::path::PathBuf;

use crate::files::{AtomicFile, FileError};
use crate::lang::joins_without_space;
use crate::segment::{Document, Role, Unit};
use crate::store::record::{State, Translation};

pub use targets::{Target, Targets};

/// Errors of publishing.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The review gate is not met (exit 1).
    #[error("{}", gate_message(.lang, *.required, .blocking, .counts))]
    Gate {
        /// The language.
        lang: String,
        /// The state required.
        required: State,
        /// The blocking segments: (ref, state).
        blocking: Vec<(String, State)>,
        /// Segments per state.
        counts: BTreeMap<State, usize>,
    },
    /// A language with nothing translated.
    #[error(
        "{doc}: nothing is translated into {lang} yet; translate some segments (duiyi next {lang}) or publish another language"
    )]
    NoTranslations {
        /// The document.
        doc: String,
        /// The language.
        lang: String,
    },
    /// Writing an output file failed.
    #[error("{}: {source}; check that the output folder is writable (nothing was written)", .path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
    /// A template that does not parse or render.
    #[error("template {name}: {message}")]
    Template {
        /// The template.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// XLIFF or TMX asked for without the full records of a language (a caller of
    /// [`publish`] that passed only the targets).
    #[error("{format} needs the full translation records of {lang:?}, which were not loaded")]
    MissingRecords {
        /// The format.
        format: &'static str,
        /// The language.
        lang: String,
    },
    /// Open QA errors block publishing at `reviewed` or `final` (exit 1).
    #[error("{}", qa_gate_message(.lang, *.required, .errors))]
    QaGate {
        /// The language.
        lang: String,
        /// The state required.
        required: State,
        /// The open errors.
        errors: Vec<crate::qa::Finding>,
    },
    /// No language was named.
    #[error("name at least one language: duiyi publish en")]
    NoLanguage,
    /// Reading the stores failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// Reading the project or its source failed.
    #[error(transparent)]
    Project(#[from] crate::project::ProjectError),
    /// A glossary that cannot be read.
    #[error(transparent)]
    Glossary(#[from] crate::glossary::GlossaryError),
    /// The quality checks failed to run.
    #[error(transparent)]
    Qa(#[from] crate::qa::QaError),
    /// A target or source holding an invisible character ([`crate::qa::invisible`]), which
    /// no output may carry (exit 1).
    #[error(
        "{doc} {at}: the {what} holds {names}, invisible characters that would reach the output as they are; publishing refused. {fix}"
    )]
    Invisible {
        /// The document.
        doc: String,
        /// The segment's ref, with the language for a target (`en 3.2¶4.1`).
        at: String,
        /// `target` or `source`.
        what: &'static str,
        /// The characters, named (`U+202E (right-to-left override)`).
        names: String,
        /// What to do.
        fix: String,
    },
    /// `--format pdf` from a duiyi built without the `pdf` feature.
    #[error(
        "this duiyi was built without PDF support; build it with the `pdf` feature (cargo install --path . --features pdf, or cargo run --features pdf -- publish …), or publish html or docx and print those"
    )]
    PdfUnavailable,
    /// No font has the CJK characters the PDF edition needs.
    #[error("{message}")]
    NoCjkFont {
        /// What is missing and what to install.
        message: String,
    },
    /// typst could not typeset the edition (a project template with an error, most likely).
    #[error("PDF edition: typesetting with {name} failed: {message}")]
    Typeset {
        /// The template.
        name: String,
        /// typst's errors.
        message: String,
    },
    /// An exchange file that cannot be imported.
    #[error("{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Import {
        /// The file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
}

impl PublishError {
    /// The exit code: 1 for a gate refusal, 2 for the rest.
    pub fn code(&self) -> u8 {
        match self {
            PublishError::Gate { .. }
            | PublishError::QaGate { .. }
            | PublishError::Invisible { .. } => 1,
            PublishError::Store(e) => e.code(),
            _ => 2,
        }
    }
}

fn qa_gate_message(lang: &str, required: State, errors: &[crate::qa::Finding]) -> String {
    let mut m = format!(
        "{lang}: `duiyi check {lang}` has {} open error(s); publishing as {required} is refused until they are fixed or accepted (`duiyi check accept REF CHECK --lang {lang} --note WHY`), or pass --allow-qa-errors (the report then says so):\n",
        errors.len()
    );
    for e in errors.iter().take(20) {
        let _ = writeln!(m, "  {e}");
    }
    if errors.len() > 20 {
        let _ = writeln!(m, "  … and {} more", errors.len() - 20);
    }
    m.trim_end().to_string()
}

impl From<FileError> for PublishError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::Io { path, source } => PublishError::Write { path, source },
            FileError::Locked { ref path, .. }
            | FileError::LockLost { ref path }
            | FileError::Escapes { ref path, .. } => PublishError::Write {
                path: path.clone(),
                source: io::Error::other(e.to_string()),
            },
        }
    }
}

fn gate_message(
    lang: &str,
    required: State,
    blocking: &[(String, State)],
    counts: &BTreeMap<State, usize>,
) -> String {
    const SHOWN: usize = 20;
    let mut m = format!(
        "{lang}: {} segment(s) have not reached {required}; publishing refused (pass --draft to publish a marked draft)\n",
        blocking.len()
    );
    for (r, s) in blocking.iter().take(SHOWN) {
        let _ = writeln!(m, "  {r}\t{s}");
    }
    if blocking.len() > SHOWN {
        let _ = writeln!(m, "  ... and {} more", blocking.len() - SHOWN);
    }
    let per: Vec<String> = counts.iter().map(|(s, n)| format!("{s} {n}")).collect();
    let _ = write!(m, "  per state: {}", per.join(", "));
    m
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    /// One standalone HTML file.
    Html,
    /// A Word document: headings, TOC, tables of source and targets.
    Docx,
    /// An EPUB 3 book: facing paragraphs, navigation from the headings.
    Epub,
    /// Markdown, interleaved.
    Md,
    /// Plain text, interleaved.
    Txt,
    /// XLIFF 2.1, one file per language.
    Xliff,
    /// XLIFF 1.2, one file per language (for tools that do not read XLIFF 2).
    Xliff12,
    /// TMX 1.4b, one file per language.
    Tmx,
    /// An HTML progress and QA report (states per section, open findings).
    Report,
    /// A PDF typeset by duiyi (the embedded typst compiler; cargo feature `pdf`).
    Pdf,
}

impl Format {
    /// Every format, in the order of `--format`'s help.
    pub const ALL: [Format; 10] = [
        Format::Html,
        Format::Docx,
        Format::Pdf,
        Format::Epub,
        Format::Md,
        Format::Txt,
        Format::Xliff,
        Format::Xliff12,
        Format::Tmx,
        Format::Report,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Docx => "docx",
            Format::Epub => "epub",
            Format::Md => "md",
            Format::Txt => "txt",
            Format::Xliff => "xliff",
            Format::Xliff12 => "xliff12",
            Format::Tmx => "tmx",
            Format::Report => "report",
            Format::Pdf => "pdf",
        }
    }

    /// Whether the format needs the full records (who, when, notes, sources), not only
    /// [`Targets`]: XLIFF (2.1 and 1.2) and TMX.
    pub fn needs_records(self) -> bool {
        matches!(self, Format::Xliff | Format::Xliff12 | Format::Tmx)
    }

    /// Whether the format is a reading edition (it needs something translated).
    pub fn is_edition(self) -> bool {
        matches!(
            self,
            Format::Html | Format::Docx | Format::Pdf | Format::Epub | Format::Md | Format::Txt
        )
    }
}

/// How source and target are arranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Columns side by side (interleaved on narrow screens); facing columns in the PDF.
    #[default]
    SideBySide,
    /// Source then target(s), block after block.
    Interleaved,
}

/// The default font of Latin text in the printed editions (`[publish] latin_font`): the serif
/// every Word has, which `LibreOffice` replaces by its metric twin Liberation Serif; the PDF
/// edition, which must embed what it uses, falls back to typst's own Libertinus Serif.
pub const LATIN_FONT: &str = "Times New Roman";
/// The default font of Chinese text in the printed editions (`[publish] cjk_font`).
pub const CJK_FONT: &str = "Noto Serif CJK SC";

/// What an edition says about itself: its titles, author and fonts, from `duiyi.toml`
/// (`title` and `author` of `[[documents]]`, `[publish]`).
#[derive(Debug, Clone)]
pub struct Meta {
    /// Titles by language code, overriding the source's title unit and its translations.
    pub titles: BTreeMap<String, String>,
    /// Who wrote the source.
    pub author: Option<String>,
    /// The font family of Latin text.
    pub latin_font: String,
    /// The font family of Chinese, Japanese and Korean text.
    pub cjk_font: String,
}

impl Default for Meta {
    fn default() -> Self {
        Self {
            titles: BTreeMap::new(),
            author: None,
            latin_font: LATIN_FONT.to_string(),
            cjk_font: CJK_FONT.to_string(),
        }
    }
}

/// What to publish and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The formats.
    pub formats: Vec<Format>,
    /// The layout of HTML editions.
    pub layout: Layout,
    /// The state every segment must have reached.
    pub require: Option<State>,
    /// Publish anyway, marking segments below the bar.
    pub draft: bool,
    /// The output folder.
    pub out: PathBuf,
    /// A folder of templates overriding the built-in ones (`templates/` of the project).
    pub templates: Option<PathBuf>,
    /// A folder of fonts for the PDF edition, searched before the system's (`fonts/` of the
    /// project).
    pub fonts: Option<PathBuf>,
    /// Languages published despite open QA errors (`--allow-qa-errors`), with how many: the
    /// report says so.
    pub qa_errors_allowed: Vec<(String, usize)>,
}

/// The words for "Contents" in a language: the title of a table of contents duiyi makes (DOCX,
/// PDF).
pub fn contents_label(lang: &str) -> &'static str {
    match crate::lang::primary(lang).to_ascii_lowercase().as_str() {
        "zh" => "目录",
        "ja" => "目次",
        "ko" => "목차",
        "fr" => "Table des matières",
        "de" => "Inhalt",
        "es" | "pt" => "Índice",
        "it" => "Indice",
        "ru" => "Содержание",
        _ => "Contents",
    }
}

/// A segment as an edition shows it in one language.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// The target text (empty when untranslated).
    pub text: &'a str,
    /// The state.
    pub state: State,
    /// The mark of a segment below the bar: `untranslated`, `unreviewed` or `not final`.
    pub mark: Option<&'static str>,
}

/// A document with its translations, ready to render.
#[derive(Debug)]
pub struct Edition<'a> {
    /// The source document.
    pub doc: &'a Document,
    /// The source language.
    pub source_lang: String,
    /// The target languages, in column order.
    pub langs: &'a [Targets],
    /// Segments below this state are marked.
    pub bar: State,
    /// Titles, author and fonts from the project.
    pub meta: Meta,
}

impl<'a> Edition<'a> {
    /// Joins a document with the live segments of each language.
    pub fn new(doc: &'a Document, source_lang: &str, langs: &'a [Targets], bar: State) -> Self {
        Self {
            doc,
            source_lang: source_lang.to_string(),
            langs,
            bar,
            meta: Meta::default(),
        }
    }

    /// The edition with the titles, author and fonts of `meta`.
    #[must_use]
    pub fn with_meta(mut self, meta: Meta) -> Self {
        self.meta = meta;
        self
    }

    /// The title in the source language: `title` of `duiyi.toml`, else the source's title
    /// unit, else the document's name.
    pub fn source_title(&self) -> String {
        if let Some(t) = self.meta.titles.get(&self.source_lang) {
            return t.clone();
        }
        self.title().map_or_else(
            || self.doc.name.clone(),
            |u| self.doc.unit_text(u).to_string(),
        )
    }

    /// The title in target language `l`: `title` of `duiyi.toml` in that language, else the
    /// translation of the source's title unit, when there is one.
    pub fn target_title(&self, l: usize) -> Option<String> {
        if let Some(t) = self.meta.titles.get(&self.langs[l].lang) {
            return Some(t.clone());
        }
        self.title()
            .map(|u| self.target_text(l, u))
            .filter(|t| !t.is_empty())
    }

    /// Every title with its language: the source's first, then each target's that is known.
    pub fn titles(&self) -> Vec<(&str, String)> {
        let mut all = vec![(self.source_lang.as_str(), self.source_title())];
        for l in 0..self.langs.len() {
            if let Some(t) = self.target_title(l) {
                all.push((self.langs[l].lang.as_str(), t));
            }
        }
        all
    }

    /// The titles joined with ` · ` (the `<title>` of a page, a running head, a document
    /// property).
    pub fn full_title(&self) -> String {
        self.titles()
            .into_iter()
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The date of the edition: the latest change of a translation (so the same store gives
    /// the same file), else now; `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn date(&self) -> String {
        self.langs
            .iter()
            .filter_map(Targets::modified)
            .max()
            .map_or_else(crate::clock::now, str::to_string)
    }

    /// How segment `id` shows in language `l` (an index into [`Edition::langs`]).
    pub fn shown(&self, l: usize, id: &str) -> Shown<'a> {
        let langs: &'a [Targets] = self.langs;
        let target = langs[l].get(id);
        let (text, state) = target.map_or(("", State::Initial), |t| (&*t.text, t.state));
        let mark = if text.is_empty() {
            Some("untranslated")
        } else if state < self.bar {
            Some(match self.bar {
                State::Final => "not final",
                State::Reviewed => "unreviewed",
                _ => "untranslated",
            })
        } else {
            None
        };
        Shown { text, state, mark }
    }

    /// A unit's target text in language `l`: its segments' targets joined.
    pub fn target_text(&self, l: usize, unit: &Unit) -> String {
        let sep = if joins_without_space(&self.langs[l].lang) {
            ""
        } else {
            " "
        };
        let mut out = String::new();
        for s in &unit.segments {
            let shown = self.shown(l, &s.id);
            if shown.text.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push_str(sep);
            }
            out.push_str(shown.text);
        }
        out
    }

    /// The title unit, when the document has one.
    pub fn title(&self) -> Option<&'a Unit> {
        self.doc.units.iter().find(|u| u.role == Role::Title)
    }
}

/// The approved glossary entries of the terms found in `text`, each once, in the order found
/// (what the XLIFF writers attach to a unit).
pub fn approved_terms<'g>(
    glossary: &'g crate::glossary::Glossary,
    matcher: &crate::glossary::matcher::Matcher,
    text: &str,
) -> Vec<&'g crate::glossary::Term> {
    let mut seen = Vec::new();
    let mut terms = Vec::new();
    for hit in matcher.find(text) {
        let source = matcher.term(hit.term);
        if seen.contains(&source) {
            continue;
        }
        seen.push(source);
        terms.extend(glossary.approved(source));
    }
    terms
}

/// The live records by id (for the formats that read full records: XLIFF, TMX).
pub fn live_by_id(records: &[Translation]) -> std::collections::HashMap<&str, &Translation> {
    records
        .iter()
        .filter(|r| !r.obsolete)
        .map(|r| (r.id.as_str(), r))
        .collect()
}

/// The anchor of a unit in an HTML edition (`u-<first segment id>`).
pub fn anchor(unit: &Unit) -> String {
    unit.segments
        .first()
        .map_or_else(|| format!("l{}", unit.line), |s| format!("u-{}", s.id))
}

/// Checks the review gate for one language's live segments.
pub fn gate(targets: &Targets, required: State) -> Result<(), PublishError> {
    let mut counts = BTreeMap::new();
    let mut blocking = Vec::new();
    for t in targets.iter() {
        *counts.entry(t.state).or_insert(0) += 1;
        if t.state < required || t.text.is_empty() {
            blocking.push((t.r#ref.to_string(), t.state));
        }
    }
    if blocking.is_empty() {
        Ok(())
    } else {
        Err(PublishError::Gate {
            lang: targets.lang.clone(),
            required,
            blocking,
            counts,
        })
    }
}

/// Refuses an edition whose source or targets hold an invisible character (a control
/// character or a bidi override, [`crate::qa::invisible`]): no format writes one, whatever it
/// escapes, because a reader would see text in another order than the reviewer approved.
/// `duiyi check` reports the same characters as errors.
fn refuse_invisible(edition: &Edition<'_>) -> Result<(), PublishError> {
    use crate::qa::invisible::describe_all;
    let doc = &edition.doc.name;
    for targets in edition.langs {
        for t in targets.iter() {
            if let Some(names) = describe_all(&t.text) {
                return Err(PublishError::Invisible {
                    doc: doc.clone(),
                    at: format!("{} {}", targets.lang, t.r#ref),
                    what: "target",
                    names,
                    fix: format!(
                        "Retype that translation (`duiyi check {} --only invisible` lists every one)",
                        targets.lang
                    ),
                });
            }
        }
    }
    for s in edition.doc.segments() {
        if let Some(names) = describe_all(s.text()) {
            return Err(PublishError::Invisible {
                doc: doc.clone(),
                at: s.r#ref().to_string(),
                what: "source",
                names,
                fix: format!("Remove them from {}", edition.doc.path.display()),
            });
        }
    }
    Ok(())
}

/// The file name of an output: `<doc>.<lang[+lang]>.<ext>`.
pub fn file_name(doc: &str, langs: &[&str], format: Format) -> String {
    let ext = match format {
        Format::Html => "html",
        Format::Docx => "docx",
        Format::Epub => "epub",
        Format::Md => "md",
        Format::Txt => "txt",
        Format::Xliff => "xlf",
        Format::Xliff12 => "xliff12.xlf",
        Format::Tmx => "tmx",
        Format::Report => "report.html",
        Format::Pdf => "pdf",
    };
    format!("{doc}.{}.{ext}", langs.join("+"))
}

/// Publishes `edition` in every format of `options`; returns the files written. The gate and
/// the "nothing translated" check run for every language before the first file is opened.
/// `records` holds each language's full records (in the order of `edition.langs`) for XLIFF
/// and TMX ([`Format::needs_records`]); it may be empty when neither is asked for. `qa` holds
/// each language's QA report for the report format; it may be empty when the report is not
/// asked for. XLIFF or TMX without a language's records is an error before anything is written.
pub fn publish(
    edition: &Edition<'_>,
    records: &[Vec<Translation>],
    glossaries: &[Option<crate::glossary::Glossary>],
    qa: &[crate::qa::project::Report],
    options: &Options,
) -> Result<Vec<PathBuf>, PublishError> {
    if let Some(required) = options.require
        && !options.draft
    {
        for targets in edition.langs {
            gate(targets, required)?;
        }
    }
    if options
        .formats
        .iter()
        .any(|f| f.is_edition() || *f == Format::Tmx)
    {
        for targets in edition.langs {
            if !targets.any_translated() {
                return Err(PublishError::NoTranslations {
                    doc: edition.doc.name.clone(),
                    lang: targets.lang.clone(),
                });
            }
        }
    }
    if let Some(&format) = options.formats.iter().find(|f| f.needs_records())
        && let Some(lang) = edition.langs.get(records.len())
    {
        return Err(PublishError::MissingRecords {
            format: if format == Format::Xliff {
                "XLIFF"
            } else if format == Format::Xliff12 {
                "XLIFF 1.2"
            } else {
                "TMX"
            },
            lang: lang.lang.clone(),
        });
    }
    refuse_invisible(edition)?;
    // The PDF's fonts are found before any file is written: without a CJK font nothing is.
    let typesetter = if options.formats.contains(&Format::Pdf) {
        Some(pdf::Typesetter::new(edition, options)?)
    } else {
        None
    };
    let full = |l: usize| -> &[Translation] { records.get(l).map_or(&[], Vec::as_slice) };
    let langs: Vec<&str> = edition.langs.iter().map(|t| t.lang.as_str()).collect();
    let doc = &edition.doc.name;
    let mut written = Vec::new();
    for &format in &options.formats {
        match format {
            Format::Html
            | Format::Docx
            | Format::Epub
            | Format::Md
            | Format::Txt
            | Format::Report => {
                let mut f = AtomicFile::create(&options.out.join(file_name(doc, &langs, format)))?;
                match format {
                    Format::Html => html::write(edition, options, &mut f)?,
                    Format::Docx => docx::write(edition, &mut f)?,
                    Format::Epub => epub::write(edition, &mut f)?,
                    Format::Md => text::write(edition, true, &mut f)?,
                    Format::Txt => text::write(edition, false, &mut f)?,
                    _ => report::write(edition, qa, &options.qa_errors_allowed, &mut f)?,
                }
                written.push(f.commit()?);
            }
            Format::Pdf => {
                let mut f = AtomicFile::create(&options.out.join(file_name(doc, &langs, format)))?;
                if let Some(t) = &typesetter {
                    t.write(edition, options, &mut f)?;
                }
                written.push(f.commit()?);
            }
            Format::Xliff | Format::Xliff12 => {
                for (l, lang) in langs.iter().enumerate() {
                    let mut f =
                        AtomicFile::create(&options.out.join(file_name(doc, &[lang], format)))?;
                    let glossary = glossaries.get(l).and_then(Option::as_ref);
                    if format == Format::Xliff {
                        xliff::write(edition, l, full(l), glossary, &mut f)?;
                    } else {
                        xliff12::write(edition, l, full(l), glossary, &mut f)?;
                    }
                    written.push(f.commit()?);
                }
            }
            Format::Tmx => {
                for (l, lang) in langs.iter().enumerate() {
                    let mut f =
                        AtomicFile::create(&options.out.join(file_name(doc, &[lang], format)))?;
                    tmx::write(edition, l, full(l), &mut f)?;
                    written.push(f.commit()?);
                }
            }
        }
    }
    Ok(written)
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn the_gate_lists_blockers_and_counts() {
        let targets = fixture::targets();
        let e = gate(&targets[0], State::Reviewed).unwrap_err();
        let m = e.to_string();
        assert_eq!(e.code(), 1);
        assert!(m.contains("have not reached reviewed"), "{m}");
        assert!(m.contains("per state: initial"), "{m}");
        assert!(
            gate(&targets[0], State::Initial).is_err(),
            "empty targets block"
        );
    }

    #[test]
    fn xliff_without_full_records_is_an_error_and_writes_nothing() {
        let (doc, stores) = fixture::stores();
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Translated);
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            formats: vec![Format::Html, Format::Xliff],
            layout: Layout::SideBySide,
            require: None,
            draft: true,
            out: dir.path().to_path_buf(),
            templates: None,
            fonts: None,
            qa_errors_allowed: Vec::new(),
        };
        let e = publish(&edition, &[], &[], &[], &options).unwrap_err();
        assert!(
            matches!(e, PublishError::MissingRecords { format: "XLIFF", ref lang } if lang == "en"),
            "{e}"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn an_unwritable_folder_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, "x").unwrap();
        let e = PublishError::from(AtomicFile::create(&blocker.join("out.html")).unwrap_err());
        let m = e.to_string();
        assert!(
            m.contains("writable") && m.starts_with(&*blocker.to_string_lossy()),
            "{m}"
        );
    }
}
