//! `duiyi export`: the bilingual table (CSV or XLSX) for spreadsheet users
//! ([`crate::store::exchange`]), or an `OmegaT` project ([`crate::exchange::omegat`]).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::args::DocArg;
use super::{Error, Outcome};
use crate::project::Project;
use crate::store::exchange::{self, Format};
use crate::store::record::State;

/// Table formats of `duiyi export` (and the `OmegaT` project).
#[derive(Debug, Clone, Copy, ValueEnum)]
// The doc comments are `--help` text: tool names stay plain words there.
#[allow(clippy::doc_markdown)]
pub enum TableFormat {
    /// Comma-separated values (UTF-8).
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// An OmegaT project folder (--output DIR): source, memories, glossary, settings.
    Omegat,
}

/// Arguments of `duiyi export`.
#[derive(Debug, Args)]
#[allow(clippy::doc_markdown)]
pub struct ExportArgs {
    /// The language.
    pub lang: String,
    /// The file format.
    #[arg(long, value_enum)]
    pub format: TableFormat,
    /// Where to write (default: editions/<doc>.<lang>.<ext>; `-` for standard output, CSV only;
    /// a folder for an OmegaT project).
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Only this section, unit or segment.
    #[arg(long, value_name = "REF")]
    pub section: Option<String>,
    /// Only segments in this state.
    #[arg(long, value_name = "STATE")]
    pub state: Option<State>,
    /// Write a CSV file without the UTF-8 byte order mark (that Excel needs to read Chinese).
    #[arg(long)]
    pub no_bom: bool,
    #[command(flatten)]
    doc: DocArg,
}

pub(super) fn run(
    project: &Project,
    args: &ExportArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = args.doc.of(project, &args.lang, args.section.as_slice())?;
    let format = match args.format {
        TableFormat::Csv => Format::Csv,
        TableFormat::Xlsx => Format::Xlsx,
        TableFormat::Omegat => {
            if args.section.is_some() || args.state.is_some() {
                return Err(Error::Usage(
                    "an OmegaT project holds the whole document; leave out --section and --state"
                        .into(),
                ));
            }
            let dir = args.output.clone().unwrap_or_else(|| {
                project
                    .editions_dir()
                    .join(format!("{}.{}.omegat", spec.name, args.lang))
            });
            crate::exchange::omegat::export(project, &spec, &args.lang, &dir)?;
            writeln!(out, "{}", dir.display())?;
            return Ok(Outcome::Ok);
        }
    };
    let (lang, section) = (&args.lang, args.section.as_deref());
    match &args.output {
        Some(p) if p.as_os_str() == "-" => {
            if format == Format::Xlsx {
                return Err(Error::Usage(
                    "an XLSX workbook cannot go to standard output; pass --output FILE".into(),
                ));
            }
            out.write_all(&exchange::table(
                project,
                &spec,
                lang,
                section,
                args.state,
                format,
                !args.no_bom,
            )?)?;
        }
        path => {
            let path = path.as_deref();
            let written = exchange::export_to(
                project,
                &spec,
                lang,
                section,
                args.state,
                format,
                !args.no_bom,
                path,
            )?;
            writeln!(out, "{}", written.display())?;
        }
    }
    Ok(Outcome::Ok)
}
