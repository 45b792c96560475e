//! Merging a store into a new revision of its source, as gettext's `msgmerge` does.
//!
//! Segment ids come from the normalized text (see [`crate::segment::segment_id`]), so a segment
//! whose text did not change keeps its id, and its record keeps translation, state and history.
//! A segment with a new id is either new or an edited version of an old one: the old records
//! that lost their segment are fuzzy-matched against it (per-character edit distance, pruned by
//! length, among the old records near the same place in the document) and the best one above
//! [`THRESHOLD`] lends its translation, flagged `needs-review`, with the old source kept as
//! `previous` so the reviewer sees what changed. Old translations that find no new home become
//! obsolete records at the end of the file: visible, restorable, never silently dropped.

use std::collections::HashMap;

use super::history::Event;
use super::record::{State, Translation};
use crate::review::{self, Action};

/// The least similarity (0–1, normalized edit distance on characters) for a carry-over.
pub const THRESHOLD: f64 = 0.5;

/// How many old records on each side of the expected place are fuzzy candidates.
const WINDOW: usize = 24;

/// One segment of the current source revision.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    /// The stable id.
    pub id: &'a str,
    /// The ref, as text.
    pub r#ref: &'a str,
    /// The source text.
    pub text: &'a str,
}

/// What a merge produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Merged {
    /// The records: one per current segment in order, then the obsolete ones.
    pub records: Vec<Translation>,
    /// What changed, as journal events without who and when.
    pub events: Vec<Event>,
    /// Segments whose record was kept as it was.
    pub kept: usize,
    /// Segments that are new (no record, no carry-over).
    pub new: usize,
}

impl Merged {
    /// Whether the merge changed any translation (beyond refs and new empty records).
    pub fn changed_translations(&self) -> bool {
        !self.events.is_empty()
    }
}

/// Merges `old` records into the `current` segmentation.
pub fn merge(doc: &str, current: &[Current<'_>], old: Vec<Translation>) -> Merged {
    let (old_live, mut old_obsolete): (Vec<_>, Vec<_>) = old.into_iter().partition(|r| !r.obsolete);
    let live_at: HashMap<&str, usize> = old_live
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let obsolete_at: HashMap<String, usize> = old_obsolete
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let mut used = vec![false; old_live.len()];
    let mut restored = vec![false; old_obsolete.len()];
    let mut out = Vec::with_capacity(current.len());
    let mut pending: Vec<(usize, Option<usize>)> = Vec::new();
    let mut events = Vec::new();
    let mut anchor: Option<usize> = None;
    let mut kept = 0;
    for seg in current {
        if let Some(&i) = live_at.get(seg.id) {
            let mut r = old_live[i].clone();
            seg.id.clone_into(&mut r.id);
            seg.r#ref.clone_into(&mut r.r#ref);
            seg.text.clone_into(&mut r.source);
            used[i] = true;
            anchor = Some(i);
            kept += 1;
            out.push(r);
        } else if let Some(&i) = obsolete_at.get(seg.id) {
            let mut r = old_obsolete[i].clone();
            r.obsolete = false;
            seg.r#ref.clone_into(&mut r.r#ref);
            seg.text.clone_into(&mut r.source);
            restored[i] = true;
            events.push(event(doc, &r, "restore", r.state, None, None));
            out.push(r);
        } else {
            pending.push((out.len(), anchor));
            out.push(Translation::initial(seg.id, seg.r#ref, seg.text));
        }
    }

    // Fuzzy carry-over for segments without a record.
    let candidates: Vec<usize> = (0..old_live.len())
        .filter(|&i| !used[i] && !old_live[i].target.is_empty())
        .collect();
    let lengths: Vec<usize> = old_live.iter().map(|r| r.source.chars().count()).collect();
    let mut lent = vec![false; old_live.len()];
    let mut new = 0;
    for (at, anchor) in pending {
        let start = anchor.map_or(0, |a| a + 1);
        let p = candidates.partition_point(|&c| c < start);
        let window = &candidates[p.saturating_sub(WINDOW)..(p + WINDOW).min(candidates.len())];
        let text = &out[at].source;
        let len = text.chars().count();
        let mut best: Option<(f64, usize)> = None;
        for &c in window {
            let (short, long) = (len.min(lengths[c]), len.max(lengths[c]));
            let bound = if long == 0 {
                1.0
            } else {
                short as f64 / long as f64
            };
            if bound < THRESHOLD || best.is_some_and(|(s, _)| bound <= s) {
                continue;
            }
            let score = strsim::normalized_levenshtein(text, &old_live[c].source);
            if score >= THRESHOLD && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, c));
            }
        }
        let Some((_, c)) = best else {
            new += 1;
            continue;
        };
        let donor = &old_live[c];
        let Ok(change) = review::transition(donor, &Action::CarryOver, None) else {
            new += 1;
            continue;
        };
        lent[c] = true;
        let r = &mut out[at];
        r.target.clone_from(&donor.target);
        r.origin.clone_from(&donor.origin);
        r.author.clone_from(&donor.author);
        r.who.clone_from(&donor.who);
        r.when.clone_from(&donor.when);
        r.note.clone_from(&donor.note);
        r.previous = Some(donor.source.clone());
        r.state = change.state;
        r.flags = change.flags;
        let mut e = event(
            doc,
            r,
            "carry-over",
            donor.state,
            None,
            Some(r.target.clone()),
        );
        e.note = Some(format!(
            "source changed; translation of {} ({}) carried over",
            donor.r#ref, donor.id
        ));
        events.push(e);
    }

    // Old translations that found no home become obsolete.
    let mut obsolete: Vec<Translation> = old_obsolete
        .drain(..)
        .zip(restored)
        .filter_map(|(r, back)| (!back).then_some(r))
        .collect();
    for (i, r) in old_live.into_iter().enumerate() {
        if used[i] || lent[i] || (r.target.is_empty() && r.note.is_none()) {
            continue;
        }
        events.push(event(doc, &r, "obsolete", r.state, None, None));
        let mut r = r;
        r.obsolete = true;
        obsolete.push(r);
    }
    out.extend(obsolete);
    Merged {
        records: out,
        events,
        kept,
        new,
    }
}

fn event(
    doc: &str,
    r: &Translation,
    action: &str,
    from: State,
    old: Option<String>,
    new: Option<String>,
) -> Event {
    Event {
        when: String::new(),
        who: String::new(),
        doc: doc.to_string(),
        id: r.id.clone(),
        r#ref: r.r#ref.clone(),
        action: action.to_string(),
        from,
        to: r.state,
        old,
        new,
        note: None,
        tx: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::{Rules, SentenceOptions, segment_text};
    use crate::store::record::Flag;

    /// Segments `text` and returns (id, ref, text) triples.
    fn cut(text: &str) -> Vec<(String, String, String)> {
        segment_text(text, &Rules::builtin(SentenceOptions::default()))
            .iter()
            .flat_map(|u| {
                let unit_text = u.text(text);
                u.segments.iter().map(move |s| {
                    (
                        s.id.to_string(),
                        s.r#ref.to_string(),
                        s.text(unit_text).to_string(),
                    )
                })
            })
            .collect()
    }

    fn run(text: &str, old: Vec<Translation>) -> Merged {
        let segs = cut(text);
        let cur: Vec<Current<'_>> = segs
            .iter()
            .map(|(id, r, t)| Current {
                id,
                r#ref: r,
                text: t,
            })
            .collect();
        merge("d", &cur, old)
    }

    /// A store for `text` with every segment translated as `EN:<source>` and reviewed.
    fn translated(text: &str) -> Vec<Translation> {
        run(text, Vec::new())
            .records
            .into_iter()
            .map(|mut r| {
                r.target = format!("EN:{}", r.source);
                r.state = State::Reviewed;
                r
            })
            .collect()
    }

    const V1: &str =
        "一、总论\n中国坚持走和平发展道路。中国积极参与国际发展合作。\n第二段文字在这里。\n";

    #[test]
    fn an_unchanged_source_keeps_everything() {
        let old = translated(V1);
        let m = run(V1, old.clone());
        assert_eq!(m.records, old);
        assert!(m.events.is_empty());
        assert_eq!(m.kept, 4);
    }

    #[test]
    fn an_inserted_paragraph_is_new_and_the_others_keep_their_state() {
        let old = translated(V1);
        let v2 = V1.replace("第二段", "插入的新段落。\n第二段");
        let m = run(&v2, old);
        assert_eq!(m.new, 1);
        assert!(m.events.is_empty());
        let fresh: Vec<_> = m
            .records
            .iter()
            .filter(|r| r.state == State::Initial)
            .collect();
        assert_eq!(fresh.len(), 1);
        assert_eq!(fresh[0].source, "插入的新段落。");
        assert_eq!(fresh[0].r#ref, "1¶2.1");
        let moved = m
            .records
            .iter()
            .find(|r| r.source == "第二段文字在这里。")
            .unwrap();
        assert_eq!(
            (moved.r#ref.as_str(), moved.state),
            ("1¶3.1", State::Reviewed)
        );
    }

    #[test]
    fn an_edited_sentence_gets_the_old_translation_flagged() {
        let old = translated(V1);
        let v2 = V1.replace("积极参与", "全面积极参与");
        let m = run(&v2, old);
        let r = m
            .records
            .iter()
            .find(|r| r.source == "中国全面积极参与国际发展合作。")
            .unwrap();
        assert_eq!(r.target, "EN:中国积极参与国际发展合作。");
        assert_eq!(r.state, State::Translated);
        assert!(r.has(Flag::NeedsReview));
        assert_eq!(r.previous.as_deref(), Some("中国积极参与国际发展合作。"));
        assert!(m.records.iter().all(|r| !r.obsolete));
        assert_eq!(m.events.len(), 1);
        assert_eq!(m.events[0].action, "carry-over");
    }

    #[test]
    fn a_deleted_paragraph_becomes_obsolete_and_comes_back_when_restored() {
        let old = translated(V1);
        let v2 = V1.replace("第二段文字在这里。\n", "");
        let m = run(&v2, old);
        let obsolete: Vec<_> = m.records.iter().filter(|r| r.obsolete).collect();
        assert_eq!(obsolete.len(), 1);
        assert_eq!(obsolete[0].target, "EN:第二段文字在这里。");
        assert_eq!(obsolete[0].state, State::Reviewed);
        assert_eq!(m.records.last().map(|r| r.obsolete), Some(true));
        assert_eq!(m.events[0].action, "obsolete");
        // The paragraph returns: the record is live again with its state.
        let back = run(V1, m.records);
        assert!(back.records.iter().all(|r| !r.obsolete));
        assert_eq!(back.records[3].state, State::Reviewed);
        assert_eq!(back.events[0].action, "restore");
    }

    #[test]
    fn a_rewritten_sentence_is_not_matched_to_something_unrelated() {
        let old = translated(V1);
        let v2 = V1.replace("第二段文字在这里。", "完全不同的内容出现了啊。");
        let m = run(&v2, old);
        let r = m
            .records
            .iter()
            .find(|r| r.source.starts_with("完全"))
            .unwrap();
        assert_eq!(r.state, State::Initial);
        assert!(r.target.is_empty());
        assert_eq!(m.records.iter().filter(|r| r.obsolete).count(), 1);
    }

    #[test]
    fn untranslated_records_of_deleted_segments_are_dropped() {
        let old = run(V1, Vec::new()).records;
        let m = run("一、总论\n", old);
        assert_eq!(m.records.len(), 1);
        assert!(m.events.is_empty());
    }
}
