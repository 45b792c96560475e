//! Coverage: which stretches of the source a translation covers, found before any sentence is
//! aligned, so that a partial translation is aligned where it belongs and the rest of the
//! source is reported as not covered instead of receiving sentences spread thin.
//!
//! A global alignment has to consume both sides from end to end. Given a translation of one
//! section of a report, it would rather spread the last English sentences over the later
//! sections (a few merged beads cost less than a hundred untranslated ones) than leave those
//! sections empty. Here the units (paragraphs, or groups of paragraphs for very long texts)
//! are aligned first by a dynamic programme with *affine gaps*, as in biological sequence
//! alignment: opening a gap costs a lot, extending it almost nothing, so skipping a whole
//! untranslated section costs about as much as skipping one paragraph, while a real
//! translation is never cut apart for a paragraph with weak evidence. Unit pairs score their
//! shared anchors (less chance) as a share of their anchors' weight, so the figures mean the
//! same in any document.
//!
//! The result is a list of [`Stretch`]es in order: paired ones, aligned sentence by sentence
//! afterwards, and one-sided ones (source not covered, or translation matching no source).

use std::ops::Range;

use super::anchors::Anchors;
use super::length::LengthModel;
use super::{Aligner, LanguageCheck};

/// At most this many DP cells; longer texts are grouped into units of several paragraphs.
const MAX_CELLS: usize = 1_000_000;
/// Evidence a pair of units needs, as a share of the document's typical evidence, to gain from
/// matching.
const THRESHOLD: f32 = 0.2;
/// Score of a pair with exactly the typical evidence, before the threshold.
const SCALE: f32 = 3.0;
/// The typical evidence is taken as at least this (a share of the anchors' weight), so a
/// translation of something else does not look typical.
const MIN_TYPICAL: f32 = 0.15;
/// Cost of opening a gap (a run of units of one side left out).
const GAP_OPEN: f32 = 1.0;
/// Cost of each unit in a gap.
const GAP_EXTEND: f32 = 0.02;
/// Weight of the length misfit of a unit pair.
const LENGTH: f32 = 0.1;
/// Interior gaps shorter than this many units on both sides are left to the sentence alignment.
const MIN_GAP: usize = 3;
/// Extra cost of a unit bead joining two units of one side.
const MERGE: f32 = 0.5;

/// A stretch of both sides: paired (both ranges non-empty), or one side only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stretch {
    /// Source units (paragraphs).
    pub(crate) src: Range<usize>,
    /// Target units (paragraphs).
    pub(crate) tgt: Range<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Match,
    SrcGap,
    TgtGap,
}

/// Unit moves of the matching state: (source units, target units, extra cost).
const MOVES: [(usize, usize, f32); 3] = [(1, 1, 0.0), (2, 1, MERGE), (1, 2, MERGE)];

impl Aligner {
    /// The stretches of `src` and `tgt` (paragraphs, as whole texts) that translate each other,
    /// in order, covering every paragraph of both sides once.
    pub(crate) fn coverage(&self, src: &[&str], tgt: &[&str]) -> Vec<Stretch> {
        let (n, m) = (src.len(), tgt.len());
        if n == 0 || m == 0 {
            return one_sided(0..n, 0..m);
        }
        // Rounding a positive, bounded group size.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let k = (((n + 1) as f64 * (m + 1) as f64 / MAX_CELLS as f64)
            .sqrt()
            .ceil() as usize)
            .max(1);
        let group = |side: &[&str], sep: &str| -> Vec<String> {
            side.chunks(k).map(|c| c.join(sep)).collect()
        };
        let (gs, gt) = (group(src, ""), group(tgt, " "));
        let su: Vec<&str> = gs.iter().map(String::as_str).collect();
        let tu: Vec<&str> = gt.iter().map(String::as_str).collect();
        let anchors = Anchors::extract(
            &su,
            &tu,
            (&self.options.source, &self.options.target),
            self.glossary.as_ref(),
        );
        let ls: Vec<usize> = su.iter().map(|s| s.len()).collect();
        let lt: Vec<usize> = tu.iter().map(|s| s.len()).collect();
        let (lo, hi) = LanguageCheck::expected_ratio(&self.options.source, &self.options.target);
        let model = LengthModel::estimate(&ls, &lt, (lo * hi).sqrt());
        let units = absorb_short_gaps(&stretches(&anchors, (&ls, &lt), model));
        units
            .into_iter()
            .map(|s| Stretch {
                src: (s.src.start * k).min(n)..(s.src.end * k).min(n),
                tgt: (s.tgt.start * k).min(m)..(s.tgt.end * k).min(m),
            })
            .collect()
    }
}

/// Joins paired stretches separated by one-sided stretches that are the sentence alignment's
/// business, not a part of the document the translation does not cover:
///
/// - a short run (fewer than [`MIN_GAP`] units on each side): a paragraph left out, or a
///   paragraph boundary the translator moved (a null bead, a merge across the boundary);
/// - a run with units on **both** sides, of comparable counts (neither more than twice the
///   other plus one): source and translation both have text between the same two matched
///   stretches, so that text most likely translates each other with weak evidence (a table of
///   contents, short headings), and the sentence alignment, confined between the two stretches,
///   pairs it or leaves null beads, with the confidence its evidence earns.
fn absorb_short_gaps(stretches: &[Stretch]) -> Vec<Stretch> {
    let paired = |s: &Stretch| !s.src.is_empty() && !s.tgt.is_empty();
    let mut out: Vec<Stretch> = Vec::new();
    let mut k = 0;
    while k < stretches.len() {
        let s = stretches[k].clone();
        if paired(&s)
            && let Some(last) = out.last_mut().filter(|l| paired(l))
        {
            last.src.end = s.src.end;
            last.tgt.end = s.tgt.end;
            k += 1;
            continue;
        }
        // A run of short one-sided stretches between two paired ones.
        let run_end = (k..stretches.len())
            .find(|&e| paired(&stretches[e]))
            .unwrap_or(stretches.len());
        let (src_units, tgt_units) = stretches[k..run_end]
            .iter()
            .fold((0, 0), |(a, b), s| (a + s.src.len(), b + s.tgt.len()));
        let interior = !paired(&s) && out.last().is_some_and(paired) && run_end < stretches.len();
        let short = src_units < MIN_GAP && tgt_units < MIN_GAP;
        let facing = src_units > 0
            && tgt_units > 0
            && src_units <= 2 * tgt_units + 1
            && tgt_units <= 2 * src_units + 1;
        if interior && (short || facing) {
            if let Some(last) = out.last_mut() {
                last.src.end = stretches[run_end - 1].src.end;
                last.tgt.end = stretches[run_end - 1].tgt.end;
            }
            k = run_end;
            continue;
        }
        out.push(s);
        k += 1;
    }
    out
}

fn one_sided(src: Range<usize>, tgt: Range<usize>) -> Vec<Stretch> {
    let mut out = Vec::new();
    if !src.is_empty() {
        out.push(Stretch {
            src: src.clone(),
            tgt: tgt.start..tgt.start,
        });
    }
    if !tgt.is_empty() {
        out.push(Stretch {
            src: src.end..src.end,
            tgt,
        });
    }
    out
}

/// The affine-gap alignment of the units.
#[allow(clippy::many_single_char_names)] // i, j, n, m, w: the DP's grid, as in the literature
fn stretches(anchors: &Anchors, lengths: (&[usize], &[usize]), model: LengthModel) -> Vec<Stretch> {
    let (n, m) = (lengths.0.len(), lengths.1.len());
    let w = m + 1;
    let evidence = |s: Range<usize>, t: Range<usize>| -> f32 {
        let mut shared = 0.0;
        for i in s.clone() {
            for j in t.clone() {
                shared += anchors.similarity(i, j);
            }
            shared -= anchors.chance[i];
        }
        let mass: f32 = s.clone().map(|i| anchors.src_mass[i]).sum::<f32>()
            + t.clone().map(|j| anchors.tgt_mass[j]).sum::<f32>();
        if mass > 0.0 { 2.0 * shared / mass } else { 0.0 }
    };
    // The typical evidence of a translated unit: the median over target units of their best
    // one-to-one evidence.
    let mut best_of_target: Vec<f32> = (0..m)
        .map(|j| {
            (0..n)
                .map(|i| evidence(i..i + 1, j..j + 1))
                .fold(0.0, f32::max)
        })
        .collect();
    best_of_target.sort_by(f32::total_cmp);
    let typical = best_of_target[m / 2].max(MIN_TYPICAL);
    // Short units (a heading, a line of a table of contents) carry little evidence either way:
    // their score is damped towards zero by their anchors' weight against a typical unit's.
    let median = |v: &[f32]| {
        let mut v = v.to_vec();
        v.sort_by(f32::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    let typical_mass = (median(&anchors.src_mass) + median(&anchors.tgt_mass)).max(f32::EPSILON);
    let score = |s: Range<usize>, t: Range<usize>| -> f32 {
        let ev = evidence(s.clone(), t.clone()) / typical;
        let ls: usize = lengths.0[s.clone()].iter().sum();
        let lt: usize = lengths.1[t.clone()].iter().sum();
        #[allow(clippy::cast_possible_truncation)] // a small cost
        let misfit = model.cost(ls, lt).min(50.0) as f32;
        // In a merged bead every unit must bring evidence of its own, or it pays as if it
        // were left out: an untranslated paragraph does not ride along with its neighbour.
        let mut idle = 0.0;
        if s.len() > 1 {
            for i in s.clone() {
                idle += (THRESHOLD - evidence(i..i + 1, t.clone()) / typical).max(0.0);
            }
        }
        if t.len() > 1 {
            for j in t.clone() {
                idle += (THRESHOLD - evidence(s.clone(), j..j + 1) / typical).max(0.0);
            }
        }
        let mass: f32 = s.clone().map(|i| anchors.src_mass[i]).sum::<f32>()
            + t.clone().map(|j| anchors.tgt_mass[j]).sum::<f32>();
        let weight = (mass / typical_mass).min(1.0);
        SCALE * weight * (ev.min(1.5) - THRESHOLD - idle) - LENGTH * misfit
    };
    // best[state][i * w + j] and the state and move each came from.
    let mut best = [
        vec![f32::NEG_INFINITY; (n + 1) * w],
        vec![f32::NEG_INFINITY; (n + 1) * w],
        vec![f32::NEG_INFINITY; (n + 1) * w],
    ];
    let mut back: [Vec<(State, u8)>; 3] = [
        vec![(State::Match, 0); (n + 1) * w],
        vec![(State::Match, 0); (n + 1) * w],
        vec![(State::Match, 0); (n + 1) * w],
    ];
    best[0][0] = 0.0;
    let states = [State::Match, State::SrcGap, State::TgtGap];
    let from = |best: &[Vec<f32>; 3], at: usize, gap: Option<State>| -> (f32, State) {
        let mut top = (f32::NEG_INFINITY, State::Match);
        for (k, &state) in states.iter().enumerate() {
            let cost = match gap {
                Some(g) if g == state => GAP_EXTEND,
                Some(_) => GAP_OPEN + GAP_EXTEND,
                None => 0.0,
            };
            let v = best[k][at] - cost;
            if v > top.0 {
                top = (v, state);
            }
        }
        top
    };
    for i in 0..=n {
        for j in 0..=m {
            let at = i * w + j;
            if i == 0 && j == 0 {
                continue;
            }
            for (mv, &(a, b, extra)) in MOVES.iter().enumerate() {
                if a <= i && b <= j {
                    let (prev, state) = from(&best, (i - a) * w + (j - b), None);
                    let v = prev + score(i - a..i, j - b..j) - extra;
                    if v > best[0][at] {
                        best[0][at] = v;
                        back[0][at] = (state, u8::try_from(mv).unwrap_or(0));
                    }
                }
            }
            if i > 0 {
                let (v, state) = from(&best, at - w, Some(State::SrcGap));
                best[1][at] = v;
                back[1][at] = (state, 0);
            }
            if j > 0 {
                let (v, state) = from(&best, at - 1, Some(State::TgtGap));
                best[2][at] = v;
                back[2][at] = (state, 0);
            }
        }
    }
    // Trace back into unit moves, then merge runs into stretches.
    let end = n * w + m;
    let mut state = states
        .iter()
        .copied()
        .max_by(|a, b| best[*a as usize][end].total_cmp(&best[*b as usize][end]))
        .unwrap_or(State::Match);
    let (mut i, mut j) = (n, m);
    let mut moves: Vec<(State, usize, usize)> = Vec::new();
    while i > 0 || j > 0 {
        let (prev, mv) = back[state as usize][i * w + j];
        let (a, b) = match state {
            State::Match => (MOVES[usize::from(mv)].0, MOVES[usize::from(mv)].1),
            State::SrcGap => (1, 0),
            State::TgtGap => (0, 1),
        };
        if a > i || b > j || (a == 0 && b == 0) {
            // Unreachable: every cell but the origin has a finite best move.
            break;
        }
        moves.push((state, a, b));
        i -= a;
        j -= b;
        state = prev;
    }
    moves.reverse();
    let mut out: Vec<Stretch> = Vec::new();
    let (mut i, mut j) = (i, j);
    for (state, a, b) in moves {
        let kind_of = |s: &Stretch| match (s.src.is_empty(), s.tgt.is_empty()) {
            (false, false) => State::Match,
            (false, true) => State::SrcGap,
            _ => State::TgtGap,
        };
        match out.last_mut() {
            Some(last) if kind_of(last) == state && last.src.end == i && last.tgt.end == j => {
                last.src.end += a;
                last.tgt.end += b;
            }
            _ => out.push(Stretch {
                src: i..i + a,
                tgt: j..j + b,
            }),
        }
        i += a;
        j += b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::AlignOptions;

    fn aligner() -> Aligner {
        Aligner::new(AlignOptions::default()).unwrap()
    }

    const ZH: [&str; 6] = [
        "联合国大会在纽约召开，各国代表讨论气候变化问题。",
        "中国提供了2702亿元援助，覆盖亚洲和非洲。",
        "医疗队在埃塞俄比亚治疗了三万名病人。",
        "农业专家帮助农民把水稻产量提高了百分之四十。",
        "奖学金资助了五千名学生来华学习工程。",
        "铁路和港口建设改善了东非的交通运输。",
    ];
    const EN: [&str; 6] = [
        "The United Nations General Assembly met in New York, where delegates discussed climate change.",
        "China provided 270.2 billion yuan of aid, covering Asia and Africa.",
        "Medical teams treated 30,000 patients in Ethiopia.",
        "Agricultural experts helped farmers raise rice yields by 40 percent.",
        "Scholarships funded 5,000 students to study engineering in China.",
        "Railways and ports improved transport in East Africa.",
    ];

    #[test]
    fn a_full_translation_is_one_stretch() {
        let s = aligner().coverage(&ZH, &EN);
        assert_eq!(
            s,
            [Stretch {
                src: 0..6,
                tgt: 0..6
            }]
        );
    }

    #[test]
    fn a_translation_of_the_beginning_leaves_the_rest_uncovered() {
        let s = aligner().coverage(&ZH, &EN[..2]);
        assert_eq!(
            s,
            [
                Stretch {
                    src: 0..2,
                    tgt: 0..2
                },
                Stretch {
                    src: 2..6,
                    tgt: 2..2
                }
            ]
        );
    }

    #[test]
    fn a_translation_of_the_middle() {
        let s = aligner().coverage(&ZH, &EN[2..5]);
        assert_eq!(
            s,
            [
                Stretch {
                    src: 0..2,
                    tgt: 0..0
                },
                Stretch {
                    src: 2..5,
                    tgt: 0..3
                },
                Stretch {
                    src: 5..6,
                    tgt: 3..3
                }
            ]
        );
    }

    #[test]
    fn a_short_interior_gap_is_left_to_the_sentence_alignment() {
        let joined = absorb_short_gaps(&[
            Stretch {
                src: 0..4,
                tgt: 0..4,
            },
            Stretch {
                src: 4..4,
                tgt: 4..5,
            },
            Stretch {
                src: 4..5,
                tgt: 5..5,
            },
            Stretch {
                src: 5..9,
                tgt: 5..8,
            },
            Stretch {
                src: 9..20,
                tgt: 8..8,
            },
        ]);
        assert_eq!(
            joined,
            [
                Stretch {
                    src: 0..9,
                    tgt: 0..8
                },
                Stretch {
                    src: 9..20,
                    tgt: 8..8
                }
            ]
        );
    }

    #[test]
    fn facing_gaps_of_both_sides_are_left_to_the_sentence_alignment() {
        let paired = |s: Range<usize>, t: Range<usize>| Stretch { src: s, tgt: t };
        // Eight source and eight target units between two matched stretches: joined.
        let joined = absorb_short_gaps(&[
            paired(0..10, 0..10),
            paired(10..18, 10..10),
            paired(18..18, 10..18),
            paired(18..30, 18..30),
        ]);
        assert_eq!(joined, [paired(0..30, 0..30)]);
        // Eight source units facing one target unit: the source part stays not covered.
        let kept = absorb_short_gaps(&[
            paired(0..10, 0..10),
            paired(10..18, 10..10),
            paired(18..18, 10..11),
            paired(18..30, 11..23),
        ]);
        assert_eq!(kept.len(), 4, "{kept:?}");
        // A trailing section with no translation is never joined.
        let tail = absorb_short_gaps(&[paired(0..10, 0..10), paired(10..18, 10..10)]);
        assert_eq!(tail.len(), 2);
    }

    #[test]
    fn empty_sides() {
        assert_eq!(
            aligner().coverage(&ZH[..2], &[]),
            [Stretch {
                src: 0..2,
                tgt: 0..0
            }]
        );
        assert_eq!(
            aligner().coverage(&[], &EN[..1]),
            [Stretch {
                src: 0..0,
                tgt: 0..1
            }]
        );
    }
}
