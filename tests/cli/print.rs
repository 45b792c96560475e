//! Editions a publisher would print, checked the way a publisher would see them: the white
//! paper's DOCX opened and printed by `LibreOffice`, the HTML edition printed by Chromium, the
//! PDF edition duiyi typesets itself (cargo feature `pdf`), each read back with Poppler
//! (`pdftotext`, `pdffonts`, `pdfinfo`). Under `CI=true` a missing tool fails the test (see
//! `support::have`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Test, Tool, have};

const DOC: &str = "intl-development-cooperation";
const TITLE_ZH: &str = "新时代的中国国际发展合作";
const TITLE_EN: &str = "China's International Development Cooperation in the New Era";

/// Every part of a DOCX (a ZIP), by name.
fn zip_parts(path: &Path) -> BTreeMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).expect("the DOCX"))
        .expect("a ZIP container");
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("an entry");
        let mut text = String::new();
        f.read_to_string(&mut text).expect("UTF-8 XML");
        parts.insert(f.name().to_string(), text);
    }
    parts
}

/// The values of attribute `attr` of every `<tag …>` in `xml`.
fn attrs<'a>(xml: &'a str, tag: &str, attr: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    let key = format!("{attr}=\"");
    xml.split(&open)
        .skip(1)
        .filter_map(|rest| {
            let element = &rest[..rest.find('>')?];
            let at = element.find(&key)? + key.len();
            element[at..].split('"').next()
        })
        .collect()
}

#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
fn run(program: &str, args: &[&str], path: &Path) -> String {
    let out = Command::new(program)
        .args(args)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} {} failed:\n{}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The text of each page (`pdftotext`, pages cut at form feeds).
fn pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// A word on a page, in points from the top left.
#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// A page: its size and words.
#[derive(Debug)]
struct Page {
    width: f64,
    height: f64,
    words: Vec<Word>,
}

/// Every page's words with their boxes (`pdftotext -bbox`).
fn boxes(pdf: &Path) -> Vec<Page> {
    let out = Command::new("pdftotext")
        .args(["-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext -bbox");
    assert!(out.status.success(), "pdftotext -bbox {}", pdf.display());
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let num = |s: &str, key: &str| -> f64 {
        let k = format!("{key}=\"");
        let at = s.find(&k).map(|i| i + k.len()).expect("attribute");
        s[at..]
            .split('"')
            .next()
            .and_then(|v| v.parse().ok())
            .expect("a number")
    };
    let mut out = Vec::new();
    for page in html.split("<page ").skip(1) {
        let head = &page[..page.find('>').expect("page tag")];
        let mut words = Vec::new();
        for w in page.split("<word ").skip(1) {
            let tag = &w[..w.find('>').expect("word tag")];
            let text = w[w.find('>').expect(">") + 1..]
                .split("</word>")
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'");
            words.push(Word {
                x0: num(tag, "xMin"),
                y0: num(tag, "yMin"),
                x1: num(tag, "xMax"),
                y1: num(tag, "yMax"),
                text,
            });
        }
        out.push(Page {
            width: num(head, "width"),
            height: num(head, "height"),
            words,
        });
    }
    out
}

fn has_han(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The white paper's headings (outside the TOC) with the start of the unit after each.
fn headings_and_next(t: &mut Test) -> Vec<(String, String)> {
    let json = t.cmd(&["segments", "--format", "json"]).success().json();
    let segs = json.as_array().expect("an array");
    let mut pairs = Vec::new();
    for (i, s) in segs.iter().enumerate() {
        let r = s["ref"].as_str().unwrap_or_default();
        if s["role"] != "heading" || r.starts_with("toc") {
            continue;
        }
        if let Some(next) = segs.get(i + 1) {
            let text: String = next["text"]
                .as_str()
                .unwrap_or_default()
                .chars()
                .take(6)
                .collect();
            pairs.push((s["text"].as_str().unwrap_or_default().to_string(), text));
        }
    }
    assert!(pairs.len() > 20, "{pairs:?}");
    pairs
}

/// Converts `docx` to PDF with `LibreOffice`, headless, in its own profile.
fn libreoffice_pdf(docx: &Path, out: &Path) -> PathBuf {
    let profile = tempfile::tempdir().expect("profile");
    let output = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(out)
        .arg(docx)
        .output()
        .expect("run soffice");
    let pdf = out.join(docx.with_extension("pdf").file_name().expect("a file name"));
    assert!(
        pdf.is_file(),
        "LibreOffice made no PDF:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    pdf
}

/// The DOCX edition of the white paper: its XML as a publisher's tools read it, then printed
/// by `LibreOffice`.
#[test]
fn the_docx_edition_opens_clean_and_prints_inside_its_margins() {
    let mut t = Test::white_paper_translated();
    t.cmd(&["publish", "en", "--format", "docx"]).success();
    let docx = t.path().join(format!("editions/{DOC}.en.docx"));
    let parts = zip_parts(&docx);
    let doc = &parts["word/document.xml"];

    // Tables exactly the text width: A4 less the two side margins.
    let page_w: u32 = attrs(doc, "w:pgSz", "w:w")[0].parse().expect("page width");
    let left: u32 = attrs(doc, "w:pgMar", "w:left")[0]
        .parse()
        .expect("left margin");
    let right: u32 = attrs(doc, "w:pgMar", "w:right")[0]
        .parse()
        .expect("right margin");
    assert_eq!(page_w, 11_906, "A4");
    let text_width = page_w - left - right;
    let tables: Vec<&str> = doc.split("<w:tbl>").skip(1).collect();
    assert!(tables.len() > 10, "the text is in tables");
    for table in &tables {
        let table = &table[..table.find("</w:tblGrid>").expect("a grid")];
        assert_eq!(
            attrs(table, "w:tblW", "w:w"),
            [text_width.to_string().as_str()]
        );
        let grid: u32 = attrs(table, "w:gridCol", "w:w")
            .iter()
            .map(|w| w.parse::<u32>().expect("a width"))
            .sum();
        assert_eq!(grid, text_width, "the columns fill the width exactly");
    }
    // Light rules: half a point, grey; never a heavy black border.
    assert!(
        attrs(doc, "w:insideH", "w:color")
            .iter()
            .all(|c| *c == "BFBFBF")
    );
    assert!(attrs(doc, "w:insideH", "w:sz").iter().all(|s| *s == "4"));
    // Every run says its language; both languages are there.
    assert_eq!(
        doc.matches("<w:r>").count(),
        doc.matches("<w:lang ").count()
    );
    let langs = attrs(doc, "w:lang", "w:val");
    assert!(langs.contains(&"zh-CN") && langs.contains(&"en-US"));
    assert!(
        langs.iter().all(|l| ["zh-CN", "en-US"].contains(l)),
        "{langs:?}"
    );
    // Headings are kept with what follows.
    let styles = &parts["word/styles.xml"];
    for level in 1..=3 {
        let at = styles
            .find(&format!("w:styleId=\"Heading{level}\""))
            .expect("a heading style");
        let style = &styles[at..at + styles[at..].find("</w:style>").expect("end")];
        assert!(style.contains("<w:keepNext/>"), "{style}");
    }
    assert!(styles.contains("w:eastAsia=\"Noto Serif CJK SC\""));
    // Document properties from the project.
    let core = &parts["docProps/core.xml"];
    assert!(
        core.contains(&format!("<dc:title>{TITLE_ZH} · {TITLE_EN} · "))
            || core.contains(&format!("<dc:title>{TITLE_ZH} · {TITLE_EN}</dc:title>")),
        "{core}"
    );
    assert!(core.contains("<dc:creator>中华人民共和国国务院新闻办公室</dc:creator>"));
    assert!(core.contains("<dc:language>zh-CN</dc:language>"));
    assert!(!core.contains("1970-01-01"));
    // Paragraph ids are unique.
    let ids = attrs(doc, "w:p", "w14:paraId");
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
    assert!(ids.len() > 400, "{} paragraphs", ids.len());
    // The TOC is written out, linked, and no field waits for an update.
    assert!(!doc.contains("instrText") && !doc.contains("fldSimple"));
    assert!(attrs(doc, "w:hyperlink", "w:anchor").len() > 20);

    if !have(Tool::LibreOffice, "the DOCX edition in LibreOffice")
        || !have(Tool::Poppler, "the PDF LibreOffice prints")
    {
        return;
    }
    let out = tempfile::tempdir().expect("out");
    let pdf = libreoffice_pdf(&docx, out.path());
    let text = pages(&pdf);
    let all: String = text.concat();
    for field in ["TOC \\", "PAGEREF", "MERGEFORMAT", "HYPERLINK", " PAGE "] {
        assert!(!all.contains(field), "field code {field:?} in the text");
    }
    assert!(
        (35..=90).contains(&text.len()),
        "{} pages (the draft printed 64)",
        text.len()
    );
    assert!(
        squeeze(&text[0]).contains(&squeeze(TITLE_ZH)),
        "the title block"
    );
    assert!(
        squeeze(&text[0]).contains("目录"),
        "the TOC on page 1:\n{}",
        text[0]
    );
    // The header carries the title, the footer the page number, on every page after the first.
    let boxes = boxes(&pdf);
    assert_eq!(boxes.len(), text.len());
    for (i, page) in boxes.iter().enumerate().skip(1) {
        let top: String = page
            .words
            .iter()
            .filter(|w| w.y1 < 60.0)
            .map(|w| w.text.as_str())
            .collect();
        assert!(
            top.contains("International"),
            "page {}: header {top:?}",
            i + 1
        );
        let number = (i + 1).to_string();
        assert!(
            page.words
                .iter()
                .any(|w| w.y0 > page.height - 57.0 && w.text == number),
            "page {} has no page number in its footer",
            i + 1
        );
    }
    // Every word inside the side margins (2 cm = 56.7 pt).
    let margin = f64::from(left) / 20.0;
    for (i, page) in boxes.iter().enumerate() {
        for w in &page.words {
            assert!(
                w.x0 >= margin - 0.5 && w.x1 <= page.width - margin + 0.5,
                "page {}: {:?} runs into the margin ({:.1}–{:.1} of {:.1})",
                i + 1,
                w.text,
                w.x0,
                w.x1,
                page.width
            );
        }
    }
    // No heading alone at the foot of a page: each shares a page with the text after it.
    let squeezed: Vec<String> = text.iter().map(|p| squeeze(p)).collect();
    for (heading, next) in headings_and_next(&mut t) {
        let (h, n) = (squeeze(&heading), squeeze(&next));
        assert!(
            squeezed.iter().any(|p| p.contains(&h) && p.contains(&n)),
            "heading {heading:?} is on another page than {next:?}"
        );
    }
}

/// The HTML edition printed on A4 by Chromium: side by side, one running head and a page
/// number per page, few pages left with an empty foot.
#[test]
fn the_html_edition_prints_side_by_side_on_a4() {
    let mut t = Test::white_paper_translated();
    t.cmd(&["publish", "en"]).success();
    let html_path = t.path().join(format!("editions/{DOC}.en.html"));
    let html = std::fs::read_to_string(&html_path).expect("the edition");
    assert!(html.contains(&format!(
        "<title>{TITLE_ZH} · China&#x27;s International Development Cooperation in the New Era"
    )));
    assert!(html.contains(&format!(
        "<header class=\"title-block\"><h1><span lang=\"zh\">{TITLE_ZH}</span><span lang=\"en\">China&#x27;s"
    )));
    assert!(
        !html.contains("class=\"running\""),
        "no running title in the flow"
    );
    assert!(
        html.contains("toc-entry t2"),
        "second-level TOC entries are marked for indent"
    );
    // Every column says its language.
    let columns =
        html.matches("<div class=\"src\"").count() + html.matches("<div class=\"tgt\"").count();
    assert_eq!(
        columns,
        html.matches("<div class=\"src\" lang=\"zh\"").count()
            + html.matches("<div class=\"tgt\" lang=\"en\"").count()
    );
    if !have(Tool::Chromium, "the printed HTML edition")
        || !have(Tool::Poppler, "the printed HTML edition's pages")
    {
        return;
    }
    let pdf = t.path().join("printed.pdf");
    print_html(&html_path, &pdf);
    let pages = boxes(&pdf);
    assert!(pages.len() > 20, "{} pages", pages.len());
    let (top, bottom) = (20.0 * 72.0 / 25.4, 18.0 * 72.0 / 25.4);
    let mut empty_feet = 0;
    for (i, page) in pages.iter().enumerate() {
        assert!((page.width - 595.0).abs() < 2.0, "A4");
        // One running head (from page 2) and one page number, in the margins.
        let head: Vec<&Word> = page.words.iter().filter(|w| w.y1 < top).collect();
        let foot: Vec<&str> = page
            .words
            .iter()
            .filter(|w| w.y0 > page.height - bottom)
            .map(|w| w.text.as_str())
            .collect();
        assert_eq!(
            foot.join(" "),
            format!("{} / {}", i + 1, pages.len()),
            "page {}",
            i + 1
        );
        if i > 0 {
            let line: String = head.iter().map(|w| w.text.as_str()).collect();
            assert_eq!(
                line.matches("International").count(),
                1,
                "page {}: {line}",
                i + 1
            );
        }
        // Body text never overlaps the margins.
        let body: Vec<&Word> = page
            .words
            .iter()
            .filter(|w| w.y1 >= top && w.y0 <= page.height - bottom)
            .collect();
        // Side by side: Chinese on the left half, English on the right.
        if i > 0 {
            let half = page.width / 2.0;
            for w in &body {
                if has_han(&w.text) {
                    assert!(
                        w.x1 <= half + 1.0,
                        "page {}: {:?} at {}",
                        i + 1,
                        w.text,
                        w.x0
                    );
                } else if w.text.len() > 3 && w.text.chars().all(char::is_alphabetic) {
                    assert!(
                        w.x0 >= half - 1.0,
                        "page {}: {:?} at {}",
                        i + 1,
                        w.text,
                        w.x0
                    );
                }
            }
        }
        // How much of the text area is left empty at the foot.
        if i + 1 < pages.len() {
            let lowest = body.iter().map(|w| w.y1).fold(top, f64::max);
            let area = page.height - bottom - top;
            if (page.height - bottom - lowest) / area > 0.2 {
                empty_feet += 1;
            }
        }
    }
    assert!(
        empty_feet * 10 <= pages.len(),
        "{empty_feet} of {} pages have a fifth of their height empty",
        pages.len()
    );
}

fn print_html(html: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(html)
        .output()
        .expect("run chromium");
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The PDF edition, typeset by duiyi: embedded fonts (no Type 3), both languages, a table of
/// contents with page numbers, running heads, page numbers, metadata.
#[cfg(feature = "pdf")]
#[test]
fn the_pdf_edition_is_typeset_with_embedded_fonts_and_page_numbers() {
    let mut t = Test::white_paper_translated();
    if !have(Tool::CjkFont, "the PDF edition") {
        return;
    }
    t.cmd(&["publish", "en", "--format", "pdf"]).success();
    let pdf = t.path().join(format!("editions/{DOC}.en.pdf"));
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-"));
    if !have(Tool::Poppler, "the PDF edition's fonts and text") {
        return;
    }
    let fonts = run("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 2, "{fonts}");
    for row in &rows {
        assert!(!row.contains("Type 3"), "a Type 3 font:\n{fonts}");
        let cols: Vec<&str> = row.split_whitespace().collect();
        let emb = cols[cols.len() - 5];
        assert_eq!(emb, "yes", "a font not embedded:\n{fonts}");
    }
    assert!(fonts.contains("CJK"), "the Chinese font:\n{fonts}");
    let info = run("pdfinfo", &[], &pdf);
    let field = |name: &str| -> String {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        field("Title:"),
        format!("{TITLE_ZH} · {TITLE_EN}"),
        "{info}"
    );
    assert_eq!(field("Author:"), "中华人民共和国国务院新闻办公室", "{info}");
    assert_eq!(field("Keywords:"), "zh-CN, en-US", "{info}");
    let text = pages(&pdf);
    assert!((20..=120).contains(&text.len()), "{} pages", text.len());
    let all = text.concat();
    assert!(all.contains("结束语") && all.contains("Conclusion"));
    // The TOC lists 结束语 with the page it is on.
    let conclusion_page = text
        .iter()
        .enumerate()
        .skip(2)
        .find(|(_, p)| p.contains("结束语") && p.contains("Conclusion"))
        .map(|(i, _)| i + 1)
        .expect("the conclusion");
    let toc: String = text[..4].concat();
    let after = &toc[toc.find("结束语").expect("结束语 in the TOC")..];
    assert!(
        after
            .lines()
            .take(6)
            .any(|l| l.trim() == conclusion_page.to_string()
                || l.trim_end().ends_with(&format!(" {conclusion_page}"))),
        "the TOC gives page {conclusion_page} for 结束语:\n{after}"
    );
    // Page numbers and running heads.
    let boxes = boxes(&pdf);
    for (i, page) in boxes.iter().enumerate().skip(1) {
        let number = (i + 1).to_string();
        assert!(
            page.words
                .iter()
                .any(|w| w.y0 > page.height - 62.0 && w.text == number),
            "page {} has no number",
            i + 1
        );
        let head: String = page
            .words
            .iter()
            .filter(|w| w.y1 < 68.0)
            .map(|w| w.text.as_str())
            .collect();
        assert!(
            head.contains("新时代") && head.contains("International"),
            "page {}: {head:?}",
            i + 1
        );
    }
}

/// A fontconfig setup with no font at all (an empty folder), as `FONTCONFIG_FILE` for duiyi:
/// the system's fonts are out of sight. The folder lives as long as the returned guard.
#[cfg(feature = "pdf")]
fn no_system_fonts(t: &Test) -> (tempfile::TempDir, String) {
    let empty = tempfile::tempdir().expect("an empty font folder");
    let conf = t.path().join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<fontconfig><dir>{}</dir></fontconfig>\n",
            empty.path().display()
        ),
    )
    .expect("fonts.conf");
    (empty, conf.display().to_string())
}

/// Without a CJK font the PDF edition is refused before anything is written, and the message
/// says what to install.
#[cfg(feature = "pdf")]
#[test]
fn the_pdf_edition_without_a_cjk_font_says_what_to_install() {
    let mut t = Test::white_paper_translated();
    let (_empty, conf) = no_system_fonts(&t);
    let out = t
        .cmd_env(
            &[("FONTCONFIG_FILE", &conf)],
            &["publish", "en", "--format", "html,pdf"],
        )
        .code(2)
        .stderr_has(&[
            "needs a font with Chinese characters",
            "apt-get install fonts-noto-cjk",
            "/fonts",
        ]);
    let root = t.path().display().to_string();
    insta::assert_snapshot!(out.stderr.replace(&root, "[project]"));
    assert!(
        !t.path().join("editions").exists()
            || std::fs::read_dir(t.path().join("editions"))
                .expect("editions")
                .count()
                == 0,
        "nothing written"
    );
}

/// A CJK font put into the project's `fonts/` folder is found when the system has none: the
/// font is taken from the system's `fonts-noto-cjk` (found by `fc-list`), the system is then
/// hidden from duiyi.
#[cfg(feature = "pdf")]
#[test]
fn the_pdf_edition_takes_its_fonts_from_the_project_fonts_folder() {
    let mut t = Test::white_paper_translated();
    if !have(Tool::CjkFont, "a font for the project's fonts/ folder")
        || !have(Tool::Poppler, "the PDF edition's fonts")
    {
        return;
    }
    let list = run("fc-list", &[], Path::new(":lang=zh"));
    let file = list
        .lines()
        .filter_map(|l| l.split(':').next())
        .map(|f| Path::new(f.trim()).to_path_buf())
        .find(|f| {
            f.extension().is_some_and(|e| {
                ["ttc", "otf", "ttf"]
                    .iter()
                    .any(|x| e.eq_ignore_ascii_case(x))
            })
        })
        .expect("a CJK font file");
    let file = file.as_path();
    let fonts = t.path().join("fonts");
    std::fs::create_dir_all(&fonts).expect("fonts/");
    std::fs::copy(file, fonts.join(file.file_name().expect("a font file"))).expect("the font");
    let (_empty, conf) = no_system_fonts(&t);
    t.cmd_env(
        &[("FONTCONFIG_FILE", &conf)],
        &["publish", "en", "--format", "pdf"],
    )
    .success();
    let pdf = t.path().join(format!("editions/{DOC}.en.pdf"));
    let fonts = run("pdffonts", &[], &pdf);
    assert!(
        fonts.contains("CJK"),
        "the project's Chinese font:\n{fonts}"
    );
    let text = pages(&pdf).concat();
    assert!(text.contains("结束语") && text.contains("Conclusion"));
}

/// Built without the `pdf` feature, `--format pdf` says how to get it.
#[cfg(not(feature = "pdf"))]
#[test]
fn the_pdf_edition_needs_the_pdf_feature() {
    let mut t = Test::white_paper_translated();
    t.cmd(&["publish", "en", "--format", "html,pdf"])
        .code(2)
        .stderr_has(&["without PDF support", "--features pdf"]);
    assert!(!t.path().join("editions").exists());
}

/// Trilingual editions (zh, en, fr): every format tags every language and takes every title.
#[test]
fn trilingual_editions_tag_three_languages() {
    let mut t = Test::white_paper_translated();
    let mut formats = String::from("html,docx,epub");
    if cfg!(feature = "pdf") && have(Tool::CjkFont, "the trilingual PDF edition") {
        formats.push_str(",pdf");
    }
    t.cmd(&["publish", "en,fr", "--format", &formats]).success();
    let html = t.read(&format!("editions/{DOC}.en+fr.html"));
    assert!(html.contains("<span lang=\"fr\">La coopération internationale"));
    assert!(html.contains("class=\"tgt\" lang=\"fr\""));
    let parts = zip_parts(&t.path().join(format!("editions/{DOC}.en+fr.docx")));
    let doc = &parts["word/document.xml"];
    let langs = attrs(doc, "w:lang", "w:val");
    for l in ["zh-CN", "en-US", "fr-FR"] {
        assert!(langs.contains(&l), "{l}");
    }
    let widths: Vec<&str> = attrs(doc, "w:gridCol", "w:w");
    assert!(widths.len() >= 3);
    assert!(parts["docProps/core.xml"].contains("La coopération internationale"));
    let epub = zip_parts(&t.path().join(format!("editions/{DOC}.en+fr.epub")));
    assert!(epub["OEBPS/content.opf"].contains(&format!(
        "<dc:title>{TITLE_ZH} · {TITLE_EN} · La coopération"
    )));
    if formats.ends_with(",pdf") && have(Tool::Poppler, "the trilingual PDF's text") {
        let text = pages(&t.path().join(format!("editions/{DOC}.en+fr.pdf"))).concat();
        assert!(text.contains("Conclusion") && text.contains("结束语"));
        assert!(
            text.contains("Avant-propos") || text.contains("Préface"),
            "French"
        );
    }
}
