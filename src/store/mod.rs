//! The translation store: per language and document, one record per segment, plus a journal.
//!
//! `translations/<lang>/<doc>.jsonl` holds the present ([`record`], read strictly by [`file`](mod@file)),
//! `translations/<lang>/history.jsonl` how it came to be ([`history`]). A store starts with a
//! header carrying the fingerprint of the source it was merged against: while the source is
//! unchanged the records *are* the segmentation (ids, refs, source text in order), so `status`
//! and `set` on half a million segments never segment the document again; when the source
//! changes, [`merge`] carries the translations over, as `msgmerge` does.
//!
//! Changes go through [`Store::apply`], which asks [`crate::review`] whether the transition is
//! allowed and journals it; [`Store::save`] needs the language's [`Lock`] as proof that the
//! whole read-modify-write is serialized against other processes.

pub mod exchange;
pub mod file;
pub mod history;
pub mod identity;
pub mod merge;
pub mod next;
pub mod record;
pub mod status;
pub mod workfile;

use std::path::{Path, PathBuf};

use crate::files::{self, FileError, Lock};
use crate::project::{DocumentSpec, Project, ProjectError};
use crate::review::{self, Action, ReviewError};
use crate::segment::{self, Document, SegmentError, Selector};
use history::Event;
use record::{FORMAT, Header, IdMap, Origin, State, Translation};

pub use identity::who;

/// Errors of the translation store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A line of a store or journal that cannot be read.
    #[error(
        "{}:{line}: {message}; fix or remove that line (nothing was changed)",
        .path.display()
    )]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Git conflict markers left in a store.
    #[error(
        "{}:{line}: git conflict marker; resolve the merge conflict in this file (keep one line per id), then run the command again (nothing was changed)",
        .path.display()
    )]
    Conflict {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
    },
    /// Two records with the same id.
    #[error(
        "{}:{line}: duplicate id {id} (first on line {first}); keep one of the two lines (nothing was changed)",
        .path.display()
    )]
    Duplicate {
        /// The file.
        path: PathBuf,
        /// The line of the second record.
        line: usize,
        /// The line of the first.
        first: usize,
        /// The id.
        id: String,
    },
    /// A store whose header names another document or language.
    #[error("{}: {message}", .path.display())]
    WrongStore {
        /// The file.
        path: PathBuf,
        /// What does not match.
        message: String,
    },
    /// A language that is not a target of the project.
    #[error(
        "{lang:?} is not a target language of this project (targets: {targets}); add it to `targets` in duiyi.toml"
    )]
    UnknownLanguage {
        /// The language asked for.
        lang: String,
        /// The project's targets.
        targets: String,
    },
    /// A ref or id that names no segment.
    #[error("{doc}: no segment {what}; run `duiyi segments {doc}` to list refs and ids")]
    NotFound {
        /// The document.
        doc: String,
        /// What was asked for.
        what: String,
    },
    /// A ref naming several segments where one is needed.
    #[error("{what} names {count} segments ({first} … {last}); name one, such as {first}")]
    Ambiguous {
        /// What was asked for.
        what: String,
        /// How many it names.
        count: usize,
        /// The first.
        first: String,
        /// The last.
        last: String,
    },
    /// A refused transition or bad text, with the segment.
    #[error("{ref}: {source}")]
    Review {
        /// The segment's ref.
        r#ref: String,
        /// Why.
        source: ReviewError,
    },
    /// A change to an obsolete record.
    #[error(
        "{id} is obsolete (its source was deleted); `duiyi restore LANG {id} --to REF` moves its translation to a current segment"
    )]
    Obsolete {
        /// The id.
        id: String,
    },
    /// Nobody to attribute a change to.
    #[error(
        "who is making this change? pass --as NAME, set DUIYI_USER, or set `git config user.name`"
    )]
    NoIdentity,
    /// A bilingual file (CSV, XLSX, working file) with a problem at a line or row.
    #[error("{}:{line}: {message}", .path.display())]
    Exchange {
        /// The file.
        path: PathBuf,
        /// 1-based line or row (0 when the whole file is concerned).
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// A file operation or lock failed.
    #[error(transparent)]
    File(#[from] FileError),
    /// Reading the project or its source failed.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// Segmenting failed, or a malformed ref.
    #[error(transparent)]
    Segment(#[from] SegmentError),
    /// A file system error.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl StoreError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The exit code: 1 for a refused transition (the command refused), 2 for everything else.
    pub fn code(&self) -> u8 {
        match self {
            StoreError::Review {
                source: ReviewError::Refused { .. },
                ..
            } => 1,
            _ => 2,
        }
    }
}

/// The store file of a document in a language.
pub fn store_path(project: &Project, lang: &str, doc: &str) -> PathBuf {
    project.translations_dir(lang).join(format!("{doc}.jsonl"))
}

/// The journal of a language.
pub fn history_path(project: &Project, lang: &str) -> PathBuf {
    project.translations_dir(lang).join("history.jsonl")
}

/// Checks that `lang` is a target language of the project.
pub fn check_language(project: &Project, lang: &str) -> Result<(), StoreError> {
    if project.target_languages().iter().any(|t| t == lang) {
        Ok(())
    } else {
        Err(StoreError::UnknownLanguage {
            lang: lang.to_string(),
            targets: project.target_languages().join(", "),
        })
    }
}

/// Takes the language's lock (bounded wait) for a read-modify-write of its stores and journal.
pub fn lock(project: &Project, lang: &str) -> Result<Lock, StoreError> {
    check_language(project, lang)?;
    let path = project.translations_dir(lang).join(".lock");
    Ok(Lock::acquire(&path, lock_wait())?)
}

fn lock_wait() -> std::time::Duration {
    std::env::var("DUIYI_LOCK_WAIT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(files::DEFAULT_LOCK_WAIT, std::time::Duration::from_millis)
}

/// The fingerprint of a document's source and segmentation settings (see [`Header`]).
pub fn fingerprint(project: &Project, spec: &DocumentSpec) -> Result<String, StoreError> {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    // The code and built-in rules that segment, not only the project's settings.
    h.update(&segment::SEGMENTER_REVISION.to_le_bytes());
    h.update(segment::rules::BUILTIN_RULES.as_bytes());
    let seg = &project.config().segmentation;
    h.update(toml::to_string(seg).unwrap_or_default().as_bytes());
    for rel in [&seg.rules, &seg.srx].into_iter().flatten() {
        let p = project.inside(rel)?;
        h.update(&std::fs::read(&p).map_err(|e| StoreError::io(&p, e))?);
    }
    let source = std::fs::read(&spec.path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            StoreError::Project(ProjectError::MissingSource {
                name: spec.name.clone(),
                path: spec.path.clone(),
            })
        } else {
            StoreError::io(&spec.path, e)
        }
    })?;
    h.update(&source);
    Ok(h.finalize().to_hex()[..32].to_string())
}

/// Positions by id (ids are 64-bit hex numbers, checked when read).
fn index_of(records: &[Translation]) -> IdMap<usize> {
    records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| record::id_key(&r.id).map(|k| (k, i)))
        .collect()
}

/// Applies one action to the one segment `what` names, doing as little as the store allows,
/// under the caller's lock. While the store is current, only the record's own line is parsed
/// and replaced and every other byte of the file is copied as it was (a 500,000-segment store
/// changes in well under the time a full load and rewrite takes); otherwise the store is
/// loaded, merged and saved as [`Store::open`] and [`Store::save`] do. Returns what was
/// applied and the events of any merge with a new source revision.
#[allow(clippy::too_many_arguments)]
pub fn apply_one(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    what: &str,
    action: &Action<'_>,
    note: Option<&str>,
    who: &str,
    origin: Option<Origin>,
    lock: &Lock,
) -> Result<(Applied, Vec<Event>), StoreError> {
    check_language(project, lang)?;
    let path = store_path(project, lang, &spec.name);
    let fingerprint = fingerprint(project, spec)?;
    if let Some(text) = file::read_bytes(&path)? {
        let parsed: file::Parsed<record::RecordView<'_>> = file::parse_as(&path, &text)?;
        if parsed
            .header
            .as_ref()
            .is_some_and(|h| h.doc == spec.name && h.lang == lang && h.fingerprint == fingerprint)
        {
            let what = what.trim();
            let found = if segment::is_id(what) {
                parsed
                    .records
                    .iter()
                    .position(|r| r.id == what)
                    .into_iter()
                    .collect()
            } else {
                select(
                    what,
                    &parsed
                        .records
                        .iter()
                        .map(|r| (r.r#ref.as_ref(), r.obsolete)),
                )?
            };
            if found.is_empty() {
                return Err(StoreError::NotFound {
                    doc: spec.name.clone(),
                    what: what.to_string(),
                });
            }
            let at = one_of(what, &found, |i| parsed.records[i].r#ref.to_string())?;
            let (line, span) = parsed.spans[at].clone();
            let mut record: Translation =
                serde_json::from_slice(&text[span.clone()]).map_err(|e| StoreError::Malformed {
                    path: path.clone(),
                    line,
                    message: e.to_string(),
                })?;
            let (applied, event) =
                change_record(&spec.name, &mut record, action, note, who, origin)?;
            if let Some(event) = event {
                let mut out = Vec::with_capacity(text.len() + 512);
                out.extend_from_slice(&text[..span.start]);
                record.write_line(&mut out);
                out.extend_from_slice(&text[span.end..]);
                files::write_atomic(&path, &out)?;
                files::append_durable(
                    &history_path(project, lang),
                    history::render(&[event]).as_bytes(),
                )?;
            }
            return Ok((applied, Vec::new()));
        }
    }
    let mut store = Store::open(project, spec, lang)?;
    let merged = store.merge_events().to_vec();
    let at = store.find_one(what)?;
    let applied = store.apply(at, action, note, who, origin)?;
    store.save(project, lock, who)?;
    Ok((applied, merged))
}

/// Fresh records for `lang` taken from another language's current store of the same document
/// (same source, same segmentation), so a new language does not segment a large document again.
fn sibling_segments(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    fingerprint: &str,
) -> Result<Option<Vec<Translation>>, StoreError> {
    for other in project.target_languages().iter().filter(|l| *l != lang) {
        let path = store_path(project, other, &spec.name);
        let Some(text) = file::read_bytes(&path)? else {
            continue;
        };
        let parsed: file::Parsed<record::RecordView<'_>> = file::parse_as(&path, &text)?;
        if parsed
            .header
            .as_ref()
            .is_some_and(|h| h.doc == spec.name && h.lang == *other && h.fingerprint == fingerprint)
        {
            return Ok(Some(
                parsed
                    .records
                    .iter()
                    .filter(|r| !r.obsolete)
                    .map(|r| Translation::initial(&r.id, &r.r#ref, &r.source))
                    .collect(),
            ));
        }
    }
    Ok(None)
}

/// What [`Store::apply`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The segment's ref.
    pub r#ref: String,
    /// Whether the record changed.
    pub changed: bool,
    /// The state after.
    pub state: State,
    /// Something to tell the user (a reviewed segment went back to translated).
    pub notice: Option<String>,
}

/// One document's translations into one language, loaded and merged with the current source.
#[derive(Debug, Clone)]
pub struct Store {
    lang: String,
    doc: String,
    path: PathBuf,
    fingerprint: String,
    records: Vec<Translation>,
    index: IdMap<usize>,
    dirty: bool,
    pending: Vec<Event>,
    document: Option<Document>,
}

impl Store {
    /// Loads the store of `spec` in `lang`, merging it into the current source when the source
    /// changed since it was written (nothing is written until [`Store::save`]).
    pub fn open(project: &Project, spec: &DocumentSpec, lang: &str) -> Result<Self, StoreError> {
        check_language(project, lang)?;
        let path = store_path(project, lang, &spec.name);
        let fingerprint = fingerprint(project, spec)?;
        let found = file::read(&path)?;
        if let Some(h) = found.as_ref().and_then(|f| f.header.as_ref())
            && (h.doc != spec.name || h.lang != lang)
        {
            return Err(StoreError::WrongStore {
                path,
                message: format!(
                    "the header says document {:?} in {:?}, but this file is for {:?} in {lang:?}; move the file or fix its first line",
                    h.doc, h.lang, spec.name
                ),
            });
        }
        let current = found
            .as_ref()
            .and_then(|f| f.header.as_ref())
            .is_some_and(|h| h.fingerprint == fingerprint);
        let sibling = if found.is_none() {
            sibling_segments(project, spec, lang, &fingerprint)?
        } else {
            None
        };
        let (records, pending, dirty, document) = if current {
            let f = found.unwrap_or_default();
            (f.records, Vec::new(), false, None)
        } else if let Some(records) = sibling {
            (records, Vec::new(), true, None)
        } else {
            let rules = project.rules()?;
            let document = project.load(spec, &rules)?;
            let refs: Vec<(String, &str, &str)> = document
                .segments()
                .map(|s| (s.segment.r#ref.to_string(), s.id(), s.text()))
                .collect();
            let cur: Vec<merge::Current<'_>> = refs
                .iter()
                .map(|(r, id, text)| merge::Current { id, r#ref: r, text })
                .collect();
            let old = found.map(|f| f.records).unwrap_or_default();
            let merged = merge::merge(&spec.name, &cur, old);
            (merged.records, merged.events, true, Some(document))
        };
        let index = index_of(&records);
        Ok(Self {
            lang: lang.to_string(),
            doc: spec.name.clone(),
            path,
            fingerprint,
            records,
            index,
            dirty,
            pending,
            document,
        })
    }

    /// The language.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// The document id.
    pub fn doc(&self) -> &str {
        &self.doc
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// All records: the current segments in order, then the obsolete ones.
    pub fn records(&self) -> &[Translation] {
        &self.records
    }

    /// All records, taken out of the store (for a reader that needs nothing else, without a
    /// copy).
    pub fn into_records(self) -> Vec<Translation> {
        self.records
    }

    /// The records of current segments, in document order.
    pub fn live(&self) -> impl Iterator<Item = &Translation> {
        self.records.iter().filter(|r| !r.obsolete)
    }

    /// The record with this id.
    pub fn get(&self, id: &str) -> Option<&Translation> {
        self.position(id).map(|i| &self.records[i])
    }

    /// The position of the record with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        let key = record::id_key(id)?;
        self.index
            .get(&key)
            .copied()
            .filter(|&i| self.records[i].id == id)
    }

    /// The segmented document, when this load had to segment it.
    pub fn document(&self) -> Option<&Document> {
        self.document.as_ref()
    }

    /// Changes the merge with a new source revision made (carry-overs, obsolete records),
    /// not yet saved.
    pub fn merge_events(&self) -> &[Event] {
        &self.pending
    }

    /// The positions of the records `what` names: a ref (`3.2¶4.1`, `3.2p4`, `3.2`) or an id.
    /// An id may name an obsolete record; refs name current segments only.
    pub fn find(&self, what: &str) -> Result<Vec<usize>, StoreError> {
        let what = what.trim();
        let found = if segment::is_id(what) {
            self.position(what).into_iter().collect()
        } else {
            select(
                what,
                &self.records.iter().map(|r| (r.r#ref.as_str(), r.obsolete)),
            )?
        };
        if found.is_empty() {
            return Err(StoreError::NotFound {
                doc: self.doc.clone(),
                what: what.to_string(),
            });
        }
        Ok(found)
    }

    /// The position of the one record `what` names.
    pub fn find_one(&self, what: &str) -> Result<usize, StoreError> {
        one_of(what, &self.find(what)?, |i| self.records[i].r#ref.clone())
    }

    /// Applies an action to the record at `at`, through the review state machine, and
    /// journals it. `origin` replaces the record's origin when the text is written.
    pub fn apply(
        &mut self,
        at: usize,
        action: &Action<'_>,
        note: Option<&str>,
        who: &str,
        origin: Option<Origin>,
    ) -> Result<Applied, StoreError> {
        let (applied, event) =
            change_record(&self.doc, &mut self.records[at], action, note, who, origin)?;
        if let Some(event) = event {
            self.pending.push(event);
            self.dirty = true;
        }
        Ok(applied)
    }

    /// Flags the record at `at` `needs-review` and sets its note, leaving state and text as
    /// they are (a tool such as `duiyi align` found something a person must look at);
    /// journaled as `action`.
    pub fn flag_for_review(
        &mut self,
        at: usize,
        note: &str,
        who: &str,
        action: &str,
    ) -> Result<Applied, StoreError> {
        let record = &mut self.records[at];
        if record.obsolete {
            return Err(StoreError::Obsolete {
                id: record.id.clone(),
            });
        }
        let note = Some(note.to_string());
        let changed = !record.has(record::Flag::NeedsReview) || record.note != note;
        if changed {
            let now = history::now();
            self.pending.push(Event {
                when: now.clone(),
                who: who.to_string(),
                doc: self.doc.clone(),
                id: record.id.clone(),
                r#ref: record.r#ref.clone(),
                action: action.to_string(),
                from: record.state,
                to: record.state,
                old: None,
                new: None,
                note: note.clone(),
            });
            record.flags.insert(record::Flag::NeedsReview);
            record.note = note;
            record.who = Some(who.to_string());
            record.when = Some(now);
            self.dirty = true;
        }
        Ok(Applied {
            r#ref: record.r#ref.clone(),
            changed,
            state: record.state,
            notice: None,
        })
    }

    /// Moves an obsolete record's translation onto the current segment at `to` (as
    /// `translated`, flagged `needs-review`) and removes the obsolete record.
    pub fn restore(
        &mut self,
        obsolete_id: &str,
        to: usize,
        who: &str,
    ) -> Result<Applied, StoreError> {
        let Some(from) = self
            .position(obsolete_id)
            .filter(|&i| self.records[i].obsolete)
        else {
            return Err(StoreError::NotFound {
                doc: self.doc.clone(),
                what: format!("obsolete record {obsolete_id} (`duiyi status` lists them)"),
            });
        };
        if self.records[to].obsolete {
            return Err(StoreError::Obsolete {
                id: self.records[to].id.clone(),
            });
        }
        let donor = self.records[from].clone();
        let change = review::transition(&donor, &Action::CarryOver, None).map_err(|source| {
            StoreError::Review {
                r#ref: donor.r#ref.clone(),
                source,
            }
        })?;
        let now = history::now();
        let target = &mut self.records[to];
        let event = Event {
            when: now.clone(),
            who: who.to_string(),
            doc: self.doc.clone(),
            id: target.id.clone(),
            r#ref: target.r#ref.clone(),
            action: "restore".into(),
            from: target.state,
            to: change.state,
            old: Some(target.target.clone()),
            new: Some(donor.target.clone()),
            note: Some(format!("restored from obsolete record {obsolete_id}")),
        };
        target.target.clone_from(&donor.target);
        target.state = change.state;
        target.flags = change.flags;
        target.origin.clone_from(&donor.origin);
        target.previous = Some(donor.source.clone());
        target.note.clone_from(&donor.note);
        target.who = Some(who.to_string());
        target.when = Some(now);
        let applied = Applied {
            r#ref: target.r#ref.clone(),
            changed: true,
            state: target.state,
            notice: None,
        };
        self.records.remove(from);
        self.index = index_of(&self.records);
        self.pending.push(event);
        self.dirty = true;
        Ok(applied)
    }

    /// Writes the store (atomically) and appends its journal events, if anything changed.
    /// The lock proves the caller serialized the read-modify-write. Returns whether it wrote.
    pub fn save(&mut self, project: &Project, _lock: &Lock, who: &str) -> Result<bool, StoreError> {
        if !self.dirty {
            return Ok(false);
        }
        let header = Header {
            duiyi: FORMAT.to_string(),
            doc: self.doc.clone(),
            lang: self.lang.clone(),
            fingerprint: self.fingerprint.clone(),
        };
        files::write_atomic(&self.path, &file::render(&header, &self.records))?;
        if !self.pending.is_empty() {
            let now = history::now();
            for e in &mut self.pending {
                if e.who.is_empty() {
                    e.who = who.to_string();
                }
                if e.when.is_empty() {
                    e.when.clone_from(&now);
                }
            }
            files::append_durable(
                &history_path(project, &self.lang),
                history::render(&self.pending).as_bytes(),
            )?;
            self.pending.clear();
        }
        self.dirty = false;
        Ok(true)
    }
}

/// The positions among `refs` (ref, obsolete) that a ref selector names; obsolete records are
/// never named by ref. `3.2¶4` names the unit's sentences when no sentence 1 is spelled out.
fn select<'a, I>(what: &str, refs: &I) -> Result<Vec<usize>, StoreError>
where
    I: Iterator<Item = (&'a str, bool)> + Clone,
{
    let selector: Selector = what.parse().map_err(SegmentError::from)?;
    let live = || {
        refs.clone()
            .enumerate()
            .filter(|(_, (_, obsolete))| !obsolete)
    };
    let by = |sel: &Selector| -> Vec<usize> {
        match sel {
            Selector::Segment(r) => {
                let text = r.to_string();
                live()
                    .filter(|(_, (x, _))| *x == text)
                    .map(|(i, _)| i)
                    .collect()
            }
            _ => live()
                .filter(|(_, (x, _))| match x.parse::<Selector>() {
                    Ok(Selector::Segment(r)) => sel.selects(&r),
                    _ => false,
                })
                .map(|(i, _)| i)
                .collect(),
        }
    };
    let mut v = by(&selector);
    if v.is_empty()
        && let Selector::Segment(r) = &selector
        && r.sentence == 1
    {
        v = by(&Selector::Unit(r.section.clone(), r.unit));
    }
    Ok(v)
}

/// The one position `what` names among `found`: a unit ref (`3.2¶4`) means its first
/// sentence; anything else naming several is ambiguous.
fn one_of(
    what: &str,
    found: &[usize],
    ref_of: impl Fn(usize) -> String,
) -> Result<usize, StoreError> {
    match *found {
        [one] => Ok(one),
        [first, .., last] => {
            if let Ok(Selector::Unit(..)) = what.trim().parse::<Selector>() {
                return Ok(first);
            }
            Err(StoreError::Ambiguous {
                what: what.to_string(),
                count: found.len(),
                first: ref_of(first),
                last: ref_of(last),
            })
        }
        [] => Err(StoreError::NotFound {
            doc: String::new(),
            what: what.to_string(),
        }),
    }
}

/// Applies an action to one record through the review state machine: the record changes in
/// place, and the journal event is returned when anything changed.
fn change_record(
    doc: &str,
    record: &mut Translation,
    action: &Action<'_>,
    note: Option<&str>,
    who: &str,
    origin: Option<Origin>,
) -> Result<(Applied, Option<Event>), StoreError> {
    if record.obsolete {
        return Err(StoreError::Obsolete {
            id: record.id.clone(),
        });
    }
    let change = review::transition(record, action, note).map_err(|source| StoreError::Review {
        r#ref: record.r#ref.clone(),
        source,
    })?;
    if !change.changes(record) {
        let applied = Applied {
            r#ref: record.r#ref.clone(),
            changed: false,
            state: record.state,
            notice: None,
        };
        return Ok((applied, None));
    }
    let text_changes = change.target.as_ref().is_some_and(|t| *t != record.target);
    let verb = match (action, &origin) {
        (Action::Edit { .. }, Some(Origin::Import)) => "import",
        (Action::Edit { .. }, Some(Origin::Align)) => "align",
        _ => action.name(),
    };
    let mut event = Event {
        when: history::now(),
        who: who.to_string(),
        doc: doc.to_string(),
        id: record.id.clone(),
        r#ref: record.r#ref.clone(),
        action: verb.to_string(),
        from: record.state,
        to: change.state,
        old: text_changes.then(|| record.target.clone()),
        new: None,
        note: note
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string),
    };
    change.apply(record);
    event.new = text_changes.then(|| record.target.clone());
    if matches!(action, Action::Edit { .. } | Action::Draft { .. }) {
        if let Some(o) = origin {
            record.origin = Some(o);
        }
        record.previous = None;
    }
    if matches!(action, Action::Approve) {
        record.previous = None;
    }
    record.who = Some(who.to_string());
    record.when = Some(event.when.clone());
    let applied = Applied {
        r#ref: record.r#ref.clone(),
        changed: true,
        state: record.state,
        notice: change.notice,
    };
    Ok((applied, Some(event)))
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::record::{Flag, Origin, State, Translation};

    /// Any record, including odd text: quotes, backslashes, control characters, CJK, emoji.
    pub fn any_translation() -> impl Strategy<Value = Translation> {
        let text = "(\\PC|[\"\\\\\n\t\u{0}\u{2028}])*";
        let state = prop::sample::select(State::ALL.to_vec());
        let flags = prop::collection::btree_set(
            prop::sample::select(vec![Flag::NeedsReview, Flag::Rejected]),
            0..3,
        );
        let origin = prop::option::of(prop_oneof![
            Just(Origin::Human),
            Just(Origin::Memory),
            Just(Origin::Align),
            Just(Origin::Import),
            "[a-z0-9-]{1,8}".prop_map(Origin::Mt),
        ]);
        (
            "[0-9a-f]{16}",
            "[0-9.]{1,5}¶[0-9]{1,2}\\.[1-9]",
            text,
            prop::option::of(text),
            text,
            state,
            flags,
            origin,
            prop::option::of("\\PC{0,8}"),
            prop::option::of(text),
            any::<bool>(),
        )
            .prop_map(
                |(id, r, source, previous, target, state, flags, origin, who, note, obsolete)| {
                    Translation {
                        id,
                        r#ref: r,
                        source,
                        previous,
                        target,
                        state,
                        flags,
                        origin,
                        who,
                        when: Some("2026-11-29T12:00:00Z".into()),
                        note,
                        obsolete,
                    }
                },
            )
    }
}
