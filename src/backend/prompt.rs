//! The LLM prompt: a template that is data (`prompt.txt`, embedded; a project may replace it
//! with `prompt = "FILE"` in its `[backends.NAME]` table).
//!
//! Placeholders: `{{source_lang}}`, `{{target_lang}}`, `{{title}}`, `{{headings}}` (the heading
//! path, `›`-separated), `{{before}}` and `{{after}}` (neighbouring source segments, one a line),
//! `{{terms}}` (`source => rendering`, one a line), `{{strict}}` (empty, or the stronger
//! instruction of the retry after a glossary violation), `{{segments}}` (the batch as a JSON
//! array of `{"id", "source"}`).

use std::collections::BTreeSet;

use super::{Languages, Request, TermHint};

/// The built-in template.
pub const DEFAULT: &str = include_str!("prompt.txt");

/// The stronger instruction of a retry after a glossary violation.
pub const STRICT: &str = "IMPORTANT: an earlier answer ignored the required terminology. Every required term MUST appear exactly as given above.\n";

/// Fills the template for a batch: the context is the first request's (a batch is consecutive
/// segments), the terms are all of the batch's.
pub fn render(template: &str, langs: &Languages, batch: &[Request]) -> String {
    let first = batch.first();
    let ctx = first.map(|r| r.context.clone()).unwrap_or_default();
    let after = batch
        .last()
        .map(|r| r.context.after.clone())
        .unwrap_or_default();
    let terms: BTreeSet<&TermHint> = batch.iter().flat_map(|r| &r.terms).collect();
    let terms = if terms.is_empty() {
        "(none)".to_string()
    } else {
        terms
            .iter()
            .map(|t| format!("{} => {}", t.source, t.target))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let lines = |v: &[String]| {
        if v.is_empty() {
            "(none)".to_string()
        } else {
            v.join("\n")
        }
    };
    let segments: Vec<serde_json::Value> = batch
        .iter()
        .map(|r| serde_json::json!({"id": r.id, "source": r.source}))
        .collect();
    let strict = if batch.iter().any(|r| r.strict) {
        STRICT
    } else {
        ""
    };
    template
        .replace("{{source_lang}}", &langs.source)
        .replace("{{target_lang}}", &langs.target)
        .replace("{{title}}", &ctx.title)
        .replace("{{headings}}", &ctx.headings.join(" › "))
        .replace("{{before}}", &lines(&ctx.before))
        .replace("{{after}}", &lines(&after))
        .replace("{{terms}}", &terms)
        .replace("{{strict}}", strict)
        .replace(
            "{{segments}}",
            &serde_json::to_string(&segments).unwrap_or_default(),
        )
}
