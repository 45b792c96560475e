//! `duiyi publish` and the XLIFF/TMX round trips through the real binary, on the white paper
//! with our own translators' English drafts (tests/data/white-paper-en.tsv). Exported XLIFF and
//! TMX files are validated with xmllint against the official schemas (vendored in
//! tests/data/schemas/); the HTML edition is rendered in headless Chromium. Under `CI=true` a
//! missing tool fails the test (see `support::have`).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use crate::support::{EPUBCHECK_JAR, Test, Tool, have, schemas};

const DOC: &str = "intl-development-cooperation";

/// Validates `file` with xmllint and the given schema arguments.
pub(crate) fn xmllint(args: &[&str], file: &Path) {
    if !have(
        Tool::Xmllint,
        &format!("{} against its schema", file.display()),
    ) {
        return;
    }
    let out = Command::new("xmllint")
        .current_dir(schemas())
        .env("XML_CATALOG_FILES", schemas().join("xliff-1.2/catalog.xml"))
        .args(["--noout", "--nonet"])
        .args(args)
        .arg(file)
        .output()
        .expect("run xmllint");
    assert!(
        out.status.success(),
        "{} does not validate:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Validates `file` with xmllint and expects it to fail, with `expected` in the message.
fn xmllint_refuses(args: &[&str], file: &Path, expected: &str) {
    if !have(
        Tool::Xmllint,
        &format!("that {} is refused", file.display()),
    ) {
        return;
    }
    let out = Command::new("xmllint")
        .current_dir(schemas())
        .env("XML_CATALOG_FILES", schemas().join("xliff-1.2/catalog.xml"))
        .args(["--noout", "--nonet"])
        .args(args)
        .arg(file)
        .output()
        .expect("run xmllint");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains(expected),
        "{} should not validate:\n{stderr}",
        file.display()
    );
}

/// The vendored schemas load offline, and the XLIFF 2.1 driver really checks the glossary
/// module (with the core schema alone, module content passes unchecked).
#[test]
fn the_vendored_schemas_accept_valid_files_and_refuse_invalid_ones() {
    let samples = schemas().join("samples");
    xmllint(
        &["--schema", "xliff-1.2/xliff-core-1.2-strict.xsd"],
        &samples.join("xliff-1.2-minimal.xlf"),
    );
    xmllint_refuses(
        &["--schema", "drivers/xliff-2.1-all-modules.xsd"],
        &samples.join("xliff-2.1-invalid-glossary.xlf"),
        "{urn:oasis:names:tc:xliff:glossary:2.0}term",
    );
}

fn validate_xliff(file: &Path) {
    xmllint(&["--schema", "drivers/xliff-2.1-all-modules.xsd"], file);
}

fn validate_tmx(file: &Path) {
    xmllint(&["--dtdvalid", "tmx/tmx14.dtd"], file);
}

/// The white paper with the first `n` English drafts imported (all when `n` is None).
pub(crate) fn translated(n: Option<usize>) -> Test {
    let drafts = include_str!("../data/white-paper-en.tsv");
    let mut csv = String::from("id,target\n");
    for line in drafts.lines().take(n.unwrap_or(usize::MAX)) {
        let cols: Vec<&str> = line.split('\t').collect();
        let target = cols[2].replace('"', "\"\"");
        let _ = writeln!(csv, "{},\"{target}\"", cols[1]);
    }
    let mut t = Test::white_paper().file("drafts.csv", csv);
    t.cmd(&["import", "en", "drafts.csv"]).success();
    t
}

fn editions(t: &Test) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(t.path().join("editions"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn every_format_is_written_and_exchange_files_validate() {
    let mut t = translated(None);
    // The approved terms of the project's glossary that occur in the white paper (whatever
    // the glossary holds today) travel in the XLIFF as glossary entries.
    let approved = t
        .cmd(&[
            "glossary", "list", "--lang", "en", "--status", "approved", "--json",
        ])
        .success()
        .json();
    let text = crate::support::white_paper_text();
    let travelling: Vec<String> = approved
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter(|e| text.contains(e["source"].as_str().unwrap_or("\u{0}")))
        .filter_map(|e| e["target"].as_str())
        .filter(|target| !target.contains(['&', '<', '>', '"', '\'']))
        .map(|target| format!("<gls:translation>{target}</gls:translation>"))
        .collect();
    assert!(!travelling.is_empty(), "{approved}");
    let out = t
        .cmd(&[
            "publish",
            "en",
            "--format",
            "html,docx,md,txt,xliff,tmx,report",
        ])
        .success();
    assert_eq!(out.stdout.lines().count(), 7, "{}", out.stdout);
    assert_eq!(
        editions(&t),
        [
            format!("{DOC}.en.docx"),
            format!("{DOC}.en.html"),
            format!("{DOC}.en.md"),
            format!("{DOC}.en.report.html"),
            format!("{DOC}.en.tmx"),
            format!("{DOC}.en.txt"),
            format!("{DOC}.en.xlf"),
        ]
    );
    let xlf = t.path().join(format!("editions/{DOC}.en.xlf"));
    validate_xliff(&xlf);
    let xliff = t.read(&format!("editions/{DOC}.en.xlf"));
    assert!(
        travelling.iter().any(|entry| xliff.contains(entry)),
        "approved terms travel as glossary entries"
    );
    validate_tmx(&t.path().join(format!("editions/{DOC}.en.tmx")));
    let md = t.read(&format!("editions/{DOC}.en.md"));
    assert!(md.contains("\n## Contents\n"), "headings kept");
    let report = t.read(&format!("editions/{DOC}.en.report.html"));
    assert!(report.contains("class=\"translated\""));
}

#[test]
fn the_html_edition_renders_in_chromium() {
    let mut t = translated(None);
    t.cmd(&["publish", "en,ar", "--draft"]).code(2);
    t.cmd(&["publish", "en"]).success();
    let file = t.path().join(format!("editions/{DOC}.en.html"));
    if !have(Tool::Chromium, "the HTML edition's rendering") {
        return;
    }
    let profile = tempfile::tempdir().expect("profile dir");
    let chromium = |extra: &[&str]| {
        Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(extra)
            .arg(&file)
            .output()
            .expect("run chromium")
    };
    let dom = chromium(&["--dump-dom"]);
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("<main>"),
        "rendered DOM:\n{}",
        &dom[..dom.len().min(2000)]
    );
    assert!(
        dom.matches("<section class=\"u ").count() > 200,
        "every unit is there"
    );
    assert!(dom.contains("lang=\"en\"") && dom.contains("lang=\"zh\""));
    assert!(
        dom.contains("href=\"#u-"),
        "the table of contents links to headings"
    );
    let shot = t.path().join("shot.png");
    let out = chromium(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1280,2000",
    ]);
    assert!(shot.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let png = std::fs::read(&shot).expect("screenshot");
    assert_eq!(&png[1..4], b"PNG");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!((width, height), (1280, 2000));
    assert!(
        png.len() > 20_000,
        "the page is not blank ({} bytes)",
        png.len()
    );
}

#[test]
fn the_review_gate_refuses_with_the_blockers_and_draft_marks_them() {
    let mut t = translated(Some(500));
    t.cmd(&["review", "en", "approve", "toc", "--as", "reviewer"])
        .success();
    let out = t
        .cmd(&["publish", "en", "--require", "reviewed"])
        .code(1)
        .stderr_has(&[
            "have not reached reviewed; publishing refused",
            "translated",
            "per state: initial 72, translated",
            "reviewed",
        ]);
    assert!(out.stderr.contains("... and "), "a long list is cut");
    assert!(editions(&t).is_empty(), "nothing written");
    t.cmd(&[
        "publish",
        "en",
        "--require",
        "reviewed",
        "--draft",
        "--format",
        "html,txt",
    ])
    .success();
    let html = t.read(&format!("editions/{DOC}.en.html"));
    assert!(html.contains("data-mark=\"unreviewed\""));
    assert!(html.contains("data-mark=\"untranslated\""));
    let txt = t.read(&format!("editions/{DOC}.en.txt"));
    assert!(txt.contains("[untranslated]") && txt.contains("[unreviewed]"));
}

#[test]
fn bad_requests_are_clear_errors_and_write_nothing() {
    let mut t = translated(Some(20));
    t.cmd(&["publish", "fr"])
        .code(2)
        .stderr_has(&["nothing is translated into fr yet"]);
    t.cmd(&["publish", "en", "--format", "rtf"]).code(2);
    std::fs::write(t.path().join("blocker"), "x").expect("write");
    t.cmd(&["publish", "en", "--out", "blocker/sub"])
        .code(2)
        .stderr_has(&["writable"]);
    assert!(editions(&t).is_empty());
}

pub(crate) fn show(t: &mut Test, what: &str) -> serde_json::Value {
    t.cmd(&["show", what, "--lang", "en", "--json"])
        .success()
        .json()["en"]
        .clone()
}

#[test]
fn xliff_comes_back_from_another_tool_with_its_changes_only() {
    let mut t = translated(Some(40));
    t.cmd(&["publish", "en", "--format", "xliff"]).success();
    let path = format!("editions/{DOC}.en.xlf");
    let exported = t.read(&path);
    // Unchanged: nothing changes.
    let out = t.cmd(&["import", "en", &path]).success();
    assert!(
        out.stdout.contains("572 segment(s) read, 0 changed\n"),
        "{}",
        out.stdout
    );
    // As OmegaT would: attributes reordered, notes added, a state changed, a target edited.
    let first = show(&mut t, "toc¶1.1");
    let edited = exported
        .replacen(
            "<segment id=\"s1\" state=\"translated\">",
            "<segment state=\"reviewed\" id=\"s1\">",
            1,
        )
        .replacen(">Preface</target>", ">Foreword &amp; preface</target>", 1)
        .replace("<unit id=", "<unit translate=\"yes\" id=")
        .replacen(
            "      <segment",
            "      <notes><note category=\"omegat\">added by OmegaT</note></notes>\n      <segment",
            1,
        );
    assert_ne!(edited, exported);
    t = t.file("back.xlf", &edited);
    // The translator imports: the new text lands; the approval the file claims for their own
    // text is refused (four eyes), and the import says so with exit 1.
    let out = t.cmd(&["import", "en", "back.xlf"]).code(1);
    assert!(
        out.stdout
            .contains("572 segment(s) read, 1 changed, 1 refused"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "refused toc¶0.1 (line 4): the file says reviewed, but tester may not approve"
        ),
        "{}",
        out.stdout
    );
    let after = show(&mut t, "toc¶1.1");
    assert_eq!(after["target"], "Foreword & preface");
    assert_ne!(after["target"], first["target"]);
    assert_eq!(show(&mut t, "toc¶0.1")["state"], "translated");
    // A reviewer imports the same file: the approval is theirs to give.
    t.cmd(&["import", "en", "back.xlf", "--as", "li"])
        .success()
        .stdout_has(&["572 segment(s) read, 1 changed"]);
    assert_eq!(show(&mut t, "toc¶0.1")["state"], "reviewed");
    // Another source language is refused; a source that changed since the export is a
    // conflict (exit 1) that changes nothing of that segment.
    t = t.file(
        "other.xlf",
        exported.replace("srcLang=\"zh\"", "srcLang=\"ja\""),
    );
    t.cmd(&["import", "en", "other.xlf"])
        .code(2)
        .stderr_has(&["source language is \"ja\""]);
    let stale = exported.replacen("<source>", "<source>X", 1).replacen(
        ">Contents</target>",
        ">Table of contents</target>",
        1,
    );
    t = t.file("stale.xlf", stale);
    t.cmd(&["import", "en", "stale.xlf"]).code(1).stdout_has(&[
        "conflict toc¶0.1",
        "the source changed since the file was made",
    ]);
    assert_eq!(show(&mut t, "toc¶0.1")["target"], "Contents");
    t = t.file(
        "bomb.xlf",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a SYSTEM \"file:///etc/passwd\">]>\n<xliff version=\"2.1\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\"><unit id=\"u1\"><segment><source>&a;</source></segment></unit></file></xliff>",
    );
    t.cmd(&["import", "en", "bomb.xlf"])
        .code(2)
        .stderr_has(&["bomb.xlf:2", "DOCTYPE"]);
}

#[test]
fn tmx_is_checked_and_stored_for_the_memory() {
    let mut t = translated(Some(30));
    t.cmd(&["publish", "en", "--format", "tmx"]).success();
    let path = format!("editions/{DOC}.en.tmx");
    let tmx = t.read(&path);
    assert_eq!(tmx.matches("<tu ").count(), 30);
    assert!(
        tmx.contains("creationid=\"tester\"")
            && tmx.contains("<prop type=\"x-state\">translated</prop>")
    );
    t.cmd(&["import", "en", &path])
        .success()
        .stdout_has(&["30 translation unit(s) in en"]);
    assert_eq!(t.read(&format!("memory/{DOC}.en.tmx")), tmx);
    t = t.file("de.tmx", tmx.replace("xml:lang=\"en\"", "xml:lang=\"de\""));
    t.cmd(&["import", "en", "de.tmx"])
        .code(2)
        .stderr_has(&["languages the project does not know: de"]);
    t = t.file(
        "evil.tmx",
        "<?xml version=\"1.0\"?><!DOCTYPE tmx [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><tmx version=\"1.4\"><header srclang=\"zh\"/><body/></tmx>",
    );
    t.cmd(&["import", "en", "evil.tmx"])
        .code(2)
        .stderr_has(&["DOCTYPE"]);
    assert!(!t.path().join("memory/de.tmx").exists() && !t.path().join("memory/evil.tmx").exists());
}

/// The HTML escaping of the report (as `crate::exchange::escape` does it).
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn the_report_lists_the_open_findings_of_duiyi_check() {
    let mut t = translated(None);
    let found = t.cmd(&["check", "en", "--json"]).json();
    let found = found.as_array().expect("a JSON array");
    assert!(!found.is_empty(), "the drafts have findings");
    let errors = found.iter().filter(|f| f["severity"] == "error").count();
    let warnings = found.len() - errors;
    t.cmd(&["publish", "en", "--format", "report"]).success();
    let report = t.read(&format!("editions/{DOC}.en.report.html"));
    assert!(
        report.contains(&format!(
            "{} open QA finding(s) in 572 segments checked ({errors} error(s), {warnings} warning(s))",
            found.len()
        )),
        "{report}"
    );
    for f in found {
        let row = format!(
            "</td><td>{}</td><td class=\"{sev}\">{sev}</td><td>{}</td></tr>",
            f["check"].as_str().unwrap(),
            escaped(f["message"].as_str().unwrap()),
            sev = f["severity"].as_str().unwrap(),
        );
        assert!(report.contains(&row), "{row} missing from the report");
        assert!(report.contains(&format!(">{}</a>", f["ref"].as_str().unwrap())));
    }
    assert!(report.contains(&format!("<a href=\"{DOC}.en.html#u-")));
    // An accepted finding leaves the report.
    let first = &found[0];
    let (r, check) = (
        first["ref"].as_str().unwrap(),
        first["check"].as_str().unwrap(),
    );
    t.cmd(&[
        "check",
        "accept",
        r,
        check,
        "--lang",
        "en",
        "--note",
        "as the source says",
    ])
    .success();
    t.cmd(&["publish", "en", "--format", "report"]).success();
    let report = t.read(&format!("editions/{DOC}.en.report.html"));
    assert!(
        report.contains(&format!("{} open QA finding(s)", found.len() - 1)),
        "{report}"
    );
}

/// Validates an EPUB with `EPUBCheck`.
fn epubcheck(file: &Path) {
    if !have(
        Tool::Epubcheck,
        &format!("{} with EPUBCheck", file.display()),
    ) {
        return;
    }
    let out = Command::new("java")
        .args(["-jar", EPUBCHECK_JAR])
        .arg(file)
        .output()
        .expect("run epubcheck");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success() && report.contains("0 fatals / 0 errors / 0 warnings"),
        "{} does not pass EPUBCheck:\n{report}",
        file.display()
    );
}

#[test]
fn the_epub_opens_as_a_container_and_every_page_is_well_formed() {
    use std::io::Read;
    let mut t = translated(None);
    // A draft, so the marks of unreviewed segments are in it too.
    t.cmd(&[
        "publish",
        "en",
        "--format",
        "epub",
        "--require",
        "reviewed",
        "--draft",
    ])
    .success();
    let path = t.path().join(format!("editions/{DOC}.en.epub"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).expect("the EPUB"))
        .expect("a ZIP container");
    let mut entries = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("an entry");
        let mut text = String::new();
        f.read_to_string(&mut text).expect("UTF-8 text");
        entries.push((f.name().to_string(), f.compression(), text));
    }
    let (name, method, text) = &entries[0];
    assert_eq!(
        (name.as_str(), *method, text.as_str()),
        (
            "mimetype",
            zip::CompressionMethod::Stored,
            "application/epub+zip"
        ),
        "mimetype first and stored"
    );
    let find = |name: &str| {
        entries
            .iter()
            .find(|e| e.0 == name)
            .map_or_else(|| panic!("{name} missing"), |e| e.2.clone())
    };
    assert!(find("META-INF/container.xml").contains("full-path=\"OEBPS/content.opf\""));
    let opf = find("OEBPS/content.opf");
    assert!(opf.contains("<dc:language>zh</dc:language>\n<dc:language>en</dc:language>"));
    assert!(opf.contains("properties=\"nav\""));
    let nav = find("OEBPS/nav.xhtml");
    assert!(nav.contains("epub:type=\"toc\""));
    let pages: Vec<&(String, zip::CompressionMethod, String)> = entries
        .iter()
        .filter(|e| e.0.starts_with("OEBPS/text-"))
        .collect();
    assert!(pages.len() > 3, "cut at the top-level headings");
    for (name, _, _) in &pages {
        let href = name.trim_start_matches("OEBPS/");
        assert!(
            opf.contains(&format!("href=\"{href}\"")),
            "{href} in the manifest"
        );
    }
    // Every heading is in the navigation, linked to a page that has its anchor.
    let headings = nav.matches("<li><a href=\"text-").count();
    assert!(headings > 10, "{nav}");
    let body: String = pages.iter().map(|e| e.2.as_str()).collect();
    assert!(body.contains("class=\"tgt\" lang=\"en\" xml:lang=\"en\""));
    assert!(body.contains("data-mark=\"unreviewed\""));
    assert_eq!(
        body.matches("class=\"src\" lang=\"zh\"").count(),
        body.matches("class=\"tgt\" lang=\"en\"").count(),
        "each source paragraph has its target"
    );
    epubcheck(&path);
    // Well-formed XML, every file.
    if have(Tool::Xmllint, "the EPUB's XHTML well-formedness") {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, _, text) in entries
            .iter()
            .filter(|e| e.0 != "mimetype" && e.0 != "OEBPS/style.css")
        {
            let file = dir.path().join(name.replace('/', "_"));
            std::fs::write(&file, text).expect("write");
            let out = Command::new("xmllint")
                .args(["--noout", "--nonet"])
                .arg(&file)
                .output()
                .expect("run xmllint");
            assert!(
                out.status.success(),
                "{name} is not well-formed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
