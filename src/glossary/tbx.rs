//! TBX import and export (TBX-Basic).
//!
//! # Which TBX
//!
//! Export writes **TBX v2** (ISO 30042:2008, root `<martif type="TBX-Basic">`): it is what
//! `OmegaT` reads (its `tbx.xsd` describes exactly this structure), what most CAT tools import,
//! and TBX-Basic v2 has an integrated RELAX NG schema that checks the structure *and* the
//! TBX-Basic data categories with xmllint alone. TBX v3's current TBX-Basic (1.2.1) puts its
//! data-category rules in an XSLT 2 Schematron that xmllint cannot run. Import reads both v2
//! (`martif/termEntry/langSet/tig`) and v3 (`tbx/conceptEntry/langSec/termSec`).
//!
//! # Mapping
//!
//! One `termEntry` per source term; a `langSet` for the source language holding the term
//! and its accepted variants, and one for the glossary's language holding one `tig` per
//! rendering. Our status goes to `termNote type="administrativeStatus"`:
//!
//! | duiyi status | TBX-Basic administrativeStatus | display name |
//! |---|---|---|
//! | approved | `preferredTerm-admn-sts` | preferred |
//! | proposed | `admittedTerm-admn-sts` | admitted |
//! | deprecated | `deprecatedTerm-admn-sts` | not recommended |
//! | rejected | `supersededTerm-admn-sts` | obsolete |
//! | forbidden variant | `deprecatedTerm-admn-sts` on its own `tig`, id `t<entry id>-f<n>` | not recommended |
//!
//! On import a `tig` without status is proposed, and the display names (preferred, admitted,
//! notRecommended, obsolete) are accepted too. The comment is the `tig`'s `note`; who and
//! when are a `transacGrp` (`transactionType` modification, `responsibility`, `date`).
//!
//! # What TBX cannot carry
//!
//! TBX-Basic's `date` is a calendar date, so the time of day of `at` is lost (import gives
//! `YYYY-MM-DD`), and it has no data category for case sensitivity, so `case` is lost.
//! Everything else survives export → import unchanged. Source variants and forbidden
//! variants are tied to their rendering by `tig` ids (`t<id>-v<n>`, `t<id>-f<n>`); in files
//! from other tools, extra source-language terms are variants of every rendering and a
//! deprecated target term is a deprecated rendering.

use std::fmt::Write as _;
use std::path::Path;

use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

use super::{Glossary, GlossaryError, Status, Term, read_limited};
use crate::exchange::xml::{attr, line_and_column};

fn admin_status(status: Status) -> &'static str {
    match status {
        Status::Approved => "preferredTerm-admn-sts",
        Status::Proposed => "admittedTerm-admn-sts",
        Status::Deprecated => "deprecatedTerm-admn-sts",
        Status::Rejected => "supersededTerm-admn-sts",
    }
}

fn parse_admin_status(value: &str) -> Option<Status> {
    match value.trim() {
        "preferredTerm-admn-sts" | "preferred" => Some(Status::Approved),
        "admittedTerm-admn-sts" | "admitted" => Some(Status::Proposed),
        "deprecatedTerm-admn-sts" | "notRecommended" | "deprecated" => Some(Status::Deprecated),
        "supersededTerm-admn-sts" | "obsolete" | "superseded" => Some(Status::Rejected),
        _ => None,
    }
}

/// Whether `at` starts with a valid calendar date `YYYY-MM-DD`; returns it.
fn calendar_date(at: &str) -> Option<&str> {
    let date = at.get(..10)?;
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: u32 = date[..4].parse().ok()?;
    let month: u32 = date[5..7].parse().ok()?;
    let day: u32 = date[8..10].parse().ok()?;
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (date[..4].bytes().all(|c| c.is_ascii_digit()) && (1..=days).contains(&day)).then_some(date)
}

/// Renders the glossary as a TBX-Basic v2 document; `source_lang` is the source language
/// (`zh` for duiyi projects).
pub fn render(glossary: &Glossary, source_lang: &str) -> Result<String, GlossaryError> {
    let mut out = String::new();
    let lang = escape(glossary.lang());
    let src = escape(source_lang);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <martif type=\"TBX-Basic\" xml:lang=\"{src}\">\n  <martifHeader>\n    \
         <fileDesc><sourceDesc><p>duiyi glossary ({src} → {lang})</p></sourceDesc></fileDesc>\n    \
         <encodingDesc><p type=\"XCSURI\">TBXBasicXCSV02.xcs</p></encodingDesc>\n  \
         </martifHeader>\n  <text>\n    <body>\n"
    );
    // Group renderings by source term, in order of first appearance.
    let mut sources: Vec<&str> = Vec::new();
    for term in glossary.terms() {
        term.validate()?;
        if !sources.contains(&term.source.as_str()) {
            sources.push(&term.source);
        }
    }
    for (n, source) in sources.iter().enumerate() {
        let rows: Vec<&Term> = glossary.by_source(source).collect();
        let _ = writeln!(out, "      <termEntry id=\"e{}\">", n + 1);
        let _ = write!(
            out,
            "        <langSet xml:lang=\"{src}\">\n          <tig><term>{}</term></tig>\n",
            escape(*source)
        );
        for row in &rows {
            for (k, variant) in row.variants.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "          <tig id=\"t{}-v{}\"><term>{}</term></tig>",
                    row.id(),
                    k + 1,
                    escape(variant.as_str())
                );
            }
        }
        let _ = writeln!(
            out,
            "        </langSet>\n        <langSet xml:lang=\"{lang}\">"
        );
        for row in &rows {
            let _ = write!(
                out,
                "          <tig id=\"t{}\"><term>{}</term><termNote type=\"administrativeStatus\">{}</termNote>",
                row.id(),
                escape(row.target.as_str()),
                admin_status(row.status)
            );
            let date = calendar_date(&row.at);
            if !row.by.is_empty() || date.is_some() {
                out.push_str(
                    "<transacGrp><transac type=\"transactionType\">modification</transac>",
                );
                if !row.by.is_empty() {
                    let _ = write!(
                        out,
                        "<transacNote type=\"responsibility\">{}</transacNote>",
                        escape(row.by.as_str())
                    );
                }
                if let Some(date) = date {
                    let _ = write!(out, "<date>{date}</date>");
                }
                out.push_str("</transacGrp>");
            }
            if !row.comment.is_empty() {
                let _ = write!(out, "<note>{}</note>", escape(row.comment.as_str()));
            }
            out.push_str("</tig>\n");
            for (k, variant) in row.forbidden.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "          <tig id=\"t{}-f{}\"><term>{}</term><termNote type=\"administrativeStatus\">deprecatedTerm-admn-sts</termNote><note>forbidden</note></tig>",
                    row.id(),
                    k + 1,
                    escape(variant.as_str())
                );
            }
        }
        out.push_str("        </langSet>\n      </termEntry>\n");
    }
    out.push_str("    </body>\n  </text>\n</martif>\n");
    Ok(out)
}

/// Reads a TBX file into the glossary of `lang`.
pub fn read(path: &Path, lang: &str, source_lang: &str) -> Result<Glossary, GlossaryError> {
    let text = read_limited(path)?;
    parse(&text, lang, source_lang, path)
}

/// One term of a langSet as read.
#[derive(Debug, Default)]
struct Tig {
    id: Option<String>,
    term: String,
    status: Option<Status>,
    note: Option<String>,
    by: Option<String>,
    date: Option<String>,
}

#[derive(Debug)]
struct LangSet {
    lang: String,
    tigs: Vec<Tig>,
}

/// Which text is being collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Term,
    Status,
    Note,
    By,
    Date,
    Ignored,
}

/// Parses TBX text (v2 or v3); `file` names the input in error messages.
#[expect(
    clippy::too_many_lines,
    reason = "one event loop over the XML; splitting it scatters the state machine"
)]
pub fn parse(
    text: &str,
    lang: &str,
    source_lang: &str,
    file: &Path,
) -> Result<Glossary, GlossaryError> {
    super::check_size(file, text.len())?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let at = |position: u64, message: String| {
        let (line, column) = line_and_column(text, position);
        GlossaryError::malformed(file, line, format!("column {column}: {message}"))
    };
    let mut glossary = Glossary::new(lang);
    let mut stack: Vec<String> = Vec::new();
    let mut root_seen = false;
    let mut entry: Option<(u64, Vec<LangSet>)> = None;
    let mut field = Field::Ignored;
    let mut field_depth = 0;
    let mut buffer = String::new();
    let mut term_note_type: Option<String> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| at(reader.error_position(), format!("not well-formed XML: {e}")))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                let name = start.name().as_ref().to_owned();
                if !root_seen {
                    root_seen = true;
                    if name != "martif" && name != "tbx" {
                        return Err(at(
                            position,
                            format!(
                                "not a TBX file: the root element is <{name}>, expected <martif> (TBX v2) or <tbx> (TBX v3)"
                            ),
                        ));
                    }
                }
                match name.as_str() {
                    "termEntry" | "conceptEntry" => entry = Some((position, Vec::new())),
                    "langSet" | "langSec" => {
                        let lang = attr(start, "xml:lang").map_err(|e| at(position, e))?;
                        if let Some((_, sets)) = entry.as_mut() {
                            sets.push(LangSet {
                                lang: lang.unwrap_or_default(),
                                tigs: Vec::new(),
                            });
                        }
                    }
                    "tig" | "termSec" | "ntig" => {
                        let id = attr(start, "id").map_err(|e| at(position, e))?;
                        if let Some(set) = entry.as_mut().and_then(|(_, sets)| sets.last_mut()) {
                            set.tigs.push(Tig {
                                id,
                                ..Tig::default()
                            });
                        }
                    }
                    _ => {}
                }
                if field == Field::Ignored && !is_empty {
                    let next = match name.as_str() {
                        "term" => Field::Term,
                        "termNote" => {
                            term_note_type = attr(start, "type").map_err(|e| at(position, e))?;
                            Field::Status
                        }
                        "note" => Field::Note,
                        "transacNote" => Field::By,
                        "date" => Field::Date,
                        _ => Field::Ignored,
                    };
                    if next != Field::Ignored {
                        field = next;
                        field_depth = stack.len() + 1;
                        buffer.clear();
                    }
                }
                if !is_empty {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if field != Field::Ignored && stack.len() + 1 == field_depth {
                    let tig = entry
                        .as_mut()
                        .and_then(|(_, sets)| sets.last_mut())
                        .and_then(|set| set.tigs.last_mut());
                    if let Some(tig) = tig {
                        let value = std::mem::take(&mut buffer);
                        match field {
                            Field::Term => tig.term = value,
                            Field::Status
                                if term_note_type.as_deref() == Some("administrativeStatus") =>
                            {
                                tig.status = Some(parse_admin_status(&value).ok_or_else(|| {
                                    at(position, format!("unknown administrativeStatus {value:?}"))
                                })?);
                            }
                            Field::Note => tig.note = Some(value),
                            Field::By => tig.by = Some(value),
                            Field::Date => tig.date = Some(value),
                            Field::Status | Field::Ignored => {}
                        }
                    }
                    field = Field::Ignored;
                }
                if (name == "termEntry" || name == "conceptEntry")
                    && let Some((start, sets)) = entry.take()
                {
                    let terms = entry_terms(sets, lang, source_lang).map_err(|e| at(start, e))?;
                    for term in terms {
                        glossary
                            .push_checked(term)
                            .map_err(|e| at(start, e.to_string()))?;
                    }
                }
            }
            Event::Text(t) if field != Field::Ignored => buffer.push_str(&t.xml10_content()),
            Event::CData(t) if field != Field::Ignored => buffer.push_str(&t),
            Event::GeneralRef(r) => {
                if field == Field::Ignored {
                    continue;
                }
                if let Some(c) = r
                    .resolve_char_ref()
                    .map_err(|e| at(position, e.to_string()))?
                {
                    buffer.push(c);
                } else if let Some(s) = resolve_predefined_entity(&r) {
                    buffer.push_str(s);
                } else {
                    return Err(at(position, format!("unknown entity &{};", &*r)));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root_seen {
        return Err(GlossaryError::malformed(
            file,
            1,
            "not a TBX file: no root element",
        ));
    }
    if let Some(open) = stack.last() {
        return Err(at(
            text.len() as u64,
            format!("not well-formed XML: <{open}> is not closed"),
        ));
    }
    Ok(glossary)
}

/// The entries of one termEntry for the target language `lang`.
fn entry_terms(sets: Vec<LangSet>, lang: &str, source_lang: &str) -> Result<Vec<Term>, String> {
    let mut source: Option<String> = None;
    let mut shared_variants = Vec::new();
    let mut own_variants: Vec<(String, String)> = Vec::new();
    let mut targets: Vec<Tig> = Vec::new();
    for set in sets {
        if crate::lang::covers(source_lang, &set.lang) {
            for tig in set.tigs {
                match tig.id.as_deref().and_then(|id| tagged(id, 'v')) {
                    Some(row) => own_variants.push((row.to_owned(), tig.term)),
                    None if source.is_none() => source = Some(tig.term),
                    None => shared_variants.push(tig.term),
                }
            }
        } else if crate::lang::covers(lang, &set.lang) {
            targets.extend(set.tigs);
        }
    }
    let Some(source) = source else {
        return if targets.is_empty() {
            Ok(Vec::new())
        } else {
            Err(format!(
                "a term entry has {lang} terms but no {source_lang} term"
            ))
        };
    };
    let mut terms: Vec<Term> = Vec::new();
    let mut forbidden: Vec<(String, String)> = Vec::new();
    for tig in targets {
        if let Some(row) = tig.id.as_deref().and_then(|id| tagged(id, 'f')) {
            forbidden.push((row.to_owned(), tig.term));
            continue;
        }
        terms.push(Term {
            source: source.clone(),
            target: tig.term,
            comment: tig.note.unwrap_or_default(),
            status: tig.status.unwrap_or(Status::Proposed),
            forbidden: Vec::new(),
            variants: shared_variants.clone(),
            case_sensitive: false,
            by: tig.by.unwrap_or_default(),
            at: tig.date.unwrap_or_default(),
        });
    }
    for (row, variant) in forbidden {
        let owner = terms.iter_mut().find(|t| t.id() == row);
        match owner {
            Some(term) => term.forbidden.push(variant),
            None => terms
                .iter_mut()
                .for_each(|t| t.forbidden.push(variant.clone())),
        }
    }
    for (row, variant) in own_variants {
        match terms.iter_mut().find(|t| t.id() == row) {
            Some(term) => term.variants.push(variant),
            None => terms
                .iter_mut()
                .for_each(|t| t.variants.push(variant.clone())),
        }
    }
    Ok(terms)
}

/// For an id `t<8 hex>-<kind><n>`, the 8-hex entry id.
fn tagged(id: &str, kind: char) -> Option<&str> {
    let rest = id.strip_prefix('t')?;
    let (row, tag) = rest.split_once('-')?;
    let number = tag.strip_prefix(kind)?;
    (row.len() == 8
        && row.bytes().all(|b| b.is_ascii_hexdigit())
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit()))
    .then_some(row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn file() -> &'static Path {
        Path::new("terms.tbx")
    }

    fn sample() -> Glossary {
        let mut a = Term::proposed(
            "一带一路",
            "Belt and Road Initiative",
            "official; “name” & <tag>",
            "li",
            "2026-11-29",
        );
        a.status = Status::Approved;
        a.forbidden = vec!["One Belt, One Road".into(), "OBOR".into()];
        a.variants = vec!["一帶一路".into()];
        let mut b = Term::proposed("一带一路", "Belt & Road", "", "", "");
        b.status = Status::Deprecated;
        let c = Term::proposed(
            "南南合作",
            "South-South cooperation",
            "",
            "wang",
            "2026-02-28",
        );
        let mut d = Term::proposed(
            "南南合作",
            "south south collaboration",
            "",
            "wang",
            "2026-02-28",
        );
        d.status = Status::Rejected;
        Glossary::from_terms("en", vec![a, b, c, d]).unwrap()
    }

    #[test]
    fn export_then_import_keeps_everything_tbx_carries() {
        let g = sample();
        let text = render(&g, "zh").unwrap();
        assert_eq!(parse(&text, "en", "zh", file()).unwrap(), g);
    }

    #[test]
    fn export_is_pinned() {
        insta::assert_snapshot!(render(&sample(), "zh").unwrap());
    }

    #[test]
    fn reads_the_shared_sample_and_v3() {
        let v2 = r#"<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="zh"><martifHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></martifHeader>
<text><body><termEntry id="c1">
<langSet xml:lang="zh-CN"><tig><term>人类命运共同体</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
<langSet xml:lang="en"><tig><term>community with a shared future for mankind</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
<langSet xml:lang="de"><tig><term>Schicksalsgemeinschaft</term></tig></langSet>
</termEntry>
<termEntry id="c2"><langSet xml:lang="de"><tig><term>nur deutsch</term></tig></langSet></termEntry>
</body></text></martif>"#;
        let g = parse(v2, "en", "zh", file()).unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!(g.terms()[0].status, Status::Proposed);
        let v3 = r#"<?xml version="1.0"?><tbx type="TBX-Basic" style="dca" xml:lang="zh" xmlns="urn:iso:std:iso:30042:ed-2">
<tbxHeader><fileDesc><sourceDesc><p>x</p></sourceDesc></fileDesc></tbxHeader><text><body>
<conceptEntry id="c1"><langSec xml:lang="zh"><termSec><term>一带一路</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>Belt and Road Initiative</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec></conceptEntry>
</body></text></tbx>"#;
        let g = parse(v3, "en", "zh", file()).unwrap();
        assert_eq!(g.terms()[0].status, Status::Approved);
    }

    #[test]
    fn entities_split_across_events_are_joined() {
        let text = r#"<martif type="TBX-Basic" xml:lang="zh"><text><body><termEntry>
<langSet xml:lang="zh"><tig><term>一带一路</term></tig></langSet>
<langSet xml:lang="en"><tig><term>Belt &amp; Road &#x49;nitiative &lt;BRI&gt;</term></tig></langSet>
</termEntry></body></text></martif>"#;
        let g = parse(text, "en", "zh", file()).unwrap();
        assert_eq!(g.terms()[0].target, "Belt & Road Initiative <BRI>");
    }

    #[test]
    fn non_tbx_and_malformed_xml_are_errors_with_positions() {
        let err = parse("<?xml version=\"1.0\"?>\n<xliff/>", "en", "zh", file())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("terms.tbx:2: column 1: not a TBX file"),
            "{err}"
        );
        let err = parse("<martif>\n<text><body></text>", "en", "zh", file())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("terms.tbx:2:") && err.contains("not well-formed"),
            "{err}"
        );
        let err = parse("<martif><text>", "en", "zh", file())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not closed") || err.contains("not well-formed"),
            "{err}"
        );
        let err = parse("plain text", "en", "zh", file())
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a TBX file"), "{err}");
        let err = parse("<martif><text><body><termEntry><langSet xml:lang=\"zh\"><tig><term>a</term></tig></langSet><langSet xml:lang=\"en\"><tig><term>b</term><termNote type=\"administrativeStatus\">good</termNote></tig></langSet></termEntry></body></text></martif>", "en", "zh", file()).unwrap_err().to_string();
        assert!(err.contains("unknown administrativeStatus"), "{err}");
    }

    #[test]
    fn two_preferred_terms_for_one_concept_are_an_error() {
        let text = r#"<martif type="TBX-Basic" xml:lang="zh"><text><body>
<termEntry><langSet xml:lang="zh"><tig><term>一带一路</term></tig></langSet>
<langSet xml:lang="en"><tig><term>A</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
<tig><term>B</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
</termEntry></body></text></martif>"#;
        let err = parse(text, "en", "zh", file()).unwrap_err().to_string();
        assert!(
            err.starts_with("terms.tbx:2:") && err.contains("already has the approved"),
            "{err}"
        );
    }

    #[test]
    fn huge_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.tbx");
        std::fs::File::create(&path)
            .unwrap()
            .set_len(crate::glossary::MAX_FILE_BYTES + 1)
            .unwrap();
        let err = read(&path, "en", "zh").unwrap_err();
        assert!(
            err.to_string().contains("limit for a glossary file"),
            "{err}"
        );
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            let _ = parse(&text, "en", "zh", file());
        }

        #[test]
        fn arbitrary_markup_never_panics(parts in proptest::collection::vec(prop::sample::select(vec![
            "<martif>", "</martif>", "<text>", "<body>", "</body>", "<termEntry>", "</termEntry>",
            "<langSet xml:lang=\"zh\">", "<langSet xml:lang=\"en\">", "</langSet>", "<tig id=\"t0123abcd-f1\">", "<tig>", "</tig>",
            "<term>", "</term>", "a", "&amp;", "&#0;", "&bogus;", "<termNote type=\"administrativeStatus\">", "</termNote>",
            "preferred", "<note/>", "<![CDATA[x]]>", "<!-- c -->",
        ]), 0..40)) {
            let _ = parse(&parts.concat(), "en", "zh", file());
        }

        #[test]
        fn export_then_import_is_identity_up_to_what_tbx_cannot_carry(terms in crate::glossary::strategy::glossary()) {
            let g = Glossary::from_terms("en", terms).unwrap();
            let text = render(&g, "zh").unwrap();
            let back = parse(&text, "en", "zh", file()).unwrap();
            let expected: Vec<Term> = g.terms().iter().map(|t| Term {
                case_sensitive: false,
                at: calendar_date(&t.at).unwrap_or("").to_owned(),
                ..t.clone()
            }).collect();
            // Entries come back grouped by source term.
            let mut expected_sorted = expected.clone();
            expected_sorted.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
            let mut back_sorted = back.terms().to_vec();
            back_sorted.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
            prop_assert_eq!(back_sorted, expected_sorted);
        }
    }
}
