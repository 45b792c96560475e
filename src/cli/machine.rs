//! `duiyi translate`: machine drafts through a backend (see [`crate::backend`]).

use std::io::{IsTerminal, Write};

use clap::Args;

use super::translate::{DocArg, WhoArg};
use super::{Error, Outcome};
use crate::backend::translate::{self, Options};
use crate::project::Project;
use crate::store;

/// Arguments of `duiyi translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// The target language.
    pub lang: String,
    /// Segments to translate: refs (3.2, 3.2¶4, 3.2¶4.1) or ids (default: the whole document).
    #[arg(value_name = "REF")]
    pub refs: Vec<String>,
    /// A section to translate (same as giving its ref).
    #[arg(long, value_name = "REF")]
    pub section: Option<String>,
    /// The backend: a `[backends.NAME]` table of duiyi.toml (default: memory).
    #[arg(long, value_name = "NAME")]
    pub backend: Option<String>,
    /// At most this many segments.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Show what would be sent and how many characters, send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace drafts and translated segments too (never reviewed or final ones).
    #[arg(long)]
    pub overwrite: bool,
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `duiyi translate`.
pub(super) fn run(
    project: &Project,
    args: &TranslateArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    store::check_language(project, &args.lang)?;
    let spec = args.doc.one(project)?;
    let who =
        store::who(args.who.who.as_deref(), project.root()).unwrap_or_else(|_| "duiyi".to_string());
    let mut selectors = args.refs.clone();
    selectors.extend(args.section.clone());
    let opts = Options {
        lang: args.lang.clone(),
        backend: args.backend.clone(),
        selectors,
        limit: args.limit,
        dry_run: args.dry_run,
        overwrite: args.overwrite,
        progress: !args.json && std::io::stderr().is_terminal(),
        who,
        limits: None,
    };
    let summary = translate::run(project, &spec, &opts)?;
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &summary).map_err(std::io::Error::other)?;
        writeln!(out)?;
    } else if args.dry_run {
        for p in &summary.preview {
            writeln!(out, "{p}\n")?;
        }
        writeln!(
            out,
            "dry run: {} segment(s), {} source characters, {} request(s) to backend {}; nothing sent",
            summary.selected,
            summary.chars,
            summary.preview.len(),
            summary.backend
        )?;
    } else {
        for p in &summary.failed {
            writeln!(out, "failed {}: {}", p.r#ref, p.message)?;
        }
        for p in &summary.flagged {
            writeln!(out, "needs-review {}: {}", p.r#ref, p.message)?;
        }
        writeln!(
            out,
            "{}: {} selected, {} landed ({} from cache), {} without a good enough match, {} failed, {} with glossary warnings{}",
            summary.backend,
            summary.selected,
            summary.landed,
            summary.cached,
            summary.skipped,
            summary.failed.len(),
            summary.flagged.len(),
            if summary.interrupted {
                "; interrupted: run again to resume"
            } else {
                ""
            }
        )?;
    }
    Ok(if summary.failed.is_empty() && !summary.interrupted {
        Outcome::Ok
    } else {
        Outcome::Findings
    })
}
