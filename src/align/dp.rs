//! The fine dynamic programme: the cheapest sequence of beads inside the band.
//!
//! A bead's cost is its shape's prior, plus the length model's cost (weighted), minus the
//! lexical evidence: the sum, over every source–target sentence pair inside the bead, of their
//! anchor similarity less the source sentence's average similarity in its band row. Pairwise
//! sums make a merged bead earn exactly the evidence that crosses between its sentences, and
//! subtracting the row baseline means merging an unrelated neighbour earns nothing on average,
//! however long and wordy it is. Pair similarities are computed once, for the band only.

use super::anchors::Anchors;
use super::band::Band;
use super::bead::{Bead, SHAPES, Shape};
use super::length::LengthModel;

/// Weight of the length model's cost.
const LENGTH_WEIGHT: f64 = 1.0;
/// Weight of the lexical evidence.
const LEXICAL_WEIGHT: f64 = 0.35;
/// The widest shape, in sentences, on either side.
const MAX_SPAN: usize = 3;

/// Optional extra evidence for a source–target sentence pair, added to the lexical similarity
/// (for example an embedding cosine from a backend). Called only for pairs inside the band.
pub trait PairScore: Sync {
    /// Extra similarity of source sentence `src` and target sentence `tgt`; about 0 for
    /// unrelated sentences and a few units for a sure translation.
    fn pair_score(&self, src: usize, tgt: usize) -> f64;
}

/// Baseline-corrected pair similarities for the band.
struct SimTable {
    /// First target index stored for each source sentence.
    start: Vec<usize>,
    /// Offset of each source sentence's row in `values`, plus a final end offset.
    offset: Vec<usize>,
    values: Vec<f32>,
}

impl SimTable {
    fn build(anchors: &Anchors, band: &Band, m: usize, extra: Option<&dyn PairScore>) -> SimTable {
        let n = band.rows();
        let mut start = Vec::with_capacity(n);
        let mut offset = Vec::with_capacity(n + 1);
        let mut values = Vec::new();
        for s in 0..n {
            let from = band.lo[s + 1].saturating_sub(MAX_SPAN);
            let to = band.hi[(s + MAX_SPAN).min(n)].min(m);
            start.push(from);
            offset.push(values.len());
            let row_start = values.len();
            for t in from..to {
                let mut v = anchors.similarity(s, t);
                if let Some(extra) = extra {
                    v += extra.pair_score(s, t) as f32;
                }
                values.push(v);
            }
            let row = &mut values[row_start..];
            if !row.is_empty() {
                let mean = row.iter().sum::<f32>() / row.len() as f32;
                for v in row {
                    *v -= mean;
                }
            }
        }
        offset.push(values.len());
        SimTable {
            start,
            offset,
            values,
        }
    }

    fn get(&self, s: usize, t: usize) -> f32 {
        let Some(k) = t.checked_sub(self.start[s]) else {
            return 0.0;
        };
        let at = self.offset[s] + k;
        if at < self.offset[s + 1] {
            self.values[at]
        } else {
            0.0
        }
    }
}

/// Everything the bead cost needs.
pub(crate) struct Scorer<'a> {
    sims: SimTable,
    src_prefix: Vec<usize>,
    tgt_prefix: Vec<usize>,
    model: LengthModel,
    _anchors: &'a Anchors,
}

impl<'a> Scorer<'a> {
    pub(crate) fn new(
        anchors: &'a Anchors,
        band: &Band,
        lengths: (&[usize], &[usize]),
        model: LengthModel,
        extra: Option<&dyn PairScore>,
    ) -> Scorer<'a> {
        let prefix = |l: &[usize]| {
            std::iter::once(0)
                .chain(l.iter().scan(0, |acc, x| {
                    *acc += x;
                    Some(*acc)
                }))
                .collect()
        };
        Scorer {
            sims: SimTable::build(anchors, band, lengths.1.len(), extra),
            src_prefix: prefix(lengths.0),
            tgt_prefix: prefix(lengths.1),
            model,
            _anchors: anchors,
        }
    }

    /// (length cost, lexical evidence) of the bead ending at DP cell `(i, j)` with `shape`.
    fn parts(&self, i: usize, j: usize, shape: Shape) -> (f64, f64) {
        if shape.src == 0 || shape.tgt == 0 {
            return (0.0, 0.0);
        }
        let ls = self.src_prefix[i] - self.src_prefix[i - shape.src];
        let lt = self.tgt_prefix[j] - self.tgt_prefix[j - shape.tgt];
        let mut lexical = 0.0f32;
        for s in i - shape.src..i {
            for t in j - shape.tgt..j {
                lexical += self.sims.get(s, t);
            }
        }
        (self.model.cost(ls, lt), f64::from(lexical))
    }

    fn cost(&self, i: usize, j: usize, shape: Shape) -> f64 {
        let (length, lexical) = self.parts(i, j, shape);
        shape.prior + LENGTH_WEIGHT * length - LEXICAL_WEIGHT * lexical
    }

    fn confidence(&self, i: usize, j: usize, shape: Shape) -> f64 {
        let (length, lexical) = self.parts(i, j, shape);
        let z = LEXICAL_WEIGHT * lexical - LENGTH_WEIGHT * length - shape.prior
            + if shape.src == 0 || shape.tgt == 0 { -2.0 } else { 1.5 };
        1.0 / (1.0 + (-z).exp())
    }
}

/// Finds the cheapest bead sequence from `(0, 0)` to `(n, m)` inside `band`.
pub(crate) fn search(scorer: &Scorer<'_>, band: &Band) -> Vec<Bead> {
    let n = band.rows();
    let mut row_offset = Vec::with_capacity(n + 2);
    let mut total = 0;
    for i in 0..=n {
        row_offset.push(total);
        total += band.hi[i] - band.lo[i] + 1;
    }
    let mut cost = vec![f64::INFINITY; total];
    let mut back = vec![u8::MAX; total];
    cost[0] = 0.0;
    for i in 0..=n {
        for j in band.lo[i]..=band.hi[i] {
            let here = row_offset[i] + j - band.lo[i];
            let mut best = cost[here];
            let mut best_shape = back[here];
            for (k, shape) in SHAPES.iter().enumerate() {
                if shape.src > i || shape.tgt > j {
                    continue;
                }
                let (pi, pj) = (i - shape.src, j - shape.tgt);
                if pj < band.lo[pi] || pj > band.hi[pi] {
                    continue;
                }
                let prev = cost[row_offset[pi] + pj - band.lo[pi]];
                if !prev.is_finite() {
                    continue;
                }
                let c = prev + scorer.cost(i, j, *shape);
                if c < best {
                    best = c;
                    best_shape = u8::try_from(k).unwrap_or(u8::MAX);
                }
            }
            cost[here] = best;
            back[here] = best_shape;
        }
    }
    let mut beads = Vec::new();
    let (mut i, mut j) = (n, band.hi[n]);
    while i > 0 || j > 0 {
        let stored = if (band.lo[i]..=band.hi[i]).contains(&j) {
            back[row_offset[i] + j - band.lo[i]]
        } else {
            u8::MAX
        };
        // The band guarantees a path, so the fallbacks (null beads that walk back into the
        // band) only keep a bug from becoming a panic or a lost sentence.
        let shape = match SHAPES.get(usize::from(stored)) {
            Some(shape) if shape.src <= i && shape.tgt <= j => *shape,
            _ if i == 0 || (j > 0 && j > band.hi[i]) => SHAPES[7],
            _ => SHAPES[6],
        };
        beads.push(Bead {
            src: (i - shape.src..i).collect(),
            tgt: (j - shape.tgt..j).collect(),
            confidence: scorer.confidence(i, j, shape),
        });
        i -= shape.src;
        j -= shape.tgt;
    }
    beads.reverse();
    beads
}
