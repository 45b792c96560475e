//! XLIFF 1.2: export of one language for the CAT tools that do not read XLIFF 2 (`OmegaT`,
//! Trados, `memoQ`, translate-toolkit), valid against the strict 1.2 schema.
//!
//! One `<trans-unit id="<segment id>" resname="<ref>">` per segment: `<source>`, the record's
//! `<target state=…>` (and `approved="yes"` from `reviewed` on; the mapping is in
//! [`crate::exchange::xliff12`]), a `<context-group purpose="information">` with the ref, the
//! role and the segment's base (`x-duiyi-base`, see [`crate::store::import`]), one with
//! `purpose="location"` naming the source file and line (translate-toolkit makes them the
//! locations of PO entries, which keeps a heading and its TOC entry apart), the record's note
//! as a `<note annotates="target">`, and the approved glossary terms found in the source as
//! `<note from="glossary" annotates="source">`. A character XML 1.0 cannot carry travels as
//! `<ph ctype="x-duiyi-cp">HHHH</ph>`. What comes back is read by [`crate::exchange::xliff12`].

use std::fmt::Write as _;
use std::io::Write;

use super::{Edition, PublishError};
use crate::exchange::xliff12::{BASE, CODE_POINT, NAMESPACE, state_out};
use crate::exchange::xml::{escape, escape_into};
use crate::files::AtomicFile;
use crate::glossary::Glossary;
use crate::glossary::matcher::Matcher;
use crate::store::record::{Flag, State};

fn text_into(out: &mut String, text: &str) {
    let mut n = 0;
    escape_into(out, text, &mut |o, c| {
        n += 1;
        let _ = write!(
            o,
            "<ph id=\"cp{n}\" ctype=\"{CODE_POINT}\">{:04X}</ph>",
            u32::from(c)
        );
    });
}

/// Writes the XLIFF 1.2 file of language `l` of `edition`, whose full records are `records`.
pub fn write(
    edition: &Edition<'_>,
    l: usize,
    records: &[crate::store::record::Translation],
    glossary: Option<&Glossary>,
    out: &mut AtomicFile,
) -> Result<(), PublishError> {
    let lang = &edition.langs[l].lang;
    let records = super::live_by_id(records);
    // A glossary whose matcher cannot be built is an error, never an XLIFF without its terms.
    let matcher = glossary
        .map(|g| Matcher::for_glossary(g).map(|m| (g, m)))
        .transpose()?;
    let original = format!("source/{}.txt", edition.doc.name);
    let mut buf = String::with_capacity(1 << 16);
    let _ = write!(
        buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{NAMESPACE}\" version=\"1.2\">\n  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"plaintext\" tool-id=\"duiyi\">\n    <header>\n      <tool tool-id=\"duiyi\" tool-name=\"duiyi\"/>\n    </header>\n    <body>\n",
        escape(&original),
        escape(&edition.source_lang),
        escape(lang),
    );
    for view in edition.doc.segments() {
        let s = view.segment;
        let record = records.get(s.id.as_str());
        let state = record.map_or(State::Initial, |r| r.state);
        let flagged = record.is_some_and(|r| {
            r.flags
                .iter()
                .any(|f| matches!(f, Flag::NeedsReview | Flag::Rejected))
        });
        let (state_name, approved) = state_out(state, flagged);
        let _ = write!(
            buf,
            "      <trans-unit id=\"{}\" resname=\"{}\"{}>\n        <source>",
            s.id,
            escape(&s.r#ref.to_string()),
            if approved { " approved=\"yes\"" } else { "" }
        );
        text_into(&mut buf, view.text());
        buf.push_str("</source>\n");
        if let Some(r) = record.filter(|r| !r.target.is_empty()) {
            let _ = write!(buf, "        <target state=\"{state_name}\">");
            text_into(&mut buf, &r.target);
            buf.push_str("</target>\n");
        }
        buf.push_str("        <context-group purpose=\"information\">\n");
        let _ = writeln!(
            buf,
            "          <context context-type=\"x-ref\">{}</context>",
            escape(&s.r#ref.to_string())
        );
        let _ = writeln!(
            buf,
            "          <context context-type=\"x-role\">{}</context>",
            view.unit.role.name()
        );
        if let Some(r) = record {
            let _ = writeln!(
                buf,
                "          <context context-type=\"{BASE}\">{}</context>",
                r.base()
            );
        }
        let _ = writeln!(
            buf,
            "        </context-group>\n        <context-group purpose=\"location\">\n          <context context-type=\"sourcefile\">{}</context>\n          <context context-type=\"linenumber\">{}</context>\n        </context-group>",
            escape(&original),
            view.unit.line
        );
        if let Some(note) = record.and_then(|r| r.note.as_deref()) {
            buf.push_str("        <note annotates=\"target\">");
            text_into(&mut buf, note);
            buf.push_str("</note>\n");
        }
        if let Some((g, m)) = &matcher {
            for t in super::approved_terms(g, m, view.text()) {
                buf.push_str("        <note from=\"glossary\" annotates=\"source\">");
                text_into(&mut buf, &t.source);
                buf.push_str(" = ");
                text_into(&mut buf, &t.target);
                buf.push_str("</note>\n");
            }
        }
        buf.push_str("      </trans-unit>\n");
        if buf.len() > 1 << 15 {
            out.writer()
                .write_all(buf.as_bytes())
                .map_err(|e| out.error(e))?;
            buf.clear();
        }
    }
    buf.push_str("    </body>\n  </file>\n</xliff>\n");
    out.writer()
        .write_all(buf.as_bytes())
        .map_err(|e| out.error(e).into())
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use proptest::prelude::*;

    fn export() -> String {
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
        std::fs::read_to_string(f.commit().unwrap()).unwrap()
    }

    #[test]
    fn xliff12_is_pinned_and_reads_back() {
        let x = export();
        insta::assert_snapshot!(x);
        let back = crate::exchange::xliff12::read(&x).unwrap();
        let (doc, stores) = fixture::stores();
        assert_eq!(back.entries.len(), doc.segment_count());
        let records = super::super::live_by_id(&stores[0].1);
        for e in &back.entries {
            let r = records.get(e.unit.as_str());
            assert_eq!(
                e.target.as_deref(),
                r.map(|r| r.target.as_str()).filter(|t| !t.is_empty()),
                "{}",
                e.unit
            );
            if e.target.is_some() {
                assert_eq!(e.state, r.map(|r| r.state), "{}", e.unit);
            }
            assert_eq!(e.base, r.map(|r| r.base()), "{}", e.unit);
        }
        assert!(
            x.contains("<note from=\"glossary\" annotates=\"source\">合作 = cooperation</note>")
        );
    }

    proptest! {
        #[test]
        fn any_text_survives_export_and_import(t in "[\\x01-\\x1f <>&\"'a-z\u{5d0}-\u{5ea}\u{202e}😀中\u{fffe}]{1,40}") {
            let mut out = String::new();
            text_into(&mut out, &t);
            let x = format!("<xliff version=\"1.2\"><file original=\"x\" source-language=\"zh\" target-language=\"en\" datatype=\"plaintext\"><body><trans-unit id=\"a\"><source>{out}</source><target>{out}</target></trans-unit></body></file></xliff>");
            let back = crate::exchange::xliff12::read(&x).unwrap();
            prop_assert_eq!(&back.entries[0].source, &t);
            prop_assert_eq!(back.entries[0].target.as_deref(), Some(t.as_str()));
        }
    }
}
