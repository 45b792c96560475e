//! The project on disk: `duiyi.toml`, its folders, and its documents.
//!
//! A project is its files (see `ARCHITECTURE.md`): `duiyi.toml` at the root, sources in
//! `source/`, translations in `translations/`, terms in `glossary/`. Commands find the root the
//! way git does, by walking up from the working directory, unless `--project DIR` names it.
//! Settings are parsed strictly (unknown keys are errors that name the line) because a typo in a
//! project file should never be silently ignored.

use std::fmt;
use std::fs;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::segment::{self, Document, Rules, SentenceOptions, SrxMode};
use crate::source::{self, Encoding};

/// The name of the project file.
pub const PROJECT_FILE: &str = "duiyi.toml";

/// The folders and files of a project, relative to its root. Only [`Project`] joins them to a
/// root; everything else asks it for the path.
pub mod layout {
    /// Source documents.
    pub const SOURCE: &str = "source";
    /// Translation stores and journals, one folder per language.
    pub const TRANSLATIONS: &str = "translations";
    /// Terminology.
    pub const GLOSSARY: &str = "glossary";
    /// Published editions and exported tables (git-ignored).
    pub const EDITIONS: &str = "editions";
    /// TMX memories for the memory backend.
    pub const MEMORY: &str = "memory";
    /// Templates replacing the built-in ones of the HTML edition.
    pub const TEMPLATES: &str = "templates";
    /// Fonts for the PDF edition, searched before the system's.
    pub const FONTS: &str = "fonts";
    /// What duiyi keeps for itself inside the project (git-ignored): the answer cache and
    /// backend state.
    pub const STATE: &str = ".duiyi";
    /// The answer cache of machine translation, inside [`STATE`].
    pub const CACHE: &str = "cache";
    /// The ending of `duiyi edit`'s working files (`<doc>.edit.txt` beside the store).
    pub const WORKING_FILE: &str = "edit.txt";
}

/// Errors about the project: finding it, reading `duiyi.toml`, naming documents.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// No `duiyi.toml` in the directory or any parent.
    #[error(
        "no {PROJECT_FILE} found in {} or any parent directory; run `duiyi init` to create a project, or pass --project DIR",
        .start.display()
    )]
    NotFound {
        /// Where the search started.
        start: PathBuf,
    },
    /// `duiyi.toml` is not valid TOML or has a wrong key or value.
    #[error("{}:{line}:{column}: {message}", .path.display())]
    Config {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, with the key when known.
        message: String,
    },
    /// A setting is syntactically fine but makes no sense.
    #[error("{}: {message}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A document name that is not a plain file stem or that leaves the project.
    #[error("document name {name:?} is not allowed: {reason}")]
    BadName {
        /// The name as given.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A language that is not a target of the project.
    #[error(
        "{lang:?} is not a target language of this project (targets: {targets}); add it to `targets` in duiyi.toml"
    )]
    UnknownLanguage {
        /// The language asked for.
        lang: String,
        /// The project's targets, comma-separated.
        targets: String,
    },
    /// A command that needs one target language, in a project with several or none.
    #[error("{}", if .targets.is_empty() { "the project has no target language; add one to `targets` in duiyi.toml".to_string() } else { format!("the project has several target languages ({}); pass --lang LANG", .targets) })]
    WhichLanguage {
        /// The project's targets, comma-separated (empty: none).
        targets: String,
    },
    /// A project without documents where a command needs one.
    #[error("the project has no documents: put a source file in {}", .dir.display())]
    NoDocuments {
        /// The source folder.
        dir: PathBuf,
    },
    /// A command that needs one document, in a project with several.
    #[error("the project has {} documents ({}); pass --doc NAME", .names.len(), .names.join(", "))]
    WhichDocument {
        /// The documents.
        names: Vec<String>,
    },
    /// A document that is not in the project.
    #[error("no document {name:?} in this project (documents: {known})")]
    UnknownDocument {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
    /// A document listed in `duiyi.toml` whose file is missing.
    #[error("document {name:?}: {} does not exist", .path.display())]
    MissingSource {
        /// The document name.
        name: String,
        /// The expected path.
        path: PathBuf,
    },
    /// `duiyi init` into a folder that already is a project.
    #[error("{} already exists; refusing to overwrite an existing project", .0.display())]
    AlreadyInitialized(PathBuf),
    /// Reading the source of a document failed.
    #[error(transparent)]
    Source(#[from] source::SourceError),
    /// Segmenting a document failed (for example a malformed SRX file).
    #[error(transparent)]
    Segment(#[from] segment::SegmentError),
    /// A file system error, with the path it concerns.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl ProjectError {
    fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The contents of `duiyi.toml`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Languages and the project name.
    pub project: ProjectSettings,
    /// Options of the sentence segmenter.
    #[serde(default)]
    pub segmentation: SegmentationSettings,
    /// The documents; when empty, every `source/*.txt` is a document.
    #[serde(default, rename = "documents", skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentSettings>,
    /// Settings of the quality checks (`duiyi check`).
    #[serde(default, skip_serializing_if = "QaSettings::is_default")]
    pub qa: QaSettings,
    /// Translation backends by name (`[backends.NAME]`); `memory` is always available.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub backends: std::collections::BTreeMap<String, BackendSettings>,
    /// Who may sign translations off (`[review]`).
    #[serde(default, skip_serializing_if = "ReviewSettings::is_default")]
    pub review: ReviewSettings,
    /// How editions are typeset (`[publish]`: fonts).
    #[serde(default, skip_serializing_if = "PublishSettings::is_default")]
    pub publish: PublishSettings,
}

/// The `[publish]` table: the fonts of the printed editions (DOCX, PDF, the HTML's print
/// style). Every field is optional.
///
/// ```toml
/// [publish]
/// latin_font = "Noto Serif"          # Latin, Greek and Cyrillic text
/// cjk_font = "Noto Serif CJK SC"     # Chinese (and Japanese, Korean) text
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PublishSettings {
    /// The font family of Latin text (default: Times New Roman).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latin_font: Option<String>,
    /// The font family of Chinese, Japanese and Korean text (default: Noto Serif CJK SC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cjk_font: Option<String>,
}

impl PublishSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The `[review]` table: who may approve and finalize translations.
///
/// ```toml
/// [review]
/// reviewers = ["wang", "li"]   # who may approve/finalize; absent: anyone
/// self_review = false          # the default: nobody approves their own last change
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewSettings {
    /// The people who may approve and finalize; `None` (absent) lets anyone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewers: Option<Vec<String>>,
    /// Whether someone may approve or finalize a text they answer for (solo projects).
    pub self_review: bool,
}

impl ReviewSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The `[qa]` table: how `duiyi check` judges a translation. Every field is optional.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct QaSettings {
    /// How a 《》 title is rendered: `quotes` (“…” or "…") or `italics` (`*…*` or `_…_`), or
    /// `any` of the two.
    pub titles: String,
    /// Whether curly quotes “ ” are acceptable in the target (they are the same characters as
    /// Chinese quotation marks); when false they are reported as full-width punctuation.
    pub curly_quotes: bool,
    /// The expected rendering of 一、 headings: `roman` (I.), `arabic` (1.) or `any`.
    pub cn_comma: String,
    /// The expected rendering of （一） headings: `arabic` (1. or (1)), `letter` ((a)), `roman`
    /// or `any`.
    pub cn_paren: String,
    /// Target/source length ratio (characters) used until enough segments are translated.
    pub length_ratio: f64,
    /// How many translated segments of a language are needed before its own ratio is used.
    pub length_min_samples: usize,
    /// A ratio this many scaled MADs from the median is an outlier.
    pub length_tolerance: f64,
    /// Checks to skip (names as in `--only`).
    pub skip: Vec<String>,
}

impl Default for QaSettings {
    fn default() -> Self {
        Self {
            titles: "any".into(),
            curly_quotes: true,
            cn_comma: "any".into(),
            cn_paren: "any".into(),
            length_ratio: 3.0,
            length_min_samples: 30,
            length_tolerance: 4.0,
            skip: Vec::new(),
        }
    }
}

impl QaSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// The kind of a translation backend (`type` in a `[backends.NAME]` table).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// OpenAI-compatible chat completions (also vLLM, Ollama, `llama.cpp`, `DeepSeek`, Qwen).
    Openai,
    /// `DeepL` API v2.
    Deepl,
    /// `LibreTranslate`.
    Libretranslate,
    /// Google Cloud Translation v2.
    Google,
    /// A local program speaking JSON lines over stdin/stdout.
    Command,
    /// The project's translation memory (offline).
    Memory,
}

/// One `[backends.NAME]` table. API keys are never written here: `api_key_env` names the
/// environment variable that holds the key.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BackendSettings {
    /// The kind of backend.
    #[serde(rename = "type")]
    pub kind: Option<BackendKind>,
    /// The base URL (default: the service's public endpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The model (LLM backends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The name of the environment variable holding the API key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<String>,
    /// Sampling temperature (LLM backends; default 0.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// A prompt template file replacing the built-in one (LLM backends).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<PathBuf>,
    /// Segments per request (default: 8 for `openai`, 25 for `deepl`, `google` and `libretranslate`, 1 for `command`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<usize>,
    /// Requests in flight at once (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<usize>,
    /// At most this many requests per second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_second: Option<f64>,
    /// At most this many requests per minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_minute: Option<f64>,
    /// Seconds before a request is abandoned and retried (default 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<f64>,
    /// Retries after a timeout, 429 or 5xx (default 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// The largest answer read, in bytes (default 16 MiB): a larger one fails the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_answer_bytes: Option<u64>,
    /// The longest `Retry-After` waited for, in seconds (default 60): a server asking for more
    /// fails the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_wait: Option<f64>,
    /// The program and its arguments (`command` backend).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// The lowest fuzzy match score (0–1) the `memory` backend uses (default 0.75).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
}

/// The backend names that are built in: a `[backends.NAME]` table of one of these names may
/// tune the backend (a threshold, a URL) but never make it a `command`.
pub const BUILTIN_BACKENDS: [&str; 5] = ["memory", "openai", "deepl", "libretranslate", "google"];

/// The `[project]` table.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProjectSettings {
    /// A human name for the project (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The source language (BCP 47, for example `zh`).
    pub source: Lang,
    /// The target languages (BCP 47).
    #[serde(default)]
    pub targets: Vec<Lang>,
}

/// The `[segmentation]` table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SegmentationSettings {
    /// Also end a sentence after a full-width semicolon `；`.
    #[serde(default)]
    pub semicolon: bool,
    /// A rules file (TOML, same shape as the built-in `zh.toml`) replacing the built-in rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<PathBuf>,
    /// An SRX 2.0 file whose rules are applied to sentences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srx: Option<PathBuf>,
    /// Whether the SRX rules `extend` (default) or `replace` the built-in sentence rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub srx_mode: Option<SrxMode>,
}

/// One `[[documents]]` entry.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    /// The document id: a file stem such as `intl-development-cooperation`.
    pub name: String,
    /// The source file, relative to the project root (default `source/<name>.txt`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<PathBuf>,
    /// The encoding (`auto` by default: BOM, UTF-8, then GB18030).
    #[serde(default, skip_serializing_if = "Encoding::is_auto")]
    pub encoding: Encoding,
    /// The document's title: one string in the source language, or a table by language
    /// (`title = { zh = "…", en = "…" }`). Editions take their title from it, else from the
    /// source's title unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<DocumentTitle>,
    /// Who wrote the source (the author of the editions' document properties).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// A document's title in `duiyi.toml`: the source's title alone, or titles by language.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum DocumentTitle {
    /// The title in the source language.
    Source(String),
    /// Titles by language code (the source language's among them, or not).
    ByLanguage(std::collections::BTreeMap<String, String>),
}

impl DocumentTitle {
    /// The title in `lang`, when given (a plain string is the source language's title).
    pub fn get(&self, lang: &str, source_lang: &str) -> Option<&str> {
        match self {
            DocumentTitle::Source(t) => (lang == source_lang).then_some(t.as_str()),
            DocumentTitle::ByLanguage(m) => m.get(lang).map(String::as_str),
        }
        .map(str::trim)
        .filter(|t| !t.is_empty())
    }
}

/// A document of the project: its name, file and encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSpec {
    /// The document id.
    pub name: String,
    /// Absolute path of the source file.
    pub path: PathBuf,
    /// Declared encoding.
    pub encoding: Encoding,
}

/// An opened project: its root and settings.
#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
    config: Config,
    digest: String,
}

impl Project {
    /// Finds the project containing `start` (walking up to the first `duiyi.toml`) and opens it.
    pub fn discover(start: &Path) -> Result<Self, ProjectError> {
        let start_abs = absolute(start);
        let mut dir = Some(start_abs.as_path());
        while let Some(d) = dir {
            if d.join(PROJECT_FILE).is_file() {
                return Self::open(d);
            }
            dir = d.parent();
        }
        Err(ProjectError::NotFound { start: start_abs })
    }

    /// Opens the project whose root is `root`.
    pub fn open(root: &Path) -> Result<Self, ProjectError> {
        let root = absolute(root);
        let path = root.join(PROJECT_FILE);
        let text = fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                ProjectError::NotFound {
                    start: root.clone(),
                }
            } else {
                ProjectError::io(&path, e)
            }
        })?;
        let config = parse_config(&text, &path)?;
        let digest = blake3::hash(text.as_bytes()).to_hex().to_string();
        Ok(Self {
            root,
            config,
            digest,
        })
    }

    /// A hash (blake3, hex) of the `duiyi.toml` these settings were read from: what
    /// `duiyi trust` records, so any change to the file needs trusting again.
    pub fn config_digest(&self) -> &str {
        &self.digest
    }

    /// The project root (the folder holding `duiyi.toml`).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The `[[documents]]` entry of document `name`, when `duiyi.toml` lists it.
    pub fn document_settings(&self, name: &str) -> Option<&DocumentSettings> {
        self.config.documents.iter().find(|d| d.name == name)
    }

    /// The source language.
    pub fn source_language(&self) -> &Lang {
        &self.config.project.source
    }

    /// The target languages.
    pub fn target_languages(&self) -> &[Lang] {
        &self.config.project.targets
    }

    /// The target language `lang`: the one check that a language a command names is a target
    /// of this project.
    pub fn target(&self, lang: &str) -> Result<&Lang, ProjectError> {
        self.config
            .project
            .targets
            .iter()
            .find(|t| t.as_str() == lang)
            .ok_or_else(|| ProjectError::UnknownLanguage {
                lang: lang.to_string(),
                targets: self.targets_list(),
            })
    }

    /// The target language `lang` when one is named, else the project's only one.
    pub fn target_or_only(&self, lang: Option<&str>) -> Result<&Lang, ProjectError> {
        match (lang, self.target_languages()) {
            (Some(lang), _) => self.target(lang),
            (None, [only]) => Ok(only),
            (None, _) => Err(ProjectError::WhichLanguage {
                targets: self.targets_list(),
            }),
        }
    }

    /// The target languages named (each checked), or all of them when none is.
    pub fn targets_or_all<S: AsRef<str>>(&self, langs: &[S]) -> Result<Vec<Lang>, ProjectError> {
        if langs.is_empty() {
            return Ok(self.target_languages().to_vec());
        }
        langs
            .iter()
            .map(|l| self.target(l.as_ref()).cloned())
            .collect()
    }

    fn targets_list(&self) -> String {
        self.target_languages()
            .iter()
            .map(Lang::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The `source/` folder.
    pub fn source_dir(&self) -> PathBuf {
        self.root.join(layout::SOURCE)
    }

    /// The `translations/<lang>/` folder.
    pub fn translations_dir(&self, lang: &str) -> PathBuf {
        self.root.join(layout::TRANSLATIONS).join(lang)
    }

    /// The `glossary/` folder.
    pub fn glossary_dir(&self) -> PathBuf {
        self.root.join(layout::GLOSSARY)
    }

    /// The `editions/` folder: published editions and exported tables.
    pub fn editions_dir(&self) -> PathBuf {
        self.root.join(layout::EDITIONS)
    }

    /// The `memory/` folder of TMX memories.
    pub fn memory_dir(&self) -> PathBuf {
        self.root.join(layout::MEMORY)
    }

    /// The `templates/` folder of templates replacing the built-in ones.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join(layout::TEMPLATES)
    }

    /// The `fonts/` folder of fonts the PDF edition finds before the system's.
    pub fn fonts_dir(&self) -> PathBuf {
        self.root.join(layout::FONTS)
    }

    /// The `.duiyi/` folder of what duiyi keeps for itself (git-ignored).
    pub fn state_dir(&self) -> PathBuf {
        self.root.join(layout::STATE)
    }

    /// The `.duiyi/cache/` folder of machine translation answers.
    pub fn cache_dir(&self) -> PathBuf {
        self.state_dir().join(layout::CACHE)
    }

    /// The working file of `duiyi edit` for `doc` in `lang`
    /// (`translations/<lang>/<doc>.edit.txt`).
    pub fn working_file(&self, lang: &str, doc: &str) -> PathBuf {
        self.translations_dir(lang)
            .join(format!("{doc}.{}", layout::WORKING_FILE))
    }

    /// The documents, in `duiyi.toml` order, or every `source/*.txt` sorted by name.
    pub fn documents(&self) -> Result<Vec<DocumentSpec>, ProjectError> {
        if !self.config.documents.is_empty() {
            return self
                .config
                .documents
                .iter()
                .map(|d| self.spec_of(d))
                .collect();
        }
        let dir = self.source_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(ProjectError::io(&dir, e)),
        };
        let mut specs: Vec<DocumentSpec> = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| ProjectError::io(&dir, e))?;
            let path = entry.path();
            if path.extension().and_then(|e| e.to_str()) != Some("txt") || !path.is_file() {
                continue;
            }
            let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned());
            // Hidden files are not documents.
            if stem.as_deref().is_none_or(|s| s.starts_with('.')) {
                continue;
            }
            let name = document_id(&path)?;
            specs.push(DocumentSpec {
                name,
                path,
                encoding: Encoding::Auto,
            });
        }
        specs.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.path.cmp(&b.path)));
        if let Some(pair) = specs.windows(2).find(|p| p[0].name == p[1].name) {
            return Err(ProjectError::Invalid {
                path: pair[1].path.clone(),
                message: format!(
                    "{} and this file are both document {:?} (spaces and other characters become '-'); rename one of them",
                    pair[0].path.display(),
                    pair[0].name
                ),
            });
        }
        Ok(specs)
    }

    /// The document called `name`, checked to exist.
    pub fn document(&self, name: &str) -> Result<DocumentSpec, ProjectError> {
        validate_name(name)?;
        let docs = self.documents()?;
        let found = docs.iter().find(|d| d.name == name).cloned();
        found.ok_or_else(|| ProjectError::UnknownDocument {
            name: name.to_string(),
            known: docs
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        })
    }

    /// The document named, or the project's only one when `name` is `None`.
    pub fn document_or_only(&self, name: Option<&str>) -> Result<DocumentSpec, ProjectError> {
        if let Some(name) = name {
            return self.document(name);
        }
        let mut docs = self.documents()?;
        match docs.len() {
            1 => Ok(docs.remove(0)),
            0 => Err(ProjectError::NoDocuments {
                dir: self.source_dir(),
            }),
            _ => Err(ProjectError::WhichDocument {
                names: docs.into_iter().map(|d| d.name).collect(),
            }),
        }
    }

    /// The documents named, or all of them when `name` is `None`; at least one.
    pub fn some_documents(&self, name: Option<&str>) -> Result<Vec<DocumentSpec>, ProjectError> {
        let docs = self.select_documents(name)?;
        if docs.is_empty() {
            return Err(ProjectError::NoDocuments {
                dir: self.source_dir(),
            });
        }
        Ok(docs)
    }

    /// The documents named, or all of them when `name` is `None`.
    pub fn select_documents(&self, name: Option<&str>) -> Result<Vec<DocumentSpec>, ProjectError> {
        match name {
            Some(name) => Ok(vec![self.document(name)?]),
            None => self.documents(),
        }
    }

    /// The segmentation rules of this project (built-in rules, a replacement rules file, and
    /// an SRX file), loaded once per command.
    pub fn rules(&self) -> Result<Rules, ProjectError> {
        let seg = &self.config.segmentation;
        let options = SentenceOptions {
            semicolon: seg.semicolon,
        };
        let mut rules = match &seg.rules {
            Some(p) => {
                let path = self.inside(p)?;
                let text = fs::read_to_string(&path).map_err(|e| ProjectError::io(&path, e))?;
                Rules::from_toml(&text, &path, options)?
            }
            None => Rules::builtin(options),
        };
        if let Some(p) = &seg.srx {
            let path = self.inside(p)?;
            let bytes = fs::read(&path).map_err(|e| ProjectError::io(&path, e))?;
            let srx = segment::srx::Srx::parse(&bytes, &path)?;
            rules = rules.with_srx(
                &srx,
                self.source_language(),
                seg.srx_mode.unwrap_or_default(),
            );
        }
        Ok(rules)
    }

    /// Reads and segments one document.
    pub fn load(&self, spec: &DocumentSpec, rules: &Rules) -> Result<Document, ProjectError> {
        if !spec.path.is_file() {
            return Err(ProjectError::MissingSource {
                name: spec.name.clone(),
                path: spec.path.clone(),
            });
        }
        let decoded = source::read(&spec.path, spec.encoding)?;
        Ok(segment::segment_document(
            &spec.name, &spec.path, decoded, rules,
        ))
    }

    /// Reads and segments the document `name` names, or every document when `None` (at least
    /// one), with the project's rules.
    pub fn load_documents(&self, name: Option<&str>) -> Result<Vec<Document>, ProjectError> {
        let rules = self.rules()?;
        self.some_documents(name)?
            .iter()
            .map(|s| self.load(s, &rules))
            .collect()
    }

    fn spec_of(&self, d: &DocumentSettings) -> Result<DocumentSpec, ProjectError> {
        validate_name(&d.name)?;
        let rel = d
            .path
            .clone()
            .unwrap_or_else(|| PathBuf::from(layout::SOURCE).join(format!("{}.txt", d.name)));
        Ok(DocumentSpec {
            name: d.name.clone(),
            path: self.inside(&rel)?,
            encoding: d.encoding,
        })
    }

    /// Resolves a project-relative path, refusing one that leaves the project.
    pub fn inside(&self, rel: &Path) -> Result<PathBuf, ProjectError> {
        let leaves = rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, Component::ParentDir | Component::Prefix(_)));
        if leaves {
            return Err(ProjectError::Invalid {
                path: self.root.join(PROJECT_FILE),
                message: format!(
                    "path {:?} leaves the project; use a path relative to {} without `..`",
                    rel.display().to_string(),
                    self.root.display()
                ),
            });
        }
        Ok(self.root.join(rel))
    }
}

/// The document id of the source file `path`: its stem, with each run of characters other
/// than letters, digits, `.`, `_` and `-` (spaces, apostrophes, brackets) replaced by one `-`
/// and such runs at either end dropped, so `China's Path 2021.txt` is `China-s-Path-2021`.
/// An id is what refs, `--doc` and the store's file names use, so it must be a plain name; a
/// file name that gives none (not UTF-8, or nothing but such characters) is an error that says
/// how to rename the file.
pub fn document_id(path: &Path) -> Result<String, ProjectError> {
    let refuse = |reason: &str| ProjectError::Invalid {
        path: path.to_path_buf(),
        message: format!(
            "{reason}; rename the file to letters, digits, '.', '_' and '-' (the name becomes the document id), or list it in duiyi.toml as [[documents]] with a `name` and this `path`"
        ),
    };
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
        return Err(refuse("the file name is not UTF-8"));
    };
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-');
    let mut id = String::with_capacity(stem.len());
    let mut gap = false;
    for c in stem.chars() {
        if plain(c) {
            if gap && !id.is_empty() {
                id.push('-');
            }
            gap = false;
            id.push(c);
        } else {
            gap = true;
        }
    }
    validate_name(&id)
        .map_err(|e| refuse(&format!("no document id can be made of its name ({e})")))?;
    Ok(id)
}

/// Checks that a document name is a plain file stem: letters, digits, `.`, `_`, `-`, not
/// starting with a dot, no path separators.
pub fn validate_name(name: &str) -> Result<(), ProjectError> {
    let bad = |reason| ProjectError::BadName {
        name: name.to_string(),
        reason,
    };
    if name.is_empty() {
        return Err(bad("it is empty"));
    }
    if name.contains('/') || name.contains('\\') || name.contains("..") {
        return Err(bad(
            "a document name is a file stem and cannot leave source/",
        ));
    }
    if name.starts_with('.') {
        return Err(bad("it starts with a dot"));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(bad("use letters, digits, '.', '_' and '-' only"));
    }
    Ok(())
}

/// Parses `duiyi.toml`, naming line, column and key on error.
pub fn parse_config(text: &str, path: &Path) -> Result<Config, ProjectError> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map_or((1, 1), |span| line_column(text, span.start));
        ProjectError::Config {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let invalid = |message: String| ProjectError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    if config.project.targets.contains(&config.project.source) {
        return Err(invalid(format!(
            "target languages include the source language \"{}\"",
            config.project.source
        )));
    }
    for (name, backend) in &config.backends {
        let redefined = backend.kind == Some(BackendKind::Command) || !backend.command.is_empty();
        if BUILTIN_BACKENDS.contains(&name.as_str()) && redefined {
            return Err(invalid(format!(
                "[backends.{name}] cannot be a command: {name} is a built-in backend, so `duiyi translate` would run the program where {name} is expected; give the table another name, such as [backends.{name}-local]"
            )));
        }
    }
    let mut seen = std::collections::HashSet::new();
    for d in &config.documents {
        if !seen.insert(d.name.as_str()) {
            return Err(invalid(format!(
                "document {:?} is listed twice in [[documents]]",
                d.name
            )));
        }
    }
    Ok(config)
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before.chars().count(), |i| before[i + 1..].chars().count())
        + 1;
    (line, column)
}

fn absolute(p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| p.to_path_buf(), |cwd| cwd.join(p))
    }
}

/// What `duiyi init` made.
#[derive(Debug, Clone, Serialize)]
pub struct Initialized {
    /// The project root.
    pub root: PathBuf,
    /// Files and folders created, relative to the root.
    pub created: Vec<String>,
}

impl fmt::Display for Initialized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "created a duiyi project in {}", self.root.display())?;
        for c in &self.created {
            writeln!(f, "  {c}")?;
        }
        write!(
            f,
            "next: put the source text in source/<name>.txt (one paragraph per line), then run `duiyi segments`"
        )
    }
}

/// Creates a new project in `dir`: `duiyi.toml`, `source/`, `translations/<lang>/`,
/// `glossary/` and a `.gitignore` for `editions/`. Refuses to touch an existing project.
pub fn init(dir: &Path, source: &str, targets: &[String]) -> Result<Initialized, ProjectError> {
    let root = absolute(dir);
    let file = root.join(PROJECT_FILE);
    if file.exists() {
        return Err(ProjectError::AlreadyInitialized(file));
    }
    let lang = |tag: &str| {
        Lang::new(tag).map_err(|e| ProjectError::Invalid {
            path: file.clone(),
            message: e.to_string(),
        })
    };
    let config = Config {
        project: ProjectSettings {
            name: root
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string),
            source: lang(source)?,
            targets: targets.iter().map(|t| lang(t)).collect::<Result<_, _>>()?,
        },
        segmentation: SegmentationSettings::default(),
        documents: Vec::new(),
        qa: QaSettings::default(),
        backends: std::collections::BTreeMap::new(),
        review: ReviewSettings::default(),
        publish: PublishSettings::default(),
    };
    let text = render_config(&config);
    // Validate what we are about to write with the same parser every command uses.
    parse_config(&text, &file)?;
    let mut created = Vec::new();
    let mkdir = |rel: &str, created: &mut Vec<String>| -> Result<(), ProjectError> {
        let p = root.join(rel);
        if !p.exists() {
            fs::create_dir_all(&p).map_err(|e| ProjectError::io(&p, e))?;
            created.push(format!("{rel}/"));
        }
        Ok(())
    };
    mkdir("", &mut Vec::new())?;
    mkdir(layout::SOURCE, &mut created)?;
    mkdir(layout::GLOSSARY, &mut created)?;
    for t in &config.project.targets {
        mkdir(&format!("{}/{t}", layout::TRANSLATIONS), &mut created)?;
    }
    fs::write(&file, text).map_err(|e| ProjectError::io(&file, e))?;
    created.insert(0, PROJECT_FILE.to_string());
    let ignore = root.join(".gitignore");
    if !ignore.exists() {
        // Lock files, temporary copies a crash may leave (the next write removes them) and
        // `duiyi edit`'s working files are never history.
        let text = format!(
            "/{}\n/{}/*/.lock\n/{}/.lock\n.*.tmp\n*.{}\n",
            layout::EDITIONS,
            layout::TRANSLATIONS,
            layout::GLOSSARY,
            layout::WORKING_FILE,
        );
        fs::write(&ignore, text).map_err(|e| ProjectError::io(&ignore, e))?;
        created.push(".gitignore".to_string());
    }
    let attributes = root.join(".gitattributes");
    if !attributes.exists() {
        // Journals are append-only lines: two branches' appends merge without a conflict.
        fs::write(
            &attributes,
            "translations/*/history.jsonl merge=union\ntranslations/*/accepted.jsonl merge=union\nglossary/history.jsonl merge=union\n",
        )
        .map_err(|e| ProjectError::io(&attributes, e))?;
        created.push(".gitattributes".to_string());
    }
    Ok(Initialized { root, created })
}

fn render_config(config: &Config) -> String {
    let targets = config
        .project
        .targets
        .iter()
        .map(|t| format!("{t:?}"))
        .collect::<Vec<_>>()
        .join(", ");
    let name = config
        .project
        .name
        .as_deref()
        .map(|n| format!("name = {}\n", toml_string(n)))
        .unwrap_or_default();
    format!(
        "# duiyi project settings (see `duiyi --help`)\n\n[project]\n{name}source = {:?}\ntargets = [{targets}]\n\n[segmentation]\n# Also end sentences after ；\nsemicolon = false\n# srx = \"rules/custom.srx\"   # SRX 2.0 rules (OmegaT, Okapi)\n# srx_mode = \"extend\"         # or \"replace\"\n\n# Documents default to every source/*.txt. List them to fix the order or the encoding:\n# [[documents]]\n# name = \"my-document\"\n# encoding = \"gb18030\"\n",
        config.project.source
    )
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ProjectError> {
        parse_config(text, Path::new("duiyi.toml"))
    }

    #[test]
    fn minimal_config_parses() {
        let c = parse("[project]\nsource = \"zh\"\ntargets = [\"en\", \"fr\"]\n").unwrap();
        assert_eq!(c.project.targets, ["en", "fr"]);
        assert!(!c.segmentation.semicolon);
        assert!(c.documents.is_empty());
    }

    #[test]
    fn unknown_key_names_line_and_key() {
        let err = parse("[project]\nsource = \"zh\"\ntargtes = [\"en\"]\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("duiyi.toml:3:"), "{msg}");
        assert!(msg.contains("targtes"), "{msg}");
    }

    #[test]
    fn syntax_error_names_line() {
        let err = parse("[project]\nsource = zh\n").unwrap_err();
        assert!(err.to_string().starts_with("duiyi.toml:2:"), "{err}");
    }

    #[test]
    fn bad_language_and_duplicate_documents_are_refused() {
        assert!(parse("[project]\nsource = \"中文\"\n").is_err());
        assert!(parse("[project]\nsource = \"zh\"\ntargets = [\"zh\"]\n").is_err());
        let dup = "[project]\nsource = \"zh\"\n[[documents]]\nname = \"a\"\n[[documents]]\nname = \"a\"\n";
        assert!(parse(dup).unwrap_err().to_string().contains("twice"));
    }

    #[test]
    fn document_names_cannot_leave_the_project() {
        for bad in ["../x", "a/b", "", ".hidden", "a b", "x\\y"] {
            assert!(validate_name(bad).is_err(), "{bad}");
        }
        for good in ["intl-development-cooperation", "report_2021.v2", "白皮书"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn document_ids_come_from_any_file_name() {
        for (file, id) in [
            ("China's Path 2021.txt", "China-s-Path-2021"),
            ("white paper (draft).txt", "white-paper-draft"),
            ("白皮书 终稿.txt", "白皮书-终稿"),
            (
                "intl-development-cooperation.txt",
                "intl-development-cooperation",
            ),
        ] {
            assert_eq!(document_id(Path::new(file)).unwrap(), id, "{file}");
        }
        for bad in ["'''.txt", "a..b.txt"] {
            let err = document_id(Path::new(bad)).unwrap_err().to_string();
            assert!(err.contains("rename the file"), "{err}");
        }
    }

    #[test]
    fn a_bad_language_tag_names_its_line() {
        let e = parse("[project]\nsource = \"zh\"\ntargets = [\"en_US\"]\n").unwrap_err();
        let m = e.to_string();
        assert!(
            m.starts_with("duiyi.toml:3:") && m.contains("BCP 47"),
            "{m}"
        );
    }

    #[test]
    fn targets_and_documents_are_checked_in_one_place() {
        let dir = tempfile::tempdir().unwrap();
        init(dir.path(), "zh", &["en".into(), "fr".into()]).unwrap();
        let p = Project::open(dir.path()).unwrap();
        assert_eq!(p.target("fr").unwrap().as_str(), "fr");
        let e = p.target("de").unwrap_err().to_string();
        assert!(
            e.contains("\"de\" is not a target language") && e.contains("en, fr"),
            "{e}"
        );
        assert!(matches!(
            p.target_or_only(None),
            Err(ProjectError::WhichLanguage { .. })
        ));
        assert_eq!(p.targets_or_all::<&str>(&[]).unwrap().len(), 2);
        assert!(p.targets_or_all(&["en", "xx"]).is_err());
        assert!(matches!(
            p.document_or_only(None),
            Err(ProjectError::NoDocuments { .. })
        ));
        for name in ["a", "b"] {
            fs::write(p.source_dir().join(format!("{name}.txt")), "甲。\n").unwrap();
        }
        let e = p.document_or_only(None).unwrap_err().to_string();
        assert!(
            e.contains("2 documents (a, b)") && e.contains("--doc NAME"),
            "{e}"
        );
        assert_eq!(p.document_or_only(Some("b")).unwrap().name, "b");
        assert_eq!(p.some_documents(None).unwrap().len(), 2);
        assert_eq!(
            p.working_file("en", "a"),
            dir.path().join("translations/en/a.edit.txt")
        );
        assert_eq!(p.cache_dir(), dir.path().join(".duiyi/cache"));
    }

    #[test]
    fn init_writes_a_project_that_opens() {
        let dir = tempfile::tempdir().unwrap();
        let made = init(dir.path(), "zh", &["en".into(), "fr".into()]).unwrap();
        assert!(made.created.contains(&"translations/fr/".to_string()));
        let p = Project::open(dir.path()).unwrap();
        assert_eq!(p.target_languages(), ["en", "fr"]);
        assert!(matches!(
            init(dir.path(), "zh", &[]),
            Err(ProjectError::AlreadyInitialized(_))
        ));
        let nested = dir.path().join("source");
        assert_eq!(Project::discover(&nested).unwrap().root(), dir.path());
    }
}
