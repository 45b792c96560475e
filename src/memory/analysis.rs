//! The analysis report a project manager quotes and plans by, as `memoQ` and Trados count it:
//! per document, how many segments (and Han characters) are repetitions and how many fall in
//! each memory match band.
//!
//! Documents are analysed in order, segments in document order. A segment whose source (trimmed)
//! already occurred earlier in the analysis is a **repetition** (the first occurrence is counted
//! by its match, every later one as a repetition, as both tools do). Every other segment is
//! looked up in the language's [`Memory`] (never its own record, see [`super::Asking`]) and
//! falls in a band by its best score, rounded down to a whole percent: **100 %** (the same
//! source), **95–99**, **85–94**, **75–84**, **50–74**, or **no match** below 50 %. Han
//! characters are what Chinese is quoted by ([`crate::source::han_count`]).

use std::collections::HashSet;
use std::fmt;
use std::fmt::Write as _;

use serde::Serialize;

use super::{Asking, Memory, MemoryError};
use crate::project::Project;
use crate::segment::Document;

/// A row of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Band {
    /// A source that occurred earlier in the analysis.
    Repetition,
    /// A 100 % memory match.
    Exact,
    /// 95–99 %.
    Fuzzy95,
    /// 85–94 %.
    Fuzzy85,
    /// 75–84 %.
    Fuzzy75,
    /// 50–74 %.
    Fuzzy50,
    /// Below 50 %, or nothing in the memory.
    NoMatch,
}

impl Band {
    /// Every band, in the order of the report.
    pub const ALL: [Band; 7] = [
        Band::Repetition,
        Band::Exact,
        Band::Fuzzy95,
        Band::Fuzzy85,
        Band::Fuzzy75,
        Band::Fuzzy50,
        Band::NoMatch,
    ];

    /// The band of a best memory score (`None`: no match at 50 % or more).
    pub fn of_score(score: Option<f64>) -> Band {
        // Scores are in [0, 1]; a whole percent, rounded down, as the tools show them.
        let percent = score.map_or(0.0, |s| (s * 100.0 + 1e-9).floor());
        match percent {
            p if p >= 100.0 => Band::Exact,
            p if p >= 95.0 => Band::Fuzzy95,
            p if p >= 85.0 => Band::Fuzzy85,
            p if p >= 75.0 => Band::Fuzzy75,
            p if p >= 50.0 => Band::Fuzzy50,
            _ => Band::NoMatch,
        }
    }

    /// The label in tables and CSV.
    pub fn label(self) -> &'static str {
        match self {
            Band::Repetition => "repetitions",
            Band::Exact => "100%",
            Band::Fuzzy95 => "95-99%",
            Band::Fuzzy85 => "85-94%",
            Band::Fuzzy75 => "75-84%",
            Band::Fuzzy50 => "50-74%",
            Band::NoMatch => "no match",
        }
    }
}

/// Segments and Han characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Segments.
    pub segments: usize,
    /// Han characters of their sources.
    pub han: usize,
}

impl Count {
    fn add(&mut self, other: Count) {
        self.segments += other.segments;
        self.han += other.han;
    }
}

/// One band's count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The band.
    pub band: Band,
    /// Its count.
    #[serde(flatten)]
    pub count: Count,
}

/// The analysis of one document (or of all, for the total).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocAnalysis {
    /// The document (`total` for the sum).
    pub doc: String,
    /// One row per band, in the order of [`Band::ALL`].
    pub bands: Vec<Row>,
    /// The whole document.
    pub total: Count,
}

impl DocAnalysis {
    fn new(doc: &str) -> Self {
        Self {
            doc: doc.to_string(),
            bands: Band::ALL
                .iter()
                .map(|&band| Row {
                    band,
                    count: Count::default(),
                })
                .collect(),
            total: Count::default(),
        }
    }

    fn add(&mut self, band: Band, count: Count) {
        if let Some(row) = self.bands.iter_mut().find(|r| r.band == band) {
            row.count.add(count);
        }
        self.total.add(count);
    }

    /// The count of `band`.
    pub fn count(&self, band: Band) -> Count {
        self.bands
            .iter()
            .find(|r| r.band == band)
            .map_or_else(Count::default, |r| r.count)
    }
}

/// The analysis of some documents against the memory of one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    /// The target language.
    pub lang: String,
    /// Entries in the memory.
    pub memory: usize,
    /// Per document, in order.
    pub documents: Vec<DocAnalysis>,
    /// All documents together.
    pub total: DocAnalysis,
}

/// Analyses `docs` against `memory` (of `lang`).
pub fn analyse(docs: &[Document], memory: &Memory, lang: &str) -> Analysis {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut total = DocAnalysis::new("total");
    let mut documents = Vec::with_capacity(docs.len());
    for doc in docs {
        let mut a = DocAnalysis::new(&doc.name);
        for view in doc.segments() {
            let text = view.text().trim();
            let count = Count {
                segments: 1,
                han: crate::source::han_count(text),
            };
            let band = if seen.insert(text) {
                let asking = Asking {
                    doc: &doc.name,
                    id: view.id(),
                };
                Band::of_score(memory.best(text, 0.5, Some(asking)).map(|m| m.score))
            } else {
                Band::Repetition
            };
            a.add(band, count);
            total.add(band, count);
        }
        documents.push(a);
    }
    Analysis {
        lang: lang.to_string(),
        memory: memory.len(),
        documents,
        total,
    }
}

/// `duiyi stats --analysis LANG`: the documents `doc` names (all when `None`) of `project`
/// against the memory of `lang`.
pub fn of_project(
    project: &Project,
    lang: &str,
    doc: Option<&str>,
) -> Result<Analysis, MemoryError> {
    let lang = project.target(lang)?;
    let docs = project.load_documents(doc)?;
    let memory = Memory::from_project(project, lang)?;
    Ok(analyse(&docs, &memory, lang))
}

impl Analysis {
    /// The report as CSV: `document,band,segments,han`, one row per document and band, then
    /// each document's total, then the totals of all documents.
    pub fn csv(&self) -> String {
        let mut out = String::from("document,band,segments,han\n");
        for d in self.documents.iter().chain(std::iter::once(&self.total)) {
            let doc = csv_cell(&d.doc);
            for r in &d.bands {
                let _ = writeln!(
                    out,
                    "{doc},{},{},{}",
                    r.band.label(),
                    r.count.segments,
                    r.count.han
                );
            }
            let _ = writeln!(out, "{doc},total,{},{}", d.total.segments, d.total.han);
        }
        out
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".into();
    }
    #[allow(clippy::cast_precision_loss)]
    let p = part as f64 * 100.0 / whole as f64;
    format!("{p:.1}%")
}

impl fmt::Display for Analysis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Analysis into {} against the memory ({} entries)",
            self.lang, self.memory
        )?;
        let several = self.documents.len() > 1;
        let tables = self.documents.iter().chain(several.then_some(&self.total));
        for d in tables {
            writeln!(f)?;
            writeln!(f, "{}", d.doc)?;
            writeln!(
                f,
                "  {:<12}  {:>8}  {:>6}  {:>9}  {:>6}",
                "match", "segments", "%", "Han chars", "%"
            )?;
            for r in d
                .bands
                .iter()
                .map(|r| (r.band.label(), r.count))
                .chain(std::iter::once(("total", d.total)))
            {
                let (label, c) = r;
                writeln!(
                    f,
                    "  {label:<12}  {:>8}  {:>6}  {:>9}  {:>6}",
                    c.segments,
                    percent(c.segments, d.total.segments),
                    c.han,
                    percent(c.han, d.total.han)
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::Provenance;

    #[test]
    fn bands_follow_the_tools() {
        assert_eq!(Band::of_score(Some(1.0)), Band::Exact);
        assert_eq!(Band::of_score(Some(0.999)), Band::Fuzzy95);
        assert_eq!(Band::of_score(Some(0.95)), Band::Fuzzy95);
        assert_eq!(Band::of_score(Some(0.949)), Band::Fuzzy85);
        assert_eq!(Band::of_score(Some(0.85)), Band::Fuzzy85);
        assert_eq!(Band::of_score(Some(0.84)), Band::Fuzzy75);
        assert_eq!(Band::of_score(Some(0.75)), Band::Fuzzy75);
        assert_eq!(Band::of_score(Some(0.74)), Band::Fuzzy50);
        assert_eq!(Band::of_score(Some(0.5)), Band::Fuzzy50);
        assert_eq!(Band::of_score(Some(0.49)), Band::NoMatch);
        assert_eq!(Band::of_score(None), Band::NoMatch);
    }

    #[test]
    fn repetitions_count_after_the_first_occurrence_and_memory_matches_by_band() {
        let text = "标题\n\n中国坚持和平发展道路。我们支持多边合作。中国坚持和平发展道路。这是全新的一句话。\n";
        let doc = Document::from_text(
            "d",
            std::path::Path::new("source/d.txt"),
            crate::source::Encoding::Utf8,
            text.to_string(),
            &crate::segment::Rules::builtin(crate::segment::SentenceOptions::default()),
        );
        let mut memory = Memory::new();
        let from = Provenance::File("memory/old.tmx".into());
        memory.add(
            "中国坚持和平发展道路。",
            "China follows peaceful development.",
            from.clone(),
        );
        memory.add("我们支持多边合作！", "We support multilateralism!", from);
        let a = analyse(std::slice::from_ref(&doc), &memory, "en");
        let d = &a.documents[0];
        assert_eq!(
            d.count(Band::Repetition),
            Count {
                segments: 1,
                han: 10
            }
        );
        assert_eq!(
            d.count(Band::Exact),
            Count {
                segments: 1,
                han: 10
            }
        );
        assert_eq!(d.count(Band::Fuzzy85).segments, 1, "{d:?}");
        assert_eq!(d.count(Band::NoMatch).segments, 2, "{d:?}");
        assert_eq!(d.total.segments, 5);
        assert_eq!(a.total.total, d.total);
        let csv = a.csv();
        assert!(
            csv.starts_with("document,band,segments,han\nd,repetitions,1,10\nd,100%,1,10\n"),
            "{csv}"
        );
        assert!(csv.ends_with("total,total,5,38\n"), "{csv}");
    }
}
