//! Glossary matching throughput: 5,000 source terms against the seed white paper repeated to
//! ~77 MB (the synthetic corpus), matched line by line as segments are.
//!
//! The terms are 2–8-character windows of the text itself (deterministic), so they hit often,
//! which is the slow path; five real terms are added. Run with `cargo bench --bench glossary`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use duiyi::glossary::Matcher;

const SEED: &str = include_str!("../source/intl-development-cooperation.txt");

fn terms(count: usize) -> Vec<String> {
    let chars: Vec<char> = SEED
        .chars()
        .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
        .collect();
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut terms: Vec<String> = [
        "人类命运共同体",
        "一带一路",
        "南南合作",
        "正确义利观",
        "南南合作援助基金",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let mut seen: std::collections::HashSet<String> = terms.iter().cloned().collect();
    while terms.len() < count {
        let len = 2 + usize::try_from(next() % 7).unwrap_or(0);
        let start = usize::try_from(next()).unwrap_or(0) % (chars.len() - len);
        let term: String = chars[start..start + len].iter().collect();
        if seen.insert(term.clone()) {
            terms.push(term);
        }
    }
    terms
}

fn matching(c: &mut Criterion) {
    let terms = terms(5_000);
    let matcher = Matcher::new(terms.iter().map(|t| (t.as_str(), Vec::<&str>::new())))
        .expect("terms compile");
    eprintln!("matcher memory: {} MB", matcher.memory_usage() / 1_000_000);
    let corpus = SEED.repeat(1_000);
    let mut group = c.benchmark_group("glossary");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(corpus.len() as u64));
    group.bench_function("find 5000 terms, 77 MB, per line", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for line in corpus.lines() {
                hits += matcher.find(black_box(line)).len();
            }
            hits
        });
    });
    group.finish();
}

criterion_group!(benches, matching);
criterion_main!(benches);
