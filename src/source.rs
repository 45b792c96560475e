//! Reading source files without losing a byte.
//!
//! Chinese sources arrive as UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030/GBK.
//! Decoding is strict: an invalid byte is an error that names the file and byte offset, never a
//! replacement character. Line ends (CRLF, CR, LF) are accepted alike. Leading ideographic spaces
//! and no-break spaces are layout (paragraph indentation), kept aside from the text; a no-break
//! space inside the text (`目 录`) stays in the text and is only folded by [`normalize`], which
//! is what ids and matching use.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The character encoding of a source file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// Detect: BOM, else UTF-8, else GB18030 when the result is plausible Chinese text.
    #[default]
    Auto,
    /// UTF-8 (a BOM is allowed and dropped).
    #[serde(rename = "utf-8", alias = "utf8")]
    Utf8,
    /// UTF-16 little endian.
    #[serde(rename = "utf-16le", alias = "utf16le")]
    Utf16Le,
    /// UTF-16 big endian.
    #[serde(rename = "utf-16be", alias = "utf16be")]
    Utf16Be,
    /// GB18030, a superset of GBK and GB2312.
    #[serde(alias = "gbk", alias = "gb2312")]
    Gb18030,
}

impl Encoding {
    /// Whether this is [`Encoding::Auto`].
    pub fn is_auto(&self) -> bool {
        matches!(self, Self::Auto)
    }

    /// The name used in `duiyi.toml` and in output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Utf8 => "utf-8",
            Self::Utf16Le => "utf-16le",
            Self::Utf16Be => "utf-16be",
            Self::Gb18030 => "gb18030",
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Self::Auto | Self::Utf8 => encoding_rs::UTF_8,
            Self::Utf16Le => encoding_rs::UTF_16LE,
            Self::Utf16Be => encoding_rs::UTF_16BE,
            Self::Gb18030 => encoding_rs::GB18030,
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why bytes could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A byte sequence that is not valid in the encoding.
    #[error("invalid {encoding} at byte offset {offset} (line {line}){hint}")]
    Invalid {
        /// The encoding tried.
        encoding: Encoding,
        /// Offset of the first bad byte.
        offset: usize,
        /// The 1-based line of that byte.
        line: usize,
        /// Advice appended to the message.
        hint: &'static str,
    },
    /// A NUL byte: this is not a text file.
    #[error("binary data (NUL byte at byte offset {offset}); a source must be plain text")]
    Binary {
        /// Offset of the NUL byte.
        offset: usize,
    },
    /// Nothing but whitespace.
    #[error("the file is empty (no text to segment)")]
    Empty,
}

/// Errors reading a source file.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The file could not be read.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file could not be decoded.
    #[error("{}: {source}", .path.display())]
    Decode {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        source: DecodeError,
    },
}

/// Decoded source text and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM, line ends untouched.
    pub text: String,
    /// The encoding used.
    pub encoding: Encoding,
    /// Whether a byte order mark was present.
    pub bom: bool,
}

const AUTO_HINT: &str = "; the file is neither UTF-8 nor GB18030: convert it, or set `encoding` for this document in duiyi.toml";

const GB_HINT: &str = "; the file reads as GB18030 up to there: it may be cut short or damaged (a character broken at the end), or set `encoding` for this document in duiyi.toml";

/// Decodes `bytes`, detecting the encoding when `declared` is [`Encoding::Auto`].
pub fn decode(bytes: &[u8], declared: Encoding) -> Result<Decoded, DecodeError> {
    let (bom_encoding, bom_len) = match bytes {
        [0xEF, 0xBB, 0xBF, ..] => (Some(Encoding::Utf8), 3),
        [0xFF, 0xFE, ..] => (Some(Encoding::Utf16Le), 2),
        [0xFE, 0xFF, ..] => (Some(Encoding::Utf16Be), 2),
        _ => (None, 0),
    };
    let encoding = match (declared, bom_encoding) {
        (Encoding::Auto, Some(e)) => e,
        (Encoding::Auto, None) => return decode_detected(bytes),
        (declared, Some(bom)) if bom == declared => declared,
        (declared, _) => {
            let decoded = decode_strict(bytes, declared, "")?;
            return finish(decoded, declared, false);
        }
    };
    let body = &bytes[bom_len..];
    let text = decode_strict(body, encoding, "").map_err(|e| shift(e, bom_len))?;
    finish(text, encoding, true)
}

fn decode_detected(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    // SIMD validation and one copy cost a fraction of std's validation on Chinese text
    // (which is mostly multi-byte), and need no unsafe code.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return finish(text.to_owned(), Encoding::Utf8, false);
    }
    // std's validation again, for the offset of the first invalid byte.
    match std::str::from_utf8(bytes) {
        Ok(text) => finish(text.to_string(), Encoding::Utf8, false),
        Err(utf8_err) => {
            if let Some(offset) = memchr_nul(bytes) {
                return Err(DecodeError::Binary { offset });
            }
            let (text, failed) = decode_until_error(bytes, Encoding::Gb18030);
            let Some(gb_offset) = failed else {
                if plausible_chinese(&text) {
                    return finish(text, Encoding::Gb18030, false);
                }
                return Err(utf8_error(bytes, utf8_err.valid_up_to(), AUTO_HINT));
            };
            // A GB18030 file breaks UTF-8 at or near its first Chinese character. When GB18030
            // read plausible Chinese text further than UTF-8 read any, the file is GB18030 with
            // a bad byte (a character cut off at the end): say where that is.
            let utf8_valid = utf8_err.valid_up_to();
            let utf8_prefix = std::str::from_utf8(&bytes[..utf8_valid]).unwrap_or_default();
            if gb_offset > utf8_valid && plausible_chinese(&text) && !plausible_chinese(utf8_prefix)
            {
                return Err(DecodeError::Invalid {
                    encoding: Encoding::Gb18030,
                    offset: gb_offset,
                    line: text.matches('\n').count() + 1,
                    hint: GB_HINT,
                });
            }
            Err(utf8_error(bytes, utf8_err.valid_up_to(), AUTO_HINT))
        }
    }
}

fn finish(text: String, encoding: Encoding, bom: bool) -> Result<Decoded, DecodeError> {
    if let Some(offset) = text.find('\0') {
        // Offsets in decoded text only approximate byte offsets for non-UTF-8 input; for
        // UTF-8 they are exact.
        return Err(DecodeError::Binary { offset });
    }
    if text
        .chars()
        .all(|c| c.is_whitespace() || is_layout_space(c))
    {
        return Err(DecodeError::Empty);
    }
    Ok(Decoded {
        text,
        encoding,
        bom,
    })
}

fn shift(e: DecodeError, by: usize) -> DecodeError {
    match e {
        DecodeError::Invalid {
            encoding,
            offset,
            line,
            hint,
        } => DecodeError::Invalid {
            encoding,
            offset: offset + by,
            line,
            hint,
        },
        DecodeError::Binary { offset } => DecodeError::Binary {
            offset: offset + by,
        },
        DecodeError::Empty => DecodeError::Empty,
    }
}

/// The UTF-8 error at `valid_up_to`, with its line.
fn utf8_error(bytes: &[u8], valid_up_to: usize, hint: &'static str) -> DecodeError {
    DecodeError::Invalid {
        encoding: Encoding::Utf8,
        offset: valid_up_to,
        line: memchr::memchr_iter(b'\n', &bytes[..valid_up_to]).count() + 1,
        hint,
    }
}

/// Strict decoding that reports the byte offset and line of the first malformed sequence.
fn decode_strict(
    bytes: &[u8],
    encoding: Encoding,
    hint: &'static str,
) -> Result<String, DecodeError> {
    if encoding.is_auto() || encoding == Encoding::Utf8 {
        if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
            return Ok(text.to_owned());
        }
        return std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|e| utf8_error(bytes, e.valid_up_to(), hint));
    }
    match decode_until_error(bytes, encoding) {
        (text, None) => Ok(text),
        (text, Some(offset)) => Err(DecodeError::Invalid {
            encoding,
            offset,
            line: text.matches('\n').count() + 1,
            hint,
        }),
    }
}

/// Decodes `bytes` (in an encoding other than UTF-8) up to the first malformed sequence:
/// the text before it and its byte offset, or the whole text and `None`.
fn decode_until_error(bytes: &[u8], encoding: Encoding) -> (String, Option<usize>) {
    let mut decoder = encoding.codec().new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut out = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => (out, None),
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            let offset = read.saturating_sub(usize::from(bad) + usize::from(extra));
            (out, Some(offset))
        }
        // The buffer holds the longest possible output, so this does not happen; the offset
        // of what was read is still the truth.
        encoding_rs::DecoderResult::OutputFull => (out, Some(read)),
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

/// Whether GB18030-decoded text looks like real Chinese text rather than bytes that happen to
/// decode: mostly common Han characters, ASCII and CJK punctuation, no control characters.
fn plausible_chinese(text: &str) -> bool {
    let mut total = 0usize;
    let mut good = 0usize;
    let mut han = 0usize;
    for c in text.chars() {
        total += 1;
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            return false;
        }
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            han += 1;
            good += 1;
        } else if c.is_ascii() || is_cjk_punctuation(c) || is_layout_space(c) {
            good += 1;
        }
    }
    han > 0 && good * 100 >= total * 95
}

/// Reads and decodes the file at `path`.
pub fn read(path: &Path, declared: Encoding) -> Result<Decoded, SourceError> {
    let bytes = std::fs::read(path).map_err(|source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&bytes, declared).map_err(|source| SourceError::Decode {
        path: path.to_path_buf(),
        source,
    })
}

/// One line of a source: its number, the layout indentation, and the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// Byte offset of the line (its indentation) in the whole text.
    pub start: usize,
    /// Leading layout (ideographic spaces, no-break spaces, spaces, tabs).
    pub indent: &'a str,
    /// The text without leading layout and trailing whitespace; empty for a blank line.
    pub text: &'a str,
}

/// Splits text into lines on CRLF, CR or LF and separates indentation from text.
pub fn lines(text: &str) -> impl Iterator<Item = Line<'_>> {
    let mut rest = text;
    let mut number = 0;
    let mut start = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        number += 1;
        let line_start = start;
        let end = memchr::memchr2(b'\n', b'\r', rest.as_bytes()).unwrap_or(rest.len());
        let raw = &rest[..end];
        let skip = match rest.as_bytes().get(end) {
            Some(b'\r') if rest.as_bytes().get(end + 1) == Some(&b'\n') => 2,
            Some(_) => 1,
            None => 0,
        };
        rest = &rest[end + skip..];
        start += end + skip;
        let body = raw.trim_start_matches(is_layout_space);
        let indent = &raw[..raw.len() - body.len()];
        let text = body.trim_end_matches(|c: char| c.is_whitespace() || is_layout_space(c));
        Some(Line {
            number,
            start: line_start,
            indent,
            text,
        })
    })
}

/// Characters that are layout when they indent a paragraph.
pub fn is_layout_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200B}' | '\u{FEFF}'
    )
}

/// Whether `c` is a Han (CJK ideograph) character.
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2EBEF}'
        | '\u{30000}'..='\u{3134F}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{3007}')
}

/// Whether `c` is CJK or full-width punctuation.
pub fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF65}' | '\u{2018}'..='\u{201F}' | '\u{2026}' | '\u{2014}' | '\u{00B7}')
}

fn is_wide(c: char) -> bool {
    is_han(c) || is_cjk_punctuation(c)
}

/// Text folded for ids and matching: no-break and ideographic spaces become spaces, full-width
/// ASCII becomes ASCII, spaces between two CJK characters vanish (`目 录` → `目录`), runs of
/// whitespace collapse, ends are trimmed.
pub fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    // Most segments contain no character that normalization changes: one byte scan tells.
    if !has_foldable(text.as_bytes()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut last: Option<char> = None;
    for c in text.chars() {
        let c = fold_width(c);
        if c.is_whitespace() || is_layout_space(c) {
            pending_space = last.is_some();
            continue;
        }
        if pending_space {
            let keep = !(last.is_some_and(is_wide) && is_wide(c));
            if keep {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(c);
        last = Some(c);
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `bytes` (UTF-8) contain a character that [`normalize`] changes or drops: Unicode
/// white space, a layout space, or a full-width ASCII letter or digit. A scan of the bytes
/// without decoding: the candidates' UTF-8 forms are recognized by their lead and next bytes.
fn has_foldable(bytes: &[u8]) -> bool {
    // The bytes that can start a candidate; a table lookup per byte keeps the loop tight
    // (measured faster than a regex class or SIMD searches per lead byte on Chinese text,
    // whose frequent full-width punctuation shares lead bytes with the candidates).
    const LEAD: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0x09;
        while b <= 0x0D {
            t[b] = true;
            b += 1;
        }
        t[0x20] = true;
        t[0xC2] = true;
        t[0xE1] = true;
        t[0xE2] = true;
        t[0xE3] = true;
        t[0xEF] = true;
        t
    };
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let mut from = 0;
    while let Some(k) = bytes[from..].iter().position(|&b| LEAD[usize::from(b)]) {
        let i = from + k;
        from = i + 1;
        let hit = match bytes[i] {
            0x09..=0x0D | 0x20 => true,
            // U+0085, U+00A0
            0xC2 => matches!(at(i + 1), 0x85 | 0xA0),
            // U+1680
            0xE1 => at(i + 1) == 0x9A && at(i + 2) == 0x80,
            // U+2000–U+200B, U+2028, U+2029, U+202F, U+205F
            0xE2 => match at(i + 1) {
                0x80 => matches!(at(i + 2), 0x80..=0x8B | 0xA8 | 0xA9 | 0xAF),
                0x81 => at(i + 2) == 0x9F,
                _ => false,
            },
            // U+3000
            0xE3 => at(i + 1) == 0x80 && at(i + 2) == 0x80,
            // U+FEFF, U+FF10–U+FF19, U+FF21–U+FF3A, U+FF41–U+FF5A
            0xEF => match at(i + 1) {
                0xBB => at(i + 2) == 0xBF,
                0xBC => matches!(at(i + 2), 0x90..=0x99 | 0xA1..=0xBA),
                0xBD => matches!(at(i + 2), 0x81..=0x9A),
                _ => false,
            },
            _ => false,
        };
        if hit {
            return true;
        }
    }
    false
}

/// Maps full-width ASCII forms (`Ａ`, `１`) to ASCII; other characters are unchanged.
/// Full-width punctuation that Chinese text uses as punctuation proper (`，` `（`) is kept.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

/// The number of Han characters in `text`.
pub fn han_count(text: &str) -> usize {
    text.chars().filter(|&c| is_han(c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "中国是世界上最大的发展中国家。";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(ZH.as_bytes(), Encoding::Auto).unwrap();
        assert_eq!(
            (plain.text.as_str(), plain.encoding, plain.bom),
            (ZH, Encoding::Utf8, false)
        );
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(ZH.as_bytes());
        let d = decode(&with_bom, Encoding::Auto).unwrap();
        assert_eq!((d.text.as_str(), d.bom), (ZH, true));
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in ZH.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(
            decode(&le, Encoding::Auto).unwrap().encoding,
            Encoding::Utf16Le
        );
        assert_eq!(decode(&be, Encoding::Auto).unwrap().text, ZH);
        assert_eq!(decode(&le, Encoding::Utf16Le).unwrap().text, ZH);
    }

    #[test]
    fn gb18030_is_detected_and_can_be_forced() {
        let (bytes, _, _) = encoding_rs::GB18030.encode(ZH);
        let d = decode(&bytes, Encoding::Auto).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (ZH, Encoding::Gb18030));
        assert_eq!(decode(&bytes, Encoding::Gb18030).unwrap().text, ZH);
        // Forced UTF-8 on GB18030 bytes names the offset of the first bad byte.
        let err = decode(&bytes, Encoding::Utf8).unwrap_err();
        assert!(
            matches!(err, DecodeError::Invalid { offset: 0, .. }),
            "{err}"
        );
    }

    #[test]
    fn invalid_bytes_name_their_offset() {
        let mut bytes = "目录\n前言".as_bytes().to_vec();
        bytes.insert(7, 0xFF);
        bytes.push(0x80);
        let err = decode(&bytes, Encoding::Auto).unwrap_err();
        assert!(
            matches!(err, DecodeError::Invalid { offset: 7, .. }),
            "{err}"
        );
        let mut gb = encoding_rs::GB18030.encode("中国").0.into_owned();
        gb.extend_from_slice(&[0x81, 0x20]);
        let err = decode(&gb, Encoding::Gb18030).unwrap_err();
        assert!(
            matches!(err, DecodeError::Invalid { offset: 4, .. }),
            "{err}"
        );
    }

    #[test]
    fn a_truncated_gb18030_character_names_its_offset_and_line() {
        let mut gb = encoding_rs::GB18030.encode("中国\n发展").0.into_owned();
        let len = gb.len();
        gb.push(0xB9); // the first byte of 国, and nothing after it
        for declared in [Encoding::Auto, Encoding::Gb18030] {
            let err = decode(&gb, declared).unwrap_err();
            assert!(
                matches!(err, DecodeError::Invalid { encoding: Encoding::Gb18030, offset, line: 2, .. } if offset == len),
                "{declared}: {err}"
            );
            assert!(
                err.to_string()
                    .starts_with(&format!("invalid gb18030 at byte offset {len} (line 2)")),
                "{err}"
            );
        }
        // UTF-8 text with a bad byte is still reported as UTF-8.
        let mut utf8 = "中国\n发展\n".as_bytes().to_vec();
        utf8.push(0xE4);
        let err = decode(&utf8, Encoding::Auto).unwrap_err();
        assert!(
            matches!(
                err,
                DecodeError::Invalid {
                    encoding: Encoding::Utf8,
                    offset: 14,
                    line: 3,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert!(matches!(
            decode(b"abc\0def", Encoding::Auto),
            Err(DecodeError::Binary { offset: 3 })
        ));
        assert!(matches!(
            decode(&[0x89, b'P', b'N', b'G', 0, 0, 0xFF], Encoding::Auto),
            Err(DecodeError::Binary { .. })
        ));
        assert_eq!(decode(b"", Encoding::Auto), Err(DecodeError::Empty));
        assert_eq!(
            decode(" \u{3000}\r\n\t".as_bytes(), Encoding::Auto),
            Err(DecodeError::Empty)
        );
    }

    #[test]
    fn lines_handle_every_line_end_and_keep_indent_apart() {
        let text = "\u{3000}\u{3000}目\u{a0}录\r\n\u{3000}\u{3000}前言\r正文。 \n\n末行";
        let got: Vec<_> = lines(text).map(|l| (l.number, l.indent, l.text)).collect();
        assert_eq!(
            got,
            [
                (1, "\u{3000}\u{3000}", "目\u{a0}录"),
                (2, "\u{3000}\u{3000}", "前言"),
                (3, "", "正文。"),
                (4, "", ""),
                (5, "", "末行"),
            ]
        );
    }

    #[test]
    fn normalize_folds_spacing_and_width() {
        assert_eq!(normalize("目\u{a0}录"), "目录");
        assert_eq!(normalize("  前\u{3000}言 "), "前言");
        assert_eq!(normalize("ＵＮ  2030\u{a0}Agenda"), "UN 2030 Agenda");
        assert_eq!(normalize("联合国 2030年"), "联合国 2030年");
    }

    proptest::proptest! {
        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            for enc in [Encoding::Auto, Encoding::Utf8, Encoding::Utf16Le, Encoding::Utf16Be, Encoding::Gb18030] {
                if let Ok(d) = decode(&bytes, enc) {
                    // Nothing is replaced: UTF-16 text re-encodes to exactly the input.
                    if d.encoding == Encoding::Utf16Le {
                        let body = if d.bom { &bytes[2..] } else { &bytes[..] };
                        let again: Vec<u8> = d.text.encode_utf16().flat_map(u16::to_le_bytes).collect();
                        proptest::prop_assert_eq!(&again[..], body);
                    }
                    let _ = lines(&d.text).count();
                }
            }
        }

        #[test]
        fn utf8_text_round_trips(text in "\\PC{1,200}") {
            proptest::prop_assume!(!text.chars().all(|c| c.is_whitespace() || is_layout_space(c)));
            proptest::prop_assume!(!text.contains('\0'));
            let d = decode(text.as_bytes(), Encoding::Auto).unwrap();
            proptest::prop_assert_eq!(d.text, text);
        }

        #[test]
        fn lines_keep_every_character(text in "[a-z中。\u{3000}\u{a0} \r\n]{0,80}") {
            let kept: usize = lines(&text).map(|l| l.indent.len() + l.text.len()).sum();
            let content = text.replace(['\r', '\n'], "");
            // Only trailing whitespace of a line is dropped.
            proptest::prop_assert!(kept <= content.len());
            let non_space = |s: &str| s.chars().filter(|c| !(c.is_whitespace() || is_layout_space(*c))).count();
            let kept_non_space: usize = lines(&text).map(|l| non_space(l.text)).sum();
            proptest::prop_assert_eq!(kept_non_space, non_space(&text));
            for l in lines(&text) {
                let at = &text[l.start..];
                proptest::prop_assert!(at.starts_with(l.indent));
                proptest::prop_assert!(at[l.indent.len()..].starts_with(l.text));
            }
        }
    }

    #[test]
    fn the_byte_scan_finds_exactly_the_characters_normalization_changes() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            let changes = c.is_whitespace() || is_layout_space(c) || fold_width(c) != c;
            let s = c.encode_utf8(&mut buf);
            assert_eq!(
                has_foldable(s.as_bytes()),
                changes,
                "U+{:04X}",
                u32::from(c)
            );
            // In context too: the scan must not read across characters wrongly.
            let framed = format!("中{s}国");
            assert_eq!(
                has_foldable(framed.as_bytes()),
                changes,
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn han_counting() {
        assert_eq!(han_count("2013年至2018年，中国"), 5);
    }
}
