//! `duiyi export` and `duiyi import`: the bilingual table for spreadsheet users, and every
//! exchange file coming back.
//!
//! `import` reads any exchange file by its extension and applies it through the one import
//! path ([`crate::exchange::import`]); this file only maps flags and prints the report.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::translate::{DocArg, WhoArg, report_applied, report_committed};
use super::{Error, Outcome};
use crate::exchange::import::{Kind, import_file};
use crate::project::Project;
use crate::store::exchange::{self, Format};
use crate::store::import::{ConflictKind, Options, Prefer, Report};
use crate::store::record::State;
use crate::store::{self, Store, StoreError};

/// `--prefer`: how to settle a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreferArg {
    /// Take the file's text.
    File,
    /// Keep the store's text.
    Store,
}

impl From<PreferArg> for Prefer {
    fn from(p: PreferArg) -> Self {
        match p {
            PreferArg::File => Prefer::File,
            PreferArg::Store => Prefer::Store,
        }
    }
}

/// `--into`: where a TMX file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Destination {
    /// Stored under memory/ for the memory backend (TMX only; the default for TMX).
    #[default]
    Memory,
    /// Applied to the translations, as any other exchange file.
    Store,
}

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
    /// `duiyi publish --format xliff` and back from a CAT tool), or .tmx (stored under memory/,
    /// or applied to the translations with --into store).
    pub file: PathBuf,
    /// How to settle segments changed both in the file and in the store since the file was
    /// made (default: list them and apply nothing of them).
    #[arg(long, value_enum, value_name = "SIDE")]
    pub prefer: Option<PreferArg>,
    /// Let a file without bases (a foreign XLIFF or TMX, a hand-made table) replace reviewed
    /// and final translations.
    #[arg(long)]
    pub force: bool,
    /// Where a TMX file goes: the memory (default) or the translations.
    #[arg(long, value_enum, default_value_t, value_name = "WHERE")]
    pub into: Destination,
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
    let kind = Kind::of_path(&args.file)?;
    if kind == Kind::Tmx && args.into != Destination::Store {
        return import_memory(project, args, out);
    }
    let spec = args.doc.one(project)?;
    let who = args.who.resolve(project)?;
    let options = Options {
        prefer: args.prefer.map(Into::into),
        force: args.force,
    };
    let committed = import_file(project, &spec, &args.lang, &args.file, options, &who)?;
    report_committed(&args.lang, &spec.name, &committed);
    let imported = committed.value;
    print_report(
        out,
        &args.lang,
        &spec.name,
        &imported.report,
        imported.unmatched,
    )?;
    Ok(if imported.report.is_clean() {
        Outcome::Ok
    } else {
        Outcome::Findings
    })
}

/// Prints what an import did: the notices of applied changes (stderr), a summary line, then
/// every conflict with base, store and file text, every refusal and every stale segment.
pub(super) fn print_report(
    out: &mut dyn Write,
    lang: &str,
    doc: &str,
    report: &Report,
    unmatched: usize,
) -> Result<(), Error> {
    report_applied(lang, &report.applied);
    let mut summary = format!(
        "{lang} {doc}: {} segment(s) read, {} changed",
        report.read,
        report.changed()
    );
    if !report.stale.is_empty() {
        let _ = write!(
            summary,
            ", {} kept (the store is newer than the file)",
            report.stale.len()
        );
    }
    if !report.conflicts.is_empty() {
        let _ = write!(summary, ", {} conflict(s)", report.conflicts.len());
    }
    if !report.refused.is_empty() {
        let _ = write!(summary, ", {} refused", report.refused.len());
    }
    if unmatched > 0 {
        let _ = write!(summary, ", {unmatched} unit(s) matched no segment");
    }
    writeln!(out, "{summary}")?;
    let at = |line: Option<usize>| line.map(|l| format!(" (line {l})")).unwrap_or_default();
    for c in &report.conflicts {
        let why = match &c.kind {
            ConflictKind::BothChanged => {
                "changed in the file and in the store since the file was made".to_string()
            }
            ConflictKind::SourceChanged { was } => {
                format!("the source changed since the file was made (it was “{was}”)")
            }
            ConflictKind::Unbased => format!(
                "the file has no base and would replace {} text",
                c.store_state
            ),
        };
        writeln!(out, "conflict {}{}: {why}", c.r#ref, at(c.line))?;
        if let Some(hash) = &c.base_hash {
            match &c.base {
                Some(b) => writeln!(out, "  base:  “{b}”")?,
                None => writeln!(out, "  base:  (text {hash}, no longer in the journal)")?,
            }
        }
        writeln!(out, "  store: “{}” ({})", c.store, c.store_state)?;
        writeln!(out, "  file:  “{}”", c.file)?;
    }
    for r in &report.refused {
        writeln!(out, "refused {}{}: {}", r.r#ref, at(r.line), r.message)?;
    }
    for s in &report.stale {
        writeln!(out, "kept {}{}: {}", s.r#ref, at(s.line), s.what)?;
    }
    if report
        .conflicts
        .iter()
        .any(|c| c.kind == ConflictKind::Unbased)
    {
        writeln!(
            out,
            "nothing of the conflicting segments was applied; decide with --prefer file or --prefer store (--force lets a file without bases replace reviewed text)"
        )?;
    } else if !report.conflicts.is_empty() {
        writeln!(
            out,
            "nothing of the conflicting segments was applied; decide with --prefer file or --prefer store"
        )?;
    }
    Ok(())
}

/// `duiyi import LANG FILE.tmx`: a checked memory under memory/ for the memory backend.
fn import_memory(
    project: &Project,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
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
