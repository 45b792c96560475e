use std::io::Write;
use std::path::Path;

use super::*;

fn parse(name: &str, text: &str) -> Result<Vec<Paragraph>, AlignError> {
    parse_translation(Path::new(name), text.as_bytes(), &translation_rules())
}

fn shape(p: &[Paragraph]) -> Vec<(Kind, Vec<&str>)> {
    p.iter()
        .map(|p| (p.kind, p.sentences.iter().map(String::as_str).collect()))
        .collect()
}

#[test]
fn the_english_rules_compile_and_keep_numbered_headings_whole() {
    Rules::from_toml(
        ENGLISH_RULES,
        Path::new("en.toml"),
        SentenceOptions::default(),
    )
    .unwrap();
    let p = parse(
        "t.txt",
        "II. South-South Cooperation\n3.2 Trade. It grew by Gen. Li's plan.\n",
    )
    .unwrap();
    assert_eq!(p[0].sentences, ["II. South-South Cooperation"]);
    assert_eq!(p[1].sentences, ["3.2 Trade.", "It grew by Gen. Li's plan."]);
}

#[test]
fn markdown_blocks_inline_markup_and_english_sentences() {
    let p = parse(
        "t.md",
        "\u{feff}# I. *Title*\n\n- A **list** item. It has [two](http://x.org) sentences.\n---\n\
         The U.S. and China grew by 4.5% in 2020. Trade rose.\n```\ncode\n```\n\
         ![a chart](chart.png) Exports `doubled`.\n",
    )
    .unwrap();
    assert_eq!(
        shape(&p),
        [
            (Kind::Heading, vec!["I. Title"]),
            (
                Kind::ListItem,
                vec!["A list item.", "It has two sentences."]
            ),
            (
                Kind::Paragraph,
                vec!["The U.S. and China grew by 4.5% in 2020.", "Trade rose."]
            ),
            (Kind::Paragraph, vec!["Exports doubled."]),
        ]
    );
    assert_eq!(p[2].line, 5);
}

#[test]
fn markdown_lines_ending_a_sentence_end_a_paragraph_and_wrapped_lines_join() {
    let p = parse(
        "t.md",
        "First paragraph ends here.\nSecond one is wrapped\nacross two lines.\n\n\
         1. Item one\n   continues.\n\n   A second paragraph in the item.\n2. Item two\n\n\
         > Quoted text.\n\n| a | b |\n|---|---|\n| Cell one. | Cell two. |\n\n<div>raw html</div>\n",
    )
    .unwrap();
    assert_eq!(
        shape(&p),
        [
            (Kind::Paragraph, vec!["First paragraph ends here."]),
            (
                Kind::Paragraph,
                vec!["Second one is wrapped across two lines."]
            ),
            (Kind::ListItem, vec!["Item one continues."]),
            (Kind::Paragraph, vec!["A second paragraph in the item."]),
            (Kind::ListItem, vec!["Item two"]),
            (Kind::Paragraph, vec!["Quoted text."]),
            (Kind::Paragraph, vec!["a"]),
            (Kind::Paragraph, vec!["b"]),
            (Kind::Paragraph, vec!["Cell one."]),
            (Kind::Paragraph, vec!["Cell two."]),
        ]
    );
}

#[test]
fn plain_text_keeps_every_line_as_it_is() {
    let p = parse("t.txt", "# not a heading\n1. Roots of cooperation\n---\n").unwrap();
    let texts: Vec<&str> = p.iter().map(|p| p.sentences[0].as_str()).collect();
    assert_eq!(texts, ["# not a heading", "1. Roots of cooperation", "---"]);
    assert!(p.iter().all(|p| p.kind == Kind::Paragraph));
}

#[test]
fn html_as_a_browser_reads_it() {
    let p = parse(
        "t.html",
        "<!DOCTYPE html><html><head><title>Not text</title><style>p{}</style></head><body>\
         <h1>I. Cooperation</h1><p>China &amp; Africa <b>grew</b>. Trade rose.<p>Unclosed \
         paragraph<br>after a break.<ul><li>One item.<li>Another <a href='x'>item</a>.</ul>\
         <script>var x = 'no';</script><div><p>Nested.</p></div>\
         <table><tr><td>Cell.</td><td>Other cell.</td></tr></table></body></html>",
    )
    .unwrap();
    assert_eq!(
        shape(&p),
        [
            (Kind::Heading, vec!["I. Cooperation"]),
            (Kind::Paragraph, vec!["China & Africa grew.", "Trade rose."]),
            (Kind::Paragraph, vec!["Unclosed paragraph"]),
            (Kind::Paragraph, vec!["after a break."]),
            (Kind::ListItem, vec!["One item."]),
            (Kind::ListItem, vec!["Another item."]),
            (Kind::Paragraph, vec!["Nested."]),
            (Kind::Paragraph, vec!["Cell."]),
            (Kind::Paragraph, vec!["Other cell."]),
        ]
    );
}

/// A DOCX package with `document` as `word/document.xml` and `styles` as `word/styles.xml`.
pub(crate) fn docx(document: &str, styles: Option<&str>) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    if let Some(styles) = styles {
        zip.start_file("word/styles.xml", options).unwrap();
        zip.write_all(styles.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                 xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";

#[test]
fn docx_paragraphs_headings_lists_and_only_the_visible_text() {
    let document = format!(
        "<?xml version=\"1.0\"?><w:document {W}><w:body>\
         <w:p><w:pPr><w:pStyle w:val=\"1\"/></w:pPr><w:r><w:t>I. Cooperation</w:t></w:r></w:p>\
         <w:p><w:r><w:t xml:space=\"preserve\">China &amp; Africa </w:t></w:r>\
         <w:del><w:r><w:delText>deleted </w:delText></w:r></w:del>\
         <w:r><w:t>grew.</w:t><w:tab/><w:t>Trade rose.</w:t></w:r>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>\
         <w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>\
         <w:r><w:t>An item.</w:t></w:r></w:p>\
         <w:p/>\
         <w:p><w:r><w:t>Before the box.</w:t></w:r><w:r><mc:AlternateContent><mc:Choice>\
         <w:txbxContent><w:p><w:r><w:t>In the box.</w:t></w:r></w:p></w:txbxContent></mc:Choice>\
         <mc:Fallback><w:txbxContent><w:p><w:r><w:t>In the box.</w:t></w:r></w:p></w:txbxContent>\
         </mc:Fallback></mc:AlternateContent></w:r></w:p>\
         <w:p><w:pPr><w:pStyle w:val=\"Heading2\"/></w:pPr><w:r><w:t>II. Trade</w:t></w:r></w:p>\
         </w:body></w:document>"
    );
    let styles = format!(
        "<w:styles {W}><w:style w:styleId=\"1\"><w:name w:val=\"heading 1\"/></w:style>\
         <w:style w:styleId=\"a\"><w:name w:val=\"Normal\"/></w:style></w:styles>"
    );
    let p = parse_translation(
        Path::new("t.docx"),
        &docx(&document, Some(&styles)),
        &translation_rules(),
    )
    .unwrap();
    assert_eq!(
        shape(&p),
        [
            (Kind::Heading, vec!["I. Cooperation"]),
            (Kind::Paragraph, vec!["China & Africa grew.", "Trade rose."]),
            (Kind::ListItem, vec!["An item."]),
            (Kind::Paragraph, vec!["Before the box."]),
            (Kind::Paragraph, vec!["In the box."]),
            (Kind::Heading, vec!["II. Trade"]),
        ]
    );
    assert_eq!(
        p.iter().map(|p| p.line).collect::<Vec<_>>(),
        [1, 2, 3, 5, 6, 7]
    );
}

#[test]
fn bad_files_are_errors_that_name_them() {
    let rules = translation_rules();
    let e = parse_translation(Path::new("t.txt"), b"ok\nbad \xff\n", &rules).unwrap_err();
    assert!(matches!(e, AlignError::InvalidUtf8 { line: 2, .. }), "{e}");
    let e = parse_translation(Path::new("t.html"), b"<p>bad \xff</p>", &rules).unwrap_err();
    assert!(matches!(e, AlignError::InvalidUtf8 { line: 1, .. }), "{e}");
    let e = parse_translation(Path::new("t.doc"), b"\xd0\xcf\x11\xe0rest", &rules).unwrap_err();
    assert!(e.to_string().contains(".docx"), "{e}");
    let e = parse_translation(Path::new("t.docx"), b"PK\x03\x04rest", &rules).unwrap_err();
    assert_eq!(
        e.to_string().split(':').next(),
        Some("t.docx"),
        "names the file: {e}"
    );
    assert!(
        e.to_string().contains("not a readable Word document"),
        "{e}"
    );
    let no_document = docx(&format!("<w:document {W}><w:body></w:document>"), None);
    let mut zip = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut zip);
        w.start_file("other.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.finish().unwrap();
    }
    let e = parse_translation(Path::new("t.docx"), zip.get_ref(), &rules).unwrap_err();
    assert!(e.to_string().contains("no word/document.xml"), "{e}");
    let e = parse_translation(Path::new("t.docx"), &no_document, &rules).unwrap_err();
    assert!(e.to_string().contains("word/document.xml"), "{e}");
    let entity = docx(
        &format!(
            "<!DOCTYPE x [<!ENTITY e \"boom\">]><w:document {W}><w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>"
        ),
        None,
    );
    let e = parse_translation(Path::new("t.docx"), &entity, &rules).unwrap_err();
    assert!(e.to_string().contains("not allowed"), "{e}");
    assert!(parse("t.txt", "\n\n  \n").unwrap().is_empty());
    assert!(parse("t.md", "```\nonly code\n```\n").unwrap().is_empty());
}

proptest::proptest! {
    #[test]
    fn any_text_in_any_format_parses_without_panicking(text in "\\PC{0,200}") {
        for name in ["t.txt", "t.md", "t.html"] {
            let p = parse(name, &text).unwrap();
            for para in &p {
                proptest::prop_assert!(!para.sentences.is_empty());
                proptest::prop_assert!(para.sentences.iter().all(|s| !s.trim().is_empty()));
            }
        }
    }
}
