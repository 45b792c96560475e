//! `duiyi align LANG FILE`: aligning an existing translation with a project document and
//! storing it in the translation store.
//!
//! The project's approved glossary renderings for the language are anchors. Every source
//! segment that receives a translation is written with origin `align`, state `translated`;
//! what [`super::document::assignments`] marks for review is flagged `needs-review` with a
//! note. A segment that already has a translation keeps it unless `overwrite` is set.

use std::collections::HashSet;
use std::path::Path;

use super::document::{self, Paragraph, SourceParagraph};
use super::{AlignError, AlignOptions, Aligner, Language};
use crate::glossary::{GlossaryStore, Status};
use crate::project::{DocumentSpec, Project};
use crate::review::Action;
use crate::store::record::{Origin, State};
use crate::store::{self, Store};

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
    /// Who is storing (for the history journal).
    pub who: &'a str,
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
}

/// What an alignment did (or, on a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// The beads, in order.
    pub rows: Vec<Row>,
    /// Segments given a translation.
    pub stored: usize,
    /// Of those, and of the later segments of many-to-one beads, how many were flagged.
    pub flagged: usize,
    /// Segments that already had a translation and kept it.
    pub kept: usize,
    /// Source segments no target sentence was aligned with.
    pub untranslated: usize,
    /// Paragraphs and sentences read from the translation.
    pub paragraphs: usize,
    /// Sentences read from the translation.
    pub sentences: usize,
}

/// Aligns `request.file` with the document and stores the result (unless a dry run).
pub fn align_into_store(
    project: &Project,
    spec: &DocumentSpec,
    request: &Request<'_>,
) -> Result<Report, AlignError> {
    let store_err = |e: store::StoreError| AlignError::Store(Box::new(e));
    let lock = if request.dry_run {
        project
            .target(request.lang)
            .map_err(|e| store_err(e.into()))?;
        None
    } else {
        Some(store::lock(project, request.lang).map_err(store_err)?)
    };
    let mut store = Store::open(project, spec, request.lang).map_err(store_err)?;
    let rules = project
        .rules()
        .map_err(|e| AlignError::Project(Box::new(e)))?;
    let doc = project
        .load(spec, &rules)
        .map_err(|e| AlignError::Project(Box::new(e)))?;
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
    })?;
    let tgt_rules = document::translation_rules();
    let translation: Vec<Paragraph> = document::read_translation(request.file, &tgt_rules)?;

    let src = SourceParagraph::of_document(&doc);
    let segments: Vec<_> = doc.segments().collect();
    let refs: Vec<String> = segments.iter().map(|s| s.r#ref().to_string()).collect();
    let ref_strs: Vec<&str> = refs.iter().map(String::as_str).collect();
    let tgt_flat: Vec<&str> = translation
        .iter()
        .flat_map(|p| p.sentences.iter().map(String::as_str))
        .collect();

    let beads = document::align_document(&aligner, &src, &translation, request.force)?;
    let mut report = Report {
        paragraphs: translation.len(),
        sentences: tgt_flat.len(),
        ..Report::default()
    };
    for bead in &beads {
        let source: Vec<&str> = bead.src.iter().map(|&i| segments[i].text()).collect();
        let target: Vec<&str> = bead.tgt.iter().map(|&j| tgt_flat[j]).collect();
        report.rows.push(Row {
            refs: bead.src.iter().map(|&i| refs[i].clone()).collect(),
            source: source.concat(),
            target: target.join(" "),
            confidence: bead.confidence,
        });
    }
    let plan = document::assignments(&beads, &ref_strs, &tgt_flat);
    let covered: HashSet<usize> = plan.iter().map(|a| a.src).collect();
    report.untranslated = segments.len() - covered.len();
    for a in &plan {
        let Some(at) = store.position(segments[a.src].id()) else {
            continue;
        };
        let record = &store.records()[at];
        let has_text = record.state != State::Initial || !record.target.is_empty();
        if has_text && !request.overwrite {
            report.kept += 1;
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
        report.flagged += usize::from(a.review);
        if request.dry_run {
            continue;
        }
        let action = Action::Edit {
            target: &a.target,
            state: None,
        };
        store
            .apply(at, &action, None, request.who, Some(Origin::Align))
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
    if let Some(lock) = &lock {
        store.save(project, lock, request.who).map_err(store_err)?;
    }
    Ok(report)
}
