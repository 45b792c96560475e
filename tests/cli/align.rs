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

/// The records of the white paper's English store, by id.
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
        .stderr_has(&["legacy.docx", "not a readable Word document"]);
    let mut t = Test::white_paper().file("legacy.doc", b"\xd0\xcf\x11\xe0old word");
    t.cmd(&["align", "en", "legacy.doc"])
        .code(2)
        .stderr_has(&["legacy.doc", "save it as .docx"]);
    t.cmd(&["align", "en", "missing.txt"])
        .code(2)
        .stderr_has(&["missing.txt"]);
    t.cmd(&["align", "xx", "bad.txt"]).code(2);
}

fn flags(r: &serde_json::Value) -> Vec<String> {
    r["flags"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a draft's section (the part of its ref before `¶`) is section one (`1`, `1.2`).
fn in_section_one(r: &str) -> bool {
    let section = r.split('¶').next().unwrap_or_default();
    section == "1" || section.starts_with("1.")
}

#[test]
fn a_partial_translation_covers_its_section_and_nothing_else() {
    // The legacy file translates the preface and section one only, in Markdown with a heading.
    let drafts = drafts();
    let part: Vec<_> = drafts
        .iter()
        .filter(|(r, _, _)| in_section_one(r))
        .cloned()
        .collect();
    let md = format!(
        "# {}\n\n{}",
        part[0].2,
        glued(&part[1..]).replace('\n', "\n\n")
    );
    let mut t = Test::white_paper().file("legacy.md", md);
    let out = t.cmd(&["align", "en", "legacy.md"]).success();
    let records = stored(&t);
    let outside: Vec<&String> = drafts
        .iter()
        .filter(|(r, id, _)| {
            !in_section_one(r) && records.get(id).is_some_and(|x| x["target"] != "")
        })
        .map(|(r, _, _)| r)
        .collect();
    assert!(
        outside.is_empty(),
        "text stored outside section one: {outside:?}"
    );
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let right = part
        .iter()
        .filter(|(_, id, en)| {
            records
                .get(id)
                .is_some_and(|r| norm(r["target"].as_str().unwrap_or_default()) == norm(en))
        })
        .count();
    assert!(
        right * 100 >= part.len() * 95,
        "only {right} of {} section-one segments got their draft",
        part.len()
    );
    let not_covered: usize = out
        .stdout
        .split(" not covered")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        not_covered + 5 >= drafts.len() - part.len(),
        "the rest is reported as not covered: {}",
        out.stdout
    );
}

#[test]
fn low_confidence_beads_land_as_drafts_never_as_translated() {
    let drafts = drafts();
    // The preface and the start of section one (the table of contents aside).
    let part = &drafts[44..120];
    let mut t = Test::white_paper().file("legacy.txt", glued(part));
    t.cmd(&["align", "en", "legacy.txt", "--min-confidence", "1"])
        .success()
        .stdout_has(&["of them as drafts (confidence below 1.00)"]);
    let records = stored(&t);
    let aligned: Vec<&serde_json::Value> = records
        .values()
        .filter(|r| r["origin"] == "align" && r["target"] != "")
        .collect();
    assert!(aligned.len() >= 70, "{}", aligned.len());
    for r in &aligned {
        assert_eq!(r["state"], "initial", "{r}");
        assert!(flags(r).contains(&"needs-review".to_string()), "{r}");
        let note = r["note"].as_str().unwrap_or_default();
        assert!(note.starts_with("aligned with low confidence (0."), "{r}");
        assert!(note.contains("below 1.00"), "{r}");
    }
    let history = t.read("translations/en/history.jsonl");
    assert!(
        history.contains("\"to\":\"initial\""),
        "journaled as drafts"
    );
    // With the default threshold the confident beads are translated.
    let mut t = Test::white_paper().file("legacy.txt", glued(part));
    t.cmd(&["align", "en", "legacy.txt"]).success();
    let translated = stored(&t)
        .values()
        .filter(|r| r["origin"] == "align" && r["state"] == "translated")
        .count();
    assert!(translated >= 70, "{translated}");
    t.cmd(&["align", "en", "legacy.txt", "--min-confidence", "1.5"])
        .code(2)
        .stderr_has(&["not a confidence"]);
}

#[test]
fn the_report_lists_drafts_omissions_additions_and_uncovered_parts_with_context() {
    let source = "一、合作\n中国坚持和平发展。中国支持联合国。中国提供了2702亿元援助。\n\
                  二、农业\n农业专家帮助农民把水稻产量提高了百分之四十。\n\
                  三、教育\n奖学金资助了五千名学生来华学习工程。铁路和港口建设改善了东非的交通运输。\n";
    let translation = "# I. Cooperation\n\nChina upholds peaceful development. \
                       My grandmother baked bread every Sunday morning before church. \
                       China provided 270.2 billion yuan of aid.\n\n\
                       # II. Agriculture\n\nAgricultural experts helped farmers raise rice yields by 40 percent.\n";
    let mut t = Test::new().source("doc", source).file("en.md", translation);
    let out = t.cmd(&["align", "en", "en.md", "--report"]).success();
    insta::assert_snapshot!("align_report", out.stdout);
}

#[test]
fn html_and_word_translations_come_back_on_their_segments() {
    let drafts = drafts();
    let part = &drafts[..120];
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut html = String::from("<html><head><title>Legacy</title></head><body>\n");
    for line in glued(part).lines() {
        html.push_str("<p>");
        html.push_str(&escape(line));
        html.push_str("</p>\n");
    }
    html.push_str("</body></html>\n");
    let mut docx = std::io::Cursor::new(Vec::new());
    let mut d = docx_rs::Docx::new();
    for line in glued(part).lines() {
        d = d.add_paragraph(docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(line)));
    }
    d.build().pack(&mut docx).expect("docx");
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (name, bytes) in [
        ("legacy.html", html.into_bytes()),
        ("legacy.docx", docx.into_inner()),
    ] {
        let mut t = Test::white_paper().file(name, bytes);
        t.cmd(&["align", "en", name]).success();
        let records = stored(&t);
        let right = part
            .iter()
            .filter(|(_, id, en)| {
                records
                    .get(id)
                    .is_some_and(|r| norm(r["target"].as_str().unwrap_or_default()) == norm(en))
            })
            .count();
        assert!(
            right * 100 >= part.len() * 95,
            "{name}: only {right} of {} segments got their draft",
            part.len()
        );
    }
}

#[test]
fn omitted_and_reordered_paragraphs_are_never_stored_as_translated_elsewhere() {
    let drafts = drafts();
    let part = &drafts[..150];
    let mut lines: Vec<String> = glued(part).lines().map(str::to_string).collect();
    // Leave out two paragraphs and swap two neighbours.
    let omitted = [lines.remove(40), lines.remove(20)];
    lines.swap(30, 31);
    let mut t = Test::white_paper().file("legacy.txt", lines.join("\n") + "\n");
    t.cmd(&["align", "en", "legacy.txt"]).success();
    let records = stored(&t);
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut wrong = Vec::new();
    for (r, id, en) in part {
        let Some(rec) = records.get(id) else { continue };
        let text = norm(rec["target"].as_str().unwrap_or_default());
        let was_omitted = omitted.iter().any(|o| norm(o).contains(&norm(en)));
        if rec["state"] == "translated" && (was_omitted || !text.contains(&norm(en))) {
            wrong.push(format!("{r}: {text}"));
        }
    }
    assert!(
        wrong.len() <= 2,
        "wrong text stored as translated: {wrong:#?}"
    );
}

/// `line` with its first word in bold and its first "development" as a link, in the markup
/// `strong` and `anchor` write.
fn decorated(
    line: &str,
    strong: impl Fn(&str) -> String,
    anchor: impl Fn(&str) -> String,
) -> String {
    let (first, rest) = line.split_once(' ').unwrap_or((line, ""));
    let rest = rest.replacen("development", &anchor("development"), 1);
    format!("{} {rest}", strong(first)).trim_end().to_string()
}

#[test]
fn inline_markup_of_markdown_html_and_word_never_lands_in_stored_translations() {
    let drafts = drafts();
    let part = &drafts[..80];
    let lines: Vec<String> = glued(part).lines().map(str::to_string).collect();
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");

    let mut md = format!("# {}\n\n", lines[0]);
    for line in &lines[1..] {
        md.push_str(&decorated(
            line,
            |w| format!("**{w}**"),
            |w| format!("[{w}](https://example.org/{w} \"a title\")"),
        ));
        md.push_str("\n\n");
    }
    let mut html = String::from(
        "<!DOCTYPE html><html><head><title>Legacy edition</title>\
         <style>p { margin: 0 }</style></head><body>\n",
    );
    html.push_str("<h1>");
    html.push_str(&escape(&lines[0]));
    html.push_str("</h1>\n");
    for line in &lines[1..] {
        html.push_str("<p>");
        html.push_str(&decorated(
            &escape(line),
            |w| format!("<b>{w}</b>"),
            |w| format!("<a href=\"https://example.org/{w}\"><em>{w}</em></a>"),
        ));
        html.push_str("</p>\n<script>document.write('Not a sentence.');</script>\n");
    }
    html.push_str("</body></html>\n");
    let mut d = docx_rs::Docx::new();
    for line in &lines {
        let (first, rest) = line.split_once(' ').unwrap_or((line, ""));
        d = d.add_paragraph(
            docx_rs::Paragraph::new()
                .add_run(docx_rs::Run::new().add_text(first).bold())
                .add_run(docx_rs::Run::new().add_text(format!(" {rest}")).italic()),
        );
    }
    let mut docx = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut docx).expect("docx");

    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (name, bytes) in [
        ("legacy.md", md.into_bytes()),
        ("legacy.html", html.into_bytes()),
        ("legacy.docx", docx.into_inner()),
    ] {
        let mut t = Test::white_paper().file(name, bytes);
        t.cmd(&["align", "en", name]).success();
        let records = stored(&t);
        let targets: Vec<&str> = records
            .values()
            .filter_map(|r| r["target"].as_str())
            .filter(|s| !s.is_empty())
            .collect();
        for markup in [
            "**",
            "](",
            "https://",
            "<b>",
            "</",
            "&amp;",
            "Not a sentence",
        ] {
            let leaked: Vec<&&str> = targets.iter().filter(|s| s.contains(markup)).collect();
            assert!(leaked.is_empty(), "{name}: {markup:?} stored: {leaked:?}");
        }
        let wrong: Vec<String> = part
            .iter()
            .filter_map(|(r, id, en)| {
                let got = records.get(id).and_then(|x| x["target"].as_str());
                (norm(got.unwrap_or_default()) != norm(en)).then(|| format!("{r}: {got:?}"))
            })
            .collect();
        assert!(
            wrong.len() * 100 <= part.len() * 5,
            "{name}: {} of {} segments did not get their draft: {wrong:#?}",
            wrong.len(),
            part.len()
        );
    }
}
