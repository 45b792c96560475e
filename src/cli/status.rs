//! `duiyi status`: progress per language, over every document or one.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use clap::Args;

use super::args::DocArg;
use super::{Error, Outcome, output};
use crate::store::status::{self, LanguageStatus};

/// Arguments of `duiyi status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Languages (default: every target language).
    pub langs: Vec<String>,
    #[command(flatten)]
    doc: DocArg,
    /// Counts per top-level section too.
    #[arg(long)]
    pub by_section: bool,
    /// Print JSON: {"<lang>": {"total": N, "initial": N, ...}}.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn run(
    project: &crate::project::Project,
    args: &StatusArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let all = status::of_project(project, &args.langs, args.doc.name(), args.by_section)?;
    for w in all.iter().flat_map(|s| &s.warnings) {
        eprintln!("warning: {w}");
    }
    if args.json {
        let by_lang: BTreeMap<&str, &LanguageStatus> =
            all.iter().map(|s| (s.lang.as_str(), s)).collect();
        output::json(out, &by_lang)?;
        return Ok(Outcome::Ok);
    }
    let tty = std::io::stdout().is_terminal();
    for s in &all {
        write!(out, "{}", s.text(tty))?;
    }
    Ok(Outcome::Ok)
}
