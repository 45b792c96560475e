//! Reading + structure + sentences on the synthetic corpus (the white paper repeated).
//!
//! `DUIYI_BENCH_COPIES` sets how many copies (default 50, ≈3.9 MB, so a run takes seconds;
//! the documented 77 MB figure uses 1000). See docs/PERFORMANCE.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use duiyi::segment::{Rules, SentenceOptions, segment_text};
use duiyi::source::{Encoding, decode};

fn corpus() -> Vec<u8> {
    let copies: usize = std::env::var("DUIYI_BENCH_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let one = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/source/intl-development-cooperation.txt"
    ))
    .expect("white paper");
    one.repeat(copies)
}

fn bench(c: &mut Criterion) {
    let bytes = corpus();
    let rules = Rules::builtin(SentenceOptions::default());
    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(10);
    group.bench_function("decode+structure+sentences", |b| {
        b.iter(|| {
            let decoded = decode(black_box(&bytes), Encoding::Auto).expect("utf-8");
            let units = segment_text(&decoded.text, &rules);
            black_box(units.len())
        });
    });
    let decoded = decode(&bytes, Encoding::Auto).expect("utf-8");
    group.bench_function("structure+sentences", |b| {
        b.iter(|| black_box(segment_text(black_box(&decoded.text), &rules).len()));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
