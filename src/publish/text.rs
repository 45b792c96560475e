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

/// Writes the Markdown (`markdown`) or plain-text edition.
pub fn write(
    edition: &Edition<'_>,
    markdown: bool,
    out: &mut AtomicFile,
) -> Result<(), PublishError> {
    let mut buf = String::with_capacity(4096);
    for unit in &edition.doc.units {
        if unit.segments.is_empty() {
            continue;
        }
        buf.clear();
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
    fn markdown_and_text_are_pinned() {
        let md = render(true);
        assert!(md.contains("\\<script\\>"), "markup is escaped");
        assert!(md.contains("## "), "headings kept");
        insta::assert_snapshot!("markdown", md);
        insta::assert_snapshot!("text", render(false));
    }
}
