//! Word (DOCX) translations: the main document part of the Office Open XML package, read with
//! the zip and XML readers the project already uses for XLSX and XLIFF.
//!
//! Every `w:p` is a block: a heading when its style is a heading or the title (style ids are
//! mapped to names through `word/styles.xml`, since a localised Word names its heading style
//! `1` or `标题1`), a list item when it is numbered (`w:numPr`), else a paragraph. The text is
//! that of its runs (`w:t`, tabs and line breaks as spaces); deleted revisions, field codes,
//! and the fallback copies of drawings are dropped. Paragraphs nested in text boxes are blocks
//! of their own. Parts are unpacked with a cap ([`MAX_FILE_BYTES`]), so a zip bomb fails
//! early, and entities are never expanded.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Block, Kind, MAX_FILE_BYTES};
use crate::align::AlignError;
use crate::exchange::xml::{attr, push_text};

/// The blocks of a DOCX file.
pub(super) fn blocks(path: &Path, bytes: &[u8]) -> Result<Vec<Block>, AlignError> {
    let fail = |message: String| AlignError::Docx {
        path: path.to_path_buf(),
        message,
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| fail(format!("not a zip archive: {e}")))?;
    let document = part(&mut zip, "word/document.xml")
        .map_err(fail)?
        .ok_or_else(|| fail("it has no word/document.xml".into()))?;
    let headings = match part(&mut zip, "word/styles.xml").map_err(fail)? {
        Some(styles) => {
            heading_styles(&styles).map_err(|e| fail(format!("word/styles.xml: {e}")))?
        }
        None => HashMap::new(),
    };
    paragraphs(&document, &headings).map_err(|e| fail(format!("word/document.xml: {e}")))
}

/// A part of the package as text, unpacked up to [`MAX_FILE_BYTES`].
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, String> {
    let member = match zip.by_name(name) {
        Ok(m) => m,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{name}: {e}")),
    };
    let mut bytes = Vec::new();
    member
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{name}: {e}"))?;
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "{name} unpacks to more than {} MiB; split the document",
            MAX_FILE_BYTES >> 20
        ));
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("{name} is not UTF-8"))
}

/// The local name of an element (`w:p` → `p`).
fn local(e: &BytesStart<'_>) -> String {
    e.local_name().into_inner().to_owned()
}

/// Whether a style name or id is a heading or title style (`heading 1`, `Heading1`, `Title`,
/// `标题 1`).
fn is_heading_name(name: &str) -> bool {
    let n = name.to_lowercase().replace(' ', "");
    n == "title" || n.starts_with("heading") || n.starts_with("标题") || n.starts_with("標題")
}

/// Style ids of `word/styles.xml` whose names are heading or title styles.
fn heading_styles(xml: &str) -> Result<HashMap<String, bool>, String> {
    let mut reader = Reader::from_str(xml);
    let mut styles = HashMap::new();
    let mut current: Option<String> = None;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                "style" => current = attr(&e, "w:styleId")?,
                "name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, "w:val")?) {
                        styles.insert(id.clone(), is_heading_name(&name) || is_heading_name(id));
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(styles)
}

/// One paragraph being read.
struct Open {
    kind: Kind,
    number: usize,
    text: String,
}

/// The paragraphs of `word/document.xml`.
fn paragraphs(xml: &str, headings: &HashMap<String, bool>) -> Result<Vec<Block>, String> {
    let mut reader = Reader::from_str(xml);
    let mut blocks = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut number = 0;
    // Depth inside elements whose text is not the document's (deletions, field codes, ...).
    let mut skip = 0usize;
    let mut in_text = false;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        match &event {
            Event::Start(e) => {
                let name = local(e);
                if skip > 0 || matches!(name.as_str(), "del" | "instrText" | "delText" | "Fallback")
                {
                    skip += 1;
                    continue;
                }
                match name.as_str() {
                    "p" => {
                        number += 1;
                        open.push(Open {
                            kind: Kind::Paragraph,
                            number,
                            text: String::new(),
                        });
                    }
                    "t" => in_text = true,
                    "numPr" => {
                        if let Some(p) = open.last_mut().filter(|p| p.kind == Kind::Paragraph) {
                            p.kind = Kind::ListItem;
                        }
                    }
                    _ => {}
                }
            }
            Event::Empty(e) if skip == 0 => {
                let name = local(e);
                if name == "p" {
                    number += 1;
                    continue;
                }
                let Some(p) = open.last_mut() else {
                    continue;
                };
                match name.as_str() {
                    "pStyle" => {
                        let style = attr(e, "w:val")?.unwrap_or_default();
                        let heading = headings
                            .get(&style)
                            .copied()
                            .unwrap_or_else(|| is_heading_name(&style));
                        if heading {
                            p.kind = Kind::Heading;
                        }
                    }
                    "numPr" if p.kind == Kind::Paragraph => p.kind = Kind::ListItem,
                    "tab" | "br" | "cr" => p.text.push(' '),
                    "noBreakHyphen" => p.text.push('-'),
                    _ => {}
                }
            }
            Event::End(e) => {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match e.local_name().into_inner() {
                    "p" => {
                        if let Some(p) = open.pop()
                            && !p.text.trim().is_empty()
                        {
                            blocks.push(Block {
                                kind: p.kind,
                                line: p.number,
                                text: p.text,
                            });
                        }
                    }
                    "t" => in_text = false,
                    _ => {}
                }
            }
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                let keep = skip == 0 && in_text;
                let mut buffer = String::new();
                push_text(&event, keep, &mut buffer)?;
                if let Some(p) = open.last_mut() {
                    p.text.push_str(&buffer);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    blocks.sort_by_key(|b| b.line);
    Ok(blocks)
}
