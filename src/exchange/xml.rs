//! XML plumbing shared by the exchange formats (TMX, XLIFF, TBX): escaping, attribute values,
//! text collection and positions, never resolving anything from outside the file.
//!
//! Readers built on quick-xml get text, CDATA and entity references as separate events;
//! [`push_text`] joins them into the element's text, resolving references with [`resolve_ref`],
//! which accepts only character references and the five predefined entities, so a hostile file
//! (external entities, entity expansion bombs declared in a DTD) is refused rather than resolved.
//! Writers escape through [`escape_into`], which also makes the characters XML 1.0 cannot carry
//! visible to the caller.

use quick_xml::events::{BytesRef, BytesStart, Event};

/// The text of an entity or character reference, or a message naming it when it is anything
/// but a character reference or one of the five predefined entities.
pub fn resolve_ref(r: &BytesRef<'_>) -> Result<String, String> {
    if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(c.to_string());
    }
    let name = r.xml10_content();
    Ok(match &*name {
        "lt" => "<",
        "gt" => ">",
        "amp" => "&",
        "apos" => "'",
        "quot" => "\"",
        other => {
            return Err(format!(
                "entity &{other}; is not allowed (only character references and &lt; &gt; &amp; &apos; &quot; are read; DTD entities are never expanded)"
            ));
        }
    }
    .to_string())
}

/// Whether XML 1.0 can carry `c` as a character.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Appends `text` escaped for element content or a double-quoted attribute. Carriage returns and
/// line feeds are written as character references so parsers keep them exactly. A character
/// XML 1.0 cannot carry is handed to `invalid` (which writes its replacement, such as XLIFF's
/// `<cp hex="…"/>`).
pub fn escape_into(out: &mut String, text: &str, invalid: &mut dyn FnMut(&mut String, char)) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\r' => out.push_str("&#xD;"),
            '\n' => out.push_str("&#xA;"),
            '\t' => out.push_str("&#x9;"),
            c if is_xml_char(c) => out.push(c),
            c => invalid(out, c),
        }
    }
}

/// `text` escaped for XML; characters XML 1.0 cannot carry become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(&mut out, text, &mut |o, _| o.push('\u{FFFD}'));
    out
}

/// The 1-based line and column (in bytes) of byte offset `pos` in `text`.
pub fn line_and_column(text: &str, pos: u64) -> (usize, usize) {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
    let before = &text.as_bytes()[..end];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = end
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line, column)
}

/// The 1-based line of byte offset `pos` in `text`.
pub fn line_of(text: &str, pos: u64) -> usize {
    line_and_column(text, pos).0
}

/// Line numbers of byte offsets that only grow, as a reader meets them: each byte is counted
/// once, so numbering every element of a large file stays linear.
#[derive(Debug, Clone, Default)]
pub struct Lines {
    pos: usize,
    line: usize,
}

impl Lines {
    /// The 1-based line of byte offset `pos` in `text`; offsets before the last one asked for
    /// are counted from the start again.
    pub fn at(&mut self, text: &str, pos: u64) -> usize {
        let end = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
        if end < self.pos {
            *self = Self::default();
        }
        self.line += memchr::memchr_iter(b'\n', &text.as_bytes()[self.pos..end]).count();
        self.pos = end;
        self.line + 1
    }
}

/// The value of attribute `name` of `e` (normalized as XML 1.0 says), `None` when it has none.
pub fn attr(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        if a.key.as_ref() == name {
            return Ok(Some(
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|e| e.to_string())?
                    .into_owned(),
            ));
        }
    }
    Ok(None)
}

/// Appends the text `event` carries (text, CDATA, a resolved reference) to `buffer` when `keep`
/// is set; other events change nothing. A reference is resolved even when its text is not kept,
/// so a forbidden entity is refused wherever it stands in the file.
pub fn push_text(event: &Event<'_>, keep: bool, buffer: &mut String) -> Result<(), String> {
    match event {
        Event::Text(t) if keep => buffer.push_str(&t.xml10_content()),
        Event::CData(t) if keep => buffer.push_str(&t.xml10_content()),
        Event::GeneralRef(r) => {
            let s = resolve_ref(r)?;
            if keep {
                buffer.push_str(&s);
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_markup_and_line_ends_as_text() {
        assert_eq!(
            escape("a<b>&\"c\"\r\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#xD;&#xA;"
        );
        assert_eq!(escape("x\u{1}y"), "x\u{FFFD}y");
        assert!(is_xml_char('😀') && !is_xml_char('\u{0}') && !is_xml_char('\u{FFFE}'));
    }

    #[test]
    fn positions_count_lines_and_columns_from_one() {
        let text = "ab\ncd\n";
        assert_eq!(line_and_column(text, 0), (1, 1));
        assert_eq!(line_and_column(text, 4), (2, 2));
        assert_eq!(line_and_column(text, 99), (3, 1));
        assert_eq!(line_of(text, 3), 2);
    }

    #[test]
    fn text_events_are_joined_and_references_resolved_everywhere() {
        let mut reader =
            quick_xml::Reader::from_str("<a x=\"1 &amp; 2\">x &lt; <![CDATA[<y>]]></a>");
        let mut buffer = String::new();
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) => assert_eq!(attr(&e, "x").unwrap().as_deref(), Some("1 & 2")),
                Event::Eof => break,
                other => push_text(&other, true, &mut buffer).unwrap(),
            }
        }
        assert_eq!(buffer, "x < <y>");
        let mut kept = String::new();
        assert!(push_text(&Event::GeneralRef(BytesRef::new("xxe")), false, &mut kept).is_err());
        assert!(kept.is_empty());
    }

    #[test]
    fn only_predefined_and_character_references_resolve() {
        assert_eq!(resolve_ref(&BytesRef::new("amp")).unwrap(), "&");
        assert_eq!(resolve_ref(&BytesRef::new("#x41")).unwrap(), "A");
        assert!(
            resolve_ref(&BytesRef::new("xxe"))
                .unwrap_err()
                .contains("never expanded")
        );
    }
}
