//! The bilingual table (CSV, XLSX) for translators and agencies who work in spreadsheets, and
//! applying edited targets back to a store.
//!
//! Columns: `id, ref, source, target, state, flags, note`. Only `id` and `target` are read back;
//! the rest is context. Import matches rows by id (refs may shift), validates every row before
//! changing anything, and applies only the targets that differ from the store, so a round trip
//! without edits changes nothing. [`Format::of_path`] dispatches on the file extension; other
//! exchange formats (XLIFF, TMX) plug in there.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::record::{Origin, Translation};
use super::{Applied, Store, StoreError};
use crate::review::{self, Action};

/// The columns of the bilingual table, in order.
pub const COLUMNS: [&str; 7] = ["id", "ref", "source", "target", "state", "flags", "note"];

/// A table format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values, UTF-8, with a header row.
    Csv,
    /// An Excel workbook, one sheet.
    Xlsx,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// The format a file name says, by extension.
    pub fn of_path(path: &Path) -> Result<Self, StoreError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("xlsx") => Ok(Format::Xlsx),
            other => Err(StoreError::Exchange {
                path: path.to_path_buf(),
                line: 0,
                message: format!(
                    "cannot import {}: supported files are .csv, .xlsx, .xlf (.xliff) and .tmx",
                    other.map_or_else(
                        || "a file without extension".to_string(),
                        |e| format!(".{e} files")
                    )
                ),
            }),
        }
    }
}

/// One edited target read back from a file: where it is, which segment, the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line (or row) in the file.
    pub line: usize,
    /// The segment id.
    pub id: String,
    /// The target text as found.
    pub target: String,
}

fn row(r: &Translation) -> [String; 7] {
    let flags: Vec<_> = r.flags.iter().map(|f| f.name()).collect();
    [
        r.id.clone(),
        r.r#ref.clone(),
        r.source.clone(),
        r.target.clone(),
        r.state.to_string(),
        flags.join(","),
        r.note.clone().unwrap_or_default(),
    ]
}

/// Renders records as a table in `format`.
pub fn export<'a>(
    records: impl IntoIterator<Item = &'a Translation>,
    format: Format,
) -> Result<Vec<u8>, StoreError> {
    let fail = |message: String| StoreError::Exchange {
        path: "export".into(),
        line: 0,
        message,
    };
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(COLUMNS).map_err(|e| fail(e.to_string()))?;
            for r in records {
                w.write_record(row(r)).map_err(|e| fail(e.to_string()))?;
            }
            w.into_inner().map_err(|e| fail(e.to_string()))
        }
        Format::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let bold = rust_xlsxwriter::Format::new().set_bold();
            let wrap = rust_xlsxwriter::Format::new().set_text_wrap();
            let sheet = book.add_worksheet();
            let x = |e: rust_xlsxwriter::XlsxError| fail(e.to_string());
            for (c, name) in (0u16..).zip(COLUMNS) {
                sheet
                    .write_string_with_format(0, c, name, &bold)
                    .map_err(x)?;
            }
            for (c, width) in (0u16..).zip([18.0, 10.0, 50.0, 60.0, 11.0, 14.0, 30.0]) {
                sheet.set_column_width(c, width).map_err(x)?;
            }
            sheet.set_freeze_panes(1, 0).map_err(x)?;
            for (n, r) in (1u32..).zip(records) {
                for (c, cell) in (0u16..).zip(row(r)) {
                    if c == 2 || c == 3 {
                        sheet
                            .write_string_with_format(n, c, cell, &wrap)
                            .map_err(x)?;
                    } else {
                        sheet.write_string(n, c, cell).map_err(x)?;
                    }
                }
            }
            book.save_to_buffer().map_err(x)
        }
    }
}

/// Reads the `id` and `target` columns of a table.
pub fn read_table(path: &Path, bytes: &[u8], format: Format) -> Result<Vec<Entry>, StoreError> {
    let fail = |line: usize, message: String| StoreError::Exchange {
        path: path.to_path_buf(),
        line,
        message,
    };
    let rows: Vec<(usize, Vec<String>)> = match format {
        Format::Csv => {
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(bytes);
            let mut rows = Vec::new();
            for rec in r.records() {
                let rec = rec.map_err(|e| {
                    let line = e
                        .position()
                        .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                    fail(line, format!("not valid CSV: {e}"))
                })?;
                let line = rec
                    .position()
                    .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                rows.push((line, rec.iter().map(str::to_string).collect()));
            }
            rows
        }
        Format::Xlsx => {
            let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| fail(0, format!("not a readable XLSX workbook: {e}")))?;
            let range = book
                .worksheet_range_at(0)
                .ok_or_else(|| fail(0, "the workbook has no sheet".into()))?
                .map_err(|e| fail(0, format!("cannot read the first sheet: {e}")))?;
            let first_row = range.start().map_or(0, |(r, _)| r as usize);
            range
                .rows()
                .enumerate()
                .map(|(i, cells)| {
                    let cells = cells
                        .iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            Data::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect();
                    (first_row + i + 1, cells)
                })
                .collect()
        }
    };
    let Some(((head_line, head), body)) = rows.split_first() else {
        return Err(fail(
            1,
            "the file is empty; export a table with `duiyi export` first".into(),
        ));
    };
    let col = |name: &str| {
        head.iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(id_col), Some(target_col)) = (col("id"), col("target")) else {
        return Err(fail(
            *head_line,
            format!(
                "the first row must name the columns, with at least `id` and `target` (found: {})",
                head.join(", ")
            ),
        ));
    };
    let mut entries = Vec::with_capacity(body.len());
    for (line, cells) in body {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let id = cells.get(id_col).map_or("", |s| s.trim());
        if id.is_empty() {
            return Err(fail(
                *line,
                "the id cell is empty; keep the id of every row as exported".into(),
            ));
        }
        entries.push(Entry {
            line: *line,
            id: id.to_string(),
            target: cells.get(target_col).cloned().unwrap_or_default(),
        });
    }
    Ok(entries)
}

/// Applies the entries whose target differs from `baseline` (the text the file started with,
/// by id; when `None`, the store's current target). Every entry is checked first — unknown
/// or repeated ids, empty or multi-line translations, refused transitions — so a bad file
/// changes nothing and the error names its line.
pub fn apply_entries<S: std::hash::BuildHasher>(
    store: &mut Store,
    path: &Path,
    entries: &[Entry],
    baseline: Option<&HashMap<String, String, S>>,
    who: &str,
    origin: &Origin,
) -> Result<Vec<Applied>, StoreError> {
    let fail = |line: usize, message: String| StoreError::Exchange {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut todo: Vec<(usize, &Entry)> = Vec::new();
    for e in entries {
        if let Some(first) = seen.insert(e.id.as_str(), e.line) {
            return Err(fail(
                e.line,
                format!(
                    "segment {} appears twice (first on line {first}); keep one",
                    e.id
                ),
            ));
        }
        let Some(at) = store.position(&e.id) else {
            return Err(fail(
                e.line,
                format!(
                    "no segment {} in {} (was the id changed, or the file made for another document?)",
                    e.id,
                    store.doc()
                ),
            ));
        };
        let record = &store.records()[at];
        let before = baseline
            .and_then(|b| b.get(&e.id))
            .map_or(record.target.as_str(), String::as_str);
        let target = e.target.trim();
        if target == before.trim() {
            continue;
        }
        if record.obsolete {
            return Err(fail(
                e.line,
                format!(
                    "segment {} is obsolete (its source was deleted); leave its row unchanged",
                    e.id
                ),
            ));
        }
        let action = Action::Edit {
            target,
            state: None,
        };
        review::transition(record, &action, None)
            .map_err(|err| fail(e.line, format!("{}: {err}", record.r#ref)))?;
        todo.push((at, e));
    }
    let mut applied = Vec::with_capacity(todo.len());
    for (at, e) in todo {
        let action = Action::Edit {
            target: e.target.trim(),
            state: None,
        };
        applied.push(store.apply(at, &action, None, who, Some(origin.clone()))?);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::record::State;

    fn records() -> Vec<Translation> {
        let mut a = Translation::initial("000000000000000a", "1¶1.1", "中国，“合作”。");
        a.target = "China, \"cooperation\", with a comma.".into();
        a.state = State::Translated;
        let b = Translation::initial("000000000000000b", "1¶1.2", "第二句。");
        vec![a, b]
    }

    #[test]
    fn csv_and_xlsx_read_back_what_they_wrote() {
        for format in [Format::Csv, Format::Xlsx] {
            let bytes = export(&records(), format).unwrap();
            let p = Path::new("t").with_extension(format.extension());
            let entries = read_table(&p, &bytes, format).unwrap();
            assert_eq!(entries.len(), 2, "{format:?}");
            assert_eq!(entries[0].target, records()[0].target, "{format:?}");
            assert_eq!(entries[1].target, "", "{format:?}");
            assert_eq!((entries[0].line, entries[1].line), (2, 3), "{format:?}");
        }
    }

    #[test]
    fn tables_without_the_columns_or_with_empty_ids_are_refused() {
        let p = Path::new("t.csv");
        let e = read_table(p, b"a,b\n1,2\n", Format::Csv).unwrap_err();
        assert!(
            e.to_string().contains("t.csv:1: the first row must name"),
            "{e}"
        );
        let e = read_table(p, b"id,target\n,x\n", Format::Csv).unwrap_err();
        assert!(
            e.to_string().contains("t.csv:2: the id cell is empty"),
            "{e}"
        );
        assert!(read_table(Path::new("t.xlsx"), b"junk", Format::Xlsx).is_err());
        assert!(Format::of_path(Path::new("t.xliff")).is_err());
        assert_eq!(Format::of_path(Path::new("T.XLSX")).unwrap(), Format::Xlsx);
    }
}
