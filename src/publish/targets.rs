//! What the reading editions, the gate and the report need of one language's store, and no
//! more: per live segment its ref, target, state and whether it is flagged.
//!
//! [`Targets::load`] reads a current store (its header names the document, the language and
//! the source's fingerprint, as [`Store::open`] checks) line by line, parsing each line into a
//! borrowed [`RecordView`] and keeping only those fields, so half a million segments cost
//! their targets and not their sources, refs of history and notes too. A store that is not
//! current, missing, or that the strict reader would refuse (conflict markers, a bad line, a
//! duplicate id) is opened by [`Store::open`] instead — merged with the document, or refused
//! with the same error — and converted ([`Targets::from_records`]).

use std::collections::HashSet;
use std::fs::File;
use std::hash::BuildHasherDefault;
use std::io::{BufRead, BufReader};

use crate::project::{DocumentSpec, Project};
use crate::store::record::{
    FORMAT, Header, IdHasher, IdMap, RecordView, State, Translation, id_key,
};
use crate::store::{self, Store, StoreError};

/// One live segment of a language, as publishing reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The segment's ref as the store has it (for the gate's list of blocking segments).
    pub r#ref: Box<str>,
    /// The target text (empty when untranslated).
    pub text: Box<str>,
    /// The review state.
    pub state: State,
    /// Whether the record carries a flag.
    pub flagged: bool,
}

/// One language's live segments, in store order, by id.
#[derive(Debug, Clone, Default)]
pub struct Targets {
    /// The language.
    pub lang: String,
    records: Vec<Target>,
    index: IdMap<u32>,
    modified: Option<String>,
}

impl Targets {
    /// Reads `lang`'s store of `spec`: line by line when it is current, else through
    /// [`Store::open`] (which merges it with the document, or refuses it).
    pub fn load(project: &Project, spec: &DocumentSpec, lang: &str) -> Result<Self, StoreError> {
        if let Some(targets) = Self::read_current(project, spec, lang) {
            return Ok(targets);
        }
        let records = Store::open(project, spec, lang)?.into_records();
        Ok(Self::from_records(lang, &records))
    }

    /// The targets of records in hand (obsolete ones are left out).
    pub fn from_records(lang: &str, records: &[Translation]) -> Self {
        let mut targets = Self {
            lang: lang.to_string(),
            ..Self::default()
        };
        for r in records.iter().filter(|r| !r.obsolete) {
            let Some(key) = id_key(&r.id) else {
                continue;
            };
            targets.push(
                key,
                &r.r#ref,
                &r.target,
                r.state,
                !r.flags.is_empty(),
                r.when.as_deref(),
            );
        }
        targets
    }

    /// The store read line by line, or `None` when it is not current or anything in it would
    /// make the strict reader refuse it (the caller then takes [`Store::open`]'s path, which
    /// reports the problem as every other command does).
    fn read_current(project: &Project, spec: &DocumentSpec, lang: &str) -> Option<Self> {
        project.target(lang).ok()?;
        let fingerprint = store::fingerprint(project, spec).ok()?;
        let path = store::store_path(project, lang, &spec.name);
        let mut reader = BufReader::with_capacity(1 << 16, File::open(&path).ok()?);
        let mut buf = Vec::with_capacity(1 << 12);
        let mut targets = Self {
            lang: lang.to_string(),
            ..Self::default()
        };
        let mut obsolete: HashSet<u64, BuildHasherDefault<IdHasher>> = HashSet::default();
        let mut header: Option<Header> = None;
        loop {
            buf.clear();
            if reader.read_until(b'\n', &mut buf).ok()? == 0 {
                break;
            }
            let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            if [b"<<<<<<<", b"=======", b">>>>>>>", b"|||||||"]
                .iter()
                .any(|m| line.starts_with(*m))
            {
                return None;
            }
            if header.is_none() {
                // The first line must be this document's header with the current fingerprint.
                let h: Header = serde_json::from_slice(line).ok()?;
                if h.duiyi != FORMAT
                    || h.doc != spec.name
                    || h.lang != lang
                    || h.fingerprint != fingerprint
                {
                    return None;
                }
                header = Some(h);
                continue;
            }
            let r: RecordView<'_> = serde_json::from_slice(line).ok()?;
            let key = id_key(&r.id)?;
            if r.obsolete {
                if targets.index.contains_key(&key) || !obsolete.insert(key) {
                    return None;
                }
                continue;
            }
            if obsolete.contains(&key) || targets.index.contains_key(&key) {
                return None;
            }
            targets.push(
                key,
                &r.r#ref,
                &r.target,
                r.state,
                !r.flags.is_empty(),
                r.when.as_deref(),
            );
        }
        // As many live records as the header promises: else some were cut from the file, and
        // the strict path counts them as untranslated.
        let live = targets.records.len();
        header
            .filter(|h| h.is_current(&spec.name, lang, &fingerprint, live))
            .map(|_| targets)
    }

    fn push(
        &mut self,
        key: u64,
        r#ref: &str,
        text: &str,
        state: State,
        flagged: bool,
        when: Option<&str>,
    ) {
        // EPUB's `dcterms:modified`: the latest well-formed change time.
        if let Some(w) = when.filter(|w| w.len() == 20 && w.ends_with('Z'))
            && self.modified.as_deref().is_none_or(|m| w > m)
        {
            self.modified = Some(w.to_string());
        }
        let Ok(at) = u32::try_from(self.records.len()) else {
            return;
        };
        self.index.insert(key, at);
        self.records.push(Target {
            r#ref: r#ref.into(),
            text: text.into(),
            state,
            flagged,
        });
    }

    /// The live segment with this id.
    pub fn get(&self, id: &str) -> Option<&Target> {
        let at = *self.index.get(&id_key(id)?)?;
        self.records.get(at as usize)
    }

    /// The live segments in store order.
    pub fn iter(&self) -> impl Iterator<Item = &Target> {
        self.records.iter()
    }

    /// The number of live segments.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether the language has no live segment.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Whether any live segment is translated.
    pub fn any_translated(&self) -> bool {
        self.records.iter().any(|t| !t.text.is_empty())
    }

    /// The latest change of a live record (`YYYY-MM-DDTHH:MM:SSZ`), when one is known.
    pub fn modified(&self) -> Option<&str> {
        self.modified.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;
    use crate::store::file;
    use crate::store::record::Flag;

    /// A project holding the fixture's source, with the fixture's English written as a current
    /// store (one record flagged, one obsolete).
    fn project() -> (tempfile::TempDir, Project, DocumentSpec, Vec<Translation>) {
        let dir = tempfile::tempdir().unwrap();
        crate::project::init(dir.path(), "zh", &["en".into()]).unwrap();
        std::fs::write(dir.path().join("source/paper.txt"), fixture::SOURCE).unwrap();
        let project = Project::open(dir.path()).unwrap();
        let spec = project.document("paper").unwrap();
        let (_, stores) = fixture::stores();
        let mut records = stores[0].1.clone();
        records[5].flags.insert(Flag::NeedsReview);
        let mut gone = Translation::initial("00000000000000ff", "9¶9.9", "旧");
        gone.target = "Old".into();
        gone.when = Some("2030-01-01T00:00:00Z".into());
        gone.obsolete = true;
        records.push(gone);
        let header = Header {
            duiyi: FORMAT.into(),
            doc: "paper".into(),
            lang: "en".into(),
            fingerprint: store::fingerprint(&project, &spec).unwrap(),
            segments: Some(records.iter().filter(|r| !r.obsolete).count()),
            tx: None,
        };
        let path = store::store_path(&project, "en", "paper");
        std::fs::write(&path, file::render(&header, &records)).unwrap();
        (dir, project, spec, records)
    }

    fn full(project: &Project, spec: &DocumentSpec) -> Targets {
        Targets::from_records("en", Store::open(project, spec, "en").unwrap().records())
    }

    fn same(a: &Targets, b: &Targets) {
        assert_eq!(a.lang, b.lang);
        assert_eq!(a.records, b.records);
        assert_eq!(a.modified, b.modified);
        assert_eq!(a.index, b.index);
    }

    #[test]
    fn a_current_store_read_line_by_line_matches_the_full_path() {
        let (_dir, project, spec, records) = project();
        let streamed = Targets::read_current(&project, &spec, "en").expect("the store is current");
        same(&streamed, &full(&project, &spec));
        assert_eq!(
            streamed.len(),
            records.len() - 1,
            "the obsolete record is left out"
        );
        assert!(streamed.get("00000000000000ff").is_none());
        assert_eq!(streamed.modified(), Some("2026-11-29T13:10:00Z"));
        assert_eq!(streamed.iter().filter(|t| t.flagged).count(), 1);
        for r in records.iter().filter(|r| !r.obsolete) {
            let t = streamed.get(&r.id).unwrap();
            assert_eq!(
                (&*t.text, t.state, &*t.r#ref),
                (r.target.as_str(), r.state, r.r#ref.as_str())
            );
        }
        let (doc, _) = fixture::stores();
        let targets = [streamed];
        let edition = super::super::Edition::new(&doc, "zh", &targets, State::Reviewed);
        let shown: Vec<_> = doc
            .segments()
            .map(|s| edition.shown(0, s.id()).mark)
            .collect();
        assert_eq!(shown.iter().filter(|m| m.is_none()).count(), 7, "{shown:?}");
    }

    #[test]
    fn a_stale_or_broken_store_takes_the_full_path() {
        let (dir, project, spec, records) = project();
        let path = store::store_path(&project, "en", "paper");
        let text = std::fs::read_to_string(&path).unwrap();

        // A changed source: the header's fingerprint no longer matches; the store is merged.
        let source = dir.path().join("source/paper.txt");
        std::fs::write(&source, format!("{}\n新增一段。\n", fixture::SOURCE)).unwrap();
        assert!(Targets::read_current(&project, &spec, "en").is_none());
        let merged = Targets::load(&project, &spec, "en").unwrap();
        same(&merged, &full(&project, &spec));
        assert_eq!(merged.len(), records.len(), "merged with the new segment");
        std::fs::write(&source, fixture::SOURCE).unwrap();
        assert!(Targets::read_current(&project, &spec, "en").is_some());

        // Records out of order are read as they are.
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        std::fs::write(&path, lines.join("\n")).unwrap();
        let reversed = Targets::load(&project, &spec, "en").unwrap();
        same(&reversed, &full(&project, &spec));

        // A record cut from the file: the strict path merges it back as untranslated.
        let mut cut = lines.clone();
        let gone = cut.remove(3);
        std::fs::write(&path, cut.join("\n")).unwrap();
        assert!(Targets::read_current(&project, &spec, "en").is_none());
        let merged = Targets::load(&project, &spec, "en").unwrap();
        assert_eq!(
            merged.len(),
            records.len() - 1,
            "every live segment is there"
        );
        let id = serde_json::from_str::<Translation>(gone).unwrap().id;
        let back = merged.get(&id).unwrap();
        assert_eq!((back.state, &*back.text), (State::Initial, ""));
        std::fs::write(&path, lines.join("\n")).unwrap();

        // A duplicated line: refused by the strict reader, so refused here too.
        lines.push(lines[2]);
        std::fs::write(&path, lines.join("\n")).unwrap();
        assert!(Targets::read_current(&project, &spec, "en").is_none());
        assert!(matches!(
            Targets::load(&project, &spec, "en"),
            Err(StoreError::Duplicate { .. })
        ));

        // No store yet: every segment untranslated.
        std::fs::remove_file(&path).unwrap();
        let fresh = Targets::load(&project, &spec, "en").unwrap();
        assert!(!fresh.any_translated());
    }
}
