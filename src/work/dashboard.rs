//! The workbench's first page: per language and document, progress by state and the quality
//! checks' errors and warnings; the glossary terms waiting for a reviewer; recent activity.

use serde::Serialize;

use super::WorkError;
use crate::glossary::project::Entry;
use crate::glossary::{Filter, Status};
use crate::project::Project;
use crate::qa::Severity;
use crate::store::history::{self, Event};
use crate::store::status::{self, Counts};

/// How many recent changes the dashboard lists.
const RECENT: usize = 12;

/// The dashboard of a project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    /// Per target language.
    pub languages: Vec<LanguageBoard>,
    /// Glossary terms proposed and not reviewed yet, every language.
    pub proposed: Vec<Entry>,
    /// The latest changes of every language, newest first.
    pub recent: Vec<Event>,
    /// Languages whose recent changes name them (parallel to `recent`).
    pub recent_langs: Vec<String>,
}

/// One language's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageBoard {
    /// The language.
    pub lang: String,
    /// Per document, in the project's order.
    pub documents: Vec<DocumentBoard>,
}

/// One document's progress in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentBoard {
    /// The document.
    pub doc: String,
    /// Segments per state and flag.
    pub counts: Counts,
    /// Quality-check errors.
    pub errors: usize,
    /// Quality-check warnings.
    pub warnings: usize,
}

/// The dashboard: reads every store, runs the quality checks of every language, lists the
/// proposed glossary terms and the latest journal events.
pub fn dashboard(project: &Project) -> Result<Dashboard, WorkError> {
    let docs = project.documents()?;
    let mut languages = Vec::new();
    let mut recent: Vec<(String, Event)> = Vec::new();
    for lang in project.target_languages() {
        let report = crate::qa::project::check(project, lang, None, &[])?;
        let mut documents = Vec::new();
        for spec in &docs {
            let counts = status::of_document(project, spec, lang)?.counts;
            let of = |s: Severity| {
                report
                    .findings
                    .iter()
                    .filter(|f| f.doc == spec.name && f.severity == s)
                    .count()
            };
            documents.push(DocumentBoard {
                doc: spec.name.clone(),
                counts,
                errors: of(Severity::Error),
                warnings: of(Severity::Warning),
            });
        }
        languages.push(LanguageBoard {
            lang: lang.to_string(),
            documents,
        });
        let (events, _) = history::read_committed(project, lang)?;
        let skip = events.len().saturating_sub(RECENT);
        recent.extend(events.into_iter().skip(skip).map(|e| (lang.to_string(), e)));
    }
    // Newest first; a stable sort keeps journal order among events of the same second.
    recent.reverse();
    recent.sort_by(|a, b| b.1.when.cmp(&a.1.when));
    recent.truncate(RECENT);
    let filter = Filter {
        status: Some(Status::Proposed),
        contains: None,
    };
    let proposed = crate::glossary::project::list(
        &crate::glossary::project::store_of(project),
        None,
        &filter,
    )?;
    let (recent_langs, recent) = recent.into_iter().unzip();
    Ok(Dashboard {
        languages,
        proposed,
        recent,
        recent_langs,
    })
}
