//! `duiyi review LANG approve|reject|reopen|finalize REF...`: the reviewer's command.
//!
//! All named segments change together or none does: the first refused transition stops the
//! command before anything is written ([`crate::store::apply_all`]).

use std::io::Write;

use clap::{Args, ValueEnum};

use super::args::{DocArg, WhoArg};
use super::{Error, Outcome, output};
use crate::project::Project;
use crate::review::Action;
use crate::store;

/// What the reviewer does.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Verdict {
    /// translated → reviewed.
    Approve,
    /// Flags it rejected with the reason (--note is required).
    Reject,
    /// reviewed or final → translated.
    Reopen,
    /// reviewed → final.
    Finalize,
}

/// Arguments of `duiyi review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The language.
    pub lang: String,
    /// What to do.
    #[arg(value_enum)]
    pub verdict: Verdict,
    /// Segments: refs (3.2¶4.1), units (3.2¶4), sections (3.2) or ids.
    #[arg(value_name = "REF", required = true)]
    pub what: Vec<String>,
    /// The reason (required to reject) or a remark.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Print JSON (see docs/json.md) instead of lines, and nothing on standard error.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
}

pub(super) fn run(
    project: &Project,
    args: &ReviewArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let who = args.who.resolve(project)?;
    let spec = args.doc.of(project, &args.lang, &args.what)?;
    let action = match args.verdict {
        Verdict::Approve => Action::Approve,
        Verdict::Reject => Action::Reject,
        Verdict::Reopen => Action::Reopen,
        Verdict::Finalize => Action::Finalize,
    };
    let note = args.note.as_deref();
    let committed = store::apply_all(project, &spec, &args.lang, &args.what, &action, note, &who)?;
    output::changes(
        out,
        args.json,
        &args.lang,
        &spec.name,
        committed,
        "unchanged",
    )?;
    Ok(Outcome::Ok)
}
