//! A small document with translations in three states, for the format tests.

use std::path::PathBuf;

use crate::segment::{Document, Rules, SentenceOptions};
use crate::source::Encoding;
use crate::store::record::{State, Translation};

pub(crate) const SOURCE: &str = "新时代的中国国际发展合作\n\n目录\n\n一、合作理念\n\n\n一、合作理念\n\n中国坚持和平发展。中国支持<script>alert(1)</script>合作。\n\n（一）基本原则\n\n——平等互利。\n\n注1：数据截至2020年。\n";

/// The fixture document.
pub(crate) fn document() -> Document {
    Document::from_text(
        "paper",
        &PathBuf::from("source/paper.txt"),
        Encoding::Utf8,
        SOURCE.to_string(),
        &Rules::builtin(SentenceOptions::default()),
    )
}

/// English (some reviewed, one translated, one untranslated) for the fixture.
pub(crate) fn stores() -> (Document, Vec<(String, Vec<Translation>)>) {
    let doc = document();
    let english = [
        "China's International Development Cooperation in the New Era",
        "Contents",
        "I. Principles of Cooperation",
        "I. Principles of Cooperation",
        "China stays on the path of peaceful development.",
        "China supports <script>alert(1)</script> cooperation & \"partnership\".",
        "(1) Basic Principles",
        "",
        "Note 1: data as of 2020.",
    ];
    let mut records = Vec::new();
    for (i, s) in doc.segments().enumerate() {
        let mut r = Translation::initial(s.id(), &s.segment.r#ref.to_string(), s.text());
        r.target = english.get(i).copied().unwrap_or("").to_string();
        r.state = match (r.target.is_empty(), i) {
            (true, _) => State::Initial,
            (false, 5) => State::Translated,
            (false, 8) => State::Final,
            _ => State::Reviewed,
        };
        if !r.target.is_empty() {
            r.who = Some("wang".into());
            r.when = Some("2026-11-29T13:10:00Z".into());
        }
        if i == 5 {
            r.note = Some("check <b>tone</b>".into());
        }
        records.push(r);
    }
    (doc, vec![("en".to_string(), records)])
}

/// The fixture's English as [`super::Targets`].
pub(crate) fn targets() -> Vec<super::Targets> {
    targets_of(&stores().1)
}

/// Stores as [`super::Targets`].
pub(crate) fn targets_of(stores: &[(String, Vec<Translation>)]) -> Vec<super::Targets> {
    stores
        .iter()
        .map(|(lang, records)| super::Targets::from_records(lang, records))
        .collect()
}

/// A title, a caption and a table of two rows (three cells each), the last cell untranslated.
pub(crate) fn table_stores() -> (Document, Vec<(String, Vec<Translation>)>) {
    let doc = Document::from_text(
        "table",
        &PathBuf::from("source/table.txt"),
        Encoding::Utf8,
        "江川的绿色发展\n表1　主要指标\n指标\t2019年\t2023年\n森林覆盖率（%）\t39.6\t40.8\n"
            .to_string(),
        &Rules::builtin(SentenceOptions::default()),
    );
    let english = [
        "Green Development in Jiangchuan",
        "Table 1 Main Indicators",
        "Indicator",
        "2019",
        "2023",
        "Forest coverage (%)",
        "39.6",
        "",
    ];
    let records = doc
        .segments()
        .enumerate()
        .map(|(i, s)| {
            let mut r = Translation::initial(s.id(), &s.segment.r#ref.to_string(), s.text());
            r.target = english.get(i).copied().unwrap_or("").to_string();
            if !r.target.is_empty() {
                r.state = State::Reviewed;
            }
            r
        })
        .collect();
    (doc, vec![("en".to_string(), records)])
}
