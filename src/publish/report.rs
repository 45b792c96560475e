//! The progress report for the project manager: segments per state for each top-level section
//! and language, as a stacked bar chart in one standalone HTML file.
//!
//! QA findings are not in it yet: `crate::qa` offers the numbers check as a library but no
//! check runner over a whole store, so the report shows states (and flags) only and says so.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use super::{AtomicFile, Edition, PublishError};
use crate::exchange::xml::escape;
use crate::segment::Section;
use crate::store::record::State;

fn top(section: &Section) -> String {
    match section {
        Section::Body(path) => path
            .first()
            .map_or_else(|| "body".into(), ToString::to_string),
        other => other.to_string(),
    }
}

/// Writes the report.
pub fn write(edition: &Edition<'_>, out: &mut AtomicFile) -> Result<(), PublishError> {
    let mut html = String::with_capacity(8192);
    let title = edition
        .title()
        .map_or(edition.doc.name.as_str(), |u| edition.doc.unit_text(u));
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Progress: {}</title><style>body{{font:15px/1.5 sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse;width:100%}}td,th{{padding:.2em .5em;text-align:left;border-bottom:1px solid #ddd}}.bar{{display:flex;height:1em;min-width:20em}}.bar span{{display:block;height:100%}}.initial{{background:#d9d9d9}}.translated{{background:#f2c14e}}.reviewed{{background:#5b9bd5}}.final{{background:#2e8b57}}.key span{{display:inline-block;width:1em;height:1em;vertical-align:middle;margin:0 .3em 0 1em}}</style></head><body>\n<h1>Progress: <span lang=\"{}\">{}</span></h1>\n<p class=\"key\">",
        escape(title),
        escape(&edition.source_lang),
        escape(title)
    );
    for s in State::ALL {
        let _ = write!(html, "<span class=\"{s}\"></span>{s}");
    }
    html.push_str("</p>\n<p>Open QA findings are not listed: duiyi has no QA check runner yet (only the numbers check library).</p>\n");
    for (l, lang) in edition.langs.iter().enumerate() {
        let mut per: BTreeMap<String, BTreeMap<State, usize>> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut flagged = 0usize;
        for view in edition.doc.segments() {
            let key = top(&view.segment.r#ref.section);
            if !per.contains_key(&key) {
                order.push(key.clone());
            }
            let state = lang
                .records
                .get(view.segment.id.as_str())
                .map_or(State::Initial, |r| {
                    if !r.flags.is_empty() {
                        flagged += 1;
                    }
                    r.state
                });
            *per.entry(key).or_default().entry(state).or_insert(0) += 1;
        }
        let _ = write!(
            html,
            "<h2 lang=\"en\">{} <small>({} flagged needs-review or rejected)</small></h2>\n<table><tr><th>section</th><th>segments</th>",
            escape(&lang.lang),
            flagged
        );
        for s in State::ALL {
            let _ = write!(html, "<th>{s}</th>");
        }
        html.push_str("<th>chart</th></tr>\n");
        for key in &order {
            let counts = &per[key];
            let total: usize = counts.values().sum();
            let _ = write!(html, "<tr><td>{}</td><td>{total}</td>", escape(key));
            for s in State::ALL {
                let _ = write!(html, "<td>{}</td>", counts.get(&s).copied().unwrap_or(0));
            }
            html.push_str("<td><div class=\"bar\">");
            for s in State::ALL {
                let n = counts.get(&s).copied().unwrap_or(0);
                if n > 0 {
                    let pct = n as f64 * 100.0 / total.max(1) as f64;
                    let _ = write!(
                        html,
                        "<span class=\"{s}\" style=\"width:{pct:.1}%\" title=\"{s} {n}\"></span>"
                    );
                }
            }
            html.push_str("</div></td></tr>\n");
        }
        html.push_str("</table>\n");
        let _ = l;
    }
    html.push_str("</body></html>\n");
    out.writer()
        .write_all(html.as_bytes())
        .map_err(|e| out.error(e))
}
