//! Review status you can trust: no import, machine run, restore or crash silently undoes human
//! work, and no gate lets unreviewed work through. Each test is one of the ways this broke (see
//! the review-integrity issue), reproduced with the real binary on real files.

use serde_json::Value;

use crate::support::Test;

const DOC: &str = "一、总论\n中国坚持走和平发展道路。中国积极参与国际发展合作。\n中国始终坚持走和平发展道路。\n第三段也有内容。\n";
const STORE: &str = "translations/en/doc.jsonl";
const HISTORY: &str = "translations/en/history.jsonl";
const A: &str = "1¶1.1";
const B: &str = "1¶2.1";

fn project() -> Test {
    Test::new().source("doc", DOC)
}

fn show(t: &mut Test, what: &str) -> Value {
    t.cmd(&["show", what, "--lang", "en", "--json"])
        .success()
        .json()["en"]
        .clone()
}

/// The record of `what` (a ref) as the store file has it.
fn record(t: &Test, what: &str) -> Value {
    t.read(STORE)
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["ref"] == what)
        .unwrap_or_else(|| panic!("no record {what}"))
}

fn log(t: &mut Test) -> Vec<Value> {
    t.cmd(&["log", "en", "--json"])
        .success()
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn actions(log: &[Value], id: &str) -> Vec<String> {
    log.iter()
        .filter(|e| e["id"] == id)
        .map(|e| {
            format!(
                "{}:{}>{}",
                e["action"].as_str().unwrap(),
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap()
            )
        })
        .collect()
}

/// Reproduction 1: set → export → set a newer text → approve → import the old file. The
/// newer, reviewed text stays, for CSV, XLSX and XLIFF alike.
#[test]
fn a_stale_import_never_reverts_newer_work() {
    for format in ["csv", "xlsx", "xliff"] {
        let mut t = project();
        t.set("en", A, "Draft one.").success();
        let file = if format == "xliff" {
            t.cmd(&["publish", "en", "--format", "xliff", "--out", "old"])
                .success();
            "old/doc.en.xlf".to_string()
        } else {
            let f = format!("old.{format}");
            t.cmd(&["export", "en", "--format", format, "-o", &f])
                .success();
            f
        };
        t.set("en", A, "China keeps to the path of peaceful development.")
            .success();
        t.cmd(&["review", "en", "approve", A, "--as", "li"])
            .success();
        let before = t.read(STORE);
        let out = t.cmd(&["import", "en", &file]).success();
        assert!(
            out.stdout
                .contains(", 0 changed, 1 kept (the store is newer than the file)"),
            "{format}: {}",
            out.stdout
        );
        assert!(
            out.stdout.contains("kept 1¶1.1 (line ")
                && out.stdout.contains("the store's newer text (reviewed"),
            "{format}: {}",
            out.stdout
        );
        assert_eq!(t.read(STORE), before, "{format}: the store did not change");
        let a = show(&mut t, A);
        assert_eq!(
            a["target"],
            "China keeps to the path of peaceful development."
        );
        assert_eq!(a["state"], "reviewed", "{format}");
    }
}

/// Reproduction 1, the machine-draft case: an old workbook never promotes a machine draft.
#[test]
fn a_stale_workbook_never_promotes_a_machine_draft() {
    let mut t = project();
    t.set("en", A, "China keeps to peaceful development.")
        .success();
    t.cmd(&["translate", "en"]).success();
    let b = record(&t, B);
    assert_eq!(
        (b["state"].as_str(), b["origin"].as_str()),
        (Some("initial"), Some("memory"))
    );
    t.cmd(&["export", "en", "--format", "xlsx", "-o", "old.xlsx"])
        .success();
    t.set("en", A, "China keeps to the path of peaceful development.")
        .success();
    t.cmd(&["review", "en", "approve", A, "--as", "li"])
        .success();
    t.cmd(&["translate", "en", B, "--overwrite"]).success();
    let redrafted = show(&mut t, B);
    assert_eq!(
        redrafted["target"],
        "China keeps to the path of peaceful development."
    );
    t.cmd(&["import", "en", "old.xlsx"])
        .success()
        .stdout_has(&["0 changed, 2 kept"]);
    let b = show(&mut t, B);
    assert_eq!(b["target"], redrafted["target"]);
    assert_eq!(b["state"], "initial", "still a machine draft");
    assert_eq!(b["flags"][0], "needs-review");
}

/// Reproduction 2: a target changed in a CAT tool whose state still says reviewed comes in as
/// translated; nothing approves it on the importer's behalf, and the gate holds.
#[test]
fn an_imported_edit_never_keeps_its_approval() {
    let mut t = project();
    for (r, text) in [
        ("1¶0.1", "I. General"),
        (A, "China keeps to peaceful development."),
        ("1¶1.2", "China takes part in development cooperation."),
        (B, "China has always kept to peaceful development."),
        ("1¶3.1", "The third paragraph has content too."),
    ] {
        t.set("en", r, text).success();
    }
    t.cmd(&["review", "en", "approve", "1", "--as", "li"])
        .success();
    t.cmd(&[
        "publish",
        "en",
        "--require",
        "reviewed",
        "--format",
        "xliff",
        "--out",
        "out",
    ])
    .success();
    let xlf = t.read("out/doc.en.xlf");
    assert!(xlf.contains("state=\"reviewed\""));
    let edited = xlf.replacen(
        ">China keeps to peaceful development.</target>",
        ">China stays on the road of peace.</target>",
        1,
    );
    t = t.file("back.xlf", edited);
    let out = t.cmd(&["import", "en", "back.xlf", "--as", "li"]).success();
    assert!(
        out.stdout.contains("5 segment(s) read, 1 changed"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("1¶1.1: it was reviewed; the text changed, so it is translated again and needs a new review"),
        "{}",
        out.stderr
    );
    let a = show(&mut t, A);
    assert_eq!(a["target"], "China stays on the road of peace.");
    assert_eq!(a["state"], "translated");
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(
        actions(&log(&mut t), &id),
        [
            "set:initial>translated",
            "approve:translated>reviewed",
            "import:reviewed>translated"
        ]
    );
    t.cmd(&["publish", "en", "--require", "reviewed", "--out", "out"])
        .code(1)
        .stderr_has(&["1¶1.1"]);
}

/// A file without bases (a foreign XLIFF) may fill and replace open work, but replaces reviewed
/// text only with --force.
#[test]
fn a_foreign_file_replaces_reviewed_text_only_when_forced() {
    let mut t = project();
    t.set("en", A, "China keeps to peaceful development.")
        .success();
    t.cmd(&["review", "en", "approve", A, "--as", "li"])
        .success();
    t.cmd(&["publish", "en", "--format", "xliff", "--out", "out"])
        .success();
    let foreign: String = t
        .read("out/doc.en.xlf")
        .lines()
        .filter(|l| !l.contains("<mda:metadata>"))
        .collect::<Vec<_>>()
        .join("\n")
        .replacen(
            ">China keeps to peaceful development.</target>",
            ">Their text.</target>",
            1,
        )
        .replacen(
            "<source>中国始终坚持走和平发展道路。</source>",
            "<source>中国始终坚持走和平发展道路。</source>\n        <target>Filled in by the agency.</target>",
            1,
        );
    t = t.file("agency.xlf", foreign);
    let out = t.cmd(&["import", "en", "agency.xlf"]).code(1);
    assert!(
        out.stdout.contains("1 changed, 1 conflict(s)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "the file has no base and would replace reviewed text\n  store: “China keeps to peaceful development.” (reviewed)\n  file:  “Their text.”\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("--force lets a file without bases replace reviewed text")
    );
    assert_eq!(show(&mut t, A)["state"], "reviewed");
    assert_eq!(show(&mut t, B)["target"], "Filled in by the agency.");
    t.cmd(&["import", "en", "agency.xlf", "--force"])
        .success()
        .stdout_has(&["1 changed"]);
    let a = show(&mut t, A);
    assert_eq!(
        (a["target"].as_str(), a["state"].as_str()),
        (Some("Their text."), Some("translated"))
    );
}

/// Both sides changed since the export: a conflict listed with base, store and file; nothing
/// of it applied until --prefer decides.
#[test]
fn both_sides_changed_is_a_conflict_until_decided() {
    let mut t = project();
    t.set("en", A, "Draft one.").success();
    t.set("en", B, "Draft two.").success();
    t.cmd(&["export", "en", "--format", "csv", "-o", "work.csv"])
        .success();
    t.set("en", A, "Our newer text.").success();
    let csv = t
        .read("work.csv")
        .replace("Draft one.", "Their newer text.")
        .replace("Draft two.", "Their second text.");
    t = t.file("work.csv", csv);
    let out = t.cmd(&["import", "en", "work.csv"]).code(1);
    assert!(
        out.stdout.contains("1 changed, 1 conflict(s)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "conflict 1¶1.1 (line 3): changed in the file and in the store since the file was made\n  base:  “Draft one.”\n  store: “Our newer text.” (translated)\n  file:  “Their newer text.”\n"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("decide with --prefer file or --prefer store")
    );
    assert_eq!(show(&mut t, A)["target"], "Our newer text.");
    assert_eq!(show(&mut t, B)["target"], "Their second text.");
    t.cmd(&["import", "en", "work.csv", "--prefer", "store"])
        .success()
        .stdout_has(&["0 changed, 1 kept"]);
    assert_eq!(show(&mut t, A)["target"], "Our newer text.");
    t.cmd(&["import", "en", "work.csv", "--prefer", "file"])
        .success()
        .stdout_has(&["1 changed"]);
    assert_eq!(show(&mut t, A)["target"], "Their newer text.");
    // The text it replaced is in the history: revert brings it back.
    t.cmd(&["revert", "en", A])
        .success()
        .stdout_has(&["en 1¶1.1: translated"]);
    assert_eq!(show(&mut t, A)["target"], "Our newer text.");
    t.cmd(&["log", "en", A]).success().stdout_has(&[
        "[v1]",
        "[v2]",
        "[v3]",
        "[v4]",
        "reverted to version 2",
    ]);
    t.cmd(&["revert", "en", A, "--to", "1"]).success();
    assert_eq!(show(&mut t, A)["target"], "Draft one.");
    t.cmd(&["revert", "en", A, "--to", "9"])
        .code(2)
        .stderr_has(&["version 9 of 1¶1.1"]);
}

/// A reviewer may approve in the spreadsheet; a translator may not, and nobody approves their
/// own text; a stale state claim is not applied.
#[test]
fn a_file_raises_states_only_as_far_as_the_importer_may() {
    let mut t = project().config(
        "[project]\nsource = \"zh\"\ntargets = [\"en\", \"fr\"]\n\n[review]\nreviewers = [\"li\"]\n",
    );
    t.set("en", A, "China keeps to peaceful development.")
        .success();
    t.cmd(&["export", "en", "--format", "csv", "-o", "r.csv"])
        .success();
    let approved = t.read("r.csv").replacen(",translated,", ",reviewed,", 1);
    t = t.file("r.csv", approved);
    let out = t.cmd(&["import", "en", "r.csv", "--as", "zhao"]).code(1);
    assert!(
        out.stdout.contains("refused 1¶1.1 (line 3): the file says reviewed, but zhao may not approve: only the project's reviewers approve and finalize (li)"),
        "{}",
        out.stdout
    );
    let out = t.cmd(&["import", "en", "r.csv", "--as", "tester"]).code(1);
    assert!(out.stdout.contains("refused 1¶1.1"), "{}", out.stdout);
    t.cmd(&["import", "en", "r.csv", "--as", "li"])
        .success()
        .stdout_has(&["1 changed"]);
    assert_eq!(show(&mut t, A)["state"], "reviewed");
    // Reopened after the export: the file's "reviewed" is what it was made with, not a new
    // approval.
    t.cmd(&["export", "en", "--format", "csv", "-o", "r2.csv"])
        .success();
    t.cmd(&[
        "review",
        "en",
        "reopen",
        A,
        "--as",
        "li",
        "--note",
        "check the term",
    ])
    .success();
    let out = t.cmd(&["import", "en", "r2.csv", "--as", "li"]).success();
    assert!(out.stdout.contains("0 changed"), "{}", out.stdout);
    assert_eq!(show(&mut t, A)["state"], "translated");
    // A file never lowers a state.
    t.cmd(&["export", "en", "--format", "csv", "-o", "r3.csv"])
        .success();
    t.cmd(&["review", "en", "approve", A, "--as", "li"])
        .success();
    t.cmd(&["import", "en", "r3.csv", "--as", "li"]).success();
    assert_eq!(show(&mut t, A)["state"], "reviewed");
}

/// Confirming a draft is an act: `confirm`, or the state word in the working file.
#[test]
fn a_translator_confirms_a_draft_without_retyping_it() {
    let mut t = project();
    t.set("en", A, "China keeps to peaceful development.")
        .success();
    t.cmd(&["translate", "en"]).success();
    assert_eq!(show(&mut t, B)["state"], "initial");
    t.cmd(&["confirm", "en", B, "--as", "ana"])
        .success()
        .stdout_has(&["en 1¶2.1: translated (confirmed)"]);
    let b = record(&t, B);
    assert_eq!(
        (b["state"].as_str(), b["origin"].as_str()),
        (Some("translated"), Some("memory"))
    );
    assert_eq!(b["author"], "ana");
    assert!(b.get("flags").is_none());
    t.cmd(&["review", "en", "approve", B, "--as", "ana"])
        .code(1)
        .stderr_has(&["ana wrote this translation"]);
    t.cmd(&["confirm", "en", A])
        .code(1)
        .stderr_has(&["only a draft"]);
    // In the working file: change `initial` to `translated` on the @@ line.
    t.set("en", "1¶3.1", "A draft of the third.").success();
    t.cmd(&[
        "set",
        "en",
        "1¶3.1",
        "A draft of the third.",
        "--state",
        "initial",
    ])
    .success();
    let script = t.path().join("confirmer");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i 's/^\\(@@ 1¶3.1 [0-9a-f]*\\) initial/\\1 translated/' \"$1\"\n",
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut t = t.env("EDITOR", script.to_str().unwrap());
    t.cmd(&["edit", "en", "--section", "1¶3"])
        .success()
        .stdout_has(&["1 changed"]);
    assert_eq!(show(&mut t, "1¶3.1")["state"], "translated");
    let id = show(&mut t, "1¶3.1")["id"].as_str().unwrap().to_string();
    assert_eq!(
        actions(&log(&mut t), &id).last().map(String::as_str),
        Some("confirm:initial>translated")
    );
}

/// Reproduction 5: a source edit carries a machine draft over as a draft, still needing review.
#[test]
fn a_source_edit_keeps_a_machine_draft_a_draft() {
    let mut t = project();
    t.set("en", A, "China keeps to peaceful development.")
        .success();
    t.cmd(&["translate", "en"]).success();
    t = t.source(
        "doc",
        &DOC.replace("始终坚持走和平发展道路", "始终坚持走和平发展的道路"),
    );
    let b = show(&mut t, B);
    assert_eq!(b["state"], "initial");
    assert_eq!(b["flags"][0], "needs-review");
    assert_eq!(record(&t, B)["origin"], "memory");
    let s = t.cmd(&["status", "en", "--json"]).success().json();
    assert_eq!(s["en"]["translated"], 1);
}

/// Reproduction 6, the error half: an unwritable journal leaves the store as it was.
#[test]
fn a_failed_journal_write_leaves_the_store_as_it_was() {
    let mut t = project();
    t.set("en", A, "First.").success();
    let store = t.read(STORE);
    let history = t.read(HISTORY);
    std::fs::remove_file(t.path().join(HISTORY)).unwrap();
    std::fs::create_dir(t.path().join(HISTORY)).unwrap();
    t.set("en", B, "Second.")
        .code(2)
        .stderr_has(&["history.jsonl"]);
    assert_eq!(t.read(STORE), store);
    std::fs::remove_dir(t.path().join(HISTORY)).unwrap();
    std::fs::write(t.path().join(HISTORY), &history).unwrap();
    for fault in [
        "journal-append=error",
        "store-write=error",
        "write-atomic-before-rename=error",
    ] {
        let out = t.cmd_env(&[("DUIYI_FAULT", fault)], &["set", "en", B, "Second."]);
        assert_eq!(out.code, 2, "{fault}: {}", out.stderr);
        assert!(
            out.stderr.contains("injected fault"),
            "{fault}: {}",
            out.stderr
        );
        assert_eq!(t.read(STORE), store, "{fault}");
        assert_eq!(
            t.read(HISTORY),
            history,
            "{fault}: the journal append was taken back"
        );
    }
}

/// Reproduction 6, the crash half: killed at every step of a write, the store never holds a
/// change its journal lacks, and the journal never keeps a change the store lacks.
#[test]
fn a_crash_at_any_write_step_keeps_store_and_journal_in_step() {
    for (fault, lands) in [
        ("journal-append", false),
        ("journal-append-torn", false),
        ("store-write", false),
        ("write-atomic-before-rename", false),
        ("store-written", true),
    ] {
        let mut t = project();
        t.set("en", A, "First.").success();
        let out = t.cmd_env(&[("DUIYI_FAULT", fault)], &["set", "en", B, "Second."]);
        assert_ne!(out.code, 0, "{fault}: the process was stopped");
        let b = show(&mut t, B);
        assert_eq!(b["target"] == "Second.", lands, "{fault}");
        let events = log(&mut t);
        let logged = events.iter().any(|e| e["new"] == "Second.");
        assert_eq!(
            logged, lands,
            "{fault}: the journal as readers see it matches the store"
        );
        // The next write recovers: what never reached the store moves aside, kept.
        t.set("en", "1¶3.1", "Third.").success().stderr_has(
            if lands || fault == "journal-append" {
                &[][..]
            } else {
                &["an interrupted earlier change was rolled back"][..]
            },
        );
        let journal = t.read(HISTORY);
        assert_eq!(journal.contains("\"new\":\"Second.\""), lands, "{fault}");
        let kept = t.path().join("translations/en/history.rolled-back.jsonl");
        if lands || fault == "journal-append" {
            assert!(!kept.exists(), "{fault}: nothing to roll back");
        } else {
            let kept = std::fs::read_to_string(kept).unwrap();
            assert!(!kept.is_empty(), "{fault}: what was rolled back is kept");
            if fault != "journal-append-torn" {
                assert!(kept.contains("\"new\":\"Second.\""), "{fault}: {kept}");
            }
        }
        for line in journal.lines() {
            serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{fault}: {e}: {line}"));
        }
        assert!(
            std::fs::read_dir(t.path().join("translations/en"))
                .unwrap()
                .all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".tmp")),
            "{fault}: no temporary copy is left after the next write"
        );
    }
}

/// Reproduction 7: records cut from a store count as untranslated, and every reader says so.
#[test]
fn records_missing_from_a_store_count_as_untranslated() {
    let mut t = Test::white_paper_translated();
    // A write upgrades the committed store to one that counts its records.
    t.cmd(&[
        "set",
        "fr",
        "0¶1.1",
        "Un texte nouveau.",
        "--as",
        "translator-fr",
    ])
    .success();
    let path = "translations/fr/intl-development-cooperation.jsonl";
    let store = t.read(path);
    let mut lines: Vec<&str> = store.lines().collect();
    lines.drain(301..573);
    std::fs::write(t.path().join(path), lines.join("\n") + "\n").unwrap();
    let out = t.cmd(&["status", "fr"]).success();
    assert!(out.stdout.contains("300/572 done"), "{}", out.stdout);
    assert!(
        out.stderr
            .contains("272 of 572 segment(s) are missing from the store"),
        "{}",
        out.stderr
    );
    let out = t.cmd(&["check", "fr", "--only", "untranslated"]).code(1);
    assert!(out.stdout.contains("272 error(s)"), "{}", out.stdout);
    assert!(
        out.stdout.contains("missing from the store")
            || out.stderr.contains("missing from the store")
    );
    t.cmd(&["publish", "fr", "--require", "translated", "--out", "out"])
        .code(1)
        .stderr_has(&["272 segment(s) have not reached translated"]);
}

/// Reproduction 8: `--require final` refuses while `check` has open errors; a translator
/// cannot approve their own work.
#[test]
fn gates_gate() {
    let mut t = project();
    for (r, text) in [
        ("1¶0.1", "I. General"),
        (A, "China keeps to peaceful development."),
        ("1¶1.2", "China takes part in development cooperation."),
        (B, "China has always kept to peaceful development."),
        ("1¶3.1", "The third paragraph has content 3 times."),
    ] {
        t.set("en", r, text).success();
    }
    t.cmd(&["review", "en", "approve", "1", "--as", "tester"])
        .code(1)
        .stderr_has(&[
            "tester may not approve: tester wrote this translation",
            "self_review = true",
        ]);
    t.cmd(&["review", "en", "approve", "1", "--as", "li"])
        .success();
    t.cmd(&["review", "en", "finalize", "1", "--as", "li"])
        .success();
    let out = t
        .cmd(&[
            "publish",
            "en",
            "--require",
            "final",
            "--format",
            "html,report",
            "--out",
            "out",
        ])
        .code(1);
    assert!(
        out.stderr
            .contains("en: `duiyi check en` has 1 open error(s); publishing as final is refused"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1¶3.1 error   numbers"),
        "{}",
        out.stderr
    );
    assert!(!t.path().join("out").exists());
    let out = t
        .cmd(&[
            "publish",
            "en",
            "--require",
            "final",
            "--format",
            "html,report",
            "--out",
            "out",
            "--allow-qa-errors",
        ])
        .success();
    assert!(
        out.stderr.contains("published with 1 open QA error(s)"),
        "{}",
        out.stderr
    );
    assert!(
        t.read("out/doc.en.report.html")
            .contains("en: published with 1 open QA error(s)")
    );
    // Accepted with a note, the finding no longer blocks.
    t.cmd(&[
        "check",
        "accept",
        "1¶3.1",
        "numbers",
        "--lang",
        "en",
        "--note",
        "a test sentence",
    ])
    .success();
    t.cmd(&["publish", "en", "--require", "final", "--out", "out"])
        .success();
    // A solo project allows self-review.
    let mut solo = project()
        .config("[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n[review]\nself_review = true\n");
    solo.set("en", A, "China keeps to peaceful development.")
        .success();
    solo.cmd(&["review", "en", "approve", A]).success();
}

/// Reproduction 6 under fire: 200 writers killed with SIGKILL at random moments (sets and
/// approvals on a 572-segment store). After every kill, the journal as readers see it says
/// exactly what the store holds.
#[test]
fn two_hundred_kills_never_split_store_and_journal() {
    let mut t = Test::white_paper();
    t.set("en", "0¶1.1", "Warm-up.").success();
    let bin = assert_cmd::cargo::cargo_bin("duiyi");
    let refs = [
        "0¶1.1", "0¶1.2", "0¶1.3", "0¶1.4", "0¶2.1", "0¶2.2", "0¶2.3", "1.1¶2.1", "1.1¶2.2",
    ];
    // How long one write takes here, to spread the kills over it.
    let started = std::time::Instant::now();
    t.set("en", "0¶1.2", "Timing.").success();
    let span = started.elapsed().as_micros().max(2_000) * 3 / 2;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut killed = 0;
    for i in 0..200 {
        let r = refs[i % refs.len()];
        let text = format!("Text {i}.");
        let args: Vec<&str> = if i % 4 == 3 {
            vec!["review", "en", "approve", r, "--as", "li"]
        } else {
            vec!["set", "en", r, &text, "--as", "ana"]
        };
        let mut child = std::process::Command::new(&bin)
            .args(&args)
            .current_dir(t.path())
            .env("DUIYI_LOCK_WAIT_MS", "20000")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn duiyi");
        let wait = u64::try_from(u128::from(next()) % span).unwrap_or(0);
        std::thread::sleep(std::time::Duration::from_micros(wait));
        if child.try_wait().expect("wait").is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        in_step(&mut t, i);
    }
    assert!(killed > 50, "only {killed} of 200 runs were killed mid-way");
    // A write after all this recovers and succeeds.
    t.set("en", "0¶1.1", "After the storm.").success();
    in_step(&mut t, 200);
}

/// The journal (as `duiyi log` reads it) and the store agree: each live record's text is the
/// last text the journal gives it, and a reviewed record's last event after its text is an
/// approval.
fn in_step(t: &mut Test, round: usize) {
    let store = t.read("translations/en/intl-development-cooperation.jsonl");
    let events = log_of(t, "en");
    for line in store.lines().skip(1) {
        let r: Value = serde_json::from_str(line).unwrap();
        let id = &r["id"];
        let mine: Vec<&Value> = events.iter().filter(|e| &e["id"] == id).collect();
        let last_text = mine
            .iter()
            .rev()
            .find_map(|e| e["new"].as_str())
            .unwrap_or("");
        assert_eq!(
            r["target"].as_str().unwrap_or(""),
            last_text,
            "round {round}: {} is not what the journal says",
            r["ref"]
        );
        if r["state"] == "reviewed" {
            let last = mine
                .iter()
                .rev()
                .find(|e| e["new"].is_string() || e["action"] == "approve")
                .unwrap_or_else(|| panic!("round {round}: {} reviewed without an event", r["ref"]));
            assert_eq!(last["action"], "approve", "round {round}: {}", r["ref"]);
        }
    }
}

fn log_of(t: &mut Test, lang: &str) -> Vec<Value> {
    t.cmd(&["log", lang, "--json"])
        .success()
        .json()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Random sequences of everything that writes translations — set, approve, reject, export,
/// edits in the exported file, fresh and stale imports, machine drafts, confirmations,
/// reverts, restores and source revisions — never change a reviewed or final text after its
/// approval, and never let a person's text disappear without a journal entry.
mod model {
    use std::collections::HashMap;
    use std::path::Path;

    use duiyi::project::{DocumentSpec, Project};
    use duiyi::review::Action;
    use duiyi::store::exchange::{self, Format};
    use duiyi::store::import::{self, IncomingFile, Options, Prefer};
    use duiyi::store::record::{Origin, State};
    use duiyi::store::{self, Store, StoreError, history};
    use proptest::prelude::*;

    const SOURCES: [&str; 3] = [
        "一、总论\n中国坚持走和平发展道路。中国积极参与国际发展合作。\n中国始终坚持走和平发展道路。\n第三段也有内容。\n",
        "一、总论\n中国坚持走和平发展的道路。中国积极参与国际发展合作。\n第三段也有内容。\n",
        "一、总论\n中国坚持走和平发展道路。新的一句。中国积极参与国际发展合作。\n中国始终坚持走和平发展道路。\n第三段也有内容。\n",
    ];
    const TEXTS: [&str; 5] = ["One.", "Two.", "Three.", "Four.", "Five."];

    #[derive(Debug, Clone)]
    enum Op {
        Set(usize, usize, bool),
        Approve(usize),
        Reject(usize),
        Reopen(usize),
        Export,
        Import {
            snapshot: usize,
            edits: Vec<(usize, usize)>,
            raise: Option<usize>,
            prefer: Option<bool>,
            as_reviewer: bool,
            force: bool,
        },
        Draft(usize, usize),
        Confirm(usize),
        Revert(usize),
        Restore(usize, bool),
        Source(usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..3usize, 0..5usize, prop::bool::weighted(0.2)).prop_map(|(s, t, d)| Op::Set(s, t, d)),
            4 => (0..3usize).prop_map(Op::Approve),
            1 => (0..3usize).prop_map(Op::Reject),
            1 => (0..3usize).prop_map(Op::Reopen),
            3 => Just(Op::Export),
            4 => (
                0..4usize,
                proptest::collection::vec((0..4usize, 0..5usize), 0..3),
                proptest::option::of(0..4usize),
                proptest::option::of(any::<bool>()),
                any::<bool>(),
                any::<bool>(),
            )
                .prop_map(|(snapshot, edits, raise, prefer, as_reviewer, force)| Op::Import {
                    snapshot,
                    edits,
                    raise,
                    prefer,
                    as_reviewer,
                    force,
                }),
            2 => (0..3usize, 0..5usize).prop_map(|(s, t)| Op::Draft(s, t)),
            1 => (0..3usize).prop_map(Op::Confirm),
            1 => (0..3usize).prop_map(Op::Revert),
            1 => (0..3usize, any::<bool>()).prop_map(|(s, f)| Op::Restore(s, f)),
            1 => (0..3usize).prop_map(Op::Source),
        ]
    }

    struct World {
        dir: tempfile::TempDir,
        project: Project,
        spec: DocumentSpec,
        /// Exported tables, oldest first.
        snapshots: Vec<Vec<u8>>,
        /// Every text a person answered for, to be found in the journal.
        human: Vec<String>,
        /// What an operation did that it must not.
        violations: Vec<String>,
    }

    impl World {
        fn new() -> Self {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(dir.path().join("source")).unwrap();
            std::fs::write(
                dir.path().join("duiyi.toml"),
                "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n[review]\nreviewers = [\"li\"]\n",
            )
            .unwrap();
            std::fs::write(dir.path().join("source/doc.txt"), SOURCES[0]).unwrap();
            let project = Project::open(dir.path()).unwrap();
            let spec = project.document("doc").unwrap();
            Self {
                dir,
                project,
                spec,
                snapshots: Vec::new(),
                human: Vec::new(),
                violations: Vec::new(),
            }
        }

        fn change<T>(
            &self,
            who: &str,
            f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
        ) -> Result<T, StoreError> {
            store::transaction(&self.project, &self.spec, "en", who, f).map(|c| c.value)
        }

        fn at(store: &Store, n: usize) -> usize {
            let live: Vec<usize> = (0..store.records().len())
                .filter(|&i| !store.records()[i].obsolete)
                .collect();
            live[n % live.len()]
        }

        fn apply(&mut self, op: &Op) {
            // Refusals are part of the game: only the invariants matter.
            match op {
                Op::Set(s, t, draft) => {
                    let text = TEXTS[*t];
                    let state = draft.then_some(State::Initial);
                    let _ = self.change("ana", |st| {
                        let at = Self::at(st, *s);
                        st.apply(
                            at,
                            &Action::Edit {
                                target: text,
                                state,
                            },
                            None,
                            "ana",
                            Some(Origin::Human),
                        )
                    });
                }
                Op::Approve(s) => {
                    let _ = self.change("li", |st| {
                        let at = Self::at(st, *s);
                        st.apply(at, &Action::Approve, None, "li", None)
                    });
                }
                Op::Reject(s) => {
                    let _ = self.change("li", |st| {
                        let at = Self::at(st, *s);
                        st.apply(at, &Action::Reject, Some("no"), "li", None)
                    });
                }
                Op::Reopen(s) => {
                    let _ = self.change("li", |st| {
                        let at = Self::at(st, *s);
                        st.apply(at, &Action::Reopen, None, "li", None)
                    });
                }
                Op::Export => {
                    let st = Store::open(&self.project, &self.spec, "en").unwrap();
                    let bytes = exchange::export(st.live(), Format::Csv, true).unwrap();
                    self.snapshots.push(bytes);
                }
                Op::Import {
                    snapshot,
                    edits,
                    raise,
                    prefer,
                    as_reviewer,
                    force,
                } => {
                    if self.snapshots.is_empty() {
                        return;
                    }
                    let bytes = &self.snapshots[snapshot % self.snapshots.len()];
                    let path = Path::new("work.csv");
                    let mut entries = exchange::read_table(path, bytes, Format::Csv).unwrap();
                    let n = entries.len();
                    for (row, t) in edits {
                        let e = &mut entries[row % n];
                        e.target = Some(TEXTS[*t].to_string());
                    }
                    if let Some(row) = raise {
                        let e = &mut entries[row % n];
                        e.state = Some(State::Reviewed);
                    }
                    let file = IncomingFile {
                        path: path.to_path_buf(),
                        entries,
                        origin: Origin::Import,
                    };
                    let options = Options {
                        prefer: prefer.map(|f| if f { Prefer::File } else { Prefer::Store }),
                        force: *force,
                    };
                    let who = if *as_reviewer { "li" } else { "ana" };
                    // Which reviewed texts the file may replace: those it was made from (its
                    // base has the store's text), or any when the user decided for the file.
                    let before = Store::open(&self.project, &self.spec, "en").unwrap();
                    let mut may_replace = std::collections::HashSet::new();
                    for e in &file.entries {
                        let Some(r) = before.get(&e.id) else { continue };
                        let decided = options.prefer == Some(Prefer::File)
                            || (e.base.is_none() && options.force);
                        if decided || e.base.as_ref().is_some_and(|b| b.has_text(&r.target)) {
                            may_replace.insert(e.id.clone());
                        }
                    }
                    // A stale snapshot may name segments a source revision removed: an error
                    // that changes nothing.
                    let _ = self.change(who, |st| import::apply(st, &file, options, who));
                    let after = Store::open(&self.project, &self.spec, "en").unwrap();
                    for r in before.live().filter(|r| r.state >= State::Reviewed) {
                        if let Some(now) = after.get(&r.id)
                            && now.target != r.target
                            && !may_replace.contains(&r.id)
                        {
                            self.violations.push(format!(
                                "{}: reviewed “{}” replaced by “{}” from a file not made from it",
                                r.r#ref, r.target, now.target
                            ));
                        }
                    }
                }
                Op::Draft(s, t) => {
                    let text = format!("MT {}", TEXTS[*t]);
                    let _ = self.change("ana", |st| {
                        let at = Self::at(st, *s);
                        let r = &st.records()[at];
                        // `translate --overwrite`: machine drafts and empty segments only.
                        if !r.target.is_empty() && !r.is_machine_draft() {
                            return Ok(());
                        }
                        st.apply(
                            at,
                            &Action::Draft { target: &text },
                            None,
                            "ana",
                            Some(Origin::Mt("x".into())),
                        )
                        .map(|_| ())
                    });
                }
                Op::Confirm(s) => {
                    let _ = self.change("ana", |st| {
                        let at = Self::at(st, *s);
                        st.apply(at, &Action::Confirm, None, "ana", None)
                    });
                }
                Op::Revert(s) => {
                    let project = &self.project;
                    let _ = self.change("ana", |st| {
                        let at = Self::at(st, *s);
                        let id = st.records()[at].id.clone();
                        let versions = store::versions(project, "en", "doc", &id)?;
                        store::revert(st, at, &versions, None, "ana")
                    });
                }
                Op::Restore(s, force) => {
                    let _ = self.change("ana", |st| {
                        let Some(gone) = st
                            .records()
                            .iter()
                            .find(|r| r.obsolete)
                            .map(|r| r.id.clone())
                        else {
                            return Ok(());
                        };
                        let at = Self::at(st, *s);
                        st.restore(&gone, at, "ana", *force).map(|_| ())
                    });
                }
                Op::Source(v) => {
                    std::fs::write(self.dir.path().join("source/doc.txt"), SOURCES[*v]).unwrap();
                    self.project = Project::open(self.dir.path()).unwrap();
                    self.spec = self.project.document("doc").unwrap();
                }
            }
        }

        /// The invariants, checked against the journal as readers see it.
        fn check(&mut self, step: usize, op: &Op) -> Result<(), TestCaseError> {
            let st = Store::open(&self.project, &self.spec, "en").unwrap();
            // Every text a person answers for, once seen, must stay findable in the journal.
            for r in st.records() {
                if r.author.is_some() && !r.target.is_empty() && !self.human.contains(&r.target) {
                    self.human.push(r.target.clone());
                }
            }
            let (events, _) = history::read_committed(&self.project, "en").unwrap();
            let mut by_id: HashMap<&str, Vec<&history::Event>> = HashMap::new();
            for e in &events {
                by_id.entry(e.id.as_str()).or_default().push(e);
            }
            for r in st.records().iter().filter(|r| r.state >= State::Reviewed) {
                let mine = by_id.get(r.id.as_str()).cloned().unwrap_or_default();
                // After its last approval, nothing changed the text of a reviewed record.
                let approved = mine.iter().rposition(|e| e.action == "approve");
                let changed = mine
                    .iter()
                    .rposition(|e| e.new.is_some() && e.action != "carry-over");
                prop_assert!(
                    approved.is_some(),
                    "step {step} {op:?}: {} is {} without an approval",
                    r.r#ref,
                    r.state
                );
                prop_assert!(
                    changed.is_none_or(|c| approved.is_some_and(|a| a > c)),
                    "step {step} {op:?}: {} was changed after its approval",
                    r.r#ref
                );
                prop_assert!(
                    mine.iter()
                        .rev()
                        .find(|e| e.action == "approve")
                        .is_some_and(|e| e.who == "li"),
                    "step {step} {op:?}: {} approved by someone else",
                    r.r#ref
                );
            }
            prop_assert!(
                self.violations.is_empty(),
                "step {step} {op:?}: {:?}",
                self.violations
            );
            // An approval is a review act of its own, never part of the change that wrote the
            // text it approves.
            for e in events.iter().filter(|e| e.action == "approve") {
                prop_assert!(
                    !events.iter().any(|x| {
                        x.id == e.id && x.tx == e.tx && x.new.is_some() && x.action != "carry-over"
                    }),
                    "step {step} {op:?}: {} approved in the same change that wrote its text",
                    e.r#ref
                );
            }
            for text in &self.human {
                prop_assert!(
                    events
                        .iter()
                        .any(|e| e.new.as_deref() == Some(text.as_str())),
                    "step {step} {op:?}: {text:?} was written but the journal never recorded it"
                );
            }
            Ok(())
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn no_approved_text_changes_and_no_human_text_vanishes(ops in proptest::collection::vec(op(), 1..40)) {
            let mut world = World::new();
            for (step, op) in ops.iter().enumerate() {
                world.apply(op);
                world.check(step, op)?;
            }
        }
    }
}

/// The worked example of docs/workflow.md, replayed: its output is what users will see.
#[test]
fn the_worked_example_in_the_workflow_guide_is_true() {
    let mut t = Test::white_paper();
    for (r, text) in [
        ("3.2¶1.1", "Connectivity is the key to the Belt and Road."),
        (
            "3.2¶1.2",
            "China supports the building of roads, railways, ports and bridges in Belt and Road countries.",
        ),
        ("3.2¶2.1", "Support for the six corridors and six routes."),
    ] {
        t.cmd(&["set", "en", r, text, "--as", "ana"]).success();
    }
    t.cmd(&[
        "export",
        "en",
        "--format",
        "csv",
        "--section",
        "3",
        "-o",
        "chapter3.csv",
    ])
    .success();
    t.cmd(&["review", "en", "approve", "3.2¶1.1", "--as", "li"])
        .success();
    t.cmd(&[
        "set",
        "en",
        "3.2¶1.2",
        "China supports building roads, railways, ports and bridges in Belt and Road countries.",
        "--as",
        "wang",
    ])
    .success();
    let csv = t
        .read("chapter3.csv")
        .replace(
            "China supports the building of roads, railways, ports and bridges in Belt and Road countries.",
            "China supports the construction of roads, railways, ports and bridges in partner countries.",
        )
        .replace(
            "Support for the six corridors and six routes.",
            "Supporting the six corridors and six routes.",
        );
    t = t.file("chapter3.csv", csv);
    let out = t
        .cmd(&["import", "en", "chapter3.csv", "--as", "ana"])
        .code(1);
    assert_eq!(
        out.stdout,
        "en intl-development-cooperation: 63 segment(s) read, 1 changed, 1 conflict(s)
conflict 3.2¶1.2 (line 17): changed in the file and in the store since the file was made
  base:  “China supports the building of roads, railways, ports and bridges in Belt and Road countries.”
  store: “China supports building roads, railways, ports and bridges in Belt and Road countries.” (translated)
  file:  “China supports the construction of roads, railways, ports and bridges in partner countries.”
nothing of the conflicting segments was applied; decide with --prefer file or --prefer store
"
    );
    assert_eq!(show(&mut t, "3.2¶1.1")["state"], "reviewed");
    let out = t
        .cmd(&[
            "import",
            "en",
            "chapter3.csv",
            "--as",
            "ana",
            "--prefer",
            "file",
        ])
        .success();
    assert_eq!(
        out.stdout,
        "en intl-development-cooperation: 63 segment(s) read, 1 changed\n"
    );
    let log = t.cmd(&["log", "en", "3.2¶1.2"]).success().stdout;
    let whos: Vec<&str> = log
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap_or(""))
        .collect();
    assert_eq!(whos, ["ana", "wang", "ana"], "{log}");
}

/// A cloned project is not trusted to point where it likes: journals, stores, locks and the
/// glossary are never written through a symbolic link or a folder that leads outside it.
#[test]
fn links_out_of_the_project_are_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let profile = outside.path().join(".bashrc");
    std::fs::write(&profile, "# mine\n").unwrap();
    let link = |t: &Test, rel: &str, to: &std::path::Path| {
        let p = t.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&p);
        std::os::unix::fs::symlink(to, &p).unwrap();
    };
    // The journal, the lock and the store file as links.
    for rel in [HISTORY, "translations/en/.lock", STORE] {
        let mut t = project();
        t.set("en", A, "First.").success();
        link(&t, rel, &profile);
        let out = t.set("en", B, "$(touch /tmp/owned)");
        assert_ne!(out.code, 0, "{rel}");
        // (A store that is a link is read as what it points at, and refused as not a store.)
        assert!(
            out.stderr.contains("symbolic link") || rel == STORE,
            "{rel}: {}",
            out.stderr
        );
        assert_eq!(
            std::fs::read_to_string(&profile).unwrap(),
            "# mine\n",
            "{rel}"
        );
    }
    // A language folder that leads outside.
    let mut t = project();
    std::fs::create_dir_all(t.path().join("translations")).unwrap();
    link(&t, "translations/en", outside.path());
    t.set("en", A, "First.")
        .code(2)
        .stderr_has(&["leads outside the project"]);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
    // The glossary journal.
    let mut t = project();
    link(&t, "glossary/history.jsonl", &profile);
    t.cmd(&[
        "glossary",
        "add",
        "一带一路",
        "Belt and Road Initiative",
        "--lang",
        "en",
    ])
    .code(2)
    .stderr_has(&["symbolic link"]);
    assert_eq!(std::fs::read_to_string(&profile).unwrap(), "# mine\n");
    assert!(
        !t.path().join("glossary/en.tsv").exists(),
        "nothing half-written"
    );
    // The editions folder and the memory folder as links out of the project.
    let mut t = project();
    t.set("en", A, "First.").success();
    t.set("en", B, "Second.").success();
    t.cmd(&["publish", "en", "--format", "tmx", "--out", "out"])
        .success();
    let outside = tempfile::tempdir().unwrap();
    link(&t, "editions", outside.path());
    link(&t, "memory", outside.path());
    t.cmd(&["publish", "en", "--format", "tmx,txt"])
        .code(2)
        .stderr_has(&["leads outside the project"]);
    t.cmd(&["import", "en", "out/doc.en.tmx"])
        .code(2)
        .stderr_has(&["leads outside the project"]);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    // Given with --out, a folder is the user's choice, wherever it leads.
    t.cmd(&["publish", "en", "--format", "txt", "--out", "editions"])
        .success();
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 1);
}

/// A TMX comes into the translations through the same path: by segment id when duiyi wrote it
/// (with its bases), by exact source text when it is foreign (no base: open work only).
#[test]
fn a_tmx_goes_into_the_store_through_the_same_import_path() {
    let mut t = project();
    t.set("en", A, "China keeps to peaceful development.")
        .success();
    t.set("en", B, "Draft of B.").success();
    t.cmd(&["review", "en", "approve", A, "--as", "li"])
        .success();
    t.cmd(&["publish", "en", "--format", "tmx", "--out", "out"])
        .success();
    let tmx = t.read("out/doc.en.tmx");
    assert!(tmx.contains("<prop type=\"x-duiyi-base\">"), "{tmx}");
    // Our own TMX, edited elsewhere: B changes; A (reviewed, unchanged) stays.
    t = t.file(
        "ours.tmx",
        tmx.replace("Draft of B.", "B, as the agency wrote it."),
    );
    t.cmd(&["import", "en", "ours.tmx", "--into", "store"])
        .success()
        .stdout_has(&["2 segment(s) read, 1 changed"]);
    assert_eq!(show(&mut t, B)["target"], "B, as the agency wrote it.");
    assert_eq!(show(&mut t, A)["state"], "reviewed");
    // Without --into store a TMX goes to the memory, as before.
    t.cmd(&["import", "en", "ours.tmx"])
        .success()
        .stdout_has(&["stored for the memory"]);
    // A foreign TMX, matched by source text: it fills the empty segment, and may not replace
    // the reviewed one.
    let foreign = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="zh" datatype="plaintext"/>
<body>
<tu><tuv xml:lang="zh"><seg>第三段也有内容。</seg></tuv><tuv xml:lang="en"><seg>The third paragraph has content too.</seg></tuv></tu>
<tu><tuv xml:lang="zh"><seg>中国坚持走和平发展道路。</seg></tuv><tuv xml:lang="en"><seg>Another text.</seg></tuv></tu>
<tu><tuv xml:lang="zh"><seg>不在文中。</seg></tuv><tuv xml:lang="en"><seg>Not in the document.</seg></tuv></tu>
</body></tmx>
"#;
    t = t.file("foreign.tmx", foreign);
    let out = t
        .cmd(&["import", "en", "foreign.tmx", "--into", "store"])
        .code(1);
    assert!(
        out.stdout
            .contains("2 segment(s) read, 1 changed, 1 conflict(s), 1 unit(s) matched no segment"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("conflict 1¶1.1: the file has no base and would replace reviewed text"),
        "{}",
        out.stdout
    );
    assert_eq!(
        show(&mut t, "1¶3.1")["target"],
        "The third paragraph has content too."
    );
    assert_eq!(
        show(&mut t, A)["target"],
        "China keeps to peaceful development."
    );
}

/// `duiyi edit` goes through the same path: a segment someone else changed while the editor
/// was open is a conflict, the working file stays, and `--resume --prefer` settles it.
#[test]
fn an_edit_never_overwrites_what_changed_while_the_editor_was_open() {
    let mut t = project();
    t.set("en", A, "Before.").success();
    let bin = assert_cmd::cargo::cargo_bin("duiyi");
    let script = t.path().join("meanwhile");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n'{}' set en 1¶1.1 'Changed by li meanwhile.' --as li >/dev/null\nsed -i 's/^en: Before.$/en: Changed by ana in the editor./' \"$1\"\n",
            bin.display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut t = t.env("EDITOR", script.to_str().unwrap());
    let out = t
        .cmd(&["edit", "en", "--section", "1¶1", "--as", "ana"])
        .code(1);
    assert!(out.stdout.contains("conflict 1¶1.1"), "{}", out.stdout);
    assert!(
        out.stderr.contains("the working file is kept"),
        "{}",
        out.stderr
    );
    assert_eq!(show(&mut t, A)["target"], "Changed by li meanwhile.");
    let keep = t.path().join("keep");
    std::fs::write(&keep, "#!/bin/sh\ntrue\n").unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&keep, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let mut t = t.env("EDITOR", keep.to_str().unwrap());
    t.cmd(&["edit", "en", "--resume", "--prefer", "file", "--as", "ana"])
        .success()
        .stdout_has(&["1 changed"]);
    assert_eq!(show(&mut t, A)["target"], "Changed by ana in the editor.");
    assert!(!t.path().join("translations/en/doc.edit.txt").exists());
}

/// A git merge may keep the other side's header line while keeping this side's records: the
/// journal entries of changes the store holds are never rolled back; only those it lacks are.
#[test]
fn a_merged_header_never_rolls_back_changes_the_store_holds() {
    let mut t = project();
    t.set("en", A, "First.").success();
    let header_before = t.read(STORE).lines().next().unwrap().to_string();
    t.set("en", B, "Second.").success();
    t.set("en", "1¶3.1", "Third.").success();
    t.cmd(&["review", "en", "approve", B, "1¶3.1", "--as", "li"])
        .success();
    // The merge kept an older header (another transaction id).
    let store = t.read(STORE);
    let mut lines: Vec<String> = store.lines().map(str::to_string).collect();
    lines[0] = header_before.clone();
    std::fs::write(t.path().join(STORE), lines.join("\n") + "\n").unwrap();
    assert_eq!(
        log(&mut t).len(),
        5,
        "readers see every change the store holds"
    );
    let out = t.set("en", "1¶0.1", "I. General").success();
    assert!(!out.stderr.contains("rolled back"), "{}", out.stderr);
    assert!(
        !t.path()
            .join("translations/en/history.rolled-back.jsonl")
            .exists()
    );
    assert_eq!(log(&mut t).len(), 6);
    // Now half of the last transaction is missing from the store: only that half moves aside.
    t.cmd(&["review", "en", "approve", A, "1¶0.1", "--as", "li"])
        .success();
    let store = t.read(STORE);
    let mut lines: Vec<String> = store.lines().map(str::to_string).collect();
    lines[0] = header_before;
    let heading = lines.iter().position(|l| l.contains("I. General")).unwrap();
    lines[heading] = lines[heading].replace("\"state\":\"reviewed\"", "\"state\":\"translated\"");
    std::fs::write(t.path().join(STORE), lines.join("\n") + "\n").unwrap();
    t.set("en", B, "Second, again.")
        .success()
        .stderr_has(&["1 journal event(s) that never reached the store"]);
    let approvals: Vec<String> = log(&mut t)
        .iter()
        .filter(|e| e["action"] == "approve")
        .map(|e| e["ref"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(approvals, ["1¶2.1", "1¶3.1", "1¶1.1"]);
    assert!(
        t.read("translations/en/history.rolled-back.jsonl")
            .contains("\"ref\":\"1¶0.1\"")
    );
}

/// Recovery rolls back only the last, interrupted transaction, once: a store that moved on or
/// went away does not make every later lock roll back one more committed transaction (found
/// by the `history` fuzz target).
#[test]
fn recovery_never_erodes_the_journal_one_transaction_per_lock() {
    let mut t = project();
    t.set("en", A, "First.").success();
    t.set("en", B, "Second.").success();
    std::fs::remove_file(t.path().join(STORE)).unwrap();
    // Commands that take the lock and then fail: each runs the recovery.
    for _ in 0..3 {
        t.set("en", "9¶9.9", "Nothing.").code(2);
    }
    let journal = t.read(HISTORY);
    assert!(journal.contains("\"new\":\"First.\""), "{journal}");
    let kept = t.read("translations/en/history.rolled-back.jsonl");
    assert_eq!(
        kept.matches("\"new\":").count(),
        1,
        "only the last transaction was rolled back: {kept}"
    );
    assert!(kept.contains("\"new\":\"Second.\""), "{kept}");
}
