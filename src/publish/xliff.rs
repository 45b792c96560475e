//! XLIFF 2.1: export of one language for another CAT tool.
//!
//! One `<unit id="u<segment id>" name="<ref>">` per segment, holding the glossary entries found
//! in its source (`gls:glossary`, approved renderings), the segment's base in the metadata
//! module (`<mda:meta type="base">`, see [`crate::store::import`]), the record's note as a
//! comment, and one `<segment state=…>`. Characters XML 1.0 cannot carry travel as
//! `<cp hex="…"/>`. What comes back is read by [`crate::exchange::xliff`].

use std::fmt::Write as _;
use std::io::Write;

use super::{Edition, PublishError};
use crate::exchange::xliff::{METADATA, NAMESPACE};
use crate::exchange::xml::{escape, escape_into};
use crate::files::AtomicFile;
use crate::glossary::Glossary;
use crate::glossary::matcher::Matcher;
use crate::store::record::State;

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
    // A glossary whose matcher cannot be built is an error, never an XLIFF without its terms.
    let matcher = glossary
        .map(|g| Matcher::for_glossary(g).map(|m| (g, m)))
        .transpose()?;
    let mut buf = String::with_capacity(1 << 16);
    let _ = write!(
        buf,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xliff xmlns=\"{NAMESPACE}\" xmlns:gls=\"urn:oasis:names:tc:xliff:glossary:2.0\" xmlns:mda=\"{METADATA}\" version=\"2.1\" srcLang=\"{}\" trgLang=\"{}\">\n  <file id=\"f1\" original=\"{}\">\n",
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
            for t in super::approved_terms(g, m, view.text()) {
                entries.push_str("        <gls:glossEntry><gls:term source=\"glossary\">");
                text_into(&mut entries, &t.source);
                entries.push_str("</gls:term><gls:translation>");
                text_into(&mut entries, &t.target);
                entries.push_str("</gls:translation></gls:glossEntry>\n");
            }
            if !entries.is_empty() {
                buf.push_str("      <gls:glossary>\n");
                buf.push_str(&entries);
                buf.push_str("      </gls:glossary>\n");
            }
        }
        if let Some(r) = record {
            let _ = writeln!(
                buf,
                "      <mda:metadata><mda:metaGroup category=\"duiyi\"><mda:meta type=\"base\">{}</mda:meta></mda:metaGroup></mda:metadata>",
                r.base()
            );
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
        .map_err(|e| out.error(e).into())
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
        let back = crate::exchange::xliff::read(&x).unwrap();
        let (doc, stores) = fixture::stores();
        assert_eq!(back.entries.len(), doc.segment_count());
        assert_eq!(
            back.entries[5].target.as_deref(),
            Some(stores[0].1[5].target.as_str())
        );
        assert_eq!(back.entries[5].state, Some(State::Translated));
        assert!(x.contains("<gls:translation>cooperation</gls:translation>"));
        assert_eq!(back.entries[5].base, Some(stores[0].1[5].base()));
    }

    proptest! {
        #[test]
        fn any_text_survives_export_and_import(t in "[\\x01-\\x1f <>&\"'a-z\u{5d0}-\u{5ea}\u{202e}😀中\u{fffe}]{1,40}") {
            let mut out = String::new();
            text_into(&mut out, &t);
            let x = format!("<xliff version=\"2.1\" srcLang=\"zh\" trgLang=\"en\"><file id=\"f\"><unit id=\"u1\"><segment><source>{out}</source><target>{out}</target></segment></unit></file></xliff>");
            let back = crate::exchange::xliff::read(&x).unwrap();
            prop_assert_eq!(&back.entries[0].source, &t);
            prop_assert_eq!(back.entries[0].target.as_deref(), Some(t.as_str()));
        }
    }
}
