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
//!
//! **Names are estimated from their tokens** ([`NameTermFrequency::Tokens`], the default). Most
//! full names are unique or nearly so in an extract, so the whole-name share alone gives
//! `MUHAMMAD RIZKI` (two very common tokens) about the boost of `YOHANES GEBZE` (two rare ones),
//! while an officer knows the first is much weaker evidence. The token model estimates the chance
//! that a random record's name holds exactly the token set `T` of `k` distinct tokens, treating
//! tokens as independent given the number of tokens:
//!
//! `tf_tok(v) = (n_k / N) · Π_{t ∈ T} h_k(t) / n_k`,
//!
//! with, inside the province, `N` the records with a name, `n_k` those whose name has `k`
//! distinct tokens and `h_k(t)` those among them whose name contains `t`. The estimate used is
//! `tf_est(v) = max(tf(v), tf_tok(v))`: a name is never called rarer than either the whole-name
//! count (which knows that `SITI AMINAH` is common as a pair) or the token model (which knows that
//! `MUHAMMAD RIZKI` is made of common parts) says. `u_ref` stays `Σ tf(v)²` over whole names: the
//! chance that two random records agree exactly, which is what the exact level's u measures.
//!
//! Conditioning on `k` matters: the plain product of "share of names containing `t`" estimates
//! how many names *contain* the tokens, not how many *are* them. For a one-token name it is the
//! share of every name containing `AMINAH` (SITI AMINAH, NUR AMINAH, ...), which cost true pairs
//! of mononyms (AMINAH = AMINAH, FATIMAH = FATIMAH) up to 5 bits on `padan synth` data and lost
//! recall; given `k`, a one-token name keeps its own share. Because `tf_tok` is the probability of
//! a token *set*, it also adjusts the `same_tokens_or_joined` name level (the same tokens
//! reordered: `tf_tok` is equal for both orders). The product is taken in a fixed token order,
//! so the result does not depend on the thread count. [`NameTermFrequency::Whole`] restores the
//! whole-name share on the `exact` level only.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::compare::ComparisonKind;
use crate::prepare::{Prepared, TextColumn};

/// How the frequency of an agreeing name is estimated (config key `name_term_frequency`).
///
/// ```
/// use padan::tf::NameTermFrequency;
/// let config = padan::Config::from_toml_str("name_term_frequency = \"whole\"\n").unwrap();
/// assert_eq!(config.name_term_frequency, NameTermFrequency::Whole);
/// assert_eq!(padan::Config::default().name_term_frequency, NameTermFrequency::Tokens);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameTermFrequency {
    /// The larger of the whole name's share and the product of its tokens' shares; adjusts the
    /// `exact` and `same_tokens_or_joined` name levels.
    #[default]
    Tokens,
    /// The whole normalised name's share only; adjusts the `exact` name level only.
    Whole,
}

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
/// // Neither name shares a token with another, so the whole-name count set both.
/// assert!(!tf.name_by_parts(0, 3));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermFrequencies {
    /// Adjustment of an exact name agreement, per record (0 when the name is missing).
    pub name: Vec<f32>,
    /// Per record: the token product, not the whole-name share, set the name's estimate
    /// (always false with [`NameTermFrequency::Whole`]).
    pub name_by_tokens: Vec<bool>,
    /// Adjustment of a village agreement, per record (0 when the village is unknown).
    pub village: Vec<f32>,
    /// How the name adjustment was estimated.
    pub name_frequency: NameTermFrequency,
}

impl TermFrequencies {
    /// Count names (by their tokens) and villages per province.
    pub fn compute(prepared: &Prepared) -> Self {
        Self::compute_with(prepared, NameTermFrequency::default())
    }

    /// Count names and villages per province, names as `name_frequency` says.
    pub fn compute_with(prepared: &Prepared, name_frequency: NameTermFrequency) -> Self {
        let (name, name_by_tokens) = name_adjustments(&prepared.province, &prepared.name, name_frequency);
        let (village, _) = adjustments(
            &prepared.province,
            |i| {
                let village = prepared.village[i];
                (village != 0).then_some(village)
            },
            no_parts,
        );
        Self { name, name_by_tokens, village, name_frequency }
    }

    /// Adjustment for a pair that agrees on a field: the mean of the two records' (they are equal
    /// when both sit in one province).
    #[inline]
    pub fn pair(values: &[f32], i: usize, j: usize) -> f64 {
        (f64::from(values[i]) + f64::from(values[j])) / 2.0
    }

    /// The per-record adjustments that apply to an agreement at level `label` of comparison
    /// `kind`, when the model marks that level as adjusted: the name's for the name levels (the
    /// reordered-tokens level only when names are estimated from their tokens), the village's
    /// for the address levels.
    pub fn values(&self, kind: ComparisonKind, label: &str) -> Option<&[f32]> {
        match kind {
            ComparisonKind::Name
                if label != "same_tokens_or_joined" || self.name_frequency == NameTermFrequency::Tokens =>
            {
                Some(&self.name)
            }
            ComparisonKind::Address => Some(&self.village),
            _ => None,
        }
    }

    /// Whether the token product set the name adjustment of record `i` or `j` (explanations
    /// then say the name is rare or common by its parts).
    pub fn name_by_parts(&self, i: usize, j: usize) -> bool {
        let by_tokens = |k: usize| self.name_by_tokens.get(k).copied().unwrap_or(false);
        by_tokens(i) || by_tokens(j)
    }
}

/// The name adjustments per record and whether the token product set them.
fn name_adjustments(
    province: &[u32],
    names: &TextColumn,
    name_frequency: NameTermFrequency,
) -> (Vec<f32>, Vec<bool>) {
    // Equal codes mean equal names; code 0 is a missing name.
    let name_code = |i: usize| {
        let name = names.code(i);
        (name != 0).then_some(name)
    };
    match name_frequency {
        NameTermFrequency::Tokens => {
            let tokens = NameTokens::new(names);
            adjustments(province, name_code, |runs, total| tokens.shares(runs, total))
        }
        NameTermFrequency::Whole => adjustments(province, name_code, no_parts),
    }
}

/// The part estimate of a field that has none.
fn no_parts<K>(_runs: &[(K, u32)], _total: f64) -> Vec<f64> {
    Vec::new()
}

/// The distinct tokens of every distinct name, as interned token ids in ascending order (a fixed
/// order, so that products of shares do not depend on anything but the data).
struct NameTokens {
    /// Tokens of name code `c`: `ids[offsets[c]..offsets[c + 1]]`.
    offsets: Vec<u32>,
    ids: Vec<u32>,
}

impl NameTokens {
    /// Tokenise each distinct name once; ids are given in order of first appearance.
    fn new(names: &TextColumn) -> Self {
        let mut interner: FxHashMap<&str, u32> = FxHashMap::default();
        let mut offsets = Vec::with_capacity(names.distinct() + 1);
        let mut ids = Vec::with_capacity(names.distinct() * 3);
        offsets.push(0);
        for code in 0..names.distinct() as u32 {
            let start = ids.len();
            for token in names.value(code).split_whitespace() {
                let next = interner.len() as u32;
                ids.push(*interner.entry(token).or_insert(next));
            }
            // A token repeated inside a name (`SITI SITI`) counts once.
            ids[start..].sort_unstable();
            let mut kept = start;
            for k in start..ids.len() {
                if kept == start || ids[k] != ids[kept - 1] {
                    ids[kept] = ids[k];
                    kept += 1;
                }
            }
            ids.truncate(kept);
            offsets.push(ids.len() as u32);
        }
        Self { offsets, ids }
    }

    fn of(&self, code: u32) -> &[u32] {
        &self.ids[self.offsets[code as usize] as usize..self.offsets[code as usize + 1] as usize]
    }

    /// The token-model share of each name of one province, from the province's names and their
    /// record counts: `(n_k / N) · Π h_k(t) / n_k` (see the module documentation).
    fn shares(&self, runs: &[(u32, u32)], total: f64) -> Vec<f64> {
        let size = |code: u32| self.of(code).len() as u32;
        // Records per (token count, token): a name's tokens are distinct, so each record counts
        // once per token.
        let mut holders: Vec<((u32, u32), u32)> = runs
            .iter()
            .flat_map(|&(code, count)| self.of(code).iter().map(move |&t| ((size(code), t), count)))
            .collect();
        holders.sort_unstable_by_key(|h| h.0);
        holders.dedup_by(|next, kept| {
            let same = next.0 == kept.0;
            if same {
                kept.1 += next.1;
            }
            same
        });
        // Records per token count.
        let mut of_size: Vec<u32> = Vec::new();
        for &(code, count) in runs {
            let k = size(code) as usize;
            if of_size.len() <= k {
                of_size.resize(k + 1, 0);
            }
            of_size[k] += count;
        }
        runs.iter()
            .map(|&(code, _)| {
                let (tokens, k) = (self.of(code), size(code));
                if tokens.is_empty() {
                    return 0.0;
                }
                let with_k = f64::from(of_size[k as usize]);
                let product: f64 = tokens
                    .iter()
                    .map(|&t| {
                        let at = holders.partition_point(|h| h.0 < (k, t));
                        f64::from(holders[at].1) / with_k
                    })
                    .product();
                with_k / total * product
            })
            .collect()
    }
}

/// `log2(u_ref / tf_est(value))` per record, with everything computed inside the record's
/// province, and whether the value's parts set `tf_est`.
///
/// `parts(runs, total)` gets a province's distinct values with their record counts and the
/// province's total, and returns each value's share estimated from its parts (or nothing when
/// the field has no parts); `tf_est` is the larger of that and the value's own share.
fn adjustments<K: Ord + Send + Sync + Copy>(
    province: &[u32],
    key: impl Fn(usize) -> Option<K> + Sync,
    parts: impl Fn(&[(K, u32)], f64) -> Vec<f64> + Sync,
) -> (Vec<f32>, Vec<bool>) {
    let n = province.len();
    let mut rows: Vec<(u32, K, u32)> =
        (0..n).into_par_iter().filter_map(|i| key(i).map(|k| (province[i], k, i as u32))).collect();
    rows.par_sort_unstable();
    // One slice of `rows`, and of the adjustments in the same order, per province.
    let mut per_row = vec![(0f32, false); rows.len()];
    let mut slices = Vec::new();
    let (mut rest_rows, mut rest_out) = (&rows[..], &mut per_row[..]);
    while let Some(first) = rest_rows.first() {
        let len = rest_rows.partition_point(|r| r.0 == first.0);
        let (rows_here, rows_after) = rest_rows.split_at(len);
        let (out_here, out_after) = std::mem::take(&mut rest_out).split_at_mut(len);
        slices.push((rows_here, out_here));
        (rest_rows, rest_out) = (rows_after, out_after);
    }
    slices.into_par_iter().for_each(|(rows, out)| province_adjustments(rows, out, &parts));
    let mut adjustment = vec![0f32; n];
    let mut by_parts = vec![false; n];
    for (row, (bits, parts_set_it)) in rows.iter().zip(per_row) {
        adjustment[row.2 as usize] = bits;
        by_parts[row.2 as usize] = parts_set_it;
    }
    (adjustment, by_parts)
}

/// The adjustments of one province's rows, sorted by value.
fn province_adjustments<K: Copy + Eq>(
    rows: &[(u32, K, u32)],
    out: &mut [(f32, bool)],
    parts: &impl Fn(&[(K, u32)], f64) -> Vec<f64>,
) {
    let total = rows.len() as f64;
    // Runs of equal values: the value and its count.
    let runs: Vec<(K, u32)> =
        rows.chunk_by(|a, b| a.1 == b.1).map(|run| (run[0].1, run.len() as u32)).collect();
    let u_ref: f64 = runs.iter().map(|&(_, count)| (f64::from(count) / total).powi(2)).sum();
    let part_shares = parts(&runs, total);
    let mut start = 0;
    for (r, &(_, count)) in runs.iter().enumerate() {
        let whole = f64::from(count) / total;
        let from_parts = part_shares.get(r).copied().unwrap_or(0.0);
        let adjustment = (u_ref / whole.max(from_parts)).log2() as f32;
        let end = start + count as usize;
        out[start..end].fill((adjustment, from_parts > whole));
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adjustment_follows_the_frequency_inside_each_province() {
        // Province 1: value 7 held by 3 of 4 records, value 8 by 1. Province 2: one value only.
        let province = [1, 1, 1, 1, 2, 2];
        let values = [7, 7, 7, 8, 7, 7];
        let (adj, by_parts) = adjustments(&province, |i| Some(values[i]), no_parts);
        // u_ref = (3/4)^2 + (1/4)^2 = 0.625.
        assert!((adj[0] - (0.625f64 / 0.75).log2() as f32).abs() < 1e-6);
        assert!((adj[3] - (0.625f64 / 0.25).log2() as f32).abs() < 1e-6);
        // A province where everyone agrees: agreement says nothing beyond the average.
        assert_eq!(adj[4], 0.0);
        assert_eq!(adj[5], 0.0);
        assert!(by_parts.iter().all(|b| !b));
    }

    #[test]
    fn missing_values_get_no_adjustment() {
        let (adj, _) = adjustments(&[1, 1, 1], |i| (i != 1).then_some(i % 2), no_parts);
        assert_eq!(adj[1], 0.0);
        let names: TextColumn = ["BUDI SANTOSO", "", "SITI"].into_iter().collect();
        let (adj, by_tokens) = name_adjustments(&[1, 1, 1], &names, NameTermFrequency::Tokens);
        assert_eq!((adj[1], by_tokens[1]), (0.0, false));
    }

    /// Province 1 has ten named records and one without a name; province 2 has two.
    const NAMES: [(u32, &str); 13] = [
        (1, "MUHAMMAD RIZKI"),
        (1, "MUHAMMAD FAJAR"),
        (1, "MUHAMMAD FAJAR"),
        (1, "MUHAMMAD ARIF"),
        (1, "MUHAMMAD"),
        (1, "RIZKI AMALIA"),
        (1, "RIZKI PUTRI"),
        (1, "YOHANES GEBZE"),
        (1, "DEWI LESTARI"),
        (1, "DEWI LESTARI"),
        (1, ""),
        (2, "MUHAMMAD RIZKI"),
        (2, "YOHANES GEBZE"),
    ];

    fn tiny(name_frequency: NameTermFrequency) -> (Vec<f32>, Vec<bool>) {
        let province: Vec<u32> = NAMES.iter().map(|n| n.0).collect();
        let names: TextColumn = NAMES.iter().map(|n| n.1).collect();
        name_adjustments(&province, &names, name_frequency)
    }

    fn close(actual: f32, expected: f64) -> bool {
        (f64::from(actual) - expected).abs() < 1e-6
    }

    #[test]
    fn names_are_estimated_from_their_tokens_by_hand() {
        let (adj, by_tokens) = tiny(NameTermFrequency::Tokens);
        // Province 1: N = 10 named records. Whole names: MUHAMMAD FAJAR and DEWI LESTARI 2/10
        // each, six others 1/10 each, so u_ref = 2 * 0.04 + 6 * 0.01 = 0.14.
        // Two-token names: n_2 = 9, with MUHAMMAD in 4, RIZKI in 3, FAJAR, DEWI and LESTARI in
        // 2, the others in 1. One-token names: n_1 = 1 (MUHAMMAD).
        // MUHAMMAD RIZKI: (9/10) * (4/9) * (3/9) = 12/90 > whole 1/10: set by its tokens.
        assert!(close(adj[0], (0.14f64 * 90.0 / 12.0).log2()) && by_tokens[0]);
        // YOHANES GEBZE: 1/90 < whole 1/10, so the whole name's share.
        assert!(close(adj[7], (0.14f64 / 0.1).log2()) && !by_tokens[7]);
        // MUHAMMAD FAJAR: 4 * 2 / 90 < whole 2/10.
        assert!(close(adj[1], (0.14f64 / 0.2).log2()) && !by_tokens[1]);
        assert_eq!(adj[1], adj[2]);
        // MUHAMMAD alone: one-token names holding MUHAMMAD are 1 of 10, its whole share, although
        // 5 of 10 names contain MUHAMMAD.
        assert!(close(adj[4], (0.14f64 / 0.1).log2()) && !by_tokens[4]);
        // DEWI LESTARI: 2 * 2 / 90 < whole 2/10.
        assert!(close(adj[8], (0.14f64 / 0.2).log2()) && !by_tokens[8]);
        // Province 2 counts on its own: two names of 1/2, u_ref = 0.5; 1 * 1 / (2 * 2) < 1/2.
        assert!(close(adj[11], 0.0) && close(adj[12], 0.0) && !by_tokens[11]);
    }

    #[test]
    fn of_two_unique_names_the_one_of_common_tokens_gains_less() {
        let (adj, _) = tiny(NameTermFrequency::Tokens);
        // Both occur once in province 1.
        assert!(adj[0] < adj[7], "MUHAMMAD RIZKI {} vs YOHANES GEBZE {}", adj[0], adj[7]);
        // By the whole name alone they were equal.
        let (whole, by_tokens) = tiny(NameTermFrequency::Whole);
        assert_eq!(whole[0], whole[7]);
        assert!(close(whole[0], (0.14f64 / 0.1).log2()));
        assert!(by_tokens.iter().all(|b| !b));
    }

    #[test]
    fn reordered_tokens_share_the_token_estimate() {
        // SITI AMINAH 3 times, AMINAH SITI once, BUDI SANTOSO once: N = n_2 = 5. Whole shares
        // 3/5, 1/5, 1/5: u_ref = (9 + 1 + 1) / 25 = 0.44. SITI and AMINAH are in 4 names each:
        // 4 * 4 / (5 * 5) = 0.64 for both orders, above both whole shares.
        let names: TextColumn = ["SITI AMINAH", "SITI AMINAH", "SITI AMINAH", "AMINAH SITI", "BUDI SANTOSO"]
            .into_iter()
            .collect();
        let (adj, by_tokens) = name_adjustments(&[3; 5], &names, NameTermFrequency::Tokens);
        assert!(close(adj[0], (0.44f64 / 0.64).log2()) && by_tokens[0]);
        assert_eq!(adj[0], adj[3]);
        // BUDI SANTOSO: 1 * 1 / 25 < 1/5.
        assert!(close(adj[4], (0.44f64 / 0.2).log2()) && !by_tokens[4]);
    }

    #[test]
    fn a_token_repeated_in_a_name_counts_once() {
        // SITI SITI has one distinct token, like SITI: N = n_1 = 3, SITI in 2 of the three
        // one-token names, so both get 2/3 > their whole share 1/3; u_ref = 3 * (1/9) = 1/3 and
        // log2((1/3) / (2/3)) = -1. (Counted per occurrence, SITI SITI would sit with the
        // two-token names and get another estimate.)
        let names: TextColumn = ["SITI  SITI", "SITI", "BUDI"].into_iter().collect();
        let (adj, by_tokens) = name_adjustments(&[0; 3], &names, NameTermFrequency::Tokens);
        assert!(close(adj[0], -1.0) && by_tokens[0]);
        assert!(close(adj[1], -1.0) && by_tokens[1]);
        // BUDI: 1/3, its whole share: log2((1/3) / (1/3)) = 0.
        assert!(close(adj[2], 0.0) && !by_tokens[2]);
    }

    #[test]
    fn same_result_with_one_and_two_threads() {
        let first = ["MUHAMMAD", "SITI", "YOHANES", "DEWI", "AGUS", "RIZKI", "NUR", "PUTU"];
        let last = ["RIZKI", "AMINAH", "GEBZE", "LESTARI", "SANTOSO", "HIDAYAT", "NUR", ""];
        let mut texts = Vec::new();
        let mut province = Vec::new();
        let mut state = 7u64;
        for _ in 0..20_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let pick = (state >> 33) as usize;
            // A quarter of the records share one of three whole names, so that for them the
            // whole-name count exceeds the token product; the rest are random token triples.
            texts.push(if pick.is_multiple_of(4) {
                ["SITI AMINAH", "AGUS SANTOSO", "DEWI LESTARI"][(pick / 4) % 3].to_string()
            } else {
                format!("{} {} {}", first[pick % 8], last[(pick / 8) % 8], last[(pick / 64) % 8])
            });
            province.push(((pick / 512) % 5) as u32);
        }
        let names: TextColumn = texts.iter().map(String::as_str).collect();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| name_adjustments(&province, &names, NameTermFrequency::Tokens))
        };
        let (one, two) = (run(1), run(2));
        assert!(one.0.iter().zip(&two.0).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert_eq!(one.1, two.1);
        // The data is varied enough for both sources of the estimate to occur.
        assert!(one.1.iter().any(|b| *b) && one.1.iter().any(|b| !b));
    }
}
