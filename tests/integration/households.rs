//! Household linkage end to end: `tests/fixtures/households_dtks.csv`, whose answers are worked
//! out by hand in `tests/fixtures/README.md`, and generated data.

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use padan::households::{HeadAgreement, HouseholdDecision};
use padan::synth::{SynthOptions, generate};
use padan::{Config, DedupeResult, Deduper};

fn fixture_result(threads: usize) -> DedupeResult {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/households_dtks.csv");
    // The fixture is too small to learn from: score it with a model trained on generated data.
    let deduper = Deduper::new(Config { threads: Some(threads), ..Config::default() }).unwrap();
    let registry = generate(&SynthOptions { rows: 5_000, seed: 1, ..Default::default() });
    let model = deduper.train_batches(&registry.records.schema(), &[registry.records]).unwrap();
    deduper.with_model(model).unwrap().run_path(&path).unwrap()
}

fn strings(batch: &RecordBatch, column: &str) -> Vec<Option<String>> {
    let array = batch.column_by_name(column).unwrap().as_string::<i32>();
    (0..array.len()).map(|i| array.is_valid(i).then(|| array.value(i).to_string())).collect()
}

#[test]
fn the_fixture_families_are_told_apart() {
    let result = fixture_result(2);
    let found: Vec<(String, String, HouseholdDecision, HeadAgreement)> = result
        .households()
        .unwrap()
        .pairs
        .iter()
        .map(|p| {
            (
                String::from_utf8_lossy(&p.kk_l).into(),
                String::from_utf8_lossy(&p.kk_r).into(),
                p.decision,
                p.head,
            )
        })
        .collect();
    let pair = |l: &str, r: &str| found.iter().find(|p| p.0 == l && p.1 == r).map(|p| (p.2, p.3));
    // Santoso: the same family typed again under a new KK.
    assert_eq!(
        pair("3273011203100002", "3273012005220001"),
        Some((HouseholdDecision::Duplicate, HeadAgreement::SameHead)),
        "{found:?}"
    );
    // Hidayat: husband and wife swapped head and spouse.
    assert_eq!(
        pair("3578030303230002", "3578031002100004"),
        Some((HouseholdDecision::Duplicate, HeadAgreement::HeadSpouseSwapped)),
        "{found:?}"
    );
    // Riyadi: the daughter married and heads her own KK: a split.
    assert_eq!(
        pair("3374010101050003", "3374011509200001"),
        Some((HouseholdDecision::Split, HeadAgreement::Split)),
        "{found:?}"
    );
    // Siregar neighbours: same surname, same street, nobody in common: never a duplicate.
    assert!(
        found.iter().all(|p| !p.0.starts_with("1271") || p.2 != HouseholdDecision::Duplicate),
        "{found:?}"
    );
    assert_eq!(result.summary.households.as_ref().unwrap().duplicate_pairs, 2);
    assert_eq!(result.summary.households.as_ref().unwrap().split_pairs, 1);

    // One DUPLICATE_HOUSEHOLD flag per copy, on its head: H04 (KK ...0001 of the Santoso copy)
    // and H09 (the wife heading the Hidayat copy); the first-listed registrations stay.
    let flags = result.flags_table().unwrap();
    let codes = strings(&flags, "code");
    let ids = strings(&flags, "id");
    let household_flags: Vec<&str> = codes
        .iter()
        .zip(&ids)
        .filter(|(code, _)| code.as_deref() == Some("DUPLICATE_HOUSEHOLD"))
        .map(|(_, id)| id.as_deref().unwrap())
        .collect();
    assert_eq!(household_flags, ["H04", "H09"]);
    assert_eq!(result.summary.flags.as_ref().unwrap().by_code["DUPLICATE_HOUSEHOLD"], 2);
    assert_eq!(result.summary.flags.as_ref().unwrap().flags_total, codes.len() as u64);
    // The review list masks the KK numbers in the evidence.
    let review = result.review_table().unwrap();
    let evidence = strings(&review, "evidence");
    let text = evidence.iter().flatten().find(|e| e.contains("same family")).unwrap();
    assert!(text.contains("3273 **** **** 0001") && !text.contains("3273012005220001"), "{text}");

    let table = result.households_table().unwrap();
    assert_eq!(table.num_rows(), result.households().unwrap().pairs.len());
    assert_eq!(strings(&table, "dropped_kk").iter().flatten().count(), 2);
    // PKH is paid to the Santoso family under both KK numbers.
    assert_eq!(result.summary.households.as_ref().unwrap().double_programmes[0].duplicate_pairs, 1);
    let json = result.summary_json();
    assert!(json.contains("\"households\"") && json.contains("\"kk_to_drop\": 2"), "{json}");
}

#[test]
fn the_households_do_not_depend_on_the_thread_count() {
    let one = fixture_result(1);
    let two = fixture_result(2);
    assert_eq!(one.households().unwrap().pairs, two.households().unwrap().pairs);
    assert_eq!(one.summary_json(), two.summary_json());
}

#[test]
fn re_registered_households_are_found_in_generated_data() {
    let data = generate(&SynthOptions { rows: 20_000, seed: 7, ..Default::default() });
    let result = Deduper::new(Config::default())
        .unwrap()
        .run_batches(&data.records.schema(), &[data.records])
        .unwrap();
    let evaluation = padan::households::evaluate(&result.households_table().unwrap(), &data.truth).unwrap();
    let o = evaluation.overall;
    // About one duplicate event in six re-registers a whole household.
    assert!(o.true_pairs > 100, "{o:?}");
    assert!(o.precision >= 0.98 && o.recall >= 0.95, "{o:?}");
}
