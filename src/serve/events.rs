//! `GET /api/v1/events`: every change of a translation, whichever face made it, as a
//! server-sent event.
//!
//! Every write appends to the language's journal before it replaces the store, so the journals
//! are the one feed of changes: a thread follows each journal's length ([`history::tail`])
//! and sends an event once the store it names holds the change (its header names the event's
//! transaction, [`history::committed`]). A change whose store never follows (a rolled-back
//! write) is sent after a while all the same: a page only reloads the segment. Nothing else
//! is kept: a page that was away reloads what it shows.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::broadcast;

use super::App;
use crate::project::Project;
use crate::store::history::{self, Event};

/// How often the journals are looked at.
const POLL: Duration = Duration::from_millis(200);

/// How many looks a change waits for its store before it is sent anyway.
const PATIENCE: u32 = 25;

/// One change as the event stream sends it (event type `change`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct Change {
    /// The language.
    pub lang: String,
    /// The journal's event: document, id, ref, action, who, when, states, texts, note.
    #[serde(flatten)]
    pub event: Event,
}

/// The sender of changes; the thread following the journals stops when it is dropped.
pub(super) struct Hub {
    sender: Arc<broadcast::Sender<Change>>,
}

impl Hub {
    /// Starts following the journals of `project`'s languages from their current ends.
    pub(super) fn start(project: &Project) -> Self {
        let (sender, _) = broadcast::channel(1024);
        let sender = Arc::new(sender);
        let weak = Arc::downgrade(&sender);
        let project = project.clone();
        // Where the journals end now: what is written from here on is sent.
        let offsets: HashMap<String, u64> = project
            .target_languages()
            .iter()
            .map(|l| {
                let end = std::fs::metadata(crate::store::history_path(&project, l))
                    .map_or(0, |m| m.len());
                (l.to_string(), end)
            })
            .collect();
        std::thread::Builder::new()
            .name("duiyi-serve-journals".into())
            .spawn(move || follow(&project, offsets, &weak))
            .ok();
        Self { sender }
    }

    fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.sender.subscribe()
    }
}

/// A change read from a journal, waiting for its store.
struct Pending {
    change: Change,
    looks: u32,
}

fn follow(
    project: &Project,
    mut offsets: HashMap<String, u64>,
    sender: &Weak<broadcast::Sender<Change>>,
) {
    let mut langs: Vec<String> = offsets.keys().cloned().collect();
    langs.sort();
    let mut pending: Vec<Pending> = Vec::new();
    loop {
        std::thread::sleep(POLL);
        let Some(sender) = sender.upgrade() else {
            return;
        };
        for lang in &langs {
            let from = offsets.get(lang).copied().unwrap_or(0);
            if let Ok(tail) = history::tail(project, lang, from) {
                offsets.insert(lang.clone(), tail.end);
                pending.extend(tail.events.into_iter().map(|event| Pending {
                    change: Change {
                        lang: lang.clone(),
                        event,
                    },
                    looks: 0,
                }));
            }
        }
        pending.retain_mut(|p| {
            p.looks += 1;
            let e = &p.change.event;
            let stored = e.tx.as_deref().is_none_or(|tx| {
                history::committed(project, &p.change.lang, &e.doc, tx).unwrap_or(false)
            });
            if stored || p.looks > PATIENCE {
                // No page listening is not an error.
                let _ = sender.send(p.change.clone());
                false
            } else {
                true
            }
        });
    }
}

/// The event stream: one `change` event per change, and a comment now and then to keep the
/// connection open.
pub(super) async fn stream(
    State(app): State<Arc<App>>,
) -> Sse<impl Stream<Item = Result<SseEvent, Infallible>>> {
    // The stream keeps the workbench (and so the sender) alive while a page listens.
    let receiver = (app.events.subscribe(), app);
    let events = futures_util::stream::unfold(receiver, |(mut receiver, app)| async move {
        let event = match receiver.recv().await {
            Ok(change) => SseEvent::default()
                .event("change")
                .json_data(&change)
                .unwrap_or_else(|_| SseEvent::default().comment("unsendable change")),
            // A page that fell behind reloads what it shows.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                SseEvent::default().event("reload").data("")
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), (receiver, app)))
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}
