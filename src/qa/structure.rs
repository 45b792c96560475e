//! The structure check: what the layout of the source promises the target.
//!
//! - Inline references are carried over: （注1） needs a note 1 marker ("(Note 1)", "\[1\]"),
//!   （见图1） "Figure 1", （见专栏1） "Box 1", （见表1） "Table 1". The words per language are
//!   data (`references.toml`).
//! - Headings keep their number, mapped consistently: 一、 → I. or 1., （一） → 1., (1) or (a),
//!   as `[qa] cn_comma` / `cn_paren` say; with `any`, the scheme most headings of that style
//!   use is expected of all.
//! - A list item's first sentence keeps a list marker (–, •, 1., (a) ...).
//! - A TOC entry's translation equals the translation of the heading it lists.

use std::collections::HashMap;

use regex::Regex;
use serde::Deserialize;

use super::{Check, Issue, Item, QaError};
use crate::segment::Role;

/// A way of numbering headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// I., II., (i)
    Roman,
    /// 1., (1)
    Arabic,
    /// (a), a.
    Letter,
}

impl Scheme {
    fn name(self) -> &'static str {
        match self {
            Scheme::Roman => "roman",
            Scheme::Arabic => "arabic",
            Scheme::Letter => "letter",
        }
    }

    /// Reads a `[qa] cn_comma` / `cn_paren` setting: a scheme, or `None` for `any`.
    pub fn parse(key: &'static str, value: &str) -> Result<Option<Self>, QaError> {
        match value {
            "any" => Ok(None),
            "roman" => Ok(Some(Scheme::Roman)),
            "arabic" => Ok(Some(Scheme::Arabic)),
            "letter" => Ok(Some(Scheme::Letter)),
            _ => Err(QaError::Setting {
                key,
                value: value.to_string(),
                expected: "use roman, arabic, letter or any",
            }),
        }
    }

    fn render(self, n: u32) -> String {
        match self {
            Scheme::Arabic => n.to_string(),
            Scheme::Roman => roman(n),
            Scheme::Letter => char::from_u32(u32::from(b'a') + n.saturating_sub(1))
                .map_or_else(String::new, String::from),
        }
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// The value of a Roman numeral from 1 to 60 written in its canonical form (`XIV`, not `XIIII`).
fn parse_roman(s: &str) -> Option<u32> {
    crate::qa::numbers::roman_value(s)
        .filter(|&total| (1..=60).contains(&total) && roman(total).eq_ignore_ascii_case(s))
}

/// The value of a Chinese numeral up to 99 (一, 十, 十二, 二十三).
fn chinese_number(s: &str) -> Option<u32> {
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = s.chars().collect();
    let n = match chars.as_slice() {
        [d] if *d != '十' => digit(*d)?,
        ['十'] => 10,
        ['十', d] => 10 + digit(*d)?,
        [t, '十'] => digit(*t)? * 10,
        [t, '十', d] => digit(*t)? * 10 + digit(*d)?,
        _ => return None,
    };
    u32::try_from(n).ok()
}

/// The number a heading source starts with, for the styles whose numbering is mapped.
fn source_number(style: &str, source: &str) -> Option<u32> {
    let s = source.trim_start();
    let digits = match style {
        "cn-comma" => s.split_once('、')?.0,
        "cn-paren" => s.strip_prefix(['（', '('])?.split_once(['）', ')'])?.0,
        _ => return None,
    };
    chinese_number(digits)
}

/// The readings of the number a target heading starts with: (scheme, value).
fn target_numbers(prefix: &Regex, target: &str) -> Vec<(Scheme, u32)> {
    let Some(c) = prefix.captures(target) else {
        return Vec::new();
    };
    let Some(token) = c.get(1).or_else(|| c.get(2)).map(|m| m.as_str()) else {
        return Vec::new();
    };
    let mut readings = Vec::new();
    if let Ok(n) = token.parse() {
        readings.push((Scheme::Arabic, n));
    }
    if let Some(n) = parse_roman(token) {
        readings.push((Scheme::Roman, n));
    }
    if let [b] = token.as_bytes()
        && b.is_ascii_lowercase()
    {
        readings.push((Scheme::Letter, u32::from(b - b'a' + 1)));
    }
    readings
}

#[derive(Deserialize)]
struct ReferenceWords {
    note: String,
    figure: String,
    r#box: String,
    table: String,
}

/// The structure check for one target language.
pub struct Structure {
    references: Option<HashMap<&'static str, Regex>>,
    prefix: Regex,
    list_marker: Regex,
    wanted: HashMap<&'static str, Option<Scheme>>,
    learned: HashMap<&'static str, Scheme>,
}

const STYLES: [&str; 2] = ["cn-comma", "cn-paren"];

impl Structure {
    /// The check for `lang`, with the heading schemes of `[qa] cn_comma` and `cn_paren`
    /// (`None`: whatever most headings of that style use).
    pub fn new(lang: &str, cn_comma: Option<Scheme>, cn_paren: Option<Scheme>) -> Self {
        let all: HashMap<String, ReferenceWords> =
            toml::from_str(include_str!("references.toml")).unwrap_or_default();
        let primary = crate::lang::primary(lang).to_ascii_lowercase();
        let references = all.get(&primary).map(|w| {
            [
                ("note", &w.note),
                ("figure", &w.figure),
                ("box", &w.r#box),
                ("table", &w.table),
            ]
            .into_iter()
            .filter_map(|(k, p)| Regex::new(p).ok().map(|r| (k, r)))
            .collect()
        });
        let regex = |p: &str| Regex::new(p).expect("a constant pattern");
        Self {
            references,
            prefix: regex(
                r"^\s*(?:\(([0-9]{1,3}|[ivxlIVXL]{1,6}|[a-z])\)|([0-9]{1,3}|[IVXL]{1,6}|[ivxl]{1,6}|[a-z])[.)])",
            ),
            list_marker: regex(
                r"^\s*(?:[—–\-•*·▪●◆■►]|\(?[0-9]{1,3}[.)]|\(?[a-zivx]{1,4}[.)]|[①-⑳])",
            ),
            wanted: HashMap::from([("cn-comma", cn_comma), ("cn-paren", cn_paren)]),
            learned: HashMap::new(),
        }
    }

    fn style_of(item: &Item<'_>) -> Option<&'static str> {
        let style = item.style?;
        STYLES.into_iter().find(|s| *s == style)
    }

    fn check_references(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        let Some(words) = &self.references else {
            return;
        };
        for r in &item.references {
            let Some(re) = words.get(r.kind.as_str()) else {
                continue;
            };
            let found = re
                .captures_iter(item.target)
                .any(|c| c.get(1).and_then(|m| m.as_str().parse().ok()) == Some(r.number));
            if !found {
                out.push(Issue::error(format!(
                    "the reference {} is not carried over: no {} {} marker in the target",
                    r.text, r.kind, r.number
                )));
            }
        }
    }

    fn check_heading(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        let Some(style) = Self::style_of(item) else {
            return;
        };
        let Some(n) = source_number(style, item.source) else {
            return;
        };
        let expected = self.wanted[style].or_else(|| self.learned.get(style).copied());
        let readings = target_numbers(&self.prefix, item.target);
        let source = item.source.trim_start();
        let end = source.find(['、', '）', ')']).map_or(0, |i| {
            i + source[i..].chars().next().map_or(0, char::len_utf8)
        });
        let number = &source[..end];
        let shown = match expected {
            None => n.to_string(),
            Some(Scheme::Letter) => format!("({})", Scheme::Letter.render(n)),
            Some(s) => format!("{}.", s.render(n)),
        };
        if readings.is_empty() {
            out.push(Issue::error(format!(
                "the heading number {number} is not carried over (expected {shown})"
            )));
            return;
        }
        if !readings.iter().any(|(_, v)| *v == n) {
            out.push(Issue::error(format!(
                "the heading number {number} is rendered as another number (expected {shown})"
            )));
            return;
        }
        if let Some(scheme) = expected
            && !readings.contains(&(scheme, n))
        {
            out.push(Issue::warning(format!(
                "the heading number {number} is not numbered like the other {style} headings ({}: {shown})",
                scheme.name()
            )));
        }
    }
}

impl Check for Structure {
    fn name(&self) -> &'static str {
        "structure"
    }

    fn learn(&mut self, items: &[Item<'_>]) {
        let mut votes: HashMap<(&'static str, Scheme), usize> = HashMap::new();
        for item in items.iter().filter(|i| i.role == Some(Role::Heading)) {
            if let Some(style) = Self::style_of(item)
                && let Some(n) = source_number(style, item.source)
            {
                for (scheme, v) in target_numbers(&self.prefix, item.target) {
                    if v == n {
                        *votes.entry((style, scheme)).or_default() += 1;
                    }
                }
            }
        }
        for style in STYLES {
            let best = [Scheme::Roman, Scheme::Arabic, Scheme::Letter]
                .into_iter()
                .map(|s| (votes.get(&(style, s)).copied().unwrap_or(0), s))
                .filter(|(count, _)| *count > 0)
                .max_by_key(|(count, _)| *count);
            if let Some((_, scheme)) = best {
                self.learned.insert(style, scheme);
            }
        }
    }

    fn check(&self, item: &Item<'_>, out: &mut Vec<Issue>) {
        if item.target.trim().is_empty() {
            return;
        }
        self.check_references(item, out);
        match item.role {
            Some(Role::Heading) if item.first => self.check_heading(item, out),
            Some(Role::ListItem) if item.first && !self.list_marker.is_match(item.target) => {
                out.push(Issue::warning(
                    "the list item lost its list marker (–, •, 1., (a) ...)",
                ));
            }
            Some(Role::TocEntry) => {
                if let Some(heading) = item.linked_target.filter(|h| !h.trim().is_empty()) {
                    let same = heading
                        .split_whitespace()
                        .eq(item.target.split_whitespace());
                    if !same {
                        out.push(Issue::error(format!(
                            "the TOC entry differs from the translation of the heading it lists: “{}”",
                            heading.trim()
                        )));
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qa::testing::{issues, item};
    use crate::segment::InlineReference;

    fn reference(kind: &str, number: u32, text: &str) -> InlineReference {
        InlineReference {
            kind: kind.into(),
            number,
            text: text.into(),
        }
    }

    #[test]
    fn inline_references_are_carried_over() {
        let check = Structure::new("en", None, None);
        let note = reference("note", 1, "（注1）");
        let figure = reference("figure", 2, "（见图2）");
        let boxed = reference("box", 1, "（见专栏1）");
        let table = reference("table", 1, "（见表1）");
        let source = "中国共向122个国家提供援助。（见图2）（见专栏1）";
        let mut good = item(
            source,
            "China provided aid to 122 countries. (Figure 2) (Box 1)",
        );
        good.references = vec![&figure, &boxed];
        assert!(issues(&check, &good).is_empty());
        let mut bad = item(source, "China provided aid to 122 countries. (Figure 3)");
        bad.references = vec![&figure, &boxed];
        let found = issues(&check, &bad);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[1].message.contains("（见专栏1）"));
        let mut n = item(
            "为介绍新时代中国国际发展合作（注1）的理念和实践，特发布本白皮书。",
            "The government is publishing this white paper to introduce China's international development cooperation (Note 1) in the new era.",
        );
        n.references = vec![&note];
        assert!(issues(&check, &n).is_empty());
        n.target = "The government is publishing this white paper.";
        assert_eq!(issues(&check, &n).len(), 1);
        let mut t = item(
            "中国共建设成套项目423个。（见表1）",
            "China built 423 complete projects (Table 1).",
        );
        t.references = vec![&table];
        assert!(issues(&check, &t).is_empty());
        t.target = "China built 423 complete projects.";
        assert_eq!(issues(&check, &t).len(), 1);
    }

    fn heading<'a>(style: &'a str, source: &'a str, target: &'a str) -> Item<'a> {
        Item {
            role: Some(Role::Heading),
            style: Some(style),
            ..item(source, target)
        }
    }

    #[test]
    fn heading_numbers_follow_the_setting() {
        let check = Structure::new("en", Some(Scheme::Roman), Some(Scheme::Arabic));
        let good = heading(
            "cn-comma",
            "二、新时代中国国际发展合作的理念",
            "II. China's Vision for International Development Cooperation in the New Era",
        );
        assert!(issues(&check, &good).is_empty());
        let paren = heading(
            "cn-paren",
            "（三）合作方式更加丰富",
            "3. More Diverse Forms of Cooperation",
        );
        assert!(issues(&check, &paren).is_empty());
        let arabic = heading(
            "cn-comma",
            "二、新时代中国国际发展合作的理念",
            "2. China's Vision",
        );
        let found = issues(&check, &arabic);
        assert_eq!(found[0].severity, crate::qa::Severity::Warning, "{found:?}");
        assert!(found[0].message.contains("II"));
        let wrong = heading(
            "cn-comma",
            "二、新时代中国国际发展合作的理念",
            "III. China's Vision",
        );
        assert!(issues(&check, &wrong)[0].message.contains("another number"));
        let none = heading(
            "cn-paren",
            "（三）合作方式更加丰富",
            "More Diverse Forms of Cooperation",
        );
        assert!(
            issues(&check, &none)[0]
                .message
                .contains("not carried over")
        );
        let letters = Structure::new("en", None, Some(Scheme::Letter));
        assert!(
            issues(
                &letters,
                &heading(
                    "cn-paren",
                    "（三）合作方式更加丰富",
                    "(c) More Diverse Forms"
                )
            )
            .is_empty()
        );
        assert!(Scheme::parse("cn_paren", "greek").is_err());
    }

    #[test]
    fn with_any_the_majority_scheme_is_expected() {
        let mut check = Structure::new("en", None, None);
        let items = [
            heading(
                "cn-comma",
                "一、构建人类命运共同体理念",
                "I. The Vision of a Community",
            ),
            heading(
                "cn-comma",
                "二、新时代中国国际发展合作的理念",
                "II. China's Vision",
            ),
            heading(
                "cn-comma",
                "三、推动共建“一带一路”高质量发展",
                "3. Promoting the Belt and Road",
            ),
        ];
        check.learn(&items);
        assert!(issues(&check, &items[0]).is_empty());
        let found = issues(&check, &items[2]);
        assert!(found[0].message.contains("III"), "{found:?}");
    }

    #[test]
    fn list_items_keep_a_marker() {
        let check = Structure::new("en", None, None);
        let mut li = item("——援建成套项目。", "– Building complete projects.");
        li.role = Some(Role::ListItem);
        assert!(issues(&check, &li).is_empty());
        li.target = "Building complete projects.";
        assert_eq!(issues(&check, &li).len(), 1);
        li.first = false;
        assert!(issues(&check, &li).is_empty());
    }

    #[test]
    fn a_toc_entry_equals_its_heading() {
        let check = Structure::new("en", None, None);
        let mut toc = item("前言", "Preface");
        toc.role = Some(Role::TocEntry);
        toc.linked_target = Some("Preface");
        assert!(issues(&check, &toc).is_empty());
        toc.linked_target = Some("Foreword");
        assert!(issues(&check, &toc)[0].message.contains("Foreword"));
        toc.linked_target = Some("");
        assert!(issues(&check, &toc).is_empty());
    }

    #[test]
    fn numerals() {
        assert_eq!(chinese_number("十二"), Some(12));
        assert_eq!(chinese_number("二十"), Some(20));
        assert_eq!(parse_roman("xiv"), Some(14));
        assert_eq!(roman(9), "IX");
        assert_eq!(parse_roman("IIII"), None);
        assert_eq!(parse_roman("LXI"), None);
        // Every token the heading prefix admits reads as the canonical numeral it spells.
        let mut level = vec![String::new()];
        let mut tokens = Vec::new();
        for _ in 0..6 {
            level = level
                .iter()
                .flat_map(|t| "IVXl".chars().map(move |c| format!("{t}{c}")))
                .collect();
            tokens.extend(level.iter().cloned());
        }
        for t in &tokens {
            let canonical = (1..=60).find(|&n| roman(n).eq_ignore_ascii_case(t));
            assert_eq!(parse_roman(t), canonical, "{t}");
        }
    }
}
