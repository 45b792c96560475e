//! Markdown translations, read with pulldown-cmark (`CommonMark`, with tables and front matter).
//!
//! Headings, list items, paragraphs and table cells become blocks; code, images, raw HTML and
//! front matter are dropped; inline formatting and links keep only their text. One departure
//! from `CommonMark`, for files written one paragraph per line: a line break right after a
//! sentence end starts a new block, while a line wrapped mid-sentence joins the next line, as
//! `CommonMark` has it. Paragraph boundaries guide the alignment, and a missed one costs more
//! than a spurious one.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{Block, Kind, ends_sentence};

/// The blocks of a Markdown text.
pub(super) fn blocks(text: &str) -> Vec<Block> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset).max(1);
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut reader = Reader::default();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let line = line_of(range.start);
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { .. } => reader.open(Kind::Heading, line),
                Tag::Paragraph | Tag::TableCell | Tag::BlockQuote(_) => {
                    reader.flush();
                }
                Tag::Item => {
                    reader.flush();
                    reader.items.push(false);
                }
                Tag::CodeBlock(_)
                | Tag::Image { .. }
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_)
                | Tag::FootnoteDefinition(_) => reader.skip += 1,
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Heading(_)
                | TagEnd::Paragraph
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_) => reader.flush(),
                TagEnd::Item => {
                    reader.flush();
                    reader.items.pop();
                }
                TagEnd::CodeBlock
                | TagEnd::Image
                | TagEnd::HtmlBlock
                | TagEnd::MetadataBlock(_)
                | TagEnd::FootnoteDefinition => reader.skip = reader.skip.saturating_sub(1),
                _ => {}
            },
            Event::Text(t) | Event::Code(t) => reader.text(&t, line),
            Event::SoftBreak | Event::HardBreak => reader.line_break(),
            _ => {}
        }
    }
    reader.flush();
    reader.blocks
}

#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    current: Option<Block>,
    /// Open list items, innermost last: whether each has produced its first block yet.
    items: Vec<bool>,
    /// Depth inside elements whose text is not translation text (code, images, HTML).
    skip: usize,
}

impl Reader {
    fn open(&mut self, kind: Kind, line: usize) {
        self.flush();
        self.current = Some(Block {
            kind,
            line,
            text: String::new(),
        });
    }

    fn text(&mut self, text: &str, line: usize) {
        if self.skip > 0 {
            return;
        }
        if self.current.is_none() {
            // The first block of a list item is the item; later ones are its paragraphs.
            let kind = match self.items.last_mut() {
                Some(first @ false) => {
                    *first = true;
                    Kind::ListItem
                }
                _ => Kind::Paragraph,
            };
            self.open(kind, line);
        }
        if let Some(block) = &mut self.current {
            block.text.push_str(text);
        }
    }

    fn line_break(&mut self) {
        if self.skip > 0 {
            return;
        }
        let Some(block) = &mut self.current else {
            return;
        };
        if block.kind != Kind::Heading && ends_sentence(&block.text) {
            self.flush();
        } else {
            block.text.push(' ');
        }
    }

    fn flush(&mut self) {
        if let Some(block) = self.current.take()
            && !block.text.trim().is_empty()
        {
            self.blocks.push(block);
        }
    }
}
