//! `duiyi set` (write a segment's translation) and `duiyi confirm` (accept machine drafts as
//! they are).

use std::io::{Read, Write};

use clap::Args;

use super::args::{DocArg, WhoArg};
use super::{Error, Outcome, output};
use crate::project::Project;
use crate::review::Action;
use crate::store;
use crate::store::record::{Origin, State};

/// Arguments of `duiyi set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The language.
    pub lang: String,
    /// The segment: a ref (3.2¶4.1, 3.2p4.1) or an id.
    #[arg(value_name = "REF")]
    pub what: String,
    /// The translation (or --stdin).
    #[arg(required_unless_present = "stdin", conflicts_with = "stdin")]
    pub text: Option<String>,
    /// Read the translation from standard input.
    #[arg(long)]
    pub stdin: bool,
    /// The state to give: translated (default) or initial (a draft).
    #[arg(long, value_name = "STATE")]
    pub state: Option<State>,
    /// A note for the record and the journal.
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

/// Arguments of `duiyi confirm`.
#[derive(Debug, Args)]
pub struct ConfirmArgs {
    /// The language.
    pub lang: String,
    /// Segments whose drafts to accept as they are: refs (3.2¶4.1), units, sections or ids.
    #[arg(value_name = "REF", required = true)]
    pub what: Vec<String>,
    /// A note for the record and the journal.
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

pub(super) fn set(
    project: &Project,
    args: &SetArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let text = if args.stdin {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        s.trim_end_matches(['\n', '\r']).to_string()
    } else {
        args.text.clone().unwrap_or_default()
    };
    let who = args.who.resolve(project)?;
    let spec = args.doc.of(project, &args.lang, &[&args.what])?;
    let action = Action::Edit {
        target: &text,
        state: args.state,
    };
    let committed = store::apply_one(
        project,
        &spec,
        &args.lang,
        &args.what,
        &action,
        args.note.as_deref(),
        &who,
        Some(Origin::Human),
    )?;
    let committed = committed.map(|a| vec![a]);
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

pub(super) fn confirm(
    project: &Project,
    args: &ConfirmArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let who = args.who.resolve(project)?;
    let spec = args.doc.of(project, &args.lang, &args.what)?;
    let note = args.note.as_deref();
    let committed = store::apply_all(
        project,
        &spec,
        &args.lang,
        &args.what,
        &Action::Confirm,
        note,
        &who,
    )?;
    if args.json {
        let committed = committed.map(|applied| store::Changes { applied });
        output::json(out, &committed.summary(&args.lang, &spec.name))?;
        return Ok(Outcome::Ok);
    }
    output::committed(&args.lang, &spec.name, &committed);
    for a in &committed.value {
        writeln!(out, "{} {}: {} (confirmed)", args.lang, a.r#ref, a.state)?;
    }
    Ok(Outcome::Ok)
}
