//! Evaluates `duiyi align` on the project's own political prose: the translators' English
//! drafts of the white paper (`tests/data/white-paper-en-drafts.tsv`: ref, id, English), glued
//! back into one paragraph per unit, re-split with the English sentence rules and aligned
//! paragraph-first against the Chinese segments, exactly as `duiyi align en FILE` does.
//!
//! ```text
//! cargo run --release --example align_white_paper -- OUT_DIR
//! python3 $B/align_score.py --gold OUT_DIR/gold --test OUT_DIR/test --by-type
//! ```
//!
//! (`align_score.py` is the scorer of the alignment evaluation set, which is not part of this
//! repository: see `docs/PERFORMANCE.md`.)
//!
//! Writes `OUT_DIR/gold/wp.align` (the known segment-to-sentence mapping: each English
//! sentence belongs to the draft segment it starts in, and beads are closed under overlap),
//! `OUT_DIR/test/wp.align`, and `OUT_DIR/en.txt` (the glued translation); prints the time
//! and the share of segments whose stored translation would equal its draft.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use duiyi::align::document::{
    DEFAULT_MIN_CONFIDENCE, SourceParagraph, align_document, assignments,
};
use duiyi::align::input::{parse_translation, translation_rules};
use duiyi::align::{AlignOptions, Aligner};
use duiyi::project::Project;
use duiyi::segment::sentence;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn beads_text(beads: &[(Vec<usize>, Vec<usize>)]) -> String {
    let side = |v: &[usize]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut out = String::new();
    for (s, t) in beads {
        out.push('[');
        out.push_str(&side(s));
        out.push_str("]:[");
        out.push_str(&side(t));
        out.push_str("]\n");
    }
    out
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: align_white_paper OUT_DIR")?,
    );
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let drafts = std::fs::read_to_string(root.join("tests/data/white-paper-en-drafts.tsv"))?;
    let project = Project::open(&root)?;
    let spec = project.document("intl-development-cooperation")?;
    let doc = project.load(&spec, &project.rules()?)?;

    // Drafts by id; glue each unit's drafts in document order.
    let by_id: BTreeMap<&str, &str> = drafts
        .lines()
        .filter_map(|l| {
            let mut c = l.split('\t');
            let (_, id, en) = (c.next()?, c.next()?, c.next()?);
            Some((id, en.trim()))
        })
        .collect();
    let rules = translation_rules();
    let mut glued = String::new();
    let mut gold: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut seg_index = 0usize;
    let mut sent_index = 0usize;
    let mut expected: Vec<String> = Vec::new();
    for unit in doc.units.iter().filter(|u| !u.segments.is_empty()) {
        let mut paragraph = String::new();
        let mut spans = Vec::new();
        for s in &unit.segments {
            let en = by_id.get(s.id.as_str()).ok_or("a segment has no draft")?;
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            spans.push(paragraph.len()..paragraph.len() + en.len());
            paragraph.push_str(en);
            expected.push((*en).to_string());
        }
        glued.push_str(&paragraph);
        glued.push('\n');
        // Each sentence links the segments it overlaps; close beads under overlap.
        let mut open: Option<(Vec<usize>, Vec<usize>)> = None;
        for r in sentence::split(&rules, &paragraph) {
            if paragraph[r.clone()].trim().is_empty() {
                continue;
            }
            let segs: Vec<usize> = (0..spans.len())
                .filter(|&k| spans[k].start < r.end && r.start < spans[k].end)
                .map(|k| k + seg_index)
                .collect();
            match &mut open {
                Some((s, t)) if segs.first().is_some_and(|f| s.contains(f)) => {
                    for g in segs {
                        if !s.contains(&g) {
                            s.push(g);
                        }
                    }
                    t.push(sent_index);
                }
                _ => {
                    if let Some(b) = open.take() {
                        gold.push(b);
                    }
                    open = Some((segs, vec![sent_index]));
                }
            }
            sent_index += 1;
        }
        gold.extend(open);
        seg_index += unit.segments.len();
    }

    // The translation as paragraphs of (global sentence index, text), and the variants.
    let translation = parse_translation(&out.join("en.txt"), glued.as_bytes(), &rules)?;
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut next = 0;
    for p in &translation {
        paragraphs.push(
            p.sentences
                .iter()
                .map(|s| {
                    next += 1;
                    (next - 1, s.clone())
                })
                .collect(),
        );
    }
    let src = SourceParagraph::of_document(&doc);
    // `--no-learn` after OUT_DIR: without the learned second pass.
    let learn = std::env::args().nth(2).as_deref() != Some("--no-learn");
    let aligner = Aligner::new(AlignOptions {
        learn,
        ..AlignOptions::default()
    })?;
    let refs: Vec<String> = doc.segments().map(|s| s.r#ref().to_string()).collect();
    let ref_strs: Vec<&str> = refs.iter().map(String::as_str).collect();
    let n = paragraphs.len();
    let mut rng = Lcg(7);
    let variants: Vec<(&str, Vec<Paragraph>)> = vec![
        ("full", paragraphs.clone()),
        // The first third only: a translation of the opening sections.
        ("partial-start", paragraphs[..n / 3].to_vec()),
        // A stretch from the middle.
        ("partial-middle", paragraphs[2 * n / 5..3 * n / 5].to_vec()),
        // Every twentieth paragraph left out.
        (
            "omissions",
            paragraphs
                .iter()
                .enumerate()
                .filter(|(k, _)| k % 20 != 7)
                .map(|(_, p)| p.clone())
                .collect(),
        ),
        // Paragraphs joined and split again at other places.
        ("resplit", resplit(&paragraphs, &mut rng)),
    ];
    for (name, paras) in variants {
        let text: String = paras
            .iter()
            .map(|p| {
                let line: Vec<&str> = p.iter().map(|(_, s)| s.as_str()).collect();
                line.join(" ") + "\n"
            })
            .collect();
        let translation = parse_translation(&out.join("en.txt"), text.as_bytes(), &rules)?;
        let kept: Vec<usize> = paras.iter().flatten().map(|(k, _)| *k).collect();
        let tgt: Vec<&str> = translation
            .iter()
            .flat_map(|p| p.sentences.iter().map(String::as_str))
            .collect();
        if tgt.len() != kept.len() {
            let expected: Vec<&str> = paras.iter().flatten().map(|(_, s)| s.as_str()).collect();
            let at = tgt
                .iter()
                .zip(&expected)
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            return Err(format!(
                "{name}: re-splitting changed the sentences at {at}: {:?} instead of {:?}",
                tgt.get(at),
                expected.get(at)
            )
            .into());
        }
        let new_index: BTreeMap<usize, usize> = kept
            .iter()
            .enumerate()
            .map(|(new, &old)| (old, new))
            .collect();
        let mut variant_gold = Vec::new();
        for (segs, sents) in &gold {
            let t: Vec<usize> = sents
                .iter()
                .filter_map(|j| new_index.get(j).copied())
                .collect();
            if t.is_empty() {
                variant_gold.extend(segs.iter().map(|&i| (vec![i], vec![])));
            } else {
                variant_gold.push((segs.clone(), t));
            }
        }
        let started = Instant::now();
        let alignment = align_document(&aligner, &src, &translation, false)?;
        let elapsed = started.elapsed();
        let plan = assignments(&alignment.beads, &ref_strs, &tgt, DEFAULT_MIN_CONFIDENCE);
        // What each segment should receive: its draft when its sentences are in the variant.
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut should: Vec<Option<String>> = vec![None; seg_index];
        for (segs, t) in &variant_gold {
            if !t.is_empty() {
                let text: Vec<&str> = t.iter().map(|&j| tgt[j]).collect();
                should[segs[0]] = Some(norm(&text.join(" ")));
            }
        }
        let stored: Vec<_> = plan.iter().filter(|a| !a.target.is_empty()).collect();
        let right = stored
            .iter()
            .filter(|a| should[a.src].as_deref() == Some(norm(&a.target).as_str()))
            .count();
        let wrong_translated = stored
            .iter()
            .filter(|a| !a.draft && should[a.src].as_deref() != Some(norm(&a.target).as_str()))
            .count();
        let drafts = stored.iter().filter(|a| a.draft).count();
        let uncovered = alignment.covered.iter().filter(|c| !**c).count();
        let expected_count = should.iter().flatten().count();
        let dir = out.join(name);
        std::fs::create_dir_all(dir.join("gold"))?;
        std::fs::create_dir_all(dir.join("test"))?;
        std::fs::write(dir.join("en.txt"), &text)?;
        std::fs::write(dir.join("gold/wp.align"), beads_text(&variant_gold))?;
        let found: Vec<(Vec<usize>, Vec<usize>)> = alignment
            .beads
            .iter()
            .map(|b| (b.src.clone(), b.tgt.clone()))
            .collect();
        std::fs::write(dir.join("test/wp.align"), beads_text(&found))?;
        println!(
            "{name}: {} sentences in {} paragraphs, {:.1} ms; {right} of {expected_count} segments get their draft; \
             {} stored, {drafts} as drafts; {wrong_translated} wrong text stored as translated; \
             {uncovered} beads outside the covered stretches",
            tgt.len(),
            translation.len(),
            elapsed.as_secs_f64() * 1000.0,
            stored.len(),
        );
    }
    Ok(())
}

/// A paragraph of the translation: its sentences with their indices in the whole translation.
type Paragraph = Vec<(usize, String)>;

/// A small deterministic generator, so the variants are always the same.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Joins a fifth of the paragraphs with the next and splits a fifth of the rest at a sentence.
fn resplit(paragraphs: &[Paragraph], rng: &mut Lcg) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::new();
    let mut join_next = false;
    for p in paragraphs {
        let starts_upper = p
            .first()
            .is_some_and(|(_, s)| s.starts_with(|c: char| c.is_ascii_uppercase()));
        if join_next
            && starts_upper
            && let Some(last) = out.last_mut()
        {
            last.extend(p.iter().cloned());
        } else if p.len() > 1 && rng.below(5) == 0 {
            let cut = 1 + usize::try_from(rng.below(p.len() as u64 - 1)).unwrap_or(0);
            out.push(p[..cut].to_vec());
            out.push(p[cut..].to_vec());
        } else {
            out.push(p.clone());
        }
        // Only after a sentence end, or the sentences would change.
        let ends = p
            .last()
            .is_some_and(|(_, s)| s.trim_end().ends_with(['.', '!', '?', '"', '\u{201d}']));
        join_next = ends && rng.below(5) == 0;
    }
    out
}
