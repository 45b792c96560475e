//! `duiyi translate`: backends against local servers (wiremock) and child processes.

use std::time::Duration;

use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Test, Tool, have};

const SOURCE: &str = "中国坚持推动一带一路建设。\n中国积极开展南南合作。\n";
const KEY: &str = "sk-TEST-SECRET-4242";

fn project(backend: &str) -> Test {
    Test::new()
        .config(&format!(
            "[project]\nsource = \"zh\"\ntargets = [\"en\", \"fr\"]\n\n{backend}"
        ))
        .source("doc", SOURCE)
        .env("DUIYI_BACKOFF_MS", "10")
}

fn records(t: &Test) -> Vec<Value> {
    t.read("translations/en/doc.jsonl")
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect()
}

fn openai(url: &str, extra: &str) -> String {
    format!(
        "[backends.llm]\ntype = \"openai\"\nurl = \"{url}/v1\"\nmodel = \"test-model\"\napi_key_env = \"TEST_KEY\"\n{extra}"
    )
}

/// The chat completion answer translating every segment id of the request.
fn answer_all(request: &wiremock::Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&request.body).expect("json body");
    let prompt = body["messages"][0]["content"].as_str().unwrap_or("");
    let start = prompt.rfind("Segments (JSON):\n").expect("segments") + 17;
    let segments: Vec<Value> = serde_json::from_str(prompt[start..].trim()).expect("segments json");
    let items: Vec<Value> = segments
        .iter()
        .map(|s| json!({"id": s["id"], "text": format!("EN {}", s["source"].as_str().unwrap_or(""))}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "choices": [{"message": {"role": "assistant", "content": json!({"translations": items}).to_string()}}]
    }))
}

async fn run(t: Test, args: &[&str]) -> (Test, crate::support::Output) {
    let args: Vec<String> = args.iter().map(|s| (*s).to_string()).collect();
    tokio::task::spawn_blocking(move || {
        let mut t = t;
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = t.cmd(&refs);
        (t, out)
    })
    .await
    .expect("join")
}

#[tokio::test(flavor = "multi_thread")]
async fn openai_drafts_land_as_initial_needs_review_with_origin() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", format!("Bearer {KEY}").as_str()))
        .respond_with(answer_all)
        .mount(&server)
        .await;
    let t = project(&openai(&server.uri(), "")).env("TEST_KEY", KEY);
    let (t, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    let out = out.success();
    assert!(out.stdout.contains("2 landed"), "{}", out.stdout);
    let recs = records(&t);
    assert_eq!(recs[0]["target"], "EN 中国坚持推动一带一路建设。");
    assert_eq!(recs[0]["state"], "initial");
    assert_eq!(recs[0]["flags"], json!(["needs-review"]));
    assert_eq!(recs[0]["origin"], "mt:llm");
    // A rerun sends nothing: everything landed.
    let (_, again) = run(t, &["translate", "en", "--backend", "llm"]).await;
    assert!(again.stdout.contains("0 selected"), "{}", again.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_batch_answer_with_a_missing_item_leaves_the_batch_untouched() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"message": {"content": "{\"translations\": [{\"id\": \"nope\", \"text\": \"x\"}]}"}}]
        })))
        .mount(&server)
        .await;
    let t = project(&openai(&server.uri(), "")).env("TEST_KEY", KEY);
    let (t, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    let out = out.code(1);
    assert!(
        out.stdout.contains("does not match the batch"),
        "{}",
        out.stdout
    );
    assert!(records(&t).iter().all(|r| r["target"] == ""));
}

#[tokio::test(flavor = "multi_thread")]
async fn unauthorized_is_not_retried_and_the_key_never_shows() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"error": {"message": "bad key"}})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let t = project(&openai(&server.uri(), "")).env("TEST_KEY", KEY);
    let (t, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    let out = out.code(1);
    assert!(out.stdout.contains("401"), "{}", out.stdout);
    assert!(!out.stdout.contains(KEY) && !out.stderr.contains(KEY));
    let (t, dry) = run(t, &["translate", "en", "--backend", "llm", "--dry-run"]).await;
    let dry = dry.success();
    assert!(dry.stdout.contains("source characters"), "{}", dry.stdout);
    assert!(!dry.stdout.contains(KEY) && !dry.stderr.contains(KEY));
    for entry in walk(t.path()) {
        let text = std::fs::read(&entry).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&text).contains(KEY),
            "{}",
            entry.display()
        );
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn too_many_requests_waits_for_retry_after_and_server_errors_are_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(answer_all)
        .with_priority(3)
        .mount(&server)
        .await;
    let t = project(&openai(&server.uri(), "")).env("TEST_KEY", KEY);
    let started = std::time::Instant::now();
    let (t, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    out.success();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(records(&t)[1]["target"], "EN 中国积极开展南南合作。");
}

#[tokio::test(flavor = "multi_thread")]
async fn timeouts_and_malformed_answers_fail_the_batch() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let t = project(&openai(&server.uri(), "timeout = 0.3\nretries = 1\n")).env("TEST_KEY", KEY);
    let (_, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    assert!(out.code(1).stdout.contains("no answer within 0.3s"));

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("{not json"))
        .mount(&server)
        .await;
    let t = project(&openai(&server.uri(), "")).env("TEST_KEY", KEY);
    let (_, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    assert!(out.code(1).stdout.contains("malformed answer"));
}

#[tokio::test(flavor = "multi_thread")]
async fn deepl_uses_one_glossary_of_the_approved_terms_and_reuses_it() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/glossaries"))
        .and(header(
            "authorization",
            format!("DeepL-Auth-Key {KEY}").as_str(),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"glossary_id": "g-1", "ready": true})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .respond_with(|r: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&r.body).expect("json");
            assert_eq!(body["glossary_id"], "g-1");
            let items: Vec<Value> = body["text"]
                .as_array()
                .expect("text array")
                .iter()
                .map(|_| json!({"detected_source_language": "ZH", "text": "The Belt and Road Initiative."}))
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({"translations": items}))
        })
        .mount(&server)
        .await;
    let t = project(&format!(
        "[backends.deepl]\nurl = \"{}\"\napi_key_env = \"TEST_KEY\"\n",
        server.uri()
    ))
    .env("TEST_KEY", KEY)
    .file(
        "glossary/en.tsv",
        "source\ttarget\tcomment\tstatus\tforbidden\tvariants\tcase\tby\tat\n一带一路\tBelt and Road Initiative\t\tapproved\t\t\t\ttester\t2026-01-01T00:00:00Z\n",
    );
    let (t, out) = run(t, &["translate", "en", "--backend", "deepl", "front¶1"]).await;
    assert!(out.stdout.contains("deepl"), "{}{}", out.stdout, out.stderr);
    let (_, out) = run(t, &["translate", "en", "--backend", "deepl", "--overwrite"]).await;
    assert!(out.stdout.contains("deepl"), "{}", out.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn libretranslate_and_google_get_terms_as_placeholders() {
    let echo = |pointer: &'static str, google: bool| {
        move |r: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&r.body).expect("json");
            let q: Vec<String> = body["q"]
                .as_array()
                .expect("q")
                .iter()
                .map(|v| format!("EN {}", v.as_str().unwrap_or("")))
                .collect();
            let _ = pointer;
            if google {
                let items: Vec<Value> = q.iter().map(|s| json!({"translatedText": s})).collect();
                ResponseTemplate::new(200).set_body_json(json!({"data": {"translations": items}}))
            } else {
                ResponseTemplate::new(200).set_body_json(json!({"translatedText": q}))
            }
        }
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate"))
        .respond_with(echo("", false))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/language/translate/v2"))
        .and(header("x-goog-api-key", KEY))
        .respond_with(echo("", true))
        .mount(&server)
        .await;
    let glossary = "source\ttarget\tcomment\tstatus\tforbidden\tvariants\tcase\tby\tat\n南南合作\tSouth-South cooperation\t\tapproved\t\t\t\ttester\t2026-01-01T00:00:00Z\n";
    for (name, kind) in [("libre", "libretranslate"), ("gct", "google")] {
        let t = project(&format!(
            "[backends.{name}]\ntype = \"{kind}\"\nurl = \"{}\"\napi_key_env = \"TEST_KEY\"\n",
            server.uri()
        ))
        .env("TEST_KEY", KEY)
        .file("glossary/en.tsv", glossary);
        let (t, out) = run(t, &["translate", "en", "--backend", name]).await;
        out.success();
        assert_eq!(
            records(&t)[1]["target"],
            "EN 中国积极开展South-South cooperation。"
        );
    }
}

fn command_backend(args: &str) -> String {
    let script = crate::support::repo().join("tests/data/mt-echo.py");
    format!(
        "[backends.local]\ntype = \"command\"\ncommand = [\"python3\", \"{}\"{args}]\n",
        script.display()
    )
}

/// The project, trusted to run its command backends (`duiyi trust`).
fn trusted(mut t: Test) -> Test {
    t.cmd(&["trust"]).success();
    t
}

#[test]
fn the_command_backend_speaks_json_lines_and_survives_a_crash() {
    if !have(Tool::Python3, "the command backend") {
        return;
    }
    let mut t = trusted(project(&command_backend("")));
    t.cmd(&["translate", "en", "--backend", "local"]).success();
    assert_eq!(records(&t)[0]["target"], "EN 中国坚持推动一带一路建设。");

    let mut t = trusted(project(&command_backend(", \"--crash-after\", \"1\"")));
    let out = t.cmd(&["translate", "en", "--backend", "local"]).code(1);
    assert!(out.stdout.contains("stopped answering"), "{}", out.stdout);
    let landed = records(&t).iter().filter(|r| r["target"] != "").count();
    assert_eq!(landed, 1);
}

#[test]
fn a_killed_run_leaves_the_store_intact_and_a_rerun_completes_it() {
    if !have(
        Tool::Python3,
        "resuming a killed run of the command backend",
    ) {
        return;
    }
    let text: String = (1..=30)
        .flat_map(|i| ["第".to_string(), i.to_string(), "段内容。\n".to_string()])
        .collect();
    let t = trusted(
        Test::new()
            .config(&format!(
                "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n{}concurrency = 1\n",
                command_backend(", \"--sleep\", \"0.1\"")
            ))
            .source("doc", &text),
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("duiyi"))
        .args(["translate", "en", "--backend", "local"])
        .current_dir(t.path())
        .env("DUIYI_USER", "tester")
        .env("DUIYI_CONFIG_DIR", t.config_dir())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Kill it once some translations have landed (however slow the machine is), long before
    // the 30 × 0.1 s of the whole run.
    let store = t.path().join("translations/en/doc.jsonl");
    let landed = || {
        std::fs::read_to_string(&store).map_or(0, |s| {
            s.lines().filter(|l| l.contains("\"target\":\"EN")).count()
        })
    };
    let started = std::time::Instant::now();
    while landed() == 0 && started.elapsed() < Duration::from_mins(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    let done = records(&t).iter().filter(|r| r["target"] != "").count();
    assert!(done > 0 && done < 30, "{done}");
    let mut t = t;
    t.cmd(&["translate", "en", "--backend", "local"]).success();
    assert!(records(&t).iter().all(|r| r["target"] != ""));
}

#[test]
fn the_memory_backend_reuses_translations_with_their_score() {
    let mut t = Test::new()
        .source(
            "doc",
            "中国坚持走和平发展道路。\n中国始终坚持走和平发展道路。\n完全不同。\n",
        )
        .env("DUIYI_USER", "tester");
    t.set(
        "en",
        "front¶1",
        "China follows the path of peaceful development.",
    )
    .success();
    let out = t.cmd(&["translate", "en"]).success();
    assert!(out.stdout.contains("1 landed"), "{}", out.stdout);
    let recs = records(&t);
    assert_eq!(recs[1]["origin"], "memory");
    assert!(
        recs[1]["note"]
            .as_str()
            .unwrap_or("")
            .starts_with("memory match")
    );
    assert_eq!(recs[2]["target"], "");
}

#[test]
fn the_memory_backend_reads_tmx_files_in_memory() {
    let tmx = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="test" adminlang="en" srclang="zh" datatype="plaintext"/>
<body><tu><tuv xml:lang="zh"><seg>中国坚持走和平发展道路。</seg></tuv><tuv xml:lang="en"><seg>China keeps to the path of peaceful development.</seg></tuv></tu></body></tmx>
"#;
    let mut t = Test::new()
        .source("doc", "中国坚持走和平发展道路。\n完全不同。\n")
        .file("memory/legacy.tmx", tmx);
    let out = t.cmd(&["translate", "en"]).success();
    assert!(out.stdout.contains("1 landed"), "{}", out.stdout);
    let recs = records(&t);
    assert_eq!(
        recs[0]["target"],
        "China keeps to the path of peaceful development."
    );
    assert_eq!(recs[0]["origin"], "memory");
    // A broken TMX is an error naming the file.
    t = t.file("memory/legacy.tmx", "<tmx><body><tu>");
    t.cmd(&["translate", "en", "--overwrite"])
        .code(2)
        .stderr_has(&["legacy.tmx"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_glossary_violation_is_retried_once_strictly_then_flagged_with_the_term() {
    let server = MockServer::start().await;
    // The model ignores the term unless told strictly; the second segment never complies.
    Mock::given(method("POST"))
        .respond_with(|r: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&r.body).expect("json");
            let prompt = body["messages"][0]["content"].as_str().unwrap_or("");
            assert!(prompt.contains("一带一路 => Belt and Road Initiative"));
            let strict = prompt.contains("IMPORTANT");
            let start = prompt.rfind("Segments (JSON):\n").expect("segments") + 17;
            let segments: Vec<Value> = serde_json::from_str(prompt[start..].trim()).expect("json");
            let items: Vec<Value> = segments
                .iter()
                .map(|s| {
                    let source = s["source"].as_str().unwrap_or("");
                    let text = if source.contains("一带一路") && strict {
                        "China advances the Belt and Road Initiative."
                    } else if source.contains("一带一路") {
                        "China advances the Silk Road."
                    } else {
                        "China carries out South cooperation."
                    };
                    json!({"id": s["id"], "text": text})
                })
                .collect();
            ResponseTemplate::new(200).set_body_json(json!({
                "choices": [{"message": {"content": json!({"translations": items}).to_string()}}]
            }))
        })
        .mount(&server)
        .await;
    let glossary = "source\ttarget\tcomment\tstatus\tforbidden\tvariants\tcase\tby\tat\n\
        一带一路\tBelt and Road Initiative\t\tapproved\t\t\t\ttester\t2026-01-01T00:00:00Z\n\
        南南合作\tSouth-South cooperation\t\tapproved\t\t\t\ttester\t2026-01-01T00:00:00Z\n";
    let t = project(&openai(&server.uri(), ""))
        .env("TEST_KEY", KEY)
        .file("glossary/en.tsv", glossary);
    let (t, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    let out = out.success();
    assert!(
        out.stdout.contains("1 with glossary warnings"),
        "{}",
        out.stdout
    );
    let recs = records(&t);
    assert_eq!(
        recs[0]["target"],
        "China advances the Belt and Road Initiative."
    );
    assert!(recs[0].get("note").is_none(), "{}", recs[0]);
    assert!(
        recs[1]["note"].as_str().unwrap_or("").contains("南南合作"),
        "{}",
        recs[1]
    );
    assert_eq!(recs[1]["flags"], json!(["needs-review"]));
}

/// Five sentences: two close pairs and one close triple, for the memory.
const NEIGHBOURS: &str = "中国坚持走和平发展道路。\n中国始终坚持走和平发展道路。\n中国积极参与全球治理。\n中国积极参与全球经济治理。\n中国积极参与全球的治理。\n";
const PEACE: &str = "China follows the path of peaceful development.";
const ALWAYS: &str = "China has always followed the path of peaceful development.";
const GOVERNANCE: &str = "China takes an active part in global governance.";
const DRAFT: &str = "China takes part in global governance.";

/// Every record's fields except the one at `skip`.
fn all_but(records: &[Value], skip: usize) -> Vec<Value> {
    records
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != skip)
        .map(|(_, r)| r.clone())
        .collect()
}

/// Issue 13, reproduction 3: `translate --overwrite` with the memory backend matched each
/// segment against its own translation, demoting human work to memory drafts and dropping a
/// reviewer's rejection and note.
#[test]
fn overwrite_replaces_machine_drafts_only_and_human_text_only_when_asked() {
    let mut t = Test::new().source("doc", NEIGHBOURS);
    t.set("en", "front¶1", PEACE).success();
    t.set("en", "front¶2", ALWAYS).success();
    t.cmd(&[
        "review",
        "en",
        "reject",
        "front¶2",
        "--note",
        "say 'keeps to'",
        "--as",
        "rev",
    ])
    .success();
    t.set("en", "front¶3", GOVERNANCE).success();
    t.cmd(&["set", "en", "front¶5", DRAFT, "--state", "initial"])
        .success();

    // The untranslated segment gets a memory draft from its neighbour.
    let first = t.cmd(&["translate", "en", "--json"]).success().json();
    assert_eq!(
        (first["selected"].as_u64(), first["landed"].as_u64()),
        (Some(1), Some(1))
    );
    let recs = records(&t);
    assert_eq!(recs[3]["target"], GOVERNANCE);
    assert_eq!(recs[3]["origin"], "memory");
    let human = all_but(&recs, 3);
    let journal = t.read("translations/en/history.jsonl");

    // --overwrite redoes the machine draft and nothing else.
    let out = t
        .cmd(&["translate", "en", "--overwrite", "--json"])
        .success()
        .json();
    assert_eq!(out["selected"], 1, "{out}");
    assert_eq!(out["kept_human"], 4, "{out}");
    assert_eq!(all_but(&records(&t), 3), human);
    let rejected = &records(&t)[1];
    assert_eq!(rejected["flags"], json!(["rejected"]));
    assert_eq!(rejected["note"], "say 'keeps to'");
    assert_eq!(rejected["origin"], "human");
    let after = t.read("translations/en/history.jsonl");
    for line in after[journal.len()..].lines() {
        let event: Value = serde_json::from_str(line).expect("event");
        assert_eq!(event["ref"], "front¶4.1", "{line}");
    }
    t.cmd(&["translate", "en", "--overwrite"])
        .success()
        .stdout_has(&["4 segment(s) with human text kept", "--overwrite-human"]);

    // --overwrite-human replaces human text that another segment's translation matches; the
    // old text stays in the journal.
    let out = t
        .cmd(&["translate", "en", "--overwrite-human", "--json"])
        .success()
        .json();
    assert_eq!(out["selected"], 5, "{out}");
    assert_eq!(out["kept_human"], 0, "{out}");
    let recs = records(&t);
    assert_eq!(recs[1]["target"], PEACE);
    assert_eq!(recs[1]["state"], "initial");
    assert_eq!(recs[1]["flags"], json!(["needs-review"]));
    assert_eq!(recs[1]["origin"], "memory");
    assert_eq!(recs[4]["target"], GOVERNANCE);
    // Nothing offered a segment its own text: the first and third kept theirs.
    assert_eq!(recs[0], human[0]);
    assert_eq!(recs[2], human[2]);
    t.cmd(&["log", "en", "front¶2"])
        .success()
        .stdout_has(&[&format!("“{ALWAYS}” → “{PEACE}”")]);
    t.cmd(&["log", "en", "front¶5"])
        .success()
        .stdout_has(&[&format!("“{DRAFT}” → “{GOVERNANCE}”")]);
}

/// An OpenAI-shaped server answering "EN<n> <source>", `n` counting the requests it answered.
fn counting(
    server_calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> impl wiremock::Respond {
    move |request: &wiremock::Request| {
        let n = server_calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let body: Value = serde_json::from_slice(&request.body).expect("json body");
        let prompt = body["messages"][0]["content"].as_str().unwrap_or("");
        let start = prompt.rfind("Segments (JSON):\n").expect("segments") + 17;
        let segments: Vec<Value> =
            serde_json::from_str(prompt[start..].trim()).expect("segments json");
        let items: Vec<Value> = segments
            .iter()
            .map(|s| json!({"id": s["id"], "text": format!("EN{n} {}", s["source"].as_str().unwrap_or(""))}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"message": {"content": json!({"translations": items}).to_string()}}]
        }))
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_asks_the_backend_again_and_replaces_the_cached_answer() {
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(counting(calls.clone()))
        .mount(&server)
        .await;
    let asked = || calls.load(std::sync::atomic::Ordering::SeqCst);
    let t = project(&openai(&server.uri(), "")).env("TEST_KEY", KEY);
    let (t, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    out.success();
    assert_eq!(asked(), 1);
    assert_eq!(records(&t)[0]["target"], "EN1 中国坚持推动一带一路建设。");

    // Redoing the drafts without --refresh serves the cache: nothing is asked.
    let (t, out) = run(
        t,
        &[
            "translate",
            "en",
            "--backend",
            "llm",
            "--overwrite",
            "--json",
        ],
    )
    .await;
    let summary = out.success().json();
    assert_eq!(
        (summary["landed"].as_u64(), summary["cached"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(asked(), 1);

    // --refresh asks again, and the new answer lands and replaces the cached one.
    let (t, out) = run(
        t,
        &[
            "translate",
            "en",
            "--backend",
            "llm",
            "--overwrite",
            "--refresh",
            "--json",
        ],
    )
    .await;
    let summary = out.success().json();
    assert_eq!(
        (summary["landed"].as_u64(), summary["cached"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(asked(), 2);
    assert_eq!(records(&t)[0]["target"], "EN2 中国坚持推动一带一路建设。");
    let (t, out) = run(t, &["translate", "en", "--backend", "llm", "--overwrite"]).await;
    out.success();
    assert_eq!(asked(), 2);
    assert_eq!(records(&t)[1]["target"], "EN2 中国积极开展南南合作。");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_segment_is_counted_once_however_many_rounds_it_took() {
    let server = MockServer::start().await;
    // One segment per request: the first complies with the glossary only when told strictly,
    // the second complies at once, the third fails.
    Mock::given(method("POST"))
        .respond_with(|r: &wiremock::Request| {
            let body: Value = serde_json::from_slice(&r.body).expect("json");
            let prompt = body["messages"][0]["content"].as_str().unwrap_or("");
            let strict = prompt.contains("IMPORTANT");
            let start = prompt.rfind("Segments (JSON):\n").expect("segments") + 17;
            let segments: Vec<Value> = serde_json::from_str(prompt[start..].trim()).expect("json");
            let source = segments[0]["source"].as_str().unwrap_or("");
            let text = if source.contains("失败") {
                return ResponseTemplate::new(400)
                    .set_body_json(json!({"error": {"message": "refused"}}));
            } else if source.contains("一带一路") && strict {
                "China advances the Belt and Road Initiative."
            } else if source.contains("一带一路") {
                "China advances the Silk Road."
            } else {
                "China carries out cooperation."
            };
            ResponseTemplate::new(200).set_body_json(json!({
                "choices": [{"message": {"content": json!({"translations": [{"id": segments[0]["id"], "text": text}]}).to_string()}}]
            }))
        })
        .mount(&server)
        .await;
    let t = Test::new()
        .config(&format!(
            "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n{}",
            openai(&server.uri(), "batch = 1\n")
        ))
        .source("doc", "中国坚持推动一带一路建设。\n中国积极开展合作。\n这一句会失败。\n")
        .env("TEST_KEY", KEY)
        .file(
            "glossary/en.tsv",
            "source\ttarget\tcomment\tstatus\tforbidden\tvariants\tcase\tby\tat\n一带一路\tBelt and Road Initiative\t\tapproved\t\t\t\ttester\t2026-01-01T00:00:00Z\n",
        );
    let (t, out) = run(t, &["translate", "en", "--backend", "llm", "--json"]).await;
    let summary = out.code(1).json();
    assert_eq!(summary["selected"], 3, "{summary}");
    assert_eq!(summary["landed"], 2, "{summary}");
    assert_eq!(
        summary["failed"].as_array().map(Vec::len),
        Some(1),
        "{summary}"
    );
    assert_eq!(summary["failed"][0]["ref"], "front¶3.1");
    assert_eq!(summary["flagged"], json!([]), "{summary}");
    let recs = records(&t);
    assert_eq!(
        recs[0]["target"],
        "China advances the Belt and Road Initiative."
    );
    assert!(recs[0].get("note").is_none(), "{}", recs[0]);
    assert_eq!(recs[2]["target"], "");
}

/// Issue 14: Ctrl-C during a run saves what landed and exits 130, as shells expect.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_saves_what_landed_and_exits_130() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(move |r: &wiremock::Request| {
            answer_all(r).set_delay(Duration::from_millis(200))
        })
        .mount(&server)
        .await;
    let text: String = (1..=30)
        .flat_map(|i| ["第".to_string(), i.to_string(), "段内容。\n".to_string()])
        .collect();
    let t = Test::new()
        .config(&format!(
            "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n{}",
            openai(&server.uri(), "batch = 1\nconcurrency = 1\n")
        ))
        .source("doc", &text)
        .env("TEST_KEY", KEY);
    let root = t.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("duiyi"))
            .args(["translate", "en", "--backend", "llm"])
            .current_dir(&root)
            .env("DUIYI_USER", "tester")
            .env("TEST_KEY", KEY)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        // Interrupt once some translations have landed (however slow the machine is), long
        // before the 30 × 0.2 s of the whole run.
        let store = root.join("translations/en/doc.jsonl");
        let landed = || {
            std::fs::read_to_string(&store).map_or(0, |s| {
                s.lines().filter(|l| l.contains("\"target\":\"EN")).count()
            })
        };
        let started = std::time::Instant::now();
        while landed() == 0 && started.elapsed() < Duration::from_mins(2) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let sent = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill -INT");
        assert!(sent.success());
        child.wait_with_output().expect("wait")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(130),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("interrupted: run again to resume"),
        "{stdout}"
    );
    let done = records(&t).iter().filter(|r| r["target"] != "").count();
    assert!(done > 0 && done < 30, "{done}");
    // The journal has an entry for every draft that landed.
    let journal = t.read("translations/en/history.jsonl");
    assert_eq!(journal.lines().count(), done);
    let (t, out) = run(t, &["translate", "en", "--backend", "llm"]).await;
    out.success();
    assert!(records(&t).iter().all(|r| r["target"] != ""));
}
