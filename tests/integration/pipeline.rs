//! End-to-end tests of the library API on generated and hand-written data.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use padan::config::{BlockingKey, BlockingRule};
use padan::synth::{SynthOptions, generate};
use padan::{Config, Deduper, Model};

fn synth(rows: usize, seed: u64) -> padan::synth::SynthData {
    generate(&SynthOptions { rows, seed, duplicate_rate: 0.1 })
}

fn run(batch: &RecordBatch, config: Config) -> padan::DedupeResult {
    Deduper::new(config).unwrap().run_batches(&batch.schema(), std::slice::from_ref(batch)).unwrap()
}

fn parquet_bytes(batch: &RecordBatch) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.parquet");
    padan::output::write_table(batch, &path).unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn outputs_are_byte_identical_with_one_and_two_threads() {
    let data = synth(6_000, 11);
    let outputs: Vec<_> = [1, 2]
        .iter()
        .map(|threads| {
            let result = run(&data.records, Config { threads: Some(*threads), ..Config::default() });
            (
                parquet_bytes(&result.pairs_table().unwrap()),
                parquet_bytes(&result.clusters_table().unwrap()),
                result.summary_json(),
                result.model.to_json(),
            )
        })
        .collect();
    assert!(!outputs[0].0.is_empty());
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn synthetic_data_meets_the_quality_targets() {
    let data = synth(30_000, 5);
    let result = run(&data.records, Config::default());
    let evaluation =
        padan::evaluate::evaluate_clusters(&result.clusters_table().unwrap(), &data.truth, "id_dtks")
            .unwrap();
    let overall = evaluation.overall;
    assert!(overall.true_pairs > 1_000, "too few true pairs to judge: {overall:?}");
    assert!(overall.precision >= 0.98, "precision {overall:?}");
    assert!(overall.f1 >= 0.95, "F1 {overall:?}");
    for kind in padan::synth::DUPLICATE_KINDS {
        assert!(evaluation.by_kind.contains_key(*kind), "no {kind} pairs in the truth");
    }
}

#[test]
fn every_row_is_accounted_for() {
    let data = synth(3_000, 3);
    let result = run(&data.records, Config::default());
    let clusters = result.clusters_table().unwrap();
    assert_eq!(clusters.num_rows(), data.records.num_rows());
    let s = &result.summary;
    assert_eq!(s.rows_read, 3_000);
    assert_eq!(s.duplicate_rows + s.clusters, s.rows_read);
    let per_rule: u64 = s.blocking.iter().map(|r| r.pairs).sum();
    assert_eq!(per_rule, s.pairs_scored);
    // The id column keeps the input's values, in input order.
    let ids = clusters.column_by_name("id").unwrap();
    assert_eq!(ids.as_ref(), data.records.column_by_name("id_dtks").unwrap().as_ref());
}

fn table(rows: &[[&str; 4]]) -> RecordBatch {
    let col =
        |k: usize| Arc::new(StringArray::from(rows.iter().map(|r| r[k]).collect::<Vec<_>>())) as ArrayRef;
    RecordBatch::try_from_iter([
        ("id_dtks", col(0)),
        ("nik", col(1)),
        ("nama", col(2)),
        ("tanggal_lahir", col(3)),
    ])
    .unwrap()
}

#[test]
fn capped_blocks_are_named_with_the_nik_masked() {
    let batch = table(&[
        ["a", "3273015208850002", "DEWI", "1985-08-12"],
        ["b", "3273015208850002", "DEWI", "1985-08-12"],
        ["c", "3273015208850002", "DEWI", "1985-08-12"],
        ["d", "3578036505900017", "RATNA", "1990-05-25"],
    ]);
    let config = Config {
        blocking: vec![BlockingRule::new("nik", &[BlockingKey::Nik])],
        max_block_size: 2,
        ..Config::default()
    };
    let result = run(&batch, config);
    let capped = &result.summary.blocking[0].capped_blocks;
    assert_eq!(capped.len(), 1);
    assert_eq!(capped[0].size, 3);
    assert_eq!(capped[0].key, "nik=3273 **** **** 0002");
    assert_eq!(result.summary.pairs_scored, 0);
    assert!(!result.summary_json().contains("3273015208850002"));
}

#[test]
fn a_saved_model_scores_another_extract_identically() {
    let data = synth(4_000, 8);
    let first = run(&data.records, Config::default());
    let model = Model::from_json(&first.model.to_json()).unwrap();
    let again = Deduper::new(Config::default())
        .unwrap()
        .with_model(model)
        .unwrap()
        .run_batches(&data.records.schema(), std::slice::from_ref(&data.records))
        .unwrap();
    assert_eq!(again.scores.match_weight, first.scores.match_weight);
    assert_eq!(again.clusters, first.clusters);
}

#[test]
fn each_pair_is_emitted_once_and_tagged_with_its_first_rule() {
    let data = synth(5_000, 21);
    let result = run(&data.records, Config::default());
    let pairs = &result.pairs;
    let mut seen = std::collections::HashSet::new();
    for k in 0..pairs.len() {
        assert!(pairs.left[k] < pairs.right[k]);
        assert!(seen.insert((pairs.left[k], pairs.right[k])), "pair emitted twice");
    }
    // A pair tagged with a later rule must not agree on the NIK (rule 0) when both NIKs exist.
    let p = &result.prepared;
    for k in 0..pairs.len() {
        if pairs.rule[k] > 0
            && let (Some(a), Some(b)) = (p.nik[pairs.left[k] as usize], p.nik[pairs.right[k] as usize])
        {
            assert_ne!(a, b, "pair {k} shares the NIK but is tagged with rule {}", pairs.rule[k]);
        }
    }
}

/// Three men named Sutrisno born on the placeholder date 1 Jul 1970 (brief pair 23), each with a
/// NIK from another region: two have the mother Painem, the third another mother.
fn sutrisno_records() -> RecordBatch {
    let col = |values: Vec<&str>| Arc::new(StringArray::from(values)) as ArrayRef;
    RecordBatch::try_from_iter([
        ("id_dtks", col(vec!["sleman", "jakarta", "bogor"])),
        ("nik", col(vec!["3404010107700005", "3173010107700021", "3201030107700008"])),
        ("nama", col(vec!["Sutrisno", "SUTRISNO", "Sutrisno"])),
        ("nama_ibu_kandung", col(vec!["Painem", "PAINEM", "Sumarni"])),
    ])
    .unwrap()
}

#[test]
fn a_possible_second_nik_is_reviewed_whatever_its_score() {
    let batch = sutrisno_records();
    let by_thresholds = |config: &Config, p: f64| {
        if p >= config.match_threshold {
            padan::pipeline::Decision::Match
        } else if p >= config.review_threshold {
            padan::pipeline::Decision::Review
        } else {
            padan::pipeline::Decision::NonMatch
        }
    };
    let config = Config::default();
    let result = run(&batch, config.clone());
    let pair = |a: &str, b: &str| result.explain_ids(a, b).expect("blocked on name and birth date");
    let same_mother = pair("sleman", "jakarta");
    assert_eq!(same_mother.decision, padan::pipeline::Decision::Review, "{same_mother:?}");
    assert!(same_mother.possible_second_nik);
    assert!(
        same_mother.to_text(padan::explain::Language::English).contains("possibly one person with two NIKs")
    );
    for other in [pair("sleman", "bogor"), pair("jakarta", "bogor")] {
        assert!(!other.possible_second_nik, "another mother: {other:?}");
        assert_eq!(other.decision, by_thresholds(&config, other.match_probability), "{other:?}");
    }
    // Every pair for review is written, whatever its probability.
    let written = result.pairs_table().unwrap().num_rows();
    let reviewed = result.decisions.iter().filter(|d| **d == padan::pipeline::Decision::Review).count();
    assert!(written >= reviewed && reviewed >= 1);

    // Switched off, the pair is decided by the thresholds like any other.
    let config = Config { review_possible_second_nik: false, ..Config::default() };
    let result = run(&batch, config.clone());
    let same_mother = result.explain_ids("sleman", "jakarta").unwrap();
    assert!(!same_mother.possible_second_nik);
    assert_eq!(same_mother.decision, by_thresholds(&config, same_mother.match_probability));
}

#[test]
fn a_clusters_only_run_gives_the_same_pairs_clusters_and_counts() {
    let data = synth(6_000, 13);
    let full = run(&data.records, Config::default());
    let only = run(&data.records, Config { clusters_only: true, ..Config::default() });
    assert!(full.pairs_table().unwrap().num_rows() > 100, "too few pairs to compare");
    assert_eq!(parquet_bytes(&only.pairs_table().unwrap()), parquet_bytes(&full.pairs_table().unwrap()));
    assert_eq!(
        parquet_bytes(&only.clusters_table().unwrap()),
        parquet_bytes(&full.clusters_table().unwrap())
    );
    assert_eq!(only.model.to_json(), full.model.to_json());
    // Every count but the skipped layers' is the full run's.
    let full_summary = full.summary.clone();
    assert!(full_summary.flags.is_some() && full_summary.households.is_some());
    let only_as_full = padan::pipeline::Summary {
        clusters_only: false,
        flags: full_summary.flags.clone(),
        households: full_summary.households.clone(),
        ..only.summary.clone()
    };
    assert_eq!(only_as_full, full_summary);
    // No stage of the skipped layers ran.
    let stages: Vec<&str> = only.timings.iter().map(|(name, _)| *name).collect();
    assert!(!stages.contains(&"flags") && !stages.contains(&"households"), "{stages:?}");
}

#[test]
fn a_clusters_only_summary_says_the_layers_were_skipped() {
    let data = synth(2_000, 2);
    let only = Deduper::new(Config::default())
        .unwrap()
        .with_clusters_only(true)
        .run_batches(&data.records.schema(), std::slice::from_ref(&data.records))
        .unwrap();
    let summary: serde_json::Value = serde_json::from_str(&only.summary_json()).unwrap();
    assert_eq!(summary["clusters_only"], serde_json::Value::Bool(true));
    // Present and null: skipped, not "no flags found".
    assert!(summary.get("flags").is_some_and(|v| v.is_null()), "{summary}");
    assert!(summary.get("households").is_some_and(|v| v.is_null()), "{summary}");
    let full = run(&data.records, Config::default());
    let summary: serde_json::Value = serde_json::from_str(&full.summary_json()).unwrap();
    assert_eq!(summary["clusters_only"], serde_json::Value::Bool(false));
    assert!(summary["flags"]["flags_total"].is_u64() && summary["households"]["kk_numbers"].is_u64());
}

#[test]
fn the_skipped_layers_tables_are_clear_errors() {
    let data = synth(2_000, 2);
    let only = run(&data.records, Config { clusters_only: true, ..Config::default() });
    assert!(only.flags.is_none() && only.households.is_none());
    let skipped = |table: padan::Result<RecordBatch>, layer: &str| {
        let err = table.unwrap_err();
        assert!(matches!(&err, padan::Error::LayerSkipped { layer: l } if l == layer), "{err:?}");
        let message = err.to_string();
        assert!(message.starts_with(&format!("the {layer} were not computed")), "{message}");
        assert!(message.contains("--clusters-only") && message.contains("clusters_only = true"), "{message}");
        // The user's to fix: exit code 2 in the CLI, not an internal error.
        assert!(err.is_user_error());
    };
    skipped(only.flags_table(), "flags");
    skipped(only.review_table(), "flags");
    skipped(only.flag_counts_table(), "flags");
    skipped(only.double_recipients_table(), "flags");
    skipped(only.households_table(), "households");
    assert!(matches!(only.households(), Err(padan::Error::LayerSkipped { .. })));
    // What a person-level run has still works: explanations read pairs and the model only.
    let explanations = only.explanations_table(padan::explain::Language::English).unwrap();
    assert_eq!(explanations.num_rows(), only.pairs_table().unwrap().num_rows());
}

#[test]
fn a_registry_run_refuses_clusters_only() {
    let data = synth(1_000, 4);
    let extract = padan::registry::synth::generate_registry(&data, 4);
    let deduper = Deduper::new(Config::default()).unwrap().with_clusters_only(true);
    let registry = padan::registry::Registry::from_batches(
        &extract.registry.schema(),
        std::slice::from_ref(&extract.registry),
        &deduper.config().registry,
    )
    .unwrap();
    let err = deduper
        .run_batches_with_registry(&data.records.schema(), std::slice::from_ref(&data.records), registry)
        .unwrap_err();
    let padan::Error::InvalidConfig(issues) = &err else { panic!("expected InvalidConfig, got {err:?}") };
    assert_eq!(issues[0].path, "clusters_only");
    assert!(issues[0].message.contains("DECEASED, MOVED and NOT_FOUND flags"), "{err}");
}
