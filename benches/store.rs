//! The store at scale: `status` and `set` on the white paper repeated 1,000 times (about
//! 572,000 segments, a 126 MB store).
//!
//! Run with `cargo bench --bench store`. The project is built once under `bench-data/store/`
//! (ignored by git); `DUIYI_BENCH_REPEAT` changes the number of copies. Figures and the
//! machine they were taken on are in docs/PERFORMANCE.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use duiyi::project::{DocumentSpec, Project};
use duiyi::review::Action;
use duiyi::store::record::Origin;
use duiyi::store::{self, Store, status};

fn project() -> (Project, DocumentSpec) {
    let repeat: usize = std::env::var("DUIYI_BENCH_REPEAT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.join(format!("bench-data/store-{repeat}"));
    let source = root.join("source/intl-development-cooperation.txt");
    if !source.exists() {
        let text =
            std::fs::read_to_string(manifest.join("source/intl-development-cooperation.txt"))
                .expect("the white paper is in source/");
        let mut text = text.trim_end().to_string();
        text.push('\n');
        std::fs::create_dir_all(source.parent().expect("parent")).expect("mkdir");
        std::fs::write(&source, text.repeat(repeat)).expect("write source");
        std::fs::copy(manifest.join("duiyi.toml"), root.join("duiyi.toml")).expect("duiyi.toml");
    }
    let project = Project::open(&root).expect("project");
    let spec = project
        .document("intl-development-cooperation")
        .expect("document");
    // The first write segments the document and creates the store (slow, once).
    let store_file = store::store_path(&project, "en", &spec.name);
    if !store_file.exists() {
        set(
            &project,
            &spec,
            "0¶1.1",
            "Among developing nations, China is the biggest.",
        );
    }
    (project, spec)
}

/// What `duiyi set` does: lock, change one segment, write.
fn set(project: &Project, spec: &DocumentSpec, what: &str, text: &str) {
    store::apply_one(
        project,
        spec,
        "en",
        what,
        &Action::Edit {
            target: text,
            state: None,
        },
        None,
        "bench",
        Some(Origin::Human),
    )
    .expect("set");
}

fn bench(c: &mut Criterion) {
    let (project, spec) = project();
    let segments = Store::open(&project, &spec, "en")
        .expect("open")
        .records()
        .len();
    eprintln!(
        "store bench: {segments} records in {}",
        root(&project).display()
    );
    let mut g = c.benchmark_group("store");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    g.bench_function("status", |b| {
        b.iter(|| black_box(status::of_document(&project, &spec, "en").expect("status")));
    });
    let mut n = 0u64;
    g.bench_function("set", |b| {
        b.iter(|| {
            n += 1;
            set(
                &project,
                &spec,
                "0¶1.2",
                &format!("Since 1949 China has helped, take {n}."),
            );
        });
    });
    g.finish();
}

fn root(project: &Project) -> &Path {
    project.root()
}

criterion_group!(benches, bench);
criterion_main!(benches);
