//! Glossary matching throughput: 5,000 source terms against the seed white paper repeated to
//! ~77 MB (the synthetic corpus), matched line by line as segments are.
//!
//! The terms are 2–8-character windows of the text itself (deterministic), so they hit often,
//! which is the slow path; five real terms are added. Run with `cargo bench --bench glossary`.
//!
//! Two measurements of the same loop: wall clock (criterion's default), and the benchmark
//! thread's CPU time (Linux `/proc/thread-self/schedstat`), which does not depend on how many
//! other processes share the cores: development machines here are shared with other builds.

use std::hint::black_box;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
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

/// CPU time of the calling thread, in nanoseconds (Linux); wall clock elsewhere.
struct ThreadCpuTime;

static WALL: WallTime = WallTime;

fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

impl Measurement for ThreadCpuTime {
    type Intermediate = (Option<u64>, std::time::Instant);
    type Value = u64;

    fn start(&self) -> Self::Intermediate {
        (thread_cpu_ns(), std::time::Instant::now())
    }

    fn end(&self, (cpu, wall): Self::Intermediate) -> u64 {
        match (cpu, thread_cpu_ns()) {
            (Some(start), Some(end)) => end.saturating_sub(start),
            _ => u64::try_from(wall.elapsed().as_nanos()).unwrap_or(u64::MAX),
        }
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

/// Finds 5,000 terms in the 77 MB corpus, line by line, in the benchmark group `name`.
fn find_terms<M: Measurement>(c: &mut Criterion<M>, name: &str, show_memory: bool) {
    let terms = terms(5_000);
    let matcher = Matcher::new(terms.iter().map(|t| (t.as_str(), Vec::<&str>::new())))
        .expect("terms compile");
    if show_memory {
        eprintln!("matcher memory: {} MB", matcher.memory_usage() / 1_000_000);
    }
    let corpus = SEED.repeat(1_000);
    let mut group = c.benchmark_group(name);
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

fn matching(c: &mut Criterion) {
    find_terms(c, "glossary", true);
}

fn matching_cpu(c: &mut Criterion<ThreadCpuTime>) {
    find_terms(c, "glossary (thread CPU time)", false);
}

criterion_group!(benches, matching);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = matching_cpu
}
criterion_main!(benches, cpu);
