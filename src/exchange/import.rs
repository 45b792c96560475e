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
    /// XLIFF 2.x or 1.2 (told apart by the root's `version`).
    Xliff,
    /// TMX 1.4b.
    Tmx,
    /// An `OmegaT` project folder (its `omegat/project_save.tmx`).
    OmegaT,
}

impl Kind {
    /// The kind a file name says (a folder: an `OmegaT` project).
    pub fn of_path(path: &Path) -> Result<Self, StoreError> {
        if path.is_dir() {
            return if super::omegat::is_project(path) {
                Ok(Kind::OmegaT)
            } else {
                Err(StoreError::Exchange {
                    path: path.to_path_buf(),
                    line: None,
                    message: "a folder is imported only when it is an OmegaT project (with omegat.project)".into(),
                })
            };
        }
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

/// A table row whose id a spreadsheet had turned into a number, found again by its ref and
/// source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recovered {
    /// The row's line.
    pub line: Option<usize>,
    /// The id cell as the file has it (`3.0936108e+72`).
    pub was: String,
    /// The segment's ref.
    pub r#ref: String,
    /// The segment's id.
    pub id: String,
}

/// Reads `bytes` of the file at `path` for import into `store` (whose language is `lang`).
/// TMX units are matched by their `tuid` when it names a segment of the document (as duiyi
/// writes them), otherwise by their exact source text; units that match nothing are counted
/// in the second value. Table rows whose id names no segment but whose ref and source are a
/// segment's (a spreadsheet mangled the id) are that segment's; the third value lists them.
pub fn read(
    project: &Project,
    store: &Store,
    path: &Path,
    bytes: &[u8],
) -> Result<(IncomingFile, usize, Vec<Recovered>), StoreError> {
    let lang = store.lang();
    match Kind::of_path(path)? {
        Kind::Table(format) => {
            let (entries, recovered) = recover_ids(store, table::read_rows(path, bytes, format)?);
            Ok((
                IncomingFile {
                    path: path.to_path_buf(),
                    entries,
                    origin: Origin::Import,
                },
                0,
                recovered,
            ))
        }
        Kind::Xliff => Ok((
            super::xliff::incoming(path, bytes, project.source_language(), lang)?,
            0,
            Vec::new(),
        )),
        Kind::Tmx => {
            let (file, unmatched) = tmx_incoming(project, store, path, bytes)?;
            Ok((file, unmatched, Vec::new()))
        }
        Kind::OmegaT => {
            let (file, unmatched) = super::omegat::incoming(project, store, path)?;
            Ok((file, unmatched, Vec::new()))
        }
    }
}

/// The entries of `rows`, each row whose id names no live segment of `store` but whose ref and
/// source (trimmed) are one's given that segment's id; those rows are also listed.
fn recover_ids(store: &Store, rows: Vec<table::Row>) -> (Vec<Incoming>, Vec<Recovered>) {
    let by_ref: std::collections::HashMap<&str, &crate::store::record::Translation> = store
        .records()
        .iter()
        .filter(|r| !r.obsolete)
        .map(|r| (r.r#ref.as_str(), r))
        .collect();
    let mut recovered = Vec::new();
    let entries = rows
        .into_iter()
        .map(|row| {
            let mut entry = row.entry;
            if store.position(&entry.id).is_none()
                && let (Some(r), Some(source)) = (row.r#ref.as_deref(), row.source.as_deref())
                && let Some(record) = by_ref.get(r.trim())
                && record.source.trim() == source.trim()
            {
                recovered.push(Recovered {
                    line: entry.line,
                    was: std::mem::replace(&mut entry.id, record.id.clone()),
                    r#ref: record.r#ref.clone(),
                    id: record.id.clone(),
                });
            }
            entry
        })
        .collect();
    (entries, recovered)
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
    let kind = Kind::of_path(path)?;
    if kind == Kind::OmegaT {
        let ids: Vec<String> = super::omegat::exported_bases(path)?.into_keys().collect();
        return store::locate(project, None, lang, &ids);
    }
    let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
    let ids: Vec<String> = match kind {
        // An id a spreadsheet mangled names no segment: the import finds its row by ref.
        Kind::Table(format) => table::read_table(path, &bytes, format)?
            .into_iter()
            .map(|e| e.id)
            .filter(|id| crate::segment::is_id(id))
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
        Kind::OmegaT => Vec::new(),
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
    /// Table rows whose mangled id was found again by ref and source (left out of JSON when
    /// there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recovered: Vec<Recovered>,
}

impl Imported {
    /// What a user should know about rows found again by ref and source (`None`: no such row),
    /// one line ending in a line break.
    pub fn recovered_text(&self) -> Option<String> {
        let first = self.recovered.first()?;
        let at = first
            .line
            .map(|l| format!("line {l}, "))
            .unwrap_or_default();
        Some(format!(
            "{} row(s) had an id a spreadsheet turned into a number ({at}{:?} for {} {}); they were matched by ref and source\n",
            self.recovered.len(),
            first.was,
            first.r#ref,
            first.id
        ))
    }
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
    let bytes = match Kind::of_path(path)? {
        Kind::OmegaT => Vec::new(),
        _ => std::fs::read(path).map_err(|e| StoreError::io(path, e))?,
    };
    let mut committed = store::transaction(project, spec, lang, who, |store| {
        let (file, unmatched, recovered) = read(project, store, path, &bytes)?;
        let report = import::apply(store, &file, options, who)?;
        Ok::<_, StoreError>(Imported {
            report,
            unmatched,
            recovered,
        })
    })?;
    import::fill_bases(project, lang, &spec.name, &mut committed.value.report)?;
    Ok(committed)
}
