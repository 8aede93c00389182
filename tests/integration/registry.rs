//! Stale entries against a reference registry: hand-written tables with known answers, the
//! synthetic registry, and the link mode's determinism.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use padan::registry::{Registry, RegistryStatus};
use padan::{Config, Deduper};

fn col(values: Vec<Option<&str>>) -> ArrayRef {
    Arc::new(StringArray::from(values))
}

/// A DTKS table: id, nik, nama, tanggal_lahir, jenis_kelamin, program.
fn dtks(rows: &[(&str, Option<&str>, &str, &str, &str)]) -> RecordBatch {
    RecordBatch::try_from_iter([
        ("id_dtks", col(rows.iter().map(|r| Some(r.0)).collect())),
        ("nik", col(rows.iter().map(|r| r.1).collect())),
        ("nama", col(rows.iter().map(|r| Some(r.2)).collect())),
        ("tanggal_lahir", col(rows.iter().map(|r| Some(r.3)).collect())),
        ("jenis_kelamin", col(rows.iter().map(|r| Some(r.4)).collect())),
        ("program", col(rows.iter().map(|_| Some("PKH")).collect())),
    ])
    .unwrap()
}

/// One registry row: nik, nama, tanggal_lahir, jenis_kelamin, status, tanggal_status.
type RegistryRow<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, Option<&'a str>);

/// A registry extract.
fn registry(rows: &[RegistryRow<'_>]) -> RecordBatch {
    RecordBatch::try_from_iter([
        ("nik", col(rows.iter().map(|r| Some(r.0)).collect())),
        ("nama", col(rows.iter().map(|r| Some(r.1)).collect())),
        ("tanggal_lahir", col(rows.iter().map(|r| Some(r.2)).collect())),
        ("jenis_kelamin", col(rows.iter().map(|r| Some(r.3)).collect())),
        ("status", col(rows.iter().map(|r| Some(r.4)).collect())),
        ("tanggal_status", col(rows.iter().map(|r| r.5).collect())),
    ])
    .unwrap()
}

fn run(dtks: RecordBatch, extract: RecordBatch) -> padan::pipeline::DedupeResult {
    let deduper =
        Deduper::new(Config::default()).unwrap().with_flags_reference_date("2025-06-30".into()).unwrap();
    let registry = Registry::from_batches(&extract.schema(), &[extract], &deduper.config().registry).unwrap();
    deduper.run_batches_with_registry(&dtks.schema(), &[dtks], registry).unwrap()
}

/// (row, code) of the registry flags.
fn stale(result: &padan::pipeline::DedupeResult) -> Vec<(u32, &'static str)> {
    result
        .flags()
        .unwrap()
        .flags
        .iter()
        .filter(|f| matches!(f.code.as_str(), "DECEASED" | "MOVED" | "NOT_FOUND"))
        .map(|f| (f.row, f.code.as_str()))
        .collect()
}

/// Four people of Semarang and Bandung. The registry knows three of them; two with another status.
fn scenario() -> (RecordBatch, RecordBatch) {
    let dtks = dtks(&[
        // 0: died in 2024; the DTKS NIK has a serial typo (0003 -> 0008).
        ("d0", Some("3374011403620008"), "Sukarno Hadi", "1962-03-14", "1"),
        // 1: moved out after the reference date.
        ("d1", Some("3273015208850002"), "Dewi Lestari", "1985-08-12", "2"),
        // 2: alive, NIK blank in DTKS: found through name and birth date.
        ("d2", None, "Ratna Sari", "25-05-1990", "2"),
        // 3: not in the registry at all.
        ("d3", Some("3578010101900001"), "Budi Santoso", "1990-01-01", "1"),
        // 4: Husain, twin of Hasan: same batch NIK but his own serial, same birth date, another
        //    name. Only Hasan is in the registry, deceased: Husain must not take his death.
        ("d4", Some("3201020507100002"), "Husain", "2010-07-05", "1"),
    ]);
    let extract = registry(&[
        ("3578036505900017", "RATNA SARI", "1990-05-25", "2", "HIDUP", None),
        ("3374011403620003", "SUKARNO HADI", "1962-03-14", "1", "Meninggal Dunia", Some("2024-02-10")),
        ("3273015208850002", "DEWI LESTARI", "1985-08-12", "2", "pindah keluar", Some("2025-09-01")),
        ("3201020507100001", "HASAN", "2010-07-05", "1", "MATI", Some("2023-01-15")),
        ("3171011212800001", "JOKO WIDODO", "1980-12-12", "1", "HIDUP", None),
    ]);
    (dtks, extract)
}

#[test]
fn dead_moved_absent_and_twin_each_get_the_right_flag() {
    let (dtks, extract) = scenario();
    let result = run(dtks, extract);
    assert_eq!(stale(&result), [(0, "DECEASED"), (1, "MOVED"), (3, "NOT_FOUND"), (4, "NOT_FOUND")]);

    let links = result.registry.as_ref().unwrap();
    let matched: Vec<Option<u32>> =
        links.confident.iter().map(|c| c.as_ref().map(|c| c.registry_row)).collect();
    assert_eq!(matched, [Some(1), Some(2), Some(0), None, None]);
    assert_eq!(result.summary.flags.as_ref().unwrap().by_code["DECEASED"], 1);
    assert_eq!(result.summary.flags.as_ref().unwrap().by_code["NOT_FOUND"], 2);
    let registry = result.summary.registry.as_ref().unwrap();
    assert_eq!((registry.rows_read, registry.dtks_rows_matched, registry.dtks_rows_deceased), (5, 3, 1));
}

#[test]
fn evidence_names_the_date_against_the_reference_and_masks_the_niks() {
    let (dtks, extract) = scenario();
    let result = run(dtks, extract);
    let flag = |code: &str| result.flags().unwrap().flags.iter().find(|f| f.code.as_str() == code).unwrap();
    let dead = flag("DECEASED");
    assert!(
        dead.evidence_id.contains("MENINGGAL") && dead.evidence_id.contains("2024-02-10"),
        "{}",
        dead.evidence_id
    );
    assert!(dead.evidence_en.contains("before the reference date 2025-06-30"), "{}", dead.evidence_en);
    // The registry NIK and the mistyped DTKS NIK are both masked; neither appears in full.
    assert!(
        dead.evidence_en.contains("3374 **** **** 0003") && dead.evidence_en.contains("3374 **** **** 0008")
    );
    for text in [&dead.evidence_id, &dead.evidence_en] {
        assert!(!text.contains("3374011403620003") && !text.contains("3374011403620008"));
    }
    assert_eq!(dead.priority, 1, "a programme is paid to someone who died");
    let moved = flag("MOVED");
    assert!(moved.evidence_en.contains("after the reference date"), "{}", moved.evidence_en);
    assert_eq!(moved.priority, 2);
    let review = result.review_table().unwrap();
    let codes = review.column_by_name("code").unwrap().as_string::<i32>();
    assert_eq!(codes.value(0), "DECEASED", "the review list starts with priority 1");
}

#[test]
fn registry_links_table_has_one_row_per_dtks_row_with_full_registry_nik() {
    let (dtks, extract) = scenario();
    let result = run(dtks, extract);
    let table = result.registry_links_table().unwrap();
    assert_eq!(table.num_rows(), 5);
    let nik = table.column_by_name("registry_nik").unwrap().as_string::<i32>();
    let status = table.column_by_name("status").unwrap().as_string::<i32>();
    assert_eq!(nik.value(0), "3374011403620003", "a data output the user asked for: the NIK in full");
    assert_eq!((status.value(0), status.value(1), status.value(2)), ("MENINGGAL", "PINDAH", "HIDUP"));
    assert!(status.is_null(3) && nik.is_null(3));
}

#[test]
fn bad_registry_rows_are_reported_by_row_and_still_counted() {
    let extract = registry(&[
        ("3374011403620003", "SUKARNO HADI", "1962-03-14", "1", "???", None),
        ("12345", "DEWI LESTARI", "1985-08-12", "2", "HIDUP", Some("31-02-2024")),
    ]);
    let parsed =
        Registry::from_batches(&extract.schema(), std::slice::from_ref(&extract), &Default::default())
            .unwrap();
    assert_eq!(parsed.status, [None, Some(RegistryStatus::Alive)]);
    let dtks = dtks(&[("d0", Some("3374011403620003"), "Sukarno Hadi", "1962-03-14", "1")]);
    let result = run(dtks, extract);
    let registry = result.summary.registry.as_ref().unwrap();
    assert_eq!(registry.rows_read, 2);
    assert_eq!(registry.rows_with_problems, 2);
    let codes: Vec<(u64, &str)> = registry.diagnostics.iter().map(|d| (d.row, d.code.as_str())).collect();
    assert!(codes.contains(&(1, "status_invalid")), "{codes:?}");
    assert!(codes.contains(&(2, "status_date_invalid")), "{codes:?}");
    assert!(codes.iter().any(|(row, code)| *row == 2 && code.starts_with("nik_")), "{codes:?}");
    // The unreadable status still matches, so the row is not NOT_FOUND, and raises nothing.
    assert_eq!(stale(&result), []);
}

#[test]
fn a_missing_status_column_is_a_clear_error() {
    let extract = RecordBatch::try_from_iter([("nik", col(vec![Some("3374011403620003")]))]).unwrap();
    let err = Registry::from_batches(&extract.schema(), &[extract], &Default::default()).unwrap_err();
    assert!(err.to_string().contains("`status`"), "{err}");
}

#[test]
fn configured_column_names_are_read() {
    let cfg = Config::from_toml_str(
        "[registry.columns]\nid = \"ID\"\nnik = \"NIK\"\nname = \"NAMA_LGKP\"\nstatus = \"STAT_HBKEL\"\n",
    )
    .unwrap();
    let extract = RecordBatch::try_from_iter([
        ("ID", col(vec![Some("R9")])),
        ("NIK", col(vec![Some("3374011403620003")])),
        ("NAMA_LGKP", col(vec![Some("SUKARNO HADI")])),
        ("STAT_HBKEL", col(vec![Some("meninggal")])),
    ])
    .unwrap();
    let parsed = Registry::from_batches(&extract.schema(), &[extract], &cfg.registry).unwrap();
    assert_eq!(parsed.status, [Some(RegistryStatus::Deceased)]);
    assert_eq!(parsed.records.id.as_string::<i32>().value(0), "R9");
}

#[test]
fn link_result_does_not_depend_on_the_thread_count() {
    let data =
        padan::synth::generate(&padan::synth::SynthOptions { rows: 1_500, seed: 11, ..Default::default() });
    let reg = padan::registry::synth::generate_registry(&data, 11);
    let link_with = |threads: usize| {
        let cfg = Config { threads: Some(threads), ..Config::default() };
        let deduper = Deduper::new(cfg).unwrap();
        let result = deduper
            .link_batches(
                &data.records.schema(),
                std::slice::from_ref(&data.records),
                &reg.registry.schema(),
                std::slice::from_ref(&reg.registry),
            )
            .unwrap();
        (result.pairs_table().unwrap(), result.best_matches_table().unwrap(), result.summary_json())
    };
    assert_eq!(link_with(1), link_with(2));
}

#[test]
fn synthetic_registry_holds_the_true_records_and_the_truth_points_at_them() {
    let data =
        padan::synth::generate(&padan::synth::SynthOptions { rows: 3_000, seed: 5, ..Default::default() });
    let reg = padan::registry::synth::generate_registry(&data, 5);
    assert_eq!(reg.registry.num_rows(), 3_600, "1.2 registry rows per DTKS row");
    let dtks_nik = data.records.column_by_name("nik").unwrap().as_string::<i32>();
    let kind = data.truth.column_by_name("duplicate_kind").unwrap().as_string::<i32>();
    let status = reg.stale_truth.column_by_name("registry_status").unwrap().as_string::<i32>();
    let row = reg
        .stale_truth
        .column_by_name("registry_row")
        .unwrap()
        .as_primitive::<arrow_array::types::UInt64Type>();
    let reg_nik = reg.registry.column_by_name("nik").unwrap().as_string::<i32>();
    let reg_status = reg.registry.column_by_name("status").unwrap().as_string::<i32>();
    let mut counts = std::collections::BTreeMap::new();
    for r in 0..data.records.num_rows() {
        *counts.entry(status.value(r)).or_insert(0) += 1;
        if row.is_null(r) {
            assert_eq!(status.value(r), "NOT_IN_REGISTRY");
            continue;
        }
        let k = row.value(r) as usize - 1;
        // The original row carries the true NIK: the registry has the same one.
        if kind.is_null(r) && dtks_nik.is_valid(r) {
            assert_eq!(reg_nik.value(k), dtks_nik.value(r));
        }
        let parsed = padan::registry::parse_status(reg_status.value(k)).unwrap();
        assert_eq!(parsed.as_str(), status.value(r));
    }
    // About 3 % missing, 4 % deceased, 4 % moved (per person; rows follow their person).
    let share = |s: &str| counts.get(s).copied().unwrap_or(0) as f64 / 3_000.0;
    assert!((0.01..0.06).contains(&share("NOT_IN_REGISTRY")), "{counts:?}");
    assert!((0.02..0.07).contains(&share("MENINGGAL")), "{counts:?}");
    assert!((0.02..0.07).contains(&share("PINDAH")), "{counts:?}");
}

#[test]
fn on_synthetic_data_deceased_and_moved_are_found_with_high_precision_and_recall() {
    let data =
        padan::synth::generate(&padan::synth::SynthOptions { rows: 4_000, seed: 21, ..Default::default() });
    let reg = padan::registry::synth::generate_registry(&data, 21);
    let deduper = Deduper::new(Config::default()).unwrap();
    let registry = Registry::from_batches(
        &reg.registry.schema(),
        std::slice::from_ref(&reg.registry),
        &deduper.config().registry,
    )
    .unwrap();
    let result = deduper
        .run_batches_with_registry(&data.records.schema(), std::slice::from_ref(&data.records), registry)
        .unwrap();
    let evaluation =
        padan::registry::evaluate_stale(&result.flags_table().unwrap(), &reg.stale_truth, "id_dtks").unwrap();
    for code in ["DECEASED", "MOVED"] {
        let s = evaluation.by_code[code];
        assert!(s.true_pairs > 50, "{code}: {s:?}");
        assert!(s.precision >= 0.97 && s.recall >= 0.95, "{code}: {s:?}");
    }
    let not_found = evaluation.by_code["NOT_FOUND"];
    assert!(not_found.recall >= 0.95, "{not_found:?}");
}
