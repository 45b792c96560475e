//! The translator's commands: `status`, `next`, `show`, `set`, `confirm`, `log`, `revert`,
//! `restore`.
//!
//! Each parses its arguments, calls the store, and prints; `--json` output is quiet (nothing on
//! stderr but errors) and its shape is a stable contract.

use std::fmt::Write as _;
use std::io::{IsTerminal, Read, Write};

use clap::Args;
use serde_json::{Map, Value, json};

use super::{Error, Outcome};
use crate::hints::HintSource;
use crate::project::{DocumentSpec, Project};
use crate::review::Action;
use crate::store::history::{self, Event};
use crate::store::next::{self, WorkItem};
use crate::store::record::{Origin, State};
use crate::store::status::{self, Counts};
use crate::store::{self, Applied, Committed, Store};

/// `--doc NAME`: which document, when the project has several.
#[derive(Debug, Clone, Args)]
pub struct DocArg {
    /// The document (default: the project's only document).
    #[arg(long, value_name = "NAME")]
    pub doc: Option<String>,
}

/// `--as NAME`: who acts.
#[derive(Debug, Clone, Args)]
pub struct WhoArg {
    /// Who is making the change (default: `$DUIYI_USER`, else `git config user.name`).
    #[arg(long = "as", value_name = "NAME")]
    pub who: Option<String>,
}

/// Arguments of `duiyi status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Languages (default: every target language).
    pub langs: Vec<String>,
    #[command(flatten)]
    doc: DocArg,
    /// Counts per top-level section too.
    #[arg(long)]
    pub by_section: bool,
    /// Print JSON: {"<lang>": {"total": N, "initial": N, ...}}.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `duiyi next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    /// The language.
    pub lang: String,
    #[command(flatten)]
    doc: DocArg,
    /// Start looking after this segment (a ref or id).
    #[arg(long, value_name = "REF")]
    pub after: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `duiyi show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The segment: a ref (3.2¶4.1, 3.2p4.1) or an id.
    #[arg(value_name = "REF")]
    pub what: String,
    /// Only this language (repeatable; default: every target language).
    #[arg(long = "lang", value_name = "LANG")]
    pub langs: Vec<String>,
    #[command(flatten)]
    doc: DocArg,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

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
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
}

/// Arguments of `duiyi log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// The language.
    pub lang: String,
    /// Only this segment or section (a ref or id).
    #[arg(value_name = "REF")]
    pub what: Option<String>,
    #[command(flatten)]
    doc: DocArg,
    /// Print JSON (an array of events).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `duiyi restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The language.
    pub lang: String,
    /// The id of the obsolete record (see `duiyi status` and `duiyi log`).
    #[arg(value_name = "ID")]
    pub id: String,
    /// The current segment that receives the translation.
    #[arg(long = "to", value_name = "REF")]
    pub to: String,
    /// Replace a different translation the segment already has (it stays in the history).
    #[arg(long)]
    pub force: bool,
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
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
}

/// Arguments of `duiyi revert`.
#[derive(Debug, Args)]
pub struct RevertArgs {
    /// The language.
    pub lang: String,
    /// The segment: a ref (3.2¶4.1) or an id.
    #[arg(value_name = "REF")]
    pub what: String,
    /// The version to bring back, as `duiyi log LANG REF` numbers them (default: the text
    /// before the current one).
    #[arg(long = "to", value_name = "N")]
    pub to: Option<usize>,
    #[command(flatten)]
    doc: DocArg,
    #[command(flatten)]
    who: WhoArg,
}

impl DocArg {
    /// The document meant: the named one, or the only one.
    pub(super) fn one(&self, project: &Project) -> Result<DocumentSpec, Error> {
        if let Some(name) = &self.doc {
            return Ok(project.document(name)?);
        }
        let mut docs = project.documents()?;
        match docs.len() {
            1 => Ok(docs.remove(0)),
            0 => Err(Error::Usage(format!(
                "the project has no documents: put a source file in {}",
                project.source_dir().display()
            ))),
            n => Err(Error::Usage(format!(
                "the project has {n} documents ({}); pass --doc NAME",
                docs.iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The documents meant: the named one, or all.
    fn all(&self, project: &Project) -> Result<Vec<DocumentSpec>, Error> {
        Ok(project.select_documents(self.doc.as_deref())?)
    }
}

impl WhoArg {
    /// The acting user.
    pub(super) fn resolve(&self, project: &Project) -> Result<String, Error> {
        Ok(store::who(self.who.as_deref(), project.root())?)
    }
}

/// The sources of hints for `next` and `show` in `langs`: the glossary and the translation
/// memory.
fn hint_sources(project: &Project, langs: &[String]) -> Result<Vec<Box<dyn HintSource>>, Error> {
    let store = crate::glossary::GlossaryStore::new(project.glossary_dir());
    let glossary = crate::glossary::hints::GlossaryHints::load(&store, langs)?;
    let memory =
        crate::memory::hints::MemoryHints::load(project, langs, crate::memory::threshold(project))?;
    Ok(vec![Box::new(glossary), Box::new(memory)])
}

/// Tells the user, on stderr, what a write did besides its own result: warnings about the
/// stores read and what a merge with a changed source recorded.
pub(super) fn report_committed<T>(lang: &str, doc: &str, committed: &Committed<T>) {
    for w in &committed.warnings {
        eprintln!("warning: {w}");
    }
    report_events(lang, doc, &committed.merged);
}

/// Tells the user, on stderr, the notices of changes applied to `lang` (a reviewed segment went
/// back to translated, …); returns how many of them changed a record.
pub(super) fn report_applied(lang: &str, applied: &[Applied]) -> usize {
    for a in applied {
        if let Some(n) = &a.notice {
            eprintln!("{lang} {}: {n}", a.r#ref);
        }
    }
    applied.iter().filter(|a| a.changed).count()
}

/// Tells the user what merge events (carry-over, obsolete, restore) a write recorded.
fn report_events(lang: &str, doc: &str, events: &[Event]) {
    let count = |a: &str| events.iter().filter(|e| e.action == a).count();
    if count("carry-over") + count("obsolete") + count("restore") == 0 {
        return;
    }
    eprintln!(
        "{lang} {doc}: the source changed: {} translation(s) carried over (needs-review), {} obsolete, {} restored",
        count("carry-over"),
        count("obsolete"),
        count("restore")
    );
}

pub(super) fn status(
    project: &Project,
    args: &StatusArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let langs = if args.langs.is_empty() {
        project.target_languages().to_vec()
    } else {
        args.langs.clone()
    };
    let docs = args.doc.all(project)?;
    let mut json = Map::new();
    let tty = std::io::stdout().is_terminal();
    for lang in &langs {
        let mut all = Counts::default();
        let mut sections = Vec::new();
        let mut per_doc = Map::new();
        for spec in &docs {
            let status::DocumentStatus {
                counts,
                sections: secs,
                warnings,
            } = status::of_document(project, spec, lang)?;
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            all.merge(&counts);
            per_doc.insert(
                spec.name.clone(),
                serde_json::to_value(&counts).map_err(std::io::Error::from)?,
            );
            sections.extend(secs.into_iter().map(|s| (spec.name.clone(), s)));
        }
        if args.json {
            let mut v = serde_json::to_value(&all).map_err(std::io::Error::from)?;
            if let Value::Object(m) = &mut v {
                if docs.len() > 1 {
                    m.insert("documents".into(), Value::Object(per_doc));
                }
                if args.by_section {
                    let list: Vec<Value> = sections
                        .iter()
                        .map(|(doc, s)| {
                            let mut x = serde_json::to_value(s).unwrap_or(Value::Null);
                            if let (Value::Object(o), true) = (&mut x, docs.len() > 1) {
                                o.insert("doc".into(), json!(doc));
                            }
                            x
                        })
                        .collect();
                    m.insert("sections".into(), Value::Array(list));
                }
            }
            json.insert(lang.clone(), v);
            continue;
        }
        writeln!(out, "{lang}  {}", summary(&all, tty))?;
        writeln!(
            out,
            "    initial {}  translated {}  reviewed {}  final {}  needs-review {}  rejected {}  obsolete {}",
            all.initial,
            all.translated,
            all.reviewed,
            all.final_,
            all.needs_review,
            all.rejected,
            all.obsolete
        )?;
        if all.self_reviewed > 0 {
            writeln!(
                out,
                "    {} reviewed segment(s) signed off by the author of their text (four eyes: `duiyi review {lang} reopen` them for another reviewer)",
                all.self_reviewed
            )?;
        }
        writeln!(
            out,
            "    Han characters {}/{} done, {} words written",
            all.han_done, all.han_total, all.words_done
        )?;
        if args.by_section {
            for (doc, s) in &sections {
                let name = if docs.len() > 1 {
                    format!("{doc} {}", s.section)
                } else {
                    s.section.clone()
                };
                writeln!(out, "    {name:<8} {}", summary(&s.counts, tty))?;
            }
        }
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &Value::Object(json))
            .map_err(std::io::Error::from)?;
        writeln!(out)?;
    }
    Ok(Outcome::Ok)
}

fn summary(c: &Counts, bar: bool) -> String {
    let mut s = format!("{}/{} done ({:.1}%)", c.done, c.total, c.percent);
    if bar {
        let filled = (c.done * 20 / c.total.max(1)).min(20);
        s = format!("[{}{}] {s}", "#".repeat(filled), ".".repeat(20 - filled));
    }
    s
}

pub(super) fn next_cmd(
    project: &Project,
    args: &NextArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = args.doc.one(project)?;
    let store = Store::open(project, &spec, &args.lang)?;
    let from = match &args.after {
        Some(what) => store.find_one(what)? + 1,
        None => 0,
    };
    let Some(at) = next::next_needing_work(&store, from) else {
        if args.json {
            writeln!(out, "null")?;
        } else {
            writeln!(
                out,
                "{} {}: nothing left to do: every segment is translated and unflagged",
                args.lang, spec.name
            )?;
        }
        return Ok(Outcome::Ok);
    };
    let sources = hint_sources(project, std::slice::from_ref(&args.lang))?;
    let refs: Vec<&dyn HintSource> = sources.iter().map(AsRef::as_ref).collect();
    let item = next::item(&store, at, &refs);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &item).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        print_item(out, &item, project.source_language())?;
        writeln!(out, "\n  duiyi set {} {} \"…\"", args.lang, item.r#ref)?;
    }
    Ok(Outcome::Ok)
}

fn print_item(out: &mut dyn Write, item: &WorkItem, source_lang: &str) -> Result<(), Error> {
    let flags: String = item
        .flags
        .iter()
        .map(|f| format!(", {f}"))
        .collect::<Vec<_>>()
        .concat();
    writeln!(
        out,
        "{} {}  {}{flags}  ({} {})",
        item.r#ref, item.id, item.state, item.doc, item.lang
    )?;
    if !item.headings.is_empty() {
        let path: Vec<_> = item.headings.iter().map(|h| h.source.as_str()).collect();
        writeln!(out, "  section: {}", path.join(" › "))?;
    }
    for c in &item.before {
        writeln!(out, "  {:<10} {}", c.r#ref, c.source)?;
        if !c.target.is_empty() {
            writeln!(out, "  {:<10} {}", "", c.target)?;
        }
    }
    writeln!(out, "▶ {source_lang}: {}", item.source)?;
    if let Some(p) = &item.previous {
        writeln!(out, "  source was: {p}")?;
    }
    writeln!(out, "▶ {}: {}", item.lang, item.target)?;
    if let Some(n) = &item.note {
        writeln!(out, "  note: {n}")?;
    }
    for c in &item.after {
        writeln!(out, "  {:<10} {}", c.r#ref, c.source)?;
        if !c.target.is_empty() {
            writeln!(out, "  {:<10} {}", "", c.target)?;
        }
    }
    for h in &item.glossary {
        writeln!(out, "  term: {} = {}", h.source, h.target)?;
    }
    for h in &item.memory {
        writeln!(
            out,
            "  memory {:.0}%: {} = {}{}",
            h.score.unwrap_or(0.0) * 100.0,
            h.source,
            h.target,
            h.note
                .as_ref()
                .map(|n| format!("  ({n})"))
                .unwrap_or_default()
        )?;
    }
    Ok(())
}

pub(super) fn show(
    project: &Project,
    args: &ShowArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = args.doc.one(project)?;
    let langs = if args.langs.is_empty() {
        project.target_languages().to_vec()
    } else {
        args.langs.clone()
    };
    let sources = hint_sources(project, &langs)?;
    let refs: Vec<&dyn HintSource> = sources.iter().map(AsRef::as_ref).collect();
    let mut items = Vec::new();
    for lang in &langs {
        let store = Store::open(project, &spec, lang)?;
        let at = store.find_one(&args.what)?;
        items.push(next::item(&store, at, &refs));
    }
    if args.json {
        let map: Map<String, Value> = items
            .iter()
            .map(|i| {
                (
                    i.lang.clone(),
                    serde_json::to_value(i).unwrap_or(Value::Null),
                )
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &Value::Object(map))
            .map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            print_item(out, item, project.source_language())?;
            if let (Some(w), Some(t)) = (&item.who, &item.when) {
                writeln!(out, "  last changed by {w} at {t}")?;
            }
        }
    }
    Ok(Outcome::Ok)
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
    let spec = args.doc.one(project)?;
    let who = args.who.resolve(project)?;
    let lock = store::lock(project, &args.lang)?;
    let committed = store::apply_one(
        project,
        &spec,
        &args.lang,
        &args.what,
        &Action::Edit {
            target: &text,
            state: args.state,
        },
        args.note.as_deref(),
        &who,
        Some(Origin::Human),
        &lock,
    )?;
    drop(lock);
    report_committed(&args.lang, &spec.name, &committed);
    let applied = committed.value;
    if let Some(n) = &applied.notice {
        eprintln!("{} {}: {n}", args.lang, applied.r#ref);
    }
    let what = if applied.changed {
        applied.state.name()
    } else {
        "unchanged"
    };
    writeln!(out, "{} {}: {what}", args.lang, applied.r#ref)?;
    Ok(Outcome::Ok)
}

pub(super) fn log(
    project: &Project,
    args: &LogArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    store::check_language(project, &args.lang)?;
    let doc = match (&args.doc.doc, &args.what) {
        (Some(_), _) | (None, Some(_)) => Some(args.doc.one(project)?),
        (None, None) => None,
    };
    let log = store::log(project, &args.lang, doc.as_ref(), args.what.as_deref())?;
    if log.left_out > 0 {
        eprintln!(
            "note: {} journal line(s) of an interrupted change are not shown (the next change in {} moves them to {})",
            log.left_out,
            args.lang,
            history::rolled_back_path(project, &args.lang).display()
        );
    }
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &log.events).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(Outcome::Ok);
    }
    if log.events.is_empty() {
        writeln!(out, "no changes recorded yet")?;
    }
    for (e, version) in log.events.iter().zip(&log.versions) {
        let mut line = format!(
            "{}  {:<8} {:<10} {:<10} {} → {}",
            e.when, e.who, e.action, e.r#ref, e.from, e.to
        );
        if let (Some(old), Some(new)) = (&e.old, &e.new) {
            if old.is_empty() {
                let _ = write!(line, "  “{new}”");
            } else {
                let _ = write!(line, "  “{old}” → “{new}”");
            }
        }
        if let Some(v) = version {
            let _ = write!(line, "  [v{v}]");
        }
        if let Some(n) = &e.note {
            let _ = write!(line, "  ({n})");
        }
        writeln!(out, "{line}")?;
    }
    Ok(Outcome::Ok)
}

pub(super) fn restore(
    project: &Project,
    args: &RestoreArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = args.doc.one(project)?;
    let who = args.who.resolve(project)?;
    let committed = store::transaction(project, &spec, &args.lang, &who, |store| {
        let to = store.find_one(&args.to)?;
        store.restore(&args.id, to, &who, args.force)
    })?;
    report_committed(&args.lang, &spec.name, &committed);
    let applied = committed.value;
    writeln!(
        out,
        "{} {}: {} (restored from {}; needs review)",
        args.lang, applied.r#ref, applied.state, args.id
    )?;
    Ok(Outcome::Ok)
}

pub(super) fn confirm(
    project: &Project,
    args: &ConfirmArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = args.doc.one(project)?;
    let who = args.who.resolve(project)?;
    let committed = store::transaction(project, &spec, &args.lang, &who, |store| {
        let mut done = Vec::new();
        for at in store.find_all(&args.what)? {
            done.push(store.apply(at, &Action::Confirm, args.note.as_deref(), &who, None)?);
        }
        Ok::<_, Error>(done)
    })?;
    report_committed(&args.lang, &spec.name, &committed);
    for a in &committed.value {
        writeln!(out, "{} {}: {} (confirmed)", args.lang, a.r#ref, a.state)?;
    }
    Ok(Outcome::Ok)
}

pub(super) fn revert(
    project: &Project,
    args: &RevertArgs,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    let spec = args.doc.one(project)?;
    let who = args.who.resolve(project)?;
    let committed = store::transaction(project, &spec, &args.lang, &who, |store| {
        let at = store.find_one(&args.what)?;
        let id = store.records()[at].id.clone();
        let versions = store::versions(project, &args.lang, &spec.name, &id)?;
        store::revert(store, at, &versions, args.to, &who)
    })?;
    report_committed(&args.lang, &spec.name, &committed);
    let applied = committed.value;
    if let Some(n) = &applied.notice {
        eprintln!("{} {}: {n}", args.lang, applied.r#ref);
    }
    let what = if applied.changed {
        applied.state.name()
    } else {
        "unchanged (it already has that text)"
    };
    writeln!(out, "{} {}: {what}", args.lang, applied.r#ref)?;
    Ok(Outcome::Ok)
}
