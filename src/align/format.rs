//! Reading one-sentence-per-line files and writing alignments, for the research mode of
//! `duiyi align --src FILE --tgt FILE --one-sentence-per-line`.

use std::io::{self, Write};
use std::path::Path;
use std::str::FromStr;

use super::{AlignError, Bead, Language};

/// How an alignment is printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// One bead per line, `[i,...]:[j,...]` with 0-based indices (the evaluation format).
    #[default]
    Beads,
    /// One bead per line: source text, target text and confidence, separated by tabs.
    Tsv,
    /// A TMX 1.4b translation memory: one translation unit per bead with both sides (beads
    /// with an empty side are left out), the bead and its confidence as properties.
    Tmx,
}

impl FromStr for Format {
    type Err = AlignError;

    fn from_str(name: &str) -> Result<Format, AlignError> {
        match name {
            "beads" => Ok(Format::Beads),
            "tsv" => Ok(Format::Tsv),
            "tmx" => Ok(Format::Tmx),
            _ => Err(AlignError::UnknownFormat(name.to_owned())),
        }
    }
}

/// Reads a file of one sentence per line. Every line is a sentence, empty ones included, so
/// indices match line numbers minus one; a final line break does not start another sentence.
/// A carriage return before a line break is dropped.
pub fn read_sentences(path: &Path) -> Result<Vec<String>, AlignError> {
    let bytes = std::fs::read(path).map_err(|source| AlignError::Read {
        path: path.to_owned(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        AlignError::InvalidUtf8 {
            path: path.to_owned(),
            line: valid.split(|&b| b == b'\n').count(),
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text
        .lines()
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_owned())
        .collect())
}

/// Writes `beads` in `format`; `src` and `tgt` are the sentences (needed for TSV), joined
/// within a bead with no space for Chinese and one space otherwise.
pub fn write_alignment(
    out: &mut dyn Write,
    beads: &[Bead],
    format: Format,
    src: (&[&str], &Language),
    tgt: (&[&str], &Language),
) -> io::Result<()> {
    let join = |side: (&[&str], &Language), indices: &[usize]| -> String {
        let sep = if *side.1 == Language::Chinese {
            ""
        } else {
            " "
        };
        indices
            .iter()
            .filter_map(|&i| side.0.get(i))
            .map(|s| s.trim().replace('\t', " "))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match format {
        Format::Beads => {
            for bead in beads {
                writeln!(out, "{bead}")?;
            }
            Ok(())
        }
        Format::Tsv => {
            for bead in beads {
                let (s, t) = (join(src, &bead.src), join(tgt, &bead.tgt));
                writeln!(out, "{s}\t{t}\t{:.3}", bead.confidence)?;
            }
            Ok(())
        }
        Format::Tmx => write_tmx(out, beads, (src.1, tgt.1), |bead| {
            (join(src, &bead.src), join(tgt, &bead.tgt))
        }),
    }
}

fn write_tmx(
    out: &mut dyn Write,
    beads: &[Bead],
    languages: (&Language, &Language),
    texts: impl Fn(&Bead) -> (String, String),
) -> io::Result<()> {
    use quick_xml::escape::escape;
    let (src_lang, tgt_lang) = (languages.0.to_string(), languages.1.to_string());
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tmx version="1.4">"#)?;
    writeln!(
        out,
        r#"  <header creationtool="duiyi" creationtoolversion="{}" segtype="sentence" o-tmf="duiyi" adminlang="en" srclang="{}" datatype="plaintext"/>"#,
        env!("CARGO_PKG_VERSION"),
        escape(src_lang.as_str())
    )?;
    writeln!(out, "  <body>")?;
    for bead in beads
        .iter()
        .filter(|b| !b.src.is_empty() && !b.tgt.is_empty())
    {
        let (s, t) = texts(bead);
        writeln!(out, "    <tu>")?;
        writeln!(out, r#"      <prop type="x-duiyi-bead">{bead}</prop>"#)?;
        writeln!(
            out,
            r#"      <prop type="x-duiyi-confidence">{:.3}</prop>"#,
            bead.confidence
        )?;
        for (lang, text) in [(&src_lang, s), (&tgt_lang, t)] {
            writeln!(
                out,
                r#"      <tuv xml:lang="{}"><seg>{}</seg></tuv>"#,
                escape(lang.as_str()),
                escape(text.as_str())
            )?;
        }
        writeln!(out, "    </tu>")?;
    }
    writeln!(out, "  </body>")?;
    writeln!(out, "</tmx>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_line_and_reports_bad_utf8_by_line() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good.txt");
        std::fs::write(&good, "\u{feff}一。\r\n\n三。\n").unwrap();
        assert_eq!(read_sentences(&good).unwrap(), vec!["一。", "", "三。"]);
        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, b"ok\nok\n\xff\n").unwrap();
        let err = read_sentences(&bad).unwrap_err();
        assert!(
            matches!(err, AlignError::InvalidUtf8 { line: 3, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("bad.txt:3"));
        let missing = read_sentences(&dir.path().join("none.txt")).unwrap_err();
        assert!(matches!(missing, AlignError::Read { .. }));
    }

    #[test]
    fn writes_beads_and_tsv() {
        let beads = vec![
            Bead {
                src: vec![0, 1],
                tgt: vec![0],
                confidence: 0.9,
            },
            Bead {
                src: vec![],
                tgt: vec![1],
                confidence: 0.1,
            },
        ];
        let src = ["甲。", "乙。"];
        let tgt = ["A and B.", "Extra."];
        let mut out = Vec::new();
        let sides = (
            (&src[..], &Language::Chinese),
            (&tgt[..], &Language::English),
        );
        write_alignment(&mut out, &beads, Format::Beads, sides.0, sides.1).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "[0,1]:[0]\n[]:[1]\n");
        let mut out = Vec::new();
        write_alignment(&mut out, &beads, "tsv".parse().unwrap(), sides.0, sides.1).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "甲。乙。\tA and B.\t0.900\n\tExtra.\t0.100\n"
        );
        assert!("xliff".parse::<Format>().is_err());
        let mut out = Vec::new();
        let tmx: Format = "tmx".parse().unwrap();
        let tgt = ["A & <B>.", "Extra."];
        let sides = (
            (&src[..], &Language::Chinese),
            (&tgt[..], &Language::English),
        );
        write_alignment(&mut out, &beads, tmx, sides.0, sides.1).unwrap();
        let xml = String::from_utf8(out).unwrap();
        assert!(
            xml.contains(r#"<tuv xml:lang="zh"><seg>甲。乙。</seg></tuv>"#),
            "{xml}"
        );
        assert!(xml.contains("<seg>A &amp; &lt;B&gt;.</seg>"), "{xml}");
        assert_eq!(
            xml.matches("<tu>").count(),
            1,
            "null beads are left out: {xml}"
        );
        assert!(xml.contains(r#"<prop type="x-duiyi-bead">[0,1]:[0]</prop>"#));
    }
}
