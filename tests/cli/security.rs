//! Hostile projects, hostile files and faulty engines (docs/security.md): a cloned project runs
//! no program until trusted, answers and waits are bounded, keys stay with their host, a hung
//! engine is replaced, nothing is dropped silently, invisible characters never reach an edition.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Test, repo};

const SOURCE: &str = "中国坚持推动一带一路建设。\n中国积极开展南南合作。\n";

fn records(t: &Test) -> Vec<Value> {
    t.read("translations/en/doc.jsonl")
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect()
}

fn with_backend(table: &str) -> Test {
    Test::new()
        .config(&format!(
            "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n{table}"
        ))
        .source("doc", SOURCE)
        .env("DUIYI_BACKOFF_MS", "10")
}

/// `[backends.NAME]` running tests/data/mt-echo.py with `args` (a TOML list tail).
fn echo_engine(name: &str, args: &str) -> String {
    let script = repo().join("tests/data/mt-echo.py");
    format!(
        "[backends.{name}]\ntype = \"command\"\ncommand = [\"python3\", \"{}\"{args}]\n",
        script.display()
    )
}

/// Runs the binary off the async runtime (wiremock servers live on it).
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

// --- A cloned project can run programs -------------------------------------------------------

#[test]
fn a_command_backend_runs_only_in_a_trusted_project_with_the_trusted_duiyi_toml() {
    let pids = tempfile::tempdir().expect("tmp");
    let pid_file = pids.path().join("pids");
    let table = echo_engine(
        "local",
        &format!(", \"--pid-file\", \"{}\"", pid_file.display()),
    );
    let mut t = with_backend(&table);
    let root = t.path().display().to_string();

    // Untrusted: refused before anything runs, saying what would run and how to trust.
    let out = t.cmd(&["translate", "en", "--backend", "local"]).code(2);
    insta::assert_snapshot!(
        "untrusted_command_backend",
        out.stderr
            .replace(&root, "[PROJECT]")
            .replace(&repo().display().to_string(), "[REPO]")
            .replace(&pid_file.display().to_string(), "[PIDS]")
    );
    assert!(!pid_file.exists(), "the engine ran in an untrusted project");
    t.cmd(&["trust", "--status"])
        .code(1)
        .stdout_has(&["not trusted", "[backends.local] runs"]);

    // Trusted: it runs. The trust is recorded in the user's folder, not in the project.
    t.cmd(&["trust"])
        .success()
        .stdout_has(&["trusted", "[backends.local] runs [\"python3\""]);
    assert!(
        std::fs::read_dir(t.config_dir().join("trusted"))
            .expect("trusted/")
            .count()
            == 1
    );
    t.cmd(&["trust", "--status"]).success();
    t.cmd(&["translate", "en", "--backend", "local"]).success();
    assert_eq!(records(&t)[0]["target"], "EN 中国坚持推动一带一路建设。");
    assert!(pid_file.exists());

    // Any change to duiyi.toml needs trusting again.
    let changed = format!("{}\n# a harmless-looking comment\n", t.read("duiyi.toml"));
    let mut t = t.file("duiyi.toml", changed);
    t.cmd(&["translate", "en", "--backend", "local", "--overwrite"])
        .code(2)
        .stderr_has(&[
            "duiyi.toml changed since you trusted this project",
            "duiyi trust",
        ]);
    t.cmd(&["trust", "--status"])
        .code(1)
        .stdout_has(&["changed"]);
    t.cmd(&["trust"]).success();
    t.cmd(&["translate", "en", "--backend", "local", "--overwrite"])
        .success();

    // Revoked: refused again.
    t.cmd(&["trust", "--revoke"])
        .success()
        .stdout_has(&["no longer trusted"]);
    t.cmd(&["translate", "en", "--backend", "local", "--overwrite"])
        .code(2)
        .stderr_has(&["this project is not trusted"]);
}

#[test]
fn built_in_backend_names_cannot_be_redefined_as_commands() {
    for name in ["memory", "openai", "deepl", "libretranslate", "google"] {
        let mut t = with_backend(&echo_engine(name, ""));
        // A plain `duiyi translate` (the memory backend) would otherwise run the program.
        let out = t.cmd(&["translate", "en"]).code(2);
        assert!(
            out.stderr
                .contains(&format!("[backends.{name}] cannot be a command")),
            "{}",
            out.stderr
        );
        // Trusting does not make it acceptable.
        t.cmd(&["trust"]).code(2);
    }
    // A command table by another name is fine once trusted.
    let mut t = with_backend(&echo_engine("memory-local", ""));
    t.cmd(&["trust"]).success();
    t.cmd(&["translate", "en", "--backend", "memory-local"])
        .success();
}

// --- No limits on what comes in --------------------------------------------------------------

const KEY: &str = "sk-TEST-SECRET-4242";

fn libre(url: &str, extra: &str) -> String {
    format!(
        "[backends.libre]\ntype = \"libretranslate\"\nurl = \"{url}\"\napi_key_env = \"TEST_KEY\"\nretries = 0\n{extra}"
    )
}

fn google(url: &str, extra: &str) -> String {
    format!(
        "[backends.gct]\ntype = \"google\"\nurl = \"{url}\"\napi_key_env = \"TEST_KEY\"\nretries = 0\n{extra}"
    )
}

// The answer of a LibreTranslate server to any request: "EN " + each text.
fn libre_echo(r: &wiremock::Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&r.body).expect("json");
    let q: Vec<String> = body["q"]
        .as_array()
        .expect("q")
        .iter()
        .map(|v| format!("EN {}", v.as_str().unwrap_or("")))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({ "translatedText": q }))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_answer_larger_than_max_answer_bytes_is_not_read() {
    let server = MockServer::start().await;
    let huge = json!({ "translatedText": ["x".repeat(200_000), "y"] });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(huge))
        .mount(&server)
        .await;
    let t = with_backend(&libre(&server.uri(), "max_answer_bytes = 10000\n")).env("TEST_KEY", KEY);
    let (t, out) = run(t, &["translate", "en", "--backend", "libre"]).await;
    let out = out.code(1);
    assert!(
        out.stdout.contains(
            "libre: the answer is larger than 10000 bytes (max_answer_bytes in [backends.libre])"
        ),
        "{}",
        out.stdout
    );
    assert!(records(&t).iter().all(|r| r["target"] == ""));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_retry_after_beyond_max_wait_fails_at_once_instead_of_sleeping() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "86400"))
        .mount(&server)
        .await;
    // Retries are allowed, but a wait of a day is not: the run ends with a clear message.
    let t = with_backend(&libre(&server.uri(), "").replace("retries = 0", "retries = 3"))
        .env("TEST_KEY", KEY);
    let (_, out) = run(t, &["translate", "en", "--backend", "libre"]).await;
    let out = out.code(1);
    assert!(
        out.stdout.contains("libre: the server answered 429 and asked to wait 86400s before trying again (Retry-After), longer than max_wait = 60s in [backends.libre]"),
        "{}",
        out.stdout
    );
    // A smaller max_wait is honoured too; a wait within it is waited for (the earlier
    // backends test shows Retry-After: 1 succeeding).
    let t = with_backend(&libre(&server.uri(), "max_wait = 5\n")).env("TEST_KEY", KEY);
    let (_, out) = run(t, &["translate", "en", "--backend", "libre"]).await;
    assert!(out.code(1).stdout.contains("longer than max_wait = 5s"));
}

// --- API keys leave where they should not ----------------------------------------------------

/// Every request `server` received, as text (headers and body).
async fn seen(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| format!("{:?}\n{}", r.headers, String::from_utf8_lossy(&r.body)))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_to_another_host_is_not_followed_and_the_key_stays_home() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(libre_echo)
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    // 307 and 308 keep the method and the body (LibreTranslate's key); 302 drops the body but
    // keeps headers (Google's key).
    for (status, at) in [(307, "/translate"), (302, "/language/translate/v2")] {
        Mock::given(method("POST"))
            .and(path(at))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("Location", format!("{}{at}", elsewhere.uri()).as_str()),
            )
            .mount(&server)
            .await;
    }
    for table in [libre(&server.uri(), ""), google(&server.uri(), "")] {
        let name = if table.contains("libre") {
            "libre"
        } else {
            "gct"
        };
        let t = with_backend(&table).env("TEST_KEY", KEY);
        let (t, out) = run(t, &["translate", "en", "--backend", name]).await;
        let out = out.code(1);
        assert!(
            out.stdout
                .contains("redirected to another host (127.0.0.1:"),
            "{}",
            out.stdout
        );
        assert!(records(&t).iter().all(|r| r["target"] == ""));
    }
    assert!(
        seen(&elsewhere).await.is_empty(),
        "the other host was asked"
    );

    // A redirect on the same host (a moved path) is followed, key and all.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/translate"))
        .respond_with(ResponseTemplate::new(308).insert_header(
            "Location",
            format!("{}/v2/translate", server.uri()).as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/translate"))
        .respond_with(libre_echo)
        .mount(&server)
        .await;
    let t = with_backend(&libre(&server.uri(), "")).env("TEST_KEY", KEY);
    let (t, out) = run(t, &["translate", "en", "--backend", "libre"]).await;
    out.success();
    assert_eq!(records(&t)[1]["target"], "EN 中国积极开展南南合作。");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_error_body_echoing_the_key_is_printed_redacted() {
    let server = MockServer::start().await;
    let echo = |r: &wiremock::Request| {
        let body = String::from_utf8_lossy(&r.body).into_owned();
        let header = r
            .headers
            .get("x-goog-api-key")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_string();
        ResponseTemplate::new(400).set_body_json(
            json!({ "error": { "message": format!("invalid request {body} with key {header}") } }),
        )
    };
    Mock::given(method("POST"))
        .respond_with(echo)
        .mount(&server)
        .await;
    for (name, table) in [
        ("libre", libre(&server.uri(), "")),
        ("gct", google(&server.uri(), "")),
    ] {
        let t = with_backend(&table).env("TEST_KEY", KEY);
        let (t, out) = run(t, &["translate", "en", "--backend", name]).await;
        let out = out.code(1);
        assert!(out.stdout.contains("[redacted]"), "{}", out.stdout);
        assert!(
            !out.stdout.contains(KEY) && !out.stderr.contains(KEY),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains("4242"), "{}", out.stdout);
        drop(t);
    }
}

// --- One timeout breaks the command backend for the rest of the run --------------------------

/// The live (not zombie) processes of process group `group`, from /proc.
fn live_members(group: u32) -> Vec<String> {
    let mut live = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ')'.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let fields: Vec<&str> = after.split_whitespace().collect();
        if fields.get(2).and_then(|p| p.parse::<u32>().ok()) == Some(group) && fields[0] != "Z" {
            live.push(stat);
        }
    }
    live
}

#[test]
fn after_a_timeout_the_engine_is_restarted_and_its_whole_process_group_is_gone() {
    let text: String = (1..=8)
        .flat_map(|i| ["第".to_string(), i.to_string(), "段内容。\n".to_string()])
        .collect();
    let pids = tempfile::tempdir().expect("tmp");
    let pid_file = pids.path().join("pids");
    // The engine behind `sh -c` (which stays its parent): it never answers segment 2.
    let script = repo().join("tests/data/mt-echo.py");
    let shell = format!(
        "python3 '{}' --hang-on 第2段 --pid-file '{}'; true",
        script.display(),
        pid_file.display()
    );
    let mut t = Test::new()
        .config(&format!(
            "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n[backends.local]\ntype = \"command\"\ncommand = [\"sh\", \"-c\", {shell:?}]\ntimeout = 1\nretries = 0\nconcurrency = 1\n"
        ))
        .source("doc", &text);
    t.cmd(&["trust"]).success();
    let out = t.cmd(&["translate", "en", "--backend", "local"]).code(1);
    assert!(
        out.stdout
            .contains("failed front¶2.1: local: no answer within 1s"),
        "{}",
        out.stdout
    );
    // Every other segment landed, each with its own translation.
    let recs = records(&t);
    for (i, r) in recs.iter().enumerate() {
        let expected = if i == 1 {
            String::new()
        } else {
            format!("EN 第{}段内容。", i + 1)
        };
        assert_eq!(r["target"], expected.as_str(), "{r}");
    }
    // Two engines ran (the first was killed at the timeout), and none survives: neither the
    // shell nor the python3 it started.
    let started = std::fs::read_to_string(&pid_file).expect("pid file");
    assert_eq!(started.lines().count(), 2, "{started}");
    for line in started.lines() {
        let group: u32 = line
            .split_whitespace()
            .nth(1)
            .and_then(|g| g.parse().ok())
            .expect("pgid");
        let live = live_members(group);
        assert!(live.is_empty(), "still running: {live:?}");
    }
}

// --- Silent drops ----------------------------------------------------------------------------

#[test]
fn publishing_xliff_with_a_broken_glossary_is_an_error_naming_the_line() {
    let header = "source\ttarget\tcomment\tstatus\tforbidden\tvariants\tcase\tby\tat\n";
    let mut t = Test::new().source("doc", SOURCE);
    t.set("en", "front¶1.1", "China promotes the Belt and Road.")
        .success();
    // No glossary at all is fine.
    t.cmd(&["publish", "en", "--format", "xliff"]).success();
    let mut t = t.file(
        "glossary/en.tsv",
        format!("{header}一带一路\tBelt and Road Initiative\t\tapproved\t\t\t\ttester\t2026-01-01T00:00:00Z\n南南合作\tSouth-South\t\tapprovd\t\t\t\ttester\t2026-01-01T00:00:00Z\n"),
    );
    let out = t.cmd(&["publish", "en", "--format", "xliff"]).code(2);
    assert!(out.stderr.contains("glossary/en.tsv:3"), "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn source_files_with_spaces_and_apostrophes_are_documents() {
    let mut t = Test::new()
        .file("source/China's Path 2021.txt", "中国坚持和平发展。\n")
        .file("source/white paper (draft).txt", "中国积极开展南南合作。\n");
    let out = t.cmd(&["stats", "--json"]).success();
    let docs: Vec<String> = out
        .json()
        .as_array()
        .expect("array")
        .iter()
        .map(|d| d["doc"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        docs,
        ["China-s-Path-2021", "white-paper-draft"],
        "{}",
        out.stdout
    );
    t.cmd(&[
        "set",
        "en",
        "front¶1.1",
        "China keeps to peaceful development.",
        "--doc",
        "China-s-Path-2021",
    ])
    .success();
    assert!(
        t.read("translations/en/China-s-Path-2021.jsonl")
            .contains("China keeps")
    );

    // Two names that give one id: an error naming both, not a silent choice.
    let mut t = t.file("source/China-s Path 2021.txt", "另一个文件。\n");
    t.cmd(&["stats"]).code(2).stderr_has(&[
        "China's Path 2021.txt",
        "China-s Path 2021.txt",
        "rename one of them",
    ]);
    // A name of which no id can be made: an error saying how to rename it.
    let mut t = Test::new().file("source/'''.txt", "中国。\n");
    t.cmd(&["stats"])
        .code(2)
        .stderr_has(&["'''.txt", "rename the file"]);
}

#[test]
fn a_gb18030_file_cut_in_a_character_names_the_real_offset_and_line() {
    let mut bytes = encoding_rs::GB18030
        .encode("前言\n中国是发展中国家。\n")
        .0
        .into_owned();
    let offset = bytes.len();
    bytes.push(0xD6); // the first byte of 中
    let mut t = Test::new().file("source/gb.txt", &bytes);
    t.cmd(&["stats"]).code(2).stderr_has(&[
        "source/gb.txt",
        &format!("invalid gb18030 at byte offset {offset} (line 3)"),
    ]);
}

// --- Invisible characters --------------------------------------------------------------------

/// A project whose stored English target of front¶1.1 holds U+202E (a store edited by hand:
/// `duiyi set` refuses such input).
fn with_override() -> Test {
    let mut t = Test::new().source("doc", SOURCE);
    t.set("en", "front¶1.1", "China promotes the MARKBelt and Road.")
        .success();
    t.set("en", "front¶2.1", "China pursues South-South cooperation.")
        .success();
    let store = t
        .read("translations/en/doc.jsonl")
        .replace("MARK", "\\u202e");
    t.file("translations/en/doc.jsonl", store)
}

#[test]
fn check_reports_invisible_characters_as_errors() {
    let mut t = with_override();
    let out = t
        .cmd(&["check", "en", "--only", "invisible", "--json"])
        .code(1);
    let findings = out.json();
    assert_eq!(
        findings,
        json!([{
            "doc": "doc",
            "ref": "front¶1.1",
            "id": findings[0]["id"],
            "check": "invisible",
            "severity": "error",
            "message": "invisible characters in the target: U+202E (right-to-left override); retype the translation without them"
        }])
    );
    // The human output names the character, never prints it.
    let out = t.cmd(&["check", "en"]).code(1);
    assert!(
        out.stdout
            .contains("invisible    invisible characters in the target: U+202E"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains('\u{202E}'));
}

#[test]
fn no_output_format_carries_a_bidi_override() {
    let mut t = with_override();
    for format in [
        "html", "docx", "epub", "md", "txt", "xliff", "tmx", "report",
    ] {
        let out = t
            .cmd(&["publish", "en", "--format", format, "--draft"])
            .code(1);
        assert_eq!(
            out.stderr,
            "error: doc en front¶1.1: the target holds U+202E (right-to-left override), invisible characters that would reach the output as they are; publishing refused. Retype that translation (`duiyi check en --only invisible` lists every one)\n",
            "{format}"
        );
        assert!(
            !t.path().join("editions").exists(),
            "{format}: something was written"
        );
    }
    // Once the translation is retyped, every format publishes, and none holds the character.
    let store = t.read("translations/en/doc.jsonl").replace("\\u202e", "");
    let mut t = t.file("translations/en/doc.jsonl", store);
    t.cmd(&["publish", "en", "--format", "html,md,txt,xliff,tmx"])
        .success();
    for entry in std::fs::read_dir(t.path().join("editions")).expect("editions") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("text output");
        assert!(text.contains("Belt and Road"), "{}", path.display());
        assert!(!text.contains('\u{202E}'), "{}", path.display());
    }
}

#[test]
fn a_source_with_a_bidi_override_is_reported_and_not_published() {
    let mut t = Test::new().source("doc", "中国坚持\u{202E}和平发展。\n");
    t.set("en", "front¶1.1", "China keeps to peaceful development.")
        .success();
    let out = t.cmd(&["check", "en", "--only", "invisible"]).code(1);
    assert!(
        out.stdout
            .contains("invisible characters in the source: U+202E (right-to-left override)"),
        "{}",
        out.stdout
    );
    t.cmd(&["publish", "en", "--format", "html"])
        .code(1)
        .stderr_has(&["doc front¶1.1: the source holds U+202E", "source/doc.txt"]);
}
