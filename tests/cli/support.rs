//! The test builder: a project in a temporary folder, a command, what came out.

#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root (this project translates the white paper).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The schemas exchange files are validated against (`tests/data/schemas/`, see its README).
pub fn schemas() -> PathBuf {
    repo().join("tests/data/schemas")
}

/// The white paper's source text.
pub fn white_paper_text() -> String {
    std::fs::read_to_string(repo().join("source/intl-development-cooperation.txt"))
        .expect("the white paper is in source/")
}

/// A project in a temporary folder and the command to run in it.
pub struct Test {
    dir: tempfile::TempDir,
    /// The user's configuration folder (`DUIYI_CONFIG_DIR`: trusted projects), outside the
    /// project.
    config_dir: tempfile::TempDir,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    env: Vec<(String, String)>,
    cwd: Option<PathBuf>,
}

/// What a command printed and how it exited.
#[derive(Debug)]
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Exit code.
    pub code: i32,
}

pub const CONFIG: &str = "[project]\nsource = \"zh\"\ntargets = [\"en\", \"fr\"]\n";

impl Test {
    /// An empty project (zh → en, fr) with no documents.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("source")).expect("source/");
        std::fs::write(dir.path().join("duiyi.toml"), CONFIG).expect("duiyi.toml");
        let config_dir = tempfile::tempdir().expect("config dir");
        let env = vec![
            ("DUIYI_USER".into(), "tester".into()),
            (
                "DUIYI_CONFIG_DIR".into(),
                config_dir.path().display().to_string(),
            ),
        ];
        Self {
            dir,
            config_dir,
            args: Vec::new(),
            stdin: None,
            env,
            cwd: None,
        }
    }

    /// A folder with nothing in it (for `init` and "no project" errors).
    pub fn empty() -> Self {
        let t = Self::new();
        std::fs::remove_file(t.path().join("duiyi.toml")).expect("rm duiyi.toml");
        std::fs::remove_dir(t.path().join("source")).expect("rm source/");
        t
    }

    /// A copy of this repository's project without its translations: duiyi.toml, source/,
    /// glossary/. Tests that need the real translations use [`Test::white_paper_translated`].
    pub fn white_paper() -> Self {
        Self::copy_of(&["duiyi.toml", "source", "glossary"])
    }

    /// A copy of this repository's project with its translations.
    pub fn white_paper_translated() -> Self {
        Self::copy_of(&["duiyi.toml", "source", "glossary", "translations"])
    }

    fn copy_of(parts: &[&str]) -> Self {
        let t = Self::new();
        for rel in parts {
            let from = repo().join(rel);
            if from.exists() {
                copy_tree(&from, &t.path().join(rel));
            }
        }
        // The tests play their own team: the repository's reviewers stay with the repository,
        // and the tests' reviewers (`reviewer`, `li`, `rev`) may sign off. The four-eyes rule
        // (`self_review = false`) is kept.
        let config = t.path().join("duiyi.toml");
        let text = std::fs::read_to_string(&config).expect("duiyi.toml");
        let team = "reviewers = [\"reviewer\", \"li\", \"rev\", \"reviewer-en\", \"reviewer-en-2\", \"reviewer-fr\"]";
        let text: String = text
            .lines()
            .map(|l| {
                if l.starts_with("reviewers = ") {
                    team
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&config, text + "\n").expect("duiyi.toml");
        t
    }

    /// Adds a source document `source/<name>.txt`.
    pub fn source(self, name: &str, text: &str) -> Self {
        self.file(&format!("source/{name}.txt"), text)
    }

    /// Writes a file (any bytes) relative to the project root.
    pub fn file(self, rel: &str, contents: impl AsRef<[u8]>) -> Self {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, contents).expect("write file");
        self
    }

    /// Replaces duiyi.toml.
    pub fn config(self, toml: &str) -> Self {
        self.file("duiyi.toml", toml)
    }

    /// Sets the command's arguments (after `duiyi`).
    pub fn args(mut self, args: &[&str]) -> Self {
        self.args = args.iter().map(|s| (*s).to_string()).collect();
        self
    }

    /// Feeds standard input.
    pub fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.into(), value.into()));
        self
    }

    /// Runs from a sub-folder of the project instead of its root.
    pub fn cwd(mut self, rel: &str) -> Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(&p).expect("mkdir cwd");
        self.cwd = Some(p);
        self
    }

    /// The user's configuration folder the command sees (`DUIYI_CONFIG_DIR`).
    pub fn config_dir(&self) -> &Path {
        self.config_dir.path()
    }

    /// The project root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Reads a file of the project.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path().join(rel)).expect("read file")
    }

    /// Runs `duiyi` with the arguments set so far.
    pub fn run(&self) -> Output {
        let mut cmd = Command::cargo_bin("duiyi").expect("binary");
        cmd.current_dir(self.cwd.as_deref().unwrap_or(self.path()));
        cmd.env_remove("DUIYI_PROJECT").env("NO_COLOR", "1");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.args(&self.args);
        if let Some(input) = &self.stdin {
            cmd.write_stdin(input.clone());
        }
        let out = cmd.output().expect("run duiyi");
        Output {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// Runs with `args` (replacing earlier ones).
    pub fn cmd(&mut self, args: &[&str]) -> Output {
        self.args = args.iter().map(|s| (*s).to_string()).collect();
        self.run()
    }

    /// Runs with `args` and, for this run only, the extra environment `env`.
    pub fn cmd_env(&mut self, env: &[(&str, &str)], args: &[&str]) -> Output {
        let saved = self.env.len();
        self.env.extend(
            env.iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string())),
        );
        let out = self.cmd(args);
        self.env.truncate(saved);
        out
    }

    /// Runs `duiyi set LANG WHAT TEXT`.
    pub fn set(&mut self, lang: &str, what: &str, text: &str) -> Output {
        self.cmd(&["set", lang, what, text])
    }
}

impl Output {
    /// Asserts exit code 0 and returns self.
    #[track_caller]
    pub fn success(self) -> Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts an exit code.
    #[track_caller]
    pub fn code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr contains each of `parts`.
    #[track_caller]
    pub fn stderr_has(self, parts: &[&str]) -> Self {
        for p in parts {
            assert!(
                self.stderr.contains(p),
                "stderr lacks {p:?}:\n{}",
                self.stderr
            );
        }
        self
    }

    /// Asserts that stdout contains each of `parts`.
    #[track_caller]
    pub fn stdout_has(self, parts: &[&str]) -> Self {
        for p in parts {
            assert!(
                self.stdout.contains(p),
                "stdout lacks {p:?}:\n{}",
                self.stdout
            );
        }
        self
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// The string `key` of each item of the JSON array `json`.
#[track_caller]
pub fn strings<'a>(json: &'a serde_json::Value, key: &str) -> Vec<&'a str> {
    let Some(items) = json.as_array() else {
        panic!("not a JSON array:\n{json}");
    };
    items
        .iter()
        .map(|item| {
            item[key]
                .as_str()
                .unwrap_or_else(|| panic!("no string {key:?} in {item}"))
        })
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("mkdir");
        for entry in std::fs::read_dir(from).expect("read dir") {
            let entry = entry.expect("entry");
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).expect("copy");
    }
}

/// An external program some tests use to check what duiyi wrote.
#[derive(Clone, Copy, Debug)]
pub enum Tool {
    /// `xmllint` (libxml2): XML well-formedness and XSD, DTD and RELAX NG validation.
    Xmllint,
    /// Headless Chromium: renders the HTML edition.
    Chromium,
    /// `python3`: runs the toy `command` backend (tests/data/mt-echo.py).
    Python3,
    /// `EPUBCheck` (`/usr/share/java/epubcheck.jar`, run with `java -jar`).
    Epubcheck,
    /// `LibreOffice`, headless (`soffice`): opens the DOCX edition and prints it to PDF.
    LibreOffice,
    /// Poppler's `pdftotext`, `pdffonts` and `pdfinfo`: the text, fonts and pages of a PDF.
    Poppler,
    /// A font with Chinese characters (`fc-list :lang=zh` lists one): the PDF edition's.
    CjkFont,
    /// translate-toolkit's converters (`xliff2po`, `pocount`), from the Python package index; `.ci/run` installs
    /// them in a virtualenv and puts it on `PATH`.
    TranslateToolkit,
    /// `LibreOffice` Calc headless (`soffice --headless --convert-to`): re-saves spreadsheets.
    Soffice,
    /// `OmegaT` (Debian's 3.6, `/usr/share/omegat/OmegaT.jar`, run with `java -jar` in console
    /// mode).
    Omegat,
    /// `chromedriver`: drives Chromium over `WebDriver` (the workbench's browser tests).
    Chromedriver,
}

/// Where Debian's `omegat` package puts the jar (run with `java -jar`, so the tests can give it
/// a home folder of its own).
pub const OMEGAT_JAR: &str = "/usr/share/omegat/OmegaT.jar";

/// Where Debian's `epubcheck` package puts the jar (its launcher script needs binfmt support
/// that containers lack, so the tests run the jar with `java -jar`).
pub const EPUBCHECK_JAR: &str = "/usr/share/java/epubcheck.jar";

impl Tool {
    /// The command name, as the messages show it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Xmllint => "xmllint",
            Tool::Chromium => "chromium",
            Tool::Python3 => "python3",
            Tool::Epubcheck => "epubcheck",
            Tool::LibreOffice | Tool::Soffice => "soffice",
            Tool::Poppler => "pdftotext",
            Tool::CjkFont => "a CJK font",
            Tool::TranslateToolkit => "xliff2po",
            Tool::Omegat => "omegat",
            Tool::Chromedriver => "chromedriver",
        }
    }

    /// How to install it (what `.ci/run` does).
    fn install(self) -> &'static str {
        match self {
            Tool::Xmllint => "Debian: apt-get install libxml2-utils",
            Tool::Chromium => "Debian: apt-get install chromium",
            Tool::Python3 => "Debian: apt-get install python3",
            Tool::Epubcheck => "Debian: apt-get install epubcheck",
            Tool::LibreOffice => "Debian: apt-get install libreoffice-writer-nogui",
            Tool::Poppler => "Debian: apt-get install poppler-utils",
            Tool::CjkFont => "Debian: apt-get install fonts-noto-cjk",
            Tool::TranslateToolkit => "pip install translate-toolkit in a virtualenv on PATH",
            Tool::Soffice => "Debian: apt-get install libreoffice-calc-nogui",
            Tool::Omegat => "Debian: apt-get install omegat",
            Tool::Chromedriver => "Debian: apt-get install chromium-driver",
        }
    }

    /// Whether the tool runs here.
    fn runs(self) -> bool {
        let runs = |program: &str, arg: &str| {
            std::process::Command::new(program)
                .arg(arg)
                .output()
                .is_ok_and(|o| o.status.success())
        };
        match self {
            Tool::Epubcheck => Path::new(EPUBCHECK_JAR).is_file() && runs("java", "-version"),
            Tool::Poppler => runs("pdftotext", "-v") && runs("pdffonts", "-v"),
            Tool::CjkFont => std::process::Command::new("fc-list")
                .args([":lang=zh", "family"])
                .output()
                .is_ok_and(|o| o.status.success() && !o.stdout.trim_ascii().is_empty()),
            Tool::Omegat => Path::new(OMEGAT_JAR).is_file() && runs("java", "-version"),
            tool => runs(tool.name(), "--version"),
        }
    }
}

/// Whether the tests run as CI runs them (`CI=true`, which `.ci/run` exports).
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Whether `tool` is there for a check of `what`: the one place that decides what a missing
/// tool means. Under `CI=true` the test fails, so CI never passes without having checked;
/// elsewhere this returns false after a note on stderr, and the caller leaves that check out.
#[track_caller]
pub fn have(tool: Tool, what: &str) -> bool {
    if tool.runs() {
        return true;
    }
    let (name, install) = (tool.name(), tool.install());
    assert!(
        !on_ci(),
        "{name} is missing, so {what} cannot be checked, and CI=true does not allow skipping it. \
         Install it ({install}; .ci/run does) or unset CI."
    );
    // Written to the process's stderr, not through `eprintln!`, which the test harness
    // captures: a check left out shows in every `cargo test` run.
    let _ = writeln!(
        std::io::stderr(),
        "note: {name} is missing, so {what} is not checked here ({install}; \
         under CI=true this fails)"
    );
    false
}
