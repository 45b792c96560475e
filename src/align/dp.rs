//! The fine dynamic programme: the cheapest sequence of beads inside the band.
//!
//! A bead's cost is its shape's prior, plus the length model's cost (weighted), minus the
//! lexical evidence: the weight of the anchors its source and target sides share, each counted
//! once (see [`SimTable`]), less what the source sentences would share with unrelated target
//! sentences by chance. Subtracting chance means merging an unrelated neighbour earns nothing
//! on average, however long and wordy it is. Pair similarities are computed once, for the band
//! only, so each bead costs a few table look-ups.
//!
//! A sentence that shares nothing with the bead it is put in is penalised by the evidence it
//! was expected to bring ([`SimTable::missing`]): otherwise an untranslated sentence would
//! rather ride along with a neighbour (which costs only some length misfit) than stand alone
//! in a 1-0 bead.

use super::anchors::Anchors;
use super::band::Band;
use super::bead::{Bead, SHAPES, Shape};
use super::length::LengthModel;

/// Weight of the length model's cost.
const LENGTH_WEIGHT: f64 = 1.0;
/// Weight of the lexical evidence.
const LEXICAL_WEIGHT: f64 = 0.25;
/// Weight of the evidence a bead's sentences were expected to bring and did not.
const MISSING_WEIGHT: f32 = 0.5;
/// The expected evidence as a share of the typical best pair's (see [`SimTable::build`]).
const EXPECTED_SHARE: f32 = 0.5;
/// Confidence: logistic slope per unit of evidence relative to the expected evidence.
const CONFIDENCE_SCALE: f64 = 3.0;
/// Confidence: offset, so that a bead with 40% of the evidence expected sits at 0.5.
const CONFIDENCE_OFFSET: f64 = 1.2;
/// Confidence: the logit of a bead whose sentences have no anchors (length alone).
const LENGTH_ONLY: f64 = 0.6;
/// The widest shape, in sentences, on either side.
const MAX_SPAN: usize = 3;

/// Optional extra evidence for a source–target sentence pair, added to the lexical similarity
/// (for example an embedding cosine from a backend). Called only for pairs inside the band.
pub trait PairScore: Sync {
    /// Extra similarity of source sentence `src` and target sentence `tgt`; about 0 for
    /// unrelated sentences and a few units for a sure translation.
    fn pair_score(&self, src: usize, tgt: usize) -> f64;
}

/// Pair similarities for the band, and the overlap corrections of merged beads.
///
/// A merged bead counts each shared anchor once, not once per sentence pair: "Noah" in two
/// neighbouring source sentences and two neighbouring target sentences is one piece of
/// evidence for the 2-2 bead, not four, or merging neighbours that repeat a name would always
/// pay. The bead score is the sum of its pair similarities minus, for each pair of neighbouring
/// sentences on one side, the weight they share with each sentence of the other side (the
/// second-order inclusion–exclusion terms, exact for 2-1 and 1-2 beads).
struct SimTable {
    /// First target index stored for each source sentence.
    start: Vec<usize>,
    /// Offset of each source sentence's row in `values`, plus a final end offset.
    offset: Vec<usize>,
    /// Similarity of the pair, less the source sentence's chance similarity.
    values: Vec<f32>,
    /// Weight that source sentences `s` and `s + 1` both share with target sentence `t`.
    src_overlap: Vec<f32>,
    /// Weight that target sentences `t` and `t + 1` both share with source sentence `s`.
    tgt_overlap: Vec<f32>,
    /// Evidence each source sentence should bring to its bead if it is translated there.
    expect_src: Vec<f32>,
    /// Evidence each target sentence should bring to its bead if it translates something there.
    expect_tgt: Vec<f32>,
}

impl SimTable {
    #[allow(clippy::needless_range_loop)] // s and t index several parallel tables
    fn build(anchors: &Anchors, band: &Band, m: usize, extra: Option<&dyn PairScore>) -> SimTable {
        let n = band.rows();
        let src_pairs: Vec<Vec<u32>> = (0..n)
            .map(|s| match anchors.src.get(s + 1) {
                Some(next) => anchors.common(&anchors.src[s], next),
                None => Vec::new(),
            })
            .collect();
        let tgt_pairs: Vec<Vec<u32>> = (0..m)
            .map(|t| match anchors.tgt.get(t + 1) {
                Some(next) => anchors.common(&anchors.tgt[t], next),
                None => Vec::new(),
            })
            .collect();
        let mut table = SimTable {
            start: Vec::with_capacity(n),
            offset: Vec::with_capacity(n + 1),
            values: Vec::new(),
            src_overlap: Vec::new(),
            tgt_overlap: Vec::new(),
            expect_src: Vec::new(),
            expect_tgt: Vec::new(),
        };
        let mut row_max = vec![f32::NEG_INFINITY; n];
        let mut col_max = vec![f32::NEG_INFINITY; m];
        for s in 0..n {
            let from = band.lo[s + 1].saturating_sub(MAX_SPAN);
            let to = band.hi[(s + MAX_SPAN).min(n)].min(m);
            table.start.push(from);
            table.offset.push(table.values.len());
            let chance = anchors.chance[s];
            for t in from..to {
                let mut v = anchors.similarity(s, t) - chance;
                if let Some(extra) = extra {
                    #[allow(clippy::cast_possible_truncation)] // scores are small
                    let score = extra.pair_score(s, t) as f32;
                    v += score;
                }
                table.values.push(v);
                row_max[s] = row_max[s].max(v);
                col_max[t] = col_max[t].max(v);
                table
                    .src_overlap
                    .push(anchors.weigh_common(&src_pairs[s], &anchors.tgt[t]));
                table
                    .tgt_overlap
                    .push(anchors.weigh_common(&anchors.src[s], &tgt_pairs[t]));
            }
        }
        table.offset.push(table.values.len());
        // What a translated sentence brings: a share of the median, over sentences, of its best
        // pair's evidence per unit of its anchors' weight. Estimated per document, so a loose
        // translation or a sparse dictionary lowers the expectation instead of failing it.
        let kappa = |max: &[f32], mass: &[f32]| {
            let mut r: Vec<f32> = max
                .iter()
                .zip(mass)
                .filter(|(x, w)| **w > 0.0 && x.is_finite())
                .map(|(x, w)| (x / w).max(0.0))
                .collect();
            r.sort_by(f32::total_cmp);
            r.get(r.len() / 2).copied().unwrap_or(0.0)
        };
        let ks = kappa(&row_max, &anchors.src_mass) * EXPECTED_SHARE;
        let kt = kappa(&col_max, &anchors.tgt_mass) * EXPECTED_SHARE;
        table.expect_src = anchors.src_mass.iter().map(|w| w * ks).collect();
        table.expect_tgt = anchors.tgt_mass.iter().map(|w| w * kt).collect();
        table
    }

    /// Evidence the bead's sentences were expected to bring and did not.
    fn missing(&self, src: std::ops::Range<usize>, tgt: std::ops::Range<usize>) -> f32 {
        let mut missing = 0.0;
        for s in src.clone() {
            let e: f32 = tgt
                .clone()
                .filter_map(|t| self.at(s, t).map(|a| self.values[a]))
                .sum();
            missing += (self.expect_src[s] - e).max(0.0);
        }
        for t in tgt {
            let e: f32 = src
                .clone()
                .filter_map(|s| self.at(s, t).map(|a| self.values[a]))
                .sum();
            missing += (self.expect_tgt[t] - e).max(0.0);
        }
        missing
    }

    /// Index of pair `(s, t)` in the value vectors, if the band stored it.
    fn at(&self, s: usize, t: usize) -> Option<usize> {
        let at = self.offset[s] + t.checked_sub(self.start[s])?;
        (at < self.offset[s + 1]).then_some(at)
    }

    /// The evidence of the bead made of source sentences `src` and target sentences `tgt`.
    fn bead(&self, src: std::ops::Range<usize>, tgt: std::ops::Range<usize>) -> f32 {
        let mut sum = 0.0;
        for s in src.clone() {
            for t in tgt.clone() {
                if let Some(at) = self.at(s, t) {
                    sum += self.values[at];
                    if s + 1 < src.end {
                        sum -= self.src_overlap[at];
                    }
                    if t + 1 < tgt.end {
                        sum -= self.tgt_overlap[at];
                    }
                }
            }
        }
        sum
    }
}

/// Everything the bead cost needs.
pub(crate) struct Scorer {
    sims: SimTable,
    src_prefix: Vec<usize>,
    tgt_prefix: Vec<usize>,
    model: LengthModel,
}

impl Scorer {
    pub(crate) fn new(
        anchors: &Anchors,
        band: &Band,
        lengths: (&[usize], &[usize]),
        model: LengthModel,
        extra: Option<&dyn PairScore>,
    ) -> Scorer {
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
        }
    }

    /// (length cost, lexical evidence) of the bead ending at DP cell `(i, j)` with `shape`.
    fn parts(&self, i: usize, j: usize, shape: Shape) -> (f64, f64) {
        if shape.src == 0 || shape.tgt == 0 {
            return (0.0, 0.0);
        }
        let ls = self.src_prefix[i] - self.src_prefix[i - shape.src];
        let lt = self.tgt_prefix[j] - self.tgt_prefix[j - shape.tgt];
        let lexical = self.sims.bead(i - shape.src..i, j - shape.tgt..j)
            - MISSING_WEIGHT * self.sims.missing(i - shape.src..i, j - shape.tgt..j);
        (self.model.cost(ls, lt), f64::from(lexical))
    }

    fn cost(&self, i: usize, j: usize, shape: Shape) -> f64 {
        let (length, lexical) = self.parts(i, j, shape);
        shape.prior + LENGTH_WEIGHT * length - LEXICAL_WEIGHT * lexical
    }

    /// How sure the aligner is of a bead: a logistic of its lexical evidence **as a share of
    /// the evidence its sentences were expected to bring** (see [`SimTable::build`]: about 1
    /// for a typical correct bead, 0 for sentences that share nothing although their words
    /// are in the dictionary), less its length misfit and its shape's prior. A bead whose
    /// sentences have no anchors at all (no dictionary, or nothing it knows) rests on length
    /// alone and never gets past about 0.65. Null beads stay below 0.1.
    fn confidence(&self, i: usize, j: usize, shape: Shape) -> f64 {
        if shape.src == 0 || shape.tgt == 0 {
            return 1.0 / (1.0 + (shape.prior + 2.0).exp());
        }
        let (length, _) = self.parts(i, j, shape);
        let (src, tgt) = (i - shape.src..i, j - shape.tgt..j);
        let evidence = f64::from(self.sims.bead(src.clone(), tgt.clone()));
        let expected: f64 = src.map(|s| f64::from(self.sims.expect_src[s])).sum::<f64>()
            + tgt.map(|t| f64::from(self.sims.expect_tgt[t])).sum::<f64>();
        let z = if expected > 1e-3 {
            CONFIDENCE_SCALE * (evidence / expected).min(2.0) - CONFIDENCE_OFFSET
        } else {
            LENGTH_ONLY
        } - LENGTH_WEIGHT * length
            - 0.5 * shape.prior;
        1.0 / (1.0 + (-z).exp())
    }
}

/// Finds the cheapest bead sequence from `(0, 0)` to `(n, m)` inside `band`.
pub(crate) fn search(scorer: &Scorer, band: &Band) -> Vec<Bead> {
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
