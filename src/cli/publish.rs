//! `duiyi publish`: bilingual editions and exchange files, behind the review gate.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::translate::DocArg;
use super::{Error, Outcome};
use crate::glossary::store::GlossaryStore;
use crate::project::Project;
use crate::publish::{self, Edition, Format, Layout, Options, Targets};
use crate::store::Store;
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
    /// The document (default: the project's only document).
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
    /// The output folder (default: editions/).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    doc: DocArg,
}

pub(super) fn run(
    project: &Project,
    args: &PublishArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let doc_arg = DocArg {
        doc: args.document.clone().or_else(|| args.doc.doc.clone()),
    };
    let spec = doc_arg.one(project)?;
    let langs: Vec<String> = args
        .langs
        .split(',')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if langs.is_empty() {
        return Err(Error::Usage(
            "name at least one language: duiyi publish en".into(),
        ));
    }
    // The report's QA run first: what it loads is freed before the edition's own loading.
    let qa = if args.format.iter().any(|f| matches!(f, FormatArg::Report)) {
        langs
            .iter()
            .map(|lang| crate::qa::project::check(project, lang, Some(&spec.name), &[]))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let mut formats: Vec<Format> = args
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
        .collect();
    formats.sort_unstable();
    formats.dedup();
    // XLIFF and TMX read every field of the records; the other formats read only what
    // `Targets` keeps, from the store line by line when it is current.
    let full = formats.iter().any(|f| f.needs_records());
    let mut targets = Vec::with_capacity(langs.len());
    let mut records = Vec::new();
    for lang in &langs {
        if full {
            let all = Store::open(project, &spec, lang)?.into_records();
            targets.push(Targets::from_records(lang, &all));
            records.push(all);
        } else {
            targets.push(Targets::load(project, &spec, lang)?);
        }
    }
    let rules = project.rules()?;
    let document = project.load(&spec, &rules)?;
    // Only XLIFF carries the glossary; a broken one is an error naming its line (a missing
    // one is an empty glossary), never a silent drop of every term.
    let glossary_store = GlossaryStore::new(project.glossary_dir());
    let glossaries = if formats.contains(&Format::Xliff) {
        langs
            .iter()
            .map(|l| glossary_store.load(l).map(Some))
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let options = Options {
        formats,
        layout: match args.layout {
            LayoutArg::SideBySide => Layout::SideBySide,
            LayoutArg::Interleaved => Layout::Interleaved,
        },
        require: args.require,
        draft: args.draft,
        out: args
            .out
            .clone()
            .unwrap_or_else(|| project.root().join("editions")),
        templates: Some(project.root().join("templates")),
    };
    let bar = args.require.unwrap_or(State::Translated);
    let edition = Edition::new(&document, project.source_language(), &targets, bar);
    for path in publish::publish(&edition, &records, &glossaries, &qa, &options)? {
        writeln!(out, "{}", path.display())?;
    }
    Ok(Outcome::Ok)
}
