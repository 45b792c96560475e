//! Publishing a document of a project: everything `duiyi publish` (and the workbench) asks for
//! in one call. It loads what the formats need (only the targets for reading editions, full
//! records for XLIFF and TMX), the glossaries (a broken glossary is an error, not a silent
//! empty one), runs the quality checks when the report or the gate needs them, and hands all
//! of it to [`super::publish`].
//!
//! The gate has two parts. The review gate: with `require`, every segment has reached that
//! state. The QA gate: publishing at `reviewed` or `final` also needs `duiyi check` to have no
//! open (not accepted) error, unless the caller allows them — and then the report says so.

use std::path::PathBuf;

use super::{Edition, Format, Layout, Meta, Options, PublishError, Targets};
use crate::glossary::GlossaryStore;
use crate::project::{DocumentSpec, DocumentTitle, Project};
use crate::qa::Severity;
use crate::store::Store;
use crate::store::record::State;

/// What to publish.
#[derive(Debug, Clone)]
pub struct Request {
    /// The document.
    pub doc: DocumentSpec,
    /// The target languages, in the order the editions show them.
    pub langs: Vec<String>,
    /// The formats.
    pub formats: Vec<Format>,
    /// The layout of HTML editions.
    pub layout: Layout,
    /// The state every segment must have reached.
    pub require: Option<State>,
    /// Publish anyway, marking segments below the bar.
    pub draft: bool,
    /// Publish at `reviewed` or `final` despite open QA errors (the report says so).
    pub allow_qa_errors: bool,
    /// The output folder (default: the project's `editions/`).
    pub out: Option<PathBuf>,
}

/// What was published.
#[derive(Debug, Clone, Default)]
pub struct Published {
    /// The files written.
    pub files: Vec<PathBuf>,
    /// Languages published despite open QA errors, with how many.
    pub qa_errors_allowed: Vec<(String, usize)>,
}

/// What the project says about the edition: the document's titles and author (its
/// `[[documents]]` entry), the fonts (`[publish]`).
pub fn meta(project: &Project, spec: &DocumentSpec) -> Meta {
    let mut meta = Meta::default();
    let source = project.source_language();
    if let Some(settings) = project.document_settings(&spec.name) {
        if let Some(title) = &settings.title {
            let langs: Vec<&str> = match title {
                DocumentTitle::Source(_) => vec![source],
                DocumentTitle::ByLanguage(m) => m.keys().map(String::as_str).collect(),
            };
            for lang in langs {
                if let Some(t) = title.get(lang, source) {
                    meta.titles.insert(lang.to_string(), t.to_string());
                }
            }
        }
        meta.author = settings
            .author
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_string);
    }
    let fonts = &project.config().publish;
    if let Some(f) = fonts
        .latin_font
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        meta.latin_font = f.to_string();
    }
    if let Some(f) = fonts
        .cjk_font
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        meta.cjk_font = f.to_string();
    }
    meta
}

/// Publishes `request.doc` of `project`: the review and QA gates first, then every format.
pub fn run(project: &Project, request: &Request) -> Result<Published, PublishError> {
    if request.langs.is_empty() {
        return Err(PublishError::NoLanguage);
    }
    let spec = &request.doc;
    let mut formats = request.formats.clone();
    formats.sort_unstable();
    formats.dedup();
    let qa_gate = !request.draft && request.require.is_some_and(|s| s >= State::Reviewed);
    // The review gate first: it reads only the targets, and says what most needs doing.
    if let Some(required) = request.require
        && !request.draft
    {
        for lang in &request.langs {
            super::gate(&Targets::load(project, spec, lang)?, required)?;
        }
    }
    // Then the QA run: what it loads is freed before the edition's own loading.
    let qa = if qa_gate || formats.contains(&Format::Report) {
        request
            .langs
            .iter()
            .map(|lang| crate::qa::project::check(project, lang, Some(&spec.name), &[]))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let mut published = Published::default();
    if qa_gate {
        for (lang, report) in request.langs.iter().zip(&qa) {
            let errors: Vec<_> = report
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .cloned()
                .collect();
            if errors.is_empty() {
                continue;
            }
            if !request.allow_qa_errors {
                return Err(PublishError::QaGate {
                    lang: lang.clone(),
                    required: request.require.unwrap_or(State::Reviewed),
                    errors,
                });
            }
            published
                .qa_errors_allowed
                .push((lang.clone(), errors.len()));
        }
    }
    // XLIFF and TMX read every field of the records; the other formats read only what
    // `Targets` keeps, from the store line by line when it is current.
    let full = formats.iter().any(|f| f.needs_records());
    let mut targets = Vec::with_capacity(request.langs.len());
    let mut records = Vec::new();
    for lang in &request.langs {
        if full {
            let all = Store::open(project, spec, lang)?.into_records();
            targets.push(Targets::from_records(lang, &all));
            records.push(all);
        } else {
            targets.push(Targets::load(project, spec, lang)?);
        }
    }
    let rules = project.rules()?;
    let document = project.load(spec, &rules)?;
    // Only XLIFF carries the glossary; a broken one is an error naming its line (a missing one
    // is an empty glossary), never a silent drop of every term.
    let glossary_store = GlossaryStore::new(project.glossary_dir());
    let glossaries = if formats.contains(&Format::Xliff) {
        request
            .langs
            .iter()
            .map(|l| glossary_store.load(l).map(Some))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let options = Options {
        formats,
        layout: request.layout,
        require: request.require,
        draft: request.draft,
        out: request
            .out
            .clone()
            .unwrap_or_else(|| project.root().join("editions")),
        templates: Some(project.root().join("templates")),
        fonts: Some(project.root().join("fonts")),
        qa_errors_allowed: published.qa_errors_allowed.clone(),
    };
    let bar = request.require.unwrap_or(State::Translated);
    let edition = Edition::new(&document, project.source_language(), &targets, bar)
        .with_meta(meta(project, spec));
    published.files = super::publish(&edition, &records, &glossaries, &qa, &options)?;
    Ok(published)
}
