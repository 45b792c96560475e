//! The length model: how well the lengths of two sides of a bead fit each other.
//!
//! Lengths are UTF-8 bytes: a script-neutral unit in which a Han character (3 bytes) and an
//! English word (about 6 bytes with its space) carry comparable amounts of text, where
//! character counts are off by a factor of three or four on Chinese–English. The expected
//! target/source ratio is estimated per document (total bytes over total bytes), and the
//! deviation of a bead from it is measured on a log scale with additive smoothing, so short
//! sentences are allowed more relative slack than long ones (as in Gale and Church's model).

/// Bytes added to both sides before taking the ratio; damps the noise of very short sentences.
const SMOOTHING: f64 = 12.0;
/// Standard deviation of the log length ratio of a correct bead.
const SIGMA: f64 = 0.32;
/// Weight, in source bytes, of the language pair's typical ratio in the estimate: it steadies
/// short texts (where one added or missing sentence would skew the totals) and vanishes in
/// long ones.
const PRIOR_BYTES: f64 = 1000.0;

/// The per-document length model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct LengthModel {
    /// Expected target bytes per source byte.
    pub(crate) ratio: f64,
}

impl LengthModel {
    /// Estimates the expected ratio from the two sides' total lengths, starting from
    /// `typical`, the language pair's usual ratio (weighted as [`PRIOR_BYTES`] of text).
    pub(crate) fn estimate(src: &[usize], tgt: &[usize], typical: f64) -> LengthModel {
        let s = src.iter().sum::<usize>() as f64;
        let t = tgt.iter().sum::<usize>() as f64;
        let ratio = (t + typical * PRIOR_BYTES) / (s + PRIOR_BYTES);
        LengthModel {
            ratio: ratio.clamp(0.05, 20.0),
        }
    }

    /// The squared standard score of a bead with `src` source and `tgt` target bytes,
    /// halved: the negative log-likelihood of a Gaussian, without its constant.
    pub(crate) fn cost(self, src: usize, tgt: usize) -> f64 {
        let x = ((tgt as f64 + SMOOTHING) / (src as f64 * self.ratio + SMOOTHING)).ln() / SIGMA;
        0.5 * x * x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_lengths_cost_less_than_misfits() {
        let model = LengthModel::estimate(&[100, 200], &[140, 280], 1.4);
        assert!((model.ratio - 1.4).abs() < 1e-9);
        assert!(model.cost(100, 140) < 1e-9);
        assert!(model.cost(100, 140) < model.cost(100, 280));
        assert!(model.cost(100, 280) < model.cost(100, 560));
    }

    #[test]
    fn the_typical_ratio_steadies_short_texts_only() {
        assert!((LengthModel::estimate(&[], &[], 1.3).ratio - 1.3).abs() < 1e-9);
        assert!((LengthModel::estimate(&[100], &[300], 1.0).ratio - 1.18).abs() < 0.01);
        let long = LengthModel::estimate(&[1_000_000], &[2_000_000], 1.0);
        assert!((long.ratio - 2.0).abs() < 0.01);
        assert!(
            LengthModel::estimate(&[0], &[0], 1.0)
                .cost(0, 0)
                .is_finite()
        );
    }
}
