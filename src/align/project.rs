//! `duiyi align LANG FILE`: aligning an existing translation with a project document and
//! storing it in the translation store.
//!
//! The project's approved glossary renderings for the language are anchors. An aligned text is
//! a person's existing translation brought in by whoever runs `align`: it is stored with
//! origin `align` and that person as author, through one [`store::transaction`], so every
//! change is journaled and the review rules apply. A bead the aligner is sure of is stored
//! `translated`; one below the confidence threshold is stored as a **draft** (`initial`),
//! flagged `needs-review` with its confidence in the note, never `translated`. What
//! [`super::document::assignments`] marks for review is flagged with a note. A segment that
//! already has a translation keeps it unless `overwrite` is set. Target sentences that match no
//! source segment, and sections of the source the translation does not cover, are stored
//! nowhere: the [`Report`] lists them, with the low-confidence beads, for a person to check
//! ([`Report::write_review`], `duiyi align --report`).

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use super::document::{self, SourceParagraph};
use super::input::{self, Paragraph};
use super::{AlignError, AlignOptions, Aligner, Language};
use crate::glossary::{GlossaryStore, Status};
use crate::project::{DocumentSpec, Project};
use crate::review::Action;
use crate::store::record::{Origin, State};
use crate::store::{self, Committed, Store};

/// What to align and how.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// The target language code.
    pub lang: &'a str,
    /// The translation file.
    pub file: &'a Path,
    /// Align even if the target does not look like a translation, or a side is empty.
    pub force: bool,
    /// Replace translations that segments already have.
    pub overwrite: bool,
    /// Only compute the alignment; write nothing.
    pub dry_run: bool,
    /// Who is storing (for the history journal and the records' author).
    pub who: &'a str,
    /// Beads with a lower confidence are stored as drafts flagged `needs-review`
    /// ([`document::DEFAULT_MIN_CONFIDENCE`] by default).
    pub min_confidence: f64,
}

/// What became of a bead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// Stored as `translated` (perhaps flagged, for a many-to-one bead).
    Stored,
    /// Stored as a draft (`initial`, `needs-review`): its confidence is below the threshold.
    Draft,
    /// Not stored: the segment already had a translation (no `--overwrite`).
    Kept,
    /// A source segment inside the covered part that no target sentence was aligned with.
    Untranslated,
    /// Source segments in a part of the document the translation does not cover.
    NotCovered,
    /// Target sentences that match no source segment; not stored.
    NoSource,
}

/// One bead as the user sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The refs of the bead's source segments (empty for a target sentence with no source).
    pub refs: Vec<String>,
    /// The source text.
    pub source: String,
    /// The target text.
    pub target: String,
    /// The bead's confidence.
    pub confidence: f64,
    /// Where the bead's first target sentence stands in the translation file (line, or
    /// paragraph number for HTML and Word files).
    pub line: Option<usize>,
    /// What became of it.
    pub disposition: Disposition,
}

/// What an alignment did (or, on a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// The beads, in order.
    pub rows: Vec<Row>,
    /// Segments given a translation (drafts included).
    pub stored: usize,
    /// Of those, how many were stored as drafts (confidence below the threshold).
    pub drafts: usize,
    /// Segments flagged `needs-review` (drafts, many-to-one beads).
    pub flagged: usize,
    /// Segments that already had a translation and kept it.
    pub kept: usize,
    /// Source segments inside the covered part that no target sentence was aligned with.
    pub untranslated: usize,
    /// Source segments in parts of the document the translation does not cover.
    pub not_covered: usize,
    /// Target sentences that match no source segment.
    pub no_source: usize,
    /// Paragraphs read from the translation.
    pub paragraphs: usize,
    /// Sentences read from the translation.
    pub sentences: usize,
    /// The confidence threshold used.
    pub min_confidence: f64,
}

/// Aligns `request.file` with the document and stores the result in one transaction (unless a
/// dry run, which reads the store only to tell what would be kept).
pub fn align_into_store(
    project: &Project,
    spec: &DocumentSpec,
    request: &Request<'_>,
) -> Result<Committed<Report>, AlignError> {
    let store_err = |e: store::StoreError| AlignError::Store(Box::new(e));
    let project_err = |e| AlignError::Project(Box::new(e));
    project
        .target(request.lang)
        .map_err(|e| store_err(e.into()))?;
    let rules = project.rules().map_err(project_err)?;
    let doc = project.load(spec, &rules).map_err(project_err)?;
    let glossary = GlossaryStore::new(project.glossary_dir())
        .load(request.lang)
        .map_err(|e| AlignError::Glossary(e.to_string()))?;
    let pairs: Vec<(String, String)> = glossary
        .terms()
        .iter()
        .filter(|t| t.status == Status::Approved)
        .map(|t| (t.source.clone(), t.target.clone()))
        .collect();
    let source_language: Language = project
        .source_language()
        .parse()
        .unwrap_or(Language::Chinese);
    let target: Language = request.lang.parse().unwrap_or(Language::English);
    let aligner = Aligner::new(AlignOptions {
        source: source_language,
        target,
        band: None,
        glossary: pairs,
        learn: true,
    })?;
    let translation: Vec<Paragraph> =
        input::read_translation(request.file, &input::translation_rules())?;

    let src = SourceParagraph::of_document(&doc);
    let segments: Vec<_> = doc.segments().collect();
    let refs: Vec<String> = segments.iter().map(|s| s.r#ref().to_string()).collect();
    let ref_strs: Vec<&str> = refs.iter().map(String::as_str).collect();
    let tgt_flat: Vec<&str> = translation
        .iter()
        .flat_map(|p| p.sentences.iter().map(String::as_str))
        .collect();
    let tgt_line: Vec<usize> = translation
        .iter()
        .flat_map(|p| std::iter::repeat_n(p.line, p.sentences.len()))
        .collect();

    let alignment = document::align_document(&aligner, &src, &translation, request.force)?;
    let plan = document::assignments(
        &alignment.beads,
        &ref_strs,
        &tgt_flat,
        request.min_confidence,
    );
    let mut report = Report {
        paragraphs: translation.len(),
        sentences: tgt_flat.len(),
        min_confidence: request.min_confidence,
        ..Report::default()
    };
    let store_plan =
        |store: &mut Store, report: &mut Report| -> Result<HashSet<usize>, AlignError> {
            let mut kept = HashSet::new();
            for a in &plan {
                let Some(at) = store.position(segments[a.src].id()) else {
                    continue;
                };
                let record = &store.records()[at];
                let has_text = record.state != State::Initial || !record.target.is_empty();
                if has_text && !request.overwrite {
                    report.kept += 1;
                    kept.insert(a.src);
                    continue;
                }
                if a.target.is_empty() {
                    // A later segment of a many-to-one bead: flag it, leave any text it has.
                    report.flagged += 1;
                    if !request.dry_run {
                        let note = a.note.as_deref().unwrap_or("aligned");
                        store
                            .flag_for_review(at, note, request.who, "align")
                            .map_err(store_err)?;
                    }
                    continue;
                }
                report.stored += 1;
                report.drafts += usize::from(a.draft);
                report.flagged += usize::from(a.review);
                if request.dry_run {
                    continue;
                }
                let action = Action::Edit {
                    target: &a.target,
                    state: a.draft.then_some(State::Initial),
                };
                store
                    .apply(
                        at,
                        &action,
                        a.note.as_deref(),
                        request.who,
                        Some(Origin::Align),
                    )
                    .map_err(store_err)?;
                if a.review {
                    let note = a
                        .note
                        .as_deref()
                        .unwrap_or("aligned: check this translation");
                    store
                        .flag_for_review(at, note, request.who, "align")
                        .map_err(store_err)?;
                }
            }
            Ok(kept)
        };
    let mut committed = if request.dry_run {
        let mut store = Store::open(project, spec, request.lang).map_err(store_err)?;
        let kept = store_plan(&mut store, &mut report)?;
        Committed {
            value: kept,
            merged: Vec::new(),
            warnings: store.warnings().to_vec(),
            written: false,
        }
    } else {
        store::transaction(project, spec, request.lang, request.who, |store| {
            store_plan(store, &mut report)
        })?
    };
    let kept = std::mem::take(&mut committed.value);
    for (bead, &covered) in alignment.beads.iter().zip(&alignment.covered) {
        let disposition = match (bead.src.first(), bead.tgt.is_empty()) {
            (None, _) => Disposition::NoSource,
            (Some(_), true) if !covered => Disposition::NotCovered,
            (Some(_), true) => Disposition::Untranslated,
            (Some(first), false) if kept.contains(first) => Disposition::Kept,
            (Some(_), false) if bead.confidence < request.min_confidence => Disposition::Draft,
            (Some(_), false) => Disposition::Stored,
        };
        match disposition {
            Disposition::NoSource => report.no_source += bead.tgt.len(),
            Disposition::NotCovered => report.not_covered += bead.src.len(),
            Disposition::Untranslated => report.untranslated += bead.src.len(),
            _ => {}
        }
        let source: Vec<&str> = bead.src.iter().map(|&i| segments[i].text()).collect();
        let target: Vec<&str> = bead.tgt.iter().map(|&j| tgt_flat[j]).collect();
        report.rows.push(Row {
            refs: bead.src.iter().map(|&i| refs[i].clone()).collect(),
            source: source.concat(),
            target: target.join(" "),
            confidence: bead.confidence,
            line: bead.tgt.first().map(|&j| tgt_line[j]),
            disposition,
        });
    }
    Ok(Committed {
        value: report,
        merged: committed.merged,
        warnings: committed.warnings,
        written: committed.written,
    })
}

impl Report {
    /// Whether a row needs a person's eye: a draft, an untranslated segment inside the
    /// covered part, or a target sentence with no source.
    fn needs_review(row: &Row) -> bool {
        matches!(
            row.disposition,
            Disposition::Draft | Disposition::Untranslated | Disposition::NoSource
        )
    }

    /// Writes the rows that need a person's eye (drafts, untranslated segments, target
    /// sentences with no source), each with the aligned bead before and after it as context,
    /// and the parts of the document the translation does not cover, as ranges of refs.
    pub fn write_review(&self, out: &mut dyn Write) -> io::Result<()> {
        let refs = |row: &Row| -> String {
            if row.refs.is_empty() {
                "-".to_string()
            } else {
                row.refs.join("+")
            }
        };
        let line = |row: &Row| {
            row.line
                .map_or(String::new(), |l| format!(" (translation line {l})"))
        };
        let context = |out: &mut dyn Write, label: &str, row: Option<&Row>| -> io::Result<()> {
            if let Some(row) = row.filter(|r| !r.source.is_empty() && !r.target.is_empty()) {
                writeln!(
                    out,
                    "  {label} {}  {}  |  {}",
                    refs(row),
                    row.source,
                    row.target
                )?;
            }
            Ok(())
        };
        let mut any = false;
        let mut k = 0;
        while k < self.rows.len() {
            let row = &self.rows[k];
            if row.disposition == Disposition::NotCovered {
                let end = self.rows[k..]
                    .iter()
                    .position(|r| r.disposition != Disposition::NotCovered)
                    .map_or(self.rows.len(), |n| k + n);
                let count: usize = self.rows[k..end].iter().map(|r| r.refs.len()).sum();
                let last = self.rows[end - 1].refs.last().cloned().unwrap_or_default();
                writeln!(
                    out,
                    "not covered  {}..{last}  {count} segment(s): the translation has no text for this part",
                    refs(row)
                )?;
                any = true;
                k = end;
                continue;
            }
            if Self::needs_review(row) {
                let what = match row.disposition {
                    Disposition::Draft => format!(
                        "draft {:.2}  {}{}: below --min-confidence {:.2}, stored as a draft flagged needs-review",
                        row.confidence,
                        refs(row),
                        line(row),
                        self.min_confidence
                    ),
                    Disposition::Untranslated => format!(
                        "untranslated  {}: no sentence of the translation was aligned with it",
                        refs(row)
                    ),
                    _ => format!(
                        "no source{}: matches no segment of the document; not stored",
                        line(row)
                    ),
                };
                writeln!(out, "{what}")?;
                context(
                    out,
                    "before",
                    k.checked_sub(1).and_then(|p| self.rows.get(p)),
                )?;
                if !row.source.is_empty() {
                    writeln!(out, "  source  {}", row.source)?;
                }
                if !row.target.is_empty() {
                    writeln!(out, "  target  {}", row.target)?;
                }
                context(out, "after ", self.rows.get(k + 1))?;
                any = true;
            }
            k += 1;
        }
        if !any {
            writeln!(
                out,
                "nothing to review: every bead is at or above --min-confidence {:.2}, and the translation covers the whole document",
                self.min_confidence
            )?;
        }
        Ok(())
    }
}
