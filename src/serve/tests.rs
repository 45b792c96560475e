//! Handler tests: every endpoint of the API and the pages, through the router without a
//! listener (tower's `oneshot`), on a project in a temporary folder.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::app;
use crate::glossary::{Stamp, Term};
use crate::project::Project;
use crate::review::Action;
use crate::store::{self, record::Origin};

const SOURCE: &str = "一、总论\n中国对外援助资金达到3000亿元。\n中国坚持共同发展。\n二、分论\n中国始终坚持共同发展。\n";

/// A project with one document and `[review]` settings `review` (TOML lines).
fn project(review: &str) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    crate::project::init(dir.path(), "zh", &["en".into()]).unwrap();
    let toml = dir.path().join("duiyi.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config = format!("{config}\n[review]\n{review}\n");
    std::fs::write(&toml, config).unwrap();
    let p = Project::open(dir.path()).unwrap();
    std::fs::write(p.source_dir().join("paper.txt"), SOURCE).unwrap();
    (dir, p)
}

fn set(p: &Project, what: &str, text: &str, who: &str) {
    let spec = p.document("paper").unwrap();
    let action = Action::Edit {
        target: text,
        state: None,
    };
    store::apply_one(
        p,
        &spec,
        "en",
        what,
        &action,
        None,
        who,
        Some(Origin::Human),
    )
    .unwrap();
}

async fn send(p: &Project, user: &str, request: Request<Body>) -> (StatusCode, Value) {
    let response = app(p.clone(), user.into()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

fn get(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).unwrap()
}

fn with_json(method: &str, uri: &str, body: &Value) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

/// `¶` in a path, percent-encoded as a browser sends it.
fn path(r#ref: &str) -> String {
    r#ref.replace('¶', "%C2%B6")
}

fn refs(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["ref"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn segments_are_listed_filtered_and_paged_with_their_total() {
    let (_dir, p) = project("self_review = false");
    set(
        &p,
        "1¶2.1",
        "China stays committed to common development.",
        "ana",
    );
    let (status, page) = send(&p, "ana", get("/api/v1/en/segments")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["total"], 5);
    assert_eq!(refs(&page), ["1¶0.1", "1¶1.1", "1¶2.1", "2¶0.1", "2¶1.1"]);
    let first = &page["items"][0];
    assert_eq!(first["role"], "heading");
    assert_eq!(first["source"], "一、总论");
    assert_eq!(first["state"], "initial");
    assert_eq!(
        first["revision"],
        store::record::base("", store::record::State::Initial)
    );
    assert_eq!(page["items"][1]["role"], "paragraph");
    assert_eq!(
        page["items"][2]["target"],
        "China stays committed to common development."
    );

    let (_, paged) = send(&p, "ana", get("/api/v1/en/segments?offset=1&limit=2")).await;
    assert_eq!(
        (paged["total"].as_u64(), refs(&paged)),
        (Some(5), vec!["1¶1.1", "1¶2.1"])
    );
    let (_, translated) = send(&p, "ana", get("/api/v1/en/segments?state=translated")).await;
    assert_eq!(refs(&translated), ["1¶2.1"]);
    let (_, text) = send(&p, "ana", get("/api/v1/en/segments?q=COMMON")).await;
    assert_eq!(refs(&text), ["1¶2.1"]);
    let (_, section) = send(&p, "ana", get("/api/v1/en/segments?section=2&doc=paper")).await;
    assert_eq!(refs(&section), ["2¶0.1", "2¶1.1"]);
    let (_, open) = send(&p, "ana", get("/api/v1/en/segments?open=true")).await;
    assert_eq!(open["total"], 4);
    let (_, flagged) = send(&p, "ana", get("/api/v1/en/segments?flag=rejected")).await;
    assert_eq!(flagged["total"], 0);
}

#[tokio::test]
async fn bad_filters_are_json_errors_with_the_right_status() {
    let (_dir, p) = project("");
    for (uri, status, says) in [
        ("/api/v1/en/segments?state=done", 400, "state=\"done\""),
        ("/api/v1/en/segments?flag=odd", 400, "unknown flag"),
        ("/api/v1/en/segments?limit=0", 400, "limit=0"),
        ("/api/v1/en/segments?offset=-1", 400, "offset"),
        (
            "/api/v1/en/segments?colour=red",
            400,
            "unknown parameter \"colour\"",
        ),
        (
            "/api/v1/en/segments?section=9",
            404,
            "no document has segment 9",
        ),
        ("/api/v1/en/segments?doc=nope", 404, "nope"),
        ("/api/v1/de/segments", 404, "de"),
        ("/api/v1/en/segments/9¶9.9", 404, "paper: no segment 9¶9.9"),
        (
            "/api/v1/en/segments/1%C2%B61?other=1",
            400,
            "unknown parameter",
        ),
        ("/api/v1/en/nothing", 404, "no such endpoint"),
    ] {
        let (got, body) = send(&p, "ana", get(&uri.replace('¶', "%C2%B6"))).await;
        assert_eq!(got.as_u16(), status, "{uri}: {body}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(error.contains(says), "{uri}: {error}");
    }
}

#[tokio::test]
async fn one_segment_by_ref_or_id_comes_with_its_history() {
    let (_dir, p) = project("");
    set(&p, "1¶1.1", "First.", "ana");
    set(&p, "1¶1.1", "Aid reached 300 billion yuan.", "li");
    let (status, by_ref) = send(
        &p,
        "ana",
        get(&format!("/api/v1/en/segments/{}", path("1¶1.1"))),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_ref["target"], "Aid reached 300 billion yuan.");
    assert_eq!(by_ref["author"], "li");
    assert_eq!(by_ref["headings"][0]["source"], "一、总论");
    let history = by_ref["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0]["who"].as_str(), history[0]["new"].as_str()),
        (Some("ana"), Some("First."))
    );
    let id = by_ref["id"].as_str().unwrap();
    let (status, by_id) = send(
        &p,
        "ana",
        get(&format!("/api/v1/en/segments/{id}?doc=paper")),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_id["ref"], "1¶1.1");
    // Another ref spelling names the same segment.
    let (_, plain) = send(&p, "ana", get("/api/v1/en/segments/1p1.1")).await;
    assert_eq!(plain["id"], id);
}

#[tokio::test]
async fn a_save_based_on_the_current_revision_is_written_and_checked() {
    let (_dir, p) = project("");
    let uri = format!("/api/v1/en/segments/{}", path("1¶1.1"));
    let (_, before) = send(&p, "ana", get(&uri)).await;
    let body = json!({"target": "Aid reached 30 billion yuan.", "base": before["revision"]});
    let (status, saved) = send(&p, "ana", with_json("PUT", &uri, &body)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["state"], "translated");
    assert_eq!(
        saved["revision"],
        store::record::base(
            "Aid reached 30 billion yuan.",
            store::record::State::Translated
        )
    );
    // 3000亿 is 300 billion: the numbers check says so after the save.
    let qa = saved["qa"].as_array().unwrap();
    assert!(qa.iter().any(|f| f["check"] == "numbers"), "{saved}");
    let stored = std::fs::read_to_string(store::store_path(&p, "en", "paper")).unwrap();
    assert!(stored.contains("Aid reached 30 billion yuan."));
    // The change is journaled as the server's user.
    let (_, after) = send(&p, "ana", get(&uri)).await;
    assert_eq!(after["history"][0]["who"], "ana");
}

#[tokio::test]
async fn a_stale_save_is_a_conflict_with_the_store_text_and_writes_nothing() {
    let (_dir, p) = project("");
    let uri = format!("/api/v1/en/segments/{}", path("1¶2.1"));
    let (_, seen) = send(&p, "ana", get(&uri)).await;
    // Meanwhile someone else writes it with the command line.
    set(&p, "1¶2.1", "Theirs.", "li");
    let file = store::store_path(&p, "en", "paper");
    let before = std::fs::read(&file).unwrap();
    let body = json!({"target": "Mine.", "base": seen["revision"]});
    let (status, conflict) = send(&p, "ana", with_json("PUT", &uri, &body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
    assert_eq!(conflict["base"], seen["revision"]);
    assert_eq!(conflict["store"]["target"], "Theirs.");
    assert_eq!(conflict["store"]["who"], "li");
    assert_eq!(
        conflict["store"]["revision"],
        store::record::base("Theirs.", store::record::State::Translated)
    );
    assert!(
        conflict["error"]
            .as_str()
            .unwrap()
            .contains("changed meanwhile")
    );
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[tokio::test]
async fn bad_saves_are_400_or_415_and_script_is_stored_as_text() {
    let (_dir, p) = project("");
    let uri = format!("/api/v1/en/segments/{}", path("1¶2.1"));
    let base = store::record::base("", store::record::State::Initial);
    for (body, says) in [
        (json!({"target": "", "base": base}), "empty"),
        (json!({"target": "two\nlines", "base": base}), "line"),
        (json!({"target": "x"}), "base"),
        (json!({"target": "x", "base": base, "extra": 1}), "extra"),
    ] {
        let (status, e) = send(&p, "ana", with_json("PUT", &uri, &body)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {e}");
        assert!(e["error"].as_str().unwrap().contains(says), "{body}: {e}");
    }
    let plain = Request::put(&uri).body(Body::from("x")).unwrap();
    let (status, e) = send(&p, "ana", plain).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(e["error"].is_string());
    let script = "<script>alert(1)</script>";
    let (status, _) = send(
        &p,
        "ana",
        with_json("PUT", &uri, &json!({"target": script, "base": base})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, back) = send(&p, "ana", get(&uri)).await;
    assert_eq!(back["target"], script);
}

#[tokio::test]
async fn review_applies_the_rules_and_four_eyes() {
    let (_dir, p) = project("reviewers = [\"li\", \"ana\"]");
    set(
        &p,
        "1¶2.1",
        "China stays committed to common development.",
        "ana",
    );
    let uri = format!("/api/v1/en/segments/{}/review", path("1¶2.1"));
    let base = store::record::base(
        "China stays committed to common development.",
        store::record::State::Translated,
    );
    // Nobody approves their own text.
    let approve = json!({"verdict": "approve", "base": base});
    let (status, e) = send(&p, "ana", with_json("POST", &uri, &approve)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("ana wrote this translation"),
        "{e}"
    );
    // Only the project's reviewers approve.
    let (status, e) = send(&p, "zhao", with_json("POST", &uri, &approve)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        e["error"]
            .as_str()
            .unwrap()
            .contains("only the project's reviewers"),
        "{e}"
    );
    // A reject needs a note; an unknown verdict is bad input.
    let (status, _) = send(
        &p,
        "li",
        with_json("POST", &uri, &json!({"verdict": "reject", "base": base})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, e) = send(
        &p,
        "li",
        with_json("POST", &uri, &json!({"verdict": "bless", "base": base})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(e["error"].as_str().unwrap().contains("unknown verdict"));
    // A stale verdict is a conflict.
    let old = json!({"verdict": "approve", "base": store::record::base("", store::record::State::Initial)});
    let (status, e) = send(&p, "li", with_json("POST", &uri, &old)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(e["store"]["revision"], base);
    // Another reviewer approves; finalizing an unreviewed segment is refused.
    let (status, ok) = send(&p, "li", with_json("POST", &uri, &approve)).await;
    assert_eq!(status, StatusCode::OK, "{ok}");
    assert_eq!(ok["state"], "reviewed");
    let other = format!("/api/v1/en/segments/{}/review", path("1¶1.1"));
    let initial = store::record::base("", store::record::State::Initial);
    let (status, e) = send(
        &p,
        "li",
        with_json(
            "POST",
            &other,
            &json!({"verdict": "finalize", "base": initial}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{e}");
    assert!(
        e["error"].as_str().unwrap().contains("cannot finalize"),
        "{e}"
    );
}

#[tokio::test]
async fn suggestions_bring_terms_memory_and_checks() {
    let (_dir, p) = project("");
    crate::glossary::project::store_of(&p)
        .update("en", |g| {
            let stamp = Stamp::now("wang");
            let change = g.add(
                Term::proposed("共同发展", "common development", "", "wang", ""),
                &stamp,
            )?;
            let mut changes = vec![change];
            changes.extend(g.approve("共同发展", None, false, None, &stamp)?);
            Ok(changes)
        })
        .unwrap();
    set(
        &p,
        "1¶2.1",
        "China stays committed to common development.",
        "ana",
    );
    set(
        &p,
        "2¶1.1",
        "China always stays committed to common development 中国.",
        "ana",
    );
    let uri = format!("/api/v1/en/segments/{}/suggestions", path("1¶2.1"));
    let (status, help) = send(&p, "ana", get(&uri)).await;
    assert_eq!(status, StatusCode::OK, "{help}");
    let term = &help["glossary"][0];
    assert_eq!(term["term"], "共同发展");
    assert_eq!(
        (term["start"].as_u64(), term["end"].as_u64()),
        (Some(4), Some(8))
    );
    assert_eq!(term["renderings"][0]["target"], "common development");
    assert_eq!(term["renderings"][0]["status"], "approved");
    // 中国始终坚持共同发展。 is like 中国坚持共同发展。: the memory offers its translation.
    let memory = help["memory"].as_array().unwrap();
    assert!(
        memory
            .iter()
            .any(|m| m["source"] == "中国始终坚持共同发展。"),
        "{help}"
    );
    let (_, other) = send(
        &p,
        "ana",
        get(&format!(
            "/api/v1/en/segments/{}/suggestions",
            path("2¶1.1")
        )),
    )
    .await;
    let qa = other["qa"].as_array().unwrap();
    assert!(qa.iter().any(|f| f["check"] == "untranslated"), "{other}");
    let (status, _) = send(
        &p,
        "ana",
        get("/api/v1/en/segments/9¶9.9/suggestions"
            .replace('¶', "%C2%B6")
            .as_str()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn events_report_changes_made_by_the_command_line() {
    let (_dir, p) = project("");
    set(&p, "1¶1.1", "Before the server.", "li");
    let response = app(p.clone(), "ana".into())
        .oneshot(get("/api/v1/events"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut stream = response.into_body().into_data_stream();
    set(&p, "1¶2.1", "Written with duiyi set.", "li");
    let mut seen = String::new();
    let found = tokio::time::timeout(std::time::Duration::from_mins(1), async {
        while let Some(Ok(chunk)) = stream.next().await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("Written with duiyi set.") {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(found, Ok(true), "{seen}");
    assert!(seen.starts_with("event: change\ndata: {"), "{seen}");
    // Only changes made after the server started are sent.
    assert!(!seen.contains("Before the server."), "{seen}");
    let data = seen.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
    let change: Value = serde_json::from_str(data).unwrap();
    assert_eq!(
        (change["lang"].as_str(), change["ref"].as_str()),
        (Some("en"), Some("1¶2.1"))
    );
    assert_eq!(
        (change["who"].as_str(), change["to"].as_str()),
        (Some("li"), Some("translated"))
    );
}

#[tokio::test]
async fn the_pages_are_served_with_a_strict_content_security_policy() {
    let (_dir, p) = project("");
    set(&p, "1¶1.1", "<b>bold</b>", "li");
    let response = app(p.clone(), "ana".into())
        .oneshot(get("/"))
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let response = (headers,);
    let csp = response.0[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe"),
        "{csp}"
    );
    let (_, dashboard) = send(&p, "ana", get("/")).await;
    let html = dashboard.as_str().unwrap();
    assert!(
        html.contains("<a href=\"/edit/en?doc=paper\">paper</a>"),
        "{html}"
    );
    assert!(html.contains("1/5 (20"), "{html}");
    assert!(html.contains("working as <strong>ana</strong>"));
    // The recent activity escapes what it shows.
    assert!(!html.contains("<b>bold</b>"));
    let (status, editor) = send(&p, "ana", get("/edit/en")).await;
    assert_eq!(status, StatusCode::OK);
    let editor = editor.as_str().unwrap();
    assert!(editor.contains("<script src=\"/assets/editor.js\"></script>"));
    assert!(editor.contains("data-lang=\"en\""));
    assert!(!editor.contains("<script>"), "no inline script");
    let (status, _) = send(&p, "ana", get("/edit/de")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let js = app(p.clone(), "ana".into())
        .oneshot(get("/assets/editor.js"))
        .await
        .unwrap();
    assert_eq!(
        js.headers()[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    let (status, _) = send(&p, "ana", get("/assets/other.js")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn requests_for_another_host_name_are_refused() {
    let (_dir, p) = project("");
    for (host, status) in [
        ("127.0.0.1:8470", StatusCode::OK),
        ("localhost:8470", StatusCode::OK),
        ("[::1]:8470", StatusCode::OK),
        ("attacker.example:8470", StatusCode::MISDIRECTED_REQUEST),
    ] {
        let request = Request::get("/api/v1/en/segments?limit=1")
            .header(header::HOST, host)
            .body(Body::empty())
            .unwrap();
        let (got, _) = send(&p, "ana", request).await;
        assert_eq!(got, status, "{host}");
    }
}

#[test]
fn only_loopback_addresses_are_served() {
    for host in ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"] {
        assert!(super::loopback(host).is_ok(), "{host}");
    }
    for host in ["0.0.0.0", "192.168.1.2", "example.org", "::"] {
        let e = super::loopback(host).unwrap_err().to_string();
        assert!(
            e.contains("until users and logins are configured"),
            "{host}: {e}"
        );
    }
}
