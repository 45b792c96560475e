//! `duiyi glossary ...`: the reviewer's terminology commands.
//!
//! Arguments become calls of [`crate::glossary`]; this file only resolves the acting reviewer,
//! loads documents for `hits` and `extract`, and prints (aligned text, or JSON with `--json`).
//! Exit codes: 0 done, 1 refusal (an approval that would make two approved renderings, a
//! status change the workflow does not allow, a duplicate) or check findings, 2 input errors.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;

use super::{Error, Outcome};
use crate::glossary::{
    self, Candidate, Change, ExtractOptions, Extractor, Filter, Glossary, GlossaryError,
    GlossaryStore, Matcher, Stamp, Status, Term,
};
use crate::project::Project;
use crate::segment::Document;

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

/// The acting reviewer: `--as NAME`, else `DUIYI_USER`, else `git config user.name`.
#[derive(Debug, Args)]
pub struct Reviewer {
    #[arg(
        long = "as",
        value_name = "NAME",
        global = true,
        help = "Act as NAME (default: $DUIYI_USER, then `git config user.name`)"
    )]
    pub as_name: Option<String>,
}

/// Arguments of `duiyi glossary`.
#[derive(Debug, Args)]
pub struct GlossaryArgs {
    /// Who acts (for add, approve, reject, deprecate, forbid, import).
    #[command(flatten)]
    pub reviewer: Reviewer,
    /// The subcommand.
    #[command(subcommand)]
    pub command: GlossaryCommand,
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
        /// Entry id or source term.
        key: String,
        /// Target language.
        #[arg(long)]
        lang: String,
        /// Pick the entry with this rendering.
        #[arg(long)]
        target: Option<String>,
        /// Deprecate the current approved rendering in the same step.
        #[arg(long)]
        replace: bool,
        /// Reviewer's note (journaled).
        #[arg(long)]
        note: Option<String>,
    },
    /// Reject a proposed rendering.
    #[command(
        after_help = "Examples:\n  duiyi glossary reject 一带一路 --lang en --target \"One Belt, One Road\" --note \"outdated\""
    )]
    Reject {
        /// Entry id or source term.
        key: String,
        /// Target language.
        #[arg(long)]
        lang: String,
        /// Pick the entry with this rendering.
        #[arg(long)]
        target: Option<String>,
        /// Reviewer's note (journaled).
        #[arg(long)]
        note: Option<String>,
    },
    /// Deprecate a rendering (checks then flag its use).
    #[command(
        after_help = "Examples:\n  duiyi glossary deprecate 3f2a9c1d --lang en --note \"superseded\""
    )]
    Deprecate {
        /// Entry id or source term.
        key: String,
        /// Target language.
        #[arg(long)]
        lang: String,
        /// Pick the entry with this rendering.
        #[arg(long)]
        target: Option<String>,
        /// Reviewer's note (journaled).
        #[arg(long)]
        note: Option<String>,
    },
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

/// Runs a glossary command.
pub fn run(project: &Project, args: GlossaryArgs, out: &mut dyn Write) -> Result<Outcome, Error> {
    let GlossaryArgs { reviewer, command } = args;
    let store = GlossaryStore::new(project.glossary_dir());
    let stamp = || {
        crate::store::identity::who(reviewer.as_name.as_deref(), project.root())
            .map(|by| Stamp::now(&by))
            .map_err(Error::from)
    };
    match command {
        GlossaryCommand::Add {
            source,
            target,
            lang,
            comment,
            variants,
            forbidden,
            case_sensitive,
        } => {
            check_lang(project, &lang)?;
            let stamp = stamp()?;
            let mut term = Term::proposed(&source, &target, &comment, &stamp.by, &stamp.at);
            term.variants = variants;
            term.forbidden = forbidden;
            term.case_sensitive = case_sensitive;
            let changes = store.update(&lang, |g| Ok(vec![g.add(term, &stamp)?]))?;
            report(&changes, out)
        }
        GlossaryCommand::Approve {
            key,
            lang,
            target,
            replace,
            note,
        } => {
            let stamp = stamp()?;
            let changes = store.update(&lang, |g| {
                g.approve(&key, target.as_deref(), replace, note.as_deref(), &stamp)
            })?;
            report(&changes, out)
        }
        GlossaryCommand::Reject {
            key,
            lang,
            target,
            note,
        } => {
            let stamp = stamp()?;
            let changes = store.update(&lang, |g| {
                g.reject(&key, target.as_deref(), note.as_deref(), &stamp)
            })?;
            report(&changes, out)
        }
        GlossaryCommand::Deprecate {
            key,
            lang,
            target,
            note,
        } => {
            let stamp = stamp()?;
            let changes = store.update(&lang, |g| {
                g.deprecate(&key, target.as_deref(), note.as_deref(), &stamp)
            })?;
            report(&changes, out)
        }
        GlossaryCommand::Forbid { key, variant, lang } => {
            let stamp = stamp()?;
            let changes = store.update(&lang, |g| Ok(vec![g.forbid(&key, &variant, &stamp)?]))?;
            report(&changes, out)
        }
        GlossaryCommand::List {
            lang,
            status,
            contains,
            json,
        } => {
            let filter = Filter { status, contains };
            let glossaries = load_all(&store, lang.as_deref())?;
            let rows: Vec<(&str, &Term)> = glossaries
                .iter()
                .flat_map(|g| g.list(&filter).into_iter().map(move |t| (g.lang(), t)))
                .collect();
            print_terms(&rows, json, out)
        }
        GlossaryCommand::Show { key, lang, json } => {
            let glossaries = load_all(&store, lang.as_deref())?;
            let rows: Vec<(&str, &Term)> = glossaries
                .iter()
                .flat_map(|g| g.find(&key).into_iter().map(move |t| (g.lang(), t)))
                .collect();
            if rows.is_empty() {
                return Err(GlossaryError::NotFound {
                    key,
                    lang: lang.unwrap_or_else(|| "any language".into()),
                }
                .into());
            }
            print_terms(&rows, json, out)
        }
        GlossaryCommand::Hits {
            what,
            doc,
            lang,
            all,
            json,
        } => hits(
            project,
            &store,
            what.as_deref(),
            doc.as_deref(),
            lang,
            all,
            json,
            out,
        ),
        GlossaryCommand::Extract {
            doc,
            min_count,
            limit,
            json,
        } => extract(project, &store, doc.as_deref(), min_count, limit, json, out),
        GlossaryCommand::Check { lang, pairs, json } => {
            let triples = match pairs {
                Some(pairs) => read_pairs(&pairs)?,
                None => crate::qa::project::translated_pairs(project, &lang)?,
            };
            check(&store, &lang, &triples, json, out)
        }
        GlossaryCommand::Import { file, lang, format } => {
            let format = format.or_else(|| format_of(&file)).ok_or_else(|| {
                Error::Usage(format!(
                    "cannot tell the format of {} from its extension; pass --format tsv|csv|tbx",
                    file.display()
                ))
            })?;
            let imported = match format {
                Format::Tsv => glossary::tsv::read(&file, &lang)?,
                Format::Csv => glossary::csv::read(&file, &lang)?,
                Format::Tbx => glossary::tbx::read(&file, &lang, project.source_language())?,
            };
            if imported.is_empty() {
                return Err(Error::Usage(format!(
                    "{} has no {lang} entries; nothing imported",
                    file.display()
                )));
            }
            let stamp = stamp()?;
            let changes = store.update(&lang, |g| g.import(imported.terms().to_vec(), &stamp))?;
            writeln!(
                out,
                "imported {} entries from {}: {} new or changed",
                imported.len(),
                file.display(),
                changes.len()
            )?;
            Ok(Outcome::Ok)
        }
        GlossaryCommand::Export {
            lang,
            format,
            output,
        } => {
            let g = store.load(&lang)?;
            let text = match format {
                Format::Tsv => glossary::tsv::render(&g)?,
                Format::Csv => glossary::csv::render(&g)?,
                Format::Tbx => glossary::tbx::render(&g, project.source_language())?,
            };
            match output {
                Some(path) => {
                    crate::files::write_atomic(&path, text.as_bytes())
                        .map_err(GlossaryError::from)?;
                    writeln!(out, "wrote {} entries to {}", g.len(), path.display())?;
                }
                None => out.write_all(text.as_bytes())?,
            }
            Ok(Outcome::Ok)
        }
    }
}

fn check_lang(project: &Project, lang: &str) -> Result<(), Error> {
    if project.target_languages().iter().any(|l| l == lang) {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "{lang} is not a target language of this project ({}); add it to duiyi.toml first",
            project.target_languages().join(", ")
        )))
    }
}

fn format_of(path: &std::path::Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "tsv" | "txt" | "tab" | "utf8" => Some(Format::Tsv),
        "csv" => Some(Format::Csv),
        "tbx" | "xml" => Some(Format::Tbx),
        _ => None,
    }
}

fn load_all(store: &GlossaryStore, lang: Option<&str>) -> Result<Vec<Glossary>, Error> {
    let langs = match lang {
        Some(lang) => vec![lang.to_owned()],
        None => store.langs()?,
    };
    Ok(langs
        .iter()
        .map(|l| store.load(l))
        .collect::<Result<_, _>>()?)
}

fn report(changes: &[Change], out: &mut dyn Write) -> Result<Outcome, Error> {
    for change in changes {
        let old = change.old.as_ref().map(|t| t.status);
        if let Some(new) = &change.new {
            match old {
                Some(old) if old != new.status => writeln!(
                    out,
                    "{} {} → {} ({}): {old} → {}",
                    change.id, new.source, new.target, change.lang, new.status
                )?,
                _ => writeln!(
                    out,
                    "{} {} → {} ({}): {}",
                    change.id, new.source, new.target, change.lang, new.status
                )?,
            }
        }
    }
    Ok(Outcome::Ok)
}

#[derive(Serialize)]
struct TermJson<'a> {
    id: String,
    lang: &'a str,
    #[serde(flatten)]
    term: &'a Term,
}

fn print_terms(rows: &[(&str, &Term)], json: bool, out: &mut dyn Write) -> Result<Outcome, Error> {
    if json {
        let items: Vec<TermJson> = rows
            .iter()
            .map(|(lang, term)| TermJson {
                id: term.id(),
                lang,
                term,
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &items).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Ok);
    }
    for (lang, t) in rows {
        write!(
            out,
            "{}  {lang}  {:<10}  {} → {}",
            t.id(),
            t.status.as_str(),
            t.source,
            t.target
        )?;
        if !t.comment.is_empty() {
            write!(out, "  ({})", t.comment)?;
        }
        if !t.forbidden.is_empty() {
            write!(out, "  forbidden: {}", t.forbidden.join(" | "))?;
        }
        writeln!(out)?;
    }
    Ok(Outcome::Ok)
}

/// Loads the documents `what` and `doc` name, with the segments to look at.
fn load_docs(project: &Project, doc: Option<&str>) -> Result<Vec<Document>, Error> {
    super::document::load(project, doc)
}

#[derive(Serialize)]
struct HitJson<'a> {
    doc: &'a str,
    #[serde(rename = "ref")]
    reference: String,
    segment: &'a str,
    term: &'a str,
    text: &'a str,
    start: usize,
    end: usize,
    nested: bool,
    renderings: Vec<RenderingJson<'a>>,
}

#[derive(Serialize)]
struct RenderingJson<'a> {
    id: String,
    target: &'a str,
    status: Status,
}

#[allow(clippy::too_many_arguments)]
fn hits(
    project: &Project,
    store: &GlossaryStore,
    what: Option<&str>,
    doc: Option<&str>,
    lang: Option<String>,
    all: bool,
    json: bool,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let lang = lang
        .or_else(|| project.target_languages().first().cloned())
        .ok_or_else(|| Error::Usage("the project has no target language".into()))?;
    let glossary = store.load(&lang)?;
    let matcher = Matcher::for_glossary(&glossary)?;
    // A document name selects that document; anything else is a ref or id.
    let (doc_name, selector) = match what {
        Some(w) if doc.is_none() && project.document(w).is_ok() => (Some(w), None),
        Some(w) => (doc, Some(w)),
        None => (doc, None),
    };
    let docs = load_docs(project, doc_name)?;
    let mut rows = Vec::new();
    let mut resolved_any = selector.is_none();
    for document in &docs {
        let views = match selector {
            None => document.segments().collect(),
            Some(s) => match document.resolve(s) {
                Ok(views) => {
                    resolved_any = true;
                    views
                }
                Err(_) if docs.len() > 1 => continue,
                Err(e) => return Err(e.into()),
            },
        };
        for view in views {
            let text: &str = view.text();
            let found = if all {
                matcher.find_all(text)
            } else {
                matcher.find(text)
            };
            for hit in found {
                let term = matcher.term(hit.term);
                rows.push(HitJson {
                    doc: &document.name,
                    reference: view.r#ref().to_string(),
                    segment: &view.segment.id,
                    term,
                    text: &text[hit.start..hit.end],
                    start: text[..hit.start].chars().count(),
                    end: text[..hit.end].chars().count(),
                    nested: hit.nested,
                    renderings: glossary
                        .by_source(term)
                        .filter(|t| t.status != Status::Rejected)
                        .map(|t| RenderingJson {
                            id: t.id(),
                            target: &t.target,
                            status: t.status,
                        })
                        .collect(),
                });
            }
        }
    }
    if !resolved_any {
        return Err(Error::Usage(format!(
            "{:?} is neither a document nor a segment of one",
            selector.unwrap_or_default()
        )));
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Ok);
    }
    for row in &rows {
        let renderings: Vec<String> = row
            .renderings
            .iter()
            .map(|r| format!("{} ({})", r.target, r.status))
            .collect();
        writeln!(
            out,
            "{}{}  {}{}  → {}",
            if docs.len() > 1 {
                format!("{} ", row.doc)
            } else {
                String::new()
            },
            row.reference,
            row.text,
            if row.nested { " (nested)" } else { "" },
            renderings.join("; ")
        )?;
    }
    Ok(Outcome::Ok)
}

fn extract(
    project: &Project,
    store: &GlossaryStore,
    doc: Option<&str>,
    min_count: usize,
    limit: usize,
    json: bool,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let docs = load_docs(project, doc)?;
    let mut known: HashSet<String> = HashSet::new();
    let mut extractor = Extractor::new();
    for g in load_all(store, None)? {
        for t in g.terms() {
            known.insert(t.source.clone());
            known.extend(t.variants.iter().cloned());
        }
    }
    extractor.add_terms(known.iter().map(String::as_str));
    let many = docs.len() > 1;
    let segments: Vec<(String, &str)> = docs
        .iter()
        .flat_map(|d| {
            d.segments().map(move |s| {
                let reference = if many {
                    format!("{}:{}", d.name, s.r#ref())
                } else {
                    s.r#ref().to_string()
                };
                (reference, s.text())
            })
        })
        .collect();
    let options = ExtractOptions {
        min_count,
        limit: Some(limit),
        ..ExtractOptions::default()
    };
    let candidates: Vec<Candidate> = extractor.extract(&segments, &known, &options);
    if json {
        serde_json::to_writer_pretty(&mut *out, &candidates).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Ok);
    }
    for (rank, c) in candidates.iter().enumerate() {
        let evidence: Vec<String> = c
            .evidence
            .iter()
            .map(|e| {
                serde_json::to_value(e)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .collect();
        writeln!(
            out,
            "{:>3}. {}  ×{}  [{}]  e.g. {}",
            rank + 1,
            c.phrase,
            c.count,
            evidence.join(", "),
            c.examples.join(", ")
        )?;
    }
    Ok(Outcome::Ok)
}

/// Reads tab-separated (ref, source, target) lines.
fn read_pairs(pairs: &std::path::Path) -> Result<Vec<(String, String, String)>, Error> {
    let text = std::fs::read_to_string(pairs).map_err(|source| GlossaryError::Io {
        path: pairs.to_path_buf(),
        source,
    })?;
    let mut triples = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [reference, source, target] = fields.as_slice() else {
            return Err(GlossaryError::malformed_at(
                pairs,
                i + 1,
                format!(
                    "expected 3 tab-separated columns (ref, source, target), found {}",
                    fields.len()
                ),
            )
            .into());
        };
        triples.push((
            (*reference).to_string(),
            (*source).to_string(),
            (*target).to_string(),
        ));
    }
    Ok(triples)
}

fn check(
    store: &GlossaryStore,
    lang: &str,
    triples: &[(String, String, String)],
    json: bool,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let glossary = store.load(lang)?;
    let findings = glossary::check(
        &glossary,
        triples
            .iter()
            .map(|(r, s, t)| (r.as_str(), s.as_str(), t.as_str())),
    )?;
    if json {
        serde_json::to_writer_pretty(&mut *out, &findings).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        for finding in &findings {
            writeln!(out, "{finding}")?;
        }
    }
    Ok(if findings.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Findings
    })
}
