//! `duiyi glossary ...`: the reviewer's workflow on real files.

use std::process::Command;

use crate::support::{Test, Tool, have, schemas, strings};

const HEADER: &str = "source\ttarget\tcomment\tstatus\tforbidden\tvariants\tcase\tby\tat\n";

fn small() -> Test {
    Test::new().source(
        "doc",
        "　　一、共建“一带一路”\n　　中国设立南南合作援助基金，推进南南合作。\n",
    )
}

#[test]
fn add_approve_refuse_replace_and_journal() {
    let mut t = small();
    t.cmd(&[
        "glossary",
        "add",
        "一带一路",
        "Belt and Road Initiative",
        "--lang",
        "en",
        "--forbid",
        "OBOR",
    ])
    .success()
    .stdout_has(&["一带一路 → Belt and Road Initiative (en): proposed"]);
    t.cmd(&[
        "glossary",
        "add",
        "一带一路",
        "One Belt, One Road",
        "--lang",
        "en",
    ])
    .success();
    t.cmd(&["glossary", "approve", "一带一路", "--lang", "en"])
        .code(2)
        .stderr_has(&["names 2 entries"]);
    t.cmd(&[
        "glossary",
        "approve",
        "一带一路",
        "--lang",
        "en",
        "--target",
        "Belt and Road Initiative",
        "--as",
        "wang",
    ])
    .success()
    .stdout_has(&["proposed → approved"]);
    t.cmd(&[
        "glossary",
        "approve",
        "一带一路",
        "--lang",
        "en",
        "--target",
        "One Belt, One Road",
        "--as",
        "wang",
    ])
    .code(1)
    .stderr_has(&["already has the approved rendering", "--replace"]);
    t.cmd(&[
        "glossary",
        "approve",
        "一带一路",
        "--lang",
        "en",
        "--target",
        "One Belt, One Road",
        "--replace",
        "--note",
        "test",
        "--as",
        "wang",
    ])
    .success()
    .stdout_has(&["approved → deprecated", "proposed → approved"]);
    t.cmd(&["glossary", "add", "x", "y", "--lang", "de"])
        .code(2)
        .stderr_has(&["not a target language"]);
    let tsv = t.read("glossary/en.tsv");
    assert!(tsv.starts_with(HEADER));
    let journal = t.read("glossary/history.jsonl");
    let lines: Vec<serde_json::Value> = journal
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["by"], "tester");
    assert_eq!(lines[2]["by"], "wang");
    assert_eq!(lines[4]["note"], "test");
    assert_eq!(lines[4]["old"]["status"], "proposed");
    t.cmd(&["glossary", "show", "一带一路"])
        .success()
        .stdout_has(&[
            "deprecated  一带一路 → Belt and Road Initiative",
            "approved    一带一路 → One Belt, One Road",
        ]);
}

#[test]
fn hits_show_longest_terms_and_nested_ones_on_request() {
    let mut t = small().file(
        "glossary/en.tsv",
        format!("{HEADER}南南合作\tSouth-South cooperation\t\tproposed\t\t\t\tli\t2026-11-29\n南南合作援助基金\tSouth-South Cooperation Assistance Fund\t\tproposed\t\t\t\tli\t2026-11-29\n一带一路\tBelt and Road\t\tproposed\t\t\t\tli\t2026-11-29\n"),
    );
    let out = t.cmd(&["glossary", "hits", "1¶1", "--json"]).success();
    let hits = out.json();
    let terms = strings(&hits, "term");
    assert_eq!(terms, vec!["南南合作援助基金", "南南合作"]);
    assert_eq!(hits[0]["start"], 4);
    assert_eq!(
        hits[0]["renderings"][0]["target"],
        "South-South Cooperation Assistance Fund"
    );
    let out = t
        .cmd(&["glossary", "hits", "1¶1", "--all", "--json"])
        .success();
    let all = out.json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert_eq!(all[1]["nested"], true);
    t.cmd(&["glossary", "hits", "doc"])
        .success()
        .stdout_has(&["1¶0.1  一带一路  → Belt and Road (proposed)"]);
    t.cmd(&["glossary", "hits", "9¶9"]).code(2);
}

#[test]
fn extract_ranks_the_key_phrases_of_the_white_paper() {
    let out = Test::white_paper()
        .file("glossary/en.tsv", HEADER)
        .file("glossary/fr.tsv", HEADER)
        .args(&["glossary", "extract", "--limit", "50", "--json"])
        .run()
        .success();
    let found = out.json();
    let phrases = strings(&found, "phrase");
    for key in [
        "人类命运共同体",
        "一带一路",
        "南南合作",
        "正确义利观",
        "南南合作援助基金",
    ] {
        assert!(
            phrases.contains(&key),
            "{key} not in the top 50: {phrases:?}"
        );
    }
    // With the project's glossary, known terms are left out.
    let out = Test::white_paper()
        .args(&["glossary", "extract", "--json"])
        .run()
        .success();
    let found = out.json();
    assert!(
        found
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["phrase"] != "一带一路")
    );
}

#[test]
fn check_reports_findings_with_exit_1() {
    let mut t = small()
        .file(
            "glossary/en.tsv",
            format!("{HEADER}一带一路\tBelt and Road\t\tapproved\tOBOR\t\t\tli\t2026-11-29\n"),
        )
        .file("pairs.tsv", "1¶0.1\t共建“一带一路”\tJointly building OBOR\n1¶1.1\t共建“一带一路”\tthe Belt and\nRoad\n");
    // A pair list with a broken line names it.
    t.cmd(&["glossary", "check", "en", "--pairs", "pairs.tsv"])
        .code(2)
        .stderr_has(&["pairs.tsv:3: expected 3"]);
    let mut t = t.file(
        "pairs.tsv",
        "1¶0.1\t共建“一带一路”\tJointly building OBOR\n1¶1.1\t共建“一带一路”\tthe Belt and Road\n",
    );
    let out = t
        .cmd(&["glossary", "check", "en", "--pairs", "pairs.tsv", "--json"])
        .code(1);
    let findings = out.json();
    let kinds = strings(&findings, "kind");
    assert_eq!(kinds, vec!["missing-approved", "forbidden"]);
    // Without --pairs, the project's translations are read from the store.
    t.cmd(&["glossary", "check", "en"]).success();
    t.cmd(&[
        "set",
        "en",
        "1¶0.1",
        "I. Jointly building OBOR",
        "--as",
        "li",
    ])
    .success();
    let out = t.cmd(&["glossary", "check", "en", "--json"]).code(1);
    let kinds: Vec<String> = out
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["segment"].as_str().unwrap(),
                f["kind"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(kinds, vec!["1¶0.1 missing-approved", "1¶0.1 forbidden"]);
}

#[test]
fn export_and_import_round_trip_through_every_format() {
    let mut t = Test::white_paper();
    let original = t.read("glossary/en.tsv");
    let count = original.lines().count() - 1;
    let imported_line = format!("imported {count} entries");
    for format in ["tsv", "csv", "tbx"] {
        let file = format!("out.{format}");
        t.cmd(&[
            "glossary", "export", "--lang", "en", "--format", format, "--output", &file,
        ])
        .success();
        // Import into the emptied glossary, then compare entry by entry.
        std::fs::write(t.path().join("glossary/en.tsv"), HEADER).unwrap();
        // A reviewer imports: the decisions the file records are kept, and the importer
        // answers for every entry (`by`, `at`).
        t.cmd(&["glossary", "import", &file, "--lang", "en", "--as", "li"])
            .success()
            .stdout_has(&[&imported_line]);
        let imported = t.read("glossary/en.tsv");
        let mut a = without_stamp(&original);
        let mut b = without_stamp(&imported);
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "{format}");
        for line in imported.lines().skip(1) {
            let by = line.split('\t').nth(7);
            assert_eq!(by, Some("li"), "{format}: {line}");
        }
    }
}

/// The lines of a glossary file without their `by` and `at` columns.
fn without_stamp(tsv: &str) -> Vec<String> {
    tsv.lines()
        .map(|l| {
            let mut fields: Vec<&str> = l.split('\t').collect();
            fields.truncate(7);
            fields.join("\t")
        })
        .collect()
}

#[test]
fn terminology_is_decided_by_reviewers_and_never_by_its_proposer() {
    let mut t = small().config(
        "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n[review]\nreviewers = [\"li\", \"wang\"]\n",
    );
    let add = |t: &mut Test, source: &str, target: &str, who: &str| {
        t.cmd(&[
            "glossary", "add", source, target, "--lang", "en", "--as", who,
        ])
        .success();
    };
    add(&mut t, "一带一路", "Belt and Road Initiative", "tester");
    add(&mut t, "南南合作", "South-South cooperation", "li");
    // A translator proposes; they do not decide.
    t.cmd(&["glossary", "approve", "一带一路", "--lang", "en"])
        .code(1)
        .stderr_has(&[
            "tester may not approve glossary entries: only the project's reviewers decide on terminology (li, wang)",
        ]);
    t.cmd(&["glossary", "reject", "南南合作", "--lang", "en"])
        .code(1)
        .stderr_has(&["tester may not reject glossary entries"]);
    // A reviewer does not approve their own proposal, and several entries are decided
    // together or not at all.
    t.cmd(&[
        "glossary",
        "approve",
        "一带一路",
        "南南合作",
        "--lang",
        "en",
        "--as",
        "li",
    ])
    .code(1)
    .stderr_has(&["li proposed this rendering, and nobody approves their own proposal"]);
    assert!(t.read("glossary/en.tsv").matches("\tproposed\t").count() == 2);
    t.cmd(&[
        "glossary",
        "approve",
        "一带一路",
        "南南合作",
        "--lang",
        "en",
        "--as",
        "wang",
    ])
    .success()
    .stdout_has(&[
        "一带一路 → Belt and Road Initiative (en): proposed → approved",
        "南南合作 → South-South cooperation (en): proposed → approved",
    ]);
    // A translator's import of an approved glossary comes in as proposals.
    let file = "theirs.tsv";
    std::fs::write(
        t.path().join(file),
        format!("{HEADER}人类命运共同体\tcommunity with a shared future for mankind\t\tapproved\t\t\t\tsomeone\t2020-01-01\n"),
    )
    .expect("write");
    t.cmd(&["glossary", "import", file, "--lang", "en"])
        .success()
        .stderr_has(&["1 entries the file records as decided came in as proposed"]);
    let tsv = t.read("glossary/en.tsv");
    let line = tsv
        .lines()
        .find(|l| l.starts_with("人类命运共同体"))
        .expect("imported");
    assert!(
        line.contains("\tproposed\t") && line.contains("\ttester\t"),
        "{line}"
    );
}

/// Exports `lang` as TBX to `file` and validates it with xmllint against TBX-Basic (TBX v2,
/// integrated RELAX NG) and the TBX core-structure XSD that `OmegaT` reads glossaries with.
fn export_validates(t: &mut Test, lang: &str, file: &str) {
    t.cmd(&[
        "glossary", "export", "--lang", lang, "--format", "tbx", "--output", file,
    ])
    .success();
    if !have(Tool::Xmllint, &format!("{file} against the TBX schemas")) {
        return;
    }
    for schema in [
        ["--relaxng", "tbx/v2-basic/TBXBasicRNGV02.rng"],
        ["--schema", "tbx/v2-omegat/tbx.xsd"],
    ] {
        let out = Command::new("xmllint")
            .current_dir(schemas())
            .args(["--noout", "--nonet"])
            .args(schema)
            .arg(t.path().join(file))
            .output()
            .expect("run xmllint");
        assert!(
            out.status.success(),
            "{file} does not validate against {}:\n{}",
            schema[1],
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_tbx_export_validates_against_tbx_basic_and_omegats_schema() {
    // Every status, forbidden renderings, variants, markup characters in a note.
    let mut t = small().file(
        "glossary/en.tsv",
        format!(
            "{HEADER}\
             一带一路\tBelt and Road Initiative\tofficial; “name” & <tag>\tapproved\tOne Belt, One Road|OBOR\t一帶一路\t\tli\t2026-11-29T10:00:00Z\n\
             一带一路\tBelt & Road\t\tdeprecated\t\t\t\t\t\n\
             南南合作\tSouth-South cooperation\t\tproposed\t\t\t\twang\t2026-02-28T10:00:00Z\n\
             南南合作\tsouth south collaboration\t\trejected\t\t\t\twang\t2026-02-28T10:00:00Z\n"
        ),
    );
    t.cmd(&["glossary", "list", "--lang", "en"]).success();
    export_validates(&mut t, "en", "en.tbx");
    // And the project's own glossaries, as they are today.
    let mut t = Test::white_paper();
    export_validates(&mut t, "en", "en.tbx");
    export_validates(&mut t, "fr", "fr.tbx");
}

#[test]
fn bad_glossary_files_name_file_and_line_and_write_nothing() {
    let mut t = small().file(
        "glossary/en.tsv",
        format!("{HEADER}一带一路\tBelt and Road\t\tapproved\t\t\t\tli\tt\n南南合作\tSouth-South cooperation\n"),
    );
    t.cmd(&["glossary", "list"])
        .code(2)
        .stderr_has(&["en.tsv:3: expected 9 tab-separated columns"]);
    let before = t.read("glossary/en.tsv");
    t.cmd(&["glossary", "add", "a", "b", "--lang", "en"])
        .code(2);
    assert_eq!(t.read("glossary/en.tsv"), before);
    // A TBX file without entries for the language is refused, not imported as nothing.
    t.cmd(&[
        "glossary", "export", "--lang", "fr", "--format", "tbx", "--output", "fr.tbx",
    ])
    .success();
    t.cmd(&["glossary", "import", "fr.tbx", "--lang", "fr"])
        .code(2)
        .stderr_has(&["no fr entries"]);
    let mut t = t.file("bad.tbx", "<?xml version=\"1.0\"?>\n<tmx/>\n");
    t.cmd(&["glossary", "import", "bad.tbx", "--lang", "fr"])
        .code(2)
        .stderr_has(&["bad.tbx:2: column 1: not a TBX file"]);
    assert!(!t.path().join("glossary/fr.tsv").exists());
}
