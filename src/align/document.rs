//! Aligning a whole existing translation with a segmented document (`duiyi align LANG FILE`).
//!
//! 1. [`parse_translation`] reads the translation: plain text or Markdown, one paragraph per
//!    line, blank lines skipped. In a Markdown file (`.md`, `.markdown`) rules and fenced code
//!    are skipped too, and `#` headings and `-`, `*`, `+`, `1.` list items are recognised and
//!    their markers dropped (a plain text file is taken as it is: `1. Roots` there is a
//!    numbered heading, not a list marker). Then it splits every paragraph into
//!    sentences with the built-in English rules, `src/segment/en.toml` (Latin terminators where UAX #29 agrees, not
//!    after a listed abbreviation such as `U.S.` or `e.g.`).
//! 2. [`align_document`] aligns paragraphs first and then sentences inside aligned paragraphs
//!    ([`Aligner::align_paragraphs`]). When both sides mark headings and list items in the same
//!    order (a Markdown target), those are hard anchors; otherwise, when both sides have as many
//!    headings, the headings are: the texts are cut at the anchors and each stretch is aligned
//!    on its own. The language check then refuses a target that does not look like a
//!    translation, unless forced.
//! 3. [`assignments`] turns beads into one piece of work per source segment, which is what the
//!    translation store holds. A bead with several source segments (2-1, 2-2, 3-1) puts its
//!    whole target text on its **first** source segment, flagged for review with a note naming
//!    the others; the others get no text but a needs-review flag and a note pointing to the
//!    first. A target sentence with no source (0-1) is appended to the translation before it
//!    (or, at the very start, after it), flagged, so no translated text is lost. A source
//!    segment with no target (1-0) stays untranslated. Beads with a confidence below
//!    [`REVIEW_BELOW`] are flagged for review.

use std::path::Path;

use super::{AlignError, Aligner, Bead};
use crate::segment::Document;
use crate::segment::rules::{Rules, SentenceOptions};
use crate::segment::sentence;
use crate::segment::structure::Role;

/// Beads with a lower confidence are flagged `needs-review` when stored.
pub const REVIEW_BELOW: f64 = 0.5;

/// The largest translation file read: 64 MiB.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// What a paragraph of the translation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A Markdown heading (`# ...`); plain text has none.
    Heading,
    /// A Markdown list item (`- ...`, `1. ...`).
    ListItem,
    /// Any other line.
    Paragraph,
}

/// One paragraph of a translation, split into sentences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// What it is.
    pub kind: Kind,
    /// 1-based line in the file.
    pub line: usize,
    /// The sentences, trimmed, none empty.
    pub sentences: Vec<String>,
}

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

/// The built-in English sentence rules (`src/segment/en.toml`), used to split translations.
pub const ENGLISH_RULES: &str = include_str!("../segment/en.toml");

/// The sentence rules for splitting a translation: [`ENGLISH_RULES`], compiled.
pub fn translation_rules() -> Rules {
    // The embedded file is tested below; should it ever fail, the Chinese rules (which know
    // Latin punctuation and the common abbreviations too) are the fallback.
    Rules::from_toml(
        ENGLISH_RULES,
        Path::new("<built-in en.toml>"),
        SentenceOptions::default(),
    )
    .unwrap_or_else(|_| Rules::builtin(SentenceOptions::default()))
}

/// Reads a translation file (see [`parse_translation`]).
pub fn read_translation(path: &Path, rules: &Rules) -> Result<Vec<Paragraph>, AlignError> {
    let read = |source| AlignError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Err(AlignError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(read)?;
    parse_translation(path, &bytes, rules)
}

/// Parses a translation: UTF-8 (a byte-order mark is dropped), one paragraph per line.
/// Word-processor files are refused with a hint to save them as plain text.
pub fn parse_translation(
    path: &Path,
    bytes: &[u8],
    rules: &Rules,
) -> Result<Vec<Paragraph>, AlignError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xd0\xcf\x11\xe0") {
        return Err(AlignError::NotText {
            path: path.to_path_buf(),
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            return Err(AlignError::InvalidUtf8 {
                path: path.to_path_buf(),
                line,
            });
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let markdown = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"));
    let mut paragraphs = Vec::new();
    let mut fenced = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if markdown && line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if line.is_empty() || markdown && (fenced || is_rule(line)) {
            continue;
        }
        let (kind, body) = if markdown {
            let (kind, body) = markdown_block(line);
            (kind, body.replace("**", "").replace("__", ""))
        } else {
            (Kind::Paragraph, line.to_string())
        };
        let sentences: Vec<String> = sentence::split(rules, &body)
            .into_iter()
            .map(|r| body[r].trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        if !sentences.is_empty() {
            paragraphs.push(Paragraph {
                kind,
                line: i + 1,
                sentences,
            });
        }
    }
    Ok(paragraphs)
}

/// `---`, `***`, `___`: a Markdown thematic break.
fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|m| compact.chars().all(|c| c.to_string() == *m))
}

/// The block kind of a Markdown line and its text without the marker.
fn markdown_block(line: &str) -> (Kind, &str) {
    let line = line.strip_prefix('>').map_or(line, str::trim_start);
    let hashes = line.len() - line.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) && line[hashes..].starts_with([' ', '\t']) {
        return (Kind::Heading, line[hashes..].trim());
    }
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return (Kind::ListItem, rest.trim());
        }
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return (Kind::ListItem, rest.trim());
        }
    }
    (Kind::Paragraph, line)
}

/// Aligns a document's paragraphs with a translation's, paragraphs first, then sentences.
///
/// Sentence indices in the beads count across each whole side. Refuses an empty side
/// ([`AlignError::EmptySide`]) and a target that does not look like a translation
/// ([`AlignError::WrongLanguage`]) unless `force` is set.
pub fn align_document(
    aligner: &Aligner,
    src: &[SourceParagraph<'_>],
    tgt: &[Paragraph],
    force: bool,
) -> Result<Vec<Bead>, AlignError> {
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
    let beads = if !src_heads.is_empty() && src_heads.len() == tgt_heads.len() {
        // Hard anchors: cut both sides before each heading and align the stretches apart.
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
        // A stretch before the first heading exists on one side only: give it an empty twin.
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
    } else {
        aligner.align_paragraphs(&src_paras, &tgt_paras)
    };
    if !force && !src_flat.is_empty() && !tgt_flat.is_empty() {
        aligner
            .language_check(&src_flat, &tgt_flat, &beads)
            .verdict(aligner.options())?;
    }
    Ok(beads)
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
    /// Whether to flag it `needs-review`.
    pub review: bool,
    /// Why it needs review, for the record's note.
    pub note: Option<String>,
}

/// Turns beads into one [`Assignment`] per source segment that received something (see the
/// module docs for 2-1, 0-1 and 1-0 beads). `refs` names the source segments in notes;
/// `tgt` are the target sentences the beads index.
pub fn assignments(beads: &[Bead], refs: &[&str], tgt: &[&str]) -> Vec<Assignment> {
    let join = |ids: &[usize]| -> String {
        ids.iter()
            .filter_map(|&j| tgt.get(j).copied())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let name = |i: usize| refs.get(i).copied().unwrap_or("?").to_string();
    let mut out: Vec<Assignment> = Vec::new();
    let mut orphans: Vec<String> = Vec::new();
    for bead in beads {
        if bead.src.is_empty() {
            let text = join(&bead.tgt);
            match out.iter_mut().rev().find(|a| !a.target.is_empty()) {
                Some(prev) => attach_orphan(prev, &text, false),
                None => orphans.push(text),
            }
            continue;
        }
        if bead.tgt.is_empty() {
            continue;
        }
        let first = bead.src[0];
        let low = bead.confidence < REVIEW_BELOW;
        let mut note = None;
        if bead.src.len() > 1 {
            let others: Vec<String> = bead.src[1..].iter().map(|&i| name(i)).collect();
            note = Some(format!(
                "aligned: this translation also covers {}",
                others.join(", ")
            ));
        } else if low {
            note = Some(format!(
                "aligned with low confidence ({:.2}): check that this is the translation of this segment",
                bead.confidence
            ));
        }
        let mut first_assignment = Assignment {
            src: first,
            target: join(&bead.tgt),
            confidence: bead.confidence,
            review: low || bead.src.len() > 1,
            note,
        };
        if out.iter().all(|a| a.target.is_empty()) {
            for text in orphans.drain(..).rev() {
                attach_orphan(&mut first_assignment, &text, true);
            }
        }
        out.push(first_assignment);
        for &i in &bead.src[1..] {
            out.push(Assignment {
                src: i,
                target: String::new(),
                confidence: bead.confidence,
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

/// Adds a target sentence that has no source sentence to an assignment, flagging it.
fn attach_orphan(a: &mut Assignment, text: &str, before: bool) {
    a.target = if before {
        format!("{text} {}", a.target)
    } else {
        format!("{} {text}", a.target)
    };
    a.review = true;
    let extra = "it includes a sentence of the translation that matches no source sentence";
    a.note = Some(match a.note.take() {
        Some(n) => format!("{n}; {extra}"),
        None => format!("aligned: {extra}"),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::align::AlignOptions;

    fn rules() -> Rules {
        translation_rules()
    }

    #[test]
    fn the_english_rules_compile_and_keep_numbered_headings_whole() {
        Rules::from_toml(
            ENGLISH_RULES,
            Path::new("en.toml"),
            SentenceOptions::default(),
        )
        .unwrap();
        let p =
            parse("II. South-South Cooperation\n3.2 Trade. It grew by Gen. Li's plan.\n").unwrap();
        assert_eq!(p[0].sentences, ["II. South-South Cooperation"]);
        assert_eq!(p[1].sentences, ["3.2 Trade.", "It grew by Gen. Li's plan."]);
    }

    fn parse(text: &str) -> Result<Vec<Paragraph>, AlignError> {
        parse_translation(Path::new("t.md"), text.as_bytes(), &rules())
    }

    #[test]
    fn markdown_blocks_and_english_sentences() {
        let p = parse(
            "\u{feff}# I. Title\n\n- A list item. It has two sentences.\n---\n\
             The U.S. and China grew by 4.5% in 2020. Trade rose.\n```\ncode\n```\n",
        )
        .unwrap();
        assert_eq!(p.len(), 3);
        assert_eq!((p[0].kind, p[0].sentences.len()), (Kind::Heading, 1));
        assert_eq!(p[0].sentences[0], "I. Title");
        assert_eq!(p[1].kind, Kind::ListItem);
        assert_eq!(p[1].sentences, ["A list item.", "It has two sentences."]);
        assert_eq!(
            p[2].sentences,
            ["The U.S. and China grew by 4.5% in 2020.", "Trade rose."]
        );
        assert_eq!(p[2].line, 5);
    }

    #[test]
    fn plain_text_keeps_every_line_as_it_is() {
        let p = parse_translation(
            Path::new("t.txt"),
            "# not a heading\n1. Roots of cooperation\n---\n".as_bytes(),
            &rules(),
        )
        .unwrap();
        let texts: Vec<&str> = p.iter().map(|p| p.sentences[0].as_str()).collect();
        assert_eq!(texts, ["# not a heading", "1. Roots of cooperation", "---"]);
        assert!(p.iter().all(|p| p.kind == Kind::Paragraph));
    }

    #[test]
    fn bad_bytes_are_errors_with_a_line() {
        let e = parse_translation(Path::new("t.txt"), b"ok\nbad \xff\n", &rules()).unwrap_err();
        assert!(matches!(e, AlignError::InvalidUtf8 { line: 2, .. }), "{e}");
        let e = parse_translation(Path::new("t.docx"), b"PK\x03\x04rest", &rules()).unwrap_err();
        assert!(e.to_string().contains("plain text"), "{e}");
        assert!(parse("\n\n  \n").unwrap().is_empty());
    }

    fn bead(src: &[usize], tgt: &[usize], confidence: f64) -> Bead {
        Bead {
            src: src.to_vec(),
            tgt: tgt.to_vec(),
            confidence,
        }
    }

    #[test]
    fn many_to_one_goes_on_the_first_segment_and_flags_the_rest() {
        let refs = ["1¶1.1", "1¶1.2", "1¶1.3", "1¶1.4"];
        let tgt = ["A.", "B.", "C.", "D.", "E."];
        let beads = [
            bead(&[], &[0], 0.3),
            bead(&[0], &[1], 0.9),
            bead(&[1, 2], &[2], 0.8),
            bead(&[3], &[3], 0.4),
            bead(&[], &[4], 0.2),
        ];
        let a = assignments(&beads, &refs, &tgt);
        assert_eq!(a.len(), 4);
        assert_eq!((a[0].src, a[0].target.as_str()), (0, "A. B."));
        assert!(a[0].review);
        assert_eq!(
            (a[1].src, a[1].target.as_str(), a[1].review),
            (1, "C.", true)
        );
        assert!(a[1].note.as_deref().unwrap().contains("1¶1.3"));
        assert_eq!((a[2].src, a[2].target.as_str(), a[2].review), (2, "", true));
        assert!(a[2].note.as_deref().unwrap().contains("1¶1.2"));
        assert_eq!((a[3].src, a[3].target.as_str()), (3, "D. E."));
        assert!(a[3].review && a[3].note.as_deref().unwrap().contains("low confidence"));
    }

    #[test]
    fn one_to_many_and_untranslated_segments() {
        let a = assignments(
            &[bead(&[0], &[0, 1], 0.9), bead(&[1], &[], 0.9)],
            &["a", "b"],
            &["X.", "Y."],
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
        let beads = align_document(&aligner, &source, &target, false).unwrap();
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
            "# I. International Development Cooperation
             - China provided 270.2 billion yuan of aid, which covered a great many countries              across Asia, Africa, Latin America and the Pacific. The aid reached many countries.
             - Sending volunteers.
- Reducing debts.
",
        )
        .unwrap();
        let beads = align_document(&aligner, &source, &target, false).unwrap();
        let last_of_item_one = beads.iter().find(|b| b.src.contains(&2)).unwrap();
        assert!(last_of_item_one.tgt.iter().all(|&j| j <= 2), "{beads:?}");
        let volunteers = beads.iter().find(|b| b.src.contains(&3)).unwrap();
        assert_eq!(volunteers.tgt, vec![3]);
        let debts = beads.iter().find(|b| b.src.contains(&4)).unwrap();
        assert_eq!(debts.tgt, vec![4]);
    }
}
