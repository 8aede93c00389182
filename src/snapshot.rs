//! Two snapshots: quarter N linked to quarter N+1, with stable entity ids.
//!
//! The later snapshot is linked to the earlier one with the engine's link mode
//! ([`Deduper::link`]: later rows on the left, earlier rows on the right, cross pairs only).
//! Then each later row is assigned the earlier row it continues, one to one: the pairs decided
//! `match` are taken best first (pairs equal in every compared field, then by match weight,
//! which orders as the probability does but does not saturate at 1.0; ties by later row, then earlier row, so the result
//! does not depend on the thread count), and a pair is kept only when neither row is taken yet.
//!
//! Per person:
//! - `unchanged`: matched, and the prepared NIK, KK, name, birth date and address are equal;
//! - `changed`: matched, with the fields that differ (`nik`, `kk`, `name`, `birth_date`,
//!   `address`: street, house number, RT, RW, village, district or province);
//! - `added`: a later row with no confident match;
//! - `removed`: an earlier row no later row continues.
//!
//! Stable ids: a matched later row carries the earlier row's entity id, read from the earlier
//! table's `snapshot.entity_id_column` (default `entity_id`, so a `persons` table written by the
//! previous comparison can be joined back as the next earlier table) or, when the table has no
//! such column or the value is null, the earlier row's id. A new entity gets
//! `<snapshot.new_entity_prefix><later id>` (default prefix `N-`); should that text already be an
//! entity id of the earlier snapshot or of another new row, `-2`, `-3`, ... is appended, so a new
//! id never collides with one in use. Set a prefix per quarter (e.g. `2025Q2-`) to keep ids
//! unique across all quarters, including entities that were removed in between.
//!
//! Households (by KK number): each later KK's source is the earlier KK most of its continued
//! members came from (ties to the lowest KK number). A later KK without a source is `added`;
//! an earlier KK that is no later KK's source is `removed`; otherwise the household is
//! `unchanged` when no member joined or left and the KK number is the same, and `changed`
//! otherwise. An earlier KK split in two is the source of both later KKs (each `changed`, the
//! members who went to the other KK counted as having left). Rows without a KK number are in no
//! household.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt32Array};
use arrow_schema::SchemaRef;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::input::{self, RawRecords};
use crate::link::LinkResult;
use crate::parallel;
use crate::pipeline::{Decision, Deduper};
use crate::prepare::{IdDigits, Prepared};

/// Settings of a snapshot comparison (`[snapshot]` in the configuration).
///
/// ```
/// let cfg = padan::Config::from_toml_str("[snapshot]\nnew_entity_prefix = \"2025Q2-\"\n").unwrap();
/// assert_eq!(cfg.snapshot.entity_id_column, "entity_id");
/// assert_eq!(cfg.snapshot.new_entity_prefix, "2025Q2-");
/// assert!(padan::Config::from_toml_str("[snapshot]\nnew_entity_prefix = \"\"\n").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SnapshotConfig {
    /// The earlier table's entity-id column; when the table has none, its row ids are the
    /// entity ids.
    pub entity_id_column: String,
    /// Prefix of the entity ids given to new persons (followed by the later row's id).
    pub new_entity_prefix: String,
}

impl Default for SnapshotConfig {
    fn default() -> Self {
        Self { entity_id_column: "entity_id".into(), new_entity_prefix: "N-".into() }
    }
}

impl SnapshotConfig {
    /// Problems with the settings, as (path, message).
    pub fn issues(&self) -> Vec<(String, String)> {
        let mut issues = Vec::new();
        if self.entity_id_column.trim().is_empty() {
            issues.push(("snapshot.entity_id_column".into(), "the column name is empty".into()));
        }
        // Without a prefix a new id would be a bare later id, which may equal an old entity id.
        if self.new_entity_prefix.is_empty() {
            issues.push(("snapshot.new_entity_prefix".into(), "must not be empty".into()));
        }
        issues
    }
}

/// What happened to a person or a household between the snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotStatus {
    /// Present in both, nothing compared changed.
    Unchanged,
    /// Present in both, something changed.
    Changed,
    /// Only in the later snapshot.
    Added,
    /// Only in the earlier snapshot.
    Removed,
}

impl SnapshotStatus {
    /// The status as written in the tables.
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotStatus::Unchanged => "unchanged",
            SnapshotStatus::Changed => "changed",
            SnapshotStatus::Added => "added",
            SnapshotStatus::Removed => "removed",
        }
    }
}

/// The fields compared between a later row and the earlier row it continues, in the order they
/// are listed in `changed_fields`.
pub const COMPARED_FIELDS: [&str; 5] = ["nik", "kk", "name", "birth_date", "address"];

/// One person of the comparison: a later row (with the earlier row it continues, if any) or a
/// removed earlier row.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonChange {
    /// The later row (0-based), `None` for a removed person.
    pub later_row: Option<u32>,
    /// The earlier row (0-based) it continues, `None` for an added person.
    pub earlier_row: Option<u32>,
    /// The stable entity id.
    pub entity_id: String,
    /// Unchanged, changed, added or removed.
    pub status: SnapshotStatus,
    /// The fields that changed (from [`COMPARED_FIELDS`]), empty unless `changed`.
    pub changed_fields: Vec<&'static str>,
    /// The match probability of the pair, `None` for added and removed persons.
    pub match_probability: Option<f64>,
}

/// One household (KK number) of the comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdChange {
    /// The later KK number, `None` for a removed household.
    pub later_kk: Option<IdDigits>,
    /// The earlier KK its members mostly came from (for a removed household: itself).
    pub earlier_kk: Option<IdDigits>,
    /// Unchanged, changed, added or removed.
    pub status: SnapshotStatus,
    /// Later rows of the household (0-based).
    pub later_members: Vec<u32>,
    /// Earlier rows of the source household (0-based).
    pub earlier_members: Vec<u32>,
    /// Later members who did not come from the source household (new persons included).
    pub joined: Vec<u32>,
    /// Earlier members of the source household who are not in this later household.
    pub left: Vec<u32>,
}

impl HouseholdChange {
    /// Whether the KK number differs from the source household's.
    pub fn kk_changed(&self) -> bool {
        self.later_kk.is_some() && self.earlier_kk.is_some() && self.later_kk != self.earlier_kk
    }
}

/// Counts of a snapshot comparison: `unchanged + changed + added = later_rows` and
/// `unchanged + changed + removed = earlier_rows`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SnapshotSummary {
    /// padan version.
    pub padan_version: String,
    /// Rows in the earlier snapshot.
    pub earlier_rows: u64,
    /// Rows in the later snapshot.
    pub later_rows: u64,
    /// Persons present in both with nothing changed.
    pub unchanged: u64,
    /// Persons present in both with a change.
    pub changed: u64,
    /// Later rows with no confident match.
    pub added: u64,
    /// Earlier rows no later row continues.
    pub removed: u64,
    /// Changed persons per changed field.
    pub changed_by_field: BTreeMap<String, u64>,
    /// KK numbers in the later snapshot.
    pub households_later: u64,
    /// KK numbers in the earlier snapshot.
    pub households_earlier: u64,
    /// Later households with the same members and KK number as their source.
    pub households_unchanged: u64,
    /// Later households whose members or KK number changed.
    pub households_changed: u64,
    /// Later households with no source.
    pub households_added: u64,
    /// Earlier households that are no later household's source.
    pub households_removed: u64,
    /// Whether the entity ids came from the earlier table's entity-id column (else its row ids).
    pub entity_ids_from_column: bool,
    /// The match threshold (probability) a continued person must reach.
    pub match_threshold: f64,
    /// Later–earlier pairs scored.
    pub pairs_scored: u64,
}

/// The comparison of two snapshots (see the [module documentation](self)).
#[derive(Debug, Clone)]
pub struct SnapshotDiff {
    /// Later rows in order, then the removed earlier rows in order.
    pub persons: Vec<PersonChange>,
    /// Later households by KK number, then removed earlier households by KK number.
    pub households: Vec<HouseholdChange>,
    /// Counts.
    pub summary: SnapshotSummary,
    /// The underlying link run (left = later snapshot, right = earlier snapshot).
    pub link: LinkResult,
    later_ids: StringArray,
    earlier_ids: StringArray,
}

/// The earlier table's entity ids: the configured column as text when the table has it.
fn entity_column(schema: &SchemaRef, batches: &[RecordBatch], column: &str) -> Result<Option<StringArray>> {
    let Ok(index) = schema.index_of(column) else { return Ok(None) };
    let parts: Vec<&dyn Array> = batches.iter().map(|b| b.column(index).as_ref()).collect();
    let joined: ArrayRef = if parts.is_empty() {
        arrow_array::new_empty_array(schema.field(index).data_type())
    } else {
        arrow_select::concat::concat(&parts)?
    };
    Ok(Some(crate::explain::id_texts(&joined)?))
}

impl Deduper {
    /// Compare two snapshot files (CSV / Parquet / Arrow IPC), both read with the
    /// configuration's column mapping; the earlier file may carry an entity-id column
    /// (`snapshot.entity_id_column`).
    pub fn compare_snapshots_path(&self, earlier: &Path, later: &Path) -> Result<SnapshotDiff> {
        parallel::pool(self.config().threads)?.install(|| {
            let columns = &self.config().columns;
            let (schema, batches, diagnostics) = input::read_batches(earlier)?;
            let mut earlier_raw = crate::link::map_numbering_rows(&schema, &batches, columns)?;
            earlier_raw.diagnostics = diagnostics;
            let entities = entity_column(&schema, &batches, &self.config().snapshot.entity_id_column)?;
            drop(batches);
            let (schema, batches, diagnostics) = input::read_batches(later)?;
            let mut later_raw = crate::link::map_numbering_rows(&schema, &batches, columns)?;
            later_raw.diagnostics = diagnostics;
            drop(batches);
            self.compare_snapshots_in_pool(&earlier_raw, entities, &later_raw)
        })
    }

    /// Compare two snapshots given as Arrow record batches (see [`Deduper::compare_snapshots`]).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// use padan::snapshot::SnapshotStatus;
    /// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let table = |ids, niks, names, dates| RecordBatch::try_from_iter([
    ///     ("id_dtks", col(ids)), ("nik", col(niks)), ("nama", col(names)), ("tanggal_lahir", col(dates)),
    /// ]).unwrap();
    /// let q1 = table(
    ///     vec!["a1", "a2"],
    ///     vec!["3273015208850002", "3578036505900017"],
    ///     vec!["Dewi Lestari", "Ratna Sari"],
    ///     vec!["1985-08-12", "1990-05-25"],
    /// );
    /// let q2 = table(
    ///     vec!["b1", "b2"],
    ///     vec!["3578036505900017", "3174051010200001"],
    ///     vec!["RATNA SARI", "Budi Santoso"],
    ///     vec!["25-05-1990", "2020-10-10"],
    /// );
    /// let deduper = padan::Deduper::new(padan::Config::default())?;
    /// let diff = deduper.compare_snapshots_batches(&q1.schema(), &[q1.clone()], &q2.schema(), &[q2])?;
    /// // Ratna continues a2 and keeps its id; Budi is new; Dewi is gone.
    /// assert_eq!(diff.persons[0].entity_id, "a2");
    /// assert_eq!(diff.persons[0].status, SnapshotStatus::Unchanged);
    /// assert_eq!(diff.persons[1].entity_id, "N-b2");
    /// assert_eq!(diff.persons[1].status, SnapshotStatus::Added);
    /// assert_eq!(diff.persons[2].status, SnapshotStatus::Removed);
    /// assert_eq!(diff.persons_table()?.num_rows(), 3);
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn compare_snapshots_batches(
        &self,
        earlier_schema: &SchemaRef,
        earlier: &[RecordBatch],
        later_schema: &SchemaRef,
        later: &[RecordBatch],
    ) -> Result<SnapshotDiff> {
        let columns = &self.config().columns;
        let entities = entity_column(earlier_schema, earlier, &self.config().snapshot.entity_id_column)?;
        let earlier = crate::link::map_numbering_rows(earlier_schema, earlier, columns)?;
        let later = crate::link::map_numbering_rows(later_schema, later, columns)?;
        parallel::pool(self.config().threads)?
            .install(|| self.compare_snapshots_in_pool(&earlier, entities, &later))
    }

    /// Compare two snapshots already mapped to logical fields. `earlier_entity_ids` (one per
    /// earlier row, as text) are the stable ids to carry; `None`, or a null value, means the
    /// earlier row's id.
    pub fn compare_snapshots(
        &self,
        earlier: RawRecords,
        earlier_entity_ids: Option<StringArray>,
        later: RawRecords,
    ) -> Result<SnapshotDiff> {
        parallel::pool(self.config().threads)?
            .install(|| self.compare_snapshots_in_pool(&earlier, earlier_entity_ids, &later))
    }

    fn compare_snapshots_in_pool(
        &self,
        earlier: &RawRecords,
        earlier_entity_ids: Option<StringArray>,
        later: &RawRecords,
    ) -> Result<SnapshotDiff> {
        if let Some(entities) = &earlier_entity_ids
            && entities.len() != earlier.len
        {
            return Err(Error::Internal(format!(
                "{} entity ids for {} earlier rows",
                entities.len(),
                earlier.len
            )));
        }
        let link = self.link_in_pool(later, earlier)?;
        let later_len = link.left_len;
        let earlier_len = earlier.len;
        let later_ids = crate::explain::id_texts(&link.left_id)?;
        let earlier_ids = crate::explain::id_texts(&link.right_id)?;

        // One-to-one assignment over the confident pairs, best first.
        let p = &link.scores.match_probability;
        let w = &link.scores.match_weight;
        // Identical rows first: a record typed the same in both quarters continues itself, even
        // when a within-quarter duplicate copy happens to score higher (an exact placeholder
        // birth date weighs less than a date agreeing with the NIK). Then by match weight, which
        // orders as the probability does but does not saturate at 1.0.
        // Among identical rows (a row and its exact within-quarter copy), the one with the same
        // record id continues it: registries keep their ids from quarter to quarter.
        let same_id = |i: usize, j: usize| {
            let j = j - later_len;
            !later_ids.is_null(i) && !earlier_ids.is_null(j) && later_ids.value(i) == earlier_ids.value(j)
        };
        let mut candidates: Vec<((bool, bool), usize)> = (0..link.pairs.len())
            .filter(|k| link.decisions[*k] == Decision::Match)
            .map(|k| {
                let (i, j) = (link.pairs.left[k] as usize, link.pairs.right[k] as usize);
                ((changed_fields(&link.prepared, i, j).is_empty(), same_id(i, j)), k)
            })
            .collect();
        candidates.sort_by(|(same_a, a), (same_b, b)| {
            same_b
                .cmp(same_a)
                .then(w[*b].total_cmp(&w[*a]))
                .then(link.pairs.left[*a].cmp(&link.pairs.left[*b]))
                .then(link.pairs.right[*a].cmp(&link.pairs.right[*b]))
        });
        let mut later_to: Vec<Option<(u32, f64)>> = vec![None; later_len];
        let mut earlier_to: Vec<Option<u32>> = vec![None; earlier_len];
        for (_, k) in candidates {
            let i = link.pairs.left[k] as usize;
            let j = link.pairs.right[k] as usize - later_len;
            if later_to[i].is_none() && earlier_to[j].is_none() {
                later_to[i] = Some((j as u32, p[k]));
                earlier_to[j] = Some(i as u32);
            }
        }

        let text = |ids: &StringArray, row: usize| (!ids.is_null(row)).then(|| ids.value(row).to_string());
        let earlier_entity = |j: usize| {
            earlier_entity_ids
                .as_ref()
                .and_then(|e| text(e, j))
                .or_else(|| text(&earlier_ids, j))
                .unwrap_or_else(|| format!("row{}", j + 1))
        };
        let mut used: HashSet<String> = (0..earlier_len).map(earlier_entity).collect();
        let prefix = &self.config().snapshot.new_entity_prefix;
        let prepared = &link.prepared;
        let mut persons = Vec::with_capacity(later_len + earlier_len);
        for (i, assigned) in later_to.iter().enumerate() {
            let person = match assigned {
                Some((j, probability)) => {
                    let changed = changed_fields(prepared, i, later_len + *j as usize);
                    PersonChange {
                        later_row: Some(i as u32),
                        earlier_row: Some(*j),
                        entity_id: earlier_entity(*j as usize),
                        status: if changed.is_empty() {
                            SnapshotStatus::Unchanged
                        } else {
                            SnapshotStatus::Changed
                        },
                        changed_fields: changed,
                        match_probability: Some(*probability),
                    }
                }
                None => {
                    let base =
                        format!("{prefix}{}", text(&later_ids, i).unwrap_or_else(|| format!("row{}", i + 1)));
                    let mut id = base.clone();
                    let mut suffix = 2;
                    while used.contains(&id) {
                        id = format!("{base}-{suffix}");
                        suffix += 1;
                    }
                    used.insert(id.clone());
                    PersonChange {
                        later_row: Some(i as u32),
                        earlier_row: None,
                        entity_id: id,
                        status: SnapshotStatus::Added,
                        changed_fields: Vec::new(),
                        match_probability: None,
                    }
                }
            };
            persons.push(person);
        }
        for (j, continued) in earlier_to.iter().enumerate() {
            if continued.is_none() {
                persons.push(PersonChange {
                    later_row: None,
                    earlier_row: Some(j as u32),
                    entity_id: earlier_entity(j),
                    status: SnapshotStatus::Removed,
                    changed_fields: Vec::new(),
                    match_probability: None,
                });
            }
        }

        let households = household_changes(prepared, later_len, &later_to, &earlier_to);
        let count = |status| persons.iter().filter(|p| p.status == status).count() as u64;
        let count_households = |status| households.iter().filter(|h| h.status == status).count() as u64;
        let mut changed_by_field = BTreeMap::new();
        for field in persons.iter().flat_map(|p| &p.changed_fields) {
            *changed_by_field.entry((*field).to_string()).or_insert(0u64) += 1;
        }
        let distinct_kk = |rows: std::ops::Range<usize>| {
            rows.filter_map(|r| prepared.kk[r]).collect::<HashSet<IdDigits>>().len() as u64
        };
        let summary = SnapshotSummary {
            padan_version: env!("CARGO_PKG_VERSION").to_string(),
            earlier_rows: earlier_len as u64,
            later_rows: later_len as u64,
            unchanged: count(SnapshotStatus::Unchanged),
            changed: count(SnapshotStatus::Changed),
            added: count(SnapshotStatus::Added),
            removed: count(SnapshotStatus::Removed),
            changed_by_field,
            households_later: distinct_kk(0..later_len),
            households_earlier: distinct_kk(later_len..later_len + earlier_len),
            households_unchanged: count_households(SnapshotStatus::Unchanged),
            households_changed: count_households(SnapshotStatus::Changed),
            households_added: count_households(SnapshotStatus::Added),
            households_removed: count_households(SnapshotStatus::Removed),
            entity_ids_from_column: earlier_entity_ids.is_some(),
            match_threshold: self.config().match_threshold,
            pairs_scored: link.summary.pairs_scored,
        };
        Ok(SnapshotDiff { persons, households, summary, link, later_ids, earlier_ids })
    }
}

/// The compared fields that differ between combined rows `a` (later) and `b` (earlier). Texts are
/// compared as text: equal codes mean equal text, but equal text may have two codes.
fn changed_fields(prepared: &Prepared, a: usize, b: usize) -> Vec<&'static str> {
    let address_differs = prepared.street[a] != prepared.street[b]
        || prepared.house_number[a] != prepared.house_number[b]
        || prepared.rt[a] != prepared.rt[b]
        || prepared.rw[a] != prepared.rw[b]
        || prepared.village[a] != prepared.village[b]
        || prepared.district[a] != prepared.district[b]
        || prepared.province[a] != prepared.province[b];
    let differs = [
        prepared.nik[a] != prepared.nik[b],
        prepared.kk[a] != prepared.kk[b],
        prepared.name[a] != prepared.name[b],
        prepared.birth_date[a] != prepared.birth_date[b],
        address_differs,
    ];
    COMPARED_FIELDS.iter().zip(differs).filter(|(_, d)| *d).map(|(f, _)| *f).collect()
}

/// Households of both snapshots by KK number, matched through the persons' assignment.
fn household_changes(
    prepared: &Prepared,
    later_len: usize,
    later_to: &[Option<(u32, f64)>],
    earlier_to: &[Option<u32>],
) -> Vec<HouseholdChange> {
    let mut later_groups: BTreeMap<IdDigits, Vec<u32>> = BTreeMap::new();
    for i in 0..later_len {
        if let Some(kk) = prepared.kk[i] {
            later_groups.entry(kk).or_default().push(i as u32);
        }
    }
    let mut earlier_groups: BTreeMap<IdDigits, Vec<u32>> = BTreeMap::new();
    for j in 0..earlier_to.len() {
        if let Some(kk) = prepared.kk[later_len + j] {
            earlier_groups.entry(kk).or_default().push(j as u32);
        }
    }
    let earlier_kk = |j: u32| prepared.kk[later_len + j as usize];
    let mut sources: HashSet<IdDigits> = HashSet::new();
    let mut changes = Vec::new();
    for (kk, members) in &later_groups {
        let mut votes: BTreeMap<IdDigits, u32> = BTreeMap::new();
        for i in members {
            if let Some(source) = later_to[*i as usize].and_then(|(j, _)| earlier_kk(j)) {
                *votes.entry(source).or_insert(0) += 1;
            }
        }
        // BTreeMap order and a strict `>` give ties to the lowest KK number.
        let mut source: Option<(IdDigits, u32)> = None;
        for (candidate, n) in votes {
            if source.is_none_or(|(_, best)| n > best) {
                source = Some((candidate, n));
            }
        }
        let Some((source, _)) = source else {
            changes.push(HouseholdChange {
                later_kk: Some(*kk),
                earlier_kk: None,
                status: SnapshotStatus::Added,
                later_members: members.clone(),
                earlier_members: Vec::new(),
                joined: members.clone(),
                left: Vec::new(),
            });
            continue;
        };
        sources.insert(source);
        let earlier_members = earlier_groups.get(&source).cloned().unwrap_or_default();
        let joined: Vec<u32> = members
            .iter()
            .copied()
            .filter(|i| later_to[*i as usize].and_then(|(j, _)| earlier_kk(j)) != Some(source))
            .collect();
        let left: Vec<u32> = earlier_members
            .iter()
            .copied()
            .filter(|j| earlier_to[*j as usize].is_none_or(|i| prepared.kk[i as usize] != Some(*kk)))
            .collect();
        let status = if joined.is_empty() && left.is_empty() && *kk == source {
            SnapshotStatus::Unchanged
        } else {
            SnapshotStatus::Changed
        };
        changes.push(HouseholdChange {
            later_kk: Some(*kk),
            earlier_kk: Some(source),
            status,
            later_members: members.clone(),
            earlier_members,
            joined,
            left,
        });
    }
    for (kk, members) in earlier_groups {
        if !sources.contains(&kk) {
            changes.push(HouseholdChange {
                later_kk: None,
                earlier_kk: Some(kk),
                status: SnapshotStatus::Removed,
                later_members: Vec::new(),
                earlier_members: members.clone(),
                joined: Vec::new(),
                left: members,
            });
        }
    }
    changes
}

fn digits_text(kk: &Option<IdDigits>) -> Option<String> {
    kk.map(|d| String::from_utf8_lossy(&d).into_owned())
}

impl SnapshotDiff {
    /// One row per person: the later rows in order, then the removed earlier rows:
    /// `later_id`, `earlier_id` (the inputs' ids as text, null on the side a person is missing
    /// from), `later_row`, `earlier_row` (1-based), `entity_id`, `status` (`unchanged`,
    /// `changed`, `added`, `removed`), `changed_fields` (`;`-separated, empty unless changed),
    /// `match_probability` (null for added and removed persons).
    pub fn persons_table(&self) -> Result<RecordBatch> {
        let ids = |ids: &StringArray, rows: Vec<Option<u32>>| -> Result<ArrayRef> {
            Ok(arrow_select::take::take(ids, &UInt32Array::from(rows), None)?)
        };
        let later_rows: Vec<Option<u32>> = self.persons.iter().map(|p| p.later_row).collect();
        let earlier_rows: Vec<Option<u32>> = self.persons.iter().map(|p| p.earlier_row).collect();
        let row_numbers = |rows: &[Option<u32>]| -> ArrayRef {
            Arc::new(rows.iter().map(|r| r.map(|r| u64::from(r) + 1)).collect::<arrow_array::UInt64Array>())
        };
        let mut probability = Float64Builder::new();
        for p in &self.persons {
            probability.append_option(p.match_probability);
        }
        Ok(RecordBatch::try_from_iter([
            ("later_id", ids(&self.later_ids, later_rows.clone())?),
            ("earlier_id", ids(&self.earlier_ids, earlier_rows.clone())?),
            ("later_row", row_numbers(&later_rows)),
            ("earlier_row", row_numbers(&earlier_rows)),
            (
                "entity_id",
                Arc::new(StringArray::from_iter_values(self.persons.iter().map(|p| p.entity_id.as_str())))
                    as ArrayRef,
            ),
            (
                "status",
                Arc::new(StringArray::from_iter_values(self.persons.iter().map(|p| p.status.as_str())))
                    as ArrayRef,
            ),
            (
                "changed_fields",
                Arc::new(StringArray::from_iter_values(
                    self.persons.iter().map(|p| p.changed_fields.join(";")),
                )) as ArrayRef,
            ),
            ("match_probability", Arc::new(probability.finish()) as ArrayRef),
        ])?)
    }

    /// One row per household: the later KK numbers in order, then the removed earlier ones:
    /// `later_kk`, `earlier_kk` (full numbers; the source household for a later KK), `status`,
    /// `kk_changed`, `later_members`, `earlier_members`, `joined`, `left` (counts),
    /// `joined_ids` (later ids) and `left_ids` (earlier ids), `;`-separated.
    pub fn households_table(&self) -> Result<RecordBatch> {
        let mut later_kk = StringBuilder::new();
        let mut earlier_kk = StringBuilder::new();
        let mut status = StringBuilder::new();
        let mut kk_changed = BooleanBuilder::new();
        let mut counts: [UInt64Builder; 4] = Default::default();
        let mut joined_ids = StringBuilder::new();
        let mut left_ids = StringBuilder::new();
        let join = |ids: &StringArray, rows: &[u32]| {
            rows.iter()
                .map(|r| {
                    if ids.is_null(*r as usize) { String::new() } else { ids.value(*r as usize).to_string() }
                })
                .collect::<Vec<_>>()
                .join(";")
        };
        for h in &self.households {
            later_kk.append_option(digits_text(&h.later_kk));
            earlier_kk.append_option(digits_text(&h.earlier_kk));
            status.append_value(h.status.as_str());
            kk_changed.append_value(h.kk_changed());
            for (builder, n) in counts.iter_mut().zip([
                h.later_members.len(),
                h.earlier_members.len(),
                h.joined.len(),
                h.left.len(),
            ]) {
                builder.append_value(n as u64);
            }
            joined_ids.append_value(join(&self.later_ids, &h.joined));
            left_ids.append_value(join(&self.earlier_ids, &h.left));
        }
        let [later_members, earlier_members, joined, left] =
            counts.map(|mut b| Arc::new(b.finish()) as ArrayRef);
        Ok(RecordBatch::try_from_iter([
            ("later_kk", Arc::new(later_kk.finish()) as ArrayRef),
            ("earlier_kk", Arc::new(earlier_kk.finish()) as ArrayRef),
            ("status", Arc::new(status.finish()) as ArrayRef),
            ("kk_changed", Arc::new(kk_changed.finish()) as ArrayRef),
            ("later_members", later_members),
            ("earlier_members", earlier_members),
            ("joined", joined),
            ("left", left),
            ("joined_ids", Arc::new(joined_ids.finish()) as ArrayRef),
            ("left_ids", Arc::new(left_ids.finish()) as ArrayRef),
        ])?)
    }

    /// The summary as pretty JSON.
    pub fn summary_json(&self) -> String {
        serde_json::to_string_pretty(&self.summary).unwrap_or_default()
    }
}
