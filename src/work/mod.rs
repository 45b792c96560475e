//! The translator's and reviewer's view of a project: `duiyi next` and `duiyi show`, with the
//! project's glossary and translation memory as hint sources, and what the workbench
//! (`duiyi serve`) asks for: pages of segments ([`list`]), help for one segment ([`suggest`]),
//! a change based on the revision a person saw ([`edit`]), and the [`dashboard`].
//!
//! [`crate::store::next`] builds a [`WorkItem`] from one store and the [`HintSource`]s it is
//! given, and knows nothing of where hints come from; this module picks the project's sources
//! ([`sources`]) and the document, so that the command line and the workbench show the same
//! segment with the same hints. It sits above the store, the glossary and the memory, which do
//! not know each other.

pub mod dashboard;
pub mod edit;
pub mod list;
pub mod suggest;

use crate::glossary::GlossaryError;
use crate::glossary::hints::GlossaryHints;
use crate::hints::HintSource;
use crate::lang::Lang;
use crate::memory::MemoryError;
use crate::memory::hints::MemoryHints;
use crate::project::Project;
use crate::store::next::{self, WorkItem};
use crate::store::{self, Store, StoreError};

/// Errors of [`next()`] and [`show`].
#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// Reading the stores, or a ref that names no segment.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A glossary that cannot be read.
    #[error(transparent)]
    Glossary(#[from] GlossaryError),
    /// A translation memory that cannot be read.
    #[error(transparent)]
    Memory(#[from] MemoryError),
    /// The quality checks could not run.
    #[error(transparent)]
    Qa(#[from] crate::qa::QaError),
}

impl From<crate::project::ProjectError> for WorkError {
    fn from(e: crate::project::ProjectError) -> Self {
        Self::Store(e.into())
    }
}

/// The hint sources of the project for `langs`: its glossary and its translation memory.
pub fn sources(project: &Project, langs: &[Lang]) -> Result<Vec<Box<dyn HintSource>>, WorkError> {
    let langs: Vec<String> = langs.iter().map(ToString::to_string).collect();
    let glossary = GlossaryHints::load(&crate::glossary::project::store_of(project), &langs)?;
    let memory = MemoryHints::load(project, &langs, crate::memory::threshold(project))?;
    Ok(vec![Box::new(glossary), Box::new(memory)])
}

/// What [`next()`] found.
#[derive(Debug, Clone)]
pub struct Next {
    /// The next segment needing work, if any is left.
    pub item: Option<WorkItem>,
    /// The documents looked at, in order.
    pub docs: Vec<String>,
}

/// The next segment of `lang` needing work (untranslated, flagged or rejected), with its
/// context and hints (`duiyi next`): in the document `doc` names, or in every document in
/// order; after the segment `after` names when given (its document is found as
/// [`store::locate`] finds it, and the search goes on into the documents after it).
pub fn next(
    project: &Project,
    lang: &str,
    doc: Option<&str>,
    after: Option<&str>,
) -> Result<Next, WorkError> {
    let lang = project.target(lang)?.clone();
    let mut docs = project.some_documents(doc)?;
    let mut from = None;
    if let Some(after) = after {
        let spec = store::locate(project, doc, &lang, &[after])?;
        let at = docs.iter().position(|d| d.name == spec.name).unwrap_or(0);
        docs.drain(..at);
        from = Some(after);
    }
    let names = docs.iter().map(|d| d.name.clone()).collect();
    for spec in &docs {
        let store = Store::open(project, spec, &lang)?;
        let start = match from.take() {
            Some(after) => store.find_one(after)? + 1,
            None => 0,
        };
        if let Some(at) = next::next_needing_work(&store, start) {
            let sources = sources(project, std::slice::from_ref(&lang))?;
            let refs: Vec<&dyn HintSource> = sources.iter().map(AsRef::as_ref).collect();
            return Ok(Next {
                item: Some(next::item(&store, at, &refs)),
                docs: names,
            });
        }
    }
    Ok(Next {
        item: None,
        docs: names,
    })
}

/// The segment `what` names (a ref or an id) in each language of `langs` (every target when
/// empty), with context and hints (`duiyi show`); its document is the one `doc` names, or found
/// as [`store::locate`] finds it.
pub fn show<S: AsRef<str>>(
    project: &Project,
    what: &str,
    langs: &[S],
    doc: Option<&str>,
) -> Result<Vec<WorkItem>, WorkError> {
    let langs = project.targets_or_all(langs)?;
    let Some(first) = langs.first() else {
        return Ok(Vec::new());
    };
    let spec = store::locate(project, doc, first, &[what])?;
    let sources = sources(project, &langs)?;
    let refs: Vec<&dyn HintSource> = sources.iter().map(AsRef::as_ref).collect();
    let mut items = Vec::with_capacity(langs.len());
    for lang in &langs {
        let store = Store::open(project, &spec, lang)?;
        let at = store.find_one(what)?;
        items.push(next::item(&store, at, &refs));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Action;
    use crate::store::record::Origin;

    fn project(docs: &[(&str, &str)]) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        crate::project::init(dir.path(), "zh", &["en".into(), "fr".into()]).unwrap();
        let p = Project::open(dir.path()).unwrap();
        for (name, text) in docs {
            std::fs::write(p.source_dir().join(format!("{name}.txt")), text).unwrap();
        }
        (dir, p)
    }

    fn set(p: &Project, doc: &str, what: &str, text: &str) {
        let spec = p.document(doc).unwrap();
        let action = Action::Edit {
            target: text,
            state: None,
        };
        store::apply_one(
            p,
            &spec,
            "en",
            what,
            &action,
            None,
            "ana",
            Some(Origin::Human),
        )
        .unwrap();
    }

    #[test]
    fn next_goes_on_into_the_following_documents() {
        let (_dir, p) = project(&[("a", "一、总论\n甲。\n"), ("b", "乙。\n")]);
        let first = next(&p, "en", None, None).unwrap();
        assert_eq!(first.docs, ["a", "b"]);
        assert_eq!(first.item.unwrap().doc, "a");
        set(&p, "a", "1¶0.1", "General");
        set(&p, "a", "1¶1.1", "A.");
        let item = next(&p, "en", None, None).unwrap().item.unwrap();
        assert_eq!((item.doc.as_str(), item.source.as_str()), ("b", "乙。"));
        // After the last segment of a, the search goes on in b; in a alone nothing is left.
        let after = next(&p, "en", None, Some("1¶1.1")).unwrap();
        assert_eq!(after.item.unwrap().doc, "b");
        assert!(next(&p, "en", Some("a"), None).unwrap().item.is_none());
        assert!(next(&p, "de", None, None).is_err());
    }

    #[test]
    fn show_finds_the_document_of_a_ref_or_id() {
        let (_dir, p) = project(&[("a", "一、总论\n甲。\n"), ("b", "乙。\n")]);
        let items = show::<&str>(&p, "1¶1.1", &[], None).unwrap();
        assert_eq!(items.len(), 2);
        assert!(items.iter().all(|i| i.doc == "a" && i.source == "甲。"));
        let id = items[0].id.clone();
        let by_id = show(&p, &id, &["fr"], None).unwrap();
        assert_eq!((by_id.len(), by_id[0].lang.as_str()), (1, "fr"));
        let e = show::<&str>(&p, "7¶7.7", &[], None).unwrap_err();
        assert!(
            e.to_string().contains("no document has segment 7¶7.7"),
            "{e}"
        );
    }
}
