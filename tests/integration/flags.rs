//! Flags end to end on `tests/fixtures/flags_dtks.csv`, whose answers are worked out by hand in
//! `tests/fixtures/README.md`.

use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt8Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use padan::{Config, DedupeResult, Deduper};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/flags_dtks.csv")
}

fn run(reference_date: Option<&str>, threads: usize) -> DedupeResult {
    let mut config = Config { threads: Some(threads), ..Config::default() };
    config.flags.reference_date = reference_date.map(str::to_string);
    Deduper::new(config).unwrap().run_path(&fixture()).unwrap()
}

fn strings(batch: &RecordBatch, column: &str) -> Vec<Option<String>> {
    let array = batch.column_by_name(column).unwrap().as_string::<i32>();
    (0..array.len()).map(|i| array.is_valid(i).then(|| array.value(i).to_string())).collect()
}

/// (row, code) of every flag: the table in tests/fixtures/README.md.
const EXPECTED: [(u64, &str); 18] = [
    (4, "DUPLICATE"),
    (4, "DOUBLE_RECIPIENT"),
    (5, "HOUSEHOLD_INCONSISTENT"),
    (6, "HOUSEHOLD_INCONSISTENT"),
    (7, "HOUSEHOLD_INCONSISTENT"),
    (9, "DUPLICATE"),
    (9, "DOUBLE_RECIPIENT"),
    (9, "SECOND_HOUSEHOLD"),
    (11, "INVALID_NIK"),
    (12, "INVALID_NIK"),
    (13, "NIK_MISMATCH"),
    (14, "NIK_MISMATCH"),
    (14, "NIK_SHARED"),
    (15, "NIK_SHARED"),
    (16, "IMPLAUSIBLE_AGE"),
    (17, "IMPLAUSIBLE_AGE"),
    (18, "DECEASED_MARKER"),
    (21, "HOUSEHOLD_INCONSISTENT"),
];

#[test]
fn every_flag_of_the_hand_written_table() {
    let result = run(Some("2025-06-30"), 2);
    let table = result.flags_table().unwrap();
    let rows = table.column_by_name("row").unwrap().as_primitive::<UInt64Type>();
    let codes = strings(&table, "code");
    let got: Vec<(u64, &str)> =
        (0..table.num_rows()).map(|i| (rows.value(i), codes[i].as_deref().unwrap())).collect();
    assert_eq!(got, EXPECTED);

    let priority = table.column_by_name("priority").unwrap().as_primitive::<UInt8Type>();
    let confidence = table.column_by_name("confidence").unwrap().as_primitive::<Float64Type>();
    let programs = strings(&table, "programs");
    let related = strings(&table, "related_rows");
    let find = |row: u64, code: &str| got.iter().position(|g| *g == (row, code)).unwrap();
    // Row 4 copies row 1 with fewer columns; both receive PKH ("pkh" and "PKH;BPNT").
    let k = find(4, "DOUBLE_RECIPIENT");
    assert_eq!(
        (priority.value(k), programs[k].as_deref(), related[k].as_deref()),
        (1, Some("PKH"), Some("1"))
    );
    let k = find(4, "DUPLICATE");
    assert_eq!(priority.value(k), 2);
    assert!(
        strings(&table, "evidence_en")[k].as_deref().unwrap().contains("row 1 stays: it is more complete")
    );
    // Row 9 copies row 8 as completely, under another KK; "Sembako" is BPNT.
    let k = find(9, "DOUBLE_RECIPIENT");
    assert_eq!(programs[k].as_deref(), Some("BPNT"));
    let k = find(9, "DUPLICATE");
    assert!(strings(&table, "evidence_en")[k].as_deref().unwrap().ends_with("row 8 stays: it comes first"));
    // Sex only: 0.6; birth year: 0.8.
    assert_eq!(confidence.value(find(13, "NIK_MISMATCH")), 0.6);
    assert_eq!(confidence.value(find(14, "NIK_MISMATCH")), 0.8);
    // The child born before both heads: reversed generations, 0.9, no programme: priority 5.
    let k = find(7, "HOUSEHOLD_INCONSISTENT");
    assert_eq!((confidence.value(k), priority.value(k), related[k].as_deref()), (0.9, 5, Some("5;6")));
    // Born in 2031: certain; 125 years old: 0.9.
    assert_eq!(confidence.value(find(16, "IMPLAUSIBLE_AGE")), 1.0);
    assert_eq!(confidence.value(find(17, "IMPLAUSIBLE_AGE")), 0.9);
    let k = find(18, "DECEASED_MARKER");
    assert_eq!((confidence.value(k), priority.value(k)), (0.8, 1));
    // Rows 14 and 15 share a NIK but are different people: the pair scored low.
    assert!(confidence.value(find(15, "NIK_SHARED")) > 0.9);

    let s = result.summary.flags.as_ref().unwrap();
    assert_eq!((s.flags_total, s.rows_flagged, s.rows_not_flagged), (18, 14, 7));
    assert_eq!(s.by_code.values().sum::<u64>(), 18);
    assert_eq!(s.by_priority.values().sum::<u64>(), 18);
    assert_eq!((s.duplicate_clusters, s.duplicate_rows_to_drop, s.persons_in_two_households), (2, 2, 1));
    assert_eq!((s.niks_shared, s.rows_with_shared_nik), (1, 2));
    let doubled: Vec<(&str, u64, u64)> =
        s.double_recipients.iter().map(|d| (d.programme.as_str(), d.persons, d.extra_payments)).collect();
    assert_eq!(doubled, [("PKH", 1, 1), ("BPNT", 1, 1), ("PBI-JK", 0, 0), ("BST", 0, 0), ("BPUM", 0, 0)]);
    assert_eq!(s.reference_date, "2025-06-30");
}

#[test]
fn review_list_is_sorted_and_masked() {
    let result = run(Some("2025-06-30"), 1);
    let review = result.review_table().unwrap();
    assert_eq!(review.num_rows(), 18);
    let priority = review.column_by_name("priority").unwrap().as_primitive::<UInt8Type>();
    let confidence = review.column_by_name("confidence").unwrap().as_primitive::<Float64Type>();
    for i in 1..review.num_rows() {
        let (a, b) =
            ((priority.value(i - 1), confidence.value(i - 1)), (priority.value(i), confidence.value(i)));
        assert!(a.0 < b.0 || (a.0 == b.0 && a.1 >= b.1), "row {i}: {a:?} then {b:?}");
    }
    // Priority 1 first: the two double recipients (in the order of their confidence, checked
    // above), then the deceased marker.
    let ids = strings(&review, "id");
    let mut recipients = [ids[0].clone(), ids[1].clone()];
    recipients.sort();
    assert_eq!(recipients, [Some("F04".to_string()), Some("F09".to_string())]);
    assert_eq!(ids[2].as_deref(), Some("F18"));
    let f09 = ids.iter().position(|id| id.as_deref() == Some("F09")).unwrap();
    assert_eq!(strings(&review, "nik")[f09].as_deref(), Some("3578 **** **** 0005"));
    assert_eq!(strings(&review, "province")[f09].as_deref(), Some("JAWA TIMUR"));
    // No 16-digit number anywhere in the text columns.
    for column in ["nik", "kk", "alasan", "evidence", "name"] {
        for value in strings(&review, column).into_iter().flatten() {
            let longest = value.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
            assert!(longest < 16, "{column}: {value}");
        }
    }
}

#[test]
fn counts_add_up_by_region() {
    let result = run(Some("2025-06-30"), 2);
    let counts = result.flag_counts_table().unwrap();
    let flags = counts.column_by_name("flags").unwrap().as_primitive::<UInt64Type>();
    assert_eq!(flags.values().iter().sum::<u64>(), 18);
    let province = strings(&counts, "province");
    let code = strings(&counts, "code");
    let per = |p: Option<&str>, c: &str| -> u64 {
        (0..counts.num_rows())
            .filter(|i| province[*i].as_deref() == p && code[*i].as_deref() == Some(c))
            .map(|i| flags.value(i))
            .sum()
    };
    // Rows 5, 6 and 7 in Kota Bandung; row 21 in Semarang.
    assert_eq!(per(Some("JAWA BARAT"), "HOUSEHOLD_INCONSISTENT"), 3);
    assert_eq!(per(Some("JAWA TENGAH"), "HOUSEHOLD_INCONSISTENT"), 1);
    // Rows 16 and 17 give no region.
    assert_eq!(per(None, "IMPLAUSIBLE_AGE"), 2);
    let doubles = result.double_recipients_table().unwrap();
    assert_eq!(strings(&doubles, "rows"), [Some("1;4".to_string()), Some("8;9".to_string())]);
    assert_eq!(strings(&doubles, "ids"), [Some("F01;F04".to_string()), Some("F08;F09".to_string())]);
}

#[test]
fn default_reference_date_is_the_latest_past_birth_date_and_output_is_thread_independent() {
    let one = run(None, 1);
    let two = run(None, 2);
    // Row 20 (2024-02-10) is the latest birth date not in the future; row 16's 2031 is.
    assert_eq!(one.summary.flags.as_ref().unwrap().reference_date, "2024-02-10");
    assert_eq!(one.summary.flags.as_ref().unwrap().reference_date_source, "latest_birth_date");
    assert_eq!(one.flags_table().unwrap(), two.flags_table().unwrap());
    assert_eq!(one.summary_json(), two.summary_json());
    // Same flags as with the extract date; only the ages in the text move.
    let table = one.flags_table().unwrap();
    assert_eq!(table.num_rows(), EXPECTED.len());
    let evidence = strings(&table, "evidence_en");
    assert!(evidence.iter().flatten().any(|e| e == "aged 124 at 2024-02-10, over 110"));
}

#[test]
fn a_bad_reference_date_is_a_config_error() {
    let text = "[flags]\nreference_date = \"30/13/2025\"\n";
    let err = Config::from_toml_str(text).unwrap_err();
    assert!(err.to_string().contains("flags.reference_date"), "{err}");
}
