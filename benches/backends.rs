//! Backends at scale: the runner against a local server answering after 50 ms, and memory
//! lookups in a 500,000-segment translation memory.
//!
//! Run with `cargo bench --bench backends`. Figures are in docs/PERFORMANCE.md (`## Backends`).
//!
//! - `runner/1000x50ms/c16`: 1,000 one-segment requests to a LibreTranslate-shaped wiremock
//!   server that answers each after 50 ms, 16 in flight. The ideal is 1000 / 16 × 50 ms =
//!   3.125 s; the target is within 1.25 × that.
//! - `memory/lookup`: the best match (threshold 0.75) for a query, in a memory of 500,000
//!   segments made of random runs of the white paper's text (real Chinese bigram frequencies,
//!   no two alike); half the queries are a stored segment with two characters changed, half
//!   are new compositions (mostly misses, the costly case for an index).

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use duiyi::backend::libretranslate::LibreTranslate;
use duiyi::backend::runner::{self, Limits};
use duiyi::backend::{Backend, Context, Languages, Request};
use duiyi::memory::{Memory, Provenance};
use duiyi::project::BackendSettings;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

fn white_paper_chars() -> Vec<char> {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("source/intl-development-cooperation.txt"),
    )
    .expect("the white paper is in source/");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn sentence(rng: &mut Rng, chars: &[char]) -> String {
    let mut s = String::new();
    for _ in 0..3 + rng.below(4) {
        let len = 4 + rng.below(9);
        let at = rng.below(chars.len() - len);
        s.extend(&chars[at..at + len]);
    }
    s.push('。');
    s
}

fn memory_lookup(c: &mut Criterion) {
    let chars = white_paper_chars();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut memory = Memory::new();
    let mut stored = Vec::new();
    for i in 0..500_000 {
        let s = sentence(&mut rng, &chars);
        if i % 5000 == 0 {
            stored.push(s.clone());
        }
        memory.add(&s, "target", Provenance::File("bench".into()));
    }
    let started = Instant::now();
    memory.prepare();
    eprintln!(
        "memory: 500,000 segments indexed in {:?}",
        started.elapsed()
    );
    let mut queries = Vec::new();
    for s in &stored {
        let mut v: Vec<char> = s.chars().collect();
        for _ in 0..2 {
            let i = rng.below(v.len());
            v[i] = '某';
        }
        queries.push(v.into_iter().collect::<String>());
        queries.push(sentence(&mut rng, &chars));
    }
    let mut group = c.benchmark_group("memory");
    let mut i = 0;
    group.bench_function("lookup", |b| {
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(memory.best(&queries[i], 0.75, None).map(|m| m.score))
        });
    });
    group.finish();
    let hits = queries
        .iter()
        .filter(|q| memory.best(q, 0.75, None).is_some())
        .count();
    eprintln!("memory: {hits} of {} queries matched", queries.len());
}

fn runner_throughput(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"translatedText": ["x"]}))
                    .set_delay(Duration::from_millis(50)),
            )
            .mount(&server)
            .await;
        server
    });
    let settings = BackendSettings {
        url: Some(server.uri()),
        batch: Some(1),
        ..BackendSettings::default()
    };
    let langs = Languages {
        source: "zh".into(),
        target: "en".into(),
    };
    let backend: Arc<dyn Backend> =
        Arc::new(LibreTranslate::new("bench", &settings, &langs).expect("backend"));
    let batches: Vec<Vec<Request>> = (0..1000)
        .map(|i| {
            vec![Request {
                doc: "bench".into(),
                id: format!("{i:016x}"),
                r#ref: i.to_string(),
                source: "中国坚持走和平发展道路。".into(),
                terms: Vec::new(),
                context: Context::default(),
                strict: false,
            }]
        })
        .collect();
    let limits = Limits {
        concurrency: 16,
        ..Limits::default()
    };
    let mut group = c.benchmark_group("runner");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(40));
    group.bench_function("1000x50ms/c16", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                rt.block_on(async {
                    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                    let work = tokio::spawn(runner::run(
                        Arc::clone(&backend),
                        batches.clone(),
                        limits.clone(),
                        tx,
                    ));
                    let mut ok = 0;
                    while let Some(d) = rx.recv().await {
                        ok += usize::from(d.result.is_ok());
                    }
                    let _ = work.await;
                    assert_eq!(ok, 1000);
                });
                total += started.elapsed();
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, runner_throughput, memory_lookup);
criterion_main!(benches);
