//! Criterion benches of the comparison kernels, each beside a baseline in the same group.
//!
//! | group                           | `padan`                          | baseline                                       |
//! |---------------------------------|----------------------------------|------------------------------------------------|
//! | `compare/nik_level`             | `compare::nik_level`             | `naive_iter_hamming`: zip/filter/count, then a position search when two digits differ |
//! | `compare/name_level/short`      | `compare::name_level`            | `strsim_jaro_winkler`: `strsim::jaro_winkler` on every pair (no exact short-circuit) |
//! | `compare/name_level/long`       | same, 3-5 token names            | same                                           |
//! | `compare/date_level`            | `compare::date_level` on `Date`  | `iso_string`: the same levels from `YYYY-MM-DD` text |
//! | `compare/all_levels/100k_pairs` | `Comparisons::compare_all` (rayon) | `serial_level_loop`: `Comparisons::level` per pair on one thread |
//!
//! Every baseline returns the same levels as padan's generic kernel; that is asserted once during
//! setup, so a ratio compares equal work. The kernel groups also time `padan_indonesian` (the
//! kernel the default pipeline uses, with more levels), and `all_levels` times the generic
//! comparisons as `padan_compare_all_generic`. Throughput is `Elements(pairs)`. Inputs are seeded
//! (ChaCha8, seed 7). The all-levels set is the first 100k candidate pairs of `padan::synth`
//! (420k rows, seed 7) → prepare (Indonesian rules, the default) → block with the default rules.
//!
//! Run: `cargo bench --bench comparisons` (about a minute: 20 samples, 2 s measurement each);
//! `python3 benches/e2e.py --criterion-ratios` prints the ratios.

use std::hint::black_box;
use std::time::Duration;

use arrow_array::RecordBatch;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use padan::block::CandidatePairs;
use padan::compare::{Comparisons, date_level, indonesian_date_level, name_level, nik_level};
use padan::indo::name::compare_names;
use padan::indo::nik::{Nik, compare_nik};
use padan::normalize::Date;
use padan::prepare::{IdDigits, Prepared};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const SEED: u64 = 7;
const KERNEL_PAIRS: usize = 10_000;
const ALL_LEVELS_PAIRS: usize = 100_000;
const SYNTH_ROWS: usize = 420_000;
const NAME_THRESHOLDS: [f64; 2] = [0.95, 0.88];

const GIVEN: &[&str] = &[
    "SITI", "BUDI", "MUHAMMAD", "NUR", "DEWI", "AGUS", "SRI", "RATNA", "EKO", "DWI", "JOKO", "ADI", "PUTRI",
    "RIZKI", "AHMAD", "ANDI", "WAHYU", "YULI", "FITRI", "HENDRA", "INDAH", "RINA", "DIAN", "TRI", "ARIF",
];
const FAMILY: &[&str] = &[
    "SANTOSO",
    "WAHYUNI",
    "LESTARI",
    "PRATAMA",
    "HIDAYAT",
    "SETIAWAN",
    "KURNIAWAN",
    "SAPUTRA",
    "RAHAYU",
    "HARTONO",
    "SUSANTI",
    "NURHAYATI",
    "SULISTYO",
    "PURNOMO",
    "WIJAYA",
    "AMINAH",
    "FAUZI",
    "HANDAYANI",
    "SUPRIYADI",
    "MULYADI",
    "RAHMAWATI",
    "SETIADI",
    "KUSUMA",
    "PERMANA",
    "SIREGAR",
];

fn pick<'a>(rng: &mut ChaCha8Rng, words: &[&'a str]) -> &'a str {
    words[rng.random_range(0..words.len())]
}

fn random_name(rng: &mut ChaCha8Rng, tokens: std::ops::RangeInclusive<usize>) -> String {
    let tokens = rng.random_range(tokens);
    let mut parts: Vec<&str> = vec![pick(rng, GIVEN)];
    for _ in 1..tokens {
        let words = if rng.random_bool(0.4) { GIVEN } else { FAMILY };
        parts.push(pick(rng, words));
    }
    parts.join(" ")
}

/// One clerical edit: substitute, delete, insert or swap adjacent letters.
fn typo(rng: &mut ChaCha8Rng, name: &str) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    let k = rng.random_range(0..chars.len() - 1);
    let letter = (b'A' + rng.random_range(0..26u8)) as char;
    match rng.random_range(0..4) {
        0 => chars[k] = letter,
        1 => {
            chars.remove(k);
        }
        2 => chars.insert(k, letter),
        _ => chars.swap(k, k + 1),
    }
    chars.into_iter().collect()
}

/// Name pairs: 25% identical, 55% one typo, 20% unrelated. The identical share is what the
/// exact-match short-circuit in `name_level` gains on; it is close to what blocking feeds it.
fn name_pairs(rng: &mut ChaCha8Rng, tokens: std::ops::RangeInclusive<usize>) -> Vec<(String, String)> {
    (0..KERNEL_PAIRS)
        .map(|_| {
            let a = random_name(rng, tokens.clone());
            let roll: f64 = rng.random();
            let b = if roll < 0.25 {
                a.clone()
            } else if roll < 0.80 {
                typo(rng, &a)
            } else {
                random_name(rng, tokens.clone())
            };
            (a, b)
        })
        .collect()
}

fn random_nik(rng: &mut ChaCha8Rng) -> IdDigits {
    let mut d = [b'0'; 16];
    for slot in &mut d {
        *slot = b'0' + rng.random_range(0..10u8);
    }
    d
}

/// NIK pairs: 40% exact, 30% one substitution, 10% adjacent transposition, 20% unrelated.
fn nik_pairs(rng: &mut ChaCha8Rng) -> Vec<(IdDigits, IdDigits)> {
    (0..KERNEL_PAIRS)
        .map(|_| {
            let a = random_nik(rng);
            let mut b = a;
            match rng.random_range(0..10) {
                0..4 => {}
                4..7 => {
                    let k = rng.random_range(0..16);
                    b[k] = b'0' + (b[k] - b'0' + rng.random_range(1..10u8)) % 10;
                }
                7 => {
                    let k = rng.random_range(0..15);
                    b.swap(k, k + 1);
                }
                _ => b = random_nik(rng),
            }
            (a, b)
        })
        .collect()
}

fn random_date(rng: &mut ChaCha8Rng) -> Date {
    loop {
        let d = Date::new(rng.random_range(1940..2020), rng.random_range(1..=12), rng.random_range(1..=31));
        if let Some(d) = d {
            return d;
        }
    }
}

/// Date pairs: 40% exact, 10% day and month swapped (when valid), 20% same year, 30% else.
fn date_pairs(rng: &mut ChaCha8Rng) -> Vec<(Date, Date)> {
    (0..KERNEL_PAIRS)
        .map(|_| {
            let a = random_date(rng);
            let roll: f64 = rng.random();
            let b = if roll < 0.40 {
                a
            } else if roll < 0.50 {
                Date::new(a.year.into(), a.day.into(), a.month.into()).unwrap_or(a)
            } else if roll < 0.70 {
                Date::new(a.year.into(), rng.random_range(1..=12), rng.random_range(1..=28)).unwrap_or(a)
            } else {
                random_date(rng)
            };
            (a, b)
        })
        .collect()
}

/// Baseline: Hamming distance through an iterator chain; the transposition test only runs when
/// exactly two digits differ.
fn naive_nik_level(a: &IdDigits, b: &IdDigits) -> u8 {
    match a.iter().zip(b).filter(|(x, y)| x != y).count() {
        0 => 1,
        1 => 2,
        2 => {
            let k = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(15);
            if k + 1 < 16 && a[k] == b[k + 1] && a[k + 1] == b[k] { 2 } else { 3 }
        }
        _ => 3,
    }
}

/// Baseline: Jaro-Winkler on every pair (no exact-match short-circuit), same thresholds.
fn strsim_name_level(a: &str, b: &str, thresholds: &[f64]) -> u8 {
    let similarity = strsim::jaro_winkler(a, b);
    let passed = thresholds.iter().position(|t| similarity >= *t).unwrap_or(thresholds.len());
    if similarity >= 1.0 { 1 } else { (2 + passed) as u8 }
}

/// Baseline: the date levels computed from ISO `YYYY-MM-DD` text instead of prepared dates.
fn iso_date_level(a: &str, b: &str) -> u8 {
    if a == b {
        1
    } else if a[..4] == b[..4] && a[5..7] == b[8..10] && a[8..10] == b[5..7] {
        2
    } else if a[..4] == b[..4] {
        3
    } else {
        4
    }
}

fn prepare_and_block(batch: &RecordBatch) -> (Prepared, CandidatePairs) {
    let raw = padan::input::map_batches(&batch.schema(), std::slice::from_ref(batch), &Default::default())
        .expect("DTKS columns map with the default mapping");
    let prepared = padan::prepare::prepare(&raw, true);
    let pairs = padan::block::block(&prepared, &padan::config::default_blocking_rules(), 500);
    (prepared, pairs)
}

/// Exactly `n` candidate pairs (the first `n`, cycling when blocking found fewer).
fn take_pairs(pairs: &CandidatePairs, n: usize) -> CandidatePairs {
    let pick = |v: &[u32]| v.iter().copied().cycle().take(n).collect::<Vec<u32>>();
    CandidatePairs {
        left: pick(&pairs.left),
        right: pick(&pairs.right),
        rule: pairs.rule.iter().copied().cycle().take(n).collect(),
        rule_mask: pairs.rule_mask.iter().copied().cycle().take(n).collect(),
        rules: pairs.rules.clone(),
    }
}

fn all_levels_input() -> (Prepared, CandidatePairs) {
    // 420k synthetic rows give over 100k candidate pairs with the default rules.
    let options = padan::synth::SynthOptions { rows: SYNTH_ROWS, seed: SEED, duplicate_rate: 0.10 };
    let (prepared, pairs) = prepare_and_block(&padan::synth::generate(&options).records);
    assert!(!pairs.is_empty(), "blocking found no candidate pairs");
    if pairs.len() < ALL_LEVELS_PAIRS {
        eprintln!("blocking found {} pairs; cycling them to {ALL_LEVELS_PAIRS}", pairs.len());
    }
    (prepared, take_pairs(&pairs, ALL_LEVELS_PAIRS))
}

fn configure<'a>(
    c: &'a mut Criterion,
    name: &str,
    pairs: usize,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Elements(pairs as u64));
    group
}

fn bench_nik(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let pairs = nik_pairs(&mut rng);
    assert!(pairs.iter().all(|(a, b)| nik_level(a, b) == naive_nik_level(a, b)), "baseline disagrees");
    let mut group = configure(c, "compare/nik_level", pairs.len());
    group.bench_function("padan", |b| {
        b.iter(|| pairs.iter().map(|(x, y)| u32::from(nik_level(black_box(x), black_box(y)))).sum::<u32>())
    });
    group.bench_function("naive_iter_hamming", |b| {
        b.iter(|| {
            pairs.iter().map(|(x, y)| u32::from(naive_nik_level(black_box(x), black_box(y)))).sum::<u32>()
        })
    });
    let niks: Vec<(Nik, Nik)> = pairs.iter().map(|(a, b)| (Nik(*a), Nik(*b))).collect();
    group.bench_function("padan_indonesian", |b| {
        b.iter(|| niks.iter().map(|(x, y)| compare_nik(black_box(x), black_box(y)) as u32).sum::<u32>())
    });
    group.finish();
}

fn bench_names(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    for (label, tokens) in [("short", 1..=2), ("long", 3..=5)] {
        let pairs = name_pairs(&mut rng, tokens);
        assert!(
            pairs.iter().all(|(a, b)| name_level(a, b, &NAME_THRESHOLDS) == strsim_name_level(a, b, &NAME_THRESHOLDS)),
            "baseline disagrees"
        );
        let mut group = configure(c, &format!("compare/name_level/{label}"), pairs.len());
        group.bench_function("padan", |b| {
            b.iter(|| {
                pairs
                    .iter()
                    .map(|(x, y)| u32::from(name_level(black_box(x), black_box(y), &NAME_THRESHOLDS)))
                    .sum::<u32>()
            })
        });
        group.bench_function("strsim_jaro_winkler", |b| {
            b.iter(|| {
                pairs
                    .iter()
                    .map(|(x, y)| u32::from(strsim_name_level(black_box(x), black_box(y), &NAME_THRESHOLDS)))
                    .sum::<u32>()
            })
        });
        group.bench_function("padan_indonesian", |b| {
            b.iter(|| {
                pairs.iter().map(|(x, y)| compare_names(black_box(x), black_box(y)) as u32).sum::<u32>()
            })
        });
        group.finish();
    }
}

fn bench_dates(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let pairs = date_pairs(&mut rng);
    let text: Vec<(String, String)> = pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert!(
        pairs.iter().zip(&text).all(|((a, b), (s, t))| date_level(*a, *b) == iso_date_level(s, t)),
        "baseline disagrees"
    );
    let mut group = configure(c, "compare/date_level", pairs.len());
    group.bench_function("padan", |b| {
        b.iter(|| pairs.iter().map(|(x, y)| u32::from(date_level(black_box(*x), black_box(*y)))).sum::<u32>())
    });
    group.bench_function("iso_string", |b| {
        b.iter(|| {
            text.iter().map(|(x, y)| u32::from(iso_date_level(black_box(x), black_box(y)))).sum::<u32>()
        })
    });
    group.bench_function("padan_indonesian", |b| {
        b.iter(|| {
            pairs
                .iter()
                .map(|(x, y)| u32::from(indonesian_date_level(black_box(*x), black_box(*y))))
                .sum::<u32>()
        })
    });
    group.finish();
}

fn serial_levels(comparisons: &Comparisons, prepared: &Prepared, pairs: &CandidatePairs) -> Vec<u8> {
    let mut levels = Vec::with_capacity(pairs.len() * comparisons.len());
    for (i, j) in pairs.left.iter().zip(&pairs.right) {
        for kind in &comparisons.kinds {
            levels.push(comparisons.level(*kind, prepared, *i as usize, *j as usize));
        }
    }
    levels
}

fn bench_all_levels(c: &mut Criterion) {
    let (prepared, pairs) = all_levels_input();
    // The default pipeline's comparisons (Indonesian rules on), and the generic ones.
    let comparisons = Comparisons::person(&NAME_THRESHOLDS, true);
    let generic = Comparisons::person(&NAME_THRESHOLDS, false);
    assert_eq!(comparisons.compare_all(&prepared, &pairs), serial_levels(&comparisons, &prepared, &pairs));
    let mut group = configure(c, "compare/all_levels/100k_pairs", pairs.len());
    group.bench_function("padan_compare_all", |b| {
        b.iter(|| comparisons.compare_all(black_box(&prepared), black_box(&pairs)))
    });
    group.bench_function("serial_level_loop", |b| {
        b.iter(|| serial_levels(&comparisons, black_box(&prepared), black_box(&pairs)))
    });
    group.bench_function("padan_compare_all_generic", |b| {
        b.iter(|| generic.compare_all(black_box(&prepared), black_box(&pairs)))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench_nik, bench_names, bench_dates, bench_all_levels
}
criterion_main!(benches);
