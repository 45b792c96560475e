//! `duiyi edit`: a bilingual working file in `$EDITOR`, applied back when it closes.
//!
//! The session is the library's ([`crate::store::workfile`]: [`begin`](workfile::begin),
//! [`resume`](workfile::resume), [`finish`](workfile::finish)); this face only runs the editor
//! in between and prints the report. The store's lock is taken only after the editor closes,
//! so a long edit blocks nobody.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use clap::Args;

use super::args::{DocArg, PreferArg, WhoArg};
use super::{Error, Outcome, output};
use crate::project::Project;
use crate::store::import::Options;
use crate::store::record::State;
use crate::store::workfile;

/// Arguments of `duiyi edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The language.
    pub lang: String,
    /// Only this section, unit or segment (3, 3.2, 3.2¶4).
    #[arg(long, value_name = "REF")]
    pub section: Option<String>,
    /// Only segments in this state.
    #[arg(long, value_name = "STATE")]
    pub state: Option<State>,
    /// Open the working file left by an earlier `duiyi edit` again instead of writing a new one.
    #[arg(long)]
    pub resume: bool,
    /// How to settle segments someone else changed while you edited (default: list them and
    /// leave them).
    #[arg(long, value_enum, value_name = "SIDE")]
    pub prefer: Option<PreferArg>,
    /// Print JSON (see docs/json.md) instead of the report, and nothing on standard error.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
}

pub(super) fn run(
    project: &Project,
    args: &EditArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let who = args.who.resolve(project)?;
    let lang = project.target(&args.lang)?;
    let spec = args.doc.of(project, lang, args.section.as_slice())?;
    let path = if args.resume {
        workfile::resume(project, &spec, lang)?
    } else {
        let section = args.section.as_deref();
        let Some(path) = workfile::begin(project, &spec, lang, section, args.state)? else {
            writeln!(out, "no segment to edit")?;
            return Ok(Outcome::Ok);
        };
        path
    };
    open_editor(&path)?;
    let options = Options {
        prefer: args.prefer.map(Into::into),
        force: false,
    };
    let committed = workfile::finish(project, &spec, lang, options, &who)?;
    if args.json {
        output::json(out, &committed.summary(lang, &spec.name))?;
        return Ok(if committed.value.kept.is_some() {
            Outcome::Findings
        } else {
            Outcome::Ok
        });
    }
    output::committed(lang, &spec.name, &committed);
    let finished = committed.value;
    output::import_report(out, lang, &spec.name, &finished.report, 0)?;
    match finished.kept {
        None => Ok(Outcome::Ok),
        Some(kept) => {
            eprintln!(
                "the working file is kept at {}; settle the segments above, then `duiyi edit {lang} --resume --prefer file|store` applies it again",
                kept.display()
            );
            Ok(Outcome::Findings)
        }
    }
}

/// Runs `$VISUAL` or `$EDITOR` (through the shell, so it may carry arguments) on `path`.
fn open_editor(path: &Path) -> Result<(), Error> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .ok_or_else(|| {
            Error::Usage(format!(
                "no editor: set EDITOR (for example EDITOR=nano); the working file is {}",
                path.display()
            ))
        })?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("duiyi-edit")
        .arg(path)
        .status()
        .map_err(|e| Error::Usage(format!("cannot run the editor {editor:?}: {e}")))?;
    if !status.success() {
        return Err(Error::Usage(format!(
            "the editor {editor:?} failed ({status}); nothing was applied; the working file is kept at {}: `duiyi edit LANG --resume` applies it",
            path.display()
        )));
    }
    Ok(())
}
