//! Progress counts: how many segments are in each state and flag, how much text is done.
//!
//! Counted from the records alone (a current store *is* the segmentation), so `status` on half
//! a million segments reads one file and segments nothing.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::file::{self, Parsed};
use super::record::{Flag, RecordView, State, Translation};
use super::{Store, StoreError};
use crate::project::{DocumentSpec, Project};
use crate::source::han_count;

/// Counts for a set of segments in one language. The JSON field names are a stable contract.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Current segments.
    pub total: usize,
    /// In state `initial`.
    pub initial: usize,
    /// In state `translated`.
    pub translated: usize,
    /// In state `reviewed`.
    pub reviewed: usize,
    /// In state `final`.
    #[serde(rename = "final")]
    pub final_: usize,
    /// Flagged `needs-review`.
    #[serde(rename = "needs-review")]
    pub needs_review: usize,
    /// Flagged `rejected`.
    pub rejected: usize,
    /// Reviewed or final segments whose last sign-off was by the author of their text (the
    /// four-eyes rule broken: possible only with `self_review`, or in stores from before it).
    pub self_reviewed: usize,
    /// Obsolete records (translations of deleted segments, restorable).
    pub obsolete: usize,
    /// Segments translated or further.
    pub done: usize,
    /// Han characters of all source segments.
    pub han_total: usize,
    /// Han characters of the source segments done.
    pub han_done: usize,
    /// Words of target text in the segments done.
    pub words_done: usize,
    /// `done` as a percentage of `total`, one decimal.
    pub percent: f64,
}

/// What counting reads of a record.
#[derive(Debug, Clone, Copy)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "a view of a record's independent yes/no facts, each counted on its own"
)]
pub struct Parts<'a> {
    /// The ref.
    pub r#ref: &'a str,
    /// The source text.
    pub source: &'a str,
    /// The target text.
    pub target: &'a str,
    /// The state.
    pub state: State,
    /// Flagged `needs-review`.
    pub needs_review: bool,
    /// Flagged `rejected`.
    pub rejected: bool,
    /// Signed off by the author of its text.
    pub self_reviewed: bool,
    /// Obsolete.
    pub obsolete: bool,
}

impl<'a> From<&'a Translation> for Parts<'a> {
    fn from(r: &'a Translation) -> Self {
        Self {
            r#ref: &r.r#ref,
            source: &r.source,
            target: &r.target,
            state: r.state,
            needs_review: r.has(Flag::NeedsReview),
            rejected: r.has(Flag::Rejected),
            self_reviewed: r.state >= State::Reviewed && r.author.is_some() && r.author == r.who,
            obsolete: r.obsolete,
        }
    }
}

impl<'a> From<&'a RecordView<'_>> for Parts<'a> {
    fn from(r: &'a RecordView<'_>) -> Self {
        Self {
            r#ref: &r.r#ref,
            source: &r.source,
            target: &r.target,
            state: r.state,
            needs_review: r.flags.contains(&Flag::NeedsReview),
            rejected: r.flags.contains(&Flag::Rejected),
            self_reviewed: r.state >= State::Reviewed && r.author.is_some() && r.author == r.who,
            obsolete: r.obsolete,
        }
    }
}

impl Counts {
    /// Adds one record.
    pub fn add(&mut self, r: Parts<'_>) {
        if r.obsolete {
            self.obsolete += 1;
            return;
        }
        self.total += 1;
        match r.state {
            State::Initial => self.initial += 1,
            State::Translated => self.translated += 1,
            State::Reviewed => self.reviewed += 1,
            State::Final => self.final_ += 1,
        }
        self.needs_review += usize::from(r.needs_review);
        self.rejected += usize::from(r.rejected);
        self.self_reviewed += usize::from(r.self_reviewed);
        let han = han_count(r.source);
        self.han_total += han;
        if r.state >= State::Translated {
            self.done += 1;
            self.han_done += han;
            self.words_done += r.target.unicode_words().count();
        }
    }

    /// Adds another set of counts.
    pub fn merge(&mut self, o: &Counts) {
        self.total += o.total;
        self.initial += o.initial;
        self.translated += o.translated;
        self.reviewed += o.reviewed;
        self.final_ += o.final_;
        self.needs_review += o.needs_review;
        self.rejected += o.rejected;
        self.self_reviewed += o.self_reviewed;
        self.obsolete += o.obsolete;
        self.done += o.done;
        self.han_total += o.han_total;
        self.han_done += o.han_done;
        self.words_done += o.words_done;
        self.finish();
    }

    /// `done/total done (percent%)`, after a 20-character progress bar when `bar`.
    pub fn summary(&self, bar: bool) -> String {
        let s = format!("{}/{} done ({:.1}%)", self.done, self.total, self.percent);
        if !bar {
            return s;
        }
        let filled = (self.done * 20 / self.total.max(1)).min(20);
        format!("[{}{}] {s}", "#".repeat(filled), ".".repeat(20 - filled))
    }

    /// Computes `percent` from the counts (after the last [`Counts::add`]).
    pub fn finish(&mut self) {
        self.percent = if self.total == 0 {
            0.0
        } else {
            (self.done as f64 * 1000.0 / self.total as f64).round() / 10.0
        };
    }
}

/// Counts per top-level section, in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionCounts {
    /// The top-level section (`toc`, `front`, `0`, `1`, ...).
    pub section: String,
    /// Its counts.
    #[serde(flatten)]
    pub counts: Counts,
}

/// The top-level section of a ref (`3.2¶4.1` → `3`).
pub fn top_section(r#ref: &str) -> &str {
    let section = r#ref.split(['¶', 'p', ':']).next().unwrap_or(r#ref);
    section.split('.').next().unwrap_or(section)
}

/// A document's progress in one language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentStatus {
    /// Counts over the whole document.
    pub counts: Counts,
    /// Counts per top-level section.
    pub sections: Vec<SectionCounts>,
    /// What the user should be told about the store (records missing from it).
    pub warnings: Vec<super::Warning>,
}

/// Counts a document's translations in a language. While the store is current (its header
/// matches the source and no record is missing) this reads the file without copying its text
/// and segments nothing; otherwise it loads and merges the store as [`Store::open`] does, so
/// segments missing from the file count as untranslated.
pub fn of_document(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
) -> Result<DocumentStatus, StoreError> {
    project.target(lang)?;
    let path = super::store_path(project, lang, &spec.name);
    if let Some(text) = file::read_bytes(&path)? {
        let parsed: Parsed<RecordView<'_>> = file::parse_as(&path, &text)?;
        let fingerprint = super::fingerprint(project, spec)?;
        let live = parsed.records.iter().filter(|r| !r.obsolete).count();
        if parsed
            .header
            .as_ref()
            .is_some_and(|h| h.is_current(&spec.name, lang, &fingerprint, live))
        {
            let (counts, sections) = count_parallel(&parsed.records);
            return Ok(DocumentStatus {
                counts,
                sections,
                warnings: Vec::new(),
            });
        }
    } else {
        // No store yet: any other language's current store has the same segments.
        if let Some((counts, sections)) = from_sibling(project, spec, lang)? {
            return Ok(DocumentStatus {
                counts,
                sections,
                warnings: Vec::new(),
            });
        }
    }
    let store = Store::open(project, spec, lang)?;
    let (counts, sections) = count(store.records());
    Ok(DocumentStatus {
        counts,
        sections,
        warnings: store.warnings().to_vec(),
    })
}

/// A language's progress over the documents asked for: what `duiyi status` shows. Its JSON
/// form is a stable contract: the [`Counts`] fields, then `documents` (per document, when there
/// are several) and `sections` (when asked for; each with its `doc` when there are several).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageStatus {
    /// The language.
    #[serde(skip)]
    pub lang: String,
    /// Counts over every document.
    #[serde(flatten)]
    pub counts: Counts,
    /// Counts per document, when there are several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents: Option<std::collections::BTreeMap<String, Counts>>,
    /// Counts per top-level section of each document, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sections: Option<Vec<DocumentSection>>,
    /// What the user should be told about the stores read.
    #[serde(skip)]
    pub warnings: Vec<super::Warning>,
}

impl LanguageStatus {
    /// The status as `duiyi status` prints it, lines ending in line breaks: the language and
    /// how much is done (with a progress bar when `bar`), the counts per state and flag, the
    /// text done, then each section asked for.
    pub fn text(&self, bar: bool) -> String {
        let c = &self.counts;
        let mut t = format!("{}  {}\n", self.lang, c.summary(bar));
        let _ = writeln!(
            t,
            "    initial {}  translated {}  reviewed {}  final {}  needs-review {}  rejected {}  obsolete {}",
            c.initial, c.translated, c.reviewed, c.final_, c.needs_review, c.rejected, c.obsolete
        );
        if c.self_reviewed > 0 {
            let _ = writeln!(
                t,
                "    {} reviewed segment(s) signed off by the author of their text (four eyes: `duiyi review {} reopen` them for another reviewer)",
                c.self_reviewed, self.lang
            );
        }
        let _ = writeln!(
            t,
            "    Han characters {}/{} done, {} words written",
            c.han_done, c.han_total, c.words_done
        );
        for d in self.sections.iter().flatten() {
            let name = match &d.doc {
                Some(doc) => format!("{doc} {}", d.section.section),
                None => d.section.section.clone(),
            };
            let _ = writeln!(t, "    {name:<8} {}", d.section.counts.summary(bar));
        }
        t
    }
}

/// A top-level section's counts in one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentSection {
    /// The document, when the project has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The section and its counts.
    #[serde(flatten)]
    pub section: SectionCounts,
}

/// The progress of each language of `langs` (every target when empty) over the document `doc`
/// names, or every document: `duiyi status`. With `by_section`, each language's counts per
/// top-level section too.
pub fn of_project<S: AsRef<str>>(
    project: &Project,
    langs: &[S],
    doc: Option<&str>,
    by_section: bool,
) -> Result<Vec<LanguageStatus>, StoreError> {
    let langs = project.targets_or_all(langs)?;
    let docs = project.select_documents(doc)?;
    let several = docs.len() > 1;
    let mut all = Vec::with_capacity(langs.len());
    for lang in &langs {
        let mut status = LanguageStatus {
            lang: lang.to_string(),
            counts: Counts::default(),
            documents: several.then(std::collections::BTreeMap::new),
            sections: by_section.then(Vec::new),
            warnings: Vec::new(),
        };
        for spec in &docs {
            let doc = of_document(project, spec, lang)?;
            status.counts.merge(&doc.counts);
            status.warnings.extend(doc.warnings);
            if let Some(documents) = &mut status.documents {
                documents.insert(spec.name.clone(), doc.counts);
            }
            if let Some(sections) = &mut status.sections {
                sections.extend(doc.sections.into_iter().map(|section| DocumentSection {
                    doc: several.then(|| spec.name.clone()),
                    section,
                }));
            }
        }
        all.push(status);
    }
    Ok(all)
}

/// Counts `lang` as wholly untranslated from another language's current store, if one exists.
fn from_sibling(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
) -> Result<Option<(Counts, Vec<SectionCounts>)>, StoreError> {
    let fingerprint = super::fingerprint(project, spec)?;
    for other in project.target_languages().iter().filter(|l| *l != lang) {
        let path = super::store_path(project, other, &spec.name);
        let Some(text) = file::read_bytes(&path)? else {
            continue;
        };
        let parsed: Parsed<RecordView<'_>> = file::parse_as(&path, &text)?;
        let live = parsed.records.iter().filter(|r| !r.obsolete).count();
        if parsed
            .header
            .as_ref()
            .is_some_and(|h| h.is_current(&spec.name, other, &fingerprint, live))
        {
            let untouched = parsed
                .records
                .iter()
                .filter(|r| !r.obsolete)
                .map(|r| Parts {
                    r#ref: &r.r#ref,
                    source: &r.source,
                    target: "",
                    state: State::Initial,
                    needs_review: false,
                    rejected: false,
                    self_reviewed: false,
                    obsolete: false,
                });
            return Ok(Some(count(untouched)));
        }
    }
    Ok(None)
}

/// [`count`] on all cores, for large stores.
fn count_parallel(records: &[RecordView<'_>]) -> (Counts, Vec<SectionCounts>) {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 || records.len() < 20_000 {
        return count(records);
    }
    let size = records.len().div_ceil(threads);
    let parts: Option<Vec<(Counts, Vec<SectionCounts>)>> = std::thread::scope(|s| {
        let handles: Vec<_> = records
            .chunks(size)
            .map(|c| s.spawn(move || count(c)))
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    let Some(parts) = parts else {
        return count(records);
    };
    let mut all = Counts::default();
    let mut sections: Vec<SectionCounts> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (c, secs) in parts {
        all.merge(&c);
        for s in secs {
            if let Some(&i) = at.get(&s.section) {
                sections[i].counts.merge(&s.counts);
            } else {
                at.insert(s.section.clone(), sections.len());
                sections.push(s);
            }
        }
    }
    (all, sections)
}

/// Counts the records, in total and per top-level section (in order of first appearance).
pub fn count<'a, R: Into<Parts<'a>>>(
    records: impl IntoIterator<Item = R>,
) -> (Counts, Vec<SectionCounts>) {
    let mut all = Counts::default();
    let mut sections: Vec<SectionCounts> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut last: Option<(&str, usize)> = None;
    for r in records {
        let r: Parts<'a> = r.into();
        all.add(r);
        if r.obsolete {
            continue;
        }
        let top = top_section(r.r#ref);
        let i = match last {
            Some((name, i)) if name == top => i,
            _ => *at.entry(top).or_insert_with(|| {
                sections.push(SectionCounts {
                    section: top.to_string(),
                    counts: Counts::default(),
                });
                sections.len() - 1
            }),
        };
        last = Some((top, i));
        sections[i].counts.add(r);
    }
    all.finish();
    for s in &mut sections {
        s.counts.finish();
    }
    (all, sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_states_flags_and_text() {
        let mut a = Translation::initial("000000000000000a", "1¶1.1", "中国。");
        a.state = State::Reviewed;
        a.target = "China is here.".into();
        let mut b = Translation::initial("000000000000000b", "2¶1.1", "合作共赢。");
        b.flags.insert(Flag::NeedsReview);
        let mut c = b.clone();
        c.obsolete = true;
        let (all, sections) = count([&a, &b, &c]);
        let (again, _) = count(&[a.clone(), b.clone(), c.clone()]);
        assert_eq!(again, all);
        // The parallel count of many records agrees with the serial one.
        let many: Vec<Translation> = (0..30_000)
            .map(|i| {
                let mut r = a.clone();
                r.id = format!("{i:016x}");
                r.r#ref = format!("{}¶1.1", i % 7);
                r.state = State::ALL[i % 4];
                r
            })
            .collect();
        let text: String = many.iter().map(|r| r.to_line() + "\n").collect();
        let views: Parsed<RecordView<'_>> =
            file::parse_as(std::path::Path::new("t"), text.as_bytes()).unwrap();
        assert_eq!(count_parallel(&views.records), count(&many));
        assert_eq!(
            (
                all.total,
                all.reviewed,
                all.initial,
                all.needs_review,
                all.obsolete
            ),
            (2, 1, 1, 1, 1)
        );
        assert_eq!((all.han_total, all.han_done, all.words_done), (6, 2, 3));
        assert!((all.percent - 50.0).abs() < f64::EPSILON);
        assert_eq!(sections.len(), 2);
        assert_eq!(top_section("toc¶3.1"), "toc");
        assert_eq!(top_section("3.2¶4.1"), "3");
    }
}
