//! The `padan` binary: the README's first command, exit codes, and what it prints.

use std::path::Path;
use std::process::Command;

fn padan(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_padan")).args(args).output().expect("run padan")
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/dtks_sample.csv");

#[test]
fn dedupe_on_the_bundled_example_writes_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = padan(&["dedupe", EXAMPLE, "--out", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.contains("rows read") && stdout.contains("duplicate clusters"), "{stdout}");

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let input_rows = std::fs::read_to_string(EXAMPLE).unwrap().lines().count() as u64 - 1;
    assert_eq!(summary["rows_read"], input_rows);
    assert!(summary["clusters_of_two_or_more"].as_u64().unwrap() > 10, "{summary}");

    let (_, clusters, _) = padan::input::read_batches(&out.join("clusters.parquet")).unwrap();
    let rows: usize = clusters.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows as u64, input_rows);
    let schema = clusters[0].schema();
    assert_eq!(schema.field(0).name(), "id");
    assert_eq!(schema.field(1).name(), "cluster_id");
    assert!(out.join("pairs.parquet").exists() && out.join("model.json").exists());
}

#[test]
fn printed_output_never_shows_a_full_nik() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    std::fs::write(
        &csv,
        "id_dtks,nik,nama\n1,3273015208850000,ANI\n2,3273015208850000,ANI\n3,32730152088500,BUDI\n",
    )
    .unwrap();
    let run = padan(&["dedupe", csv.to_str().unwrap(), "--out", dir.path().join("o").to_str().unwrap()]);
    assert!(run.status.success());
    let printed = format!("{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(printed.contains("3 with problems") || printed.contains("with problems"), "{printed}");
    let summary = std::fs::read_to_string(dir.path().join("o/summary.json")).unwrap();
    for text in [&printed, &summary] {
        assert!(!text.contains("3273015208850000") && !text.contains("32730152088500"), "{text}");
    }
}

#[test]
fn usage_and_input_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let out = out.to_str().unwrap();
    let missing = padan(&["dedupe", "no/such/file.csv", "--out", out]);
    assert_eq!(missing.status.code(), Some(2));

    let csv = dir.path().join("x.csv");
    std::fs::write(&csv, "nama,nik\nANI,1\n").unwrap();
    let no_id = padan(&["dedupe", csv.to_str().unwrap(), "--out", out]);
    assert_eq!(no_id.status.code(), Some(2));
    let message = String::from_utf8_lossy(&no_id.stderr);
    assert!(message.contains("id_dtks") && message.contains("nama, nik"), "{message}");

    let config = dir.path().join("c.toml");
    std::fs::write(&config, "match_threshold = 7\n").unwrap();
    let bad_config = padan(&["dedupe", EXAMPLE, "--out", out, "--config", config.to_str().unwrap()]);
    assert_eq!(bad_config.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_config.stderr).contains("match_threshold"));

    assert_eq!(padan(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn synth_then_evaluate_reports_pairwise_scores() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("out");
    let synth = padan(&["synth", "--rows", "3000", "--seed", "4", "--out", data.to_str().unwrap()]);
    assert!(synth.status.success(), "{}", String::from_utf8_lossy(&synth.stderr));
    let input = data.join("dtks.parquet");
    assert!(padan(&["dedupe", input.to_str().unwrap(), "--out", out.to_str().unwrap()]).status.success());
    let evaluate = padan(&[
        "evaluate",
        "--truth",
        data.join("truth.parquet").to_str().unwrap(),
        "--clusters",
        out.join("clusters.parquet").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(evaluate.status.success(), "{}", String::from_utf8_lossy(&evaluate.stderr));
    let report: serde_json::Value = serde_json::from_slice(&evaluate.stdout).unwrap();
    let f1 = report["overall"]["f1"].as_f64().unwrap();
    assert!(f1 > 0.9, "{report}");
    assert!(Path::new(&out.join("summary.json")).exists());
    assert!(report.get("households").is_none(), "{report}");

    // Duplicate households: alone in text, and next to the clusters in JSON.
    let households = out.join("households.parquet");
    let truth = data.join("truth.parquet");
    let text = padan(&[
        "evaluate",
        "--truth",
        truth.to_str().unwrap(),
        "--households",
        households.to_str().unwrap(),
    ]);
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with("duplicate households: precision") && !text.contains("pairwise"), "{text}");
    let both = padan(&[
        "evaluate",
        "--truth",
        truth.to_str().unwrap(),
        "--clusters",
        out.join("clusters.parquet").to_str().unwrap(),
        "--households",
        households.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(both.status.success(), "{}", String::from_utf8_lossy(&both.stderr));
    let report: serde_json::Value = serde_json::from_slice(&both.stdout).unwrap();
    assert!(report["overall"]["f1"].as_f64().unwrap() > 0.9, "{report}");
    assert!(report["households"]["overall"]["true_pairs"].as_u64().unwrap() > 0, "{report}");
    assert!(report["households"]["overall"]["precision"].as_f64().unwrap() > 0.9, "{report}");
}

#[test]
fn evaluate_reports_the_recall_of_blocking_per_rule_and_kind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(
        padan(&["synth", "--rows", "3000", "--seed", "4", "--out", data.to_str().unwrap()]).status.success()
    );
    let (input, truth) = (data.join("dtks.parquet"), data.join("truth.parquet"));
    let evaluate = |config: Option<&Path>| {
        let mut args =
            vec!["evaluate", "--truth", truth.to_str().unwrap(), "--blocking", input.to_str().unwrap()];
        if let Some(config) = config {
            args.extend(["--config", config.to_str().unwrap()]);
        }
        let run = padan(&args);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        String::from_utf8(run.stdout).unwrap()
    };
    let text = evaluate(None);
    assert!(text.starts_with("blocking recall "), "{text}");
    assert!(text.contains("first by nik ") && text.contains("first by name_kk "), "{text}");
    assert!(text.contains("nik_typo") && text.contains("blocking recall"), "{text}");
    let recall = |text: &str| -> f64 { text["blocking recall ".len()..][..6].parse().unwrap() };
    assert!(recall(&text) > 0.95, "{text}");
    // The NIK rule alone proposes fewer of the true pairs.
    let nik_only = dir.path().join("nik_only.toml");
    std::fs::write(&nik_only, "[[blocking]]\nname = \"nik\"\nkeys = [\"nik\"]\n").unwrap();
    let narrow = evaluate(Some(&nik_only));
    assert!(recall(&narrow) < recall(&text), "{narrow}");
    assert!(!narrow.contains("first by name_kk"), "{narrow}");
}

/// Three people: 1 and 2 are one person whose NIK differs in a birth-date digit; 3 is unrelated.
/// The ids are 16-digit numbers, as some extracts use the NIK as id: printed text masks them.
const EXPLAIN_CSV: &str = "id_dtks,nik,nama,tanggal_lahir\n\
    3273015208850001,3273015208850002,Dewi Lestari,1985-08-12\n\
    3273015208850009,3273015209850002,DEWI  LESTARI,12-08-1985\n\
    3578030101900003,3578030101900003,Ratna Sari,1990-01-01\n";

#[test]
fn explain_prints_the_waterfall_of_one_pair() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("x.csv");
    std::fs::write(&csv, EXPLAIN_CSV).unwrap();
    let csv = csv.to_str().unwrap();
    let (a, b, c) = ("3273015208850001", "3273015208850009", "3578030101900003");

    let id = padan(&["explain", csv, "--id-l", a, "--id-r", b]);
    assert!(id.status.success(), "{}", String::from_utf8_lossy(&id.stderr));
    let text = String::from_utf8(id.stdout).unwrap();
    assert!(text.contains("NIK beda 1 digit") && text.contains("nama sama setelah normalisasi"), "{text}");
    assert!(text.contains("3273 **** **** 0001") && !text.contains(a) && !text.contains(b), "{text}");

    // Either order finds the pair; English text.
    let en = padan(&["explain", csv, "--id-l", b, "--id-r", a, "--lang", "en"]);
    let text = String::from_utf8(en.stdout).unwrap();
    assert!(text.contains("NIK differs in 1 digit") && text.contains("total weight"), "{text}");

    let json = padan(&["explain", csv, "--id-l", a, "--id-r", b, "--format", "json"]);
    let e: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(e["items"][0]["label"], "one_substitution");
    let sum: f64 = e["prior_weight"].as_f64().unwrap()
        + e["items"].as_array().unwrap().iter().map(|i| i["weight"].as_f64().unwrap()).sum::<f64>();
    assert!((sum - e["match_weight"].as_f64().unwrap()).abs() < 1e-9, "{e}");

    let apart = padan(&["explain", csv, "--id-l", a, "--id-r", c]);
    assert_eq!(apart.status.code(), Some(2));
    let message = String::from_utf8_lossy(&apart.stderr);
    assert!(message.contains("not blocked together"), "{message}");

    let unknown = padan(&["explain", csv, "--id-l", a, "--id-r", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no record has id `nope`"));
}

#[test]
fn dedupe_writes_explanations_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, explained) = (dir.path().join("plain"), dir.path().join("explained"));
    let run = padan(&["dedupe", EXAMPLE, "--out", plain.to_str().unwrap(), "--table-format", "csv"]);
    assert!(run.status.success());
    assert!(plain.join("pairs.csv").exists() && !plain.join("explanations.csv").exists());

    let run = padan(&[
        "dedupe",
        EXAMPLE,
        "--out",
        explained.to_str().unwrap(),
        "--table-format",
        "csv",
        "--explanations",
        "--lang",
        "en",
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let (_, explanations, _) = padan::input::read_batches(&explained.join("explanations.csv")).unwrap();
    let (_, pairs, _) = padan::input::read_batches(&explained.join("pairs.csv")).unwrap();
    let rows = |batches: &[arrow_array::RecordBatch]| batches.iter().map(|b| b.num_rows()).sum::<usize>();
    assert_eq!(rows(&explanations), rows(&pairs));
    assert!(rows(&pairs) > 10);
    let schema = explanations[0].schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, ["id_l", "id_r", "match_probability", "decision", "explanation"]);
    let text = std::fs::read_to_string(explained.join("explanations.csv")).unwrap();
    assert!(text.contains("prior weight") && text.contains("match probability"));
    assert!(!text.contains("bobot awal"));
}

#[test]
fn dedupe_writes_flags_review_list_and_counts() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/flags_dtks.csv");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = padan(&[
        "dedupe",
        fixture,
        "--out",
        out.to_str().unwrap(),
        "--table-format",
        "csv",
        "--reference-date",
        "2025-06-30",
    ]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.contains("flags                        18   (on 14 rows; ages at 2025-06-30"), "{stdout}");
    assert!(stdout.contains("double PKH           1 persons on 2 rows (1 extra payments)"), "{stdout}");

    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["flags"]["flags_total"], 18);
    assert_eq!(summary["flags"]["by_code"]["HOUSEHOLD_INCONSISTENT"], 4);
    // One line per flag plus the header, in every table of flags.
    let lines = |name: &str| std::fs::read_to_string(out.join(name)).unwrap().lines().count();
    assert_eq!(lines("flags.csv"), 19);
    let review = std::fs::read_to_string(out.join("review.csv")).unwrap();
    assert!(review.starts_with("priority,code,confidence,row,id,nik,kk,name,"), "{review}");
    assert!(!review.contains("3578031507800005"), "a full NIK in the review list");
    assert_eq!(review.lines().count(), 19);
    // Double recipients: PKH for rows 1 and 4, BPNT for rows 8 and 9.
    assert_eq!(lines("double_recipients.csv"), 3);
    assert!(out.join("flag_counts.csv").exists());

    let bad = padan(&["dedupe", fixture, "--out", out.to_str().unwrap(), "--reference-date", "tomorrow"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("flags.reference_date"));
}

/// The files a run wrote to `out`, sorted.
fn files_in(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn dedupe_clusters_only_writes_the_same_pairs_and_clusters_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (full, only) = (dir.path().join("full"), dir.path().join("only"));
    let full_run = padan(&["dedupe", EXAMPLE, "--out", full.to_str().unwrap()]);
    assert!(full_run.status.success(), "{}", String::from_utf8_lossy(&full_run.stderr));
    let only_run = padan(&["dedupe", EXAMPLE, "--out", only.to_str().unwrap(), "--clusters-only"]);
    assert!(only_run.status.success(), "{}", String::from_utf8_lossy(&only_run.stderr));

    assert_eq!(files_in(&only), ["clusters.parquet", "model.json", "pairs.parquet", "summary.json"]);
    assert!(files_in(&full).contains(&"review.csv".to_string()));
    for file in ["pairs.parquet", "clusters.parquet", "model.json"] {
        assert_eq!(
            std::fs::read(only.join(file)).unwrap(),
            std::fs::read(full.join(file)).unwrap(),
            "{file}"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(only.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["clusters_only"], serde_json::Value::Bool(true));
    assert!(summary["flags"].is_null() && summary["households"].is_null(), "{summary}");

    // One line says the layers were skipped, instead of the flag and household blocks.
    let stdout = String::from_utf8(only_run.stdout).unwrap();
    assert_eq!(stdout.matches("skipped: clusters only").count(), 1, "{stdout}");
    assert!(stdout.contains("duplicate clusters"), "{stdout}");
    for block in ["review.csv", "KK numbers", "DUPLICATE", "double PKH"] {
        assert!(!stdout.contains(block), "{block} in {stdout}");
    }
    // The time line names the stages that ran, no flags or households.
    let stderr = String::from_utf8(only_run.stderr).unwrap();
    let time = stderr.lines().find(|l| l.trim_start().starts_with("time:")).expect("a time line");
    assert!(time.contains("cluster ") && time.contains("write "), "{time}");
    assert!(!time.contains("flags") && !time.contains("households"), "{time}");
}

#[test]
fn clusters_only_comes_from_the_config_and_conflicts_with_the_registry() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(&config, "clusters_only = true\n").unwrap();
    let out = dir.path().join("o");
    let run =
        padan(&["dedupe", EXAMPLE, "--out", out.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(files_in(&out), ["clusters.parquet", "model.json", "pairs.parquet", "summary.json"]);

    // The switch and the registry: refused by the parser, before any work.
    let both =
        padan(&["dedupe", EXAMPLE, "--out", out.to_str().unwrap(), "--clusters-only", "--registry", EXAMPLE]);
    assert_eq!(both.status.code(), Some(2));
    let message = String::from_utf8_lossy(&both.stderr);
    assert!(message.contains("--clusters-only") && message.contains("--registry"), "{message}");
    // The setting and the registry: refused by the configuration check.
    let args = ["dedupe", EXAMPLE, "--out", out.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let both = padan(&[&args[..], &["--registry", EXAMPLE]].concat());
    assert_eq!(both.status.code(), Some(2));
    let message = String::from_utf8_lossy(&both.stderr);
    assert!(message.contains("clusters_only: a run against a reference registry"), "{message}");

    std::fs::write(&config, "clusters_only = \"yes\"\n").unwrap();
    let bad =
        padan(&["dedupe", EXAMPLE, "--out", out.to_str().unwrap(), "--config", config.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(message.contains("clusters_only") && message.contains("expected a boolean"), "{message}");
}

#[test]
fn padan_config_shows_clusters_only_with_its_comment() {
    let run = padan(&["config"]);
    assert!(run.status.success());
    let text = String::from_utf8(run.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == "clusters_only = false").expect("the key is printed");
    assert!(
        lines[at - 1].starts_with("# ")
            && lines[..at].iter().rev().take(3).any(|l| l.contains("--clusters-only"))
    );
    // Printed comments do not stop the output from being a valid configuration.
    assert_eq!(padan::Config::from_toml_str(&text).unwrap(), padan::Config::default());
}
