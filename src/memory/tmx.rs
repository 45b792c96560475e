//! TMX memories: `memory/*.tmx`, read with the TMX 1.4b reader of [`crate::exchange::tmx`]
//! ([`read_pairs`]), and put there by `duiyi import LANG FILE.tmx` after checking ([`import`]).

use std::path::{Path, PathBuf};

use super::MemoryError;
use crate::exchange::tmx;

/// The TMX files of a memory folder, in name order (none when the folder does not exist).
pub fn files(dir: &Path) -> Result<Vec<PathBuf>, MemoryError> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(crate::files::FileError::Io {
                path: dir.to_path_buf(),
                source,
            }
            .into());
        }
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| super::is_tmx(p))
        .collect();
    files.sort();
    Ok(files)
}

/// The (source, target) pairs of a TMX file for `source_lang` → `lang`: every unit with text in
/// both. A file that cannot be read or parsed is an error naming it (and the line).
pub fn read_pairs(
    path: &Path,
    source_lang: &str,
    lang: &str,
) -> Result<Vec<(String, String)>, MemoryError> {
    let bytes = std::fs::read(path).map_err(|source| crate::files::FileError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let memory = parse(path, &bytes)?;
    Ok(memory
        .units
        .iter()
        .filter_map(|u| Some((u.text(source_lang)?.to_string(), u.text(lang)?.to_string())))
        .collect())
}

fn fail(path: &Path, line: Option<usize>, message: String) -> MemoryError {
    MemoryError::Tmx {
        path: path.to_path_buf(),
        line,
        message,
    }
}

fn text_of<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, MemoryError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        fail(
            path,
            None,
            format!("not UTF-8 ({e}); save the memory as UTF-8"),
        )
    })?;
    Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

fn parse(path: &Path, bytes: &[u8]) -> Result<tmx::Tmx, MemoryError> {
    tmx::read(text_of(path, bytes)?).map_err(|e| fail(path, Some(e.line), e.message))
}

/// Checks a TMX file (read from `path` as `bytes`) for language `lang` of a project (source
/// `source_lang`, targets `targets`) and stores it as `dir/<file name>` for the memory.
/// Refuses a file that does not parse, whose source language is not the project's, that has
/// variants in languages the project does not know, or that has nothing in `lang`; nothing is
/// written then. Returns the stored path and the number of units with a `lang` variant.
pub fn import(
    path: &Path,
    bytes: &[u8],
    dir: &Path,
    source_lang: &str,
    targets: &[crate::lang::Lang],
    lang: &str,
) -> Result<(PathBuf, usize), MemoryError> {
    let text = text_of(path, bytes)?;
    let memory = parse(path, bytes)?;
    let same = crate::lang::same_language;
    if !same(&memory.header.srclang, source_lang) && memory.header.srclang != "*all*" {
        return Err(fail(
            path,
            None,
            format!(
                "the memory's source language is {:?}, the project's is {source_lang:?}",
                memory.header.srclang
            ),
        ));
    }
    let mut unknown: Vec<String> = Vec::new();
    let mut found = 0usize;
    for u in &memory.units {
        for v in &u.variants {
            let known = same(&v.lang, source_lang) || targets.iter().any(|t| same(&v.lang, t));
            if (!known || !crate::lang::is_tag(&v.lang)) && !unknown.contains(&v.lang) {
                unknown.push(v.lang.clone());
            }
        }
        if u.text(lang).is_some() {
            found += 1;
        }
    }
    if !unknown.is_empty() {
        return Err(fail(
            path,
            None,
            format!(
                "languages the project does not know: {}; the project translates {source_lang} into {} (add the language to duiyi.toml, or remove those variants)",
                unknown.join(", "),
                targets.join(", ")
            ),
        ));
    }
    if found == 0 {
        return Err(fail(
            path,
            None,
            format!("no unit has a {lang} variant; nothing to import"),
        ));
    }
    let name = path
        .file_name()
        .map_or_else(|| "memory.tmx".into(), |n| n.to_string_lossy().into_owned());
    let dest = dir.join(name);
    crate::files::write_atomic(&dest, text.as_bytes())?;
    Ok((dest, found))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TMX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="zh" datatype="plaintext"/>
<body><tu><tuv xml:lang="zh"><seg>南南合作。</seg></tuv><tuv xml:lang="en-GB"><seg>South-South cooperation.</seg></tuv></tu>
<tu><tuv xml:lang="zh"><seg>只有源文。</seg></tuv></tu></body></tmx>
"#;

    #[test]
    fn pairs_are_read_by_primary_language_and_imports_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("old.tmx");
        std::fs::write(&file, TMX).unwrap();
        let pairs = read_pairs(&file, "zh", "en").unwrap();
        assert_eq!(
            pairs,
            [(
                "南南合作。".to_string(),
                "South-South cooperation.".to_string()
            )]
        );
        let store = dir.path().join("memory");
        let targets = ["en", "fr"].map(|t| crate::lang::Lang::new(t).unwrap());
        let err = import(&file, TMX.as_bytes(), &store, "zh", &targets, "fr").unwrap_err();
        assert!(
            err.to_string().contains("no unit has a fr variant"),
            "{err}"
        );
        let err = import(&file, TMX.as_bytes(), &store, "ja", &targets, "en").unwrap_err();
        assert!(err.to_string().contains("source language"), "{err}");
        assert!(files(&store).unwrap().is_empty());
        let (dest, n) = import(&file, TMX.as_bytes(), &store, "zh", &targets, "en").unwrap();
        assert_eq!((dest, n), (store.join("old.tmx"), 1));
        assert_eq!(files(&store).unwrap(), [store.join("old.tmx")]);
        std::fs::write(&file, "<tmx><body><tu>").unwrap();
        let err = read_pairs(&file, "zh", "en").unwrap_err();
        assert!(err.to_string().contains("old.tmx"), "{err}");
    }
}
