//! The numbers check over the seed white paper: extraction per Chinese sentence, extraction per
//! English sentence, and the full comparison per sentence pair. `docs/PERFORMANCE.md` records the
//! figures and what they mean for 500,000 segments.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use duiyi::qa::numbers::{Lang, compare_in, extract_target, extract_zh};

const SEED: &str = include_str!("../source/intl-development-cooperation.txt");
const PAIRS: &str = include_str!("../src/qa/numbers/white-paper-en.tsv");

/// The seed cut into sentences at 。 and ；, roughly as the segmenter does.
fn sentences() -> Vec<&'static str> {
    SEED.split_inclusive(['。', '；', '\n'])
        .map(str::trim)
        .filter(|sentence| !sentence.is_empty())
        .collect()
}

fn pairs() -> Vec<(&'static str, &'static str)> {
    PAIRS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .collect()
}

fn numbers(c: &mut Criterion) {
    let sentences = sentences();
    let pairs = pairs();
    let mut group = c.benchmark_group("numbers");

    group.throughput(Throughput::Elements(sentences.len() as u64));
    group.bench_function("extract_zh/seed-sentences", |b| {
        b.iter(|| {
            for sentence in &sentences {
                black_box(extract_zh(black_box(sentence)));
            }
        });
    });

    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("extract_en/pair-targets", |b| {
        b.iter(|| {
            for (_, target) in &pairs {
                black_box(extract_target(black_box(target), Lang::En));
            }
        });
    });
    group.bench_function("compare/pairs", |b| {
        b.iter(|| {
            for (source, target) in &pairs {
                black_box(compare_in(black_box(source), black_box(target), Lang::En));
            }
        });
    });
    group.finish();
}

criterion_group!(benches, numbers);
criterion_main!(benches);
