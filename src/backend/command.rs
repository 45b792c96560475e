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
//!
//! A request that is abandoned (the runner's timeout) or answered out of step (another id, a
//! line longer than `max_answer_bytes`) leaves the stream out of step: the next line read
//! could be the answer to the abandoned request. So the engine is taken out of its slot for
//! each exchange and put back only after a whole answer to *this* request; otherwise it is
//! dropped, which kills it, and the next request starts a fresh one. The program runs in a
//! process group of its own, and killing it kills the whole group, so an engine started
//! through `sh -c` or a wrapper script does not outlive it.

use std::path::PathBuf;
use std::process::Stdio;

use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::Mutex;

use super::{Backend, BackendError, BoxFuture, Languages, Reply, Request, terms};
use crate::project::{BackendSettings, Project};

struct Running {
    child: Child,
    /// The process group the program leads (its pid at start).
    group: Option<u32>,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for Running {
    /// Kills the program's whole process group (the child itself is also killed and reaped
    /// by tokio's `kill_on_drop`).
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(group) = self.group.and_then(|g| i32::try_from(g).ok()) {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(group),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

/// A backend that is a local program.
pub struct CommandBackend {
    name: String,
    program: Vec<String>,
    dir: PathBuf,
    langs: Languages,
    max_line: u64,
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
            max_line: s
                .max_answer_bytes
                .unwrap_or(super::http::DEFAULT_MAX_ANSWER),
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
        let mut command = Command::new(&self.program[0]);
        command
            .args(&self.program[1..])
            .current_dir(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        #[cfg(unix)]
        command.process_group(0);
        let mut child = command
            .spawn()
            .map_err(|e| self.error(format!("cannot start {:?}: {e}", self.program[0])))?;
        let group = child.id();
        let stdin = child.stdin.take().ok_or_else(|| self.error("no stdin"))?;
        let stdout = child.stdout.take().ok_or_else(|| self.error("no stdout"))?;
        Ok(Running {
            child,
            group,
            stdin,
            stdout: BufReader::new(stdout),
        })
    }

    async fn one(&self, r: &Request) -> Result<Reply, BackendError> {
        let mut slot = self.running.lock().await;
        // Out of the slot for the exchange: if this future is dropped mid-way, the engine is
        // dropped (killed) with it, and the next request starts a fresh one.
        let mut running = match slot.take() {
            Some(running) => running,
            None => self.start()?,
        };
        let mut line = self.line(r);
        line.push('\n');
        let mut answer = Vec::new();
        let io = async {
            running.stdin.write_all(line.as_bytes()).await?;
            running.stdin.flush().await?;
            (&mut running.stdout)
                .take(self.max_line)
                .read_until(b'\n', &mut answer)
                .await
        }
        .await;
        if matches!(io, Ok(0) | Err(_)) {
            let status = running
                .child
                .wait()
                .await
                .map_or_else(|e| e.to_string(), |s| s.to_string());
            return Err(self.error(format!(
                "the program stopped answering ({status}) at {}",
                r.r#ref
            )));
        }
        if answer.last() != Some(&b'\n') && answer.len() as u64 >= self.max_line {
            return Err(self.error(format!(
                "the answer to {} is longer than {} bytes (max_answer_bytes in [backends.{}]); the program is restarted",
                r.r#ref, self.max_line, self.name
            )));
        }
        let parsed = parse_answer(&self.name, &answer, r);
        // Only an answer to this very request keeps the engine: after an answer for another
        // id, the stream is out of step.
        if !matches!(parsed, Err(BackendError::Batch { .. })) {
            *slot = Some(running);
        }
        parsed
    }
}

/// Parses one answer line of a command backend to request `r`: its `text` with the
/// placeholders restored, or its `error`; an answer for another id is a
/// [`BackendError::Batch`].
pub fn parse_answer(name: &str, line: &[u8], r: &Request) -> Result<Reply, BackendError> {
    let malformed = |message: String| BackendError::Malformed {
        backend: name.to_string(),
        message,
    };
    let answer: Answer = serde_json::from_slice(line.trim_ascii())
        .map_err(|e| malformed(format!("line is not {{\"id\",\"text\"}} JSON: {e}")))?;
    if answer.id != r.id {
        return Err(BackendError::Batch {
            backend: name.to_string(),
            message: format!("answer for {:?} while {:?} was asked", answer.id, r.id),
        });
    }
    match (answer.text, answer.error) {
        (_, Some(e)) => Err(BackendError::Command {
            backend: name.to_string(),
            message: format!("{}: {e}", r.r#ref),
        }),
        (Some(t), None) => {
            let p = terms::protect(&r.source, &r.terms);
            Ok(Reply::Text {
                text: terms::restore(&t, &p.tokens),
                score: None,
            })
        }
        (None, None) => Err(malformed("an answer needs `text` or `error`".into())),
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
