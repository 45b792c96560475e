//! What a translator sees for one segment: `duiyi next` and `duiyi show`.
//!
//! A [`WorkItem`] is the segment with its record, the headings of its section (outermost
//! first), the neighbouring segments and their translations, and hints. Hints come from
//! [`HintSource`]s ([`crate::hints`]): the glossary and the translation memory plug in there
//! (they live in their own modules and know nothing of the store), so `next` grows without
//! changing shape.

use std::fmt::Write as _;

use serde::Serialize;

use super::Store;
use super::record::{Flag, State, Translation};
use crate::hints::{Hint, HintKind, HintSource, Query};

/// A segment as context: ref, source, target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Context {
    /// The ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The source text.
    pub source: String,
    /// The target text (empty when not translated).
    pub target: String,
    /// The state.
    pub state: State,
}

impl Context {
    fn of(r: &Translation) -> Self {
        Self {
            r#ref: r.r#ref.clone(),
            source: r.source.clone(),
            target: r.target.clone(),
            state: r.state,
        }
    }
}

/// One segment with everything a translator needs to work on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkItem {
    /// The document.
    pub doc: String,
    /// The language.
    pub lang: String,
    /// The ref.
    #[serde(rename = "ref")]
    pub r#ref: String,
    /// The id.
    pub id: String,
    /// The source text.
    pub source: String,
    /// The source the current target was written for, when the source changed since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// The target text.
    pub target: String,
    /// The state.
    pub state: State,
    /// The flags.
    pub flags: Vec<Flag>,
    /// The note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who last changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// When.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// The headings of its section, outermost first.
    pub headings: Vec<Context>,
    /// Up to two segments before it.
    pub before: Vec<Context>,
    /// Up to two segments after it.
    pub after: Vec<Context>,
    /// Glossary terms found in the source.
    pub glossary: Vec<Hint>,
    /// Translation memory matches.
    pub memory: Vec<Hint>,
}

impl WorkItem {
    /// The item as `duiyi next` and `duiyi show` print it, lines ending in line breaks: ref,
    /// id, state and flags; the section's headings; the segments before; the source (in
    /// `source_lang`) and the target; the segments after; glossary terms and memory matches.
    pub fn text(&self, source_lang: &str) -> String {
        let mut t = String::new();
        let _ = write!(t, "{} {}  {}", self.r#ref, self.id, self.state);
        for f in &self.flags {
            let _ = write!(t, ", {f}");
        }
        let _ = writeln!(t, "  ({} {})", self.doc, self.lang);
        if !self.headings.is_empty() {
            let path: Vec<_> = self.headings.iter().map(|h| h.source.as_str()).collect();
            let _ = writeln!(t, "  section: {}", path.join(" › "));
        }
        let context = |t: &mut String, list: &[Context]| {
            for c in list {
                let _ = writeln!(t, "  {:<10} {}", c.r#ref, c.source);
                if !c.target.is_empty() {
                    let _ = writeln!(t, "  {:<10} {}", "", c.target);
                }
            }
        };
        context(&mut t, &self.before);
        let _ = writeln!(t, "▶ {source_lang}: {}", self.source);
        if let Some(p) = &self.previous {
            let _ = writeln!(t, "  source was: {p}");
        }
        let _ = writeln!(t, "▶ {}: {}", self.lang, self.target);
        if let Some(n) = &self.note {
            let _ = writeln!(t, "  note: {n}");
        }
        context(&mut t, &self.after);
        for h in &self.glossary {
            let _ = writeln!(t, "  term: {} = {}", h.source, h.target);
        }
        for h in &self.memory {
            let note = h
                .note
                .as_ref()
                .map(|n| format!("  ({n})"))
                .unwrap_or_default();
            let score = h.score.unwrap_or(0.0) * 100.0;
            let _ = writeln!(t, "  memory {score:.0}%: {} = {}{note}", h.source, h.target);
        }
        t
    }
}

/// How many neighbours on each side.
const NEIGHBOURS: usize = 2;

/// The work item for the record at `at`, with hints from `sources`.
pub fn item(store: &Store, at: usize, sources: &[&dyn HintSource]) -> WorkItem {
    let records = store.records();
    let r = &records[at];
    let live: Vec<usize> = if r.obsolete {
        Vec::new()
    } else {
        let lo = records[..at]
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, x)| !x.obsolete)
            .take(NEIGHBOURS)
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        lo.into_iter().rev().collect()
    };
    let after: Vec<Context> = if r.obsolete {
        Vec::new()
    } else {
        records[at + 1..]
            .iter()
            .filter(|x| !x.obsolete)
            .take(NEIGHBOURS)
            .map(Context::of)
            .collect()
    };
    let section = r.r#ref.split('¶').next().unwrap_or_default();
    let mut headings = Vec::new();
    if !r.obsolete && section.chars().all(|c| c.is_ascii_digit() || c == '.') {
        let parts: Vec<&str> = section.split('.').collect();
        for n in 1..=parts.len() {
            let wanted = format!("{}¶0.1", parts[..n].join("."));
            if let Some(h) = records.iter().find(|x| !x.obsolete && x.r#ref == wanted) {
                headings.push(Context::of(h));
            }
        }
    }
    let mut glossary = Vec::new();
    let mut memory = Vec::new();
    let query = Query {
        doc: store.doc(),
        id: &r.id,
        source: &r.source,
        lang: store.lang(),
    };
    for s in sources {
        let hints = s.hints(&query);
        match s.kind() {
            HintKind::Glossary => glossary.extend(hints),
            HintKind::Memory => memory.extend(hints),
        }
    }
    WorkItem {
        doc: store.doc().to_string(),
        lang: store.lang().to_string(),
        r#ref: r.r#ref.clone(),
        id: r.id.clone(),
        source: r.source.clone(),
        previous: r.previous.clone(),
        target: r.target.clone(),
        state: r.state,
        flags: r.flags.iter().copied().collect(),
        note: r.note.clone(),
        who: r.who.clone(),
        when: r.when.clone(),
        headings,
        before: live.into_iter().map(|i| Context::of(&records[i])).collect(),
        after,
        glossary,
        memory,
    }
}

/// The first segment needing work (untranslated, flagged or rejected), in document order,
/// from position `from` on.
pub fn next_needing_work(store: &Store, from: usize) -> Option<usize> {
    store
        .records()
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, r)| r.needs_work())
        .map(|(i, _)| i)
}
