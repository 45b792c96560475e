//! `duiyi check`: run the quality checks and print the findings; `duiyi check accept`: record
//! that a finding is acceptable.

use std::io::Write;

use clap::{Args, Subcommand};

use super::args::{DocArg, WhoArg};
use super::{Error, Outcome, output};
use crate::project::Project;
use crate::qa::{self, Severity};

/// Arguments of `duiyi check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Accept a finding instead of checking.
    #[command(subcommand)]
    pub command: Option<CheckCommand>,
    /// The language.
    #[arg(required = true)]
    pub lang: Option<String>,
    /// The document (default: every document).
    pub doc: Option<String>,
    /// Run only these checks (comma-separated): numbers, terms, untranslated, consistency,
    /// punctuation, structure, length, invisible.
    #[arg(long, value_delimiter = ',', value_name = "CHECK")]
    pub only: Vec<String>,
    /// Print a JSON array of findings (see docs/qa.md).
    #[arg(long)]
    pub json: bool,
    /// Exit 1 when a finding of this severity or worse remains: error or warning.
    #[arg(long, value_name = "SEVERITY", default_value = "error")]
    pub fail_on: Severity,
}

/// `duiyi check accept`.
#[derive(Debug, Subcommand)]
pub enum CheckCommand {
    /// Accept a check's finding on a segment: the check stays quiet there until the source or
    /// the target changes.
    #[command(
        after_help = "Examples:\n  duiyi check accept 3.2¶4.1 length --note \"a list lead-in, short on purpose\"\n  duiyi check accept 2¶0.1 structure --lang fr --note \"numbered as in the French edition\" --as wang"
    )]
    Accept {
        /// The segment: a ref (3.2¶4.1, 3.2p4.1) or an id.
        #[arg(value_name = "REF")]
        what: String,
        /// The check whose finding is accepted.
        check: String,
        /// Why the finding is acceptable.
        #[arg(long, value_name = "TEXT")]
        note: String,
        /// The language (default: the project's only target language).
        #[arg(long, value_name = "LANG")]
        lang: Option<String>,
        #[command(flatten)]
        doc: DocArg,
        #[command(flatten)]
        who: WhoArg,
    },
}

pub(super) fn run(
    project: &Project,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    if let Some(CheckCommand::Accept {
        what,
        check,
        note,
        lang,
        doc,
        who,
    }) = &args.command
    {
        let who = who.resolve(project)?;
        let (lang, a) = qa::project::accept(
            project,
            doc.name(),
            lang.as_deref(),
            what,
            check,
            note,
            &who,
        )?;
        writeln!(
            out,
            "{lang} {}: {} finding accepted by {} (quiet until the segment changes)",
            a.r#ref, a.check, a.who
        )?;
        return Ok(Outcome::Ok);
    }
    let lang = args
        .lang
        .as_deref()
        .ok_or_else(|| Error::Usage("name the language to check: duiyi check LANG".into()))?;
    let report = qa::project::check(project, lang, args.doc.as_deref(), &args.only)?;
    for note in &report.notes {
        eprintln!("{note}");
    }
    if args.json {
        output::json(out, &report.findings)?;
    } else {
        for f in &report.findings {
            writeln!(out, "{f}")?;
        }
        let errors = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        writeln!(
            out,
            "{lang}: {errors} error(s), {} warning(s) in {} segments",
            report.findings.len() - errors,
            report.segments
        )?;
    }
    let failing = report.findings.iter().any(|f| f.severity >= args.fail_on);
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}
