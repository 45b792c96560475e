//! TMX 1.4b: reading and writing translation memories, as a library the memory backend uses.
//!
//! [`write()`] produces files that validate against the TMX 1.4b DTD (no DOCTYPE is written, so
//! nothing is fetched by tools that open it). [`read`] is lenient about what it does not need
//! (unknown elements, attribute order, a `DOCTYPE` line as `OmegaT` writes it) and strict about what
//! it does: well-formed XML, a `srclang`, a `xml:lang` on every variant, and no entity but the
//! predefined ones (a DTD's entities are never expanded, external ones never fetched).

use std::fmt::Write as _;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::xml::{attr, escape, line_of, push_text};

/// A TMX file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct TmxError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The header of a memory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// The source language (`srclang`).
    pub srclang: String,
    /// The tool that wrote it.
    pub creationtool: String,
}

/// One language's text of a translation unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The language (`xml:lang`).
    pub lang: String,
    /// The segment text (inline markup elements are dropped, their text kept).
    pub text: String,
}

/// One translation unit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Unit {
    /// `tuid`, when given.
    pub tuid: Option<String>,
    /// `creationid`.
    pub creationid: Option<String>,
    /// `creationdate` (TMX form `YYYYMMDDThhmmssZ`).
    pub creationdate: Option<String>,
    /// `changeid`.
    pub changeid: Option<String>,
    /// `changedate`.
    pub changedate: Option<String>,
    /// `<prop type="...">value</prop>` pairs, in order.
    pub props: Vec<(String, String)>,
    /// Notes.
    pub notes: Vec<String>,
    /// The variants, in order.
    pub variants: Vec<Variant>,
}

impl Unit {
    /// The text in `lang` (matching the primary language subtag when no exact tag matches).
    pub fn text(&self, lang: &str) -> Option<&str> {
        let exact = self
            .variants
            .iter()
            .find(|v| v.lang.eq_ignore_ascii_case(lang));
        exact
            .or_else(|| {
                self.variants
                    .iter()
                    .find(|v| crate::lang::same_language(&v.lang, lang))
            })
            .map(|v| v.text.as_str())
    }

    /// The value of the first prop of this type.
    pub fn prop(&self, kind: &str) -> Option<&str> {
        self.props
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, v)| v.as_str())
    }
}

/// A whole memory.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tmx {
    /// The header.
    pub header: Header,
    /// The units in file order.
    pub units: Vec<Unit>,
}

/// A timestamp as TMX writes it: `2026-11-29T13:10:00Z` → `20261129T131000Z`. `None` when
/// `rfc3339` is not of that form.
pub fn tmx_date(rfc3339: &str) -> Option<String> {
    let digits: String = rfc3339
        .chars()
        .take(19)
        .filter(char::is_ascii_digit)
        .collect();
    (digits.len() == 14).then(|| format!("{}T{}Z", &digits[..8], &digits[8..]))
}

/// Writes a memory as TMX 1.4b.
pub fn write(tmx: &Tmx) -> String {
    let mut out = String::with_capacity(256 + tmx.units.len() * 256);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<tmx version=\"1.4\">\n");
    let _ = writeln!(
        out,
        "  <header creationtool=\"{}\" creationtoolversion=\"{}\" segtype=\"sentence\" o-tmf=\"duiyi\" adminlang=\"en\" srclang=\"{}\" datatype=\"plaintext\"/>",
        escape(&tmx.header.creationtool),
        env!("CARGO_PKG_VERSION"),
        escape(&tmx.header.srclang)
    );
    out.push_str("  <body>\n");
    for u in &tmx.units {
        out.push_str("    <tu");
        for (name, value) in [
            ("tuid", &u.tuid),
            ("creationid", &u.creationid),
            ("creationdate", &u.creationdate),
            ("changeid", &u.changeid),
            ("changedate", &u.changedate),
        ] {
            if let Some(v) = value {
                let _ = write!(out, " {name}=\"{}\"", escape(v));
            }
        }
        out.push_str(">\n");
        for n in &u.notes {
            let _ = writeln!(out, "      <note>{}</note>", escape(n));
        }
        for (k, v) in &u.props {
            let _ = writeln!(
                out,
                "      <prop type=\"{}\">{}</prop>",
                escape(k),
                escape(v)
            );
        }
        for v in &u.variants {
            let _ = writeln!(
                out,
                "      <tuv xml:lang=\"{}\"><seg>{}</seg></tuv>",
                escape(&v.lang),
                escape(&v.text)
            );
        }
        out.push_str("    </tu>\n");
    }
    out.push_str("  </body>\n</tmx>\n");
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Seg,
    Prop,
    Note,
}

/// Reads a TMX file (1.4b, or older files of the same shape).
pub fn read(text: &str) -> Result<Tmx, TmxError> {
    let mut reader = Reader::from_str(text);
    let mut tmx = Tmx::default();
    let mut unit: Option<Unit> = None;
    let mut variant: Option<Variant> = None;
    let mut field = Field::None;
    let mut prop_type = String::new();
    let mut buffer = String::new();
    let mut depth = 0usize;
    let mut seg_depth = 0usize;
    let mut root = false;
    let mut header = false;
    loop {
        let position = reader.buffer_position();
        let fail = |message: String| TmxError {
            line: line_of(text, position),
            message,
        };
        let event = reader
            .read_event()
            .map_err(|e| fail(format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                let name = name.as_ref();
                if !root {
                    if name != "tmx" {
                        return Err(fail(format!("not a TMX file: the root is <{name}>")));
                    }
                    root = true;
                }
                match name {
                    "header" => {
                        header = true;
                        tmx.header.srclang = attr(e, "srclang").map_err(&fail)?.unwrap_or_default();
                        tmx.header.creationtool =
                            attr(e, "creationtool").map_err(&fail)?.unwrap_or_default();
                    }
                    "tu" => {
                        unit = Some(Unit {
                            tuid: attr(e, "tuid").map_err(&fail)?,
                            creationid: attr(e, "creationid").map_err(&fail)?,
                            creationdate: attr(e, "creationdate").map_err(&fail)?,
                            changeid: attr(e, "changeid").map_err(&fail)?,
                            changedate: attr(e, "changedate").map_err(&fail)?,
                            ..Unit::default()
                        });
                    }
                    "tuv" if unit.is_some() => {
                        let lang = match attr(e, "xml:lang").map_err(&fail)? {
                            Some(l) => l,
                            None => attr(e, "lang")
                                .map_err(&fail)?
                                .ok_or_else(|| fail("a <tuv> without xml:lang".into()))?,
                        };
                        variant = Some(Variant {
                            lang,
                            text: String::new(),
                        });
                    }
                    "seg" if variant.is_some() && !empty => {
                        field = Field::Seg;
                        seg_depth = depth + 1;
                        buffer.clear();
                    }
                    "prop" if unit.is_some() && variant.is_none() && !empty => {
                        field = Field::Prop;
                        prop_type = attr(e, "type").map_err(&fail)?.unwrap_or_default();
                        buffer.clear();
                    }
                    "note" if unit.is_some() && variant.is_none() && !empty => {
                        field = Field::Note;
                        buffer.clear();
                    }
                    _ => {}
                }
                if !empty {
                    depth += 1;
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                let name = e.local_name();
                match name.as_ref() {
                    "seg" if field == Field::Seg && depth + 1 == seg_depth => {
                        if let Some(v) = variant.as_mut() {
                            v.text = std::mem::take(&mut buffer);
                        }
                        field = Field::None;
                    }
                    "prop" if field == Field::Prop => {
                        if let Some(u) = unit.as_mut() {
                            u.props.push((
                                std::mem::take(&mut prop_type),
                                std::mem::take(&mut buffer),
                            ));
                        }
                        field = Field::None;
                    }
                    "note" if field == Field::Note => {
                        if let Some(u) = unit.as_mut() {
                            u.notes.push(std::mem::take(&mut buffer));
                        }
                        field = Field::None;
                    }
                    "tuv" => {
                        if let (Some(u), Some(v)) = (unit.as_mut(), variant.take()) {
                            u.variants.push(v);
                        }
                    }
                    "tu" => {
                        if let Some(u) = unit.take() {
                            tmx.units.push(u);
                        }
                    }
                    _ => {}
                }
            }
            Event::DocType(d) if d.xml10_content().contains('[') => {
                return Err(fail("a DOCTYPE with an internal subset (entity declarations) is refused; remove the [...] part".into()));
            }
            Event::Eof => break,
            other => push_text(&other, field != Field::None, &mut buffer).map_err(&fail)?,
        }
    }
    let end = |message: &str| TmxError {
        line: line_of(text, text.len() as u64),
        message: message.to_string(),
    };
    if !root {
        return Err(end("not a TMX file: no <tmx> element"));
    }
    if depth != 0 {
        return Err(end("not well-formed XML: an element is not closed"));
    }
    if !header || tmx.header.srclang.is_empty() {
        return Err(end("the <header> has no srclang"));
    }
    Ok(tmx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Tmx {
        Tmx {
            header: Header {
                srclang: "zh".into(),
                creationtool: "duiyi".into(),
            },
            units: vec![Unit {
                tuid: Some("00000000000000aa".into()),
                creationid: Some("wang".into()),
                changedate: tmx_date("2026-11-29T13:10:00Z"),
                props: vec![("x-state".into(), "reviewed".into())],
                variants: vec![
                    Variant {
                        lang: "zh".into(),
                        text: "中国<b>“合作”</b> & 😀".into(),
                    },
                    Variant {
                        lang: "en".into(),
                        text: "China \"cooperation\"\r\n & 😀".into(),
                    },
                ],
                ..Unit::default()
            }],
        }
    }

    #[test]
    fn what_is_written_reads_back() {
        let t = sample();
        let back = read(&write(&t)).unwrap();
        assert_eq!(back, t);
        assert_eq!(
            back.units[0].text("en-GB"),
            Some(t.units[0].variants[1].text.as_str())
        );
        assert_eq!(back.units[0].prop("x-state"), Some("reviewed"));
        assert_eq!(
            tmx_date("2026-11-29T13:10:00Z").as_deref(),
            Some("20261129T131000Z")
        );
    }

    #[test]
    fn hostile_and_broken_files_are_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE tmx [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]><tmx version=\"1.4\"><header srclang=\"zh\"/><body><tu><tuv xml:lang=\"zh\"><seg>&b;</seg></tuv></tu></body></tmx>";
        assert!(read(bomb).unwrap_err().message.contains("DOCTYPE"));
        let xxe = "<tmx version=\"1.4\"><header srclang=\"zh\"/><body><tu><tuv xml:lang=\"zh\"><seg>&xxe;</seg></tuv></tu></body></tmx>";
        assert!(read(xxe).unwrap_err().message.contains("never expanded"));
        assert!(read("<tmx><header/>").is_err());
        assert!(read("<html/>").unwrap_err().message.contains("not a TMX"));
        let omegat = "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"tmx11.dtd\">\n<tmx version=\"1.1\"><header srclang=\"ZH\" creationtool=\"OmegaT\"/><body><tu><tuv lang=\"ZH\"><seg>一</seg></tuv><tuv lang=\"EN\"><seg>one</seg></tuv></tu></body></tmx>";
        assert_eq!(read(omegat).unwrap().units[0].text("en"), Some("one"));
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(s in ".{0,300}") {
            let _ = read(&s);
            let _ = read(&format!("<tmx><header srclang=\"zh\"/><body>{s}</body></tmx>"));
        }

        #[test]
        fn any_valid_text_survives(a in "\\PC{0,40}", b in "[\\t\\r\\n <>&\"'a-z\u{5d0}-\u{5ea}😀中]{0,40}") {
            let mut t = sample();
            t.units[0].variants[0].text = a.clone();
            t.units[0].variants[1].text = b.clone();
            let back = read(&write(&t)).unwrap();
            prop_assert_eq!(&back.units[0].variants[0].text, &a);
            prop_assert_eq!(&back.units[0].variants[1].text, &b);
        }
    }
}
