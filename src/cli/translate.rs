//! `duiyi translate`: machine drafts through a backend (see [`crate::backend::translate`]).
//!
//! The library does the run; this face parses the arguments, draws the progress bar
//! (indicatif, on a terminal), turns Ctrl-C into the run's cancellation, prints the summary,
//! and exits 130 after an interruption, as shells expect.

use std::io::{IsTerminal, Write};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use super::args::{DocArg, WhoArg};
use super::{Error, Outcome, output};
use crate::backend::BackendError;
use crate::backend::translate::{self, Options, Overwrite, Progress};
use crate::project::Project;
use crate::store;

/// Arguments of `duiyi translate`.
#[derive(Debug, Args)]
pub struct TranslateArgs {
    /// The target language.
    pub lang: String,
    /// Segments to translate: refs (3.2, 3.2¶4, 3.2¶4.1) or ids (default: every document, or
    /// the whole document --doc names).
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
    #[command(flatten)]
    overwrite: OverwriteArgs,
    /// Ask the backend again instead of using cached answers (and replace them).
    #[arg(long)]
    pub refresh: bool,
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Which existing translations `duiyi translate` may replace.
#[derive(Debug, Args)]
struct OverwriteArgs {
    /// Replace machine drafts too (never human text, reviewed or final segments).
    #[arg(long)]
    overwrite: bool,
    /// Replace human translations below reviewed too (the old text stays in `duiyi log`).
    #[arg(long)]
    overwrite_human: bool,
}

impl OverwriteArgs {
    fn policy(&self) -> Overwrite {
        if self.overwrite_human {
            Overwrite::Human
        } else if self.overwrite {
            Overwrite::Drafts
        } else {
            Overwrite::Nothing
        }
    }
}

/// The progress bar of a run (hidden when not on a terminal).
struct Bar(ProgressBar);

impl Bar {
    fn new(visible: bool) -> Self {
        if !visible {
            return Self(ProgressBar::hidden());
        }
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template(
            "{bar:40} {pos}/{len} segments  {per_sec}  ETA {eta}  {msg}",
        ) {
            bar.set_style(style);
        }
        Self(bar)
    }
}

impl Progress for Bar {
    fn planned(&self, n: usize) {
        self.0.inc_length(n as u64);
    }

    fn done(&self, n: usize) {
        self.0.inc(n as u64);
    }
}

/// Completes at the first Ctrl-C (never, when the signal cannot be watched).
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Runs `duiyi translate`.
pub(super) fn run(
    project: &Project,
    args: &TranslateArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    project.target(&args.lang)?;
    let mut selectors = args.refs.clone();
    selectors.extend(args.section.clone());
    let specs = store::locate_all(project, args.doc.name(), &args.lang, &selectors)?;
    let who = args.who.runner(project);
    let overwrite = args.overwrite.policy();
    let opts = Options {
        lang: args.lang.clone(),
        backend: args.backend.clone(),
        selectors,
        limit: args.limit,
        dry_run: args.dry_run,
        overwrite,
        refresh: args.refresh,
        who,
        limits: None,
    };
    let bar = Bar::new(!args.json && !args.dry_run && std::io::stderr().is_terminal());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| BackendError::Config(format!("cannot start the runtime: {e}")))?;
    let run = translate::run_documents(project, &specs, &opts, &bar, ctrl_c());
    let summary = runtime.block_on(run);
    bar.0.finish_and_clear();
    let summary = summary?;
    if args.json {
        output::json(out, &summary)?;
    } else {
        write!(out, "{}", summary.text(args.dry_run, overwrite))?;
    }
    Ok(if summary.interrupted {
        Outcome::Interrupted
    } else if summary.failed.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Findings
    })
}
