//! Command-line interface: turns arguments into calls of the library and prints the results.
//!
//! No domain logic lives here: every decision (which document, which segments, who may do
//! what) is a library function that the planned workbench calls too. Each command has a file
//! named after it (`set.rs` also holds `confirm`, `log.rs` `revert` and `restore`, `show.rs`
//! `next`, `segments.rs` `stats`); `args.rs` holds the arguments several commands share and
//! `output.rs` what several print alike. This file holds the argument tree, project lookup,
//! the error type that flattens library errors into exit codes (0 ok, 1 findings or refusal,
//! 2 usage or input error, 130 interrupted), and output plumbing (a broken pipe ends quietly,
//! as `duiyi segments | head` expects).

mod align;
mod args;
mod check;
mod edit;
mod export;
mod glossary;
mod import;
mod init;
mod log;
mod output;
mod publish;
mod review;
mod segments;
mod serve;
mod set;
mod show;
mod status;
mod translate;
mod trust;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::project::{Project, ProjectError};
use crate::segment::SegmentError;
use crate::store::StoreError;

/// 对译 duiyi — Chinese source documents into reviewed, parallel bilingual editions.
#[derive(Debug, Parser)]
#[command(
    name = "duiyi",
    version,
    about,
    after_help = "Examples:\n  duiyi init my-project --source zh --targets en,fr\n  duiyi segments --section 3.2\n  duiyi stats --json\n\nEvery command finds its project by walking up from the working directory to duiyi.toml, or takes --project DIR."
)]
pub struct Cli {
    /// The project root (default: the nearest folder upwards holding duiyi.toml).
    #[arg(long, global = true, value_name = "DIR", env = "DUIYI_PROJECT")]
    pub project: Option<PathBuf>,

    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project: duiyi.toml, source/, translations/, glossary/.
    #[command(
        after_help = "Examples:\n  duiyi init\n  duiyi init white-paper --source zh --targets en,fr,es"
    )]
    Init(init::InitArgs),
    /// List the segments of a document (or of all documents) with refs, ids and roles.
    #[command(
        after_help = "Examples:\n  duiyi segments\n  duiyi segments intl-development-cooperation --section 3.2\n  duiyi segments --section toc --format tsv\n  duiyi segments --format json | jq '.[] | select(.role == \"heading\")'\n\nRefs read SECTION¶PARAGRAPH.SENTENCE: 3.2¶4.1 is section 3, subsection 2, paragraph 4, sentence 1; a heading is paragraph 0; the table of contents is section toc. `p` or `:` may replace `¶`."
    )]
    Segments(segments::SegmentsArgs),
    /// Count units by role, segments and Han characters, per section.
    #[command(
        after_help = "Examples:\n  duiyi stats\n  duiyi stats intl-development-cooperation --json\n  duiyi stats --analysis en --csv > analysis.csv"
    )]
    Stats(segments::StatsArgs),
    /// Terminology: propose and review renderings, find terms, extract candidates, check, exchange.
    #[command(
        after_help = "Examples:\n  duiyi glossary add 一带一路 \"Belt and Road Initiative\" --lang en\n  duiyi glossary approve 一带一路 --lang en --as wang\n  duiyi glossary hits 3.2¶4.1\n  duiyi glossary extract --limit 50\n  duiyi glossary export --lang en --format tbx --output en.tbx\n\nThe glossary lives in glossary/<lang>.tsv; every change is journaled in glossary/history.jsonl."
    )]
    Glossary(glossary::GlossaryArgs),
    /// Progress per language: segments per state and flag, Han characters and words done.
    #[command(
        after_help = "Examples:\n  duiyi status\n  duiyi status en --by-section\n  duiyi status en fr --json"
    )]
    Status(status::StatusArgs),
    /// The next segment needing work, in context, with glossary terms and memory matches.
    #[command(after_help = "Examples:\n  duiyi next en\n  duiyi next en --after 3.2¶4.1 --json")]
    Next(show::NextArgs),
    /// One segment with its translations, states, notes, glossary terms and memory matches.
    #[command(
        after_help = "Examples:\n  duiyi show 3.2¶4.1\n  duiyi show 3.2p4.1 --lang en --json"
    )]
    Show(show::ShowArgs),
    /// Write a segment's translation (state translated unless --state says initial).
    #[command(
        after_help = "Examples:\n  duiyi set en 3.2¶4.1 \"China stays on the path of peace.\"\n  echo \"A draft.\" | duiyi set en 3.2p4.1 --stdin --state initial\n\nEditing a reviewed or final translation sends it back to translated, and says so."
    )]
    Set(set::SetArgs),
    /// Approve, reject, reopen or finalize segments.
    #[command(
        after_help = "Examples:\n  duiyi review en approve 3.2¶4.1 3.2¶4.2\n  duiyi review en reject 3.2¶4.1 --note \"use the glossary term\"\n  duiyi review en finalize 3.2\n\nStates: initial → translated → reviewed → final. Only translated can be approved, only reviewed finalized; reject needs --note; reopen sends reviewed or final back to translated."
    )]
    Review(review::ReviewArgs),
    /// Accept machine drafts as they are: initial → translated, origin kept.
    #[command(
        after_help = "Examples:\n  duiyi confirm en 3.2¶4.1\n  duiyi confirm en 3.2 --note \"checked against the PDF\"\n\nA draft (initial, with text) becomes translated under your name and goes on to review; its machine origin stays on record."
    )]
    Confirm(set::ConfirmArgs),
    /// The history of changes, for a language or one segment.
    #[command(
        after_help = "Examples:\n  duiyi log en\n  duiyi log en 3.2¶4.1 --json\n\nEvery text a segment had is numbered [v1], [v2], ... for `duiyi revert --to N`."
    )]
    Log(log::LogArgs),
    /// Bring an earlier text of a segment back from its history (a translator's undo).
    #[command(
        after_help = "Examples:\n  duiyi revert en 3.2¶4.1\n  duiyi revert en 3.2¶4.1 --to 2\n\nThe earlier text comes back as your edit (translated, to be reviewed again); the text it replaces stays in the history."
    )]
    Revert(log::RevertArgs),
    /// Move an obsolete translation (its source was deleted) onto a current segment.
    #[command(
        after_help = "Examples:\n  duiyi restore en 9f3a0c1d2e4b5a67 --to 3.2¶5.1\n\nA different translation already there is replaced only with --force; it stays in the history."
    )]
    Restore(log::RestoreArgs),
    /// Edit translations in $EDITOR as a bilingual working file.
    #[command(
        after_help = "Examples:\n  duiyi edit en --section 3.2\n  duiyi edit en --state initial\n  duiyi edit en --resume"
    )]
    Edit(edit::EditArgs),
    /// Write the bilingual table (CSV or XLSX) for spreadsheet users.
    #[command(
        after_help = "Examples:\n  duiyi export en --format xlsx\n  duiyi export en --format csv --section 3 -o -"
    )]
    Export(export::ExportArgs),
    /// Read translations back from a table, XLIFF or TMX file (by extension).
    #[command(
        after_help = "Examples:\n  duiyi import en editions/intl-development-cooperation.en.xlsx\n  duiyi import en back-from-trados.xlf --prefer file\n  duiyi import en legacy.tmx --into store\n\nFiles duiyi exports carry each segment's base (what the file was made from): a stale file never undoes newer work, and a segment changed both in the file and in the store is a conflict (exit 1) until --prefer file or --prefer store decides. New text is translated whatever state the file claims; a file raises states only for unchanged text and only as far as you may review."
    )]
    Import(import::ImportArgs),
    /// Quality checks: numbers, terms, untranslated, consistency, punctuation, structure, length,
    /// invisible characters.
    #[command(
        args_conflicts_with_subcommands = true,
        subcommand_negates_reqs = true,
        after_help = "Examples:\n  duiyi check en\n  duiyi check en --only numbers,terms --json\n  duiyi check en --fail-on warning\n  duiyi check accept 3.2¶4.1 length --lang en --note \"a list lead-in, short on purpose\"\n\nExit 1 when a finding at or above --fail-on (default error) remains. The checks and the JSON contract are described in docs/qa.md; settings live in duiyi.toml [qa]."
    )]
    Check(check::CheckArgs),
    /// Attach an existing translation to the segments (sentence alignment), or align two files.
    #[command(
        after_help = "Examples:\n  duiyi align en legacy-edition.md --dry-run\n  duiyi align en legacy-edition.md\n  duiyi align en legacy-edition.txt --overwrite\n  duiyi align --src zh.txt --tgt en.txt --one-sentence-per-line --format tsv\n\nStored translations get origin align, state translated; low-confidence and many-to-one beads are flagged needs-review. Existing translations are kept unless --overwrite."
    )]
    Align(align::AlignArgs),
    /// Publish bilingual editions (HTML, DOCX, EPUB, Markdown, text), exchange files (XLIFF, TMX)
    /// and a progress and QA report.
    #[command(
        after_help = "Examples:\n  duiyi publish en\n  duiyi publish en,fr --format html,md --require reviewed\n  duiyi publish en --format xliff,tmx --out /tmp/handoff\n  duiyi publish en --draft --layout interleaved\n\nFiles are named editions/<doc>.<lang>.<ext>. With --require STATE publishing is refused (exit 1) until every segment has reached it; --draft publishes anyway and marks what is below the bar."
    )]
    Publish(publish::PublishArgs),
    /// Fill segments with machine drafts through a backend (memory, openai, deepl, ...).
    #[command(
        after_help = "Examples:\n  duiyi translate en\n  duiyi translate en --backend deepl --section 3.2 --dry-run\n  duiyi translate en --backend local 3.2¶4 --limit 20\n  duiyi translate en --backend llm --overwrite --refresh 3.2¶4.1\n\nDrafts land as initial, flagged needs-review, origin mt:<backend>. Existing text is kept: --overwrite replaces machine drafts, --overwrite-human also human text (kept in duiyi log); reviewed and final never change. Answers are cached; --refresh asks again. Ctrl-C saves what landed and exits 130. Backends are [backends.NAME] tables in duiyi.toml; API keys only come from the environment variable api_key_env names."
    )]
    Translate(translate::TranslateArgs),
    /// The workbench in the browser: an editor and a dashboard over this project's files.
    #[command(
        after_help = "Examples:\n  duiyi serve\n  duiyi serve --port 8080 --open --as wang\n\nPrints the URL as its first line and serves until Ctrl-C. The command line keeps working on the same project meanwhile: both take the same locks, and the open pages show every change live. The JSON API and the shortcuts are in docs/serve.md."
    )]
    Serve(serve::ServeArgs),
    /// Let this project's command backends run their programs (recorded outside the project).
    #[command(
        after_help = "Examples:\n  duiyi trust\n  duiyi trust --status\n  duiyi trust --revoke\n\nA [backends.NAME] table of type = \"command\" runs a program. duiyi runs it only in a project you trusted with its current duiyi.toml (as `direnv allow` and `mise trust` do): read duiyi.toml first. Trust is kept in $DUIYI_CONFIG_DIR, $XDG_CONFIG_HOME/duiyi or ~/.config/duiyi, keyed by the project's path and a hash of duiyi.toml."
    )]
    Trust(trust::TrustArgs),
}

/// An error of any command, with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Project, configuration or source errors (exit 2).
    #[error(transparent)]
    Project(#[from] ProjectError),
    /// Segmentation and ref errors (exit 2).
    #[error(transparent)]
    Segment(#[from] SegmentError),
    /// Glossary errors (exit 1 for a refused review step, else 2).
    #[error(transparent)]
    Glossary(#[from] crate::glossary::GlossaryError),
    /// Translation store and review errors (exit 2; a refused transition exits 1).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Quality-check errors (exit 2).
    #[error(transparent)]
    Qa(#[from] crate::qa::QaError),
    /// Alignment errors (exit 1 for a target that does not look like a translation, else 2).
    #[error(transparent)]
    Align(#[from] crate::align::AlignError),
    /// Publishing errors (exit 1 when the review gate refuses, else 2).
    #[error(transparent)]
    Publish(#[from] crate::publish::PublishError),
    /// Machine translation errors (exit 2).
    #[error(transparent)]
    Backend(#[from] crate::backend::BackendError),
    /// Translation memory errors (exit 2).
    #[error(transparent)]
    Memory(#[from] crate::memory::MemoryError),
    /// The trust store of `duiyi trust` (exit 2).
    #[error(transparent)]
    Trust(#[from] crate::backend::trust::TrustError),
    /// The workbench could not start (exit 2).
    #[error(transparent)]
    Serve(#[from] crate::serve::ServeError),
    /// Errors of `next` and `show` (exit 2).
    #[error(transparent)]
    Work(#[from] crate::work::WorkError),
    /// Wrong arguments (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Writing output failed (exit 2).
    #[error("writing output: {0}")]
    Output(#[from] io::Error),
}

impl Error {
    /// The process exit code for this error.
    pub fn code(&self) -> u8 {
        match self {
            Self::Glossary(e) if e.is_refusal() => 1,
            Error::Store(e) | Error::Work(crate::work::WorkError::Store(e)) => e.code(),
            Error::Align(e) => e.code(),
            Error::Publish(e) => e.code(),
            _ => 2,
        }
    }
}

/// What a command concluded: success, or findings/refusal (exit 1) after printing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Exit 0.
    Ok,
    /// Exit 1: findings remain or the command refused (QA errors, review gate not met).
    Findings,
    /// Exit 130: interrupted (Ctrl-C) after saving what was done, as shells expect.
    Interrupted,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let result = run(cli, &mut out).and_then(|o| {
        out.flush()?;
        Ok(o)
    });
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Err(Error::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = out.flush();
            eprintln!("error: {e}");
            ExitCode::from(e.code())
        }
    }
}

/// Runs a parsed command line, writing normal output to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<Outcome, Error> {
    match cli.command {
        Command::Init(args) => init::run(&args, out),
        Command::Segments(args) => segments::segments(&open(cli.project.as_ref())?, &args, out),
        Command::Stats(args) => segments::stats(&open(cli.project.as_ref())?, &args, out),
        Command::Glossary(args) => glossary::run(&open(cli.project.as_ref())?, args, out),
        Command::Status(args) => status::run(&open(cli.project.as_ref())?, &args, out),
        Command::Next(args) => show::next(&open(cli.project.as_ref())?, &args, out),
        Command::Show(args) => show::show(&open(cli.project.as_ref())?, &args, out),
        Command::Set(args) => set::set(&open(cli.project.as_ref())?, &args, out),
        Command::Review(args) => review::run(&open(cli.project.as_ref())?, &args, out),
        Command::Confirm(args) => set::confirm(&open(cli.project.as_ref())?, &args, out),
        Command::Log(args) => log::log(&open(cli.project.as_ref())?, &args, out),
        Command::Revert(args) => log::revert(&open(cli.project.as_ref())?, &args, out),
        Command::Restore(args) => log::restore(&open(cli.project.as_ref())?, &args, out),
        Command::Edit(args) => edit::run(&open(cli.project.as_ref())?, &args, out),
        Command::Export(args) => export::run(&open(cli.project.as_ref())?, &args, out),
        Command::Import(args) => import::run(&open(cli.project.as_ref())?, &args, out),
        Command::Check(args) => check::run(&open(cli.project.as_ref())?, &args, out),
        Command::Align(args) => align::run(cli.project.as_ref(), &args, out),
        Command::Publish(args) => publish::run(&open(cli.project.as_ref())?, &args, out),
        Command::Translate(args) => translate::run(&open(cli.project.as_ref())?, &args, out),
        Command::Trust(args) => trust::run(&open(cli.project.as_ref())?, &args, out),
        Command::Serve(args) => serve::run(open(cli.project.as_ref())?, &args, out),
    }
}

/// Opens the project named by `--project`, or the one around the working directory.
fn open(project: Option<&PathBuf>) -> Result<Project, Error> {
    Ok(match project {
        Some(dir) => Project::open(dir)?,
        None => Project::discover(&std::env::current_dir()?)?,
    })
}
