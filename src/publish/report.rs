//! The progress and QA report for the project manager, one standalone HTML file: segments per
//! state for each top-level section and language, as a stacked bar chart, then the open QA
//! findings of each language (those `duiyi check` reports: accepted findings stay out), grouped
//! by severity with counts, each segment linked to its unit in the HTML edition.
//!
//! The findings come from [`crate::qa::project::check`] (the caller runs it, since it needs the
//! project's glossary, settings and acceptances); the report is written straight into the
//! output, a row at a time.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};

use super::{Edition, Format, PublishError, anchor, file_name};
use crate::exchange::xml::escape;
use crate::files::AtomicFile;
use crate::qa::project::Report as QaReport;
use crate::qa::{Finding, Severity};
use crate::segment::Section;
use crate::store::record::State;

const STYLE: &str = "body{font:15px/1.5 sans-serif;max-width:60em;margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%}td,th{padding:.2em .5em;text-align:left;border-bottom:1px solid #ddd;vertical-align:top}.bar{display:flex;height:1em;min-width:20em}.bar span{display:block;height:100%}.initial{background:#d9d9d9}.translated{background:#f2c14e}.reviewed{background:#5b9bd5}.final{background:#2e8b57}.key span{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}.error{color:#b00020}.warning{color:#8a5a00}.allowed{background:#fde2e1;border-left:4px solid #b00020;padding:.5em 1em}";

fn top(section: &Section) -> String {
    match section {
        Section::Body(path) => path
            .first()
            .map_or_else(|| "body".into(), ToString::to_string),
        other => other.to_string(),
    }
}

/// Writes the report; `qa` holds the QA report of each language of the edition, in the same
/// order (a language without one is shown as not checked); `allowed` names the languages
/// published despite open QA errors, which the report says at the top.
pub fn write(
    edition: &Edition<'_>,
    qa: &[QaReport],
    allowed: &[(String, usize)],
    out: &mut AtomicFile,
) -> Result<(), PublishError> {
    render(edition, qa, allowed, out.writer()).map_err(|e| out.error(e).into())
}

fn render(
    edition: &Edition<'_>,
    qa: &[QaReport],
    allowed: &[(String, usize)],
    w: &mut impl Write,
) -> io::Result<()> {
    let title = edition
        .title()
        .map_or(edition.doc.name.as_str(), |u| edition.doc.unit_text(u));
    write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Progress: {}</title><style>{STYLE}</style></head><body>\n<h1>Progress: <span lang=\"{}\">{}</span></h1>\n<p class=\"key\">",
        escape(title),
        escape(&edition.source_lang),
        escape(title)
    )?;
    for s in State::ALL {
        write!(w, "<span class=\"{s}\"></span>{s}")?;
    }
    w.write_all(b"</p>\n")?;
    for (lang, n) in allowed {
        writeln!(
            w,
            "<p class=\"allowed\"><strong>{}: published with {n} open QA error(s)</strong> (--allow-qa-errors); the edition has not passed its quality checks.</p>",
            escape(lang)
        )?;
    }
    let langs: Vec<&str> = edition.langs.iter().map(|l| l.lang.as_str()).collect();
    let edition_file = file_name(&edition.doc.name, &langs, Format::Html);
    let anchors = unit_anchors(edition, qa);
    for (l, lang) in edition.langs.iter().enumerate() {
        states(edition, l, w)?;
        match qa.get(l) {
            Some(report) => findings(&lang.lang, report, &edition_file, &anchors, w)?,
            None => writeln!(
                w,
                "<p>{}: QA not run (duiyi check {} lists the findings).</p>",
                escape(&lang.lang),
                escape(&lang.lang)
            )?,
        }
    }
    w.write_all(b"</body></html>\n")
}

/// The anchor in the HTML edition of the unit holding each segment that has a finding.
fn unit_anchors<'a>(edition: &'a Edition<'_>, qa: &'a [QaReport]) -> HashMap<&'a str, String> {
    let mut wanted: HashMap<&str, String> = qa
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.doc == edition.doc.name)
        .map(|f| (f.id.as_str(), String::new()))
        .collect();
    if wanted.is_empty() {
        return wanted;
    }
    for unit in &edition.doc.units {
        for s in &unit.segments {
            if let Some(a) = wanted.get_mut(s.id.as_str()) {
                *a = anchor(unit);
            }
        }
    }
    wanted.retain(|_, a| !a.is_empty());
    wanted
}

/// The table of states per top-level section for language `l`.
fn states(edition: &Edition<'_>, l: usize, w: &mut impl Write) -> io::Result<()> {
    let lang = &edition.langs[l];
    let mut per: BTreeMap<String, BTreeMap<State, usize>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut flagged = 0usize;
    for view in edition.doc.segments() {
        let key = top(&view.segment.r#ref.section);
        if !per.contains_key(&key) {
            order.push(key.clone());
        }
        let state = lang.get(view.id()).map_or(State::Initial, |r| {
            if r.flagged {
                flagged += 1;
            }
            r.state
        });
        *per.entry(key).or_default().entry(state).or_insert(0) += 1;
    }
    write!(
        w,
        "<h2 lang=\"en\">{} <small>({} flagged needs-review or rejected)</small></h2>\n<table><tr><th>section</th><th>segments</th>",
        escape(&lang.lang),
        flagged
    )?;
    for s in State::ALL {
        write!(w, "<th>{s}</th>")?;
    }
    w.write_all(b"<th>chart</th></tr>\n")?;
    for key in &order {
        let counts = &per[key];
        let total: usize = counts.values().sum();
        write!(w, "<tr><td>{}</td><td>{total}</td>", escape(key))?;
        for s in State::ALL {
            write!(w, "<td>{}</td>", counts.get(&s).copied().unwrap_or(0))?;
        }
        w.write_all(b"<td><div class=\"bar\">")?;
        for s in State::ALL {
            let n = counts.get(&s).copied().unwrap_or(0);
            if n > 0 {
                #[allow(clippy::cast_precision_loss)] // counts far below 2^52
                let pct = n as f64 * 100.0 / total.max(1) as f64;
                write!(
                    w,
                    "<span class=\"{s}\" style=\"width:{pct:.1}%\" title=\"{s} {n}\"></span>"
                )?;
            }
        }
        w.write_all(b"</div></td></tr>\n")?;
    }
    w.write_all(b"</table>\n")
}

/// The open findings of one language, errors first, with counts.
fn findings(
    lang: &str,
    report: &QaReport,
    edition_file: &str,
    anchors: &HashMap<&str, String>,
    w: &mut impl Write,
) -> io::Result<()> {
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    writeln!(
        w,
        "<h3 lang=\"en\">{}: {} open QA finding(s) in {} segments checked ({errors} error(s), {warnings} warning(s))</h3>",
        escape(lang),
        report.findings.len(),
        report.segments
    )?;
    for note in &report.notes {
        writeln!(w, "<p class=\"note\">{}</p>", escape(note))?;
    }
    for (severity, n) in [(Severity::Error, errors), (Severity::Warning, warnings)] {
        if n == 0 {
            continue;
        }
        writeln!(
            w,
            "<h4 class=\"{severity}\">{severity}: {n}</h4>\n<table><tr><th>segment</th><th>check</th><th>severity</th><th>message</th></tr>"
        )?;
        for f in report.findings.iter().filter(|f| f.severity == severity) {
            finding_row(f, edition_file, anchors, w)?;
        }
        w.write_all(b"</table>\n")?;
    }
    Ok(())
}

fn finding_row(
    f: &Finding,
    edition_file: &str,
    anchors: &HashMap<&str, String>,
    w: &mut impl Write,
) -> io::Result<()> {
    w.write_all(b"<tr><td>")?;
    match anchors.get(f.id.as_str()) {
        Some(a) => write!(
            w,
            "<a href=\"{}#{}\" title=\"{}\">{}</a>",
            escape(edition_file),
            escape(a),
            escape(&f.id),
            escape(&f.r#ref)
        )?,
        None => write!(w, "{}", escape(&f.r#ref))?,
    }
    writeln!(
        w,
        "</td><td>{}</td><td class=\"{}\">{}</td><td>{}</td></tr>",
        escape(f.check),
        f.severity,
        f.severity,
        escape(&f.message)
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::qa::check_numbers::Numbers;
    use crate::qa::{Check, Item};

    /// The fixture's English with the numbers check run over it (the note's year changed so it
    /// finds something) and one hand-made finding whose message holds markup.
    fn report() -> String {
        let (doc, mut stores) = fixture::stores();
        for r in &mut stores[0].1 {
            if r.target.starts_with("Note 1") {
                r.target = "Note 1: data as of 2021.".into();
            }
        }
        let records = &stores[0].1;
        let items: Vec<Item<'_>> = records
            .iter()
            .map(|r| Item {
                doc: "paper",
                r#ref: &r.r#ref,
                id: &r.id,
                source: &r.source,
                target: &r.target,
                first: true,
                ..Item::default()
            })
            .collect();
        let mut checks: Vec<Box<dyn Check>> = vec![Box::new(Numbers::new("en").unwrap())];
        let mut findings = crate::qa::run(&mut checks, &items, &|_, _| false);
        assert!(!findings.is_empty(), "the changed year is found");
        findings.push(Finding {
            doc: "paper".into(),
            r#ref: records[5].r#ref.clone(),
            id: records[5].id.clone(),
            check: "punctuation",
            severity: Severity::Warning,
            message: "straight quotes in \"partnership\" <script>".into(),
        });
        let qa = QaReport {
            findings,
            segments: records.len(),
            notes: vec!["numbers: a <note>".into()],
        };
        let targets = fixture::targets_of(&stores);
        let edition = Edition::new(&doc, "zh", &targets, State::Reviewed);
        let mut out = Vec::new();
        render(&edition, &[qa], &[], &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn open_findings_are_grouped_linked_and_escaped() {
        let html = report();
        assert!(html.contains("error: 2</h4>"), "{html}");
        assert!(html.contains("warning: 1</h4>"), "{html}");
        assert!(html.contains("href=\"paper.en.html#u-"), "{html}");
        assert!(
            !html.contains("<script>") && !html.contains("<note>"),
            "escaped"
        );
        assert!(html.find("error: 2").unwrap() < html.find("warning: 1").unwrap());
    }

    #[test]
    fn report_is_pinned() {
        insta::assert_snapshot!(report());
    }
}
