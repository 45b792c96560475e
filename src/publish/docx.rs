//! The DOCX edition: headings as real Word headings (`Heading1`…, so Word's navigation pane and
//! the table of contents field work), a TOC field before the text, and the other units in
//! tables with one column for the source and one per target language.
//!
//! Built with docx-rs, which assembles the document in memory before zipping it (unlike the
//! text formats, a DOCX edition is not streamed); the zip goes into the [`AtomicFile`].

use docx_rs::{
    Docx, Paragraph, Run, Style, StyleType, Table, TableCell, TableOfContents, TableRow, WidthType,
};

use super::{Edition, PublishError};
use crate::exchange::xml::is_xml_char;
use crate::files::AtomicFile;
use crate::segment::{Role, Unit};

/// Text as Word can hold it: characters XML 1.0 cannot carry become U+FFFD.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

fn block(edition: &Edition<'_>, l: usize, unit: &Unit) -> String {
    let mut parts = Vec::new();
    for s in &unit.segments {
        let shown = edition.shown(l, &s.id);
        match (shown.mark, shown.text.is_empty()) {
            (Some(m), true) => parts.push(format!("[{m}]")),
            (Some(m), false) => parts.push(format!("[{m}] {}", shown.text)),
            (None, _) => parts.push(shown.text.to_string()),
        }
    }
    let sep = if crate::lang::joins_without_space(&edition.langs[l].lang) {
        ""
    } else {
        " "
    };
    clean(&parts.join(sep))
}

/// A table row's cells in one language, as a one-row table nested in the column.
fn cells_table(texts: Vec<String>) -> Table {
    let count = texts.len().max(1);
    let width = 4000 / count;
    let cells = texts
        .into_iter()
        .map(|t| TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(t))))
        .collect();
    Table::new(vec![TableRow::new(cells)]).set_grid(vec![width; count])
}

/// A table row's cells in language `l` (`None`: the source).
fn row_cells(edition: &Edition<'_>, l: Option<usize>, unit: &Unit) -> Vec<String> {
    unit.segments
        .iter()
        .map(|s| match l {
            None => clean(edition.doc.segment_text(unit, s)),
            Some(l) => {
                let shown = edition.shown(l, &s.id);
                clean(&match (shown.mark, shown.text.is_empty()) {
                    (Some(m), true) => format!("[{m}]"),
                    (Some(m), false) => format!("[{m}] {}", shown.text),
                    (None, _) => shown.text.to_string(),
                })
            }
        })
        .collect()
}

fn table(rows: Vec<TableRow>, columns: usize) -> Table {
    let width = 9000 / columns.max(1);
    Table::new(rows)
        .set_grid(vec![width; columns])
        .width(9000, WidthType::Dxa)
}

/// Writes the DOCX edition.
pub fn write(edition: &Edition<'_>, out: &mut AtomicFile) -> Result<(), PublishError> {
    let columns = edition.langs.len() + 1;
    let mut docx = Docx::new()
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .size(40)
                .bold(),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .size(32)
                .bold()
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .size(28)
                .bold()
                .outline_lvl(1),
        )
        .add_style(
            Style::new("Heading3", StyleType::Paragraph)
                .name("Heading 3")
                .size(24)
                .bold()
                .outline_lvl(2),
        );
    let mut rows: Vec<TableRow> = Vec::new();
    let mut toc_done = false;
    for unit in &edition.doc.units {
        if unit.segments.is_empty() || matches!(unit.role, Role::TocTitle | Role::TocEntry) {
            continue;
        }
        let style = match unit.role {
            Role::Title => Some("Title".to_string()),
            Role::Heading => Some(format!("Heading{}", unit.level.unwrap_or(1).clamp(1, 3))),
            _ => None,
        };
        if unit.role == Role::TableRow {
            // A row of the source's table: its cells as a nested table in each column.
            let cells = std::iter::once(None)
                .chain((0..edition.langs.len()).map(Some))
                .map(|l| TableCell::new().add_table(cells_table(row_cells(edition, l, unit))))
                .collect();
            rows.push(TableRow::new(cells));
            continue;
        }
        let mut texts = vec![clean(edition.doc.unit_text(unit))];
        texts.extend((0..edition.langs.len()).map(|l| block(edition, l, unit)));
        if let Some(style) = style {
            if !rows.is_empty() {
                docx = docx.add_table(table(std::mem::take(&mut rows), columns));
            }
            if unit.role == Role::Heading && !toc_done {
                docx = docx.add_table_of_contents(
                    TableOfContents::new()
                        .heading_styles_range(1, 3)
                        .alias("Contents"),
                );
                toc_done = true;
            }
            for t in texts {
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .add_run(Run::new().add_text(t))
                        .style(&style),
                );
            }
        } else {
            let cells = texts
                .into_iter()
                .map(|t| {
                    let mut run = Run::new().add_text(t);
                    if unit.role == Role::Note {
                        run = run.size(18);
                    }
                    TableCell::new().add_paragraph(Paragraph::new().add_run(run))
                })
                .collect();
            rows.push(TableRow::new(cells));
        }
    }
    if !rows.is_empty() {
        docx = docx.add_table(table(rows, columns));
    }
    let w = out.writer();
    docx.pack(&mut *w)
        .map_err(|e| out.error(std::io::Error::other(e.to_string())).into())
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::store::record::State;
    use std::io::Read;

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
        // One outer table (caption and two rows), with a nested one-row table per column.
        assert_eq!(xml.matches("<w:tbl>").count(), 1 + 2 * 2, "{xml}");
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
    fn the_docx_opens_with_headings_toc_and_a_two_column_table() {
        let (doc, stores) = fixture::stores();
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("x.docx")).unwrap();
        write(&edition, &mut f).unwrap();
        let path = f.commit().unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let mut xml = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(
            xml.contains("<w:pStyle w:val=\"Heading1\" />") || xml.contains("w:val=\"Heading1\"")
        );
        assert!(xml.contains("TOC \\o"), "a table of contents field");
        assert!(xml.contains("<w:tbl>"));
        assert!(xml.contains("China stays on the path of peaceful development."));
        assert!(xml.contains("&lt;script&gt;"), "markup stays text");
        assert!(xml.contains("[untranslated]"));
        let mut styles = String::new();
        zip.by_name("word/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        assert!(styles.contains("Heading 1"));
    }
}
