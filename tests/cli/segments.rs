//! `duiyi init`, `duiyi segments` and `duiyi stats` on real files, good and bad.

use crate::support::{Test, strings, white_paper_text};

fn count_roles(json: &serde_json::Value) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for s in json.as_array().expect("array") {
        let role = s["role"].as_str().expect("role").to_string();
        let key = match s["level"].as_u64() {
            Some(l) => format!("{role}{l}"),
            None => role,
        };
        *m.entry(key).or_default() += 1;
    }
    m
}

#[test]
fn the_white_paper_has_the_expected_structure_and_segments() {
    let mut t = Test::white_paper();
    let stats = t.cmd(&["stats", "--json"]).success().json();
    let s = &stats[0];
    assert_eq!(s["doc"], "intl-development-cooperation");
    assert_eq!(s["units"]["toc-title"], 1);
    assert_eq!(s["units"]["toc-entry"], 43);
    assert_eq!(s["units"]["heading"], 43);
    assert_eq!(s["headings_by_level"]["1"], 10);
    assert_eq!(s["headings_by_level"]["2"], 33);
    assert_eq!(s["units"]["list-item"], 93);
    assert_eq!(s["units"]["note"], 1);
    assert_eq!(s["units"]["dateline"], 1);
    assert_eq!(s["units"]["paragraph"], 48);
    assert_eq!(s["segments"], 572);
    assert_eq!(s["body_segments"], 528);
    assert_eq!(s["toc_segments"], 44);

    let segs = t.cmd(&["segments", "--format", "json"]).success().json();
    let segs = segs.as_array().unwrap();
    assert_eq!(segs.len(), 572);
    let roles = count_roles(&serde_json::Value::Array(segs.clone()));
    assert_eq!(roles["heading1"], 10);
    assert_eq!(roles["heading2"], 33);
    assert_eq!(roles["toc-entry"], 43);
    for s in segs {
        for key in ["doc", "ref", "id", "role", "level", "text"] {
            assert!(s.get(key).is_some(), "{key} missing in {s}");
        }
    }
    // Every id is unique; every TOC entry links to a heading with the same text.
    let ids: std::collections::HashSet<_> =
        segs.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 572);
    for entry in segs.iter().filter(|s| s["role"] == "toc-entry") {
        let target = entry["links_to"].as_str().expect("toc entry is linked");
        let heading = segs
            .iter()
            .find(|s| s["id"] == target)
            .expect("linked heading exists");
        assert_eq!(heading["role"], "heading");
        assert_eq!(heading["text"], entry["text"]);
        assert_ne!(heading["id"], entry["id"]);
    }
}

#[test]
fn white_paper_sentences_follow_the_rules() {
    let mut t = Test::white_paper();
    let segs = t.cmd(&["segments", "--format", "json"]).success().json();
    let texts = strings(&segs, "text");
    // A reference after a sentence end belongs to that sentence.
    assert!(
        texts.iter().any(|t| t.ends_with("。（见图4）（见专栏1）")),
        "double reference kept"
    );
    assert!(
        !texts.iter().any(|t| t.starts_with("（见")),
        "no segment starts with a reference"
    );
    // Inline references stay inside their sentence and are recorded.
    let note = segs
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["text"].as_str().unwrap().contains("（注1）"))
        .unwrap();
    assert_eq!(note["references"][0]["kind"], "note");
    assert_eq!(note["ref"], "0¶3.1");
    // 47.30% is not cut at its decimal point.
    assert!(texts.iter().any(|t| t.contains("47.30%")) || !white_paper_text().contains("47.30%"));
    // Named and numbered headings, the note and the dateline.
    let by_ref = |r: &str| {
        segs.as_array()
            .unwrap()
            .iter()
            .find(|s| s["ref"] == r)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_ref("0¶0.1")["text"], "前\u{a0}言");
    assert_eq!(by_ref("9¶0.1")["text"], "结束语");
    assert_eq!(by_ref("3.2¶0.1")["text"], "（二）加快设施联通");
    assert_eq!(by_ref("3.2¶0.1")["level"], 2);
    let last = segs.as_array().unwrap().last().unwrap();
    assert_eq!(last["role"], "dateline");
    assert_eq!(last["text"], "（新华社北京1月10日电）");
}

#[test]
fn section_filter_formats_and_refs() {
    let mut t = Test::white_paper();
    let out = t
        .cmd(&["segments", "--section", "3.2", "--format", "tsv"])
        .success();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "doc\tref\tid\trole\tlevel\ttext");
    assert!(lines[1].starts_with("intl-development-cooperation\t3.2¶0.1\t"));
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.split('\t').nth(1).unwrap().starts_with("3.2¶"))
    );
    t.cmd(&["segments", "--section", "toc"])
        .success()
        .stdout_has(&["toc¶0.1", "目\u{a0}录", "toc¶43.1"]);
    t.cmd(&["segments", "--section", "3p1"])
        .success()
        .stdout_has(&["3¶1.1"]);
    t.cmd(&["segments", "--section", "42"])
        .code(2)
        .stderr_has(&["no segment in section 42"]);
    t.cmd(&["segments", "--section", "x.y"])
        .code(2)
        .stderr_has(&["not a ref"]);
    t.cmd(&["segments", "no-such-doc"])
        .code(2)
        .stderr_has(&["no document \"no-such-doc\""]);
}

#[test]
fn a_differently_shaped_text_segments_correctly() {
    let text =
        std::fs::read_to_string(crate::support::repo().join("tests/data/changhe.txt")).unwrap();
    let mut t = Test::new().source("changhe", &text);
    let segs = t.cmd(&["segments", "--format", "json"]).success().json();
    let got: Vec<(String, String, String)> = segs
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let role = match s["level"].as_u64() {
                Some(l) => format!("{}{l}", s["role"].as_str().unwrap()),
                None => s["role"].as_str().unwrap().to_string(),
            };
            (
                s["ref"].as_str().unwrap().to_string(),
                role,
                s["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected: Vec<(&str, &str, &str)> = vec![
        ("front¶1.1", "title", "《长河纪事》（节选）"),
        ("1¶0.1", "heading1", "第一章 出发"),
        (
            "1¶1.1",
            "paragraph",
            "天还没亮，村口的老槐树下已经聚了不少人。",
        ),
        ("1¶1.2", "paragraph", "老张说：“今天一定要赶到河边。”"),
        ("1¶1.3", "paragraph", "大家都点头。"),
        ("1.1¶0.1", "heading2", "一、清晨"),
        ("1.1¶1.1", "paragraph", "他们带的东西很简单……"),
        (
            "1.1¶1.2",
            "paragraph",
            "一袋干粮，两壶水，还有一本翻旧了的《你往何处去？——一位旅人的札记》。",
        ),
        ("1.1¶1.3", "paragraph", "书里写着：“路在脚下。走吧！”"),
        ("1.1¶2.1", "list-item", "1. 带好干粮。"),
        ("1.1¶3.1", "list-item", "2. 清点人数，不要落下任何人。"),
        ("1.1¶4.1", "list-item", "（1）老人走在中间。"),
        ("1.1¶5.1", "list-item", "（2）孩子由大人牵着。"),
        ("1.2¶0.1", "heading2", "二、正午"),
        ("1.2¶1.1", "paragraph", "太阳很毒。"),
        ("1.2¶1.2", "paragraph", "有人问：“还有多远？”"),
        ("1.2¶1.3", "paragraph", "没有人回答……"),
        ("2¶0.1", "heading1", "第二章 河边"),
        (
            "2¶1.1",
            "paragraph",
            "河面宽约1.5公里，水位比去年高了3.20米。",
        ),
        (
            "2¶1.2",
            "paragraph",
            "这是U.S. Army Corps of Engineers测过的数字。",
        ),
        ("2¶2.1", "note", "注：文中数字均为估算。"),
    ];
    let got_ref: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got_ref, expected);
}

#[test]
fn ids_survive_insertions_edits_and_deletions_elsewhere() {
    let original = white_paper_text();
    let mut t = Test::new().source("wp", &original);
    let before = t.cmd(&["segments", "--format", "json"]).success().json();
    // Insert a paragraph early, edit one sentence, delete a list item.
    let revised = original
        .replacen(
            "　　中共十八大以来，中国发展进入新时代。",
            "　　这是新插入的一段。\n　　中共十八大以来，中国发展进入新时代。",
            1,
        )
        .replacen(
            "中国是世界上最大的发展中国家。",
            "中国是世界上最大的发展中国家之一。",
            1,
        )
        .replacen("　　——派遣志愿者。", "　　——派遣青年志愿者。", 1);
    let mut t2 = Test::new().source("wp", &revised);
    let after = t2.cmd(&["segments", "--format", "json"]).success().json();
    let after_ids: std::collections::HashMap<&str, &str> = after
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["text"].as_str().unwrap()))
        .collect();
    let mut kept = 0;
    for s in before.as_array().unwrap() {
        let text = s["text"].as_str().unwrap();
        let edited = text == "中国是世界上最大的发展中国家。" || text.starts_with("——派遣志愿者。");
        match after_ids.get(s["id"].as_str().unwrap()) {
            Some(t) => {
                assert_eq!(*t, text);
                kept += 1;
            }
            None => assert!(edited, "id of unchanged segment {text} changed"),
        }
    }
    assert_eq!(kept, 570);
    assert_eq!(after.as_array().unwrap().len(), 573);
}

#[test]
fn init_creates_a_project_that_commands_find_from_subfolders() {
    let mut t = Test::empty();
    t.cmd(&["init", "proj", "--source", "zh", "--targets", "en,fr,ar"])
        .success()
        .stdout_has(&["created a duiyi project", "translations/ar/"]);
    assert!(
        t.read("proj/duiyi.toml")
            .contains("targets = [\"en\", \"fr\", \"ar\"]")
    );
    // Locks, a crash's temporary copies and `edit`'s working files are never committed.
    assert_eq!(
        t.read("proj/.gitignore"),
        "/editions\n/translations/*/.lock\n/glossary/.lock\n.*.tmp\n*.edit.txt\n"
    );
    assert!(
        t.read("proj/.gitattributes")
            .contains("translations/*/history.jsonl merge=union")
    );
    std::fs::write(t.path().join("proj/source/doc.txt"), "第一句。第二句。\n").unwrap();
    let mut sub = Test::empty();
    // Walk up from a sub-folder.
    let out = t
        .cmd(&["--project", "proj", "stats", "--json"])
        .success()
        .json();
    assert_eq!(out[0]["segments"], 2);
    t.cmd(&["init", "proj"])
        .code(2)
        .stderr_has(&["already exists"]);
    sub.cmd(&["stats"])
        .code(2)
        .stderr_has(&["no duiyi.toml found", "duiyi init"]);
}

#[test]
fn commands_walk_up_to_the_project() {
    let mut t = Test::new().source("a", "一句话。").cwd("source/deep/er");
    t.cmd(&["stats", "--json"]).success();
}

#[test]
fn encodings_are_detected_and_can_be_forced() {
    let text = "　　前言\r\n　　中国是发展中国家。我们合作。\r\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(text);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let mut t = Test::new()
        .file("source/gbk.txt", gbk.as_ref())
        .file("source/utf16.txt", &utf16)
        .file("source/bom.txt", &bom)
        .file("source/cr.txt", text.replace("\r\n", "\r"));
    let out = t.cmd(&["segments", "--format", "json"]).success().json();
    let arr = out.as_array().unwrap();
    assert_eq!(arr.len(), 12);
    for doc in ["gbk", "utf16", "bom", "cr"] {
        let texts: Vec<_> = arr
            .iter()
            .filter(|s| s["doc"] == doc)
            .map(|s| s["text"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["前言", "中国是发展中国家。", "我们合作。"], "{doc}");
    }
    // Forcing the wrong encoding is an error naming file and offset.
    let forced = format!(
        "{}[[documents]]\nname = \"gbk\"\nencoding = \"utf-8\"\n",
        crate::support::CONFIG
    );
    t = t.config(&forced);
    t.cmd(&["stats"])
        .code(2)
        .stderr_has(&["source/gbk.txt", "invalid utf-8 at byte offset 0"]);
}

#[test]
fn bad_sources_give_clear_errors() {
    let mut t = Test::new()
        .file("source/empty.txt", "")
        .file("source/blank.txt", " \u{3000}\n\n");
    t.cmd(&["stats", "empty"])
        .code(2)
        .stderr_has(&["source/empty.txt", "empty"]);
    t.cmd(&["stats", "blank"])
        .code(2)
        .stderr_has(&["source/blank.txt", "empty"]);
    let mut png = vec![
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];
    png.extend_from_slice(&[0xFF; 32]);
    let mut t = Test::new().file("source/image.txt", &png);
    t.cmd(&["stats"]).code(2).stderr_has(&[
        "source/image.txt",
        "binary data (NUL byte at byte offset 8)",
    ]);
    let mut bad = "正常的文字。".as_bytes().to_vec();
    bad.extend_from_slice(&[0xC3, 0x28, 0xA0, 0xA1]);
    let mut t = Test::new().file("source/bad.txt", &bad);
    t.cmd(&["stats"])
        .code(2)
        .stderr_has(&["source/bad.txt", "byte offset 18"]);
}

#[test]
fn a_huge_paragraph_and_mixed_scripts_work() {
    // 10 MB of text without any punctuation: one paragraph, one segment.
    let huge = "无标点的长段落".repeat(10 * 1024 * 1024 / 21 + 1);
    assert!(huge.len() >= 10 * 1024 * 1024);
    let mixed =
        "中文句子。An English sentence. Ещё одно предложение! عربي؟ 日本語の文。한국어 문장.";
    let mut t = Test::new().source("huge", &huge).source("mixed", mixed);
    let out = t.cmd(&["stats", "--json"]).success().json();
    let huge_stats = out
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["doc"] == "huge")
        .unwrap()
        .clone();
    assert_eq!(huge_stats["segments"], 1);
    let segs = t
        .cmd(&["segments", "mixed", "--format", "json"])
        .success()
        .json();
    let texts = strings(&segs, "text");
    assert_eq!(
        texts,
        [
            "中文句子。",
            "An English sentence.",
            "Ещё одно предложение!",
            "عربي؟ 日本語の文。",
            "한국어 문장."
        ]
    );
}

#[test]
fn bad_project_files_give_clear_errors() {
    let mut t =
        Test::new().config("[project]\nsource = \"zh\"\ntargets = [\"en\"]\nsegmentaton = 1\n");
    t.cmd(&["stats"])
        .code(2)
        .stderr_has(&["duiyi.toml:4:", "segmentaton"]);
    let mut t = Test::new().config("[project\nsource = \"zh\"\n");
    t.cmd(&["stats"]).code(2).stderr_has(&["duiyi.toml:1:"]);
    let cfg = format!(
        "{}[[documents]]\nname = \"missing\"\n",
        crate::support::CONFIG
    );
    let mut t = Test::new().config(&cfg);
    t.cmd(&["stats"])
        .code(2)
        .stderr_has(&["document \"missing\"", "does not exist"]);
    let cfg = format!("{}[[documents]]\nname = \"../x\"\n", crate::support::CONFIG);
    let mut t = Test::new().config(&cfg);
    t.cmd(&["stats"])
        .code(2)
        .stderr_has(&["\"../x\" is not allowed"]);
    let cfg = format!(
        "{}[[documents]]\nname = \"x\"\npath = \"../outside.txt\"\n",
        crate::support::CONFIG
    );
    let mut t = Test::new().config(&cfg);
    t.cmd(&["stats"])
        .code(2)
        .stderr_has(&["leaves the project"]);
    let mut t = Test::new().source("a", "一句。");
    t.cmd(&["stats", "../etc/passwd"])
        .code(2)
        .stderr_has(&["not allowed"]);
    t.cmd(&["segments", "--format", "yaml"]).code(2);
}

#[test]
fn srx_rules_extend_or_replace_and_bad_srx_is_an_error() {
    let srx = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="no"/>
  <body>
    <languagerules>
      <languagerule languagerulename="zh">
        <rule break="yes"><beforebreak>，</beforebreak><afterbreak></afterbreak></rule>
        <rule break="no"><beforebreak>二。</beforebreak><afterbreak></afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules><languagemap languagepattern="zh.*" languagerulename="zh"/></maprules>
  </body>
</srx>"#;
    let text = "第一，第二。第三。\n";
    let cfg = format!(
        "{}[segmentation]\nsrx = \"rules/zh.srx\"\n",
        crate::support::CONFIG
    );
    let mut t = Test::new()
        .source("a", text)
        .file("rules/zh.srx", srx)
        .config(&cfg);
    let segs = t.cmd(&["segments", "--format", "json"]).success().json();
    let texts = strings(&segs, "text");
    assert_eq!(texts, ["第一，", "第二。第三。"]);
    let cfg = format!(
        "{}[segmentation]\nsrx = \"rules/zh.srx\"\nsrx_mode = \"replace\"\n",
        crate::support::CONFIG
    );
    t = t.config(&cfg);
    let segs = t.cmd(&["segments", "--format", "json"]).success().json();
    assert_eq!(segs.as_array().unwrap().len(), 2);
    // OmegaT's own rules load.
    let omegat = std::fs::read(crate::support::schemas().join("srx/defaultRules.srx")).unwrap();
    t = t.file("rules/zh.srx", omegat).config(&format!(
        "{}[segmentation]\nsrx = \"rules/zh.srx\"\n",
        crate::support::CONFIG
    ));
    t.cmd(&["stats"]).success();
    t = t.file("rules/zh.srx", "<srx><body><languagerule languagerulename=\"x\">\n<rule><beforebreak>[</beforebreak></rule></languagerule></body></srx>");
    t.cmd(&["stats"])
        .code(2)
        .stderr_has(&["rules/zh.srx:2:", "does not compile"]);
    t = t.file("rules/zh.srx", "<srx><body>");
    t.cmd(&["stats"]).code(2).stderr_has(&["rules/zh.srx"]);
}

#[test]
fn semicolon_option_breaks_on_full_width_semicolons() {
    let cfg = format!(
        "{}[segmentation]\nsemicolon = true\n",
        crate::support::CONFIG
    );
    let mut t = Test::new().source("a", "甲；乙。").config(&cfg);
    let segs = t.cmd(&["segments", "--format", "json"]).success().json();
    assert_eq!(segs.as_array().unwrap().len(), 2);
}

#[test]
fn help_has_examples_and_broken_pipes_are_quiet() {
    let mut t = Test::white_paper();
    t.cmd(&["segments", "--help"])
        .success()
        .stdout_has(&["Examples:", "3.2¶4.1"]);
    t.cmd(&["--help"])
        .success()
        .stdout_has(&["segments", "stats", "init"]);
    t.cmd(&["frobnicate"]).code(2);
}
