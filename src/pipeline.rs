//! The deduplication pipeline end to end: prepare, block, compare, train, score, cluster.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt8Array, UInt32Array, UInt64Array};
use arrow_schema::SchemaRef;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::block::{self, CandidatePairs, RuleStats};
use crate::cluster::{self, Clusters};
use crate::compare::Comparisons;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::flags::{self, FlagInputs, FlagSummary, Flags, RowFacts};
use crate::households::{self, HouseholdInputs, HouseholdSummary, Households};
use crate::input::{self, Diagnostic, RawRecords};
use crate::labels::{self, Labels};
use crate::model::{self, Model, Scores};
use crate::parallel;
use crate::prepare::{self, Prepared};
use crate::rules::{self, RuleMode};
use crate::tf::TermFrequencies;

/// How many diagnostics the summary lists in full (all are counted).
const SUMMARY_DIAGNOSTICS: usize = 100;

/// Deduplicates one table against itself.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, RecordBatch, StringArray};
/// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
/// let batch = RecordBatch::try_from_iter([
///     ("id_dtks", col(vec!["a", "b", "c"])),
///     ("nik", col(vec!["3273015208850002", "3273015208850002", "3578036505900017"])),
///     ("nama", col(vec!["Dewi Lestari", "DEWI LESTARI", "Ratna Sari"])),
///     ("tanggal_lahir", col(vec!["1985-08-12", "12-08-1985", "1990-05-25"])),
/// ]).unwrap();
/// let deduper = padan::Deduper::new(padan::Config::default()).unwrap();
/// // Three rows are too few to learn how rare a shared NIK is: the pair goes to a person.
/// let alone = deduper.run_batches(&batch.schema(), &[batch.clone()]).unwrap();
/// assert_eq!(alone.summary.rows_read, 3);
/// assert_eq!(alone.decisions, [padan::pipeline::Decision::Review]);
/// // A model trained on a registry extract knows: a and b are one person.
/// let registry = padan::synth::generate(&padan::synth::SynthOptions { rows: 5_000, seed: 1, ..Default::default() });
/// let model = deduper.train_batches(&registry.records.schema(), &[registry.records]).unwrap();
/// let result = deduper.with_model(model).unwrap().run_batches(&batch.schema(), &[batch]).unwrap();
/// assert_eq!(result.clusters.cluster_id, [0, 0, 1]);
/// ```
#[derive(Debug, Clone)]
pub struct Deduper {
    config: Config,
    model: Option<Model>,
    labels: Option<Labels>,
}

/// Everything a run produced.
#[derive(Debug, Clone)]
pub struct DedupeResult {
    /// The prepared records (normalised fields, diagnostics).
    pub prepared: Prepared,
    /// Candidate pairs and their blocking statistics.
    pub pairs: block::CandidatePairs,
    /// Comparison levels, row-major (`levels[pair * comparisons.len() + c]`).
    pub levels: Vec<u8>,
    /// The comparisons used.
    pub comparisons: Comparisons,
    /// Match weight and probability per candidate pair.
    pub scores: Scores,
    /// Decision per candidate pair: match, review or non-match.
    pub decisions: Vec<Decision>,
    /// Per candidate pair, the index (in the configuration's `deterministic_rules`) of the first
    /// `link` rule it meets, which decided it a match; empty when no `link` rule is configured.
    pub rule_links: Vec<Option<u8>>,
    /// Term-frequency adjustments per record, when enabled.
    pub tf: Option<TermFrequencies>,
    /// Cluster per record.
    pub clusters: Clusters,
    /// The model that scored the pairs.
    pub model: Model,
    /// Flags for review: stale signals, duplicates to drop, double recipients, NIK ganda,
    /// duplicate households. `None` when the run was clusters only ([`Config::clusters_only`]),
    /// which skips them.
    pub flags: Option<Flags>,
    /// KK pairs sharing a person: duplicate households, splits (see [`crate::households`]).
    /// `None` when the run was clusters only.
    pub households: Option<Households>,
    /// The run summary.
    pub summary: Summary,
    /// Wall time per stage (not part of the summary, which must be deterministic).
    pub timings: Vec<(&'static str, Duration)>,
    /// The link to a reference registry, when the run had one (see [`crate::registry`]).
    pub registry: Option<crate::registry::RegistryLinks>,
    config: Config,
}

/// What a pair's match probability means under the run's thresholds.
///
/// ```
/// assert_eq!(padan::pipeline::Decision::Review.as_str(), "review");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// At or above `match_threshold`: linked into one cluster.
    Match,
    /// Between `review_threshold` and `match_threshold`: a person should look.
    Review,
    /// Below `review_threshold`.
    NonMatch,
}

impl Decision {
    /// `match`, `review` or `non_match`.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Match => "match",
            Decision::Review => "review",
            Decision::NonMatch => "non_match",
        }
    }
}

/// The decision for a pair: by the thresholds, except that a pair at a review-only level (a
/// nickname) is reviewed instead of linked, and a pair that may be one person with two NIKs
/// ([`Config::review_possible_second_nik`]) is reviewed whatever its probability.
fn decide(config: &Config, probability: f64, review_only: bool, possible_second_nik: bool) -> Decision {
    if possible_second_nik {
        Decision::Review
    } else if probability >= config.match_threshold && !review_only {
        Decision::Match
    } else if probability >= config.review_threshold {
        Decision::Review
    } else {
        Decision::NonMatch
    }
}

/// Whether a pair goes to the pairs output: a probability at or above `pairs_min_probability`,
/// and always a pair decided otherwise than a non-match (a deterministic rule's link, or a pair
/// a person must review whatever its probability, such as a possible second NIK).
fn written(config: &Config, probability: f64, decision: Decision) -> bool {
    probability >= config.pairs_min_probability || decision != Decision::NonMatch
}

/// Counts that describe a run; written as `summary.json`. Byte-identical across runs and
/// thread counts for the same input and configuration.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// padan version.
    pub padan_version: String,
    /// Rows in the input.
    pub rows_read: u64,
    /// Rows with at least one diagnostic (they are still in every count).
    pub rows_with_problems: u64,
    /// All diagnostics.
    pub diagnostics_total: u64,
    /// Diagnostics per code.
    pub diagnostics_by_code: std::collections::BTreeMap<String, u64>,
    /// The first diagnostics, in row order.
    pub diagnostics: Vec<Diagnostic>,
    /// Pairs per blocking rule, and capped blocks.
    pub blocking: Vec<RuleStats>,
    /// Pairs scored (the union over rules).
    pub pairs_scored: u64,
    /// Pairs in the pairs output (match probability ≥ `pairs_min_probability`, and every pair
    /// for review).
    pub pairs_written: u64,
    /// Pairs at or above the match threshold.
    pub pairs_above_threshold: u64,
    /// The match threshold (probability).
    pub match_threshold: f64,
    /// Pairs at or above `review_threshold` and below `match_threshold`: for human review.
    pub pairs_for_review: u64,
    /// Links above the match threshold that `strong_link_threshold` kept from joining two
    /// clusters (0 when the option is off).
    pub weak_links_refused: u64,
    /// Review threshold used.
    pub review_threshold: f64,
    /// Pairs decided `match` by a deterministic `link` rule (absent when none is configured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairs_linked_by_rules: Option<u64>,
    /// Clusters, singletons included.
    pub clusters: u64,
    /// Clusters with two or more rows.
    pub clusters_of_two_or_more: u64,
    /// Rows that sit in clusters of two or more.
    pub rows_in_clusters_of_two_or_more: u64,
    /// Rows that duplicate another row of their cluster (`rows_read - clusters`).
    pub duplicate_rows: u64,
    /// The model's prior and how it was estimated.
    pub model_prior: f64,
    /// Training details.
    pub training: model::TrainingReport,
    /// Whether the run was clusters only ([`Config::clusters_only`]): scored pairs and clusters,
    /// with the flags and household layers skipped (`flags` and `households` are then `null`).
    pub clusters_only: bool,
    /// Flag counts: per code and priority, double recipients per programme; `None` (`null`)
    /// when the run was clusters only.
    pub flags: Option<FlagSummary>,
    /// Household linkage counts: KK pairs per decision, KK numbers to drop; `None` (`null`)
    /// when the run was clusters only.
    pub households: Option<HouseholdSummary>,
    /// The reference-registry link (absent without a registry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registry: Option<crate::registry::RegistrySummary>,
}

impl Deduper {
    /// A deduper for a validated configuration; the model is estimated from each input.
    pub fn new(config: Config) -> Result<Self> {
        config.validate()?;
        Ok(Self { config, model: None, labels: None })
    }

    /// Train m from labelled pairs instead of by EM whenever this deduper estimates a model
    /// (see [`crate::labels`]). A fixed model ([`Deduper::with_model`]) is used as it is.
    ///
    /// ```
    /// use padan::labels::Labels;
    /// use padan::synth::{generate, SynthOptions};
    /// let data = generate(&SynthOptions { rows: 2_000, seed: 3, ..Default::default() });
    /// let labels = Labels {
    ///     id_l: vec!["DTKS0000001".into(), "DTKS0000002".into()],
    ///     id_r: vec!["DTKS0000003".into(), "not-an-id".into()],
    ///     is_match: vec![true, false],
    /// };
    /// let deduper = padan::Deduper::new(padan::Config::default())?.with_labels(labels);
    /// let err = deduper.train_batches(&data.records.schema(), &[data.records]).unwrap_err();
    /// assert!(err.to_string().contains("`not-an-id`"));
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn with_labels(mut self, labels: Labels) -> Self {
        self.labels = Some(labels);
        self
    }

    /// Use a fixed model instead of estimating one.
    pub fn with_model(mut self, model: Model) -> Result<Self> {
        model.check_fits(&self.comparisons())?;
        self.model = Some(model);
        Ok(self)
    }

    /// Set the date the flags compute ages at (`flags.reference_date`), e.g. from a command-line
    /// option; the configuration is validated again.
    pub fn with_flags_reference_date(mut self, date: String) -> Result<Self> {
        self.config.flags.reference_date = Some(date);
        self.config.validate()?;
        Ok(self)
    }

    /// Run person-level deduplication only (`true`: pairs and clusters, no flags, households or
    /// review list) or the full run (`false`), whatever the configuration says; see
    /// [`Config::clusters_only`]. `padan dedupe --clusters-only` sets it.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("id_dtks", col(vec!["a", "b"])),
    ///     ("nik", col(vec!["3273015208850000", "3273015208850002"])),   // serial 0000: invalid
    /// ]).unwrap();
    /// let deduper = padan::Deduper::new(padan::Config::default())?.with_clusters_only(true);
    /// let result = deduper.run_batches(&batch.schema(), &[batch])?;
    /// assert!(result.summary.clusters_only && result.summary.flags.is_none());
    /// assert!(result.flags.is_none() && result.households.is_none());
    /// let err = result.flags_table().unwrap_err();
    /// assert!(err.to_string().starts_with("the flags were not computed"), "{err}");
    /// assert_eq!(result.clusters_table()?.num_rows(), 2);
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn with_clusters_only(mut self, clusters_only: bool) -> Self {
        self.config.clusters_only = clusters_only;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The fixed model ([`Deduper::with_model`]), if any.
    pub fn model(&self) -> Option<&Model> {
        self.model.as_ref()
    }

    /// The comparisons this configuration computes.
    pub fn comparisons(&self) -> Comparisons {
        Comparisons::person(&self.config.name_thresholds, self.config.indonesian_rules)
    }

    /// Read a CSV / Parquet / Arrow IPC file and deduplicate it.
    pub fn run_path(&self, path: &Path) -> Result<DedupeResult> {
        // Reading decodes columns in parallel, so it runs in the configured pool too.
        parallel::pool(self.config.threads)?.install(|| {
            let started = Instant::now();
            let raw = input::read_path(path, &self.config.columns)?;
            let read = started.elapsed();
            let mut result = self.run_in_pool(raw)?;
            result.timings.insert(0, ("read", read));
            Ok(result)
        })
    }

    /// Deduplicate Arrow record batches.
    pub fn run_batches(&self, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<DedupeResult> {
        self.run(input::map_batches(schema, batches, &self.config.columns)?)
    }

    /// Estimate the model of a run: u from a seeded sample of record pairs, m from the labels
    /// when given, else by EM per blocking rule, and the prior, unless the configuration fixes
    /// it: from the `prior` deterministic rules when they meet a pair, else by EM.
    fn estimate_model(
        &self,
        comparisons: &Comparisons,
        prepared: &Prepared,
        pairs: &block::CandidatePairs,
        levels: &[u8],
    ) -> Result<Model> {
        let n = prepared.len as f64;
        let total_pairs = n * (n - 1.0) / 2.0;
        let mut model = Model::with_default_m(comparisons, self.config.training.prior.unwrap_or(1e-4));
        model.fix_levels(&self.config.training.fixed);
        model.estimate_u(
            comparisons,
            prepared,
            self.config.training.u_sample_pairs,
            self.config.training.seed,
        );
        let sessions =
            model::EmSessionSpec::for_rules(&self.config.blocking, pairs, self.config.indonesian_rules);
        match &self.labels {
            Some(labels) => {
                let report = labels::train_from_labels(&mut model, labels, comparisons, prepared, |i, j| {
                    labels::candidate_index(pairs, i, j).is_some()
                })?;
                model.training.labels = Some(report);
            }
            None => model.estimate_m(levels, comparisons, &sessions),
        }
        if self.config.training.prior.is_none() {
            model.estimate_prior(levels, comparisons.len(), total_pairs);
            self.prior_from_rules(&mut model, comparisons, prepared, pairs, levels, total_pairs);
        }
        Ok(model)
    }

    /// Replace the EM prior by the one the `prior` deterministic rules give, when they meet a pair.
    fn prior_from_rules(
        &self,
        model: &mut Model,
        comparisons: &Comparisons,
        prepared: &Prepared,
        pairs: &block::CandidatePairs,
        levels: &[u8],
        total_pairs: f64,
    ) {
        let rules = &self.config.deterministic_rules;
        if !rules.iter().any(|r| r.mode == RuleMode::Prior) {
            return;
        }
        let met = rules::first_rule_met(rules, RuleMode::Prior, comparisons, prepared, pairs, levels);
        let count = met.iter().filter(|m| m.is_some()).count() as u64;
        let recall = self.config.training.rule_recall;
        if let Some(prior) = rules::prior_from_rule_pairs(count, recall, total_pairs) {
            model.prior = prior;
            model.training.prior_from_rules = Some(rules::RulePrior {
                rules: rules.iter().filter(|r| r.mode == RuleMode::Prior).map(|r| r.name.clone()).collect(),
                pairs: count,
                recall,
                record_pairs: total_pairs,
            });
        }
    }

    /// Estimate a model from a CSV / Parquet / Arrow IPC file without scoring it, for
    /// `padan train`: the model file then scores later extracts with [`Deduper::with_model`].
    pub fn train_path(&self, path: &Path) -> Result<Model> {
        let raw =
            parallel::pool(self.config.threads)?.install(|| input::read_path(path, &self.config.columns))?;
        self.train(raw)
    }

    /// Estimate a model from Arrow record batches.
    pub fn train_batches(&self, schema: &SchemaRef, batches: &[RecordBatch]) -> Result<Model> {
        self.train(input::map_batches(schema, batches, &self.config.columns)?)
    }

    /// Estimate a model from records already mapped to logical fields.
    ///
    /// ```
    /// use padan::Deduper;
    /// use padan::synth::{generate, SynthOptions};
    /// let data = generate(&SynthOptions { rows: 2_000, seed: 3, ..Default::default() });
    /// let deduper = Deduper::new(padan::Config::default()).unwrap();
    /// let model = deduper.train_batches(&data.records.schema(), &[data.records.clone()]).unwrap();
    /// // The model scores another extract without retraining.
    /// let other = generate(&SynthOptions { rows: 2_000, seed: 4, ..Default::default() });
    /// let result = deduper.with_model(model).unwrap().run_batches(&other.records.schema(), &[other.records]).unwrap();
    /// assert!(result.summary.clusters_of_two_or_more > 0);
    /// ```
    pub fn train(&self, raw: RawRecords) -> Result<Model> {
        let pool = parallel::pool(self.config.threads)?;
        pool.install(|| {
            let comparisons = self.comparisons();
            let prepared = prepare::prepare(&raw, self.config.indonesian_rules);
            drop(raw);
            let pairs = block::block(&prepared, &self.config.blocking, self.config.max_block_size);
            let levels = comparisons.compare_all(&prepared, &pairs);
            self.estimate_model(&comparisons, &prepared, &pairs, &levels)
        })
    }

    /// Deduplicate records already mapped to logical fields.
    pub fn run(&self, raw: RawRecords) -> Result<DedupeResult> {
        let pool = parallel::pool(self.config.threads)?;
        pool.install(|| self.run_in_pool(raw))
    }

    pub(crate) fn run_in_pool(&self, raw: RawRecords) -> Result<DedupeResult> {
        let mut timings = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
            timings.push((name, clock.elapsed()));
            clock = Instant::now();
        };
        let comparisons = self.comparisons();

        // The flags' row facts read only raw cells: they are gathered while prepare runs. A
        // clusters-only run has no flags: prepare gets every core.
        let (mut prepared, facts) = if self.config.clusters_only {
            (prepare::prepare(&raw, self.config.indonesian_rules), None)
        } else {
            let (prepared, mut facts) = rayon::join(
                || prepare::prepare(&raw, self.config.indonesian_rules),
                || RowFacts::from_raw(&raw),
            );
            facts.nik = prepared.nik_check.clone();
            (prepared, Some(facts))
        };
        // The raw text columns are not needed after prepare; at 1M rows they are ~200 MB.
        drop(raw);
        lap("prepare", &mut timings);
        // Blocking, the name facts of the comparisons and the packed comparison rows all read
        // only the prepared records: they are built side by side.
        let (pairs, ()) = rayon::join(
            || block::block(&prepared, &self.config.blocking, self.config.max_block_size),
            || {
                comparisons.build_name_features(&prepared);
                prepared.comparison_rows.get_or_build(&prepared);
            },
        );
        lap("block", &mut timings);
        // Term frequencies need only the prepared records: they are counted while pairs are
        // compared.
        let (levels, tf) = rayon::join(
            || comparisons.compare_all(&prepared, &pairs),
            || {
                self.config
                    .term_frequency_adjustments
                    .then(|| TermFrequencies::compute_with(&prepared, self.config.name_term_frequency))
            },
        );
        lap("compare", &mut timings);
        let model = match &self.model {
            Some(model) => model.clone(),
            None => self.estimate_model(&comparisons, &prepared, &pairs, &levels)?,
        };
        // Every pair that will be compared has been: the packed rows are 64 MB at 1M records.
        prepared.comparison_rows.release();
        lap("train", &mut timings);
        let scores = model::score(&model, &comparisons, &levels, &pairs, tf.as_ref());
        lap("score", &mut timings);
        let n_comparisons = comparisons.len().max(1);
        let rule_links = if self.config.deterministic_rules.iter().any(|r| r.mode == RuleMode::Link) {
            rules::first_rule_met(
                &self.config.deterministic_rules,
                RuleMode::Link,
                &comparisons,
                &prepared,
                &pairs,
                &levels,
            )
        } else {
            Vec::new()
        };
        let second_nik = comparisons.possible_second_nik().filter(|_| self.config.review_possible_second_nik);
        let decisions: Vec<Decision> = scores
            .match_probability
            .par_iter()
            .zip(levels.par_chunks(n_comparisons))
            .enumerate()
            .map(|(k, (p, row))| match rule_links.get(k) {
                Some(Some(_)) => Decision::Match,
                _ => {
                    let second_nik = second_nik.is_some_and(|rule| rule.applies(row));
                    decide(&self.config, *p, model.review_only(row), second_nik)
                }
            })
            .collect();
        let linked: Vec<bool> = decisions.iter().map(|d| *d == Decision::Match).collect();
        let (clusters, weak_links_refused) = match self.config.strong_link_threshold {
            Some(strong) => cluster::cluster_guarded(
                prepared.len,
                &pairs.left,
                &pairs.right,
                &linked,
                // A rule's link is as strong as a link can be: the guard never refuses it.
                &scores
                    .match_probability
                    .iter()
                    .enumerate()
                    .map(|(k, p)| if matches!(rule_links.get(k), Some(Some(_))) { 1.0 } else { *p })
                    .collect::<Vec<f64>>(),
                strong,
            ),
            None => (cluster::cluster(prepared.len, &pairs.left, &pairs.right, &linked), 0),
        };
        lap("cluster", &mut timings);
        let (flags, households) = match facts {
            None => (None, None),
            Some(facts) => {
                let mut flags = flags::compute(
                    FlagInputs {
                        prepared: &prepared,
                        facts,
                        pairs: &pairs,
                        match_probability: &scores.match_probability,
                        decisions: &decisions,
                        clusters: &clusters,
                    },
                    &self.config.flags,
                );
                lap("flags", &mut timings);
                let households = households::link(
                    HouseholdInputs {
                        prepared: &prepared,
                        pairs: &pairs,
                        match_probability: &scores.match_probability,
                        decisions: &decisions,
                        rule_links: &rule_links,
                        clusters: &clusters,
                        programmes: &flags.facts.programmes,
                        kept_rows: &flags.kept_rows,
                    },
                    &self.config.households,
                );
                flags.add_flags(households.flags(&prepared));
                lap("households", &mut timings);
                (Some(flags), Some(households))
            }
        };

        let mut by_code = std::collections::BTreeMap::new();
        for d in &prepared.diagnostics {
            *by_code.entry(d.code.clone()).or_insert(0u64) += 1;
        }
        let summary = Summary {
            padan_version: env!("CARGO_PKG_VERSION").to_string(),
            rows_read: prepared.len as u64,
            rows_with_problems: prepared.rows_with_problems() as u64,
            diagnostics_total: prepared.diagnostics.len() as u64,
            diagnostics_by_code: by_code,
            diagnostics: prepared.diagnostics.iter().take(SUMMARY_DIAGNOSTICS).cloned().collect(),
            blocking: pairs.rules.clone(),
            pairs_scored: pairs.len() as u64,
            pairs_written: (0..pairs.len())
                .filter(|k| written(&self.config, scores.match_probability[*k], decisions[*k]))
                .count() as u64,
            pairs_above_threshold: linked.iter().filter(|l| **l).count() as u64,
            match_threshold: self.config.match_threshold,
            pairs_for_review: decisions.iter().filter(|d| **d == Decision::Review).count() as u64,
            weak_links_refused,
            review_threshold: self.config.review_threshold,
            pairs_linked_by_rules: (!rule_links.is_empty())
                .then(|| rule_links.iter().filter(|r| r.is_some()).count() as u64),
            clusters: clusters.count() as u64,
            clusters_of_two_or_more: clusters.multi_record_clusters() as u64,
            rows_in_clusters_of_two_or_more: clusters.records_in_multi_record_clusters() as u64,
            duplicate_rows: (prepared.len - clusters.count()) as u64,
            model_prior: model.prior,
            training: model.training.clone(),
            clusters_only: self.config.clusters_only,
            flags: flags.as_ref().map(|f| f.summary.clone()),
            households: households.as_ref().map(|h| h.summary.clone()),
            registry: None,
        };
        Ok(DedupeResult {
            prepared,
            pairs,
            levels,
            comparisons,
            scores,
            decisions,
            rule_links,
            tf,
            clusters,
            model,
            flags,
            households,
            summary,
            timings,
            registry: None,
            config: self.config.clone(),
        })
    }
}

/// The `blocking_rule` and `gamma_<comparison>` columns of the pairs `keep` (pair indices), as
/// the dedupe and link pairs tables have them.
pub(crate) fn rule_and_level_columns(
    keep: &[usize],
    config: &Config,
    pairs: &CandidatePairs,
    comparisons: &Comparisons,
    levels: &[u8],
) -> Vec<(String, ArrayRef)> {
    let mut columns: Vec<(String, ArrayRef)> = vec![(
        "blocking_rule".into(),
        Arc::new(StringArray::from_iter_values(
            keep.iter().map(|k| config.blocking[pairs.rule[*k] as usize].name.as_str()),
        )),
    )];
    let n = comparisons.len();
    for (c, kind) in comparisons.kinds.iter().enumerate() {
        let values: UInt8Array = keep.iter().map(|k| Some(levels[k * n + c])).collect();
        columns.push((format!("gamma_{}", kind.name()), Arc::new(values)));
    }
    columns
}

/// The `match_weight`, `match_probability` and `decision` columns of the pairs `keep`.
pub(crate) fn score_columns(
    keep: &[usize],
    scores: &Scores,
    decisions: &[Decision],
) -> Vec<(String, ArrayRef)> {
    vec![
        (
            "match_weight".into(),
            Arc::new(Float64Array::from_iter_values(keep.iter().map(|k| scores.match_weight[*k]))),
        ),
        (
            "match_probability".into(),
            Arc::new(Float64Array::from_iter_values(keep.iter().map(|k| scores.match_probability[*k]))),
        ),
        (
            "decision".into(),
            Arc::new(StringArray::from_iter_values(keep.iter().map(|k| decisions[*k].as_str()))),
        ),
    ]
}

impl DedupeResult {
    /// Pairs with match probability ≥ `pairs_min_probability`, every pair a deterministic `link`
    /// rule decided and every pair for review, as an Arrow table:
    /// `id_l`, `id_r` (the input's id type), `blocking_rule`, `gamma_<comparison>` (UInt8, the
    /// level), `weight_<comparison>` (Float64: what the comparison added, term-frequency
    /// adjustment included), `match_weight` (the prior weight plus every `weight_` column),
    /// `match_probability`, and `decision` (`match`, `review` or `non_match`: by the thresholds,
    /// never `match` for a pair at a review-only level such as a nickname unless a `link` rule
    /// decided it, and always `review` for a possible second NIK, see
    /// [`Config::review_possible_second_nik`]). When the configuration has `link` rules, a last
    /// column `deterministic_rule` names the rule that linked the pair (null for the others).
    pub fn pairs_table(&self) -> Result<RecordBatch> {
        let keep = self.written_pairs();
        let take = |rows: &[u32]| -> Result<ArrayRef> {
            let indices = UInt32Array::from(keep.iter().map(|k| rows[*k]).collect::<Vec<u32>>());
            Ok(arrow_select::take::take(&self.prepared.id, &indices, None)?)
        };
        let mut columns: Vec<(String, ArrayRef)> =
            vec![("id_l".into(), take(&self.pairs.left)?), ("id_r".into(), take(&self.pairs.right)?)];
        columns.extend(rule_and_level_columns(
            &keep,
            &self.config,
            &self.pairs,
            &self.comparisons,
            &self.levels,
        ));
        let n = self.comparisons.len();
        let tf = model::tf_columns(&self.comparisons, self.tf.as_ref());
        let mut weights: Vec<Vec<f64>> = vec![Vec::with_capacity(keep.len()); n];
        let lookup = model::WeightLookup::new(&self.model);
        for k in &keep {
            let (i, j) = (self.pairs.left[*k] as usize, self.pairs.right[*k] as usize);
            let row = &self.levels[k * n..(k + 1) * n];
            for (c, part) in self.model.contributions_with(&lookup, row, &tf, i, j).enumerate() {
                weights[c].push(part.level_weight + part.tf_adjustment);
            }
        }
        for (kind, values) in self.comparisons.kinds.iter().zip(weights) {
            columns.push((format!("weight_{}", kind.name()), Arc::new(Float64Array::from(values))));
        }
        columns.extend(score_columns(&keep, &self.scores, &self.decisions));
        if !self.rule_links.is_empty() {
            columns.push((
                "deterministic_rule".into(),
                Arc::new(keep.iter().map(|k| self.link_rule(*k)).collect::<StringArray>()),
            ));
        }
        Ok(RecordBatch::try_from_iter(columns)?)
    }

    /// Indices of the candidate pairs the pairs output holds (match probability ≥
    /// `pairs_min_probability`, and every pair for review whatever its probability), in pair
    /// order.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// # let batch = RecordBatch::try_from_iter([
    /// #     ("id_dtks", col(vec!["a", "b"])),
    /// #     ("nik", col(vec!["3273015208850002", "3273015208850002"])),
    /// #     ("nama", col(vec!["Dewi Lestari", "DEWI LESTARI"])),
    /// # ]).unwrap();
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// assert_eq!(result.written_pairs().len(), result.pairs_table()?.num_rows());
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn written_pairs(&self) -> Vec<usize> {
        (0..self.pairs.len())
            .filter(|k| written(&self.config, self.scores.match_probability[*k], self.decisions[*k]))
            .collect()
    }

    /// The name of the deterministic `link` rule that decided candidate pair `pair` a match, if any.
    pub fn link_rule(&self, pair: usize) -> Option<&str> {
        let rule = (*self.rule_links.get(pair)?)?;
        self.config.deterministic_rules.get(rule as usize).map(|r| r.name.as_str())
    }

    /// The configuration of the run.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let batch = RecordBatch::try_from_iter([
    /// #     ("id_dtks", Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef),
    /// # ]).unwrap();
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// assert_eq!(result.config().pairs_min_probability, padan::Config::default().pairs_min_probability);
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// One row per input record: `id`, `cluster_id`, `cluster_size`.
    pub fn clusters_table(&self) -> Result<RecordBatch> {
        RecordBatch::try_from_iter([
            ("id", self.prepared.id.clone()),
            ("cluster_id", Arc::new(UInt64Array::from(self.clusters.cluster_id.clone())) as ArrayRef),
            ("cluster_size", Arc::new(UInt32Array::from(self.clusters.cluster_size.clone())) as ArrayRef),
        ])
        .map_err(Error::from)
    }

    /// The flags as an Arrow table, one row per flag (see [`Flags::table`]): `row`, `id`,
    /// `code`, `priority`, `confidence`, `programs`, `related_rows`, `cluster_id`,
    /// `evidence_id`, `evidence_en`.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("id_dtks", col(vec!["a", "b"])),
    ///     ("nik", col(vec!["3273015208850000", "3273015208850002"])),   // serial 0000: invalid
    ///     ("nama", col(vec!["Alm. Dewi Lestari", "Ratna Sari"])),
    ///     ("tanggal_lahir", col(vec!["1985-08-12", "1985-08-12"])),
    /// ]).unwrap();
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// let flags = result.flags()?;
    /// let codes: Vec<_> = flags.flags.iter().map(|f| (f.row, f.code.as_str())).collect();
    /// assert_eq!(codes, [(0, "INVALID_NIK"), (0, "DECEASED_MARKER")]);
    /// assert_eq!(result.flags_table()?.num_rows(), 2);
    /// assert_eq!(flags.summary.rows_flagged + flags.summary.rows_not_flagged, 2);
    /// # Ok::<(), padan::Error>(())
    /// ```
    ///
    /// A clusters-only run ([`Config::clusters_only`]) has no flags: this and the other flag and
    /// household tables return [`Error::LayerSkipped`].
    pub fn flags_table(&self) -> Result<RecordBatch> {
        self.flags()?.table(&self.prepared, &self.clusters)
    }

    /// The flags, or [`Error::LayerSkipped`] when the run was clusters only.
    pub fn flags(&self) -> Result<&Flags> {
        self.flags.as_ref().ok_or_else(|| Error::LayerSkipped { layer: "flags".into() })
    }

    /// The household linkage, or [`Error::LayerSkipped`] when the run was clusters only.
    pub fn households(&self) -> Result<&Households> {
        self.households.as_ref().ok_or_else(|| Error::LayerSkipped { layer: "households".into() })
    }

    /// The review list: every flag in review order with masked NIK / KK (see
    /// [`Flags::review_table`]); `padan dedupe` writes it as `review.csv`.
    pub fn review_table(&self) -> Result<RecordBatch> {
        self.flags()?.review_table(&self.prepared)
    }

    /// Flags per province, regency, district and code (see [`Flags::counts_table`]).
    pub fn flag_counts_table(&self) -> Result<RecordBatch> {
        self.flags()?.counts_table()
    }

    /// One row per person and programme received on two or more rows (see
    /// [`Flags::double_recipients_table`]).
    pub fn double_recipients_table(&self) -> Result<RecordBatch> {
        self.flags()?.double_recipients_table(&self.prepared)
    }

    /// The KK pairs sharing a person, by score (see [`Households::table`]): `kk_l`, `kk_r`,
    /// `score`, `decision`, `head_agreement`, `members_l`, `members_r`, `matched_members`,
    /// `matched_for_review`,
    /// `mean_probability`, `rows_l`, `rows_r`, `programs_l`, `programs_r`, `programs_both`,
    /// `dropped_kk`, `explanation_id`, `explanation_en`. `padan dedupe` writes it as
    /// `households.<ext>`.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use arrow_array::{ArrayRef, RecordBatch, StringArray};
    /// # let col = |v: Vec<&str>| Arc::new(StringArray::from(v)) as ArrayRef;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("id_dtks", col(vec!["a", "b"])),
    ///     ("no_kk", col(vec!["3273011203100002", "3273011203100002"])),
    /// ]).unwrap();
    /// let result = padan::Deduper::new(padan::Config::default())?.run_batches(&batch.schema(), &[batch])?;
    /// // One KK, nobody registered elsewhere: no pair.
    /// assert_eq!(result.households_table()?.num_rows(), 0);
    /// assert_eq!(result.households()?.summary.kk_numbers, 1);
    /// # Ok::<(), padan::Error>(())
    /// ```
    pub fn households_table(&self) -> Result<RecordBatch> {
        self.households()?.table()
    }

    /// The summary as pretty JSON.
    pub fn summary_json(&self) -> String {
        // A struct of numbers and strings always serialises.
        serde_json::to_string_pretty(&self.summary).unwrap_or_default()
    }
}
