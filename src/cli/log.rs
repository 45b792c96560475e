//! `duiyi log` (the history of changes), `duiyi revert` (an earlier text back) and
//! `duiyi restore` (an obsolete translation onto a current segment).

use std::io::Write;

use clap::Args;

use super::args::{DocArg, WhoArg};
use super::{Error, Outcome, output};
use crate::project::Project;
use crate::store;

/// Arguments of `duiyi log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The language.
    pub lang: String,
    /// Only this segment or section (a ref or id).
    #[arg(value_name = "REF")]
    pub what: Option<String>,
    #[command(flatten)]
    doc: DocArg,
    /// Print JSON (an array of events).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `duiyi revert`.
#[derive(Debug, Args)]
pub struct RevertArgs {
    /// The language.
    pub lang: String,
    /// The segment: a ref (3.2¶4.1) or an id.
    #[arg(value_name = "REF")]
    pub what: String,
    /// The version to bring back, as `duiyi log LANG REF` numbers them (default: the text
    /// before the current one).
    #[arg(long = "to", value_name = "N")]
    pub to: Option<usize>,
    /// Print JSON (see docs/json.md) instead of lines, and nothing on standard error.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
}

/// Arguments of `duiyi restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The language.
    pub lang: String,
    /// The id of the obsolete record (see `duiyi status` and `duiyi log`).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The current segment that receives the translation.
    #[arg(long = "to", value_name = "REF")]
    pub to: String,
    /// Replace a different translation the segment already has (it stays in the history).
    #[arg(long)]
    pub force: bool,
    /// Print JSON (see docs/json.md) instead of lines, and nothing on standard error.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
}

pub(super) fn log(
    project: &Project,
    args: &LogArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let log = store::log(project, &args.lang, args.doc.name(), args.what.as_deref())?;
    if log.left_out > 0 {
        eprintln!(
            "note: {} journal line(s) of an interrupted change are not shown (the next change in {} moves them to {})",
            log.left_out,
            args.lang,
            log.rolled_back.display()
        );
    }
    if args.json {
        return output::json(out, &log.events).map(|()| Outcome::Ok);
    }
    write!(out, "{log}")?;
    Ok(Outcome::Ok)
}

pub(super) fn revert(
    project: &Project,
    args: &RevertArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let who = args.who.resolve(project)?;
    let spec = args.doc.of(project, &args.lang, &[&args.what])?;
    let committed = store::revert_segment(project, &spec, &args.lang, &args.what, args.to, &who)?;
    let unchanged = "unchanged (it already has that text)";
    let committed = committed.map(|a| vec![a]);
    output::changes(out, args.json, &args.lang, &spec.name, committed, unchanged)?;
    Ok(Outcome::Ok)
}

pub(super) fn restore(
    project: &Project,
    args: &RestoreArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let who = args.who.resolve(project)?;
    let spec = args.doc.of(project, &args.lang, &[&args.id, &args.to])?;
    let (lang, id) = (&args.lang, &args.id);
    let committed = store::restore_segment(project, &spec, lang, id, &args.to, &who, args.force)?;
    if args.json {
        let committed = committed.map(|a| store::Changes { applied: vec![a] });
        output::json(out, &committed.summary(lang, &spec.name))?;
        return Ok(Outcome::Ok);
    }
    output::committed(lang, &spec.name, &committed);
    let applied = committed.value;
    writeln!(
        out,
        "{lang} {}: {} (restored from {id}; needs review)",
        applied.r#ref, applied.state
    )?;
    Ok(Outcome::Ok)
}
