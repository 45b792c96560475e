//! `duiyi status`: progress per language, over every document or one.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};

use clap::Args;

use super::args::DocArg;
use super::{Error, Outcome, output};
use crate::store::status::{self, Counts, LanguageStatus};

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
        let c = &s.counts;
        writeln!(out, "{}  {}", s.lang, summary(c, tty))?;
        writeln!(
            out,
            "    initial {}  translated {}  reviewed {}  final {}  needs-review {}  rejected {}  obsolete {}",
            c.initial, c.translated, c.reviewed, c.final_, c.needs_review, c.rejected, c.obsolete
        )?;
        writeln!(
            out,
            "    Han characters {}/{} done, {} words written",
            c.han_done, c.han_total, c.words_done
        )?;
        for d in s.sections.iter().flatten() {
            let name = match &d.doc {
                Some(doc) => format!("{doc} {}", d.section.section),
                None => d.section.section.clone(),
            };
            writeln!(out, "    {name:<8} {}", summary(&d.section.counts, tty))?;
        }
    }
    Ok(Outcome::Ok)
}

fn summary(c: &Counts, bar: bool) -> String {
    let mut s = format!("{}/{} done ({:.1}%)", c.done, c.total, c.percent);
    if bar {
        let filled = (c.done * 20 / c.total.max(1)).min(20);
        s = format!("[{}{}] {s}", "#".repeat(filled), ".".repeat(20 - filled));
    }
    s
}
