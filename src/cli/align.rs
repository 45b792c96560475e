//! `duiyi align`: attach an existing translation to a document's segments, or (research mode)
//! align two one-sentence-per-line files.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::args::WhoArg;
use super::{Error, Outcome};
use crate::align::document::DEFAULT_MIN_CONFIDENCE;
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
    /// The translation: plain text (UTF-8, one paragraph per line), Markdown, HTML or Word
    /// (.docx).
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
    /// Beads with a lower confidence (0 to 1) are stored as drafts flagged needs-review, with
    /// their confidence in the note, never as translated.
    #[arg(long, value_name = "X", default_value_t = DEFAULT_MIN_CONFIDENCE, value_parser = confidence)]
    pub min_confidence: f64,
    /// After aligning, list what needs a person's eye: drafts, untranslated segments, sentences
    /// of the translation with no source, and parts of the document it does not cover.
    #[arg(long)]
    pub report: bool,
    /// Research mode: the source file, one sentence per line (no project needed).
    #[arg(long, value_name = "FILE", requires_all = ["tgt", "one_sentence_per_line"], conflicts_with_all = ["lang", "file", "doc", "dry_run", "overwrite", "report"])]
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
    /// Research mode: no second pass with word pairs learned from the first one.
    #[arg(long, requires = "src")]
    pub no_learn: bool,
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
        min_confidence: args.min_confidence,
    };
    let committed = align_into_store(&project, &spec, &request)?;
    super::output::committed(lang, &spec.name, &committed);
    let report = &committed.value;
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
    if args.report {
        report.write_review(out)?;
    }
    writeln!(
        out,
        "{lang} {}: {verb} {} translation(s) from {} sentence(s) in {} paragraph(s), {} of them as drafts (confidence below {:.2}); {} flagged needs-review, {} kept (already translated{}), {} segment(s) left untranslated, {} not covered by the translation, {} sentence(s) of the translation matching no segment{}",
        spec.name,
        report.stored,
        report.sentences,
        report.paragraphs,
        report.drafts,
        report.min_confidence,
        report.flagged,
        report.kept,
        if args.overwrite {
            ""
        } else {
            "; --overwrite replaces them"
        },
        report.untranslated,
        report.not_covered,
        report.no_source,
        if args.report || report.drafts + report.untranslated + report.no_source == 0 {
            ""
        } else {
            "; --report lists them"
        }
    )?;
    Ok(Outcome::Ok)
}

/// A confidence threshold: a number from 0 to 1.
fn confidence(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "{text:?} is not a confidence: give a number from 0 to 1"
        )),
    }
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
        learn: !args.no_learn,
        ..AlignOptions::default()
    })?;
    let beads = aligner.align_checked(&s, &t, args.force)?;
    write_alignment(out, &beads, format, (&s, &source), (&t, &target))?;
    Ok(Outcome::Ok)
}
