//! Exchange files shared by several features: XML text handling that never resolves anything
//! from outside the file, and [`tmx`], the translation-memory format.
//!
//! Readers built on quick-xml get entity references as separate events; [`resolve_ref`] turns
//! one into text, accepting only character references and the five predefined entities, so a
//! hostile file (external entities, entity expansion bombs declared in a DTD) is refused rather
//! than resolved. Writers escape through [`escape_into`], which also makes the characters XML 1.0
//! cannot carry visible to the caller.

pub mod tmx;

use quick_xml::events::BytesRef;

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

/// The 1-based line of byte offset `pos` in `text`.
pub fn line_of(text: &str, pos: u64) -> usize {
    let end = usize::try_from(pos).unwrap_or(usize::MAX).min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
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
