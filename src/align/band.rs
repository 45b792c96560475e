//! The search band: which target positions the fine dynamic programme considers for each
//! source position, found by a coarse pass so the fine pass costs about linear time.
//!
//! The coarse pass cuts both texts into blocks of `k` sentences (2 to 8, growing with the
//! input), describes each block by a 4096-bit signature of its distinctive anchors, and finds
//! the best monotone path through the block-similarity matrix with dynamic time warping (as
//! Vecalign does with averaged embeddings). Where that matrix would pass a million cells, a
//! pass with blocks eight times larger runs first and bands it, recursively, so every level
//! costs linear time. The band is the finest path widened by a margin. A band centred on the length diagonal would not do:
//! on the Bible set the true path strays more than a hundred sentences from it.

use super::Bead;
use super::anchors::Anchors;
use super::length::LengthModel;

/// Inputs with at most this many DP cells are searched in full, without a coarse pass.
const FULL_SEARCH_CELLS: usize = 400_000;
/// The coarse matrix is kept at about this many cells.
const COARSE_CELLS: f64 = 1_000_000.0;
const SIGNATURE_WORDS: usize = 64;
/// Block sizes of the coarse pass grow no further than this; larger inputs get a coarser pass
/// on top (see [`coarse_path`]).
const MAX_BLOCK: usize = 8;
/// How many times larger the blocks of each coarser pass are.
const FANOUT: usize = 8;
/// Anchors this common (weight below, i.e. in more than about a fifth of target sentences)
/// are left out of block signatures.
const SIGNATURE_MIN_WEIGHT: f32 = 1.5;
/// Below this share of source sentences with any anchor in the target, the coarse pass has
/// too little to go on.
const MIN_LINKED_SHARE: f64 = 0.5;

/// For each DP row `i` (source sentences consumed, `0..=n`), the inclusive range of DP columns
/// (target sentences consumed) searched. Both bounds are non-decreasing, consecutive rows
/// overlap, row 0 starts at column 0 and row `n` ends at column `m`, so a path always exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Band {
    pub(crate) lo: Vec<usize>,
    pub(crate) hi: Vec<usize>,
}

impl Band {
    /// Every cell of the `(n + 1) × (m + 1)` grid.
    pub(crate) fn full(n: usize, m: usize) -> Band {
        Band {
            lo: vec![0; n + 1],
            hi: vec![m; n + 1],
        }
    }

    /// Number of rows minus one, i.e. the number of source sentences.
    pub(crate) fn rows(&self) -> usize {
        self.lo.len() - 1
    }

    /// Chooses full search for small inputs and the coarse pass otherwise. `margin`, if given,
    /// overrides the default widening of the coarse path (in sentences).
    pub(crate) fn choose(
        anchors: &Anchors,
        lengths: (&[usize], &[usize]),
        model: LengthModel,
        margin: Option<usize>,
    ) -> Band {
        let (n, m) = (lengths.0.len(), lengths.1.len());
        if (n + 1).saturating_mul(m + 1) <= FULL_SEARCH_CELLS || n < 4 || m < 4 {
            return Band::full(n, m);
        }
        if anchors.linked_share() < MIN_LINKED_SHARE {
            // Too few anchors to steer the coarse pass: follow the length diagonal instead,
            // and let `widen` make room where the path runs into the edge.
            return Band::diagonal(lengths, margin.unwrap_or(((n + m) / 100).max(32)));
        }
        // Rounding a positive, bounded block size: no truncation or sign to lose.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let k = ((n as f64 * m as f64 / COARSE_CELLS).sqrt().ceil() as usize).clamp(2, MAX_BLOCK);
        let path = coarse_path(anchors, lengths, model, k, COARSE_CELLS);
        Band::around(&path, n, m, k, margin.unwrap_or((2 * k).max(8)))
    }

    /// The band around an alignment path: the DP cells its beads pass through, widened by
    /// `margin` sentences. The second, learned pass searches here.
    pub(crate) fn along(beads: &[Bead], n: usize, m: usize, margin: usize) -> Band {
        let mut lo = vec![usize::MAX; n + 1];
        let mut hi = vec![0; n + 1];
        let (mut i, mut j) = (0, 0);
        lo[0] = 0;
        for b in beads {
            let (i2, j2) = ((i + b.src.len()).min(n), (j + b.tgt.len()).min(m));
            for r in i..=i2 {
                lo[r] = lo[r].min(j);
                hi[r] = hi[r].max(j2);
            }
            (i, j) = (i2, j2);
        }
        let lo = lo
            .iter()
            .map(|&l| {
                if l == usize::MAX {
                    0
                } else {
                    l.saturating_sub(margin)
                }
            })
            .collect();
        let hi = hi.iter().map(|&h| (h + margin).min(m)).collect();
        Band::repaired(lo, hi, m)
    }

    /// The band around the length diagonal: row `i` centred where the target has as many
    /// (ratio-scaled) bytes behind it as the source has behind sentence `i`.
    fn diagonal(lengths: (&[usize], &[usize]), margin: usize) -> Band {
        let (n, m) = (lengths.0.len(), lengths.1.len());
        let total_s = lengths.0.iter().sum::<usize>().max(1) as f64;
        let total_t = lengths.1.iter().sum::<usize>().max(1) as f64;
        let mut lo = Vec::with_capacity(n + 1);
        let mut hi = Vec::with_capacity(n + 1);
        let (mut seen_s, mut seen_t, mut j) = (0usize, 0usize, 0usize);
        for i in 0..=n {
            let goal = seen_s as f64 / total_s;
            while j < m && (seen_t as f64) / total_t < goal {
                seen_t += lengths.1[j];
                j += 1;
            }
            lo.push(j.saturating_sub(margin));
            hi.push((j + margin).min(m));
            if i < n {
                seen_s += lengths.0[i];
            }
        }
        Band::repaired(lo, hi, m)
    }

    /// The same band with every row's half-width doubled (at least `min_extra` more).
    pub(crate) fn widen(&self, m: usize, min_extra: usize) -> Band {
        let mut lo = Vec::with_capacity(self.lo.len());
        let mut hi = Vec::with_capacity(self.hi.len());
        for (&l, &h) in self.lo.iter().zip(&self.hi) {
            let extra = ((h - l) / 2).max(min_extra);
            lo.push(l.saturating_sub(extra));
            hi.push((h + extra).min(m));
        }
        Band::repaired(lo, hi, m)
    }

    /// Whether the alignment `path` (the DP cells its beads end in) runs along an edge of the
    /// band that is not an edge of the grid: a sign the true path may lie outside.
    pub(crate) fn touched_by(&self, path: impl Iterator<Item = (usize, usize)>, m: usize) -> bool {
        path.into_iter().any(|(i, j)| {
            (j <= self.lo[i] && self.lo[i] > 0) || (j >= self.hi[i] && self.hi[i] < m)
        })
    }

    /// Whether the band is the whole grid.
    pub(crate) fn is_full(&self, m: usize) -> bool {
        self.lo.iter().all(|&l| l == 0) && self.hi.iter().all(|&h| h == m)
    }

    /// Makes both bounds non-decreasing and consecutive rows overlap, and pins the corners,
    /// only ever widening rows.
    fn repaired(mut lo: Vec<usize>, mut hi: Vec<usize>, m: usize) -> Band {
        let n = lo.len() - 1;
        lo[0] = 0;
        hi[n] = m;
        for i in (0..n).rev() {
            lo[i] = lo[i].min(lo[i + 1]);
        }
        for i in 1..=n {
            hi[i] = hi[i].max(hi[i - 1]);
            lo[i] = lo[i].min(hi[i - 1]);
        }
        for i in 0..=n {
            lo[i] = lo[i].min(hi[i]);
        }
        Band { lo, hi }
    }

    /// The band covering, for each source block, the target blocks the coarse path pairs it
    /// with, widened by `margin` sentences and repaired to be monotone and connected.
    fn around(path: &[(usize, usize)], n: usize, m: usize, k: usize, margin: usize) -> Band {
        let blocks = n.div_ceil(k);
        let mut first = vec![usize::MAX; blocks];
        let mut last = vec![0; blocks];
        for &(b, c) in path {
            first[b] = first[b].min(c);
            last[b] = last[b].max(c);
        }
        let mut lo = Vec::with_capacity(n + 1);
        let mut hi = Vec::with_capacity(n + 1);
        for i in 0..=n {
            let b1 = (i.saturating_sub(1) / k).min(blocks - 1);
            let b2 = (i / k).min(blocks - 1);
            let from = first[b1].min(first[b2]).saturating_mul(k);
            let to = (last[b1].max(last[b2]) + 1).saturating_mul(k);
            lo.push(from.saturating_sub(margin).min(m));
            hi.push(to.saturating_add(margin).min(m));
        }
        Band::repaired(lo, hi, m)
    }
}

/// Signatures of consecutive blocks of `k` sentences.
fn signatures(sets: &[Vec<u32>], weight: &[f32], k: usize) -> Vec<[u64; SIGNATURE_WORDS]> {
    sets.chunks(k)
        .map(|block| {
            let mut bits = [0u64; SIGNATURE_WORDS];
            for &id in block.iter().flatten() {
                if weight[id as usize] >= SIGNATURE_MIN_WEIGHT {
                    let h =
                        (id.wrapping_mul(2_654_435_761) >> 12) as usize % (SIGNATURE_WORDS * 64);
                    bits[h / 64] |= 1 << (h % 64);
                }
            }
            bits
        })
        .collect()
}

/// Block-level description of both texts for the coarse pass.
struct Blocks {
    sig_s: Vec<[u64; SIGNATURE_WORDS]>,
    sig_t: Vec<[u64; SIGNATURE_WORDS]>,
    len_s: Vec<usize>,
    len_t: Vec<usize>,
    count_t: Vec<u32>,
}

impl Blocks {
    fn new(anchors: &Anchors, lengths: (&[usize], &[usize]), k: usize) -> Blocks {
        let sig_t = signatures(&anchors.tgt, &anchors.weight, k);
        Blocks {
            sig_s: signatures(&anchors.src, &anchors.weight, k),
            count_t: sig_t
                .iter()
                .map(|s| s.iter().map(|w| w.count_ones()).sum())
                .collect(),
            sig_t,
            len_s: lengths.0.chunks(k).map(|c| c.iter().sum()).collect(),
            len_t: lengths.1.chunks(k).map(|c| c.iter().sum()).collect(),
        }
    }

    /// Dissimilarity of source block `b` and target block `c`.
    fn cost(&self, b: usize, c: usize, model: LengthModel) -> f32 {
        let shared: u32 = self.sig_s[b]
            .iter()
            .zip(&self.sig_t[c])
            .map(|(x, y)| (x & y).count_ones())
            .sum();
        let lexical = shared as f32 / self.count_t[c].max(1) as f32;
        #[allow(clippy::cast_possible_truncation)] // at most 3.0
        let length = model.cost(self.len_s[b], self.len_t[c]).sqrt().min(3.0) as f32;
        1.0 - lexical + 0.2 * length
    }
}

/// The coarse path at block size `k`, as (source block, target block) pairs from the first
/// blocks to the last. When the block grid would exceed `budget` cells, a pass at blocks
/// `FANOUT` times larger finds the band this one searches, so the cost stays linear.
fn coarse_path(
    anchors: &Anchors,
    lengths: (&[usize], &[usize]),
    model: LengthModel,
    k: usize,
    budget: f64,
) -> Vec<(usize, usize)> {
    let blocks = Blocks::new(anchors, lengths, k);
    let (nb, mb) = (blocks.sig_s.len(), blocks.sig_t.len());
    let band = if (nb as f64) * (mb as f64) <= budget {
        Band {
            lo: vec![0; nb],
            hi: vec![mb - 1; nb],
        }
    } else {
        let upper = coarse_path(anchors, lengths, model, k * FANOUT, budget);
        let mut lo = vec![usize::MAX; nb];
        let mut hi = vec![0; nb];
        for (b, c) in upper {
            for row in (b * FANOUT..(b + 1) * FANOUT).take_while(|&r| r < nb) {
                lo[row] = lo[row].min((c * FANOUT).saturating_sub(FANOUT));
                hi[row] = hi[row].max(((c + 2) * FANOUT).min(mb - 1));
            }
        }
        Band::repaired(lo, hi, mb - 1)
    };
    dtw(&blocks, model, &band)
}

/// Dynamic time warping over block pairs inside `band` (whose rows are source blocks and
/// whose columns are target blocks, both bounds inclusive).
#[allow(clippy::needless_range_loop)] // b indexes the band, the offsets and the blocks
fn dtw(blocks: &Blocks, model: LengthModel, band: &Band) -> Vec<(usize, usize)> {
    let nb = band.lo.len();
    let mut row_offset = Vec::with_capacity(nb);
    let mut total = 0;
    for (lo, hi) in band.lo.iter().zip(&band.hi) {
        row_offset.push(total);
        total += hi - lo + 1;
    }
    let cell = |b: usize, c: usize| -> Option<usize> {
        (band.lo[b] <= c && c <= band.hi[b]).then(|| row_offset[b] + c - band.lo[b])
    };
    let mut acc = vec![f32::INFINITY; total];
    let mut from = vec![0u8; total];
    for b in 0..nb {
        for c in band.lo[b]..=band.hi[b] {
            let get = |b: usize, c: usize| cell(b, c).map_or(f32::INFINITY, |at| acc[at]);
            let (best, step) = if b == 0 && c == 0 {
                (0.0, 0)
            } else {
                let diag = if b > 0 && c > 0 {
                    get(b - 1, c - 1)
                } else {
                    f32::INFINITY
                };
                let up = if b > 0 { get(b - 1, c) } else { f32::INFINITY };
                let left = if c > 0 { get(b, c - 1) } else { f32::INFINITY };
                if diag <= up && diag <= left {
                    (diag, 0)
                } else if up <= left {
                    (up, 1)
                } else {
                    (left, 2)
                }
            };
            let here = row_offset[b] + c - band.lo[b];
            acc[here] = best + blocks.cost(b, c, model);
            from[here] = step;
        }
    }
    let (mut b, mut c) = (nb - 1, band.hi[nb - 1]);
    let mut path = vec![(b, c)];
    while b > 0 || c > 0 {
        let step = cell(b, c).map_or(1, |at| from[at]);
        match step {
            0 if b > 0 && c > 0 => {
                b -= 1;
                c -= 1;
            }
            1 if b > 0 => b -= 1,
            _ if c > 0 => c -= 1,
            _ => b -= 1,
        }
        path.push((b, c));
    }
    path.reverse();
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::Language;

    fn check(band: &Band, n: usize, m: usize) {
        assert_eq!(band.rows(), n);
        assert_eq!((band.lo[0], band.hi[n]), (0, m));
        for i in 1..=n {
            assert!(band.lo[i - 1] <= band.lo[i] && band.hi[i - 1] <= band.hi[i]);
            assert!(
                band.lo[i] <= band.hi[i - 1],
                "rows {i} and {} overlap",
                i - 1
            );
        }
    }

    #[test]
    fn the_band_along_a_path_holds_the_path_and_its_margin() {
        let bead = |s: &[usize], t: &[usize]| Bead {
            src: s.to_vec(),
            tgt: t.to_vec(),
            confidence: 1.0,
        };
        let path = [
            bead(&[0], &[0]),
            bead(&[1, 2], &[1]),
            bead(&[3], &[]),
            bead(&[4], &[2, 3]),
        ];
        let band = Band::along(&path, 5, 4, 1);
        check(&band, 5, 4);
        assert_eq!(band.lo, [0, 0, 0, 0, 1, 1]);
        assert_eq!(band.hi, [2, 3, 3, 3, 4, 4]);
    }

    #[test]
    fn band_around_a_path_is_monotone_and_connected() {
        let path = [(0, 0), (1, 0), (2, 1), (2, 2), (3, 3), (4, 3)];
        let band = Band::around(&path, 20, 17, 4, 1);
        check(&band, 20, 17);
        check(&Band::full(3, 0), 3, 0);
    }

    #[test]
    fn a_coarser_pass_on_top_finds_the_same_path() {
        // Numbered sentences: numbers are the anchors; every fifth target sentence joins two
        // source sentences, so the path drifts off the diagonal.
        let mut src = Vec::new();
        let mut tgt = Vec::new();
        for i in 0..900 {
            src.push(format!("item {i} x{}", i % 7));
            if i % 5 == 4 {
                let last: &mut String = tgt.last_mut().unwrap();
                last.push_str(" and item ");
                last.push_str(&i.to_string());
            } else {
                tgt.push(format!("item {i} y"));
            }
        }
        let src: Vec<&str> = src.iter().map(String::as_str).collect();
        let tgt: Vec<&str> = tgt.iter().map(String::as_str).collect();
        let xx = Language::Other("xx".to_owned());
        let anchors = Anchors::extract(&src, &tgt, (&xx, &xx), None);
        let ls: Vec<usize> = src.iter().map(|s| s.len()).collect();
        let lt: Vec<usize> = tgt.iter().map(|s| s.len()).collect();
        let model = LengthModel::estimate(&ls, &lt, 1.0);
        let flat = coarse_path(&anchors, (&ls, &lt), model, 2, f64::INFINITY);
        let layered = coarse_path(&anchors, (&ls, &lt), model, 2, 1000.0);
        assert_eq!(flat, layered);
        assert_eq!(flat.first(), Some(&(0, 0)));
        assert_eq!(flat.last(), Some(&(449, 359)));
    }

    #[test]
    fn diagonal_band_follows_lengths_and_widens() {
        let src = [10, 10, 10, 10, 40, 10];
        let tgt = [20, 20, 20, 20, 80, 20, 5];
        let band = Band::diagonal((&src, &tgt), 1);
        check(&band, 6, 7);
        assert!(band.lo[5] <= 5 && band.hi[5] >= 5, "{band:?}");
        let wide = band.widen(7, 2);
        check(&wide, 6, 7);
        assert!((0..=6).all(|i| wide.lo[i] <= band.lo[i] && wide.hi[i] >= band.hi[i]));
        assert!(wide.widen(7, 10).is_full(7));
        assert!(band.touched_by([(5, band.hi[5])].into_iter(), 7) || band.hi[5] == 7);
        assert!(!Band::full(6, 7).touched_by([(3, 0), (3, 7)].into_iter(), 7));
    }
}
