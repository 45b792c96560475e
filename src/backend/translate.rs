//! `duiyi translate`: selects segments, builds glossary-aware requests with context, runs them
//! through the [`runner`](super::runner), checks the output against the glossary, and lands
//! results in the store as they arrive.
//!
//! What lands is a draft: state `initial`, flag `needs-review`, origin `mt:<backend>` (or
//! `memory`, with the match score in the note; the memory never offers a segment its own
//! record, see [`crate::memory`]). Segments that already have text are left alone
//! unless `overwrite`, and reviewed or final ones always (the review state machine refuses
//! them). The store is saved after every group of arrivals and the answer cache is appended per
//! answer, so an interruption loses at most the requests in flight and a rerun resumes: landed
//! segments are no longer selected, and answered ones come from the cache for free.
//!
//! After translation the glossary check runs on each output; a segment missing an approved
//! rendering (or using a forbidden one) is asked again once with a stronger instruction, and if
//! it still fails it lands with a note naming the term.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc;

use super::cache::Cache;
use super::runner::{self, Done, Limits};
use super::{Backend, BackendError, Context, Languages, Reply, Request, TermHint};
use crate::files::Lock;
use crate::glossary::check::Checker;
use crate::glossary::{Glossary, GlossaryStore, Matcher, Status};
use crate::project::{DocumentSpec, Project};
use crate::review::Action;
use crate::segment::Role;
use crate::store::record::{Origin, State};
use crate::store::{self, Store};

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
    /// Replace existing drafts and translated (not reviewed or final) segments.
    pub overwrite: bool,
    /// Show a progress bar (on a TTY).
    pub progress: bool,
    /// Who runs it.
    pub who: String,
    /// Overrides of the runner's limits (tests, benchmarks); `None` uses the backend's table.
    pub limits: Option<Limits>,
}

/// One segment that did not land, or landed with a warning.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The segment's ref.
    pub r#ref: String,
    /// What happened.
    pub message: String,
}

/// What a run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// The backend's name.
    pub backend: String,
    /// Segments selected.
    pub selected: usize,
    /// Segments written to the store.
    pub landed: usize,
    /// Of those, answers taken from the cache.
    pub cached: usize,
    /// Segments left untouched (no memory match good enough).
    pub skipped: usize,
    /// Segments that failed (left untouched), with the reason.
    pub failed: Vec<Problem>,
    /// Segments that landed with a glossary warning.
    pub flagged: Vec<Problem>,
    /// Source characters that were (or, in a dry run, would be) sent.
    pub chars: usize,
    /// The requests that would be sent (dry run).
    pub preview: Vec<String>,
    /// Interrupted (Ctrl-C) before the end.
    pub interrupted: bool,
}

struct Landing<'a> {
    store: &'a mut Store,
    project: &'a Project,
    lock: &'a Lock,
    who: &'a str,
    origin: Origin,
    summary: &'a mut Summary,
    positions: HashMap<String, usize>,
}

impl Landing<'_> {
    fn land(&mut self, r: &Request, text: &str, note: Option<&str>) {
        let Some(&at) = self.positions.get(&r.id) else {
            return;
        };
        let result = self.store.apply(
            at,
            &Action::Draft { target: text },
            note,
            self.who,
            Some(self.origin.clone()),
        );
        match result {
            Ok(_) => self.summary.landed += 1,
            Err(e) => self.summary.failed.push(Problem {
                r#ref: r.r#ref.clone(),
                message: e.to_string(),
            }),
        }
    }

    fn save(&mut self) -> Result<(), BackendError> {
        self.store.save(self.project, self.lock, self.who)?;
        Ok(())
    }
}

/// The approved terms of `source` (forbidden and unapproved renderings never travel).
fn terms_of(matcher: &Matcher, glossary: &Glossary, source: &str) -> Vec<TermHint> {
    let mut seen = BTreeSet::new();
    matcher
        .find(source)
        .into_iter()
        .filter_map(|hit| {
            let term = matcher.term(hit.term);
            let approved = glossary.approved(term)?;
            seen.insert(term.to_string()).then(|| TermHint {
                source: source[hit.start..hit.end].to_string(),
                target: approved.target.clone(),
            })
        })
        .collect()
}

fn limits_of(settings: &crate::project::BackendSettings) -> Limits {
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

/// Translates the selected segments of one document.
pub fn run(
    project: &Project,
    spec: &DocumentSpec,
    opts: &Options,
) -> Result<Summary, BackendError> {
    let langs = Languages {
        source: project.source_language().to_string(),
        target: opts.lang.clone(),
    };
    let resolved = super::resolve(project, opts.backend.as_deref())?;
    let lock = store::lock(project, &opts.lang)?;
    let mut store = Store::open(project, spec, &opts.lang)?;
    let rules = project.rules().map_err(store::StoreError::from)?;
    let document = project
        .load(spec, &rules)
        .map_err(store::StoreError::from)?;

    // Context: title, heading path and neighbours of every segment, by id.
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

    // Selection.
    let mut picked: BTreeSet<usize> = BTreeSet::new();
    if opts.selectors.is_empty() {
        picked.extend(
            store
                .records()
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.obsolete)
                .map(|(i, _)| i),
        );
    } else {
        for s in &opts.selectors {
            picked.extend(store.find(s)?);
        }
    }
    let eligible: Vec<usize> = picked
        .into_iter()
        .filter(|&i| {
            let r = &store.records()[i];
            !r.obsolete
                && r.state < State::Reviewed
                && (opts.overwrite || r.target.trim().is_empty())
        })
        .take(opts.limit.unwrap_or(usize::MAX))
        .collect();

    let glossary = GlossaryStore::new(project.glossary_dir()).load(&opts.lang)?;
    let matcher = Matcher::for_glossary(&glossary)?;
    let checker = Checker::new(&glossary)?;
    let all_terms: Vec<TermHint> = glossary
        .terms()
        .iter()
        .filter(|t| t.status == Status::Approved)
        .map(|t| TermHint {
            source: t.source.clone(),
            target: t.target.clone(),
        })
        .collect();

    let requests: Vec<Request> = eligible
        .iter()
        .map(|&i| {
            let r = &store.records()[i];
            let context = at.get(r.id.as_str()).map_or_else(Context::default, |&k| {
                let unit = order[k].2;
                Context {
                    title: title.clone(),
                    headings: document
                        .heading_path(&unit.section)
                        .iter()
                        .map(|u| document.unit_text(u).to_string())
                        .collect(),
                    before: order[k.saturating_sub(2)..k]
                        .iter()
                        .map(|s| s.1.to_string())
                        .collect(),
                    after: order[(k + 1).min(order.len())..(k + 3).min(order.len())]
                        .iter()
                        .map(|s| s.1.to_string())
                        .collect(),
                }
            });
            Request {
                doc: spec.name.clone(),
                id: r.id.clone(),
                r#ref: r.r#ref.clone(),
                source: r.source.clone(),
                terms: terms_of(&matcher, &glossary, &r.source),
                context,
                strict: false,
            }
        })
        .collect();
    let positions: HashMap<String, usize> = eligible
        .iter()
        .map(|&i| (store.records()[i].id.clone(), i))
        .collect();

    let backend: Arc<dyn Backend> = Arc::from(super::build(project, &resolved, &langs)?);
    let mut summary = Summary {
        backend: resolved.name.clone(),
        selected: requests.len(),
        ..Summary::default()
    };
    let batch_size = backend.batch_size().max(1);

    if opts.dry_run {
        for chunk in requests.chunks(batch_size) {
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
    let mut cache = Cache::open(project.root(), &opts.lang)?;
    let key = |r: &Request| Cache::key(backend.name(), backend.model(), &langs, r);
    let mut landing = Landing {
        store: &mut store,
        project,
        lock: &lock,
        who: &opts.who,
        origin,
        summary: &mut summary,
        positions,
    };

    let bar = if opts.progress {
        let bar = ProgressBar::new(requests.len() as u64);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {pos}/{len} segments  {per_sec}  ETA {eta}  {msg}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };

    // Cached answers first.
    let mut to_send = Vec::new();
    let mut retry: Vec<(Request, String)> = Vec::new();
    for r in requests {
        let cached = if backend.is_memory() {
            None
        } else {
            cache.get(&key(&r)).map(str::to_string)
        };
        match cached {
            Some(text) => {
                landing.summary.cached += 1;
                bar.inc(1);
                if checker.check_segment(&r.r#ref, &r.source, &text).is_empty() {
                    landing.land(&r, &text, None);
                } else {
                    retry.push((r, text));
                }
            }
            None => to_send.push(r),
        }
    }
    landing.save()?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| BackendError::Config(format!("cannot start the runtime: {e}")))?;
    let limits = opts
        .limits
        .clone()
        .unwrap_or_else(|| limits_of(&resolved.settings));
    let interrupted: Result<bool, BackendError> = runtime.block_on(async {
        backend.prepare(&all_terms).await?;
        let mut round = 0;
        let mut pending = to_send;
        loop {
            round += 1;
            let batches: Vec<Vec<Request>> = pending
                .chunks(batch_size)
                .map(<[Request]>::to_vec)
                .collect();
            let (tx, mut rx) = mpsc::unbounded_channel::<Done>();
            let work = tokio::spawn(runner::run(
                Arc::clone(&backend),
                batches.clone(),
                limits.clone(),
                tx,
            ));
            let mut stop = false;
            loop {
                let done = tokio::select! {
                    d = rx.recv() => d,
                    _ = tokio::signal::ctrl_c() => { stop = true; None }
                };
                let Some(first) = done else { break };
                let mut group = vec![first];
                while let Ok(more) = rx.try_recv() {
                    group.push(more);
                }
                for d in group {
                    let batch = &batches[d.batch];
                    match d.result {
                        Ok(replies) => {
                            for (r, reply) in batch.iter().zip(replies) {
                                bar.inc(1);
                                let Reply::Text { text, score } = reply else {
                                    landing.summary.skipped += 1;
                                    continue;
                                };
                                let text = text.trim().to_string();
                                if text.is_empty() || text.contains('\n') {
                                    landing.summary.failed.push(Problem {
                                        r#ref: r.r#ref.clone(),
                                        message: "the backend answered an empty or multi-line text"
                                            .into(),
                                    });
                                    continue;
                                }
                                landing.summary.chars += r.source.chars().count();
                                if !backend.is_memory() {
                                    cache.put(key(r), &text)?;
                                }
                                let findings = checker.check_segment(&r.r#ref, &r.source, &text);
                                let note = score.map(|s| format!("memory match {:.0}%", s * 100.0));
                                if findings.is_empty() || backend.is_memory() {
                                    landing.land(r, &text, note.as_deref());
                                } else if round == 1 {
                                    retry.push((r.clone(), text));
                                } else {
                                    let names: Vec<String> =
                                        findings.iter().map(ToString::to_string).collect();
                                    landing.summary.flagged.push(Problem {
                                        r#ref: r.r#ref.clone(),
                                        message: names.join("; "),
                                    });
                                    landing.land(
                                        r,
                                        &text,
                                        Some(&format!("glossary: {}", names.join("; "))),
                                    );
                                }
                            }
                        }
                        Err(e) => {
                            for r in batch {
                                bar.inc(1);
                                landing.summary.failed.push(Problem {
                                    r#ref: r.r#ref.clone(),
                                    message: e.to_string(),
                                });
                            }
                        }
                    }
                }
                landing.save()?;
                if stop {
                    break;
                }
            }
            if stop {
                work.abort();
                return Ok(true);
            }
            let _ = work.await;
            if round > 1 || retry.is_empty() {
                break;
            }
            // The second round: the glossary violations, once, with a stronger instruction.
            let mut strict = Vec::new();
            for (r, text) in retry.drain(..) {
                let findings = checker.check_segment(&r.r#ref, &r.source, &text);
                let mut s = r.clone();
                s.strict = true;
                // The first answer stands if the retry fails outright.
                let names: Vec<String> = findings.iter().map(ToString::to_string).collect();
                landing.land(&r, &text, Some(&format!("glossary: {}", names.join("; "))));
                strict.push(s);
            }
            landing.save()?;
            bar.inc_length(strict.len() as u64);
            pending = strict;
        }
        Ok(false)
    });
    bar.finish_and_clear();
    let interrupted = interrupted?;
    summary.interrupted = interrupted;
    // Flags of the first round that the retry fixed are gone; count only what still carries a note.
    summary.landed = summary.landed.min(summary.selected);
    Ok(summary)
}
