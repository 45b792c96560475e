//! The bilingual table (CSV, XLSX) for translators and agencies who work in spreadsheets.
//!
//! Columns: `id, ref, source, target, state, flags, note, base`. `id`, `target`, `state` and
//! `base` are read back (see [`super::import`] for what importing does with them); the rest is
//! context. Only `id` and `target` are required, so a hand-made table imports too (without a
//! base: it may not replace reviewed text without `--force`).
//!
//! A CSV cell that a spreadsheet would run as a formula (starting with `= + - @`, a tab or a
//! carriage return, as OWASP lists them) is written with a leading `'`, which spreadsheets
//! show as "text", and the `'` is taken off again on import; CSV files start with a UTF-8 byte
//! order mark so spreadsheets read the Chinese as UTF-8 (Excel on Windows shows mojibake
//! without it; `bom: false` leaves it out for tools that choke on it).
//!
//! Ids are hexadecimal, and a few look like numbers to a spreadsheet (`0030936108e74168` is
//! 30936108 × 10⁷⁴¹⁶⁸, which `LibreOffice` turns into `1.79769313486232E+308`): such an id is written as the text formula `="0030936108e74168"`, which
//! Excel and `LibreOffice` show as the id and keep as text ([`read_table`] takes the wrapper
//! off). An id that a spreadsheet mangled all the same is found again by its ref and source
//! ([`Row`], [`crate::exchange::import`]).
//!
//! An XLSX workbook holds typed text cells (never formulas) and is read with a cap on its
//! decompressed size ([`max_unzipped_bytes`]), so a zip bomb fails early with a clear message.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};

use super::StoreError;
use super::import::Incoming;
use super::record::{Base, State, Translation};
use crate::project::{DocumentSpec, Project};

/// The columns of the bilingual table, in order.
pub const COLUMNS: [&str; 8] = [
    "id", "ref", "source", "target", "state", "flags", "note", "base",
];

/// The largest decompressed size of an XLSX workbook that is read, in bytes: 256 MiB, or
/// `DUIYI_MAX_UNZIPPED_MB` mebibytes.
pub fn max_unzipped_bytes() -> u64 {
    std::env::var("DUIYI_MAX_UNZIPPED_MB")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(256 << 20, |mb| mb << 20)
}

/// Characters that make a spreadsheet read a cell as a formula (and `'`, the escape itself).
fn triggers_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\''])
}

/// A CSV cell as written: a leading `'` when a spreadsheet would take it for a formula.
fn neutralize(cell: String) -> String {
    if triggers_formula(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// A CSV cell as read back: the `'` that [`neutralize`] added is taken off.
fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if triggers_formula(rest) => rest,
        _ => cell,
    }
}

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
                line: None,
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

/// Whether a spreadsheet would read `id` as a number (and lose it).
fn looks_numeric(id: &str) -> bool {
    id.parse::<f64>().is_ok()
}

/// A CSV id cell: the id, or `="id"` when a spreadsheet would take it for a number.
fn id_cell(id: &str) -> String {
    if looks_numeric(id) {
        format!("=\"{id}\"")
    } else {
        id.to_string()
    }
}

/// An id cell as read back: the `="…"` of [`id_cell`] taken off.
fn id_of_cell(cell: &str) -> &str {
    cell.strip_prefix("=\"")
        .and_then(|c| c.strip_suffix('"'))
        .unwrap_or(cell)
}

fn row(r: &Translation) -> [String; 8] {
    let flags: Vec<_> = r.flags.iter().map(|f| f.name()).collect();
    [
        r.id.clone(),
        r.r#ref.clone(),
        r.source.clone(),
        r.target.clone(),
        r.state.to_string(),
        flags.join(","),
        r.note.clone().unwrap_or_default(),
        r.base(),
    ]
}

/// The table of the live records of `spec` in `lang` that `section` and `state` select
/// ([`super::Store::selection`]), in `format` (`duiyi export`); a CSV file starts with a byte
/// order mark when `bom`.
pub fn table(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    section: Option<&str>,
    state: Option<State>,
    format: Format,
    bom: bool,
) -> Result<Vec<u8>, StoreError> {
    let store = super::Store::open(project, spec, lang)?;
    export(store.selection(section, state)?, format, bom)
}

/// Where `duiyi export` writes a table by default: `editions/<doc>.<lang>.<ext>`.
pub fn default_path(project: &Project, doc: &str, lang: &str, format: Format) -> PathBuf {
    project
        .editions_dir()
        .join(format!("{doc}.{lang}.{}", format.extension()))
}

/// Writes [`table`] to `path` (default: [`default_path`]), atomically; returns the path.
#[allow(clippy::too_many_arguments)]
pub fn export_to(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    section: Option<&str>,
    state: Option<State>,
    format: Format,
    bom: bool,
    path: Option<&Path>,
) -> Result<PathBuf, StoreError> {
    let bytes = table(project, spec, lang, section, state, format, bom)?;
    let path = path.map_or_else(
        || default_path(project, &spec.name, lang, format),
        Path::to_path_buf,
    );
    crate::files::write_atomic(&path, &bytes)?;
    Ok(path)
}

/// Renders records as a table in `format` (CSV with a byte order mark when `bom`).
pub fn export<'a>(
    records: impl IntoIterator<Item = &'a Translation>,
    format: Format,
    bom: bool,
) -> Result<Vec<u8>, StoreError> {
    let fail = |message: String| StoreError::Exchange {
        path: "export".into(),
        line: None,
        message,
    };
    match format {
        Format::Csv => {
            let start = if bom {
                b"\xEF\xBB\xBF".to_vec()
            } else {
                Vec::new()
            };
            let mut w = csv::Writer::from_writer(start);
            w.write_record(COLUMNS).map_err(|e| fail(e.to_string()))?;
            for r in records {
                let mut cells = row(r).map(neutralize);
                cells[0] = id_cell(&r.id);
                w.write_record(cells).map_err(|e| fail(e.to_string()))?;
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
            for (c, width) in (0u16..).zip([18.0, 10.0, 50.0, 60.0, 11.0, 14.0, 30.0, 24.0]) {
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

/// Checks the decompressed size of a zip archive before anything unpacks it whole: every
/// member is inflated into nothing, counting, and the archive is refused past `limit` bytes.
fn check_unzipped_size(path: &Path, bytes: &[u8], limit: u64) -> Result<(), StoreError> {
    let fail = |message: String| StoreError::Exchange {
        path: path.to_path_buf(),
        line: None,
        message,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| fail(format!("not a readable XLSX workbook: {e}")))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let member = archive
            .by_index(i)
            .map_err(|e| fail(format!("not a readable XLSX workbook: {e}")))?;
        let room = limit.saturating_sub(total);
        let read = std::io::copy(&mut member.take(room + 1), &mut std::io::sink())
            .map_err(|e| fail(format!("not a readable XLSX workbook: {e}")))?;
        total += read;
        if total > limit {
            return Err(fail(format!(
                "the workbook unpacks to more than {} MiB (the limit; DUIYI_MAX_UNZIPPED_MB raises it); it is not read",
                limit >> 20
            )));
        }
    }
    Ok(())
}

/// One row of a table read back: the entry, and its ref and source when the table has those
/// columns (context, and what finds a row again whose id a spreadsheet mangled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The entry.
    pub entry: Incoming,
    /// The `ref` cell.
    pub r#ref: Option<String>,
    /// The `source` cell.
    pub source: Option<String>,
}

/// Reads a table into incoming entries: `id` and `target` (required), `state` and `base` (when
/// the columns are there).
pub fn read_table(path: &Path, bytes: &[u8], format: Format) -> Result<Vec<Incoming>, StoreError> {
    Ok(read_rows(path, bytes, format)?
        .into_iter()
        .map(|r| r.entry)
        .collect())
}

/// Reads a table into [`Row`]s, as [`read_table`] with the `ref` and `source` cells.
pub fn read_rows(path: &Path, bytes: &[u8], format: Format) -> Result<Vec<Row>, StoreError> {
    let fail = |line: usize, message: String| StoreError::Exchange {
        path: path.to_path_buf(),
        line: Some(line),
        message,
    };
    let rows: Vec<(usize, Vec<String>)> = match format {
        Format::Csv => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
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
                rows.push((line, rec.iter().map(|c| restore(c).to_string()).collect()));
            }
            rows
        }
        Format::Xlsx => {
            check_unzipped_size(path, bytes, max_unzipped_bytes())?;
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
    let (state_col, base_col) = (col("state"), col("base"));
    let (ref_col, source_col) = (col("ref"), col("source"));
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
        let id = id_of_cell(cells.get(id_col).map_or("", |s| s.trim()));
        if id.is_empty() {
            return Err(fail(
                *line,
                "the id cell is empty; keep the id of every row as exported".into(),
            ));
        }
        let cell = |c: Option<usize>| {
            c.and_then(|c| cells.get(c))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let state = match cell(state_col) {
            Some(s) => Some(s.parse::<State>().map_err(|e| fail(*line, e.to_string()))?),
            None => None,
        };
        let base = match cell(base_col) {
            Some(b) => Some(b.parse::<Base>().map_err(|e| fail(*line, e))?),
            None => None,
        };
        entries.push(Row {
            entry: Incoming {
                line: Some(*line),
                id: id.to_string(),
                source: None,
                target: cells.get(target_col).cloned(),
                state,
                base,
            },
            r#ref: cell(ref_col).map(str::to_string),
            source: cell(source_col).map(str::to_string),
        });
    }
    Ok(entries)
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
            let bytes = export(&records(), format, true).unwrap();
            let p = Path::new("t").with_extension(format.extension());
            let entries = read_table(&p, &bytes, format).unwrap();
            assert_eq!(entries.len(), 2, "{format:?}");
            assert_eq!(
                entries[0].target.as_deref(),
                Some(records()[0].target.as_str()),
                "{format:?}"
            );
            assert_eq!(entries[0].state, Some(State::Translated), "{format:?}");
            assert_eq!(
                entries[0].base,
                Some(records()[0].base().parse().unwrap()),
                "{format:?}"
            );
            assert_eq!(entries[1].target.as_deref(), Some(""), "{format:?}");
            assert_eq!(
                (entries[0].line, entries[1].line),
                (Some(2), Some(3)),
                "{format:?}"
            );
        }
    }

    #[test]
    fn csv_cells_never_run_as_formulas_and_come_back_as_they_were() {
        let mut r = Translation::initial("000000000000000a", "1¶1.1", "=1+1");
        r.target = "=cmd|' /C calc'!A0".into();
        r.note = Some("-5% and 'quoted'".into());
        let bytes = export([&r], Format::Csv, true).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with('\u{feff}'), "{text}");
        assert!(text.contains("'=1+1"), "{text}");
        assert!(text.contains(",'=cmd|' /C calc'!A0,"), "{text}");
        assert!(text.contains("'-5% and 'quoted'"), "{text}");
        let back = read_table(Path::new("t.csv"), &bytes, Format::Csv).unwrap();
        assert_eq!(back[0].target.as_deref(), Some("=cmd|' /C calc'!A0"));
        for cell in ["'Tis", "''=x", "@home", "plain", "\tx"] {
            assert_eq!(restore(&neutralize(cell.to_string())), cell);
        }
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked() {
        use std::io::Write as _;
        let mut zipped = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut zipped);
            w.start_file(
                "xl/worksheets/sheet1.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..3 {
                w.write_all(&zeros).unwrap();
            }
            w.finish().unwrap();
        }
        let bytes = zipped.into_inner();
        assert!(bytes.len() < 100_000);
        let e = check_unzipped_size(Path::new("bomb.xlsx"), &bytes, 2 << 20).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bomb.xlsx: the workbook unpacks to more than 2 MiB (the limit; DUIYI_MAX_UNZIPPED_MB raises it); it is not read"
        );
        check_unzipped_size(Path::new("ok.xlsx"), &bytes, 4 << 20).unwrap();
    }

    #[test]
    fn ids_that_look_like_numbers_are_written_as_text_and_the_bom_is_optional() {
        let mut a = Translation::initial("0030936108e74168", "1¶1.1", "甲。");
        a.target = "A.".into();
        let b = Translation::initial("00000000000000ab", "1¶1.2", "乙。");
        let c = Translation::initial("1234567890123456", "1¶1.3", "丙。");
        let bytes = export([&a, &b, &c], Format::Csv, false).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("id,ref,"), "{text}");
        assert!(
            text.contains("\n\"=\"\"0030936108e74168\"\"\",1¶1.1,"),
            "{text}"
        );
        assert!(text.contains("\n00000000000000ab,1¶1.2,"), "{text}");
        assert!(
            text.contains("\n\"=\"\"1234567890123456\"\"\",1¶1.3,"),
            "{text}"
        );
        let rows = read_rows(Path::new("t.csv"), &bytes, Format::Csv).unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.entry.id.as_str()).collect();
        assert_eq!(
            ids,
            ["0030936108e74168", "00000000000000ab", "1234567890123456"]
        );
        assert_eq!(rows[0].r#ref.as_deref(), Some("1¶1.1"));
        assert_eq!(rows[0].source.as_deref(), Some("甲。"));
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
