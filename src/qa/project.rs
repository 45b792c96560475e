//! `duiyi check` on a project: the items of a language's documents, the checks its settings
//! ask for, the reviewer's acceptances, and the findings.
//!
//! The records come from the translation store (which does not segment a document whose source
//! is unchanged); the segmentation is consulted only when the structure check runs, for roles,
//! heading styles, inline references and TOC links. All documents of the language are checked
//! together, so consistency spans documents.

use rustc_hash::FxHashMap;

use super::accepted::{self, Accepted};
use super::check_numbers::Numbers;
use super::consistency::Consistency;
use super::invisible::Invisible;
use super::length::Length;
use super::punctuation::{Punctuation, TitleStyle};
use super::structure::{Scheme, Structure};
use super::terms::Terms;
use super::untranslated::Untranslated;
use super::{CHECKS, Check, Finding, Item, QaError};
use crate::glossary::{GlossaryStore, Status};
use crate::lang::Lang;
use crate::project::{Project, QaSettings};
use crate::segment::Document;
use crate::store::{self, Store, StoreError};

/// What `duiyi check` found.
#[derive(Debug)]
pub struct Report {
    /// The findings not accepted, in document order then check order.
    pub findings: Vec<Finding>,
    /// How many segments were checked.
    pub segments: usize,
    /// Things the user should know (a check that does not apply to the language).
    pub notes: Vec<String>,
}

/// Validates check names (`--only`), returning them in [`CHECKS`] order; empty means all but
/// those `[qa] skip` lists.
pub fn select(only: &[String], settings: &QaSettings) -> Result<Vec<&'static str>, QaError> {
    for name in only.iter().chain(&settings.skip) {
        if !CHECKS.contains(&name.as_str()) {
            return Err(QaError::UnknownCheck(name.clone()));
        }
    }
    Ok(CHECKS
        .into_iter()
        .filter(|c| {
            if only.is_empty() {
                !settings.skip.iter().any(|s| s == c)
            } else {
                only.iter().any(|o| o == c)
            }
        })
        .collect())
}

/// Builds the named checks for `lang`.
pub fn build(
    project: &Project,
    lang: &str,
    names: &[&'static str],
    notes: &mut Vec<String>,
) -> Result<Vec<Box<dyn Check>>, QaError> {
    let settings = &project.config().qa;
    let glossary = GlossaryStore::new(project.glossary_dir()).load(lang)?;
    let mut checks: Vec<Box<dyn Check>> = Vec::new();
    for name in names {
        match *name {
            "numbers" => match Numbers::new(lang) {
                Some(c) => checks.push(Box::new(c)),
                None => notes.push(format!(
                    "numbers: the conventions of {lang} are not known (en, fr are); not checked"
                )),
            },
            "terms" => checks.push(Box::new(Terms::new(&glossary)?)),
            "untranslated" => checks.push(Box::new(Untranslated::new(
                lang,
                glossary
                    .terms()
                    .iter()
                    .filter(|t| t.status == Status::Approved)
                    .map(|t| t.target.as_str()),
            ))),
            "consistency" => checks.push(Box::<Consistency>::default()),
            "punctuation" => checks.push(Box::new(Punctuation::new(
                lang,
                TitleStyle::parse(&settings.titles)?,
                settings.curly_quotes,
            ))),
            "structure" => checks.push(Box::new(Structure::new(
                lang,
                Scheme::parse("cn_comma", &settings.cn_comma)?,
                Scheme::parse("cn_paren", &settings.cn_paren)?,
            ))),
            "length" => checks.push(Box::new(Length::new(
                settings.length_ratio,
                settings.length_tolerance,
                settings.length_min_samples,
            ))),
            "invisible" => checks.push(Box::new(Invisible)),
            other => return Err(QaError::UnknownCheck(other.to_string())),
        }
    }
    Ok(checks)
}

/// Checks the translations into `lang` of the document `doc` (default: all documents).
pub fn check(
    project: &Project,
    lang: &str,
    doc: Option<&str>,
    only: &[String],
) -> Result<Report, QaError> {
    project.target(lang).map_err(StoreError::from)?;
    let names = select(only, &project.config().qa)?;
    let specs = project.select_documents(doc).map_err(StoreError::from)?;
    let need_structure = names.contains(&"structure");
    let rules = if need_structure {
        Some(project.rules().map_err(StoreError::from)?)
    } else {
        None
    };
    let mut notes = Vec::new();
    // The structure check needs the segmentation, which the store does not keep: the documents
    // are segmented on another thread while this one reads the stores and compiles the checks.
    // (A store whose source changed segments the document itself; that copy is then used.)
    let (stores, documents, mut checks, accepted) = std::thread::scope(|s| {
        let segmented = rules.as_ref().map(|rules| {
            let specs = &specs;
            s.spawn(move || {
                specs
                    .iter()
                    .map(|spec| project.load(spec, rules))
                    .collect::<Vec<_>>()
            })
        });
        let stores = specs
            .iter()
            .map(|spec| Store::open(project, spec, lang))
            .collect::<Result<Vec<_>, _>>();
        let checks = build(project, lang, &names, &mut notes);
        let accepted = Accepted::read(&accepted::path(&project.translations_dir(lang)));
        let segmented =
            segmented.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        let stores = stores?;
        let mut documents: Vec<Option<Document>> = Vec::with_capacity(stores.len());
        let mut loaded = segmented.map(Vec::into_iter);
        for store in &stores {
            let mine = loaded.as_mut().and_then(Iterator::next);
            documents.push(match (mine, store.document()) {
                (None, _) => None,
                (Some(_), Some(d)) => Some(d.clone()),
                (Some(d), None) => Some(d.map_err(StoreError::from)?),
            });
        }
        Ok::<_, QaError>((stores, documents, checks?, accepted?))
    })?;
    let mut items = Vec::new();
    for (store, document) in stores.iter().zip(&documents) {
        notes.extend(store.warnings().iter().map(ToString::to_string));
        items_of(store, document.as_ref(), &mut items);
    }
    let quiet = |item: &Item<'_>, check: &str| {
        accepted.covers(item.doc, item.id, check, item.source, item.target)
    };
    let findings = super::run(&mut checks, &items, &quiet);
    Ok(Report {
        findings,
        segments: items.len(),
        notes,
    })
}

/// The checks that compare a segment with the rest of its language, which one segment alone
/// cannot run: [`check_record`] leaves them to `duiyi check`.
const ACROSS: [&str; 2] = ["consistency", "length"];

/// The findings of the project's checks (`[qa]` settings and the reviewer's acceptances
/// honoured) on the record at `at` of `store`, as it reads now: what the workbench shows
/// after a save. The checks that compare across the language (consistency, length) are left
/// to `duiyi check`; the structure check sees no roles (the store is not segmented again).
pub fn check_record(project: &Project, store: &Store, at: usize) -> Result<Vec<Finding>, QaError> {
    let lang = store.lang();
    let names: Vec<&'static str> = select(&[], &project.config().qa)?
        .into_iter()
        .filter(|n| !ACROSS.contains(n))
        .collect();
    let mut notes = Vec::new();
    let mut checks = build(project, lang, &names, &mut notes)?;
    let accepted = Accepted::read(&accepted::path(&project.translations_dir(lang)))?;
    let Some(r) = store.records().get(at).filter(|r| !r.obsolete) else {
        return Ok(Vec::new());
    };
    let item = Item {
        doc: store.doc(),
        r#ref: &r.r#ref,
        id: &r.id,
        source: &r.source,
        target: &r.target,
        ..Item::default()
    };
    let quiet = |item: &Item<'_>, check: &str| {
        accepted.covers(item.doc, item.id, check, item.source, item.target)
    };
    Ok(super::run(&mut checks, std::slice::from_ref(&item), &quiet))
}

/// The items of one store, with what the document says about each segment when given.
pub fn items_of<'a>(store: &'a Store, document: Option<&'a Document>, out: &mut Vec<Item<'a>>) {
    let mut at: FxHashMap<&str, (usize, usize)> = FxHashMap::default();
    if let Some(d) = document {
        for (u, unit) in d.units.iter().enumerate() {
            for (s, seg) in unit.segments.iter().enumerate() {
                at.insert(seg.id.as_str(), (u, s));
            }
        }
    }
    for r in store.live() {
        let mut item = Item {
            doc: store.doc(),
            r#ref: &r.r#ref,
            id: &r.id,
            source: &r.source,
            target: &r.target,
            ..Item::default()
        };
        if let (Some(d), Some(&(u, s))) = (document, at.get(r.id.as_str())) {
            let unit = &d.units[u];
            let seg = &unit.segments[s];
            item.role = Some(unit.role);
            item.style = unit.style.as_deref();
            item.first = s == 0;
            item.references = unit
                .references
                .iter()
                .filter(|x| {
                    d.unit_text(unit)
                        .find(&x.text)
                        .is_some_and(|start| seg.range.contains(&start))
                })
                .collect();
            item.linked_target = unit
                .links_to
                .as_deref()
                .and_then(|id| store.get(id))
                .map(|h| h.target.as_str());
        }
        out.push(item);
    }
}

/// Records that `check` is wrong about the segment `what` in `lang` (default: the project's
/// only target language), as it reads now (see [`accepted`]), for the reason `note`. The
/// document is the one `doc` names, or found as [`store::locate`] finds it. Takes the
/// language's lock for the append. Returns the language and what was recorded.
#[allow(clippy::too_many_arguments)]
pub fn accept(
    project: &Project,
    doc: Option<&str>,
    lang: Option<&str>,
    what: &str,
    check: &str,
    note: &str,
    who: &str,
) -> Result<(Lang, accepted::Acceptance), QaError> {
    if !CHECKS.contains(&check) {
        return Err(QaError::UnknownCheck(check.to_string()));
    }
    if note.trim().is_empty() {
        return Err(QaError::NoReason);
    }
    let lang = project
        .target_or_only(lang)
        .map_err(StoreError::from)?
        .clone();
    let spec = &store::locate(project, doc, &lang, &[what])?;
    let lock = store::lock(project, &lang)?;
    let store = Store::open(project, spec, &lang)?;
    let record = &store.records()[store.find_one(what)?];
    let acceptance = accepted::Acceptance {
        doc: spec.name.clone(),
        id: record.id.clone(),
        r#ref: record.r#ref.clone(),
        check: check.to_string(),
        text: accepted::fingerprint(&record.source, &record.target),
        note: note.trim().to_string(),
        who: who.to_string(),
        when: crate::clock::now(),
    };
    accepted::append(
        &accepted::path(&project.translations_dir(&lang)),
        &acceptance,
    )?;
    drop(lock);
    Ok((lang, acceptance))
}
