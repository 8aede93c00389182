//! Flags: what a reviewer should look at before anyone's aid is changed.
//!
//! A dedupe run answers "which rows are the same person"; this module turns that, and what the
//! data says on its own, into flags on rows. Every [`Flag`] names a row, a reason
//! ([`FlagCode`]), the evidence in Bahasa Indonesia and English (NIK and KK masked), a
//! confidence in `[0, 1]` and a review priority (1 first, 5 last).
//!
//! | code | raised on | confidence |
//! |---|---|---|
//! | `INVALID_NIK` | a NIK that fails the structure checks (1.0), or looks made up: one repeated digit, an ascending run (0.6), equal to the row's KK number (0.8) | as listed |
//! | `NIK_MISMATCH` | a valid NIK whose sex digit or birth date contradicts the record (brief §2 step 7; placeholder dates tolerated) | birth year 0.8, day/month 0.6, sex 0.6, two of them 0.9 |
//! | `IMPLAUSIBLE_AGE` | born after the reference date (1.0) or older than `max_age` at it (0.9) | as listed |
//! | `DECEASED_MARKER` | `Alm.` / `Almh.` in the name | 0.8 |
//! | `HOUSEHOLD_INCONSISTENT` | two or more heads (relation 1) in one KK (0.9); a child or grandchild (3, 5) not `min_generation_gap` years younger than the head or spouse (1, 2), or a parent / parent-in-law (6) not that much older than the head: 0.9 when the order is reversed, else 0.7 | as listed |
//! | `DUPLICATE` | every copy to drop in a duplicate cluster | the copy's best match probability |
//! | `DOUBLE_RECIPIENT` | a copy that receives a programme another copy of the same person receives too | as `DUPLICATE` |
//! | `SECOND_HOUSEHOLD` | a copy listed under another KK than the copy that stays | as `DUPLICATE` |
//! | `NIK_SHARED` | a valid NIK carried by rows of two or more persons (clusters) that padan did not link: NIK ganda, or a duplicate the model could not confirm | 1 − the best match probability between them (0.5 when never scored) |
//! | `DUPLICATE_HOUSEHOLD` | the head's row of a KK that registers the same family as another KK (see [`crate::households`]) | the household score |
//! | `DECEASED` | with a reference registry ([`crate::registry`]): the row's confident registry match has status MENINGGAL | the match probability (halved when the death precedes the birth date) |
//! | `MOVED` | the same, status PINDAH | as `DECEASED` |
//! | `NOT_FOUND` | no registry record matches the row confidently | 1 − the best match probability (1.0 without any candidate) |
//!
//! **Which copy stays** in a duplicate cluster: the row with a valid NIK that its record does not
//! contradict; among those (or among all when none has one), the most complete row (the most
//! non-empty mapped columns); then the lowest row number. The same order picks, per programme,
//! the one payment that stays when several copies receive it.
//!
//! **Review priority**: a base per code, plus one when the row receives no programme (nothing
//! is being paid, so it can wait): `DOUBLE_RECIPIENT` and `DECEASED_MARKER` 1 (money may be
//! paid twice or to someone who died); `DUPLICATE`, `NIK_SHARED`, `SECOND_HOUSEHOLD` 2;
//! `DUPLICATE_HOUSEHOLD` 2 (the household's programmes decide the extra one);
//! `INVALID_NIK`, `NIK_MISMATCH`, `IMPLAUSIBLE_AGE` 3; `HOUSEHOLD_INCONSISTENT` 4; from a
//! reference registry `DECEASED` 1, `MOVED` 2, `NOT_FOUND` 3. The review
//! list is sorted by priority, then confidence (highest first), then row, then code.
//!
//! **Households** are checked with one row per person: copies of a person inside one KK count
//! once (the copy that stays, else the first), so an exact duplicate of the head is a
//! `DUPLICATE`, not a second head.
//!
//! **Reference date** for ages: `flags.reference_date` in the configuration; when absent, the
//! latest birth date in the data that is not after today (deterministic for a given extract).

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, UInt8Builder, UInt64Builder};
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, UInt8Array, UInt32Array, UInt64Array};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::block::CandidatePairs;
use crate::cluster::Clusters;
use crate::config::Field;
use crate::error::{Error, Result};
use crate::indo::nik::{self, NikFormatError, NikIssues};
use crate::input::RawRecords;
use crate::normalize::{self, Date};
use crate::pipeline::Decision;
use crate::prepare::{IdDigits, Prepared};
use crate::programs::{self, Programme, ProgrammeSet};

/// Settings of the flags (`[flags]` in the configuration file).
///
/// ```
/// let cfg = padan::Config::from_toml_str("[flags]\nreference_date = \"2025-06-30\"\n").unwrap();
/// assert_eq!(cfg.flags.reference_date.as_deref(), Some("2025-06-30"));
/// assert_eq!(cfg.flags.max_age, 110);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FlagsConfig {
    /// The date ages are computed at (ISO `YYYY-MM-DD`, or `DD-MM-YYYY`), normally the extract
    /// date. Absent: the latest birth date in the data that is not after today.
    pub reference_date: Option<String>,
    /// Older than this at the reference date is `IMPLAUSIBLE_AGE`.
    pub max_age: u16,
    /// Years a child must be younger than the head or spouse (and a parent older than the head)
    /// before `HOUSEHOLD_INCONSISTENT` is raised.
    pub min_generation_gap: u16,
}

impl Default for FlagsConfig {
    fn default() -> Self {
        Self { reference_date: None, max_age: 110, min_generation_gap: 12 }
    }
}

impl FlagsConfig {
    /// Problems with these settings, as `(path, message)` pairs (empty when valid).
    pub fn issues(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(text) = &self.reference_date
            && normalize::parse_date(text).is_none()
        {
            out.push(("flags.reference_date".into(), format!("`{text}` is not a date (YYYY-MM-DD)")));
        }
        if self.max_age == 0 || self.max_age > 150 {
            out.push(("flags.max_age".into(), "must be in 1..=150".into()));
        }
        if self.min_generation_gap > 60 {
            out.push(("flags.min_generation_gap".into(), "must be at most 60".into()));
        }
        out
    }
}

/// Why a row is flagged. Stable upper-case codes; `DECEASED`, `MOVED` and `NOT_FOUND` come from
/// a reference registry ([`crate::registry`]).
///
/// ```
/// use padan::flags::FlagCode;
/// assert_eq!(FlagCode::NikShared.as_str(), "NIK_SHARED");
/// assert_eq!(FlagCode::DoubleRecipient.base_priority(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[non_exhaustive]
pub enum FlagCode {
    /// The NIK fails the structure checks or looks made up.
    InvalidNik,
    /// The NIK's sex digit or birth date contradicts the record.
    NikMismatch,
    /// Born after the reference date or implausibly old.
    ImplausibleAge,
    /// `Alm.` / `Almh.` (the late) in the name.
    DeceasedMarker,
    /// Two heads in one KK, or a child older than a parent.
    HouseholdInconsistent,
    /// A copy to drop in a duplicate cluster.
    Duplicate,
    /// A copy receiving a programme another copy of the same person receives too.
    DoubleRecipient,
    /// A copy of a person listed under another KK number.
    SecondHousehold,
    /// One NIK carried by different people (NIK ganda).
    NikShared,
    /// A KK number registering a family already registered under another KK number.
    DuplicateHousehold,
    /// The civil registry records the person as deceased (MENINGGAL).
    Deceased,
    /// The civil registry records the person as moved away (PINDAH).
    Moved,
    /// No civil-registry record matches the row confidently.
    NotFound,
}

impl FlagCode {
    /// Every code, in output order.
    pub const ALL: [FlagCode; 13] = [
        FlagCode::InvalidNik,
        FlagCode::NikMismatch,
        FlagCode::ImplausibleAge,
        FlagCode::DeceasedMarker,
        FlagCode::HouseholdInconsistent,
        FlagCode::Duplicate,
        FlagCode::DoubleRecipient,
        FlagCode::SecondHousehold,
        FlagCode::NikShared,
        FlagCode::DuplicateHousehold,
        FlagCode::Deceased,
        FlagCode::Moved,
        FlagCode::NotFound,
    ];

    /// The code as written in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagCode::InvalidNik => "INVALID_NIK",
            FlagCode::NikMismatch => "NIK_MISMATCH",
            FlagCode::ImplausibleAge => "IMPLAUSIBLE_AGE",
            FlagCode::DeceasedMarker => "DECEASED_MARKER",
            FlagCode::HouseholdInconsistent => "HOUSEHOLD_INCONSISTENT",
            FlagCode::Duplicate => "DUPLICATE",
            FlagCode::DoubleRecipient => "DOUBLE_RECIPIENT",
            FlagCode::SecondHousehold => "SECOND_HOUSEHOLD",
            FlagCode::NikShared => "NIK_SHARED",
            FlagCode::DuplicateHousehold => "DUPLICATE_HOUSEHOLD",
            FlagCode::Deceased => "DECEASED",
            FlagCode::Moved => "MOVED",
            FlagCode::NotFound => "NOT_FOUND",
        }
    }

    /// Review priority of the code for a row that receives a programme (1 = first); one more
    /// for a row that receives none. See the module documentation.
    pub fn base_priority(self) -> u8 {
        match self {
            FlagCode::DoubleRecipient | FlagCode::DeceasedMarker | FlagCode::Deceased => 1,
            FlagCode::Duplicate
            | FlagCode::NikShared
            | FlagCode::SecondHousehold
            | FlagCode::DuplicateHousehold
            | FlagCode::Moved => 2,
            FlagCode::InvalidNik | FlagCode::NikMismatch | FlagCode::ImplausibleAge | FlagCode::NotFound => 3,
            FlagCode::HouseholdInconsistent => 4,
        }
    }
}

/// One flag on one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// Row index (0-based; outputs show `row + 1`, as diagnostics do).
    pub row: u32,
    /// The reason.
    pub code: FlagCode,
    /// How sure padan is that the row has this problem, in `[0, 1]`.
    pub confidence: f64,
    /// Review priority, 1 (first) to 5.
    pub priority: u8,
    /// The programmes the flag concerns: the doubled ones for `DOUBLE_RECIPIENT`, otherwise
    /// every programme the row receives.
    pub programmes: ProgrammeSet,
    /// Other rows (0-based) the evidence refers to.
    pub related_rows: Vec<u32>,
    /// The evidence in Bahasa Indonesia; NIK and KK masked.
    pub evidence_id: String,
    /// The evidence in English; NIK and KK masked.
    pub evidence_en: String,
}

/// What the NIK cell holds, checked as in the brief's checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NikCheck {
    /// No NIK.
    Missing,
    /// Not 16 digits.
    Malformed(NikFormatError),
    /// 16 digits: every issue found, the record cross-check and `EQUALS_KK` included.
    Digits(NikIssues),
}

const MISMATCH: NikIssues = NikIssues::from_bits_truncate(
    NikIssues::SEX_MISMATCH.bits()
        | NikIssues::BIRTH_YEAR_MISMATCH.bits()
        | NikIssues::BIRTH_DATE_MISMATCH.bits(),
);
const SUSPECT: NikIssues = NikIssues::from_bits_truncate(
    NikIssues::REPEATED_DIGITS.bits() | NikIssues::ASCENDING_RUN.bits() | NikIssues::EQUALS_KK.bits(),
);

impl NikCheck {
    /// A valid NIK that the record does not contradict.
    pub fn is_trusted(self) -> bool {
        matches!(self, NikCheck::Digits(i) if !i.has_errors() && !i.intersects(MISMATCH))
    }

    /// 16 digits passing every structure check (warnings allowed).
    pub fn is_valid(self) -> bool {
        matches!(self, NikCheck::Digits(i) if !i.has_errors())
    }
}

/// A flag computed outside this module (the registry link's), before its priority and
/// programmes are filled in by [`Flags::add`].
#[derive(Debug, Clone, PartialEq)]
pub struct FlagDraft {
    /// Row index (0-based).
    pub row: u32,
    /// The reason.
    pub code: FlagCode,
    /// Confidence in `[0, 1]` (clamped).
    pub confidence: f64,
    /// Other rows (0-based) the evidence refers to.
    pub related_rows: Vec<u32>,
    /// The evidence in Bahasa Indonesia; NIK and KK masked.
    pub evidence_id: String,
    /// The evidence in English; NIK and KK masked.
    pub evidence_en: String,
}

/// Province, regency and district cells of one row, as typed.
type RegionText<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// Per-row facts the flags need from the raw input, taken before the raw columns are dropped:
/// the NIK checks against the record as typed, the programmes, the region names and how
/// complete each row is.
#[derive(Debug, Clone, Default)]
pub struct RowFacts {
    /// NIK check per row.
    pub nik: Vec<NikCheck>,
    /// Programmes per row.
    pub programmes: Vec<ProgrammeSet>,
    /// Region id per row (index into `regions`; 0 = none given).
    pub region: Vec<u32>,
    /// `[province, regency, district]` names per region id, upper case (empty when missing).
    pub regions: Vec<[String; 3]>,
    /// Non-empty mapped columns per row (the id excluded).
    pub filled: Vec<u8>,
    /// Programme tokens that named no known programme, with their row counts.
    pub unknown_programmes: BTreeMap<String, u64>,
}

impl RowFacts {
    /// Read the facts from the raw records and the prepared KK numbers.
    pub fn extract(raw: &RawRecords, prepared: &Prepared) -> RowFacts {
        let mut facts = Self::from_raw(raw);
        facts.nik = prepared.nik_check.clone();
        facts
    }

    /// Everything but the NIK checks, which prepare makes: this part reads the raw cells only,
    /// so it can run while prepare runs.
    pub(crate) fn from_raw(raw: &RawRecords) -> RowFacts {
        let cell = |field: Field, row: usize| crate::prepare::cell(raw.field(field), row);
        // A registry spells its programme lists a few ways: each spelling is parsed once.
        let programme_cells = crate::prepare::DistinctCells::of(raw.field(Field::Programs), raw.len);
        let parsed_programmes = programme_cells.map(programs::parse_programmes);
        let filled: Vec<u8> = (0..raw.len)
            .into_par_iter()
            .with_min_len(4096)
            .map(|row| {
                Field::ALL.iter().filter(|f| **f != Field::Id && cell(**f, row).is_some()).count() as u8
            })
            .collect();
        let mut facts = RowFacts { filled, regions: vec![Default::default()], ..Default::default() };
        let mut region_ids: FxHashMap<[String; 3], u32> = FxHashMap::default();
        // Raw text to region id first: most rows repeat a few spellings.
        let mut by_text: FxHashMap<RegionText<'_>, u32> = FxHashMap::default();
        // Exports are sorted by region: most rows repeat the previous row's region text.
        let mut previous: Option<(RegionText<'_>, u32)> = None;
        for row in 0..raw.len {
            let programmes = programme_cells.of_row(&parsed_programmes, row);
            facts.programmes.push(programmes.map(|p| p.programmes).unwrap_or_default());
            for token in programmes.iter().flat_map(|p| &p.unknown) {
                *facts.unknown_programmes.entry(token.clone()).or_insert(0) += 1;
            }
            let text = (cell(Field::Province, row), cell(Field::Regency, row), cell(Field::District, row));
            if let Some((last, id)) = previous
                && last == text
            {
                facts.region.push(id);
                continue;
            }
            let id = *by_text.entry(text).or_insert_with(|| {
                if text == (None, None, None) {
                    return 0;
                }
                let name = |t: Option<&str>| t.map(normalize::basic_name).unwrap_or_default();
                let key = [name(text.0), name(text.1), name(text.2)];
                let next = facts.regions.len() as u32;
                let id = *region_ids.entry(key.clone()).or_insert(next);
                if id == next {
                    facts.regions.push(key);
                }
                id
            });
            previous = Some((text, id));
            facts.region.push(id);
        }
        facts
    }
}

/// Per-programme counts of persons receiving a programme on more than one row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProgrammeDoubles {
    /// The programme (`PKH`, `BPNT`, `PBI-JK`, `BST`, `BPUM`).
    pub programme: String,
    /// Rows receiving the programme.
    pub rows_receiving: u64,
    /// Persons (duplicate clusters) receiving it on two or more rows.
    pub persons: u64,
    /// Rows of those persons that receive it.
    pub rows: u64,
    /// Payments beyond the first: `rows - persons`, the `DOUBLE_RECIPIENT` flags for it.
    pub extra_payments: u64,
}

/// Counts of a run's flags: the `flags` block of `summary.json`. Every row is accounted for:
/// `rows_flagged + rows_not_flagged` is the number of rows read, and `by_code` adds up to
/// `flags_total`, as do `by_priority` and the counts table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FlagSummary {
    /// The date ages were computed at.
    pub reference_date: String,
    /// Where it came from: `config`, `latest_birth_date` or `today` (no birth date in the data).
    pub reference_date_source: String,
    /// Flags raised.
    pub flags_total: u64,
    /// Rows with at least one flag.
    pub rows_flagged: u64,
    /// Rows with none.
    pub rows_not_flagged: u64,
    /// Flags per code (every code listed, zeros included).
    pub by_code: BTreeMap<String, u64>,
    /// Flags per review priority (`1` to `5`).
    pub by_priority: BTreeMap<String, u64>,
    /// Duplicate clusters, each with one row that stays.
    pub duplicate_clusters: u64,
    /// Rows to drop (the `DUPLICATE` flags).
    pub duplicate_rows_to_drop: u64,
    /// Double recipients per programme, in canonical programme order.
    pub double_recipients: Vec<ProgrammeDoubles>,
    /// Persons listed under two or more KK numbers.
    pub persons_in_two_households: u64,
    /// Distinct valid NIKs carried by two or more different people.
    pub niks_shared: u64,
    /// Rows carrying such a NIK.
    pub rows_with_shared_nik: u64,
    /// Programme tokens that named no known programme, with their row counts (the 20 most
    /// frequent).
    pub unknown_programmes: BTreeMap<String, u64>,
}

/// One programme received on two or more rows of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoubleRecipient {
    /// The person's cluster.
    pub cluster_id: u64,
    /// The programme.
    pub programme: Programme,
    /// The rows (0-based, ascending) receiving it.
    pub rows: Vec<u32>,
    /// The row whose payment stays.
    pub kept_row: u32,
}

/// Every flag of a run, with the facts the output tables need.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// Flags ordered by row, then code.
    pub flags: Vec<Flag>,
    /// The counts.
    pub summary: FlagSummary,
    /// Programmes received twice, by cluster then programme.
    pub double_recipients: Vec<DoubleRecipient>,
    /// The row that stays in each duplicate cluster, by cluster id (absent for singletons).
    pub kept_rows: BTreeMap<u64, u32>,
    /// The per-row facts the flags were computed from.
    pub facts: RowFacts,
}

/// The inputs of [`compute`]: a dedupe run's parts.
pub struct FlagInputs<'a> {
    /// Prepared records.
    pub prepared: &'a Prepared,
    /// Facts from the raw input.
    pub facts: RowFacts,
    /// Candidate pairs.
    pub pairs: &'a CandidatePairs,
    /// Match probability per pair.
    pub match_probability: &'a [f64],
    /// Decision per pair.
    pub decisions: &'a [Decision],
    /// Cluster per record.
    pub clusters: &'a Clusters,
}

/// Show at most this many related rows in an evidence text.
const ROWS_SHOWN: usize = 10;

fn rows_text(rows: &[u32]) -> String {
    let mut parts: Vec<String> = rows.iter().take(ROWS_SHOWN).map(|r| (r + 1).to_string()).collect();
    if rows.len() > ROWS_SHOWN {
        parts.push(format!("… (+{})", rows.len() - ROWS_SHOWN));
    }
    parts.join(", ")
}

fn masked(digits: &IdDigits) -> String {
    nik::mask_id(std::str::from_utf8(digits).unwrap_or(""))
}

/// Today's date by the system clock (UTC).
fn today() -> Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    Date::from_days_since_epoch((secs / 86_400) as i64).unwrap_or(Date { year: 2000, month: 1, day: 1 })
}

/// Whole years from `from` to `to` (negative when `to` is earlier).
fn years_between(from: Date, to: Date) -> i32 {
    let mut years = i32::from(to.year) - i32::from(from.year);
    if (to.month, to.day) < (from.month, from.day) {
        years -= 1;
    }
    years
}

/// The reference date and where it came from.
fn reference_date(config: &FlagsConfig, birth_dates: &[Option<Date>]) -> (Date, &'static str) {
    if let Some(date) = config.reference_date.as_deref().and_then(normalize::parse_date) {
        return (date, "config");
    }
    let today = today();
    match birth_dates.iter().flatten().filter(|d| **d <= today).max() {
        Some(latest) => (*latest, "latest_birth_date"),
        None => (today, "today"),
    }
}

fn probability_text(p: f64, indonesian: bool) -> String {
    let text = format!("{p:.3}");
    if indonesian { text.replace('.', ",") } else { text }
}

fn relation_names(code: u8) -> (&'static str, &'static str) {
    match code {
        1 => ("kepala keluarga", "head of family"),
        2 => ("istri/suami", "spouse"),
        3 => ("anak", "child"),
        5 => ("cucu", "grandchild"),
        6 => ("orang tua/mertua", "parent or parent-in-law"),
        _ => ("anggota", "member"),
    }
}

/// Collects flags and assigns priorities.
struct Collector<'a> {
    facts: &'a RowFacts,
    flags: Vec<Flag>,
}

impl Collector<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        row: u32,
        code: FlagCode,
        confidence: f64,
        programmes: Option<ProgrammeSet>,
        related_rows: Vec<u32>,
        evidence_id: String,
        evidence_en: String,
    ) {
        let receives = !self.facts.programmes[row as usize].is_empty();
        self.flags.push(Flag {
            row,
            code,
            confidence: confidence.clamp(0.0, 1.0),
            priority: code.base_priority() + u8::from(!receives),
            programmes: programmes.unwrap_or(self.facts.programmes[row as usize]),
            related_rows,
            evidence_id,
            evidence_en,
        });
    }
}

/// Flags per parallel task when building the review list.
const REVIEW_CHUNK: usize = 16_384;

/// Rows per parallel task when computing the flags of single rows.
const FLAG_CHUNK: usize = 4096;

/// Runs `each` over `items` in parallel, `chunk` items per task; the flags come back in the
/// order a sequential loop over `items` gives, so the output does not depend on the thread count.
fn flags_in_order<T: Sync>(
    facts: &RowFacts,
    items: &[T],
    chunk: usize,
    each: impl Fn(&T, &mut Collector<'_>) + Sync,
) -> Vec<Flag> {
    items
        .par_chunks(chunk)
        .flat_map_iter(|chunk| {
            let mut out = Collector { facts, flags: Vec::new() };
            for item in chunk {
                each(item, &mut out);
            }
            out.flags
        })
        .collect()
}

/// What one duplicate cluster adds: its flags, the row that stays, its double payments, and
/// whether a copy sits under another KK.
struct ClusterOutcome {
    flags: Vec<Flag>,
    keeper: u32,
    doubles: Vec<DoubleRecipient>,
    in_two_households: bool,
}

/// Compute every flag of a run. Deterministic: the same run gives the same flags in the same
/// order whatever the thread count.
pub fn compute(inputs: FlagInputs<'_>, config: &FlagsConfig) -> Flags {
    let FlagInputs { prepared, facts, pairs, match_probability, decisions, clusters } = inputs;
    let n = prepared.len;
    let (reference, reference_source) = reference_date(config, &prepared.birth_date);
    let row_starts: Vec<usize> = (0..n).step_by(FLAG_CHUNK).collect();
    let mut flags = flags_in_order(&facts, &row_starts, 1, |&start, out| {
        row_flags(prepared, &facts, reference, config, start..(start + FLAG_CHUNK).min(n), out);
    });

    // Members of each duplicate cluster, in row order, clusters by id.
    let mut in_clusters: Vec<(u64, u32)> = (0..n)
        .filter(|row| clusters.cluster_size[*row] >= 2)
        .map(|row| (clusters.cluster_id[row], row as u32))
        .collect();
    in_clusters.par_sort_unstable();
    let members: Vec<(u64, Vec<u32>)> = in_clusters
        .chunk_by(|a, b| a.0 == b.0)
        .map(|run| (run[0].0, run.iter().map(|(_, row)| *row).collect()))
        .collect();
    drop(in_clusters);
    // The best match probability of a linked pair touching each row.
    let mut best_link = vec![0.0f64; n];
    for k in 0..pairs.len() {
        if decisions[k] == Decision::Match {
            let (i, j) = (pairs.left[k] as usize, pairs.right[k] as usize);
            if clusters.cluster_id[i] == clusters.cluster_id[j] {
                best_link[i] = best_link[i].max(match_probability[k]);
                best_link[j] = best_link[j].max(match_probability[k]);
            }
        }
    }
    // Which copy stays: trusted NIK, then completeness, then the lowest row.
    let keep_order = |row: &u32| {
        let r = *row as usize;
        (!facts.nik[r].is_trusted(), std::cmp::Reverse(facts.filled[r]), *row)
    };
    // Each cluster on its own; the outcomes are merged in cluster order.
    let cluster_outcome = |(cluster, rows): &(u64, Vec<u32>)| -> ClusterOutcome {
        let mut out = Collector { facts: &facts, flags: Vec::new() };
        let mut doubles = Vec::new();
        let mut in_two_households = false;
        let keeper = *rows.iter().min_by_key(|r| keep_order(r)).unwrap_or(&rows[0]);
        for &row in rows.iter().filter(|r| **r != keeper) {
            let p = best_link[row as usize];
            let (k, r) = (keeper as usize, row as usize);
            let (why_id, why_en) = if facts.nik[k].is_trusted() && !facts.nik[r].is_trusted() {
                (
                    "NIK-nya sah dan sesuai data".to_string(),
                    "its NIK is valid and agrees with the record".to_string(),
                )
            } else if facts.filled[k] != facts.filled[r] {
                (
                    format!(
                        "datanya lebih lengkap ({} kolom terisi, baris ini {})",
                        facts.filled[k], facts.filled[r]
                    ),
                    format!(
                        "it is more complete ({} columns filled, this row {})",
                        facts.filled[k], facts.filled[r]
                    ),
                )
            } else {
                ("barisnya lebih awal".to_string(), "it comes first".to_string())
            };
            out.push(
                row,
                FlagCode::Duplicate,
                p,
                None,
                vec![keeper],
                format!(
                    "orang yang sama dengan baris {} (peluang cocok {}); baris {} dipertahankan: {why_id}",
                    keeper + 1,
                    probability_text(p, true),
                    keeper + 1
                ),
                format!(
                    "same person as row {} (match probability {}); row {} stays: {why_en}",
                    keeper + 1,
                    probability_text(p, false),
                    keeper + 1
                ),
            );
        }

        // Double recipients: per programme, one payment stays (the first in keep order).
        let mut extra: BTreeMap<u32, (ProgrammeSet, Vec<u32>)> = BTreeMap::new();
        for programme in Programme::ALL {
            let mut receiving: Vec<u32> =
                rows.iter().copied().filter(|r| facts.programmes[*r as usize].contains(programme)).collect();
            if receiving.len() < 2 {
                continue;
            }
            let stays = *receiving.iter().min_by_key(|r| keep_order(r)).unwrap_or(&receiving[0]);
            receiving.sort_unstable();
            for &row in receiving.iter().filter(|r| **r != stays) {
                let entry = extra.entry(row).or_default();
                entry.0.insert(programme);
                entry.1.push(stays);
            }
            doubles.push(DoubleRecipient {
                cluster_id: *cluster,
                programme,
                rows: receiving,
                kept_row: stays,
            });
        }
        for (row, (set, mut others)) in extra {
            others.sort_unstable();
            others.dedup();
            let p = best_link[row as usize];
            out.push(
                row,
                FlagCode::DoubleRecipient,
                p,
                Some(set),
                others.clone(),
                format!(
                    "menerima {set} yang juga diterima orang yang sama di baris {} (peluang cocok {})",
                    rows_text(&others),
                    probability_text(p, true)
                ),
                format!(
                    "receives {set}, also paid to the same person on row {} (match probability {})",
                    rows_text(&others),
                    probability_text(p, false)
                ),
            );
        }

        // A person in two households: copies under another KK than the one that stays.
        let reference_kk = std::iter::once(keeper)
            .chain({
                let mut ordered = rows.clone();
                ordered.sort_by_key(keep_order);
                ordered
            })
            .find_map(|r| prepared.kk[r as usize]);
        if let Some(reference_kk) = reference_kk {
            let mut any = false;
            for &row in rows {
                let Some(kk) = prepared.kk[row as usize] else { continue };
                if kk == reference_kk {
                    continue;
                }
                any = true;
                let p = best_link[row as usize];
                out.push(
                    row,
                    FlagCode::SecondHousehold,
                    p,
                    None,
                    vec![keeper],
                    format!(
                        "orang yang sama dengan baris {}, tercatat di KK lain ({} dan {})",
                        keeper + 1,
                        masked(&kk),
                        masked(&reference_kk)
                    ),
                    format!(
                        "same person as row {}, listed under another KK ({} against {})",
                        keeper + 1,
                        masked(&kk),
                        masked(&reference_kk)
                    ),
                );
            }
            in_two_households = any;
        }
        ClusterOutcome { flags: out.flags, keeper, doubles, in_two_households }
    };
    let outcomes: Vec<ClusterOutcome> = members.par_iter().map(cluster_outcome).collect();
    let mut kept_rows = BTreeMap::new();
    let mut doubles = Vec::new();
    let mut in_two_households = 0u64;
    for ((cluster, _), outcome) in members.iter().zip(outcomes) {
        flags.extend(outcome.flags);
        kept_rows.insert(*cluster, outcome.keeper);
        doubles.extend(outcome.doubles);
        in_two_households += u64::from(outcome.in_two_households);
    }

    let mut out = Collector { facts: &facts, flags };
    let (niks_shared, rows_with_shared_nik) =
        nik_shared(prepared, &facts, pairs, match_probability, clusters, &mut out);
    let mut flags = out.flags;
    flags.extend(household_flags(prepared, &facts, clusters, &kept_rows, reference, config));
    // A stable sort: two flags of one row and code keep the order they were found in.
    flags.par_sort_by_key(|a| (a.row, a.code));

    let (by_code, by_priority, rows_flagged) = counts(&flags, n);
    let double_recipients = Programme::ALL
        .iter()
        .map(|programme| {
            let of: Vec<&DoubleRecipient> = doubles.iter().filter(|d| d.programme == *programme).collect();
            let persons = of.len() as u64;
            let rows: u64 = of.iter().map(|d| d.rows.len() as u64).sum();
            ProgrammeDoubles {
                programme: programme.as_str().to_string(),
                rows_receiving: facts.programmes.iter().filter(|s| s.contains(*programme)).count() as u64,
                persons,
                rows,
                extra_payments: rows - persons,
            }
        })
        .collect();
    let mut unknown: Vec<(&String, &u64)> = facts.unknown_programmes.iter().collect();
    unknown.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let summary = FlagSummary {
        reference_date: reference.to_string(),
        reference_date_source: reference_source.to_string(),
        flags_total: flags.len() as u64,
        rows_flagged,
        rows_not_flagged: n as u64 - rows_flagged,
        duplicate_clusters: members.len() as u64,
        duplicate_rows_to_drop: by_code[FlagCode::Duplicate.as_str()],
        by_code,
        by_priority,
        double_recipients,
        persons_in_two_households: in_two_households,
        niks_shared,
        rows_with_shared_nik,
        unknown_programmes: unknown.into_iter().take(20).map(|(k, v)| (k.clone(), *v)).collect(),
    };
    Flags { flags, summary, double_recipients: doubles, kept_rows, facts }
}

/// Flags per code (every code, zeros included), per priority (1 to 5), and rows flagged.
fn counts(flags: &[Flag], rows: usize) -> (BTreeMap<String, u64>, BTreeMap<String, u64>, u64) {
    // Counted in arrays, named once: a string per flag was measurable at a million rows.
    let mut per_code = [0u64; FlagCode::ALL.len()];
    let mut per_priority = [0u64; 6];
    let mut flagged = vec![false; rows];
    for flag in flags {
        per_code[FlagCode::ALL.iter().position(|c| *c == flag.code).unwrap_or(0)] += 1;
        per_priority[usize::from(flag.priority).min(5)] += 1;
        flagged[flag.row as usize] = true;
    }
    let by_code = FlagCode::ALL.iter().zip(per_code).map(|(c, n)| (c.as_str().to_string(), n)).collect();
    let by_priority = (1..=5).map(|p| (p.to_string(), per_priority[p])).collect();
    (by_code, by_priority, flagged.iter().filter(|f| **f).count() as u64)
}

impl Flags {
    /// Add flags raised by a later stage (the household linkage): they join the list in row,
    /// then code order, and the summary counts are recomputed.
    pub fn add_flags(&mut self, extra: Vec<Flag>) {
        if extra.is_empty() {
            return;
        }
        let rows = (self.summary.rows_flagged + self.summary.rows_not_flagged) as usize;
        self.flags.extend(extra);
        self.flags.sort_by_key(|a| (a.row, a.code));
        let (by_code, by_priority, rows_flagged) = counts(&self.flags, rows);
        self.summary.flags_total = self.flags.len() as u64;
        self.summary.by_code = by_code;
        self.summary.by_priority = by_priority;
        self.summary.rows_flagged = rows_flagged;
        self.summary.rows_not_flagged = rows as u64 - rows_flagged;
    }
}

/// Flags from one row alone: the NIK, the age, the name's deceased marker.
fn row_flags(
    prepared: &Prepared,
    facts: &RowFacts,
    reference: Date,
    config: &FlagsConfig,
    rows: std::ops::Range<usize>,
    out: &mut Collector<'_>,
) {
    for row in rows {
        let r = row as u32;
        match facts.nik[row] {
            NikCheck::Missing => {}
            NikCheck::Malformed(e) => out.push(
                r,
                FlagCode::InvalidNik,
                1.0,
                None,
                Vec::new(),
                format!("NIK bukan 16 digit yang sah ({})", e.code()),
                format!("the NIK is not a valid 16-digit number ({})", e.code()),
            ),
            NikCheck::Digits(issues) if issues.has_errors() => {
                let codes = issues.errors().codes().join(", ");
                let shown = prepared.nik[row].as_ref().map(masked).unwrap_or_default();
                out.push(
                    r,
                    FlagCode::InvalidNik,
                    1.0,
                    None,
                    Vec::new(),
                    format!("NIK {shown} tidak lolos pemeriksaan struktur ({codes})"),
                    format!("NIK {shown} fails the structure checks ({codes})"),
                );
            }
            NikCheck::Digits(issues) => {
                let suspect = issues & SUSPECT;
                if !suspect.is_empty() {
                    let codes = suspect.codes().join(", ");
                    let confidence = if suspect.contains(NikIssues::EQUALS_KK) { 0.8 } else { 0.6 };
                    out.push(
                        r,
                        FlagCode::InvalidNik,
                        confidence,
                        None,
                        Vec::new(),
                        format!("NIK tampak asal diisi ({codes})"),
                        format!("the NIK looks made up ({codes})"),
                    );
                }
                let mismatch = issues & MISMATCH;
                if !mismatch.is_empty() {
                    let mut id = Vec::new();
                    let mut en = Vec::new();
                    let mut kinds = 0;
                    let mut confidence: f64 = 0.0;
                    if mismatch.contains(NikIssues::SEX_MISMATCH) {
                        // The prepared sex is the record's own column (the NIK's digit only
                        // fills a missing one), so on a mismatch the NIK says the other one.
                        let (nik_id, nik_en, rec_id, rec_en) = if prepared.sex[row] == 1 {
                            ("perempuan", "female", "laki-laki", "male")
                        } else {
                            ("laki-laki", "male", "perempuan", "female")
                        };
                        id.push(format!("jenis kelamin di NIK {nik_id}, di data {rec_id}"));
                        en.push(format!("the NIK says {nik_en}, the record {rec_en}"));
                        kinds += 1;
                        confidence = confidence.max(0.6);
                    }
                    if mismatch.contains(NikIssues::BIRTH_YEAR_MISMATCH) {
                        id.push("tahun lahir di NIK beda dengan tanggal lahir".into());
                        en.push("the NIK's birth year differs from the birth date".into());
                        kinds += 1;
                        confidence = confidence.max(0.8);
                    }
                    if mismatch.contains(NikIssues::BIRTH_DATE_MISMATCH) {
                        id.push("tanggal/bulan lahir di NIK beda dengan tanggal lahir".into());
                        en.push("the NIK's birth day or month differs from the birth date".into());
                        kinds += 1;
                        confidence = confidence.max(0.6);
                    }
                    if kinds >= 2 {
                        confidence = 0.9;
                    }
                    out.push(
                        r,
                        FlagCode::NikMismatch,
                        confidence,
                        None,
                        Vec::new(),
                        id.join("; "),
                        en.join("; "),
                    );
                }
            }
        }
        if let Some(born) = prepared.birth_date[row] {
            if born > reference {
                out.push(
                    r,
                    FlagCode::ImplausibleAge,
                    1.0,
                    None,
                    Vec::new(),
                    format!("lahir setelah tanggal acuan {reference}"),
                    format!("born after the reference date {reference}"),
                );
            } else {
                let age = years_between(born, reference);
                if age > i32::from(config.max_age) {
                    out.push(
                        r,
                        FlagCode::ImplausibleAge,
                        0.9,
                        None,
                        Vec::new(),
                        format!("berumur {age} tahun pada {reference}, lebih dari {}", config.max_age),
                        format!("aged {age} at {reference}, over {}", config.max_age),
                    );
                }
            }
        }
        if prepared.deceased_marker[row] {
            out.push(
                r,
                FlagCode::DeceasedMarker,
                0.8,
                None,
                Vec::new(),
                "nama memuat Alm./Almh. (almarhum/almarhumah): kemungkinan sudah meninggal".into(),
                "the name carries Alm./Almh. (the late): the person may have died".into(),
            );
        }
    }
}

/// Rows grouped by a 16-digit key, groups of two or more only, in key order and rows
/// ascending. Sorting a flat list keeps memory low at a million rows (no map of vectors).
fn groups_of(mut keyed: Vec<(IdDigits, u32)>) -> Vec<(IdDigits, Vec<u32>)> {
    keyed.par_sort_unstable();
    keyed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() >= 2)
        .map(|run| (run[0].0, run.iter().map(|(_, row)| *row).collect()))
        .collect()
}

/// NIK ganda: valid NIKs carried by rows of two or more clusters. Returns the number of such
/// NIKs and of rows carrying them.
fn nik_shared(
    prepared: &Prepared,
    facts: &RowFacts,
    pairs: &CandidatePairs,
    match_probability: &[f64],
    clusters: &Clusters,
    out: &mut Collector<'_>,
) -> (u64, u64) {
    let keyed: Vec<(IdDigits, u32)> = (0..prepared.len)
        .filter_map(|row| Some((prepared.nik[row]?, row as u32)).filter(|_| facts.nik[row].is_valid()))
        .collect();
    let mut groups = groups_of(keyed);
    groups.retain(|(_, rows)| {
        let first = clusters.cluster_id[rows[0] as usize];
        rows.iter().any(|r| clusters.cluster_id[*r as usize] != first)
    });
    if groups.is_empty() {
        return (0, 0);
    }
    // The best match probability between a row and a same-NIK row of another cluster.
    let mut best: FxHashMap<u32, f64> = FxHashMap::default();
    for (k, probability) in match_probability.iter().enumerate().take(pairs.len()) {
        let (i, j) = (pairs.left[k] as usize, pairs.right[k] as usize);
        if prepared.nik[i].is_some()
            && prepared.nik[i] == prepared.nik[j]
            && clusters.cluster_id[i] != clusters.cluster_id[j]
        {
            for r in [i, j] {
                let entry = best.entry(r as u32).or_insert(0.0);
                *entry = entry.max(*probability);
            }
        }
    }
    let mut rows_total = 0u64;
    for (digits, rows) in &groups {
        let mut people: Vec<u64> = rows.iter().map(|r| clusters.cluster_id[*r as usize]).collect();
        people.sort_unstable();
        people.dedup();
        rows_total += rows.len() as u64;
        for &row in rows {
            let cluster = clusters.cluster_id[row as usize];
            let others: Vec<u32> =
                rows.iter().copied().filter(|r| clusters.cluster_id[*r as usize] != cluster).collect();
            let best_probability = best.get(&row).copied();
            let confidence = best_probability.map_or(0.5, |p| 1.0 - p);
            let contradicts =
                matches!(facts.nik[row as usize], NikCheck::Digits(i) if i.intersects(MISMATCH));
            let mut note_id = match best_probability {
                Some(p) => format!("peluang orang yang sama {}", probability_text(p, true)),
                None => "tidak pernah dibandingkan".to_string(),
            };
            let mut note_en = match best_probability {
                Some(p) => format!("match probability {}", probability_text(p, false)),
                None => "never compared".to_string(),
            };
            if contradicts {
                note_id.push_str(
                    "; data baris ini bertentangan dengan NIK, jadi NIK-nya yang lebih mungkin salah",
                );
                note_en.push_str(
                    "; this row's record contradicts the NIK, so its NIK is the likelier wrong one",
                );
            }
            out.push(
                row,
                FlagCode::NikShared,
                confidence,
                None,
                others.clone(),
                format!(
                    "NIK {} ada di {} orang yang tidak ditautkan (juga baris {}; {note_id}): NIK ganda, atau \
                     duplikat yang perlu dipastikan",
                    masked(digits),
                    people.len(),
                    rows_text(&others)
                ),
                format!(
                    "NIK {} is carried by {} persons padan did not link (also row {}; {note_en}): one NIK for \
                     different people, or a duplicate to confirm",
                    masked(digits),
                    people.len(),
                    rows_text(&others)
                ),
            );
        }
    }
    (groups.len() as u64, rows_total)
}

/// Households larger than this (persons) are not checked for generations: a KK number shared
/// by that many people is a placeholder, already visible in the data.
const MAX_HOUSEHOLD: usize = 100;

/// Two heads in one KK; a child older than (or too close in age to) a parent.
fn household_flags(
    prepared: &Prepared,
    facts: &RowFacts,
    clusters: &Clusters,
    kept_rows: &BTreeMap<u64, u32>,
    reference: Date,
    config: &FlagsConfig,
) -> Vec<Flag> {
    // A lookup per row, not per cluster: a map lookup per household member dominated at 1M rows.
    let mut is_kept = vec![false; prepared.len];
    for row in kept_rows.values() {
        is_kept[*row as usize] = true;
    }
    let keyed: Vec<(IdDigits, u32)> =
        (0..prepared.len).filter_map(|row| Some((prepared.kk[row]?, row as u32))).collect();
    // Households are small: a few hundred per task.
    flags_in_order(facts, &groups_of(keyed), 512, |(kk, rows), out| {
        if rows.len() < 2 {
            return;
        }
        // One row per person: the copy that stays when it is in this KK, else the first.
        let mut by_person: Vec<(u64, bool, u32)> =
            rows.iter().map(|r| (clusters.cluster_id[*r as usize], !is_kept[*r as usize], *r)).collect();
        by_person.sort_unstable();
        by_person.dedup_by_key(|p| p.0);
        let mut persons: Vec<u32> = by_person.into_iter().map(|p| p.2).collect();
        persons.sort_unstable();
        let heads: Vec<u32> =
            persons.iter().copied().filter(|r| prepared.relation[*r as usize] == 1).collect();
        if heads.len() >= 2 {
            for &head in &heads {
                let others: Vec<u32> = heads.iter().copied().filter(|h| *h != head).collect();
                out.push(
                    head,
                    FlagCode::HouseholdInconsistent,
                    0.9,
                    None,
                    others.clone(),
                    format!(
                        "KK {} mencatat {} kepala keluarga (juga baris {})",
                        masked(kk),
                        heads.len(),
                        rows_text(&others)
                    ),
                    format!(
                        "KK {} lists {} heads of family (also row {})",
                        masked(kk),
                        heads.len(),
                        rows_text(&others)
                    ),
                );
            }
        }
        if persons.len() > MAX_HOUSEHOLD {
            return;
        }
        let gap = i32::from(config.min_generation_gap);
        let born = |r: u32| prepared.birth_date[r as usize];
        for &row in &persons {
            let relation = prepared.relation[row as usize];
            let Some(own) = born(row) else { continue };
            // (the other person, reversed order?) for every generation rule this row breaks.
            let conflicts: Vec<(u32, bool)> = persons
                .iter()
                .copied()
                .filter(|other| *other != row)
                .filter_map(|other| {
                    let theirs = born(other)?;
                    let other_relation = prepared.relation[other as usize];
                    match (relation, other_relation) {
                        // A (grand)child must be younger than the head and the spouse.
                        (3 | 5, 1 | 2) => {
                            (years_between(theirs, own) < gap).then_some((other, own <= theirs))
                        }
                        // A parent must be older than the head.
                        (6, 1) => (years_between(own, theirs) < gap).then_some((other, own >= theirs)),
                        _ => None,
                    }
                })
                .collect();
            if conflicts.is_empty() {
                continue;
            }
            let reversed = conflicts.iter().any(|c| c.1);
            let (role_id, role_en) = relation_names(relation);
            let describe = |indonesian: bool| -> String {
                conflicts
                    .iter()
                    .take(ROWS_SHOWN)
                    .map(|(other, _)| {
                        let (other_id, other_en) = relation_names(prepared.relation[*other as usize]);
                        let age = born(*other).map_or(0, |d| years_between(d, reference));
                        if indonesian {
                            format!("{other_id} baris {} berumur {age}", other + 1)
                        } else {
                            format!("{other_en} on row {} aged {age}", other + 1)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let own_age = years_between(own, reference);
            let others: Vec<u32> = conflicts.iter().map(|c| c.0).collect();
            let (bound_id, bound_en) = if reversed {
                ("urutan generasi terbalik", "the generations are in reverse order")
            } else {
                ("selisih umur kurang dari batas", "the age gap is below the minimum")
            };
            out.push(
                row,
                FlagCode::HouseholdInconsistent,
                if reversed { 0.9 } else { 0.7 },
                None,
                others,
                format!(
                    "{role_id} berumur {own_age} di KK {}, {}: {bound_id} ({gap} tahun)",
                    masked(kk),
                    describe(true)
                ),
                format!(
                    "{role_en} aged {own_age} in KK {}, {}: {bound_en} ({gap} years)",
                    masked(kk),
                    describe(false)
                ),
            );
        }
    })
}

impl Flags {
    /// Add flags computed elsewhere: each gets its code's priority (one more when the row
    /// receives no programme) and the row's programmes, the flags are ordered by row then code
    /// again, and the counts (`flags_total`, `rows_flagged`, `by_code`, `by_priority`) are
    /// recomputed.
    pub fn add(&mut self, drafts: Vec<FlagDraft>) {
        let mut collector = Collector { facts: &self.facts, flags: Vec::with_capacity(drafts.len()) };
        for d in drafts {
            collector.push(d.row, d.code, d.confidence, None, d.related_rows, d.evidence_id, d.evidence_en);
        }
        let added = collector.flags;
        self.add_flags(added);
    }

    /// The flags as an Arrow table, one row per flag, ordered by row then code: `row` (UInt64,
    /// 1-based as in diagnostics), `id` (the input's id type), `code`, `priority` (UInt8, 1
    /// first), `confidence` (Float64), `programs` (`PKH;BPNT`, null for none), `related_rows`
    /// (1-based rows joined by `;`, null for none), `cluster_id`, `evidence_id` (Bahasa
    /// Indonesia), `evidence_en` (English).
    pub fn table(&self, prepared: &Prepared, clusters: &Clusters) -> Result<RecordBatch> {
        let indices = UInt32Array::from(self.flags.iter().map(|f| f.row).collect::<Vec<u32>>());
        let ids = arrow_select::take::take(&prepared.id, &indices, None)?;
        let mut row = UInt64Builder::new();
        let mut code = StringBuilder::new();
        let mut priority = UInt8Builder::new();
        let mut confidence = Float64Builder::new();
        let mut programmes = StringBuilder::new();
        let mut related = StringBuilder::new();
        let mut cluster = UInt64Builder::new();
        let mut evidence_id = StringBuilder::new();
        let mut evidence_en = StringBuilder::new();
        for flag in &self.flags {
            row.append_value(u64::from(flag.row) + 1);
            code.append_value(flag.code.as_str());
            priority.append_value(flag.priority);
            confidence.append_value(flag.confidence);
            programmes.append_option((!flag.programmes.is_empty()).then(|| flag.programmes.to_string()));
            related.append_option((!flag.related_rows.is_empty()).then(|| join_rows(&flag.related_rows)));
            cluster.append_value(clusters.cluster_id[flag.row as usize]);
            evidence_id.append_value(&flag.evidence_id);
            evidence_en.append_value(&flag.evidence_en);
        }
        Ok(RecordBatch::try_from_iter([
            ("row", Arc::new(row.finish()) as ArrayRef),
            ("id", ids),
            ("code", Arc::new(code.finish()) as ArrayRef),
            ("priority", Arc::new(priority.finish()) as ArrayRef),
            ("confidence", Arc::new(confidence.finish()) as ArrayRef),
            ("programs", Arc::new(programmes.finish()) as ArrayRef),
            ("related_rows", Arc::new(related.finish()) as ArrayRef),
            ("cluster_id", Arc::new(cluster.finish()) as ArrayRef),
            ("evidence_id", Arc::new(evidence_id.finish()) as ArrayRef),
            ("evidence_en", Arc::new(evidence_en.finish()) as ArrayRef),
        ])?)
    }

    /// The flags in review order (priority, then confidence highest first, then row, then
    /// code), with what a reviewer needs to find the person and NIK / KK masked: `priority`,
    /// `code`, `confidence` (three decimals), `row`, `id` (as text), `nik`, `kk` (masked), `name` (normalised),
    /// `province`, `regency`, `district`, `programs`, `related_rows`, `alasan` (the evidence in
    /// Bahasa Indonesia), `evidence` (English). Written as `review.csv`.
    pub fn review_table(&self, prepared: &Prepared) -> Result<RecordBatch> {
        let ids = crate::explain::id_texts(&prepared.id)?;
        // Priority, then confidence (highest first), row and code: one compact key per flag, so
        // the sort does not chase the flags themselves. The index makes every key distinct.
        let mut keys: Vec<(u8, u64, u32, FlagCode, u32)> = self
            .flags
            .par_iter()
            .enumerate()
            .map(|(k, f)| (f.priority, !total_order_bits(f.confidence), f.row, f.code, k as u32))
            .collect();
        keys.par_sort_unstable();
        let order: Vec<usize> = keys.into_iter().map(|key| key.4 as usize).collect();
        fn present(text: &str) -> Option<&str> {
            Some(text).filter(|t| !t.is_empty())
        }
        const TEXT: [&str; 12] = [
            "code",
            "id",
            "nik",
            "kk",
            "name",
            "province",
            "regency",
            "district",
            "programs",
            "related_rows",
            "alasan",
            "evidence",
        ];
        // Row by row (one visit per flag) in parallel chunks, then each column's chunks are
        // joined: the list is large (a quarter of the rows at 1M).
        let chunks: Vec<Vec<ArrayRef>> = order
            .par_chunks(REVIEW_CHUNK)
            .map(|chunk| {
                let mut text: Vec<StringBuilder> = TEXT.iter().map(|_| StringBuilder::new()).collect();
                for &k in chunk {
                    let flag = &self.flags[k];
                    let r = flag.row as usize;
                    let region = &self.facts.regions[self.facts.region[r] as usize];
                    text[0].append_value(flag.code.as_str());
                    text[1].append_option((!ids.is_null(r)).then(|| ids.value(r)));
                    text[2].append_option(prepared.nik[r].as_ref().map(masked));
                    text[3].append_option(prepared.kk[r].as_ref().map(masked));
                    text[4].append_option(present(&prepared.name[r]));
                    for (builder, place) in text[5..8].iter_mut().zip(region) {
                        builder.append_option(present(place));
                    }
                    text[8].append_option((!flag.programmes.is_empty()).then(|| flag.programmes.to_string()));
                    text[9].append_option(
                        (!flag.related_rows.is_empty()).then(|| join_rows(&flag.related_rows)),
                    );
                    text[10].append_value(&flag.evidence_id);
                    text[11].append_value(&flag.evidence_en);
                }
                text.iter_mut().map(|builder| Arc::new(builder.finish()) as ArrayRef).collect()
            })
            .collect();
        let text_columns = (0..TEXT.len())
            .map(|column| {
                let parts: Vec<&dyn Array> = chunks.iter().map(|chunk| chunk[column].as_ref()).collect();
                if parts.is_empty() {
                    return Ok(Arc::new(StringBuilder::new().finish()) as ArrayRef);
                }
                arrow_select::concat::concat(&parts)
            })
            .collect::<std::result::Result<Vec<ArrayRef>, _>>()?;
        let flags_in_order = || order.iter().map(|k| &self.flags[*k]);
        // Three decimals are what a reviewer reads; the order uses the exact value.
        let priority = UInt8Array::from_iter_values(flags_in_order().map(|f| f.priority));
        let confidence = Float64Array::from_iter_values(
            flags_in_order().map(|f| (f.confidence * 1000.0).round() / 1000.0),
        );
        let row_numbers = UInt64Array::from_iter_values(flags_in_order().map(|f| u64::from(f.row) + 1));
        let mut columns: Vec<(String, ArrayRef)> = vec![
            ("priority".into(), Arc::new(priority)),
            ("confidence".into(), Arc::new(confidence)),
            ("row".into(), Arc::new(row_numbers)),
        ];
        for (name, column) in TEXT.iter().zip(text_columns) {
            columns.push((name.to_string(), column));
        }
        // Column order for readers: priority, code, confidence, row, id, then the rest.
        let code = columns.remove(3);
        columns.insert(1, code);
        Ok(RecordBatch::try_from_iter(columns)?)
    }

    /// Flags per province, regency, district and code: `province`, `regency`, `district` (upper
    /// case as given, null when missing), `code`, `flags` (UInt64), `rows` (distinct rows with
    /// that code there). Sorted by region then code; the `flags` column adds up to the number
    /// of flags.
    pub fn counts_table(&self) -> Result<RecordBatch> {
        let mut counts: BTreeMap<(&[String; 3], FlagCode), (u64, u64)> = BTreeMap::new();
        let mut last: Option<(u32, FlagCode)> = None;
        for flag in &self.flags {
            let region = &self.facts.regions[self.facts.region[flag.row as usize] as usize];
            let entry = counts.entry((region, flag.code)).or_default();
            entry.0 += 1;
            // Flags are ordered by row then code, so a repeat of (row, code) is adjacent.
            if last != Some((flag.row, flag.code)) {
                entry.1 += 1;
            }
            last = Some((flag.row, flag.code));
        }
        let mut names: [StringBuilder; 4] = std::array::from_fn(|_| StringBuilder::new());
        let mut flags = UInt64Builder::new();
        let mut rows = UInt64Builder::new();
        for ((region, code), (n, r)) in counts {
            for (builder, name) in names.iter_mut().zip(region.iter()) {
                builder.append_option(Some(name.as_str()).filter(|s| !s.is_empty()));
            }
            names[3].append_value(code.as_str());
            flags.append_value(n);
            rows.append_value(r);
        }
        let [mut province, mut regency, mut district, mut code] = names;
        Ok(RecordBatch::try_from_iter([
            ("province", Arc::new(province.finish()) as ArrayRef),
            ("regency", Arc::new(regency.finish()) as ArrayRef),
            ("district", Arc::new(district.finish()) as ArrayRef),
            ("code", Arc::new(code.finish()) as ArrayRef),
            ("flags", Arc::new(flags.finish()) as ArrayRef),
            ("rows", Arc::new(rows.finish()) as ArrayRef),
        ])?)
    }

    /// One row per person and programme received on two or more rows: `programme`,
    /// `cluster_id`, `copies` (rows receiving it), `rows` (1-based, `;`-joined), `ids`
    /// (`;`-joined), `kept_row` (the row whose payment stays), `extra_payments` (`copies - 1`).
    /// Ordered by programme, then cluster.
    pub fn double_recipients_table(&self, prepared: &Prepared) -> Result<RecordBatch> {
        let ids = crate::explain::id_texts(&prepared.id)?;
        let mut ordered: Vec<&DoubleRecipient> = self.double_recipients.iter().collect();
        ordered.sort_by_key(|d| (d.programme, d.cluster_id));
        let mut programme = StringBuilder::new();
        let mut cluster = UInt64Builder::new();
        let mut copies = UInt64Builder::new();
        let mut rows = StringBuilder::new();
        let mut id_list = StringBuilder::new();
        let mut kept = UInt64Builder::new();
        let mut extra = UInt64Builder::new();
        for d in ordered {
            programme.append_value(d.programme.as_str());
            cluster.append_value(d.cluster_id);
            copies.append_value(d.rows.len() as u64);
            rows.append_value(join_rows(&d.rows));
            let texts: Vec<&str> =
                d.rows
                    .iter()
                    .map(|r| {
                        if arrow_array::Array::is_null(&ids, *r as usize) {
                            ""
                        } else {
                            ids.value(*r as usize)
                        }
                    })
                    .collect();
            id_list.append_value(texts.join(";"));
            kept.append_value(u64::from(d.kept_row) + 1);
            extra.append_value(d.rows.len() as u64 - 1);
        }
        Ok(RecordBatch::try_from_iter([
            ("programme", Arc::new(programme.finish()) as ArrayRef),
            ("cluster_id", Arc::new(cluster.finish()) as ArrayRef),
            ("copies", Arc::new(copies.finish()) as ArrayRef),
            ("rows", Arc::new(rows.finish()) as ArrayRef),
            ("ids", Arc::new(id_list.finish()) as ArrayRef),
            ("kept_row", Arc::new(kept.finish()) as ArrayRef),
            ("extra_payments", Arc::new(extra.finish()) as ArrayRef),
        ])?)
    }
}

fn join_rows(rows: &[u32]) -> String {
    rows.iter().map(|r| (r + 1).to_string()).collect::<Vec<_>>().join(";")
}

/// Parse a reference date given on the command line or in Python.
///
/// ```
/// assert_eq!(padan::flags::parse_reference_date("2025-06-30").unwrap().to_string(), "2025-06-30");
/// assert!(padan::flags::parse_reference_date("yesterday").is_err());
/// ```
pub fn parse_reference_date(text: &str) -> Result<Date> {
    normalize::parse_date(text).ok_or_else(|| {
        Error::InvalidConfig(vec![crate::ConfigIssue::new(
            "flags.reference_date",
            format!("`{text}` is not a date (YYYY-MM-DD)"),
        )])
    })
}

/// The bits of `x` as an unsigned number that sorts like `f64::total_cmp`: negative numbers
/// have every bit flipped, the others only the sign bit.
fn total_order_bits(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 { !bits } else { bits | (1 << 63) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_order_bits_sort_like_total_cmp() {
        let values = [1.0, -0.0, f64::INFINITY, -1.5, 0.0, 0.25, f64::NEG_INFINITY, -0.25];
        let mut by_bits = values.to_vec();
        by_bits.sort_by_key(|x| total_order_bits(*x));
        // Written out by hand: ascending, with -0 before +0 as total_cmp has it.
        let expected = [f64::NEG_INFINITY, -1.5, -0.25, -0.0, 0.0, 0.25, 1.0, f64::INFINITY];
        assert_eq!(by_bits.iter().map(|x| x.to_bits()).collect::<Vec<_>>(), expected.map(f64::to_bits));
    }

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn years_between_counts_whole_years_both_ways() {
        assert_eq!(years_between(date(1980, 3, 15), date(2025, 3, 14)), 44);
        assert_eq!(years_between(date(1980, 3, 15), date(2025, 3, 15)), 45);
        assert_eq!(years_between(date(2000, 1, 1), date(1990, 6, 1)), -10);
    }

    #[test]
    fn today_is_a_plausible_date() {
        let t = today();
        assert!(t.year >= 2024 && t.year < 2200, "{t}");
    }

    #[test]
    fn reference_date_prefers_config_then_latest_past_birth_date() {
        let config = FlagsConfig { reference_date: Some("2020-01-31".into()), ..Default::default() };
        let dates = [Some(date(1990, 1, 1)), None, Some(date(2019, 5, 5))];
        assert_eq!(reference_date(&config, &dates), (date(2020, 1, 31), "config"));
        let dates_with_future = [Some(date(2019, 5, 5)), Some(date(2199, 1, 1))];
        assert_eq!(
            reference_date(&FlagsConfig::default(), &dates_with_future),
            (date(2019, 5, 5), "latest_birth_date")
        );
        assert_eq!(reference_date(&FlagsConfig::default(), &[None]).1, "today");
    }

    #[test]
    fn config_issues_name_the_setting() {
        let bad =
            FlagsConfig { reference_date: Some("31-31-2020".into()), max_age: 0, min_generation_gap: 99 };
        let paths: Vec<String> = bad.issues().into_iter().map(|i| i.0).collect();
        assert_eq!(paths, ["flags.reference_date", "flags.max_age", "flags.min_generation_gap"]);
        assert!(FlagsConfig::default().issues().is_empty());
    }

    /// Flags of a hand-written table with hand-made clusters: `links` are the pairs decided
    /// `match` (with their probability), `others` pairs scored below the threshold.
    fn flags_of(
        columns: &[(&str, Vec<Option<&str>>)],
        links: &[(u32, u32, f64)],
        others: &[(u32, u32, f64)],
    ) -> Flags {
        let batch = RecordBatch::try_from_iter(columns.iter().map(|(name, values)| {
            (*name, Arc::new(arrow_array::StringArray::from(values.clone())) as ArrayRef)
        }))
        .unwrap();
        let raw = crate::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
        let prepared = crate::prepare::prepare(&raw, true);
        let facts = RowFacts::extract(&raw, &prepared);
        let all: Vec<(u32, u32, f64, bool)> = links
            .iter()
            .map(|l| (l.0, l.1, l.2, true))
            .chain(others.iter().map(|l| (l.0, l.1, l.2, false)))
            .collect();
        let pairs = CandidatePairs {
            left: all.iter().map(|p| p.0).collect(),
            right: all.iter().map(|p| p.1).collect(),
            rule: vec![0; all.len()],
            rule_mask: vec![1; all.len()],
            rules: Vec::new(),
        };
        let probability: Vec<f64> = all.iter().map(|p| p.2).collect();
        let decisions: Vec<Decision> =
            all.iter().map(|p| if p.3 { Decision::Match } else { Decision::NonMatch }).collect();
        let linked: Vec<bool> = all.iter().map(|p| p.3).collect();
        let clusters = crate::cluster::cluster(prepared.len, &pairs.left, &pairs.right, &linked);
        let config = FlagsConfig { reference_date: Some("2025-06-30".into()), ..Default::default() };
        compute(
            FlagInputs {
                prepared: &prepared,
                facts,
                pairs: &pairs,
                match_probability: &probability,
                decisions: &decisions,
                clusters: &clusters,
            },
            &config,
        )
    }

    fn codes(flags: &Flags) -> Vec<(u32, &'static str)> {
        flags.flags.iter().map(|f| (f.row, f.code.as_str())).collect()
    }

    #[test]
    fn a_valid_nik_stays_before_a_more_complete_row() {
        // Row 0 is the most complete but its NIK has serial 0000; row 1 has the valid NIK;
        // row 2 has it too but fewer columns. Row 1 stays.
        let flags = flags_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b"), Some("c")]),
                ("nik", vec![Some("3273015208850000"), Some("3273015208850002"), Some("3273015208850002")]),
                ("nama", vec![Some("DEWI LESTARI"), Some("DEWI LESTARI"), Some("DEWI LESTARI")]),
                ("tanggal_lahir", vec![Some("1985-08-12"), Some("1985-08-12"), None]),
                ("kelurahan", vec![Some("LEBAKSIGA"), None, None]),
                ("program", vec![Some("PKH"), Some("BPNT"), Some("PKH;BPNT")]),
            ],
            &[(0, 1, 0.97), (1, 2, 0.99)],
            &[],
        );
        assert_eq!(flags.kept_rows.get(&0), Some(&1));
        let duplicates: Vec<&Flag> = flags.flags.iter().filter(|f| f.code == FlagCode::Duplicate).collect();
        assert_eq!(duplicates.iter().map(|f| f.row).collect::<Vec<_>>(), [0, 2]);
        assert!(duplicates[0].evidence_en.contains("its NIK is valid"), "{}", duplicates[0].evidence_en);
        assert!(duplicates[1].evidence_en.contains("more complete"), "{}", duplicates[1].evidence_en);
        assert_eq!(duplicates[0].confidence, 0.97);
        // PKH is paid on rows 0 and 2: neither is row 1, so the row with the valid NIK (2) keeps
        // its payment and row 0 is the extra one. BPNT: row 1 stays, row 2 is extra.
        let doubles: Vec<(u32, String)> = flags
            .flags
            .iter()
            .filter(|f| f.code == FlagCode::DoubleRecipient)
            .map(|f| (f.row, f.programmes.to_string()))
            .collect();
        assert_eq!(doubles, [(0, "PKH".to_string()), (2, "BPNT".to_string())]);
        let pkh = &flags.summary.double_recipients[0];
        assert_eq!((pkh.persons, pkh.rows, pkh.extra_payments, pkh.rows_receiving), (1, 2, 1, 2));
        assert_eq!(flags.summary.duplicate_rows_to_drop, 2);
        // Nothing else: the invalid NIK is flagged, the shared NIK is one person.
        assert_eq!(
            codes(&flags),
            [
                (0, "INVALID_NIK"),
                (0, "DUPLICATE"),
                (0, "DOUBLE_RECIPIENT"),
                (2, "DUPLICATE"),
                (2, "DOUBLE_RECIPIENT")
            ]
        );
    }

    #[test]
    fn nik_shared_by_people_never_compared_gets_half_confidence() {
        let flags = flags_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b")]),
                ("nik", vec![Some("3204061503800002"), Some("3204061503800002")]),
                ("nama", vec![Some("ASEP SAEPUDIN"), Some("UJANG SUPRIATNA")]),
            ],
            &[],
            &[],
        );
        assert_eq!(codes(&flags), [(0, "NIK_SHARED"), (1, "NIK_SHARED")]);
        assert!(flags.flags.iter().all(|f| f.confidence == 0.5));
        assert_eq!((flags.summary.niks_shared, flags.summary.rows_with_shared_nik), (1, 2));
        // Scored at 0.2: 0.8 sure they are two people.
        let scored = flags_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b")]),
                ("nik", vec![Some("3204061503800002"), Some("3204061503800002")]),
            ],
            &[],
            &[(0, 1, 0.2)],
        );
        assert!(scored.flags.iter().all(|f| (f.confidence - 0.8).abs() < 1e-12));
    }

    #[test]
    fn a_duplicated_head_is_one_head_and_close_ages_are_flagged_softly() {
        let kk = Some("3273010202100002");
        let flags = flags_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b"), Some("c"), Some("d")]),
                ("no_kk", vec![kk, kk, kk, kk]),
                ("nama", vec![Some("RUDI"), Some("RUDI"), Some("SARI"), Some("TONO")]),
                (
                    "tanggal_lahir",
                    vec![Some("1980-03-10"), Some("1980-03-10"), Some("1990-01-01"), Some("1940-01-01")],
                ),
                ("hubungan_keluarga", vec![Some("1"), Some("1"), Some("3"), Some("6")]),
            ],
            &[(0, 1, 0.99)],
            &[],
        );
        // Rows 0 and 1 are one person: a duplicate, not two heads. The child (row 2) is only 9
        // years younger than the head: flagged at 0.7; the parent (row 3) is 40 years older.
        assert_eq!(codes(&flags), [(1, "DUPLICATE"), (2, "HOUSEHOLD_INCONSISTENT")]);
        let child = &flags.flags[1];
        assert_eq!((child.confidence, child.related_rows.clone()), (0.7, vec![0]));
        assert!(child.evidence_en.contains("below the minimum"), "{}", child.evidence_en);
        // No programme: priority one below the code's base.
        assert_eq!(child.priority, 5);
    }

    #[test]
    fn made_up_niks_are_invalid_with_lower_confidence() {
        let flags = flags_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b")]),
                ("nik", vec![Some("3273031203100002"), Some("3201011211030001")]),
                ("no_kk", vec![Some("3273031203100002"), None]),
                ("program", vec![Some("PKH"), None]),
            ],
            &[],
            &[],
        );
        assert_eq!(codes(&flags), [(0, "INVALID_NIK")]);
        let flag = &flags.flags[0];
        assert_eq!((flag.confidence, flag.priority), (0.8, 3));
        assert!(flag.evidence_en.contains("equals_kk"), "{}", flag.evidence_en);
        assert_eq!(flags.summary.rows_flagged + flags.summary.rows_not_flagged, 2);
    }

    #[test]
    fn every_code_has_a_priority_between_one_and_four() {
        for code in FlagCode::ALL {
            assert!((1..=4).contains(&code.base_priority()), "{code:?}");
        }
    }
}
