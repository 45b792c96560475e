//! `duiyi align`: attach an existing translation to a document's segments, or (research mode)
//! align two one-sentence-per-line files.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::args::WhoArg;
use super::{Error, Outcome};
use crate::align::format::{Format, read_sentences, write_alignment};
use crate::align::project::{Request, align_into_store};
use crate::align::{AlignOptions, Aligner, Language};

/// Arguments of `duiyi align`.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // independent command-line switches
pub struct AlignArgs {
    /// The language of the translation (a target language of the project).
    #[arg(required_unless_present = "src")]
    pub lang: Option<String>,
    /// The translation: plain text or Markdown, UTF-8, one paragraph per line.
    #[arg(required_unless_present = "src")]
    pub file: Option<PathBuf>,
    /// The document (default: the project's only document).
    pub doc: Option<String>,
    /// Print the alignment with confidences; store nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Align even if the translation does not look like one into LANG, or a side is empty.
    #[arg(long)]
    pub force: bool,
    /// Replace translations the segments already have (default: keep them).
    #[arg(long)]
    pub overwrite: bool,
    /// Research mode: the source file, one sentence per line (no project needed).
    #[arg(long, value_name = "FILE", requires_all = ["tgt", "one_sentence_per_line"], conflicts_with_all = ["lang", "file", "doc", "dry_run", "overwrite"])]
    pub src: Option<PathBuf>,
    /// Research mode: the target file, one sentence per line.
    #[arg(long, value_name = "FILE", requires = "src")]
    pub tgt: Option<PathBuf>,
    /// Research mode: the files hold one sentence per line (required with --src).
    #[arg(long, requires = "src")]
    pub one_sentence_per_line: bool,
    /// Research mode output: beads (`[i,...]:[j,...]`), tsv or tmx.
    #[arg(long, default_value = "beads", requires = "src")]
    pub format: String,
    /// Research mode: the source language.
    #[arg(long, default_value = "zh", value_name = "CODE")]
    pub source_lang: String,
    /// Research mode: the target language.
    #[arg(long, default_value = "en", value_name = "CODE")]
    pub target_lang: String,
    /// Research mode: half-width of the search band, in sentences (default: from the input).
    #[arg(long, value_name = "N")]
    pub band: Option<usize>,
    #[command(flatten)]
    who: WhoArg,
}

pub(super) fn run(
    project: Option<&PathBuf>,
    args: &AlignArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    if let Some(src) = &args.src {
        return research(src, args, out);
    }
    let (Some(lang), Some(file)) = (&args.lang, &args.file) else {
        return Err(Error::Usage(
            "give LANG and FILE, or --src FILE --tgt FILE --one-sentence-per-line".into(),
        ));
    };
    let project = super::open(project)?;
    let spec = match &args.doc {
        Some(name) => project.document(name)?,
        None => super::args::DocArg::default().one(&project)?,
    };
    let who = if args.dry_run {
        String::new()
    } else {
        args.who.resolve(&project)?
    };
    let request = Request {
        lang,
        file,
        force: args.force,
        overwrite: args.overwrite,
        dry_run: args.dry_run,
        who: &who,
    };
    let report = align_into_store(&project, &spec, &request)?;
    if args.dry_run {
        for row in &report.rows {
            let refs = if row.refs.is_empty() {
                "-".to_string()
            } else {
                row.refs.join("+")
            };
            writeln!(
                out,
                "{:.2}\t{refs}\t{}\t{}",
                row.confidence, row.source, row.target
            )?;
        }
    }
    let verb = if args.dry_run {
        "would store"
    } else {
        "stored"
    };
    writeln!(
        out,
        "{lang} {}: {verb} {} translation(s) from {} sentence(s) in {} paragraph(s); {} flagged needs-review, {} kept (already translated{}), {} segment(s) left untranslated",
        spec.name,
        report.stored,
        report.sentences,
        report.paragraphs,
        report.flagged,
        report.kept,
        if args.overwrite {
            ""
        } else {
            "; --overwrite replaces them"
        },
        report.untranslated
    )?;
    Ok(Outcome::Ok)
}

fn research(src: &Path, args: &AlignArgs, out: &mut dyn Write) -> Result<Outcome, Error> {
    let Some(tgt) = &args.tgt else {
        return Err(Error::Usage("--src needs --tgt FILE".into()));
    };
    if !args.one_sentence_per_line {
        return Err(Error::Usage(
            "--src and --tgt read pre-split files: add --one-sentence-per-line".into(),
        ));
    }
    let format: Format = args.format.parse()?;
    let source: Language = args.source_lang.parse().unwrap_or(Language::Chinese);
    let target: Language = args.target_lang.parse().unwrap_or(Language::English);
    let src_lines = read_sentences(src)?;
    let tgt_lines = read_sentences(tgt)?;
    let s: Vec<&str> = src_lines.iter().map(String::as_str).collect();
    let t: Vec<&str> = tgt_lines.iter().map(String::as_str).collect();
    let aligner = Aligner::new(AlignOptions {
        source: source.clone(),
        target: target.clone(),
        band: args.band,
        ..AlignOptions::default()
    })?;
    let beads = aligner.align_checked(&s, &t, args.force)?;
    write_alignment(out, &beads, format, (&s, &source), (&t, &target))?;
    Ok(Outcome::Ok)
}
