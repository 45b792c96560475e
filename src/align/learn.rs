//! A translation lexicon learned from the document itself, for a second pass.
//!
//! The CC-CEDICT lexicon knows words, not a translator's habits nor the names of a novel or a
//! scripture: 挪亚 and "Noah" share nothing in it. But the beads a first pass is sure of pair
//! many sentences that contain both. As hunalign's realign and Bleualign's second pass do, the
//! aligner counts, over those confident beads, how often a Chinese word and an English word
//! occur in the same bead, keeps the pairs whose Dice coefficient is high (and which the
//! dictionary does not already pair), and adds them as anchors for a second search. Chinese
//! words are cut by the same longest match over the dictionary's headwords, and a character
//! the dictionary does not start a word with is a word of its own, so transliterated names are
//! learned character by character.
//!
//! Counting uses interned ids and one hash map of pair counts, so learning costs a few tens
//! of milliseconds on the Bible set; the second search runs in a narrow band around the first
//! path, so the whole second pass costs less than the first.

use rustc_hash::FxHashMap;

use super::Bead;
use super::lexicon::{Lexicon, is_stopword, stem};

/// Beads at least this confident are learned from.
const CONFIDENT: f64 = 0.7;
/// Fewer confident beads than this teach nothing reliable: no second pass.
pub(crate) const MIN_BEADS: usize = 100;
/// A pair must occur together in at least this many confident beads.
const MIN_TOGETHER: u32 = 2;
/// And have at least this Dice coefficient.
const MIN_DICE: f64 = 0.4;
/// Each word keeps at most this many partners (the best ones).
const PARTNERS: usize = 2;

/// Learned word pairs, as the anchors of each sentence.
#[derive(Debug, Default)]
pub(crate) struct Learned {
    /// For each Chinese sentence, the sorted ids of the learned pairs it has a word of.
    pub(crate) chinese: Vec<Vec<u32>>,
    /// For each English sentence, the same.
    pub(crate) english: Vec<Vec<u32>>,
    /// Number of learned pairs; their ids are `0..pairs`.
    pub(crate) pairs: u32,
}

/// Interns the words of one side.
#[derive(Default)]
struct Vocabulary {
    ids: FxHashMap<String, u32>,
    words: Vec<String>,
    count: Vec<u32>,
    /// The dictionary's English ids of each Chinese word (empty on the English side).
    glosses: Vec<Vec<u32>>,
}

impl Vocabulary {
    fn id(&mut self, word: &str, glosses: &[u32]) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = u32::try_from(self.words.len()).unwrap_or(u32::MAX);
        self.ids.insert(word.to_owned(), id);
        self.words.push(word.to_owned());
        self.count.push(0);
        self.glosses.push(glosses.to_vec());
        id
    }
}

/// The English stems of `text` that are not stop-words.
fn english_words(text: &str, mut found: impl FnMut(&str)) {
    for word in text.split(|c: char| !c.is_ascii_alphabetic() && c != '\'') {
        if word.len() > 1 {
            let lower = word.to_ascii_lowercase();
            if !is_stopword(&lower) {
                found(&stem(&lower));
            }
        }
    }
}

/// Sorted, distinct word ids of each sentence.
fn words_of(sentences: &[&str], mut words: impl FnMut(&str, &mut Vec<u32>)) -> Vec<Vec<u32>> {
    sentences
        .iter()
        .map(|s| {
            let mut ids = Vec::new();
            words(s, &mut ids);
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect()
}

/// Learns word pairs from the confident beads of an alignment of `chinese` with `english`
/// sentences (`beads` index the Chinese side as `src` when `chinese_is_source`), and gives
/// every sentence of both sides the pairs it has a word of.
pub(crate) fn learn(
    lexicon: &Lexicon,
    chinese: &[&str],
    english: &[&str],
    beads: &[Bead],
    chinese_is_source: bool,
) -> Learned {
    let confident: Vec<&Bead> = beads
        .iter()
        .filter(|b| b.confidence >= CONFIDENT && !b.src.is_empty() && !b.tgt.is_empty())
        .collect();
    if confident.len() < MIN_BEADS {
        return Learned::default();
    }
    let mut zh = Vocabulary::default();
    let mut en = Vocabulary::default();
    let zh_words = words_of(chinese, |s, ids| {
        lexicon.segment(s, |w, g| ids.push(zh.id(w, g)));
    });
    let en_words = words_of(english, |s, ids| {
        english_words(s, |w| ids.push(en.id(w, &[])));
    });
    let mut together: FxHashMap<u64, u32> = FxHashMap::default();
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for bead in confident {
        let (zh_side, en_side) = if chinese_is_source {
            (&bead.src, &bead.tgt)
        } else {
            (&bead.tgt, &bead.src)
        };
        xs.clear();
        ys.clear();
        for &i in zh_side {
            xs.extend_from_slice(&zh_words[i]);
        }
        for &j in en_side {
            ys.extend_from_slice(&en_words[j]);
        }
        xs.sort_unstable();
        xs.dedup();
        ys.sort_unstable();
        ys.dedup();
        for &x in &xs {
            zh.count[x as usize] += 1;
        }
        for &y in &ys {
            en.count[y as usize] += 1;
        }
        for &x in &xs {
            for &y in &ys {
                *together
                    .entry(u64::from(x) << 32 | u64::from(y))
                    .or_insert(0) += 1;
            }
        }
    }
    // Candidates: frequent enough, Dice high enough, not already a dictionary pair.
    let mut candidates: Vec<(f64, u32, u32)> = together
        .into_iter()
        .filter(|&(_, c)| c >= MIN_TOGETHER)
        .filter_map(|(key, c)| {
            #[allow(clippy::cast_possible_truncation)] // the halves of the key
            let (x, y) = ((key >> 32) as u32, key as u32);
            let dice = 2.0 * f64::from(c) / f64::from(zh.count[x as usize] + en.count[y as usize]);
            if dice < MIN_DICE {
                return None;
            }
            let known = lexicon
                .english_id(&en.words[y as usize])
                .is_some_and(|id| zh.glosses[x as usize].contains(&id));
            (!known).then_some((dice, x, y))
        })
        .collect();
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    // Competitive linking, loosened: each word keeps its best few partners.
    let mut of_x: Vec<Vec<u32>> = vec![Vec::new(); zh.words.len()];
    let mut of_y: Vec<Vec<u32>> = vec![Vec::new(); en.words.len()];
    let mut pairs = 0;
    for (_, x, y) in candidates {
        let (px, py) = (&of_x[x as usize], &of_y[y as usize]);
        if px.len() >= PARTNERS || py.len() >= PARTNERS {
            continue;
        }
        of_x[x as usize].push(pairs);
        of_y[y as usize].push(pairs);
        pairs += 1;
    }
    let ids = |words: &[Vec<u32>], of: &[Vec<u32>]| -> Vec<Vec<u32>> {
        words
            .iter()
            .map(|ws| {
                let mut ids: Vec<u32> = ws
                    .iter()
                    .flat_map(|&w| of[w as usize].iter().copied())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect()
    };
    Learned {
        chinese: ids(&zh_words, &of_x),
        english: ids(&en_words, &of_y),
        pairs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Confident one-to-one beads over invented names the dictionary cannot know.
    fn story() -> (Vec<String>, Vec<String>, Vec<Bead>) {
        let names = [
            ("莫里卡", "Morica"),
            ("塔维宁", "Tavinen"),
            ("贝洛斯", "Belos"),
        ];
        let (mut zh, mut en, mut beads) = (Vec::new(), Vec::new(), Vec::new());
        for k in 0..MIN_BEADS + 20 {
            let (a, b) = names[k % 3];
            let (c, d) = names[(k + 1) % 3];
            zh.push(format!("{a}在河边遇见了{c}。"));
            en.push(format!("{b} met {d} by the river."));
            beads.push(Bead {
                src: vec![k],
                tgt: vec![k],
                confidence: 0.9,
            });
        }
        (zh, en, beads)
    }

    #[test]
    fn names_the_dictionary_lacks_are_learned_from_confident_beads() {
        let (mut zh, mut en, beads) = story();
        zh.push("莫里卡来了。".into());
        en.push("Morica came.".into());
        en.push("Belos came.".into());
        let zh: Vec<&str> = zh.iter().map(String::as_str).collect();
        let en: Vec<&str> = en.iter().map(String::as_str).collect();
        let learned = learn(Lexicon::get(), &zh, &en, &beads, true);
        assert!(learned.pairs > 0);
        let (z, e) = (&learned.chinese, &learned.english);
        let shared = |a: &[u32], b: &[u32]| a.iter().any(|id| b.contains(id));
        let last = z.len() - 1;
        assert!(shared(&z[last], &e[last]), "Morica: {learned:?}");
        assert!(!shared(&z[last], &e[last + 1]), "not Belos: {learned:?}");
        for (k, b) in beads.iter().enumerate() {
            assert!(shared(&z[b.src[0]], &e[b.tgt[0]]), "bead {k}");
        }
    }

    #[test]
    fn too_few_or_unsure_beads_teach_nothing() {
        let (zh, en, mut beads) = story();
        let zh: Vec<&str> = zh.iter().map(String::as_str).collect();
        let en: Vec<&str> = en.iter().map(String::as_str).collect();
        let lexicon = Lexicon::get();
        assert_eq!(learn(lexicon, &zh, &en, &beads[..10], true).pairs, 0);
        for b in &mut beads {
            b.confidence = 0.2;
        }
        assert_eq!(learn(lexicon, &zh, &en, &beads, true).pairs, 0);
    }
}
