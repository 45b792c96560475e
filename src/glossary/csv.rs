//! CSV import and export, for spreadsheets.
//!
//! The columns and their order are the TSV file's ([`super::tsv::HEADER`]), with a header row,
//! RFC 4180 quoting and UTF-8. On import the header row is required, columns are found by
//! name, `source` and `target` are required and the other columns are optional (a sheet of
//! two columns is a list of proposals); a row with a different number of fields than the
//! header is an error naming the line.

use std::path::Path;

use super::tsv::{case_word, parse_case, split_list};
use super::{Glossary, GlossaryError, Status, Term, read_limited};

const COLUMNS: [&str; 9] = [
    "source",
    "target",
    "comment",
    "status",
    "forbidden",
    "variants",
    "case",
    "by",
    "at",
];

/// Renders the glossary as CSV text.
pub fn render(glossary: &Glossary) -> Result<String, GlossaryError> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let invalid = |e: ::csv::Error| GlossaryError::Invalid(format!("cannot write CSV: {e}"));
    writer.write_record(COLUMNS).map_err(invalid)?;
    for term in glossary.terms() {
        term.validate()?;
        let forbidden = term.forbidden.join("|");
        let variants = term.variants.join("|");
        writer
            .write_record([
                term.source.as_str(),
                &term.target,
                &term.comment,
                term.status.as_str(),
                &forbidden,
                &variants,
                case_word(term.case_sensitive),
                &term.by,
                &term.at,
            ])
            .map_err(invalid)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| GlossaryError::Invalid(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| GlossaryError::Invalid(format!("cannot write CSV: {e}")))
}

/// Reads a CSV file.
pub fn read(path: &Path, lang: &str) -> Result<Glossary, GlossaryError> {
    let text = read_limited(path)?;
    parse(&text, lang, path)
}

/// Parses CSV text; `file` names the input in error messages.
pub fn parse(text: &str, lang: &str, file: &Path) -> Result<Glossary, GlossaryError> {
    super::check_size(file, text.len())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let error = |e: &::csv::Error| {
        let line = e
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        let message = match e.kind() {
            ::csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("expected {expected_len} fields like the header row, found {len}"),
            _ => e.to_string(),
        };
        GlossaryError::malformed(file, line.max(1), message)
    };
    let headers = reader.headers().map_err(|e| error(&e))?.clone();
    let mut index = [None; 9];
    for (i, name) in headers.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == name) {
            Some(col) if index[col].is_none() => index[col] = Some(i),
            Some(_) => {
                return Err(GlossaryError::malformed(
                    file,
                    1,
                    format!("column {name:?} appears twice"),
                ));
            }
            None => {
                return Err(GlossaryError::malformed(
                    file,
                    1,
                    format!(
                        "unknown column {name:?}; known columns: {}",
                        COLUMNS.join(", ")
                    ),
                ));
            }
        }
    }
    if index[0].is_none() || index[1].is_none() {
        return Err(GlossaryError::malformed(
            file,
            1,
            "the header row must name at least the columns source and target",
        ));
    }
    let mut glossary = Glossary::new(lang);
    for record in reader.records() {
        let record = record.map_err(|e| error(&e))?;
        let line = record
            .position()
            .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
        let field = |col: usize| index[col].and_then(|i| record.get(i)).unwrap_or("");
        let malformed = |message: String| GlossaryError::malformed(file, line, message);
        let status = match field(3) {
            "" => Status::Proposed,
            s => s
                .parse()
                .map_err(|e: GlossaryError| malformed(e.to_string()))?,
        };
        let term = Term {
            source: field(0).to_owned(),
            target: field(1).to_owned(),
            comment: field(2).to_owned(),
            status,
            forbidden: split_list(field(4)),
            variants: split_list(field(5)),
            case_sensitive: parse_case(field(6)).map_err(malformed)?,
            by: field(7).to_owned(),
            at: field(8).to_owned(),
        };
        glossary
            .push_checked(term)
            .map_err(|e| malformed(e.to_string()))?;
    }
    Ok(glossary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn file() -> &'static Path {
        Path::new("terms.csv")
    }

    #[test]
    fn two_column_sheets_are_proposals() {
        let g = parse("source,target\n一带一路,Belt and Road Initiative\n\"南南合作\",\"South-South cooperation, the\"\n", "en", file()).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g.terms()[1].target, "South-South cooperation, the");
        assert_eq!(g.terms()[1].status, Status::Proposed);
    }

    #[test]
    fn wrong_field_count_names_the_line() {
        let err = parse("source,target\na,b\nc,d,e\n", "en", file())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("terms.csv:3: expected 2 fields"), "{err}");
    }

    #[test]
    fn unknown_status_and_missing_columns_are_errors() {
        let err = parse("source,target,status\na,b,ok\n", "en", file())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("terms.csv:2: unknown status"), "{err}");
        let err = parse("source,comment\na,b\n", "en", file())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("at least the columns source and target"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_approved_rendering_is_an_error() {
        let err = parse(
            "source,target,status\na,b,approved\na,c,approved\n",
            "en",
            file(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("terms.csv:3:"), "{err}");
    }

    #[test]
    fn huge_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        std::fs::File::create(&path)
            .unwrap()
            .set_len(crate::glossary::MAX_FILE_BYTES + 1)
            .unwrap();
        let err = read(&path, "en").unwrap_err();
        assert!(matches!(err, GlossaryError::TooLarge { .. }), "{err}");
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            let _ = parse(&text, "en", file());
        }

        #[test]
        fn render_then_parse_is_identity(terms in crate::glossary::strategy::glossary()) {
            let g = Glossary::from_terms("en", terms).unwrap();
            let text = render(&g).unwrap();
            prop_assert_eq!(parse(&text, "en", file()).unwrap(), g);
        }
    }
}
