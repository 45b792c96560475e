//! Progress counts: how many segments are in each state and flag, how much text is done.
//!
//! Counted from the records alone (a current store *is* the segmentation), so `status` on half
//! a million segments reads one file and segments nothing.

use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::record::{Flag, State, Translation};
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

impl Counts {
    /// Adds one record.
    pub fn add(&mut self, r: &Translation) {
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
        self.needs_review += usize::from(r.has(Flag::NeedsReview));
        self.rejected += usize::from(r.has(Flag::Rejected));
        let han = han_count(&r.source);
        self.han_total += han;
        if r.state >= State::Translated {
            self.done += 1;
            self.han_done += han;
            self.words_done += r.target.unicode_words().count();
        }
        self.update_percent();
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
        self.obsolete += o.obsolete;
        self.done += o.done;
        self.han_total += o.han_total;
        self.han_done += o.han_done;
        self.words_done += o.words_done;
        self.update_percent();
    }

    fn update_percent(&mut self) {
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

/// Counts the records, in total and per top-level section.
pub fn count<'a>(
    records: impl IntoIterator<Item = &'a Translation>,
) -> (Counts, Vec<SectionCounts>) {
    let mut all = Counts::default();
    let mut sections: Vec<SectionCounts> = Vec::new();
    for r in records {
        all.add(r);
        if r.obsolete {
            continue;
        }
        let top = top_section(&r.r#ref);
        if sections.last().is_none_or(|s| s.section != top) {
            match sections.iter().position(|s| s.section == top) {
                Some(i) => {
                    let s = sections.remove(i);
                    sections.push(s);
                }
                None => sections.push(SectionCounts {
                    section: top.to_string(),
                    counts: Counts::default(),
                }),
            }
        }
        if let Some(s) = sections.last_mut() {
            s.counts.add(r);
        }
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
