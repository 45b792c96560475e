//! The `memory` backend (the default): the best match of the project's translation memory
//! ([`crate::memory`]), offline. Below the threshold it answers [`Reply::Skip`] and the segment
//! is left untouched; a segment is never offered its own record, so a run never "translates" a
//! segment with the text it already has.

use super::{Backend, BackendError, BoxFuture, Reply, Request};
use crate::memory::{Asking, Memory};

/// The `memory` backend: the best memory match, or nothing.
#[derive(Debug)]
pub struct MemoryBackend {
    name: String,
    memory: Memory,
    threshold: f64,
}

impl MemoryBackend {
    /// A backend over `memory` using matches scoring at least `threshold`.
    pub fn new(name: &str, memory: Memory, threshold: f64) -> Self {
        Self {
            name: name.to_string(),
            memory,
            threshold,
        }
    }

    /// The memory.
    pub fn memory(&self) -> &Memory {
        &self.memory
    }

    /// The reply for one request.
    pub fn answer(&self, r: &Request) -> Reply {
        let asking = Asking {
            doc: &r.doc,
            id: &r.id,
        };
        match self.memory.best(&r.source, self.threshold, Some(asking)) {
            Some(m) => Reply::Text {
                text: m.entry.target.clone(),
                score: Some(m.score),
            },
            None => Reply::Skip,
        }
    }
}

impl Backend for MemoryBackend {
    fn name(&self) -> &str {
        &self.name
    }

    fn model(&self) -> &str {
        "memory"
    }

    fn batch_size(&self) -> usize {
        64
    }

    fn is_memory(&self) -> bool {
        true
    }

    fn preview(&self, batch: &[Request]) -> String {
        format!(
            "look up {} segment(s) in a memory of {} entries (threshold {:.2}); nothing leaves this machine",
            batch.len(),
            self.memory.len(),
            self.threshold
        )
    }

    fn translate<'a>(
        &'a self,
        batch: &'a [Request],
    ) -> BoxFuture<'a, Result<Vec<Reply>, BackendError>> {
        Box::pin(async move { Ok(batch.iter().map(|r| self.answer(r)).collect()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::Provenance;

    #[test]
    fn the_backend_never_answers_a_segment_with_its_own_record() {
        let mut m = Memory::new();
        m.add(
            "南南合作。",
            "South-South cooperation.",
            Provenance::Record {
                doc: "doc".into(),
                id: "aaaaaaaaaaaaaaaa".into(),
                r#ref: "1¶1.1".into(),
            },
        );
        let b = MemoryBackend::new("memory", m, 0.75);
        let mut r = Request {
            doc: "doc".into(),
            id: "aaaaaaaaaaaaaaaa".into(),
            r#ref: "1¶1.1".into(),
            source: "南南合作。".into(),
            terms: Vec::new(),
            context: super::super::Context::default(),
            strict: false,
        };
        assert_eq!(b.answer(&r), Reply::Skip);
        r.id = "bbbbbbbbbbbbbbbb".into();
        assert_eq!(
            b.answer(&r),
            Reply::Text {
                text: "South-South cooperation.".into(),
                score: Some(1.0)
            }
        );
    }
}
