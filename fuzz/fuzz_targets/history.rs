//! Arbitrary bytes as a language's journal `translations/<lang>/history.jsonl` and the store of
//! the document its events name, as a clone or a crash may leave them: reading the journal
//! (strictly and as committed) gives an error or the events, never a panic; recovery (what
//! taking the language's lock runs) gives an error or moves the lines it rolls back, and a
//! second recovery then finds nothing more to do.
//!
//! The input is split at its first `0xFF` byte (never part of UTF-8): the journal before it,
//! the store `translations/en/d.jsonl` after it (no store without one).
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use duiyi::project::{Project, init};
use duiyi::store::{history, history_path, store_path};
use libfuzzer_sys::fuzz_target;

static PROJECT: LazyLock<Project> = LazyLock::new(|| {
    let root: PathBuf =
        std::env::temp_dir().join(format!("duiyi-fuzz-history-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    init(&root, "zh", &["en".to_string()]).expect("a fresh project");
    Project::open(&root).expect("the fresh project opens")
});

fuzz_target!(|data: &[u8]| {
    let project = &*PROJECT;
    let (journal, store) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let path = history_path(project, "en");
    let store_file = store_path(project, "en", "d");
    let kept = history::rolled_back_path(project, "en");
    let _ = std::fs::remove_file(&kept);
    std::fs::write(&path, journal).expect("the journal is written");
    match store {
        Some(bytes) => std::fs::write(&store_file, bytes).expect("the store is written"),
        None => {
            let _ = std::fs::remove_file(&store_file);
        }
    }
    if let Ok(text) = std::str::from_utf8(journal) {
        let _ = history::parse(&path, text);
    }
    let _ = history::read(&path);
    let _ = history::read_committed(project, "en");
    if history::recover(project, "en").is_ok() {
        let again = history::recover(project, "en").expect("a recovered journal reads again");
        assert!(!again.any(), "a second recovery moved {again:?}");
    }
});
