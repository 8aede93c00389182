//! Link mode: records of one dataset (left, e.g. DTKS) matched against another (right, e.g. a
//! civil-registry extract), cross-dataset pairs only.
//!
//! Both datasets are prepared together as one table (left rows first, then right rows, so the
//! normalisers, interned names and place ids are shared), blocked with the configured rules
//! keeping only left–right pairs ([`block::block_between`]), and compared with the person
//! comparisons of a dedupe run. A field one side lacks (a registry has no address, KK or
//! mother's name) is simply null there: level 0, weight 0.
//!
//! Training works as in a dedupe: u from random left×right pairs
//! ([`Model::estimate_u_between`]), m by EM per blocking rule over the cross pairs, the prior
//! by EM over the left×right record pairs; a fixed model ([`Deduper::with_model`]) is used as
//! it is. Labels ([`Deduper::with_labels`]) are not used in link mode.
//!
//! Each left row gets its best right match: the highest match probability, ties to the lowest
//! right row, so the result is the same whatever the thread count.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::builder::{Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, UInt32Array, UInt64Array};
use arrow_schema::{DataType, SchemaRef};
use serde::Serialize;

use crate::block::{self, CandidatePairs, RuleStats};
use crate::compare::Comparisons;
use crate::config::{Config, Field};
use crate::error::{Error, Result};
use crate::input::{self, Diagnostic, RawRecords};
use crate::model::{self, Model, Scores};
use crate::parallel;
use crate::pipeline::{Decision, Deduper, rule_and_level_columns, score_columns};
use crate::prepare::{self, Prepared};
use crate::tf::TermFrequencies;

/// The best right-hand match of one left row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BestMatch {
    /// The right row (0-based in the right dataset).
    pub right_row: u32,
    /// The candidate pair (index into [`LinkResult::pairs`]).
    pub pair: u32,
    /// Its match probability.
    pub match_probability: f64,
    /// Its decision under the thresholds.
    pub decision: Decision,
}

/// Counts that describe a link run (deterministic for the same inputs and configuration).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkSummary {
    /// padan version.
    pub padan_version: String,
    /// Rows in the left dataset.
    pub left_rows: u64,
    /// Rows in the right dataset.
    pub right_rows: u64,
    /// Diagnostics on left rows.
    pub left_diagnostics: u64,
    /// Diagnostics on right rows.
    pub right_diagnostics: u64,
    /// Left–right pairs per blocking rule.
    pub blocking: Vec<RuleStats>,
    /// Left–right pairs scored.
    pub pairs_scored: u64,
    /// Left rows with at least one candidate.
    pub left_rows_with_candidates: u64,
    /// Left rows whose best match is decided `match`.
    pub left_rows_matched: u64,
    /// Distinct right rows that are some left row's best `match`.
    pub right_rows_matched: u64,
    /// The match threshold (probability).
    pub match_threshold: f64,
    /// The model's prior: the share of left×right record pairs that match.
    pub model_prior: f64,
    /// Training details.
    pub training: model::TrainingReport,
}

/// Everything a link run produced.
#[derive(Debug, Clone)]
pub struct LinkResult {
    /// Both datasets prepared together: rows `0..left_len` are the left dataset, the rest the
    /// right one (its `id` is the combined row index; the inputs' ids are `left_id` and
    /// `right_id`).
    pub prepared: Prepared,
    /// Rows in the left dataset.
    pub left_len: usize,
    /// The left dataset's id column.
    pub left_id: ArrayRef,
    /// The right dataset's id column.
    pub right_id: ArrayRef,
    /// Diagnostics on left rows (row numbers of the left dataset).
    pub left_diagnostics: Vec<Diagnostic>,
    /// Diagnostics on right rows (row numbers of the right dataset).
    pub right_diagnostics: Vec<Diagnostic>,
    /// Left–right candidate pairs in combined row indices (`left < left_len <= right`).
    pub pairs: CandidatePairs,
    /// Comparison levels, row-major (`levels[pair * comparisons.len() + c]`).
    pub levels: Vec<u8>,
    /// The comparisons used.
    pub comparisons: Comparisons,
    /// Match weight and probability per pair.
    pub scores: Scores,
    /// Decision per pair.
    pub decisions: Vec<Decision>,
    /// Term-frequency adjustments, when enabled.
    pub tf: Option<TermFrequencies>,
    /// The model that scored the pairs.
    pub model: Model,
    /// Per left row, its best right match (`None` when no pair was scored).
    pub best: Vec<Option<BestMatch>>,
    /// The summary.
    pub summary: LinkSummary,
    /// Wall time per stage.
    pub timings: Vec<(&'static str, Duration)>,
    config: Config,
}

/// One dataset's fields after another's, as one [`RawRecords`] whose id is the combined row
/// index; the right dataset's read diagnostics are renumbered after the left rows.
fn concat_raw(left: &RawRecords, right: &RawRecords) -> Result<RawRecords> {
    let len = left.len + right.len;
    let nulls = |n: usize| arrow_array::new_null_array(&DataType::Utf8, n);
    let mut fields = Vec::with_capacity(Field::ALL.len());
    for field in Field::ALL {
        let column = match (left.field(field), right.field(field)) {
            (None, None) => None,
            (l, r) => {
                let l: ArrayRef = l.map_or_else(|| nulls(left.len), |a| Arc::new(a.clone()) as ArrayRef);
                let r: ArrayRef = r.map_or_else(|| nulls(right.len), |a| Arc::new(a.clone()) as ArrayRef);
                let joined = arrow_select::concat::concat(&[l.as_ref(), r.as_ref()])?;
                Some(joined.as_any().downcast_ref::<StringArray>().cloned().ok_or_else(|| {
                    Error::Internal(format!("field {} did not concatenate to text", field.name()))
                })?)
            }
        };
        fields.push(column);
    }
    let mut diagnostics = left.diagnostics.clone();
    diagnostics
        .extend(right.diagnostics.iter().map(|d| Diagnostic { row: d.row + left.len as u64, ..d.clone() }));
    Ok(RawRecords { len, id: Arc::new(UInt64Array::from_iter_values(0..len as u64)), fields, diagnostics })
}

/// Map batches to logical fields; a dataset without the configured id column (a registry
/// extract often has none) gets row numbers (UInt64, from 1) as its id.
pub(crate) fn map_numbering_rows(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    mapping: &crate::config::ColumnMapping,
) -> Result<RawRecords> {
    let Some(first) = schema.fields().first().filter(|_| schema.index_of(&mapping.id).is_err()) else {
        return input::map_batches(schema, batches, mapping);
    };
    let mut raw = input::map_batches(
        schema,
        batches,
        &crate::config::ColumnMapping { id: first.name().clone(), ..mapping.clone() },
    )?;
    raw.id = Arc::new(UInt64Array::from_iter_values(1..=raw.len as u64));
    Ok(raw)
}

/// Read a file for a link (see [`map_numbering_rows`]).
fn read_numbering_rows(path: &Path, mapping: &crate::config::ColumnMapping) -> Result<RawRecords> {
    let (schema, batches, diagnostics) = input::read_batches(path)?;
    let mut raw = map_numbering_rows(&schema, &batches, mapping)?;
    raw.diagnostics = diagnostics;
    Ok(raw)
}

impl Deduper {
    /// Link two files (CSV / Parquet / Arrow IPC), both read with the configuration's column
    /// mapping: every left row against the right dataset, cross pairs only. A file without the
    /// id column is identified by row numbers (from 1).
    pub fn link_path(&self, left: &Path, right: &Path) -> Result<LinkResult> {
        parallel::pool(self.config().threads)?.install(|| {
            let left = read_numbering_rows(left, &self.config().columns)?;
            let right = read_numbering_rows(right, &self.config().columns)?;
            self.link_in_pool(&left, &right)
        })
    }

    /// Link two sets of Arrow record batches, both mapped with the configuration's columns; a
    /// side without the id column is identified by row numbers (from 1).
    pub fn link_batches(
        &self,
        left_schema: &SchemaRef,
        left: &[RecordBatch],
        right_schema: &SchemaRef,
        right: &[RecordBatch],
    ) -> Result<LinkResult> {
        let columns = &self.config().columns;
        self.link(
            map_numbering_rows(left_schema, left, columns)?,
            map_numbering_rows(right_schema, right, columns)?,
        )
    }

    /// Link records already mapped to logical fields: each left row against the right ones.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let table = |ids, niks, names, dates| RecordBatch::try_from_iter([
    ///     ("id_dtks", col(ids)), ("nik", col(niks)), ("nama", col(names)), ("tanggal_lahir", col(dates)),
    /// ]).unwrap();
    /// let dtks = table(
    ///     vec!["d1", "d2"],
    ///     vec!["3273015208850002", "3578036505900017"],
    ///     vec!["Dewi Lestari", "Ratna Sari"],
    ///     vec!["1985-08-12", "1990-05-25"],
    /// );
    /// let registry = table(
    ///     vec!["r1", "r2"],
    ///     vec!["3578036505900017", "3273015208850002"],
    ///     vec!["RATNA SARI", "DEWI LESTARI"],
    ///     vec!["25-05-1990", "12/08/1985"],
    /// );
    /// let deduper = padan::Deduper::new(padan::Config::default())?;
    /// let link = deduper.link_batches(&dtks.schema(), &[dtks.clone()], &registry.schema(), &[registry])?;
    /// // Only cross pairs are scored, and each DTKS row finds its registry row.
    /// let best: Vec<u32> = link.best.iter().map(|b| b.unwrap().right_row).collect();
    /// assert_eq!(best, [1, 0]);
    /// assert!(link.best[0].unwrap().match_probability > 0.9);
    /// assert_eq!(link.best_matches_table()?.num_rows(), 2);
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn link(&self, left: RawRecords, right: RawRecords) -> Result<LinkResult> {
        parallel::pool(self.config().threads)?.install(|| self.link_in_pool(&left, &right))
    }

    /// [`Deduper::link`] inside the caller's thread pool.
    pub(crate) fn link_in_pool(&self, left: &RawRecords, right: &RawRecords) -> Result<LinkResult> {
        let config = self.config();
        let mut timings = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
            timings.push((name, clock.elapsed()));
            clock = Instant::now();
        };
        let comparisons = self.comparisons();
        let left_len = left.len;
        let combined = concat_raw(left, right)?;
        let prepared = prepare::prepare(&combined, config.indonesian_rules);
        drop(combined);
        let (left_diagnostics, right_diagnostics): (Vec<Diagnostic>, Vec<Diagnostic>) =
            prepared.diagnostics.iter().cloned().partition(|d| d.row <= left_len as u64);
        let right_diagnostics: Vec<Diagnostic> =
            right_diagnostics.into_iter().map(|d| Diagnostic { row: d.row - left_len as u64, ..d }).collect();
        lap("prepare", &mut timings);
        let pairs = block::block_between(&prepared, &config.blocking, config.max_block_size, left_len);
        lap("block", &mut timings);
        let levels = comparisons.compare_all(&prepared, &pairs);
        lap("compare", &mut timings);
        let model = match self.model() {
            Some(model) => model.clone(),
            None => self.estimate_link_model(&comparisons, &prepared, left_len, &pairs, &levels),
        };
        lap("train", &mut timings);
        let tf = config
            .term_frequency_adjustments
            .then(|| TermFrequencies::compute_with(&prepared, config.name_term_frequency));
        let scores = model::score(&model, &comparisons, &levels, &pairs, tf.as_ref());
        let n = comparisons.len().max(1);
        let decisions: Vec<Decision> = scores
            .match_probability
            .iter()
            .zip(levels.chunks(n))
            .map(|(p, row)| {
                if *p >= config.match_threshold && !model.review_only(row) {
                    Decision::Match
                } else if *p >= config.review_threshold {
                    Decision::Review
                } else {
                    Decision::NonMatch
                }
            })
            .collect();
        let mut best: Vec<Option<BestMatch>> = vec![None; left_len];
        for (k, decision) in decisions.iter().enumerate() {
            let (i, j) = (pairs.left[k] as usize, pairs.right[k] as usize);
            let p = scores.match_probability[k];
            // Pairs are sorted by (left, right): a strict `>` keeps the lowest right row on ties.
            if best[i].is_none_or(|b| p > b.match_probability) {
                best[i] = Some(BestMatch {
                    right_row: (j - left_len) as u32,
                    pair: k as u32,
                    match_probability: p,
                    decision: *decision,
                });
            }
        }
        lap("score", &mut timings);
        let mut right_matched: Vec<u32> =
            best.iter().flatten().filter(|b| b.decision == Decision::Match).map(|b| b.right_row).collect();
        right_matched.sort_unstable();
        right_matched.dedup();
        let summary = LinkSummary {
            padan_version: env!("CARGO_PKG_VERSION").to_string(),
            left_rows: left_len as u64,
            right_rows: right.len as u64,
            left_diagnostics: left_diagnostics.len() as u64,
            right_diagnostics: right_diagnostics.len() as u64,
            blocking: pairs.rules.clone(),
            pairs_scored: pairs.len() as u64,
            left_rows_with_candidates: best.iter().flatten().count() as u64,
            left_rows_matched: best.iter().flatten().filter(|b| b.decision == Decision::Match).count() as u64,
            right_rows_matched: right_matched.len() as u64,
            match_threshold: config.match_threshold,
            model_prior: model.prior,
            training: model.training.clone(),
        };
        Ok(LinkResult {
            prepared,
            left_len,
            left_id: left.id.clone(),
            right_id: right.id.clone(),
            left_diagnostics,
            right_diagnostics,
            pairs,
            levels,
            comparisons,
            scores,
            decisions,
            tf,
            model,
            best,
            summary,
            timings,
            config: config.clone(),
        })
    }

    /// The link model: u from random left×right pairs, m by EM per blocking rule over the cross
    /// pairs, the prior by EM over all left×right record pairs (unless configured).
    fn estimate_link_model(
        &self,
        comparisons: &Comparisons,
        prepared: &Prepared,
        left_len: usize,
        pairs: &CandidatePairs,
        levels: &[u8],
    ) -> Model {
        let config = self.config();
        let right_len = prepared.len - left_len;
        let mut model = Model::with_default_m(comparisons, config.training.prior.unwrap_or(1e-6));
        model.fix_levels(&config.training.fixed);
        model.estimate_u_between(
            comparisons,
            prepared,
            left_len,
            config.training.u_sample_pairs,
            config.training.seed,
        );
        let sessions = model::EmSessionSpec::for_rules(&config.blocking, pairs, config.indonesian_rules);
        model.estimate_m(levels, comparisons, &sessions);
        if config.training.prior.is_none() {
            model.estimate_prior(levels, comparisons.len(), left_len as f64 * right_len as f64);
        }
        model
    }
}

impl LinkResult {
    /// The configuration of the run.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The scored pairs with match probability ≥ `pairs_min_probability` (and every pair
    /// decided otherwise than `non_match`): `id_l`, `id_r` (the inputs' id types), `row_l`,
    /// `row_r` (1-based in each dataset), `blocking_rule`, `gamma_<comparison>`,
    /// `match_weight`, `match_probability`, `decision`.
    pub fn pairs_table(&self) -> Result<RecordBatch> {
        let keep: Vec<usize> = (0..self.pairs.len())
            .filter(|k| {
                self.scores.match_probability[*k] >= self.config.pairs_min_probability
                    || self.decisions[*k] != Decision::NonMatch
            })
            .collect();
        let left_rows: Vec<u32> = keep.iter().map(|k| self.pairs.left[*k]).collect();
        let right_rows: Vec<u32> = keep.iter().map(|k| self.pairs.right[*k] - self.left_len as u32).collect();
        let mut columns: Vec<(String, ArrayRef)> = vec![
            (
                "id_l".into(),
                arrow_select::take::take(&self.left_id, &UInt32Array::from(left_rows.clone()), None)?,
            ),
            (
                "id_r".into(),
                arrow_select::take::take(&self.right_id, &UInt32Array::from(right_rows.clone()), None)?,
            ),
            (
                "row_l".into(),
                Arc::new(UInt64Array::from_iter_values(left_rows.iter().map(|r| u64::from(*r) + 1))),
            ),
            (
                "row_r".into(),
                Arc::new(UInt64Array::from_iter_values(right_rows.iter().map(|r| u64::from(*r) + 1))),
            ),
        ];
        columns.extend(rule_and_level_columns(
            &keep,
            &self.config,
            &self.pairs,
            &self.comparisons,
            &self.levels,
        ));
        columns.extend(score_columns(&keep, &self.scores, &self.decisions));
        Ok(RecordBatch::try_from_iter(columns)?)
    }

    /// One row per left row: `id` (the left id type), `row` (1-based), `match_row` (1-based
    /// right row of the best match, null when no pair was scored), `match_id` (the right id as
    /// text), `match_probability`, `decision` (`match`, `review`, `non_match`, null without a
    /// candidate).
    pub fn best_matches_table(&self) -> Result<RecordBatch> {
        let right_ids = crate::explain::id_texts(&self.right_id)?;
        let mut match_row = UInt64Builder::new();
        let mut match_id = StringBuilder::new();
        let mut probability = Float64Builder::new();
        let mut decision = StringBuilder::new();
        for best in &self.best {
            match best {
                Some(b) => {
                    let r = b.right_row as usize;
                    match_row.append_value(u64::from(b.right_row) + 1);
                    match_id.append_option((!right_ids.is_null(r)).then(|| right_ids.value(r)));
                    probability.append_value(b.match_probability);
                    decision.append_value(b.decision.as_str());
                }
                None => {
                    match_row.append_null();
                    match_id.append_null();
                    probability.append_null();
                    decision.append_null();
                }
            }
        }
        Ok(RecordBatch::try_from_iter([
            ("id", self.left_id.clone()),
            ("row", Arc::new(UInt64Array::from_iter_values(1..=self.left_len as u64)) as ArrayRef),
            ("match_row", Arc::new(match_row.finish()) as ArrayRef),
            ("match_id", Arc::new(match_id.finish()) as ArrayRef),
            ("match_probability", Arc::new(probability.finish()) as ArrayRef),
            ("decision", Arc::new(decision.finish()) as ArrayRef),
        ])?)
    }

    /// Diagnostics per code on the right dataset.
    pub fn right_diagnostics_by_code(&self) -> BTreeMap<String, u64> {
        let mut by_code = BTreeMap::new();
        for d in &self.right_diagnostics {
            *by_code.entry(d.code.clone()).or_insert(0u64) += 1;
        }
        by_code
    }

    /// The summary as pretty JSON.
    pub fn summary_json(&self) -> String {
        serde_json::to_string_pretty(&self.summary).unwrap_or_default()
    }
}
