//! Markdown and plain-text editions: interleaved, source block then each target block, with
//! headings kept (`#` levels in Markdown, underlines in plain text) and segments below the bar
//! marked `[untranslated]`, `[unreviewed]` or `[not final]`.

use std::borrow::Cow;
use std::io::Write;

use super::{Edition, PublishError};
use crate::files::AtomicFile;
use crate::segment::{Role, Unit};

/// Escapes the characters Markdown would read as markup.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn target_block(edition: &Edition<'_>, l: usize, unit: &Unit, markdown: bool) -> String {
    let sep = if crate::lang::joins_without_space(&edition.langs[l].lang) {
        ""
    } else {
        " "
    };
    let mut out = String::new();
    for s in &unit.segments {
        let shown = edition.shown(l, &s.id);
        let mut piece = if markdown {
            md_escape(shown.text)
        } else {
            shown.text.to_string()
        };
        if let Some(mark) = shown.mark {
            let m = if markdown {
                format!("\\[{mark}\\]")
            } else {
                format!("[{mark}]")
            };
            piece = if piece.is_empty() {
                m
            } else {
                format!("{m} {piece}")
            };
        }
        if piece.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(&piece);
    }
    out
}

/// One cell of a table row in language `l` (`None`: the source), marked as the blocks are.
fn cell(edition: &Edition<'_>, l: Option<usize>, unit: &Unit, k: usize, markdown: bool) -> String {
    let Some(s) = unit.segments.get(k) else {
        return String::new();
    };
    let (text, mark) = match l {
        None => (edition.doc.segment_text(unit, s), None),
        Some(l) => {
            let shown = edition.shown(l, &s.id);
            (shown.text, shown.mark)
        }
    };
    let text = if markdown {
        md_escape(text)
    } else {
        text.to_string()
    };
    match (mark, markdown) {
        (None, _) => text,
        (Some(m), true) => format!("\\[{m}\\] {text}").trim_end().to_string(),
        (Some(m), false) => format!("[{m}] {text}").trim_end().to_string(),
    }
}

/// A run of table rows: the source's table, then each language's (a pipe table in Markdown,
/// cells joined by " | " in plain text).
fn table(edition: &Edition<'_>, rows: &[&Unit], markdown: bool, buf: &mut String) {
    let columns = rows.iter().map(|u| u.segments.len()).max().unwrap_or(1);
    for l in std::iter::once(None).chain((0..edition.langs.len()).map(Some)) {
        for (r, unit) in rows.iter().enumerate() {
            let cells: Vec<String> = (0..columns)
                .map(|k| cell(edition, l, unit, k, markdown))
                .collect();
            if markdown {
                buf.push_str("| ");
                buf.push_str(&cells.join(" | "));
                buf.push_str(" |\n");
                if r == 0 {
                    buf.push_str(&"| --- ".repeat(columns));
                    buf.push_str("|\n");
                }
            } else {
                buf.push_str(&cells.join(" | "));
                buf.push('\n');
            }
        }
        buf.push('\n');
    }
}

/// Writes the Markdown (`markdown`) or plain-text edition.
pub fn write(
    edition: &Edition<'_>,
    markdown: bool,
    out: &mut AtomicFile,
) -> Result<(), PublishError> {
    let mut buf = String::with_capacity(4096);
    let units = &edition.doc.units;
    let mut at = 0;
    while at < units.len() {
        let unit = &units[at];
        at += 1;
        if unit.segments.is_empty() {
            continue;
        }
        buf.clear();
        if unit.role == Role::TableRow {
            // The whole run of rows is one table in each language.
            let mut rows = vec![unit];
            while let Some(next) = units.get(at).filter(|u| u.role == Role::TableRow) {
                if !next.segments.is_empty() {
                    rows.push(next);
                }
                at += 1;
            }
            table(edition, &rows, markdown, &mut buf);
            out.writer()
                .write_all(buf.as_bytes())
                .map_err(|e| out.error(e))?;
            continue;
        }
        let mut blocks: Vec<(&str, Cow<'_, str>)> = vec![(
            edition.source_lang.as_str(),
            if markdown {
                Cow::Owned(md_escape(edition.doc.unit_text(unit)))
            } else {
                Cow::Borrowed(edition.doc.unit_text(unit))
            },
        )];
        for (l, lang) in edition.langs.iter().enumerate() {
            blocks.push((
                lang.lang.as_str(),
                Cow::Owned(target_block(edition, l, unit, markdown)),
            ));
        }
        let level = match unit.role {
            Role::Title => Some(1),
            Role::Heading => Some(usize::from(unit.level.unwrap_or(1)) + 1),
            Role::TocTitle => Some(2),
            _ => None,
        };
        for (lang, text) in &blocks {
            match (markdown, level, unit.role) {
                (true, Some(n), _) => {
                    buf.push_str(&"#".repeat(n.min(6)));
                    buf.push(' ');
                    buf.push_str(text);
                    buf.push('\n');
                }
                (true, None, Role::ListItem | Role::TocEntry) => {
                    buf.push_str("- ");
                    buf.push_str(text);
                    buf.push('\n');
                }
                (true, None, Role::Note) => {
                    buf.push_str("> ");
                    buf.push_str(text);
                    buf.push('\n');
                }
                (true, None, _) => {
                    buf.push_str(text);
                    buf.push_str("\n\n");
                }
                (false, Some(n), _) => {
                    buf.push_str(text);
                    buf.push('\n');
                    let width = text
                        .chars()
                        .map(|c| if c >= '\u{1100}' { 2 } else { 1 })
                        .sum::<usize>()
                        .max(1);
                    buf.push_str(&(if n <= 2 { "=" } else { "-" }).repeat(width));
                    buf.push('\n');
                }
                (false, None, _) => {
                    buf.push_str(text);
                    buf.push('\n');
                }
            }
            let _ = lang;
        }
        buf.push('\n');
        out.writer()
            .write_all(buf.as_bytes())
            .map_err(|e| out.error(e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::store::record::State;

    fn render(markdown: bool) -> String {
        let (doc, stores) = fixture::stores();
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("x")).unwrap();
        write(&edition, markdown, &mut f).unwrap();
        std::fs::read_to_string(f.commit().unwrap()).unwrap()
    }

    #[test]
    fn table_rows_are_tables() {
        let (doc, stores) = fixture::table_stores();
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let dir = tempfile::tempdir().unwrap();
        let render = |markdown| {
            let mut f = AtomicFile::create(&dir.path().join("t")).unwrap();
            write(&edition, markdown, &mut f).unwrap();
            std::fs::read_to_string(f.commit().unwrap()).unwrap()
        };
        let md = render(true);
        assert!(
            md.contains(
                "| 指标 | 2019年 | 2023年 |\n| --- | --- | --- |\n| 森林覆盖率（%） | 39.6 | 40.8 |\n\n| Indicator | 2019 | 2023 |\n| --- | --- | --- |\n| Forest coverage (%) | 39.6 | \\[untranslated\\] |\n"
            ),
            "{md}"
        );
        let txt = render(false);
        assert!(
            txt.contains("指标 | 2019年 | 2023年\n森林覆盖率（%） | 39.6 | 40.8\n\nIndicator | 2019 | 2023\nForest coverage (%) | 39.6 | [untranslated]\n"),
            "{txt}"
        );
    }

    #[test]
    fn markdown_and_text_are_pinned() {
        let md = render(true);
        assert!(md.contains("\\<script\\>"), "markup is escaped");
        assert!(md.contains("## "), "headings kept");
        insta::assert_snapshot!("markdown", md);
        insta::assert_snapshot!("text", render(false));
    }
}
