//! `duiyi edit`: a bilingual working file in `$EDITOR`, applied back when it closes.
//!
//! The working file is kept beside the store while the editor runs and removed once its
//! changes are saved; a file that comes back broken stays, and `--resume` picks it up again.
//! The store's lock is taken only after the editor closes, so a long edit blocks nobody. The
//! file carries each segment's base, so it goes through the one import path
//! ([`crate::store::import`]): only what the translator changed is applied, and a segment
//! someone else changed meanwhile is a conflict, not an overwrite.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use clap::Args;

use super::exchange::{PreferArg, print_report};
use super::translate::{DocArg, WhoArg, report_committed};
use super::{Error, Outcome};
use crate::project::Project;
use crate::store::import::{self, IncomingFile, Options};
use crate::store::record::{Origin, State};
use crate::store::{self, Store, StoreError, workfile};

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
    let spec = args.doc.one(project)?;
    let who = args.who.resolve(project)?;
    store::check_language(project, &args.lang)?;
    let path = project
        .translations_dir(&args.lang)
        .join(format!("{}.edit.txt", spec.name));
    let source_lang = project.source_language().to_string();
    if args.resume {
        if !path.is_file() {
            return Err(Error::Usage(format!(
                "there is no working file {} to resume; run `duiyi edit {}` without --resume",
                path.display(),
                args.lang
            )));
        }
    } else {
        if path.exists() {
            return Err(Error::Usage(format!(
                "{} is left from an earlier edit; run `duiyi edit {} --resume` to finish it, or delete it",
                path.display(),
                args.lang
            )));
        }
        let store = Store::open(project, &spec, &args.lang)?;
        let selected: Vec<usize> = match &args.section {
            Some(s) => store.find(s)?,
            None => (0..store.records().len()).collect(),
        };
        let records: Vec<_> = selected
            .into_iter()
            .map(|i| &store.records()[i])
            .filter(|r| !r.obsolete && args.state.is_none_or(|s| r.state == s))
            .collect();
        if records.is_empty() {
            writeln!(out, "no segment to edit")?;
            return Ok(Outcome::Ok);
        }
        let text = workfile::render(
            &spec.name,
            &source_lang,
            &args.lang,
            records.iter().copied(),
        );
        crate::files::confine(project.root(), &path).map_err(StoreError::from)?;
        crate::files::write_atomic(&path, text.as_bytes()).map_err(StoreError::from)?;
    }
    open_editor(&path)?;
    let text = std::fs::read_to_string(&path).map_err(|e| StoreError::io(&path, e))?;
    let file = IncomingFile {
        path: path.clone(),
        entries: workfile::parse(&path, &text, &source_lang, &args.lang)?,
        origin: Origin::Human,
    };
    let options = Options {
        prefer: args.prefer.map(Into::into),
        force: false,
    };
    let committed = store::transaction(project, &spec, &args.lang, &who, |store| {
        import::apply(store, &file, options, &who).map_err(|e| match e {
            StoreError::Exchange {
                path,
                line,
                message,
            } => StoreError::Exchange {
                path,
                line,
                message: format!(
                    "{message}; fix the file and run `duiyi edit {} --resume`, or delete it to start over",
                    args.lang
                ),
            },
            other => other,
        })
    })?;
    report_committed(&args.lang, &spec.name, &committed);
    let mut report = committed.value;
    crate::exchange::import::fill_bases(project, &args.lang, &spec.name, &mut report)?;
    print_report(out, &args.lang, &spec.name, &report, 0)?;
    if report.is_clean() {
        let _ = std::fs::remove_file(&path);
        Ok(Outcome::Ok)
    } else {
        eprintln!(
            "the working file is kept at {}; settle the segments above, then `duiyi edit {} --resume --prefer file|store` applies it again",
            path.display(),
            args.lang
        );
        Ok(Outcome::Findings)
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
