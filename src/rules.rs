//! Deterministic rules: exact conditions on a pair's comparison levels, such as "same valid NIK
//! and same name after normalisation", used either to estimate the prior or as a hard link.
//!
//! A rule names, per comparison, the levels it accepts; a pair meets the rule when every named
//! comparison is at one of its accepted levels (and, with `valid_nik`, both NIKs pass every
//! structural check). Levels are the vocabulary because they are what padan already computes
//! for every candidate pair, and they say exactly what the brief's rules say: the blocking keys
//! only know the phonetic name key, not the exact normalised name, and not whether a NIK is valid.
//!
//! - Mode `prior`: the candidate pairs that meet any `prior` rule estimate the prior, as Splink's
//!   "estimate probability two random records match" does: `λ = pairs / recall / all record
//!   pairs`, where `recall` (`training.rule_recall`, default 0.9) is the share of true matches
//!   the rules are assumed to find. It replaces the prior's EM; `training.prior` still wins.
//! - Mode `link`: a candidate pair that meets a `link` rule is decided `match` whatever its score
//!   (a nickname included); the pairs table names the rule in its `deterministic_rule` column
//!   and the explanation says so.
//!
//! Rules only see candidate pairs: a rule's pairs must be found by a blocking rule (the default
//! `nik` rule finds every pair with the same NIK).
//!
//! ```
//! let cfg = padan::Config::from_toml_str(
//!     "[[deterministic_rules]]\nname = \"same_valid_nik_and_name\"\nmode = \"link\"\n\
//!      valid_nik = true\nlevels = { nik = [\"exact\"], name = [\"exact\"] }\n",
//! ).unwrap();
//! assert_eq!(cfg.deterministic_rules[0].mode, padan::rules::RuleMode::Link);
//! ```

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::block::CandidatePairs;
use crate::compare::{ComparisonKind, Comparisons};
use crate::error::ConfigIssue;
use crate::prepare::Prepared;

/// What a deterministic rule does with the pairs it meets.
///
/// ```
/// let mode: padan::rules::RuleMode = serde_json::from_str("\"prior\"").unwrap();
/// assert_eq!(mode, padan::rules::RuleMode::Prior);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleMode {
    /// The pairs estimate the prior (with `training.rule_recall`).
    Prior,
    /// The pairs are decided `match` regardless of their score.
    Link,
}

/// One deterministic rule of the configuration (`[[deterministic_rules]]`).
///
/// ```
/// use padan::rules::{DeterministicRule, RuleMode};
/// let rule = DeterministicRule::new("same_nik_and_name", RuleMode::Link, &[("nik", &["exact"]), ("name", &["exact"])]);
/// assert_eq!(rule.levels["name"], ["exact"]);
/// assert!(!rule.valid_nik);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeterministicRule {
    /// Name shown in the pairs table, the explanations and the training report.
    pub name: String,
    /// `prior` or `link`.
    pub mode: RuleMode,
    /// Comparison name (`nik`, `name`, ...) → the level labels it accepts (as in the model file).
    pub levels: BTreeMap<String, Vec<String>>,
    /// Both records must also have a NIK that passes every structural check (region, date,
    /// serial), not only 16 digits.
    #[serde(default)]
    pub valid_nik: bool,
}

impl DeterministicRule {
    /// A rule from `(comparison, accepted labels)` conditions.
    pub fn new(name: &str, mode: RuleMode, levels: &[(&str, &[&str])]) -> Self {
        Self {
            name: name.to_string(),
            mode,
            levels: levels
                .iter()
                .map(|(c, labels)| (c.to_string(), labels.iter().map(|l| l.to_string()).collect()))
                .collect(),
            valid_nik: false,
        }
    }
}

/// How the prior was estimated from `prior` rules (in the model's training report).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RulePrior {
    /// The `prior` rules used.
    pub rules: Vec<String>,
    /// Candidate pairs meeting at least one of them.
    pub pairs: u64,
    /// The assumed share of true matches they find.
    pub recall: f64,
    /// All record pairs of the input (`n (n - 1) / 2`).
    pub record_pairs: f64,
}

/// The comparison kind of a comparison name, if the run has it.
fn kind_named(comparisons: &Comparisons, name: &str) -> Option<ComparisonKind> {
    comparisons.kinds.iter().copied().find(|k| k.name() == name)
}

/// Problems with the rules under the given comparisons (for [`crate::Config::validate`]).
pub(crate) fn validate(rules: &[DeterministicRule], comparisons: &Comparisons) -> Vec<ConfigIssue> {
    let mut issues = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (r, rule) in rules.iter().enumerate() {
        let path = format!("deterministic_rules[{r}]");
        if rule.name.trim().is_empty() {
            issues.push(ConfigIssue::new(format!("{path}.name"), "the rule name is empty"));
        }
        if !seen.insert(rule.name.as_str()) {
            issues.push(ConfigIssue::new(
                format!("{path}.name"),
                format!("duplicate rule name `{}`", rule.name),
            ));
        }
        if rule.levels.is_empty() {
            issues.push(ConfigIssue::new(format!("{path}.levels"), "a rule needs at least one comparison"));
        }
        for (comparison, labels) in &rule.levels {
            let Some(kind) = kind_named(comparisons, comparison) else {
                let known: Vec<&str> = comparisons.kinds.iter().map(|k| k.name()).collect();
                issues.push(ConfigIssue::new(
                    format!("{path}.levels.{comparison}"),
                    format!("unknown comparison `{comparison}`; the comparisons are {known:?}"),
                ));
                continue;
            };
            let known = comparisons.level_labels(kind);
            if labels.is_empty() {
                issues
                    .push(ConfigIssue::new(format!("{path}.levels.{comparison}"), "list at least one level"));
            }
            for label in labels.iter().filter(|l| !known[1..].contains(l)) {
                issues.push(ConfigIssue::new(
                    format!("{path}.levels.{comparison}"),
                    format!("{comparison} has no level `{label}`; its levels are {:?}", &known[1..]),
                ));
            }
        }
        if rule.valid_nik && kind_named(comparisons, "nik").is_none() {
            issues.push(ConfigIssue::new(format!("{path}.valid_nik"), "the run has no NIK comparison"));
        }
    }
    issues
}

/// A rule turned into level tests: for each named comparison, a bit set of accepted levels.
struct Compiled {
    accepted: Vec<(usize, u64)>,
    valid_nik: bool,
}

fn compile(rule: &DeterministicRule, comparisons: &Comparisons) -> Compiled {
    let accepted = rule
        .levels
        .iter()
        .filter_map(|(name, labels)| {
            let kind = kind_named(comparisons, name)?;
            let c = comparisons.kinds.iter().position(|k| *k == kind)?;
            let all = comparisons.level_labels(kind);
            let bits = all
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(l, label)| *l < 64 && labels.contains(label))
                .fold(0u64, |bits, (l, _)| bits | 1 << l);
            Some((c, bits))
        })
        .collect();
    Compiled { accepted, valid_nik: rule.valid_nik }
}

impl Compiled {
    fn meets(&self, row: &[u8], prepared: &Prepared, i: usize, j: usize) -> bool {
        self.accepted.iter().all(|(c, bits)| row.get(*c).is_some_and(|l| *l < 64 && bits & (1 << l) != 0))
            && (!self.valid_nik || (valid_nik(prepared, i) && valid_nik(prepared, j)))
    }
}

fn valid_nik(prepared: &Prepared, row: usize) -> bool {
    prepared.nik[row]
        .as_ref()
        .and_then(|digits| std::str::from_utf8(digits).ok())
        .is_some_and(|text| crate::indo::nik::parse_nik(text).is_valid())
}

/// For every candidate pair, the index (in `rules`) of the first rule of `mode` it meets.
///
/// `levels` is row-major as in [`Comparisons::compare_all`]. Rules whose index does not fit a
/// byte are ignored (the configuration holds far fewer).
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// use padan::rules::{first_rule_met, DeterministicRule, RuleMode};
/// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("id_dtks", col(vec!["a", "b", "c"])),
///     ("nik", col(vec!["3273015208850002", "3273015208850002", "3273015208850002"])),
///     ("nama", col(vec!["Dewi Lestari", "DEWI LESTARI", "Ratna Sari"])),
/// ]).unwrap();
/// let raw = padan::input::map_batches(&batch.schema(), &[batch], &Default::default()).unwrap();
/// let prepared = padan::prepare::prepare(&raw, true);
/// let pairs = padan::block::block(&prepared, &padan::config::default_blocking_rules(), 100);
/// let comparisons = padan::compare::Comparisons::person(&[0.95, 0.88], true);
/// let levels = comparisons.compare_all(&prepared, &pairs);
/// let rule = DeterministicRule::new("nik_and_name", RuleMode::Link, &[("nik", &["exact"]), ("name", &["exact"])]);
/// let met = first_rule_met(&[rule], RuleMode::Link, &comparisons, &prepared, &pairs, &levels);
/// assert_eq!(met, [Some(0), None, None]); // a-b; a-c and b-c have other names
/// ```
pub fn first_rule_met(
    rules: &[DeterministicRule],
    mode: RuleMode,
    comparisons: &Comparisons,
    prepared: &Prepared,
    pairs: &CandidatePairs,
    levels: &[u8],
) -> Vec<Option<u8>> {
    let compiled: Vec<(u8, Compiled)> = rules
        .iter()
        .enumerate()
        .filter(|(r, rule)| rule.mode == mode && *r < 256)
        .map(|(r, rule)| (r as u8, compile(rule, comparisons)))
        .collect();
    let n = comparisons.len().max(1);
    if compiled.is_empty() {
        return vec![None; pairs.len()];
    }
    levels
        .par_chunks(n)
        .enumerate()
        .map(|(k, row)| {
            let (i, j) = (pairs.left[k] as usize, pairs.right[k] as usize);
            compiled.iter().find(|(_, rule)| rule.meets(row, prepared, i, j)).map(|(r, _)| *r)
        })
        .collect()
}

/// The prior from the pairs that `prior` rules meet: `pairs / recall / record_pairs`, clamped
/// to `[1e-12, 0.5]`; `None` when no rule is in `prior` mode or none of them meets a pair.
///
/// ```
/// use padan::rules::prior_from_rule_pairs;
/// // 900 pairs found at an assumed recall of 0.9 among 10^8 record pairs: 1,000 matches.
/// assert!((prior_from_rule_pairs(900, 0.9, 1e8).unwrap() - 1e-5).abs() < 1e-15);
/// assert_eq!(prior_from_rule_pairs(0, 0.9, 1e8), None);
/// ```
pub fn prior_from_rule_pairs(pairs: u64, recall: f64, record_pairs: f64) -> Option<f64> {
    (pairs > 0 && recall > 0.0 && record_pairs > 0.0)
        .then(|| (pairs as f64 / recall / record_pairs).clamp(1e-12, 0.5))
}
