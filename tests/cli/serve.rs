//! `duiyi serve` in a real browser: the binary serves a project, headless Chromium drives the
//! editor over `WebDriver` (chromedriver), and the command line works on the same project at the
//! same time. Waiting is bounded polling of what the page shows, never a timing assertion.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::support::{Test, Tool, have};

const SOURCE: &str = "一、总论\n中国坚持共同发展。\n中国坚持开放合作。\n中国坚持互利共赢。\n二、分论\n中国愿分享发展经验。\n";

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `duiyi serve --port 0` in the project as `user`; returns the process and its URL,
/// the first line it prints.
fn serve(t: &Test, user: &str) -> (Running, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("duiyi"))
        .args(["serve", "--port", "0"])
        .current_dir(t.path())
        .env_remove("DUIYI_PROJECT")
        .env("DUIYI_USER", user)
        .env("DUIYI_CONFIG_DIR", t.config_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start duiyi serve");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let mut url = String::new();
    BufReader::new(stdout).read_line(&mut url).expect("the URL");
    let url = url.trim().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with('/'),
        "{url:?}"
    );
    (running, url)
}

/// Starts chromedriver on a free port and a headless Chromium session through it.
async fn browser(profile: &std::path::Path) -> (Running, Client) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let driver = Running(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
    );
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1400,1000",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    // chromedriver takes a moment to listen: bounded retries.
    for _ in 0..300 {
        let builder = ClientBuilder::rustls()
            .map(|mut b| {
                b.capabilities(capabilities.clone());
                b
            })
            .expect("rustls");
        if let Ok(client) = builder.connect(&url).await {
            return (driver, client);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not start a session on {url}");
}

/// Polls `check` until it returns `Some`, for at most a minute.
async fn wait_for<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    for _ in 0..600 {
        if let Some(v) = check().await {
            return v;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("gave up waiting for {what}");
}

/// The value of the target field of the segment `id`.
async fn target_of(c: &Client, id: &str) -> Option<String> {
    let field = c
        .find(Locator::Css(&format!("tr[data-id=\"{id}\"] textarea")))
        .await
        .ok()?;
    field.prop("value").await.ok().flatten()
}

/// The id of the segment whose ref is `r#ref`, from `duiyi segments`.
fn id_of(t: &mut Test, r#ref: &str) -> String {
    let out = t.cmd(&["segments", "--format", "tsv"]).success();
    out.stdout
        .lines()
        .find_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.get(1) == Some(&r#ref)).then(|| cols[2].to_string())
        })
        .unwrap_or_else(|| panic!("no segment {ref}"))
}

/// The aria-label of the focused element.
async fn focused(c: &Client) -> Option<String> {
    c.active_element()
        .await
        .ok()?
        .attr("aria-label")
        .await
        .ok()
        .flatten()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_editor_saves_moves_on_updates_live_and_shows_conflicts() {
    if !have(Tool::Chromium, "the workbench in a browser")
        || !have(Tool::Chromedriver, "the workbench in a browser")
    {
        return;
    }
    let mut t = Test::new()
        .source("paper", SOURCE)
        .config("[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n[review]\nreviewers = [\"li\", \"ana\"]\n");
    // The heading is done; a translation with markup was written on the command line.
    t.cmd_env(&[("DUIYI_USER", "li")], &["set", "en", "1¶0.1", "General"])
        .success();
    t.cmd_env(
        &[("DUIYI_USER", "li")],
        &["set", "en", "2¶1.1", "<script>window.pwned = 1</script>"],
    )
    .success();
    let (_server, url) = serve(&t, "ana");
    let profile = tempfile::tempdir().expect("profile");
    let (_driver, c) = browser(profile.path()).await;
    let first = id_of(&mut t, "1¶1.1");
    let second = id_of(&mut t, "1¶2.1");
    let third = id_of(&mut t, "1¶3.1");
    let markup = id_of(&mut t, "2¶1.1");

    c.goto(&format!("{url}edit/en"))
        .await
        .expect("open the editor");
    // The first open segment has the focus.
    let label = wait_for("the first open segment focused", || async {
        focused(&c).await.filter(|l| l.contains("1¶1.1"))
    })
    .await;
    assert_eq!(label, "translation of 1¶1.1");

    // A target holding <script> shows as text and runs nothing.
    assert_eq!(
        target_of(&c, &markup).await.as_deref(),
        Some("<script>window.pwned = 1</script>")
    );
    let pwned = c
        .execute("return typeof window.pwned;", vec![])
        .await
        .unwrap();
    assert_eq!(pwned, json!("undefined"));
    let scripts = c.find_all(Locator::Css("script")).await.unwrap();
    assert_eq!(scripts.len(), 1, "only the editor's own script");

    // Type, Ctrl+Enter: saved, and the next open segment has the focus.
    let field = c.active_element().await.unwrap();
    field
        .send_keys("China pursues common development.")
        .await
        .unwrap();
    let ctrl_enter: String = [char::from(Key::Control), char::from(Key::Enter)]
        .iter()
        .collect();
    field.send_keys(&ctrl_enter).await.unwrap();
    wait_for("the next segment focused", || async {
        focused(&c).await.filter(|l| l.contains("1¶2.1"))
    })
    .await;
    let store = t.path().join("translations/en/paper.jsonl");
    wait_for("the store written", || async {
        let text = std::fs::read_to_string(&store).ok()?;
        text.contains("China pursues common development.")
            .then_some(())
    })
    .await;
    let shown = t.cmd(&["show", "1¶1.1", "--json"]).success().json();
    assert_eq!(shown["en"]["state"], "translated");
    assert_eq!(shown["en"]["who"], "ana");
    assert_eq!(
        target_of(&c, &first).await.as_deref(),
        Some("China pursues common development.")
    );

    // A change made with `duiyi set` meanwhile shows up live.
    t.cmd_env(
        &[("DUIYI_USER", "li")],
        &[
            "set",
            "en",
            "1¶3.1",
            "Mutual benefit, written on the command line.",
        ],
    )
    .success();
    wait_for("the live update", || async {
        target_of(&c, &third)
            .await
            .filter(|v| v == "Mutual benefit, written on the command line.")
    })
    .await;

    // A stale save: the second segment is being edited here while the command line changes
    // it; the save shows both texts instead of overwriting.
    let editing = c
        .find(Locator::Css(&format!("tr[data-id=\"{second}\"] textarea")))
        .await
        .unwrap();
    editing.send_keys("My version.").await.unwrap();
    t.cmd_env(
        &[("DUIYI_USER", "li")],
        &["set", "en", "1¶2.1", "Their version."],
    )
    .success();
    wait_for("the row marked as changed elsewhere", || async {
        let row = c
            .find(Locator::Css(&format!(
                "tr[data-id=\"{second}\"].changed-elsewhere"
            )))
            .await
            .ok()?;
        Some(row)
    })
    .await;
    editing.send_keys(&ctrl_enter).await.unwrap();
    let conflict = wait_for("the conflict view", || async {
        let view = c
            .find(Locator::Css(&format!("tr[data-id=\"{second}\"] .conflict")))
            .await
            .ok()?;
        view.is_displayed().await.ok()?.then_some(view)
    })
    .await;
    let text = conflict.text().await.unwrap();
    assert!(text.contains("Changed meanwhile by li"), "{text}");
    assert!(text.contains("Their version."), "{text}");
    assert!(text.contains("My version."), "{text}");
    let shown = t.cmd(&["show", "1¶2.1", "--json"]).success().json();
    assert_eq!(shown["en"]["target"], "Their version.");

    // A reviewer approves li's translation with a click (ana did not write it).
    let approve = c
        .find(Locator::Css(&format!(
            "tr[data-id=\"{third}\"] button.approve"
        )))
        .await
        .unwrap();
    approve.click().await.unwrap();
    wait_for("the approval", || async {
        let state = c
            .find(Locator::Css(&format!("tr[data-id=\"{third}\"] span.state")))
            .await
            .ok()?;
        (state.text().await.ok()? == "reviewed").then_some(())
    })
    .await;
    let shown = t.cmd(&["show", "1¶3.1", "--json"]).success().json();
    assert_eq!(shown["en"]["state"], "reviewed");

    c.close().await.unwrap();
}

#[test]
fn serve_prints_its_url_first_and_answers_the_api() {
    let t = Test::new().source("paper", SOURCE);
    let (_server, url) = serve(&t, "ana");
    let address = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = std::net::TcpStream::connect(&address).expect("connect");
    std::io::Write::write_all(
        &mut stream,
        format!("GET /api/v1/en/segments?limit=1 HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .expect("request");
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let page: serde_json::Value = serde_json::from_str(body).expect("JSON");
    assert_eq!(page["total"], 6);
    assert_eq!(page["items"][0]["ref"], "1¶0.1");
    assert_eq!(page["items"][0]["role"], "heading");
}

#[test]
fn serve_refuses_to_listen_beyond_this_computer() {
    let mut t = Test::new().source("paper", SOURCE);
    let out = t.cmd(&["serve", "--host", "0.0.0.0"]).code(2);
    assert_eq!(
        out.stderr,
        "error: --host 0.0.0.0: the workbench listens only on this computer (127.0.0.1, ::1 or localhost) until users and logins are configured, which duiyi does not do yet; use an SSH tunnel to reach it from elsewhere\n"
    );
    assert_eq!(out.stdout, "");
}
