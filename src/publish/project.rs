//! Publishing documents of a project: everything `duiyi publish` (and the workbench) asks for
//! in one call. The gates of every document run before the first file is written; then, for
//! each document, it loads what the formats need (only the targets for reading editions, full
//! records for XLIFF and TMX), the glossaries (a broken glossary is an error, not a silent
//! empty one), runs the quality checks when the report or the gate needs them, and hands all
//! of it to [`super::publish`].
//!
//! The gate has two parts. The review gate: with `require`, every segment has reached that
//! state. The QA gate: publishing at `reviewed` or `final` also needs `duiyi check` to have no
//! open (not accepted) error, unless the caller allows them — and then the report says so.

use std::path::PathBuf;

use super::{Edition, Format, Layout, Options, PublishError, Targets};
use crate::project::{DocumentSpec, Project};
use crate::qa::Severity;
use crate::store::Store;
use crate::store::record::State;

/// What to publish.
#[derive(Debug, Clone)]
pub struct Request {
    /// The documents, each published on its own.
    pub docs: Vec<DocumentSpec>,
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

/// What was published (also the `--json` of `duiyi publish`, see `docs/json.md`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Published {
    /// The files written.
    pub files: Vec<PathBuf>,
    /// Languages published despite open QA errors, with how many (over every document).
    #[serde(serialize_with = "as_map")]
    pub qa_errors_allowed: Vec<(String, usize)>,
}

/// `[(lang, n)]` as the JSON object `{lang: n}`.
fn as_map<S: serde::Serializer>(pairs: &[(String, usize)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// Publishes each document of `request.docs`: the review and QA gates of every document and
/// language first, so that a refusal writes nothing, then every format of every document.
pub fn run(project: &Project, request: &Request) -> Result<Published, PublishError> {
    if request.langs.is_empty() {
        return Err(PublishError::NoLanguage);
    }
    for lang in &request.langs {
        project.target(lang)?;
    }
    let mut formats = request.formats.clone();
    formats.sort_unstable();
    formats.dedup();
    let qa_gate = !request.draft && request.require.is_some_and(|s| s >= State::Reviewed);
    // The review gate first: it reads only the targets, and says what most needs doing. With
    // several documents, one with nothing translated stops the run before anything is written.
    let gated = request.require.filter(|_| !request.draft);
    let needs_text = formats.iter().any(|f| f.is_edition() || *f == Format::Tmx);
    if gated.is_some() || (needs_text && request.docs.len() > 1) {
        for spec in &request.docs {
            for lang in &request.langs {
                let targets = Targets::load(project, spec, lang)?;
                if let Some(required) = gated {
                    super::gate(&targets, required)?;
                }
                if needs_text && !targets.any_translated() {
                    return Err(PublishError::NoTranslations {
                        doc: spec.name.clone(),
                        lang: lang.clone(),
                    });
                }
            }
        }
    }
    // Then the QA runs: what they load is freed before the editions' own loading.
    let mut qa = Vec::with_capacity(request.docs.len());
    let mut allowed: Vec<(String, usize)> = Vec::new();
    let mut allowed_per_doc = Vec::with_capacity(request.docs.len());
    for spec in &request.docs {
        let mut allowed_here = Vec::new();
        let reports = if qa_gate || formats.contains(&Format::Report) {
            request
                .langs
                .iter()
                .map(|lang| crate::qa::project::check(project, lang, Some(&spec.name), &[]))
                .collect::<Result<Vec<_>, _>>()?
        } else {
            Vec::new()
        };
        if qa_gate {
            for (lang, report) in request.langs.iter().zip(&reports) {
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
                match allowed.iter_mut().find(|(l, _)| l == lang) {
                    Some((_, n)) => *n += errors.len(),
                    None => allowed.push((lang.clone(), errors.len())),
                }
                allowed_here.push((lang.clone(), errors.len()));
            }
        }
        qa.push(reports);
        allowed_per_doc.push(allowed_here);
    }
    let mut published = Published {
        files: Vec::new(),
        qa_errors_allowed: allowed,
    };
    for ((spec, qa), allowed) in request.docs.iter().zip(&qa).zip(allowed_per_doc) {
        published
            .files
            .extend(document(project, spec, request, &formats, qa, allowed)?);
    }
    Ok(published)
}

/// Publishes one document whose gates are passed, with its QA reports (one per language, or
/// none when neither the gate nor the report needs them) and the languages published despite
/// open QA errors in it.
fn document(
    project: &Project,
    spec: &DocumentSpec,
    request: &Request,
    formats: &[Format],
    qa: &[crate::qa::project::Report],
    qa_errors_allowed: Vec<(String, usize)>,
) -> Result<Vec<PathBuf>, PublishError> {
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
    let glossary_store = crate::glossary::project::store_of(project);
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
        formats: formats.to_vec(),
        layout: request.layout,
        require: request.require,
        draft: request.draft,
        out: request
            .out
            .clone()
            .unwrap_or_else(|| project.editions_dir()),
        templates: Some(project.templates_dir()),
        qa_errors_allowed,
    };
    let bar = request.require.unwrap_or(State::Translated);
    let edition = Edition::new(&document, project.source_language(), &targets, bar);
    super::publish(&edition, &records, &glossaries, qa, &options)
}
