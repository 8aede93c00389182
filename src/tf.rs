//! Term-frequency adjustment: an agreement on a rare value says more than one on a common value.
//!
//! Two records that agree exactly on `SITI AMINAH` are weaker evidence than two that agree on
//! `YOHANES GEBZE`, and one village of 9,000 registered people is not one of 300. The model's u
//! for an exact agreement is an average over all values; for a pair that agrees on value `v` the
//! adjustment replaces it by the value's own frequency, Splink- and fastLink-style:
//!
//! `adjustment(v) = log2(u_ref / tf(v))`, with `tf(v)` the share of records holding `v` and
//! `u_ref = Σ tf²`, the chance that two random records agree on any value.
//!
//! Both are computed per province, because names (Batak marga, Balinese names) and village sizes
//! cluster by province. A record without a province is counted in one "unknown" group.

use rayon::prelude::*;

use crate::prepare::Prepared;

/// Per-record term-frequency adjustments in bits, one vector per adjusted field.
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// let names = ["SITI AMINAH", "SITI AMINAH", "SITI AMINAH", "YOHANES GEBZE"];
/// let batch = RecordBatch::try_from_iter([
///     ("id_dtks", Arc::new(StringArray::from(vec!["1", "2", "3", "4"])) as ArrayRef),
///     ("nama", Arc::new(StringArray::from(names.to_vec())) as ArrayRef),
/// ]).unwrap();
/// let raw = padan::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
/// let tf = padan::tf::TermFrequencies::compute(&padan::prepare::prepare(&raw, true));
/// // The rare name gains weight, the common one loses some.
/// assert!(tf.name[3] > 0.0 && tf.name[0] < 0.0);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermFrequencies {
    /// Adjustment of an exact name agreement, per record (0 when the name is missing).
    pub name: Vec<f32>,
    /// Adjustment of a village agreement, per record (0 when the village is unknown).
    pub village: Vec<f32>,
}

impl TermFrequencies {
    /// Count names and villages per province.
    pub fn compute(prepared: &Prepared) -> Self {
        // Equal codes mean equal names; code 0 is a missing name.
        let name = adjustments(&prepared.province, |i| {
            let name = prepared.name.code(i);
            (name != 0).then_some(name)
        });
        let village = adjustments(&prepared.province, |i| {
            let village = prepared.village[i];
            (village != 0).then_some(village)
        });
        Self { name, village }
    }

    /// Adjustment for a pair that agrees on a field: the mean of the two records' (they are equal
    /// when both sit in one province).
    #[inline]
    pub fn pair(values: &[f32], i: usize, j: usize) -> f64 {
        (f64::from(values[i]) + f64::from(values[j])) / 2.0
    }
}

/// `log2(u_ref / tf(value))` per record, with both computed inside the record's province.
fn adjustments<K: Ord + Send + Sync + Copy>(
    province: &[u32],
    key: impl Fn(usize) -> Option<K> + Sync,
) -> Vec<f32> {
    let n = province.len();
    let mut rows: Vec<(u32, K, u32)> =
        (0..n).into_par_iter().filter_map(|i| key(i).map(|k| (province[i], k, i as u32))).collect();
    rows.par_sort_unstable();
    let mut out = vec![0f32; n];
    // Walk provinces, then runs of equal values inside each.
    let mut start = 0;
    while start < rows.len() {
        let prov = rows[start].0;
        let end = start + rows[start..].partition_point(|r| r.0 == prov);
        let total = (end - start) as f64;
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut run = start;
        for k in start + 1..=end {
            if k == end || rows[k].1 != rows[run].1 {
                runs.push((run, k));
                run = k;
            }
        }
        let u_ref: f64 = runs.iter().map(|&(a, b)| ((b - a) as f64 / total).powi(2)).sum();
        for (a, b) in runs {
            let tf = (b - a) as f64 / total;
            let adjustment = (u_ref / tf).log2() as f32;
            for row in &rows[a..b] {
                out[row.2 as usize] = adjustment;
            }
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustment_follows_the_frequency_inside_each_province() {
        // Province 1: value 7 held by 3 of 4 records, value 8 by 1. Province 2: one value only.
        let province = [1, 1, 1, 1, 2, 2];
        let values = [7, 7, 7, 8, 7, 7];
        let adj = adjustments(&province, |i| Some(values[i]));
        // u_ref = (3/4)^2 + (1/4)^2 = 0.625.
        assert!((adj[0] - (0.625f64 / 0.75).log2() as f32).abs() < 1e-6);
        assert!((adj[3] - (0.625f64 / 0.25).log2() as f32).abs() < 1e-6);
        // A province where everyone agrees: agreement says nothing beyond the average.
        assert_eq!(adj[4], 0.0);
        assert_eq!(adj[5], 0.0);
    }

    #[test]
    fn missing_values_get_no_adjustment() {
        let adj = adjustments(&[1, 1, 1], |i| (i != 1).then_some(i % 2));
        assert_eq!(adj[1], 0.0);
    }
}
