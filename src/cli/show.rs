//! `duiyi next` and `duiyi show`: a segment as a translator works on it, with context, glossary
//! terms and memory matches ([`crate::work`]).
//!
//! `--json` output is quiet (nothing on stderr but errors) and its shape is a stable contract.

use std::collections::BTreeMap;
use std::io::Write;

use clap::Args;

use super::args::DocArg;
use super::{Error, Outcome, output};
use crate::project::Project;
use crate::store::next::WorkItem;
use crate::work;

/// Arguments of `duiyi next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    /// The language.
    pub lang: String,
    #[command(flatten)]
    doc: DocArg,
    /// Start looking after this segment (a ref or id).
    #[arg(long, value_name = "REF")]
    pub after: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `duiyi show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The segment: a ref (3.2¶4.1, 3.2p4.1) or an id.
    #[arg(value_name = "REF")]
    pub what: String,
    /// Only this language (repeatable; default: every target language).
    #[arg(long = "lang", value_name = "LANG")]
    pub langs: Vec<String>,
    #[command(flatten)]
    doc: DocArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn next(
    project: &Project,
    args: &NextArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let next = work::next(project, &args.lang, args.doc.name(), args.after.as_deref())?;
    match (&next.item, args.json) {
        (None, true) => writeln!(out, "null")?,
        (None, false) => writeln!(
            out,
            "{} {}: nothing left to do: every segment is translated and unflagged",
            args.lang,
            next.docs.join(", ")
        )?,
        (Some(item), true) => output::json(out, item)?,
        (Some(item), false) => {
            write!(out, "{}", item.text(project.source_language()))?;
            let doc = if project.documents()?.len() > 1 {
                format!(" --doc {}", item.doc)
            } else {
                String::new()
            };
            writeln!(out, "\n  duiyi set {} {}{doc} \"…\"", args.lang, item.r#ref)?;
        }
    }
    Ok(Outcome::Ok)
}

pub(super) fn show(
    project: &Project,
    args: &ShowArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let items = work::show(project, &args.what, &args.langs, args.doc.name())?;
    if args.json {
        let by_lang: BTreeMap<&str, &WorkItem> =
            items.iter().map(|i| (i.lang.as_str(), i)).collect();
        return output::json(out, &by_lang).map(|()| Outcome::Ok);
    }
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        write!(out, "{}", item.text(project.source_language()))?;
        if let (Some(w), Some(t)) = (&item.who, &item.when) {
            writeln!(out, "  last changed by {w} at {t}")?;
        }
    }
    Ok(Outcome::Ok)
}
