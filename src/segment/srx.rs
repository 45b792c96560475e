//! SRX 2.0 segmentation rules (the format of `OmegaT` and Okapi), read leniently.
//!
//! Real SRX files deviate from the schema (`OmegaT`'s omits `segmentsubflows`, Okapi's adds
//! `okpsrx:options`), so the reader looks only at the elements it needs, by local name, and
//! ignores the rest. Rule patterns are Java regular expressions with look-around, compiled with
//! `fancy-regex`. Applying rules follows the SRX model: at each position between characters the
//! first rule (in document order, across the language rules picked by the map rules, cascading
//! when the header says so) whose `beforebreak` matches up to the position and whose
//! `afterbreak` matches from it decides break or no-break.

use std::path::{Path, PathBuf};

use fancy_regex::Regex;
use quick_xml::events::Event;

use super::SegmentError;

/// One SRX rule.
#[derive(Debug, Clone)]
pub struct SrxRule {
    /// `break="yes"` (true) or `break="no"`.
    pub brk: bool,
    /// The `beforebreak` pattern (empty matches anywhere).
    pub before: Option<Regex>,
    /// The `afterbreak` pattern, anchored at the break position.
    pub after: Option<Regex>,
    /// Source text of the rule, for messages: `languagerule name #index`.
    pub origin: String,
}

/// A `languagerule`.
#[derive(Debug, Clone)]
pub struct LanguageRule {
    /// Its `languagerulename`.
    pub name: String,
    /// Its rules in order.
    pub rules: Vec<SrxRule>,
}

/// A parsed SRX document.
#[derive(Debug, Clone)]
pub struct Srx {
    /// `header cascade="yes"`.
    pub cascade: bool,
    /// The language rules.
    pub language_rules: Vec<LanguageRule>,
    /// The map rules: (language pattern, language rule name).
    pub maps: Vec<(Regex, String)>,
}

/// The ordered rules that apply to one language.
#[derive(Debug, Clone, Default)]
pub struct SrxRules {
    rules: Vec<SrxRule>,
}

#[derive(Default)]
struct PendingRule {
    brk: bool,
    before: String,
    after: String,
    line: usize,
}

enum Field {
    None,
    Before,
    After,
}

impl Srx {
    /// Parses SRX bytes; `path` names the file in errors.
    pub fn parse(bytes: &[u8], path: &Path) -> Result<Self, SegmentError> {
        let err = |position: usize, message: String| SegmentError::Srx {
            path: path.to_path_buf(),
            line: line_of(bytes, position),
            message,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            err(
                e.valid_up_to(),
                format!("not UTF-8 (invalid byte at offset {})", e.valid_up_to()),
            )
        })?;
        let mut reader = quick_xml::Reader::from_str(text);
        reader.config_mut().trim_text(false);
        let mut srx = Srx {
            cascade: false,
            language_rules: Vec::new(),
            maps: Vec::new(),
        };
        let mut saw_root = false;
        let mut current: Option<LanguageRule> = None;
        let mut rule: Option<PendingRule> = None;
        let mut field = Field::None;
        loop {
            let pos = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = reader
                .read_event()
                .map_err(|e| err(pos, format!("not well-formed XML: {e}")))?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let local = e.local_name();
                    let name: &str = local.as_ref();
                    let attr = |key: &str| -> Result<Option<String>, SegmentError> {
                        for a in e.attributes() {
                            let a = a.map_err(|x| err(pos, format!("bad attribute: {x}")))?;
                            let local = a.key.local_name();
                            let k: &str = local.as_ref();
                            if k == key {
                                let v = a
                                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                    .map_err(|x| err(pos, format!("bad attribute value: {x}")))?;
                                return Ok(Some(v.into_owned()));
                            }
                        }
                        Ok(None)
                    };
                    match name {
                        "srx" => saw_root = true,
                        "header" => {
                            srx.cascade = attr("cascade")?.is_some_and(|v| v == "yes");
                        }
                        "languagerule" => {
                            current = Some(LanguageRule {
                                name: attr("languagerulename")?.unwrap_or_default(),
                                rules: Vec::new(),
                            });
                        }
                        "rule" => {
                            let brk = !matches!(attr("break")?.as_deref(), Some("no"));
                            rule = Some(PendingRule {
                                brk,
                                line: line_of(bytes, pos),
                                ..PendingRule::default()
                            });
                        }
                        "beforebreak" => field = Field::Before,
                        "afterbreak" => field = Field::After,
                        "languagemap" => {
                            let pattern = attr("languagepattern")?.unwrap_or_default();
                            let target = attr("languagerulename")?.unwrap_or_default();
                            let re = Regex::new(&format!("(?i)^(?:{pattern})$")).map_err(|x| {
                                err(
                                    pos,
                                    format!("languagepattern {pattern:?} does not compile: {x}"),
                                )
                            })?;
                            srx.maps.push((re, target));
                        }
                        _ => {}
                    }
                    if matches!(event, Event::Empty(_)) {
                        field = Field::None;
                    }
                }
                Event::Text(t) => append(&mut rule, &field, &t.xml10_content()),
                Event::CData(t) => {
                    append(&mut rule, &field, &t.into_inner());
                }
                Event::GeneralRef(r) => {
                    let name = r.clone().into_inner();
                    let text = match name.as_ref() {
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "amp" => "&".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        other => match r.resolve_char_ref() {
                            Ok(Some(c)) => c.to_string(),
                            _ => return Err(err(pos, format!("unknown entity &{other};"))),
                        },
                    };
                    append(&mut rule, &field, &text);
                }
                Event::End(ref e) => match AsRef::<str>::as_ref(&e.local_name()) {
                    "beforebreak" | "afterbreak" => field = Field::None,
                    "rule" => {
                        if let (Some(r), Some(lr)) = (rule.take(), current.as_mut()) {
                            let origin = format!("{}:{} ({})", path.display(), r.line, lr.name);
                            let compile =
                                |p: &str, what: &str| -> Result<Option<Regex>, SegmentError> {
                                    if p.is_empty() {
                                        return Ok(None);
                                    }
                                    let p = java_to_rust(p);
                                    Regex::new(&p).map(Some).map_err(|x| SegmentError::Srx {
                                        path: path.to_path_buf(),
                                        line: r.line,
                                        message: format!("{what} {p:?} does not compile: {x}"),
                                    })
                                };
                            let before = compile(&r.before, "beforebreak")?;
                            let after = compile(&r.after, "afterbreak")?
                                .map(|re| {
                                    Regex::new(&format!("^(?:{})", re.as_str())).map_err(|x| {
                                        SegmentError::Srx {
                                            path: path.to_path_buf(),
                                            line: r.line,
                                            message: x.to_string(),
                                        }
                                    })
                                })
                                .transpose()?;
                            lr.rules.push(SrxRule {
                                brk: r.brk,
                                before,
                                after,
                                origin,
                            });
                        }
                    }
                    "languagerule" => {
                        if let Some(lr) = current.take() {
                            srx.language_rules.push(lr);
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        if !saw_root {
            return Err(SegmentError::Srx {
                path: path.to_path_buf(),
                line: 1,
                message: "not an SRX file: no <srx> root element".to_string(),
            });
        }
        if srx.language_rules.is_empty() {
            return Err(SegmentError::Srx {
                path: PathBuf::from(path),
                line: 1,
                message: "the SRX file has no <languagerule>".to_string(),
            });
        }
        Ok(srx)
    }

    /// The rules for `language`: those of the first matching map rule, or of every matching
    /// map rule in order when the header cascades.
    pub fn rules_for(&self, language: &str) -> SrxRules {
        let mut rules = Vec::new();
        let mut used: Vec<&str> = Vec::new();
        for (pattern, name) in &self.maps {
            if !pattern.is_match(language).unwrap_or(false) || used.contains(&name.as_str()) {
                continue;
            }
            used.push(name);
            if let Some(lr) = self.language_rules.iter().find(|lr| &lr.name == name) {
                rules.extend(lr.rules.iter().cloned());
            }
            if !self.cascade {
                break;
            }
        }
        SrxRules { rules }
    }
}

impl SrxRules {
    /// How many rules apply.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether no rule applies.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Every position (byte offset strictly inside `text`) some rule decides, with its
    /// decision (`true` = break), the first rule in order winning.
    pub fn decisions(&self, text: &str) -> Vec<(usize, bool)> {
        let mut decided: std::collections::BTreeMap<usize, bool> =
            std::collections::BTreeMap::new();
        for rule in &self.rules {
            let mut candidates: Vec<usize> = Vec::new();
            match &rule.before {
                Some(before) => {
                    let mut at = 0;
                    while at <= text.len() {
                        let Ok(Some(m)) = before.find_from_pos(text, at) else {
                            break;
                        };
                        candidates.push(m.end());
                        at = if m.end() > m.start() {
                            m.end()
                        } else {
                            next_boundary(text, m.end())
                        };
                    }
                }
                None => candidates.extend(text.char_indices().map(|(i, _)| i)),
            }
            for p in candidates {
                if p == 0 || p >= text.len() || decided.contains_key(&p) {
                    continue;
                }
                let after_ok = rule
                    .after
                    .as_ref()
                    .is_none_or(|a| a.is_match(&text[p..]).unwrap_or(false));
                if after_ok {
                    decided.insert(p, rule.brk);
                }
            }
        }
        decided.into_iter().collect()
    }
}

fn next_boundary(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| at + c.len_utf8())
}

fn append(rule: &mut Option<PendingRule>, field: &Field, text: &str) {
    if let Some(r) = rule.as_mut() {
        match field {
            Field::Before => r.before.push_str(text),
            Field::After => r.after.push_str(text),
            Field::None => {}
        }
    }
}

/// Translates the few Java regex spellings that Rust engines spell differently.
fn java_to_rust(pattern: &str) -> String {
    pattern
        .replace("\\p{javaLowerCase}", "\\p{Ll}")
        .replace("\\p{javaUpperCase}", "\\p{Lu}")
        .replace("\\p{Alpha}", "\\p{Alphabetic}")
        .replace("\\p{L1}", "\\p{Ll}")
}

fn line_of(bytes: &[u8], position: usize) -> usize {
    let end = position.min(bytes.len());
    bytes[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"<?xml version="1.0"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="yes"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Chinese">
        <rule break="no"><beforebreak>等。</beforebreak><afterbreak></afterbreak></rule>
        <rule break="yes"><beforebreak>[。；]</beforebreak><afterbreak>.</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules><languagemap languagepattern="zh.*" languagerulename="Chinese"/></maprules>
  </body>
</srx>"#;

    #[test]
    fn minimal_srx_decides_breaks() {
        let srx = Srx::parse(MINIMAL.as_bytes(), Path::new("m.srx")).unwrap();
        let rules = srx.rules_for("zh-CN");
        assert_eq!(rules.len(), 2);
        let text = "甲；乙等。丙。丁";
        let d = rules.decisions(text);
        assert_eq!(d, [(6, true), (15, false), (21, true)]);
        assert!(srx.rules_for("en").is_empty());
    }

    #[test]
    fn omegat_default_rules_load() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/schemas/srx/defaultRules.srx");
        let bytes = std::fs::read(&path).unwrap();
        let srx = Srx::parse(&bytes, &path).unwrap();
        assert!(srx.cascade);
        assert!(srx.language_rules.len() > 10);
        let zh = srx.rules_for("zh");
        assert!(zh.len() >= 3, "Chinese + cascaded default rules");
        let d = zh.decisions("中国是发展中国家。“你好。”再见");
        assert!(d.contains(&(27, true)), "{d:?}");
        assert!(d.contains(&(39, false)), "no break between 。 and ”: {d:?}");
    }

    #[test]
    fn malformed_srx_names_file_and_line() {
        let bad = "<srx>\n<body>\n<languagerule languagerulename=\"x\">\n<rule><beforebreak>(</beforebreak></rule>\n</languagerule></body></srx>";
        let err = Srx::parse(bad.as_bytes(), Path::new("bad.srx")).unwrap_err();
        assert!(err.to_string().starts_with("bad.srx:4:"), "{err}");
        let broken = "<srx><body></srx>";
        assert!(Srx::parse(broken.as_bytes(), Path::new("b.srx")).is_err());
        let not_srx = "<html><body/></html>";
        let err = Srx::parse(not_srx.as_bytes(), Path::new("n.srx")).unwrap_err();
        assert!(err.to_string().contains("no <srx> root"), "{err}");
        assert!(Srx::parse(b"\xff\xfe garbage", Path::new("g.srx")).is_err());
    }
}
