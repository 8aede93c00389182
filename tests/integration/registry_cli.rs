//! The registry doors of the `padan` binary: `synth` writes a registry, `dedupe --registry`
//! flags stale entries, `evaluate --stale-truth` scores them, `link` links two tables.

use std::path::Path;
use std::process::Command;

fn padan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_padan")).args(args).output().expect("run padan")
}

fn ok(run: &std::process::Output) -> String {
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    String::from_utf8(run.stdout.clone()).unwrap()
}

fn rows(path: &Path) -> usize {
    let (_, batches, _) = padan::input::read_batches(path).unwrap();
    batches.iter().map(|b| b.num_rows()).sum()
}

#[test]
fn synth_dedupe_with_registry_and_evaluate_work_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("out");
    let (data_s, out_s) = (data.to_str().unwrap(), out.to_str().unwrap());
    ok(&padan(&["synth", "--rows", "3000", "--seed", "3", "--out", data_s, "--table-format", "csv"]));
    assert_eq!(rows(&data.join("registry.csv")), 3_600);
    assert_eq!(rows(&data.join("stale_truth.csv")), 3_000);

    let registry = data.join("registry.csv");
    let run = padan(&[
        "dedupe",
        data.join("dtks.csv").to_str().unwrap(),
        "--registry",
        registry.to_str().unwrap(),
        "--reference-date",
        "2025-06-30",
        "--out",
        out_s,
    ]);
    let stdout = ok(&run);
    assert!(stdout.contains("DECEASED") && stdout.contains("registry rows"), "{stdout}");
    // Reading both files is a stage of the time line, as in a run without a registry.
    let stderr = String::from_utf8_lossy(&run.stderr);
    let time = stderr.lines().map(str::trim_start).find(|l| l.starts_with("time:")).expect("a time line");
    assert!(time.starts_with("time: read ") && time.contains(", prepare "), "{time}");
    assert_eq!(rows(&out.join("registry_links.parquet")), 3_000);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["registry"]["rows_read"], 3_600);
    let review = std::fs::read_to_string(out.join("review.csv")).unwrap();
    assert!(review.contains("DECEASED") && review.contains("NOT_FOUND"));

    let flags = out.join("flags.parquet");
    let truth = data.join("stale_truth.csv");
    let report = ok(&padan(&[
        "evaluate",
        "--stale-truth",
        truth.to_str().unwrap(),
        "--flags",
        flags.to_str().unwrap(),
        "--format",
        "json",
    ]));
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    for code in ["DECEASED", "MOVED"] {
        let precision = report["by_code"][code]["precision"].as_f64().unwrap();
        let recall = report["by_code"][code]["recall"].as_f64().unwrap();
        assert!(precision >= 0.97 && recall >= 0.95, "{code}: {report}");
    }
}

#[test]
fn link_writes_best_matches_for_every_left_row() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("links");
    ok(&padan(&["synth", "--rows", "1000", "--seed", "4", "--out", data.to_str().unwrap()]));
    // The registry has no id column: its rows are numbered.
    let stdout = ok(&padan(&[
        "link",
        data.join("dtks.parquet").to_str().unwrap(),
        data.join("registry.parquet").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    assert!(stdout.contains("left rows matched"), "{stdout}");
    assert_eq!(rows(&out.join("best_matches.parquet")), 1_000);
    assert!(rows(&out.join("link_pairs.parquet")) > 900);
    assert!(out.join("link_summary.json").exists());
}
