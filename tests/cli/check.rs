//! `duiyi check` and `duiyi check accept` on a copy of the white paper with translations set
//! through `duiyi set`; glossary hints in `duiyi show`.

use crate::support::Test;

const AID: &str = "From 2013 to 2018, China's foreign aid totaled RMB270.2 billion, comprising grants, interest-free loans and concessional loans.";
const AID_WRONG: &str = "From 2013 to 2018, China's foreign aid totaled RMB270.2 million, comprising grants, interest-free loans and concessional loans.";

fn set(t: &mut Test, r: &str, text: &str) {
    t.cmd(&["set", "en", r, text, "--as", "li"]).success();
}

/// The white paper with a few English translations, one of them with a wrong number.
fn translated() -> Test {
    let mut t = Test::white_paper();
    set(&mut t, "2.1¶1.2", AID_WRONG);
    set(
        &mut t,
        "2.2¶5.4",
        "From 2013 to 2018, China held over 7,000 training sessions, benefiting about 200,000 people (see Figure 4) (see Box 1).",
    );
    set(&mut t, "2.1¶0.1", "1. Steady Growth in Scale");
    set(&mut t, "toc¶8.1", "1. Steady Growth");
    t
}

#[test]
fn wrong_numbers_are_errors_with_exit_1_and_a_stable_json_contract() {
    let mut t = translated();
    let out = t
        .cmd(&["check", "en", "--only", "numbers", "--json"])
        .code(1);
    insta::assert_json_snapshot!("check_numbers_json", out.json());
    t.cmd(&[
        "check",
        "en",
        "intl-development-cooperation",
        "--only",
        "numbers",
    ])
    .code(1)
    .stdout_has(&[
        "2.1¶1.2 error   numbers",
        "2702亿",
        "en: 2 error(s), 0 warning(s)",
    ]);
    set(&mut t, "2.1¶1.2", AID);
    t.cmd(&["check", "en", "--only", "numbers"])
        .success()
        .stdout_has(&["en: 0 error(s), 0 warning(s)"]);
}

#[test]
fn structure_finds_a_toc_entry_that_differs_from_its_heading() {
    let mut t = translated();
    let out = t
        .cmd(&["check", "en", "--only", "structure", "--json"])
        .code(1);
    let findings = out.json();
    let list = findings.as_array().unwrap();
    assert_eq!(list.len(), 1, "{findings:#}");
    assert_eq!(list[0]["ref"], "toc¶8.1");
    assert_eq!(list[0]["check"], "structure");
    assert!(
        list[0]["message"]
            .as_str()
            .unwrap()
            .contains("1. Steady Growth in Scale")
    );
}

#[test]
fn untranslated_segments_block_and_fail_on_sets_the_bar() {
    let mut t = translated();
    t.cmd(&["check", "en", "--only", "untranslated"])
        .code(1)
        .stdout_has(&["toc¶0.1 error   untranslated not translated"]);
    set(
        &mut t,
        "2.1¶1.1",
        "China has steadily increased its foreign aid funding and  further broadened the scope of its assistance.",
    );
    t.cmd(&["check", "en", "--only", "punctuation"])
        .success()
        .stdout_has(&["2.1¶1.1 warning punctuation  doubled space"]);
    t.cmd(&[
        "check",
        "en",
        "--only",
        "punctuation",
        "--fail-on",
        "warning",
    ])
    .code(1);
    t.cmd(&["check", "en", "--only", "spelling"])
        .code(2)
        .stderr_has(&["unknown check \"spelling\""]);
}

#[test]
fn an_accepted_finding_stays_quiet_until_the_segment_changes() {
    let mut t = translated();
    t.cmd(&[
        "check",
        "accept",
        "2.1¶1.2",
        "numbers",
        "--lang",
        "en",
        "--note",
        "checked with the ministry",
        "--as",
        "wang",
    ])
    .success()
    .stdout_has(&["en 2.1¶1.2: numbers finding accepted by wang"]);
    let line = t.read("translations/en/accepted.jsonl");
    assert!(
        line.contains("\"who\":\"wang\"") && line.contains("checked with the ministry"),
        "{line}"
    );
    t.cmd(&["check", "en", "--only", "numbers"]).success();
    // Another check on the same segment is not affected.
    t.cmd(&[
        "check", "accept", "2.1¶1.2", "length", "--lang", "en", "--note", "x", "--as", "wang",
    ])
    .success();
    // Editing the target brings the finding back.
    set(
        &mut t,
        "2.1¶1.2",
        &AID_WRONG.replace("comprising", "including"),
    );
    t.cmd(&["check", "en", "--only", "numbers"]).code(1);
    // Refusals: no note, unknown check, several languages without --lang.
    t.cmd(&[
        "check", "accept", "2.1¶1.2", "numbers", "--lang", "en", "--note", " ", "--as", "wang",
    ])
    .code(2);
    t.cmd(&[
        "check", "accept", "2.1¶1.2", "grammar", "--lang", "en", "--note", "x", "--as", "wang",
    ])
    .code(2);
    t.cmd(&[
        "check", "accept", "2.1¶1.2", "numbers", "--note", "x", "--as", "wang",
    ])
    .code(2)
    .stderr_has(&["--lang"]);
}

#[test]
fn qa_settings_are_read_from_duiyi_toml() {
    let mut t = translated();
    let config = t.read("duiyi.toml") + "\n[qa]\ncn_paren = \"letter\"\n";
    std::fs::write(t.path().join("duiyi.toml"), config).unwrap();
    t.cmd(&["check", "en", "--only", "structure"])
        .code(1)
        .stdout_has(&["2.1¶0.1 warning structure", "(a)"]);
    let config = t.read("duiyi.toml") + "typo = 1\n";
    std::fs::write(t.path().join("duiyi.toml"), config).unwrap();
    t.cmd(&["check", "en"]).code(2).stderr_has(&["typo"]);
}

#[test]
fn show_and_next_list_glossary_hits() {
    let mut t = Test::white_paper().file(
        "glossary/en.tsv",
        "source\ttarget\tcomment\tstatus\tforbidden\tvariants\tcase\tby\tat\n\
         人类命运共同体\tcommunity with a shared future for mankind\t\tapproved\t\t\t\tli\t2026-11-29T10:00:00Z\n",
    );
    t.cmd(&["show", "1¶0.1", "--lang", "en"])
        .success()
        .stdout_has(&["term: 人类命运共同体 = community with a shared future for mankind"]);
    let out = t.cmd(&["next", "en", "--json"]).success();
    assert!(out.json()["glossary"].is_array());
}
