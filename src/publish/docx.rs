//! The DOCX edition, written as `WordprocessingML` by hand and streamed into the ZIP: nothing of
//! the text is held beyond the unit being written, so a 572,000-segment edition takes no more
//! memory than the document and its translations already do.
//!
//! What a publisher gets, and why:
//! - a **title block** from the document's title (`title` in `duiyi.toml`, else the source's
//!   title unit), one paragraph per language;
//! - a **table of contents** written out (no field left for Word or `LibreOffice` to update):
//!   the source's own table of contents when it has one, else one made from the headings, each
//!   entry linked to its heading's bookmark and indented by level;
//! - **headings** as Word headings (`Heading1`…, so the navigation pane works), source then
//!   translations, kept with what follows;
//! - the text in **tables exactly the text width** of an A4 page with the margins below, one
//!   column per language, light grey rules, rows that may break across pages unless short;
//! - **`w:lang` on every run** (`zh-CN`, `en-US`, `fr-FR`… from the project's languages) and
//!   named Latin and East Asian fonts (`[publish]` of `duiyi.toml`; defaults Times New Roman and
//!   Noto Serif CJK SC, with Word's substitutes declared in the font table), East Asian
//!   punctuation compression on;
//! - a **header** with the titles and a **footer** with the page number;
//! - **document properties** (title, author, language, dates) and unique paragraph ids.

use std::fmt::Write as _;
use std::io::{self, Seek, Write};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::{Edition, PublishError};
use crate::exchange::xml::escape_into;
use crate::files::AtomicFile;
use crate::lang::{is_rtl, joins_without_space, locale, writes_han};
use crate::segment::{Role, Unit};

/// A4, in twentieths of a point.
pub const PAGE_WIDTH: u32 = 11_906;
/// A4, in twentieths of a point.
pub const PAGE_HEIGHT: u32 = 16_838;
/// The left and right margins (2 cm).
pub const MARGIN_SIDE: u32 = 1_134;
/// The top margin (2.2 cm).
pub const MARGIN_TOP: u32 = 1_247;
/// The bottom margin (2 cm).
pub const MARGIN_BOTTOM: u32 = 1_134;
/// The width of the text block, and so of every table.
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN_SIDE;

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" mc:Ignorable=\"w14\"";

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>
<Default Extension=\"xml\" ContentType=\"application/xml\"/>
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>
</Types>
";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>
</Relationships>
";

const DOCUMENT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>
<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>
<Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>
</Relationships>
";

/// The light rule of tables: 0.5 pt, grey.
const RULE: &str = "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BFBFBF\"";

fn zip_error(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => io::Error::other(other),
    }
}

/// Writes the DOCX edition into `out`.
pub fn write(edition: &Edition<'_>, out: &mut AtomicFile) -> Result<(), PublishError> {
    render(edition, out.writer()).map_err(|e| out.error(e).into())
}

/// How runs of one language are tagged.
struct Lang {
    /// `<w:rPr>…</w:rPr>` of its runs.
    rpr: String,
    /// `<w:bidi/>` for a right-to-left language, justification for CJK (a narrow column of
    /// justified Latin text opens gaps between words).
    ppr: &'static str,
    /// Whether its sentences join without spaces.
    joined: bool,
}

impl Lang {
    fn new(lang: &str, east_asian: Option<&str>) -> Self {
        let code = locale(lang);
        let mut rpr = String::from("<w:rPr>");
        if writes_han(lang) {
            let _ = write!(
                rpr,
                "<w:rFonts w:hint=\"eastAsia\"/><w:lang w:val=\"{code}\" w:eastAsia=\"{code}\"/>"
            );
        } else if is_rtl(lang) {
            let _ = write!(rpr, "<w:rtl/><w:lang w:val=\"{code}\" w:bidi=\"{code}\"/>");
        } else {
            let _ = write!(rpr, "<w:lang w:val=\"{code}\"");
            if let Some(ea) = east_asian {
                let _ = write!(rpr, " w:eastAsia=\"{ea}\"");
            }
            rpr.push_str("/>");
        }
        rpr.push_str("</w:rPr>");
        Self {
            rpr,
            ppr: if is_rtl(lang) {
                "<w:bidi/>"
            } else if writes_han(lang) {
                "<w:jc w:val=\"both\"/>"
            } else {
                ""
            },
            joined: joins_without_space(lang),
        }
    }

    /// The run properties with `extra` (a highlight, a style) before the language.
    fn rpr_with(&self, extra: &str) -> String {
        self.rpr.replacen("<w:rPr>", &format!("<w:rPr>{extra}"), 1)
    }
}

/// The writer's state: the paragraph counter and the reusable buffer.
struct Writer {
    buf: String,
    para: u32,
    bookmark: u32,
}

impl Writer {
    /// Opens a paragraph with a fresh id and the properties `ppr` (without `<w:pPr>`).
    fn open_p(&mut self, ppr: &str) {
        self.para += 1;
        let _ = write!(
            self.buf,
            "<w:p w14:paraId=\"{:08X}\" w14:textId=\"77777777\">",
            self.para
        );
        if !ppr.is_empty() {
            let _ = write!(self.buf, "<w:pPr>{ppr}</w:pPr>");
        }
    }

    /// A run of `text` with the run properties `rpr`.
    fn run(&mut self, rpr: &str, text: &str) {
        let _ = write!(self.buf, "<w:r>{rpr}<w:t xml:space=\"preserve\">");
        escape_into(&mut self.buf, text, &mut |o, _| o.push('\u{FFFD}'));
        self.buf.push_str("</w:t></w:r>");
    }

    /// A paragraph of style `style` holding `text` in language `lang`.
    fn paragraph(&mut self, style: &str, extra_ppr: &str, lang: &Lang, text: &str) {
        self.open_p(&format!(
            "<w:pStyle w:val=\"{style}\"/>{extra_ppr}{}",
            lang.ppr
        ));
        self.run(&lang.rpr, text);
        self.buf.push_str("</w:p>");
    }

    fn flush(&mut self, w: &mut impl Write) -> io::Result<()> {
        w.write_all(self.buf.as_bytes())?;
        self.buf.clear();
        Ok(())
    }
}

/// What kind of table is open.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Toc,
    Body,
}

/// The bookmark of a heading (`_u` and its segment id: hidden in Word's bookmark list).
fn bookmark_name(id: &str) -> String {
    format!("_u{id}")
}

/// The column widths: the text width shared out, the last column taking the remainder, so
/// they add up to [`TEXT_WIDTH`] exactly.
pub fn columns(n: usize) -> Vec<u32> {
    let n32 = u32::try_from(n.max(1)).unwrap_or(1);
    let each = TEXT_WIDTH / n32;
    let mut widths = vec![each; n.max(1)];
    if let Some(last) = widths.last_mut() {
        *last = TEXT_WIDTH - each * (n32 - 1);
    }
    widths
}

fn render<W: Write + Seek>(edition: &Edition<'_>, w: W) -> io::Result<()> {
    let mut zip = ZipWriter::new(w);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let part = |zip: &mut ZipWriter<W>, name: &str, text: &str| -> io::Result<()> {
        zip.start_file(name, deflated).map_err(zip_error)?;
        zip.write_all(text.as_bytes())
    };
    part(&mut zip, "[Content_Types].xml", CONTENT_TYPES)?;
    part(&mut zip, "_rels/.rels", PACKAGE_RELS)?;
    part(&mut zip, "docProps/core.xml", &core(edition))?;
    part(
        &mut zip,
        "docProps/app.xml",
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>duiyi {}</Application></Properties>\n",
            env!("CARGO_PKG_VERSION")
        ),
    )?;
    part(&mut zip, "word/_rels/document.xml.rels", DOCUMENT_RELS)?;
    part(&mut zip, "word/styles.xml", &styles(edition))?;
    part(&mut zip, "word/settings.xml", &settings(edition))?;
    part(&mut zip, "word/fontTable.xml", &font_table(edition))?;

    let east_asian = east_asian(edition);
    let source = Lang::new(&edition.source_lang, east_asian.as_deref());
    let targets: Vec<Lang> = edition
        .langs
        .iter()
        .map(|t| Lang::new(&t.lang, east_asian.as_deref()))
        .collect();
    let mut wr = Writer {
        buf: String::with_capacity(1 << 14),
        para: 0,
        bookmark: 0,
    };
    zip.start_file("word/document.xml", deflated)
        .map_err(zip_error)?;
    body(edition, &source, &targets, &mut wr, &mut zip)?;

    // The header and footer, after the body: their paragraph ids follow the body's.
    zip.start_file("word/header1.xml", deflated)
        .map_err(zip_error)?;
    let _ = write!(
        wr.buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr {NS}>"
    );
    wr.open_p("<w:pStyle w:val=\"Header\"/>");
    let titles = edition.titles();
    for (i, (lang, title)) in titles.iter().enumerate() {
        let l = Lang::new(lang, east_asian.as_deref());
        if i > 0 {
            wr.run(&l.rpr, " · ");
        }
        wr.run(&l.rpr, title);
    }
    wr.buf.push_str("</w:p></w:hdr>\n");
    wr.flush(&mut zip)?;
    zip.start_file("word/footer1.xml", deflated)
        .map_err(zip_error)?;
    let _ = write!(
        wr.buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr {NS}>"
    );
    wr.open_p("<w:pStyle w:val=\"Footer\"/>");
    let rpr = &source.rpr;
    let _ = write!(
        wr.buf,
        "<w:r>{rpr}<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>{rpr}<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r>{rpr}<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r>{rpr}<w:t>1</w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:ftr>"
    );
    wr.flush(&mut zip)?;
    zip.finish().map_err(zip_error)?;
    Ok(())
}

/// The East Asian language of the edition (for `w:eastAsia` of the other runs), when there is
/// one: the source's, else the first target's.
fn east_asian(edition: &Edition<'_>) -> Option<String> {
    std::iter::once(edition.source_lang.as_str())
        .chain(edition.langs.iter().map(|t| t.lang.as_str()))
        .find(|l| writes_han(l))
        .map(locale)
}

/// The text of `unit` in target `l`, as runs: each segment in turn, a segment below the bar
/// highlighted and marked.
fn target_runs(edition: &Edition<'_>, l: usize, lang: &Lang, unit: &Unit, wr: &mut Writer) {
    let mut first = true;
    for s in &unit.segments {
        let shown = edition.shown(l, &s.id);
        if !first && !lang.joined {
            wr.run(&lang.rpr, " ");
        }
        first = false;
        match shown.mark {
            Some(mark) => {
                let rpr = lang.rpr_with("<w:highlight w:val=\"yellow\"/>");
                if !shown.text.is_empty() {
                    wr.run(&rpr, shown.text);
                    wr.run(&rpr, " ");
                }
                let small = lang.rpr_with(
                    "<w:color w:val=\"8A5A00\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/>",
                );
                wr.run(&small, &format!("[{mark}]"));
            }
            None => wr.run(&lang.rpr, shown.text),
        }
    }
}

/// The paragraph style of a unit in a table cell.
fn cell_style(unit: &Unit, level: usize) -> String {
    match unit.role {
        Role::TocEntry => format!("TOC{}", level.clamp(1, 3)),
        Role::Note => "Note".into(),
        Role::Dateline => "Dateline".into(),
        Role::ListItem => "ListItem".into(),
        _ => "BodyText".into(),
    }
}

/// Whether a row is short enough to be kept whole on one page (about five lines in every
/// cell), so that short units never split while long ones may.
fn short_row(edition: &Edition<'_>, unit: &Unit, width: u32) -> bool {
    // Half an em at 10.5 pt is 105 twentieths of a point: a Latin letter; CJK takes two.
    let per_line = usize::try_from(width / 105).unwrap_or(40).max(10);
    let units = |text: &str| -> usize {
        text.chars()
            .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
            .sum()
    };
    if units(edition.doc.unit_text(unit)) > 5 * per_line {
        return false;
    }
    (0..edition.langs.len()).all(|l| {
        unit.segments
            .iter()
            .map(|s| units(edition.shown(l, &s.id).text) + 1)
            .sum::<usize>()
            <= 5 * per_line
    })
}

/// The heading levels by segment id (for the TOC entries' indentation).
fn heading_levels<'a>(edition: &Edition<'a>) -> std::collections::HashMap<&'a str, usize> {
    edition
        .doc
        .units
        .iter()
        .filter(|u| u.role == Role::Heading)
        .filter_map(|u| {
            u.segments
                .first()
                .map(|s| (s.id.as_str(), usize::from(u.level.unwrap_or(1).max(1))))
        })
        .collect()
}

fn body(
    edition: &Edition<'_>,
    source: &Lang,
    targets: &[Lang],
    wr: &mut Writer,
    w: &mut impl Write,
) -> io::Result<()> {
    let _ = write!(
        wr.buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document {NS}><w:body>"
    );
    let east_asian = east_asian(edition);
    // The title block.
    for (lang, title) in edition.titles() {
        let l = Lang::new(lang, east_asian.as_deref());
        wr.paragraph("Title", "", &l, &title);
    }
    wr.flush(w)?;
    let widths = columns(edition.langs.len() + 1);
    let levels = heading_levels(edition);
    let title_unit = edition.title().map(|u| u.line);
    let has_toc = edition
        .doc
        .units
        .iter()
        .any(|u| matches!(u.role, Role::TocEntry | Role::TocTitle));
    let mut toc_done = has_toc;
    let mut open: Option<Table> = None;
    for unit in &edition.doc.units {
        if unit.segments.is_empty() || Some(unit.line) == title_unit && unit.role == Role::Title {
            continue;
        }
        match unit.role {
            Role::TocTitle | Role::Heading | Role::Title => {
                close_table(&mut open, wr);
                if unit.role == Role::Heading && !toc_done {
                    made_toc(edition, source, targets, &widths, &levels, wr);
                    toc_done = true;
                }
                heading(edition, unit, source, targets, wr);
            }
            _ => {
                let kind = if unit.role == Role::TocEntry {
                    Table::Toc
                } else {
                    Table::Body
                };
                if open != Some(kind) {
                    close_table(&mut open, wr);
                    open_table(kind, &widths, wr);
                    open = Some(kind);
                }
                row(edition, unit, source, targets, &widths, &levels, wr);
            }
        }
        if wr.buf.len() > 1 << 14 {
            wr.flush(w)?;
        }
    }
    close_table(&mut open, wr);
    let _ = write!(
        wr.buf,
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rId4\"/><w:footerReference w:type=\"default\" r:id=\"rId5\"/><w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\"/><w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_SIDE}\" w:bottom=\"{MARGIN_BOTTOM}\" w:left=\"{MARGIN_SIDE}\" w:header=\"680\" w:footer=\"567\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/><w:docGrid w:linePitch=\"312\"/></w:sectPr></w:body></w:document>"
    );
    wr.flush(w)
}

fn open_table(kind: Table, widths: &[u32], wr: &mut Writer) {
    let borders = match kind {
        Table::Body => format!(
            "<w:top {RULE}/><w:left w:val=\"nil\"/><w:bottom {RULE}/><w:right w:val=\"nil\"/><w:insideH {RULE}/><w:insideV {RULE}/>"
        ),
        Table::Toc => "<w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/><w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/>".to_string(),
    };
    let _ = write!(
        wr.buf,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"57\" w:type=\"dxa\"/><w:left w:w=\"85\" w:type=\"dxa\"/><w:bottom w:w=\"57\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
    );
    for width in widths {
        let _ = write!(wr.buf, "<w:gridCol w:w=\"{width}\"/>");
    }
    wr.buf.push_str("</w:tblGrid>");
}

fn close_table(open: &mut Option<Table>, wr: &mut Writer) {
    if open.take().is_some() {
        wr.buf.push_str("</w:tbl>");
    }
}

/// A heading (or the title of the table of contents): one paragraph per language, all kept
/// with what follows, the first holding the bookmark the table of contents links to.
fn heading(edition: &Edition<'_>, unit: &Unit, source: &Lang, targets: &[Lang], wr: &mut Writer) {
    let style = match unit.role {
        Role::TocTitle => "TOCHeading".to_string(),
        Role::Title => "Title".to_string(),
        _ => format!("Heading{}", unit.level.unwrap_or(1).clamp(1, 3)),
    };
    wr.open_p(&format!("<w:pStyle w:val=\"{style}\"/>{}", source.ppr));
    let mark = unit.segments.first().map(|s| bookmark_name(&s.id));
    if let Some(name) = &mark {
        let _ = write!(
            wr.buf,
            "<w:bookmarkStart w:id=\"{}\" w:name=\"{name}\"/>",
            wr.bookmark
        );
    }
    wr.run(&source.rpr, edition.doc.unit_text(unit));
    if mark.is_some() {
        let _ = write!(wr.buf, "<w:bookmarkEnd w:id=\"{}\"/>", wr.bookmark);
        wr.bookmark += 1;
    }
    wr.buf.push_str("</w:p>");
    for (l, lang) in targets.iter().enumerate() {
        wr.open_p(&format!("<w:pStyle w:val=\"{style}\"/>{}", lang.ppr));
        target_runs(edition, l, lang, unit, wr);
        wr.buf.push_str("</w:p>");
    }
}

/// One row: a cell per language, a TOC entry linked to its heading.
fn row(
    edition: &Edition<'_>,
    unit: &Unit,
    source: &Lang,
    targets: &[Lang],
    widths: &[u32],
    levels: &std::collections::HashMap<&str, usize>,
    wr: &mut Writer,
) {
    let level = unit
        .links_to
        .as_deref()
        .and_then(|id| levels.get(id).copied())
        .unwrap_or(1);
    let style = cell_style(unit, level);
    let link = unit.links_to.as_deref().map(bookmark_name);
    wr.buf.push_str("<w:tr>");
    if short_row(edition, unit, widths[0]) {
        wr.buf.push_str("<w:trPr><w:cantSplit/></w:trPr>");
    }
    let cells = std::iter::once(None).chain((0..targets.len()).map(Some));
    for (cell, width) in cells.zip(widths) {
        let lang = cell.map_or(source, |l| &targets[l]);
        let _ = write!(
            wr.buf,
            "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
        );
        wr.open_p(&format!("<w:pStyle w:val=\"{style}\"/>{}", lang.ppr));
        if let Some(anchor) = &link {
            let _ = write!(
                wr.buf,
                "<w:hyperlink w:anchor=\"{anchor}\" w:history=\"1\">"
            );
        }
        if unit.role == Role::TableRow {
            // A row of the source's table: its cells as a one-row table nested in the column
            // (a cell ends with a paragraph, so the one opened above closes it).
            wr.buf.push_str("</w:p>");
            cells_table(edition, cell, lang, unit, *width, wr);
            wr.open_p("");
            wr.buf.push_str("</w:p></w:tc>");
            continue;
        }
        match cell {
            None => wr.run(&source.rpr, edition.doc.unit_text(unit)),
            Some(l) => target_runs(edition, l, lang, unit, wr),
        }
        if link.is_some() {
            wr.buf.push_str("</w:hyperlink>");
        }
        wr.buf.push_str("</w:p></w:tc>");
    }
    wr.buf.push_str("</w:tr>");
}

/// The cells of a table row in one language (`cell`: `None` for the source, else the target's
/// index) as a one-row table `width` wide, rules as light as the outer table's.
fn cells_table(
    edition: &Edition<'_>,
    cell: Option<usize>,
    lang: &Lang,
    unit: &Unit,
    width: u32,
    wr: &mut Writer,
) {
    let count = u32::try_from(unit.segments.len().max(1)).unwrap_or(1);
    let each = (width.saturating_sub(120) / count).max(300);
    let _ = write!(
        wr.buf,
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblBorders><w:insideV w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"BFBFBF\"/></w:tblBorders></w:tblPr><w:tblGrid>",
        each * count
    );
    for _ in 0..count {
        let _ = write!(wr.buf, "<w:gridCol w:w=\"{each}\"/>");
    }
    wr.buf.push_str("</w:tblGrid><w:tr>");
    for s in &unit.segments {
        let _ = write!(
            wr.buf,
            "<w:tc><w:tcPr><w:tcW w:w=\"{each}\" w:type=\"dxa\"/></w:tcPr>"
        );
        wr.open_p(&format!("<w:pStyle w:val=\"BodyText\"/>{}", lang.ppr));
        match cell {
            None => wr.run(&lang.rpr, edition.doc.segment_text(unit, s)),
            Some(l) => {
                let shown = edition.shown(l, &s.id);
                match shown.mark {
                    Some(mark) if shown.text.is_empty() => wr.run(&lang.rpr, &format!("[{mark}]")),
                    Some(mark) => wr.run(&lang.rpr, &format!("[{mark}] {}", shown.text)),
                    None => wr.run(&lang.rpr, shown.text),
                }
            }
        }
        wr.buf.push_str("</w:p></w:tc>");
    }
    wr.buf.push_str("</w:tr></w:tbl>");
}

/// A table of contents made from the headings, for a source that has none: its title in every
/// language, then a row per heading linked to it.
fn made_toc(
    edition: &Edition<'_>,
    source: &Lang,
    targets: &[Lang],
    widths: &[u32],
    levels: &std::collections::HashMap<&str, usize>,
    wr: &mut Writer,
) {
    wr.paragraph(
        "TOCHeading",
        "",
        source,
        super::contents_label(&edition.source_lang),
    );
    for (l, lang) in targets.iter().enumerate() {
        wr.paragraph(
            "TOCHeading",
            "",
            lang,
            super::contents_label(&edition.langs[l].lang),
        );
    }
    open_table(Table::Toc, widths, wr);
    for unit in &edition.doc.units {
        let Some(first) = unit.segments.first() else {
            continue;
        };
        if unit.role != Role::Heading {
            continue;
        }
        let level = levels.get(first.id.as_str()).copied().unwrap_or(1);
        let style = format!("TOC{}", level.clamp(1, 3));
        let anchor = bookmark_name(&first.id);
        wr.buf.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        let cells = std::iter::once(None).chain((0..targets.len()).map(Some));
        for (cell, width) in cells.zip(widths) {
            let lang = cell.map_or(source, |l| &targets[l]);
            let _ = write!(
                wr.buf,
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
            );
            wr.open_p(&format!("<w:pStyle w:val=\"{style}\"/>{}", lang.ppr));
            let _ = write!(
                wr.buf,
                "<w:hyperlink w:anchor=\"{anchor}\" w:history=\"1\">"
            );
            match cell {
                None => wr.run(&source.rpr, edition.doc.unit_text(unit)),
                Some(l) => target_runs(edition, l, lang, unit, wr),
            }
            wr.buf.push_str("</w:hyperlink></w:p></w:tc>");
        }
        wr.buf.push_str("</w:tr>");
    }
    wr.buf.push_str("</w:tbl>");
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, &mut |o, _| o.push('\u{FFFD}'));
    out
}

/// The document properties: title, author, language, subject (the languages), dates.
fn core(edition: &Edition<'_>) -> String {
    let date = edition.date();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
    );
    let _ = write!(out, "<dc:title>{}</dc:title>", xml(&edition.full_title()));
    let langs: Vec<String> = std::iter::once(edition.source_lang.as_str())
        .chain(edition.langs.iter().map(|t| t.lang.as_str()))
        .map(locale)
        .collect();
    let _ = write!(
        out,
        "<dc:subject>{}</dc:subject>",
        xml(&format!("{} ({})", edition.doc.name, langs.join(", ")))
    );
    if let Some(author) = &edition.meta.author {
        let _ = write!(out, "<dc:creator>{}</dc:creator>", xml(author));
    }
    let _ = write!(
        out,
        "<cp:keywords>{}</cp:keywords><dc:description>{}</dc:description><dc:language>{}</dc:language><dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        xml(&langs.join(" ")),
        xml(&format!(
            "Parallel edition published with duiyi {}",
            env!("CARGO_PKG_VERSION")
        )),
        xml(&langs[0])
    );
    out
}

/// The styles: the fonts and languages of the whole document, then each paragraph style.
fn styles(edition: &Edition<'_>) -> String {
    let meta = &edition.meta;
    let latin = xml(&meta.latin_font);
    let cjk = xml(&meta.cjk_font);
    let east = east_asian(edition).unwrap_or_else(|| "zh-CN".into());
    let first_latin = edition
        .langs
        .iter()
        .map(|t| t.lang.as_str())
        .find(|l| !writes_han(l))
        .map_or_else(|| "en-US".to_string(), locale);
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"{latin}\" w:hAnsi=\"{latin}\" w:eastAsia=\"{cjk}\" w:cs=\"{latin}\"/><w:sz w:val=\"21\"/><w:szCs w:val=\"21\"/><w:lang w:val=\"{first_latin}\" w:eastAsia=\"{east}\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after=\"0\" w:line=\"288\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
    );
    let style = |s: &mut String, id: &str, name: &str, ppr: &str, rpr: &str| {
        let _ = write!(
            s,
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
        );
    };
    s.push_str("<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>");
    style(
        &mut s,
        "Title",
        "Title",
        "<w:keepNext/><w:keepLines/><w:spacing w:before=\"120\" w:after=\"240\" w:line=\"264\" w:lineRule=\"auto\"/><w:jc w:val=\"center\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"40\"/><w:szCs w:val=\"40\"/>",
    );
    for (level, size, before) in [(1u8, 30u8, 360u16), (2, 24, 240), (3, 21, 200)] {
        style(
            &mut s,
            &format!("Heading{level}"),
            &format!("heading {level}"),
            &format!(
                "<w:keepNext/><w:keepLines/><w:spacing w:before=\"{before}\" w:after=\"80\"/><w:outlineLvl w:val=\"{}\"/>",
                level - 1
            ),
            &format!("<w:b/><w:bCs/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"),
        );
    }
    style(
        &mut s,
        "TOCHeading",
        "TOC Heading",
        "<w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"80\"/>",
        "<w:b/><w:bCs/><w:sz w:val=\"30\"/><w:szCs w:val=\"30\"/>",
    );
    for (level, indent) in [(1u8, 0u16), (2, 360), (3, 720)] {
        style(
            &mut s,
            &format!("TOC{level}"),
            &format!("toc {level}"),
            &format!("<w:ind w:left=\"{indent}\"/>"),
            if level == 1 { "<w:b/><w:bCs/>" } else { "" },
        );
    }
    style(&mut s, "BodyText", "Body Text", "", "");
    style(
        &mut s,
        "ListItem",
        "List Paragraph",
        "<w:ind w:left=\"227\"/>",
        "",
    );
    style(
        &mut s,
        "Note",
        "Note",
        "",
        "<w:color w:val=\"555555\"/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/>",
    );
    style(
        &mut s,
        "Dateline",
        "Dateline",
        "<w:jc w:val=\"center\"/>",
        "<w:i/><w:iCs/>",
    );
    for (id, name) in [("Header", "header"), ("Footer", "footer")] {
        style(
            &mut s,
            id,
            name,
            "<w:jc w:val=\"center\"/>",
            "<w:color w:val=\"6B6B70\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/>",
        );
    }
    s.push_str("</w:styles>\n");
    s
}

/// The settings: Word 2013 layout (tables aligned on the margin), East Asian punctuation
/// compression, the document's languages for the theme fonts.
fn settings(edition: &Edition<'_>) -> String {
    let east = east_asian(edition).unwrap_or_else(|| "zh-CN".into());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat><w:themeFontLang w:val=\"{}\" w:eastAsia=\"{east}\"/></w:settings>\n",
        locale(&edition.source_lang)
    )
}

/// The font table: the two fonts, with what Word should substitute where they are missing
/// (a serif; for the CJK font a Simplified Chinese one, charset GB2312).
fn font_table(edition: &Edition<'_>) -> String {
    let meta = &edition.meta;
    let alt = if meta.cjk_font == super::CJK_FONT {
        "<w:altName w:val=\"Source Han Serif SC\"/>"
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:font w:name=\"{}\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font><w:font w:name=\"{}\">{alt}<w:charset w:val=\"86\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font></w:fonts>\n",
        xml(&meta.latin_font),
        xml(&meta.cjk_font)
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Meta, fixture};
    use super::*;
    use crate::store::record::State;
    use std::io::Read;

    fn parts(langs: &[&str], meta: Meta) -> std::collections::BTreeMap<String, String> {
        let (doc, mut stores) = fixture::stores();
        for extra in langs.iter().skip(1) {
            let mut copy = stores[0].clone();
            copy.0 = (*extra).to_string();
            stores.push(copy);
        }
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed).with_meta(meta);
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("x.docx")).unwrap();
        write(&edition, &mut f).unwrap();
        let path = f.commit().unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut all = std::collections::BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            all.insert(f.name().to_string(), text);
        }
        all
    }

    #[test]
    fn table_rows_are_nested_tables() {
        let (doc, stores) = fixture::table_stores();
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("t.docx")).unwrap();
        write(&edition, &mut f).unwrap();
        let path = f.commit().unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        // Two rows, each with a nested one-row table in the source's and the target's column.
        assert!(xml.matches("<w:tbl>").count() > 2 * 2, "{xml}");
        let cells = |texts: &[&str]| texts.iter().all(|t| xml.contains(&format!(">{t}</w:t>")));
        assert!(cells(&[
            "指标",
            "2019年",
            "2023年",
            "Indicator",
            "Forest coverage (%)"
        ]));
        assert!(xml.contains("[untranslated]"));
    }

    #[test]
    fn the_docx_has_a_written_out_toc_headings_and_text_width_tables() {
        let parts = parts(&["en"], Meta::default());
        let xml = &parts["word/document.xml"];
        assert!(xml.contains("<w:pStyle w:val=\"Heading1\"/>"));
        assert!(!xml.contains("TOC \\o"), "no field to update");
        assert!(
            xml.contains("<w:hyperlink w:anchor=\"_u"),
            "TOC entries link"
        );
        assert!(xml.contains(&format!("<w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/>")));
        assert_eq!(columns(2).iter().sum::<u32>(), TEXT_WIDTH);
        assert_eq!(columns(3).iter().sum::<u32>(), TEXT_WIDTH);
        assert!(xml.contains("China stays on the path of peaceful development."));
        assert!(xml.contains("&lt;script&gt;"), "markup stays text");
        assert!(xml.contains("[untranslated]"));
        // Every run is tagged with its language.
        assert_eq!(
            xml.matches("<w:r>").count(),
            xml.matches("<w:lang ").count()
        );
        assert!(xml.contains("<w:lang w:val=\"zh-CN\" w:eastAsia=\"zh-CN\"/>"));
        assert!(xml.contains("<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>"));
        // Paragraph ids are unique.
        let ids: Vec<&str> = xml
            .split("w14:paraId=\"")
            .skip(1)
            .map(|s| &s[..8])
            .collect();
        let unique: std::collections::HashSet<&&str> = ids.iter().collect();
        assert_eq!(ids.len(), unique.len());
        assert!(parts["word/styles.xml"].contains("<w:keepNext/>"));
        assert!(parts["word/styles.xml"].contains("w:eastAsia=\"Noto Serif CJK SC\""));
        assert!(parts["word/footer1.xml"].contains(" PAGE "));
    }

    /// The XML of a part with a line break before each paragraph, row and table, so that a
    /// change shows as the lines it touches.
    fn lines(xml: &str) -> String {
        let mut out = xml.to_string();
        for open in [
            "<w:p ",
            "<w:p>",
            "<w:tbl>",
            "<w:tr>",
            "<w:tr ",
            "<w:sectPr",
            "<cp:",
            "<dc:",
            "<dcterms:",
            "<w:style ",
        ] {
            out = out.replace(open, &format!("\n{open}"));
        }
        out
    }

    /// The whole document a reader sees (body, header, footer, properties, styles), pinned.
    #[test]
    fn the_docx_is_pinned() {
        let parts = parts(&["en"], Meta::default());
        let mut all = String::new();
        for name in [
            "word/document.xml",
            "word/header1.xml",
            "word/footer1.xml",
            "docProps/core.xml",
            "word/styles.xml",
            "word/fontTable.xml",
        ] {
            let _ = write!(all, "==== {name}\n{}\n", lines(&parts[name]));
        }
        insta::assert_snapshot!(all);
    }

    #[test]
    fn titles_author_and_fonts_come_from_the_project() {
        let meta = Meta {
            titles: [
                ("zh".to_string(), "新时代".to_string()),
                ("fr".to_string(), "La nouvelle ère".to_string()),
            ]
            .into(),
            author: Some("国务院新闻办公室".into()),
            latin_font: "EB Garamond".into(),
            cjk_font: "Source Han Serif SC".into(),
        };
        let parts = parts(&["en", "fr", "ar"], meta);
        let core = &parts["docProps/core.xml"];
        assert!(
            core.contains("<dc:title>新时代 · China&apos;s International Development Cooperation in the New Era · La nouvelle ère · China&apos;s")
                || core.contains("<dc:title>新时代 · China's International Development Cooperation in the New Era · La nouvelle ère · China's"),
            "{core}"
        );
        assert!(core.contains("<dc:creator>国务院新闻办公室</dc:creator>"));
        assert!(core.contains("<dc:language>zh-CN</dc:language>"));
        assert!(core.contains("2026-11-29T13:10:00Z</dcterms:created>"));
        let styles = &parts["word/styles.xml"];
        assert!(
            styles.contains("w:ascii=\"EB Garamond\"")
                && styles.contains("w:eastAsia=\"Source Han Serif SC\"")
        );
        let xml = &parts["word/document.xml"];
        assert!(xml.contains("<w:lang w:val=\"fr-FR\" w:eastAsia=\"zh-CN\"/>"));
        assert!(xml.contains("<w:rtl/><w:lang w:val=\"ar-SA\" w:bidi=\"ar-SA\"/>"));
        assert!(xml.contains("La nouvelle ère"), "the title block");
        let header = &parts["word/header1.xml"];
        assert!(header.contains("新时代") && header.contains("La nouvelle ère"));
    }
}
