//! Beads: the units of an alignment, and the shapes the aligner may choose.

use std::fmt;

/// One unit of an alignment: consecutive source sentences that translate into consecutive
/// target sentences. Either side may be empty (an omission or an addition).
///
/// Displays as `[i,...]:[j,...]` with 0-based indices, the format of the evaluation tools
/// (`[0,1]:[2]`, `[3]:[]`).
#[derive(Clone, Debug, PartialEq)]
pub struct Bead {
    /// Indices of the source sentences, ascending and consecutive.
    pub src: Vec<usize>,
    /// Indices of the target sentences, ascending and consecutive.
    pub tgt: Vec<usize>,
    /// How sure the aligner is of this bead, from 0 to 1; a heuristic from the bead's lexical
    /// evidence, length fit and shape, meant to rank beads for review, not a probability.
    pub confidence: f64,
}

impl Bead {
    /// The bead's shape as (source count, target count), e.g. `(2, 1)`.
    pub fn shape(&self) -> (usize, usize) {
        (self.src.len(), self.tgt.len())
    }
}

impl fmt::Display for Bead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |f: &mut fmt::Formatter<'_>, indices: &[usize]| -> fmt::Result {
            f.write_str("[")?;
            for (k, i) in indices.iter().enumerate() {
                if k > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{i}")?;
            }
            f.write_str("]")
        };
        side(f, &self.src)?;
        f.write_str(":")?;
        side(f, &self.tgt)
    }
}

/// A bead shape the dynamic programme may use, with its prior cost (negative log probability).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Shape {
    pub(crate) src: usize,
    pub(crate) tgt: usize,
    pub(crate) prior: f64,
}

/// The allowed shapes. Chinese often packs into one sentence what English says in two or
/// three (and Chinese full stops split what English joins), so 1-2, 2-1, 1-3 and 3-1 are
/// cheaper than in Gale and Church's European figures. 0-1 and 1-0 cost about −ln 0.02:
/// rare, but legacy translations do leave sentences out, and a dearer null bead makes an
/// untranslated sentence ride along with a neighbour instead. A true 2-2 is rare (most are two 1-1 beads), so it costs more than the two.
pub(crate) const SHAPES: [Shape; 8] = [
    shape(1, 1, 0.0),
    shape(2, 1, 2.0),
    shape(1, 2, 2.0),
    shape(2, 2, 5.0),
    shape(3, 1, 4.0),
    shape(1, 3, 4.0),
    shape(1, 0, 4.0),
    shape(0, 1, 4.0),
];

const fn shape(src: usize, tgt: usize, prior: f64) -> Shape {
    Shape { src, tgt, prior }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_in_the_evaluation_format() {
        let bead = Bead {
            src: vec![1, 2],
            tgt: vec![3],
            confidence: 0.5,
        };
        assert_eq!(bead.to_string(), "[1,2]:[3]");
        assert_eq!(bead.shape(), (2, 1));
        let null = Bead {
            src: vec![4],
            tgt: vec![],
            confidence: 0.0,
        };
        assert_eq!(null.to_string(), "[4]:[]");
    }
}
