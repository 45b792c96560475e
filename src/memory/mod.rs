//! The translation memory: what the project already knows how to say.
//!
//! A [`Memory`] holds (source, target) pairs of one target language, each with its
//! [`Provenance`]. [`Memory::from_project`] fills it from
//!
//! - every translated, reviewed or final record of the project's stores in the language, except
//!   rejected ones (a reviewer said no); a record carried over from an earlier source revision
//!   pairs its target with the source it was written for (`previous`);
//! - the TMX files in `memory/*.tmx` ([`tmx::read_pairs`]; `duiyi import LANG FILE.tmx` checks
//!   a file and puts it there, [`tmx::import`]).
//!
//! Lookups are exact first (a hash map), then fuzzy through a character-bigram index
//! (`index.rs`); a score is 1.0 for an exact match, else 1 − Levenshtein / longer length, per
//! character. Every lookup names the segment asking ([`Asking`]): a segment is never offered
//! its own record (same document, same segment id; the memory is of one language), so a
//! translation is never "found" in itself — neither by `duiyi translate` (through the small
//! adapter in `crate::backend::memory`) nor by `duiyi next`/`show` ([`hints`]).
//!
//! [`analysis`] counts repetitions and match bands per document, as `memoQ` and Trados report
//! them (`duiyi stats --analysis`).
//!
//! The memory knows nothing of backends: the backend adapter depends on it, not the reverse.

pub mod analysis;
pub mod hints;
mod index;
pub mod tmx;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::project::{Project, ProjectError};
use crate::store::record::{Flag, State};
use crate::store::{self, StoreError, file};

/// The default lowest fuzzy score used (`[backends.memory] threshold`).
pub const DEFAULT_THRESHOLD: f64 = 0.75;

/// Errors of reading or importing a memory.
#[derive(Debug, thiserror::Error)]
pub enum MemoryError {
    /// The project's documents could not be listed.
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// A store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A TMX file that cannot be read or imported.
    #[error("{}{}: {message}", .path.display(), .line.map(|l| format!(":{l}")).unwrap_or_default())]
    Tmx {
        /// The file.
        path: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// What is wrong and what to do.
        message: String,
    },
    /// A file of `memory/` could not be read or written.
    #[error(transparent)]
    File(#[from] crate::files::FileError),
}

/// Where a memory entry comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// A record of the project's stores.
    Record {
        /// The document.
        doc: String,
        /// The segment id.
        id: String,
        /// The segment's ref.
        r#ref: String,
    },
    /// A file (`memory/legacy.tmx`).
    File(String),
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Record { doc, r#ref, .. } => write!(f, "{doc} {ref}"),
            Provenance::File(path) => f.write_str(path),
        }
    }
}

/// One memory entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The source text.
    pub source: String,
    /// Its translation.
    pub target: String,
    /// Where it came from.
    pub from: Provenance,
}

/// The segment a lookup is for: its own record is never offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asking<'a> {
    /// The document.
    pub doc: &'a str,
    /// The segment id.
    pub id: &'a str,
}

impl Entry {
    fn is_record_of(&self, asking: Option<Asking<'_>>) -> bool {
        match (&self.from, asking) {
            (Provenance::Record { doc, id, .. }, Some(a)) => doc == a.doc && id == a.id,
            _ => false,
        }
    }
}

/// A match found in the memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// 1.0 for an exact match, else 1 − Levenshtein / longer length.
    pub score: f64,
}

/// A translation memory of one target language, with an exact map and a bigram index.
#[derive(Debug, Default)]
pub struct Memory {
    entries: Vec<Entry>,
    exact: HashMap<String, Vec<u32>>,
    index: OnceLock<index::Index>,
}

impl Memory {
    /// An empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a pair (pairs with an empty side are ignored).
    pub fn add(&mut self, source: &str, target: &str, from: Provenance) {
        let source = source.trim();
        let target = target.trim();
        if source.is_empty() || target.is_empty() {
            return;
        }
        let Ok(n) = u32::try_from(self.entries.len()) else {
            return;
        };
        self.exact.entry(source.to_string()).or_default().push(n);
        self.entries.push(Entry {
            source: source.to_string(),
            target: target.to_string(),
            from,
        });
        self.index = OnceLock::new();
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in the order they were added.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The memory of `lang`: the records of every document of the project, then
    /// `memory/*.tmx` in name order (see the module documentation for what is taken).
    pub fn from_project(project: &Project, lang: &str) -> Result<Self, MemoryError> {
        let mut memory = Self::new();
        for spec in &project.documents()? {
            let path = store::store_path(project, lang, &spec.name);
            let Some(found) = file::read(&path)? else {
                continue;
            };
            for r in found.records {
                if r.state < State::Translated || r.has(Flag::Rejected) {
                    continue;
                }
                let source = r.previous.as_deref().unwrap_or(&r.source);
                memory.add(
                    source,
                    &r.target,
                    Provenance::Record {
                        doc: spec.name.clone(),
                        id: r.id.clone(),
                        r#ref: r.r#ref.clone(),
                    },
                );
            }
        }
        for path in tmx::files(&project.memory_dir())? {
            let pairs = tmx::read_pairs(&path, project.source_language(), lang)?;
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let from = Provenance::File(format!("{}/{name}", crate::project::layout::MEMORY));
            for (s, t) in pairs {
                memory.add(&s, &t, from.clone());
            }
        }
        Ok(memory)
    }

    /// Builds the index now (otherwise the first fuzzy lookup does).
    pub fn prepare(&self) {
        self.index();
    }

    fn index(&self) -> &index::Index {
        self.index
            .get_or_init(|| index::Index::build(self.entries.iter().map(|e| e.source.as_str())))
    }

    fn entry(&self, n: u32) -> &Entry {
        &self.entries[n as usize]
    }

    /// The best match for `source` scoring at least `threshold`, never a record of `asking`.
    /// Of equal scores, the entry added first wins.
    pub fn best(
        &self,
        source: &str,
        threshold: f64,
        asking: Option<Asking<'_>>,
    ) -> Option<Match<'_>> {
        let source = source.trim();
        if let Some(found) = self.exact.get(source) {
            for &n in found {
                let entry = self.entry(n);
                if !entry.is_record_of(asking) {
                    return Some(Match { entry, score: 1.0 });
                }
            }
        }
        let mut best: Option<(u32, f64)> = None;
        self.index().scan(
            source,
            threshold,
            |n| self.entry(n).source.as_str(),
            |n, score| {
                let better = best.is_none_or(|(b, s)| match score.total_cmp(&s) {
                    std::cmp::Ordering::Greater => true,
                    std::cmp::Ordering::Equal => n < b,
                    std::cmp::Ordering::Less => false,
                });
                if better && !self.entry(n).is_record_of(asking) {
                    best = Some((n, score));
                }
            },
        );
        best.map(|(n, score)| Match {
            entry: self.entry(n),
            score,
        })
    }

    /// Up to `limit` matches for `source` scoring at least `threshold`, best first, one per
    /// distinct translation, never a record of `asking`.
    pub fn matches(
        &self,
        source: &str,
        threshold: f64,
        asking: Option<Asking<'_>>,
        limit: usize,
    ) -> Vec<Match<'_>> {
        let source = source.trim();
        let mut found: Vec<(u32, f64)> = self
            .exact
            .get(source)
            .into_iter()
            .flatten()
            .map(|&n| (n, 1.0))
            .collect();
        self.index().scan(
            source,
            threshold,
            |n| self.entry(n).source.as_str(),
            |n, score| {
                if self.entry(n).source != source {
                    found.push((n, score));
                }
            },
        );
        found.retain(|&(n, _)| !self.entry(n).is_record_of(asking));
        found.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut out: Vec<Match<'_>> = Vec::new();
        for (n, score) in found {
            if out.len() == limit {
                break;
            }
            let entry = self.entry(n);
            if out.iter().all(|m| m.entry.target != entry.target) {
                out.push(Match { entry, score });
            }
        }
        out
    }
}

/// `duiyi import LANG FILE.tmx`: checks the TMX file at `path` for `lang` of `project` and
/// stores it under the project's `memory/` (see [`tmx::import`]). Returns the stored path and
/// the number of units with a `lang` variant.
pub fn import_file(
    project: &Project,
    lang: &str,
    path: &Path,
) -> Result<(PathBuf, usize), MemoryError> {
    let lang = project.target(lang)?;
    let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
    let dir = project.memory_dir();
    // Stored in the project's `memory/`, never through a link out of it.
    let name = path.file_name().unwrap_or("memory.tmx".as_ref());
    crate::files::confine(project.root(), &dir.join(name))?;
    tmx::import(
        path,
        &bytes,
        &dir,
        project.source_language(),
        project.target_languages(),
        lang,
    )
}

/// The lowest fuzzy score the project uses: `[backends.memory] threshold`, else
/// [`DEFAULT_THRESHOLD`].
pub fn threshold(project: &Project) -> f64 {
    project
        .config()
        .backends
        .get("memory")
        .and_then(|s| s.threshold)
        .unwrap_or(DEFAULT_THRESHOLD)
}

/// Whether `path` names a TMX file (by extension).
fn is_tmx(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tmx"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(doc: &str, id: &str) -> Provenance {
        Provenance::Record {
            doc: doc.into(),
            id: id.into(),
            r#ref: "1¶1.1".into(),
        }
    }

    fn memory() -> Memory {
        let mut m = Memory::new();
        m.add(
            "中国坚持走和平发展道路。",
            "China follows the path of peaceful development.",
            Provenance::File("a".into()),
        );
        m.add(
            "中国积极参与全球治理。",
            "China takes an active part in global governance.",
            Provenance::File("a".into()),
        );
        m.add(
            "南南合作。",
            "South-South cooperation.",
            Provenance::File("b".into()),
        );
        m
    }

    #[test]
    fn exact_matches_score_one() {
        let m = memory();
        let hit = m.best("南南合作。", 0.75, None).unwrap();
        assert!((hit.score - 1.0).abs() < f64::EPSILON);
        assert_eq!(hit.entry.from, Provenance::File("b".into()));
    }

    #[test]
    fn fuzzy_matches_are_scored_and_thresholded() {
        let m = memory();
        let hit = m.best("中国始终坚持走和平发展道路。", 0.75, None).unwrap();
        assert_eq!(
            hit.entry.target,
            "China follows the path of peaceful development."
        );
        assert!(hit.score > 0.8 && hit.score < 1.0, "{}", hit.score);
        assert!(m.best("中国始终坚持走和平发展道路。", 0.95, None).is_none());
        assert!(m.best("完全不同的句子内容在这里。", 0.5, None).is_none());
    }

    #[test]
    fn a_segment_is_never_offered_its_own_record() {
        let mut m = Memory::new();
        m.add(
            "中国坚持走和平发展道路。",
            "Own text.",
            record("doc", "aaaaaaaaaaaaaaaa"),
        );
        let own = Asking {
            doc: "doc",
            id: "aaaaaaaaaaaaaaaa",
        };
        // Alone in the memory, its own record is found by nobody but others.
        assert!(m.best("中国坚持走和平发展道路。", 0.5, Some(own)).is_none());
        assert!(
            m.matches("中国坚持走和平发展道路。", 0.5, Some(own), 5)
                .is_empty()
        );
        let other = Asking {
            doc: "doc",
            id: "bbbbbbbbbbbbbbbb",
        };
        assert_eq!(
            m.best("中国坚持走和平发展道路。", 0.5, Some(other))
                .unwrap()
                .entry
                .target,
            "Own text."
        );
        // The same id in another document is another segment.
        let elsewhere = Asking {
            doc: "other",
            id: "aaaaaaaaaaaaaaaa",
        };
        assert!(
            m.best("中国坚持走和平发展道路。", 0.5, Some(elsewhere))
                .is_some()
        );
        // With a neighbour of the same source, the neighbour is offered, exact or fuzzy.
        m.add(
            "中国坚持走和平发展道路。",
            "The neighbour's text.",
            record("doc", "cccccccccccccccc"),
        );
        m.add(
            "中国始终坚持走和平发展道路。",
            "A similar text.",
            record("doc", "dddddddddddddddd"),
        );
        let hit = m.best("中国坚持走和平发展道路。", 0.5, Some(own)).unwrap();
        assert_eq!(hit.entry.target, "The neighbour's text.");
        assert!((hit.score - 1.0).abs() < f64::EPSILON);
        let all = m.matches("中国坚持走和平发展道路。", 0.5, Some(own), 5);
        let targets: Vec<&str> = all.iter().map(|x| x.entry.target.as_str()).collect();
        assert_eq!(targets, ["The neighbour's text.", "A similar text."]);
        let asking_similar = Asking {
            doc: "doc",
            id: "dddddddddddddddd",
        };
        let hit = m
            .best("中国始终坚持走和平发展道路。", 0.5, Some(asking_similar))
            .unwrap();
        assert_eq!(hit.entry.target, "Own text.");
    }

    #[test]
    fn matches_are_best_first_one_per_translation() {
        let mut m = memory();
        m.add(
            "中国坚持走和平发展道路。",
            "China follows the path of peaceful development.",
            Provenance::File("c".into()),
        );
        let found = m.matches("中国始终坚持走和平发展道路。", 0.5, None, 5);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].entry.from, Provenance::File("a".into()));
        assert_eq!(m.matches("南南合作。", 0.5, None, 0).len(), 0);
    }

    #[test]
    fn the_project_memory_holds_human_translations_but_not_rejected_ones_or_drafts() {
        use crate::review::Action;
        use crate::store::Store;
        use crate::store::record::Origin;
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("source")).unwrap();
        std::fs::write(
            dir.path().join("duiyi.toml"),
            "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("source/doc.txt"),
            "第一句。\n第二句。\n第三句。\n第四句。\n",
        )
        .unwrap();
        let project = Project::open(dir.path()).unwrap();
        let spec = project.document("doc").unwrap();
        let lock = store::lock(&project, "en").unwrap();
        let mut s = Store::open(&project, &spec, "en").unwrap();
        let edit = |target| Action::Edit {
            target,
            state: None,
        };
        s.apply(0, &edit("One."), None, "t", Some(Origin::Human))
            .unwrap();
        s.apply(1, &edit("Two."), None, "t", Some(Origin::Human))
            .unwrap();
        s.apply(1, &Action::Reject, Some("no"), "r", None).unwrap();
        s.apply(
            2,
            &Action::Draft { target: "Three." },
            None,
            "t",
            Some(Origin::Mt("llm".into())),
        )
        .unwrap();
        s.save(&project, &lock, "t").unwrap();
        let m = Memory::from_project(&project, "en").unwrap();
        let pairs: Vec<(&str, &str)> = m
            .entries()
            .iter()
            .map(|e| (e.source.as_str(), e.target.as_str()))
            .collect();
        assert_eq!(pairs, [("第一句。", "One.")]);
        assert_eq!(m.entries()[0].from.to_string(), "doc front¶1.1");
    }

    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let mut m = Memory::new();
        let base = "推动构建人类命运共同体是新时代中国外交的总目标";
        let chars: Vec<char> = base.chars().collect();
        for i in 0..chars.len() {
            let mut v = chars.clone();
            v[i] = '某';
            let s: String = v.into_iter().collect();
            m.add(&s, &format!("variant {i}"), Provenance::File("t".into()));
        }
        for i in 0..chars.len() {
            let mut v = chars.clone();
            v.remove(i);
            let q: String = v.into_iter().collect();
            let found = m.best(&q, 0.8, None).map(|x| x.score);
            let scan = m
                .entries
                .iter()
                .map(|e| strsim::normalized_levenshtein(&q, &e.source))
                .fold(0.0_f64, f64::max);
            let want = if scan >= 0.8 { scan } else { 0.0 };
            assert!((found.unwrap_or(0.0) - want).abs() < 1e-9, "{q}");
        }
    }
}
