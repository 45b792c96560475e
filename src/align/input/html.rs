//! HTML translations, parsed as browsers parse them (html5ever's tree builder, through
//! scraper), so unclosed paragraphs, stray tags and entities come out as a reader sees them.
//!
//! Headings (`h1`–`h6`), list items, paragraphs and the other block elements (`div`, table
//! cells, `blockquote`, ...) become blocks, as does text between `<br>`s; the document head,
//! scripts, styles, templates and other non-text elements are dropped. The tree is walked
//! without recursion, so deep nesting cannot exhaust the stack.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::{Block, Kind};

/// Elements whose content is never translation text.
const SKIPPED: [&str; 10] = [
    "head", "script", "style", "template", "noscript", "svg", "math", "iframe", "object", "canvas",
];

/// Elements that start and end a block.
const BLOCKS: [&str; 26] = [
    "p",
    "div",
    "li",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "blockquote",
    "pre",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "main",
    "figure",
    "figcaption",
    "address",
    "ul",
    "ol",
    "dl",
    "table",
    "tr",
    "body",
];

/// The blocks of an HTML text.
pub(super) fn blocks(text: &str) -> Vec<Block> {
    let html = Html::parse_document(text);
    let mut out = Blocks::default();
    let mut skip = 0usize;
    let mut kinds: Vec<Kind> = Vec::new();
    for edge in html.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let name = e.name();
                    if skip > 0 || SKIPPED.contains(&name) {
                        skip += 1;
                        continue;
                    }
                    if let Some(kind) = block_kind(name) {
                        out.flush();
                        kinds.push(kind);
                    } else if name == "br" || name == "hr" {
                        out.flush();
                    }
                }
                Node::Text(t) if skip == 0 => {
                    let kind = kinds.last().copied().unwrap_or(Kind::Paragraph);
                    out.push(kind, t);
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(e) = node.value() {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    if block_kind(e.name()).is_some() {
                        out.flush();
                        kinds.pop();
                    }
                }
            }
        }
    }
    out.flush();
    out.blocks
}

/// The kind of block an element starts, if it starts one.
fn block_kind(name: &str) -> Option<Kind> {
    match name {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(Kind::Heading),
        "li" => Some(Kind::ListItem),
        _ if BLOCKS.contains(&name) => Some(Kind::Paragraph),
        _ => None,
    }
}

#[derive(Default)]
struct Blocks {
    blocks: Vec<Block>,
    current: Option<Block>,
}

impl Blocks {
    fn push(&mut self, kind: Kind, text: &str) {
        let number = self.blocks.len() + 1;
        let block = self.current.get_or_insert_with(|| Block {
            kind,
            line: number,
            text: String::new(),
        });
        block.text.push_str(text);
    }

    fn flush(&mut self) {
        if let Some(block) = self.current.take()
            && !block.text.trim().is_empty()
        {
            self.blocks.push(block);
        }
    }
}
