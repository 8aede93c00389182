//! The registry officer's cases (`tests/fixtures/registry_cases.csv`, issue 13): a household
//! member entered with the head's NIK, a copy without a NIK and with a default birth date, a copy
//! registered again in another regency with a NIK typo, a copy with two errors at once, and the
//! people who must stay apart (twins, father and son with one name, namesakes). They are read
//! among the 2,000 rows of the bundled example, so that the model is trained on a registry, not
//! on fourteen rows.

use std::path::Path;

use arrow_array::{RecordBatch, StringArray};
use arrow_select::concat::concat_batches;
use padan::compare::ComparisonKind;
use padan::{Config, Deduper};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(relative: &str) -> RecordBatch {
    let (schema, batches, diagnostics) = padan::input::read_batches(&Path::new(ROOT).join(relative)).unwrap();
    assert!(diagnostics.is_empty(), "{relative}: {diagnostics:?}");
    concat_batches(&schema, &batches).unwrap()
}

/// `(id_l, id_r, together, situation)` from the expectations file.
fn expected() -> Vec<(String, String, bool, String)> {
    let text =
        std::fs::read_to_string(Path::new(ROOT).join("tests/fixtures/registry_cases_expected.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let mut parts = line.splitn(4, ',');
            let mut next = || parts.next().unwrap().to_string();
            let (l, r, expected, situation) = (next(), next(), next(), next());
            assert!(matches!(expected.as_str(), "together" | "apart"), "{line}");
            (l, r, expected == "together", situation)
        })
        .collect()
}

/// The dedupe of the example with the cases appended, and every row's id in input order.
fn cases_among_the_example(threads: usize) -> (padan::DedupeResult, Vec<String>) {
    let (example, cases) = (read("examples/dtks_sample.csv"), read("tests/fixtures/registry_cases.csv"));
    let batch = concat_batches(&example.schema(), &[example.clone(), cases]).unwrap();
    let ids = batch.column_by_name("id_dtks").unwrap().as_any().downcast_ref::<StringArray>().unwrap();
    let ids = ids.iter().map(|id| id.unwrap().to_string()).collect();
    let result = Deduper::new(Config { threads: Some(threads), ..Config::default() })
        .unwrap()
        .run_batches(&batch.schema(), &[batch])
        .unwrap();
    (result, ids)
}

#[test]
fn each_case_is_decided_as_a_registry_officer_would() {
    let (result, ids) = cases_among_the_example(2);
    let cluster_of = |id: &str| -> u64 {
        let row = ids.iter().position(|i| i == id).unwrap_or_else(|| panic!("{id} not in the input"));
        result.clusters.cluster_id[row]
    };
    let cases = expected();
    assert_eq!(cases.len(), 7);
    for (l, r, together, situation) in &cases {
        assert_eq!(cluster_of(l) == cluster_of(r), *together, "{l} – {r}: {situation}");
    }
}

#[test]
fn the_explanations_name_the_household_evidence() {
    let (result, _) = cases_among_the_example(1);
    // NIK ganda: the shared NIK is set aside by the household level, the sexes differ.
    let nik_ganda = result.explain_ids("H01", "H02").expect("blocked by the NIK");
    let item = |e: &padan::explain::Explanation, kind| {
        e.items.iter().find(|i| i.comparison == kind).unwrap().clone()
    };
    assert_eq!(item(&nik_ganda, ComparisonKind::Household).label, "same_kk_other_role");
    assert!(item(&nik_ganda, ComparisonKind::Household).weight < 0.0);
    let nik = item(&nik_ganda, ComparisonKind::Nik);
    assert!(nik.absorbed && nik.absorbed_by == Some(ComparisonKind::Household), "{nik:?}");
    assert_eq!(item(&nik_ganda, ComparisonKind::Sex).label, "different");
    assert!(item(&nik_ganda, ComparisonKind::Sex).weight < 0.0);
    let address = item(&nik_ganda, ComparisonKind::Address);
    assert!(address.absorbed && address.weight == 0.0, "{address:?}");
    let english = nik_ganda.to_text(padan::explain::Language::English);
    assert!(english.contains("same KK, different relationships to the head"), "{english}");
    assert!(english.contains("different sex"), "{english}");

    // The copy without a NIK is found through the name and the KK, and its default date is a level.
    let copy = result.explain_ids("H03", "H04").expect("blocked by name and KK");
    assert_eq!(copy.blocking_rule, "name_kk");
    assert_eq!(item(&copy, ComparisonKind::BirthDate).label, "default_date");
    // Two errors at once: the swap is a NIK typo because neither NIK encodes the other's date.
    let two_errors = result.explain_ids("T01", "T02").expect("blocked by the NIK up to a typo");
    assert_eq!(item(&two_errors, ComparisonKind::Nik).label, "transposition");
}
