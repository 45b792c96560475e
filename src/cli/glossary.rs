//! `duiyi glossary ...`: the reviewer's terminology commands.
//!
//! Arguments become calls of [`crate::glossary`] (the project-level ones in
//! [`crate::glossary::project`]); this file only maps arguments and prints (aligned text, or
//! JSON with `--json`). Exit codes: 0 done, 1 refusal (an approval that would make two
//! approved renderings, a status change the workflow does not allow, a duplicate) or check
//! findings, 2 input errors.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::args::WhoArg;
use super::{Error, Outcome, output};
use crate::glossary::project::{self as terms, Decision, Format as FileFormat};
use crate::glossary::{Change, ExtractOptions, Filter, GlossaryError, Stamp, Status, Term};
use crate::project::Project;

/// Interchange formats of `import` and `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The glossary file's own layout (OmegaT-compatible TSV).
    Tsv,
    /// Comma-separated values with the same columns.
    Csv,
    /// TBX-Basic (TBX v2, martif root), the TBX that most CAT tools read.
    Tbx,
}

/// Arguments of `duiyi glossary`.
#[derive(Debug, Args)]
pub struct GlossaryArgs {
    /// Who acts (for add, approve, reject, deprecate, forbid, import).
    #[command(flatten)]
    pub who: WhoArg,
    /// The subcommand.
    #[command(subcommand)]
    pub command: GlossaryCommand,
}

/// The entries a reviewer's verdict is about.
#[derive(Debug, Args)]
pub struct EntryArgs {
    /// Entry ids or source terms (all are decided, or none).
    #[arg(required = true, value_name = "KEY")]
    keys: Vec<String>,
    /// Target language.
    #[arg(long)]
    lang: String,
    /// Pick the entry with this rendering.
    #[arg(long)]
    target: Option<String>,
    /// Reviewer's note (journaled).
    #[arg(long)]
    note: Option<String>,
}

/// `duiyi glossary` subcommands.
#[derive(Debug, Subcommand)]
pub enum GlossaryCommand {
    /// Propose a rendering of a source term (status proposed).
    #[command(
        after_help = "Examples:\n  duiyi glossary add 一带一路 \"Belt and Road Initiative\" --lang en --comment \"official name\"\n  duiyi glossary add 人类命运共同体 \"community with a shared future for mankind\" --lang en --variant 人類命運共同體 --forbid \"community of common destiny\""
    )]
    Add {
        /// The source term.
        source: String,
        /// Its rendering.
        target: String,
        /// Target language.
        #[arg(long)]
        lang: String,
        /// Comment for translators.
        #[arg(long, default_value = "")]
        comment: String,
        /// An accepted source variant (traditional characters, abbreviation); repeatable.
        #[arg(long = "variant", value_name = "SOURCE")]
        variants: Vec<String>,
        /// A target variant that must not be used; repeatable.
        #[arg(long = "forbid", value_name = "TARGET")]
        forbidden: Vec<String>,
        /// Match the rendering with exact case in checks.
        #[arg(long)]
        case_sensitive: bool,
    },
    /// Approve a rendering (one approved rendering per source term and language).
    #[command(
        after_help = "Examples:\n  duiyi glossary approve 一带一路 --lang en\n  duiyi glossary approve 3f2a9c1d --lang en --note \"checked against the official site\"\n  duiyi glossary approve 人类命运共同体 --lang en --target \"community with a shared future for humanity\" --replace\n\nWith several entries for the term, name one by id or --target. Approving a second rendering is refused unless --replace, which deprecates the approved one."
    )]
    Approve {
        #[command(flatten)]
        entry: EntryArgs,
        /// Deprecate the current approved rendering in the same step.
        #[arg(long)]
        replace: bool,
    },
    /// Reject a proposed rendering.
    #[command(
        after_help = "Examples:\n  duiyi glossary reject 一带一路 --lang en --target \"One Belt, One Road\" --note \"outdated\""
    )]
    Reject(EntryArgs),
    /// Deprecate a rendering (checks then flag its use).
    #[command(
        after_help = "Examples:\n  duiyi glossary deprecate 3f2a9c1d --lang en --note \"superseded\""
    )]
    Deprecate(EntryArgs),
    /// Forbid a target variant of a term (recorded on its approved entry).
    #[command(after_help = "Examples:\n  duiyi glossary forbid 一带一路 OBOR --lang en")]
    Forbid {
        /// Entry id or source term.
        key: String,
        /// The variant that must not be used.
        variant: String,
        /// Target language.
        #[arg(long)]
        lang: String,
    },
    /// List entries.
    #[command(
        after_help = "Examples:\n  duiyi glossary list\n  duiyi glossary list --lang en --status proposed\n  duiyi glossary list --contains fund --json"
    )]
    List {
        /// Only this language (default: every glossary file).
        #[arg(long)]
        lang: Option<String>,
        /// Only entries with this status.
        #[arg(long, value_parser = parse_status)]
        status: Option<Status>,
        /// Only entries whose source or target contains this text.
        #[arg(long)]
        contains: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show every entry of a source term (or id), in every language.
    #[command(
        after_help = "Examples:\n  duiyi glossary show 南南合作\n  duiyi glossary show 一带一路 --json"
    )]
    Show {
        /// Source term, variant or entry id.
        key: String,
        /// Only this language.
        #[arg(long)]
        lang: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Glossary terms found in a document, a section or a segment.
    #[command(
        after_help = "Examples:\n  duiyi glossary hits 3.2¶4.1\n  duiyi glossary hits intl-development-cooperation --json\n  duiyi glossary hits 1 --all\n\nWithout --all the hits are leftmost-longest (南南合作援助基金, not the 南南合作 inside it); --all also lists nested and overlapping terms. JSON offsets are in characters."
    )]
    Hits {
        /// A ref (3.2¶4.1, 3.2, toc), a segment id, or a document name (default: all documents).
        what: Option<String>,
        /// The document a ref belongs to (default: every document).
        #[arg(long)]
        doc: Option<String>,
        /// Show renderings in this language (default: the project's first target).
        #[arg(long)]
        lang: Option<String>,
        /// Also list nested and overlapping terms.
        #[arg(long)]
        all: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Candidate terms from the source, ranked by evidence, known terms excluded.
    #[command(
        after_help = "Examples:\n  duiyi glossary extract\n  duiyi glossary extract intl-development-cooperation --min-count 3 --limit 50 --json\n\nEvidence: quoted (in “...”), formula (六廊六路, 四个全面), name (…署, …基金, …论坛), repeated (word n-grams)."
    )]
    Extract {
        /// The document (default: all documents).
        doc: Option<String>,
        /// Repeated units must occur at least this often.
        #[arg(long, default_value_t = 2)]
        min_count: usize,
        /// Show at most this many candidates.
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check translations: approved renderings missing, forbidden or deprecated ones used.
    #[command(
        after_help = "Examples:\n  duiyi glossary check en\n  duiyi glossary check en --pairs pairs.tsv --json\n\nWithout --pairs the project's translations are read from the store. PAIRS is tab-separated: ref, source, target, one segment per line. Exit 1 when there are findings."
    )]
    Check {
        /// Target language.
        lang: String,
        /// Tab-separated (ref, source, target) lines to check instead of the project's translations.
        #[arg(long, value_name = "FILE")]
        pairs: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Import entries from TSV, CSV or TBX (merged; journaled; all or nothing).
    #[command(
        after_help = "Examples:\n  duiyi glossary import terms.tbx --lang en\n  duiyi glossary import sheet.csv --lang fr --format csv"
    )]
    Import {
        /// The file.
        file: PathBuf,
        /// Target language.
        #[arg(long)]
        lang: String,
        /// Format (default: from the file extension).
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Export a glossary as TSV, CSV or TBX.
    #[command(
        after_help = "Examples:\n  duiyi glossary export --lang en --format tbx --output en.tbx\n  duiyi glossary export --lang en --format csv > en.csv"
    )]
    Export {
        /// Target language.
        #[arg(long)]
        lang: String,
        /// Format.
        #[arg(long, value_enum, default_value = "tsv")]
        format: Format,
        /// Write to FILE instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn parse_status(s: &str) -> Result<Status, String> {
    s.parse().map_err(|e: GlossaryError| e.to_string())
}

impl From<Format> for FileFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Tsv => FileFormat::Tsv,
            Format::Csv => FileFormat::Csv,
            Format::Tbx => FileFormat::Tbx,
        }
    }
}

/// Runs a glossary command.
pub(super) fn run(
    project: &Project,
    args: GlossaryArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let GlossaryArgs { who, command } = args;
    let store = terms::store_of(project);
    let stamp = || who.resolve(project).map(|by| Stamp::now(&by));
    let changes: Vec<Change> = match command {
        GlossaryCommand::Add {
            source,
            target,
            lang,
            comment,
            variants,
            forbidden,
            case_sensitive,
        } => {
            project.target(&lang)?;
            let stamp = stamp()?;
            let mut term = Term::proposed(&source, &target, &comment, &stamp.by, &stamp.at);
            term.variants = variants;
            term.forbidden = forbidden;
            term.case_sensitive = case_sensitive;
            store.update(&lang, |g| Ok(vec![g.add(term, &stamp)?]))?
        }
        GlossaryCommand::Approve { entry: e, replace } => {
            decide(project, &e, Decision::Approve { replace }, &stamp()?)?
        }
        GlossaryCommand::Reject(e) => decide(project, &e, Decision::Reject, &stamp()?)?,
        GlossaryCommand::Deprecate(e) => decide(project, &e, Decision::Deprecate, &stamp()?)?,
        GlossaryCommand::Forbid { key, variant, lang } => {
            let decision = Decision::Forbid { variant: &variant };
            terms::decide(project, &lang, &[&key], None, decision, None, &stamp()?)?
        }
        GlossaryCommand::List {
            lang,
            status,
            contains,
            json,
        } => {
            let filter = Filter { status, contains };
            return print(out, &terms::list(&store, lang.as_deref(), &filter)?, json);
        }
        GlossaryCommand::Show { key, lang, json } => {
            return print(out, &terms::entries(&store, &key, lang.as_deref())?, json);
        }
        GlossaryCommand::Hits {
            what,
            doc,
            lang,
            all,
            json,
        } => {
            let found = terms::hits(
                project,
                what.as_deref(),
                doc.as_deref(),
                lang.as_deref(),
                all,
            )?;
            if json {
                output::json(out, &found.hits)?;
            } else {
                write!(out, "{found}")?;
            }
            return Ok(Outcome::Ok);
        }
        GlossaryCommand::Extract {
            doc,
            min_count,
            limit,
            json,
        } => {
            let options = ExtractOptions {
                min_count,
                limit: Some(limit),
                ..ExtractOptions::default()
            };
            let candidates = terms::candidates(project, doc.as_deref(), &options)?;
            if json {
                output::json(out, &candidates)?;
            } else {
                for (rank, c) in candidates.iter().enumerate() {
                    writeln!(out, "{:>3}. {c}", rank + 1)?;
                }
            }
            return Ok(Outcome::Ok);
        }
        GlossaryCommand::Check { lang, pairs, json } => {
            let findings = terms::check_project(project, &lang, pairs.as_deref())?;
            print(out, &findings, json)?;
            return Ok(if findings.is_empty() {
                Outcome::Ok
            } else {
                Outcome::Findings
            });
        }
        GlossaryCommand::Import { file, lang, format } => {
            let stamp = stamp()?;
            let imported =
                terms::import_file(project, &file, &lang, format.map(Into::into), &stamp)?;
            let (n, changed) = (imported.read, imported.changes.len());
            writeln!(
                out,
                "imported {n} entries from {}: {changed} new or changed",
                file.display()
            )?;
            if imported.proposed > 0 {
                eprintln!(
                    "note: {} entries the file records as decided came in as proposed: only the project's reviewers decide on terminology",
                    imported.proposed
                );
            }
            return Ok(Outcome::Ok);
        }
        GlossaryCommand::Export {
            lang,
            format,
            output,
        } => {
            let (text, n) = terms::export(project, &lang, format.into())?;
            if let Some(path) = output {
                crate::files::write_atomic(&path, text.as_bytes()).map_err(GlossaryError::from)?;
                writeln!(out, "wrote {n} entries to {}", path.display())?;
            } else {
                out.write_all(text.as_bytes())?;
            }
            return Ok(Outcome::Ok);
        }
    };
    for change in changes.iter().filter(|c| c.new.is_some()) {
        writeln!(out, "{change}")?;
    }
    Ok(Outcome::Ok)
}

/// Takes a reviewer's decision on the entries `e` names.
fn decide(
    project: &Project,
    e: &EntryArgs,
    decision: Decision<'_>,
    stamp: &Stamp,
) -> Result<Vec<Change>, Error> {
    let keys: Vec<&str> = e.keys.iter().map(String::as_str).collect();
    let (target, note) = (e.target.as_deref(), e.note.as_deref());
    Ok(terms::decide(
        project, &e.lang, &keys, target, decision, note, stamp,
    )?)
}

/// Prints `rows` as JSON, or one a line.
fn print<T: Serialize + std::fmt::Display>(
    out: &mut dyn Write,
    rows: &[T],
    json: bool,
) -> Result<Outcome, Error> {
    if json {
        output::json(out, rows)?;
    } else {
        for row in rows {
            writeln!(out, "{row}")?;
        }
    }
    Ok(Outcome::Ok)
}
