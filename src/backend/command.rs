//! A local program as a backend, speaking JSON lines over stdin/stdout.
//!
//! The program (`command = ["python3", "marian.py"]`, run in the project root) is started once
//! and kept running. For each segment duiyi writes one line to its stdin and reads one line from
//! its stdout:
//!
//! ```text
//! → {"id":"9f3a…","source":"推动一带一路。","text":"推动[[T1]]。","source_lang":"zh","target_lang":"en","terms":[{"source":"一带一路","target":"Belt and Road Initiative"}]}
//! ← {"id":"9f3a…","text":"Promote the [[T1]]."}
//! ← {"id":"9f3a…","error":"what went wrong"}        (a failure of this segment only)
//! ```
//!
//! `text` is `source` with the approved terms replaced by placeholders; an engine that cannot
//! use `terms` translates `text` and leaves the `[[Tn]]` tokens alone, and duiyi puts the
//! approved renderings back. The answer's `id` must be the request's. Anything the program
//! writes to stderr is passed through. If the program exits, the segment in flight fails with
//! its exit status and the next request starts it again.

use std::path::PathBuf;
use std::process::Stdio;

use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::Mutex;

use super::{Backend, BackendError, BoxFuture, Languages, Reply, Request, terms};
use crate::project::{BackendSettings, Project};

struct Running {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// A backend that is a local program.
pub struct CommandBackend {
    name: String,
    program: Vec<String>,
    dir: PathBuf,
    langs: Languages,
    running: Mutex<Option<Running>>,
}

impl std::fmt::Debug for CommandBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandBackend")
            .field("name", &self.name)
            .field("program", &self.program)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Answer {
    id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

impl CommandBackend {
    /// Builds the backend from `command = [PROGRAM, ARGS...]`.
    pub fn new(
        project: &Project,
        name: &str,
        s: &BackendSettings,
        langs: &Languages,
    ) -> Result<Self, BackendError> {
        if s.command.is_empty() {
            return Err(BackendError::Config(format!(
                "backend {name}: set `command = [\"program\", \"arg\", ...]` in [backends.{name}]"
            )));
        }
        Ok(Self {
            name: name.to_string(),
            program: s.command.clone(),
            dir: project.root().to_path_buf(),
            langs: langs.clone(),
            running: Mutex::new(None),
        })
    }

    fn line(&self, r: &Request) -> String {
        let p = terms::protect(&r.source, &r.terms);
        json!({
            "id": r.id,
            "source": r.source,
            "text": p.text,
            "source_lang": self.langs.source,
            "target_lang": self.langs.target,
            "terms": r.terms,
        })
        .to_string()
    }

    fn error(&self, message: impl Into<String>) -> BackendError {
        BackendError::Command {
            backend: self.name.clone(),
            message: message.into(),
        }
    }

    fn start(&self) -> Result<Running, BackendError> {
        let mut child = Command::new(&self.program[0])
            .args(&self.program[1..])
            .current_dir(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| self.error(format!("cannot start {:?}: {e}", self.program[0])))?;
        let stdin = child.stdin.take().ok_or_else(|| self.error("no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| self.error("no stdout"))?;
        Ok(Running {
            child,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    async fn one(&self, r: &Request) -> Result<Reply, BackendError> {
        let mut guard = self.running.lock().await;
        if guard.is_none() {
            *guard = Some(self.start()?);
        }
        let Some(running) = guard.as_mut() else {
            return Err(self.error("not running"));
        };
        let mut line = self.line(r);
        line.push('\n');
        let mut answer = String::new();
        let io = async {
            running.stdin.write_all(line.as_bytes()).await?;
            running.stdin.flush().await?;
            running.stdout.read_line(&mut answer).await
        }
        .await;
        if matches!(io, Ok(0) | Err(_)) {
            let mut gone = guard.take();
            let status = match gone.as_mut() {
                Some(g) => g
                    .child
                    .wait()
                    .await
                    .map_or_else(|e| e.to_string(), |s| s.to_string()),
                None => String::new(),
            };
            return Err(self.error(format!(
                "the program stopped answering ({status}) at {}",
                r.r#ref
            )));
        }
        let answer: Answer =
            serde_json::from_str(answer.trim()).map_err(|e| BackendError::Malformed {
                backend: self.name.clone(),
                message: format!("line is not {{\"id\",\"text\"}} JSON: {e}"),
            })?;
        if answer.id != r.id {
            return Err(BackendError::Batch {
                backend: self.name.clone(),
                message: format!("answer for {:?} while {:?} was asked", answer.id, r.id),
            });
        }
        match (answer.text, answer.error) {
            (_, Some(e)) => Err(self.error(format!("{}: {e}", r.r#ref))),
            (Some(t), None) => {
                let p = terms::protect(&r.source, &r.terms);
                Ok(Reply::Text {
                    text: terms::restore(&t, &p.tokens),
                    score: None,
                })
            }
            (None, None) => Err(BackendError::Malformed {
                backend: self.name.clone(),
                message: "an answer needs `text` or `error`".into(),
            }),
        }
    }
}

impl Backend for CommandBackend {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        self.program.last().map_or("", String::as_str)
    }

    fn needs_placeholders(&self) -> bool {
        true
    }

    fn preview(&self, batch: &[Request]) -> String {
        let lines: Vec<String> = batch.iter().map(|r| self.line(r)).collect();
        format!("→ {}\n{}", self.program.join(" "), lines.join("\n"))
    }

    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
        Box::pin(async move {
            let mut out = Vec::with_capacity(batch.len());
            for r in batch {
                out.push(self.one(r).await?);
            }
            Ok(out)
        })
    }
}
