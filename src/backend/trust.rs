//! Which projects may run programs: a `command` backend runs only in a project the user has
//! trusted with `duiyi trust`, as direnv (`direnv allow`) and mise (`mise trust`) do.
//!
//! A `duiyi.toml` arrives with every cloned repository, and a `[backends.NAME]` table of
//! `type = "command"` names a program that `duiyi translate` would start. So the decision to
//! run it is recorded outside the project, in the user's configuration folder, where a
//! repository cannot write: one small file per trusted project under `trusted/`, named by a
//! hash of the project's canonical path, holding that path and a hash of the `duiyi.toml`
//! that was trusted. Any change to `duiyi.toml` (a new program, a new argument) needs a new
//! `duiyi trust`; moving the project too.
//!
//! The folder is `$DUIYI_CONFIG_DIR`, else `$XDG_CONFIG_HOME/duiyi`, else `~/.config/duiyi`.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::project::{PROJECT_FILE, Project};

/// The environment variable naming the configuration folder (tests point it at a temporary
/// folder).
pub const CONFIG_DIR_ENV: &str = "DUIYI_CONFIG_DIR";

/// Errors of the trust store.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// No configuration folder: no `DUIYI_CONFIG_DIR`, `XDG_CONFIG_HOME` or `HOME`.
    #[error(
        "cannot find your configuration folder: set {CONFIG_DIR_ENV} (or XDG_CONFIG_HOME or HOME) to a folder duiyi may write"
    )]
    NoConfigDir,
    /// A command backend in a project that is not trusted.
    #[error("{}", untrusted_message(.backend, .program, .root, *.changed))]
    Untrusted {
        /// The `[backends.NAME]` name.
        backend: String,
        /// The program and its arguments.
        program: Vec<String>,
        /// The project root.
        root: PathBuf,
        /// Whether the project was trusted before `duiyi.toml` changed.
        changed: bool,
    },
    /// Reading or writing the trust store failed.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

fn untrusted_message(backend: &str, program: &[String], root: &Path, changed: bool) -> String {
    let why = if changed {
        format!("{PROJECT_FILE} changed since you trusted this project")
    } else {
        "this project is not trusted".to_string()
    };
    format!(
        "backend {backend} would run the program {program:?} ([backends.{backend}] in {}); {why}. duiyi runs programs only for projects you trust: read {PROJECT_FILE}, then run `duiyi trust` in {}",
        root.join(PROJECT_FILE).display(),
        root.display()
    )
}

/// Whether a project is trusted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "trust")]
pub enum TrustStatus {
    /// Trusted with the current `duiyi.toml`.
    Trusted {
        /// When it was trusted (UTC RFC 3339).
        at: String,
    },
    /// Trusted once, but `duiyi.toml` has changed since.
    Changed {
        /// When it was trusted.
        at: String,
    },
    /// Never trusted (or revoked).
    Untrusted,
}

impl fmt::Display for TrustStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrustStatus::Trusted { at } => write!(f, "trusted (since {at})"),
            TrustStatus::Changed { at } => write!(
                f,
                "not trusted: {PROJECT_FILE} changed since it was trusted ({at}); run `duiyi trust` again"
            ),
            TrustStatus::Untrusted => write!(f, "not trusted; run `duiyi trust` to trust it"),
        }
    }
}

/// One trusted project, as recorded.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    path: PathBuf,
    duiyi_toml: String,
    at: String,
}

/// The user's record of trusted projects.
#[derive(Debug, Clone)]
pub struct TrustStore {
    dir: PathBuf,
}

impl TrustStore {
    /// The store in `config_dir` (its `trusted/` folder).
    pub fn new(config_dir: &Path) -> Self {
        Self {
            dir: config_dir.join("trusted"),
        }
    }

    /// The store of the user: `$DUIYI_CONFIG_DIR`, `$XDG_CONFIG_HOME/duiyi` or
    /// `~/.config/duiyi`.
    pub fn of_user() -> Result<Self, TrustError> {
        let var = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        let dir = var(CONFIG_DIR_ENV)
            .or_else(|| var("XDG_CONFIG_HOME").map(|d| d.join("duiyi")))
            .or_else(|| var("HOME").map(|h| h.join(".config").join("duiyi")))
            .ok_or(TrustError::NoConfigDir)?;
        Ok(Self::new(&dir))
    }

    /// The folder holding one file per trusted project.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether `project` (as its `duiyi.toml` reads now) is trusted.
    pub fn status(&self, project: &Project) -> Result<TrustStatus, TrustError> {
        let (path, canonical) = self.record_path(project)?;
        let text = match std::fs::read(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(TrustStatus::Untrusted);
            }
            Err(source) => return Err(TrustError::Io { path, source }),
        };
        // A record that does not parse or names another path (a hash collision) trusts nothing.
        let Ok(record) = serde_json::from_slice::<Record>(&text) else {
            return Ok(TrustStatus::Untrusted);
        };
        if record.path != canonical {
            return Ok(TrustStatus::Untrusted);
        }
        Ok(if record.duiyi_toml == project.config_digest() {
            TrustStatus::Trusted { at: record.at }
        } else {
            TrustStatus::Changed { at: record.at }
        })
    }

    /// Trusts `project` with its current `duiyi.toml`.
    pub fn trust(&self, project: &Project) -> Result<(), TrustError> {
        let (path, canonical) = self.record_path(project)?;
        let record = Record {
            path: canonical,
            duiyi_toml: project.config_digest().to_string(),
            at: crate::clock::now(),
        };
        let mut text = serde_json::to_vec_pretty(&record).map_err(|e| TrustError::Io {
            path: record.path.clone(),
            source: std::io::Error::other(format!("cannot record this path: {e}")),
        })?;
        text.push(b'\n');
        crate::files::write_atomic(&path, &text).map_err(|e| TrustError::Io {
            path: path.clone(),
            source: std::io::Error::other(e.to_string()),
        })
    }

    /// Forgets `project`; returns whether it was recorded.
    pub fn revoke(&self, project: &Project) -> Result<bool, TrustError> {
        let (path, _) = self.record_path(project)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(TrustError::Io { path, source }),
        }
    }

    /// Refuses the program of the `command` backend `backend` unless `project` is trusted.
    pub fn check(
        &self,
        project: &Project,
        backend: &str,
        program: &[String],
    ) -> Result<(), TrustError> {
        match self.status(project)? {
            TrustStatus::Trusted { .. } => Ok(()),
            status => Err(TrustError::Untrusted {
                backend: backend.to_string(),
                program: program.to_vec(),
                root: project.root().to_path_buf(),
                changed: matches!(status, TrustStatus::Changed { .. }),
            }),
        }
    }

    /// The record's file and the project's canonical path.
    fn record_path(&self, project: &Project) -> Result<(PathBuf, PathBuf), TrustError> {
        let root = project.root();
        let canonical = std::fs::canonicalize(root).map_err(|source| TrustError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        let name =
            blake3::hash(canonical.as_os_str().as_encoded_bytes()).to_hex()[..32].to_string();
        Ok((self.dir.join(name), canonical))
    }
}

/// The `command` backends of `project` with their programs, for `duiyi trust` to show what
/// trusting allows.
pub fn programs(project: &Project) -> Vec<(String, Vec<String>)> {
    project
        .config()
        .backends
        .iter()
        .filter(|(_, s)| s.kind == Some(crate::project::BackendKind::Command))
        .map(|(name, s)| (name.clone(), s.command.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(dir: &Path, toml: &str) -> Project {
        std::fs::write(dir.join(PROJECT_FILE), toml).unwrap();
        Project::open(dir).unwrap()
    }

    const CONFIG: &str = "[project]\nsource = \"zh\"\ntargets = [\"en\"]\n\n[backends.local]\ntype = \"command\"\ncommand = [\"python3\", \"mt.py\"]\n";

    #[test]
    fn trust_is_keyed_by_path_and_config_and_can_be_revoked() {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let store = TrustStore::new(home.path());
        let p = project(root.path(), CONFIG);
        assert_eq!(store.status(&p).unwrap(), TrustStatus::Untrusted);
        let err = store.check(&p, "local", &["python3".into()]).unwrap_err();
        assert!(err.to_string().contains("duiyi trust"), "{err}");
        store.trust(&p).unwrap();
        assert!(matches!(
            store.status(&p).unwrap(),
            TrustStatus::Trusted { .. }
        ));
        store.check(&p, "local", &[]).unwrap();
        // The record lives in the user's folder, not in the project.
        assert_eq!(std::fs::read_dir(store.dir()).unwrap().count(), 1);
        // A changed duiyi.toml is no longer trusted.
        let changed = project(root.path(), &CONFIG.replace("mt.py", "evil.py"));
        assert!(matches!(
            store.status(&changed).unwrap(),
            TrustStatus::Changed { .. }
        ));
        assert!(
            store
                .check(&changed, "local", &[])
                .unwrap_err()
                .to_string()
                .contains("changed")
        );
        // Another folder with the same duiyi.toml is not trusted.
        let other = tempfile::tempdir().unwrap();
        assert_eq!(
            store.status(&project(other.path(), CONFIG)).unwrap(),
            TrustStatus::Untrusted
        );
        assert!(store.revoke(&p).unwrap());
        assert!(!store.revoke(&p).unwrap());
        assert_eq!(store.status(&p).unwrap(), TrustStatus::Untrusted);
    }

    #[test]
    fn a_record_of_another_path_trusts_nothing() {
        let home = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let store = TrustStore::new(home.path());
        let p = project(root.path(), CONFIG);
        store.trust(&p).unwrap();
        let (path, _) = store.record_path(&p).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let forged = text.replace(
            &*std::fs::canonicalize(root.path())
                .unwrap()
                .to_string_lossy(),
            "/elsewhere",
        );
        std::fs::write(&path, forged).unwrap();
        assert_eq!(store.status(&p).unwrap(), TrustStatus::Untrusted);
    }
}
