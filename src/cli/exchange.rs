//! `duiyi export` and `duiyi import`: the bilingual table for spreadsheet users.
//!
//! `import` picks the reader by the file's extension; exchange formats added later (XLIFF,
//! TMX) plug into [`crate::store::exchange::Format`].

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::translate::{DocArg, WhoArg, change_store, report_applied};
use super::{Error, Outcome};
use crate::project::Project;
use crate::publish::{PublishError, xliff};
use crate::store::exchange::{self, Format, apply_entries};
use crate::store::record::{Origin, State};
use crate::store::{self, Store, StoreError};

/// Table formats of `duiyi export`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TableFormat {
    /// Comma-separated values (UTF-8).
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// Arguments of `duiyi export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The language.
    pub lang: String,
    /// The file format.
    #[arg(long, value_enum)]
    pub format: TableFormat,
    /// Where to write (default: editions/<doc>.<lang>.<ext>; `-` for standard output, CSV only).
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Only this section, unit or segment.
    #[arg(long, value_name = "REF")]
    pub section: Option<String>,
    /// Only segments in this state.
    #[arg(long, value_name = "STATE")]
    pub state: Option<State>,
    #[command(flatten)]
    doc: DocArg,
}

/// Arguments of `duiyi import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The language.
    pub lang: String,
    /// The file: .csv or .xlsx (as `duiyi export` writes them), .xlf/.xliff (XLIFF 2, from
    /// `duiyi publish --format xliff` and back from a CAT tool), or .tmx (stored under memory/).
    pub file: PathBuf,
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
}

pub(super) fn export(
    project: &Project,
    args: &ExportArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = args.doc.one(project)?;
    let store = Store::open(project, &spec, &args.lang)?;
    let format = match args.format {
        TableFormat::Csv => Format::Csv,
        TableFormat::Xlsx => Format::Xlsx,
    };
    let selected: Vec<usize> = match &args.section {
        Some(s) => store.find(s)?,
        None => (0..store.records().len()).collect(),
    };
    let records = selected
        .into_iter()
        .map(|i| &store.records()[i])
        .filter(|r| !r.obsolete && args.state.is_none_or(|s| r.state == s));
    let bytes = exchange::export(records, format)?;
    match &args.output {
        Some(p) if p.as_os_str() == "-" => {
            if matches!(format, Format::Xlsx) {
                return Err(Error::Usage(
                    "an XLSX workbook cannot go to standard output; pass --output FILE".into(),
                ));
            }
            out.write_all(&bytes)?;
        }
        other => {
            let path = other.clone().unwrap_or_else(|| {
                project.root().join("editions").join(format!(
                    "{}.{}.{}",
                    spec.name,
                    args.lang,
                    format.extension()
                ))
            });
            crate::files::write_atomic(&path, &bytes).map_err(StoreError::from)?;
            writeln!(out, "{}", path.display())?;
        }
    }
    Ok(Outcome::Ok)
}

pub(super) fn import(
    project: &Project,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let ext = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xlf" | "xliff") => return import_xliff(project, args, out),
        Some("tmx") => return import_tmx(project, args, out),
        _ => {}
    }
    let spec = args.doc.one(project)?;
    let who = args.who.resolve(project)?;
    let format = Format::of_path(&args.file)?;
    let bytes = std::fs::read(&args.file).map_err(|e| StoreError::io(&args.file, e))?;
    let entries = exchange::read_table(&args.file, &bytes, format)?;
    let applied = change_store(project, &spec, &args.lang, &who, |store| {
        apply_entries::<std::hash::RandomState>(
            store,
            &args.file,
            &entries,
            None,
            &who,
            &Origin::Import,
        )
    })?;
    let changed = report_applied(&args.lang, &applied);
    writeln!(
        out,
        "{} {}: {changed} translation(s) changed ({} rows read)",
        args.lang,
        spec.name,
        entries.len()
    )?;
    Ok(Outcome::Ok)
}

/// `duiyi import LANG FILE.xlf`: targets and states back from another CAT tool.
fn import_xliff(
    project: &Project,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = args.doc.one(project)?;
    let who = args.who.resolve(project)?;
    let bytes = std::fs::read(&args.file).map_err(|e| StoreError::io(&args.file, e))?;
    let fail = |line: Option<usize>, message: String| PublishError::Import {
        path: args.file.clone(),
        line,
        message,
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| fail(None, format!("not UTF-8 ({e}); save the file as UTF-8")))?;
    let file = xliff::read(text.strip_prefix('\u{FEFF}').unwrap_or(text))
        .map_err(|(line, m)| fail(Some(line), m))?;
    let applied = change_store(project, &spec, &args.lang, &who, |store| {
        xliff::apply(
            store,
            &args.file,
            &file,
            project.source_language(),
            &args.lang,
            &who,
        )
    })?;
    let changed = report_applied(&args.lang, &applied);
    writeln!(
        out,
        "{} {}: {changed} change(s) applied ({} segments read)",
        args.lang,
        spec.name,
        file.entries.len()
    )?;
    Ok(Outcome::Ok)
}

/// `duiyi import LANG FILE.tmx`: a checked memory under memory/ for the memory backend.
fn import_tmx(project: &Project, args: &ImportArgs, out: &mut dyn Write) -> Result<Outcome, Error> {
    store::check_language(project, &args.lang)?;
    let bytes = std::fs::read(&args.file).map_err(|e| StoreError::io(&args.file, e))?;
    let (dest, n) = crate::memory::tmx::import(
        &args.file,
        &bytes,
        &crate::memory::dir(project),
        project.source_language(),
        project.target_languages(),
        &args.lang,
    )?;
    writeln!(
        out,
        "{}: {n} translation unit(s) in {}, stored for the memory",
        dest.display(),
        args.lang
    )?;
    Ok(Outcome::Ok)
}
