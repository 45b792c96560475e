//! `duiyi translate`: machine drafts through a backend, landed in the store as they arrive.
//!
//! [`run`] translates one document into one language ([`run_documents`] several in turn, with
//! one summary) in steps with one job each:
//!
//! 1. *selection* ([`select`]): the segments named (or every live one), minus those the run may
//!    not replace (below), at most `limit`;
//! 2. *requests*: each selected segment with its approved glossary terms (forbidden and
//!    unapproved renderings never travel) and its context: the document title, the section's
//!    heading path, and the two source segments before and after;
//! 3. *cached answers*: an answer already in the cache (`.duiyi/cache/<lang>.jsonl`, see
//!    [`Cache`]) is taken instead of asking again, unless [`Options::refresh`], which asks the
//!    backend again and replaces the cached answer;
//! 4. *rounds*: the rest goes through the [`runner`]. Each output is checked
//!    against the glossary; a segment missing an approved rendering (or using a forbidden one)
//!    lands with a note naming the term and is asked again once with a stronger instruction
//!    (round 2): a compliant second answer replaces the first, otherwise the segment keeps its
//!    note and is reported as flagged;
//! 5. *landing*: each result is written as a draft the moment it arrives, and the store is saved
//!    after every group of arrivals; the answer cache is appended per answer. So an
//!    interruption (the `cancel` future completing: Ctrl-C in the CLI) or a crash loses at most
//!    the requests in flight, and a rerun resumes: landed segments are no longer selected, and
//!    answered ones come from the cache for free.
//!
//! [`run`] is async and needs a tokio runtime; what the user sees of it comes through the
//! caller's [`Progress`], and when to stop through the caller's `cancel` future. The library
//! draws nothing and installs no signal handler.
//!
//! ## What a run may replace
//!
//! What lands is a draft: state `initial`, flag `needs-review`, origin `mt:<backend>` (or
//! `memory`, with the match score in the note).
//!
//! | the segment has | replaced |
//! | --- | --- |
//! | no text | always |
//! | a machine draft ([`is_machine_draft`]): `initial` with origin `mt:*` or `memory` | with [`Overwrite::Drafts`] (`--overwrite`) |
//! | human text below reviewed: origin `human`, `import` or `align` (or none), or a person's draft (`set --state initial`); a rejected one keeps its rejection and note | only with [`Overwrite::Human`] (`--overwrite-human`); the old text stays in the history journal |
//! | reviewed or final text | never (the review state machine refuses) |
//!
//! An answer equal to the human text already there leaves the record as it is. The memory
//! backend never offers a segment its own record ([`crate::memory`]).
//!
//! ## The summary: `duiyi translate --json`
//!
//! [`Summary`] says what a run did; its JSON form is a documented contract (fields are only
//! ever added):
//!
//! ```json
//! {
//!   "backend": "llm",
//!   "selected": 3,
//!   "landed": 2,
//!   "cached": 1,
//!   "skipped": 0,
//!   "kept_human": 4,
//!   "failed": [{ "doc": "white-paper", "ref": "3.2¶4.1", "message": "llm: the server answered 400" }],
//!   "flagged": [{ "doc": "white-paper", "ref": "3.2¶5.1", "message": "3.2¶5.1: glossary term 南南合作 …" }],
//!   "chars": 96,
//!   "preview": [],
//!   "interrupted": false
//! }
//! ```
//!
//! | field | meaning |
//! | --- | --- |
//! | `backend` | the backend's name |
//! | `selected` | segments the run set out to translate |
//! | `landed` | segments whose draft was written, each counted once however many rounds it took |
//! | `cached` | of the landed, those whose answer came from the cache |
//! | `skipped` | segments left as they were: no memory match good enough, or an answer equal to the human text there |
//! | `kept_human` | named segments with human text that the run left alone (not replaced without `--overwrite-human`) |
//! | `failed` | segments left as they were because the backend failed, with their document, ref and the reason, in document order |
//! | `flagged` | segments that landed with a glossary warning (their note names the term), with document and ref, in document order |
//! | `chars` | source characters sent to the backend (in a dry run: that would be sent) |
//! | `preview` | the requests that would be sent (dry run only) |
//! | `interrupted` | the run was stopped before the end (Ctrl-C: exit 130); a rerun resumes |

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::cache::Cache;
use super::runner::{self, Done, Limits};
use super::{Backend, BackendError, Context, Languages, Reply, Request, TermHint};
use crate::files::Lock;
use crate::glossary::check::Checker;
use crate::glossary::{Glossary, GlossaryStore, Matcher, Status};
use crate::project::{BackendSettings, DocumentSpec, Project};
use crate::review::Action;
use crate::segment::Role;
use crate::store::record::{Origin, State, Translation};
use crate::store::{self, Store};

/// Which existing translations a run may replace (never reviewed or final ones).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Overwrite {
    /// Only segments without text.
    #[default]
    Nothing,
    /// Also machine drafts (`--overwrite`).
    Drafts,
    /// Also human text below reviewed (`--overwrite-human`); the old text stays in the journal.
    Human,
}

/// What to translate and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The target language.
    pub lang: String,
    /// The backend's name (default `memory`).
    pub backend: Option<String>,
    /// Refs or ids (sections, units, segments); empty means the whole document.
    pub selectors: Vec<String>,
    /// At most this many segments.
    pub limit: Option<usize>,
    /// Only show what would be sent.
    pub dry_run: bool,
    /// Which existing translations may be replaced.
    pub overwrite: Overwrite,
    /// Ask the backend again instead of taking cached answers (and replace them).
    pub refresh: bool,
    /// Who runs it.
    pub who: String,
    /// Overrides of the runner's limits (tests, benchmarks); `None` uses the backend's table.
    pub limits: Option<Limits>,
}

/// What the user sees of a run: the caller draws it (a progress bar in the CLI).
pub trait Progress: Sync {
    /// `n` more segments to do: the selection at the start, then each strict retry.
    fn planned(&self, _n: usize) {}
    /// `n` segments done (landed, skipped or failed).
    fn done(&self, _n: usize) {}
}

/// No progress shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Progress for Quiet {}

/// One segment that did not land, or landed with a warning.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The segment's document.
    pub doc: String,
    /// The segment's ref.
    pub r#ref: String,
    /// What happened.
    pub message: String,
}

/// What a run did (its JSON form is documented in the module documentation).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// The backend's name.
    pub backend: String,
    /// Segments the run set out to translate.
    pub selected: usize,
    /// Segments whose draft was written (each once, however many rounds it took).
    pub landed: usize,
    /// Of those, the ones whose answer came from the cache.
    pub cached: usize,
    /// Segments left as they were: no memory match good enough, or an answer equal to the
    /// human text there.
    pub skipped: usize,
    /// Named segments with human text the run left alone (replace them with
    /// [`Overwrite::Human`]).
    pub kept_human: usize,
    /// Segments that failed (left as they were), with the reason, in document order.
    pub failed: Vec<Problem>,
    /// Segments that landed with a glossary warning, in document order.
    pub flagged: Vec<Problem>,
    /// Source characters that were (or, in a dry run, would be) sent.
    pub chars: usize,
    /// The requests that would be sent (dry run).
    pub preview: Vec<String>,
    /// Stopped (cancelled) before the end.
    pub interrupted: bool,
    /// How many documents the run went through.
    #[serde(skip)]
    pub documents: usize,
}

impl Summary {
    /// The summary as `duiyi translate` prints it, lines ending in line breaks: for a dry run
    /// the requests and what they would cost; otherwise every failed and flagged segment (with
    /// its document when the run went through several), the counts, and, when a run with
    /// `overwrite` left human text alone, how to replace it.
    pub fn text(&self, dry_run: bool, overwrite: Overwrite) -> String {
        let mut t = String::new();
        if dry_run {
            for p in &self.preview {
                let _ = writeln!(t, "{p}\n");
            }
            let _ = writeln!(
                t,
                "dry run: {} segment(s), {} source characters, {} request(s) to backend {}; nothing sent",
                self.selected,
                self.chars,
                self.preview.len(),
                self.backend
            );
            return t;
        }
        let at = |p: &Problem| {
            if self.documents > 1 {
                format!("{} {}", p.doc, p.r#ref)
            } else {
                p.r#ref.clone()
            }
        };
        for p in &self.failed {
            let _ = writeln!(t, "failed {}: {}", at(p), p.message);
        }
        for p in &self.flagged {
            let _ = writeln!(t, "needs-review {}: {}", at(p), p.message);
        }
        let _ = writeln!(
            t,
            "{}: {} selected, {} landed ({} from cache), {} skipped (no good enough match, or the text already there), {} failed, {} with glossary warnings{}",
            self.backend,
            self.selected,
            self.landed,
            self.cached,
            self.skipped,
            self.failed.len(),
            self.flagged.len(),
            if self.interrupted {
                "; interrupted: run again to resume"
            } else {
                ""
            }
        );
        if overwrite == Overwrite::Drafts && self.kept_human > 0 {
            let _ = writeln!(
                t,
                "{} segment(s) with human text kept; --overwrite-human replaces them (the old text stays in duiyi log)",
                self.kept_human
            );
        }
        t
    }

    /// Adds the summary of a run over another document.
    fn absorb(&mut self, other: Summary) {
        self.backend = other.backend;
        self.selected += other.selected;
        self.landed += other.landed;
        self.cached += other.cached;
        self.skipped += other.skipped;
        self.kept_human += other.kept_human;
        self.failed.extend(other.failed);
        self.flagged.extend(other.flagged);
        self.chars += other.chars;
        self.preview.extend(other.preview);
        self.interrupted |= other.interrupted;
        self.documents += 1;
    }
}

/// Whether a record holds a machine draft: `initial` with text from a backend (`mt:*`) or the
/// memory, not yet touched by a person.
pub fn is_machine_draft(r: &Translation) -> bool {
    r.state == State::Initial
        && !r.target.trim().is_empty()
        && matches!(r.origin, Some(Origin::Mt(_) | Origin::Memory))
}

/// Whether a record holds text a person wrote or accepted, below reviewed: what only
/// [`Overwrite::Human`] replaces.
pub fn has_human_text(r: &Translation) -> bool {
    !r.target.trim().is_empty() && r.state < State::Reviewed && !is_machine_draft(r)
}

/// Whether a run with `overwrite` may write a draft into `r`.
pub fn replaceable(r: &Translation, overwrite: Overwrite) -> bool {
    if r.obsolete || r.state >= State::Reviewed {
        false
    } else if r.target.trim().is_empty() {
        true
    } else if is_machine_draft(r) {
        overwrite >= Overwrite::Drafts
    } else {
        overwrite >= Overwrite::Human
    }
}

/// The segments a run translates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Store positions, in document order.
    pub positions: Vec<usize>,
    /// Named segments with human text left alone.
    pub kept_human: usize,
}

/// The positions of `store` that `selectors` name (every live one when empty) and a run with
/// `overwrite` may replace, at most `limit`.
pub fn select(
    store: &Store,
    selectors: &[String],
    overwrite: Overwrite,
    limit: Option<usize>,
) -> Result<Selection, BackendError> {
    let mut named: BTreeSet<usize> = BTreeSet::new();
    if selectors.is_empty() {
        named.extend(
            store
                .records()
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.obsolete)
                .map(|(i, _)| i),
        );
    } else {
        for s in selectors {
            named.extend(store.find(s)?);
        }
    }
    let records = store.records();
    let kept_human = named
        .iter()
        .filter(|&&i| !records[i].obsolete && has_human_text(&records[i]))
        .filter(|&&i| !replaceable(&records[i], overwrite))
        .count();
    let positions = named
        .into_iter()
        .filter(|&i| replaceable(&records[i], overwrite))
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    Ok(Selection {
        positions,
        kept_human,
    })
}

/// The glossary of the language, compiled for finding and checking terms.
struct Terms {
    glossary: Glossary,
    matcher: Matcher,
    checker: Checker,
}

impl Terms {
    fn load(project: &Project, lang: &str) -> Result<Self, BackendError> {
        let glossary = GlossaryStore::new(project.glossary_dir()).load(lang)?;
        let matcher = Matcher::for_glossary(&glossary)?;
        let checker = Checker::new(&glossary)?;
        Ok(Self {
            glossary,
            matcher,
            checker,
        })
    }

    /// The approved terms of `source`, each once.
    fn of(&self, source: &str) -> Vec<TermHint> {
        let mut seen = BTreeSet::new();
        self.matcher
            .find(source)
            .into_iter()
            .filter_map(|hit| {
                let term = self.matcher.term(hit.term);
                let approved = self.glossary.approved(term)?;
                seen.insert(term.to_string()).then(|| TermHint {
                    source: source[hit.start..hit.end].to_string(),
                    target: approved.target.clone(),
                })
            })
            .collect()
    }

    /// Every approved term (a DeepL glossary is made of them).
    fn approved(&self) -> Vec<TermHint> {
        self.glossary
            .terms()
            .iter()
            .filter(|t| t.status == Status::Approved)
            .map(|t| TermHint {
                source: t.source.clone(),
                target: t.target.clone(),
            })
            .collect()
    }

    /// What the glossary check finds wrong in `text` as a translation of `r`.
    fn findings(&self, r: &Request, text: &str) -> Vec<String> {
        self.checker
            .check_segment(&r.r#ref, &r.source, text)
            .iter()
            .map(ToString::to_string)
            .collect()
    }
}

/// The requests for the records at `positions`, each with its terms and context.
fn requests(
    project: &Project,
    spec: &DocumentSpec,
    store: &Store,
    positions: &[usize],
    terms: &Terms,
) -> Result<Vec<Request>, BackendError> {
    let rules = project.rules().map_err(store::StoreError::from)?;
    let document = project
        .load(spec, &rules)
        .map_err(store::StoreError::from)?;
    let title = document
        .units
        .iter()
        .find(|u| u.role == Role::Title)
        .map_or_else(|| spec.name.clone(), |u| document.unit_text(u).to_string());
    let order: Vec<(&str, &str, &crate::segment::Unit)> = document
        .segments()
        .map(|s| (s.id(), s.text(), s.unit))
        .collect();
    let at: HashMap<&str, usize> = order.iter().enumerate().map(|(i, s)| (s.0, i)).collect();
    let texts = |range: std::ops::Range<usize>| -> Vec<String> {
        order[range].iter().map(|s| s.1.to_string()).collect()
    };
    Ok(positions
        .iter()
        .map(|&i| {
            let r = &store.records()[i];
            let context = at.get(r.id.as_str()).map_or_else(Context::default, |&k| {
                let n = order.len();
                Context {
                    title: title.clone(),
                    headings: document
                        .heading_path(&order[k].2.section)
                        .iter()
                        .map(|u| document.unit_text(u).to_string())
                        .collect(),
                    before: texts(k.saturating_sub(2)..k),
                    after: texts((k + 1).min(n)..(k + 3).min(n)),
                }
            });
            Request {
                doc: spec.name.clone(),
                id: r.id.clone(),
                r#ref: r.r#ref.clone(),
                source: r.source.clone(),
                terms: terms.of(&r.source),
                context,
                strict: false,
            }
        })
        .collect())
}

/// The runner's limits from a backend's table (`DUIYI_BACKOFF_MS` shortens the backoff).
fn limits_of(settings: &BackendSettings) -> Limits {
    let d = Limits::default();
    Limits {
        concurrency: settings.concurrency.unwrap_or(d.concurrency).max(1),
        per_second: settings.requests_per_second,
        per_minute: settings.requests_per_minute,
        timeout: settings
            .timeout
            .filter(|t| t.is_finite() && *t > 0.0)
            .map_or(d.timeout, Duration::from_secs_f64),
        retries: settings.retries.unwrap_or(d.retries),
        backoff: std::env::var("DUIYI_BACKOFF_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(d.backoff, Duration::from_millis),
    }
}

/// Writes results into the store and keeps the per-segment tally, each segment counted once.
struct Landing<'a> {
    store: &'a mut Store,
    project: &'a Project,
    lock: &'a Lock,
    who: &'a str,
    origin: Origin,
    /// Segment id → store position.
    positions: HashMap<String, usize>,
    landed: BTreeSet<usize>,
    cached: BTreeSet<usize>,
    flagged: BTreeMap<usize, Problem>,
    failed: BTreeMap<usize, Problem>,
    skipped: usize,
}

impl Landing<'_> {
    /// Writes `text` as the draft of `r`'s segment with `note`; `warning` marks it flagged
    /// (a later clean landing of the same segment clears it). Returns whether it landed.
    fn land(
        &mut self,
        r: &Request,
        text: &str,
        note: Option<&str>,
        warning: Option<String>,
        cached: bool,
    ) -> bool {
        let Some(&at) = self.positions.get(&r.id) else {
            return false;
        };
        let record = &self.store.records()[at];
        if record.target == text && !is_machine_draft(record) {
            self.skipped += 1;
            return false;
        }
        let result = self.store.apply(
            at,
            &Action::Draft { target: text },
            note,
            self.who,
            Some(self.origin.clone()),
        );
        if let Err(e) = result {
            self.fail(r, e.to_string());
            return false;
        }
        self.landed.insert(at);
        if cached {
            self.cached.insert(at);
        } else {
            self.cached.remove(&at);
        }
        match warning {
            Some(message) => {
                self.flagged.insert(
                    at,
                    Problem {
                        doc: self.store.doc().to_string(),
                        r#ref: r.r#ref.clone(),
                        message,
                    },
                );
            }
            None => {
                self.flagged.remove(&at);
            }
        }
        true
    }

    /// Records that `r` failed. A segment whose first answer landed keeps it: its strict retry
    /// failing is told in its flag.
    fn fail(&mut self, r: &Request, message: String) {
        let Some(&at) = self.positions.get(&r.id) else {
            return;
        };
        if let Some(flag) = self.flagged.get_mut(&at) {
            flag.message = format!("{}; the strict retry failed: {message}", flag.message);
            return;
        }
        self.failed.insert(
            at,
            Problem {
                doc: self.store.doc().to_string(),
                r#ref: r.r#ref.clone(),
                message,
            },
        );
    }

    fn save(&mut self) -> Result<(), BackendError> {
        self.store.save(self.project, self.lock, self.who)?;
        Ok(())
    }

    /// The tally into the summary.
    fn tally(self, summary: &mut Summary) {
        summary.landed = self.landed.len();
        summary.cached = self.cached.len();
        summary.skipped += self.skipped;
        summary.flagged = self.flagged.into_values().collect();
        summary.failed = self.failed.into_values().collect();
    }
}

/// A future that completes when the run should stop.
type Cancel<'c> = Pin<&'c mut (dyn Future<Output = ()> + 'c)>;

/// The rounds of one run: what is asked, what comes back, where it lands.
struct Rounds<'a> {
    backend: Arc<dyn Backend>,
    langs: Languages,
    terms: &'a Terms,
    /// The answer cache (none for the memory, which answers for free).
    cache: Option<Cache>,
    refresh: bool,
    limits: Limits,
    landing: Landing<'a>,
    progress: &'a dyn Progress,
    chars: usize,
}

impl Rounds<'_> {
    fn key(&self, r: &Request) -> String {
        Cache::key(self.backend.name(), self.backend.model(), &self.langs, r)
    }

    /// Runs round 1 over `requests`, then round 2 over its glossary violations. Returns
    /// whether it was cancelled.
    async fn run(
        &mut self,
        requests: Vec<Request>,
        cancel: &mut Cancel<'_>,
    ) -> Result<bool, BackendError> {
        let approved = self.terms.approved();
        tokio::select! {
            prepared = self.backend.prepare(&approved) => prepared?,
            () = cancel.as_mut() => return Ok(true),
        }
        let mut pending = requests;
        for number in 1..=2 {
            let (retry, cancelled) = self.round(pending, number, cancel).await?;
            if cancelled {
                return Ok(true);
            }
            if retry.is_empty() {
                break;
            }
            self.progress.planned(retry.len());
            pending = retry;
        }
        Ok(false)
    }

    /// One round: cached answers first, then the backend. Returns the strict retries it
    /// calls for (round 1 only) and whether it was cancelled.
    async fn round(
        &mut self,
        requests: Vec<Request>,
        number: u8,
        cancel: &mut Cancel<'_>,
    ) -> Result<(Vec<Request>, bool), BackendError> {
        let mut retry = Vec::new();
        let to_send = self.cached_answers(requests, number, &mut retry);
        self.landing.save()?;
        if to_send.is_empty() {
            return Ok((retry, false));
        }
        let batch_size = self.backend.batch_size().max(1);
        let batches: Vec<Vec<Request>> = to_send
            .chunks(batch_size)
            .map(<[Request]>::to_vec)
            .collect();
        let (tx, mut rx) = mpsc::unbounded_channel::<Done>();
        let work = tokio::spawn(runner::run(
            Arc::clone(&self.backend),
            batches.clone(),
            self.limits.clone(),
            tx,
        ));
        loop {
            let first = tokio::select! {
                d = rx.recv() => d,
                () = cancel.as_mut() => {
                    work.abort();
                    self.landing.save()?;
                    return Ok((retry, true));
                }
            };
            let Some(first) = first else { break };
            let mut group = vec![first];
            while let Ok(more) = rx.try_recv() {
                group.push(more);
            }
            let handled = group
                .into_iter()
                .try_for_each(|d| self.arrived(&batches[d.batch], d.result, number, &mut retry));
            self.landing.save()?;
            handled?;
        }
        let _ = work.await;
        Ok((retry, false))
    }

    /// Lands what the cache already knows; returns the requests to send. With `refresh`,
    /// everything is sent.
    fn cached_answers(
        &mut self,
        requests: Vec<Request>,
        number: u8,
        retry: &mut Vec<Request>,
    ) -> Vec<Request> {
        if self.refresh {
            return requests;
        }
        let mut to_send = Vec::new();
        for r in requests {
            let cached = self
                .cache
                .as_ref()
                .and_then(|c| c.get(&self.key(&r)))
                .map(str::to_string);
            match cached {
                Some(text) => {
                    self.progress.done(1);
                    self.judge(&r, &text, None, number, true, retry);
                }
                None => to_send.push(r),
            }
        }
        to_send
    }

    /// Handles the result of one batch.
    fn arrived(
        &mut self,
        batch: &[Request],
        result: Result<Vec<Reply>, BackendError>,
        number: u8,
        retry: &mut Vec<Request>,
    ) -> Result<(), BackendError> {
        self.progress.done(batch.len());
        let replies = match result {
            Ok(replies) => replies,
            Err(e) => {
                for r in batch {
                    self.landing.fail(r, e.to_string());
                }
                return Ok(());
            }
        };
        for (r, reply) in batch.iter().zip(replies) {
            self.chars += r.source.chars().count();
            let Reply::Text { text, score } = reply else {
                self.landing.skipped += 1;
                continue;
            };
            let text = text.trim();
            if text.is_empty() || text.contains(['\n', '\r']) {
                self.landing.fail(
                    r,
                    "the backend answered an empty or multi-line text".to_string(),
                );
                continue;
            }
            if let Some(cache) = &mut self.cache {
                let key = Cache::key(self.backend.name(), self.backend.model(), &self.langs, r);
                cache.put(key, text)?;
            }
            self.judge(r, text, score, number, false, retry);
        }
        Ok(())
    }

    /// Checks an answer against the glossary and lands it; a violation in round 1 lands with
    /// its note and asks again strictly.
    fn judge(
        &mut self,
        r: &Request,
        text: &str,
        score: Option<f64>,
        number: u8,
        cached: bool,
        retry: &mut Vec<Request>,
    ) {
        let findings = if self.backend.is_memory() {
            Vec::new()
        } else {
            self.terms.findings(r, text)
        };
        if findings.is_empty() {
            let note = score.map(|s| format!("memory match {:.0}%", s * 100.0));
            self.landing.land(r, text, note.as_deref(), None, cached);
            return;
        }
        let names = findings.join("; ");
        let landed = self.landing.land(
            r,
            text,
            Some(&format!("glossary: {names}")),
            Some(names),
            cached,
        );
        if landed && number == 1 {
            let mut strict = r.clone();
            strict.strict = true;
            retry.push(strict);
        }
    }
}

/// Translates the selected segments of one document (see the module documentation), telling
/// `progress` how far it is, until done or until `cancel` completes (then what landed is
/// saved and the summary says `interrupted`). Needs a tokio runtime.
pub async fn run(
    project: &Project,
    spec: &DocumentSpec,
    opts: &Options,
    progress: &dyn Progress,
    cancel: impl Future<Output = ()>,
) -> Result<Summary, BackendError> {
    run_documents(project, std::slice::from_ref(spec), opts, progress, cancel).await
}

/// [`run`] over several documents in turn, with one summary (its problems name their
/// documents) and `opts.limit` counted over all of them; `cancel` stops the whole run.
pub async fn run_documents(
    project: &Project,
    specs: &[DocumentSpec],
    opts: &Options,
    progress: &dyn Progress,
    cancel: impl Future<Output = ()>,
) -> Result<Summary, BackendError> {
    let cancel = std::pin::pin!(cancel);
    let mut cancel: Cancel<'_> = cancel;
    let mut total = Summary::default();
    let mut opts = opts.clone();
    for spec in specs {
        let summary = run_one(project, spec, &opts, progress, &mut cancel).await?;
        if let Some(limit) = &mut opts.limit {
            *limit = limit.saturating_sub(summary.selected);
        }
        total.absorb(summary);
        if total.interrupted || opts.limit == Some(0) {
            break;
        }
    }
    Ok(total)
}

/// [`run`] of one document, stopped by the shared `cancel`.
async fn run_one(
    project: &Project,
    spec: &DocumentSpec,
    opts: &Options,
    progress: &dyn Progress,
    cancel: &mut Cancel<'_>,
) -> Result<Summary, BackendError> {
    let langs = Languages {
        source: project.source_language().to_string(),
        target: opts.lang.clone(),
    };
    let resolved = super::resolve(project, opts.backend.as_deref())?;
    let lock = store::lock(project, &opts.lang)?;
    let mut store = Store::open(project, spec, &opts.lang)?;
    let selection = select(&store, &opts.selectors, opts.overwrite, opts.limit)?;
    let terms = Terms::load(project, &opts.lang)?;
    let requests = requests(project, spec, &store, &selection.positions, &terms)?;
    let backend: Arc<dyn Backend> = Arc::from(super::build(project, &resolved, &langs)?);
    let mut summary = Summary {
        backend: resolved.name.clone(),
        selected: requests.len(),
        kept_human: selection.kept_human,
        ..Summary::default()
    };

    if opts.dry_run {
        for chunk in requests.chunks(backend.batch_size().max(1)) {
            summary.chars += chunk
                .iter()
                .map(|r| r.source.chars().count())
                .sum::<usize>();
            summary.preview.push(backend.preview(chunk));
        }
        return Ok(summary);
    }

    let origin = if backend.is_memory() {
        Origin::Memory
    } else {
        Origin::Mt(resolved.name.clone())
    };
    let cache = if backend.is_memory() {
        None
    } else {
        Some(Cache::open(&project.cache_dir(), &opts.lang)?)
    };
    let positions = selection
        .positions
        .iter()
        .map(|&i| (store.records()[i].id.clone(), i))
        .collect();
    let mut rounds = Rounds {
        backend,
        langs,
        terms: &terms,
        cache,
        refresh: opts.refresh,
        limits: opts
            .limits
            .clone()
            .unwrap_or_else(|| limits_of(&resolved.settings)),
        landing: Landing {
            store: &mut store,
            project,
            lock: &lock,
            who: &opts.who,
            origin,
            positions,
            landed: BTreeSet::new(),
            cached: BTreeSet::new(),
            flagged: BTreeMap::new(),
            failed: BTreeMap::new(),
            skipped: 0,
        },
        progress,
        chars: 0,
    };
    progress.planned(requests.len());
    let outcome = rounds.run(requests, cancel).await;
    // Whatever happened, what landed is saved.
    let saved = rounds.landing.save();
    summary.interrupted = outcome?;
    saved?;
    summary.chars = rounds.chars;
    rounds.landing.tally(&mut summary);
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::record::Flag;

    fn record(target: &str, state: State, origin: Option<Origin>) -> Translation {
        let mut r = Translation::initial("0123456789abcdef", "1¶1.1", "中国。");
        r.target = target.to_string();
        r.state = state;
        r.origin = origin;
        r
    }

    #[test]
    fn machine_runs_replace_drafts_only_when_asked_and_human_text_only_when_told_so() {
        let mt = Some(Origin::Mt("llm".into()));
        let empty = record("", State::Initial, None);
        let draft = record("China.", State::Initial, mt.clone());
        let memory = record("China.", State::Initial, Some(Origin::Memory));
        let confirmed = record("China.", State::Translated, mt.clone());
        let human_draft = record("China.", State::Initial, Some(Origin::Human));
        let human = record("China.", State::Translated, Some(Origin::Human));
        let imported = record("China.", State::Translated, Some(Origin::Import));
        let aligned = record("China.", State::Translated, Some(Origin::Align));
        let unknown = record("China.", State::Translated, None);
        let mut rejected = human.clone();
        rejected.flags.insert(Flag::Rejected);
        let reviewed = record("China.", State::Reviewed, Some(Origin::Human));
        let final_mt = record("China.", State::Final, mt);
        let mut obsolete = empty.clone();
        obsolete.obsolete = true;

        let allowed = |r: &Translation| {
            [Overwrite::Nothing, Overwrite::Drafts, Overwrite::Human].map(|o| replaceable(r, o))
        };
        assert_eq!(allowed(&empty), [true, true, true]);
        for r in [&draft, &memory] {
            assert!(is_machine_draft(r) && !has_human_text(r));
            assert_eq!(allowed(r), [false, true, true], "{r:?}");
        }
        for r in [
            &confirmed,
            &human_draft,
            &human,
            &imported,
            &aligned,
            &unknown,
            &rejected,
        ] {
            assert!(has_human_text(r) && !is_machine_draft(r), "{r:?}");
            assert_eq!(allowed(r), [false, false, true], "{r:?}");
        }
        for r in [&reviewed, &final_mt, &obsolete] {
            assert_eq!(allowed(r), [false, false, false], "{r:?}");
        }
    }
}
