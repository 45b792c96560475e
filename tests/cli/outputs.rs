//! What people read, pinned whole: a translator's and a reviewer's session on a small project,
//! every command's standard output and standard error and its exit code in one snapshot each
//! (as just's tests pin their output). A change to any of these texts shows up as a snapshot
//! diff to review (`cargo insta review`), never silently.
//!
//! Times, the project's temporary folder and transaction ids change from run to run and are
//! replaced by `[when]`, `[project]` and `[tx]`.

use crate::support::Test;

const SOURCE: &str = "\
新时代的中国国际发展合作

一、总则

中国坚持走和平发展道路。南南合作是发展中国家的互助。

（一）原则

对外援助资金达到2702亿元，占总额的47.3%。
";

/// One command's output as a person sees it, with what changes between runs replaced.
fn seen(t: &Test, out: &crate::support::Output) -> String {
    let when = regex::Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ").expect("regex");
    let tx = regex::Regex::new(r#""tx": "[0-9a-f]{16}""#).expect("regex");
    let project = t.path().display().to_string();
    let text = format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        out.code, out.stdout, out.stderr
    )
    .replace(&project, "[project]");
    let text = when.replace_all(&text, "[when]");
    tx.replace_all(&text, "\"tx\": \"[tx]\"").into_owned()
}

fn project() -> Test {
    Test::new().source("doc", SOURCE).config(
        "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n[review]\nreviewers = [\"li\"]\n",
    )
}

#[test]
fn a_translator_works_through_the_document() {
    let mut t = project();
    let status = t.cmd(&["status"]);
    insta::assert_snapshot!("status_empty", seen(&t, &status));
    let next = t.cmd(&["next", "en"]);
    insta::assert_snapshot!("next_first", seen(&t, &next));
    let set = t.set(
        "en",
        "front¶1.1",
        "China's International Development Cooperation in the New Era",
    );
    insta::assert_snapshot!("set", seen(&t, &set));
    t.set(
        "en",
        "1¶1.1",
        "China follows the path of peaceful development.",
    )
    .success();
    // A number that does not match: the check says so, whole.
    t.set(
        "en",
        "1.1¶1.1",
        "Foreign aid funds reached 27.02 billion yuan, 47.3 percent of the total.",
    )
    .success();
    let check = t.cmd(&["check", "en"]);
    insta::assert_snapshot!("check_findings", seen(&t, &check));
    let status = t.cmd(&["status", "en"]);
    insta::assert_snapshot!("status_partly", seen(&t, &status));
    let show = t.cmd(&["show", "1¶1.1", "--lang", "en"]);
    insta::assert_snapshot!("show", seen(&t, &show));
}

#[test]
fn a_reviewer_approves_rejects_and_the_log_tells_the_story() {
    let mut t = project();
    t.set(
        "en",
        "1¶1.1",
        "China follows the path of peaceful development.",
    )
    .success();
    t.set("en", "1¶1.2", "South-South cooperation is mutual help.")
        .success();
    // The translator may not approve their own work.
    let own = t.cmd(&["review", "en", "approve", "1¶1.1"]);
    insta::assert_snapshot!("review_own_work_refused", seen(&t, &own));
    let approve = t.cmd(&["review", "en", "approve", "1¶1.1", "--as", "li"]);
    insta::assert_snapshot!("review_approve", seen(&t, &approve));
    let reject = t.cmd(&[
        "review",
        "en",
        "reject",
        "1¶1.2",
        "--as",
        "li",
        "--note",
        "among developing countries",
    ]);
    insta::assert_snapshot!("review_reject", seen(&t, &reject));
    // Editing reviewed text sends it back for review, and says so.
    let edit = t.set(
        "en",
        "1¶1.1",
        "China keeps to the path of peaceful development.",
    );
    insta::assert_snapshot!("set_reviewed_text", seen(&t, &edit));
    let log = t.cmd(&["log", "en", "1¶1.1"]);
    insta::assert_snapshot!("log_segment", seen(&t, &log));
    let revert = t.cmd(&["revert", "en", "1¶1.1"]);
    insta::assert_snapshot!("revert", seen(&t, &revert));
}

#[test]
fn an_import_reports_changes_stale_rows_and_conflicts() {
    let mut t = project();
    t.set(
        "en",
        "1¶1.1",
        "China follows the path of peaceful development.",
    )
    .success();
    t.set("en", "1¶1.2", "South-South cooperation is mutual help.")
        .success();
    t.cmd(&["export", "en", "--format", "csv", "--output", "work.csv"])
        .success();
    // Meanwhile in the store: 1¶1.2 is changed by someone else.
    t.set(
        "en",
        "1¶1.2",
        "South-South cooperation is mutual help among developing countries.",
    )
    .success();
    // In the file: both rows are edited.
    let csv = t.read("work.csv");
    let csv = csv
        .replace("follows the path", "keeps to the path")
        .replace("is mutual help.", "is help between partners.");
    std::fs::write(t.path().join("work.csv"), csv).expect("write csv");
    let import = t.cmd(&["import", "en", "work.csv"]);
    insta::assert_snapshot!("import_with_conflict", seen(&t, &import));
    // Again, as JSON: 1¶1.1 is in the store now, so only the conflict is left.
    let json = t.cmd(&["import", "en", "work.csv", "--json"]);
    insta::assert_snapshot!("import_with_conflict_json", seen(&t, &json));
}

#[test]
fn publishing_refuses_below_the_gate_and_names_what_is_missing() {
    let mut t = project();
    t.set(
        "en",
        "1¶1.1",
        "China follows the path of peaceful development.",
    )
    .success();
    let refused = t.cmd(&["publish", "en", "--require", "reviewed", "--format", "md"]);
    insta::assert_snapshot!("publish_refused", seen(&t, &refused));
    let draft = t.cmd(&["publish", "en", "--draft", "--format", "md,txt"]);
    insta::assert_snapshot!("publish_draft", seen(&t, &draft));
}

#[test]
fn errors_name_what_is_wrong() {
    let mut t = project();
    let bad_ref = t.set("en", "9¶9.9", "Nothing.");
    insta::assert_snapshot!("error_unknown_ref", seen(&t, &bad_ref));
    let bad_lang = t.set("de", "1¶1.1", "Nichts.");
    insta::assert_snapshot!("error_unknown_language", seen(&t, &bad_lang));
    std::fs::write(
        t.path().join("duiyi.toml"),
        "[project]\nsource = \"zh\"\ntargets = [\"en\"\n",
    )
    .expect("write duiyi.toml");
    let bad_config = t.cmd(&["status"]);
    insta::assert_snapshot!("error_bad_config", seen(&t, &bad_config));
}

#[test]
fn writing_commands_print_typed_json_and_nothing_on_stderr() {
    let mut t = project();
    let set = t.cmd(&[
        "set",
        "en",
        "1¶1.1",
        "China follows the path of peaceful development.",
        "--json",
    ]);
    insta::assert_snapshot!("set_json", seen(&t, &set));
    let reject = t.cmd(&[
        "review", "en", "reject", "1¶1.1", "--as", "li", "--note", "keeps to", "--json",
    ]);
    insta::assert_snapshot!("review_reject_json", seen(&t, &reject));
    let publish = t.cmd(&["publish", "en", "--draft", "--format", "txt", "--json"]);
    insta::assert_snapshot!("publish_json", seen(&t, &publish));
    // A refusal prints no JSON: its message goes to standard error.
    let own = t.cmd(&["review", "en", "approve", "1¶1.1", "--json"]);
    assert_eq!(own.code, 1);
    assert!(own.stdout.is_empty(), "{}", own.stdout);
}
