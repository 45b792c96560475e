//! Candidate terms from a document, ranked by evidence, for a reviewer to turn into entries.
//!
//! Chinese has no spaces, so the text is first cut into words with jieba-rs (its stock
//! dictionary; known glossary terms are added so they stay whole). Candidates come from four
//! kinds of evidence:
//!
//! - phrases in quotation marks (“真实亲诚”), the way official texts introduce a slogan;
//! - numeric formulas (六廊六路, 四个全面, 八大行动, 一带一路);
//! - names of bodies and programmes: word runs ending in 署, 基金, 论坛, 倡议, 机制, 计划 ...;
//! - multi-word units that repeat (word n-grams, n = 2..5, not starting or ending with a
//!   function word).
//!
//! Every candidate is then counted as a substring of the whole text (one aho-corasick pass),
//! a candidate always seen inside a longer one is dropped (一带 inside 一带一路), and the rest
//! are ranked by a score: frequency (log), cohesion (how much of the rarest word's frequency
//! the phrase accounts for: high for 人类命运共同体, low for 国际发展合作), length and the
//! evidence kinds. Known terms and their variants are excluded.
//!
//! Building the jieba dictionary costs ~120 ms in release builds, so build one [`Extractor`]
//! and reuse it.

use std::collections::{HashMap, HashSet};

use aho_corasick::AhoCorasick;
use jieba_rs::Jieba;
use regex::Regex;
use serde::Serialize;

/// Why a phrase is a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// Written in quotation marks somewhere.
    Quoted,
    /// A numeric formula (六廊六路, 四个全面).
    Formula,
    /// The name of a body or programme (…署, …基金, …论坛, …倡议).
    Name,
    /// A multi-word unit that repeats.
    Repeated,
}

/// A candidate as `duiyi glossary extract` lists it: phrase, count, evidence, examples.
impl std::fmt::Display for Candidate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let evidence: Vec<&str> = self.evidence.iter().map(|e| e.name()).collect();
        write!(
            f,
            "{}  ×{}  [{}]  e.g. {}",
            self.phrase,
            self.count,
            evidence.join(", "),
            self.examples.join(", ")
        )
    }
}

impl Evidence {
    /// The name, as in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Evidence::Quoted => "quoted",
            Evidence::Formula => "formula",
            Evidence::Name => "name",
            Evidence::Repeated => "repeated",
        }
    }
}

/// A candidate term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The phrase.
    pub phrase: String,
    /// How often it occurs in the input (as a substring).
    pub count: usize,
    /// Ranking score (higher first).
    pub score: f64,
    /// The kinds of evidence found, sorted.
    pub evidence: Vec<Evidence>,
    /// Refs of the first segments containing it.
    pub examples: Vec<String>,
}

/// Options for [`Extractor::extract`].
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Repeated units must occur at least this often (quoted phrases, formulas and names need
    /// only occur once). Default 2.
    pub min_count: usize,
    /// At most this many example refs per candidate. Default 3.
    pub examples: usize,
    /// Return at most this many candidates (all when `None`).
    pub limit: Option<usize>,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        Self {
            min_count: 2,
            examples: 3,
            limit: None,
        }
    }
}

const NAME_SUFFIXES: [&str; 22] = [
    "署",
    "基金",
    "论坛",
    "倡议",
    "组织",
    "机制",
    "计划",
    "中心",
    "议程",
    "银行",
    "峰会",
    "委员会",
    "项目",
    "联盟",
    "公约",
    "宣言",
    "工程",
    "行动",
    "框架",
    "规划",
    "战略",
    "伙伴关系",
];

const STOP: [&str; 44] = [
    "的", "和", "与", "及", "在", "了", "是", "为", "对", "等", "中", "并", "将", "以", "把", "被",
    "从", "向", "于", "也", "都", "而", "或", "其", "之", "这", "该", "各", "个", "有", "上", "下",
    "不", "到", "由", "给", "让", "使", "又", "就", "还", "已", "更", "要",
];

/// Words that continue a number or a measure and cannot start a term (年 in 2030年...).
const BAD_START: [&str; 12] = [
    "年", "月", "日", "项", "次", "个", "名", "所", "余", "亿", "万", "多",
];

/// Verbs that open a clause rather than a term (开展国际发展合作 is 开展 + a term).
const LEADING_VERBS: [&str; 24] = [
    "开展", "帮助", "支持", "对接", "推动", "推进", "加强", "促进", "提供", "实施", "援建", "参与",
    "设立", "使用", "提升", "构建", "建立", "宣布", "落实", "通过", "深化", "积极", "共同", "新增",
];

fn can_start(word: &str) -> bool {
    !STOP.contains(&word)
        && !LEADING_VERBS.contains(&word)
        && !BAD_START.iter().any(|b| word.starts_with(b))
}

/// Builds candidate lists; holds the word segmenter.
pub struct Extractor {
    jieba: Jieba,
    quoted: Regex,
    formulas: Vec<Regex>,
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

impl Extractor {
    /// An extractor with jieba's stock dictionary (~120 ms in release builds).
    pub fn new() -> Self {
        let compile =
            |p: &str| Regex::new(p).unwrap_or_else(|e| panic!("built-in pattern {p}: {e}"));
        Self {
            jieba: Jieba::new(),
            quoted: compile(r"[“「『]([\p{Han}][\p{Han}0-9A-Za-z·—]{1,15})[”」』]"),
            formulas: vec![
                compile(r"(?:[一二三四五六七八九十两多]\p{Han}){2,4}"),
                compile(r"[二三四五六七八九十两]个\p{Han}{2,3}"),
                compile(r"[二三四五六七八九十百千]+[大项条点]\p{Han}{2,4}"),
            ],
        }
    }

    /// Adds `terms` to the segmenter's dictionary so they are cut as one word.
    pub fn add_terms<'a>(&mut self, terms: impl IntoIterator<Item = &'a str>) {
        for term in terms {
            // An explicit, high frequency: jieba ignores a user word with frequency 0.
            self.jieba.add_word(term, Some(50_000), None);
        }
    }

    /// Candidate terms from `segments` (ref, text), best first, excluding `known` phrases.
    pub fn extract<R: AsRef<str>, T: AsRef<str>>(
        &self,
        segments: &[(R, T)],
        known: &HashSet<String>,
        options: &ExtractOptions,
    ) -> Vec<Candidate> {
        // Words and counts are taken on folded text (no quotation marks, half-width), so
        // “一带一路”国际合作高峰论坛 counts as 一带一路国际合作高峰论坛.
        let folded: Vec<(&str, String)> = segments
            .iter()
            .map(|(r, t)| {
                (
                    r.as_ref(),
                    super::matcher::fold(t.as_ref()).text.into_owned(),
                )
            })
            .collect();
        let gathered = self.gather(segments, &folded, known, options);
        let evidence = gathered.evidence;
        // Known terms are counted too: a fragment of a known term (国际发展 in 国际发展合作) is
        // subsumed by it, though the known term itself is not listed.
        let mut phrases: Vec<String> = evidence.keys().cloned().collect();
        let known_folded: HashSet<String> = known
            .iter()
            .map(|k| super::matcher::fold(k).text.into_owned())
            .filter(|k| !k.is_empty())
            .collect();
        phrases.extend(
            known_folded
                .iter()
                .filter(|k| !evidence.contains_key(*k))
                .cloned(),
        );
        let Some(Occurrences {
            counts,
            mut examples,
            varied,
        }) = occurrences(&folded, &phrases, options.examples)
        else {
            return Vec::new();
        };
        let count_of: HashMap<&str, usize> = phrases
            .iter()
            .map(String::as_str)
            .zip(counts.iter().copied())
            .collect();
        let mut candidates: Vec<Candidate> = Vec::new();
        for (p, phrase) in phrases.iter().enumerate() {
            let count = counts[p];
            let Some(kinds) = evidence.get(phrase) else {
                continue;
            };
            if known_folded.contains(phrase) {
                continue;
            }
            let strong = kinds.contains(&Evidence::Quoted) || kinds.contains(&Evidence::Formula);
            if count == 0 || (!strong && count < options.min_count) {
                continue;
            }
            // (Nearly) always inside one longer candidate: the longer one is the term.
            let subsumed = count_of.iter().any(|(other, &other_count)| {
                other.len() > phrase.len()
                    && other_count * 10 >= count * 9
                    && other.contains(phrase.as_str())
            });
            if subsumed {
                continue;
            }
            let mut kinds: Vec<Evidence> = kinds.iter().copied().collect();
            kinds.sort();
            let containing = count_of
                .keys()
                .filter(|other| other.len() > phrase.len() && other.contains(phrase.as_str()))
                .count();
            // Productive units are term-like; a single dictionary word is ordinary vocabulary
            // more often than a term.
            let productive = if containing >= 2 { 1.5 } else { 1.0 };
            let single = if gathered.single_words.contains(phrase) {
                0.5
            } else {
                1.0
            };
            let score = self.score(phrase, count, &kinds, &gathered.word_counts)
                * productive
                * single
                * varied[p];
            candidates.push(Candidate {
                phrase: phrase.clone(),
                count,
                score,
                evidence: kinds,
                examples: std::mem::take(&mut examples[p]),
            });
        }
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.count.cmp(&a.count))
                .then(a.phrase.cmp(&b.phrase))
        });
        if let Some(limit) = options.limit {
            candidates.truncate(limit);
        }
        candidates
    }

    /// Collects candidate phrases and their evidence, and word frequencies.
    fn gather<R: AsRef<str>, T: AsRef<str>>(
        &self,
        segments: &[(R, T)],
        folded: &[(&str, String)],
        known: &HashSet<String>,
        options: &ExtractOptions,
    ) -> Gathered {
        let mut evidence: HashMap<String, HashSet<Evidence>> = HashMap::new();
        let mut note = |phrase: &str, kind: Evidence| {
            let chars = phrase.chars().count();
            if (2..=16).contains(&chars) && !known.contains(phrase) {
                evidence.entry(phrase.to_owned()).or_default().insert(kind);
            }
        };
        let mut word_counts: HashMap<String, usize> = HashMap::new();
        let mut gram_counts: HashMap<String, usize> = HashMap::new();
        let mut single_words: HashSet<String> = HashSet::new();
        for (_, text) in segments {
            for caps in self.quoted.captures_iter(text.as_ref()) {
                note(&caps[1], Evidence::Quoted);
            }
        }
        for (_, text) in folded {
            let text = text.as_str();
            for formula in &self.formulas {
                for m in formula.find_iter(text) {
                    let phrase = m.as_str();
                    if !phrase.starts_with("一个") && !phrase.contains("一些") {
                        note(phrase, Evidence::Formula);
                    }
                }
            }
            let words: Vec<&str> = self
                .jieba
                .cut(text, true)
                .into_iter()
                .map(|t| t.word)
                .collect();
            for word in &words {
                *word_counts.entry((*word).to_owned()).or_default() += 1;
            }
            for (i, word) in words.iter().enumerate() {
                if !is_han(word) {
                    continue;
                }
                if NAME_SUFFIXES.iter().any(|s| word.ends_with(s)) {
                    for n in 1..=4.min(i) {
                        let run = &words[i - n..=i];
                        if run.iter().all(|w| is_han(w)) && can_start(run[0]) {
                            note(&run.concat(), Evidence::Name);
                        }
                    }
                }
                if word.chars().count() >= 4 {
                    single_words.insert((*word).to_owned());
                }
                for n in 2..=5 {
                    let Some(run) = words.get(i..i + n) else {
                        break;
                    };
                    if !run.iter().all(|w| is_han(w)) {
                        break;
                    }
                    if can_start(run[0]) && !STOP.contains(&run[n - 1]) {
                        *gram_counts.entry(run.concat()).or_default() += 1;
                    }
                }
            }
        }
        for (gram, count) in &gram_counts {
            if *count >= options.min_count.max(2) {
                note(gram, Evidence::Repeated);
            }
        }
        // A long dictionary word is a candidate when it heads or sits inside at least two other
        // candidates (南南合作 in 南南合作援助基金, 南南合作框架 ...): a productive unit.
        for word in &single_words {
            let containing = evidence
                .keys()
                .filter(|p| p.len() > word.len() && p.contains(word.as_str()))
                .count();
            if containing >= 2 && !known.contains(word) {
                evidence
                    .entry(word.clone())
                    .or_default()
                    .insert(Evidence::Repeated);
            }
        }
        Gathered {
            evidence,
            word_counts,
            single_words,
        }
    }

    fn score(
        &self,
        phrase: &str,
        count: usize,
        kinds: &[Evidence],
        word_counts: &HashMap<String, usize>,
    ) -> f64 {
        let words: Vec<&str> = self
            .jieba
            .cut(phrase, false)
            .into_iter()
            .map(|t| t.word)
            .collect();
        // Cohesion: the share of the rarest word's occurrences that are inside this phrase.
        let rarest = words
            .iter()
            .filter_map(|w| word_counts.get(*w).copied())
            .min()
            .unwrap_or(count)
            .max(1);
        let cohesion = (count as f64 / rarest as f64).min(1.0);
        let chars = phrase.chars().count() as f64;
        // Specialized vocabulary: a word the stock dictionary has rarely seen (义利观, 南南合作).
        let rarest_in_dictionary = words
            .iter()
            .map(|w| self.jieba.suggest_freq(w))
            .min()
            .unwrap_or(0);
        let mut bonus = 1.0 + 3.0 / (std::f64::consts::E + rarest_in_dictionary as f64).ln();
        for kind in kinds {
            bonus += match kind {
                Evidence::Quoted | Evidence::Formula => 1.0,
                Evidence::Name => 0.25,
                Evidence::Repeated => 0.0,
            };
        }
        (1.0 + count as f64).ln().sqrt() * (0.5 + cohesion) * chars.min(10.0).powf(0.75) * bonus
    }
}

/// Evidence gathered from the text.
struct Gathered {
    evidence: HashMap<String, HashSet<Evidence>>,
    word_counts: HashMap<String, usize>,
    single_words: HashSet<String>,
}

/// Where the candidates occur.
struct Occurrences {
    counts: Vec<usize>,
    examples: Vec<Vec<String>>,
    /// ln(1 + the smaller number of distinct left and right neighbours).
    varied: Vec<f64>,
}

/// Counts every phrase as a substring of the whole input (one aho-corasick pass), with
/// example refs and neighbour variety: a term is used in varied contexts, a fragment
/// (国际发展 in 国际发展合作) is not. A line edge or a quotation mark counts as a new neighbour
/// each time.
fn occurrences<R: AsRef<str>, T: AsRef<str>>(
    segments: &[(R, T)],
    phrases: &[String],
    max_examples: usize,
) -> Option<Occurrences> {
    let automaton = AhoCorasick::new(phrases).ok()?;
    let mut counts = vec![0usize; phrases.len()];
    let mut examples: Vec<Vec<String>> = vec![Vec::new(); phrases.len()];
    let mut left: Vec<HashSet<char>> = vec![HashSet::new(); phrases.len()];
    let mut right: Vec<HashSet<char>> = vec![HashSet::new(); phrases.len()];
    let mut edges = vec![(0usize, 0usize); phrases.len()];
    for (reference, text) in segments {
        let text = text.as_ref();
        for m in automaton.find_overlapping_iter(text) {
            let p = m.pattern().as_usize();
            counts[p] += 1;
            match text[..m.start()]
                .chars()
                .next_back()
                .filter(|c| !is_quote(*c))
            {
                Some(c) => {
                    left[p].insert(c);
                }
                None => edges[p].0 += 1,
            }
            match text[m.end()..].chars().next().filter(|c| !is_quote(*c)) {
                Some(c) => {
                    right[p].insert(c);
                }
                None => edges[p].1 += 1,
            }
            let reference = reference.as_ref();
            if examples[p].len() < max_examples && examples[p].last().is_none_or(|r| r != reference)
            {
                examples[p].push(reference.to_owned());
            }
        }
    }
    let varied = (0..phrases.len())
        .map(|p| {
            let distinct = (left[p].len() + edges[p].0).min(right[p].len() + edges[p].1);
            (distinct as f64 + 1.0).ln()
        })
        .collect();
    Some(Occurrences {
        counts,
        examples,
        varied,
    })
}

fn is_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '「' | '」' | '『' | '』' | '"')
}

fn is_han(word: &str) -> bool {
    !word.is_empty()
        && word.chars().all(|c| {
            matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_formula_and_name_evidence_is_found() {
        let extractor = Extractor::new();
        let text = "秉持“真实亲诚”理念，推进六廊六路建设，设立南南合作援助基金。南南合作援助基金支持项目。";
        let found = extractor.extract(&[("1", text)], &HashSet::new(), &ExtractOptions::default());
        let get = |p: &str| found.iter().find(|c| c.phrase == p);
        assert!(
            get("真实亲诚")
                .unwrap()
                .evidence
                .contains(&Evidence::Quoted)
        );
        assert!(
            get("六廊六路")
                .unwrap()
                .evidence
                .contains(&Evidence::Formula)
        );
        let fund_candidate = get("南南合作援助基金").unwrap();
        assert!(
            fund_candidate.evidence.contains(&Evidence::Name),
            "{fund_candidate:?}"
        );
        assert_eq!(fund_candidate.count, 2);
        assert_eq!(fund_candidate.examples, vec!["1"]);
    }

    #[test]
    fn known_terms_are_excluded() {
        let extractor = Extractor::new();
        let known: HashSet<String> = ["六廊六路".to_owned()].into();
        let found = extractor.extract(
            &[("1", "推进六廊六路建设。")],
            &known,
            &ExtractOptions::default(),
        );
        assert!(found.iter().all(|c| c.phrase != "六廊六路"), "{found:?}");
    }

    /// The seed white paper's key phrases rank in the top 50.
    #[test]
    fn the_white_papers_fixed_phrases_rank_high() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/source/intl-development-cooperation.txt"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let segments: Vec<(String, &str)> = text
            .lines()
            .enumerate()
            .map(|(i, line)| ((i + 1).to_string(), line))
            .collect();
        let found =
            Extractor::new().extract(&segments, &HashSet::new(), &ExtractOptions::default());
        if std::env::var_os("DUIYI_SHOW_EXTRACT").is_some() {
            for (i, c) in found.iter().take(150).enumerate() {
                eprintln!(
                    "{i:3} {:6.2} {:3} {} {:?}",
                    c.score, c.count, c.phrase, c.evidence
                );
            }
        }
        for phrase in [
            "人类命运共同体",
            "一带一路",
            "南南合作",
            "正确义利观",
            "南南合作援助基金",
        ] {
            let rank = found.iter().position(|c| c.phrase == phrase);
            assert!(rank.is_some_and(|r| r < 50), "{phrase} ranks {rank:?}");
        }
    }
}
