//! Aligning a whole existing translation with a segmented document (`duiyi align LANG FILE`).
//!
//! 1. The translation is read into paragraphs of sentences ([`super::input`]).
//! 2. [`align_document`] finds first which stretches of the source the translation covers
//!    (`coverage`): a translation of one section is aligned with that
//!    section, and the rest of the source is left untranslated, not given sentences spread
//!    thin. Inside each covered stretch it aligns paragraphs first and then sentences inside
//!    aligned paragraphs ([`Aligner::align_paragraphs`]). When both sides mark headings and
//!    list items in the same order (a Markdown, HTML or Word target), those are hard anchors;
//!    otherwise, when both sides have as many headings, the headings are: the texts are cut
//!    at the anchors and each piece is aligned on its own. The language check then refuses a
//!    target that does not look like a translation, unless forced.
//! 3. [`assignments`] turns beads into one piece of work per source segment, which is what the
//!    translation store holds. A bead with several source segments (2-1, 2-2, 3-1) puts its
//!    whole target text on its **first** source segment, flagged for review with a note naming
//!    the others; the others get no text but a needs-review flag and a note pointing to the
//!    first. A bead whose confidence is below the threshold ([`DEFAULT_MIN_CONFIDENCE`] unless
//!    the caller chooses) is a **draft**: stored `initial`, flagged, its confidence in the
//!    note, never `translated`. A target sentence with no source (0-1) is stored nowhere (it
//!    would put text on a segment it does not translate): the caller reports it. A source
//!    segment with no target (1-0) stays untranslated.

use super::input::{Kind, Paragraph};
use super::{AlignError, Aligner, Bead};
use crate::segment::Document;
use crate::segment::structure::Role;

/// Beads with a lower confidence are stored as drafts, flagged `needs-review`, unless the
/// caller chooses another threshold (`duiyi align --min-confidence`).
pub const DEFAULT_MIN_CONFIDENCE: f64 = 0.5;

/// One paragraph of the source document: its segments' texts and whether it is a heading.
#[derive(Clone, Debug)]
pub struct SourceParagraph<'a> {
    /// A heading or the title: a hard anchor when the target marks headings too.
    pub heading: bool,
    /// A list item (——…): a hard anchor, with the headings, when the target marks list items
    /// in the same order.
    pub list_item: bool,
    /// The segments, in order.
    pub sentences: Vec<&'a str>,
}

impl<'a> SourceParagraph<'a> {
    /// The paragraphs of `doc` that have segments, in order: headings and the title, list
    /// items, and the texts of their segments.
    pub fn of_document(doc: &'a Document) -> Vec<Self> {
        doc.units
            .iter()
            .filter(|u| !u.segments.is_empty())
            .map(|u| SourceParagraph {
                heading: matches!(u.role, Role::Heading | Role::Title),
                list_item: u.role == Role::ListItem,
                sentences: u
                    .segments
                    .iter()
                    .map(|s| s.text(doc.unit_text(u)))
                    .collect(),
            })
            .collect()
    }
}

/// A document's alignment with a translation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentAlignment {
    /// The beads, in order; sentence indices count across each whole side.
    pub beads: Vec<Bead>,
    /// For each bead, whether it lies in a stretch the translation covers (see
    /// `coverage`): `false` for the source sentences of a section the
    /// translation leaves out and for translation paragraphs that match no part of the source.
    pub covered: Vec<bool>,
}

/// Aligns a document's paragraphs with a translation's: coverage first, then, inside each
/// covered stretch, paragraphs and sentences (headings and list items as hard anchors when
/// both sides mark them alike).
///
/// Refuses an empty side ([`AlignError::EmptySide`]) and a target that does not look like a
/// translation ([`AlignError::WrongLanguage`]) unless `force` is set.
pub fn align_document(
    aligner: &Aligner,
    src: &[SourceParagraph<'_>],
    tgt: &[Paragraph],
    force: bool,
) -> Result<DocumentAlignment, AlignError> {
    let chunked = chunk_long_paragraphs(src, tgt);
    let tgt = chunked.as_deref().unwrap_or(tgt);
    let src_flat: Vec<&str> = src
        .iter()
        .flat_map(|p| p.sentences.iter().copied())
        .collect();
    let tgt_flat: Vec<&str> = tgt
        .iter()
        .flat_map(|p| p.sentences.iter().map(String::as_str))
        .collect();
    if !force && (src_flat.is_empty() || tgt_flat.is_empty()) {
        let side = if src_flat.is_empty() {
            "source"
        } else {
            "target"
        };
        return Err(AlignError::EmptySide { side });
    }
    let src_units: Vec<String> = src.iter().map(|p| p.sentences.concat()).collect();
    let tgt_units: Vec<String> = tgt.iter().map(|p| p.sentences.join(" ")).collect();
    let su: Vec<&str> = src_units.iter().map(String::as_str).collect();
    let tu: Vec<&str> = tgt_units.iter().map(String::as_str).collect();
    let starts = |lens: &mut dyn Iterator<Item = usize>| -> Vec<usize> {
        let mut acc = 0;
        let mut out = vec![0];
        for l in lens {
            acc += l;
            out.push(acc);
        }
        out
    };
    let s_start = starts(&mut src.iter().map(|p| p.sentences.len()));
    let t_start = starts(&mut tgt.iter().map(|p| p.sentences.len()));
    let mut out = DocumentAlignment::default();
    for stretch in aligner.coverage(&su, &tu) {
        let (s0, t0) = (s_start[stretch.src.start], t_start[stretch.tgt.start]);
        let (s1, t1) = (s_start[stretch.src.end], t_start[stretch.tgt.end]);
        if stretch.src.is_empty() || stretch.tgt.is_empty() {
            for i in s0..s1 {
                out.beads.push(Bead {
                    src: vec![i],
                    tgt: vec![],
                    confidence: 1.0,
                });
            }
            for j in t0..t1 {
                out.beads.push(Bead {
                    src: vec![],
                    tgt: vec![j],
                    confidence: 1.0,
                });
            }
            out.covered.resize(out.beads.len(), false);
            continue;
        }
        for b in align_stretch(aligner, &src[stretch.src], &tgt[stretch.tgt]) {
            out.beads.push(Bead {
                src: b.src.iter().map(|i| i + s0).collect(),
                tgt: b.tgt.iter().map(|j| j + t0).collect(),
                confidence: b.confidence,
            });
        }
        out.covered.resize(out.beads.len(), true);
    }
    if !force && !src_flat.is_empty() && !tgt_flat.is_empty() {
        aligner
            .language_check(&src_flat, &tgt_flat, &out.beads)
            .verdict(aligner.options())?;
    }
    Ok(out)
}

/// When the translation's paragraphs are far longer than the source's (a file with few line
/// breaks, or none), cuts them into pieces of about a source paragraph's length: paragraphs are
/// the units of coverage and of the first alignment pass, and a paragraph that stands for
/// dozens of source paragraphs would make both blind. Sentences keep their order and indices.
fn chunk_long_paragraphs(src: &[SourceParagraph<'_>], tgt: &[Paragraph]) -> Option<Vec<Paragraph>> {
    let mean = |sentences: usize, paragraphs: usize| sentences as f64 / paragraphs.max(1) as f64;
    let src_mean = mean(src.iter().map(|p| p.sentences.len()).sum(), src.len()).max(1.0);
    let tgt_mean = mean(tgt.iter().map(|p| p.sentences.len()).sum(), tgt.len());
    if tgt_mean <= 3.0 * src_mean || tgt_mean <= 6.0 {
        return None;
    }
    // A positive mean of a few sentences.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let size = src_mean.ceil() as usize;
    let mut out = Vec::new();
    for p in tgt {
        for (k, piece) in p.sentences.chunks(size).enumerate() {
            out.push(Paragraph {
                kind: if k == 0 { p.kind } else { Kind::Paragraph },
                line: p.line,
                sentences: piece.to_vec(),
            });
        }
    }
    Some(out)
}

/// Aligns paragraphs that translate each other, headings (and list items) as hard anchors
/// when both sides mark them alike; sentence indices start at 0 on both sides.
fn align_stretch(aligner: &Aligner, src: &[SourceParagraph<'_>], tgt: &[Paragraph]) -> Vec<Bead> {
    let src_paras: Vec<Vec<&str>> = src.iter().map(|p| p.sentences.clone()).collect();
    let tgt_paras: Vec<Vec<&str>> = tgt
        .iter()
        .map(|p| p.sentences.iter().map(String::as_str).collect())
        .collect();
    // Hard anchors: headings and list items when both sides mark them in the same order;
    // otherwise headings alone when both sides have as many.
    let src_marks: Vec<(usize, bool)> = (0..src.len())
        .filter(|&i| src[i].heading || src[i].list_item)
        .map(|i| (i, src[i].heading))
        .collect();
    let tgt_marks: Vec<(usize, bool)> = (0..tgt.len())
        .filter(|&i| matches!(tgt[i].kind, Kind::Heading | Kind::ListItem))
        .map(|i| (i, tgt[i].kind == Kind::Heading))
        .collect();
    let same_shape = !src_marks.is_empty()
        && src_marks.len() == tgt_marks.len()
        && src_marks.iter().zip(&tgt_marks).all(|(a, b)| a.1 == b.1);
    let (src_heads, tgt_heads): (Vec<usize>, Vec<usize>) = if same_shape {
        (
            src_marks.iter().map(|m| m.0).collect(),
            tgt_marks.iter().map(|m| m.0).collect(),
        )
    } else {
        (
            (0..src.len()).filter(|&i| src[i].heading).collect(),
            (0..tgt.len())
                .filter(|&i| tgt[i].kind == Kind::Heading)
                .collect(),
        )
    };
    if src_heads.is_empty() || src_heads.len() != tgt_heads.len() {
        return aligner.align_paragraphs(&src_paras, &tgt_paras);
    }
    // Cut both sides before each anchor and align the pieces apart.
    let cuts = |heads: &[usize], len: usize| -> Vec<(usize, usize)> {
        let mut bounds: Vec<usize> = std::iter::once(0)
            .chain(heads.iter().copied())
            .chain(std::iter::once(len))
            .collect();
        bounds.dedup();
        bounds.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let mut s_cuts = cuts(&src_heads, src.len());
    let mut t_cuts = cuts(&tgt_heads, tgt.len());
    // A piece before the first anchor exists on one side only: give it an empty twin.
    if src_heads[0] == 0 && tgt_heads[0] > 0 {
        s_cuts.insert(0, (0, 0));
    }
    if tgt_heads[0] == 0 && src_heads[0] > 0 {
        t_cuts.insert(0, (0, 0));
    }
    let mut beads = Vec::new();
    let (mut s_off, mut t_off) = (0, 0);
    for (&(s0, s1), &(t0, t1)) in s_cuts.iter().zip(&t_cuts) {
        let part = aligner.align_paragraphs(&src_paras[s0..s1], &tgt_paras[t0..t1]);
        for b in part {
            beads.push(Bead {
                src: b.src.iter().map(|i| i + s_off).collect(),
                tgt: b.tgt.iter().map(|j| j + t_off).collect(),
                confidence: b.confidence,
            });
        }
        s_off += src_paras[s0..s1].iter().map(Vec::len).sum::<usize>();
        t_off += tgt_paras[t0..t1].iter().map(Vec::len).sum::<usize>();
    }
    beads
}

/// What to store for one source segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// The source segment's index in the document.
    pub src: usize,
    /// The translation to store; empty for the later segments of a many-to-one bead.
    pub target: String,
    /// The bead's confidence.
    pub confidence: f64,
    /// Whether to store it as a draft (`initial`): the bead's confidence is below the
    /// threshold, so it may not be the translation of this segment at all.
    pub draft: bool,
    /// Whether to flag it `needs-review`.
    pub review: bool,
    /// Why it needs review, for the record's note.
    pub note: Option<String>,
}

/// Turns beads into one [`Assignment`] per source segment that received something (see the
/// module docs). `refs` names the source segments in notes; `tgt` are the target sentences
/// the beads index; beads below `min_confidence` become drafts.
pub fn assignments(
    beads: &[Bead],
    refs: &[&str],
    tgt: &[&str],
    min_confidence: f64,
) -> Vec<Assignment> {
    let join = |ids: &[usize]| -> String {
        ids.iter()
            .filter_map(|&j| tgt.get(j).copied())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let name = |i: usize| refs.get(i).copied().unwrap_or("?").to_string();
    let mut out: Vec<Assignment> = Vec::new();
    for bead in beads {
        if bead.src.is_empty() || bead.tgt.is_empty() {
            continue;
        }
        let first = bead.src[0];
        let draft = bead.confidence < min_confidence;
        let mut notes = Vec::new();
        if draft {
            notes.push(format!(
                "aligned with low confidence ({:.2}, below {min_confidence:.2}): check that this is the translation of this segment",
                bead.confidence
            ));
        }
        if bead.src.len() > 1 {
            let others: Vec<String> = bead.src[1..].iter().map(|&i| name(i)).collect();
            notes.push(format!(
                "aligned: this translation also covers {}",
                others.join(", ")
            ));
        }
        out.push(Assignment {
            src: first,
            target: join(&bead.tgt),
            confidence: bead.confidence,
            draft,
            review: !notes.is_empty(),
            note: (!notes.is_empty()).then(|| notes.join("; ")),
        });
        for &i in &bead.src[1..] {
            out.push(Assignment {
                src: i,
                target: String::new(),
                confidence: bead.confidence,
                draft,
                review: true,
                note: Some(format!(
                    "aligned: translated together with {}, whose translation covers this segment",
                    name(first)
                )),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::AlignOptions;

    fn parse(text: &str) -> Result<Vec<Paragraph>, AlignError> {
        crate::align::input::parse_translation(
            std::path::Path::new("t.md"),
            text.as_bytes(),
            &crate::align::input::translation_rules(),
        )
    }

    fn bead(src: &[usize], tgt: &[usize], confidence: f64) -> Bead {
        Bead {
            src: src.to_vec(),
            tgt: tgt.to_vec(),
            confidence,
        }
    }

    #[test]
    fn many_to_one_goes_on_the_first_segment_low_confidence_is_a_draft_and_orphans_are_not_stored()
    {
        let refs = ["1¶1.1", "1¶1.2", "1¶1.3", "1¶1.4"];
        let tgt = ["A.", "B.", "C.", "D.", "E."];
        let beads = [
            bead(&[], &[0], 0.3),
            bead(&[0], &[1], 0.9),
            bead(&[1, 2], &[2], 0.8),
            bead(&[3], &[3], 0.4),
            bead(&[], &[4], 0.2),
        ];
        let a = assignments(&beads, &refs, &tgt, 0.5);
        assert_eq!(a.len(), 4);
        assert_eq!((a[0].src, a[0].target.as_str()), (0, "B."));
        assert!(!a[0].review && !a[0].draft && a[0].note.is_none());
        assert_eq!(
            (a[1].src, a[1].target.as_str(), a[1].review, a[1].draft),
            (1, "C.", true, false)
        );
        assert!(a[1].note.as_deref().unwrap().contains("1¶1.3"));
        assert_eq!((a[2].src, a[2].target.as_str(), a[2].review), (2, "", true));
        assert!(a[2].note.as_deref().unwrap().contains("1¶1.2"));
        assert_eq!((a[3].src, a[3].target.as_str()), (3, "D."));
        assert!(a[3].review && a[3].draft);
        assert_eq!(
            a[3].note.as_deref(),
            Some(
                "aligned with low confidence (0.40, below 0.50): check that this is the translation of this segment"
            )
        );
        // A stricter threshold makes the 0.8 bead a draft too; 0 makes none.
        assert!(assignments(&beads, &refs, &tgt, 0.85)[1].draft);
        assert!(
            assignments(&beads, &refs, &tgt, 0.0)
                .iter()
                .all(|a| !a.draft)
        );
    }

    #[test]
    fn one_to_many_and_untranslated_segments() {
        let a = assignments(
            &[bead(&[0], &[0, 1], 0.9), bead(&[1], &[], 0.9)],
            &["a", "b"],
            &["X.", "Y."],
            0.5,
        );
        assert_eq!(a.len(), 1);
        assert_eq!((a[0].target.as_str(), a[0].review), ("X. Y.", false));
    }

    fn src<'a>(paras: &'a [(bool, &[&'a str])]) -> Vec<SourceParagraph<'a>> {
        paras
            .iter()
            .map(|(heading, s)| SourceParagraph {
                heading: *heading,
                list_item: false,
                sentences: s.to_vec(),
            })
            .collect()
    }

    #[test]
    fn headings_are_hard_anchors_and_wrong_language_is_refused() {
        let aligner = Aligner::new(AlignOptions::default()).unwrap();
        let source = src(&[
            (true, &["一、国际发展合作"]),
            (false, &["中国坚持和平发展。", "中国支持联合国。"]),
            (true, &["二、南南合作"]),
            (false, &["中国提供了2702亿元援助。"]),
        ]);
        let target = parse(
            "# I. International Development Cooperation\nChina upholds peaceful development. \
             China supports the United Nations.\n# II. South-South Cooperation\n\
             China provided 270.2 billion yuan of aid.\n",
        )
        .unwrap();
        let beads = align_document(&aligner, &source, &target, false)
            .unwrap()
            .beads;
        let pairs: Vec<(Vec<usize>, Vec<usize>)> = beads
            .iter()
            .map(|b| (b.src.clone(), b.tgt.clone()))
            .collect();
        assert_eq!(
            pairs,
            [
                (vec![0], vec![0]),
                (vec![1], vec![1]),
                (vec![2], vec![2]),
                (vec![3], vec![3]),
                (vec![4], vec![4]),
            ]
        );
        let german = parse(
            "Die Bundesregierung hat heute beschlossen, dass die Schulen geschlossen bleiben. \
             Der Winter war kalt und lang, und niemand wollte hinausgehen.\nAuch die Kinder \
             spielten drinnen mit ihren Freunden und lasen Bücher.\n",
        )
        .unwrap();
        let e = align_document(&aligner, &source, &german, false).unwrap_err();
        assert!(matches!(e, AlignError::WrongLanguage { .. }), "{e}");
        assert!(align_document(&aligner, &source, &german, true).is_ok());
        let e = align_document(&aligner, &source, &[], false).unwrap_err();
        assert!(matches!(e, AlignError::EmptySide { side: "target" }), "{e}");
    }

    #[test]
    fn list_items_are_hard_anchors_with_the_headings() {
        let aligner = Aligner::new(AlignOptions::default()).unwrap();
        let para =
            |heading: bool, list_item: bool, sentences: &'static [&'static str]| SourceParagraph {
                heading,
                list_item,
                sentences: sentences.to_vec(),
            };
        let source = vec![
            para(true, false, &["一、国际发展合作"]),
            para(
                false,
                true,
                &["——中国提供了2702亿元援助。", "援助覆盖多个国家。"],
            ),
            para(false, true, &["——派遣志愿者。"]),
            para(false, true, &["——减免债务。"]),
        ];
        // The first item's translation is long and the second short: lengths alone could pull
        // the second sentence of item one into item two; the list markers keep them apart.
        let target = parse(
            "# I. International Development Cooperation\n\
             - China provided 270.2 billion yuan of aid, which covered a great many countries \
             across Asia, Africa, Latin America and the Pacific. The aid reached many countries.\n\
             - Sending volunteers.\n\
             - Reducing debts.\n",
        )
        .unwrap();
        let beads = align_document(&aligner, &source, &target, false)
            .unwrap()
            .beads;
        let last_of_item_one = beads.iter().find(|b| b.src.contains(&2)).unwrap();
        assert!(last_of_item_one.tgt.iter().all(|&j| j <= 2), "{beads:?}");
        let volunteers = beads.iter().find(|b| b.src.contains(&3)).unwrap();
        assert_eq!(volunteers.tgt, vec![3]);
        let debts = beads.iter().find(|b| b.src.contains(&4)).unwrap();
        assert_eq!(debts.tgt, vec![4]);
    }
}
