//! Importing an exchange file into a store: read it by its kind (CSV, XLSX, XLIFF, TMX), turn
//! it into an [`IncomingFile`], and apply it through [`crate::store::import`] in one
//! [`crate::store::transaction`]. The command line and the workbench both call [`import_file`].

use std::collections::HashSet;
use std::path::Path;

use super::tmx;
use crate::project::{DocumentSpec, Project};
use crate::store::exchange::{self as table, Format};
use crate::store::import::{self, Incoming, IncomingFile, Options, Report};
use crate::store::record::{Origin, State};
use crate::store::{self, Committed, Store, StoreError};

/// The kinds of file an import reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A bilingual table.
    Table(Format),
    /// XLIFF 2.x.
    Xliff,
    /// TMX 1.4b.
    Tmx,
}

impl Kind {
    /// The kind a file name says.
    pub fn of_path(path: &Path) -> Result<Self, StoreError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("xlf" | "xliff") => Ok(Kind::Xliff),
            Some("tmx") => Ok(Kind::Tmx),
            _ => Format::of_path(path).map(Kind::Table),
        }
    }
}

/// Reads `bytes` of the file at `path` for import into `store` (whose language is `lang`).
/// TMX units are matched by their `tuid` when it names a segment of the document (as duiyi
/// writes them), otherwise by their exact source text; units that match nothing are counted
/// in the second value.
pub fn read(
    project: &Project,
    store: &Store,
    path: &Path,
    bytes: &[u8],
) -> Result<(IncomingFile, usize), StoreError> {
    let lang = store.lang();
    match Kind::of_path(path)? {
        Kind::Table(format) => Ok((
            IncomingFile {
                path: path.to_path_buf(),
                entries: table::read_table(path, bytes, format)?,
                origin: Origin::Import,
            },
            0,
        )),
        Kind::Xliff => Ok((
            super::xliff::incoming(path, bytes, project.source_language(), lang)?,
            0,
        )),
        Kind::Tmx => tmx_incoming(project, store, path, bytes),
    }
}

fn tmx_incoming(
    project: &Project,
    store: &Store,
    path: &Path,
    bytes: &[u8],
) -> Result<(IncomingFile, usize), StoreError> {
    let fail = |line: Option<usize>, message: String| StoreError::Exchange {
        path: path.to_path_buf(),
        line,
        message,
    };
    let text = std::str::from_utf8(bytes)
        .map_err(|e| fail(None, format!("not UTF-8 ({e}); save the memory as UTF-8")))?;
    let memory = tmx::read(text.strip_prefix('\u{FEFF}').unwrap_or(text))
        .map_err(|e| fail(Some(e.line), e.message))?;
    let source_lang = project.source_language();
    if !crate::lang::same_language(&memory.header.srclang, source_lang)
        && memory.header.srclang != "*all*"
    {
        return Err(fail(
            None,
            format!(
                "the memory's source language is {:?}, the project's is {source_lang:?}",
                memory.header.srclang
            ),
        ));
    }
    let lang = store.lang();
    let mut by_source: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (i, r) in store.records().iter().enumerate() {
        if !r.obsolete {
            by_source.entry(r.source.trim()).or_default().push(i);
        }
    }
    let mut entries = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut unmatched = 0;
    for u in &memory.units {
        let (Some(source), Some(target)) = (u.text(source_lang), u.text(lang)) else {
            continue;
        };
        let ours = u.prop("x-document").is_none_or(|d| d == store.doc());
        let by_id = u
            .tuid
            .as_deref()
            .filter(|id| ours && store.position(id).is_some());
        let parse_state = |s: &str| s.parse::<State>().ok();
        let matched: Vec<(String, bool)> = match by_id {
            Some(id) => vec![(id.to_string(), true)],
            None => by_source
                .get(source.trim())
                .map(|v| {
                    v.iter()
                        .map(|&i| (store.records()[i].id.clone(), false))
                        .collect()
                })
                .unwrap_or_default(),
        };
        let mut any = false;
        for (id, exact) in matched {
            if !taken.insert(id.clone()) {
                continue;
            }
            any = true;
            let base = match u.prop("x-duiyi-base").filter(|_| exact) {
                Some(b) => Some(b.parse().map_err(|m| fail(None, m))?),
                None => None,
            };
            entries.push(Incoming {
                line: None,
                id,
                source: Some(source.to_string()),
                target: Some(target.to_string()),
                state: u.prop("x-state").filter(|_| exact).and_then(parse_state),
                base,
            });
        }
        if !any {
            unmatched += 1;
        }
    }
    Ok((
        IncomingFile {
            path: path.to_path_buf(),
            entries,
            origin: Origin::Import,
        },
        unmatched,
    ))
}

/// The document an exchange file at `path` goes into: the one `doc` names, else the project's
/// only one, else the one document that has every segment the file names by id (the ids of a
/// table or an XLIFF file, the `tuid`s of a TMX file), as [`store::locate`] finds it.
pub fn document_of(
    project: &Project,
    doc: Option<&str>,
    lang: &str,
    path: &Path,
) -> Result<DocumentSpec, StoreError> {
    if doc.is_some() || project.documents()?.len() < 2 {
        return Ok(project.document_or_only(doc)?);
    }
    let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
    let ids: Vec<String> = match Kind::of_path(path)? {
        Kind::Table(format) => table::read_table(path, &bytes, format)?
            .into_iter()
            .map(|e| e.id)
            .collect(),
        Kind::Xliff => super::xliff::incoming(path, &bytes, project.source_language(), lang)?
            .entries
            .into_iter()
            .map(|e| e.id)
            .collect(),
        Kind::Tmx => {
            let text = String::from_utf8_lossy(&bytes);
            let memory =
                tmx::read(text.strip_prefix('\u{FEFF}').unwrap_or(&text)).map_err(|e| {
                    StoreError::Exchange {
                        path: path.to_path_buf(),
                        line: Some(e.line),
                        message: e.message,
                    }
                })?;
            memory
                .units
                .into_iter()
                .filter_map(|u| u.tuid)
                .filter(|id| crate::segment::is_id(id))
                .collect()
        }
    };
    store::locate(project, None, lang, &ids)
}

/// What [`import_file`] did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Imported {
    /// The per-segment decisions.
    #[serde(flatten)]
    pub report: Report,
    /// TMX units that matched no segment.
    pub unmatched: usize,
}

/// Imports the file at `path` into `spec`'s store in `lang` as `who`, in one transaction:
/// bad files change nothing; conflicts are listed with the base text when the journal still
/// has it.
pub fn import_file(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    path: &Path,
    options: Options,
    who: &str,
) -> Result<Committed<Imported>, StoreError> {
    Kind::of_path(path)?;
    let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
    let mut committed = store::transaction(project, spec, lang, who, |store| {
        let (file, unmatched) = read(project, store, path, &bytes)?;
        let report = import::apply(store, &file, options, who)?;
        Ok::<_, StoreError>(Imported { report, unmatched })
    })?;
    import::fill_bases(project, lang, &spec.name, &mut committed.value.report)?;
    Ok(committed)
}
