//! Projects with several documents: a segment id, or a ref, that only one document has needs
//! no `--doc` (ids come from the text, so a sentence two documents share has the same id in
//! both); `status`, `check`, `translate` and `publish` work on every document when none is
//! named.

use crate::support::{Test, strings};

/// Two documents: `a` has sections 1 and 2, `b` only section 1 (so `1¶1.1` is in both and
/// `2¶1.1` only in `a`); both open with the same heading.
fn two_documents() -> Test {
    Test::new()
        .source("a", "一、总论\n甲段。\n二、分论\n丙段。\n")
        .source("b", "一、总论\n乙段。\n")
}

/// The id of the segment `r` of document `doc`.
fn id_of(t: &mut Test, doc: &str, r: &str) -> String {
    let segments = t
        .cmd(&["segments", doc, "--format", "json"])
        .success()
        .json();
    let refs = strings(&segments, "ref");
    let at = refs.iter().position(|x| *x == r).expect("the ref exists");
    strings(&segments, "id")[at].to_string()
}

#[test]
fn a_segment_id_or_a_ref_only_one_document_has_needs_no_doc() {
    let mut t = two_documents();
    // Only `a` has section 2.
    t.set("en", "2¶1.1", "C.")
        .success()
        .stdout_has(&["en 2¶1.1: translated"]);
    // Both have 1¶1.1: the command asks which.
    t.set("en", "1¶1.1", "x")
        .code(2)
        .stderr_has(&["1¶1.1 names segments in 2 documents (a, b)", "--doc NAME"]);
    t.set("en", "7¶7.7", "x")
        .code(2)
        .stderr_has(&["no document has segment 7¶7.7 (documents: a, b)"]);
    // An id names one segment of one document.
    let b = id_of(&mut t, "b", "1¶1.1");
    t.set("en", &b, "B.").success();
    let shown = t
        .cmd(&["show", &b, "--lang", "en", "--json"])
        .success()
        .json();
    assert_eq!(
        (&shown["en"]["doc"], &shown["en"]["target"]),
        (&"b".into(), &"B.".into())
    );
    t.cmd(&["review", "en", "approve", &b, "--as", "rev"])
        .success()
        .stdout_has(&["en 1¶1.1: reviewed"]);
    let log = t.cmd(&["log", "en", &b, "--json"]).success().json();
    assert_eq!(strings(&log, "doc"), ["b", "b"]);
    assert_eq!(strings(&log, "action"), ["set", "approve"]);
    // `--doc` still decides when given.
    t.cmd(&["set", "en", "1¶1.1", "A.", "--doc", "a"]).success();
    let a = t
        .cmd(&["show", "1¶1.1", "--doc", "a", "--json"])
        .success()
        .json();
    assert_eq!(
        (&a["en"]["target"], &a["fr"]["doc"]),
        (&"A.".into(), &"a".into())
    );
}

#[test]
fn next_goes_through_the_documents_in_order() {
    let mut t = two_documents();
    for r in ["1¶0.1", "1¶1.1", "2¶0.1", "2¶1.1"] {
        t.cmd(&["set", "en", r, "done", "--doc", "a"]).success();
    }
    let next = t.cmd(&["next", "en", "--json"]).success().json();
    assert_eq!((&next["doc"], &next["ref"]), (&"b".into(), &"1¶0.1".into()));
    t.cmd(&["next", "en"])
        .success()
        .stdout_has(&["duiyi set en 1¶0.1 --doc b"]);
}

#[test]
fn status_check_translate_and_publish_work_on_every_document() {
    let mut t = two_documents();
    t.cmd(&["set", "en", "1¶0.1", "General", "--doc", "a"])
        .success();
    // The memory backend fills the same heading in `b` from `a`; nothing named, every
    // document is translated.
    let run = t.cmd(&["translate", "en", "--json"]).success().json();
    assert_eq!((&run["selected"], &run["landed"]), (&5.into(), &1.into()));
    // Same text, same id: the heading's id names a segment in both documents.
    let id = id_of(&mut t, "b", "1¶0.1");
    t.cmd(&["show", &id])
        .code(2)
        .stderr_has(&["names segments in 2 documents (a, b)"]);
    let shown = t
        .cmd(&["show", &id, "--doc", "b", "--lang", "en", "--json"])
        .success()
        .json();
    assert_eq!(shown["en"]["target"], "General");
    let status = t.cmd(&["status", "en", "--json"]).success().json();
    assert_eq!(status["en"]["total"], 6);
    assert_eq!(status["en"]["documents"]["a"]["total"], 4);
    assert_eq!(status["en"]["documents"]["b"]["initial"], 2);
    t.cmd(&["check", "en"]).stdout_has(&["in 6 segments"]);
    // Each document gets its own edition.
    let published = t
        .cmd(&["publish", "en", "--format", "md", "--draft"])
        .success();
    let files: Vec<&str> = published.stdout.lines().collect();
    assert_eq!(files.len(), 2, "{}", published.stdout);
    assert!(files[0].ends_with("a.en.md") && files[1].ends_with("b.en.md"));
    // A refusal in any document writes nothing for any.
    std::fs::remove_dir_all(t.path().join("editions")).unwrap();
    t.cmd(&["publish", "en", "--format", "md", "--require", "translated"])
        .code(1)
        .stderr_has(&["have not reached translated"]);
    t.cmd(&["publish", "fr", "--format", "md"])
        .code(2)
        .stderr_has(&["a: nothing is translated into fr yet"]);
    assert!(!t.path().join("editions").exists());
    // Naming a document still publishes that one only.
    let one = t.cmd(&["publish", "en", "b", "--format", "md"]).success();
    assert_eq!(one.stdout.lines().count(), 1);
}

#[test]
fn an_import_goes_into_the_document_whose_segments_it_names() {
    let mut t = two_documents();
    let b = id_of(&mut t, "b", "1¶1.1");
    let mut t = t.file("hand.csv", format!("id,target\n{b},Paragraph B.\n"));
    t.cmd(&["import", "en", "hand.csv"])
        .success()
        .stdout_has(&["en b: 1 segment(s) read, 1 changed"]);
    let shown = t
        .cmd(&["show", &b, "--lang", "en", "--json"])
        .success()
        .json();
    assert_eq!(shown["en"]["target"], "Paragraph B.");
    // An export of one document comes back into it.
    t.cmd(&[
        "export", "en", "--format", "csv", "--doc", "a", "-o", "a.csv",
    ])
    .success();
    t.cmd(&["import", "en", "a.csv"])
        .success()
        .stdout_has(&["en a: 4 segment(s) read, 0 changed"]);
}
