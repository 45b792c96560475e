//! `glossary/<lang>.tsv`: the glossary file in the repository.
//!
//! Tab-separated, UTF-8, one header line, one entry per line:
//!
//! ```text
//! source → target → comment → status → forbidden → variants → case → by → at
//! ```
//!
//! (→ is a tab.)
//!
//! The first three columns are `OmegaT`'s glossary layout, so `OmegaT` (and anything that reads
//! its glossaries) uses the file as it is and ignores the rest. `forbidden` and `variants` are
//! `|`-separated lists; `case` is empty (match the target in any case) or `sensitive`. Fields
//! cannot hold tabs or line breaks, so no quoting is needed and a line is always one entry:
//! diffs and merges stay line-based. A malformed line is an error naming file and line; the
//! reader never skips or repairs a line.

use std::fmt::Write as _;
use std::path::Path;

use super::{Glossary, GlossaryError, Status, Term, read_limited};
use crate::files;

/// The header line, without its line break.
pub const HEADER: &str = "source\ttarget\tcomment\tstatus\tforbidden\tvariants\tcase\tby\tat";

const COLUMNS: usize = 9;

/// Reads the glossary file at `path` for language `lang`; a missing file is an empty glossary.
pub fn read(path: &Path, lang: &str) -> Result<Glossary, GlossaryError> {
    if !path.exists() {
        return Ok(Glossary::new(lang));
    }
    let text = read_limited(path)?;
    parse(&text, lang, path)
}

/// Parses glossary TSV text; `file` is only used in error messages.
pub fn parse(text: &str, lang: &str, file: &Path) -> Result<Glossary, GlossaryError> {
    super::check_size(file, text.len())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut glossary = Glossary::new(lang);
    let mut lines = text.split('\n').enumerate();
    let header = lines.next().map_or("", |(_, h)| h).trim_end_matches('\r');
    if header != HEADER {
        return Err(GlossaryError::malformed(
            file,
            1,
            format!(
                "the first line must be the header {:?}, found {:?}",
                HEADER,
                truncate(header)
            ),
        ));
    }
    for (index, line) in lines {
        let line_no = index + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let term =
            parse_row(line).map_err(|message| GlossaryError::malformed(file, line_no, message))?;
        glossary
            .push_checked(term)
            .map_err(|e| GlossaryError::malformed(file, line_no, e.to_string()))?;
    }
    Ok(glossary)
}

fn truncate(s: &str) -> String {
    s.chars().take(80).collect()
}

fn parse_row(line: &str) -> Result<Term, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    if fields.len() != COLUMNS {
        return Err(format!(
            "expected {COLUMNS} tab-separated columns ({}), found {}",
            HEADER.replace('\t', ", "),
            fields.len()
        ));
    }
    let status: Status = fields[3]
        .parse()
        .map_err(|e: GlossaryError| e.to_string())?;
    let case_sensitive = parse_case(fields[6])?;
    Ok(Term {
        source: fields[0].to_owned(),
        target: fields[1].to_owned(),
        comment: fields[2].to_owned(),
        status,
        forbidden: split_list(fields[4]),
        variants: split_list(fields[5]),
        case_sensitive,
        by: fields[7].to_owned(),
        at: fields[8].to_owned(),
    })
}

/// Parses the `case` column: empty or `insensitive` → false, `sensitive` → true.
pub(crate) fn parse_case(value: &str) -> Result<bool, String> {
    match value {
        "" | "insensitive" => Ok(false),
        "sensitive" => Ok(true),
        other => Err(format!(
            "unknown case {other:?}; expected empty, `sensitive` or `insensitive`"
        )),
    }
}

/// The `case` column's value.
pub(crate) fn case_word(sensitive: bool) -> &'static str {
    if sensitive { "sensitive" } else { "" }
}

/// Splits a `|`-separated list column; the empty string is the empty list.
pub(crate) fn split_list(value: &str) -> Vec<String> {
    if value.is_empty() {
        Vec::new()
    } else {
        value.split('|').map(str::to_owned).collect()
    }
}

/// Renders the glossary as TSV text (header included, one entry per line, final line break).
pub fn render(glossary: &Glossary) -> Result<String, GlossaryError> {
    let mut out = String::with_capacity(64 * (glossary.len() + 1));
    out.push_str(HEADER);
    out.push('\n');
    for term in glossary.terms() {
        term.validate()?;
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            term.source,
            term.target,
            term.comment,
            term.status,
            term.forbidden.join("|"),
            term.variants.join("|"),
            case_word(term.case_sensitive),
            term.by,
            term.at
        );
    }
    Ok(out)
}

/// Writes the glossary to `path` atomically. The caller holds the glossary lock.
pub fn write(path: &Path, glossary: &Glossary) -> Result<(), GlossaryError> {
    let text = render(glossary)?;
    files::write_atomic(path, text.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn file() -> &'static Path {
        Path::new("glossary/en.tsv")
    }

    fn sample() -> String {
        format!(
            "{HEADER}\n\
             一带一路\tBelt and Road Initiative\tofficial name\tapproved\tOne Belt, One Road|OBOR\t一帶一路\t\tli\t2026-11-29T12:00:00Z\n\
             南南合作\tSouth-South cooperation\t\tproposed\t\t\tsensitive\twang\t2026-11-29T12:01:00Z\n"
        )
    }

    #[test]
    fn reads_every_column() {
        let g = parse(&sample(), "en", file()).unwrap();
        assert_eq!(g.len(), 2);
        let t = &g.terms()[0];
        assert_eq!(t.status, Status::Approved);
        assert_eq!(t.forbidden, vec!["One Belt, One Road", "OBOR"]);
        assert_eq!(t.variants, vec!["一帶一路"]);
        assert!(!t.case_sensitive);
        assert!(g.terms()[1].case_sensitive);
        assert_eq!(render(&g).unwrap(), sample());
    }

    #[test]
    fn render_is_pinned() {
        let g = parse(&sample(), "en", file()).unwrap();
        insta::assert_snapshot!(render(&g).unwrap());
    }

    #[test]
    fn crlf_and_bom_are_accepted() {
        let text = format!("\u{feff}{}", sample().replace('\n', "\r\n"));
        assert_eq!(parse(&text, "en", file()).unwrap().len(), 2);
    }

    fn error_of(body: &str) -> String {
        parse(&format!("{HEADER}\n{body}"), "en", file())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn too_few_columns_names_file_and_line() {
        let err = error_of("a\tb\tc\tproposed\t\t\t\tli\tt\n一带一路\tBelt and Road\tc\n");
        assert!(err.starts_with("glossary/en.tsv:3: expected 9"), "{err}");
        assert!(err.contains("found 3"), "{err}");
    }

    #[test]
    fn too_many_columns_is_an_error() {
        let err = error_of("a\tb\tc\tproposed\t\t\t\tli\tt\textra\n");
        assert!(err.starts_with("glossary/en.tsv:2: expected 9"), "{err}");
        assert!(err.contains("found 10"), "{err}");
    }

    #[test]
    fn unknown_status_is_an_error() {
        let err = error_of("a\tb\tc\tfinal\t\t\t\tli\tt\n");
        assert!(err.contains(":2: unknown status \"final\""), "{err}");
    }

    #[test]
    fn duplicate_approved_rendering_is_an_error() {
        let err = error_of("a\tb\t\tapproved\t\t\t\tli\tt\na\tc\t\tapproved\t\t\t\tli\tt\n");
        assert!(
            err.starts_with("glossary/en.tsv:3: a already has the approved rendering"),
            "{err}"
        );
    }

    #[test]
    fn empty_source_is_an_error() {
        let err = error_of("\tb\t\tproposed\t\t\t\tli\tt\n");
        assert!(err.contains(":2: empty source term"), "{err}");
    }

    #[test]
    fn missing_header_is_an_error() {
        let err = parse("a\tb\tc\n", "en", file()).unwrap_err().to_string();
        assert!(
            err.starts_with("glossary/en.tsv:1: the first line must be the header"),
            "{err}"
        );
    }

    #[test]
    fn huge_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("en.tsv");
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(super::super::MAX_FILE_BYTES + 1).unwrap();
        let err = read(&path, "en").unwrap_err();
        assert!(matches!(err, GlossaryError::TooLarge { .. }), "{err}");
    }

    #[test]
    fn missing_file_is_an_empty_glossary() {
        let dir = tempfile::tempdir().unwrap();
        let g = read(&dir.path().join("glossary/en.tsv"), "en").unwrap();
        assert!(g.is_empty());
    }

    proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "\\PC*") {
            let _ = parse(&text, "en", file());
            let _ = parse(&format!("{HEADER}\n{text}"), "en", file());
        }

        #[test]
        fn arbitrary_rows_never_panic(rows in proptest::collection::vec("[a-z\t|]{0,30}", 0..8)) {
            let _ = parse(&format!("{HEADER}\n{}", rows.join("\n")), "en", file());
        }

        #[test]
        fn render_then_parse_is_identity(terms in crate::glossary::strategy::glossary()) {
            let g = Glossary::from_terms("en", terms).unwrap();
            let text = render(&g).unwrap();
            prop_assert_eq!(parse(&text, "en", file()).unwrap(), g);
        }
    }
}
