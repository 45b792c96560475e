//! The corpus of `tests/corpus/` (issue 19): Chinese documents of every common shape, each with
//! a golden file of its segments and roles, reviewed by hand and compared whole; and the
//! boundary precision and recall measured against them (docs/PERFORMANCE.md). Run with
//! `-- --nocapture` to see the figures.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::support::{Test, repo};

/// The documents of the corpus, one per shape.
pub const DOCS: [&str; 7] = [
    "work-report",
    "regulation",
    "news",
    "speech",
    "notice",
    "green-development",
    "guideline",
];

/// A project with the corpus's configuration and sources.
pub fn corpus() -> Test {
    let mut t = Test::new().file(
        "duiyi.toml",
        std::fs::read_to_string(repo().join("tests/corpus/duiyi.toml")).expect("duiyi.toml"),
    );
    for doc in DOCS {
        let text = std::fs::read_to_string(repo().join(format!("tests/corpus/source/{doc}.txt")))
            .expect("corpus source");
        t = t.source(doc, &text);
    }
    t
}

/// The golden-file form of `duiyi segments DOC --format json`: line, ref, role, level, text.
fn golden_form(json: &serde_json::Value) -> String {
    let mut out = String::from("line\tref\trole\tlevel\ttext\n");
    for s in json.as_array().expect("an array of segments") {
        let level = s["level"]
            .as_u64()
            .map(|l| l.to_string())
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{level}\t{}",
            s["line"],
            s["ref"].as_str().unwrap_or_default(),
            s["role"].as_str().unwrap_or_default(),
            s["text"].as_str().unwrap_or_default()
        );
    }
    out
}

/// One segment of a golden file: (line, role, text).
type Row = (String, String, String);

fn rows(golden: &str) -> Vec<Row> {
    golden
        .lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.splitn(5, '\t').collect();
            (c.len() == 5).then(|| (c[0].to_string(), c[2].to_string(), c[4].to_string()))
        })
        .collect()
}

/// The boundaries of a segmentation, as offsets into the document's text without white space,
/// split into those between lines (paragraph ends, trivial) and those inside a line (sentence
/// and run-in boundaries, the hard ones).
fn boundaries(rows: &[Row]) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let (mut at, mut between, mut inside) = (0, BTreeSet::new(), BTreeSet::new());
    for (k, (line, _, text)) in rows.iter().enumerate() {
        at += text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
            .count();
        match rows.get(k + 1) {
            Some((next, _, _)) if next == line => inside.insert(at),
            Some(_) => between.insert(at),
            None => false,
        };
    }
    (between, inside)
}

/// Precision and recall of `got` against `gold`.
fn scores(gold: &BTreeSet<usize>, got: &BTreeSet<usize>) -> (usize, usize, usize) {
    (gold.intersection(got).count(), got.len(), gold.len())
}

#[test]
fn every_corpus_document_segments_as_its_golden_file() {
    let mut t = corpus();
    let mut report = String::from("doc\tsegments\tinside P\tinside R\tall P\tall R\troles\n");
    let (mut hit_in, mut got_in, mut gold_in) = (0, 0, 0);
    let (mut hit_all, mut got_all, mut gold_all) = (0, 0, 0);
    let (mut roles_ok, mut roles_n) = (0, 0);
    let mut differences = Vec::new();
    for doc in DOCS {
        let json = t
            .cmd(&["segments", doc, "--format", "json"])
            .success()
            .json();
        let got_text = golden_form(&json);
        let gold_text =
            std::fs::read_to_string(repo().join(format!("tests/corpus/golden/{doc}.tsv")))
                .expect("golden file");
        let (gold, got) = (rows(&gold_text), rows(&got_text));
        let ((gold_b, gold_i), (got_b, got_i)) = (boundaries(&gold), boundaries(&got));
        let inside = scores(&gold_i, &got_i);
        let gold_all_set: BTreeSet<usize> = gold_b.union(&gold_i).copied().collect();
        let got_all_set: BTreeSet<usize> = got_b.union(&got_i).copied().collect();
        let all = scores(&gold_all_set, &got_all_set);
        // Roles of the segments whose text and line both agree.
        let same: Vec<(&Row, &Row)> = gold
            .iter()
            .filter_map(|g| {
                got.iter()
                    .find(|o| o.0 == g.0 && o.2 == g.2)
                    .map(|o| (g, o))
            })
            .collect();
        roles_ok += same.iter().filter(|(g, o)| g.1 == o.1).count();
        roles_n += gold.len();
        let _ = writeln!(
            report,
            "{doc}\t{}\t{}/{}\t{}/{}\t{}/{}\t{}/{}\t{}/{}",
            gold.len(),
            inside.0,
            inside.1,
            inside.0,
            inside.2,
            all.0,
            all.1,
            all.0,
            all.2,
            same.iter().filter(|(g, o)| g.1 == o.1).count(),
            gold.len()
        );
        (hit_in, got_in, gold_in) = (hit_in + inside.0, got_in + inside.1, gold_in + inside.2);
        (hit_all, got_all, gold_all) = (hit_all + all.0, got_all + all.1, gold_all + all.2);
        if got_text != gold_text {
            let first = got_text
                .lines()
                .zip(gold_text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            differences.push(format!(
                "{doc}: first difference at golden line {}\n  golden: {}\n  got:    {}",
                first + 1,
                gold_text.lines().nth(first).unwrap_or("<end>"),
                got_text.lines().nth(first).unwrap_or("<end>")
            ));
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let _ = writeln!(
        report,
        "all\t{roles_n}\tP {:.4}\tR {:.4}\tP {:.4}\tR {:.4}\troles {:.4}",
        ratio(hit_in, got_in),
        ratio(hit_in, gold_in),
        ratio(hit_all, got_all),
        ratio(hit_all, gold_all),
        ratio(roles_ok, roles_n)
    );
    eprintln!("{report}");
    assert!(
        ratio(hit_all, got_all) >= 0.99 && ratio(hit_all, gold_all) >= 0.99,
        "{report}"
    );
    assert!(
        ratio(hit_in, got_in) >= 0.99 && ratio(hit_in, gold_in) >= 0.99,
        "{report}"
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

/// `tests/corpus/en/clean.tsv`: (doc, ref, English) of the reviewed translation.
fn clean_translation() -> Vec<(String, String, String)> {
    let text =
        std::fs::read_to_string(repo().join("tests/corpus/en/clean.tsv")).expect("clean.tsv");
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 3, "clean.tsv: {l}");
            (c[0].to_string(), c[1].to_string(), c[2].to_string())
        })
        .collect()
}

/// A planted defect: (doc, ref, the check that should find it, the defective English).
type Defect = (String, String, String, String);

/// `tests/corpus/en/defects.tsv`.
fn defects() -> Vec<Defect> {
    let text =
        std::fs::read_to_string(repo().join("tests/corpus/en/defects.tsv")).expect("defects.tsv");
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 5, "defects.tsv: {l}");
            (
                c[0].to_string(),
                c[1].to_string(),
                c[2].to_string(),
                c[3].to_string(),
            )
        })
        .collect()
}

/// The corpus with its glossary and `translation` imported into its English stores.
fn translated(translation: &[(String, String, String)]) -> Test {
    let mut t = corpus().file(
        "glossary/en.tsv",
        std::fs::read_to_string(repo().join("tests/corpus/glossary/en.tsv")).expect("glossary"),
    );
    for doc in DOCS {
        let segments = t
            .cmd(&["segments", doc, "--format", "json"])
            .success()
            .json();
        let id_of = |r: &str| {
            segments
                .as_array()
                .and_then(|a| a.iter().find(|s| s["ref"] == r))
                .and_then(|s| s["id"].as_str())
                .unwrap_or_else(|| panic!("{doc} has no segment {r}"))
                .to_string()
        };
        let mut csv = String::from("id,target\n");
        for (_, r, english) in translation.iter().filter(|(d, _, _)| d == doc) {
            let _ = writeln!(csv, "{},\"{}\"", id_of(r), english.replace('"', "\"\""));
        }
        let file = format!("{doc}.csv");
        t = t.file(&file, csv);
        t.cmd(&["import", "en", &file, "--doc", doc]).success();
    }
    t
}

/// The findings of `duiyi check en --json` on the corpus with `translation` imported, and the
/// number of translated segments.
fn check(translation: &[(String, String, String)]) -> (Vec<serde_json::Value>, usize) {
    let mut t = translated(translation);
    let out = t.cmd(&["check", "en", "--json"]);
    let findings = out.json().as_array().cloned().unwrap_or_default();
    (findings, translation.len())
}

/// The checks on a reviewed translation of the corpus, then on a copy with planted defects: they
/// find (nearly) every defect and cry wolf at most once per 200 segments (issue 19). Run with
/// `-- --nocapture` for the figures.
#[test]
fn the_checks_find_planted_defects_and_do_not_cry_wolf() {
    let clean = clean_translation();
    let (alarms, segments) = check(&clean);
    let mut report = format!(
        "reviewed translation: {segments} segments, {} finding(s) (all false alarms):\n",
        alarms.len()
    );
    for f in &alarms {
        let _ = writeln!(
            report,
            "  {} {} {} {}: {}",
            f["doc"], f["ref"], f["check"], f["severity"], f["message"]
        );
    }
    let planted = defects();
    let mut defective = clean.clone();
    for (doc, r, _, english) in &planted {
        let row = defective
            .iter_mut()
            .find(|(d, x, _)| d == doc && x == r)
            .unwrap_or_else(|| panic!("defects.tsv: no {doc} {r} in clean.tsv"));
        row.2.clone_from(english);
    }
    let (found, _) = check(&defective);
    let mut missed = Vec::new();
    for (doc, r, check, _) in &planted {
        let hit = found.iter().any(|f| {
            f["doc"] == doc.as_str() && f["ref"] == r.as_str() && f["check"] == check.as_str()
        });
        if !hit {
            missed.push(format!("{doc} {r} ({check})"));
        }
    }
    let recall = (planted.len() - missed.len()) as f64 / planted.len() as f64;
    let per_200 = alarms.len() as f64 * 200.0 / segments as f64;
    let _ = writeln!(
        report,
        "planted defects: {}, found by their check: {} (recall {recall:.3}); missed: {missed:?}\nfalse alarms per 200 segments: {per_200:.2}",
        planted.len(),
        planted.len() - missed.len()
    );
    eprintln!("{report}");
    assert!(recall >= 0.95, "{report}");
    assert!(per_200 <= 1.0, "{report}");
}

/// What issue 19 saw go wrong in the editions: with no blank line after the 目录, the date line
/// and 各位代表： became TOC entries and vanished from the DOCX; table rows were paragraphs.
#[test]
fn editions_keep_the_lines_after_a_toc_and_lay_out_tables() {
    let mut t = translated(&clean_translation());
    t.cmd(&[
        "publish",
        "en",
        "--doc",
        "work-report",
        "--format",
        "docx",
        "--draft",
    ])
    .success();
    let docx = std::fs::File::open(t.path().join("editions/work-report.en.docx")).expect("docx");
    let mut zip = zip::ZipArchive::new(docx).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("document.xml"),
        &mut xml,
    )
    .expect("utf-8");
    for line in [
        "2024年1月20日",
        "January 20, 2024",
        "各位代表：",
        "Fellow Deputies,",
    ] {
        assert!(
            xml.contains(&format!(">{line}</w:t>")),
            "{line} is in the DOCX"
        );
    }
    t.cmd(&[
        "publish",
        "en",
        "--doc",
        "green-development",
        "--format",
        "md,html",
        "--draft",
    ])
    .success();
    let md = t.read("editions/green-development.en.md");
    assert!(
        md.contains("| Indicator | 2019 | 2021 | 2023 |\n| --- | --- | --- | --- |\n| Share of days with good or excellent air quality (%) | 86.2 | 89.7 | 92.6 |"),
        "{md}"
    );
    let html = t.read("editions/green-development.en.html");
    assert!(html.contains("<table class=\"cells\"><tr><td>森林覆盖率（%）</td><td>39.6</td>"));
}
