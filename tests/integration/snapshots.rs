//! Two snapshots end to end: `tests/fixtures/snapshot_q1.csv` (earlier quarter, with an
//! `entity_id` column) against `tests/fixtures/snapshot_q2.csv` (later quarter), whose answers
//! are worked out by hand in `tests/fixtures/README.md`.

use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use padan::snapshot::{SnapshotDiff, SnapshotStatus};
use padan::synth::{SynthOptions, generate};
use padan::{Config, Deduper, Model};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// The fixture is too small to learn from: it is scored with a model trained on generated data.
fn model() -> Model {
    let deduper = Deduper::new(Config::default()).unwrap();
    let data = generate(&SynthOptions { rows: 5_000, seed: 1, ..Default::default() });
    deduper.train_batches(&data.records.schema(), &[data.records]).unwrap()
}

fn compare(model: &Model, threads: usize) -> SnapshotDiff {
    let deduper = Deduper::new(Config { threads: Some(threads), ..Config::default() }).unwrap();
    deduper
        .with_model(model.clone())
        .unwrap()
        .compare_snapshots_path(&fixture("snapshot_q1.csv"), &fixture("snapshot_q2.csv"))
        .unwrap()
}

fn strings(batch: &RecordBatch, column: &str) -> Vec<Option<String>> {
    let array = batch.column_by_name(column).unwrap().as_string::<i32>();
    (0..array.len()).map(|i| array.is_valid(i).then(|| array.value(i).to_string())).collect()
}

fn text(batch: &RecordBatch, column: &str) -> Vec<String> {
    strings(batch, column).into_iter().map(Option::unwrap_or_default).collect()
}

#[test]
fn persons_are_carried_added_removed_and_changed() {
    let diff = compare(&model(), 2);
    let persons = diff.persons_table().unwrap();
    // Later rows in order, then the removed earlier rows in order.
    assert_eq!(text(&persons, "later_id"), ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "", ""]);
    assert_eq!(text(&persons, "earlier_id"), ["A1", "A2", "A3", "", "A5", "A6", "A7", "A8", "A4", "A9"]);
    assert_eq!(
        text(&persons, "status"),
        [
            "unchanged",
            "unchanged",
            "unchanged",
            "added",     // the Santoso family and their newborn
            "unchanged", // Siti Aminah, widowed
            "changed",
            "unchanged", // Agus's NIK typo fixed; Rina as before
            "changed",   // Dewi moved: new address and new KK
            "removed",
            "removed", // Sukarno died; Joko left
        ]
    );
    // Fields listed in the order nik, kk, name, birth_date, address.
    assert_eq!(text(&persons, "changed_fields"), ["", "", "", "", "", "nik", "", "kk;address", "", ""]);
    // Ids from the earlier entity_id column; Rizky's old id "N-B4" is taken, so the newborn B4
    // gets the next free id after its default "N-B4".
    assert_eq!(
        text(&persons, "entity_id"),
        ["E1", "E2", "N-B4", "N-B4-2", "E5", "E6", "E7", "E8", "E4", "E9"]
    );
    let probability = persons.column_by_name("match_probability").unwrap();
    let probability = probability.as_primitive::<arrow_array::types::Float64Type>();
    for row in [0, 1, 2, 4, 5, 6, 7] {
        assert!(probability.value(row) >= 0.9, "row {row}: {}", probability.value(row));
    }
    for row in [3, 8, 9] {
        assert!(probability.is_null(row));
    }

    let s = &diff.summary;
    assert_eq!((s.earlier_rows, s.later_rows), (9, 8));
    assert_eq!((s.unchanged, s.changed, s.added, s.removed), (5, 2, 1, 2));
    assert_eq!(s.unchanged + s.changed + s.added, s.later_rows);
    assert_eq!(s.unchanged + s.changed + s.removed, s.earlier_rows);
    assert_eq!(s.changed_by_field.get("nik"), Some(&1));
    assert_eq!(s.changed_by_field.get("kk"), Some(&1));
    assert_eq!(s.changed_by_field.get("address"), Some(&1));
    assert_eq!(s.changed_by_field.get("name"), None);
    assert!(s.entity_ids_from_column);
}

#[test]
fn households_gain_lose_and_move() {
    let diff = compare(&model(), 2);
    let households = diff.households_table().unwrap();
    // Later KK numbers in order, then removed earlier ones.
    assert_eq!(
        text(&households, "later_kk"),
        ["3273010505250003", "3273011203100002", "3374010101090001", "3578031002100004", ""]
    );
    assert_eq!(
        text(&households, "earlier_kk"),
        ["3273010101150005", "3273011203100002", "3374010101090001", "3578031002100004", "3578020101100009"]
    );
    // Dewi's new KK continues her old one; the Santosos gained a newborn; Siti Aminah's KK lost
    // Sukarno; the Hidayats are as before (a member's NIK fix is no household change); Joko's KK
    // is gone.
    assert_eq!(text(&households, "status"), ["changed", "changed", "changed", "unchanged", "removed"]);
    let kk_changed = households.column_by_name("kk_changed").unwrap().as_boolean();
    assert_eq!((0..5).map(|i| kk_changed.value(i)).collect::<Vec<_>>(), [true, false, false, false, false]);
    assert_eq!(text(&households, "joined_ids"), ["", "B4", "", "", ""]);
    assert_eq!(text(&households, "left_ids"), ["", "", "A4", "", "A9"]);
    let counts = |column: &str| {
        let values = households.column_by_name(column).unwrap();
        let values = values.as_primitive::<arrow_array::types::UInt64Type>();
        values.values().to_vec()
    };
    assert_eq!(counts("later_members"), [1, 4, 1, 2, 0]);
    assert_eq!(counts("earlier_members"), [1, 3, 2, 2, 1]);
    let s = &diff.summary;
    assert_eq!((s.households_later, s.households_earlier), (4, 5));
    assert_eq!(
        (s.households_unchanged, s.households_changed, s.households_added, s.households_removed),
        (1, 3, 0, 1)
    );
}

#[test]
fn the_result_does_not_depend_on_the_thread_count() {
    let model = model();
    let one = compare(&model, 1);
    let two = compare(&model, 2);
    assert_eq!(one.persons_table().unwrap(), two.persons_table().unwrap());
    assert_eq!(one.households_table().unwrap(), two.households_table().unwrap());
    assert_eq!(one.summary_json(), two.summary_json());
}

#[test]
fn without_an_entity_column_the_earlier_ids_are_the_entity_ids() {
    let config = Config {
        snapshot: padan::snapshot::SnapshotConfig {
            entity_id_column: "no_such_column".into(),
            new_entity_prefix: "2026Q2-".into(),
        },
        ..Config::default()
    };
    let deduper = Deduper::new(config).unwrap().with_model(model()).unwrap();
    let diff =
        deduper.compare_snapshots_path(&fixture("snapshot_q1.csv"), &fixture("snapshot_q2.csv")).unwrap();
    let persons = diff.persons_table().unwrap();
    assert_eq!(
        text(&persons, "entity_id"),
        ["A1", "A2", "A3", "2026Q2-B4", "A5", "A6", "A7", "A8", "A4", "A9"]
    );
    assert!(!diff.summary.entity_ids_from_column);
    assert_eq!(diff.persons[3].status, SnapshotStatus::Added);
}

#[test]
fn the_cli_writes_the_tables_and_prints_no_identity_number() {
    let dir = tempfile::tempdir().unwrap();
    let model_path = dir.path().join("model.json");
    std::fs::write(&model_path, model().to_json()).unwrap();
    let out = dir.path().join("out");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_padan"))
        .args(["snapshot", fixture("snapshot_q1.csv").to_str().unwrap()])
        .args([fixture("snapshot_q2.csv").to_str().unwrap(), "--out", out.to_str().unwrap()])
        .args(["--model", model_path.to_str().unwrap(), "--threads", "2", "--table-format", "csv"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.contains("persons removed") && stdout.contains("households"), "{stdout}");
    // No 16-digit run (a NIK or KK number) is printed.
    let longest_digit_run = stdout.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
    assert!(longest_digit_run < 16, "{stdout}");

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!((summary["unchanged"].as_u64(), summary["removed"].as_u64()), (Some(5), Some(2)));
    let persons = std::fs::read_to_string(out.join("persons.csv")).unwrap();
    assert_eq!(persons.lines().count(), 1 + 10);
    assert!(
        persons.lines().any(|l| l.starts_with("B4,") && l.contains("N-B4-2") && l.contains("added")),
        "{persons}"
    );
    let households = std::fs::read_to_string(out.join("households.csv")).unwrap();
    assert_eq!(households.lines().count(), 1 + 5);
}

#[test]
fn a_generated_extract_compared_with_itself_continues_every_row_into_itself() {
    // Its duplicate copies may score higher with each other than with themselves (an exact
    // placeholder birth date weighs less than a date agreeing with the NIK): each row must still
    // continue its own identical copy, so nothing is changed, added or removed.
    let data = generate(&SynthOptions { rows: 3_000, seed: 5, ..Default::default() });
    let schema = data.records.schema();
    let records = [data.records];
    let deduper = Deduper::new(Config { threads: Some(2), ..Config::default() }).unwrap();
    let diff = deduper.compare_snapshots_batches(&schema, &records, &schema, &records).unwrap();
    let s = &diff.summary;
    assert_eq!((s.unchanged, s.changed, s.added, s.removed), (3_000, 0, 0, 0));
    assert!(diff.persons.iter().all(|p| p.later_row == p.earlier_row));
    assert_eq!(s.households_unchanged, s.households_later);
}

#[test]
fn a_generated_extract_without_its_first_rows_has_only_those_removed() {
    // The later quarter is the earlier one without its first 1,000 rows: every later row has an
    // identical earlier row, so none is changed or added.
    // CSV files large enough to be read in several batches.
    let data = generate(&SynthOptions { rows: 20_000, seed: 7, ..Default::default() });
    let dir = tempfile::tempdir().unwrap();
    let (earlier, later) = (dir.path().join("q1.csv"), dir.path().join("q2.csv"));
    padan::output::write_table(&data.records, &earlier).unwrap();
    padan::output::write_table(&data.records.slice(1_000, 19_000), &later).unwrap();
    let deduper = Deduper::new(Config { threads: Some(2), ..Config::default() }).unwrap();
    let diff = deduper.compare_snapshots_path(&earlier, &later).unwrap();
    let s = &diff.summary;
    assert_eq!((s.unchanged, s.changed, s.added, s.removed), (19_000, 0, 0, 1_000));
}
