//! The bilingual working file of `duiyi edit`: source and target side by side, ids kept.
//!
//! ```text
//! @@ 3.2¶4.1 9f3a0c1d2e4b5a67 translated
//! zh: 中国坚持走和平发展道路。
//! en: China keeps to the path of peaceful development.
//! ```
//!
//! A block per segment; the `@@` line names it (ref for people, id for duiyi), its state, flags
//! and the base the file was made from (`base=translated:9f3a0c1d2e4b`, see
//! [`super::import`]); the source line is context, and the target line is what the translator
//! edits, on one line. Changing the state word on the `@@` line asks for that state: `initial`
//! to `translated` confirms a draft as it is (a reviewer may write `reviewed`). Lines starting
//! with `#` and blank lines are ignored. [`parse`] checks the shape of every block and names
//! the line of anything it cannot read.
//!
//! An edit is a session: [`begin`] writes the file beside the store (refusing to overwrite one
//! left by an earlier edit), the caller lets the translator edit it for as long as it takes
//! (no lock is held meanwhile), and [`finish`] applies it through the one import path
//! ([`super::import`]) in one [`super::transaction`], removing the file once everything in it
//! is settled. The file carries each segment's base, so only what the translator changed is
//! applied, and a segment someone else changed meanwhile is a conflict, not an overwrite.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::import::{self, Incoming, IncomingFile, Options, Report};
use super::record::{Base, Origin, State, Translation};
use super::{Committed, Store, StoreError};
use crate::project::{DocumentSpec, Project};

/// Starts `duiyi edit` of `spec` in `lang`: writes the working file with the live records
/// `section` and `state` select ([`Store::selection`]) and returns its path, or `None` when
/// nothing is selected. A working file left by an earlier edit is refused (finish it first).
pub fn begin(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    section: Option<&str>,
    state: Option<State>,
) -> Result<Option<PathBuf>, StoreError> {
    let path = project.working_file(lang, &spec.name);
    if path.exists() {
        return Err(StoreError::WorkingFile {
            path,
            message: format!(
                "is left from an earlier edit; run `duiyi edit {lang} --resume` to finish it, or delete it"
            ),
        });
    }
    let store = Store::open(project, spec, lang)?;
    let records = store.selection(section, state)?;
    if records.is_empty() {
        return Ok(None);
    }
    let text = render(
        &spec.name,
        project.source_language(),
        lang,
        records.iter().copied(),
    );
    crate::files::confine(project.root(), &path)?;
    crate::files::write_atomic(&path, text.as_bytes())?;
    Ok(Some(path))
}

/// The working file an earlier `duiyi edit` of `spec` in `lang` left, to apply again.
pub fn resume(project: &Project, spec: &DocumentSpec, lang: &str) -> Result<PathBuf, StoreError> {
    project.target(lang)?;
    let path = project.working_file(lang, &spec.name);
    if !path.is_file() {
        return Err(StoreError::WorkingFile {
            path,
            message: format!(
                "there is no such working file to resume; run `duiyi edit {lang}` without --resume"
            ),
        });
    }
    Ok(path)
}

/// What [`finish`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finished {
    /// The per-segment decisions.
    #[serde(flatten)]
    pub report: Report,
    /// The working file, when it is kept because something in it is not settled (conflicts,
    /// refusals): settle them and apply it again.
    pub kept: Option<PathBuf>,
}

/// Applies the working file of `spec` in `lang` as `who`: what the translator changed, with
/// conflicts settled by `options.prefer`. A file that cannot be read changes nothing and stays;
/// a clean one is removed.
pub fn finish(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    options: Options,
    who: &str,
) -> Result<Committed<Finished>, StoreError> {
    let path = project.working_file(lang, &spec.name);
    let text = std::fs::read_to_string(&path).map_err(|e| StoreError::io(&path, e))?;
    let resume = |e: StoreError| match e {
        StoreError::Exchange {
            path,
            line,
            message,
        } => StoreError::Exchange {
            path,
            line,
            message: format!(
                "{message}; fix the file and run `duiyi edit {lang} --resume`, or delete it to start over"
            ),
        },
        other => other,
    };
    let file = IncomingFile {
        path: path.clone(),
        entries: parse(&path, &text, project.source_language(), lang).map_err(resume)?,
        origin: Origin::Human,
    };
    let committed = super::transaction(project, spec, lang, who, |store| {
        import::apply(store, &file, options, who).map_err(resume)
    })?;
    let Committed {
        value: mut report,
        merged,
        warnings,
        written,
    } = committed;
    import::fill_bases(project, lang, &spec.name, &mut report)?;
    let kept = if report.is_clean() {
        let _ = std::fs::remove_file(&path);
        None
    } else {
        Some(path)
    };
    Ok(Committed {
        value: Finished { report, kept },
        merged,
        warnings,
        written,
    })
}

/// Renders a working file for `records`.
pub fn render<'a>(
    doc: &str,
    source_lang: &str,
    lang: &str,
    records: impl IntoIterator<Item = &'a Translation>,
) -> String {
    let mut out = String::new();
    let records: Vec<_> = records.into_iter().collect();
    let _ = writeln!(
        out,
        "# duiyi edit: {doc}, {source_lang} → {lang}, {} segments",
        records.len()
    );
    let _ = writeln!(
        out,
        "# Write each translation after \"{lang}: \" on one line. Keep the @@ lines: they name the segments."
    );
    let _ = writeln!(
        out,
        "# Only changed translations are saved; lines starting with # are ignored."
    );
    let _ = writeln!(
        out,
        "# To confirm a draft as it is, change `initial` to `translated` on its @@ line."
    );
    for r in records {
        let flags: String = r
            .flags
            .iter()
            .map(|f| format!(" {f}"))
            .collect::<Vec<_>>()
            .concat();
        let _ = writeln!(
            out,
            "\n@@ {} {} {}{flags} base={}",
            r.r#ref,
            r.id,
            r.state,
            r.base()
        );
        if let Some(note) = &r.note {
            let _ = writeln!(out, "# note: {}", one_line(note));
        }
        if let Some(previous) = &r.previous {
            let _ = writeln!(out, "# source was: {}", one_line(previous));
        }
        let _ = writeln!(out, "{source_lang}: {}", one_line(&r.source));
        let _ = writeln!(out, "{lang}: {}", one_line(&r.target));
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The segment block being read: its `@@` line, what that line says, and whether its target
/// line was seen.
struct Block {
    at: usize,
    id: String,
    state: Option<State>,
    base: Option<Base>,
    seen: bool,
}

/// Reads a working file back: one entry per block, with the line of its target.
pub fn parse(
    path: &Path,
    text: &str,
    source_lang: &str,
    lang: &str,
) -> Result<Vec<Incoming>, StoreError> {
    let fail = |line: usize, message: String| StoreError::Exchange {
        path: path.to_path_buf(),
        line: Some(line),
        message: format!(
            "{message}; fix the file and run `duiyi edit {lang} --resume`, or delete it to start over"
        ),
    };
    let source_prefix = format!("{source_lang}:");
    let target_prefix = format!("{lang}:");
    let mut entries: Vec<Incoming> = Vec::new();
    let mut open: Option<Block> = None;
    let close = |open: &Option<Block>| -> Result<(), StoreError> {
        match open {
            Some(Block {
                at,
                id,
                seen: false,
                ..
            }) => Err(fail(
                *at,
                format!("segment {id} has no \"{target_prefix}\" line"),
            )),
            _ => Ok(()),
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_start_matches('\u{feff}');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("@@") {
            close(&open)?;
            let mut words = rest.split_whitespace();
            let id = match (words.next(), words.next()) {
                (Some(_), Some(id)) if crate::segment::is_id(id) => id.to_string(),
                _ => {
                    return Err(fail(
                        n,
                        "a @@ line must read `@@ REF ID STATE`, as written".into(),
                    ));
                }
            };
            let state = match words.next() {
                Some(w) => Some(w.parse::<State>().map_err(|e| fail(n, e.to_string()))?),
                None => None,
            };
            let mut base = None;
            for w in words {
                if let Some(b) = w.strip_prefix("base=") {
                    base = Some(b.parse::<Base>().map_err(|e| fail(n, e))?);
                }
            }
            open = Some(Block {
                at: n,
                id,
                state,
                base,
                seen: false,
            });
        } else if let Some(target) = line.strip_prefix(&target_prefix) {
            let Some(Block {
                id,
                state,
                base,
                seen,
                ..
            }) = open.as_mut()
            else {
                return Err(fail(
                    n,
                    format!("a \"{target_prefix}\" line outside a segment block"),
                ));
            };
            if *seen {
                return Err(fail(
                    n,
                    format!(
                        "a second \"{target_prefix}\" line for segment {id}; a translation is one line"
                    ),
                ));
            }
            *seen = true;
            entries.push(Incoming {
                line: Some(n),
                id: id.clone(),
                source: None,
                target: Some(target.trim().to_string()),
                state: *state,
                base: base.clone(),
            });
        } else if line.starts_with(&source_prefix) {
            if open.is_none() {
                return Err(fail(n, "a source line outside a segment block".into()));
            }
        } else {
            return Err(fail(
                n,
                format!(
                    "unexpected text; a translation goes on its \"{target_prefix}\" line, on one line"
                ),
            ));
        }
    }
    close(&open)?;
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::record::{Flag, State};

    fn records() -> Vec<Translation> {
        let mut a = Translation::initial("000000000000000a", "1¶1.1", "中国。");
        a.target = "China.".into();
        a.state = State::Translated;
        a.flags.insert(Flag::Rejected);
        a.note = Some("too literal".into());
        let b = Translation::initial("000000000000000b", "1¶1.2", "合作。");
        vec![a, b]
    }

    #[test]
    fn a_rendered_file_parses_back() {
        let text = render("d", "zh", "en", &records());
        let base = records()[0].base();
        assert!(text.contains(&format!("@@ 1¶1.1 000000000000000a translated rejected base={base}\n# note: too literal\nzh: 中国。\nen: China.\n")), "{text}");
        let entries = parse(Path::new("w"), &text, "zh", "en").unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].target.as_deref(), Some("China."));
        assert_eq!(entries[0].state, Some(State::Translated));
        assert_eq!(entries[0].base, Some(base.parse().unwrap()));
        assert_eq!(entries[1].target.as_deref(), Some(""));
        let confirmed = text.replace("000000000000000b initial", "000000000000000b translated");
        let entries = parse(Path::new("w"), &confirmed, "zh", "en").unwrap();
        assert_eq!(entries[1].state, Some(State::Translated));
    }

    #[test]
    fn broken_files_name_the_line() {
        let text = render("d", "zh", "en", &records());
        let cases = [
            (
                text.replace("en: China.", "en: China.\nstray text"),
                ":10: unexpected text",
            ),
            (
                text.replace("en: China.\n", ""),
                ":6: segment 000000000000000a has no",
            ),
            (
                text.replace("en: China.", "en: China.\nen: again"),
                ":10: a second",
            ),
            (
                text.replace("@@ 1¶1.2 000000000000000b", "@@ 1¶1.2"),
                ":11: a @@ line",
            ),
        ];
        for (bad, want) in cases {
            let e = parse(Path::new("w"), &bad, "zh", "en")
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{want}: {e}");
            assert!(e.contains("--resume"), "{e}");
        }
    }
}
