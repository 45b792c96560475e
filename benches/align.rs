//! Alignment speed: a synthetic 6,000 × 5,000 sentence pair, and the Bible evaluation set when
//! `DUIYI_BENCH_BIBLE` names its folder (`zh.txt` and `en.txt`, one sentence per line; the set
//! is not in this repository, see `docs/PERFORMANCE.md`).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use duiyi::align::format::read_sentences;
use duiyi::align::{AlignOptions, Aligner};

/// 6,000 Chinese sentences and about 5,000 English ones: every sixth pair of source sentences
/// shares one target sentence.
fn synthetic() -> (Vec<String>, Vec<String>) {
    let (mut src, mut tgt) = (Vec::new(), Vec::new());
    for i in 0..6000 {
        src.push(format!(
            "第{i}条规定，各国应当加强{}项农业和教育合作。",
            i * 7 % 1000
        ));
        let en = format!(
            "Article {i} provides that countries shall strengthen {} items of agricultural \
             and educational cooperation.",
            i * 7 % 1000
        );
        if i % 6 == 5
            && let Some(last) = tgt.last_mut()
        {
            *last = format!("{last} {en}");
            continue;
        }
        tgt.push(en);
    }
    (src, tgt)
}

fn bench(c: &mut Criterion) {
    let aligner = Aligner::new(AlignOptions::default()).expect("default options are valid");
    let (src, tgt) = synthetic();
    let src: Vec<&str> = src.iter().map(String::as_str).collect();
    let tgt: Vec<&str> = tgt.iter().map(String::as_str).collect();
    let mut group = c.benchmark_group("align");
    group.sample_size(10);
    group.bench_function("synthetic 6000x5000", |b| {
        b.iter(|| aligner.align(black_box(&src), black_box(&tgt)));
    });
    if let Some(bible) = std::env::var_os("DUIYI_BENCH_BIBLE").map(PathBuf::from) {
        let read = |name: &str| {
            read_sentences(&bible.join(name)).unwrap_or_else(|e| {
                panic!("DUIYI_BENCH_BIBLE: {}: {e}", bible.join(name).display())
            })
        };
        let (zh, en) = (read("zh.txt"), read("en.txt"));
        let zh: Vec<&str> = zh.iter().map(String::as_str).collect();
        let en: Vec<&str> = en.iter().map(String::as_str).collect();
        group.bench_function("bible 6301x5000", |b| {
            b.iter(|| aligner.align(black_box(&zh), black_box(&en)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
