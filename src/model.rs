//! Fellegi–Sunter model: m and u per comparison level, the prior, and scoring.
//!
//! A pair's match weight is `log2(λ / (1 - λ)) + Σ log2(m / u)` over its comparisons' levels
//! (a null level adds nothing); its match probability is `1 / (1 + 2^-weight)`. The model is a
//! versioned JSON file shared by Rust, Python and the CLI.
//!
//! In this version m comes from documented defaults, u from a seeded random sample of record
//! pairs, and λ from expectation–maximisation of the prior alone over the candidate pairs' level
//! patterns (m and u held fixed).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::compare::{ComparisonKind, Comparisons};
use crate::error::{Error, Result};
use crate::prepare::Prepared;

/// Version of the model file format written by this build.
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// Smallest u (and m) kept, so that no level gets an infinite weight.
const MIN_PROBABILITY: f64 = 1e-9;

/// m and u of one comparison level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelParams {
    /// Level label (e.g. `exact`).
    pub label: String,
    /// P(level | match).
    pub m: f64,
    /// P(level | non-match).
    pub u: f64,
    /// u is set by design or by the user and not estimated from the data.
    #[serde(default)]
    pub u_fixed: bool,
}

impl LevelParams {
    /// `log2(m / u)`.
    pub fn weight(&self) -> f64 {
        (self.m.max(MIN_PROBABILITY) / self.u.max(MIN_PROBABILITY)).log2()
    }
}

/// Parameters of one comparison; `levels[0]` is the null level and carries no weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonParams {
    /// Which comparison.
    pub kind: ComparisonKind,
    /// One entry per level, index = level value.
    pub levels: Vec<LevelParams>,
}

/// How the model was estimated.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    /// Random record pairs sampled for u.
    pub u_sample_pairs: u64,
    /// Seed used for the sample.
    pub seed: u64,
    /// Iterations of the prior's EM.
    pub prior_iterations: u32,
    /// Change of λ in the last iteration.
    pub prior_last_change: f64,
    /// Candidate pairs the prior was fitted on.
    pub candidate_pairs: u64,
}

/// A Fellegi–Sunter model.
///
/// ```
/// use padan::compare::Comparisons;
/// use padan::model::Model;
/// let model = Model::with_default_m(&Comparisons::person(&[0.95, 0.88], true), 1e-4);
/// let json = model.to_json();
/// assert_eq!(Model::from_json(&json).unwrap(), model);
/// assert_eq!(model.level_weight(0, 1), 0.0); // u = m until u is estimated from the data
/// assert!(model.level_weight(0, 5) < 0.0); // the NIK twin pattern (fixed u) counts against a match
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// File format version.
    pub format_version: u32,
    /// padan version that wrote the file.
    pub padan_version: String,
    /// Probability that two random records match (λ).
    pub prior: f64,
    /// Parameters per comparison, in the run's comparison order.
    pub comparisons: Vec<ComparisonParams>,
    /// How the parameters were obtained.
    #[serde(default)]
    pub training: TrainingReport,
}

/// Default m for a level (before normalisation to sum 1), and a fixed u where sampling random
/// pairs would mislead.
///
/// The twin pattern of NIKs (same region and birth date, another serial) is rare among random
/// pairs, but that rarity is already counted by the birth-date and address comparisons: among
/// people born the same day in the same kecamatan it is the normal case. Its u is therefore fixed
/// high, so that the pattern counts against a match rather than for it.
fn default_level(kind: ComparisonKind, label: &str) -> (f64, Option<f64>) {
    let m = match (kind, label) {
        (ComparisonKind::Nik, "exact") => 0.86,
        (ComparisonKind::Nik, "excel_truncated") => 0.02,
        (ComparisonKind::Nik, "transposition") => 0.03,
        (ComparisonKind::Nik, "one_substitution" | "one_edit") => 0.05,
        (ComparisonKind::Nik, "twin_pattern") => return (0.01, Some(0.5)),
        (ComparisonKind::Name, "exact") => 0.60,
        (ComparisonKind::Name, "same_tokens_or_joined" | "phonetic" | "close_spelling") => 0.08,
        (ComparisonKind::Name, "initials" | "similar") => 0.05,
        (ComparisonKind::Name, "nickname") => 0.01,
        (ComparisonKind::Name, "birth_order_conflict") => 0.001,
        (ComparisonKind::Name, l) if l.starts_with("jaro_winkler") => 0.12,
        (ComparisonKind::BirthDate, "exact") => 0.80,
        (ComparisonKind::BirthDate, "exact_placeholder") => 0.05,
        (ComparisonKind::BirthDate, "day_month_swapped") => 0.02,
        (ComparisonKind::BirthDate, "two_of_three_parts" | "same_year") => 0.08,
        (ComparisonKind::Address, "same_rt_rw_village") => 0.55,
        (ComparisonKind::Address, "same_street_village") => 0.05,
        (ComparisonKind::Address, "same_village") => 0.10,
        (ComparisonKind::Address, "same_district") => 0.05,
        (ComparisonKind::Sex, "same") => 0.97,
        (ComparisonKind::Sex, "different") => 0.03,
        (_, "else") => 0.05,
        _ => 0.05,
    };
    (m, None)
}

impl Model {
    /// A model with default m, u = m (no evidence yet, except where u is fixed) and the given prior.
    pub fn with_default_m(comparisons: &Comparisons, prior: f64) -> Self {
        let params = comparisons
            .kinds
            .iter()
            .map(|kind| {
                let labels = comparisons.level_labels(*kind);
                let defaults: Vec<(f64, Option<f64>)> =
                    labels.iter().skip(1).map(|l| default_level(*kind, l)).collect();
                let total: f64 = defaults.iter().map(|d| d.0).sum();
                let mut levels =
                    vec![LevelParams { label: labels[0].clone(), m: 1.0, u: 1.0, u_fixed: false }];
                for (label, (m, fixed_u)) in labels.into_iter().skip(1).zip(defaults) {
                    let m = m / total;
                    levels.push(LevelParams {
                        label,
                        m,
                        u: fixed_u.unwrap_or(m),
                        u_fixed: fixed_u.is_some(),
                    });
                }
                ComparisonParams { kind: *kind, levels }
            })
            .collect();
        Self {
            format_version: MODEL_FORMAT_VERSION,
            padan_version: env!("CARGO_PKG_VERSION").to_string(),
            prior,
            comparisons: params,
            training: TrainingReport::default(),
        }
    }

    /// Serialise as pretty JSON (the model file).
    pub fn to_json(&self) -> String {
        // Serialising plain numbers and strings cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Parse a model file.
    pub fn from_json(text: &str) -> Result<Self> {
        let model: Model = serde_json::from_str(text).map_err(|e| Error::InvalidModel(e.to_string()))?;
        if model.format_version != MODEL_FORMAT_VERSION {
            return Err(Error::InvalidModel(format!(
                "model format version {} is not supported (this build reads {MODEL_FORMAT_VERSION})",
                model.format_version
            )));
        }
        if !(model.prior > 0.0 && model.prior < 1.0) {
            return Err(Error::InvalidModel("prior must be in (0, 1)".into()));
        }
        Ok(model)
    }

    /// Check that the model fits a run's comparisons (same comparisons, same level labels).
    pub fn check_fits(&self, comparisons: &Comparisons) -> Result<()> {
        let ours: Vec<_> = comparisons.kinds.iter().map(|k| (*k, comparisons.level_labels(*k))).collect();
        let theirs: Vec<_> = self
            .comparisons
            .iter()
            .map(|c| (c.kind, c.levels.iter().map(|l| l.label.clone()).collect::<Vec<_>>()))
            .collect();
        if ours != theirs {
            return Err(Error::InvalidModel(format!(
                "the model's comparisons {theirs:?} do not match the configuration's {ours:?}"
            )));
        }
        Ok(())
    }

    /// Weight added by comparison `c` at `level` (0 for the null level).
    pub fn level_weight(&self, c: usize, level: u8) -> f64 {
        if level == 0 {
            return 0.0;
        }
        self.comparisons[c].levels.get(level as usize).map_or(0.0, LevelParams::weight)
    }

    /// `log2(λ / (1 - λ))`.
    pub fn prior_weight(&self) -> f64 {
        (self.prior / (1.0 - self.prior)).log2()
    }

    /// A lookup table `table[c][level]` of weights.
    pub fn weight_table(&self) -> Vec<Vec<f64>> {
        self.comparisons
            .iter()
            .enumerate()
            .map(|(c, p)| (0..p.levels.len()).map(|l| self.level_weight(c, l as u8)).collect())
            .collect()
    }

    /// Estimate u from `sample_pairs` random record pairs drawn with a seeded generator.
    ///
    /// Levels are counted per comparison over the pairs where it is not null, with one
    /// pseudo-count per level so that no u is zero.
    pub fn estimate_u(
        &mut self,
        comparisons: &Comparisons,
        prepared: &Prepared,
        sample_pairs: usize,
        seed: u64,
    ) {
        let n = prepared.len;
        if n < 2 {
            return;
        }
        let all_pairs = n as u128 * (n as u128 - 1) / 2;
        let pairs: Vec<(u32, u32)> = if all_pairs <= sample_pairs as u128 {
            // Small inputs: every pair once is exact and cheaper than sampling.
            (0..n as u32).flat_map(|i| (i + 1..n as u32).map(move |j| (i, j))).collect()
        } else {
            // Draw the sample sequentially so it is the same whatever the thread count.
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..sample_pairs)
                .map(|_| {
                    let i = rng.random_range(0..n);
                    let mut j = rng.random_range(0..n - 1);
                    if j >= i {
                        j += 1;
                    }
                    (i as u32, j as u32)
                })
                .collect()
        };
        let sizes: Vec<usize> = self.comparisons.iter().map(|c| c.levels.len()).collect();
        let counts = pairs
            .par_chunks(8192)
            .map(|chunk| {
                let mut counts: Vec<Vec<u64>> = sizes.iter().map(|s| vec![0u64; *s]).collect();
                for &(i, j) in chunk {
                    for (kind, per_level) in comparisons.kinds.iter().zip(counts.iter_mut()) {
                        let level = comparisons.level(*kind, prepared, i as usize, j as usize);
                        per_level[level as usize] += 1;
                    }
                }
                counts
            })
            .reduce(
                || sizes.iter().map(|s| vec![0u64; *s]).collect(),
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        for (p, q) in x.iter_mut().zip(y) {
                            *p += q;
                        }
                    }
                    a
                },
            );
        for (params, counts) in self.comparisons.iter_mut().zip(counts) {
            // Fixed levels keep their u; the others share what is left, by their counts.
            let fixed_mass: f64 = params.levels[1..].iter().filter(|l| l.u_fixed).map(|l| l.u).sum();
            let free: Vec<usize> = (1..params.levels.len()).filter(|l| !params.levels[*l].u_fixed).collect();
            let observed: u64 = free.iter().map(|l| counts[*l]).sum();
            for level in &free {
                let share = (counts[*level] as f64 + 1.0) / (observed as f64 + free.len() as f64);
                params.levels[*level].u = share * (1.0 - fixed_mass).max(MIN_PROBABILITY);
            }
        }
        self.training.u_sample_pairs = pairs.len() as u64;
        self.training.seed = seed;
    }

    /// Fit λ by EM with m and u fixed: candidate pairs contribute their match posterior, every
    /// other record pair is taken as a non-match.
    pub fn estimate_prior(&mut self, levels: &[u8], comparisons: usize, total_record_pairs: f64) {
        if comparisons == 0 || levels.is_empty() || total_record_pairs <= 0.0 {
            return;
        }
        let pairs = levels.len() / comparisons;
        // Distinct level patterns with counts: EM over patterns, not pairs.
        let mut patterns: Vec<&[u8]> = levels.chunks(comparisons).collect();
        patterns.par_sort_unstable();
        let mut distinct: Vec<(f64, f64)> = Vec::new(); // (sum of level weights, count)
        let table = self.weight_table();
        let mut start = 0;
        for i in 1..=patterns.len() {
            if i == patterns.len() || patterns[i] != patterns[start] {
                let w: f64 = patterns[start].iter().enumerate().map(|(c, l)| table[c][*l as usize]).sum();
                distinct.push((w, (i - start) as f64));
                start = i;
            }
        }
        let mut prior = self.prior.clamp(1e-12, 0.5);
        let mut change = 0.0;
        let mut iterations = 0;
        for _ in 0..200 {
            iterations += 1;
            let prior_w = (prior / (1.0 - prior)).log2();
            let expected: f64 = distinct.iter().map(|(w, n)| n * probability(prior_w + w)).sum();
            let next = (expected / total_record_pairs).clamp(1e-12, 0.5);
            change = (next - prior).abs();
            prior = next;
            if change < prior * 1e-6 {
                break;
            }
        }
        self.prior = prior;
        self.training.prior_iterations = iterations;
        self.training.prior_last_change = change;
        self.training.candidate_pairs = pairs as u64;
    }
}

/// Match probability of a match weight: `1 / (1 + 2^-w)`.
///
/// ```
/// assert_eq!(padan::model::probability(0.0), 0.5);
/// assert!(padan::model::probability(10.0) > 0.999);
/// ```
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// Scores of the candidate pairs.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// Match weight per pair.
    pub match_weight: Vec<f64>,
    /// Match probability per pair.
    pub match_probability: Vec<f64>,
}

/// Score every pair from its levels.
pub fn score(model: &Model, levels: &[u8], comparisons: usize) -> Scores {
    let table = model.weight_table();
    let prior = model.prior_weight();
    let match_weight: Vec<f64> = levels
        .par_chunks(comparisons.max(1))
        .map(|row| prior + row.iter().enumerate().map(|(c, l)| table[c][*l as usize]).sum::<f64>())
        .collect();
    let match_probability = match_weight.par_iter().map(|w| probability(*w)).collect();
    Scores { match_weight, match_probability }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_m_sums_to_one_per_comparison() {
        let comparisons = Comparisons::person(&[0.95, 0.88, 0.7], false);
        let model = Model::with_default_m(&comparisons, 0.01);
        for c in &model.comparisons {
            let total: f64 = c.levels[1..].iter().map(|l| l.m).sum();
            assert!((total - 1.0).abs() < 1e-9, "{:?} sums to {total}", c.kind);
        }
    }

    #[test]
    fn prior_em_recovers_the_share_of_matching_patterns() {
        // One comparison with two levels: agree (m .9, u .01) and disagree (m .1, u .99).
        let comparisons =
            Comparisons { kinds: vec![ComparisonKind::Sex], name_thresholds: vec![], indonesian: false };
        let mut model = Model::with_default_m(&comparisons, 0.1);
        model.comparisons[0].levels[1] =
            LevelParams { label: "same".into(), m: 0.9, u: 0.01, u_fixed: false };
        model.comparisons[0].levels[2] =
            LevelParams { label: "different".into(), m: 0.1, u: 0.99, u_fixed: false };
        // 10,000 pairs of which 1,000 match: expect 900 + 90 agreements.
        let mut levels = vec![1u8; 990];
        levels.extend(vec![2u8; 9_010]);
        model.estimate_prior(&levels, 1, 10_000.0);
        assert!((model.prior - 0.1).abs() < 0.01, "prior {}", model.prior);
    }

    #[test]
    fn rejects_models_of_another_format_or_shape() {
        let comparisons = Comparisons::person(&[0.9], false);
        let model = Model::with_default_m(&comparisons, 0.01);
        let mut json: serde_json::Value = serde_json::from_str(&model.to_json()).unwrap();
        json["format_version"] = 99.into();
        assert!(Model::from_json(&json.to_string()).unwrap_err().to_string().contains("99"));
        assert!(model.check_fits(&Comparisons::person(&[0.9, 0.8], false)).is_err());
        assert!(model.check_fits(&Comparisons::person(&[0.9], true)).is_err());
        assert!(model.check_fits(&comparisons).is_ok());
    }
}
