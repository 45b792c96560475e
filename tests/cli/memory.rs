//! The translation memory in `duiyi next` and `duiyi show`: matches with their score and
//! origin, from the project's translations and `memory/*.tmx`, never the segment's own.

use serde_json::Value;

use crate::support::Test;

const SOURCE: &str =
    "中国坚持走和平发展道路。\n中国始终坚持走和平发展道路。\n南南合作是发展中国家的互助。\n";
const PEACE: &str = "China follows the path of peaceful development.";
const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en" srclang="zh" datatype="plaintext"/>
<body><tu><tuv xml:lang="zh"><seg>南南合作是发展中国家的互助。</seg></tuv><tuv xml:lang="en"><seg>South-South cooperation is mutual help among developing countries.</seg></tuv></tu></body></tmx>
"#;

fn project() -> Test {
    let mut t = Test::new()
        .source("doc", SOURCE)
        .file("memory/legacy.tmx", TMX);
    t.set("en", "front¶1", PEACE).success();
    t
}

#[test]
fn next_lists_the_translation_of_a_similar_neighbour_with_its_score() {
    let mut t = project();
    let out = t.cmd(&["next", "en"]).success();
    insta::assert_snapshot!("next_memory_text", out.stdout);

    let next = t.cmd(&["next", "en", "--json"]).success().json();
    assert_eq!(next["ref"], "front¶2.1");
    let memory = next["memory"].as_array().expect("memory list");
    assert_eq!(memory.len(), 1, "{next}");
    assert_eq!(memory[0]["source"], "中国坚持走和平发展道路。");
    assert_eq!(memory[0]["target"], PEACE);
    assert_eq!(memory[0]["note"], "doc front¶1.1");
    let score = memory[0]["score"].as_f64().expect("a score");
    assert!((score - 12.0 / 14.0).abs() < 1e-9, "{score}");
}

#[test]
fn show_lists_matches_per_language_and_tmx_memories_are_read() {
    let mut t = project();
    let show = t.cmd(&["show", "front¶3", "--json"]).success().json();
    let en = &show["en"]["memory"];
    assert_eq!(
        en[0]["target"],
        "South-South cooperation is mutual help among developing countries."
    );
    assert_eq!(en[0]["score"], 1.0);
    assert_eq!(en[0]["note"], "memory/legacy.tmx");
    assert_eq!(show["fr"]["memory"], Value::Array(Vec::new()));
    t.cmd(&["show", "front¶3", "--lang", "en"])
        .success()
        .stdout_has(&["  memory 100%: 南南合作是发展中国家的互助。 = South-South cooperation is mutual help among developing countries.  (memory/legacy.tmx)"]);
}

#[test]
fn a_segment_is_never_its_own_memory_match() {
    let mut t = project();
    // The only translation of front¶1 is its own: nothing to suggest.
    let own = t
        .cmd(&["show", "front¶1", "--lang", "en", "--json"])
        .success()
        .json();
    assert_eq!(own["en"]["memory"], Value::Array(Vec::new()), "{own}");
    // Once its neighbour is translated, that one is suggested (and not the other way round).
    t.set(
        "en",
        "front¶2",
        "China has always followed the path of peaceful development.",
    )
    .success();
    let own = t
        .cmd(&["show", "front¶1", "--lang", "en", "--json"])
        .success()
        .json();
    let memory = own["en"]["memory"].as_array().expect("memory list");
    assert_eq!(memory.len(), 1, "{own}");
    assert_eq!(
        memory[0]["target"],
        "China has always followed the path of peaceful development."
    );
    // A broken TMX is an error naming the file, not an empty list.
    let mut t = t.file("memory/legacy.tmx", "<tmx><body><tu>");
    t.cmd(&["next", "en"]).code(2).stderr_has(&["legacy.tmx"]);
}
