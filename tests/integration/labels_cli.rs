//! `padan train --labels` and `padan evaluate --labels`: a round trip on the bundled example.

use std::process::Command;

fn padan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_padan")).args(args).output().expect("run padan")
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/dtks_sample.csv");
const TRUTH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/dtks_sample_truth.csv");

/// Labels from the example's truth: the first two rows of every entity with copies (`M`), and
/// neighbouring rows of different entities (`N`).
fn write_labels(path: &std::path::Path) -> (usize, usize) {
    let truth = std::fs::read_to_string(TRUTH).unwrap();
    let rows: Vec<(&str, &str)> = truth
        .lines()
        .skip(1)
        .map(|line| {
            let mut cells = line.split(',');
            (cells.next().unwrap(), cells.next().unwrap())
        })
        .collect();
    let mut first_of: std::collections::BTreeMap<&str, &str> = Default::default();
    let mut text = String::from("id_l,id_r,is_match\n");
    let (mut matches, mut non_matches) = (0, 0);
    for (id, entity) in &rows {
        match first_of.get(entity) {
            Some(first) => {
                text.push_str(&format!("{first},{id},M\n"));
                matches += 1;
            }
            None => {
                first_of.insert(entity, id);
            }
        }
    }
    for w in rows.windows(2).take(200) {
        if w[0].1 != w[1].1 {
            text.push_str(&format!("{},{},N\n", w[0].0, w[1].0));
            non_matches += 1;
        }
    }
    std::fs::write(path, text).unwrap();
    (matches, non_matches)
}

#[test]
fn train_with_labels_then_evaluate_the_pairs_against_them() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels.csv");
    let (matches, _) = write_labels(&labels);
    let model = dir.path().join("model.json");
    let (labels, model_path) = (labels.to_str().unwrap(), model.to_str().unwrap());

    let train = padan(&["train", EXAMPLE, "--labels", labels, "--out", model_path]);
    assert!(train.status.success(), "{}", String::from_utf8_lossy(&train.stderr));
    let printed = String::from_utf8(train.stdout).unwrap();
    assert!(printed.contains(&format!("m from {matches} labelled matches")), "{printed}");
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&model).unwrap()).unwrap();
    assert_eq!(written["training"]["labels"]["matches"], matches);
    assert_eq!(written["training"]["em_sessions"].as_array().unwrap().len(), 0);

    let out = dir.path().join("out");
    let dedupe = padan(&["dedupe", EXAMPLE, "--model", model_path, "--out", out.to_str().unwrap()]);
    assert!(dedupe.status.success(), "{}", String::from_utf8_lossy(&dedupe.stderr));
    let pairs = out.join("pairs.parquet");
    let pairs = pairs.to_str().unwrap();

    let json = padan(&[
        "evaluate",
        "--labels",
        labels,
        "--pairs",
        pairs,
        "--target-precision",
        "0.99",
        "--format",
        "json",
    ]);
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["labelled_matches"], matches);
    let at_target = &report["at_target_precision"];
    assert!(at_target["precision"].as_f64().unwrap() >= 0.99, "{report}");
    assert!(at_target["recall"].as_f64().unwrap() > 0.9, "{report}");
    let points = report["points"].as_array().unwrap();
    assert!(points.len() > 1);
    // The point at the target is the last (lowest) threshold whose precision reaches it.
    let last_meeting = points.iter().rev().find(|p| p["precision"].as_f64().unwrap() >= 0.99).unwrap();
    assert_eq!(last_meeting, at_target);

    let text = padan(&["evaluate", "--labels", labels, "--pairs", pairs, "--target-precision", "0.99"]);
    let printed = String::from_utf8(text.stdout).unwrap();
    assert!(
        printed.contains("lowest threshold with precision ≥ 0.99") && printed.contains("best F1"),
        "{printed}"
    );
}

#[test]
fn bad_labels_exit_with_2_and_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels.csv");
    std::fs::write(&labels, "id_l,id_r,is_match\nDTKS0000001,NOPE0001,1\nDTKS0000001,DTKS0000002,maybe\n")
        .unwrap();
    let model = dir.path().join("model.json");
    let run =
        padan(&["train", EXAMPLE, "--labels", labels.to_str().unwrap(), "--out", model.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("row 2: label `maybe`"), "{err}");
    assert!(!model.exists());

    std::fs::write(&labels, "id_l,id_r,is_match\nDTKS0000001,NOPE0001,1\n").unwrap();
    let run =
        padan(&["train", EXAMPLE, "--labels", labels.to_str().unwrap(), "--out", model.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("`NOPE0001`"));

    // --labels needs --pairs; a target precision outside [0, 1] is a usage error.
    let run = padan(&["evaluate", "--labels", labels.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let run = padan(&[
        "evaluate",
        "--labels",
        labels.to_str().unwrap(),
        "--pairs",
        "x.parquet",
        "--target-precision",
        "2",
    ]);
    assert_eq!(run.status.code(), Some(2));
}
