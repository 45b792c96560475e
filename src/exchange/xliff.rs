//! Reading XLIFF 2.x files back from other CAT tools, into entries for
//! [`crate::store::import`].
//!
//! [`read`] takes what `OmegaT`, Trados or `memoQ` write back: attributes in any order, added
//! notes and metadata, inline `<mrk>`/`<pc>` (their text kept), `<cp>`. It refuses DTDs and any
//! entity but the predefined ones. Line numbers of units are counted as the reader goes, so a
//! file of any size reads in linear time. The writer is [`crate::publish::xliff`].

use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::xml::{Lines, attr, line_of, push_text};
use crate::store::StoreError;
use crate::store::import::{Incoming, IncomingFile};
use crate::store::record::{Base, Origin, State};

/// The XLIFF 2 namespace (2.1 keeps 2.0's).
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";

/// The XLIFF 2 metadata module's namespace, where duiyi keeps each unit's base.
pub const METADATA: &str = "urn:oasis:names:tc:xliff:metadata:2.0";

/// One segment read back from an XLIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line of its `<unit>`.
    pub line: usize,
    /// The unit id.
    pub unit: String,
    /// The source text.
    pub source: String,
    /// The target text, when the segment has one.
    pub target: Option<String>,
    /// The state, when given.
    pub state: Option<State>,
    /// The base duiyi wrote into the unit's metadata (`<mda:meta type="base">`), as text.
    pub base: Option<String>,
}

/// An XLIFF file read back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XliffFile {
    /// `srcLang`.
    pub src_lang: String,
    /// `trgLang`.
    pub trg_lang: String,
    /// The segments, in file order.
    pub entries: Vec<Entry>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Source,
    Target,
    Base,
}

/// Reads an XLIFF 2.x file; `(line, message)` on error.
pub fn read(text: &str) -> Result<XliffFile, (usize, String)> {
    let mut reader = Reader::from_str(text);
    let mut file = XliffFile::default();
    let mut root = false;
    let mut unit: Option<(usize, String)> = None;
    let mut lines = Lines::default();
    let mut base: Option<String> = None;
    let mut current: Option<Entry> = None;
    let mut field = Field::None;
    let mut field_depth = 0usize;
    let mut depth = 0usize;
    let mut buffer = String::new();
    loop {
        let position = reader.buffer_position();
        let fail = |m: String| (line_of(text, position), m);
        let mut line = || lines.at(text, position);
        let event = reader
            .read_event()
            .map_err(|e| fail(format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                let name = name.as_ref();
                if !root {
                    if name != "xliff" {
                        return Err(fail(format!("not an XLIFF file: the root is <{name}>")));
                    }
                    let version = attr(e, "version").map_err(&fail)?.unwrap_or_default();
                    if !version.starts_with("2.") {
                        return Err(fail(format!(
                            "XLIFF version {version:?} is not read; export XLIFF 1.2, 2.0 or 2.1 from your tool"
                        )));
                    }
                    file.src_lang = attr(e, "srcLang").map_err(&fail)?.unwrap_or_default();
                    file.trg_lang = attr(e, "trgLang").map_err(&fail)?.unwrap_or_default();
                    root = true;
                }
                let in_core = e.name().prefix().is_none();
                match name {
                    "unit" if in_core => {
                        let id = attr(e, "id")
                            .map_err(&fail)?
                            .ok_or_else(|| fail("a <unit> without id".into()))?;
                        unit = Some((line(), id));
                        base = None;
                    }
                    "segment" if in_core && unit.is_some() => {
                        let state = match attr(e, "state").map_err(&fail)? {
                            Some(s) => Some(s.parse::<State>().map_err(|e| fail(e.to_string()))?),
                            None => None,
                        };
                        let (line, id) = unit.clone().unwrap_or_default();
                        current = Some(Entry {
                            line,
                            unit: id,
                            source: String::new(),
                            target: None,
                            state,
                            base: base.clone(),
                        });
                    }
                    "source" | "target" if in_core && current.is_some() && field == Field::None => {
                        field = if name == "source" {
                            Field::Source
                        } else {
                            Field::Target
                        };
                        field_depth = depth + 1;
                        buffer.clear();
                        if empty {
                            if let Some(c) = current.as_mut() {
                                if field == Field::Source {
                                    c.source.clear();
                                } else {
                                    c.target = Some(String::new());
                                }
                            }
                            field = Field::None;
                        }
                    }
                    "meta"
                        if unit.is_some()
                            && field == Field::None
                            && !empty
                            && attr(e, "type").map_err(&fail)?.as_deref() == Some("base") =>
                    {
                        field = Field::Base;
                        field_depth = depth + 1;
                        buffer.clear();
                    }
                    "cp" if field != Field::None => {
                        let hex = attr(e, "hex").map_err(&fail)?.unwrap_or_default();
                        let c = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| fail(format!("<cp hex={hex:?}> is not a character")))?;
                        buffer.push(c);
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
                    "source" | "target" if field != Field::None && depth + 1 == field_depth => {
                        if let Some(c) = current.as_mut() {
                            let t = std::mem::take(&mut buffer);
                            if field == Field::Source {
                                c.source = t;
                            } else {
                                c.target = Some(t);
                            }
                        }
                        field = Field::None;
                    }
                    "meta" if field == Field::Base && depth + 1 == field_depth => {
                        base = Some(std::mem::take(&mut buffer).trim().to_string());
                        field = Field::None;
                    }
                    "segment" if e.name().prefix().is_none() => {
                        if let Some(c) = current.take() {
                            file.entries.push(c);
                        }
                    }
                    "unit" if e.name().prefix().is_none() => unit = None,
                    _ => {}
                }
            }
            Event::DocType(_) => {
                return Err(fail(
                    "a DOCTYPE is not allowed in XLIFF 2 (DTDs are never read)".into(),
                ));
            }
            Event::Eof => break,
            other => push_text(&other, field != Field::None, &mut buffer).map_err(&fail)?,
        }
    }
    if !root {
        return Err((1, "not an XLIFF file: no <xliff> element".into()));
    }
    if depth != 0 {
        return Err((
            line_of(text, text.len() as u64),
            "not well-formed XML: an element is not closed".into(),
        ));
    }
    Ok(file)
}

/// Reads the XLIFF file at `path` (its `bytes`), version 2.x or 1.2 (told apart by its
/// `version`, read by [`super::xliff12`]), as an import into `lang` of a project whose
/// source language is `source_lang`: the languages must match, every unit names a segment id
/// (`u<id>`, as duiyi writes them), and each carries its source, to be checked against the
/// store, its target, state and base.
pub fn incoming(
    path: &Path,
    bytes: &[u8],
    source_lang: &str,
    lang: &str,
) -> Result<IncomingFile, StoreError> {
    let fail = |line: Option<usize>, message: String| StoreError::Exchange {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| fail(None, format!("not UTF-8 ({e}); save the file as UTF-8")))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let file = if super::xliff12::version(text).is_some_and(|v| v.starts_with("1.")) {
        super::xliff12::read(text)
    } else {
        read(text)
    }
    .map_err(|(line, m)| fail(Some(line), m))?;
    if !crate::lang::same_language(&file.src_lang, source_lang) {
        return Err(fail(
            None,
            format!(
                "the file's source language is {:?}, the project's is {source_lang:?}; this file was made for another project",
                file.src_lang
            ),
        ));
    }
    if !crate::lang::same_language(&file.trg_lang, lang) {
        return Err(fail(
            None,
            format!(
                "the file's target language is {:?}, not {lang:?}; import it as `duiyi import {} FILE`",
                file.trg_lang, file.trg_lang
            ),
        ));
    }
    let entries = file
        .entries
        .into_iter()
        .map(|e| {
            let base = match e.base.as_deref().filter(|b| !b.is_empty()) {
                Some(b) => Some(b.parse::<Base>().map_err(|m| fail(Some(e.line), m))?),
                None => None,
            };
            Ok(Incoming {
                line: Some(e.line),
                id: e.unit.strip_prefix('u').unwrap_or(&e.unit).to_string(),
                source: Some(e.source),
                target: e.target,
                state: e.state,
                base,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(IncomingFile {
        path: path.to_path_buf(),
        entries,
        origin: Origin::Import,
    })
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hostile_files_are_refused() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE xliff [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><xliff version=\"2.1\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\"><unit id=\"u1\"><segment><source>&b;</source></segment></unit></file></xliff>";
        assert!(read(bomb).unwrap_err().1.contains("DOCTYPE"));
        let xxe = "<xliff version=\"2.1\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\"><unit id=\"u1\"><segment><source>&xxe;</source></segment></unit></file></xliff>";
        assert!(read(xxe).unwrap_err().1.contains("never expanded"));
        assert!(
            read("<xliff version=\"1.2\"/>")
                .unwrap_err()
                .1
                .contains("1.2, 2.0 or 2.1")
        );
    }

    #[test]
    fn units_carry_their_line_and_base() {
        let x = "<xliff xmlns=\"urn:oasis:names:tc:xliff:document:2.0\" xmlns:mda=\"urn:oasis:names:tc:xliff:metadata:2.0\" version=\"2.1\" srcLang=\"zh\" trgLang=\"en\">\n<file id=\"f\">\n<unit id=\"u000000000000000a\">\n<mda:metadata><mda:metaGroup category=\"duiyi\"><mda:meta type=\"base\">translated:0123456789ab</mda:meta></mda:metaGroup></mda:metadata>\n<segment state=\"reviewed\"><source>甲。</source><target>A.</target></segment></unit>\n<unit id=\"u000000000000000b\"><segment><source>乙。</source></segment></unit>\n</file></xliff>";
        let f = read(x).unwrap();
        assert_eq!(f.entries[0].line, 3);
        assert_eq!(
            f.entries[0].base.as_deref(),
            Some("translated:0123456789ab")
        );
        assert_eq!(f.entries[1].line, 6);
        assert_eq!(f.entries[1].base, None);
        let inc = incoming(Path::new("f.xlf"), x.as_bytes(), "zh", "en-US").unwrap();
        assert_eq!(inc.entries[0].id, "000000000000000a");
        assert_eq!(inc.entries[0].state, Some(State::Reviewed));
        assert_eq!(
            inc.entries[0].base.as_ref().map(|b| b.state),
            Some(State::Translated)
        );
        let e = incoming(Path::new("f.xlf"), x.as_bytes(), "zh", "fr").unwrap_err();
        assert!(e.to_string().contains("not \"fr\""), "{e}");
    }

    #[test]
    fn numbering_units_is_linear() {
        let mut x =
            String::from("<xliff version=\"2.1\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\">\n");
        for i in 0..60_000 {
            let _ = writeln!(
                x,
                "<unit id=\"u{i:016x}\">\n<segment><source>甲。</source><target>A.</target></segment></unit>"
            );
        }
        x.push_str("</file></xliff>\n");
        let f = read(&x).unwrap();
        assert_eq!(f.entries.len(), 60_000);
        assert_eq!(f.entries[59_999].line, 2 + 2 * 59_999);
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(s in ".{0,300}") {
            let _ = read(&s);
            let _ = read(&format!("<xliff version=\"2.1\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\"><unit id=\"u1\"><segment state=\"final\"><source>{s}</source></segment></unit></file></xliff>"));
        }
    }
}
