//! `duiyi segments` and `duiyi stats`: looking at how a document is cut.

use std::io::Write;

use clap::{Args, ValueEnum};

use super::{Error, Outcome, output};
use crate::project::Project;
use crate::segment::stats::{self as counts, Stats};

/// Output formats of `duiyi segments`.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum SegmentsFormat {
    /// Aligned columns for reading.
    #[default]
    Table,
    /// Tab-separated values with a header (tabs and newlines in text escaped as \t, \n).
    Tsv,
    /// A JSON array of objects: `doc`, `ref`, `id`, `role`, `level`, `text`, `line`, `section`,
    /// `links_to`, `references`.
    Json,
}

/// Arguments of `duiyi segments`.
#[derive(Debug, Args)]
pub struct SegmentsArgs {
    /// The document (default: all documents).
    pub doc: Option<String>,
    /// Only this section, paragraph or segment (3, 3.2, 3.2¶4, toc, front).
    #[arg(long, value_name = "REF")]
    pub section: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: SegmentsFormat,
}

/// Arguments of `duiyi stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The document (default: all documents).
    pub doc: Option<String>,
    /// Print JSON (an array with one object per document; with --analysis, the analysis).
    #[arg(long)]
    pub json: bool,
    /// The analysis for a translation into LANG: per document, repetitions and memory match
    /// bands (100%, 95-99, 85-94, 75-84, 50-74, no match) in segments and Han characters.
    #[arg(long, value_name = "LANG")]
    pub analysis: Option<String>,
    /// With --analysis: print CSV.
    #[arg(long, requires = "analysis", conflicts_with = "json")]
    pub csv: bool,
}

pub(super) fn segments(
    project: &Project,
    args: &SegmentsArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let docs = project.load_documents(args.doc.as_deref())?;
    let views = crate::segment::select(&docs, args.section.as_deref())?;
    match args.format {
        SegmentsFormat::Json => {
            let records: Vec<_> = views
                .iter()
                .map(crate::segment::SegmentView::record)
                .collect();
            output::json(out, &records)?;
        }
        SegmentsFormat::Tsv => {
            writeln!(out, "{}", crate::segment::TSV_HEADER)?;
            for v in &views {
                writeln!(out, "{}", v.tsv_line())?;
            }
        }
        SegmentsFormat::Table => {
            let width = views
                .iter()
                .map(|v| v.r#ref().to_string().chars().count())
                .max()
                .unwrap_or(3);
            let multi = docs.len() > 1;
            for v in &views {
                let role = match v.unit.level {
                    Some(l) => format!("{}{l}", v.role()),
                    None => v.role().to_string(),
                };
                let r = v.r#ref().to_string();
                let pad = width.saturating_sub(r.chars().count());
                if multi {
                    write!(out, "{}  ", v.doc.name)?;
                }
                writeln!(
                    out,
                    "{r}{:pad$}  {:<10}  {}  {}",
                    "",
                    role,
                    v.id(),
                    v.text()
                )?;
            }
        }
    }
    Ok(Outcome::Ok)
}

pub(super) fn stats(
    project: &Project,
    args: &StatsArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    if let Some(lang) = &args.analysis {
        let analysis = crate::memory::analysis::of_project(project, lang, args.doc.as_deref())?;
        if args.json {
            output::json(out, &analysis)?;
        } else if args.csv {
            write!(out, "{}", analysis.csv())?;
        } else {
            write!(out, "{analysis}")?;
        }
        return Ok(Outcome::Ok);
    }
    let docs = project.load_documents(args.doc.as_deref())?;
    let all: Vec<Stats> = docs.iter().map(counts::stats).collect();
    if args.json {
        return output::json(out, &all).map(|()| Outcome::Ok);
    }
    for s in &all {
        write!(out, "{s}")?;
    }
    Ok(Outcome::Ok)
}
