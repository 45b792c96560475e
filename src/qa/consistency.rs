//! The consistency check, in both directions (as Okapi's inconsistency step reports): the same
//! source translated differently within one language, and one target used for different
//! sources.
//!
//! Texts are compared after trimming and collapsing whitespace, by a 64-bit hash, so learning
//! half a million segments keeps one small entry per distinct text. Each finding names the
//! first segment of every other variant, so the reviewer can open it.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use super::{Check, Issue, Item};

/// Distinct counterparts of one text: (hash of the counterpart, ref of its first segment).
type Variants = Vec<(u64, String)>;

/// The consistency check.
#[derive(Default)]
pub struct Consistency {
    by_source: FxHashMap<u64, Variants>,
    by_target: FxHashMap<u64, Variants>,
}

/// Hash of `text` with surrounding whitespace trimmed and inner runs collapsed.
fn key(text: &str) -> u64 {
    let mut h = FxHasher::default();
    for word in text.split_whitespace() {
        word.hash(&mut h);
    }
    h.finish()
}

fn note(map: &mut FxHashMap<u64, Variants>, of: u64, counterpart: u64, r: &str) {
    let v = map.entry(of).or_default();
    if !v.iter().any(|(h, _)| *h == counterpart) {
        v.push((counterpart, r.to_string()));
    }
}

fn others(map: &FxHashMap<u64, Variants>, of: u64, mine: u64) -> Vec<&str> {
    match map.get(&of) {
        Some(v) if v.len() > 1 => v
            .iter()
            .filter(|(h, _)| *h != mine)
            .map(|(_, r)| r.as_str())
            .collect(),
        _ => Vec::new(),
    }
}

fn list(refs: &[&str]) -> String {
    const SHOWN: usize = 3;
    let mut s = refs[..refs.len().min(SHOWN)].join(", ");
    if refs.len() > SHOWN {
        let _ = write!(s, " and {} more", refs.len() - SHOWN);
    }
    s
}

impl Check for Consistency {
    fn name(&self) -> &'static str {
        "consistency"
    }

    fn learn(&mut self, items: &[Item<'_>]) {
        for item in items.iter().filter(|i| !i.target.trim().is_empty()) {
            let (s, t) = (key(item.source), key(item.target));
            note(&mut self.by_source, s, t, item.r#ref);
            note(&mut self.by_target, t, s, item.r#ref);
        }
    }

    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        if item.target.trim().is_empty() {
            return;
        }
        let (s, t) = (key(item.source), key(item.target));
        let differ = others(&self.by_source, s, t);
        if !differ.is_empty() {
            out.push(Issue::warning(format!(
                "the same source is translated differently at {}",
                list(&differ)
            )));
        }
        let share = others(&self.by_target, t, s);
        if !share.is_empty() {
            out.push(Issue::warning(format!(
                "the same translation is used for a different source at {}",
                list(&share)
            )));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::testing::issues;

    fn at<'a>(r: &'a str, source: &'a str, target: &'a str) -> Item<'a> {
        Item {
            r#ref: r,
            source,
            target,
            ..Item::default()
        }
    }

    fn learned(items: &[Item<'_>]) -> Consistency {
        let mut c = Consistency::default();
        c.learn(items);
        c
    }

    #[test]
    fn the_same_source_translated_the_same_way_passes() {
        let items = [
            at("toc¶1.1", "前言", "Preface"),
            at("1¶0.1", "前言", "  Preface "),
            at(
                "2¶1.1",
                "中国始终坚持平等互利。",
                "China always upholds equality and mutual benefit.",
            ),
            at("2¶1.2", "中国始终坚持平等互利。", ""),
        ];
        let c = learned(&items);
        for i in &items {
            assert!(issues(&c, i).is_empty(), "{}", i.r#ref);
        }
    }

    #[test]
    fn one_source_two_targets_is_reported_on_both() {
        let items = [
            at(
                "toc¶2.1",
                "一、构建人类命运共同体",
                "I. Building a Community with a Shared Future for Mankind",
            ),
            at(
                "2¶0.1",
                "一、构建人类命运共同体",
                "I. Building a Global Community of Shared Future",
            ),
        ];
        let c = learned(&items);
        let first = issues(&c, &items[0]);
        assert_eq!(first.len(), 1);
        assert!(first[0].message.contains("2¶0.1"), "{first:?}");
        assert!(issues(&c, &items[1])[0].message.contains("toc¶2.1"));
    }

    #[test]
    fn one_target_two_sources_is_reported_on_both() {
        let items = [
            at("3¶1.1", "援建成套项目。", "Building complete projects."),
            at("3¶2.1", "提供一般物资援助。", "Building complete projects."),
        ];
        let c = learned(&items);
        let found = issues(&c, &items[1]);
        assert!(
            found[0].message.contains("different source at 3¶1.1"),
            "{found:?}"
        );
        assert_eq!(issues(&c, &items[0]).len(), 1);
    }
}
