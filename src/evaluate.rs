//! Evaluate: pairwise precision, recall and F1 of clusters or pairs against a truth table.
//!
//! A *true pair* is two rows of one entity; a *predicted pair* is two rows of one cluster (or a
//! pair at or above the threshold). Counts come from the cluster × entity contingency table, so
//! no pair list is materialised; per duplicate kind (and per variation, when the truth has a
//! `variation` column), the true pairs that involve a row of that kind are enumerated inside
//! entities (which are small).

use std::collections::BTreeMap;

use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{Error, Result};

/// Precision, recall and F1 with the counts behind them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairwiseScores {
    /// Predicted pairs that are true pairs.
    pub true_positives: u64,
    /// Predicted pairs.
    pub predicted_pairs: u64,
    /// True pairs.
    pub true_pairs: u64,
    /// TP / predicted.
    pub precision: f64,
    /// TP / true.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl PairwiseScores {
    /// Scores from counts (1.0 where a denominator is zero).
    ///
    /// ```
    /// let s = padan::evaluate::PairwiseScores::from_counts(8, 10, 16);
    /// assert_eq!((s.precision, s.recall), (0.8, 0.5));
    /// assert!((s.f1 - 0.6153846).abs() < 1e-6);
    /// ```
    pub fn from_counts(true_positives: u64, predicted_pairs: u64, true_pairs: u64) -> Self {
        let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let precision = ratio(true_positives, predicted_pairs);
        let recall = ratio(true_positives, true_pairs);
        let f1 =
            if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) };
        Self { true_positives, predicted_pairs, true_pairs, precision, recall, f1 }
    }
}

/// Recall for the true pairs that involve a duplicate of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KindRecall {
    /// True pairs involving a row of this kind.
    pub true_pairs: u64,
    /// Of those, predicted.
    pub found: u64,
    /// found / true_pairs.
    pub recall: f64,
}

/// The evaluation report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// Overall pairwise scores.
    pub overall: PairwiseScores,
    /// Recall per duplicate kind.
    pub by_kind: BTreeMap<String, KindRecall>,
    /// Recall per variation, when the truth has a `variation` column (`;`-separated names, as
    /// [`crate::synth::generate`] writes it); a pair counts under each variation of its
    /// injected row. Empty, and left out of the JSON, otherwise.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub by_variation: BTreeMap<String, KindRecall>,
    /// Rows in the truth that are missing from the predictions (counted as singletons).
    pub rows_missing_from_predictions: u64,
}

fn as_text(array: &ArrayRef, what: &str) -> Result<StringArray> {
    let cast = arrow_cast::cast(array, &arrow_schema::DataType::Utf8)?;
    cast.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| Error::Schema(format!("{what} cannot be read as text")))
}

fn column<'a>(batch: &'a RecordBatch, name: &str, table: &str) -> Result<&'a ArrayRef> {
    batch.column_by_name(name).ok_or_else(|| Error::ColumnNotFound {
        column: name.into(),
        field: format!("{table} table"),
        available: batch.schema().fields().iter().map(|f| f.name().clone()).collect(),
    })
}

struct Truth {
    ids: StringArray,
    entity: Vec<String>,
    kind: Vec<Option<String>>,
    variation: Vec<Option<String>>,
}

fn read_truth(truth: &RecordBatch, id_column: &str) -> Result<Truth> {
    let ids = as_text(column(truth, id_column, "truth")?, "truth id")?;
    let entity = as_text(column(truth, "entity_id", "truth")?, "entity_id")?;
    let optional = |name: &str| -> Result<Option<StringArray>> {
        truth.column_by_name(name).map(|c| as_text(c, name)).transpose()
    };
    let kind = optional("duplicate_kind")?;
    let variation = optional("variation")?;
    let n = ids.len();
    let values = |column: &Option<StringArray>| -> Vec<Option<String>> {
        (0..n).map(|i| column.as_ref().filter(|c| !c.is_null(i)).map(|c| c.value(i).to_string())).collect()
    };
    Ok(Truth {
        entity: (0..n).map(|i| entity.value(i).to_string()).collect(),
        kind: values(&kind),
        variation: values(&variation),
        ids,
    })
}

/// Evaluate a clustering: `clusters` has `id` and `cluster_id`; `truth` has the id column
/// (`id_column`), `entity_id` and optionally `duplicate_kind` and `variation`.
pub fn evaluate_clusters(clusters: &RecordBatch, truth: &RecordBatch, id_column: &str) -> Result<Evaluation> {
    let ids = as_text(column(clusters, "id", "clusters")?, "cluster id")?;
    let cluster_ids = as_text(column(clusters, "cluster_id", "clusters")?, "cluster_id")?;
    let cluster_of: FxHashMap<&str, &str> =
        (0..ids.len()).map(|i| (ids.value(i), cluster_ids.value(i))).collect();
    let truth = read_truth(truth, id_column)?;
    let mut missing = 0u64;
    let row_cluster: Vec<String> = (0..truth.ids.len())
        .map(|i| match cluster_of.get(truth.ids.value(i)) {
            Some(c) => (*c).to_string(),
            None => {
                missing += 1;
                format!("\u{0}missing-{i}") // a singleton of its own
            }
        })
        .collect();
    let same_predicted = |a: usize, b: usize| row_cluster[a] == row_cluster[b];
    let mut report = evaluate_with(&truth, &same_predicted, predicted_pairs_from_groups(&row_cluster))?;
    report.rows_missing_from_predictions = missing;
    Ok(report)
}

/// Evaluate pairs directly (no transitive closure): `pairs` has `id_l`, `id_r` and
/// `match_probability`; pairs at or above `threshold` are predicted.
pub fn evaluate_pairs(
    pairs: &RecordBatch,
    truth: &RecordBatch,
    id_column: &str,
    threshold: f64,
) -> Result<Evaluation> {
    let left = as_text(column(pairs, "id_l", "pairs")?, "id_l")?;
    let right = as_text(column(pairs, "id_r", "pairs")?, "id_r")?;
    let probability =
        arrow_cast::cast(column(pairs, "match_probability", "pairs")?, &arrow_schema::DataType::Float64)?;
    let probability = probability
        .as_any()
        .downcast_ref::<arrow_array::Float64Array>()
        .ok_or_else(|| Error::Schema("match_probability is not numeric".into()))?;
    let truth = read_truth(truth, id_column)?;
    let row_of: FxHashMap<&str, usize> = (0..truth.ids.len()).map(|i| (truth.ids.value(i), i)).collect();
    let mut predicted = rustc_hash::FxHashSet::default();
    for k in 0..left.len() {
        if probability.is_valid(k)
            && probability.value(k) >= threshold
            && let (Some(a), Some(b)) = (row_of.get(left.value(k)), row_of.get(right.value(k)))
            && a != b
        {
            predicted.insert((*a.min(b), *a.max(b)));
        }
    }
    let count = predicted.len() as u64;
    let same_predicted = |a: usize, b: usize| predicted.contains(&(a.min(b), a.max(b)));
    evaluate_with(&truth, &same_predicted, count)
}

/// How well blocking alone does: which true pairs any rule proposes as candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlockingEvaluation {
    /// Candidate pairs scored as predictions: `recall` is the share of true pairs some rule
    /// proposes (no scoring can find the others), `precision` the share of candidates that are
    /// true pairs; per duplicate kind and variation as in [`Evaluation`].
    pub candidates: Evaluation,
    /// For each blocking rule (in order), the true pairs it proposed first.
    pub true_pairs_by_rule: Vec<(String, u64)>,
}

/// Evaluate the candidate pairs of blocking against the truth: `input_ids` are the ids of the
/// rows the pairs index (the prepared input, in order).
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// use padan::config::default_blocking_rules;
/// let batch = RecordBatch::try_from_iter([
///     ("id_dtks", col(vec!["a", "b", "c"])),
///     ("nik", col(vec!["3273015208850002", "3273015208850002", ""])),
/// ]).unwrap();
/// let raw = padan::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
/// let prepared = padan::prepare::prepare(&raw, true);
/// let rules = default_blocking_rules();
/// let pairs = padan::block::block(&prepared, &rules, 100);
/// // a, b and c are one person; only (a, b) share a blocking key.
/// let truth = RecordBatch::try_from_iter([
///     ("id_dtks", col(vec!["a", "b", "c"])),
///     ("entity_id", col(vec!["1", "1", "1"])),
/// ]).unwrap();
/// let ids = StringArray::from(vec!["a", "b", "c"]);
/// let report = padan::evaluate::evaluate_blocking(&ids, &pairs, &rules, &truth, "id_dtks").unwrap();
/// assert_eq!((report.candidates.overall.true_positives, report.candidates.overall.true_pairs), (1, 3));
/// assert_eq!(report.true_pairs_by_rule[0], ("nik".to_string(), 1));
/// ```
pub fn evaluate_blocking(
    input_ids: &StringArray,
    pairs: &crate::block::CandidatePairs,
    rules: &[crate::config::BlockingRule],
    truth: &RecordBatch,
    id_column: &str,
) -> Result<BlockingEvaluation> {
    let truth = read_truth(truth, id_column)?;
    let input_row: FxHashMap<&str, u32> = (0..input_ids.len())
        .filter(|i| input_ids.is_valid(*i))
        .map(|i| (input_ids.value(i), i as u32))
        .collect();
    let row_of_truth: Vec<Option<u32>> =
        (0..truth.ids.len()).map(|i| input_row.get(truth.ids.value(i)).copied()).collect();
    let candidate: FxHashMap<(u32, u32), u8> = (0..pairs.len())
        .map(|k| ((pairs.left[k].min(pairs.right[k]), pairs.left[k].max(pairs.right[k])), pairs.rule[k]))
        .collect();
    // The true pairs each rule proposed first, counted as `evaluate_with` walks the true pairs.
    let by_rule = std::cell::RefCell::new(vec![0u64; rules.len()]);
    let proposed = |a: usize, b: usize| {
        let rule = match (row_of_truth[a], row_of_truth[b]) {
            (Some(x), Some(y)) => candidate.get(&(x.min(y), x.max(y))).copied(),
            _ => None,
        };
        if let Some(r) = rule
            && let Some(count) = by_rule.borrow_mut().get_mut(r as usize)
        {
            *count += 1;
        }
        rule.is_some()
    };
    let mut report = evaluate_with(&truth, &proposed, pairs.len() as u64)?;
    report.rows_missing_from_predictions = row_of_truth.iter().filter(|r| r.is_none()).count() as u64;
    Ok(BlockingEvaluation {
        candidates: report,
        true_pairs_by_rule: rules.iter().map(|r| r.name.clone()).zip(by_rule.into_inner()).collect(),
    })
}

fn predicted_pairs_from_groups(groups: &[String]) -> u64 {
    let mut sizes: FxHashMap<&str, u64> = FxHashMap::default();
    for g in groups {
        *sizes.entry(g.as_str()).or_default() += 1;
    }
    sizes.values().map(|n| n * (n - 1) / 2).sum()
}

fn evaluate_with(
    truth: &Truth,
    same_predicted: &dyn Fn(usize, usize) -> bool,
    predicted_pairs: u64,
) -> Result<Evaluation> {
    let mut entities: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (row, entity) in truth.entity.iter().enumerate() {
        entities.entry(entity.as_str()).or_default().push(row);
    }
    let mut true_pairs = 0u64;
    let mut true_positives = 0u64;
    let mut by_kind: BTreeMap<String, KindRecall> = BTreeMap::new();
    let mut by_variation: BTreeMap<String, KindRecall> = BTreeMap::new();
    let count = |map: &mut BTreeMap<String, KindRecall>, key: &str, found: bool| {
        let entry = map.entry(key.to_string()).or_insert(KindRecall { true_pairs: 0, found: 0, recall: 0.0 });
        entry.true_pairs += 1;
        entry.found += u64::from(found);
    };
    for rows in entities.values() {
        for (x, &a) in rows.iter().enumerate() {
            for &b in &rows[x + 1..] {
                true_pairs += 1;
                let found = same_predicted(a, b);
                true_positives += u64::from(found);
                // A pair belongs to the kind of its injected row (the later copy when both are).
                let injected = if truth.kind[b].is_some() { b } else { a };
                if let Some(kind) = &truth.kind[injected] {
                    count(&mut by_kind, kind, found);
                }
                if let Some(variations) = &truth.variation[injected] {
                    for variation in variations.split(';').filter(|v| !v.is_empty()) {
                        count(&mut by_variation, variation, found);
                    }
                }
            }
        }
    }
    for k in by_kind.values_mut().chain(by_variation.values_mut()) {
        k.recall = if k.true_pairs == 0 { 1.0 } else { k.found as f64 / k.true_pairs as f64 };
    }
    Ok(Evaluation {
        overall: PairwiseScores::from_counts(true_positives, predicted_pairs, true_pairs),
        by_kind,
        by_variation,
        rows_missing_from_predictions: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn table(columns: &[(&str, Vec<Option<&str>>)]) -> RecordBatch {
        RecordBatch::try_from_iter(
            columns.iter().map(|(n, v)| (*n, Arc::new(StringArray::from(v.clone())) as ArrayRef)),
        )
        .unwrap()
    }

    #[test]
    fn contingency_counts_match_a_hand_count() {
        // Entities: {a,b,c} {d} {e,f}; clusters: {a,b} {c,d} {e,f}.
        let truth = table(&[
            ("id_dtks", vec![Some("a"), Some("b"), Some("c"), Some("d"), Some("e"), Some("f")]),
            ("entity_id", vec![Some("1"), Some("1"), Some("1"), Some("2"), Some("3"), Some("3")]),
            ("duplicate_kind", vec![None, Some("exact"), Some("nik_typo"), None, None, Some("exact")]),
        ]);
        let clusters = table(&[
            ("id", vec![Some("a"), Some("b"), Some("c"), Some("d"), Some("e"), Some("f")]),
            ("cluster_id", vec![Some("0"), Some("0"), Some("1"), Some("1"), Some("2"), Some("2")]),
        ]);
        let e = evaluate_clusters(&clusters, &truth, "id_dtks").unwrap();
        // true pairs: ab ac bc ef = 4; predicted: ab cd ef = 3; TP: ab ef = 2.
        assert_eq!((e.overall.true_positives, e.overall.predicted_pairs, e.overall.true_pairs), (2, 3, 4));
        // exact: ab (found), ef (found); nik_typo: ac, bc (neither found).
        assert_eq!(e.by_kind["exact"].found, 2);
        assert_eq!(e.by_kind["nik_typo"].true_pairs, 2);
        assert_eq!(e.by_kind["nik_typo"].found, 0);
        assert!(e.by_variation.is_empty(), "no variation column, no breakdown");
        assert!(!serde_json::to_string(&e).unwrap().contains("by_variation"));
    }

    #[test]
    fn pairs_count_under_each_variation_of_their_injected_row() {
        // Entities: {a,b,c} {d,e}; clusters: {a,b} {c} {d,e}.
        let truth = table(&[
            ("id_dtks", vec![Some("a"), Some("b"), Some("c"), Some("d"), Some("e")]),
            ("entity_id", vec![Some("1"), Some("1"), Some("1"), Some("2"), Some("2")]),
            ("duplicate_kind", vec![None, Some("name_variant"), Some("exact"), None, Some("name_variant")]),
            ("variation", vec![None, Some("title;rt_rw_notation"), Some("none"), None, Some("title")]),
        ]);
        let clusters = table(&[
            ("id", vec![Some("a"), Some("b"), Some("c"), Some("d"), Some("e")]),
            ("cluster_id", vec![Some("0"), Some("0"), Some("1"), Some("2"), Some("2")]),
        ]);
        let e = evaluate_clusters(&clusters, &truth, "id_dtks").unwrap();
        // ab (found) is b's: title, rt_rw_notation; ac and bc (missed) are c's: none; de (found): title.
        let recall = |v: &str| (e.by_variation[v].found, e.by_variation[v].true_pairs);
        assert_eq!((recall("title"), recall("rt_rw_notation"), recall("none")), ((2, 2), (1, 1), (0, 2)));
        assert_eq!(e.by_variation.len(), 3);
        assert_eq!(e.by_kind["name_variant"].true_pairs, 2);
    }

    #[test]
    fn pairs_mode_uses_the_threshold_without_closure() {
        let truth = table(&[
            ("id_dtks", vec![Some("a"), Some("b"), Some("c")]),
            ("entity_id", vec![Some("1"), Some("1"), Some("1")]),
        ]);
        let pairs = RecordBatch::try_from_iter([
            ("id_l", Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef),
            ("id_r", Arc::new(StringArray::from(vec!["b", "c"])) as ArrayRef),
            ("match_probability", Arc::new(arrow_array::Float64Array::from(vec![0.99, 0.2])) as ArrayRef),
        ])
        .unwrap();
        let e = evaluate_pairs(&pairs, &truth, "id_dtks", 0.5).unwrap();
        assert_eq!((e.overall.true_positives, e.overall.predicted_pairs, e.overall.true_pairs), (1, 1, 3));
    }
}
