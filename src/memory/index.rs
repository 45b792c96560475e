//! The fuzzy index: a character-bigram inverted index, pruned the way translate-toolkit's
//! matcher is, before anything is scored.
//!
//! 1. *length*: a score of `t` (1 − Levenshtein / longer length) is impossible unless the
//!    candidate's length lies in `[n·t, n/t]`; entries are numbered in length order, so the
//!    window is one range of numbers and each posting list is cut to it by binary search;
//! 2. *count*: `d` edits destroy at most `2d` bigrams, so a match shares at least
//!    `k − 2·d_max` of the query's `k` bigrams; the windowed posting lists are counted into a
//!    dense array over the window, and only positions reaching that count are candidates;
//! 3. only candidates with enough shared bigrams are scored with a real edit distance
//!    (`strsim`, per character).

use std::collections::HashMap;

/// The index over the sources of a memory's entries.
#[derive(Debug, Default)]
pub(super) struct Index {
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

impl Index {
    /// Indexes `sources` (entry `i` is `sources[i]`).
    pub(super) fn build<'a>(sources: impl ExactSizeIterator<Item = &'a str> + Clone) -> Self {
        let lens_of: Vec<u32> = sources
            .clone()
            .map(|s| u32::try_from(s.chars().count()).unwrap_or(u32::MAX))
            .collect();
        let mut order: Vec<u32> = (0..lens_of.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        order.sort_by_key(|&i| lens_of[i as usize]);
        let lens: Vec<u32> = order.iter().map(|&i| lens_of[i as usize]).collect();
        let texts: Vec<&str> = sources.collect();
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        for (pos, &i) in order.iter().enumerate() {
            let chars: Vec<char> = texts[i as usize].chars().collect();
            let Ok(pos) = u32::try_from(pos) else { break };
            for g in bigrams(&chars) {
                postings.entry(g).or_default().push(pos);
            }
        }
        Self {
            order,
            lens,
            postings,
        }
    }

    /// Calls `visit(entry, score)` for every entry whose source scores at least `threshold`
    /// against `query` (`source_of` gives an entry's source). Queries shorter than two
    /// characters, and a threshold of 1 (exact matches only), find nothing here.
    #[allow(clippy::many_single_char_names)] // n, k, t, d as in the module docs
    pub(super) fn scan<'a>(
        &self,
        query: &str,
        threshold: f64,
        source_of: impl Fn(u32) -> &'a str,
        mut visit: impl FnMut(u32, f64),
    ) {
        let t = threshold.clamp(0.01, 1.0);
        let chars: Vec<char> = query.chars().collect();
        let n = chars.len();
        if n < 2 || t >= 1.0 {
            return;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (min_len, max_len) = ((n as f64 * t).ceil() as u32, (n as f64 / t).floor() as u32);
        let lo = self.lens.partition_point(|&l| l < min_len);
        let hi = self.lens.partition_point(|&l| l <= max_len);
        if lo >= hi {
            return;
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
            if let Some(p) = self.postings.get(g) {
                let a = p.partition_point(|&x| x < lo);
                let b = p.partition_point(|&x| x < hi);
                for &pos in &p[a..b] {
                    let c = &mut counts[(pos - lo) as usize];
                    *c = c.saturating_add(1);
                }
            }
        }
        let need = u16::try_from(need).unwrap_or(u16::MAX);
        for (offset, &c) in counts.iter().enumerate() {
            if c < need {
                continue;
            }
            let entry = self.order[lo as usize + offset];
            let score = strsim::normalized_levenshtein(query, source_of(entry));
            if score >= t {
                visit(entry, score);
            }
        }
    }
}
