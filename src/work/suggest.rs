//! Help for one segment while translating it: the glossary terms in its source, memory
//! matches, and the findings of the quality checks on its current target
//! (`GET /api/v1/{lang}/segments/{id}/suggestions`).

use serde::Serialize;

use super::WorkError;
use crate::glossary::project::{TermHit, hits_in_segment};
use crate::hints::{Hint, HintSource, Query};
use crate::memory::hints::MemoryHints;
use crate::project::Project;
use crate::qa::Finding;
use crate::store::{self, Store};

/// What the workbench offers beside a segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestions {
    /// Glossary terms in the source, nested ones too, with character offsets and renderings.
    pub glossary: Vec<TermHit>,
    /// Translations of similar sentences, best first, with their score.
    pub memory: Vec<Hint>,
    /// The quality checks' findings on the current target.
    pub qa: Vec<Finding>,
}

/// The suggestions for the segment `what` (a ref or an id) of `lang`, in the document `doc`
/// names or the one that has it.
pub fn suggestions(
    project: &Project,
    lang: &str,
    doc: Option<&str>,
    what: &str,
) -> Result<Suggestions, WorkError> {
    project.target(lang)?;
    let spec = store::locate(project, doc, lang, &[what])?;
    let store = Store::open(project, &spec, lang)?;
    let at = store.find_one(what)?;
    let r = &store.records()[at];
    let glossary = hits_in_segment(project, lang, &spec.name, &r.r#ref, &r.id, &r.source)?;
    let memory = MemoryHints::load(
        project,
        &[lang.to_string()],
        crate::memory::threshold(project),
    )?;
    let memory = memory.hints(&Query {
        doc: &spec.name,
        id: &r.id,
        source: &r.source,
        lang,
    });
    let qa = if r.target.is_empty() {
        Vec::new()
    } else {
        crate::qa::project::check_record(project, &store, at)?
    };
    Ok(Suggestions {
        glossary,
        memory,
        qa,
    })
}
