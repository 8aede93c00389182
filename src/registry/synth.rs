//! A synthetic civil-registry extract for a [`crate::synth`] DTKS extract, and the truth of its
//! stale entries.
//!
//! The registry holds the true record of every DTKS person (the NIK, name, birth date and sex of
//! the person's original row, so DTKS duplicates with a mistyped NIK, a blank NIK or a name
//! variant must be matched fuzzily) except a share missing from it, plus people who are not in
//! DTKS, to about 1.2 rows per DTKS row. Most are HIDUP; some MENINGGAL and some PINDAH, with a
//! status date between 2020 and 2025 (some after the DTKS extract date, 30 June 2025). A person
//! whose DTKS original has no usable NIK gets one in the registry: the KK's region digits, the
//! birth date (day + 40 for women) and a fresh serial.
//!
//! Everything derives from the seed through its own ChaCha8 streams, one per person, so the
//! DTKS extract is unchanged and the output does not depend on the thread count.

use std::collections::HashSet;
use std::sync::Arc;

use arrow_array::builder::{StringBuilder, UInt64Builder};
use arrow_array::cast::AsArray;
use arrow_array::types::UInt64Type;
use arrow_array::{Array, ArrayRef, RecordBatch};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use crate::normalize::{self, Date};
use crate::synth::SynthData;

/// Share of DTKS persons missing from the registry.
pub const MISSING_SHARE: f64 = 0.03;
/// Share of registry persons recorded as deceased.
pub const DECEASED_SHARE: f64 = 0.04;
/// Share of registry persons recorded as moved away.
pub const MOVED_SHARE: f64 = 0.04;
/// Registry rows per DTKS row.
pub const ROWS_PER_DTKS_ROW: f64 = 1.2;

/// The output of [`generate_registry`].
#[derive(Debug, Clone, PartialEq)]
pub struct RegistrySynth {
    /// The registry extract, all nullable `Utf8`: `nik`, `nama`, `tanggal_lahir`,
    /// `jenis_kelamin`, `status`, `tanggal_status` (the default [`super::RegistryColumns`]).
    pub registry: RecordBatch,
    /// One row per DTKS row, in DTKS order: `id_dtks`, `entity_id` (UInt64), `registry_status`
    /// (`HIDUP`, `MENINGGAL`, `PINDAH` or `NOT_IN_REGISTRY`), `registry_row` (UInt64, 1-based,
    /// null when not in the registry).
    pub stale_truth: RecordBatch,
}

/// Keys the registry's random streams apart from the DTKS generator's.
const PERSON_STREAM: u64 = 0x5245_4749_5354_5259; // "REGISTRY"
const EXTRA_STREAM: u64 = PERSON_STREAM ^ 0xE0E0;
const ORDER_STREAM: u64 = PERSON_STREAM ^ 0x0D0D;

fn splitmix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn stream(seed: u64, key: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(splitmix64(seed ^ splitmix64(key)));
    rng.set_stream(index);
    rng
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Alive,
    Deceased,
    Moved,
}

/// One registry person before rendering.
#[derive(Clone)]
struct Person {
    nik: Option<[u8; 16]>,
    name: String,
    birth: Option<Date>,
    female: bool,
    status: Status,
    status_date: Option<Date>,
    /// How the status is spelled (index into the spellings of the status).
    spelling: u8,
    /// Whether the dates are written `DD-MM-YYYY` instead of ISO.
    day_first: bool,
}

fn days_from_civil(date: Date) -> i64 {
    i64::from(date.days_since_epoch())
}

fn civil_from_days(days: i64) -> Date {
    Date::from_days_since_epoch(days).unwrap_or(Date { year: 2000, month: 1, day: 1 })
}

/// A person's status, its date and how they are written.
#[derive(Clone, Copy)]
struct Drawn {
    status: Status,
    status_date: Option<Date>,
    spelling: u8,
    day_first: bool,
}

/// A status and its date, drawn for one person.
fn draw_status(rng: &mut ChaCha8Rng, birth: Option<Date>) -> Drawn {
    let roll: f64 = rng.random();
    let status = if roll < DECEASED_SHARE {
        Status::Deceased
    } else if roll < DECEASED_SHARE + MOVED_SHARE {
        Status::Moved
    } else {
        Status::Alive
    };
    let first = days_from_civil(Date { year: 2020, month: 1, day: 1 });
    let last = days_from_civil(Date { year: 2025, month: 12, day: 31 });
    let first = birth.map_or(first, |b| first.max(days_from_civil(b) + 1));
    let date = (status != Status::Alive).then(|| civil_from_days(rng.random_range(first..=last.max(first))));
    Drawn {
        status,
        status_date: date,
        spelling: rng.random_range(0..10),
        day_first: rng.random::<f64>() < 0.2,
    }
}

fn status_text(status: Status, spelling: u8) -> &'static str {
    match (status, spelling) {
        (Status::Alive, 0) => "Hidup",
        (Status::Alive, _) => "HIDUP",
        (Status::Deceased, 0) => "Meninggal Dunia",
        (Status::Deceased, 1) => "MATI",
        (Status::Deceased, _) => "MENINGGAL",
        (Status::Moved, 0) => "pindah keluar",
        (Status::Moved, 1) => "Pindah",
        (Status::Moved, _) => "PINDAH",
    }
}

fn date_text(date: Date, day_first: bool) -> String {
    if day_first { format!("{:02}-{:02}-{:04}", date.day, date.month, date.year) } else { date.to_string() }
}

/// A NIK for a person: region digits, birth date (day + 40 for women), serial.
fn make_nik(region: &[u8], birth: Date, female: bool, serial: u16) -> [u8; 16] {
    let day = u16::from(birth.day) + if female { 40 } else { 0 };
    let text = format!(
        "{}{:02}{:02}{:02}{:04}",
        String::from_utf8_lossy(&region[..6]),
        day,
        birth.month,
        birth.year.rem_euclid(100),
        serial
    );
    let mut digits = [b'0'; 16];
    digits.copy_from_slice(&text.as_bytes()[..16]);
    digits
}

/// A serial not yet used under a NIK's first 12 digits, from `start` upward.
fn free_nik(
    used: &mut HashSet<[u8; 16]>,
    region: &[u8],
    birth: Date,
    female: bool,
    start: u16,
) -> Option<[u8; 16]> {
    (start..=9999).map(|serial| make_nik(region, birth, female, serial)).find(|nik| used.insert(*nik))
}

/// A trimmed non-empty cell.
fn cell(column: &arrow_array::StringArray, row: usize) -> Option<&str> {
    (!column.is_null(row)).then(|| column.value(row).trim()).filter(|t| !t.is_empty())
}

/// Collapse spaces and upper-case: the registry writes names its own way.
fn registry_name(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()
}

/// Generate the registry extract and the stale truth for a synthetic DTKS extract.
///
/// ```
/// use padan::synth::{generate, SynthOptions};
/// use padan::registry::synth::generate_registry;
/// let data = generate(&SynthOptions { rows: 2_000, seed: 9, ..Default::default() });
/// let out = generate_registry(&data, 9);
/// assert_eq!(out.registry.num_rows(), 2_400);
/// assert_eq!(out.stale_truth.num_rows(), 2_000);
/// assert_eq!(out, generate_registry(&data, 9));
/// ```
pub fn generate_registry(data: &SynthData, seed: u64) -> RegistrySynth {
    let text = |batch: &RecordBatch, name: &str| {
        batch.column_by_name(name).map(|c| c.as_string::<i32>().clone()).expect("synth columns are present")
    };
    let id = text(&data.records, "id_dtks");
    let nik = text(&data.records, "nik");
    let kk = text(&data.records, "no_kk");
    let name = text(&data.records, "nama");
    let sex = text(&data.records, "jenis_kelamin");
    let birth = text(&data.records, "tanggal_lahir");
    let kind = text(&data.truth, "duplicate_kind");
    let entity = data.truth.column(1).as_primitive::<UInt64Type>().clone();
    let rows = data.records.num_rows();

    // The original row of each person, by entity id.
    let mut originals: Vec<(u64, usize)> =
        (0..rows).filter(|r| kind.is_null(*r)).map(|r| (entity.value(r), r)).collect();
    originals.sort_unstable();
    let mut used: HashSet<[u8; 16]> = HashSet::new();
    for row in 0..rows {
        if let Some(d) = cell(&nik, row).and_then(|t| normalize::id_digits(t).ok()) {
            used.insert(d);
        }
    }

    // DTKS persons: in the registry or not, and their status (one stream per person).
    let drawn: Vec<(bool, Drawn)> = originals
        .par_iter()
        .map(|(entity_id, row)| {
            let mut rng = stream(seed, PERSON_STREAM, *entity_id);
            let missing = rng.random::<f64>() < MISSING_SHARE;
            let born = cell(&birth, *row).and_then(normalize::parse_date);
            (missing, draw_status(&mut rng, born))
        })
        .collect();
    let mut people: Vec<Person> = Vec::with_capacity((rows as f64 * ROWS_PER_DTKS_ROW) as usize);
    // Registry row (before the shuffle) per entity id, for the truth.
    let mut person_of_entity: rustc_hash::FxHashMap<u64, usize> = rustc_hash::FxHashMap::default();
    for ((entity_id, row), (missing, drawn)) in originals.iter().zip(drawn) {
        if missing {
            continue;
        }
        let row = *row;
        let born = cell(&birth, row).and_then(normalize::parse_date);
        let female = matches!(cell(&sex, row), Some("2" | "P" | "p"));
        let digits = cell(&nik, row).and_then(|t| normalize::id_digits(t).ok());
        let nik = match (digits, born, cell(&kk, row).and_then(|t| normalize::id_digits(t).ok())) {
            (Some(d), _, _) => Some(d),
            (None, Some(b), Some(kk)) => free_nik(&mut used, &kk, b, female, 9000),
            _ => None,
        };
        person_of_entity.insert(*entity_id, people.len());
        people.push(Person {
            nik,
            name: registry_name(cell(&name, row).unwrap_or("")),
            birth: born,
            female,
            status: drawn.status,
            status_date: drawn.status_date,
            spelling: drawn.spelling,
            day_first: drawn.day_first,
        });
    }

    // People not in DTKS: a name of one person, a region and a shifted birth date of another.
    let target = (rows as f64 * ROWS_PER_DTKS_ROW).round() as usize;
    let extras = target.saturating_sub(people.len());
    if !originals.is_empty() {
        let drafts: Vec<(usize, usize, Option<Date>, Drawn)> = (0..extras)
            .into_par_iter()
            .map(|k| {
                let mut rng = stream(seed, EXTRA_STREAM, k as u64);
                let a = rng.random_range(0..originals.len());
                let b = rng.random_range(0..originals.len());
                let shift = rng.random_range(30..=3650i64) * if rng.random::<bool>() { 1 } else { -1 };
                let born = cell(&birth, originals[b].1)
                    .and_then(normalize::parse_date)
                    .map(|d| civil_from_days(days_from_civil(d) + shift))
                    .filter(|d| d.year >= 1900);
                (a, b, born, draw_status(&mut rng, born))
            })
            .collect();
        for (a, b, born, drawn) in drafts {
            let (name_row, place_row) = (originals[a].1, originals[b].1);
            let female = matches!(cell(&sex, name_row), Some("2" | "P" | "p"));
            let region = cell(&kk, place_row).and_then(|t| normalize::id_digits(t).ok());
            let nik = match (region, born) {
                (Some(region), Some(b)) => free_nik(&mut used, &region, b, female, 8000),
                _ => None,
            };
            people.push(Person {
                nik,
                name: registry_name(cell(&name, name_row).unwrap_or("")),
                birth: born,
                female,
                status: drawn.status,
                status_date: drawn.status_date,
                spelling: drawn.spelling,
                day_first: drawn.day_first,
            });
        }
    }

    // The registry's own order: by a seeded random key.
    let mut order: Vec<(u64, usize)> = {
        let mut rng = stream(seed, ORDER_STREAM, 0);
        (0..people.len()).map(|p| (rng.random::<u64>(), p)).collect()
    };
    order.sort_unstable();
    let mut position = vec![0usize; people.len()];
    for (k, (_, p)) in order.iter().enumerate() {
        position[*p] = k;
    }

    let mut columns: [StringBuilder; 6] = std::array::from_fn(|_| StringBuilder::new());
    for (_, p) in &order {
        let person = &people[*p];
        let [nik_b, name_b, birth_b, sex_b, status_b, date_b] = &mut columns;
        nik_b.append_option(person.nik.map(|d| String::from_utf8_lossy(&d).into_owned()));
        name_b.append_option(Some(person.name.as_str()).filter(|n| !n.is_empty()));
        birth_b.append_option(person.birth.map(|d| date_text(d, person.day_first)));
        sex_b.append_value(if person.female { "2" } else { "1" });
        status_b.append_value(status_text(person.status, person.spelling));
        date_b.append_option(person.status_date.map(|d| date_text(d, person.day_first)));
    }
    let names = ["nik", "nama", "tanggal_lahir", "jenis_kelamin", "status", "tanggal_status"];
    let registry = RecordBatch::try_from_iter(
        names.iter().zip(columns.iter_mut()).map(|(n, b)| (*n, Arc::new(b.finish()) as ArrayRef)),
    )
    .expect("registry columns have equal lengths");

    let mut status_col = StringBuilder::new();
    let mut registry_row = UInt64Builder::new();
    let mut entity_col = UInt64Builder::new();
    for row in 0..rows {
        let entity_id = entity.value(row);
        entity_col.append_value(entity_id);
        match person_of_entity.get(&entity_id) {
            Some(p) => {
                status_col.append_value(match people[*p].status {
                    Status::Alive => "HIDUP",
                    Status::Deceased => "MENINGGAL",
                    Status::Moved => "PINDAH",
                });
                registry_row.append_value(position[*p] as u64 + 1);
            }
            None => {
                status_col.append_value("NOT_IN_REGISTRY");
                registry_row.append_null();
            }
        }
    }
    let stale_truth = RecordBatch::try_from_iter([
        ("id_dtks", Arc::new(id.clone()) as ArrayRef),
        ("entity_id", Arc::new(entity_col.finish()) as ArrayRef),
        ("registry_status", Arc::new(status_col.finish()) as ArrayRef),
        ("registry_row", Arc::new(registry_row.finish()) as ArrayRef),
    ])
    .expect("truth columns have equal lengths");
    RegistrySynth { registry, stale_truth }
}
