//! The Chinese–English lexicon: which English words may translate a Chinese word.
//!
//! The data is derived from CC-CEDICT by `tools/derive_cedict.py` (see `data/CEDICT-LICENSE.md`)
//! and embedded in the binary, so alignment works offline. It is decompressed and indexed once,
//! on first use, and shared by every [`Aligner`](super::Aligner).
//!
//! English words on both sides (dictionary glosses and target text) go through the same
//! [`stem`] and stop-word filter, so "created" in a sentence meets "create" in a gloss. Chinese
//! text is cut by greedy longest match over the dictionary's headwords: it needs no second
//! dictionary, costs a few hash look-ups per character, and finds exactly the words the
//! lexicon can translate.

use std::borrow::Cow;
use std::io::Read;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

/// The derived dictionary: `headword<TAB>english words`, gzip-compressed.
const CEDICT_GZ: &[u8] = include_bytes!("../../data/cedict-zh-en.tsv.gz");
/// English stop-words, one per line; `#` starts a comment line.
const STOPWORDS: &str = include_str!("../../data/en-stopwords.txt");
/// Headwords longer than this many characters are ignored by the segmenter.
const MAX_HEADWORD_CHARS: usize = 8;
/// A single character keeps only this many English words: its first, main senses. Characters
/// standing alone are often parts of words the dictionary lacks (names above all), and their
/// long tails of rarer senses mostly match by accident.
const SINGLE_CHAR_WORDS: usize = 2;

static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load_embedded);
static STOP: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    STOPWORDS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Chinese headwords mapped to ids of stemmed English words.
pub(crate) struct Lexicon {
    /// English stem → word id; ids are dense from 0.
    vocab: FxHashMap<Cow<'static, str>, u32>,
    /// Chinese headword → range of `glosses`.
    entries: FxHashMap<&'static str, (u32, u32)>,
    glosses: Vec<u32>,
}

impl Lexicon {
    /// The shared lexicon built from the embedded CC-CEDICT derivative.
    pub(crate) fn get() -> &'static Lexicon {
        &LEXICON
    }

    fn load_embedded() -> Lexicon {
        let mut text = String::new();
        // The data is part of the build and checked by a unit test; a failure here is a bug.
        flate2::read::GzDecoder::new(CEDICT_GZ)
            .read_to_string(&mut text)
            .expect("embedded dictionary data/cedict-zh-en.tsv.gz is valid gzip UTF-8");
        // The lexicon lives as long as the process; leaking its text once lets the indexes
        // borrow from it instead of allocating a string per headword and word.
        Lexicon::parse(String::leak(text))
    }

    /// Builds a lexicon from `headword<TAB>word word ...` lines; malformed lines are skipped.
    pub(crate) fn parse(text: &'static str) -> Lexicon {
        let mut lexicon = Lexicon {
            vocab: FxHashMap::default(),
            entries: FxHashMap::default(),
            glosses: Vec::new(),
        };
        for line in text.lines() {
            let Some((head, words)) = line.split_once('\t') else {
                continue;
            };
            if head.chars().count() > MAX_HEADWORD_CHARS {
                continue;
            }
            let start = lexicon.glosses.len();
            let limit = if head.chars().count() == 1 {
                SINGLE_CHAR_WORDS
            } else {
                usize::MAX
            };
            for word in words.split(' ') {
                if word.is_empty() || is_stopword(word) {
                    continue;
                }
                if lexicon.glosses.len() - start >= limit {
                    break;
                }
                let id = lexicon.intern(stem(word));
                if !lexicon.glosses[start..].contains(&id) {
                    lexicon.glosses.push(id);
                }
            }
            if lexicon.glosses.len() > start {
                lexicon
                    .entries
                    .insert(head, (index(start), index(lexicon.glosses.len())));
            }
        }
        lexicon
    }

    fn intern(&mut self, stem: Cow<'static, str>) -> u32 {
        let next = index(self.vocab.len());
        *self.vocab.entry(stem).or_insert(next)
    }

    /// Number of distinct English stems; word ids are below this.
    pub(crate) fn vocab_len(&self) -> u32 {
        index(self.vocab.len())
    }

    /// The id of an English word (any case), if the lexicon knows it and it is not a stop-word.
    pub(crate) fn english_id(&self, lowercase_word: &str) -> Option<u32> {
        if is_stopword(lowercase_word) {
            return None;
        }
        self.vocab.get(stem(lowercase_word).as_ref()).copied()
    }

    /// Calls `found` with every word of `text` by greedy longest match over the headwords, and
    /// its English word ids; a Han character that starts no headword is a word of its own with
    /// no ids (names written with characters the dictionary does not pair are such words).
    pub(crate) fn segment<'t>(&self, text: &'t str, mut found: impl FnMut(&'t str, &[u32])) {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let chars = bounds.len() - 1;
        let mut at = 0;
        while at < chars {
            let longest = MAX_HEADWORD_CHARS.min(chars - at);
            let mut step = 1;
            let mut known = false;
            for len in (1..=longest).rev() {
                let word = &text[bounds[at]..bounds[at + len]];
                if let Some(&(from, to)) = self.entries.get(word) {
                    found(word, &self.glosses[from as usize..to as usize]);
                    step = len;
                    known = true;
                    break;
                }
            }
            let word = &text[bounds[at]..bounds[at + 1]];
            if !known
                && word
                    .chars()
                    .next()
                    .is_some_and(|c| ('\u{3400}'..='\u{9fff}').contains(&c))
            {
                found(word, &[]);
            }
            at += step;
        }
    }

    /// Appends the English word ids of every dictionary word found in `text` by greedy
    /// longest match; characters that start no headword are skipped.
    pub(crate) fn chinese_ids(&self, text: &str, out: &mut Vec<u32>) {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let chars = bounds.len() - 1;
        let mut at = 0;
        while at < chars {
            let longest = MAX_HEADWORD_CHARS.min(chars - at);
            let mut step = 1;
            for len in (1..=longest).rev() {
                if let Some(&(from, to)) = self.entries.get(&text[bounds[at]..bounds[at + len]]) {
                    out.extend_from_slice(&self.glosses[from as usize..to as usize]);
                    step = len;
                    break;
                }
            }
            at += step;
        }
    }
}

/// Whether a lower-case English word is a stop-word.
pub(crate) fn is_stopword(word: &str) -> bool {
    STOP.contains(word)
}

/// A deliberately crude English suffix stripper: the same on both sides, so it only has to
/// conflate inflections ("creates", "created", "creating" → "creat"), not produce real stems.
pub(crate) fn stem(word: &str) -> Cow<'_, str> {
    let w = word.trim_end_matches("'s").trim_end_matches('\'');
    let cut = |suffix: &str, min_stem: usize| -> Option<&str> {
        w.strip_suffix(suffix).filter(|s| s.len() >= min_stem)
    };
    if let Some(s) = cut("ies", 3) {
        return Cow::Owned(format!("{s}y"));
    }
    let base = if let Some(s) = cut("ing", 3).or_else(|| cut("ed", 3)) {
        s
    } else if w.ends_with("ss") || w.len() <= 3 {
        w
    } else if let Some(s) = cut("es", 3).filter(|s| s.ends_with(['s', 'x', 'z', 'h'])) {
        s
    } else {
        cut("s", 3).unwrap_or(w)
    };
    Cow::Borrowed(match base.strip_suffix('e') {
        Some(s) if s.len() >= 3 => s,
        _ => base,
    })
}

fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicon_loads_and_translates_common_words() {
        let lex = Lexicon::get();
        assert!(lex.vocab_len() > 10_000);
        let mut ids = Vec::new();
        lex.chinese_ids("发展合作", &mut ids);
        assert!(ids.contains(&lex.english_id("development").unwrap()));
        assert!(ids.contains(&lex.english_id("cooperation").unwrap()));
    }

    #[test]
    fn stems_conflate_inflections() {
        for group in [
            ["create", "created", "creates"],
            ["country", "countries", "country's"],
            ["develop", "developing", "develops"],
        ] {
            assert_eq!(stem(group[0]), stem(group[1]), "{group:?}");
            assert_eq!(stem(group[0]), stem(group[2]), "{group:?}");
        }
        assert_eq!(stem("boxes"), stem("box"));
        assert_eq!(stem("is"), "is");
    }

    #[test]
    fn longest_match_prefers_the_whole_word() {
        let lex = Lexicon::parse("合\tjoin\n合作\tcooperate\n作\twrite\n");
        let mut ids = Vec::new();
        lex.chinese_ids("合作x作", &mut ids);
        let coop = lex
            .english_id("cooperation")
            .or(lex.english_id("cooperate"));
        assert_eq!(ids, vec![coop.unwrap(), lex.english_id("write").unwrap()]);
    }
}
