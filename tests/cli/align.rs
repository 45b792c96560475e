//! `duiyi align`: attaching an existing translation to the white paper's segments, the
//! research mode on pre-split files, and bad input.

use std::collections::HashMap;

use crate::support::{Test, repo};

const STORE: &str = "translations/en/intl-development-cooperation.jsonl";

/// The translators' drafts: (ref, id, English), in document order.
fn drafts() -> Vec<(String, String, String)> {
    std::fs::read_to_string(repo().join("tests/data/white-paper-en-drafts.tsv"))
        .expect("drafts")
        .lines()
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_string(), c[1].to_string(), c[2].trim().to_string())
        })
        .collect()
}

/// The drafts glued back into one paragraph per unit (`3.2¶4.1` and `3.2¶4.2` share `3.2¶4`).
fn glued(drafts: &[(String, String, String)]) -> String {
    let mut out = String::new();
    let mut unit = String::new();
    for (r, _, en) in drafts {
        let u = r.rsplit_once('.').map_or(r.as_str(), |(u, _)| u);
        if !out.is_empty() {
            out.push(if u == unit { ' ' } else { '\n' });
        }
        unit = u.to_string();
        out.push_str(en);
    }
    out.push('\n');
    out
}

fn stored(t: &Test) -> HashMap<String, serde_json::Value> {
    t.read(STORE)
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("store line"))
        .map(|v| (v["id"].as_str().unwrap_or_default().to_string(), v))
        .collect()
}

#[test]
fn the_drafts_glued_and_resplit_come_back_on_their_segments() {
    let drafts = drafts();
    let mut t = Test::white_paper().file("legacy.txt", glued(&drafts));
    let out = t.cmd(&["align", "en", "legacy.txt"]).success();
    assert!(out.stdout.contains("stored"), "{}", out.stdout);
    let records = stored(&t);
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let right = drafts
        .iter()
        .filter(|(_, id, en)| {
            records
                .get(id)
                .is_some_and(|r| norm(r["target"].as_str().unwrap_or_default()) == norm(en))
        })
        .count();
    assert!(
        right * 100 >= drafts.len() * 95,
        "only {right} of {} segments got their draft",
        drafts.len()
    );
    let first = &records[&drafts[0].1];
    assert_eq!(first["origin"], "align");
    assert_eq!(first["state"], "translated");
    let history = t.read("translations/en/history.jsonl");
    assert!(history.contains("\"align\""), "journaled as align");

    // Existing translations are kept unless --overwrite.
    t.cmd(&["set", "en", &drafts[1].0, "A human translation."])
        .success();
    t.cmd(&["align", "en", "legacy.txt"])
        .success()
        .stdout_has(&["kept"]);
    assert_eq!(stored(&t)[&drafts[1].1]["target"], "A human translation.");
    t.cmd(&["align", "en", "legacy.txt", "--overwrite"])
        .success();
    assert_eq!(stored(&t)[&drafts[1].1]["target"], drafts[1].2.as_str());
}

#[test]
fn dry_run_prints_confidences_and_stores_nothing() {
    let drafts = drafts();
    let mut t = Test::white_paper().file("legacy.md", glued(&drafts[..12]));
    let out = t
        .cmd(&["align", "en", "legacy.md", "--dry-run", "--force"])
        .success();
    let first = out.stdout.lines().next().unwrap_or_default();
    let conf: f64 = first
        .split('\t')
        .next()
        .unwrap_or("x")
        .parse()
        .expect(first);
    assert!((0.0..=1.0).contains(&conf));
    assert!(out.stdout.contains("would store"), "{}", out.stdout);
    assert!(!t.path().join(STORE).exists(), "a dry run writes no store");
}

#[test]
fn low_confidence_and_merged_beads_are_flagged() {
    let source = "一、合作\n中国坚持和平发展。中国支持联合国。中国提供了2702亿元援助。\n";
    let mut t = Test::new().source("doc", source).file(
        "en.txt",
        "I. Cooperation\nChina upholds peaceful development and supports the United Nations. \
             China provided 270.2 billion yuan of aid.\n",
    );
    t.cmd(&["align", "en", "en.txt", "--force"]).success();
    let records: Vec<serde_json::Value> = t
        .read("translations/en/doc.jsonl")
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).expect("line"))
        .collect();
    assert_eq!(records.len(), 4);
    assert_eq!(
        records[3]["target"],
        "China provided 270.2 billion yuan of aid."
    );
    let merged = records
        .iter()
        .filter(|r| {
            r["flags"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x == "needs-review"))
        })
        .count();
    assert!(merged >= 2, "the 2-1 bead flags both segments: {records:?}");
}

/// `duiyi align` in research mode on `zh.txt` and `en.txt`, one sentence per line.
const RESEARCH: [&str; 6] = [
    "align",
    "--src",
    "zh.txt",
    "--tgt",
    "en.txt",
    "--one-sentence-per-line",
];

#[test]
fn research_mode_prints_every_line_once_in_order() {
    let mut t = Test::new()
        .file(
            "zh.txt",
            "中国坚持和平发展。\n中国支持联合国。\n中国提供了2702亿元援助。\n",
        )
        .file(
            "en.txt",
            "China upholds peaceful development.\nChina supports the United Nations.\n\
             China provided 270.2 billion yuan\nof aid.\n",
        );
    let out = t.cmd(&RESEARCH).success();
    assert_eq!(out.stdout, "[0]:[0]\n[1]:[1]\n[2]:[2,3]\n");
    t.cmd(&[&RESEARCH[..], &["--format", "tsv"]].concat())
        .success()
        .stdout_has(&["中国支持联合国。\tChina supports the United Nations."]);
    t.cmd(&["align", "--src", "zh.txt", "--tgt", "en.txt"])
        .code(2)
        .stderr_has(&["--one-sentence-per-line"]);
}

#[test]
fn empty_files_are_clear_errors() {
    let mut t = Test::white_paper().file("empty.txt", "\n\n");
    t.cmd(&["align", "en", "empty.txt"])
        .code(2)
        .stderr_has(&["target text has no sentences"]);
    let mut t = Test::new().file("zh.txt", "").file("en.txt", "Hello.\n");
    t.cmd(&RESEARCH)
        .code(2)
        .stderr_has(&["source text has no sentences"]);
    t.cmd(&[&RESEARCH[..], &["--force"]].concat())
        .success()
        .stdout_has(&["[]:[0]"]);
}

#[test]
fn a_translation_in_the_wrong_language_is_refused_unless_forced() {
    let german =
        "Die Bundesregierung hat heute beschlossen, dass die Schulen geschlossen bleiben. \
                  Der Winter war kalt und lang, und niemand wollte hinausgehen.\n"
            .repeat(40);
    let mut t = Test::white_paper().file("de.txt", german);
    t.cmd(&["align", "en", "de.txt"])
        .code(1)
        .stderr_has(&["does not look like a en translation", "force"]);
    assert!(!t.path().join(STORE).exists());
    t.cmd(&["align", "en", "de.txt", "--force", "--dry-run"])
        .success();
}

#[test]
fn wildly_different_lengths_one_huge_line_and_bad_bytes_never_panic() {
    let drafts = drafts();
    // Far shorter: three paragraphs against the whole white paper.
    let mut t = Test::white_paper().file("short.txt", glued(&drafts[..5]));
    let out = t.cmd(&["align", "en", "short.txt", "--dry-run", "--force"]);
    assert!(out.code == 0, "{}", out.stderr);
    // The whole translation on one line, and one huge line with no sentence end.
    let one_line = glued(&drafts).replace('\n', " ");
    let mut t = Test::white_paper()
        .file("one.txt", &one_line)
        .file("huge.txt", "word ".repeat(200_000));
    t.cmd(&["align", "en", "one.txt", "--dry-run"]).success();
    let out = t.cmd(&["align", "en", "huge.txt", "--dry-run"]);
    assert!(matches!(out.code, 0..=2), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    // Invalid UTF-8 names its line; a Word file is refused with a hint.
    let mut t = Test::white_paper()
        .file("bad.txt", b"China.\nBad \xff byte.\n")
        .file("legacy.docx", b"PK\x03\x04rest of a zip");
    t.cmd(&["align", "en", "bad.txt"])
        .code(2)
        .stderr_has(&["bad.txt:2", "UTF-8"]);
    t.cmd(&["align", "en", "legacy.docx"])
        .code(2)
        .stderr_has(&["plain text"]);
    t.cmd(&["align", "en", "missing.txt"])
        .code(2)
        .stderr_has(&["missing.txt"]);
    t.cmd(&["align", "xx", "bad.txt"]).code(2);
}
