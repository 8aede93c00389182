//! Stale entries against a reference registry: DTKS linked to a civil-registry (Dukcapil)
//! extract through the engine's link mode ([`crate::link`]).
//!
//! The extract has a NIK, a name, a birth date, a sex, a status (HIDUP, MENINGGAL, PINDAH, in
//! any of the usual spellings: "Meninggal Dunia", "MATI", "pindah keluar", ...) and the date of
//! that status. Its column names are set in the `[registry.columns]` section of the
//! configuration ([`RegistryColumns`]; defaults `nik`, `nama`, `tanggal_lahir`,
//! `jenis_kelamin`, `status`, `tanggal_status`, and no id column: rows are numbered from 1).
//!
//! Each DTKS row takes its best registry match. It is *confident* at a match probability of at
//! least `registry.min_probability` (default: the run's `match_threshold`), or when exactly one
//! of its registry candidates meets a registry rule (`registry.rules`, default
//! [`default_registry_rules`]: a one-typo NIK with the same name and birth date). Matching is
//! fuzzy: a mistyped or missing NIK is found through the name and the birth date (the
//! `name_birth_date` and `nik_prefix12` blocking rules), while a twin (same batch NIK, same
//! birth date, another name) scores far below and meets no rule.
//!
//! Flags ([`crate::flags::FlagCode`]): `DECEASED` when the confident match has status
//! MENINGGAL, `MOVED` for PINDAH, `NOT_FOUND` when there is no confident match. The evidence
//! names the registry row, its (masked) NIK, the match probability and the status date, and
//! says whether that date falls before the reference date of the flags (the list was stale
//! already when the extract was taken) or after it (right then, stale now). A death dated before
//! the record's own birth date contradicts the match: its confidence is halved.
//!
//! A registry row whose status cannot be read is reported (row number, `status_invalid`) and
//! stays in the link: it can still be a DTKS row's match (so that row is not `NOT_FOUND`), but
//! it raises no `DECEASED` or `MOVED`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt64Array};
use arrow_schema::SchemaRef;
use serde::{Deserialize, Serialize};

use crate::config::{ColumnMapping, Field};
use crate::error::{ConfigIssue, Error, Result};
use crate::flags::{FlagCode, FlagDraft};
use crate::input::{self, Diagnostic, RawRecords};
use crate::link::LinkResult;
use crate::normalize::{self, Date};
use crate::parallel;
use crate::pipeline::{DedupeResult, Deduper};
use crate::rules::{DeterministicRule, RuleMode};

pub mod synth;

/// How many registry diagnostics the summary lists in full (all are counted).
const SUMMARY_DIAGNOSTICS: usize = 100;

/// Column names of a registry extract (`[registry.columns]`).
///
/// ```
/// let cfg = padan::Config::from_toml_str("[registry.columns]\nstatus = \"STATUS_PENDUDUK\"\n").unwrap();
/// assert_eq!(cfg.registry.columns.status, "STATUS_PENDUDUK");
/// assert_eq!(cfg.registry.columns.nik, "nik");
/// assert_eq!(cfg.registry.columns.id, "");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistryColumns {
    /// Record id column; empty (the default): rows are numbered from 1.
    pub id: String,
    /// NIK column.
    pub nik: String,
    /// Name column.
    pub name: String,
    /// Birth-date column.
    pub birth_date: String,
    /// Sex column.
    pub sex: String,
    /// Status column (HIDUP / MENINGGAL / PINDAH): required.
    pub status: String,
    /// Date of the status (death, move) column; optional.
    pub status_date: String,
}

impl Default for RegistryColumns {
    fn default() -> Self {
        Self {
            id: String::new(),
            nik: "nik".into(),
            name: "nama".into(),
            birth_date: "tanggal_lahir".into(),
            sex: "jenis_kelamin".into(),
            status: "status".into(),
            status_date: "tanggal_status".into(),
        }
    }
}

/// Settings of the reference registry (`[registry]` in the configuration file).
///
/// ```
/// let cfg = padan::Config::from_toml_str("[registry]\nmin_probability = 0.95\n").unwrap();
/// assert_eq!(cfg.registry.min_probability, Some(0.95));
/// assert!(padan::Config::from_toml_str("[registry]\nmin_probability = 2.0\n").is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistryConfig {
    /// Column names of the extract.
    pub columns: RegistryColumns,
    /// Match probability from which a DTKS row's best registry match is confident; absent: the
    /// run's `match_threshold`.
    pub min_probability: Option<f64>,
    /// Deterministic rules (mode `link`, see [`crate::rules`]): a DTKS row whose candidates
    /// include exactly one registry row meeting a rule is matched to it confidently, whatever
    /// the probability. Absent: [`default_registry_rules_for`] the run's rules (Indonesian or
    /// generic levels).
    pub rules: Option<Vec<DeterministicRule>>,
}

/// The default registry rule `nik_typo_same_name_and_birth_date`: the NIKs differ by one typo
/// (a truncated last digit, a transposition, a substituted digit, a serial typo), the names agree
/// in spelling (exact, same tokens, phonetic, close spelling) and the birth dates are equal.
///
/// Why a rule: a registry has no address, KK or mother, so the model sees only the NIK, name,
/// birth date and sex, and a mistyped serial plus an equal name and birth date scores below the
/// match threshold on a national-size registry, although a civil registry lists each person
/// once and no one else has that name, that birth date and nearly that NIK. Twins do not meet
/// it: their NIKs share the batch but their names differ (`sibling_pattern`).
///
/// ```
/// let rules = padan::registry::default_registry_rules();
/// assert_eq!(rules[0].name, "nik_typo_same_name_and_birth_date");
/// assert!(!rules[0].levels["nik"].contains(&"sibling_pattern".to_string()));
/// ```
pub fn default_registry_rules() -> Vec<DeterministicRule> {
    default_registry_rules_for(true)
}

/// The default registry rule under the Indonesian rules ([`default_registry_rules`]) or, with
/// `indonesian_rules = false`, its generic form: a NIK one edit away, the same normalised name
/// (the generic name levels depend on the configured thresholds, exact does not), the same
/// birth date.
///
/// ```
/// let generic = padan::registry::default_registry_rules_for(false);
/// assert_eq!(generic[0].levels["name"], ["exact"]);
/// ```
pub fn default_registry_rules_for(indonesian_rules: bool) -> Vec<DeterministicRule> {
    if !indonesian_rules {
        return vec![DeterministicRule::new(
            "nik_typo_same_name_and_birth_date",
            RuleMode::Link,
            &[("nik", &["one_edit"]), ("name", &["exact"]), ("birth_date", &["exact"])],
        )];
    }
    vec![DeterministicRule::new(
        "nik_typo_same_name_and_birth_date",
        RuleMode::Link,
        &[
            (
                "nik",
                &[
                    "excel_truncated",
                    "transposition",
                    "one_substitution",
                    "twin_pattern",
                    "region_digit_substitution",
                ],
            ),
            ("name", &["exact", "same_tokens_or_joined", "phonetic", "close_spelling"]),
            ("birth_date", &["exact", "exact_placeholder"]),
        ],
    )]
}

impl RegistryConfig {
    /// The rules in force: the configured ones, else the default for the run's rules.
    ///
    /// ```
    /// let config = padan::registry::RegistryConfig::default();
    /// assert_eq!(config.rules_in_force(true), padan::registry::default_registry_rules());
    /// assert_eq!(config.rules_in_force(false)[0].levels["nik"], ["one_edit"]);
    /// ```
    pub fn rules_in_force(&self, indonesian_rules: bool) -> Vec<DeterministicRule> {
        self.rules.clone().unwrap_or_else(|| default_registry_rules_for(indonesian_rules))
    }

    /// Problems with these settings under the run's comparisons, as `(path, message)` pairs
    /// (empty when valid).
    pub fn issues(&self, comparisons: &crate::compare::Comparisons) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let rules = self.rules_in_force(comparisons.indonesian);
        for issue in crate::rules::validate(&rules, comparisons) {
            out.push((format!("registry.{}", issue.path), issue.message));
        }
        for (r, rule) in rules.iter().enumerate() {
            if rule.mode != RuleMode::Link {
                out.push((
                    format!("registry.rules[{r}].mode"),
                    "registry rules must be in mode `link`".into(),
                ));
            }
        }
        if let Some(p) = self.min_probability
            && !(p > 0.0 && p <= 1.0)
        {
            out.push(("registry.min_probability".into(), "must be a probability in (0, 1]".into()));
        }
        if self.columns.status.trim().is_empty() {
            out.push(("registry.columns.status".into(), "the status column name is empty".into()));
        }
        out
    }
}

/// A person's status in the civil registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RegistryStatus {
    /// Alive and registered here (HIDUP).
    Alive,
    /// Deceased (MENINGGAL).
    Deceased,
    /// Moved away (PINDAH).
    Moved,
}

impl RegistryStatus {
    /// `HIDUP`, `MENINGGAL` or `PINDAH`.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistryStatus::Alive => "HIDUP",
            RegistryStatus::Deceased => "MENINGGAL",
            RegistryStatus::Moved => "PINDAH",
        }
    }
}

/// Read a status cell in any of the usual spellings and cases; `None` when it names none.
///
/// ```
/// use padan::registry::{parse_status, RegistryStatus::*};
/// assert_eq!(parse_status("HIDUP"), Some(Alive));
/// assert_eq!(parse_status("Meninggal Dunia"), Some(Deceased));
/// assert_eq!(parse_status("MATI"), Some(Deceased));
/// assert_eq!(parse_status("wafat"), Some(Deceased));
/// assert_eq!(parse_status("pindah keluar"), Some(Moved));
/// assert_eq!(parse_status("P"), Some(Moved));
/// assert_eq!(parse_status("?"), None);
/// ```
pub fn parse_status(text: &str) -> Option<RegistryStatus> {
    let upper = text.trim().to_uppercase();
    let words: Vec<&str> = upper.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |options: &[&str]| words.iter().any(|w| options.contains(w));
    if has(&["MENINGGAL", "MATI", "WAFAT", "ALMARHUM", "ALMARHUMAH", "DECEASED", "DEAD", "MD", "M"]) {
        Some(RegistryStatus::Deceased)
    } else if has(&["PINDAH", "PINDAHAN", "KELUAR", "MOVED", "P"]) {
        Some(RegistryStatus::Moved)
    } else if has(&["HIDUP", "AKTIF", "ADA", "ALIVE", "LIVING", "H"]) {
        Some(RegistryStatus::Alive)
    } else {
        None
    }
}

/// A registry extract: the person fields mapped for the link, and the status per row.
#[derive(Debug, Clone)]
pub struct Registry {
    /// NIK, name, birth date and sex as text; the id is the configured column, else the row
    /// number (UInt64, from 1).
    pub records: RawRecords,
    /// Status per row (`None` when missing or unreadable).
    pub status: Vec<Option<RegistryStatus>>,
    /// Status date per row.
    pub status_date: Vec<Option<Date>>,
    /// Problems found while reading (rows numbered from 1); the link adds the NIK and date
    /// checks.
    pub diagnostics: Vec<Diagnostic>,
}

/// A mapping whose only column is the id; every other field maps to no column.
fn id_only_mapping(id: &str) -> ColumnMapping {
    let none = "\u{0}padan:none".to_string();
    ColumnMapping {
        id: id.to_string(),
        nik: none.clone(),
        kk: none.clone(),
        name: none.clone(),
        sex: none.clone(),
        birth_place: none.clone(),
        birth_date: none.clone(),
        relation: none.clone(),
        address: none.clone(),
        rt: none.clone(),
        rw: none.clone(),
        village: none.clone(),
        district: none.clone(),
        regency: none.clone(),
        province: none.clone(),
        programs: none.clone(),
        mother_name: none,
    }
}

impl Registry {
    /// Read a registry extract (CSV / Parquet / Arrow IPC).
    pub fn from_path(path: &Path, config: &RegistryConfig) -> Result<Self> {
        let (schema, batches, diagnostics) = input::read_batches(path)?;
        let mut registry = Self::from_batches(&schema, &batches, config)?;
        registry.diagnostics.extend(diagnostics);
        registry.diagnostics.sort_by_key(|d| d.row);
        Ok(registry)
    }

    /// Map record batches of a registry extract.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// use padan::registry::{Registry, RegistryStatus};
    /// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("nik", col(vec!["3273015208850002", "3578036505900017"])),
    ///     ("status", col(vec!["Meninggal Dunia", "hidup?"])),
    ///     ("tanggal_status", col(vec!["2024-02-01", "kemarin"])),
    /// ]).unwrap();
    /// let registry = Registry::from_batches(&batch.schema(), &[batch], &Default::default())?;
    /// assert_eq!(registry.status, [Some(RegistryStatus::Deceased), Some(RegistryStatus::Alive)]);
    /// assert_eq!(registry.status_date[0].unwrap().to_string(), "2024-02-01");
    /// let codes: Vec<_> = registry.diagnostics.iter().map(|d| (d.row, d.code.as_str())).collect();
    /// assert_eq!(codes, [(2, "status_date_invalid")]);
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn from_batches(
        schema: &SchemaRef,
        batches: &[RecordBatch],
        config: &RegistryConfig,
    ) -> Result<Self> {
        let columns = &config.columns;
        let available = || schema.fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>();
        if schema.index_of(&columns.status).is_err() {
            return Err(Error::ColumnNotFound {
                column: columns.status.clone(),
                field: "registry.status".into(),
                available: available(),
            });
        }
        if schema.index_of(&columns.nik).is_err() && schema.index_of(&columns.name).is_err() {
            return Err(Error::ColumnNotFound {
                column: format!("{}` or `{}", columns.nik, columns.name),
                field: "registry.nik / registry.name".into(),
                available: available(),
            });
        }
        // The id is the configured column, else the status column stands in and is replaced by
        // row numbers below.
        let id_column = if columns.id.is_empty() { columns.status.as_str() } else { columns.id.as_str() };
        let mut mapping = id_only_mapping(id_column);
        mapping.nik = columns.nik.clone();
        mapping.name = columns.name.clone();
        mapping.birth_date = columns.birth_date.clone();
        mapping.sex = columns.sex.clone();
        // The status and its date ride in two unused fields of the mapping.
        mapping.relation = columns.status.clone();
        mapping.rt = columns.status_date.clone();
        let mut records = input::map_batches(schema, batches, &mapping)?;
        if columns.id.is_empty() {
            records.id = Arc::new(UInt64Array::from_iter_values(1..=records.len as u64));
        }
        let status_text = records.fields[Field::Relation.index()].take();
        let date_text = records.fields[Field::Rt.index()].take();
        let cell = |column: &Option<StringArray>, row: usize| -> Option<String> {
            let column = column.as_ref()?;
            (!column.is_null(row)).then(|| column.value(row).trim().to_string()).filter(|t| !t.is_empty())
        };
        let mut diagnostics = Vec::new();
        let mut status = Vec::with_capacity(records.len);
        let mut status_date = Vec::with_capacity(records.len);
        for row in 0..records.len {
            let row_number = row as u64 + 1;
            let text = cell(&status_text, row);
            let parsed = text.as_deref().and_then(parse_status);
            match (&text, parsed) {
                (None, _) => diagnostics.push(Diagnostic::new(
                    row_number,
                    "status",
                    "status_missing",
                    "no registry status: the row can be matched but raises no DECEASED or MOVED",
                )),
                (Some(t), None) => diagnostics.push(Diagnostic::new(
                    row_number,
                    "status",
                    "status_invalid",
                    format!("cannot read a status (HIDUP / MENINGGAL / PINDAH) from `{}`", shown(t)),
                )),
                _ => {}
            }
            status.push(parsed);
            let date = cell(&date_text, row);
            let parsed_date = date.as_deref().and_then(normalize::parse_date);
            if let (Some(t), None) = (&date, parsed_date) {
                diagnostics.push(Diagnostic::new(
                    row_number,
                    "status_date",
                    "status_date_invalid",
                    format!("cannot read a calendar date from `{}`", shown(t)),
                ));
            }
            status_date.push(parsed_date);
        }
        Ok(Self { records, status, status_date, diagnostics })
    }
}

/// The start of a cell for a message (never a whole long value).
fn shown(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Counts of the registry link: the `registry` block of `summary.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RegistrySummary {
    /// Rows in the registry extract.
    pub rows_read: u64,
    /// Registry rows with at least one diagnostic (they stay in the link and every count).
    pub rows_with_problems: u64,
    /// All diagnostics on registry rows.
    pub diagnostics_total: u64,
    /// Diagnostics per code.
    pub diagnostics_by_code: BTreeMap<String, u64>,
    /// The first diagnostics, in row order (NIKs masked).
    pub diagnostics: Vec<Diagnostic>,
    /// Registry rows per status (`HIDUP`, `MENINGGAL`, `PINDAH`, `unknown`).
    pub rows_by_status: BTreeMap<String, u64>,
    /// The probability from which a best match is confident.
    pub min_probability: f64,
    /// DTKS–registry pairs scored.
    pub pairs_scored: u64,
    /// DTKS rows with a confident registry match.
    pub dtks_rows_matched: u64,
    /// DTKS rows without one (`NOT_FOUND`).
    pub dtks_rows_not_found: u64,
    /// DTKS rows whose match is deceased (`DECEASED`).
    pub dtks_rows_deceased: u64,
    /// DTKS rows whose match moved away (`MOVED`).
    pub dtks_rows_moved: u64,
    /// The link model's prior (share of DTKS × registry record pairs that match).
    pub model_prior: f64,
}

/// A DTKS row's confident registry match.
#[derive(Debug, Clone, PartialEq)]
pub struct Confident {
    /// The registry row (0-based).
    pub registry_row: u32,
    /// The pair's match probability.
    pub match_probability: f64,
    /// The registry rule that linked it when the probability alone did not reach
    /// `registry.min_probability`.
    pub rule: Option<String>,
}

/// A DTKS extract linked to a registry: the link, the registry's statuses and the confident
/// match per DTKS row.
#[derive(Debug, Clone)]
pub struct RegistryLinks {
    /// The link (left = DTKS, right = registry).
    pub link: LinkResult,
    /// Status per registry row.
    pub status: Vec<Option<RegistryStatus>>,
    /// Status date per registry row.
    pub status_date: Vec<Option<Date>>,
    /// Per DTKS row, its confident registry match.
    pub confident: Vec<Option<Confident>>,
    /// Registry diagnostics (reading, status and the link's NIK / date checks), by row.
    pub diagnostics: Vec<Diagnostic>,
    /// The counts.
    pub summary: RegistrySummary,
}

impl Deduper {
    /// Link DTKS records to a registry extract (no deduplication, no flags): each DTKS row's
    /// confident registry match and the counts. The link's model is always estimated from the
    /// two tables (a fixed model of [`Deduper::with_model`] scores DTKS pairs only).
    pub fn link_registry(&self, dtks: &RawRecords, registry: Registry) -> Result<RegistryLinks> {
        parallel::pool(self.config().threads)?.install(|| self.link_registry_in_pool(dtks, registry))
    }

    fn link_registry_in_pool(&self, dtks: &RawRecords, registry: Registry) -> Result<RegistryLinks> {
        let config = self.config();
        let min_probability = config.registry.min_probability.unwrap_or(config.match_threshold);
        let Registry { records, status, status_date, diagnostics: read_diagnostics } = registry;
        // The link estimates its own model even when this deduper scores with a fixed one: a
        // dedupe model's prior is the share of DTKS × DTKS pairs that match, not DTKS × registry.
        let link = Deduper::new(config.clone())?.link_in_pool(dtks, &records)?;
        drop(records);
        // Per DTKS row, the one registry row a rule links it to (None also when several).
        let rules = config.registry.rules_in_force(config.indonesian_rules);
        let met = crate::rules::first_rule_met(
            &rules,
            RuleMode::Link,
            &link.comparisons,
            &link.prepared,
            &link.pairs,
            &link.levels,
        );
        let mut by_rule: Vec<Option<(u32, u32, u8)>> = vec![None; link.left_len];
        let mut ambiguous = vec![false; link.left_len];
        for (k, rule) in met.iter().enumerate() {
            let Some(rule) = rule else { continue };
            let (i, j) = (link.pairs.left[k] as usize, link.pairs.right[k] - link.left_len as u32);
            match by_rule[i] {
                None if !ambiguous[i] => by_rule[i] = Some((j, k as u32, *rule)),
                Some((other, _, _)) if other != j => {
                    by_rule[i] = None;
                    ambiguous[i] = true;
                }
                _ => {}
            }
        }
        // A nickname counts like any other level here: with the same NIK and birth date it is the
        // person, and the registry is no place to merge two DTKS rows.
        let confident: Vec<Option<Confident>> = link
            .best
            .iter()
            .zip(&by_rule)
            .map(|(best, rule)| match (best, rule) {
                (Some(b), _) if b.match_probability >= min_probability => Some(Confident {
                    registry_row: b.right_row,
                    match_probability: b.match_probability,
                    rule: None,
                }),
                (_, Some((right, pair, rule))) => Some(Confident {
                    registry_row: *right,
                    match_probability: link.scores.match_probability[*pair as usize],
                    rule: rules.get(*rule as usize).map(|r| r.name.clone()),
                }),
                _ => None,
            })
            .collect();
        let mut diagnostics = read_diagnostics;
        diagnostics.extend(link.right_diagnostics.iter().cloned());
        diagnostics.sort_by_key(|d| d.row);
        let mut by_code = BTreeMap::new();
        for d in &diagnostics {
            *by_code.entry(d.code.clone()).or_insert(0u64) += 1;
        }
        let mut problem_rows: Vec<u64> = diagnostics.iter().map(|d| d.row).collect();
        problem_rows.dedup();
        let mut rows_by_status: BTreeMap<String, u64> =
            ["HIDUP", "MENINGGAL", "PINDAH", "unknown"].iter().map(|s| (s.to_string(), 0)).collect();
        for s in &status {
            *rows_by_status.entry(s.map_or("unknown", |s| s.as_str()).to_string()).or_default() += 1;
        }
        let of_status = |wanted: RegistryStatus| {
            confident.iter().flatten().filter(|c| status[c.registry_row as usize] == Some(wanted)).count()
                as u64
        };
        let matched = confident.iter().flatten().count() as u64;
        let summary = RegistrySummary {
            rows_read: status.len() as u64,
            rows_with_problems: problem_rows.len() as u64,
            diagnostics_total: diagnostics.len() as u64,
            diagnostics_by_code: by_code,
            diagnostics: diagnostics.iter().take(SUMMARY_DIAGNOSTICS).cloned().collect(),
            rows_by_status,
            min_probability,
            pairs_scored: link.pairs.len() as u64,
            dtks_rows_matched: matched,
            dtks_rows_not_found: link.left_len as u64 - matched,
            dtks_rows_deceased: of_status(RegistryStatus::Deceased),
            dtks_rows_moved: of_status(RegistryStatus::Moved),
            model_prior: link.model.prior,
        };
        Ok(RegistryLinks { link, status, status_date, confident, diagnostics, summary })
    }

    /// Deduplicate DTKS records and check them against a registry extract: the run of
    /// [`Deduper::run`] plus the `DECEASED`, `MOVED` and `NOT_FOUND` flags, with
    /// [`DedupeResult::registry`] and the `registry` block of the summary filled in.
    ///
    /// The registry's findings are flags: a clusters-only configuration
    /// ([`crate::Config::clusters_only`]) is refused with [`Error::InvalidConfig`].
    pub fn run_with_registry(&self, raw: RawRecords, registry: Registry) -> Result<DedupeResult> {
        self.refuse_clusters_only()?;
        parallel::pool(self.config().threads)?.install(|| self.run_with_registry_in_pool(raw, registry))
    }

    /// [`Deduper::run_with_registry`] on a DTKS file and a registry file.
    pub fn run_path_with_registry(&self, input: &Path, registry: &Path) -> Result<DedupeResult> {
        self.refuse_clusters_only()?;
        parallel::pool(self.config().threads)?.install(|| {
            let started = std::time::Instant::now();
            let raw = input::read_path(input, &self.config().columns)?;
            let registry = Registry::from_path(registry, &self.config().registry)?;
            // Both files are read before the pipeline starts: one `read` stage, as without a
            // registry, so the time line adds up.
            let read = started.elapsed();
            let mut result = self.run_with_registry_in_pool(raw, registry)?;
            result.timings.insert(0, ("read", read));
            Ok(result)
        })
    }

    /// [`Deduper::run_with_registry`] on Arrow record batches.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// use padan::registry::Registry;
    /// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let dtks = RecordBatch::try_from_iter([
    ///     ("id_dtks", col(vec!["d1", "d2", "d3"])),
    ///     ("nik", col(vec!["3273015208850002", "3578036505900017", "3374011403620003"])),
    ///     ("nama", col(vec!["Dewi Lestari", "Ratna Sari", "Sukarno Hadi"])),
    ///     ("tanggal_lahir", col(vec!["1985-08-12", "1990-05-25", "1962-03-14"])),
    /// ]).unwrap();
    /// let extract = RecordBatch::try_from_iter([
    ///     ("nik", col(vec!["3273015208850002", "3578036505900017"])),
    ///     ("nama", col(vec!["DEWI LESTARI", "RATNA SARI"])),
    ///     ("tanggal_lahir", col(vec!["1985-08-12", "1990-05-25"])),
    ///     ("status", col(vec!["MENINGGAL", "HIDUP"])),
    ///     ("tanggal_status", col(vec!["2024-11-02", ""])),
    /// ]).unwrap();
    /// let deduper = padan::Deduper::new(padan::Config::default())?;
    /// let registry = Registry::from_batches(&extract.schema(), &[extract], &deduper.config().registry)?;
    /// let result = deduper.run_batches_with_registry(&dtks.schema(), &[dtks], registry)?;
    /// let stale: Vec<_> = result.flags()?.flags.iter()
    ///     .filter(|f| matches!(f.code.as_str(), "DECEASED" | "MOVED" | "NOT_FOUND"))
    ///     .map(|f| (f.row, f.code.as_str()))
    ///     .collect();
    /// assert_eq!(stale, [(0, "DECEASED"), (2, "NOT_FOUND")]);
    /// assert_eq!(result.registry_links_table()?.num_rows(), 3);
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn run_batches_with_registry(
        &self,
        schema: &SchemaRef,
        batches: &[RecordBatch],
        registry: Registry,
    ) -> Result<DedupeResult> {
        self.run_with_registry(input::map_batches(schema, batches, &self.config().columns)?, registry)
    }

    /// A registry run adds flags, which a clusters-only run does not compute: refuse before
    /// any work is done.
    fn refuse_clusters_only(&self) -> Result<()> {
        if self.config().clusters_only {
            return Err(Error::InvalidConfig(vec![ConfigIssue::new(
                "clusters_only",
                "a run against a reference registry adds the DECEASED, MOVED and NOT_FOUND flags, \
                 which a clusters-only run skips: drop `clusters_only` (or `--clusters-only`) or the registry",
            )]));
        }
        Ok(())
    }

    fn run_with_registry_in_pool(&self, raw: RawRecords, registry: Registry) -> Result<DedupeResult> {
        // The columns are reference-counted: the copy for the link costs no data.
        let mut result = self.run_in_pool(raw.clone())?;
        let started = std::time::Instant::now();
        let links = self.link_registry_in_pool(&raw, registry)?;
        drop(raw);
        // `refuse_clusters_only` ran first, so the run computed its flags.
        let flags = result.flags.as_mut().ok_or(Error::LayerSkipped { layer: "flags".into() })?;
        let reference = normalize::parse_date(&flags.summary.reference_date)
            .ok_or_else(|| Error::Internal("the flags' reference date does not parse".into()))?;
        flags.add(stale_flags(&links, reference));
        result.summary.flags = Some(flags.summary.clone());
        result.summary.registry = Some(links.summary.clone());
        result.registry = Some(links);
        result.timings.push(("registry", started.elapsed()));
        Ok(result)
    }
}

fn probability_text(p: f64, indonesian: bool) -> String {
    let text = format!("{p:.3}");
    if indonesian { text.replace('.', ",") } else { text }
}

fn masked(digits: &crate::prepare::IdDigits) -> String {
    crate::indo::nik::mask_id(std::str::from_utf8(digits).unwrap_or(""))
}

/// The `DECEASED`, `MOVED` and `NOT_FOUND` flags of every DTKS row of a registry link.
/// `reference` is the flags' reference date (normally the extract date).
pub fn stale_flags(links: &RegistryLinks, reference: Date) -> Vec<FlagDraft> {
    let link = &links.link;
    let prepared = &link.prepared;
    let mut drafts = Vec::new();
    for (row, confident) in links.confident.iter().enumerate() {
        let r = row as u32;
        let Some(Confident { registry_row, match_probability: p, rule }) = confident.clone() else {
            let (confidence, why_id, why_en) = match link.best[row] {
                Some(b) => (
                    1.0 - b.match_probability,
                    format!(
                        "kandidat terbaik baris registri {} dengan peluang cocok {}",
                        b.right_row + 1,
                        probability_text(b.match_probability, true)
                    ),
                    format!(
                        "the best candidate, registry row {}, has match probability {}",
                        b.right_row + 1,
                        probability_text(b.match_probability, false)
                    ),
                ),
                None => (
                    1.0,
                    "tidak ada kandidat sama sekali".to_string(),
                    "there is no candidate at all".to_string(),
                ),
            };
            let threshold = links.summary.min_probability;
            drafts.push(FlagDraft {
                row: r,
                code: FlagCode::NotFound,
                confidence,
                related_rows: Vec::new(),
                evidence_id: format!(
                    "tidak ditemukan di data kependudukan (peluang cocok ≥ {}): {why_id}",
                    probability_text(threshold, true)
                ),
                evidence_en: format!(
                    "not found in the civil registry (match probability ≥ {}): {why_en}",
                    probability_text(threshold, false)
                ),
            });
            continue;
        };
        let reg = registry_row as usize;
        let (code, word_id, word_en) = match links.status[reg] {
            Some(RegistryStatus::Deceased) => (FlagCode::Deceased, "MENINGGAL", "deceased"),
            Some(RegistryStatus::Moved) => (FlagCode::Moved, "PINDAH", "moved away"),
            _ => continue,
        };
        let combined = link.left_len + reg;
        let registry_nik = prepared.nik[combined].as_ref().map(masked);
        let dtks_nik = prepared.nik[row].as_ref().map(masked);
        let mut confidence = p;
        let mut notes_id = Vec::new();
        let mut notes_en = Vec::new();
        match links.status_date[reg] {
            Some(date) if date > reference => {
                notes_id.push(format!(
                    "setelah tanggal acuan {reference}: data benar saat itu, kini sudah usang"
                ));
                notes_en.push(format!("after the reference date {reference}: right then, stale now"));
            }
            Some(_) => {
                notes_id.push(format!("sebelum tanggal acuan {reference}: sudah usang saat data diambil"));
                notes_en.push(format!(
                    "before the reference date {reference}: already stale when the extract was taken"
                ));
            }
            None => {
                notes_id.push("tanggal status tidak tercatat".into());
                notes_en.push("the status date is not recorded".into());
            }
        }
        if let (Some(date), Some(born)) = (links.status_date[reg], prepared.birth_date[row])
            && date < born
        {
            confidence *= 0.5;
            notes_id.push(format!("tanggal status sebelum tanggal lahir {born}: periksa kecocokannya"));
            notes_en.push(format!("the status date precedes the birth date {born}: check the match"));
        }
        if let Some(rule) = &rule {
            notes_id.push(format!("dicocokkan oleh aturan {rule}"));
            notes_en.push(format!("matched by the rule {rule}"));
        }
        if registry_nik != dtks_nik {
            let shown = |nik: &Option<String>, none: &str| nik.clone().unwrap_or_else(|| none.to_string());
            notes_id.push(format!(
                "NIK di DTKS {} berbeda: dicocokkan lewat nama dan tanggal lahir",
                shown(&dtks_nik, "kosong")
            ));
            notes_en.push(format!(
                "the DTKS NIK {} differs: matched through the name and birth date",
                shown(&dtks_nik, "is blank and")
            ));
        }
        let date_text = links.status_date[reg].map_or_else(|| "?".to_string(), |d| d.to_string());
        let nik_text = registry_nik.unwrap_or_else(|| "-".into());
        drafts.push(FlagDraft {
            row: r,
            code,
            confidence,
            related_rows: Vec::new(),
            evidence_id: format!(
                "tercatat {word_id} di data kependudukan pada {date_text} (baris registri {}, NIK {nik_text}, peluang \
                 cocok {}); {}",
                reg + 1,
                probability_text(p, true),
                notes_id.join("; ")
            ),
            evidence_en: format!(
                "the civil registry records the person as {word_en} on {date_text} (registry row {}, NIK {nik_text}, \
                 match probability {}); {}",
                reg + 1,
                probability_text(p, false),
                notes_en.join("; ")
            ),
        });
    }
    drafts
}

impl RegistryLinks {
    /// One row per DTKS row: `id` (the DTKS id type), `row` (1-based), `registry_row`
    /// (1-based, null without a confident match), `registry_id` (as text), `registry_nik` (in
    /// full: a data output), `match_probability` (of the best candidate, null without one),
    /// `confident` (whether it reaches `registry.min_probability`), `status` (`HIDUP`,
    /// `MENINGGAL`, `PINDAH`; null without a confident match or a readable status),
    /// `status_date` (ISO).
    pub fn table(&self) -> Result<RecordBatch> {
        let link = &self.link;
        let registry_ids = crate::explain::id_texts(&link.right_id)?;
        let mut registry_row = UInt64Builder::new();
        let mut registry_id = StringBuilder::new();
        let mut registry_nik = StringBuilder::new();
        let mut probability = Float64Builder::new();
        let mut confident = BooleanBuilder::new();
        let mut status = StringBuilder::new();
        let mut status_date = StringBuilder::new();
        for (row, best) in link.best.iter().enumerate() {
            probability.append_option(best.map(|b| b.match_probability));
            match &self.confident[row] {
                Some(c) => {
                    let reg = c.registry_row as usize;
                    registry_row.append_value(reg as u64 + 1);
                    registry_id.append_option((!registry_ids.is_null(reg)).then(|| registry_ids.value(reg)));
                    registry_nik.append_option(
                        link.prepared.nik[link.left_len + reg]
                            .map(|d| String::from_utf8_lossy(&d).into_owned()),
                    );
                    confident.append_value(true);
                    status.append_option(self.status[reg].map(RegistryStatus::as_str));
                    status_date.append_option(self.status_date[reg].map(|d| d.to_string()));
                }
                None => {
                    registry_row.append_null();
                    registry_id.append_null();
                    registry_nik.append_null();
                    confident.append_value(false);
                    status.append_null();
                    status_date.append_null();
                }
            }
        }
        Ok(RecordBatch::try_from_iter([
            ("id", link.left_id.clone()),
            ("row", Arc::new(UInt64Array::from_iter_values(1..=link.left_len as u64)) as ArrayRef),
            ("registry_row", Arc::new(registry_row.finish()) as ArrayRef),
            ("registry_id", Arc::new(registry_id.finish()) as ArrayRef),
            ("registry_nik", Arc::new(registry_nik.finish()) as ArrayRef),
            ("match_probability", Arc::new(probability.finish()) as ArrayRef),
            ("confident", Arc::new(confident.finish()) as ArrayRef),
            ("status", Arc::new(status.finish()) as ArrayRef),
            ("status_date", Arc::new(status_date.finish()) as ArrayRef),
        ])?)
    }
}

impl DedupeResult {
    /// The registry link per DTKS row (see [`RegistryLinks::table`]); an error when the run had
    /// no registry. `padan dedupe --registry` writes it as `registry_links.parquet`.
    pub fn registry_links_table(&self) -> Result<RecordBatch> {
        match &self.registry {
            Some(links) => links.table(),
            None => Err(Error::Internal("this run had no registry".into())),
        }
    }
}

/// Precision and recall of the `DECEASED`, `MOVED` and `NOT_FOUND` flags against the stale
/// truth of [`synth::generate_registry`] (or any table with an id column and a
/// `registry_status` column: `MENINGGAL` expects `DECEASED`, `PINDAH` `MOVED`,
/// `NOT_IN_REGISTRY` `NOT_FOUND`, `HIDUP` none of them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleEvaluation {
    /// Scores per code (`DECEASED`, `MOVED`, `NOT_FOUND`): true positives = rows flagged with
    /// the code whose truth expects it; predicted = rows flagged with it; true = rows whose
    /// truth expects it.
    pub by_code: BTreeMap<String, crate::evaluate::PairwiseScores>,
    /// Rows in the truth.
    pub truth_rows: u64,
    /// Flagged ids absent from the truth (counted as false positives).
    pub flagged_ids_not_in_truth: u64,
}

/// Score the stale flags of a flags table (`id`, `code`, as `padan dedupe` writes it) against a
/// stale truth table.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// let flags = RecordBatch::try_from_iter([
///     ("id", col(vec!["a", "b", "c"])),
///     ("code", col(vec!["DECEASED", "DECEASED", "NOT_FOUND"])),
/// ]).unwrap();
/// let truth = RecordBatch::try_from_iter([
///     ("id_dtks", col(vec!["a", "b", "c", "d"])),
///     ("registry_status", col(vec!["MENINGGAL", "HIDUP", "NOT_IN_REGISTRY", "PINDAH"])),
/// ]).unwrap();
/// let e = padan::registry::evaluate_stale(&flags, &truth, "id_dtks")?;
/// assert_eq!((e.by_code["DECEASED"].precision, e.by_code["DECEASED"].recall), (0.5, 1.0));
/// assert_eq!(e.by_code["MOVED"].recall, 0.0);
/// assert_eq!(e.by_code["NOT_FOUND"].f1, 1.0);
/// # Ok::<(), padan::Error>(())
/// ```
pub fn evaluate_stale(flags: &RecordBatch, truth: &RecordBatch, id_column: &str) -> Result<StaleEvaluation> {
    let column = |batch: &RecordBatch, name: &str, what: &str| -> Result<StringArray> {
        let array = batch.column_by_name(name).ok_or_else(|| Error::ColumnNotFound {
            column: name.to_string(),
            field: what.to_string(),
            available: batch.schema().fields().iter().map(|f| f.name().clone()).collect(),
        })?;
        crate::explain::id_texts(array)
    };
    let truth_ids = column(truth, id_column, "id")?;
    let truth_status = column(truth, "registry_status", "registry_status")?;
    let flag_ids = column(flags, "id", "id")?;
    let flag_codes = column(flags, "code", "code")?;
    let expected_code = |status: &str| match status {
        "MENINGGAL" => Some("DECEASED"),
        "PINDAH" => Some("MOVED"),
        "NOT_IN_REGISTRY" => Some("NOT_FOUND"),
        _ => None,
    };
    let mut expected: rustc_hash::FxHashMap<&str, Option<&str>> = rustc_hash::FxHashMap::default();
    for row in 0..truth.num_rows() {
        if truth_ids.is_null(row) {
            continue;
        }
        let status = if truth_status.is_null(row) { "" } else { truth_status.value(row) };
        expected.insert(truth_ids.value(row), expected_code(status));
    }
    let codes = ["DECEASED", "MOVED", "NOT_FOUND"];
    let mut counts: BTreeMap<&str, (u64, u64, u64)> = codes.iter().map(|c| (*c, (0, 0, 0))).collect();
    for code in expected.values().flatten() {
        counts.entry(code).or_default().2 += 1;
    }
    let mut flagged: std::collections::BTreeSet<(&str, &str)> = std::collections::BTreeSet::new();
    for row in 0..flags.num_rows() {
        if flag_ids.is_null(row) || flag_codes.is_null(row) {
            continue;
        }
        let code = flag_codes.value(row);
        if codes.contains(&code) {
            flagged.insert((flag_ids.value(row), code));
        }
    }
    let mut not_in_truth = 0;
    for (id, code) in &flagged {
        let entry = counts.entry(code).or_default();
        entry.1 += 1;
        match expected.get(id) {
            Some(Some(wanted)) if wanted == code => entry.0 += 1,
            Some(_) => {}
            None => not_in_truth += 1,
        }
    }
    Ok(StaleEvaluation {
        by_code: counts
            .into_iter()
            .map(|(code, (tp, predicted, true_rows))| {
                (code.to_string(), crate::evaluate::PairwiseScores::from_counts(tp, predicted, true_rows))
            })
            .collect(),
        truth_rows: truth.num_rows() as u64,
        flagged_ids_not_in_truth: not_in_truth,
    })
}
