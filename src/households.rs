//! Households: one family registered under two KK numbers.
//!
//! A dedupe run links rows into persons (clusters). This module lifts those links to the
//! households they sit in: every pair of KK numbers that share at least one person is scored,
//! and a pair whose members and head of family say "the same family" is a duplicate household.
//!
//! **Which KK numbers are compared.** Rows are grouped by their KK number; rows without a
//! well-formed KK belong to no household and are only counted (`rows_without_kk`). A KK listing
//! more than [`MAX_HOUSEHOLD_ROWS`] rows is a placeholder number, not a family, and is skipped
//! (`kk_too_large`). Two KK numbers are compared when one person (a duplicate cluster) has rows
//! under both.
//!
//! **Score.** For KK numbers A and B with `n_A` and `n_B` persons (distinct clusters) and the
//! shared persons `S`:
//!
//! ```text
//! overlap = Σ_{p ∈ S} strength(p) / max(n_A, n_B)
//! score   = head_factor × overlap
//! ```
//!
//! `S` holds the persons linked into one cluster with rows under both KK numbers, and then the
//! persons joined only by a pair for review (a possible second NIK after a move, a nickname)
//! between a row of A and a row of B, best first, each person once: the household is the
//! context that makes such a pair believable. `strength(p)` is the match probability of the
//! best linked pair between p's row in A and p's row in B (1 for a pair a deterministic `link`
//! rule decided), or of the pair for review; when p's rows in A and B are linked only through a
//! third row, the lower of the two rows' best link probabilities (a chain is as strong as its
//! weakest link). A pair for review counts as one person for the head agreement too. Dividing by the larger household means both registrations
//! must be mostly the same persons: one person listed again in another family (a lodger, a
//! parent living with a married child) shares 1 of several members and scores low.
//!
//! `head_factor` comes from how the heads of family (relation 1) relate, checked in this order:
//!
//! | kind | when | factor |
//! |---|---|---|
//! | `same_head` | one person heads both KK numbers | 1.0 |
//! | `head_spouse_swapped` | the head of one is the spouse (relation 2) in the other | 1.0 |
//! | `head_changed` | each head is a member of the other KK, in another role (the family re-registered under a new head) | 0.8 |
//! | `split` | the head of one is a child, child-in-law or grandchild (3, 4, 5) in the other, whose own head is not in it: a KK split after a marriage, not a duplicate | 0 |
//! | `no_head` | one KK has no head recorded (or no relation column) | 0.75 |
//! | `other_head` | both have a head and neither of the above holds | 0.5 |
//!
//! **Decision.** `split` for a split; otherwise `duplicate` when the score is at least
//! `households.threshold` (default 0.5), `review` when at least `households.review_threshold`
//! (default 0.3), else `distinct` (two families that share a member). With the defaults a
//! duplicate needs the heads to agree (or be swapped) and at least half of the larger household
//! matched; or, without head information, two thirds.
//!
//! **Which registration stays.** In a duplicate pair the KK with more persons stays; on a tie
//! the one holding more of the rows that stay in their duplicate clusters (see
//! [`crate::flags`]), then the one whose first row comes first. The other KK gets one
//! `DUPLICATE_HOUSEHOLD` flag on its head's row (its first row when it has no head), whatever
//! the number of KK numbers it duplicates; its members are flagged `DUPLICATE` /
//! `SECOND_HOUSEHOLD` as persons already.

use std::collections::BTreeMap;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, UInt32Builder};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::block::CandidatePairs;
use crate::cluster::Clusters;
use crate::error::{Error, Result};
use crate::evaluate::PairwiseScores;
use crate::flags::{Flag, FlagCode};
use crate::pipeline::Decision;
use crate::prepare::{IdDigits, Prepared};
use crate::programs::{Programme, ProgrammeSet};

/// A KK number listing more rows than this is a placeholder, not a family: it is skipped.
pub const MAX_HOUSEHOLD_ROWS: usize = 100;

/// A person whose rows sit under more KK numbers than this is not used to pair households: a
/// cluster that large is a chain of weak links, and its pairs would swamp the output.
const MAX_KK_PER_PERSON: usize = 16;

/// Settings of the household linkage (`[households]` in the configuration file).
///
/// ```
/// let cfg = padan::Config::from_toml_str("[households]\nthreshold = 0.6\n").unwrap();
/// assert_eq!(cfg.households.threshold, 0.6);
/// assert_eq!(cfg.households.review_threshold, 0.3);
/// assert!(padan::Config::from_toml_str("[households]\nthreshold = 2.0\n").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HouseholdsConfig {
    /// A KK pair scoring at least this is a duplicate household (see the module documentation
    /// for the score).
    pub threshold: f64,
    /// A KK pair scoring at least this, and below `threshold`, is for review.
    pub review_threshold: f64,
}

impl Default for HouseholdsConfig {
    fn default() -> Self {
        Self { threshold: 0.5, review_threshold: 0.3 }
    }
}

impl HouseholdsConfig {
    /// Problems with these settings, as `(path, message)` pairs (empty when valid).
    pub fn issues(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            out.push(("households.threshold".into(), "must be in (0, 1]".into()));
        }
        if !(0.0..=1.0).contains(&self.review_threshold) || self.review_threshold > self.threshold {
            out.push(("households.review_threshold".into(), "must be in [0, threshold]".into()));
        }
        out
    }
}

/// How the heads of family of two KK numbers relate (see the module documentation).
///
/// ```
/// use padan::households::HeadAgreement;
/// assert_eq!(HeadAgreement::HeadSpouseSwapped.as_str(), "head_spouse_swapped");
/// assert_eq!(HeadAgreement::Split.factor(), 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HeadAgreement {
    /// One person heads both.
    SameHead,
    /// The head of one is the spouse in the other.
    HeadSpouseSwapped,
    /// Each head is a member of the other KK in another role.
    HeadChanged,
    /// The head of one is a child, child-in-law or grandchild in the other, whose head is not
    /// in it: a KK split after a marriage.
    Split,
    /// A KK without a recorded head.
    NoHead,
    /// Different heads.
    OtherHead,
}

impl HeadAgreement {
    /// The kind as written in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            HeadAgreement::SameHead => "same_head",
            HeadAgreement::HeadSpouseSwapped => "head_spouse_swapped",
            HeadAgreement::HeadChanged => "head_changed",
            HeadAgreement::Split => "split",
            HeadAgreement::NoHead => "no_head",
            HeadAgreement::OtherHead => "other_head",
        }
    }

    /// The factor the member overlap is multiplied by.
    pub fn factor(self) -> f64 {
        match self {
            HeadAgreement::SameHead | HeadAgreement::HeadSpouseSwapped => 1.0,
            HeadAgreement::HeadChanged => 0.8,
            HeadAgreement::Split => 0.0,
            HeadAgreement::NoHead => 0.75,
            HeadAgreement::OtherHead => 0.5,
        }
    }
}

/// What a KK pair is.
///
/// ```
/// assert_eq!(padan::households::HouseholdDecision::Duplicate.as_str(), "duplicate");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HouseholdDecision {
    /// One family registered twice.
    Duplicate,
    /// Between the review threshold and the threshold: a person should look.
    Review,
    /// A KK split after a marriage: two households, not a duplicate.
    Split,
    /// Two families that share a member.
    Distinct,
}

impl HouseholdDecision {
    /// `duplicate`, `review`, `split` or `distinct`.
    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdDecision::Duplicate => "duplicate",
            HouseholdDecision::Review => "review",
            HouseholdDecision::Split => "split",
            HouseholdDecision::Distinct => "distinct",
        }
    }
}

/// Two KK numbers that share at least one person.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdPair {
    /// The lower KK number.
    pub kk_l: IdDigits,
    /// The higher KK number.
    pub kk_r: IdDigits,
    /// Rows (0-based, ascending) listed under `kk_l`.
    pub rows_l: Vec<u32>,
    /// Rows listed under `kk_r`.
    pub rows_r: Vec<u32>,
    /// Persons (clusters) under `kk_l`.
    pub members_l: u32,
    /// Persons under `kk_r`.
    pub members_r: u32,
    /// Persons under both: linked into one cluster, or paired for review across the two KK
    /// numbers.
    pub matched_members: u32,
    /// Of those, persons resting on a pair for review.
    pub matched_for_review: u32,
    /// Mean strength (match probability) of the matched members.
    pub mean_probability: f64,
    /// How the heads relate.
    pub head: HeadAgreement,
    /// `head.factor() × Σ strength / max(members_l, members_r)`.
    pub score: f64,
    /// The decision.
    pub decision: HouseholdDecision,
    /// Programmes received by any row of `kk_l`.
    pub programmes_l: ProgrammeSet,
    /// Programmes received by any row of `kk_r`.
    pub programmes_r: ProgrammeSet,
    /// For a duplicate: whether `kk_l` (true) or `kk_r` (false) is the registration to drop.
    pub drop_left: Option<bool>,
    /// The explanation in Bahasa Indonesia (KK numbers masked).
    pub explanation_id: String,
    /// The explanation in English (KK numbers masked).
    pub explanation_en: String,
}

impl HouseholdPair {
    /// The KK to drop for a duplicate.
    pub fn dropped_kk(&self) -> Option<&IdDigits> {
        self.drop_left.map(|left| if left { &self.kk_l } else { &self.kk_r })
    }
}

/// Duplicate households receiving one programme under both KK numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProgrammeHouseholds {
    /// The programme.
    pub programme: String,
    /// Duplicate KK pairs that receive it under both numbers.
    pub duplicate_pairs: u64,
}

/// Counts of the household linkage: the `households` block of `summary.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HouseholdSummary {
    /// The duplicate threshold used.
    pub threshold: f64,
    /// The review threshold used.
    pub review_threshold: f64,
    /// Distinct KK numbers.
    pub kk_numbers: u64,
    /// Rows without a well-formed KK number (in no household).
    pub rows_without_kk: u64,
    /// KK numbers skipped because they list more than [`MAX_HOUSEHOLD_ROWS`] rows.
    pub kk_too_large: u64,
    /// KK pairs sharing at least one person (the rows of the households table).
    pub kk_pairs_compared: u64,
    /// Pairs decided `duplicate`.
    pub duplicate_pairs: u64,
    /// Pairs decided `review`.
    pub review_pairs: u64,
    /// Pairs decided `split`.
    pub split_pairs: u64,
    /// Pairs decided `distinct`.
    pub distinct_pairs: u64,
    /// KK numbers to drop (flagged `DUPLICATE_HOUSEHOLD`).
    pub kk_to_drop: u64,
    /// Per programme, duplicate pairs receiving it under both KK numbers.
    pub double_programmes: Vec<ProgrammeHouseholds>,
}

/// The household linkage of a run.
#[derive(Debug, Clone, Default)]
pub struct Households {
    /// KK pairs sharing a person, by score (highest first), then KK numbers.
    pub pairs: Vec<HouseholdPair>,
    /// The counts.
    pub summary: HouseholdSummary,
}

/// The inputs of [`link`]: a dedupe run's parts.
pub struct HouseholdInputs<'a> {
    /// Prepared records (KK numbers, relations).
    pub prepared: &'a Prepared,
    /// Candidate pairs.
    pub pairs: &'a CandidatePairs,
    /// Match probability per pair.
    pub match_probability: &'a [f64],
    /// Decision per pair.
    pub decisions: &'a [Decision],
    /// Per pair, the `link` rule that decided it (empty when none is configured).
    pub rule_links: &'a [Option<u8>],
    /// Cluster per record.
    pub clusters: &'a Clusters,
    /// Programmes per row.
    pub programmes: &'a [ProgrammeSet],
    /// The row that stays in each duplicate cluster, by cluster id.
    pub kept_rows: &'a BTreeMap<u64, u32>,
}

const NO_KK: u32 = u32::MAX;

/// A pair for review across two KK numbers: ((KK, KK), (row under the first, row under the
/// second), probability).
type ReviewPair = ((u32, u32), (u32, u32), f64);

/// The KK number as an integer (16 digits fit in a u64): sorting and hashing integers is
/// several times faster than 16-byte arrays at a million rows.
fn kk_value(digits: &IdDigits) -> u64 {
    digits.iter().fold(0u64, |value, digit| value * 10 + u64::from(digit.wrapping_sub(b'0') % 10))
}

fn kk_digits(mut value: u64) -> IdDigits {
    let mut digits = [b'0'; 16];
    for digit in digits.iter_mut().rev() {
        *digit = b'0' + (value % 10) as u8;
        value /= 10;
    }
    digits
}

/// The rows of the KK numbers that share a person, grouped: only those are ever looked at, so
/// the million rows are never sorted.
struct KkGroups {
    /// KK index per row (`NO_KK` when the row's KK shares no person).
    of_row: Vec<u32>,
    /// The KK number of each index, ascending.
    digits: Vec<IdDigits>,
    /// `rows[start[k]..start[k + 1]]` are KK k's rows, ascending.
    start: Vec<u32>,
    rows: Vec<u32>,
}

impl KkGroups {
    /// Groups for the KK numbers `involved` (ascending) of rows with KK number `keys`.
    fn new(keys: &[Option<u64>], involved: &[u64]) -> Self {
        let index: FxHashMap<u64, u32> = involved.iter().enumerate().map(|(i, k)| (*k, i as u32)).collect();
        let of_row: Vec<u32> = keys
            .par_iter()
            .with_min_len(8192)
            .map(|key| key.and_then(|k| index.get(&k).copied()).unwrap_or(NO_KK))
            .collect();
        // A counting sort by KK index keeps each KK's rows ascending.
        let mut start = vec![0u32; involved.len() + 1];
        for k in of_row.iter().filter(|k| **k != NO_KK) {
            start[*k as usize + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut rows = vec![0u32; start[involved.len()] as usize];
        for (row, k) in of_row.iter().enumerate().filter(|(_, k)| **k != NO_KK) {
            rows[next[*k as usize] as usize] = row as u32;
            next[*k as usize] += 1;
        }
        Self { of_row, digits: involved.iter().map(|k| kk_digits(*k)).collect(), start, rows }
    }

    fn rows(&self, k: u32) -> &[u32] {
        &self.rows[self.start[k as usize] as usize..self.start[k as usize + 1] as usize]
    }
}

/// One KK as the scoring sees it: each person once, with their role.
struct Members {
    /// (cluster, relation, row), one per cluster: the lowest nonzero relation of its rows.
    persons: Vec<(u64, u8, u32)>,
}

impl Members {
    fn of(rows: &[u32], prepared: &Prepared, clusters: &Clusters) -> Self {
        let mut persons: Vec<(u64, u8, u32)> = rows
            .iter()
            .map(|r| {
                let relation = prepared.relation[*r as usize];
                // Unknown (0) sorts after every known relation.
                (clusters.cluster_id[*r as usize], if relation == 0 { u8::MAX } else { relation }, *r)
            })
            .collect();
        persons.sort_unstable();
        persons.dedup_by_key(|p| p.0);
        for p in &mut persons {
            if p.1 == u8::MAX {
                p.1 = 0;
            }
        }
        Self { persons }
    }

    /// Treat person `from` as person `to` (a pair for review joined them across two KKs).
    fn rename(&mut self, from: u64, to: u64) {
        if let Some(person) = self.persons.iter_mut().find(|p| p.0 == from) {
            person.0 = to;
        }
        self.persons.sort_unstable();
    }

    fn role(&self, cluster: u64) -> Option<u8> {
        self.persons.binary_search_by_key(&cluster, |p| p.0).ok().map(|i| self.persons[i].1)
    }

    fn heads(&self) -> impl Iterator<Item = &(u64, u8, u32)> + '_ {
        self.persons.iter().filter(|p| p.1 == 1)
    }
}

/// How the heads of `a` and `b` relate, and the head rows that show it.
fn head_agreement(a: &Members, b: &Members) -> HeadAgreement {
    let heads_a: Vec<u64> = a.heads().map(|p| p.0).collect();
    let heads_b: Vec<u64> = b.heads().map(|p| p.0).collect();
    if heads_a.is_empty() || heads_b.is_empty() {
        return HeadAgreement::NoHead;
    }
    if heads_a.iter().any(|h| heads_b.contains(h)) {
        return HeadAgreement::SameHead;
    }
    let spouse_in = |heads: &[u64], other: &Members| heads.iter().any(|h| other.role(*h) == Some(2));
    if spouse_in(&heads_a, b) || spouse_in(&heads_b, a) {
        return HeadAgreement::HeadSpouseSwapped;
    }
    let member_in = |heads: &[u64], other: &Members| heads.iter().any(|h| other.role(*h).is_some());
    let (a_head_in_b, b_head_in_a) = (member_in(&heads_a, b), member_in(&heads_b, a));
    if a_head_in_b && b_head_in_a {
        return HeadAgreement::HeadChanged;
    }
    let descendant_in =
        |heads: &[u64], other: &Members| heads.iter().any(|h| matches!(other.role(*h), Some(3..=5)));
    if (b_head_in_a && descendant_in(&heads_b, a)) || (a_head_in_b && descendant_in(&heads_a, b)) {
        return HeadAgreement::Split;
    }
    HeadAgreement::OtherHead
}

fn masked(digits: &IdDigits) -> String {
    crate::indo::nik::mask_id(std::str::from_utf8(digits).unwrap_or(""))
}

fn number(value: f64, indonesian: bool) -> String {
    let text = format!("{value:.2}");
    if indonesian { text.replace('.', ",") } else { text }
}

fn relation_name(code: u8) -> (&'static str, &'static str) {
    match code {
        3 => ("anak", "a child"),
        4 => ("menantu", "a child-in-law"),
        5 => ("cucu", "a grandchild"),
        _ => ("anggota", "a member"),
    }
}

/// The explanation of a scored pair, in Bahasa Indonesia and English.
fn explain(pair: &HouseholdPair, a: &Members, b: &Members) -> (String, String) {
    let (l, r) = (masked(&pair.kk_l), masked(&pair.kk_r));
    let head = match pair.head {
        HeadAgreement::SameHead => {
            ("kepala keluarga sama".to_string(), "the same head of family".to_string())
        }
        HeadAgreement::HeadSpouseSwapped => (
            "kepala keluarga dan istri/suami bertukar peran".to_string(),
            "the head of family and the spouse swapped roles".to_string(),
        ),
        HeadAgreement::HeadChanged => (
            "kepala keluarga berganti; kedua kepala tercatat di kedua KK".to_string(),
            "another head of family; both heads are listed under both KK numbers".to_string(),
        ),
        HeadAgreement::Split => {
            // Which side's head is the descendant in the other.
            let (head_side, other_side, other) = match b.heads().find(|h| matches!(a.role(h.0), Some(3..=5)))
            {
                Some(h) => (&r, &l, a.role(h.0)),
                None => (&l, &r, a.heads().find_map(|h| b.role(h.0).filter(|role| (3..=5).contains(role)))),
            };
            let (role_id, role_en) = relation_name(other.unwrap_or(0));
            (
                format!(
                    "kepala KK {head_side} adalah {role_id} di KK {other_side}, yang kepalanya tidak ikut: pecah KK \
                     (misalnya setelah menikah)"
                ),
                format!(
                    "the head of KK {head_side} is {role_en} in KK {other_side}, whose head is not in it: a KK split \
                     (e.g. after a marriage)"
                ),
            )
        }
        HeadAgreement::NoHead => (
            "kepala keluarga tidak tercatat di salah satu KK".to_string(),
            "one KK has no head of family recorded".to_string(),
        ),
        HeadAgreement::OtherHead => {
            ("kepala keluarga berbeda".to_string(), "different heads of family".to_string())
        }
    };
    let (verdict_id, verdict_en) = match pair.decision {
        HouseholdDecision::Duplicate => {
            ("keluarga yang sama terdaftar dua kali", "the same family registered twice")
        }
        HouseholdDecision::Review => ("perlu diperiksa petugas", "for an officer to review"),
        HouseholdDecision::Split => ("bukan keluarga ganda", "not a duplicate household"),
        HouseholdDecision::Distinct => {
            ("keluarga berbeda yang berbagi anggota", "two families sharing a member")
        }
    };
    (
        format!(
            "{} orang yang sama{} di KK {l} ({} orang) dan KK {r} ({} orang), peluang rata-rata {}; {}; skor {}: \
             {verdict_id}",
            pair.matched_members,
            if pair.matched_for_review > 0 {
                format!(" ({} di antaranya baru perlu diperiksa)", pair.matched_for_review)
            } else {
                String::new()
            },
            pair.members_l,
            pair.members_r,
            number(pair.mean_probability, true),
            head.0,
            number(pair.score, true),
        ),
        format!(
            "{} same persons{} under KK {l} ({} persons) and KK {r} ({} persons), mean match probability {}; {}; \
             score {}: {verdict_en}",
            pair.matched_members,
            if pair.matched_for_review > 0 {
                format!(" ({} of them only paired for review)", pair.matched_for_review)
            } else {
                String::new()
            },
            pair.members_l,
            pair.members_r,
            number(pair.mean_probability, false),
            head.1,
            number(pair.score, false),
        ),
    )
}

/// Link households: score every KK pair that shares a person. Deterministic whatever the
/// thread count.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// // One couple registered under two KK numbers.
/// let batch = RecordBatch::try_from_iter([
///     ("id_dtks", col(vec!["a", "b", "c", "d"])),
///     ("nik", col(vec!["3273011503800002", "3273015208850002", "3273011503800002", "3273015208850002"])),
///     ("no_kk", col(vec!["3273011203100002", "3273011203100002", "3273010101200005", "3273010101200005"])),
///     ("nama", col(vec!["Budi Santoso", "Dewi Lestari", "BUDI SANTOSO", "DEWI LESTARI"])),
///     ("tanggal_lahir", col(vec!["1980-03-15", "1985-08-12", "15-03-1980", "12-08-1985"])),
///     ("hubungan_keluarga", col(vec!["1", "2", "1", "2"])),
/// ]).unwrap();
/// let registry = padan::synth::generate(&padan::synth::SynthOptions { rows: 5_000, seed: 1, ..Default::default() });
/// let deduper = padan::Deduper::new(padan::Config::default())?;
/// let model = deduper.train_batches(&registry.records.schema(), &[registry.records])?;
/// let result = deduper.with_model(model)?.run_batches(&batch.schema(), &[batch])?;
/// let pair = &result.households()?.pairs[0];
/// assert_eq!((pair.decision.as_str(), pair.head.as_str()), ("duplicate", "same_head"));
/// assert_eq!(result.households()?.summary.duplicate_pairs, 1);
/// assert_eq!(result.households_table()?.num_rows(), 1);
/// # Ok::<(), padan::Error>(())
/// ```
pub fn link(inputs: HouseholdInputs<'_>, config: &HouseholdsConfig) -> Households {
    let HouseholdInputs {
        prepared,
        pairs,
        match_probability,
        decisions,
        rule_links,
        clusters,
        programmes,
        kept_rows,
    } = inputs;
    let keys: Vec<Option<u64>> =
        prepared.kk.par_iter().with_min_len(8192).map(|d| d.as_ref().map(kk_value)).collect();
    // Every KK number once, and the placeholders (too many rows to be a family).
    let mut sorted: Vec<u64> = keys.par_iter().with_min_len(8192).filter_map(|k| *k).collect();
    sorted.par_sort_unstable();
    let rows_with_kk = sorted.len();
    let mut too_large: FxHashSet<u64> = FxHashSet::default();
    let mut kk_numbers = 0u64;
    for run in sorted.chunk_by(|a, b| a == b) {
        kk_numbers += 1;
        if run.len() > MAX_HOUSEHOLD_ROWS {
            too_large.insert(run[0]);
        }
    }
    drop(sorted);
    let usable = |key: Option<u64>| key.filter(|k| !too_large.contains(k));

    // (cluster, KK) of every row of a duplicate cluster, then KK pairs per cluster.
    let mut person_kk: Vec<(u64, u64)> = (0..prepared.len)
        .filter(|r| clusters.cluster_size[*r] >= 2)
        .filter_map(|r| Some((clusters.cluster_id[r], usable(keys[r])?)))
        .collect();
    person_kk.par_sort_unstable();
    person_kk.dedup();
    let mut shared_keys: Vec<(u64, u64, u64)> = Vec::new();
    for run in person_kk.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 || run.len() > MAX_KK_PER_PERSON {
            continue;
        }
        for (x, a) in run.iter().enumerate() {
            for b in &run[x + 1..] {
                shared_keys.push((a.1, b.1, a.0));
            }
        }
    }
    let mut involved: Vec<u64> = shared_keys.iter().flat_map(|s| [s.0, s.1]).collect();
    involved.par_sort_unstable();
    involved.dedup();
    let groups = KkGroups::new(&keys, &involved);
    drop(keys);
    let index_of = |key: u64| involved.binary_search(&key).map_or(NO_KK, |i| i as u32);
    // Indices follow the KK numbers' order, so (a, b) keeps a < b.
    let mut shared: Vec<(u32, u32, u64)> =
        shared_keys.into_iter().map(|(a, b, cluster)| (index_of(a), index_of(b), cluster)).collect();
    shared.par_sort_unstable();

    // The strength of each linked pair: its probability, 1 for a rule's link.
    let strength_of =
        |k: usize| if matches!(rule_links.get(k), Some(Some(_))) { 1.0 } else { match_probability[k] };
    let linked: Vec<(usize, usize, f64)> = (0..pairs.len())
        .into_par_iter()
        .with_min_len(8192)
        .filter(|k| decisions[*k] == Decision::Match)
        .filter_map(|k| {
            let (i, j) = (pairs.left[k] as usize, pairs.right[k] as usize);
            (clusters.cluster_id[i] == clusters.cluster_id[j]).then(|| (i, j, strength_of(k)))
        })
        .collect();
    let mut best_link = vec![0.0f64; prepared.len];
    let mut direct: Vec<((u32, u32, u64), f64)> = Vec::new();
    for &(i, j, p) in &linked {
        best_link[i] = best_link[i].max(p);
        best_link[j] = best_link[j].max(p);
        let (ki, kj) = (groups.of_row[i], groups.of_row[j]);
        if ki != NO_KK && kj != NO_KK && ki != kj {
            direct.push(((ki.min(kj), ki.max(kj), clusters.cluster_id[i]), p));
        }
    }
    direct.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    direct.dedup_by_key(|d| d.0);
    // Pairs for review between rows of two KK numbers.
    let mut for_review: Vec<ReviewPair> = (0..pairs.len())
        .into_par_iter()
        .with_min_len(8192)
        .filter(|k| decisions[*k] == Decision::Review)
        .filter_map(|k| {
            let (i, j) = (pairs.left[k], pairs.right[k]);
            let (ki, kj) = (groups.of_row[i as usize], groups.of_row[j as usize]);
            let usable = ki != NO_KK && kj != NO_KK && ki != kj;
            let different = clusters.cluster_id[i as usize] != clusters.cluster_id[j as usize];
            (usable && different).then(|| {
                if ki < kj {
                    ((ki, kj), (i, j), match_probability[k])
                } else {
                    ((kj, ki), (j, i), match_probability[k])
                }
            })
        })
        .collect();
    for_review.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)).then(a.1.cmp(&b.1)));
    let mut is_kept = vec![false; prepared.len];
    for row in kept_rows.values() {
        is_kept[*row as usize] = true;
    }

    let kk_pairs: Vec<&[(u32, u32, u64)]> = shared.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)).collect();
    let mut scored: Vec<HouseholdPair> = kk_pairs
        .par_iter()
        .map(|run| {
            let (ka, kb) = (run[0].0, run[0].1);
            let (rows_a, rows_b) = (groups.rows(ka), groups.rows(kb));
            let (a, mut b) =
                (Members::of(rows_a, prepared, clusters), Members::of(rows_b, prepared, clusters));
            let best_in = |rows: &[u32], cluster: u64| {
                rows.iter()
                    .filter(|r| clusters.cluster_id[**r as usize] == cluster)
                    .map(|r| best_link[*r as usize])
                    .fold(0.0, f64::max)
            };
            let strengths: Vec<f64> = run
                .iter()
                .map(|&(_, _, cluster)| match direct.binary_search_by(|d| d.0.cmp(&(ka, kb, cluster))) {
                    Ok(i) => direct[i].1,
                    Err(_) => best_in(rows_a, cluster).min(best_in(rows_b, cluster)),
                })
                .collect();
            let mut total: f64 = strengths.iter().sum();
            // Persons not linked but paired for review across the two KK numbers count at their
            // probability, best first, each person once: the household is the context that
            // makes such a pair believable (a second NIK after a move, a nickname).
            let start = for_review.partition_point(|r| r.0 < (ka, kb));
            let mut review_matched = 0u32;
            for &(_, (row_a, row_b), p) in for_review[start..].iter().take_while(|r| r.0 == (ka, kb)) {
                let (person_a, person_b) =
                    (clusters.cluster_id[row_a as usize], clusters.cluster_id[row_b as usize]);
                // Each must still be unmatched: not already in the other KK.
                if b.role(person_a).is_some() || a.role(person_b).is_some() || b.role(person_b).is_none() {
                    continue;
                }
                b.rename(person_b, person_a);
                review_matched += 1;
                total += p;
            }
            let matched = run.len() as u32 + review_matched;
            let (members_l, members_r) = (a.persons.len() as u32, b.persons.len() as u32);
            let head = head_agreement(&a, &b);
            let score = head.factor() * total / f64::from(members_l.max(members_r).max(1));
            let decision = if head == HeadAgreement::Split {
                HouseholdDecision::Split
            } else if score >= config.threshold {
                HouseholdDecision::Duplicate
            } else if score >= config.review_threshold {
                HouseholdDecision::Review
            } else {
                HouseholdDecision::Distinct
            };
            let programmes_of =
                |rows: &[u32]| rows.iter().fold(ProgrammeSet::EMPTY, |s, r| s.union(programmes[*r as usize]));
            let drop_left = (decision == HouseholdDecision::Duplicate).then(|| {
                let kept = |rows: &[u32]| rows.iter().filter(|r| is_kept[**r as usize]).count();
                // Larger stays; then more kept rows; then the earlier first row. Compare as
                // "keep order" keys: the smaller key stays.
                let key_a = (std::cmp::Reverse(members_l), std::cmp::Reverse(kept(rows_a)), rows_a[0]);
                let key_b = (std::cmp::Reverse(members_r), std::cmp::Reverse(kept(rows_b)), rows_b[0]);
                key_b < key_a
            });
            let mut pair = HouseholdPair {
                kk_l: groups.digits[ka as usize],
                kk_r: groups.digits[kb as usize],
                rows_l: rows_a.to_vec(),
                rows_r: rows_b.to_vec(),
                members_l,
                members_r,
                matched_members: matched,
                matched_for_review: review_matched,
                mean_probability: total / f64::from(matched),
                head,
                score,
                decision,
                programmes_l: programmes_of(rows_a),
                programmes_r: programmes_of(rows_b),
                drop_left,
                explanation_id: String::new(),
                explanation_en: String::new(),
            };
            (pair.explanation_id, pair.explanation_en) = explain(&pair, &a, &b);
            pair
        })
        .collect();
    scored.sort_by(|x, y| y.score.total_cmp(&x.score).then(x.kk_l.cmp(&y.kk_l)).then(x.kk_r.cmp(&y.kk_r)));

    let count = |d: HouseholdDecision| scored.iter().filter(|p| p.decision == d).count() as u64;
    let dropped: FxHashSet<&IdDigits> = scored.iter().filter_map(HouseholdPair::dropped_kk).collect();
    let double_programmes = Programme::ALL
        .iter()
        .map(|programme| ProgrammeHouseholds {
            programme: programme.as_str().to_string(),
            duplicate_pairs: scored
                .iter()
                .filter(|p| p.decision == HouseholdDecision::Duplicate)
                .filter(|p| p.programmes_l.intersection(p.programmes_r).contains(*programme))
                .count() as u64,
        })
        .collect();
    let summary = HouseholdSummary {
        threshold: config.threshold,
        review_threshold: config.review_threshold,
        kk_numbers,
        rows_without_kk: (prepared.len - rows_with_kk) as u64,
        kk_too_large: too_large.len() as u64,
        kk_pairs_compared: scored.len() as u64,
        duplicate_pairs: count(HouseholdDecision::Duplicate),
        review_pairs: count(HouseholdDecision::Review),
        split_pairs: count(HouseholdDecision::Split),
        distinct_pairs: count(HouseholdDecision::Distinct),
        kk_to_drop: dropped.len() as u64,
        double_programmes,
    };
    Households { pairs: scored, summary }
}

impl Households {
    /// One `DUPLICATE_HOUSEHOLD` flag per KK to drop, on its head's row (its first row when it
    /// has no head), with the rows of the KK numbers it duplicates as related rows; confidence
    /// is the best score, priority 2 (3 when the KK receives no programme), the programmes the
    /// KK receives.
    pub fn flags(&self, prepared: &Prepared) -> Vec<Flag> {
        let mut by_kk: BTreeMap<IdDigits, Vec<&HouseholdPair>> = BTreeMap::new();
        for pair in &self.pairs {
            if let Some(kk) = pair.dropped_kk() {
                by_kk.entry(*kk).or_default().push(pair);
            }
        }
        by_kk
            .into_iter()
            .map(|(kk, pairs)| {
                let first = pairs[0];
                let (rows, programmes) = if first.dropped_kk() == Some(&first.kk_l) {
                    (&first.rows_l, first.programmes_l)
                } else {
                    (&first.rows_r, first.programmes_r)
                };
                let row =
                    rows.iter().copied().find(|r| prepared.relation[*r as usize] == 1).unwrap_or(rows[0]);
                let best = pairs.iter().copied().max_by(|x, y| x.score.total_cmp(&y.score)).unwrap_or(first);
                let kept: Vec<(IdDigits, &Vec<u32>)> = pairs
                    .iter()
                    .map(|p| if p.kk_l == kk { (p.kk_r, &p.rows_r) } else { (p.kk_l, &p.rows_l) })
                    .collect();
                let mut related: Vec<u32> = kept.iter().flat_map(|k| k.1.iter().copied()).collect();
                related.sort_unstable();
                related.dedup();
                let kept_text = kept.iter().map(|k| masked(&k.0)).collect::<Vec<_>>().join(", ");
                let code = FlagCode::DuplicateHousehold;
                Flag {
                    row,
                    code,
                    confidence: best.score.clamp(0.0, 1.0),
                    priority: code.base_priority() + u8::from(programmes.is_empty()),
                    programmes,
                    related_rows: related,
                    evidence_id: format!(
                        "KK {} adalah keluarga yang sama dengan KK {kept_text} (tetap dipakai): {}",
                        masked(&kk),
                        best.explanation_id
                    ),
                    evidence_en: format!(
                        "KK {} is the same family as KK {kept_text} (which stays): {}",
                        masked(&kk),
                        best.explanation_en
                    ),
                }
            })
            .collect()
    }

    /// The KK pairs as an Arrow table, by score (highest first): `kk_l`, `kk_r` (full KK
    /// numbers: this is a data output), `score` (Float64), `decision` (`duplicate`, `review`,
    /// `split`, `distinct`), `head_agreement` (see [`HeadAgreement`]), `members_l`, `members_r`
    /// (persons under each KK), `matched_members` (persons under both), `matched_for_review` (of
    /// those, persons joined only by a pair for review), `mean_probability`,
    /// `rows_l`, `rows_r` (1-based rows, `;`-joined), `programs_l`, `programs_r`,
    /// `programs_both` (null for none), `dropped_kk` (the registration to drop, null unless
    /// `duplicate`), `explanation_id` (Bahasa Indonesia), `explanation_en` (English; both with
    /// masked KK numbers).
    pub fn table(&self) -> Result<RecordBatch> {
        let text = |digits: &IdDigits| String::from_utf8_lossy(digits).into_owned();
        let rows_text = |rows: &[u32]| rows.iter().map(|r| (r + 1).to_string()).collect::<Vec<_>>().join(";");
        let programmes_text = |set: ProgrammeSet| (!set.is_empty()).then(|| set.to_string());
        let mut strings: [StringBuilder; 11] = std::array::from_fn(|_| StringBuilder::new());
        let mut score = Float64Builder::new();
        let mut probability = Float64Builder::new();
        let mut counts: [UInt32Builder; 4] = std::array::from_fn(|_| UInt32Builder::new());
        for p in &self.pairs {
            let values: [Option<String>; 11] = [
                Some(text(&p.kk_l)),
                Some(text(&p.kk_r)),
                Some(p.decision.as_str().to_string()),
                Some(p.head.as_str().to_string()),
                Some(rows_text(&p.rows_l)),
                Some(rows_text(&p.rows_r)),
                programmes_text(p.programmes_l),
                programmes_text(p.programmes_r),
                programmes_text(p.programmes_l.intersection(p.programmes_r)),
                p.dropped_kk().map(text),
                Some(p.explanation_id.clone()),
            ];
            for (builder, value) in strings.iter_mut().zip(values) {
                builder.append_option(value);
            }
            score.append_value(p.score);
            probability.append_value(p.mean_probability);
            let values = [p.members_l, p.members_r, p.matched_members, p.matched_for_review];
            for (builder, value) in counts.iter_mut().zip(values) {
                builder.append_value(value);
            }
        }
        let mut english = StringBuilder::new();
        for p in &self.pairs {
            english.append_value(&p.explanation_en);
        }
        let [kk_l, kk_r, decision, head, rows_l, rows_r, programs_l, programs_r, programs_both, dropped, id] =
            strings.map(|mut b| Arc::new(b.finish()) as ArrayRef);
        let [members_l, members_r, matched, for_review] =
            counts.map(|mut b| Arc::new(b.finish()) as ArrayRef);
        Ok(RecordBatch::try_from_iter([
            ("kk_l", kk_l),
            ("kk_r", kk_r),
            ("score", Arc::new(score.finish()) as ArrayRef),
            ("decision", decision),
            ("head_agreement", head),
            ("members_l", members_l),
            ("members_r", members_r),
            ("matched_members", matched),
            ("matched_for_review", for_review),
            ("mean_probability", Arc::new(probability.finish()) as ArrayRef),
            ("rows_l", rows_l),
            ("rows_r", rows_r),
            ("programs_l", programs_l),
            ("programs_r", programs_r),
            ("programs_both", programs_both),
            ("dropped_kk", dropped),
            ("explanation_id", id),
            ("explanation_en", Arc::new(english.finish()) as ArrayRef),
        ])?)
    }
}

/// Pairwise scores of predicted duplicate households against the truth, with the predicted
/// pairs per head agreement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HouseholdEvaluation {
    /// Precision, recall and F1 over KK pairs.
    pub overall: PairwiseScores,
    /// Predicted pairs and true positives per `head_agreement` (when the table has it).
    pub by_head_agreement: BTreeMap<String, HeadAgreementCounts>,
    /// Predicted KK numbers missing from the truth (their pairs count as false).
    pub kk_missing_from_truth: u64,
}

/// Predicted duplicate pairs of one head-agreement kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct HeadAgreementCounts {
    /// Pairs predicted duplicate.
    pub predicted: u64,
    /// Of those, true.
    pub true_positives: u64,
}

fn text_column(batch: &RecordBatch, name: &str, table: &str) -> Result<StringArray> {
    let array = batch.column_by_name(name).ok_or_else(|| Error::ColumnNotFound {
        column: name.into(),
        field: format!("{table} table"),
        available: batch.schema().fields().iter().map(|f| f.name().clone()).collect(),
    })?;
    let cast = arrow_cast::cast(array, &arrow_schema::DataType::Utf8)?;
    cast.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| Error::Schema(format!("{name} cannot be read as text")))
}

fn digits_only(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// Score a households table (`kk_l`, `kk_r`, `decision`, optionally `head_agreement`) against
/// a truth table with `no_kk` and `kk_household_id` per row (as [`crate::synth::generate`]
/// writes it): a true pair is two KK numbers with one `kk_household_id`, a predicted pair a
/// row decided `duplicate`.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// // KK 1 and 2 are one family, 3 another.
/// let truth = RecordBatch::try_from_iter([
///     ("no_kk", col(vec!["1", "1", "2", "3"])),
///     ("kk_household_id", col(vec!["7", "7", "7", "8"])),
/// ]).unwrap();
/// let predicted = RecordBatch::try_from_iter([
///     ("kk_l", col(vec!["1", "2"])),
///     ("kk_r", col(vec!["2", "3"])),
///     ("decision", col(vec!["duplicate", "duplicate"])),
/// ]).unwrap();
/// let e = padan::households::evaluate(&predicted, &truth)?;
/// assert_eq!((e.overall.true_positives, e.overall.predicted_pairs, e.overall.true_pairs), (1, 2, 1));
/// # Ok::<(), padan::Error>(())
/// ```
pub fn evaluate(households: &RecordBatch, truth: &RecordBatch) -> Result<HouseholdEvaluation> {
    let truth_kk = text_column(truth, "no_kk", "truth")?;
    let truth_household = text_column(truth, "kk_household_id", "truth")?;
    let mut household_of: FxHashMap<String, String> = FxHashMap::default();
    for i in 0..truth_kk.len() {
        if truth_kk.is_null(i) || truth_household.is_null(i) {
            continue;
        }
        household_of
            .entry(digits_only(truth_kk.value(i)))
            .or_insert_with(|| truth_household.value(i).to_string());
    }
    let mut kk_per_household: FxHashMap<&str, u64> = FxHashMap::default();
    for household in household_of.values() {
        *kk_per_household.entry(household).or_default() += 1;
    }
    let true_pairs: u64 = kk_per_household.values().map(|n| n * (n - 1) / 2).sum();

    let left = text_column(households, "kk_l", "households")?;
    let right = text_column(households, "kk_r", "households")?;
    let decision = text_column(households, "decision", "households")?;
    let head = households
        .column_by_name("head_agreement")
        .map(|_| text_column(households, "head_agreement", "households"))
        .transpose()?;
    let mut predicted: FxHashMap<(String, String), String> = FxHashMap::default();
    for k in 0..left.len() {
        if left.is_null(k) || right.is_null(k) || decision.is_null(k) || decision.value(k) != "duplicate" {
            continue;
        }
        let (a, b) = (digits_only(left.value(k)), digits_only(right.value(k)));
        if a == b {
            continue;
        }
        let kind = head.as_ref().filter(|h| !h.is_null(k)).map_or("", |h| h.value(k)).to_string();
        predicted.insert(if a < b { (a, b) } else { (b, a) }, kind);
    }
    let mut missing: FxHashSet<&str> = FxHashSet::default();
    let mut true_positives = 0u64;
    let mut by_head: BTreeMap<String, HeadAgreementCounts> = BTreeMap::new();
    for ((a, b), kind) in &predicted {
        for kk in [a, b] {
            if !household_of.contains_key(kk) {
                missing.insert(kk);
            }
        }
        let hit = matches!((household_of.get(a), household_of.get(b)), (Some(x), Some(y)) if x == y);
        true_positives += u64::from(hit);
        if !kind.is_empty() {
            let entry = by_head.entry(kind.clone()).or_default();
            entry.predicted += 1;
            entry.true_positives += u64::from(hit);
        }
    }
    Ok(HouseholdEvaluation {
        overall: PairwiseScores::from_counts(true_positives, predicted.len() as u64, true_pairs),
        by_head_agreement: by_head,
        kk_missing_from_truth: missing.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::RowFacts;

    const KK_A: &str = "3273011203100002";
    const KK_B: &str = "3273010101200005";

    /// The households of a hand-written table with hand-made person links `(row, row,
    /// probability)`; the rows that stay are the first row of each cluster.
    fn households_of(
        columns: &[(&str, Vec<Option<&str>>)],
        links: &[(u32, u32, f64)],
    ) -> (Households, Prepared) {
        let batch = RecordBatch::try_from_iter(
            columns
                .iter()
                .map(|(name, values)| (*name, Arc::new(StringArray::from(values.clone())) as ArrayRef)),
        )
        .unwrap();
        let raw = crate::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
        let prepared = crate::prepare::prepare(&raw, true);
        let facts = RowFacts::extract(&raw, &prepared);
        let pairs = CandidatePairs {
            left: links.iter().map(|l| l.0).collect(),
            right: links.iter().map(|l| l.1).collect(),
            rule: vec![0; links.len()],
            rule_mask: vec![1; links.len()],
            rules: Vec::new(),
        };
        let probability: Vec<f64> = links.iter().map(|l| l.2).collect();
        let decisions = vec![Decision::Match; links.len()];
        let clusters =
            crate::cluster::cluster(prepared.len, &pairs.left, &pairs.right, &vec![true; links.len()]);
        let mut kept_rows = BTreeMap::new();
        for (row, cluster) in clusters.cluster_id.iter().enumerate() {
            kept_rows.entry(*cluster).or_insert(row as u32);
        }
        let households = link(
            HouseholdInputs {
                prepared: &prepared,
                pairs: &pairs,
                match_probability: &probability,
                decisions: &decisions,
                rule_links: &[],
                clusters: &clusters,
                programmes: &facts.programmes,
                kept_rows: &kept_rows,
            },
            &HouseholdsConfig::default(),
        );
        (households, prepared)
    }

    fn kk(n: usize, value: &'static str) -> Vec<Option<&'static str>> {
        vec![Some(value); n]
    }

    #[test]
    fn the_same_family_under_two_kk_numbers_is_a_duplicate() {
        let (households, prepared) = households_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b"), Some("c"), Some("d"), Some("e"), Some("f")]),
                ("no_kk", [kk(3, KK_A), kk(3, KK_B)].concat()),
                ("hubungan_keluarga", vec![Some("1"), Some("2"), Some("3"), Some("1"), Some("2"), Some("3")]),
                ("program", vec![Some("PKH"), Some("PKH"), Some("PKH"), Some("PKH;BPNT"), None, None]),
            ],
            &[(0, 3, 0.99), (1, 4, 0.98), (2, 5, 0.97)],
        );
        assert_eq!(households.pairs.len(), 1);
        let pair = &households.pairs[0];
        // KK_B sorts before KK_A, so it is the left one.
        assert_eq!(
            (&pair.kk_l, &pair.kk_r),
            (KK_B.as_bytes().try_into().unwrap(), KK_A.as_bytes().try_into().unwrap())
        );
        assert_eq!((pair.members_l, pair.members_r, pair.matched_members), (3, 3, 3));
        assert_eq!(pair.head, HeadAgreement::SameHead);
        // (0.99 + 0.98 + 0.97) / 3 persons.
        assert!((pair.score - 0.98).abs() < 1e-12, "{}", pair.score);
        assert_eq!(pair.decision, HouseholdDecision::Duplicate);
        // Equal sizes, one kept row each side: the KK whose first row comes first (KK_A, row 0)
        // stays, KK_B is dropped.
        assert_eq!(pair.dropped_kk(), Some(&KK_B.as_bytes().try_into().unwrap()));
        assert!(pair.explanation_en.contains("3 same persons"), "{}", pair.explanation_en);
        assert!(pair.explanation_id.contains("3273 **** **** 0002") && !pair.explanation_id.contains(KK_A));
        assert_eq!(households.summary.duplicate_pairs, 1);
        // PKH is received under both KK numbers.
        let pkh = &households.summary.double_programmes[0];
        assert_eq!((pkh.programme.as_str(), pkh.duplicate_pairs), ("PKH", 1));
        let flags = households.flags(&prepared);
        assert_eq!(flags.len(), 1);
        // On KK_B's head (row 3), pointing at KK_A's rows; it receives PKH and BPNT.
        assert_eq!((flags[0].row, flags[0].related_rows.clone(), flags[0].priority), (3, vec![0, 1, 2], 2));
        assert_eq!(flags[0].code, FlagCode::DuplicateHousehold);
        assert!(flags[0].evidence_en.contains("which stays"), "{}", flags[0].evidence_en);
        let table = households.table().unwrap();
        assert_eq!(table.num_rows(), 1);
        let dropped = table.column_by_name("dropped_kk").unwrap();
        assert_eq!(dropped.as_any().downcast_ref::<StringArray>().unwrap().value(0), KK_B);
    }

    #[test]
    fn head_and_spouse_swapped_is_a_duplicate() {
        let (households, _) = households_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b"), Some("c"), Some("d")]),
                ("no_kk", [kk(2, KK_A), kk(2, KK_B)].concat()),
                // Husband heads KK_A, the wife heads KK_B.
                ("hubungan_keluarga", vec![Some("1"), Some("2"), Some("2"), Some("1")]),
            ],
            &[(0, 2, 0.95), (1, 3, 0.95)],
        );
        let pair = &households.pairs[0];
        assert_eq!(pair.head, HeadAgreement::HeadSpouseSwapped);
        assert!((pair.score - 0.95).abs() < 1e-12);
        assert_eq!(pair.decision, HouseholdDecision::Duplicate);
        assert!(pair.explanation_en.contains("swapped"), "{}", pair.explanation_en);
    }

    #[test]
    fn a_kk_split_after_a_marriage_is_not_a_duplicate() {
        // KK_A: father, mother, two children; the elder child married and heads KK_B with a
        // spouse, and is still listed in KK_A.
        let (households, prepared) = households_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b"), Some("c"), Some("d"), Some("e"), Some("f")]),
                ("no_kk", [kk(4, KK_A), kk(2, KK_B)].concat()),
                ("hubungan_keluarga", vec![Some("1"), Some("2"), Some("3"), Some("3"), Some("1"), Some("2")]),
            ],
            &[(2, 4, 0.99)],
        );
        let pair = &households.pairs[0];
        assert_eq!((pair.head, pair.decision), (HeadAgreement::Split, HouseholdDecision::Split));
        assert_eq!(pair.score, 0.0);
        assert!(
            pair.explanation_en.contains("is a child in KK 3273 **** **** 0002"),
            "{}",
            pair.explanation_en
        );
        assert!(households.flags(&prepared).is_empty());
        assert_eq!(households.summary.split_pairs, 1);
    }

    #[test]
    fn a_person_listed_again_in_another_family_is_not_a_duplicate() {
        // A widow living alone (KK_A) is also listed as "other" (8) in a family of three.
        let (households, _) = households_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b"), Some("c"), Some("d"), Some("e")]),
                ("no_kk", [kk(1, KK_A), kk(4, KK_B)].concat()),
                ("hubungan_keluarga", vec![Some("1"), Some("1"), Some("2"), Some("3"), Some("8")]),
            ],
            &[(0, 4, 0.99)],
        );
        let pair = &households.pairs[0];
        assert_eq!(pair.head, HeadAgreement::OtherHead);
        // 0.5 × 0.99 / max(1, 4).
        assert!((pair.score - 0.5 * 0.99 / 4.0).abs() < 1e-12);
        assert_eq!(pair.decision, HouseholdDecision::Distinct);
    }

    #[test]
    fn without_relations_two_thirds_must_match() {
        // No relation column: the head factor is 0.75, so a couple matched at 0.99 scores 0.7425.
        let (households, _) = households_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b"), Some("c"), Some("d"), Some("e"), Some("f")]),
                ("no_kk", [kk(2, KK_A), kk(2, KK_B), vec![None, Some("3273")]].concat()),
            ],
            &[(0, 2, 0.99), (1, 3, 0.99)],
        );
        let pair = &households.pairs[0];
        assert_eq!(pair.head, HeadAgreement::NoHead);
        assert!((pair.score - 0.7425).abs() < 1e-12);
        // Rows 4 (blank) and 5 (not 16 digits) have no KK.
        assert_eq!((households.summary.rows_without_kk, households.summary.kk_numbers), (2, 2));
    }

    #[test]
    fn a_person_linked_through_a_third_row_counts_at_the_weaker_link() {
        // Row 0 (KK_A) and row 2 (KK_B) are one person only through row 1 (no KK).
        let (households, _) = households_of(
            &[
                ("id_dtks", vec![Some("a"), Some("b"), Some("c")]),
                ("no_kk", vec![Some(KK_A), None, Some(KK_B)]),
                ("hubungan_keluarga", vec![Some("1"), Some("1"), Some("1")]),
            ],
            &[(0, 1, 0.99), (1, 2, 0.92)],
        );
        let pair = &households.pairs[0];
        assert_eq!(pair.head, HeadAgreement::SameHead);
        assert!((pair.score - 0.92).abs() < 1e-12, "{}", pair.score);
    }

    #[test]
    fn config_issues_name_the_setting() {
        let bad = HouseholdsConfig { threshold: 0.0, review_threshold: 0.4 };
        let paths: Vec<String> = bad.issues().into_iter().map(|i| i.0).collect();
        assert_eq!(paths, ["households.threshold", "households.review_threshold"]);
        assert!(HouseholdsConfig::default().issues().is_empty());
    }

    #[test]
    fn evaluation_counts_pairs_per_head_agreement_and_unknown_kk_numbers() {
        let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
        // KK 1, 2, 3 are one family (three true pairs), KK 4 another.
        let truth = RecordBatch::try_from_iter([
            ("no_kk", col(vec!["1", "2", "3", "4"])),
            ("kk_household_id", col(vec!["7", "7", "7", "8"])),
        ])
        .unwrap();
        let predicted = RecordBatch::try_from_iter([
            ("kk_l", col(vec!["1", "3", "1", "4", "1"])),
            ("kk_r", col(vec!["2", "2", "4", "9", "3"])),
            ("decision", col(vec!["duplicate", "duplicate", "duplicate", "duplicate", "review"])),
            ("head_agreement", col(vec!["same_head", "same_head", "other_head", "no_head", "same_head"])),
        ])
        .unwrap();
        let e = evaluate(&predicted, &truth).unwrap();
        // Predicted 1-2, 2-3 (true), 1-4, 4-9 (false); 1-3 is only for review.
        assert_eq!((e.overall.true_positives, e.overall.predicted_pairs, e.overall.true_pairs), (2, 4, 3));
        assert_eq!(e.by_head_agreement["same_head"], HeadAgreementCounts { predicted: 2, true_positives: 2 });
        assert_eq!(e.by_head_agreement["other_head"].true_positives, 0);
        assert_eq!(e.kk_missing_from_truth, 1);
        let missing_column = evaluate(&predicted, &predicted).unwrap_err();
        assert!(missing_column.to_string().contains("no_kk"), "{missing_column}");
    }
}
