//! `duiyi import`: every exchange file coming back (a table, XLIFF, TMX), by its extension,
//! through the one import path ([`crate::exchange::import`]); a TMX file goes to the memory
//! unless `--into store`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::args::{DocArg, PreferArg, WhoArg};
use super::{Error, Outcome, output};
use crate::exchange::import::{Kind, document_of, import_file};
use crate::project::Project;
use crate::store::import::Options;

/// `--into`: where a TMX file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Destination {
    /// Stored under memory/ for the memory backend (TMX only; the default for TMX).
    #[default]
    Memory,
    /// Applied to the translations, as any other exchange file.
    Store,
}

/// Arguments of `duiyi import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The language.
    pub lang: String,
    /// The file: .csv or .xlsx (as `duiyi export` writes them), .xlf/.xliff (XLIFF 2, from
    /// `duiyi publish --format xliff` and back from a CAT tool), or .tmx (stored under memory/,
    /// or applied to the translations with --into store).
    pub file: PathBuf,
    /// How to settle segments changed both in the file and in the store since the file was
    /// made (default: list them and apply nothing of them).
    #[arg(long, value_enum, value_name = "SIDE")]
    pub prefer: Option<PreferArg>,
    /// Let a file without bases (a foreign XLIFF or TMX, a hand-made table) replace reviewed
    /// and final translations.
    #[arg(long)]
    pub force: bool,
    /// Where a TMX file goes: the memory (default) or the translations.
    #[arg(long, value_enum, default_value_t, value_name = "WHERE")]
    pub into: Destination,
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
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let kind = Kind::of_path(&args.file)?;
    if kind == Kind::Tmx && args.into != Destination::Store {
        let (dest, n) = crate::memory::import_file(project, &args.lang, &args.file)?;
        if args.json {
            let memory = serde_json::json!({"lang": args.lang, "memory": dest, "units": n});
            output::json(out, &memory)?;
            return Ok(Outcome::Ok);
        }
        writeln!(
            out,
            "{}: {n} translation unit(s) in {}, stored for the memory",
            dest.display(),
            args.lang
        )?;
        return Ok(Outcome::Ok);
    }
    let spec = document_of(project, args.doc.name(), &args.lang, &args.file)?;
    let who = args.who.resolve(project)?;
    let options = Options {
        prefer: args.prefer.map(Into::into),
        force: args.force,
    };
    let committed = import_file(project, &spec, &args.lang, &args.file, options, &who)?;
    let clean = committed.value.report.is_clean();
    if args.json {
        output::json(out, &committed.summary(&args.lang, &spec.name))?;
        return Ok(if clean {
            Outcome::Ok
        } else {
            Outcome::Findings
        });
    }
    output::committed(&args.lang, &spec.name, &committed);
    let imported = committed.value;
    output::import_report(
        out,
        &args.lang,
        &spec.name,
        &imported.report,
        imported.unmatched,
    )?;
    Ok(if imported.report.is_clean() {
        Outcome::Ok
    } else {
        Outcome::Findings
    })
}
