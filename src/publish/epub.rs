//! The EPUB 3 edition: facing paragraphs, each unit's source followed by its target(s), every
//! block tagged with `lang` and `xml:lang` (and `dir="rtl"` for right-to-left targets).
//!
//! An EPUB is a ZIP container: `mimetype` first and stored, `META-INF/container.xml` pointing
//! at the package document (`OEBPS/content.opf`: metadata, manifest, spine), a navigation
//! document (`OEBPS/nav.xhtml`, the table of contents built from the headings), a small style
//! sheet and the text as XHTML files, one per top-level section (cut further every
//! [`MAX_UNITS`] units, as reading systems load one file at a time). It is written with the
//! `zip` crate the project already uses, unit by unit into the compressor, so the edition never
//! sits in memory; only the headings are kept for the navigation document. (The epub-builder
//! crate was considered: it holds the whole book in memory and brings a second `zip` major
//! version, chrono, uuid and a template engine, for what these few files need.)
//!
//! All text is escaped for XML; characters XML cannot carry become U+FFFD.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Seek, Write};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::{Edition, PublishError, anchor};
use crate::exchange::xml::escape;
use crate::files::AtomicFile;
use crate::lang::is_rtl;
use crate::segment::{Role, Unit};

/// The most units in one XHTML file.
pub const MAX_UNITS: usize = 400;

const CSS: &str = "body { font-family: serif; line-height: 1.5; margin: 0 .5em; }
.u { margin: 0 0 1em; }
.u > * { margin: 0; }
.tgt { margin-top: .3em; padding-left: .6em; border-left: 3px solid #ccc; }
.tgt[dir=\"rtl\"] { padding-left: 0; padding-right: .6em; border-left: none; border-right: 3px solid #ccc; }
h1, h2, h3, h4, h5, h6 { line-height: 1.3; }
.title { text-align: center; }
.note { font-size: .9em; }
.dateline { font-style: italic; text-align: center; }
.subtitle { text-align: center; }
.caption { font-weight: bold; }
table.cells { width: 100%; table-layout: fixed; border-collapse: collapse; }
table.cells td { border: 1px solid #ccc; padding: .1em .3em; vertical-align: top; }
.toc-entry a { color: inherit; }
.mark { background: #fff3bf; }
.mark::after { content: \" [\" attr(data-mark) \"]\"; font-size: .75em; }
";

const CONTAINER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">
<rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/></rootfiles>
</container>
";

fn zip_error(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => io::Error::other(other),
    }
}

/// Writes the EPUB edition into `out`.
pub fn write(edition: &Edition<'_>, out: &mut AtomicFile) -> Result<(), PublishError> {
    let modified = modified(edition);
    render(edition, &modified, out.writer()).map_err(|e| out.error(e).into())
}

/// The `dcterms:modified` date: the latest change of a translation (so the same store gives
/// the same book), else now.
fn modified(edition: &Edition<'_>) -> String {
    edition.date()
}

/// The heading element of a unit (`h1`–`h6`), or `p`.
fn tag(unit: &Unit) -> &'static str {
    match unit.role {
        Role::Title => "h1",
        Role::TocTitle => "h2",
        Role::Heading => match unit.level.unwrap_or(1) {
            0 | 1 => "h2",
            2 => "h3",
            3 => "h4",
            4 => "h5",
            _ => "h6",
        },
        _ => "p",
    }
}

/// The XHTML file of each unit (by index), cut at top-level headings and every
/// [`MAX_UNITS`] units; every file gets at least one unit with segments.
fn chapters(edition: &Edition<'_>) -> Vec<usize> {
    let mut of = Vec::with_capacity(edition.doc.units.len());
    let (mut chapter, mut count) = (0usize, 0usize);
    for unit in &edition.doc.units {
        if !unit.segments.is_empty() {
            let top = unit.role == Role::Heading && unit.level.unwrap_or(1) <= 1;
            if count > 0 && (top || count >= MAX_UNITS) {
                chapter += 1;
                count = 0;
            }
            count += 1;
        }
        of.push(chapter);
    }
    of
}

fn chapter_name(n: usize) -> String {
    format!("text-{:04}.xhtml", n + 1)
}

fn xhtml_head(w: &mut impl Write, lang: &str, title: &str) -> io::Result<()> {
    write!(
        w,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{l}\" xml:lang=\"{l}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n",
        escape(title),
        l = escape(lang)
    )
}

fn render<W: Write + Seek>(edition: &Edition<'_>, modified: &str, w: W) -> io::Result<()> {
    let mut zip = ZipWriter::new(w);
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).map_err(zip_error)?;
    zip.write_all(b"application/epub+zip")?;
    zip.start_file("META-INF/container.xml", deflated)
        .map_err(zip_error)?;
    zip.write_all(CONTAINER.as_bytes())?;
    zip.start_file("OEBPS/style.css", deflated)
        .map_err(zip_error)?;
    zip.write_all(CSS.as_bytes())?;

    let source_lang = edition.source_lang.as_str();
    let book_title = edition.full_title();
    let of = chapters(edition);
    // Where each heading lives, for the document's own TOC links and the navigation document.
    let mut file_of: HashMap<&str, usize> = HashMap::new();
    for (unit, &c) in edition.doc.units.iter().zip(&of) {
        if matches!(unit.role, Role::Heading | Role::Title)
            && let Some(s) = unit.segments.first()
        {
            file_of.insert(s.id.as_str(), c);
        }
    }
    let rtl: Vec<bool> = edition.langs.iter().map(|l| is_rtl(&l.lang)).collect();
    let seps: Vec<&str> = edition
        .langs
        .iter()
        .map(|l| {
            if crate::lang::joins_without_space(&l.lang) {
                ""
            } else {
                " "
            }
        })
        .collect();
    let mut files = 0usize;
    let mut open: Option<usize> = None;
    let mut buf = String::with_capacity(4096);
    for (unit, &c) in edition.doc.units.iter().zip(&of) {
        if unit.segments.is_empty() {
            continue;
        }
        if open != Some(c) {
            if open.is_some() {
                zip.write_all(b"</body>\n</html>\n")?;
            }
            zip.start_file(format!("OEBPS/{}", chapter_name(c)), deflated)
                .map_err(zip_error)?;
            xhtml_head(&mut zip, source_lang, &book_title)?;
            zip.write_all(b"<body>\n")?;
            files = c + 1;
            open = Some(c);
        }
        buf.clear();
        unit_xhtml(edition, unit, &file_of, &rtl, &seps, &mut buf);
        zip.write_all(buf.as_bytes())?;
    }
    if open.is_some() {
        zip.write_all(b"</body>\n</html>\n")?;
    } else {
        zip.start_file(format!("OEBPS/{}", chapter_name(0)), deflated)
            .map_err(zip_error)?;
        xhtml_head(&mut zip, source_lang, &book_title)?;
        zip.write_all(b"<body>\n</body>\n</html>\n")?;
        files = 1;
    }

    zip.start_file("OEBPS/nav.xhtml", deflated)
        .map_err(zip_error)?;
    nav(edition, &of, &book_title, &mut zip)?;
    zip.start_file("OEBPS/content.opf", deflated)
        .map_err(zip_error)?;
    opf(edition, &book_title, modified, files, &mut zip)?;
    zip.finish().map_err(zip_error)?;
    Ok(())
}

/// One unit: the source block, then each target block.
fn unit_xhtml(
    edition: &Edition<'_>,
    unit: &Unit,
    file_of: &HashMap<&str, usize>,
    rtl: &[bool],
    seps: &[&str],
    buf: &mut String,
) {
    if unit.role == Role::TableRow {
        table_row_xhtml(edition, unit, rtl, buf);
        return;
    }
    let tag = tag(unit);
    let link = unit.links_to.as_deref().and_then(|id| {
        file_of
            .get(id)
            .map(|&c| format!("{}#u-{id}", chapter_name(c)))
    });
    let (open_a, close_a) = match &link {
        Some(href) => (format!("<a href=\"{}\">", escape(href)), "</a>"),
        None => (String::new(), ""),
    };
    let src = escape(&edition.source_lang);
    let _ = write!(
        buf,
        "<div class=\"u {}\" id=\"{}\">\n<{tag} class=\"src\" lang=\"{src}\" xml:lang=\"{src}\">{open_a}{}{close_a}</{tag}>\n",
        unit.role.name(),
        escape(&anchor(unit)),
        escape(edition.doc.unit_text(unit))
    );
    for (l, lang) in edition.langs.iter().enumerate() {
        let code = escape(&lang.lang);
        let dir = if rtl[l] { " dir=\"rtl\"" } else { "" };
        let _ = write!(
            buf,
            "<{tag} class=\"tgt\" lang=\"{code}\" xml:lang=\"{code}\"{dir}>{open_a}"
        );
        for (i, s) in unit.segments.iter().enumerate() {
            let shown = edition.shown(l, &s.id);
            if i > 0 {
                buf.push_str(seps[l]);
            }
            match shown.mark {
                Some(mark) => {
                    let _ = write!(
                        buf,
                        "<span class=\"mark\" data-mark=\"{mark}\">{}</span>",
                        escape(shown.text)
                    );
                }
                None => buf.push_str(&escape(shown.text)),
            }
        }
        let _ = writeln!(buf, "{close_a}</{tag}>");
    }
    buf.push_str("</div>\n");
}

/// A table row: the source's cells as a one-row table, then each target's.
fn table_row_xhtml(edition: &Edition<'_>, unit: &Unit, rtl: &[bool], buf: &mut String) {
    let src = escape(&edition.source_lang);
    let _ = write!(
        buf,
        "<div class=\"u table-row\" id=\"{}\">\n<table class=\"src cells\" lang=\"{src}\" xml:lang=\"{src}\"><tr>",
        escape(&anchor(unit))
    );
    for s in &unit.segments {
        let _ = write!(
            buf,
            "<td>{}</td>",
            escape(edition.doc.segment_text(unit, s))
        );
    }
    buf.push_str("</tr></table>\n");
    for (l, lang) in edition.langs.iter().enumerate() {
        let code = escape(&lang.lang);
        let dir = if rtl[l] { " dir=\"rtl\"" } else { "" };
        let _ = write!(
            buf,
            "<table class=\"tgt cells\" lang=\"{code}\" xml:lang=\"{code}\"{dir}><tr>"
        );
        for s in &unit.segments {
            let shown = edition.shown(l, &s.id);
            match shown.mark {
                Some(mark) => {
                    let _ = write!(
                        buf,
                        "<td><span class=\"mark\" data-mark=\"{mark}\">{}</span></td>",
                        escape(shown.text)
                    );
                }
                None => {
                    let _ = write!(buf, "<td>{}</td>", escape(shown.text));
                }
            }
        }
        buf.push_str("</tr></table>\n");
    }
    buf.push_str("</div>\n");
}

/// The navigation document: the headings as nested lists, each linking to its unit.
fn nav(edition: &Edition<'_>, of: &[usize], title: &str, w: &mut impl Write) -> io::Result<()> {
    xhtml_head(w, &edition.source_lang, title)?;
    write!(
        w,
        "<body>\n<nav epub:type=\"toc\" id=\"toc\">\n<h1>{}</h1>\n",
        escape(title)
    )?;
    let mut depth = 0usize;
    for (unit, &c) in edition.doc.units.iter().zip(of) {
        if unit.role != Role::Heading || unit.segments.is_empty() {
            continue;
        }
        let level = usize::from(unit.level.unwrap_or(1)).clamp(1, depth + 1);
        if level > depth {
            w.write_all(b"\n<ol>")?;
        } else {
            w.write_all(b"</li>")?;
            for _ in level..depth {
                w.write_all(b"</ol></li>")?;
            }
        }
        depth = level;
        let mut label = edition.doc.unit_text(unit).to_string();
        for l in 0..edition.langs.len() {
            let t = edition.target_text(l, unit);
            if !t.is_empty() {
                label.push_str(" · ");
                label.push_str(&t);
            }
        }
        write!(
            w,
            "\n<li><a href=\"{}#{}\">{}</a>",
            chapter_name(c),
            escape(&anchor(unit)),
            escape(&label)
        )?;
    }
    if depth == 0 {
        // A document without headings: the navigation document still needs one entry.
        write!(
            w,
            "<ol><li><a href=\"{}\">{}</a></li></ol>",
            chapter_name(0),
            escape(title)
        )?;
    }
    for _ in 0..depth {
        w.write_all(b"</li></ol>")?;
    }
    w.write_all(b"\n</nav>\n</body>\n</html>\n")
}

/// The package document: metadata, manifest and spine.
fn opf(
    edition: &Edition<'_>,
    title: &str,
    modified: &str,
    files: usize,
    w: &mut impl Write,
) -> io::Result<()> {
    let langs: Vec<&str> = edition.langs.iter().map(|l| l.lang.as_str()).collect();
    write!(
        w,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"id\" xml:lang=\"{}\">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<dc:identifier id=\"id\">urn:duiyi:{}:{}</dc:identifier>\n<dc:title>{}</dc:title>\n",
        escape(&edition.source_lang),
        escape(&edition.doc.name),
        escape(&langs.join("+")),
        escape(title)
    )?;
    if let Some(author) = &edition.meta.author {
        writeln!(w, "<dc:creator>{}</dc:creator>", escape(author))?;
    }
    for lang in std::iter::once(edition.source_lang.as_str()).chain(langs.iter().copied()) {
        writeln!(w, "<dc:language>{}</dc:language>", escape(lang))?;
    }
    write!(
        w,
        "<meta property=\"dcterms:modified\">{}</meta>\n</metadata>\n<manifest>\n<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n<item id=\"css\" href=\"style.css\" media-type=\"text/css\"/>\n",
        escape(modified)
    )?;
    for n in 0..files {
        writeln!(
            w,
            "<item id=\"t{}\" href=\"{}\" media-type=\"application/xhtml+xml\"/>",
            n + 1,
            chapter_name(n)
        )?;
    }
    w.write_all(b"</manifest>\n<spine>\n")?;
    for n in 0..files {
        writeln!(w, "<itemref idref=\"t{}\"/>", n + 1)?;
    }
    w.write_all(b"</spine>\n</package>\n")
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use super::super::fixture;
    use super::*;
    use crate::store::record::State;

    /// The fixture's EPUB (English, and a copy as Arabic), every entry as `== name (method) ==`
    /// and its text.
    fn entries() -> Vec<(String, CompressionMethod, String)> {
        let (doc, mut stores) = fixture::stores();
        let mut ar = stores[0].clone();
        ar.0 = "ar".into();
        stores.push(ar);
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let mut bytes = Cursor::new(Vec::new());
        render(&edition, &modified(&edition), &mut bytes).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes.into_inner())).unwrap();
        (0..zip.len())
            .map(|i| {
                let mut f = zip.by_index(i).unwrap();
                let mut text = String::new();
                f.read_to_string(&mut text).unwrap();
                (f.name().to_string(), f.compression(), text)
            })
            .collect()
    }

    #[test]
    fn the_container_comes_first_and_text_is_escaped_and_tagged() {
        let all = entries();
        assert_eq!(all[0].0, "mimetype");
        assert_eq!(all[0].1, CompressionMethod::Stored);
        assert_eq!(all[0].2, "application/epub+zip");
        let text: String = all
            .iter()
            .filter(|e| e.0.starts_with("OEBPS/text-"))
            .map(|e| e.2.as_str())
            .collect();
        assert!(!text.contains("<script>") && text.contains("&lt;script&gt;"));
        assert!(text.contains("lang=\"ar\" xml:lang=\"ar\" dir=\"rtl\""));
        assert!(text.contains("data-mark=\"untranslated\""));
        let opf = &all.iter().find(|e| e.0 == "OEBPS/content.opf").unwrap().2;
        assert!(opf.contains("2026-11-29T13:10:00Z"), "{opf}");
    }

    #[test]
    fn table_rows_are_tables() {
        let (doc, stores) = fixture::table_stores();
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let mut buf = String::new();
        let file_of = HashMap::new();
        for unit in &doc.units {
            unit_xhtml(&edition, unit, &file_of, &[false], &[" "], &mut buf);
        }
        assert!(
            buf.contains("<table class=\"src cells\" lang=\"zh\" xml:lang=\"zh\"><tr><td>指标</td><td>2019年</td><td>2023年</td></tr></table>"),
            "{buf}"
        );
        assert!(buf.contains(
            "<table class=\"tgt cells\" lang=\"en\" xml:lang=\"en\"><tr><td>Forest coverage (%)</td><td>39.6</td><td><span class=\"mark\" data-mark=\"untranslated\"></span></td></tr></table>"
        ));
        assert!(buf.contains("<p class=\"src\" lang=\"zh\" xml:lang=\"zh\">表1　主要指标</p>"));
    }

    #[test]
    fn epub_is_pinned() {
        let mut s = String::new();
        for (name, method, text) in entries() {
            let _ = write!(s, "== {name} ({method}) ==\n{text}\n");
        }
        insta::assert_snapshot!(s);
    }

    #[test]
    fn long_sections_are_cut_and_every_heading_is_in_the_navigation() {
        let mut text = String::from("标题\n\n一、第一部分\n\n");
        for i in 0..(MAX_UNITS + 5) {
            let _ = write!(text, "第{i}段。\n\n");
        }
        text.push_str("二、第二部分\n\n（一）小节\n\n最后一段。\n");
        let doc = crate::segment::Document::from_text(
            "long",
            std::path::Path::new("source/long.txt"),
            crate::source::Encoding::Utf8,
            text,
            &crate::segment::Rules::builtin(crate::segment::SentenceOptions::default()),
        );
        let targets = [crate::publish::Targets::from_records("en", &[])];
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let of = chapters(&edition);
        assert_eq!(*of.last().unwrap(), 3, "title, part one cut once, part two");
        let mut nav_text = Vec::new();
        nav(&edition, &of, "long", &mut nav_text).unwrap();
        let nav_text = String::from_utf8(nav_text).unwrap();
        assert!(nav_text.contains("一、第一部分"), "{nav_text}");
        assert!(
            nav_text.contains("二、第二部分</a>\n<ol>\n<li><a href=\"text-0004.xhtml#u-"),
            "{nav_text}"
        );
    }
}
