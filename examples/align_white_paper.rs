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
    SourceParagraph, align_document, assignments, parse_translation, translation_rules,
};
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

    let translation = parse_translation(&out.join("en.txt"), glued.as_bytes(), &rules)?;
    let src = SourceParagraph::of_document(&doc);
    let aligner = Aligner::new(AlignOptions::default())?;
    let started = Instant::now();
    let beads = align_document(&aligner, &src, &translation, false)?;
    let elapsed = started.elapsed();

    let tgt: Vec<&str> = translation
        .iter()
        .flat_map(|p| p.sentences.iter().map(String::as_str))
        .collect();
    let refs: Vec<String> = doc.segments().map(|s| s.r#ref().to_string()).collect();
    let ref_strs: Vec<&str> = refs.iter().map(String::as_str).collect();
    let plan = assignments(&beads, &ref_strs, &tgt);
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let right = plan
        .iter()
        .filter(|a| norm(&a.target) == norm(&expected[a.src]))
        .count();
    let flagged = plan.iter().filter(|a| a.review).count();

    std::fs::create_dir_all(out.join("gold"))?;
    std::fs::create_dir_all(out.join("test"))?;
    std::fs::write(out.join("en.txt"), &glued)?;
    std::fs::write(out.join("gold/wp.align"), beads_text(&gold))?;
    let test: Vec<(Vec<usize>, Vec<usize>)> = beads
        .iter()
        .map(|b| (b.src.clone(), b.tgt.clone()))
        .collect();
    std::fs::write(out.join("test/wp.align"), beads_text(&test))?;
    println!(
        "{} segments, {} English sentences in {} paragraphs; {} gold beads, {} test beads",
        seg_index,
        tgt.len(),
        translation.len(),
        gold.len(),
        test.len()
    );
    println!(
        "aligned in {:.1} ms; stored translation equals the draft for {right} of {} segments ({:.1}%); {flagged} flagged needs-review",
        elapsed.as_secs_f64() * 1000.0,
        seg_index,
        100.0 * right as f64 / seg_index as f64
    );
    Ok(())
}
