//! XLIFF 2.1: export of one language for another CAT tool, and import of what comes back.
//!
//! One `<unit id="u<segment id>" name="<ref>">` per segment, holding the glossary entries found
//! in its source (`gls:glossary`, approved renderings), the record's note as a comment, and one
//! `<segment state=…>`. Characters XML 1.0 cannot carry travel as `<cp hex="…"/>`.
//!
//! [`read`] takes what `OmegaT`, Trados or `memoQ` write back: attributes in any order, added notes
//! and metadata, inline `<mrk>`/`<pc>` (their text kept), `<cp>`. It refuses DTDs and any
//! entity but the predefined ones. [`apply`] checks the whole file first — languages, known ids,
//! unchanged sources (all mismatches listed), allowed state changes — on a copy of the store,
//! and changes only what differs.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::{AtomicFile, Edition, PublishError};
use crate::exchange::xml::{attr, escape, escape_into, line_of, push_text};
use crate::glossary::Glossary;
use crate::glossary::matcher::Matcher;
use crate::review::Action;
use crate::store::record::{Origin, State};
use crate::store::{Applied, Store};

/// The XLIFF 2 namespace (2.1 keeps 2.0's).
pub const NAMESPACE: &str = "urn:oasis:names:tc:xliff:document:2.0";

fn text_into(out: &mut String, text: &str) {
    escape_into(out, text, &mut |o, c| {
        let _ = write!(o, "<cp hex=\"{:04X}\"/>", u32::from(c));
    });
}

/// Writes the XLIFF file of language `l` of `edition`, whose full records are `records`.
pub fn write(
    edition: &Edition<'_>,
    l: usize,
    records: &[crate::store::record::Translation],
    glossary: Option<&Glossary>,
    out: &mut AtomicFile,
) -> Result<(), PublishError> {
    let lang = &edition.langs[l].lang;
    let records = super::live_by_id(records);
    let matcher = glossary.and_then(|g| Matcher::for_glossary(g).ok().map(|m| (g, m)));
    let mut buf = String::with_capacity(1 << 16);
    let _ = write!(
        buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{NAMESPACE}\" xmlns:gls=\"urn:oasis:names:tc:xliff:glossary:2.0\" version=\"2.1\" srcLang=\"{}\" trgLang=\"{}\">\n  <file id=\"f1\" original=\"{}\">\n",
        escape(&edition.source_lang),
        escape(lang),
        escape(&format!("source/{}.txt", edition.doc.name))
    );
    for view in edition.doc.segments() {
        let s = view.segment;
        let record = records.get(s.id.as_str());
        let _ = writeln!(
            buf,
            "    <unit id=\"u{}\" name=\"{}\">",
            s.id,
            escape(&s.r#ref.to_string())
        );
        if let Some((g, m)) = &matcher {
            let mut entries = String::new();
            let mut seen = Vec::new();
            for hit in m.find(view.text()) {
                let source = m.term(hit.term);
                if seen.contains(&source) {
                    continue;
                }
                seen.push(source);
                if let Some(t) = g.approved(source) {
                    entries.push_str("        <gls:glossEntry><gls:term source=\"glossary\">");
                    text_into(&mut entries, &t.source);
                    entries.push_str("</gls:term><gls:translation>");
                    text_into(&mut entries, &t.target);
                    entries.push_str("</gls:translation></gls:glossEntry>\n");
                }
            }
            if !entries.is_empty() {
                buf.push_str("      <gls:glossary>\n");
                buf.push_str(&entries);
                buf.push_str("      </gls:glossary>\n");
            }
        }
        if let Some(note) = record.and_then(|r| r.note.as_deref()) {
            buf.push_str("      <notes><note category=\"comment\">");
            text_into(&mut buf, note);
            buf.push_str("</note></notes>\n");
        }
        let state = record.map_or(State::Initial, |r| r.state);
        let _ = write!(
            buf,
            "      <segment id=\"s1\" state=\"{}\">\n        <source>",
            state.name()
        );
        text_into(&mut buf, view.text());
        buf.push_str("</source>\n");
        if let Some(r) = record.filter(|r| !r.target.is_empty()) {
            buf.push_str("        <target>");
            text_into(&mut buf, &r.target);
            buf.push_str("</target>\n");
        }
        buf.push_str("      </segment>\n    </unit>\n");
        if buf.len() > 1 << 15 {
            out.writer()
                .write_all(buf.as_bytes())
                .map_err(|e| out.error(e))?;
            buf.clear();
        }
    }
    buf.push_str("  </file>\n</xliff>\n");
    out.writer()
        .write_all(buf.as_bytes())
        .map_err(|e| out.error(e))
}

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
}

/// Reads an XLIFF 2.x file; `(line, message)` on error.
pub fn read(text: &str) -> Result<XliffFile, (usize, String)> {
    let mut reader = Reader::from_str(text);
    let mut file = XliffFile::default();
    let mut root = false;
    let mut unit: Option<(usize, String)> = None;
    let mut current: Option<Entry> = None;
    let mut field = Field::None;
    let mut field_depth = 0usize;
    let mut depth = 0usize;
    let mut buffer = String::new();
    loop {
        let position = reader.buffer_position();
        let fail = |m: String| (line_of(text, position), m);
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
                            "XLIFF version {version:?} is not read; export XLIFF 2.0 or 2.1 from your tool"
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
                        unit = Some((line_of(text, position), id));
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

fn same_lang(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
        || crate::exchange::tmx::primary(a).eq_ignore_ascii_case(crate::exchange::tmx::primary(b))
}

/// The actions that take a record from `state` to `wanted`, or `None` when there is no way.
fn path(state: State, wanted: State) -> Option<Vec<Action<'static>>> {
    use State::{Final, Reviewed, Translated};
    Some(match (state, wanted) {
        (a, b) if a == b => vec![],
        (Translated, Reviewed) => vec![Action::Approve],
        (Translated, Final) => vec![Action::Approve, Action::Finalize],
        (Reviewed, Final) => vec![Action::Finalize],
        (Reviewed | Final, Translated) => vec![Action::Reopen],
        (Final, Reviewed) => vec![Action::Reopen, Action::Approve],
        _ => return None,
    })
}

/// Applies an XLIFF file to `store` (of language `lang`, source language `source_lang`).
/// Everything is checked on a copy first; on any error the store is unchanged.
pub fn apply(
    store: &mut Store,
    path_: &Path,
    file: &XliffFile,
    source_lang: &str,
    lang: &str,
    who: &str,
) -> Result<Vec<Applied>, PublishError> {
    let fail = |line: Option<usize>, message: String| PublishError::Import {
        path: path_.to_path_buf(),
        line,
        message,
    };
    if !same_lang(&file.src_lang, source_lang) {
        return Err(fail(
            None,
            format!(
                "the file's source language is {:?}, the project's is {source_lang:?}; this file was made for another project",
                file.src_lang
            ),
        ));
    }
    if !same_lang(&file.trg_lang, lang) {
        return Err(fail(
            None,
            format!(
                "the file's target language is {:?}, not {lang:?}; import it as `duiyi import {} FILE`",
                file.trg_lang, file.trg_lang
            ),
        ));
    }
    let mut positions = Vec::with_capacity(file.entries.len());
    let mut mismatched = Vec::new();
    for e in &file.entries {
        let id = e.unit.strip_prefix('u').unwrap_or(&e.unit);
        let Some(at) = store.position(id) else {
            return Err(fail(
                Some(e.line),
                format!(
                    "unit {} names no segment of {}; was the file made for another document?",
                    e.unit,
                    store.doc()
                ),
            ));
        };
        let r = &store.records()[at];
        if r.source != e.source {
            mismatched.push(format!(
                "  {} (line {}): the file has {:?}, the source now reads {:?}",
                r.r#ref, e.line, e.source, r.source
            ));
        }
        positions.push(at);
    }
    if !mismatched.is_empty() {
        return Err(fail(
            None,
            format!(
                "{} segment(s) changed in the source since this file was exported; export again (duiyi publish {lang} --format xliff) and carry the work over:\n{}",
                mismatched.len(),
                mismatched.join("\n")
            ),
        ));
    }
    let mut copy = store.clone();
    let mut applied = Vec::new();
    for (e, &at) in file.entries.iter().zip(&positions) {
        let r = copy.records()[at].clone();
        let err = |m: String| fail(Some(e.line), format!("{}: {m}", r.r#ref));
        let target = e.target.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if let Some(t) = target
            && t != r.target
        {
            let state = (e.state == Some(State::Initial)).then_some(State::Initial);
            let action = Action::Edit { target: t, state };
            applied.push(
                copy.apply(at, &action, None, who, Some(Origin::Import))
                    .map_err(|x| err(x.to_string()))?,
            );
        }
        let now = copy.records()[at].state;
        if let Some(wanted) = e.state
            && wanted != now
            && !copy.records()[at].target.is_empty()
        {
            let steps = path(now, wanted)
                .ok_or_else(|| err(format!("cannot go from {now} to {wanted}")))?;
            for step in steps {
                applied.push(
                    copy.apply(at, &step, None, who, None)
                        .map_err(|x| err(x.to_string()))?,
                );
            }
        }
    }
    *store = copy;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::super::{Options, fixture};
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn export() -> String {
        let (doc, stores) = fixture::stores();
        let targets = fixture::targets();
        let edition = Edition::new(&doc, "zh", &targets, State::Translated);
        let mut g = Glossary::new("en");
        let mut t =
            crate::glossary::Term::proposed("合作", "cooperation", "", "wang", "2026-11-29");
        t.status = crate::glossary::term::Status::Approved;
        g.push_checked(t).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut f = AtomicFile::create(&dir.path().join("x.xlf")).unwrap();
        write(&edition, 0, &stores[0].1, Some(&g), &mut f).unwrap();
        let _ = Options::clone;
        std::fs::read_to_string(f.commit().unwrap()).unwrap()
    }

    #[test]
    fn xliff_is_pinned_and_reads_back() {
        let x = export();
        insta::assert_snapshot!(x);
        let back = read(&x).unwrap();
        let (doc, stores) = fixture::stores();
        assert_eq!(back.entries.len(), doc.segment_count());
        assert_eq!(
            back.entries[5].target.as_deref(),
            Some(stores[0].1[5].target.as_str())
        );
        assert_eq!(back.entries[5].state, Some(State::Translated));
        assert!(x.contains("<gls:translation>cooperation</gls:translation>"));
    }

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
                .contains("2.0 or 2.1")
        );
    }

    proptest! {
        #[test]
        fn arbitrary_input_never_panics(s in ".{0,300}") {
            let _ = read(&s);
            let _ = read(&format!("<xliff version=\"2.1\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\"><unit id=\"u1\"><segment state=\"final\"><source>{s}</source></segment></unit></file></xliff>"));
        }

        #[test]
        fn any_text_survives_export_and_import(t in "[\\x01-\\x1f <>&\"'a-z\u{5d0}-\u{5ea}\u{202e}😀中\u{fffe}]{1,40}") {
            let mut out = String::new();
            text_into(&mut out, &t);
            let x = format!("<xliff version=\"2.1\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\"><unit id=\"u1\"><segment><source>{out}</source><target>{out}</target></segment></unit></file></xliff>");
            let back = read(&x).unwrap();
            prop_assert_eq!(&back.entries[0].source, &t);
            prop_assert_eq!(back.entries[0].target.as_deref(), Some(t.as_str()));
        }
    }
}
