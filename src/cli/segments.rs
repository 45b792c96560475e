//! `duiyi segments` and `duiyi stats`: looking at how a document is cut.

use std::io::Write;

use clap::{Args, ValueEnum};

use super::{Error, Outcome, output};
use crate::project::Project;
use crate::segment::stats::{self as counts, Stats};
use crate::segment::{Document, Selector};

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
    /// Print JSON (an array with one object per document).
    #[arg(long)]
    pub json: bool,
}

pub(super) fn segments(
    project: &Project,
    args: &SegmentsArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let docs = project.load_documents(args.doc.as_deref())?;
    let selector: Option<Selector> = args
        .section
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e: crate::segment::RefParseError| Error::Usage(e.to_string()))?;
    let views: Vec<_> = docs
        .iter()
        .flat_map(Document::segments)
        .filter(|s| selector.as_ref().is_none_or(|sel| sel.selects(s.r#ref())))
        .collect();
    if let (Some(section), true) = (&args.section, views.is_empty()) {
        return Err(Error::Usage(format!(
            "no segment in section {section}; run `duiyi stats` to see the sections"
        )));
    }
    match args.format {
        SegmentsFormat::Json => {
            let records: Vec<_> = views
                .iter()
                .map(crate::segment::SegmentView::record)
                .collect();
            output::json(out, &records)?;
        }
        SegmentsFormat::Tsv => {
            writeln!(out, "doc\tref\tid\trole\tlevel\ttext")?;
            for v in &views {
                let level = v.unit.level.map(|l| l.to_string()).unwrap_or_default();
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    v.doc.name,
                    v.r#ref(),
                    v.id(),
                    v.role(),
                    level,
                    escape_tsv(v.text())
                )?;
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
    let docs = project.load_documents(args.doc.as_deref())?;
    let all: Vec<Stats> = docs.iter().map(counts::stats).collect();
    if args.json {
        return output::json(out, &all).map(|()| Outcome::Ok);
    }
    for s in &all {
        writeln!(out, "{}", s.doc)?;
        writeln!(
            out,
            "  segments {} (body {}, toc {}), Han characters {}, characters {}",
            s.segments, s.body_segments, s.toc_segments, s.han, s.chars
        )?;
        let roles: Vec<String> = s
            .units
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        writeln!(out, "  units: {}", roles.join(", "))?;
        let levels: Vec<String> = s
            .headings_by_level
            .iter()
            .map(|(l, n)| format!("level {l}: {n}"))
            .collect();
        if !levels.is_empty() {
            writeln!(out, "  headings: {}", levels.join(", "))?;
        }
        writeln!(
            out,
            "  {:<8} {:>6} {:>9} {:>7}  title",
            "section", "units", "segments", "Han"
        )?;
        for sec in &s.sections {
            writeln!(
                out,
                "  {:<8} {:>6} {:>9} {:>7}  {}",
                sec.section,
                sec.units,
                sec.segments,
                sec.han,
                sec.title.as_deref().unwrap_or("")
            )?;
        }
    }
    Ok(Outcome::Ok)
}

/// Escapes tabs, newlines and backslashes for one TSV field.
fn escape_tsv(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '\t' => s.push_str("\\t"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            c => s.push(c),
        }
    }
    s
}
