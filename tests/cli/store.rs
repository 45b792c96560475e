//! The translation store and review workflow through the real binary: a translator's day, a
//! reviewer's day, a source revision, two writers at once, spreadsheets, and broken stores.

use std::process::Stdio;

use crate::support::{Test, strings};

const STORE: &str = "translations/en/intl-development-cooperation.jsonl";

/// The English of the first sentence (0¶1.1), as most tests set it.
const FIRST: &str = "Among developing nations, China is the biggest.";

fn json_status(t: &mut Test) -> serde_json::Value {
    t.cmd(&["status", "en", "--json"]).success().json()["en"].clone()
}

fn show(t: &mut Test, what: &str) -> serde_json::Value {
    t.cmd(&["show", what, "--lang", "en", "--json"])
        .success()
        .json()["en"]
        .clone()
}

/// Writes an executable editor script into the project and returns its path.
fn editor(t: &Test, name: &str, body: &str) -> String {
    let path = t.path().join(name);
    std::fs::write(&path, format!("#!/bin/sh\nset -e\n{body}\n")).expect("write editor");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path.display().to_string()
}

#[test]
fn a_translators_day() {
    let mut t = Test::white_paper();
    let s = json_status(&mut t);
    assert_eq!(
        (s["total"].as_u64(), s["initial"].as_u64()),
        (Some(572), Some(572))
    );
    for key in [
        "translated",
        "reviewed",
        "final",
        "needs-review",
        "rejected",
    ] {
        assert_eq!(s[key], 0, "{key}");
    }

    // What is next: the first segment, with its neighbours and the hint slots.
    let next = t.cmd(&["next", "en", "--json"]).success().json();
    assert_eq!(next["ref"], "toc¶0.1");
    assert_eq!(next["after"][0]["ref"], "toc¶1.1");
    assert!(next["glossary"].as_array().is_some() && next["memory"].as_array().is_some());

    // Translate by ref, by the ASCII ref form, by id, and from standard input.
    t.set("en", "0¶1.1", FIRST)
        .success()
        .stdout_has(&["en 0¶1.1: translated"]);
    t.set(
        "en",
        "0p1.2",
        "Since 1949 China has stood by other developing nations.",
    )
    .success();
    let id = show(&mut t, "0¶1.3")["id"].as_str().unwrap().to_string();
    t.set("en", &id, "From its first days the new state gave aid.")
        .success();
    t = t
        .args(&["set", "en", "0¶1.4", "--stdin", "--state", "initial"])
        .stdin("Reform widened what aid covered.\n");
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let four = show(&mut t, "0¶1.4");
    assert_eq!(four["state"], "initial");
    assert_eq!(four["target"], "Reform widened what aid covered.");

    // `next` now skips the done ones but still offers the draft; heading path included.
    let next = t
        .cmd(&["next", "en", "--after", "0¶1.3", "--json"])
        .success()
        .json();
    assert_eq!(next["ref"], "0¶1.4");
    assert_eq!(next["headings"][0]["ref"], "0¶0.1");
    assert_eq!(
        next["before"][1]["target"],
        "From its first days the new state gave aid."
    );

    // Mistakes get clear errors and change nothing.
    let before = t.read(STORE);
    t.cmd(&["set", "en", "0¶1.1", "   "])
        .code(2)
        .stderr_has(&["0¶1.1", "the translation is empty"]);
    t.cmd(&["set", "en", "0¶99.1", "x"])
        .code(2)
        .stderr_has(&["no segment 0¶99.1", "duiyi segments"]);
    t.cmd(&["set", "en", "0¶1", "x"]).success();
    t.cmd(&["set", "de", "0¶1.1", "x"])
        .code(2)
        .stderr_has(&["\"de\" is not a target language", "duiyi.toml"]);
    t.cmd(&["set", "en", "0¶1.1", "x", "--state", "reviewed"])
        .code(2)
        .stderr_has(&["duiyi review"]);
    assert_ne!(
        before,
        t.read(STORE),
        "0¶1 (the unit's first sentence) was set"
    );

    // The edit round trip: the editor changes one target; only that one is applied.
    let script = editor(
        &t,
        "fake-editor",
        "sed -i 's/^en: Reform widened what aid covered.$/en: Reform broadened the scope of aid./' \"$1\"",
    );
    t = t
        .env("EDITOR", &script)
        .args(&["edit", "en", "--section", "0¶1"]);
    let out = t.run();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("4 segment(s) read, 1 changed"),
        "{}",
        out.stdout
    );
    let four = show(&mut t, "0¶1.4");
    assert_eq!(four["target"], "Reform broadened the scope of aid.");
    assert_eq!(four["state"], "translated");
    assert!(
        !t.path()
            .join("translations/en/intl-development-cooperation.edit.txt")
            .exists()
    );

    let s = json_status(&mut t);
    assert_eq!(s["translated"], 4);
    assert_eq!(s["initial"], 568);
    assert!(s["words_done"].as_u64().unwrap() > 20);
    assert!(s["han_done"].as_u64().unwrap() > 100);

    let log = t.cmd(&["log", "en", "--json"]).success().json();
    let actions = strings(&log, "action");
    assert_eq!(actions, ["set", "set", "set", "set", "set", "set"]);
    assert!(log.as_array().unwrap().iter().all(|e| e["who"] == "tester"));
    t.cmd(&["log", "en", "0¶1.4"])
        .success()
        .stdout_has(&["“Reform widened what aid covered.” → “Reform broadened the scope of aid.”"]);
}

#[test]
fn a_reviewers_day() {
    let mut t = Test::white_paper();
    for (r, text) in [
        ("0¶1.1", FIRST),
        (
            "0¶1.2",
            "Since 1949 China has stood by other developing nations.",
        ),
        ("0¶1.3", "From its first days the new state gave aid."),
    ] {
        t.cmd(&["set", "en", r, text]).success();
    }
    let mut t = t.env("DUIYI_USER", "rev");
    t.cmd(&[
        "review", "en", "approve", "0¶1.1", "0¶1.2", "--as", "reviewer",
    ])
    .success()
    .stdout_has(&["en 0¶1.1: reviewed", "en 0¶1.2: reviewed"]);
    // Refusals exit 1 and say what to do.
    t.cmd(&["review", "en", "approve", "0¶1.1", "--as", "reviewer"])
        .code(1)
        .stderr_has(&["0¶1.1: cannot approve: it is reviewed"]);
    t.cmd(&["review", "en", "approve", "0¶1.4", "--as", "reviewer"])
        .code(1)
        .stderr_has(&["translate it first"]);
    t.cmd(&["review", "en", "finalize", "0¶1.3", "--as", "reviewer"])
        .code(1)
        .stderr_has(&["approve it first"]);
    t.cmd(&["review", "en", "reopen", "0¶1.3"])
        .code(1)
        .stderr_has(&["still open"]);
    // A batch with one refusal changes nothing.
    t.cmd(&[
        "review", "en", "finalize", "0¶1.1", "0¶1.3", "--as", "reviewer",
    ])
    .code(1);
    assert_eq!(show(&mut t, "0¶1.1")["state"], "reviewed");

    // Reject needs a note; the translator sees it in `next`.
    t.cmd(&["review", "en", "reject", "0¶1.3"])
        .code(2)
        .stderr_has(&["--note"]);
    t.cmd(&[
        "review",
        "en",
        "reject",
        "0¶1.3",
        "--note",
        "say 'foreign aid'",
    ])
    .success();
    let s = json_status(&mut t);
    assert_eq!(
        (s["rejected"].as_u64(), s["reviewed"].as_u64()),
        (Some(1), Some(2))
    );
    let three = show(&mut t, "0¶1.3");
    assert_eq!(three["flags"][0], "rejected");
    assert_eq!(three["note"], "say 'foreign aid'");
    t.cmd(&["next", "en", "--after", "0¶1.2"])
        .success()
        .stdout_has(&["0¶1.3", "note: say 'foreign aid'"]);
    t.cmd(&[
        "set",
        "en",
        "0¶1.3",
        "From its first days the new state gave foreign aid.",
        "--as",
        "tr",
    ])
    .success();
    assert_eq!(show(&mut t, "0¶1.3")["flags"], serde_json::json!([]));

    // Finalize, reopen, and an edit of a reviewed text that sends it back and says so.
    t.cmd(&["review", "en", "finalize", "0¶1.1", "--as", "reviewer"])
        .success();
    t.cmd(&[
        "review",
        "en",
        "reopen",
        "0¶1.1",
        "--note",
        "new style guide",
    ])
    .success();
    t.cmd(&["review", "en", "approve", "0¶1.1", "--as", "reviewer"])
        .success();
    t.cmd(&["review", "en", "finalize", "0¶1.1", "--as", "reviewer"])
        .success();
    t.set(
        "en",
        "0¶1.2",
        "Since 1949 China has supported other developing nations.",
    )
    .success()
    .stderr_has(&["it was reviewed", "translated again", "new review"]);
    let s = json_status(&mut t);
    assert_eq!(
        (
            s["final"].as_u64(),
            s["reviewed"].as_u64(),
            s["translated"].as_u64()
        ),
        (Some(1), Some(0), Some(2))
    );

    let log = t.cmd(&["log", "en", "0¶1.1", "--json"]).success().json();
    let steps: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{}:{}>{}:{}",
                e["action"].as_str().unwrap(),
                e["from"].as_str().unwrap(),
                e["to"].as_str().unwrap(),
                e["who"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "set:initial>translated:tester",
            "approve:translated>reviewed:reviewer",
            "finalize:reviewed>final:reviewer",
            "reopen:final>translated:rev",
            "approve:translated>reviewed:reviewer",
            "finalize:reviewed>final:reviewer",
        ]
    );
    t.cmd(&["log", "en", "0¶1.3"])
        .success()
        .stdout_has(&["reject", "(say 'foreign aid')"]);
}

const V1: &str = "一、总论\n中国坚持走和平发展道路。中国积极参与国际发展合作。\n第二段文字在这里。\n第三段也有内容。\n";

#[test]
fn a_source_revision_keeps_carries_over_and_obsoletes() {
    let mut t = Test::new().source("doc", V1);
    for (r, text) in [
        ("1¶1.1", "China keeps to peaceful development."),
        (
            "1¶1.2",
            "China takes an active part in development cooperation.",
        ),
        ("1¶2.1", "The second paragraph is here."),
        ("1¶3.1", "The third paragraph has content too."),
    ] {
        t.cmd(&["set", "en", r, text]).success();
    }
    t.cmd(&[
        "review", "en", "approve", "1¶1", "1¶2", "1¶3", "--as", "reviewer",
    ])
    .success();

    // Insert a paragraph, edit a sentence, delete a paragraph.
    let v2 = V1
        .replace("第二段文字在这里。\n", "新插入的一段。\n")
        .replace("积极参与", "全面积极参与");
    let mut t = t.source("doc", &v2);
    let s = json_status(&mut t);
    assert_eq!(s["total"], 5);
    assert_eq!(s["reviewed"], 2);
    assert_eq!(s["needs-review"], 1);
    assert_eq!(s["initial"], 2, "the heading and the inserted paragraph");
    assert_eq!(s["obsolete"], 1);

    let edited = show(&mut t, "1¶1.2");
    assert_eq!(
        edited["target"],
        "China takes an active part in development cooperation."
    );
    assert_eq!(edited["state"], "translated");
    assert_eq!(edited["flags"][0], "needs-review");
    assert_eq!(edited["previous"], "中国积极参与国际发展合作。");
    assert_eq!(show(&mut t, "1¶2.1")["state"], "initial");
    assert_eq!(show(&mut t, "1¶3.1")["state"], "reviewed");

    // The first write records the merge; the obsolete translation stays in the file.
    t.cmd(&["set", "en", "1¶2.1", "A newly inserted paragraph."])
        .success()
        .stderr_has(&["1 translation(s) carried over", "1 obsolete"]);
    let store = t.read("translations/en/doc.jsonl");
    let obsolete: Vec<_> = store
        .lines()
        .filter(|l| l.contains("\"obsolete\":true"))
        .collect();
    assert_eq!(obsolete.len(), 1);
    assert!(obsolete[0].contains("The second paragraph is here."));
    let log = t.cmd(&["log", "en", "--json"]).success().json();
    let actions = strings(&log, "action");
    assert!(
        actions.contains(&"carry-over") && actions.contains(&"obsolete"),
        "{actions:?}"
    );

    // Restore the obsolete translation onto a current segment.
    let id = serde_json::from_str::<serde_json::Value>(obsolete[0]).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // It already has a translation: restoring over it needs --force, and the replaced text
    // stays in the history, where `revert` finds it.
    t.cmd(&["restore", "en", &id, "--to", "1¶2.1"])
        .code(1)
        .stderr_has(&[
            "1¶2.1: it already has a translation (translated, “A newly inserted paragraph.”); pass --force",
        ]);
    t.cmd(&["restore", "en", &id, "--to", "1¶2.1", "--force"])
        .success();
    let restored = show(&mut t, "1¶2.1");
    assert_eq!(restored["target"], "The second paragraph is here.");
    assert_eq!(restored["flags"][0], "needs-review");
    assert_eq!(json_status(&mut t)["obsolete"], 0);
    t.cmd(&["log", "en", "1¶2.1"])
        .success()
        .stdout_has(&["“A newly inserted paragraph.” → “The second paragraph is here.”"]);

    // The reviewer accepts the carried-over sentence; nothing is flagged any more.
    t.cmd(&[
        "review", "en", "approve", "1¶1.2", "1¶2.1", "--as", "reviewer",
    ])
    .success();
    assert_eq!(json_status(&mut t)["needs-review"], 0);
}

#[test]
fn two_concurrent_writers_lose_no_update() {
    let mut t = Test::white_paper();
    t.cmd(&["set", "en", "0¶1.1", "warm-up"]).success();
    let bin = assert_cmd::cargo::cargo_bin("duiyi");
    let refs: Vec<String> = [
        "0¶1.2", "0¶1.3", "0¶1.4", "0¶2.1", "0¶2.2", "0¶2.3", "1.1¶2.1", "1.1¶2.2", "1.1¶2.3",
        "1.1¶3.1", "1.1¶3.2", "1.1¶3.3",
    ]
    .map(String::from)
    .to_vec();
    let mut children = Vec::new();
    for (n, r) in refs.iter().enumerate() {
        let child = std::process::Command::new(&bin)
            .current_dir(t.path())
            .env("DUIYI_USER", if n % 2 == 0 { "ana" } else { "bo" })
            .args(["set", "en", r, &format!("Sentence number {n}.")])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn duiyi");
        children.push(child);
    }
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let s = json_status(&mut t);
    let done: std::collections::HashSet<_> = refs
        .iter()
        .filter(|r| show(&mut t, r)["state"] == "translated")
        .collect();
    assert_eq!(done.len(), refs.len(), "{s}");
    let log = t.cmd(&["log", "en", "--json"]).success().json();
    assert_eq!(log.as_array().unwrap().len(), refs.len() + 1);
}

#[test]
fn a_held_lock_ends_in_a_clear_error() {
    let mut t = Test::white_paper().env("DUIYI_LOCK_WAIT_MS", "100");
    let lock_path = t.path().join("translations/en/.lock");
    std::fs::create_dir_all(lock_path.parent().unwrap()).unwrap();
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .unwrap();
    f.lock().unwrap();
    t.cmd(&["set", "en", "0¶1.1", "x"])
        .code(2)
        .stderr_has(&["locked by another duiyi process"]);
    f.unlock().unwrap();
    t.cmd(&["set", "en", "0¶1.1", "x"]).success();
}

#[test]
fn broken_stores_are_refused_and_left_alone() {
    let mut t = Test::white_paper();
    t.set("en", "0¶1.1", FIRST).success();
    let good = t.read(STORE);
    let lines: Vec<&str> = good.lines().collect();
    let second = lines[2];
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            good.replacen(second, "{\"id\": broken", 1),
            vec![":3: ", "fix or remove that line"],
        ),
        (
            good.replacen(second, &format!("{second}\n{second}"), 1),
            vec![":4: duplicate id", "first on line 3"],
        ),
        (
            good.replacen("\"state\":\"initial\"", "\"state\":\"done\"", 1),
            vec![":2: unknown variant `done`"],
        ),
        (
            good.replacen(
                second,
                &format!("<<<<<<< HEAD\n{second}\n=======\n{second}\n>>>>>>> other"),
                1,
            ),
            vec![":3: git conflict marker", "resolve the merge conflict"],
        ),
        (
            good.replacen(
                "\"state\":\"initial\"",
                "\"state\":\"initial\",\"colour\":\"red\"",
                1,
            ),
            vec![":2: unknown field `colour`"],
        ),
    ];
    for (bad, want) in cases {
        std::fs::write(t.path().join(STORE), &bad).unwrap();
        for args in [
            &["set", "en", "0¶1.2", "x"][..],
            &["status", "en"][..],
            &["review", "en", "approve", "0¶1.1", "--as", "reviewer"][..],
        ] {
            let out = t.cmd(args).code(2);
            let mut parts = vec![STORE];
            parts.extend(want.iter().copied());
            out.stderr_has(&parts);
            assert_eq!(t.read(STORE), bad, "{args:?} changed the file");
        }
    }
}

#[test]
fn spreadsheet_round_trips_change_only_what_was_edited() {
    let mut t = Test::white_paper();
    t.set("en", "0¶1.1", FIRST).success();
    t.set("en", "0¶1.2", "Since 1949 China has, \"always\", helped.")
        .success();
    t.cmd(&["review", "en", "approve", "0¶1.2", "--as", "reviewer"])
        .success();

    // XLSX: export, import unchanged — nothing changes, not even the file.
    let out = t.cmd(&["export", "en", "--format", "xlsx"]).success();
    let xlsx = out.stdout.trim().to_string();
    assert!(
        xlsx.ends_with("editions/intl-development-cooperation.en.xlsx"),
        "{xlsx}"
    );
    let before = t.read(STORE);
    t.cmd(&["import", "en", &xlsx])
        .success()
        .stdout_has(&["572 segment(s) read, 0 changed"]);
    assert_eq!(t.read(STORE), before);

    // CSV: edit one target and add one; only those change, the reviewed one is untouched.
    let csv_path = t.path().join("work.csv");
    t.cmd(&[
        "export",
        "en",
        "--format",
        "csv",
        "--section",
        "0¶1",
        "-o",
        csv_path.to_str().unwrap(),
    ])
    .success();
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(
        csv.starts_with("\u{feff}id,ref,source,target,state,flags,note,base\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\"Since 1949 China has, \"\"always\"\", helped.\""),
        "{csv}"
    );
    let edited = csv
        .replace(FIRST, "China is the largest of the developing nations.")
        .replacen(",,initial,", ",Aid began at once.,initial,", 1);
    std::fs::write(&csv_path, edited).unwrap();
    t.cmd(&["import", "en", csv_path.to_str().unwrap()])
        .success()
        .stdout_has(&["2 changed"]);
    assert_eq!(
        show(&mut t, "0¶1.1")["target"],
        "China is the largest of the developing nations."
    );
    assert_eq!(show(&mut t, "0¶1.3")["target"], "Aid began at once.");
    assert_eq!(show(&mut t, "0¶1.2")["state"], "reviewed");
    let log = t.cmd(&["log", "en", "--json"]).success().json();
    assert_eq!(
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "import")
            .count(),
        2
    );

    // Bad tables name the row; unknown formats are refused.
    std::fs::write(&csv_path, "id,target\nffffffffffffffff,x\n").unwrap();
    t.cmd(&["import", "en", csv_path.to_str().unwrap()])
        .code(2)
        .stderr_has(&["work.csv:2: no segment ffffffffffffffff"]);
    let other = t.path().join("x.pdf");
    std::fs::write(&other, "%PDF").unwrap();
    t.cmd(&["import", "en", other.to_str().unwrap()])
        .code(2)
        .stderr_has(&["supported files are .csv, .xlsx, .xlf (.xliff) and .tmx"]);
}

#[test]
fn a_broken_working_file_is_kept_and_resumed() {
    let mut t = Test::white_paper();
    let breaker = editor(&t, "breaker", "printf 'stray words\\n' >> \"$1\"");
    t = t
        .env("EDITOR", &breaker)
        .args(&["edit", "en", "--section", "0¶1"]);
    let out = t.run();
    assert_eq!(out.code, 2, "{}", out.stderr);
    let work = "translations/en/intl-development-cooperation.edit.txt";
    assert!(out.stderr.contains(&format!("{work}:")), "{}", out.stderr);
    assert!(
        out.stderr.contains("unexpected text") && out.stderr.contains("--resume"),
        "{}",
        out.stderr
    );
    assert!(t.path().join(work).exists());

    // A second edit refuses to overwrite it; --resume with a fixing editor applies it.
    let fixer = editor(
        &t,
        "fixer",
        "sed -i -e '/^stray words$/d' -e 's/^en: $/en: Filled in./' \"$1\"",
    );
    let mut t = t.env("EDITOR", &fixer);
    t.cmd(&["edit", "en"]).code(2).stderr_has(&["--resume"]);
    t.cmd(&["edit", "en", "--resume"])
        .success()
        .stdout_has(&["4 changed"]);
    assert!(!t.path().join(work).exists());
    assert_eq!(json_status(&mut t)["translated"], 4);
}

#[test]
fn identity_comes_from_as_then_env_then_git_else_an_error() {
    let mut t = Test::white_paper()
        .env("DUIYI_USER", "")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", "/nonexistent");
    t.cmd(&["set", "en", "0¶1.1", "x"]).code(2).stderr_has(&[
        "--as NAME",
        "DUIYI_USER",
        "git config user.name",
    ]);
    t.cmd(&["set", "en", "0¶1.1", "x", "--as", "ana"]).success();
    assert_eq!(show(&mut t, "0¶1.1")["who"], "ana");
}

#[test]
fn several_documents_need_doc() {
    let mut t = Test::new()
        .source("a", "一、总论\n甲段。\n")
        .source("b", "一、总论\n乙段。\n");
    t.cmd(&["set", "en", "1¶1.1", "x"])
        .code(2)
        .stderr_has(&["2 documents (a, b)", "--doc NAME"]);
    t.cmd(&["set", "en", "1¶1.1", "Paragraph B.", "--doc", "b"])
        .success();
    let s = t.cmd(&["status", "--json"]).success().json();
    assert_eq!(s["en"]["total"], 4);
    assert_eq!(s["en"]["documents"]["b"]["translated"], 1);
    assert_eq!(s["fr"]["translated"], 0);
}

#[test]
fn set_rewrites_only_its_own_line_and_the_header() {
    let mut t = Test::white_paper();
    t.set("en", "0¶1.1", FIRST).success();
    let store = t.read(STORE);
    let lines: Vec<&str> = store.lines().collect();
    // A hand-formatted but valid line elsewhere stays byte for byte.
    let spaced = lines[5].replace("\",\"", "\", \"");
    let edited = store.replacen(lines[5], &spaced, 1);
    std::fs::write(t.path().join(STORE), &edited).unwrap();
    t.set("en", "0¶1.2", "Since 1949 China has stood by others.")
        .success();
    let after = t.read(STORE);
    let changed: Vec<(&str, &str)> = edited
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    // The header names the new transaction (see `store::history`); the record its new text.
    assert_eq!(changed.len(), 2, "{changed:?}");
    let tx =
        |header: &str| serde_json::from_str::<serde_json::Value>(header).unwrap()["tx"].clone();
    assert_ne!(tx(changed[0].0), tx(changed[0].1));
    assert!(
        changed[1]
            .1
            .contains("\"target\":\"Since 1949 China has stood by others.\"")
    );
    assert!(after.contains(&spaced));
    assert_eq!(show(&mut t, "0¶1.2")["state"], "translated");
}
