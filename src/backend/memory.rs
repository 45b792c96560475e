//! The translation memory and the offline `memory` backend (the default).
//!
//! A [`Memory`] holds (source, target, origin) pairs: every translated, reviewed or final
//! segment of the project's stores in the language, and the TMX files in `memory/*.tmx`, read by
//! [`read_tmx_pairs`] through `crate::exchange::tmx` unless the caller passes another
//! [`TmxLoader`] to [`Memory::from_project`]. [`Memory::add`] is the only way in.
//!
//! Lookups are exact first (a hash map), then fuzzy through a character-bigram inverted index,
//! pruned the way translate-toolkit's matcher is, before anything is scored:
//!
//! 1. *length*: a score of `t` (1 − Levenshtein / longer length) is impossible unless the
//!    candidate's length lies in `[n·t, n/t]`; entries are numbered in length order, so the
//!    window is one range of numbers and each posting list is cut to it by binary search;
//! 2. *count*: `d` edits destroy at most `2d` bigrams, so a match shares at least
//!    `k − 2·d_max` of the query's `k` bigrams; the windowed posting lists are counted into a
//!    dense array over the window, and only positions reaching that count are candidates;
//! 3. only candidates with enough shared bigrams are scored with a real edit distance
//!    (`strsim`, per character).
//!
//! The best match at or above the threshold is returned with its score; below it the backend
//! answers [`Reply::Skip`] and the segment is left untouched.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{Backend, BackendError, BoxFuture, Reply, Request};
use crate::project::Project;
use crate::store::{self, file, record::State};

/// The default lowest fuzzy score used.
pub const DEFAULT_THRESHOLD: f64 = 0.75;

/// Reads one TMX file into (source, target) pairs for a target language. Wired to the TMX
/// reader of `crate::exchange::tmx` by the caller; the memory knows no XML.
pub type TmxLoader = dyn Fn(&Path, &str) -> Result<Vec<(String, String)>, String> + Sync;

/// One memory entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The source text.
    pub source: String,
    /// Its translation.
    pub target: String,
    /// Where it came from (`translations/en/doc.jsonl`, `memory/old.tmx`).
    pub origin: String,
}

/// A match found in the memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// 1.0 for an exact match, else 1 − Levenshtein / longer length.
    pub score: f64,
}

/// A translation memory with an exact map and a bigram index.
#[derive(Debug, Default)]
pub struct Memory {
    entries: Vec<Entry>,
    exact: HashMap<String, u32>,
    index: OnceLock<Index>,
    /// TMX files found in `memory/` that no loader read.
    pub unread: Vec<PathBuf>,
}

#[derive(Debug, Default)]
struct Index {
    /// Entry numbers in length order.
    order: Vec<u32>,
    /// Character length per position of `order`.
    lens: Vec<u32>,
    /// Bigram → positions (ascending, hence by length).
    postings: HashMap<u64, Vec<u32>>,
}

fn bigrams(chars: &[char]) -> Vec<u64> {
    let mut v: Vec<u64> = chars
        .windows(2)
        .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

impl Memory {
    /// An empty memory.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a pair (the first translation of a source wins the exact map).
    pub fn add(&mut self, source: &str, target: &str, origin: &str) {
        let source = source.trim();
        let target = target.trim();
        if source.is_empty() || target.is_empty() {
            return;
        }
        let Ok(n) = u32::try_from(self.entries.len()) else {
            return;
        };
        self.exact.entry(source.to_string()).or_insert(n);
        self.entries.push(Entry {
            source: source.to_string(),
            target: target.to_string(),
            origin: origin.to_string(),
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

    /// The translated segments of every document of the project in `lang`, then `memory/*.tmx`
    /// through `tmx` (when no loader is given, the files are listed in [`Memory::unread`]).
    pub fn from_project(
        project: &Project,
        lang: &str,
        tmx: Option<&TmxLoader>,
    ) -> Result<Self, BackendError> {
        let mut memory = Self::new();
        let docs = project
            .documents()
            .map_err(|e| BackendError::Config(e.to_string()))?;
        for spec in &docs {
            let path = store::store_path(project, lang, &spec.name);
            let found = file::read(&path).map_err(|e| BackendError::Config(e.to_string()))?;
            let origin = format!("translations/{lang}/{}.jsonl", spec.name);
            for r in found.into_iter().flat_map(|f| f.records) {
                if r.state >= State::Translated {
                    memory.add(&r.source, &r.target, &origin);
                }
            }
        }
        let dir = project.root().join("memory");
        if let Ok(read) = std::fs::read_dir(&dir) {
            let mut files: Vec<PathBuf> = read
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("tmx")))
                .collect();
            files.sort();
            let standard =
                |path: &Path, lang: &str| read_tmx_pairs(path, project.source_language(), lang);
            for path in files {
                match tmx.or(Some(&standard)) {
                    Some(load) => {
                        let pairs = load(&path, lang).map_err(|m| {
                            BackendError::Config(format!("{}: {m}", path.display()))
                        })?;
                        let origin = format!(
                            "memory/{}",
                            path.file_name().and_then(|n| n.to_str()).unwrap_or("")
                        );
                        for (s, t) in pairs {
                            memory.add(&s, &t, &origin);
                        }
                    }
                    None => memory.unread.push(path),
                }
            }
        }
        Ok(memory)
    }

    /// Builds the index now (otherwise the first fuzzy lookup does).
    pub fn prepare(&self) {
        self.index();
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let lens_of: Vec<u32> = self
                .entries
                .iter()
                .map(|e| u32::try_from(e.source.chars().count()).unwrap_or(u32::MAX))
                .collect();
            let mut order: Vec<u32> = (0..lens_of.len())
                .filter_map(|i| u32::try_from(i).ok())
                .collect();
            order.sort_by_key(|&i| lens_of[i as usize]);
            let lens: Vec<u32> = order.iter().map(|&i| lens_of[i as usize]).collect();
            let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
            for (pos, &i) in order.iter().enumerate() {
                let chars: Vec<char> = self.entries[i as usize].source.chars().collect();
                let Ok(pos) = u32::try_from(pos) else { break };
                for g in bigrams(&chars) {
                    postings.entry(g).or_default().push(pos);
                }
            }
            Index {
                order,
                lens,
                postings,
            }
        })
    }

    /// The best match for `source` scoring at least `threshold`.
    #[allow(clippy::many_single_char_names)] // n, k, t, d as in the module docs
    pub fn lookup(&self, source: &str, threshold: f64) -> Option<Match<'_>> {
        let source = source.trim();
        if let Some(&i) = self.exact.get(source) {
            return Some(Match {
                entry: &self.entries[i as usize],
                score: 1.0,
            });
        }
        let t = threshold.clamp(0.01, 1.0);
        let chars: Vec<char> = source.chars().collect();
        let n = chars.len();
        if n < 2 || t >= 1.0 {
            return None;
        }
        let index = self.index();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (min_len, max_len) = ((n as f64 * t).ceil() as u32, (n as f64 / t).floor() as u32);
        let lo = index.lens.partition_point(|&l| l < min_len);
        let hi = index.lens.partition_point(|&l| l <= max_len);
        if lo >= hi {
            return None;
        }
        let (lo, hi) = (
            u32::try_from(lo).unwrap_or(u32::MAX),
            u32::try_from(hi).unwrap_or(u32::MAX),
        );
        let grams = bigrams(&chars);
        let k = grams.len();
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let d_max = ((1.0 - t) * f64::from(max_len)).floor() as usize;
        let need = k.saturating_sub(2 * d_max).max(1);
        // Dense counters over the length window: every list adds one per position; a
        // position reaching `need` shared bigrams is a candidate (and, by the prefix
        // principle, also occurs in one of the rarest lists).
        let width = (hi - lo) as usize;
        let mut counts = vec![0u16; width];
        for g in &grams {
            if let Some(p) = index.postings.get(g) {
                let a = p.partition_point(|&x| x < lo);
                let b = p.partition_point(|&x| x < hi);
                for &pos in &p[a..b] {
                    let c = &mut counts[(pos - lo) as usize];
                    *c = c.saturating_add(1);
                }
            }
        }
        let need = u16::try_from(need).unwrap_or(u16::MAX);
        let mut best: Option<Match<'_>> = None;
        for (offset, &c) in counts.iter().enumerate() {
            if c < need {
                continue;
            }
            let entry = &self.entries[index.order[lo as usize + offset] as usize];
            let score = strsim::normalized_levenshtein(source, &entry.source);
            if score >= t && best.as_ref().is_none_or(|b| score > b.score) {
                best = Some(Match { entry, score });
            }
        }
        best
    }
}

/// The `memory` backend: the best memory match, or nothing.
#[derive(Debug)]
pub struct MemoryBackend {
    name: String,
    memory: Memory,
    threshold: f64,
}

impl MemoryBackend {
    /// A backend over `memory` using matches scoring at least `threshold`.
    pub fn new(name: &str, memory: Memory, threshold: f64) -> Self {
        Self {
            name: name.to_string(),
            memory,
            threshold,
        }
    }

    /// The memory.
    pub fn memory(&self) -> &Memory {
        &self.memory
    }
}

impl Backend for MemoryBackend {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        "memory"
    }

    fn batch_size(&self) -> usize {
        64
    }

    fn is_memory(&self) -> bool {
        true
    }

    fn preview(&self, batch: &[Request]) -> String {
        format!(
            "look up {} segment(s) in a memory of {} entries (threshold {:.2}); nothing leaves this machine",
            batch.len(),
            self.memory.len(),
            self.threshold
        )
    }

    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
        Box::pin(async move {
            Ok(batch
                .iter()
                .map(|r| match self.memory.lookup(&r.source, self.threshold) {
                    Some(m) => Reply::Text {
                        text: m.entry.target.clone(),
                        score: Some(m.score),
                    },
                    None => Reply::Skip,
                })
                .collect())
        })
    }
}

/// The (source, target) pairs of a TMX file for `source_lang` → `lang`, read with
/// [`crate::exchange::tmx`]: the loader `duiyi translate` uses for `memory/*.tmx`.
pub fn read_tmx_pairs(
    path: &Path,
    source_lang: &str,
    lang: &str,
) -> Result<Vec<(String, String)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let tmx = crate::exchange::tmx::read(&text).map_err(|e| e.to_string())?;
    Ok(tmx
        .units
        .iter()
        .filter_map(|u| Some((u.text(source_lang)?.to_string(), u.text(lang)?.to_string())))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memory() -> Memory {
        let mut m = Memory::new();
        m.add(
            "中国坚持走和平发展道路。",
            "China follows the path of peaceful development.",
            "a",
        );
        m.add(
            "中国积极参与全球治理。",
            "China takes an active part in global governance.",
            "a",
        );
        m.add("南南合作。", "South-South cooperation.", "b");
        m
    }

    #[test]
    fn exact_matches_score_one() {
        let m = memory();
        let hit = m.lookup("南南合作。", 0.75).unwrap();
        assert!((hit.score - 1.0).abs() < f64::EPSILON);
        assert_eq!(hit.entry.origin, "b");
    }

    #[test]
    fn fuzzy_matches_are_scored_and_thresholded() {
        let m = memory();
        let hit = m.lookup("中国始终坚持走和平发展道路。", 0.75).unwrap();
        assert_eq!(
            hit.entry.target,
            "China follows the path of peaceful development."
        );
        assert!(hit.score > 0.8 && hit.score < 1.0, "{}", hit.score);
        assert!(m.lookup("中国始终坚持走和平发展道路。", 0.95).is_none());
        assert!(m.lookup("完全不同的句子内容在这里。", 0.5).is_none());
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
            m.add(&s, &format!("variant {i}"), "t");
        }
        for i in 0..chars.len() {
            let mut v = chars.clone();
            v.remove(i);
            let q: String = v.into_iter().collect();
            let found = m.lookup(&q, 0.8).map(|x| x.score);
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
