//! Labelled pairs (training m, evaluating a run) and deterministic rules, through the Rust API.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use padan::compare::ComparisonKind;
use padan::explain::Language;
use padan::labels::Labels;
use padan::pipeline::Decision;
use padan::rules::{DeterministicRule, RuleMode};
use padan::{Config, Deduper};

fn batch(columns: &[(&str, Vec<&str>)]) -> RecordBatch {
    RecordBatch::try_from_iter(columns.iter().map(|(name, values)| {
        let values: Vec<Option<&str>> = values.iter().map(|v| (!v.is_empty()).then_some(*v)).collect();
        (*name, Arc::new(StringArray::from(values)) as ArrayRef)
    }))
    .unwrap()
}

fn labels(pairs: &[(&str, &str, bool)]) -> Labels {
    Labels {
        id_l: pairs.iter().map(|p| p.0.to_string()).collect(),
        id_r: pairs.iter().map(|p| p.1.to_string()).collect(),
        is_match: pairs.iter().map(|p| p.2).collect(),
    }
}

/// Synthetic records and labels from their truth: every true pair of the first entities with
/// two or more rows, and as many non-matches (neighbouring rows of different people).
fn synth_with_labels(rows: usize, seed: u64) -> (RecordBatch, Labels) {
    let data = padan::synth::generate(&padan::synth::SynthOptions { rows, seed, ..Default::default() });
    let ids = data.truth.column_by_name("id_dtks").unwrap().as_string::<i32>().clone();
    let entity =
        arrow_cast::cast(data.truth.column_by_name("entity_id").unwrap(), &arrow_schema::DataType::Utf8)
            .unwrap();
    let entity = entity.as_string::<i32>();
    let mut rows_of: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for row in 0..ids.len() {
        rows_of.entry(entity.value(row)).or_default().push(row);
    }
    let mut pairs = Vec::new();
    for rows in rows_of.values().filter(|r| r.len() > 1) {
        pairs.push((ids.value(rows[0]).to_string(), ids.value(rows[1]).to_string(), true));
    }
    for row in 1..ids.len().min(pairs.len() + 1) {
        if entity.value(row) != entity.value(row - 1) {
            pairs.push((ids.value(row - 1).to_string(), ids.value(row).to_string(), false));
        }
    }
    let labels = Labels {
        id_l: pairs.iter().map(|p| p.0.clone()).collect(),
        id_r: pairs.iter().map(|p| p.1.clone()).collect(),
        is_match: pairs.iter().map(|p| p.2).collect(),
    };
    (data.records, labels)
}

#[test]
fn m_comes_from_labelled_matches_including_pairs_never_blocked_together() {
    // Only the sex is filled in: no blocking rule pairs any two records.
    let records = batch(&[
        ("id_dtks", vec!["a", "b", "c", "d", "e", "f"]),
        ("jenis_kelamin", vec!["L", "L", "P", "L", "P", "P"]),
    ]);
    // Matches: a-b same sex, c-d different sex, e-f same sex; one non-match, not counted for m.
    let labelled = labels(&[("a", "b", true), ("d", "c", true), ("e", "f", true), ("a", "c", false)]);
    let deduper = Deduper::new(Config::default()).unwrap().with_labels(labelled);
    let model = deduper.train_batches(&records.schema(), std::slice::from_ref(&records)).unwrap();
    let report = model.training.labels.as_ref().expect("trained from labels");
    assert_eq!((report.pairs, report.matches, report.not_blocked), (4, 3, 4));
    assert!(model.training.em_sessions.is_empty(), "no EM when labels train m");
    // Sex: 2 of 3 matches agree. The default m is 0.97 (same) / 0.03 (different), summing to 1,
    // and spreads one pseudo-match: (2 + 0.97) / 4 and (1 + 0.03) / 4.
    let sex = &model.comparisons.iter().find(|c| c.kind == ComparisonKind::Sex).unwrap().levels;
    assert!((sex[1].m - 2.97 / 4.0).abs() < 1e-12, "{sex:?}");
    assert!((sex[2].m - 1.03 / 4.0).abs() < 1e-12, "{sex:?}");
    // The NIK is null in every labelled match: its m stays the default.
    let untrained =
        Deduper::new(Config::default()).unwrap().train_batches(&records.schema(), &[records]).unwrap();
    assert_eq!(model.comparisons[0], untrained.comparisons[0]);
}

#[test]
fn labels_without_a_match_or_with_unknown_ids_are_refused() {
    let records = batch(&[("id_dtks", vec!["a", "b", "c"]), ("jenis_kelamin", vec!["L", "L", "P"])]);
    let train = |l: Labels| {
        Deduper::new(Config::default())
            .unwrap()
            .with_labels(l)
            .train_batches(&records.schema(), std::slice::from_ref(&records))
    };
    let err = train(labels(&[("a", "b", false)])).unwrap_err();
    assert!(
        matches!(err, padan::Error::InvalidLabels(_))
            && err.to_string().contains("no pair is labelled a match")
    );
    let err = train(labels(&[("a", "x1", true), ("x2", "b", true)])).unwrap_err().to_string();
    assert!(err.contains("2 labelled id(s) are not in the input: `x1`, `x2`"), "{err}");
}

#[test]
fn trained_from_truth_labels_the_model_is_the_same_with_one_and_two_threads() {
    let (records, labelled) = synth_with_labels(3_000, 11);
    assert!(labelled.matches() > 100, "{} labelled matches", labelled.matches());
    let mut config = Config::default();
    config.training.u_sample_pairs = 50_000; // enough to exercise the sample, quick in debug builds
    config.deterministic_rules.push(DeterministicRule::new(
        "nik_name",
        RuleMode::Prior,
        &[("nik", &["exact"]), ("name", &["exact"])],
    ));
    let json = |threads: usize| {
        let config = Config { threads: Some(threads), ..config.clone() };
        let deduper = Deduper::new(config).unwrap().with_labels(labelled.clone());
        deduper.train_batches(&records.schema(), std::slice::from_ref(&records)).unwrap().to_json()
    };
    let one = json(1);
    assert_eq!(one, json(2));
    assert!(one.contains("\"labels\"") && one.contains("\"prior_from_rules\""), "{one}");
}

#[test]
fn evaluating_a_run_against_its_truth_labels_gives_a_sensible_curve() {
    let (records, labelled) = synth_with_labels(3_000, 12);
    let result = Deduper::new(Config::default()).unwrap().run_batches(&records.schema(), &[records]).unwrap();
    let curve = result.evaluate_labels(&labelled).unwrap();
    assert_eq!(curve.labelled_matches as usize, labelled.matches());
    // Highest threshold first: recall never falls as the threshold falls.
    assert!(
        curve.points.windows(2).all(|w| w[0].match_weight > w[1].match_weight && w[0].recall <= w[1].recall)
    );
    let point = curve.at_precision(0.99).expect("the unsupervised run reaches 0.99 on its truth");
    assert!(point.precision >= 0.99 && point.recall > 0.9, "{point:?}");
    // Every lower threshold falls short of the target.
    assert!(curve.points.iter().filter(|p| p.match_weight < point.match_weight).all(|p| p.precision < 0.99));
    // The pairs table gives the same curve down to pairs_min_probability.
    let from_table = padan::labels::evaluate_pairs_table(&result.pairs_table().unwrap(), &labelled).unwrap();
    assert_eq!(from_table.at_precision(0.99), Some(point));
}

fn three_records() -> RecordBatch {
    batch(&[
        ("id_dtks", vec!["A", "B", "C"]),
        // A and B: one valid NIK and one name; C: an invalid NIK (serial 0000) twice is not possible
        // in three rows, so C only shares the 12-digit prefix.
        ("nik", vec!["3273015208850002", "3273015208850002", "3273015208850003"]),
        ("nama", vec!["Dewi Lestari", "DEWI  LESTARI", "Ratna Sari"]),
        ("tanggal_lahir", vec!["1985-08-12", "1985-08-12", "1985-08-12"]),
    ])
}

#[test]
fn a_link_rule_decides_a_match_whatever_the_score_and_says_so() {
    let records = three_records();
    // Without the rule: three rows are too few to learn how rare a shared NIK is, so A-B goes to review.
    let plain = Deduper::new(Config::default())
        .unwrap()
        .run_batches(&records.schema(), std::slice::from_ref(&records))
        .unwrap();
    let ab =
        (0..plain.pairs.len()).find(|k| (plain.pairs.left[*k], plain.pairs.right[*k]) == (0, 1)).unwrap();
    assert_eq!(plain.decisions[ab], Decision::Review);
    assert!(plain.pairs_table().unwrap().column_by_name("deterministic_rule").is_none());
    assert_eq!(plain.summary.pairs_linked_by_rules, None);

    let mut rule = DeterministicRule::new(
        "same_valid_nik_and_name",
        RuleMode::Link,
        &[("nik", &["exact"]), ("name", &["exact"])],
    );
    rule.valid_nik = true;
    let config = Config { deterministic_rules: vec![rule], ..Config::default() };
    let result = Deduper::new(config).unwrap().run_batches(&records.schema(), &[records]).unwrap();
    assert_eq!(result.scores.match_weight[ab], plain.scores.match_weight[ab], "the score is unchanged");
    assert_eq!(result.decisions[ab], Decision::Match);
    assert_eq!(result.clusters.cluster_id[0], result.clusters.cluster_id[1]);
    assert_eq!(result.summary.pairs_linked_by_rules, Some(1));
    assert_eq!(result.link_rule(ab), Some("same_valid_nik_and_name"));
    // The other pairs (C has another NIK and name) are decided by score.
    assert!((0..result.pairs.len()).filter(|k| *k != ab).all(|k| result.link_rule(k).is_none()));

    let pairs = result.pairs_table().unwrap();
    let rule_column = pairs.column_by_name("deterministic_rule").unwrap().as_string::<i32>();
    let row = (0..pairs.num_rows()).find(|r| !rule_column.is_null(*r)).unwrap();
    assert_eq!(rule_column.value(row), "same_valid_nik_and_name");
    assert_eq!(pairs.column_by_name("decision").unwrap().as_string::<i32>().value(row), "match");

    let explanation = result.explain_ids("A", "B").unwrap();
    assert_eq!(explanation.deterministic_rule.as_deref(), Some("same_valid_nik_and_name"));
    assert_eq!(explanation.decision, Decision::Match);
    let id = explanation.to_text(Language::Indonesian);
    assert!(
        id.contains("ditautkan oleh aturan pasti `same_valid_nik_and_name`")
            && id.trim_end().ends_with("cocok"),
        "{id}"
    );
    let en = explanation.to_text(Language::English);
    assert!(
        en.contains("linked by the deterministic rule `same_valid_nik_and_name` (regardless of the score)"),
        "{en}"
    );
    assert!(serde_json::to_string(&explanation).unwrap().contains("\"deterministic_rule\""));
}

#[test]
fn valid_nik_keeps_a_rule_off_pairs_of_invalid_niks() {
    // Serial 0000 is not a valid NIK, even when both records have it.
    let records = batch(&[
        ("id_dtks", vec!["A", "B"]),
        ("nik", vec!["3273015208850000", "3273015208850000"]),
        ("nama", vec!["Dewi Lestari", "Dewi Lestari"]),
    ]);
    let rule = |valid_nik: bool| DeterministicRule {
        valid_nik,
        ..DeterministicRule::new("r", RuleMode::Link, &[("nik", &["exact"]), ("name", &["exact"])])
    };
    let decide = |valid_nik: bool| {
        let config = Config { deterministic_rules: vec![rule(valid_nik)], ..Config::default() };
        Deduper::new(config)
            .unwrap()
            .run_batches(&records.schema(), std::slice::from_ref(&records))
            .unwrap()
            .rule_links
    };
    assert_eq!(decide(false), [Some(0)]);
    assert_eq!(decide(true), [None]);
}

#[test]
fn a_prior_rule_sets_the_prior_to_its_pairs_over_recall_and_record_pairs() {
    // Ten records: r0-r1 and r2-r3 share a NIK and a name; the others are all different.
    let niks = [
        "3273015208850002",
        "3273015208850002",
        "3578036505900017",
        "3578036505900017",
        "3374011403620003",
        "3172034101900001",
        "3374015506650001",
        "3374012010880002",
        "3578030101900003",
        "3273014506700004",
    ];
    let names = [
        "Dewi Lestari",
        "DEWI LESTARI",
        "Ratna Sari",
        "Ratna Sari",
        "Sukarno Hadi",
        "Sri Wahyuni",
        "Siti Aminah",
        "Ahmad Fauzi",
        "Hasan Basri",
        "Rudi Hartono",
    ];
    let ids: Vec<String> = (0..10).map(|k| format!("r{k}")).collect();
    let records = batch(&[
        ("id_dtks", ids.iter().map(String::as_str).collect()),
        ("nik", niks.to_vec()),
        ("nama", names.to_vec()),
    ]);
    let mut config = Config::default();
    config.deterministic_rules.push(DeterministicRule::new(
        "nik_name",
        RuleMode::Prior,
        &[("nik", &["exact"]), ("name", &["exact"])],
    ));
    config.training.rule_recall = 0.8;
    let model = Deduper::new(config.clone())
        .unwrap()
        .train_batches(&records.schema(), std::slice::from_ref(&records))
        .unwrap();
    // 2 pairs / 0.8 recall / 45 record pairs.
    assert!((model.prior - 2.0 / 0.8 / 45.0).abs() < 1e-15, "prior {}", model.prior);
    let report = model.training.prior_from_rules.as_ref().unwrap();
    assert_eq!((report.pairs, report.recall, report.record_pairs), (2, 0.8, 45.0));
    assert_eq!(report.rules, ["nik_name"]);
    // A prior set in the configuration wins over the rules.
    config.training.prior = Some(0.001);
    let fixed = Deduper::new(config).unwrap().train_batches(&records.schema(), &[records]).unwrap();
    assert_eq!((fixed.prior, fixed.training.prior_from_rules), (0.001, None));
}

#[test]
fn rules_are_validated_with_every_problem_named() {
    let text = "[[deterministic_rules]]\nname = \"r\"\nmode = \"link\"\nlevels = { nik = [\"exactly\"], shoe = [\"big\"] }\n\
                [[deterministic_rules]]\nname = \"r\"\nmode = \"prior\"\nlevels = {}\n[training]\nrule_recall = 0\n";
    let Err(padan::Error::InvalidConfig(issues)) = Config::from_toml_str(text) else {
        panic!("expected InvalidConfig")
    };
    let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "deterministic_rules[0].levels.nik",
            "deterministic_rules[0].levels.shoe",
            "deterministic_rules[1].name",
            "deterministic_rules[1].levels",
            "training.rule_recall"
        ]
    );
    assert!(issues[0].message.contains("no level `exactly`"), "{}", issues[0].message);
    let err = Config::from_toml_str(
        "[[deterministic_rules]]\nname = \"r\"\nmode = \"maybe\"\nlevels = { nik = [\"exact\"] }\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("maybe"), "{err}");
    // The default configuration has none, and round-trips through TOML with one.
    assert!(Config::default().deterministic_rules.is_empty());
    let mut config = Config::default();
    config.deterministic_rules.push(DeterministicRule::new("r", RuleMode::Link, &[("nik", &["exact"])]));
    assert_eq!(Config::from_toml_str(&config.to_toml_string()).unwrap(), config);
}
