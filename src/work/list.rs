//! A language's segments as the workbench pages through them: filtered by document, state,
//! flag, section and text, counted, and cut to one page (`GET /api/v1/{lang}/segments`); one
//! segment with its history (`GET /api/v1/{lang}/segments/{id}`).
//!
//! The records come from the stores, which do not segment a document whose source is
//! unchanged; roles come from the segmentation, which the caller keeps ([`Roles`]) so that a
//! long-running face segments each source revision once.

use std::sync::Arc;

use serde::Serialize;

use super::WorkError;
use crate::project::{DocumentSpec, Project};
use crate::segment::Role;
use crate::store::history::Event;
use crate::store::next::Context;
use crate::store::record::{Flag, IdMap, State, Translation, id_key};
use crate::store::{self, Store};

/// Which segments, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Only this document (default: every document, in order).
    pub doc: Option<String>,
    /// Only segments in this state.
    pub state: Option<State>,
    /// Only segments with this flag.
    pub flag: Option<Flag>,
    /// Only segments needing work (untranslated, flagged or rejected), as `duiyi next` sees them.
    pub open: bool,
    /// Only segments whose source or target contains this text (case-insensitive).
    pub q: Option<String>,
    /// Only the segments this section, unit or segment ref names.
    pub section: Option<String>,
    /// How many matching segments to skip.
    pub offset: usize,
    /// How many to return at most.
    pub limit: usize,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            doc: None,
            state: None,
            flag: None,
            open: false,
            q: None,
            section: None,
            offset: 0,
            limit: DEFAULT_LIMIT,
        }
    }
}

/// The page size when none is asked for.
pub const DEFAULT_LIMIT: usize = 50;

/// The largest page served at once.
pub const MAX_LIMIT: usize = 500;

/// One segment of a page: the JSON item of the workbench's API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The document.
    pub doc: String,
    /// The segment id.
    pub id: String,
    /// The ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The role of the segment's unit (`heading`, `paragraph`, …), when the segmentation knows
    /// it.
    pub role: Option<&'static str>,
    /// The source text.
    pub source: String,
    /// The target text (empty when untranslated).
    pub target: String,
    /// The state.
    pub state: State,
    /// The flags.
    pub flags: Vec<Flag>,
    /// The note, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The revision a change of this segment is based on ([`crate::store::record::base`]).
    pub revision: String,
}

impl Row {
    /// The row of a record.
    pub fn of(doc: &str, r: &Translation, roles: &Roles) -> Self {
        Self {
            doc: doc.to_string(),
            id: r.id.clone(),
            r#ref: r.r#ref.clone(),
            role: roles.of(&r.id).map(Role::name),
            source: r.source.clone(),
            target: r.target.clone(),
            state: r.state,
            flags: r.flags.iter().copied().collect(),
            note: r.note.clone(),
            revision: r.base(),
        }
    }
}

/// A page of segments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Page {
    /// How many segments match the filter.
    pub total: usize,
    /// Where the page starts among them.
    pub offset: usize,
    /// The segments of the page.
    pub items: Vec<Row>,
}

/// The role of each segment of one document, from its segmentation.
#[derive(Debug, Clone, Default)]
pub struct Roles(IdMap<Role>);

impl Roles {
    /// Segments the document `spec` with the project's rules.
    pub fn of_document(project: &Project, spec: &DocumentSpec) -> Result<Self, WorkError> {
        let rules = project.rules()?;
        let document = project.load(spec, &rules)?;
        let mut by_id = IdMap::default();
        for view in document.segments() {
            if let Some(key) = id_key(view.id()) {
                by_id.insert(key, view.role());
            }
        }
        Ok(Self(by_id))
    }

    /// The role of the segment `id`.
    pub fn of(&self, id: &str) -> Option<Role> {
        id_key(id).and_then(|k| self.0.get(&k).copied())
    }
}

/// Where the roles of a document come from: [`Roles::of_document`], or a face's cache of it.
pub type RolesOf<'a> = dyn Fn(&DocumentSpec) -> Result<Arc<Roles>, WorkError> + 'a;

/// The segments of `lang` that `filter` lets through, in document order, counted, and the page
/// of them it asks for. A section that names nothing in a document is an error when the
/// filter names the document, and leaves that document out otherwise.
pub fn segments(
    project: &Project,
    lang: &str,
    filter: &Filter,
    roles: &RolesOf<'_>,
) -> Result<Page, WorkError> {
    project.target(lang)?;
    let docs = project.some_documents(filter.doc.as_deref())?;
    let needle = filter
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_lowercase);
    let limit = filter.limit.min(MAX_LIMIT);
    let mut page = Page {
        total: 0,
        offset: filter.offset,
        items: Vec::new(),
    };
    let mut found_section = filter.section.is_none();
    for spec in &docs {
        let store = Store::open(project, spec, lang)?;
        let positions: Vec<usize> = match filter.section.as_deref() {
            None => (0..store.records().len()).collect(),
            Some(section) => match store.find(section) {
                Ok(found) => {
                    found_section = true;
                    found
                }
                Err(store::StoreError::NotFound { .. }) => continue,
                Err(e) => return Err(e.into()),
            },
        };
        let mut doc_roles = None;
        for at in positions {
            let r = &store.records()[at];
            if r.obsolete
                || filter.state.is_some_and(|s| r.state != s)
                || filter.flag.is_some_and(|f| !r.has(f))
                || (filter.open && !r.needs_work())
                || needle.as_deref().is_some_and(|q| {
                    !r.source.to_lowercase().contains(q) && !r.target.to_lowercase().contains(q)
                })
            {
                continue;
            }
            if page.total >= filter.offset && page.items.len() < limit {
                if doc_roles.is_none() {
                    doc_roles = Some(roles(spec)?);
                }
                if let Some(roles) = &doc_roles {
                    page.items.push(Row::of(&spec.name, r, roles));
                }
            }
            page.total += 1;
        }
    }
    if !found_section {
        let section = filter.section.clone().unwrap_or_default();
        return Err(WorkError::Store(store::StoreError::NowhereFound {
            what: section,
            docs: docs
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }));
    }
    Ok(page)
}

/// One segment as the workbench opens it: its row, what else its record says, the headings
/// of its section and its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    /// The segment.
    #[serde(flatten)]
    pub row: Row,
    /// The source its target was written for, when the source changed since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// Who answers for the current text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Who changed it last.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// When.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The headings of its section, outermost first.
    pub headings: Vec<Context>,
    /// Its history, oldest first (the journal's events).
    pub history: Vec<Event>,
}

/// The segment `what` (a ref or an id) of `lang`, in the document `doc` names or the one that
/// has it ([`store::locate`]), with its history.
pub fn segment(
    project: &Project,
    lang: &str,
    doc: Option<&str>,
    what: &str,
    roles: &RolesOf<'_>,
) -> Result<Detail, WorkError> {
    project.target(lang)?;
    let spec = store::locate(project, doc, lang, &[what])?;
    let store = Store::open(project, &spec, lang)?;
    let at = store.find_one(what)?;
    let r = &store.records()[at];
    let item = crate::store::next::item(&store, at, &[]);
    let log = store::log(project, lang, Some(&spec.name), Some(&r.id))?;
    Ok(Detail {
        row: Row::of(&spec.name, r, &*roles(&spec)?),
        previous: r.previous.clone(),
        author: r.author.clone(),
        who: r.who.clone(),
        when: r.when.clone(),
        headings: item.headings,
        history: log.events,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Action;
    use crate::store::record::Origin;

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        crate::project::init(dir.path(), "zh", &["en".into()]).unwrap();
        let p = Project::open(dir.path()).unwrap();
        std::fs::write(
            p.source_dir().join("a.txt"),
            "一、总论\n甲。乙。\n二、分论\n丙。\n",
        )
        .unwrap();
        std::fs::write(p.source_dir().join("b.txt"), "丁。\n").unwrap();
        (dir, p)
    }

    fn roles(project: &Project) -> impl Fn(&DocumentSpec) -> Result<Arc<Roles>, WorkError> + '_ {
        |spec| Roles::of_document(project, spec).map(Arc::new)
    }

    fn refs(page: &Page) -> Vec<String> {
        page.items
            .iter()
            .map(|r| format!("{} {}", r.doc, r.r#ref))
            .collect()
    }

    #[test]
    fn pages_count_every_match_and_cut_one_page() {
        let (_dir, p) = project();
        let all = segments(&p, "en", &Filter::default(), &roles(&p)).unwrap();
        assert_eq!(all.total, 6);
        assert_eq!(all.items[0].role, Some("heading"));
        assert_eq!(all.items[1].role, Some("paragraph"));
        let page = Filter {
            offset: 2,
            limit: 3,
            ..Filter::default()
        };
        let page = segments(&p, "en", &page, &roles(&p)).unwrap();
        assert_eq!((page.total, page.offset), (6, 2));
        assert_eq!(refs(&page), ["a 1¶1.2", "a 2¶0.1", "a 2¶1.1"]);
    }

    #[test]
    fn filters_by_document_section_state_and_text() {
        let (_dir, p) = project();
        let a = p.document("a").unwrap();
        let edit = Action::Edit {
            target: "Beta.",
            state: None,
        };
        store::apply_one(
            &p,
            &a,
            "en",
            "1¶1.2",
            &edit,
            None,
            "ana",
            Some(Origin::Human),
        )
        .unwrap();
        let of = |f: Filter| refs(&segments(&p, "en", &f, &roles(&p)).unwrap());
        let doc = Filter {
            doc: Some("b".into()),
            ..Filter::default()
        };
        let b = of(doc);
        assert!(b.len() == 1 && b[0].starts_with("b "), "{b:?}");
        let section = Filter {
            section: Some("2".into()),
            ..Filter::default()
        };
        assert_eq!(of(section), ["a 2¶0.1", "a 2¶1.1"]);
        let translated = Filter {
            state: Some(State::Translated),
            ..Filter::default()
        };
        assert_eq!(of(translated), ["a 1¶1.2"]);
        let open = Filter {
            open: true,
            ..Filter::default()
        };
        assert_eq!(of(open).len(), 5);
        let text = Filter {
            q: Some("BETA".into()),
            ..Filter::default()
        };
        assert_eq!(of(text), ["a 1¶1.2"]);
        let source = Filter {
            q: Some("丙".into()),
            ..Filter::default()
        };
        assert_eq!(of(source), ["a 2¶1.1"]);
        let nowhere = Filter {
            section: Some("9".into()),
            ..Filter::default()
        };
        let e = segments(&p, "en", &nowhere, &roles(&p)).unwrap_err();
        assert!(e.to_string().contains("no document has segment 9"), "{e}");
        assert!(segments(&p, "de", &Filter::default(), &roles(&p)).is_err());
    }

    #[test]
    fn a_segment_comes_with_its_headings_and_history() {
        let (_dir, p) = project();
        let a = p.document("a").unwrap();
        let edit = Action::Edit {
            target: "Beta.",
            state: None,
        };
        store::apply_one(
            &p,
            &a,
            "en",
            "1¶1.2",
            &edit,
            None,
            "ana",
            Some(Origin::Human),
        )
        .unwrap();
        let d = segment(&p, "en", None, "1¶1.2", &roles(&p)).unwrap();
        assert_eq!(
            (d.row.target.as_str(), d.row.state),
            ("Beta.", State::Translated)
        );
        assert_eq!(d.headings[0].source, "一、总论");
        assert_eq!(d.history.len(), 1);
        assert_eq!(d.history[0].new.as_deref(), Some("Beta."));
        assert_eq!(d.author.as_deref(), Some("ana"));
    }
}
