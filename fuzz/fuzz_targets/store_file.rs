//! Arbitrary bytes as a translation store (`translations/<lang>/<doc>.jsonl`): parsed as full
//! records and as the borrowed views counting uses, then opened in a project as every command
//! opens it (checked against the document, merged with it when not current) and read line by
//! line as publishing reads it. Each gives an error or the records, never a panic, and the two
//! readers of a store agree on whether it can be read and on its live segments.
//!
//! `@FP@` in the input stands for the fingerprint of the project's document, so that inputs
//! can carry a current header (`fuzz/seeds/store_file/` does).
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use duiyi::project::{DocumentSpec, Project, init};
use duiyi::publish::targets::Targets;
use duiyi::review::Action;
use duiyi::store::file::parse_as;
use duiyi::store::record::{RecordView, Translation};
use duiyi::store::{Store, apply_one, fingerprint, history_path, store_path};
use libfuzzer_sys::fuzz_target;

/// The source `source/d.txt` of the project the stores belong to.
const SOURCE: &str = "中国坚持推动一带一路建设。中国积极开展南南合作。\n\n二、合作原则\n\n2019年，中国对外援助金额达到100亿元。\n";

struct Fixture {
    project: Project,
    spec: DocumentSpec,
    fingerprint: String,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let root: PathBuf =
        std::env::temp_dir().join(format!("duiyi-fuzz-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    init(&root, "zh", &["en".to_string()]).expect("a fresh project");
    std::fs::write(root.join("source/d.txt"), SOURCE).expect("the source is written");
    let project = Project::open(&root).expect("the fresh project opens");
    let spec = project.document("d").expect("the document");
    let fingerprint = fingerprint(&project, &spec).expect("the document's fingerprint");
    Fixture {
        project,
        spec,
        fingerprint,
    }
});

fn with_fingerprint(data: &[u8], fingerprint: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut rest = data;
    while let Some(i) = rest.windows(4).position(|w| w == b"@FP@") {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(fingerprint.as_bytes());
        rest = &rest[i + 4..];
    }
    out.extend_from_slice(rest);
    out
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("translations/en/fuzz.jsonl");
    let _ = parse_as::<Translation>(path, data);
    let _ = parse_as::<RecordView<'_>>(path, data);

    let Fixture {
        project,
        spec,
        fingerprint,
    } = &*FIXTURE;
    let bytes = with_fingerprint(data, fingerprint);
    std::fs::write(store_path(project, "en", "d"), &bytes).expect("the store is written");
    let opened = Store::open(project, spec, "en");
    let loaded = Targets::load(project, spec, "en");
    match (&opened, &loaded) {
        (Ok(store), Ok(targets)) => {
            let live = Targets::from_records("en", store.records());
            assert_eq!(live.len(), targets.len(), "the two readers' live segments");
        }
        (Err(_), Err(_)) => {}
        _ => panic!(
            "one reader refuses the store: open {:?}, load {:?}",
            opened.as_ref().err(),
            loaded.as_ref().err()
        ),
    }

    let _ = std::fs::remove_file(history_path(project, "en"));
    let text = "China promotes the Belt and Road Initiative (fuzz).";
    let edit = Action::Edit {
        target: text,
        state: None,
    };
    if apply_one(project, spec, "en", "front¶1.1", &edit, None, "fuzz", None).is_ok() {
        let store = Store::open(project, spec, "en").expect("a store just written opens");
        assert!(
            store
                .records()
                .iter()
                .any(|r| r.r#ref == "front¶1.1" && !r.obsolete && r.target == text),
            "the change is in the store"
        );
    }
});
