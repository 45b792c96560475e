//! Reading an existing translation: plain text, Markdown, HTML and Word (DOCX) files become
//! blocks (headings, list items, paragraphs) of plain text, and the blocks sentences.
//!
//! Each format has its own reader built on a real parser, because a legacy translation is
//! whatever its translator saved, not what a line-by-line guess expects: Markdown through
//! pulldown-cmark (`markdown.rs`), HTML through html5ever's tree builder, as browsers parse it
//! (`html.rs`), DOCX through the zip and XML readers the project already uses (`docx.rs`). Only
//! text is kept: inline formatting, link targets, images, code, HTML scripts and styles, Word
//! field codes and deleted revisions never reach a stored translation. Headings and list items
//! are kept as the block's [`Kind`]: they are the hard anchors of the alignment.
//!
//! The format follows the file name (`.md`/`.markdown`, `.html`/`.htm`/`.xhtml`, `.docx`;
//! anything else is plain text, one paragraph per line), except that a zip archive is always
//! read as DOCX and an old binary Word file (`.doc`) is refused with a hint. Every block is
//! then split into sentences with the built-in English rules (`src/segment/en.toml`).

mod docx;
mod html;
mod markdown;

use std::path::Path;

use super::AlignError;
use crate::segment::rules::{Rules, SentenceOptions};
use crate::segment::sentence;

/// The largest translation file read: 64 MiB (for DOCX, also the largest unpacked text).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The built-in English sentence rules (`src/segment/en.toml`), used to split translations.
pub const ENGLISH_RULES: &str = include_str!("../../segment/en.toml");

/// What a paragraph of the translation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A heading (Markdown `#`, HTML `<h1>`–`<h6>`, a Word heading or title style).
    Heading,
    /// A list item (Markdown `-`/`1.`, HTML `<li>`, a numbered or bulleted Word paragraph).
    ListItem,
    /// Any other paragraph.
    Paragraph,
}

/// A block of a translation's text, before sentence splitting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) kind: Kind,
    /// Where it starts: the 1-based line (text, Markdown) or paragraph number (HTML, DOCX).
    pub(crate) line: usize,
    pub(crate) text: String,
}

/// One paragraph of a translation, split into sentences.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// What it is.
    pub kind: Kind,
    /// Where it starts: the 1-based line in a text or Markdown file, the paragraph's number
    /// in an HTML or Word file.
    pub line: usize,
    /// The sentences, trimmed, none empty.
    pub sentences: Vec<String>,
}

/// The format of a translation file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Plain text, one paragraph per line.
    Text,
    /// Markdown (`CommonMark`).
    Markdown,
    /// HTML.
    Html,
    /// A Word document (Office Open XML).
    Docx,
}

impl InputFormat {
    /// The format of `path` with content `bytes`: by extension, but a zip archive is DOCX.
    pub fn detect(path: &Path, bytes: &[u8]) -> InputFormat {
        if bytes.starts_with(b"PK\x03\x04") {
            return InputFormat::Docx;
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "md" | "markdown" => InputFormat::Markdown,
            "html" | "htm" | "xhtml" => InputFormat::Html,
            "docx" => InputFormat::Docx,
            _ => InputFormat::Text,
        }
    }
}

/// The sentence rules for splitting a translation: [`ENGLISH_RULES`], compiled.
pub fn translation_rules() -> Rules {
    // The embedded file is tested below; should it ever fail, the Chinese rules (which know
    // Latin punctuation and the common abbreviations too) are the fallback.
    Rules::from_toml(
        ENGLISH_RULES,
        Path::new("<built-in en.toml>"),
        SentenceOptions::default(),
    )
    .unwrap_or_else(|_| Rules::builtin(SentenceOptions::default()))
}

/// Reads a translation file (see [`parse_translation`]).
pub fn read_translation(path: &Path, rules: &Rules) -> Result<Vec<Paragraph>, AlignError> {
    let read = |source| AlignError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read)?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Err(AlignError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit: MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path).map_err(read)?;
    parse_translation(path, &bytes, rules)
}

/// Parses a translation in the format [`InputFormat::detect`] finds and splits its blocks
/// into sentences. Text formats must be UTF-8 (a byte-order mark is dropped); an old binary
/// Word file is refused with a hint to save it as DOCX or text.
pub fn parse_translation(
    path: &Path,
    bytes: &[u8],
    rules: &Rules,
) -> Result<Vec<Paragraph>, AlignError> {
    if bytes.starts_with(b"\xd0\xcf\x11\xe0") {
        return Err(AlignError::NotText {
            path: path.to_path_buf(),
        });
    }
    let blocks = match InputFormat::detect(path, bytes) {
        InputFormat::Docx => docx::blocks(path, bytes)?,
        format => {
            let text = utf8(path, bytes)?;
            match format {
                InputFormat::Markdown => markdown::blocks(text),
                InputFormat::Html => html::blocks(text),
                _ => text_blocks(text),
            }
        }
    };
    Ok(split(blocks, rules))
}

/// The text of a UTF-8 file without its byte-order mark, or an error naming the first bad line.
fn utf8<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, AlignError> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(t.strip_prefix('\u{feff}').unwrap_or(t)),
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            Err(AlignError::InvalidUtf8 {
                path: path.to_path_buf(),
                line,
            })
        }
    }
}

/// Plain text: every non-blank line is a paragraph, taken as it is (`1. Roots` there is a
/// numbered heading, not a list marker; `# x` is text).
fn text_blocks(text: &str) -> Vec<Block> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| Block {
            kind: Kind::Paragraph,
            line: i + 1,
            text: l.trim().to_string(),
        })
        .collect()
}

/// Splits blocks into sentences; whitespace runs (line breaks, tabs) become single spaces and
/// blocks left without text are dropped.
fn split(blocks: Vec<Block>, rules: &Rules) -> Vec<Paragraph> {
    blocks
        .into_iter()
        .filter_map(|block| {
            let body = block.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let sentences: Vec<String> = sentence::split(rules, &body)
                .into_iter()
                .map(|r| body[r].trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            (!sentences.is_empty()).then_some(Paragraph {
                kind: block.kind,
                line: block.line,
                sentences,
            })
        })
        .collect()
}

/// Whether a line of prose ends a sentence (so a line break after it ends a paragraph in a
/// file written one paragraph per line).
pub(crate) fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | '）' | '*' | '_')
    });
    t.ends_with(['.', '!', '?', ':', ';', '。', '！', '？', '：', '；', '…'])
}

#[cfg(test)]
mod tests;
