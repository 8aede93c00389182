//! Fellegi–Sunter model: m and u per comparison level, the prior, and scoring.
//!
//! A pair's match weight is `log2(λ / (1 - λ)) + Σ log2(m / u)` over its comparisons' levels
//! (a null level adds nothing); its match probability is `1 / (1 + 2^-weight)`. The model is a
//! versioned JSON file shared by Rust, Python and the CLI.
//!
//! Training is unsupervised and reproducible:
//! - u from a seeded random sample of record pairs ([`Model::estimate_u`]);
//! - m by expectation–maximisation over the candidate pairs, one session per blocking rule, each
//!   leaving out the comparisons its rule fixes ([`Model::estimate_m`]);
//! - λ by EM of the prior alone over all candidate pairs ([`Model::estimate_prior`]).
//!
//! Every EM runs over the distinct level patterns with their counts, not over pairs: a million
//! pairs of five comparisons have a few thousand patterns, so an iteration costs microseconds.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::block::CandidatePairs;
use crate::compare::{ComparisonKind, Comparisons};
use crate::error::{Error, Result};
use crate::prepare::Prepared;
use crate::tf::TermFrequencies;

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
    /// m is set by the user and not estimated from the data.
    #[serde(default)]
    pub m_fixed: bool,
    /// An agreement at this level is adjusted by the frequency of the agreeing value
    /// (see [`crate::tf`]).
    #[serde(default)]
    pub tf_adjusted: bool,
    /// Comparisons whose outcome this level's m and u already include: they add no weight of
    /// their own when a pair is at this level (the NIK twin and sibling patterns are defined
    /// by the names, so the name must not be counted twice).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absorbs: Vec<ComparisonKind>,
    /// Comparisons whose *agreement* this level already implies (both NIKs encode the birth
    /// date and sex): such an agreement adds no weight of its own, a disagreement still does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absorbs_agreement: Vec<ComparisonKind>,
    /// A pair at this level is never linked automatically: however high it scores, a person
    /// decides (a nickname, Wawan / Hermawan, may or may not be the same person).
    #[serde(default)]
    pub review_only: bool,
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
    /// The EM sessions that estimated m, one per blocking rule.
    #[serde(default)]
    pub em_sessions: Vec<EmSession>,
    /// When m was trained from labelled pairs instead of EM (see [`crate::labels`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<crate::labels::LabelTraining>,
    /// When the prior came from deterministic rules in `prior` mode (see [`crate::rules`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_from_rules: Option<crate::rules::RulePrior>,
}

/// One EM session of m: the candidate pairs of one blocking rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmSession {
    /// The blocking rule whose pairs were used.
    pub blocking_rule: String,
    /// Pairs the rule covers.
    pub pairs: u64,
    /// Comparisons left out because the rule fixes them.
    pub left_out: Vec<ComparisonKind>,
    /// Iterations run.
    pub iterations: u32,
    /// Whether the largest change fell below the tolerance before the iteration limit.
    pub converged: bool,
    /// Largest change of any m or of λ, per iteration.
    pub max_change_per_iteration: Vec<f64>,
    /// Share of the session's pairs estimated to match.
    pub match_share: f64,
    /// Expected matching pairs in the session (its weight when sessions are combined).
    pub expected_matches: f64,
}

/// What one EM session trains on: a name, the pairs it covers and the comparisons to leave out.
#[derive(Debug, Clone, PartialEq)]
pub struct EmSessionSpec {
    /// Name reported in [`EmSession::blocking_rule`].
    pub name: String,
    /// Indices of the candidate pairs in the session.
    pub pairs: Vec<u32>,
    /// Comparisons whose level the session's rule fixes.
    pub left_out: Vec<ComparisonKind>,
}

impl EmSessionSpec {
    /// One session per blocking rule (of the first 64) that trains m (`em_session`), over every
    /// candidate pair the rule covers, leaving out the comparisons the rule fixes.
    pub fn for_rules(
        rules: &[crate::config::BlockingRule],
        pairs: &CandidatePairs,
        indonesian: bool,
    ) -> Vec<Self> {
        rules
            .iter()
            .take(64)
            .enumerate()
            .filter(|(_, rule)| rule.em_session)
            .map(|(r, rule)| Self {
                name: rule.name.clone(),
                pairs: (0..pairs.len() as u32)
                    .filter(|k| pairs.rule_mask[*k as usize] & (1 << r) != 0)
                    .collect(),
                left_out: crate::compare::left_out_by(&rule.keys, indonesian),
            })
            .collect()
    }
}

/// Iteration limit of an EM session.
const EM_MAX_ITERATIONS: u32 = 200;
/// An EM session stops when no m (or λ) changes by more than this.
const EM_TOLERANCE: f64 = 1e-5;
/// Pseudo-matches spread by the default m, so that a level no match shows keeps a small m.
const EM_PSEUDO_MATCHES: f64 = 1.0;

/// A Fellegi–Sunter model.
///
/// ```
/// use padan::compare::Comparisons;
/// use padan::model::Model;
/// let model = Model::with_default_m(&Comparisons::person(&[0.95, 0.88], true), 1e-4);
/// let json = model.to_json();
/// assert_eq!(Model::from_json(&json).unwrap(), model);
/// assert_eq!(model.level_weight(0, 1), 0.0); // u = m until u is estimated from the data
/// assert!(model.level_weight(0, 6) < -10.0); // the NIK sibling pattern (fixed u) counts against a match
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
/// The NIK twin and sibling patterns (same district, birth date and sex; another serial) are rare
/// among random pairs, but that rarity is already counted by the birth-date and address
/// comparisons. Their u is therefore the probability *among people of one SIAK batch*: names
/// agreeing there is rare (twins get different names), names differing is the rule. These two
/// u are conditional and do not take a share of the comparison's other levels.
fn default_level(kind: ComparisonKind, label: &str) -> (f64, Option<f64>) {
    let m = match (kind, label) {
        (ComparisonKind::Nik, "exact") => 0.86,
        (ComparisonKind::Nik, "excel_truncated") => 0.02,
        (ComparisonKind::Nik, "transposition") => 0.03,
        (ComparisonKind::Nik, "one_edit") => 0.05,
        (ComparisonKind::Nik, "one_substitution") => 0.03,
        (ComparisonKind::Nik, "region_digit_substitution") => 0.02,
        (ComparisonKind::Nik, "twin_pattern") => return (0.01, Some(0.01)),
        (ComparisonKind::Nik, "sibling_pattern") => return (0.0005, Some(0.99)),
        (ComparisonKind::Name, "exact") => 0.60,
        (ComparisonKind::Name, "same_tokens_or_joined" | "phonetic" | "close_spelling") => 0.08,
        (ComparisonKind::Name, "initials" | "similar") => 0.05,
        (ComparisonKind::Name, "nickname") => 0.01,
        (ComparisonKind::Name, "birth_order_conflict") => 0.001,
        (ComparisonKind::Name, "else") => 0.005,
        (ComparisonKind::Name, l) if l.starts_with("jaro_winkler") => 0.12,
        (ComparisonKind::BirthDate, "exact") => 0.80,
        (ComparisonKind::BirthDate, "exact_placeholder") => 0.05,
        (ComparisonKind::BirthDate, "day_month_swapped") => 0.02,
        (ComparisonKind::BirthDate, "year_off_by_one" | "one_digit") => 0.03,
        (ComparisonKind::BirthDate, "default_date") => 0.02,
        (ComparisonKind::BirthDate, "two_of_three_parts" | "same_year") => 0.08,
        (ComparisonKind::Address, "same_rt_rw_village") => 0.55,
        (ComparisonKind::Address, "same_street_village") => 0.05,
        (ComparisonKind::Address, "same_village") => 0.10,
        (ComparisonKind::Address, "same_district") => 0.05,
        (ComparisonKind::Sex, "same") => 0.97,
        (ComparisonKind::Sex, "different") => 0.03,
        (ComparisonKind::MotherName, "exact") => 0.85,
        (ComparisonKind::MotherName, "similar") => 0.08,
        // Most copies of a person sit in the household they were first listed in; a copy with
        // another relationship in the same KK is a clerical slip, rare.
        (ComparisonKind::Household, "same_kk_same_role") => 0.45,
        (ComparisonKind::Household, "same_kk") => 0.05,
        (ComparisonKind::Household, "same_kk_other_role") => 0.002,
        (ComparisonKind::Household, "else") => 0.50,
        (_, "else") => 0.05,
        _ => 0.05,
    };
    (m, None)
}

/// Levels whose agreement depends on how common the agreeing value is: an exact name or the same
/// name tokens reordered, and the address levels that agree on the village.
fn tf_adjusted(kind: ComparisonKind, label: &str) -> bool {
    matches!(
        (kind, label),
        (ComparisonKind::Name, "exact" | "same_tokens_or_joined")
            | (ComparisonKind::Address, "same_rt_rw_village" | "same_street_village" | "same_village")
    )
}

/// Levels defined jointly with other comparisons (see [`LevelParams::absorbs`]).
///
/// Every member of a KK shares its address: within one KK the address is evidence of the
/// household, which the household level weighs already, not of the person.
fn absorbs(kind: ComparisonKind, label: &str) -> Vec<ComparisonKind> {
    match (kind, label) {
        (ComparisonKind::Nik, "twin_pattern" | "sibling_pattern") => vec![ComparisonKind::Name],
        (ComparisonKind::Household, "same_kk_same_role" | "same_kk" | "same_kk_other_role") => {
            vec![ComparisonKind::Address]
        }
        _ => Vec::new(),
    }
}

/// NIK levels whose random-pair u already counts how rare it is to share a birth date and sex
/// (digits 7-12 encode both): a birth date or sex that agrees is not counted a second time.
///
/// The sibling pattern's u is conditional on one SIAK batch (same district, birth date, sex), so
/// those agreements are part of what it measures: twins share a birthday by definition. Twins
/// share a mother too, so within both batch patterns the mother's name agreeing is no evidence.
fn absorbs_agreement(kind: ComparisonKind, label: &str) -> Vec<ComparisonKind> {
    match (kind, label) {
        (ComparisonKind::Nik, "sibling_pattern") => {
            vec![ComparisonKind::BirthDate, ComparisonKind::Sex, ComparisonKind::MotherName]
        }
        (ComparisonKind::Nik, "twin_pattern") => vec![ComparisonKind::MotherName],
        // Children of one KK share their mother.
        (ComparisonKind::Household, "same_kk_same_role" | "same_kk") => vec![ComparisonKind::MotherName],
        // Two relationships in one KK are two people: a NIK they share is a member entered with
        // another's NIK (NIK ganda), not evidence that they are one.
        (ComparisonKind::Household, "same_kk_other_role") => {
            vec![ComparisonKind::MotherName, ComparisonKind::Nik]
        }
        (
            ComparisonKind::Nik,
            "exact" | "excel_truncated" | "transposition" | "one_substitution" | "region_digit_substitution",
        ) => vec![ComparisonKind::BirthDate, ComparisonKind::Sex],
        _ => Vec::new(),
    }
}

/// Whether a level label means agreement (the levels an implied agreement absorbs).
fn is_agreement(label: &str) -> bool {
    label.starts_with("exact") || label == "same"
}

/// Per-level weights and absorbed comparisons, looked up once per scoring pass.
pub(crate) struct WeightLookup {
    weights: Vec<Vec<f64>>,
    /// `absorbed[c][level]`: bit set of the comparisons a pair at this level does not count.
    absorbed: Vec<Vec<u64>>,
    /// `absorbed_agreement[c][level]`: the same, counted only where those comparisons agree.
    absorbed_agreement: Vec<Vec<u64>>,
    /// `agrees[c][level]`: bit `c` when the level is an agreement.
    agrees: Vec<Vec<u64>>,
}

impl WeightLookup {
    pub(crate) fn new(model: &Model) -> Self {
        let bits = |kinds: &[ComparisonKind]| {
            kinds.iter().fold(0u64, |bits, kind| {
                match model.comparisons.iter().position(|other| other.kind == *kind) {
                    Some(index) if index < 64 => bits | 1 << index,
                    _ => bits,
                }
            })
        };
        let per_level = |f: &dyn Fn(usize, &LevelParams) -> u64| -> Vec<Vec<u64>> {
            model
                .comparisons
                .iter()
                .enumerate()
                .map(|(c, params)| params.levels.iter().map(|level| f(c, level)).collect())
                .collect()
        };
        Self {
            weights: model.weight_table(),
            absorbed: per_level(&|_, level| bits(&level.absorbs)),
            absorbed_agreement: per_level(&|_, level| bits(&level.absorbs_agreement)),
            agrees: per_level(&|c, level| if c < 64 && is_agreement(&level.label) { 1 << c } else { 0 }),
        }
    }

    /// Comparisons of this pattern that another comparison's level absorbs.
    ///
    /// A comparison that is itself absorbed absorbs nothing: when the household level sets a
    /// shared NIK aside (NIK ganda), the birth date and sex that NIK encodes count again.
    #[inline]
    pub(crate) fn absorbed(&self, row: &[u8]) -> u64 {
        let agreeing = row
            .iter()
            .enumerate()
            .fold(0, |bits, (c, level)| bits | self.agrees[c].get(*level as usize).copied().unwrap_or(0));
        let by = |c: usize, level: u8| {
            let level = level as usize;
            self.absorbed[c].get(level).copied().unwrap_or(0)
                | (self.absorbed_agreement[c].get(level).copied().unwrap_or(0) & agreeing)
        };
        let first = row.iter().enumerate().fold(0, |bits, (c, level)| bits | by(c, *level));
        row.iter()
            .enumerate()
            .filter(|(c, _)| *c >= 64 || first & (1 << c) == 0)
            .fold(0, |bits, (c, level)| bits | by(c, *level))
    }

    /// The comparison whose level absorbs comparison `c` in this pattern, given the pattern's
    /// `absorbed` bits ([`WeightLookup::absorbed`]), if any.
    pub(crate) fn absorber(&self, row: &[u8], absorbed: u64, c: usize) -> Option<usize> {
        if c >= 64 || absorbed & (1 << c) == 0 {
            return None;
        }
        let (bit, agreeing) = (1u64 << c, self.agrees[c].get(row[c] as usize).copied().unwrap_or(0) != 0);
        (0..row.len()).filter(|other| *other != c && (*other >= 64 || absorbed & (1 << other) == 0)).find(
            |other| {
                let level = row[*other] as usize;
                self.absorbed[*other].get(level).is_some_and(|b| b & bit != 0)
                    || (agreeing && self.absorbed_agreement[*other].get(level).is_some_and(|b| b & bit != 0))
            },
        )
    }

    /// Sum of level weights of a pattern over the comparisons `counted` allows.
    #[inline]
    fn pattern(&self, row: &[u8], counted: impl Fn(usize) -> bool) -> f64 {
        let absorbed = self.absorbed(row);
        row.iter()
            .enumerate()
            .filter(|(c, _)| absorbed & (1 << c) == 0 && counted(*c))
            .map(|(c, l)| self.weights[c][*l as usize])
            .sum()
    }
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
                let mut levels = vec![LevelParams {
                    label: labels[0].clone(),
                    m: 1.0,
                    u: 1.0,
                    u_fixed: false,
                    m_fixed: false,
                    tf_adjusted: false,
                    absorbs: Vec::new(),
                    absorbs_agreement: Vec::new(),
                    review_only: false,
                }];
                for (label, (m, fixed_u)) in labels.iter().skip(1).cloned().zip(defaults) {
                    let label_for_tf = label.clone();
                    let m = m / total;
                    levels.push(LevelParams {
                        label,
                        m,
                        u: fixed_u.unwrap_or(m),
                        u_fixed: fixed_u.is_some(),
                        m_fixed: false,
                        tf_adjusted: tf_adjusted(*kind, &label_for_tf),
                        absorbs: absorbs(*kind, &label_for_tf),
                        absorbs_agreement: absorbs_agreement(*kind, &label_for_tf),
                        review_only: *kind == ComparisonKind::Name && label_for_tf == "nickname",
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

    /// Set m and/or u of the given levels by hand and mark them fixed, so training keeps them.
    /// Unknown comparisons or labels are ignored (the configuration validates them).
    pub fn fix_levels(&mut self, fixed: &[crate::config::FixedLevel]) {
        for f in fixed {
            let Some(params) = self.comparisons.iter_mut().find(|c| c.kind == f.comparison) else { continue };
            let Some(level) = params.levels.iter_mut().find(|l| l.label == f.level) else { continue };
            if let Some(m) = f.m {
                level.m = m;
                level.m_fixed = true;
            }
            if let Some(u) = f.u {
                level.u = u;
                level.u_fixed = true;
            }
        }
    }

    /// Whether a pair with these levels may only be reviewed, never linked automatically.
    pub fn review_only(&self, row: &[u8]) -> bool {
        row.iter()
            .zip(&self.comparisons)
            .any(|(level, params)| params.levels.get(*level as usize).is_some_and(|l| l.review_only))
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
            let mut sample: Vec<(u32, u32)> = (0..sample_pairs)
                .map(|_| {
                    let i = rng.random_range(0..n);
                    let mut j = rng.random_range(0..n - 1);
                    if j >= i {
                        j += 1;
                    }
                    (i as u32, j as u32)
                })
                .collect();
            // u is a sum of counts, so the order is free: in row order the left records are
            // read in sequence instead of one cache miss each.
            sample.par_sort_unstable();
            sample
        };
        self.count_u(comparisons, prepared, &pairs);
        // A sample of k pairs cannot resolve a u below about 1 / k, and NIK agreement between
        // different people is far rarer than that: take its u from the NIK frequencies instead.
        self.nik_exact_u_from(&prepared.nik);
        self.nik_typo_u_from(comparisons, prepared);
        // Two random records share a KK about once in a million pairs at this scale: the sample
        // sees a handful. The households give the exact share.
        self.household_u_from(&prepared.household, &prepared.relation);
        self.training.u_sample_pairs = pairs.len() as u64;
        self.training.seed = seed;
    }

    /// Estimate u for a link between two datasets prepared together (rows `0..left_len` left,
    /// the rest right): from `sample_pairs` random left–right pairs drawn with a seeded
    /// generator (every pair when there are fewer). The exact-NIK u comes from the right
    /// dataset's own NIK frequencies: a reference registry lists each person once, so two of its
    /// rows sharing a NIK are different people, which is what u measures.
    ///
    /// ```
    /// use padan::compare::Comparisons;
    /// use padan::model::Model;
    /// let data = padan::synth::generate(&padan::synth::SynthOptions { rows: 400, seed: 5, ..Default::default() });
    /// let raw = padan::input::map_batches(&data.records.schema(), &[data.records], &Default::default()).unwrap();
    /// let prepared = padan::prepare::prepare(&raw, true);
    /// let comparisons = Comparisons::person(&[0.95, 0.88], true);
    /// let mut model = Model::with_default_m(&comparisons, 1e-4);
    /// model.estimate_u_between(&comparisons, &prepared, 150, 1_000, 7);
    /// assert_eq!(model.training.u_sample_pairs, 1_000);
    /// ```
    pub fn estimate_u_between(
        &mut self,
        comparisons: &Comparisons,
        prepared: &Prepared,
        left_len: usize,
        sample_pairs: usize,
        seed: u64,
    ) {
        let (n_left, n_right) = (left_len.min(prepared.len), prepared.len.saturating_sub(left_len));
        if n_left == 0 || n_right == 0 {
            return;
        }
        let pairs: Vec<(u32, u32)> = if (n_left as u128) * (n_right as u128) <= sample_pairs as u128 {
            (0..n_left as u32)
                .flat_map(|i| (n_left as u32..prepared.len as u32).map(move |j| (i, j)))
                .collect()
        } else {
            // Drawn sequentially so the sample does not depend on the thread count.
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..sample_pairs)
                .map(|_| (rng.random_range(0..n_left) as u32, (n_left + rng.random_range(0..n_right)) as u32))
                .collect()
        };
        self.count_u(comparisons, prepared, &pairs);
        self.nik_exact_u_from(&prepared.nik[n_left..]);
        self.training.u_sample_pairs = pairs.len() as u64;
        self.training.seed = seed;
    }

    /// Set u of every free level from the levels of `pairs` (non-matches, by assumption).
    fn count_u(&mut self, comparisons: &Comparisons, prepared: &Prepared, pairs: &[(u32, u32)]) {
        let sizes: Vec<usize> = self.comparisons.iter().map(|c| c.levels.len()).collect();
        let records = prepared.comparison_rows.get_or_build(prepared);
        let counts = pairs
            .par_chunks(8192)
            .map(|chunk| {
                let mut counts: Vec<Vec<u64>> = sizes.iter().map(|s| vec![0u64; *s]).collect();
                for &(i, j) in chunk {
                    let (a, b) = (&records[i as usize], &records[j as usize]);
                    for (kind, per_level) in comparisons.kinds.iter().zip(counts.iter_mut()) {
                        let level = comparisons.level_of(*kind, prepared, a, b);
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
            // Fixed levels keep their u (a conditional probability, see `default_level`); the
            // others share the observed pairs, the fixed levels' counts included.
            let free: Vec<usize> = (1..params.levels.len()).filter(|l| !params.levels[*l].u_fixed).collect();
            let observed: u64 = counts[1..].iter().sum();
            for level in &free {
                params.levels[*level].u =
                    (counts[*level] as f64 + 1.0) / (observed as f64 + free.len() as f64);
            }
        }
    }

    /// Set u of the NIK typo levels (one digit, a swap, the Excel-lost last digit; unless fixed)
    /// to their exact shares among all record pairs with two NIKs.
    ///
    /// A sample of k pairs cannot resolve a u below about 1 / k, so the sample's u of these
    /// levels is a floor that does not shrink as the extract grows, while the prior does: the
    /// typo levels would weigh less at 1M rows than at 100k. Every pair one typo apart shares a
    /// NIK with one digit deleted, so all of them are found and their levels counted.
    fn nik_typo_u_from(&mut self, comparisons: &Comparisons, prepared: &Prepared) {
        let Some(c) = comparisons.kinds.iter().position(|k| *k == ComparisonKind::Nik) else { return };
        let with_nik = prepared.nik.iter().filter(|n| n.is_some()).count() as f64;
        if with_nik < 2.0 {
            return;
        }
        let records = prepared.comparison_rows.get_or_build(prepared);
        let levels = self.comparisons[c].levels.len();
        let counts = prepared
            .nik_typo_pairs()
            .par_iter()
            .fold(
                || vec![0.0f64; levels],
                |mut counts, &(i, j)| {
                    let (a, b) = (&records[i as usize], &records[j as usize]);
                    let level = comparisons.level_of(ComparisonKind::Nik, prepared, a, b) as usize;
                    if let Some(count) = counts.get_mut(level) {
                        *count += 1.0;
                    }
                    counts
                },
            )
            .reduce(
                || vec![0.0; levels],
                |mut a, b| {
                    a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        let total = with_nik * (with_nik - 1.0) / 2.0;
        for (level, count) in self.comparisons[c].levels.iter_mut().zip(counts) {
            if !level.u_fixed
                && matches!(
                    level.label.as_str(),
                    "excel_truncated"
                        | "transposition"
                        | "one_substitution"
                        | "one_edit"
                        | "region_digit_substitution"
                )
            {
                // One pseudo-pair, as the sample's counts have: a small extract with no pair at
                // a level does not make that level certain evidence.
                level.u = count.max(1.0) / total;
            }
        }
    }

    /// Set the exact-NIK u (unless fixed) to how often two of these NIKs agree.
    fn nik_exact_u_from(&mut self, niks: &[Option<crate::prepare::IdDigits>]) {
        if let Some(u) = exact_agreement_u(niks)
            && let Some(params) = self.comparisons.iter_mut().find(|c| c.kind == ComparisonKind::Nik)
            && let Some(exact) = params.levels.iter_mut().find(|l| l.label == "exact" && !l.u_fixed)
        {
            exact.u = u.max(MIN_PROBABILITY);
        }
    }

    /// Set u of the household levels (unless fixed) to the exact shares of record pairs, among
    /// those where both KK numbers are known, that share a KK with the same relationship, with a
    /// relationship unknown, and with two relationships; `else` takes the rest.
    fn household_u_from(&mut self, household: &[u32], relation: &[u8]) {
        let Some(params) = self.comparisons.iter_mut().find(|c| c.kind == ComparisonKind::Household) else {
            return;
        };
        let shares = household_pair_shares(household, relation);
        let Some([same_role, unknown, other_role]) = shares else { return };
        for level in params.levels.iter_mut().skip(1).filter(|l| !l.u_fixed) {
            let u = match level.label.as_str() {
                "same_kk_same_role" => same_role,
                "same_kk" => unknown,
                "same_kk_other_role" => other_role,
                _ => 1.0 - same_role - unknown - other_role,
            };
            level.u = u.max(MIN_PROBABILITY);
        }
    }

    /// Estimate m by expectation–maximisation, one session per blocking rule, u held fixed.
    ///
    /// A session runs over the candidate pairs its rule covers and leaves out the comparisons the
    /// rule fixes (in a session of pairs that agree on the birth date, birth-date agreement says
    /// nothing about matching). It fits the share of matches and m of the other comparisons. The
    /// sessions' m are then averaged per comparison, each session weighted by its expected
    /// matches; a comparison no session could train keeps its m. Levels with `m_fixed` keep theirs.
    ///
    /// Sessions are independent and their results are combined in session order, so the model is
    /// the same whatever the thread count.
    pub fn estimate_m(&mut self, levels: &[u8], comparisons: &Comparisons, sessions: &[EmSessionSpec]) {
        let n = comparisons.len();
        if n == 0 {
            return;
        }
        let start = self.clone();
        let mut sum: Vec<Vec<f64>> = self.comparisons.iter().map(|c| vec![0.0; c.levels.len()]).collect();
        let mut weight = vec![0.0; n];
        let mut reports = Vec::new();
        for spec in sessions {
            let free: Vec<bool> = comparisons.kinds.iter().map(|k| !spec.left_out.contains(k)).collect();
            // One free comparison cannot separate two classes: its m would be whatever splits
            // the session's pairs, not what matches look like.
            if spec.pairs.is_empty() || free.iter().filter(|f| **f).count() < 2 {
                continue;
            }
            let patterns = distinct_patterns(levels, n, &spec.pairs);
            let mut session = start.clone();
            let report = session.em_session(&patterns, &free, spec);
            for c in (0..n).filter(|c| free[*c]) {
                for (total, level) in sum[c].iter_mut().zip(&session.comparisons[c].levels) {
                    *total += report.expected_matches * level.m;
                }
                weight[c] += report.expected_matches;
            }
            reports.push(report);
        }
        for (c, params) in self.comparisons.iter_mut().enumerate() {
            if weight[c] <= 0.0 {
                continue;
            }
            for (level, total) in params.levels.iter_mut().zip(&sum[c]).skip(1) {
                if !level.m_fixed {
                    level.m = (total / weight[c]).max(MIN_PROBABILITY);
                }
            }
        }
        self.training.em_sessions = reports;
    }

    /// One EM session over distinct patterns `(levels, count)`, updating `self`'s m of the free
    /// comparisons.
    fn em_session(&mut self, patterns: &[(&[u8], f64)], free: &[bool], spec: &EmSessionSpec) -> EmSession {
        let total: f64 = patterns.iter().map(|p| p.1).sum();
        let default_m: Vec<Vec<f64>> =
            self.comparisons.iter().map(|c| c.levels.iter().map(|l| l.m).collect()).collect();
        let mut share: f64 = 0.5;
        let mut report = EmSession {
            blocking_rule: spec.name.clone(),
            pairs: spec.pairs.len() as u64,
            left_out: spec.left_out.clone(),
            ..EmSession::default()
        };
        let mut expected = 0.0;
        for _ in 0..EM_MAX_ITERATIONS {
            report.iterations += 1;
            // E step: the match posterior of each pattern, from the free comparisons only.
            let lookup = WeightLookup::new(self);
            let prior = (share / (1.0 - share)).log2();
            let mut matched: Vec<Vec<f64>> =
                self.comparisons.iter().map(|c| vec![0.0; c.levels.len()]).collect();
            expected = 0.0;
            for (pattern, count) in patterns {
                let w = lookup.pattern(pattern, |c| free[c]);
                let posterior = count * probability(prior + w);
                expected += posterior;
                for (c, level) in pattern.iter().enumerate() {
                    matched[c][*level as usize] += posterior;
                }
            }
            // M step: m of each free comparison over the pairs where it is not null.
            let mut change: f64 = 0.0;
            for (c, params) in self.comparisons.iter_mut().enumerate().filter(|(c, _)| free[*c]) {
                let fixed: f64 = params.levels[1..].iter().filter(|l| l.m_fixed).map(|l| l.m).sum();
                let free_levels: Vec<usize> =
                    (1..params.levels.len()).filter(|l| !params.levels[*l].m_fixed).collect();
                let prior_mass: f64 =
                    free_levels.iter().map(|l| default_m[c][*l]).sum::<f64>().max(MIN_PROBABILITY);
                let observed: f64 = free_levels.iter().map(|l| matched[c][*l]).sum();
                for &l in &free_levels {
                    let smoothed = (matched[c][l] + EM_PSEUDO_MATCHES * default_m[c][l] / prior_mass)
                        / (observed + EM_PSEUDO_MATCHES);
                    let m = (smoothed * (1.0 - fixed)).max(MIN_PROBABILITY);
                    change = change.max((m - params.levels[l].m).abs());
                    params.levels[l].m = m;
                }
            }
            let next = (expected / total).clamp(1e-9, 1.0 - 1e-9);
            change = change.max((next - share).abs());
            share = next;
            report.max_change_per_iteration.push(change);
            if change < EM_TOLERANCE {
                report.converged = true;
                break;
            }
        }
        report.match_share = share;
        report.expected_matches = expected;
        report
    }

    /// Fit λ by EM with m and u fixed: candidate pairs contribute their match posterior, every
    /// other record pair is taken as a non-match.
    pub fn estimate_prior(&mut self, levels: &[u8], comparisons: usize, total_record_pairs: f64) {
        if comparisons == 0 || levels.is_empty() || total_record_pairs <= 0.0 {
            return;
        }
        let pairs = levels.len() / comparisons;
        // Distinct level patterns with counts: EM over patterns, not pairs.
        let lookup = WeightLookup::new(self);
        let distinct: Vec<(f64, f64)> = pattern_counts(levels.chunks(comparisons)) // (sum of level weights, count)
            .into_iter()
            .map(|(pattern, count)| (lookup.pattern(pattern, |_| true), count))
            .collect();
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

/// The share of record pairs, among those where both values are present, that agree exactly.
fn exact_agreement_u<T: Ord + Copy + Send + Sync>(values: &[Option<T>]) -> Option<f64> {
    // Values, not references: sorting references reads each value through a pointer.
    let mut present: Vec<T> = values.iter().flatten().copied().collect();
    let total = present.len() as f64;
    if present.len() < 2 {
        return None;
    }
    present.par_sort_unstable();
    let mut agreeing = 0.0;
    let mut start = 0;
    for i in 1..=present.len() {
        if i == present.len() || present[i] != present[start] {
            let run = (i - start) as f64;
            agreeing += run * (run - 1.0);
            start = i;
        }
    }
    Some(agreeing / (total * (total - 1.0)))
}

/// Shares of record pairs with a KK on both sides that share it (a) with the same relationship
/// to the head, (b) with a relationship unknown on a side, (c) with two relationships; `None`
/// with fewer than two such records. `household` holds dense ids (0 = no KK).
fn household_pair_shares(household: &[u32], relation: &[u8]) -> Option<[f64; 3]> {
    let groups = household.iter().copied().max().unwrap_or(0) as usize;
    let mut members = vec![[0u64; 9]; groups + 1];
    let mut with_kk = 0u64;
    for (&id, &rel) in household.iter().zip(relation) {
        if id != 0 {
            members[id as usize][usize::from(rel.min(8))] += 1;
            with_kk += 1;
        }
    }
    if with_kk < 2 {
        return None;
    }
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let (mut same_role, mut unknown, mut other_role) = (0u64, 0u64, 0u64);
    for counts in &members[1..] {
        let all: u64 = counts.iter().sum();
        let known = all - counts[0];
        let same: u64 = counts[1..].iter().map(|c| pairs(*c)).sum();
        same_role += same;
        unknown += pairs(all) - pairs(known);
        other_role += pairs(known) - same;
    }
    let total = pairs(with_kk) as f64;
    Some([same_role as f64 / total, unknown as f64 / total, other_role as f64 / total])
}

/// Distinct level patterns of the given pairs, with their counts, in a fixed (sorted) order.
fn distinct_patterns<'a>(levels: &'a [u8], comparisons: usize, pairs: &[u32]) -> Vec<(&'a [u8], f64)> {
    pattern_counts(pairs.iter().map(|k| &levels[*k as usize * comparisons..(*k as usize + 1) * comparisons]))
}

/// Each distinct pattern with its count, sorted by pattern. Counting in a map and sorting only
/// the few hundred distinct patterns is much cheaper than sorting every pair's pattern.
fn pattern_counts<'a>(patterns: impl Iterator<Item = &'a [u8]>) -> Vec<(&'a [u8], f64)> {
    let mut counts: rustc_hash::FxHashMap<&[u8], u64> = Default::default();
    for pattern in patterns {
        *counts.entry(pattern).or_insert(0) += 1;
    }
    let mut out: Vec<(&[u8], f64)> = counts.into_iter().map(|(pattern, n)| (pattern, n as f64)).collect();
    out.sort_unstable_by(|a, b| a.0.cmp(b.0));
    out
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

/// The per-record term-frequency adjustments that may apply to each level of each comparison
/// (`[comparison][level]`; the model's [`LevelParams::tf_adjusted`] decides whether they do).
pub fn tf_columns<'a>(
    comparisons: &Comparisons,
    tf: Option<&'a TermFrequencies>,
) -> Vec<Vec<Option<&'a [f32]>>> {
    comparisons
        .kinds
        .iter()
        .map(|kind| {
            let labels = comparisons.level_labels(*kind);
            labels.iter().map(|label| tf.and_then(|tf| tf.values(*kind, label))).collect()
        })
        .collect()
}

/// What one comparison added to a pair's match weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contribution {
    /// `log2(m / u)` of the pair's level (0 for null).
    pub level_weight: f64,
    /// Term-frequency adjustment of the agreeing value (0 when the level is not adjusted).
    pub tf_adjustment: f64,
    /// Another comparison's level already includes this one (both parts are then 0).
    pub absorbed: bool,
}

impl Model {
    /// The contribution of every comparison to the match weight of records `i` and `j` whose
    /// levels are `row`. The match weight is the prior weight plus the sum of both parts.
    pub fn contributions<'a>(
        &'a self,
        row: &'a [u8],
        tf: &[Vec<Option<&[f32]>>],
        i: usize,
        j: usize,
    ) -> impl Iterator<Item = Contribution> + 'a {
        self.contributions_with(&WeightLookup::new(self), row, tf, i, j)
    }

    /// [`Model::contributions`] with the model's lookup tables built once by the caller, for
    /// loops over many pairs.
    pub(crate) fn contributions_with<'a>(
        &'a self,
        lookup: &WeightLookup,
        row: &'a [u8],
        tf: &[Vec<Option<&[f32]>>],
        i: usize,
        j: usize,
    ) -> impl Iterator<Item = Contribution> + use<'a> {
        let absorbed = lookup.absorbed(row);
        let tf: Vec<Option<f64>> = row
            .iter()
            .enumerate()
            .map(|(c, level)| {
                let adjusted = self.comparisons[c].levels.get(*level as usize).is_some_and(|l| l.tf_adjusted);
                match tf.get(c).and_then(|levels| levels.get(*level as usize)) {
                    Some(Some(values)) if adjusted && *level != 0 => {
                        Some(TermFrequencies::pair(values, i, j))
                    }
                    _ => None,
                }
            })
            .collect();
        row.iter().zip(tf).enumerate().map(move |(c, (level, tf))| {
            if absorbed & (1 << c) != 0 {
                Contribution { level_weight: 0.0, tf_adjustment: 0.0, absorbed: true }
            } else {
                Contribution {
                    level_weight: self.level_weight(c, *level),
                    tf_adjustment: tf.unwrap_or(0.0),
                    absorbed: false,
                }
            }
        })
    }
}

/// Score every pair from its levels, with term-frequency adjustments when `tf` is given.
pub fn score(
    model: &Model,
    comparisons: &Comparisons,
    levels: &[u8],
    pairs: &CandidatePairs,
    tf: Option<&TermFrequencies>,
) -> Scores {
    let n = comparisons.len().max(1);
    let lookup = WeightLookup::new(model);
    let adjusted: Vec<Vec<bool>> =
        model.comparisons.iter().map(|c| c.levels.iter().map(|l| l.tf_adjusted).collect()).collect();
    let tf = tf_columns(comparisons, tf);
    let prior = model.prior_weight();
    let match_weight: Vec<f64> = levels
        .par_chunks(n)
        .enumerate()
        .map(|(k, row)| {
            let (i, j) = (pairs.left[k] as usize, pairs.right[k] as usize);
            let mut weight = prior;
            let absorbed = lookup.absorbed(row);
            for (c, level) in row.iter().enumerate().filter(|(c, _)| absorbed & (1 << c) == 0) {
                let level = *level as usize;
                weight += lookup.weights[c][level];
                if let Some(Some(values)) = tf[c].get(level)
                    && level != 0
                    && adjusted[c][level]
                {
                    weight += TermFrequencies::pair(values, i, j);
                }
            }
            weight
        })
        .collect();
    let match_probability = match_weight.par_iter().map(|w| probability(*w)).collect();
    Scores { match_weight, match_probability }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn household_shares_count_every_pair_of_one_kk_once() {
        // KK 1: head, spouse, two children and one member without a relationship; KK 2: two
        // children; one record without a KK.
        let household = [1, 1, 1, 1, 1, 2, 2, 0];
        let relation = [1, 2, 3, 3, 0, 3, 3, 1];
        let [same, unknown, other] = household_pair_shares(&household, &relation).unwrap();
        let total = 21.0; // 7 records with a KK
        assert_eq!(same * total, 2.0, "the two children of each KK");
        assert_eq!(unknown * total, 4.0, "the member without a relationship with the other four");
        assert_eq!(other * total, 5.0, "head-spouse, head and spouse with each child");
        assert_eq!(household_pair_shares(&[0, 0, 3], &[1, 1, 1]), None);
    }

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
    fn pattern_counts_are_sorted_by_pattern_with_their_counts() {
        let levels: [u8; 10] = [1, 2, 0, 3, 1, 2, 0, 3, 0, 1];
        let got = pattern_counts(levels.chunks(2));
        let want: Vec<(&[u8], f64)> = vec![(&[0, 1], 1.0), (&[0, 3], 2.0), (&[1, 2], 2.0)];
        assert_eq!(got, want);
        // A session over some of the pairs counts only those.
        assert_eq!(distinct_patterns(&levels, 2, &[1, 3, 4]), vec![(&[0, 1][..], 1.0), (&[0, 3][..], 2.0)]);
    }

    #[test]
    fn prior_em_recovers_the_share_of_matching_patterns() {
        // One comparison with two levels: agree (m .9, u .01) and disagree (m .1, u .99).
        let comparisons =
            Comparisons { kinds: vec![ComparisonKind::Sex], name_thresholds: vec![], indonesian: false };
        let mut model = Model::with_default_m(&comparisons, 0.1);
        model.comparisons[0].levels[1] = LevelParams {
            label: "same".into(),
            m: 0.9,
            u: 0.01,
            u_fixed: false,
            m_fixed: false,
            tf_adjusted: false,
            absorbs: Vec::new(),
            absorbs_agreement: Vec::new(),
            review_only: false,
        };
        model.comparisons[0].levels[2] = LevelParams {
            label: "different".into(),
            m: 0.1,
            u: 0.99,
            u_fixed: false,
            m_fixed: false,
            tf_adjusted: false,
            absorbs: Vec::new(),
            absorbs_agreement: Vec::new(),
            review_only: false,
        };
        // 10,000 pairs of which 1,000 match: expect 900 + 90 agreements.
        let mut levels = vec![1u8; 990];
        levels.extend(vec![2u8; 9_010]);
        model.estimate_prior(&levels, 1, 10_000.0);
        assert!((model.prior - 0.1).abs() < 0.01, "prior {}", model.prior);
    }

    #[test]
    fn em_recovers_the_m_that_generated_the_data() {
        // Three comparisons with known m and u; 20% of 50,000 pairs match.
        let comparisons = Comparisons {
            kinds: vec![ComparisonKind::Sex, ComparisonKind::BirthDate, ComparisonKind::Address],
            name_thresholds: vec![],
            indonesian: false,
        };
        let mut model = Model::with_default_m(&comparisons, 0.01);
        let truth_m: [&[f64]; 3] = [&[0.95, 0.05], &[0.7, 0.1, 0.15, 0.05], &[0.6, 0.3, 0.1]];
        let truth_u: [&[f64]; 3] = [&[0.5, 0.5], &[0.01, 0.01, 0.08, 0.9], &[0.02, 0.08, 0.9]];
        for (c, params) in model.comparisons.iter_mut().enumerate() {
            for (l, level) in params.levels.iter_mut().skip(1).enumerate() {
                level.u = truth_u[c][l];
                level.u_fixed = true;
            }
        }
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let draw = |rng: &mut ChaCha8Rng, probabilities: &[f64]| -> u8 {
            let mut x: f64 = rng.random();
            for (l, p) in probabilities.iter().enumerate() {
                if x < *p {
                    return l as u8 + 1;
                }
                x -= p;
            }
            probabilities.len() as u8
        };
        let mut levels = Vec::new();
        for _ in 0..50_000 {
            let matching = rng.random::<f64>() < 0.2;
            for c in 0..3 {
                let table = if matching { truth_m[c] } else { truth_u[c] };
                levels.push(draw(&mut rng, table));
            }
        }
        let session = EmSessionSpec { name: "all".into(), pairs: (0..50_000).collect(), left_out: vec![] };
        model.estimate_m(&levels, &comparisons, &[session]);
        let report = &model.training.em_sessions[0];
        assert!(report.converged, "EM did not converge: {:?}", report.max_change_per_iteration.last());
        assert!((report.match_share - 0.2).abs() < 0.01, "match share {}", report.match_share);
        for (c, params) in model.comparisons.iter().enumerate() {
            for (l, level) in params.levels.iter().skip(1).enumerate() {
                assert!(
                    (level.m - truth_m[c][l]).abs() < 0.02,
                    "{:?} {}: m {} vs {}",
                    params.kind,
                    level.label,
                    level.m,
                    truth_m[c][l]
                );
            }
        }
    }

    #[test]
    fn a_session_leaves_out_what_its_rule_fixes_and_fixed_m_stays() {
        let comparisons = Comparisons::person(&[0.9], true);
        let mut model = Model::with_default_m(&comparisons, 0.01);
        model.fix_levels(&[crate::config::FixedLevel {
            comparison: ComparisonKind::Name,
            level: "nickname".into(),
            m: Some(0.02),
            u: None,
        }]);
        let before = model.clone();
        // Every pair agrees on everything: a session that leaves the name out cannot move its m.
        let levels = vec![1u8; comparisons.len() * 100];
        let session = EmSessionSpec {
            name: "name".into(),
            pairs: (0..100).collect(),
            left_out: vec![ComparisonKind::Name],
        };
        model.estimate_m(&levels, &comparisons, &[session]);
        assert_eq!(model.comparisons[1], before.comparisons[1], "the name was left out");
        assert_ne!(model.comparisons[0], before.comparisons[0], "the NIK was trained");
        let nickname = model.comparisons[1].levels.iter().find(|l| l.label == "nickname").unwrap();
        assert_eq!(nickname.m, 0.02);
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
