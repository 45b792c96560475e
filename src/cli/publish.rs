//! `duiyi publish`: bilingual editions and exchange files, behind the review gate.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::args::DocArg;
use super::{Error, Outcome, output};
use crate::project::Project;
use crate::publish::project::{self, Request};
use crate::publish::{Format, Layout};
use crate::store::record::State;

/// Output formats of `duiyi publish`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// One standalone HTML file.
    Html,
    /// A Word document (headings, TOC, tables of source and targets).
    Docx,
    /// An EPUB 3 book (facing paragraphs).
    Epub,
    /// Markdown, interleaved.
    Md,
    /// Plain text, interleaved.
    Txt,
    /// XLIFF 2.1 per language.
    Xliff,
    /// TMX 1.4b per language.
    Tmx,
    /// An HTML progress and QA report (states per section, open findings).
    Report,
}

/// Layouts of the HTML edition.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LayoutArg {
    /// Columns (interleaved on narrow screens).
    SideBySide,
    /// Source, then each target.
    Interleaved,
}

/// Arguments of `duiyi publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Target languages, comma-separated (`en` or `en,fr`).
    pub langs: String,
    /// The document (default: every document, each into its own files).
    pub document: Option<String>,
    /// Formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html")]
    pub format: Vec<FormatArg>,
    /// How the HTML edition arranges source and targets.
    #[arg(long, value_enum, default_value = "side-by-side")]
    pub layout: LayoutArg,
    /// Refuse unless every segment has reached this state.
    #[arg(long, value_name = "STATE")]
    pub require: Option<State>,
    /// Publish anyway, marking segments below the bar.
    #[arg(long)]
    pub draft: bool,
    /// Publish as reviewed or final although `duiyi check` has open errors (the report says
    /// so).
    #[arg(long)]
    pub allow_qa_errors: bool,
    /// The output folder (default: editions/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print JSON (see docs/json.md) instead of lines, and nothing on standard error.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    doc: DocArg,
}

pub(super) fn run(
    project: &Project,
    args: &PublishArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let doc = args.document.as_deref().or(args.doc.name());
    let request = Request {
        docs: project.some_documents(doc)?,
        langs: args
            .langs
            .split(',')
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        formats: args
            .format
            .iter()
            .map(|f| match f {
                FormatArg::Html => Format::Html,
                FormatArg::Docx => Format::Docx,
                FormatArg::Epub => Format::Epub,
                FormatArg::Md => Format::Md,
                FormatArg::Txt => Format::Txt,
                FormatArg::Xliff => Format::Xliff,
                FormatArg::Tmx => Format::Tmx,
                FormatArg::Report => Format::Report,
            })
            .collect(),
        layout: match args.layout {
            LayoutArg::SideBySide => Layout::SideBySide,
            LayoutArg::Interleaved => Layout::Interleaved,
        },
        require: args.require,
        draft: args.draft,
        allow_qa_errors: args.allow_qa_errors,
        out: args.out.clone(),
    };
    let published = project::run(project, &request)?;
    if args.json {
        output::json(out, &published)?;
        return Ok(Outcome::Ok);
    }
    for (lang, n) in &published.qa_errors_allowed {
        eprintln!(
            "warning: {lang}: published with {n} open QA error(s) (--allow-qa-errors); `duiyi check {lang}` lists them"
        );
    }
    for path in &published.files {
        writeln!(out, "{}", path.display())?;
    }
    Ok(Outcome::Ok)
}
