//! An `OmegaT` project, both ways: [`export`] writes one for a document and a language, and
//! [`incoming`] reads `omegat/project_save.tmx` of such a project back for
//! [`crate::exchange::import`].
//!
//! # What is written
//!
//! ```text
//! DIR/omegat.project                 the project file (sentence segmentation off, see below)
//! DIR/source/<doc>.txt               the source, one of duiyi's segments per line
//! DIR/tm/auto/<doc>.<lang>.tmx       reviewed and final translations: OmegaT inserts them
//! DIR/tm/<doc>.<lang>.drafts.tmx     the other translations and drafts: offered, not inserted
//! DIR/glossary/<lang>.utf8           approved terms, tab-separated, UTF-8 (forbidden ones left out)
//! DIR/omegat/filters.xml             the text filter: a segment per line (segmentOn=BREAKS)
//! DIR/omegat/segmentation.srx        SRX 2.0 rules that never break inside a line
//! ```
//!
//! `OmegaT` segments a text file by its own sentence rules, which differ from duiyi's (it splits
//! off `（见图N）` that duiyi keeps in the sentence). So the source is written one duiyi segment
//! per line, the text filter makes each line a paragraph, the project turns sentence
//! segmentation off, and the SRX file (for versions that read a project's `segmentation.srx`)
//! has no break rule: `OmegaT`'s segments are then exactly duiyi's. Every TMX unit carries the
//! segment id (`tuid`) and base (`x-duiyi-base`), so [`incoming`] can tell what changed in
//! `OmegaT` from what changed in the store since the export.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::tmx::{self, Header, Tmx, Unit, Variant, tmx_date};
use super::xml::escape;
use crate::glossary::term::Status;
use crate::project::{DocumentSpec, Project};
use crate::store::import::{Incoming, IncomingFile};
use crate::store::record::{Base, Origin, State, Translation};
use crate::store::{Store, StoreError};

/// The file `OmegaT` saves its work in, inside a project.
pub const PROJECT_SAVE: &str = "omegat/project_save.tmx";

/// Whether `dir` is an `OmegaT` project (it has `omegat.project`).
pub fn is_project(dir: &Path) -> bool {
    dir.join("omegat.project").is_file()
}

fn unit(r: &Translation, source_lang: &str, lang: &str, doc: &str) -> Unit {
    let date = r.when.as_deref().and_then(tmx_date);
    Unit {
        tuid: Some(r.id.clone()),
        creationid: r.who.clone(),
        creationdate: date.clone(),
        changeid: r.who.clone(),
        changedate: date,
        props: vec![
            ("x-state".into(), r.state.name().into()),
            ("x-ref".into(), r.r#ref.clone()),
            ("x-document".into(), doc.to_string()),
            ("x-duiyi-base".into(), r.base()),
        ],
        notes: r.note.iter().cloned().collect(),
        variants: vec![
            Variant {
                lang: source_lang.to_string(),
                text: r.source.clone(),
            },
            Variant {
                lang: lang.to_string(),
                text: r.target.clone(),
            },
        ],
    }
}

/// Writes the `OmegaT` project of `spec` in `lang` into `dir` (created if need be); returns the
/// files written.
pub fn export(
    project: &Project,
    spec: &DocumentSpec,
    lang: &str,
    dir: &Path,
) -> Result<Vec<PathBuf>, StoreError> {
    let store = Store::open(project, spec, lang)?;
    let source_lang = project.source_language();
    let doc = &spec.name;
    let mut source = String::new();
    let (mut auto, mut drafts) = (Vec::new(), Vec::new());
    for r in store.live() {
        source.push_str(r.source.trim());
        source.push('\n');
        if r.target.trim().is_empty() {
            continue;
        }
        let u = unit(r, source_lang, lang, doc);
        if r.state >= State::Reviewed {
            auto.push(u);
        } else {
            drafts.push(u);
        }
    }
    let memory = |units| {
        tmx::write(&Tmx {
            header: Header {
                srclang: source_lang.to_string(),
                creationtool: "duiyi".into(),
            },
            units,
        })
    };
    let glossary = crate::glossary::project::store_of(project)
        .load(lang)
        .map_err(|e| StoreError::Exchange {
            path: project.glossary_dir(),
            line: None,
            message: e.to_string(),
        })?;
    let mut terms = String::new();
    for t in glossary.terms() {
        // OmegaT shows every line as a rendering to use: only approved ones go, never a
        // forbidden, rejected or deprecated one.
        if t.status == Status::Approved {
            let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            let _ = writeln!(
                terms,
                "{}\t{}\t{}",
                clean(&t.source),
                clean(&t.target),
                clean(&t.comment)
            );
        }
    }
    let files: Vec<(PathBuf, String)> = vec![
        (dir.join("omegat.project"), project_file(source_lang, lang)),
        (dir.join("source").join(format!("{doc}.txt")), source),
        (
            dir.join("tm/auto").join(format!("{doc}.{lang}.tmx")),
            memory(auto),
        ),
        (
            dir.join("tm").join(format!("{doc}.{lang}.drafts.tmx")),
            memory(drafts),
        ),
        (dir.join("glossary").join(format!("{lang}.utf8")), terms),
        (dir.join("omegat/filters.xml"), FILTERS.to_string()),
        (dir.join("omegat/segmentation.srx"), SRX.to_string()),
    ];
    for sub in ["target", "dictionary"] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).map_err(|e| StoreError::io(&d, e))?;
    }
    let mut written = Vec::new();
    for (path, text) in files {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::io(parent, e))?;
        }
        crate::files::write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

fn project_file(source_lang: &str, lang: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<omegat>
    <project version="1.0">
        <source_dir>__DEFAULT__</source_dir>
        <source_dir_excludes>
            <mask>**/.svn/**</mask>
            <mask>**/CVS/**</mask>
            <mask>**/.cvs/**</mask>
            <mask>**/desktop.ini</mask>
            <mask>**/Thumbs.db</mask>
            <mask>**/.DS_Store</mask>
        </source_dir_excludes>
        <target_dir>__DEFAULT__</target_dir>
        <tm_dir>__DEFAULT__</tm_dir>
        <glossary_dir>__DEFAULT__</glossary_dir>
        <glossary_file>__DEFAULT__</glossary_file>
        <dictionary_dir>__DEFAULT__</dictionary_dir>
        <source_lang>{}</source_lang>
        <target_lang>{}</target_lang>
        <source_tok>org.omegat.tokenizer.LuceneCJKTokenizer</source_tok>
        <target_tok>org.omegat.tokenizer.LuceneEnglishTokenizer</target_tok>
        <sentence_seg>false</sentence_seg>
        <support_default_translations>true</support_default_translations>
        <remove_tags>false</remove_tags>
    </project>
</omegat>
"#,
        escape(source_lang),
        escape(lang)
    )
}

/// `OmegaT`'s text filter, one paragraph per line.
const FILTERS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<filters removeTags="false" removeSpacesNonseg="true" preserveSpaces="false" ignoreFileContext="false">
    <filter className="org.omegat.filters2.text.TextFilter" enabled="true">
        <files sourceFilenameMask="*.txt" targetFilenamePattern="${filename}" sourceEncoding="UTF-8" targetEncoding="UTF-8"/>
        <option name="segmentOn" value="BREAKS"/>
        <option name="lineLength" value=""/>
        <option name="maxLineLength" value=""/>
    </filter>
</filters>
"#;

/// SRX 2.0 rules that never break: each line of the source is one segment.
const SRX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
    <header segmentsubflows="yes" cascade="no"/>
    <body>
        <languagerules>
            <languagerule languagerulename="duiyi: one segment per line">
                <rule break="no">
                    <beforebreak>.</beforebreak>
                    <afterbreak>.</afterbreak>
                </rule>
            </languagerule>
        </languagerules>
        <maprules>
            <languagemap languagepattern=".*" languagerulename="duiyi: one segment per line"/>
        </maprules>
    </body>
</srx>
"#;

fn read_tmx(path: &Path) -> Result<Tmx, StoreError> {
    let bytes = std::fs::read(path).map_err(|e| StoreError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| StoreError::Exchange {
        path: path.to_path_buf(),
        line: None,
        message: format!("not UTF-8 ({e})"),
    })?;
    tmx::read(text.strip_prefix('\u{FEFF}').unwrap_or(&text)).map_err(|e| StoreError::Exchange {
        path: path.to_path_buf(),
        line: Some(e.line),
        message: e.message,
    })
}

/// The bases duiyi wrote into the project's `tm/` memories, by segment id.
pub(crate) fn exported_bases(dir: &Path) -> Result<HashMap<String, String>, StoreError> {
    let mut bases = HashMap::new();
    for sub in ["tm/auto", "tm"] {
        let d = dir.join(sub);
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "tmx"))
            .collect();
        paths.sort();
        for p in paths {
            for u in read_tmx(&p)?.units {
                if let (Some(id), Some(base)) = (u.tuid.clone(), u.prop("x-duiyi-base")) {
                    bases.insert(id, base.to_string());
                }
            }
        }
    }
    Ok(bases)
}

/// Reads the work saved in the `OmegaT` project `dir` (`omegat/project_save.tmx`) for import
/// into `store`: each unit is matched to the segments with its exact source, and carries the
/// base duiyi exported for that segment (so a segment changed in the store since the export
/// and in `OmegaT` is a conflict). Units that match no segment are counted in the second value.
pub fn incoming(
    project: &Project,
    store: &Store,
    dir: &Path,
) -> Result<(IncomingFile, usize), StoreError> {
    let path = dir.join(PROJECT_SAVE);
    if !path.is_file() {
        return Err(StoreError::Exchange {
            path: path.clone(),
            line: None,
            message: "the OmegaT project has no saved work; translate and save in OmegaT first"
                .into(),
        });
    }
    let memory = read_tmx(&path)?;
    let bases = exported_bases(dir)?;
    let source_lang = project.source_language();
    let lang = store.lang();
    let mut by_source: HashMap<&str, Vec<&Translation>> = HashMap::new();
    for r in store.live() {
        by_source.entry(r.source.trim()).or_default().push(r);
    }
    let mut entries = Vec::new();
    let mut unmatched = 0;
    let mut taken = std::collections::HashSet::new();
    for u in &memory.units {
        let (Some(source), Some(target)) = (u.text(source_lang), u.text(lang)) else {
            continue;
        };
        let Some(records) = by_source.get(source.trim()) else {
            unmatched += 1;
            continue;
        };
        for r in records {
            if !taken.insert(r.id.clone()) {
                continue;
            }
            let base = match bases.get(&r.id) {
                Some(b) => Some(b.parse::<Base>().map_err(|m| StoreError::Exchange {
                    path: path.clone(),
                    line: None,
                    message: m,
                })?),
                None => None,
            };
            entries.push(Incoming {
                line: None,
                id: r.id.clone(),
                source: Some(source.to_string()),
                target: Some(target.to_string()),
                state: None,
                base,
            });
        }
    }
    Ok((
        IncomingFile {
            path,
            entries,
            origin: Origin::Import,
        },
        unmatched,
    ))
}
