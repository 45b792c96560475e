//! TMX export of an edition: every translated segment of one language as a translation unit
//! (written by [`crate::exchange::tmx`]), with who and when as `creationid`/`changeid` and
//! dates, and the review state and ref as props.

use std::io::Write;

use super::{AtomicFile, Edition, PublishError};
use crate::exchange::tmx::{self, Header, Tmx, Unit, Variant, tmx_date};
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
        .map_err(|e| out.error(e))
}

/// Checks a TMX file for language `lang` of a project (source `source_lang`, targets
/// `targets`) and stores it as `memory_dir/<file name>` for the memory backend. Refuses a file
/// that does not parse, whose source language is not the project's, that has variants in
/// languages the project does not know, or that has nothing in `lang`. Returns the stored path
/// and the number of units with a `lang` variant.
pub fn import(
    path: &std::path::Path,
    bytes: &[u8],
    memory_dir: &std::path::Path,
    source_lang: &str,
    targets: &[String],
    lang: &str,
) -> Result<(std::path::PathBuf, usize), PublishError> {
    use crate::exchange::tmx::primary;
    let fail = |line: Option<usize>, message: String| PublishError::Import {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| fail(None, format!("not UTF-8 ({e}); save the memory as UTF-8")))?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let memory = tmx::read(text).map_err(|e| fail(Some(e.line), e.message))?;
    let same = |a: &str, b: &str| primary(a).eq_ignore_ascii_case(primary(b));
    if !same(&memory.header.srclang, source_lang) && memory.header.srclang != "*all*" {
        return Err(fail(
            None,
            format!(
                "the memory's source language is {:?}, the project's is {source_lang:?}",
                memory.header.srclang
            ),
        ));
    }
    let mut unknown: Vec<String> = Vec::new();
    let mut found = 0usize;
    for u in &memory.units {
        for v in &u.variants {
            let known = same(&v.lang, source_lang) || targets.iter().any(|t| same(&v.lang, t));
            if (!known || !crate::project::is_language_tag(&v.lang)) && !unknown.contains(&v.lang) {
                unknown.push(v.lang.clone());
            }
        }
        if u.text(lang).is_some() {
            found += 1;
        }
    }
    if !unknown.is_empty() {
        return Err(fail(
            None,
            format!(
                "languages the project does not know: {}; the project translates {source_lang} into {} (add the language to duiyi.toml, or remove those variants)",
                unknown.join(", "),
                targets.join(", ")
            ),
        ));
    }
    if found == 0 {
        return Err(fail(
            None,
            format!("no unit has a {lang} variant; nothing to import"),
        ));
    }
    let name = path
        .file_name()
        .map_or_else(|| "memory.tmx".into(), |n| n.to_string_lossy().into_owned());
    let dest = memory_dir.join(name);
    crate::files::write_atomic(&dest, text.as_bytes())?;
    Ok((dest, found))
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
