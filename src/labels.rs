//! Labelled pairs: when a team has checked some pairs by hand, they train m and evaluate a run.
//!
//! A labels table has the columns `id_l`, `id_r` (record ids, read as text) and a label column,
//! `is_match` unless told otherwise. A label is a boolean, an integer `1` / `0`, or text:
//! `1`, `true`, `t`, `yes`, `y`, `m`, `match`, `cocok` for a match and `0`, `false`, `f`, `no`,
//! `n`, `u`, `non_match`, `nonmatch`, `non-match`, `tidak_cocok`, `tidak cocok` for a
//! non-match (any case). A missing or other label is an error naming its row. A pair listed
//! twice with the same label counts once; with both labels, it is an error.
//!
//! **Training** ([`train_m`], [`crate::Deduper::with_labels`]): m of every level is the share of
//! the labelled *matches* at that level, over those where the comparison is not null, smoothed by
//! one pseudo-match spread like the m the model had before (the defaults), so that a level no
//! labelled match shows keeps a small m instead of 0. Levels with a fixed m keep it. The levels of
//! a labelled pair are computed directly from its two records, so pairs that no blocking rule
//! brings together are used too. u stays estimated from random record pairs. The prior is
//! estimated as without labels (EM over the candidate pairs, now with the labelled m, or from
//! `prior` deterministic rules, or `training.prior`): labels are usually picked for review, not
//! drawn at random, so their share of matches says nothing about how many record pairs match.
//!
//! **Evaluation** ([`precision_recall`], [`crate::DedupeResult::evaluate_labels`],
//! [`evaluate_pairs_table`]): a labelled pair is predicted a match at threshold `t` when it was
//! scored with a match weight ≥ `t`; a pair the run did not score (never blocked together, or not
//! in a pairs file) is predicted a non-match at every threshold, so recall counts what blocking
//! missed. The curve has one point per distinct match weight of the labelled pairs, from the
//! highest down; [`PrCurve::at_precision`] picks the lowest threshold that meets a precision.

use std::path::Path;
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::DataType;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::compare::Comparisons;
use crate::error::{Error, Result};
use crate::explain::{id_texts, shown_id};
use crate::model::{Model, probability};
use crate::pipeline::DedupeResult;
use crate::prepare::Prepared;

/// The label column read when none is named.
pub const DEFAULT_LABEL_COLUMN: &str = "is_match";

/// Pseudo-matches spread over a comparison's levels by the model's prior m when m is trained
/// from labels.
pub const LABEL_PSEUDO_MATCHES: f64 = 1.0;

/// How many offending ids or rows an error message lists.
const SHOWN_IN_ERRORS: usize = 5;

/// A table of labelled pairs, ids as text, one entry per row of the table.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, BooleanArray, RecordBatch, StringArray};
/// let batch = RecordBatch::try_from_iter([
///     ("id_l", Arc::new(StringArray::from(vec!["a", "c"])) as ArrayRef),
///     ("id_r", Arc::new(StringArray::from(vec!["b", "d"])) as ArrayRef),
///     ("is_match", Arc::new(StringArray::from(vec!["M", "N"])) as ArrayRef),
/// ]).unwrap();
/// let labels = padan::labels::Labels::from_batch(&batch, "is_match")?;
/// assert_eq!(labels.is_match, [true, false]);
/// assert_eq!(labels.matches(), 1);
/// # Ok::<(), padan::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// Id of one record of each pair.
    pub id_l: Vec<String>,
    /// Id of the other record.
    pub id_r: Vec<String>,
    /// Whether the pair is the same person.
    pub is_match: Vec<bool>,
}

/// A label cell's meaning, if it has one.
fn parse_label(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "1.0" | "true" | "t" | "yes" | "y" | "m" | "match" | "cocok" => Some(true),
        "0" | "0.0" | "false" | "f" | "no" | "n" | "u" | "non_match" | "nonmatch" | "non-match"
        | "tidak_cocok" | "tidak cocok" => Some(false),
        _ => None,
    }
}

fn text_column(batch: &RecordBatch, name: &str) -> Result<StringArray> {
    let column = batch.column_by_name(name).ok_or_else(|| Error::ColumnNotFound {
        column: name.into(),
        field: "labels table".into(),
        available: batch.schema().fields().iter().map(|f| f.name().clone()).collect(),
    })?;
    let cast = arrow_cast::cast(column, &DataType::Utf8)?;
    cast.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| Error::Schema(format!("labels column `{name}` cannot be read as text")))
}

impl Labels {
    /// Read labels from a record batch with `id_l`, `id_r` and `label_column`.
    pub fn from_batch(batch: &RecordBatch, label_column: &str) -> Result<Self> {
        let (left, right) = (text_column(batch, "id_l")?, text_column(batch, "id_r")?);
        let label = text_column(batch, label_column)?;
        let booleans =
            batch.column_by_name(label_column).and_then(|c| c.as_any().downcast_ref::<BooleanArray>());
        let mut labels = Labels::default();
        let mut bad: Vec<String> = Vec::new();
        let mut bad_count = 0usize;
        for row in 0..batch.num_rows() {
            if left.is_null(row) || right.is_null(row) {
                bad_count += 1;
                if bad.len() < SHOWN_IN_ERRORS {
                    bad.push(format!("row {}: an id is missing", row + 1));
                }
                continue;
            }
            let value = match booleans {
                Some(b) if b.is_valid(row) => Some(b.value(row)),
                _ if label.is_null(row) => None,
                _ => parse_label(label.value(row)),
            };
            let Some(value) = value else {
                bad_count += 1;
                if bad.len() < SHOWN_IN_ERRORS {
                    let shown = if label.is_null(row) {
                        "null".to_string()
                    } else {
                        format!("`{}`", label.value(row))
                    };
                    bad.push(format!("row {}: label {shown} is neither a match nor a non-match", row + 1));
                }
                continue;
            };
            labels.id_l.push(left.value(row).to_string());
            labels.id_r.push(right.value(row).to_string());
            labels.is_match.push(value);
        }
        if bad_count > 0 {
            return Err(Error::InvalidLabels(format!(
                "{bad_count} row(s) cannot be used ({}); a label is true/false, 1/0, M/N, match/non_match",
                bad.join("; ")
            )));
        }
        Ok(labels)
    }

    /// Read labels from a CSV, Parquet or Arrow IPC file.
    pub fn from_path(path: &Path, label_column: &str) -> Result<Self> {
        let (schema, batches, _) = crate::input::read_batches(path)?;
        let batch = arrow_select::concat::concat_batches(&schema, &batches)?;
        Self::from_batch(&batch, label_column)
    }

    /// Number of labelled rows.
    pub fn len(&self) -> usize {
        self.is_match.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.is_match.is_empty()
    }

    /// Number of rows labelled a match.
    pub fn matches(&self) -> usize {
        self.is_match.iter().filter(|m| **m).count()
    }

    /// The distinct pairs, each as `(smaller key, larger key, is_match)` sorted, with `key` giving
    /// each id's key (`None`: the id is unknown, reported in the error).
    fn distinct<K: Ord + Copy>(&self, key: impl Fn(&str) -> Option<K>) -> Result<Vec<(K, K, bool)>> {
        let mut unknown: Vec<&str> = Vec::new();
        let mut pairs = Vec::with_capacity(self.len());
        for ((l, r), m) in self.id_l.iter().zip(&self.id_r).zip(&self.is_match) {
            match (key(l), key(r)) {
                (Some(a), Some(b)) if a == b => {
                    return Err(Error::InvalidLabels(format!(
                        "a pair labels record `{}` with itself",
                        shown_id(l)
                    )));
                }
                (Some(a), Some(b)) => pairs.push((a.min(b), a.max(b), *m)),
                (a, b) => {
                    unknown.extend(a.is_none().then_some(l.as_str()));
                    unknown.extend(b.is_none().then_some(r.as_str()));
                }
            }
        }
        if !unknown.is_empty() {
            unknown.sort_unstable();
            unknown.dedup();
            let shown: Vec<String> =
                unknown.iter().take(SHOWN_IN_ERRORS).map(|id| format!("`{}`", shown_id(id))).collect();
            return Err(Error::InvalidLabels(format!(
                "{} labelled id(s) are not in the input: {}{}",
                unknown.len(),
                shown.join(", "),
                if unknown.len() > SHOWN_IN_ERRORS { ", ..." } else { "" }
            )));
        }
        pairs.sort_unstable();
        pairs.dedup();
        if pairs.windows(2).any(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1)) {
            return Err(Error::InvalidLabels("a pair is labelled both a match and a non-match".to_string()));
        }
        Ok(pairs)
    }

    /// The labelled pairs as record indices of an input whose ids are `ids`: `(i, j, is_match)`
    /// with `i < j`, sorted, each pair once. An id the input does not have is an error naming it
    /// (a 16-digit id masked); a record id that occurs twice in the input is its first row.
    pub fn resolve(&self, ids: &ArrayRef) -> Result<Vec<(u32, u32, bool)>> {
        let texts = id_texts(ids)?;
        let mut row_of: FxHashMap<&str, u32> = FxHashMap::default();
        for row in (0..texts.len()).filter(|r| texts.is_valid(*r)) {
            row_of.entry(texts.value(row)).or_insert(row as u32);
        }
        self.distinct(|id| row_of.get(id).copied())
    }
}

/// What training m from labels used (in the model's training report).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LabelTraining {
    /// Distinct labelled pairs.
    pub pairs: u64,
    /// Of those, labelled matches: the pairs m is counted over.
    pub matches: u64,
    /// Labelled pairs that no blocking rule brought together; their levels were computed directly.
    pub not_blocked: u64,
    /// Pseudo-matches spread over each comparison's levels by the prior m.
    pub pseudo_matches: f64,
}

/// Set m of every level from the comparison levels of labelled matches, `levels` row-major with
/// one row per labelled match (`levels.len() / model.comparisons.len()` matches).
///
/// For each comparison, over the matches where it is not null: `m = (count + p · m₀ / Σm₀) /
/// (matches + p)` with `p` = [`LABEL_PSEUDO_MATCHES`] and `m₀` the m before (the defaults),
/// times the share that fixed-m levels leave. A comparison null in every labelled match keeps
/// its m.
///
/// ```
/// use padan::compare::{ComparisonKind, Comparisons};
/// use padan::model::Model;
/// let comparisons = Comparisons { kinds: vec![ComparisonKind::Sex], name_thresholds: vec![], indonesian: false };
/// let mut model = Model::with_default_m(&comparisons, 0.01);
/// model.comparisons[0].levels[1].m = 0.5; // same
/// model.comparisons[0].levels[2].m = 0.5; // different
/// // Three matches of the same sex, one of another, one with a sex missing.
/// padan::labels::train_m(&mut model, &[1, 1, 1, 2, 0]);
/// assert!((model.comparisons[0].levels[1].m - 3.5 / 5.0).abs() < 1e-12);
/// assert!((model.comparisons[0].levels[2].m - 1.5 / 5.0).abs() < 1e-12);
/// ```
pub fn train_m(model: &mut Model, levels: &[u8]) {
    let n = model.comparisons.len();
    if n == 0 {
        return;
    }
    for (c, params) in model.comparisons.iter_mut().enumerate() {
        let mut counts = vec![0.0f64; params.levels.len()];
        for row in levels.chunks(n) {
            if let Some(count) = counts.get_mut(row[c] as usize) {
                *count += 1.0;
            }
        }
        let free: Vec<usize> = (1..params.levels.len()).filter(|l| !params.levels[*l].m_fixed).collect();
        let observed: f64 = free.iter().map(|l| counts[*l]).sum();
        if observed == 0.0 {
            continue;
        }
        let fixed: f64 = params.levels[1..].iter().filter(|l| l.m_fixed).map(|l| l.m).sum();
        let prior_mass: f64 = free.iter().map(|l| params.levels[*l].m).sum::<f64>().max(1e-12);
        let before: Vec<f64> = params.levels.iter().map(|l| l.m).collect();
        for &l in &free {
            let smoothed = (counts[l] + LABEL_PSEUDO_MATCHES * before[l] / prior_mass)
                / (observed + LABEL_PSEUDO_MATCHES);
            params.levels[l].m = (smoothed * (1.0 - fixed)).max(1e-9);
        }
    }
}

/// Train m from labels for a prepared input: resolve the labelled ids, compute the levels of
/// the labelled matches directly, and set m ([`train_m`]). `candidate` tells whether a pair of
/// records was blocked together (for the report).
pub(crate) fn train_from_labels(
    model: &mut Model,
    labels: &Labels,
    comparisons: &Comparisons,
    prepared: &Prepared,
    candidate: impl Fn(u32, u32) -> bool,
) -> Result<LabelTraining> {
    let pairs = labels.resolve(&prepared.id)?;
    let matches: Vec<(u32, u32)> = pairs.iter().filter(|p| p.2).map(|p| (p.0, p.1)).collect();
    if matches.is_empty() {
        return Err(Error::InvalidLabels(
            "no pair is labelled a match, so m cannot be learnt from the labels".into(),
        ));
    }
    let mut levels = Vec::with_capacity(matches.len() * comparisons.len());
    for &(i, j) in &matches {
        levels.extend(
            comparisons.kinds.iter().map(|kind| comparisons.level(*kind, prepared, i as usize, j as usize)),
        );
    }
    train_m(model, &levels);
    Ok(LabelTraining {
        pairs: pairs.len() as u64,
        matches: matches.len() as u64,
        not_blocked: pairs.iter().filter(|p| !candidate(p.0, p.1)).count() as u64,
        pseudo_matches: LABEL_PSEUDO_MATCHES,
    })
}

/// One threshold of a precision–recall curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PrPoint {
    /// Pairs with a match weight ≥ this are predicted matches.
    pub match_weight: f64,
    /// The same threshold as a match probability.
    pub match_probability: f64,
    /// Labelled pairs predicted a match at this threshold.
    pub predicted_pairs: u64,
    /// Of those, labelled matches.
    pub true_positives: u64,
    /// `true_positives / predicted_pairs`.
    pub precision: f64,
    /// `true_positives / labelled matches` (unscored matches included).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

/// A precision–recall curve of scored pairs against labels.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PrCurve {
    /// Distinct labelled pairs.
    pub labelled_pairs: u64,
    /// Of those, labelled matches.
    pub labelled_matches: u64,
    /// Labelled pairs the run did not score (predicted non-matches at every threshold).
    pub not_scored_pairs: u64,
    /// Labelled matches among them: recall can never reach them.
    pub not_scored_matches: u64,
    /// One point per distinct match weight of the scored labelled pairs, highest first.
    pub points: Vec<PrPoint>,
}

/// The precision–recall curve of labelled pairs given as `(match weight if scored, is_match)`.
///
/// ```
/// // Weights 5 (match), 3 (non-match), 3 (match), and a match that was never scored.
/// let curve = padan::labels::precision_recall(&[(Some(5.0), true), (Some(3.0), false), (Some(3.0), true), (None, true)]);
/// assert_eq!(curve.points.len(), 2);
/// assert_eq!((curve.points[0].precision, curve.points[0].recall), (1.0, 1.0 / 3.0));
/// assert_eq!((curve.points[1].precision, curve.points[1].recall), (2.0 / 3.0, 2.0 / 3.0));
/// assert_eq!(curve.at_precision(0.9).unwrap().match_weight, 5.0);
/// ```
pub fn precision_recall(scored: &[(Option<f64>, bool)]) -> PrCurve {
    let labelled_matches = scored.iter().filter(|s| s.1).count() as u64;
    let mut ranked: Vec<(f64, bool)> = scored.iter().filter_map(|(w, m)| w.map(|w| (w, *m))).collect();
    // Highest weight first; NaN (never produced by scoring) sorts last and is never predicted.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut points = Vec::new();
    let (mut predicted, mut true_positives) = (0u64, 0u64);
    for (k, (weight, is_match)) in ranked.iter().enumerate() {
        predicted += 1;
        true_positives += u64::from(*is_match);
        if ranked.get(k + 1).is_some_and(|next| next.0 == *weight) || weight.is_nan() {
            continue;
        }
        let scores =
            crate::evaluate::PairwiseScores::from_counts(true_positives, predicted, labelled_matches);
        points.push(PrPoint {
            match_weight: *weight,
            match_probability: probability(*weight),
            predicted_pairs: predicted,
            true_positives,
            precision: scores.precision,
            recall: scores.recall,
            f1: scores.f1,
        });
    }
    let not_scored = scored.iter().filter(|s| s.0.is_none());
    PrCurve {
        labelled_pairs: scored.len() as u64,
        labelled_matches,
        not_scored_pairs: not_scored.clone().count() as u64,
        not_scored_matches: not_scored.filter(|s| s.1).count() as u64,
        points,
    }
}

impl PrCurve {
    /// The lowest threshold whose precision is at least `target` (so the most recall at that
    /// precision), or `None` when no threshold reaches it.
    pub fn at_precision(&self, target: f64) -> Option<PrPoint> {
        self.points.iter().rev().find(|p| p.precision >= target).copied()
    }

    /// The point of highest F1 (the highest threshold among ties).
    pub fn best_f1(&self) -> Option<PrPoint> {
        self.points.iter().copied().reduce(|best, p| if p.f1 > best.f1 { p } else { best })
    }

    /// The point at a match-probability threshold: the lowest threshold at or above `probability`,
    /// as a run with `match_threshold = probability` would decide by score.
    pub fn at_probability(&self, threshold: f64) -> Option<PrPoint> {
        self.points.iter().rev().find(|p| p.match_probability >= threshold).copied()
    }

    /// The points as a table: `match_weight`, `match_probability`, `predicted_pairs`,
    /// `true_positives`, `precision`, `recall`, `f1`.
    pub fn to_table(&self) -> Result<RecordBatch> {
        let float = |f: fn(&PrPoint) -> f64| {
            Arc::new(Float64Array::from_iter_values(self.points.iter().map(f))) as ArrayRef
        };
        let count = |f: fn(&PrPoint) -> u64| {
            Arc::new(UInt64Array::from_iter_values(self.points.iter().map(f))) as ArrayRef
        };
        Ok(RecordBatch::try_from_iter([
            ("match_weight", float(|p| p.match_weight)),
            ("match_probability", float(|p| p.match_probability)),
            ("predicted_pairs", count(|p| p.predicted_pairs)),
            ("true_positives", count(|p| p.true_positives)),
            ("precision", float(|p| p.precision)),
            ("recall", float(|p| p.recall)),
            ("f1", float(|p| p.f1)),
        ])?)
    }
}

/// The curve of a pairs table (as `padan dedupe` writes it: `id_l`, `id_r`, and `match_weight`
/// or else `match_probability`) against labels. A labelled pair missing from the table was not
/// scored (or scored below `pairs_min_probability`); ids are not checked against an input.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
/// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// let pairs = RecordBatch::try_from_iter([
///     ("id_l", col(vec!["a", "c"])),
///     ("id_r", col(vec!["b", "d"])),
///     ("match_weight", Arc::new(Float64Array::from(vec![8.0, -3.0])) as ArrayRef),
/// ]).unwrap();
/// let labels = padan::labels::Labels {
///     id_l: vec!["b".into(), "d".into(), "e".into()],
///     id_r: vec!["a".into(), "c".into(), "a".into()],
///     is_match: vec![true, false, true],
/// };
/// let curve = padan::labels::evaluate_pairs_table(&pairs, &labels)?;
/// assert_eq!((curve.labelled_matches, curve.not_scored_matches), (2, 1));
/// assert_eq!(curve.points[0].recall, 0.5); // a-b found, a-e never scored
/// # Ok::<(), padan::Error>(())
/// ```
pub fn evaluate_pairs_table(pairs: &RecordBatch, labels: &Labels) -> Result<PrCurve> {
    let (left, right) = (text_column(pairs, "id_l")?, text_column(pairs, "id_r")?);
    let weights: Vec<Option<f64>> = if let Some(column) = pairs.column_by_name("match_weight") {
        let cast = arrow_cast::cast(column, &DataType::Float64)?;
        let values = cast
            .as_any()
            .downcast_ref::<Float64Array>()
            .ok_or_else(|| Error::Schema("match_weight is not numeric".into()))?;
        (0..values.len()).map(|k| values.is_valid(k).then(|| values.value(k))).collect()
    } else {
        let column = pairs.column_by_name("match_probability").ok_or_else(|| Error::ColumnNotFound {
            column: "match_weight".into(),
            field: "pairs table (or match_probability)".into(),
            available: pairs.schema().fields().iter().map(|f| f.name().clone()).collect(),
        })?;
        let cast = arrow_cast::cast(column, &DataType::Float64)?;
        let values = cast
            .as_any()
            .downcast_ref::<Float64Array>()
            .ok_or_else(|| Error::Schema("match_probability is not numeric".into()))?;
        (0..values.len())
            .map(|k| values.is_valid(k).then(|| (values.value(k) / (1.0 - values.value(k))).log2()))
            .collect()
    };
    // Every id of the labels gets a key, so no id is "unknown" here.
    let mut key_of: FxHashMap<&str, u32> = FxHashMap::default();
    for id in labels.id_l.iter().chain(&labels.id_r) {
        let next = key_of.len() as u32;
        key_of.entry(id.as_str()).or_insert(next);
    }
    let labelled = labels.distinct(|id| key_of.get(id).copied())?;
    let mut weight_of: FxHashMap<(u32, u32), f64> = FxHashMap::default();
    for (k, weight) in weights.iter().enumerate() {
        if left.is_null(k) || right.is_null(k) {
            continue;
        }
        if let (Some(a), Some(b), Some(w)) = (key_of.get(left.value(k)), key_of.get(right.value(k)), weight) {
            weight_of.insert((*a.min(b), *a.max(b)), *w);
        }
    }
    let scored: Vec<(Option<f64>, bool)> =
        labelled.iter().map(|(a, b, m)| (weight_of.get(&(*a, *b)).copied(), *m)).collect();
    Ok(precision_recall(&scored))
}

impl DedupeResult {
    /// The precision–recall curve of this run's scores against labels. Every candidate pair
    /// counts (also those below `pairs_min_probability`); a labelled pair that was not a
    /// candidate is a non-match at every threshold. An id not in the input is an error.
    ///
    /// ```
    /// use padan::{Config, Deduper};
    /// use padan::labels::Labels;
    /// let data = padan::synth::generate(&padan::synth::SynthOptions { rows: 2_000, seed: 3, ..Default::default() });
    /// let result = Deduper::new(Config::default())?.run_batches(&data.records.schema(), &[data.records])?;
    /// let labels = Labels { id_l: vec!["no-such-id".into()], id_r: vec!["DTKS0000001".into()], is_match: vec![true] };
    /// let err = result.evaluate_labels(&labels).unwrap_err().to_string();
    /// assert!(err.contains("no-such-id"), "{err}");
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn evaluate_labels(&self, labels: &Labels) -> Result<PrCurve> {
        let labelled = labels.resolve(&self.prepared.id)?;
        let scored: Vec<(Option<f64>, bool)> = labelled
            .iter()
            .map(|(i, j, m)| (self.candidate_index(*i, *j).map(|k| self.scores.match_weight[k]), *m))
            .collect();
        Ok(precision_recall(&scored))
    }

    /// The index of the candidate pair of records `i < j`, if they were blocked together.
    pub fn candidate_index(&self, i: u32, j: u32) -> Option<usize> {
        candidate_index(&self.pairs, i, j)
    }
}

/// The index of the candidate pair `(i, j)`, `i < j`, in pairs sorted by `(left, right)`.
pub(crate) fn candidate_index(pairs: &crate::block::CandidatePairs, i: u32, j: u32) -> Option<usize> {
    let start = pairs.left.partition_point(|l| *l < i);
    let end = pairs.left.partition_point(|l| *l <= i);
    pairs.right[start..end].binary_search(&j).ok().map(|k| start + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
        RecordBatch::try_from_iter(columns).unwrap()
    }

    fn text(values: Vec<Option<&str>>) -> ArrayRef {
        Arc::new(StringArray::from(values))
    }

    #[test]
    fn labels_are_read_from_booleans_integers_and_letters() {
        let ids = |n: usize| text((0..n).map(|_| Some("x")).collect());
        let booleans = batch(vec![
            ("id_l", ids(2)),
            ("id_r", ids(2)),
            ("is_match", Arc::new(BooleanArray::from(vec![true, false]))),
        ]);
        assert_eq!(Labels::from_batch(&booleans, "is_match").unwrap().is_match, [true, false]);
        let integers = batch(vec![
            ("id_l", ids(3)),
            ("id_r", ids(3)),
            ("label", Arc::new(arrow_array::Int64Array::from(vec![1, 0, 1]))),
        ]);
        assert_eq!(Labels::from_batch(&integers, "label").unwrap().is_match, [true, false, true]);
        let letters = batch(vec![
            ("id_l", ids(4)),
            ("id_r", ids(4)),
            ("is_match", text(vec![Some("M"), Some("n"), Some(" Match "), Some("tidak cocok")])),
        ]);
        assert_eq!(Labels::from_batch(&letters, "is_match").unwrap().is_match, [true, false, true, false]);
        let bad = batch(vec![
            ("id_l", ids(3)),
            ("id_r", ids(3)),
            ("is_match", text(vec![Some("M"), Some("maybe"), None])),
        ]);
        let err = Labels::from_batch(&bad, "is_match").unwrap_err().to_string();
        assert!(
            err.contains("2 row(s)")
                && err.contains("row 2: label `maybe`")
                && err.contains("row 3: label null"),
            "{err}"
        );
        let err = Labels::from_batch(&letters, "verdict").unwrap_err();
        assert!(matches!(err, Error::ColumnNotFound { ref column, .. } if column == "verdict"), "{err}");
    }

    #[test]
    fn unknown_ids_are_named_and_sixteen_digit_ids_masked() {
        let ids: ArrayRef = text(vec![Some("a"), Some("b"), Some("c")]);
        let labels = Labels {
            id_l: vec!["a".into(), "zz".into(), "3273015208850002".into()],
            id_r: vec!["b".into(), "a".into(), "c".into()],
            is_match: vec![true, true, false],
        };
        let err = labels.resolve(&ids).unwrap_err().to_string();
        assert!(err.contains("2 labelled id(s) are not in the input"), "{err}");
        assert!(err.contains("`zz`") && err.contains("`3273 **** **** 0002`"), "{err}");
        assert!(!err.contains("3273015208850002"), "{err}");
    }

    #[test]
    fn pairs_are_ordered_deduplicated_and_contradictions_refused() {
        let ids: ArrayRef = text(vec![Some("a"), Some("b"), Some("c")]);
        let labels = Labels {
            id_l: vec!["c".into(), "b".into(), "a".into()],
            id_r: vec!["a".into(), "a".into(), "b".into()],
            is_match: vec![false, true, true],
        };
        // c-a is (0, 2); b-a and a-b are one pair (0, 1), labelled the same twice.
        assert_eq!(labels.resolve(&ids).unwrap(), [(0, 1, true), (0, 2, false)]);
        let contradiction = Labels { is_match: vec![false, true, false], ..labels.clone() };
        assert!(
            contradiction.resolve(&ids).unwrap_err().to_string().contains("both a match and a non-match")
        );
        let itself = Labels { id_l: vec!["a".into()], id_r: vec!["a".into()], is_match: vec![true] };
        assert!(itself.resolve(&ids).unwrap_err().to_string().contains("with itself"));
    }

    #[test]
    fn m_from_labels_is_the_smoothed_share_of_labelled_matches_per_level() {
        use crate::compare::ComparisonKind;
        let comparisons = Comparisons {
            kinds: vec![ComparisonKind::BirthDate, ComparisonKind::Sex],
            name_thresholds: vec![],
            indonesian: false,
        };
        let mut model = Model::with_default_m(&comparisons, 0.01);
        // Generic birth-date levels: exact, day_month_swapped, same_year, else; prior m 0.25 each.
        for level in &mut model.comparisons[0].levels[1..] {
            level.m = 0.25;
        }
        // "same year" fixed at 0.1 by the user: the other three share 0.9.
        model.comparisons[0].levels[3].m = 0.1;
        model.comparisons[0].levels[3].m_fixed = true;
        for level in &mut model.comparisons[1].levels[1..] {
            level.m = 0.5;
        }
        // Seven labelled matches: (birth date level, sex level).
        let rows: [[u8; 2]; 7] = [[1, 1], [1, 1], [1, 1], [1, 2], [2, 1], [3, 1], [0, 0]];
        train_m(&mut model, rows.as_flattened());
        // Birth date over the free levels: exact 4, swapped 1, else 0 (same_year is fixed and its
        // one pair does not count; the null pair neither); prior mass of the free levels 0.75;
        // one pseudo-match; the free levels share 1 - 0.1.
        let free_observed = 4.0 + 1.0 + 0.0;
        let expect = |count: f64| (count + 0.25 / 0.75) / (free_observed + 1.0) * 0.9;
        let m: Vec<f64> = model.comparisons[0].levels.iter().map(|l| l.m).collect();
        assert!((m[1] - expect(4.0)).abs() < 1e-12, "{m:?}");
        assert!((m[2] - expect(1.0)).abs() < 1e-12, "{m:?}");
        assert!((m[4] - expect(0.0)).abs() < 1e-12, "{m:?}");
        assert_eq!(m[3], 0.1, "fixed m stays");
        assert!((m[1] + m[2] + m[3] + m[4] - 1.0).abs() < 1e-12);
        // Sex: same 5, different 1, over 6 non-null; prior 0.5 / 0.5.
        let sex: Vec<f64> = model.comparisons[1].levels.iter().map(|l| l.m).collect();
        assert!((sex[1] - 5.5 / 7.0).abs() < 1e-12 && (sex[2] - 1.5 / 7.0).abs() < 1e-12, "{sex:?}");
    }

    #[test]
    fn the_curve_and_the_threshold_for_a_precision_match_a_hand_count() {
        // Weights: 5 M, 3 N, 3 M, 1 M, -2 N, and a match never scored: 4 labelled matches.
        let scored = [
            (Some(5.0), true),
            (Some(3.0), false),
            (Some(3.0), true),
            (Some(1.0), true),
            (Some(-2.0), false),
            (None, true),
        ];
        let curve = precision_recall(&scored);
        assert_eq!(
            (curve.labelled_pairs, curve.labelled_matches, curve.not_scored_pairs, curve.not_scored_matches),
            (6, 4, 1, 1)
        );
        let got: Vec<(f64, u64, u64)> =
            curve.points.iter().map(|p| (p.match_weight, p.predicted_pairs, p.true_positives)).collect();
        assert_eq!(got, [(5.0, 1, 1), (3.0, 3, 2), (1.0, 4, 3), (-2.0, 5, 3)]);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        let expected =
            [(1.0, 0.25, 0.4), (2.0 / 3.0, 0.5, 4.0 / 7.0), (0.75, 0.75, 0.75), (0.6, 0.75, 2.0 / 3.0)];
        for (p, (precision, recall, f1)) in curve.points.iter().zip(expected) {
            assert!(close(p.precision, precision) && close(p.recall, recall) && close(p.f1, f1), "{p:?}");
        }
        assert!(close(curve.points[2].match_probability, 2.0 / 3.0), "weight 1 is probability 2/3");
        // Lowest threshold with precision ≥ 0.7 is weight 1 (0.75); ≥ 0.76 only weight 5.
        assert_eq!(curve.at_precision(0.7).unwrap().match_weight, 1.0);
        assert_eq!(curve.at_precision(0.76).unwrap().match_weight, 5.0);
        assert_eq!(curve.at_precision(1.0).unwrap().recall, 0.25);
        assert!(precision_recall(&[(Some(1.0), false)]).at_precision(0.5).is_none());
        assert_eq!(curve.best_f1().unwrap().match_weight, 1.0);
        // Probability 0.6 is below weight 1's 2/3, above weight -2's 0.2: the weight-1 point.
        assert_eq!(curve.at_probability(0.6).unwrap().match_weight, 1.0);
        let table = curve.to_table().unwrap();
        assert_eq!(table.num_rows(), 4);
        assert_eq!(table.schema().field(0).name(), "match_weight");
    }
}
