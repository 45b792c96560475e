//! `duiyi check en` on the synthetic corpus (the white paper repeated), every segment
//! translated by this project's reviewed English, with its English glossary.
//!
//! `DUIYI_BENCH_COPIES` sets how many copies (default 20, ≈11,000 segments, so a run takes
//! well under a minute; the documented figure uses 1000, 572,000 segments). The project is
//! built in a temporary directory: the source, `glossary/en.tsv`, and a current English store
//! whose records take the target of the reviewed record with the same source text. Two
//! figures: `project::check` is what the command does (read the stores, segment for the
//! structure check, compile the checks, check); `run` is compiling the seven checks and
//! running them on items already built (a check learns from the items, so each iteration
//! needs fresh ones). See docs/PERFORMANCE.md.

use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use duiyi::project::Project;
use duiyi::qa;
use duiyi::store::Store;
use duiyi::store::file::render;
use duiyi::store::record::{FORMAT, Header};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Builds the synthetic project in `dir`.
fn synthetic(dir: &Path) -> Project {
    let copies: usize = std::env::var("DUIYI_BENCH_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let one = std::fs::read(format!("{ROOT}/source/intl-development-cooperation.txt"))
        .expect("white paper");
    std::fs::create_dir_all(dir.join("source")).expect("source dir");
    std::fs::create_dir_all(dir.join("glossary")).expect("glossary dir");
    std::fs::create_dir_all(dir.join("translations/en")).expect("translations dir");
    std::fs::write(dir.join("source/synthetic.txt"), one.repeat(copies)).expect("source");
    std::fs::copy(
        format!("{ROOT}/glossary/en.tsv"),
        dir.join("glossary/en.tsv"),
    )
    .expect("glossary");
    std::fs::write(
        dir.join("duiyi.toml"),
        "[project]\nname = \"synthetic\"\nsource = \"zh\"\ntargets = [\"en\", \"fr\"]\n",
    )
    .expect("duiyi.toml");

    // The reviewed English of this project, by source text.
    let this = Project::open(Path::new(ROOT)).expect("this project");
    let spec = this.documents().expect("documents").remove(0);
    let reviewed = Store::open(&this, &spec, "en").expect("the English store");
    let english: HashMap<&str, _> = reviewed
        .live()
        .filter(|r| !r.target.is_empty())
        .map(|r| (r.source.as_str(), r))
        .collect();

    let project = Project::open(dir).expect("synthetic project");
    let spec = project.documents().expect("documents").remove(0);
    let store = Store::open(&project, &spec, "en").expect("segmenting the corpus");
    let mut records = store.records().to_vec();
    for r in &mut records {
        if let Some(e) = english.get(r.source.as_str()) {
            r.target.clone_from(&e.target);
            r.state = e.state;
            r.who = Some("bench".into());
        }
    }
    let header = Header {
        duiyi: FORMAT.into(),
        doc: spec.name.clone(),
        lang: "en".into(),
        fingerprint: duiyi::store::fingerprint(&project, &spec).expect("fingerprint"),
        segments: Some(records.iter().filter(|r| !r.obsolete).count()),
        tx: None,
    };
    std::fs::write(store.path(), render(&header, &records)).expect("store");
    project
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let project = synthetic(dir.path());
    let spec = project.documents().expect("documents").remove(0);
    let store = Store::open(&project, &spec, "en").expect("store");
    let segments = store.live().count();
    let report = qa::project::check(&project, "en", None, &[]).expect("check");
    eprintln!(
        "check: {segments} segments, {} findings",
        report.findings.len()
    );

    let mut group = c.benchmark_group("check");
    group.throughput(Throughput::Elements(segments as u64));
    group.sample_size(10);
    group.bench_function("project::check (all seven checks)", |b| {
        b.iter(|| {
            let report = qa::project::check(black_box(&project), "en", None, &[]).expect("check");
            black_box(report.findings.len())
        });
    });

    let document = project
        .load(&spec, &project.rules().expect("rules"))
        .expect("segmentation");
    let mut items = Vec::new();
    qa::project::items_of(&store, Some(&document), &mut items);
    let names = qa::project::select(&[], &project.config().qa).expect("checks");
    let mut notes = Vec::new();
    group.bench_function("build+run (the checks on built items)", |b| {
        b.iter(|| {
            let mut checks =
                qa::project::build(&project, "en", &names, &mut notes).expect("checks");
            let found = qa::run(&mut checks, black_box(&items), &|_, _| false);
            black_box(found.len())
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
