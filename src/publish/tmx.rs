//! TMX export of an edition: every translated segment of one language as a translation unit
//! (written by [`crate::exchange::tmx`]), with who and when as `creationid`/`changeid` and
//! dates, and the review state and ref as props.

use std::io::Write;

use super::{Edition, PublishError};
use crate::exchange::tmx::{self, Header, Tmx, Unit, Variant, tmx_date};
use crate::files::AtomicFile;
use crate::store::record::Translation;

/// The memory of language `l` of `edition`, whose full records are `records`.
pub fn memory(edition: &Edition<'_>, l: usize, records: &[Translation]) -> Tmx {
    let lang = &edition.langs[l].lang;
    let records = super::live_by_id(records);
    let mut units = Vec::new();
    for view in edition.doc.segments() {
        let Some(r) = records.get(view.segment.id.as_str()) else {
            continue;
        };
        if r.target.is_empty() {
            continue;
        }
        let date = r.when.as_deref().and_then(tmx_date);
        units.push(Unit {
            tuid: Some(r.id.clone()),
            creationid: r.who.clone(),
            creationdate: date.clone(),
            changeid: r.who.clone(),
            changedate: date,
            props: vec![
                ("x-state".into(), r.state.name().into()),
                ("x-ref".into(), r.r#ref.clone()),
                ("x-document".into(), edition.doc.name.clone()),
                ("x-duiyi-base".into(), r.base()),
            ],
            notes: r.note.iter().cloned().collect(),
            variants: vec![
                Variant {
                    lang: edition.source_lang.clone(),
                    text: view.text().to_string(),
                },
                Variant {
                    lang: lang.clone(),
                    text: r.target.clone(),
                },
            ],
        });
    }
    Tmx {
        header: Header {
            srclang: edition.source_lang.clone(),
            creationtool: "duiyi".into(),
        },
        units,
    }
}

/// Writes the TMX file of language `l`, whose full records are `records`.
pub fn write(
    edition: &Edition<'_>,
    l: usize,
    records: &[Translation],
    out: &mut AtomicFile,
) -> Result<(), PublishError> {
    let text = tmx::write(&memory(edition, l, records));
    out.writer()
        .write_all(text.as_bytes())
        .map_err(|e| out.error(e).into())
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::store::record::State;

    #[test]
    fn tmx_is_pinned_and_holds_only_translated_segments() {
        let (doc, stores) = fixture::stores();
        let targets = fixture::targets();
        let edition = Edition::new(&doc, "zh", &targets, State::Translated);
        let m = memory(&edition, 0, &stores[0].1);
        assert_eq!(
            m.units.len(),
            stores[0].1.iter().filter(|r| !r.target.is_empty()).count()
        );
        insta::assert_snapshot!(tmx::write(&m));
    }
}
