//! The translation store: per language and document, one record per segment, plus a journal.
//!
//! `translations/<lang>/<doc>.jsonl` holds the present ([`record`], read strictly by [`file`](mod@file)),
//! `translations/<lang>/history.jsonl` how it came to be ([`history`]). A store starts with a
//! header carrying the fingerprint of the source it was merged against and how many live
//! records follow: while the source is unchanged and no record is missing, the records *are*
//! the segmentation (ids, refs, source text in order), so `status` and `set` on half a million
//! segments never segment the document again; when the source changes, [`merge`] carries the
//! translations over, as `msgmerge` does, and when records were cut from the file the missing
//! segments come back as untranslated ([`Warning::Missing`]).
//!
//! Every change goes through [`transaction`] (or [`apply_one`], its fast path for one segment):
//! the language's lock, recovery of an interrupted earlier write, the change through
//! [`crate::review`] (which says whether it is allowed and who may make it), then journal and
//! store written as one change (journal first, see [`history`]). [`import`] is the one way
//! files from outside (CSV, XLSX, XLIFF, TMX, the `edit` working file) come in.

pub mod exchange;
pub mod file;
pub mod history;
pub mod identity;
pub mod import;
pub mod merge;
pub mod next;
pub mod record;
pub mod status;
pub mod workfile;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::files::{self, FileError, Lock};
use crate::project::{DocumentSpec, Project, ProjectError, ReviewSettings};
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
    /// A ref or id that names no segment.
    #[error("{doc}: no segment {what}; run `duiyi segments {doc}` to list refs and ids")]
    NotFound {
        /// The document.
        doc: String,
        /// What was asked for.
        what: String,
    },
    /// A ref or id that no document of the project has.
    #[error(
        "no document has segment {what} (documents: {docs}); run `duiyi segments` to list refs and ids"
    )]
    NowhereFound {
        /// What was asked for.
        what: String,
        /// The documents, comma-separated.
        docs: String,
    },
    /// A ref that several documents have, where no document was named.
    #[error("{what} names segments in {} documents ({}); pass --doc NAME", .docs.len(), .docs.join(", "))]
    InSeveralDocuments {
        /// What was asked for.
        what: String,
        /// The documents that have it.
        docs: Vec<String>,
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
    /// A change based on a revision of the record that is no longer current (another face, or
    /// another person, changed it meanwhile).
    #[error(
        "{ref}: changed meanwhile (it is {} now; the change was based on {base}); look at the current text and make the change again",
        .current.base()
    )]
    Stale {
        /// The segment's ref.
        r#ref: String,
        /// The revision the change was based on.
        base: String,
        /// The record as it is now.
        current: Box<Translation>,
    },
    /// A change to an obsolete record.
    #[error(
        "{id} is obsolete (its source was deleted); `duiyi restore LANG {id} --to REF` moves its translation to a current segment"
    )]
    Obsolete {
        /// The id.
        id: String,
    },
    /// A change that would replace a person's text without being asked to.
    #[error("{ref}: {message}")]
    WouldReplace {
        /// The segment's ref.
        r#ref: String,
        /// What would be replaced and how to go ahead.
        message: String,
    },
    /// Nobody to attribute a change to.
    #[error(
        "who is making this change? pass --as NAME, set DUIYI_USER, or set `git config user.name`"
    )]
    NoIdentity,
    /// A bilingual file (CSV, XLSX, XLIFF, TMX, working file) with a problem at a line or row.
    #[error("{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Exchange {
        /// The file.
        path: PathBuf,
        /// 1-based line or row, when one is concerned.
        line: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// `duiyi edit`'s working file is in the way, or missing.
    #[error("{}: {message}", .path.display())]
    WorkingFile {
        /// The working file.
        path: PathBuf,
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

    /// The exit code: 1 when the command was refused (a transition the review rules do not
    /// allow, a person's text it would replace), 2 for everything else.
    pub fn code(&self) -> u8 {
        match self {
            StoreError::Review { source, .. } if source.is_refusal() => 1,
            StoreError::WouldReplace { .. } | StoreError::Stale { .. } => 1,
            _ => 2,
        }
    }
}

/// Something a command should tell its user about the stores it read; it changed nothing by
/// itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Records were cut from a store file: the missing segments count as untranslated, and
    /// the next write puts them back as untranslated records.
    Missing {
        /// The store file.
        path: PathBuf,
        /// Live records its header promises.
        expected: usize,
        /// Live records found.
        found: usize,
    },
    /// An interrupted earlier write was rolled back in the journal (see [`history::recover`]).
    Recovered {
        /// The journal.
        path: PathBuf,
        /// Events of the interrupted change that never reached the store.
        events: usize,
        /// Bytes of a torn line.
        torn: usize,
        /// Where they were kept.
        kept: PathBuf,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Missing {
                path,
                expected,
                found,
            } => write!(
                f,
                "{}: {} of {expected} segment(s) are missing from the store (records were cut from the file); they count as untranslated, and the next change writes them back as untranslated (`git log -p` on the file shows what was removed)",
                path.display(),
                expected - found
            ),
            Warning::Recovered {
                path,
                events,
                torn,
                kept,
            } => {
                write!(
                    f,
                    "{}: an interrupted earlier change was rolled back",
                    path.display()
                )?;
                if *events > 0 {
                    write!(
                        f,
                        " ({events} journal event(s) that never reached the store)"
                    )?;
                }
                if *torn > 0 {
                    write!(f, " (a torn line of {torn} byte(s))")?;
                }
                write!(f, "; kept in {}", kept.display())
            }
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

/// A language's lock, held for a read-modify-write of its stores and journal; taking it
/// recovers what an interrupted earlier write left (see [`history::recover`]).
#[derive(Debug)]
pub struct LanguageLock {
    lock: Lock,
    /// What recovery moved out of the journal, to tell the user.
    pub recovered: Option<Warning>,
}

impl std::ops::Deref for LanguageLock {
    type Target = Lock;

    fn deref(&self) -> &Lock {
        &self.lock
    }
}

/// Takes the language's lock (bounded wait) for a read-modify-write of its stores and journal,
/// and brings the journal back in step with the stores if an earlier write was interrupted.
pub fn lock(project: &Project, lang: &str) -> Result<LanguageLock, StoreError> {
    project.target(lang)?;
    let dir = project.translations_dir(lang);
    let path = dir.join(".lock");
    files::confine(project.root(), &path)?;
    let lock = Lock::acquire(&path, lock_wait())?;
    let recovered = history::recover(project, lang)?;
    let recovered = recovered.any().then(|| Warning::Recovered {
        path: history_path(project, lang),
        events: recovered.events,
        torn: recovered.torn,
        kept: recovered
            .kept
            .unwrap_or_else(|| history::rolled_back_path(project, lang)),
    });
    Ok(LanguageLock { lock, recovered })
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

/// What a [`transaction`] did besides its own result.
#[derive(Debug, Clone)]
pub struct Committed<T> {
    /// What the change returned.
    pub value: T,
    /// The events of a merge with a new source revision that the write recorded (carry-overs,
    /// obsolete records, restored ones).
    pub merged: Vec<Event>,
    /// What the user should be told about the stores read (missing records, a recovered
    /// journal).
    pub warnings: Vec<Warning>,
    /// Whether anything was written.
    pub written: bool,
}

/// Changes one document's store in one language as one unit: takes the language's lock
/// (recovering an interrupted earlier write), opens the store (merging it with a changed
/// source), lets `change` work on it, and writes journal and store together. When `change`
/// fails nothing is written. Every face (the command line, the workbench) changes stores
/// through here.
pub fn transaction<T, E>(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    who: &str,
    change: impl FnOnce(&mut Store) -> Result<T, E>,
) -> Result<Committed<T>, E>
where
    E: From<StoreError>,
{
    let lock = lock(project, lang)?;
    let mut store = Store::open(project, spec, lang)?;
    let merged = store.merge_events().to_vec();
    let mut warnings: Vec<Warning> = lock.recovered.iter().cloned().collect();
    warnings.extend(store.warnings().iter().cloned());
    let value = change(&mut store)?;
    let written = store.save(project, &lock, who)?;
    Ok(Committed {
        value,
        merged,
        warnings,
        written,
    })
}

impl<T> Committed<T> {
    /// How many translations the merge with a new source revision carried over (flagged
    /// `needs-review`), made obsolete and restored.
    pub fn merge_counts(&self) -> MergeCounts {
        let count = |a: &str| self.merged.iter().filter(|e| e.action == a).count();
        MergeCounts {
            carried_over: count("carry-over"),
            obsolete: count("obsolete"),
            restored: count("restore"),
        }
    }

    /// The same change with its value mapped by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Committed<U> {
        Committed {
            value: f(self.value),
            merged: self.merged,
            warnings: self.warnings,
            written: self.written,
        }
    }

    /// What the change did, as the `--json` of the commands that write (`set`, `confirm`,
    /// `review`, `import`, `edit`) print it: `value` (whose fields are flattened into the
    /// object), the language and document, what a merge with a changed source recorded, the
    /// warnings and whether anything was written. The shape is documented in `docs/json.md`.
    pub fn summary<'a>(&'a self, lang: &'a str, doc: &'a str) -> Summary<'a, T> {
        Summary {
            lang,
            doc,
            value: &self.value,
            written: self.written,
            merged: self.merge_counts(),
            warnings: self.warnings.iter().map(ToString::to_string).collect(),
        }
    }
}

/// A [`Committed`] change as JSON (see [`Committed::summary`]).
#[derive(Debug, serde::Serialize)]
pub struct Summary<'a, T> {
    /// The language.
    pub lang: &'a str,
    /// The document.
    pub doc: &'a str,
    /// What the change returned; its fields are the object's.
    #[serde(flatten)]
    pub value: &'a T,
    /// Whether anything was written.
    pub written: bool,
    /// What a merge with a changed source recorded.
    pub merged: MergeCounts,
    /// What the user should be told about the stores read.
    pub warnings: Vec<String>,
}

/// The segments one command changed (the value of `set`, `confirm` and `review`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Changes {
    /// One entry per named segment, in order.
    pub applied: Vec<Applied>,
}

/// What a merge with a new source revision did (see [`Committed::merge_counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MergeCounts {
    /// Translations carried over to an edited segment, flagged `needs-review`.
    pub carried_over: usize,
    /// Translations whose segment was deleted, kept as obsolete records.
    pub obsolete: usize,
    /// Obsolete records that came back because their segment did.
    pub restored: usize,
}

impl MergeCounts {
    /// Whether the merge changed nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// Applies `action` to every segment `whats` names (refs, units, sections or ids), in one
/// [`transaction`]: all of them change or, at the first refusal, none (`duiyi review`,
/// `duiyi confirm`).
#[allow(clippy::too_many_arguments)]
pub fn apply_all<S: AsRef<str>>(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    whats: &[S],
    action: &Action<'_>,
    note: Option<&str>,
    who: &str,
) -> Result<Committed<Vec<Applied>>, StoreError> {
    transaction(project, spec, lang, who, |store| {
        store
            .find_all(whats)?
            .into_iter()
            .map(|at| store.apply(at, action, note, who, None))
            .collect()
    })
}

/// Brings an earlier text of the segment `what` names back from the journal, in one
/// [`transaction`]: version `to` as [`versions`] numbers them, or the text before the current
/// one (see [`revert`]).
pub fn revert_segment(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    what: &str,
    to: Option<usize>,
    who: &str,
) -> Result<Committed<Applied>, StoreError> {
    transaction(project, spec, lang, who, |store| {
        let at = store.find_one(what)?;
        let id = store.records()[at].id.clone();
        let versions = versions(project, lang, &spec.name, &id)?;
        revert(store, at, &versions, to, who)
    })
}

/// Moves the obsolete record `obsolete_id`'s translation onto the current segment `to` names,
/// in one [`transaction`] (see [`Store::restore`]).
pub fn restore_segment(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    obsolete_id: &str,
    to: &str,
    who: &str,
    force: bool,
) -> Result<Committed<Applied>, StoreError> {
    transaction(project, spec, lang, who, |store| {
        let to = store.find_one(to)?;
        store.restore(obsolete_id, to, who, force)
    })
}

/// The document meant by a command that names segments: the one `doc` names, else the
/// project's only one, else the one document whose store in `lang` has every segment `whats`
/// names (a segment id, or a ref only one document has, needs no `--doc`). With several
/// documents and nothing to tell them apart, the error asks for `--doc`.
pub fn locate<S: AsRef<str>>(
    project: &Project,
    doc: Option<&str>,
    lang: &str,
    whats: &[S],
) -> Result<DocumentSpec, StoreError> {
    let docs = match doc {
        Some(_) => return Ok(project.document_or_only(doc)?),
        None => project.documents()?,
    };
    if docs.len() < 2 || whats.is_empty() {
        return Ok(project.document_or_only(None)?);
    }
    let mut found = Vec::new();
    for spec in &docs {
        match Store::open(project, spec, lang)?.find_all(whats) {
            Ok(_) => found.push(spec),
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    let mut what = whats
        .iter()
        .take(3)
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(" ");
    if whats.len() > 3 {
        let _ = std::fmt::Write::write_fmt(&mut what, format_args!(" … ({} in all)", whats.len()));
    }
    match found.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(StoreError::NowhereFound {
            what,
            docs: docs
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
        several => Err(StoreError::InSeveralDocuments {
            what,
            docs: several.iter().map(|d| d.name.clone()).collect(),
        }),
    }
}

/// The documents a command that may name segments works on: the one `doc` names, else the
/// one [`locate`] finds for `whats`, else (nothing named) every document of the project.
pub fn locate_all<S: AsRef<str>>(
    project: &Project,
    doc: Option<&str>,
    lang: &str,
    whats: &[S],
) -> Result<Vec<DocumentSpec>, StoreError> {
    if doc.is_some() || !whats.is_empty() {
        return Ok(vec![locate(project, doc, lang, whats)?]);
    }
    Ok(project.some_documents(None)?)
}

/// A fresh transaction id: unique across processes and time.
fn new_tx() -> String {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut h = blake3::Hasher::new();
    h.update(&nanos.to_le_bytes());
    h.update(&std::process::id().to_le_bytes());
    h.update(
        &COUNTER
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            .to_le_bytes(),
    );
    h.finalize().to_hex()[..16].to_string()
}

/// Who writes where, under which lock: what every [`commit`] of a language shares.
struct Writer<'a> {
    project: &'a Project,
    lang: &'a str,
    lock: &'a Lock,
    who: &'a str,
}

/// Writes a change of one store: the journal events first (under a new transaction id, which
/// they and the store header share), then the store as `render` makes it for that id. A failed
/// store write takes the journal append back; a crash in between is rolled back by the next
/// [`lock`]. With no events the store keeps `previous_tx`. Returns the transaction id written.
fn commit(
    writer: &Writer<'_>,
    path: &Path,
    events: &mut [Event],
    previous_tx: Option<&str>,
    render: impl FnOnce(Option<&str>) -> Vec<u8>,
) -> Result<Option<String>, StoreError> {
    let Writer {
        project,
        lang,
        lock,
        who,
    } = *writer;
    lock.verify()?;
    let journal = history_path(project, lang);
    files::confine(project.root(), path)?;
    files::confine(project.root(), &journal)?;
    let tx = if events.is_empty() {
        previous_tx.map(str::to_string)
    } else {
        Some(new_tx())
    };
    let now = crate::clock::now();
    for e in events.iter_mut() {
        if e.who.is_empty() {
            e.who = who.to_string();
        }
        if e.when.is_empty() {
            e.when.clone_from(&now);
        }
        e.tx.clone_from(&tx);
    }
    let appended = if events.is_empty() {
        None
    } else {
        Some(files::append_journal(
            &journal,
            history::render(events).as_bytes(),
        )?)
    };
    let written = files::fault("store-write")
        .map_err(|e| StoreError::io(path, e))
        .and_then(|()| Ok(files::write_atomic(path, &render(tx.as_deref()))?));
    if let Err(e) = written {
        if let Some(a) = appended {
            let _ = a.rollback();
        }
        return Err(e);
    }
    files::fault("store-written").map_err(|e| StoreError::io(path, e))?;
    files::remove_stale_temps(path);
    Ok(tx)
}

/// Applies one action to the one segment `what` names (`duiyi set`), doing as little as the
/// store allows, under the language's lock (taken here). While the store is current, only the
/// record's own line is parsed and replaced and every other byte of the file is copied as it
/// was (a 500,000-segment store changes in well under the time a full load and rewrite takes);
/// otherwise the store is loaded, merged and saved as [`Store::open`] and [`Store::save`] do.
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
) -> Result<Committed<Applied>, StoreError> {
    apply_one_on(project, spec, lang, what, action, note, who, origin, None)
}

/// [`apply_one`] for a change made on the revision `base` of the record ([`record::base`]):
/// under the lock, a record whose revision is no longer `base` is not changed and the error is
/// [`StoreError::Stale`] with the record as it is now (an optimistic save: the workbench sends
/// the revision each edit started from).
#[allow(clippy::too_many_arguments)]
pub fn apply_one_based(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    what: &str,
    action: &Action<'_>,
    note: Option<&str>,
    who: &str,
    origin: Option<Origin>,
    base: &str,
) -> Result<Committed<Applied>, StoreError> {
    apply_one_on(
        project,
        spec,
        lang,
        what,
        action,
        note,
        who,
        origin,
        Some(base),
    )
}

/// Refuses the change when the record's revision is not `base`.
fn still_at(record: &Translation, base: Option<&str>) -> Result<(), StoreError> {
    match base {
        Some(base) if base.trim() != record.base() => Err(StoreError::Stale {
            r#ref: record.r#ref.clone(),
            base: base.trim().to_string(),
            current: Box::new(record.clone()),
        }),
        _ => Ok(()),
    }
}

#[allow(clippy::too_many_arguments)]
fn apply_one_on(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    what: &str,
    action: &Action<'_>,
    note: Option<&str>,
    who: &str,
    origin: Option<Origin>,
    base: Option<&str>,
) -> Result<Committed<Applied>, StoreError> {
    let lock = &lock(project, lang)?;
    let path = store_path(project, lang, &spec.name);
    let fingerprint = fingerprint(project, spec)?;
    let warnings: Vec<Warning> = lock.recovered.iter().cloned().collect();
    if let Some(text) = file::read_bytes(&path)? {
        let parsed: file::Parsed<record::RecordView<'_>> = file::parse_as(&path, &text)?;
        let live_records = parsed.records.iter().filter(|r| !r.obsolete).count();
        if let Some(header) = parsed
            .header
            .as_ref()
            .filter(|h| h.is_current(&spec.name, lang, &fingerprint, live_records))
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
            still_at(&record, base)?;
            let review = &project.config().review;
            let (applied, event) =
                change_record(&spec.name, &mut record, action, note, who, origin, review)?;
            if let Some(event) = event {
                // The header is the first line: everything after it is copied as it was.
                let body = memchr::memchr(b'\n', &text).map_or(text.len(), |i| i + 1);
                let mut events = vec![event];
                let writer = Writer {
                    project,
                    lang,
                    lock,
                    who,
                };
                commit(&writer, &path, &mut events, header.tx.as_deref(), |tx| {
                    let header = Header {
                        tx: tx.map(str::to_string),
                        ..header.clone()
                    };
                    let mut out = Vec::with_capacity(text.len() + 512);
                    let _ = serde_json::to_writer(&mut out, &header);
                    out.push(b'\n');
                    out.extend_from_slice(&text[body..span.start]);
                    record.write_line(&mut out);
                    out.extend_from_slice(&text[span.end..]);
                    out
                })?;
            }
            return Ok(Committed {
                value: applied,
                merged: Vec::new(),
                warnings,
                written: true,
            });
        }
    }
    let mut store = Store::open(project, spec, lang)?;
    let merged = store.merge_events().to_vec();
    let mut warnings = warnings;
    warnings.extend(store.warnings().iter().cloned());
    let at = store.find_one(what)?;
    still_at(&store.records()[at], base)?;
    let applied = store.apply(at, action, note, who, origin)?;
    let written = store.save(project, lock, who)?;
    Ok(Committed {
        value: applied,
        merged,
        warnings,
        written,
    })
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
        let live = parsed.records.iter().filter(|r| !r.obsolete).count();
        if parsed
            .header
            .as_ref()
            .is_some_and(|h| h.is_current(&spec.name, other, fingerprint, live))
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

/// Who answers for each segment's text, from the journal (the last person who wrote, imported,
/// aligned, restored, reverted or confirmed it; machine drafts answer to nobody): for stores
/// written before records named their author.
fn authors_from_journal(
    project: &Project,
    lang: &str,
    doc: &str,
) -> Result<std::collections::HashMap<String, Option<String>>, StoreError> {
    let (events, _) = history::read_committed(project, lang)?;
    let mut authors = std::collections::HashMap::new();
    for e in events.into_iter().filter(|e| e.doc == doc) {
        if e.action == "confirm" {
            authors.insert(e.id, Some(e.who));
        } else if e.new.is_some() && e.action != "carry-over" {
            let author = (!e.is_machine_text()).then_some(e.who);
            authors.insert(e.id, author);
        }
    }
    Ok(authors)
}

/// What [`Store::apply`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Applied {
    /// The segment's ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// Whether the record changed.
    pub changed: bool,
    /// The state after.
    pub state: State,
    /// The flags after (`needs-review`, `rejected`).
    pub flags: Vec<record::Flag>,
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
    review: ReviewSettings,
    tx: Option<String>,
    warnings: Vec<Warning>,
}

impl Store {
    /// Loads the store of `spec` in `lang`, merging it into the current source when the source
    /// changed since it was written or records are missing from it (nothing is written until
    /// [`Store::save`]).
    pub fn open(project: &Project, spec: &DocumentSpec, lang: &str) -> Result<Self, StoreError> {
        project.target(lang)?;
        let path = store_path(project, lang, &spec.name);
        let fingerprint = fingerprint(project, spec)?;
        let found = file::read(&path)?;
        let header = found.as_ref().and_then(|f| f.header.clone());
        if let Some(h) = &header
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
        let live = found
            .as_ref()
            .map_or(0, |f| f.records.iter().filter(|r| !r.obsolete).count());
        let mut warnings = Vec::new();
        if let Some(h) = &header
            && let Some(expected) = h.segments
            && h.missing(&spec.name, lang, &fingerprint, live).is_some()
        {
            warnings.push(Warning::Missing {
                path: path.clone(),
                expected,
                found: live,
            });
        }
        let current = header
            .as_ref()
            .is_some_and(|h| h.is_current(&spec.name, lang, &fingerprint, live));
        // Written before records named their authors (or by hand): learn them from the journal.
        let legacy = found.is_some() && header.as_ref().is_none_or(|h| h.duiyi != FORMAT);
        let sibling = if found.is_none() {
            sibling_segments(project, spec, lang, &fingerprint)?
        } else {
            None
        };
        let (mut records, pending, dirty, document) = if current {
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
        if legacy {
            let authors = authors_from_journal(project, lang, &spec.name)?;
            for r in records.iter_mut().filter(|r| r.author.is_none()) {
                if let Some(Some(a)) = authors.get(&r.id) {
                    r.author = Some(a.clone());
                }
            }
        }
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
            review: project.config().review.clone(),
            tx: header.and_then(|h| h.tx),
            warnings,
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

    /// What the user should be told about this store as read (records missing from it).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The project's review rules this store applies.
    pub fn review_settings(&self) -> &ReviewSettings {
        &self.review
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

    /// The positions of the records any of `whats` names, each once, in the order named.
    pub fn find_all<S: AsRef<str>>(&self, whats: &[S]) -> Result<Vec<usize>, StoreError> {
        let mut found = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for what in whats {
            for at in self.find(what.as_ref())? {
                if seen.insert(at) {
                    found.push(at);
                }
            }
        }
        Ok(found)
    }

    /// The position of the one record `what` names.
    pub fn find_one(&self, what: &str) -> Result<usize, StoreError> {
        one_of(what, &self.find(what)?, |i| self.records[i].r#ref.clone())
    }

    /// The live records a selection names, in document order: those `section` names (a
    /// section, unit or segment ref, or an id; every one when `None`), in `state` when given
    /// (`--section` and `--state` of `duiyi edit` and `duiyi export`).
    pub fn selection(
        &self,
        section: Option<&str>,
        state: Option<State>,
    ) -> Result<Vec<&Translation>, StoreError> {
        let positions = match section {
            Some(s) => self.find(s)?,
            None => (0..self.records.len()).collect(),
        };
        Ok(positions
            .into_iter()
            .map(|i| &self.records[i])
            .filter(|r| !r.obsolete && state.is_none_or(|s| r.state == s))
            .collect())
    }

    /// Applies an action to the record at `at`, through the review state machine and the
    /// project's review rules, and journals it. `origin` replaces the record's origin when the
    /// text is written.
    pub fn apply(
        &mut self,
        at: usize,
        action: &Action<'_>,
        note: Option<&str>,
        who: &str,
        origin: Option<Origin>,
    ) -> Result<Applied, StoreError> {
        let (applied, event) = change_record(
            &self.doc,
            &mut self.records[at],
            action,
            note,
            who,
            origin,
            &self.review,
        )?;
        if let Some(event) = event {
            self.pending.push(event);
            self.dirty = true;
        }
        Ok(applied)
    }

    /// Checks, without changing anything, that [`Store::apply`] would accept the action.
    pub fn check(&self, at: usize, action: &Action<'_>, who: &str) -> Result<(), StoreError> {
        let record = &self.records[at];
        if record.obsolete {
            return Err(StoreError::Obsolete {
                id: record.id.clone(),
            });
        }
        review::permitted(&self.review, record, action, who)
            .and_then(|()| review::transition(record, action, None).map(|_| ()))
            .map_err(|source| StoreError::Review {
                r#ref: record.r#ref.clone(),
                source,
            })
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
            let now = crate::clock::now();
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
                tx: None,
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
            flags: record.flags.iter().copied().collect(),
            notice: None,
        })
    }

    /// Moves an obsolete record's translation onto the current segment at `to` (flagged
    /// `needs-review`; a draft stays a draft) and removes the obsolete record. A different
    /// translation already there is replaced only with `force`; its text stays in the journal
    /// (`duiyi revert` brings it back).
    pub fn restore(
        &mut self,
        obsolete_id: &str,
        to: usize,
        who: &str,
        force: bool,
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
        let target = &self.records[to];
        if !force && !target.target.trim().is_empty() && target.target != donor.target {
            return Err(StoreError::WouldReplace {
                r#ref: target.r#ref.clone(),
                message: format!(
                    "it already has a translation ({}, “{}”); pass --force to replace it (the replaced text stays in the journal: `duiyi revert` brings it back)",
                    target.state, target.target
                ),
            });
        }
        let change = review::transition(&donor, &Action::CarryOver, None).map_err(|source| {
            StoreError::Review {
                r#ref: donor.r#ref.clone(),
                source,
            }
        })?;
        let now = crate::clock::now();
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
            tx: None,
        };
        target.target.clone_from(&donor.target);
        target.state = change.state;
        target.flags = change.flags;
        target.origin.clone_from(&donor.origin);
        target.author = donor.author.clone().or_else(|| Some(who.to_string()));
        target.previous = Some(donor.source.clone());
        target.note.clone_from(&donor.note);
        target.who = Some(who.to_string());
        target.when = Some(now);
        let applied = Applied {
            r#ref: target.r#ref.clone(),
            changed: true,
            state: target.state,
            flags: target.flags.iter().copied().collect(),
            notice: None,
        };
        self.records.remove(from);
        self.index = index_of(&self.records);
        self.pending.push(event);
        self.dirty = true;
        Ok(applied)
    }

    /// Writes the store and its journal events as one change (journal first, see [`history`]),
    /// if anything changed. The lock proves the caller serialized the read-modify-write.
    /// Returns whether it wrote.
    pub fn save(&mut self, project: &Project, lock: &Lock, who: &str) -> Result<bool, StoreError> {
        if !self.dirty {
            return Ok(false);
        }
        let header = Header {
            duiyi: FORMAT.to_string(),
            doc: self.doc.clone(),
            lang: self.lang.clone(),
            fingerprint: self.fingerprint.clone(),
            segments: Some(self.records.iter().filter(|r| !r.obsolete).count()),
            tx: None,
        };
        let records = &self.records;
        let writer = Writer {
            project,
            lang: &self.lang,
            lock,
            who,
        };
        let tx = commit(
            &writer,
            &self.path,
            &mut self.pending,
            self.tx.as_deref(),
            |tx| {
                let header = Header {
                    tx: tx.map(str::to_string),
                    ..header
                };
                file::render(&header, records)
            },
        )?;
        self.tx = tx;
        self.pending.clear();
        self.dirty = false;
        Ok(true)
    }
}

/// One earlier text of a segment, as the journal has it (`duiyi log`, `duiyi revert`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Version {
    /// 1 for the first text the journal records, counting every text change.
    pub number: usize,
    /// The text.
    pub text: String,
    /// Who wrote it (or ran the machine that did).
    pub who: String,
    /// When.
    pub when: String,
    /// How it came (`set`, `import`, `translate`, ...).
    pub action: String,
}

/// What `duiyi log` shows: the committed journal of a language, narrowed to a document and to
/// the segments a ref names.
#[derive(Debug, Clone, Default)]
pub struct Log {
    /// The events, oldest first.
    pub events: Vec<Event>,
    /// For each event that wrote a text, its version number for its segment (as
    /// [`versions`] and `duiyi revert --to` count them).
    pub versions: Vec<Option<usize>>,
    /// Journal lines of an interrupted change left out (see [`history::read_committed`]).
    pub left_out: usize,
    /// Where the next change of the language moves those lines.
    pub rolled_back: PathBuf,
}

/// The log as `duiyi log` prints it: one line per event (when, who, action, ref, states,
/// the text change, the version number, the note), or a line saying there is none.
impl fmt::Display for Log {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.events.is_empty() {
            return writeln!(f, "no changes recorded yet");
        }
        for (e, version) in self.events.iter().zip(&self.versions) {
            write!(
                f,
                "{}  {:<8} {:<10} {:<10} {} → {}",
                e.when, e.who, e.action, e.r#ref, e.from, e.to
            )?;
            match (&e.old, &e.new) {
                (Some(old), Some(new)) if old.is_empty() => write!(f, "  “{new}”")?,
                (Some(old), Some(new)) => write!(f, "  “{old}” → “{new}”")?,
                _ => {}
            }
            if let Some(v) = version {
                write!(f, "  [v{v}]")?;
            }
            if let Some(n) = &e.note {
                write!(f, "  ({n})")?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

/// The journal of `lang`: of every document, or of the one `doc` names, narrowed to the
/// segments `what` names (a ref or an id; its document is found as [`locate`] finds it).
pub fn log(
    project: &Project,
    lang: &str,
    doc: Option<&str>,
    what: Option<&str>,
) -> Result<Log, StoreError> {
    project.target(lang)?;
    let doc = match (doc, what) {
        (None, None) => None,
        _ => Some(locate(project, doc, lang, what.as_slice())?),
    };
    let doc = doc.as_ref();
    let ids: Option<std::collections::HashSet<String>> = match (what, doc) {
        (Some(what), Some(spec)) => {
            let store = Store::open(project, spec, lang)?;
            Some(
                store
                    .find(what)?
                    .into_iter()
                    .map(|i| store.records()[i].id.clone())
                    .collect(),
            )
        }
        _ => None,
    };
    let (events, left_out) = history::read_committed(project, lang)?;
    let mut counts: std::collections::HashMap<(String, String), usize> =
        std::collections::HashMap::new();
    let mut log = Log {
        left_out,
        rolled_back: history::rolled_back_path(project, lang),
        ..Log::default()
    };
    for e in events {
        let version = e.new.as_ref().filter(|t| !t.is_empty()).map(|_| {
            let n = counts.entry((e.doc.clone(), e.id.clone())).or_default();
            *n += 1;
            *n
        });
        if doc.is_none_or(|d| d.name == e.doc) && ids.as_ref().is_none_or(|ids| ids.contains(&e.id))
        {
            log.events.push(e);
            log.versions.push(version);
        }
    }
    Ok(log)
}

/// The texts a segment has had, oldest first, from the committed journal of `lang`.
pub fn versions(
    project: &Project,
    lang: &str,
    doc: &str,
    id: &str,
) -> Result<Vec<Version>, StoreError> {
    let (events, _) = history::read_committed(project, lang)?;
    Ok(events
        .into_iter()
        .filter(|e| e.doc == doc && e.id == id)
        .filter_map(|e| {
            let text = e.new?;
            (!text.is_empty()).then_some((text, e.who, e.when, e.action))
        })
        .enumerate()
        .map(|(i, (text, who, when, action))| Version {
            number: i + 1,
            text,
            who,
            when,
            action,
        })
        .collect())
}

/// Brings an earlier text of the segment at `at` back (a translator's undo): version `to` of
/// [`versions`], or the text before the current one. The text comes back as a new edit by
/// `who` (translated, to be reviewed again); the one it replaces stays in the journal.
pub fn revert(
    store: &mut Store,
    at: usize,
    versions: &[Version],
    to: Option<usize>,
    who: &str,
) -> Result<Applied, StoreError> {
    let record = &store.records()[at];
    let chosen = match to {
        Some(n) => versions
            .iter()
            .find(|v| v.number == n)
            .ok_or_else(|| StoreError::NotFound {
                doc: store.doc().to_string(),
                what: format!(
                    "version {n} of {} (the journal has {}; `duiyi log LANG {}` lists them)",
                    record.r#ref,
                    versions.len(),
                    record.r#ref
                ),
            })?,
        None => versions
            .iter()
            .rev()
            .find(|v| v.text != record.target)
            .ok_or_else(|| StoreError::NotFound {
                doc: store.doc().to_string(),
                what: format!(
                    "earlier text of {} in the journal (`duiyi log LANG {}` shows its history)",
                    record.r#ref, record.r#ref
                ),
            })?,
    };
    let note = format!(
        "reverted to version {} ({} by {} at {})",
        chosen.number, chosen.action, chosen.who, chosen.when
    );
    let text = chosen.text.clone();
    let (applied, event) = change_record(
        &store.doc,
        &mut store.records[at],
        &Action::Edit {
            target: &text,
            state: None,
        },
        Some(&note),
        who,
        Some(Origin::Human),
        &store.review,
    )?;
    if let Some(mut event) = event {
        "revert".clone_into(&mut event.action);
        store.pending.push(event);
        store.dirty = true;
    }
    Ok(applied)
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

/// Applies an action to one record through the review rules and state machine: the record
/// changes in place, and the journal event is returned when anything changed.
fn change_record(
    doc: &str,
    record: &mut Translation,
    action: &Action<'_>,
    note: Option<&str>,
    who: &str,
    origin: Option<Origin>,
    review: &ReviewSettings,
) -> Result<(Applied, Option<Event>), StoreError> {
    if record.obsolete {
        return Err(StoreError::Obsolete {
            id: record.id.clone(),
        });
    }
    let refused = |source| StoreError::Review {
        r#ref: record.r#ref.clone(),
        source,
    };
    review::permitted(review, record, action, who).map_err(refused)?;
    let change = review::transition(record, action, note).map_err(refused)?;
    if !change.changes(record) {
        let applied = Applied {
            r#ref: record.r#ref.clone(),
            changed: false,
            state: record.state,
            flags: record.flags.iter().copied().collect(),
            notice: None,
        };
        return Ok((applied, None));
    }
    let text_changes = change.target.as_ref().is_some_and(|t| *t != record.target);
    // Writing the same text over a draft accepts it: a confirmation, origin kept.
    let confirms = matches!(action, Action::Confirm)
        || (matches!(action, Action::Edit { .. })
            && !text_changes
            && record.state == State::Initial
            && change.state == State::Translated);
    let verb = match (action, &origin) {
        _ if confirms => "confirm",
        (Action::Edit { .. }, Some(Origin::Import)) => "import",
        (Action::Edit { .. }, Some(Origin::Align)) => "align",
        _ => action.name(),
    };
    let mut event = Event {
        when: crate::clock::now(),
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
        tx: None,
    };
    change.apply(record);
    event.new = text_changes.then(|| record.target.clone());
    if matches!(action, Action::Edit { .. } | Action::Confirm) {
        // The translator has seen the current source: what it was before no longer matters.
        record.previous = None;
    }
    if text_changes {
        if let Some(o) = origin {
            record.origin = Some(o);
        }
        record.previous = None;
        record.author = match action {
            Action::Draft { .. } => None,
            _ => Some(who.to_string()),
        };
    } else if confirms {
        record.author = Some(who.to_string());
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
        flags: record.flags.iter().copied().collect(),
        notice: change.notice,
    };
    Ok((applied, Some(event)))
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::record::{Flag, Origin, State, Translation};

    /// Any record, including odd text: quotes, backslashes, control characters, CJK, emoji.
    pub(crate) fn any_translation() -> impl Strategy<Value = Translation> {
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
            prop::option::of("[a-z]{1,8}"),
        )
            .prop_map(
                |(
                    id,
                    r,
                    source,
                    previous,
                    target,
                    state,
                    flags,
                    origin,
                    who,
                    note,
                    obsolete,
                    author,
                )| {
                    Translation {
                        id,
                        r#ref: r,
                        source,
                        previous,
                        target,
                        state,
                        flags,
                        origin,
                        author,
                        who,
                        when: Some("2026-11-29T12:00:00Z".into()),
                        note,
                        obsolete,
                    }
                },
            )
    }
}

#[cfg(test)]
mod documents {
    use super::*;
    use crate::project::init;

    fn project() -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), "zh", &["en".into()]).unwrap();
        let p = Project::open(dir.path()).unwrap();
        std::fs::write(
            p.source_dir().join("a.txt"),
            "一、总论\n甲。乙。\n二、分论\n丙。\n",
        )
        .unwrap();
        std::fs::write(p.source_dir().join("b.txt"), "一、总论\n丁。\n").unwrap();
        (dir, p)
    }

    #[test]
    fn locate_finds_the_one_document_that_has_the_segments() {
        let (_dir, p) = project();
        assert_eq!(locate(&p, None, "en", &["2¶1.1"]).unwrap().name, "a");
        assert_eq!(locate(&p, Some("b"), "en", &["1¶1.1"]).unwrap().name, "b");
        let both = locate(&p, None, "en", &["1¶1.1"]).unwrap_err();
        assert!(
            matches!(&both, StoreError::InSeveralDocuments { docs, .. } if docs == &["a", "b"])
        );
        // Every segment named must be in the document.
        assert_eq!(
            locate(&p, None, "en", &["1¶1.2", "1¶1.1"]).unwrap().name,
            "a"
        );
        let none = locate(&p, None, "en", &["9¶9.9"]).unwrap_err().to_string();
        assert!(none.contains("no document has segment 9¶9.9"), "{none}");
        assert!(matches!(
            locate::<&str>(&p, None, "en", &[]),
            Err(StoreError::Project(ProjectError::WhichDocument { .. }))
        ));
        assert_eq!(locate_all::<&str>(&p, None, "en", &[]).unwrap().len(), 2);
        assert!(locate(&p, None, "de", &["2¶1.1"]).is_err());
    }

    #[test]
    fn a_change_based_on_an_old_revision_is_stale_and_changes_nothing() {
        let (_dir, p) = project();
        let a = p.document("a").unwrap();
        let edit = |t| Action::Edit {
            target: t,
            state: None,
        };
        let untouched = record::base("", State::Initial);
        // The first write merges a new store (the slow path); the second replaces one line.
        for (text, base) in [
            ("A.", untouched.clone()),
            ("A!", record::base("A.", State::Translated)),
        ] {
            let done =
                apply_one_based(&p, &a, "en", "1¶1.1", &edit(text), None, "ana", None, &base)
                    .unwrap();
            assert_eq!(done.value.state, State::Translated);
        }
        let before = std::fs::read(store_path(&p, "en", "a")).unwrap();
        let e = apply_one_based(
            &p,
            &a,
            "en",
            "1¶1.1",
            &edit("B."),
            None,
            "li",
            None,
            &untouched,
        )
        .unwrap_err();
        match &e {
            StoreError::Stale { base, current, .. } => {
                assert_eq!(
                    (base.as_str(), current.target.as_str()),
                    (untouched.as_str(), "A!")
                );
            }
            other => panic!("{other}"),
        }
        assert_eq!(e.code(), 1);
        assert!(
            e.to_string()
                .starts_with("1¶1.1: changed meanwhile (it is translated:"),
            "{e}"
        );
        assert_eq!(std::fs::read(store_path(&p, "en", "a")).unwrap(), before);
    }

    #[test]
    fn a_selection_is_a_section_and_a_state_and_several_changes_go_together() {
        let (_dir, p) = project();
        let a = p.document("a").unwrap();
        let edit = Action::Edit {
            target: "A.",
            state: None,
        };
        apply_one(
            &p,
            &a,
            "en",
            "1¶1.1",
            &edit,
            None,
            "ana",
            Some(Origin::Human),
        )
        .unwrap();
        let store = Store::open(&p, &a, "en").unwrap();
        let refs = |rs: Vec<&Translation>| rs.iter().map(|r| r.r#ref.clone()).collect::<Vec<_>>();
        assert_eq!(
            refs(store.selection(Some("1"), None).unwrap()),
            ["1¶0.1", "1¶1.1", "1¶1.2"]
        );
        assert_eq!(
            refs(store.selection(None, Some(State::Translated)).unwrap()),
            ["1¶1.1"]
        );
        assert!(store.selection(Some("7"), None).is_err());
        // Approving a translated and an untranslated segment is refused as a whole.
        let e = apply_all(
            &p,
            &a,
            "en",
            &["1¶1.1", "1¶1.2"],
            &Action::Approve,
            None,
            "li",
        );
        assert!(e.is_err());
        let store = Store::open(&p, &a, "en").unwrap();
        assert_eq!(
            store.selection(None, Some(State::Reviewed)).unwrap().len(),
            0
        );
        let done = apply_all(&p, &a, "en", &["1¶1"], &Action::Approve, None, "li");
        assert!(done.is_err(), "1¶1 names both sentences");
        let done = apply_all(&p, &a, "en", &["1¶1.1"], &Action::Approve, None, "li").unwrap();
        assert_eq!(done.value[0].state, State::Reviewed);
        // Reverting to the text it already has keeps its approval; nothing is before it.
        let same = revert_segment(&p, &a, "en", "1¶1.1", Some(1), "ana").unwrap();
        assert_eq!(same.value.state, State::Reviewed);
        assert!(revert_segment(&p, &a, "en", "1¶1.1", None, "ana").is_err());
    }
}
