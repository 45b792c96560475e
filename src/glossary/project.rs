//! The glossary of a project: what `duiyi glossary` does with the project's documents, stores
//! and files, so that every face asks the same questions the same way.
//!
//! The rest of the module works on plain strings and files; this file is where it meets the
//! project: [`hits`] (terms in a document, a section or a segment), [`candidates`] (terms to
//! add, the known ones left out), [`check_project`] (the project's translations, or a pairs
//! file read by [`read_pairs`]), and the interchange files by [`Format`] ([`import_file`],
//! [`export`]).

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::Serialize;

use super::{
    Candidate, Change, ExtractOptions, Extractor, Finding, Glossary, GlossaryError, GlossaryStore,
    Matcher, Stamp, Status, Term,
};
use crate::project::{Project, ReviewSettings};
use crate::segment::Document;
use crate::store::{Store, StoreError};

/// The project's glossary folder.
pub fn store_of(project: &Project) -> GlossaryStore {
    GlossaryStore::new(project.glossary_dir())
}

/// A reviewer's decision on a glossary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision<'a> {
    /// Approve a proposed rendering; `replace` deprecates the approved one in the same step.
    Approve {
        /// Deprecate the current approved rendering.
        replace: bool,
    },
    /// Reject a proposed rendering.
    Reject,
    /// Deprecate an approved rendering.
    Deprecate,
    /// Record a forbidden variant on the approved rendering.
    Forbid {
        /// The variant that must not be used.
        variant: &'a str,
    },
}

impl Decision<'_> {
    /// The verb, as the journal and messages say it.
    pub fn name(self) -> &'static str {
        match self {
            Decision::Approve { .. } => "approve",
            Decision::Reject => "reject",
            Decision::Deprecate => "deprecate",
            Decision::Forbid { .. } => "forbid",
        }
    }
}

/// Whether `who` may take decisions on glossary entries: terminology is governed like
/// segments, by the project's reviewers (`[review] reviewers` in duiyi.toml; anyone when the
/// list is absent). Who proposed a rendering may not approve it themselves unless
/// `self_review` is set (`proposer`: the entry's `by` while it is proposed).
pub fn permitted(
    settings: &ReviewSettings,
    decision: Decision<'_>,
    who: &str,
    proposer: Option<&str>,
) -> Result<(), GlossaryError> {
    let refuse = |rule: String, hint: String| GlossaryError::NotPermitted {
        who: who.to_string(),
        action: decision.name(),
        rule,
        hint,
    };
    if let Some(reviewers) = &settings.reviewers
        && !reviewers.iter().any(|r| r == who)
    {
        let listed = if reviewers.is_empty() {
            "none are listed".to_string()
        } else {
            reviewers.join(", ")
        };
        return Err(refuse(
            format!("only the project's reviewers decide on terminology ({listed})"),
            format!(
                "propose with `duiyi glossary add` and ask one of them, or add {who:?} to `reviewers` under [review] in duiyi.toml"
            ),
        ));
    }
    if matches!(decision, Decision::Approve { .. })
        && !settings.self_review
        && proposer == Some(who)
    {
        return Err(refuse(
            format!("{who} proposed this rendering, and nobody approves their own proposal"),
            "ask another reviewer; a one-person project sets `self_review = true` under [review] in duiyi.toml".into(),
        ));
    }
    Ok(())
}

/// Takes `decision` on the entries of `lang` named by `keys` (ids or source terms; `target`
/// narrows a single key to one rendering) as `stamp.by`, under the project's review rules
/// ([`permitted`]): all of them or, when one is refused, none. Journaled like every glossary
/// change.
pub fn decide(
    project: &Project,
    lang: &str,
    keys: &[&str],
    target: Option<&str>,
    decision: Decision<'_>,
    note: Option<&str>,
    stamp: &Stamp,
) -> Result<Vec<Change>, GlossaryError> {
    project
        .target(lang)
        .map_err(|e| GlossaryError::Invalid(e.to_string()))?;
    if keys.is_empty() {
        return Err(GlossaryError::Invalid("no entry named".into()));
    }
    if target.is_some() && keys.len() > 1 {
        return Err(GlossaryError::Invalid(
            "--target narrows one entry; name several entries by id instead".into(),
        ));
    }
    let settings = &project.config().review;
    store_of(project).update(lang, |g| {
        let prefer = match decision {
            Decision::Approve { .. } | Decision::Reject => Status::Proposed,
            Decision::Deprecate | Decision::Forbid { .. } => Status::Approved,
        };
        let mut changes = Vec::new();
        for key in keys {
            let entry = g.entry(key, target, Some(prefer))?;
            let proposer = (entry.status == Status::Proposed).then_some(entry.by.as_str());
            permitted(settings, decision, &stamp.by, proposer)?;
            match decision {
                Decision::Approve { replace } => {
                    changes.extend(g.approve(key, target, replace, note, stamp)?);
                }
                Decision::Reject => changes.extend(g.reject(key, target, note, stamp)?),
                Decision::Deprecate => changes.extend(g.deprecate(key, target, note, stamp)?),
                Decision::Forbid { variant } => changes.push(g.forbid(key, variant, stamp)?),
            }
        }
        Ok(changes)
    })
}

/// A glossary term found in a segment (`duiyi glossary hits`). Offsets count characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermHit {
    /// The document.
    pub doc: String,
    /// The segment's ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The segment's id.
    pub segment: String,
    /// The glossary's source term.
    pub term: String,
    /// The text as it stands in the segment (a variant, another width).
    pub text: String,
    /// Where it starts, in characters.
    pub start: usize,
    /// Where it ends, in characters.
    pub end: usize,
    /// Inside or overlapping a longer hit (only with `all`).
    pub nested: bool,
    /// The term's renderings in the language asked for, rejected ones left out.
    pub renderings: Vec<TermRendering>,
}

/// One rendering of a term hit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermRendering {
    /// The entry's id.
    pub id: String,
    /// The rendering.
    pub target: String,
    /// Its status.
    pub status: Status,
}

/// What [`hits`] found.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    /// The hits, in document and text order.
    pub hits: Vec<TermHit>,
    /// How many documents were searched.
    pub documents: usize,
}

/// The hits as `duiyi glossary hits` prints them, one a line: (document,) ref, the text
/// found, and the renderings with their status.
impl fmt::Display for Hits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for hit in &self.hits {
            if self.documents > 1 {
                write!(f, "{} ", hit.doc)?;
            }
            let renderings: Vec<String> = hit
                .renderings
                .iter()
                .map(|r| format!("{} ({})", r.target, r.status))
                .collect();
            let nested = if hit.nested { " (nested)" } else { "" };
            writeln!(
                f,
                "{}  {}{nested}  → {}",
                hit.r#ref,
                hit.text,
                renderings.join("; ")
            )?;
        }
        Ok(())
    }
}

/// A glossary entry with its language: a row of `duiyi glossary list` and `show`. Its JSON
/// form is the entry's id, its language, then the [`Term`]'s fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The entry's id.
    pub id: String,
    /// The glossary's language.
    pub lang: String,
    /// The entry.
    #[serde(flatten)]
    pub term: Term,
}

impl Entry {
    fn of(lang: &str, term: &Term) -> Self {
        Self {
            id: term.id(),
            lang: lang.to_string(),
            term: term.clone(),
        }
    }
}

/// An entry as one line: id, language, status, source → target, comment, forbidden variants.
impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.term;
        write!(
            f,
            "{}  {}  {:<10}  {} → {}",
            self.id,
            self.lang,
            t.status.as_str(),
            t.source,
            t.target
        )?;
        if !t.comment.is_empty() {
            write!(f, "  ({})", t.comment)?;
        }
        if !t.forbidden.is_empty() {
            write!(f, "  forbidden: {}", t.forbidden.join(" | "))?;
        }
        Ok(())
    }
}

/// The entries of the glossary of `lang` (every glossary when `None`) that `filter` lets
/// through (`duiyi glossary list`).
pub fn list(
    store: &GlossaryStore,
    lang: Option<&str>,
    filter: &super::Filter,
) -> Result<Vec<Entry>, GlossaryError> {
    Ok(store
        .load_all(lang)?
        .iter()
        .flat_map(|g| g.list(filter).into_iter().map(|t| Entry::of(g.lang(), t)))
        .collect())
}

/// The glossary terms in the segments `what` names: a document name (its every segment), a
/// ref (`3.2¶4.1`, `3.2`, `toc`) or a segment id, in the document `doc` names or in every
/// document that has it; every segment of every document when `what` is `None`. Renderings are
/// those of `lang` (default: the project's first target language). Without `all` hits are
/// leftmost-longest; with it nested and overlapping terms too.
pub fn hits(
    project: &Project,
    what: Option<&str>,
    doc: Option<&str>,
    lang: Option<&str>,
    all: bool,
) -> Result<Hits, GlossaryError> {
    let lang = match lang {
        Some(lang) => lang.to_string(),
        None => project
            .target_languages()
            .first()
            .map(ToString::to_string)
            .ok_or_else(|| GlossaryError::Invalid("the project has no target language".into()))?,
    };
    let glossary = store_of(project).load(&lang)?;
    let matcher = Matcher::for_glossary(&glossary)?;
    // A document name selects that document; anything else is a ref or id.
    let (doc, selector) = match what {
        Some(w) if doc.is_none() && project.document(w).is_ok() => (Some(w), None),
        Some(w) => (doc, Some(w)),
        None => (doc, None),
    };
    let docs = documents(project, doc)?;
    let mut found = Hits {
        hits: Vec::new(),
        documents: docs.len(),
    };
    let mut resolved = selector.is_none();
    for document in &docs {
        let views = match selector {
            None => document.segments().collect(),
            Some(s) => match document.resolve(s) {
                Ok(views) => {
                    resolved = true;
                    views
                }
                Err(_) if docs.len() > 1 => continue,
                Err(e) => return Err(store_error(e.into())),
            },
        };
        for view in views {
            let at = Place {
                doc: &document.name,
                r#ref: &view.r#ref().to_string(),
                id: view.segment.id.as_str(),
            };
            push_hits(&glossary, &matcher, &at, view.text(), all, &mut found.hits);
        }
    }
    if !resolved {
        return Err(GlossaryError::Invalid(format!(
            "{:?} is neither a document nor a segment of one",
            selector.unwrap_or_default()
        )));
    }
    Ok(found)
}

/// Where a text being searched for terms stands.
struct Place<'a> {
    doc: &'a str,
    r#ref: &'a str,
    id: &'a str,
}

fn push_hits(
    glossary: &Glossary,
    matcher: &Matcher,
    at: &Place<'_>,
    text: &str,
    all: bool,
    out: &mut Vec<TermHit>,
) {
    let terms = if all {
        matcher.find_all(text)
    } else {
        matcher.find(text)
    };
    for hit in terms {
        let term = matcher.term(hit.term);
        out.push(TermHit {
            doc: at.doc.to_string(),
            r#ref: at.r#ref.to_string(),
            segment: at.id.to_string(),
            term: term.to_string(),
            text: text[hit.start..hit.end].to_string(),
            start: text[..hit.start].chars().count(),
            end: text[..hit.end].chars().count(),
            nested: hit.nested,
            renderings: renderings(glossary, term),
        });
    }
}

/// The glossary terms of `lang` in one segment's source `text` (segment `id`, ref `ref` of the
/// document `doc`), nested and overlapping ones too, with their renderings (rejected ones left
/// out; a deprecated one is a rendering to avoid): what the workbench underlines in a segment
/// without segmenting its document.
pub fn hits_in_segment(
    project: &Project,
    lang: &str,
    doc: &str,
    r#ref: &str,
    id: &str,
    text: &str,
) -> Result<Vec<TermHit>, GlossaryError> {
    let glossary = store_of(project).load(lang)?;
    let matcher = Matcher::for_glossary(&glossary)?;
    let mut out = Vec::new();
    push_hits(
        &glossary,
        &matcher,
        &Place { doc, r#ref, id },
        text,
        true,
        &mut out,
    );
    Ok(out)
}

fn renderings(glossary: &Glossary, term: &str) -> Vec<TermRendering> {
    glossary
        .by_source(term)
        .filter(|t| t.status != Status::Rejected)
        .map(|t| TermRendering {
            id: t.id(),
            target: t.target.clone(),
            status: t.status,
        })
        .collect()
}

/// The documents `doc` names (every one when `None`), segmented; at least one.
fn documents(project: &Project, doc: Option<&str>) -> Result<Vec<Document>, GlossaryError> {
    project
        .load_documents(doc)
        .map_err(|e| store_error(e.into()))
}

fn store_error(e: StoreError) -> GlossaryError {
    GlossaryError::Store(Box::new(e))
}

/// Every source term and variant of every glossary of the project: what is known already.
pub fn known_terms(store: &GlossaryStore) -> Result<HashSet<String>, GlossaryError> {
    let mut known = HashSet::new();
    for g in store.load_all(None)? {
        for t in g.terms() {
            known.insert(t.source.clone());
            known.extend(t.variants.iter().cloned());
        }
    }
    Ok(known)
}

/// Candidate terms from the document `doc` names (every document when `None`), ranked by
/// evidence, with every term of the project's glossaries left out (`duiyi glossary extract`).
/// Examples are refs, prefixed with the document (`doc:ref`) when there are several.
pub fn candidates(
    project: &Project,
    doc: Option<&str>,
    options: &ExtractOptions,
) -> Result<Vec<Candidate>, GlossaryError> {
    let docs = documents(project, doc)?;
    let known = known_terms(&store_of(project))?;
    let mut extractor = Extractor::new();
    extractor.add_terms(known.iter().map(String::as_str));
    let many = docs.len() > 1;
    let segments: Vec<(String, &str)> = docs
        .iter()
        .flat_map(|d| {
            d.segments().map(move |s| {
                let reference = if many {
                    format!("{}:{}", d.name, s.r#ref())
                } else {
                    s.r#ref().to_string()
                };
                (reference, s.text())
            })
        })
        .collect();
    Ok(extractor.extract(&segments, &known, options))
}

/// A (ref, source, target) triple to check.
pub type Pair = (String, String, String);

/// Reads a pairs file for `duiyi glossary check --pairs`: tab-separated ref, source and target,
/// one segment per line; blank lines are skipped, a line with another number of columns is an
/// error naming it.
pub fn read_pairs(path: &Path) -> Result<Vec<Pair>, GlossaryError> {
    let text = std::fs::read_to_string(path).map_err(|source| GlossaryError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_pairs(path, &text)
}

fn parse_pairs(path: &Path, text: &str) -> Result<Vec<Pair>, GlossaryError> {
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [reference, source, target] = fields.as_slice() else {
            return Err(GlossaryError::malformed_at(
                path,
                i + 1,
                format!(
                    "expected 3 tab-separated columns (ref, source, target), found {}",
                    fields.len()
                ),
            ));
        };
        pairs.push((
            (*reference).to_string(),
            (*source).to_string(),
            (*target).to_string(),
        ));
    }
    Ok(pairs)
}

/// The (ref, source, target) of every current segment of `lang` in the project's documents,
/// from the stores.
pub fn translated_pairs(project: &Project, lang: &str) -> Result<Vec<Pair>, GlossaryError> {
    let mut pairs = Vec::new();
    let specs = project.documents().map_err(|e| store_error(e.into()))?;
    for spec in specs {
        let store = Store::open(project, &spec, lang).map_err(store_error)?;
        pairs.extend(
            store
                .live()
                .map(|r| (r.r#ref.clone(), r.source.clone(), r.target.clone())),
        );
    }
    Ok(pairs)
}

/// Checks the translations into `lang` against its glossary (`duiyi glossary check`): the
/// pairs file at `pairs` when given, else the project's stores.
pub fn check_project(
    project: &Project,
    lang: &str,
    pairs: Option<&Path>,
) -> Result<Vec<Finding>, GlossaryError> {
    project.target(lang).map_err(|e| store_error(e.into()))?;
    let pairs = match pairs {
        Some(path) => read_pairs(path)?,
        None => translated_pairs(project, lang)?,
    };
    let glossary = store_of(project).load(lang)?;
    super::check(
        &glossary,
        pairs
            .iter()
            .map(|(r, s, t)| (r.as_str(), s.as_str(), t.as_str())),
    )
}

/// The interchange formats of `duiyi glossary import` and `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The glossary file's own layout (OmegaT-compatible TSV).
    Tsv,
    /// Comma-separated values with the same columns.
    Csv,
    /// TBX-Basic (TBX v2 out; v2 and v3 in).
    Tbx,
}

impl Format {
    /// The format a file name says, if it says one.
    pub fn of_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "tsv" | "txt" | "tab" | "utf8" => Some(Format::Tsv),
            "csv" => Some(Format::Csv),
            "tbx" | "xml" => Some(Format::Tbx),
            _ => None,
        }
    }
}

/// What [`import_file`] did.
#[derive(Debug, Clone)]
pub struct Imported {
    /// Entries read from the file.
    pub read: usize,
    /// The entries that are new or changed.
    pub changes: Vec<Change>,
    /// Entries the file records as decided (approved, rejected, deprecated) that came in as
    /// proposed, because the importer may not decide on terminology.
    pub proposed: usize,
}

/// Imports the file at `path` into the glossary of `lang` (merged, journaled, all or nothing),
/// in `format` or the one its name says.
pub fn import_file(
    project: &Project,
    path: &Path,
    lang: &str,
    format: Option<Format>,
    stamp: &Stamp,
) -> Result<Imported, GlossaryError> {
    let format = format.or_else(|| Format::of_path(path)).ok_or_else(|| {
        GlossaryError::Invalid(format!(
            "cannot tell the format of {} from its extension; pass --format tsv|csv|tbx",
            path.display()
        ))
    })?;
    let imported = match format {
        Format::Tsv => super::tsv::read(path, lang)?,
        Format::Csv => super::csv::read(path, lang)?,
        Format::Tbx => super::tbx::read(path, lang, project.source_language())?,
    };
    if imported.is_empty() {
        return Err(GlossaryError::Invalid(format!(
            "{} has no {lang} entries; nothing imported",
            path.display()
        )));
    }
    // The importer answers for what comes in: every entry is theirs. Decisions the file
    // records (approved, rejected, deprecated) are kept only when the importer may take them;
    // otherwise those entries come in as proposals for a reviewer.
    let may_decide = permitted(
        &project.config().review,
        Decision::Approve { replace: false },
        &stamp.by,
        None,
    )
    .is_ok();
    let mut proposed = 0;
    let terms: Vec<Term> = imported
        .terms()
        .iter()
        .cloned()
        .map(|mut t| {
            if !may_decide && t.status != Status::Proposed {
                t.status = Status::Proposed;
                proposed += 1;
            }
            t.by.clone_from(&stamp.by);
            t.at.clone_from(&stamp.at);
            t
        })
        .collect();
    let changes = store_of(project).update(lang, |g| g.import(terms, stamp))?;
    Ok(Imported {
        read: imported.len(),
        changes,
        proposed,
    })
}

/// The glossary of `lang` in `format`, with how many entries it has.
pub fn export(
    project: &Project,
    lang: &str,
    format: Format,
) -> Result<(String, usize), GlossaryError> {
    let g = store_of(project).load(lang)?;
    let text = match format {
        Format::Tsv => super::tsv::render(&g)?,
        Format::Csv => super::csv::render(&g)?,
        Format::Tbx => super::tbx::render(&g, project.source_language())?,
    };
    Ok((text, g.len()))
}

/// Every entry that `key` (an id, a source term or variant) names, in the glossary of `lang`
/// or every glossary (`duiyi glossary show`); none is an error.
pub fn entries(
    store: &GlossaryStore,
    key: &str,
    lang: Option<&str>,
) -> Result<Vec<Entry>, GlossaryError> {
    let rows: Vec<Entry> = store
        .load_all(lang)?
        .iter()
        .flat_map(|g| g.find(key).into_iter().map(|t| Entry::of(g.lang(), t)))
        .collect();
    if rows.is_empty() {
        return Err(GlossaryError::NotFound {
            key: key.to_string(),
            lang: lang.unwrap_or("any language").to_string(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        crate::project::init(dir.path(), "zh", &["en".into()]).unwrap();
        let p = Project::open(dir.path()).unwrap();
        std::fs::write(
            p.source_dir().join("a.txt"),
            "一、南南合作\n中国支持南南合作援助基金。\n",
        )
        .unwrap();
        std::fs::write(p.source_dir().join("b.txt"), "一带一路。\n").unwrap();
        let stamp = Stamp::now("ana");
        let store = store_of(&p);
        for (source, target) in [
            ("南南合作", "South-South cooperation"),
            (
                "南南合作援助基金",
                "South-South Cooperation Assistance Fund",
            ),
        ] {
            let term = Term::proposed(source, target, "", "ana", &stamp.at);
            store
                .update("en", |g| Ok(vec![g.add(term, &stamp)?]))
                .unwrap();
        }
        (dir, p)
    }

    #[test]
    fn hits_resolve_documents_refs_and_offsets() {
        let (_dir, p) = project();
        let found = hits(&p, Some("a"), None, None, false).unwrap();
        assert_eq!(found.documents, 1);
        let refs: Vec<_> = found
            .hits
            .iter()
            .map(|h| (h.r#ref.as_str(), h.term.as_str()))
            .collect();
        assert_eq!(refs, [("1¶0.1", "南南合作"), ("1¶1.1", "南南合作援助基金")]);
        let hit = &found.hits[1];
        assert_eq!((hit.start, hit.end), (4, 12));
        assert_eq!(hit.renderings[0].status, Status::Proposed);
        // Nested terms only when asked; a ref only one document has needs no document.
        let nested = hits(&p, Some("1¶1.1"), None, Some("en"), true).unwrap();
        assert_eq!(nested.hits.len(), 2);
        assert!(nested.hits.iter().any(|h| h.nested));
        let e = hits(&p, Some("9¶9.9"), None, None, false).unwrap_err();
        assert!(e.to_string().contains("neither a document"), "{e}");
    }

    #[test]
    fn candidates_leave_known_terms_out() {
        let (_dir, p) = project();
        let known = known_terms(&store_of(&p)).unwrap();
        assert!(known.contains("南南合作"));
        let options = ExtractOptions {
            min_count: 1,
            ..ExtractOptions::default()
        };
        let found = candidates(&p, None, &options).unwrap();
        assert!(found.iter().all(|c| !known.contains(&c.phrase)));
    }

    #[test]
    fn pairs_files_name_the_bad_line() {
        let path = Path::new("pairs.tsv");
        let pairs = parse_pairs(path, "1¶1.1\t中国。\tChina.\n\n2¶1.1\t甲。\tA.\n").unwrap();
        assert_eq!(pairs.len(), 2);
        let e = parse_pairs(path, "1¶1.1\t中国。\tChina.\n2¶1.1\tonly two\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("pairs.tsv:2: expected 3 tab-separated columns"),
            "{e}"
        );
    }

    #[test]
    fn formats_come_from_the_file_name() {
        assert_eq!(Format::of_path(Path::new("x.TBX")), Some(Format::Tbx));
        assert_eq!(Format::of_path(Path::new("x.tab")), Some(Format::Tsv));
        assert_eq!(Format::of_path(Path::new("x.xlsx")), None);
        let (_dir, p) = project();
        let e =
            import_file(&p, Path::new("terms.xlsx"), "en", None, &Stamp::now("ana")).unwrap_err();
        assert!(e.to_string().contains("--format"), "{e}");
        let rows = entries(&store_of(&p), "南南合作", None).unwrap();
        assert_eq!(rows.len(), 1);
        assert!(entries(&store_of(&p), "无", Some("en")).is_err());
    }

    #[test]
    fn only_reviewers_decide_and_never_on_their_own_proposal() {
        let team = ReviewSettings {
            reviewers: Some(vec!["li".into(), "wang".into()]),
            self_review: false,
        };
        let approve = Decision::Approve { replace: false };
        assert!(permitted(&team, approve, "wang", Some("li")).is_ok());
        let not_reviewer = permitted(&team, Decision::Reject, "ana", None).unwrap_err();
        assert!(not_reviewer.is_refusal());
        assert!(
            not_reviewer.to_string().contains("(li, wang)"),
            "{not_reviewer}"
        );
        let own = permitted(&team, approve, "li", Some("li")).unwrap_err();
        assert!(
            own.to_string()
                .contains("nobody approves their own proposal"),
            "{own}"
        );
        // Rejecting one's own proposal withdraws it: allowed.
        assert!(permitted(&team, Decision::Reject, "li", Some("li")).is_ok());
        let solo = ReviewSettings {
            reviewers: None,
            self_review: true,
        };
        assert!(permitted(&solo, approve, "ana", Some("ana")).is_ok());
        let open = ReviewSettings::default();
        assert!(permitted(&open, approve, "ana", Some("ana")).is_err());
        assert!(permitted(&open, approve, "ana", Some("li")).is_ok());
    }
}
