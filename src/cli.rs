//! The `padan` command line: `dedupe`, `link`, `snapshot`, `explain`, `train`, `synth`, `evaluate`, `config`.
//!
//! Exit codes: 0 ok, 1 a check failed (reserved for `padan check`), 2 usage, input or
//! configuration error, 3 internal error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::explain::Language;
use crate::model::Model;
use crate::pipeline::{DedupeResult, Deduper};

/// Print a line to stdout, ignoring a closed pipe (`padan evaluate | head` must not panic).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: a data-quality check failed.
pub const EXIT_CHECK_FAILED: i32 = 1;
/// Exit code: usage, input or configuration error.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: internal error.
pub const EXIT_INTERNAL: i32 = 3;

/// padan: find double recipients and stale entries in social-welfare registries.
#[derive(Debug, Parser)]
#[command(name = "padan", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

impl From<Lang> for Language {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Id => Language::Indonesian,
            Lang::En => Language::English,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum TableFormat {
    Parquet,
    Csv,
    Arrow,
}

impl TableFormat {
    fn extension(self) -> &'static str {
        match self {
            TableFormat::Parquet => "parquet",
            TableFormat::Csv => "csv",
            TableFormat::Arrow => "arrow",
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Deduplicate one table: writes pairs, clusters, flags, households, review.csv and
    /// summary.json to --out (with --clusters-only: pairs, clusters and summary.json only).
    Dedupe {
        /// Input file (.csv, .parquet, .arrow).
        input: PathBuf,
        /// Output directory (created when missing).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        run: RunArgs,
        /// Format of the pairs, clusters, flags and households tables (review.csv is always CSV).
        #[arg(long, value_enum, default_value = "parquet")]
        table_format: TableFormat,
        /// What to print: a human summary or the summary JSON.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
        /// Also write explanations.csv: id_l, id_r, match_probability, decision and the
        /// explanation text of every pair in the pairs file.
        #[arg(long)]
        explanations: bool,
        /// Language of the explanations.
        #[arg(long, value_enum, default_value = "id")]
        lang: Lang,
        /// Date ages are computed at for the flags (YYYY-MM-DD), normally the extract date;
        /// overrides `flags.reference_date` of the configuration. Default: the latest birth
        /// date in the data that is not after today.
        #[arg(long)]
        reference_date: Option<String>,
        /// Civil-registry extract (.csv, .parquet, .arrow; columns per `[registry.columns]`):
        /// adds the DECEASED, MOVED and NOT_FOUND flags and writes registry_links.<ext>.
        #[arg(long)]
        registry: Option<PathBuf>,
        /// Person-level deduplication only: score the pairs and cluster them, skip the flags,
        /// households and review list, and write pairs, clusters, summary.json and model.json
        /// (the same pairs and clusters as a full run, sooner). Sets `clusters_only = true`
        /// of the configuration for this run.
        #[arg(long, conflicts_with_all = ["registry", "reference_date"])]
        clusters_only: bool,
    },
    /// Link two tables, cross pairs only: writes link_pairs.<ext>, best_matches.<ext> (the
    /// best right match of every left row) and link_summary.json to --out.
    Link {
        /// Left input file (.csv, .parquet, .arrow).
        left: PathBuf,
        /// Right input file, read with the same column mapping.
        right: PathBuf,
        /// Output directory (created when missing).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        run: RunArgs,
        /// Format of the tables.
        #[arg(long, value_enum, default_value = "parquet")]
        table_format: TableFormat,
    },
    /// Compare two snapshots (quarter N, then quarter N+1): writes persons.<ext> (each person
    /// unchanged, changed, added or removed, with a stable entity_id), households.<ext> and
    /// summary.json to --out.
    Snapshot {
        /// The earlier snapshot (.csv, .parquet, .arrow); may carry an entity-id column
        /// (`snapshot.entity_id_column`, default `entity_id`) whose ids are carried forward.
        earlier: PathBuf,
        /// The later snapshot, read with the same column mapping.
        later: PathBuf,
        /// Output directory (created when missing).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        run: RunArgs,
        /// Format of the tables.
        #[arg(long, value_enum, default_value = "parquet")]
        table_format: TableFormat,
    },
    /// Explain one pair's score: what each comparison added (runs the dedupe first).
    Explain {
        /// Input file (.csv, .parquet, .arrow).
        input: PathBuf,
        /// Id of one record (as text).
        #[arg(long)]
        id_l: String,
        /// Id of the other record (as text).
        #[arg(long)]
        id_r: String,
        #[command(flatten)]
        run: RunArgs,
        /// Language of the text.
        #[arg(long, value_enum, default_value = "id")]
        lang: Lang,
        /// What to print: the text or the explanation as JSON.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Estimate a model from one extract and write it as a JSON model file, for
    /// `padan dedupe --model` on later extracts.
    Train {
        /// Input file (.csv, .parquet, .arrow).
        input: PathBuf,
        /// Model file to write (JSON).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        settings: SettingsArgs,
        /// Labelled pairs (.csv, .parquet, .arrow with id_l, id_r and a label column): m is
        /// learnt from the labelled matches instead of by EM.
        #[arg(long)]
        labels: Option<PathBuf>,
        /// The label column of --labels (true/false, 1/0, M/N, match/non_match).
        #[arg(long, default_value = crate::labels::DEFAULT_LABEL_COLUMN)]
        label_column: String,
        /// What to print: a human training report or the model's training JSON.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Generate a synthetic DTKS extract with ground truth.
    Synth {
        /// Number of rows.
        #[arg(long, default_value_t = 10_000)]
        rows: usize,
        /// Random seed.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Share of rows that are injected duplicates.
        #[arg(long, default_value_t = 0.10)]
        duplicate_rate: f64,
        /// Output directory: writes dtks.<ext>, truth.<ext>, registry.<ext> (a civil-registry
        /// extract) and stale_truth.<ext> (each DTKS row's registry status).
        #[arg(long)]
        out: PathBuf,
        /// File format.
        #[arg(long, value_enum, default_value = "parquet")]
        table_format: TableFormat,
    },
    /// Pairwise precision, recall and F1 of clusters (or pairs) and of duplicate households
    /// against a truth table, or the precision-recall curve of a pairs file against labelled
    /// pairs.
    Evaluate {
        /// Truth table with the id column, entity_id, and optionally duplicate_kind and variation
        /// (with --households: no_kk and kk_household_id).
        #[arg(long, required_unless_present_any = ["labels", "stale_truth"], conflicts_with = "labels")]
        truth: Option<PathBuf>,
        /// Stale truth (`padan synth`'s stale_truth file: id, registry_status) to score the
        /// DECEASED, MOVED and NOT_FOUND flags of --flags against.
        #[arg(long, requires = "flags", conflicts_with_all = ["labels", "truth"])]
        stale_truth: Option<PathBuf>,
        /// flags file written by `padan dedupe --registry`.
        #[arg(long)]
        flags: Option<PathBuf>,
        /// Labelled pairs (id_l, id_r and a label column): with --pairs, prints the
        /// precision-recall curve's key points (the whole curve with --format json).
        #[arg(long, requires = "pairs")]
        labels: Option<PathBuf>,
        /// The label column of --labels.
        #[arg(long, default_value = crate::labels::DEFAULT_LABEL_COLUMN)]
        label_column: String,
        /// With --labels: report the lowest threshold whose precision reaches this.
        #[arg(long)]
        target_precision: Option<f64>,
        /// clusters file written by `padan dedupe` (columns id, cluster_id).
        #[arg(long, conflicts_with = "pairs", required_unless_present_any = ["pairs", "households", "stale_truth", "blocking"])]
        clusters: Option<PathBuf>,
        /// The input the run read: blocking alone is run on it (with --config's rules) and its
        /// recall reported, the share of true pairs some rule proposes, per rule and kind.
        #[arg(long, requires = "truth", conflicts_with = "labels")]
        blocking: Option<PathBuf>,
        #[command(flatten)]
        settings: SettingsArgs,
        /// households file written by `padan dedupe`: KK pairs decided `duplicate` are scored
        /// against the truth's `no_kk` and `kk_household_id` (written by `padan synth`).
        #[arg(long, conflicts_with = "labels")]
        households: Option<PathBuf>,
        /// pairs file written by `padan dedupe`; pairs at or above --threshold count as predicted.
        #[arg(long)]
        pairs: Option<PathBuf>,
        /// Threshold on match_probability in pairs mode (with --labels: the point reported).
        #[arg(long, default_value_t = 0.9)]
        threshold: f64,
        /// Name of the id column in the truth table.
        #[arg(long, default_value = "id_dtks")]
        id_column: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Print the default configuration (TOML) to start a config file from.
    Config,
}

/// Entry point of the `padan` binary.
pub fn main() -> ExitCode {
    let code = run(std::env::args().collect());
    ExitCode::from(u8::try_from(code).unwrap_or(3))
}

/// Run the CLI on `args` (including the program name) and return the exit code. Used by the
/// binary and by `python -m padan`.
///
/// ```
/// assert_eq!(padan::cli::run(vec!["padan".into(), "--version".into()]), 0);
/// assert_eq!(padan::cli::run(vec!["padan".into(), "no-such-command".into()]), 2);
/// ```
pub fn run(args: Vec<String>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match execute(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("padan: error: {e}");
            if e.is_user_error() { EXIT_USAGE } else { EXIT_INTERNAL }
        }
    }
}

fn execute(command: Command) -> Result<i32> {
    match command {
        Command::Dedupe {
            input,
            out,
            run,
            table_format,
            format,
            explanations,
            lang,
            reference_date,
            registry,
            clusters_only,
        } => {
            let mut deduper = run.deduper()?;
            if clusters_only {
                deduper = deduper.with_clusters_only(true);
            }
            if let Some(date) = reference_date {
                crate::flags::parse_reference_date(&date)?;
                deduper = deduper.with_flags_reference_date(date)?;
            }
            let started = Instant::now();
            let result = match &registry {
                Some(registry) => deduper.run_path_with_registry(&input, registry)?,
                None => deduper.run_path(&input)?,
            };
            std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
            let ext = table_format.extension();
            let pairs_path = out.join(format!("pairs.{ext}"));
            let clusters_path = out.join(format!("clusters.{ext}"));
            let write_started = Instant::now();
            // The tables are independent: each is built and compressed as its own task.
            type TableTask<'a> = (Box<dyn Fn() -> Result<arrow_array::RecordBatch> + Sync + 'a>, PathBuf);
            let mut tasks: Vec<TableTask> = vec![
                (Box::new(|| result.pairs_table()), pairs_path),
                (Box::new(|| result.clusters_table()), clusters_path),
            ];
            if result.flags.is_some() {
                tasks.push((Box::new(|| result.flags_table()), out.join(format!("flags.{ext}"))));
                tasks.push((Box::new(|| result.flag_counts_table()), out.join(format!("flag_counts.{ext}"))));
                tasks.push((
                    Box::new(|| result.double_recipients_table()),
                    out.join(format!("double_recipients.{ext}")),
                ));
                tasks.push((Box::new(|| result.review_table()), out.join("review.csv")));
            }
            if result.households.is_some() {
                tasks.push((Box::new(|| result.households_table()), out.join(format!("households.{ext}"))));
            }
            if result.registry.is_some() {
                tasks.push((
                    Box::new(|| result.registry_links_table()),
                    out.join(format!("registry_links.{ext}")),
                ));
            }
            crate::parallel::pool(result.config().threads)?.install(|| {
                use rayon::prelude::*;
                tasks.par_iter().try_for_each(|(table, path)| crate::output::write_table(&table()?, path))
            })?;
            crate::output::write_text(&(result.summary_json() + "\n"), &out.join("summary.json"))?;
            crate::output::write_text(&(result.model.to_json() + "\n"), &out.join("model.json"))?;
            if explanations {
                crate::output::write_table(
                    &result.explanations_table(lang.into())?,
                    &out.join("explanations.csv"),
                )?;
            }
            let write_time = write_started.elapsed();
            match format {
                OutputFormat::Json => say!("{}", result.summary_json()),
                OutputFormat::Text => {
                    print_human_summary(&result, &input, &out);
                    eprintln!("{}", timing_line(&result, write_time, started.elapsed()));
                }
            }
            Ok(EXIT_OK)
        }
        Command::Link { left, right, out, run, table_format } => {
            let started = Instant::now();
            let result = run.deduper()?.link_path(&left, &right)?;
            std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
            let ext = table_format.extension();
            crate::output::write_table(&result.pairs_table()?, &out.join(format!("link_pairs.{ext}")))?;
            crate::output::write_table(
                &result.best_matches_table()?,
                &out.join(format!("best_matches.{ext}")),
            )?;
            crate::output::write_text(&(result.summary_json() + "\n"), &out.join("link_summary.json"))?;
            let s = &result.summary;
            say!("padan {}: {} against {}", s.padan_version, left.display(), right.display());
            say!("  rows                 {:>10} left, {} right", s.left_rows, s.right_rows);
            say!("  pairs scored         {:>10}", s.pairs_scored);
            say!(
                "  left rows matched    {:>10}   (≥ {:.2}; {} distinct right rows)",
                s.left_rows_matched,
                s.match_threshold,
                s.right_rows_matched
            );
            say!("  outputs in {}", out.display());
            let parts: Vec<String> =
                result.timings.iter().map(|(name, d)| format!("{name} {:.2}s", d.as_secs_f64())).collect();
            eprintln!("  time: {} (total {:.2}s)", parts.join(", "), started.elapsed().as_secs_f64());
            Ok(EXIT_OK)
        }
        Command::Snapshot { earlier, later, out, run, table_format } => {
            let started = Instant::now();
            let diff = run.deduper()?.compare_snapshots_path(&earlier, &later)?;
            std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
            let ext = table_format.extension();
            crate::output::write_table(&diff.persons_table()?, &out.join(format!("persons.{ext}")))?;
            crate::output::write_table(&diff.households_table()?, &out.join(format!("households.{ext}")))?;
            crate::output::write_text(&(diff.summary_json() + "\n"), &out.join("summary.json"))?;
            // Counts only: no NIK or KK number is printed.
            let s = &diff.summary;
            say!("padan {}: {} then {}", s.padan_version, earlier.display(), later.display());
            say!("  rows                 {:>10} earlier, {} later", s.earlier_rows, s.later_rows);
            say!("  persons unchanged    {:>10}", s.unchanged);
            let fields: Vec<String> = s.changed_by_field.iter().map(|(f, n)| format!("{f} {n}")).collect();
            say!("  persons changed      {:>10}   ({})", s.changed, fields.join(", "));
            say!("  persons added        {:>10}", s.added);
            say!("  persons removed      {:>10}", s.removed);
            say!(
                "  households           {:>10} unchanged, {} changed, {} added, {} removed",
                s.households_unchanged,
                s.households_changed,
                s.households_added,
                s.households_removed
            );
            say!("  outputs in {}", out.display());
            eprintln!("  time: {:.2}s", started.elapsed().as_secs_f64());
            Ok(EXIT_OK)
        }
        Command::Explain { input, id_l, id_r, run, lang, format } => {
            let result = run.deduper()?.run_path(&input)?;
            let Some(explanation) = result.explain_ids(&id_l, &id_r) else {
                let ids = crate::explain::id_texts(&result.prepared.id)?;
                let known = |id: &str| ids.iter().any(|value| value == Some(id));
                for id in [&id_l, &id_r] {
                    if !known(id) {
                        eprintln!("padan: error: no record has id `{id}` in {}", input.display());
                        return Ok(EXIT_USAGE);
                    }
                }
                eprintln!(
                    "padan: error: records `{id_l}` and `{id_r}` were not blocked together (no blocking rule \
                     paired them), so they were never compared or scored"
                );
                return Ok(EXIT_USAGE);
            };
            match format {
                OutputFormat::Json => say!("{}", serde_json::to_string_pretty(&explanation)?),
                OutputFormat::Text => say!("{}", explanation.to_text(lang.into())),
            }
            Ok(EXIT_OK)
        }
        Command::Train { input, out, settings, labels, label_column, format } => {
            let started = Instant::now();
            let mut deduper = RunArgs { settings, model: None }.deduper()?;
            if let Some(path) = labels {
                deduper = deduper.with_labels(crate::labels::Labels::from_path(&path, &label_column)?);
            }
            let model = deduper.train_path(&input)?;
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            crate::output::write_text(&(model.to_json() + "\n"), &out)?;
            match format {
                OutputFormat::Json => {
                    say!("{}", serde_json::to_string_pretty(&model.training).unwrap_or_default())
                }
                OutputFormat::Text => {
                    say!("model written to {}", out.display());
                    say!("  prior (share of record pairs that match): {:.3e}", model.prior);
                    say!(
                        "  u from {} random record pairs (seed {})",
                        model.training.u_sample_pairs,
                        model.training.seed
                    );
                    if let Some(labels) = &model.training.labels {
                        say!(
                            "  m from {} labelled matches ({} labelled pairs, {} not blocked together: compared directly)",
                            labels.matches,
                            labels.pairs,
                            labels.not_blocked
                        );
                    }
                    if let Some(rules) = &model.training.prior_from_rules {
                        say!(
                            "  prior from {} pairs met by the rules [{}] at an assumed recall of {}",
                            rules.pairs,
                            rules.rules.join(", "),
                            rules.recall
                        );
                    }
                    for session in &model.training.em_sessions {
                        let left_out: Vec<&str> = session.left_out.iter().map(|k| k.name()).collect();
                        say!(
                            "  EM on rule {:<20} {:>9} pairs, left out [{}]: {} iterations, {}, matches {:.1}%",
                            session.blocking_rule,
                            session.pairs,
                            left_out.join(", "),
                            session.iterations,
                            if session.converged { "converged" } else { "NOT converged" },
                            100.0 * session.match_share,
                        );
                    }
                    eprintln!("  time: {:.2}s", started.elapsed().as_secs_f64());
                }
            }
            Ok(EXIT_OK)
        }
        Command::Synth { rows, seed, duplicate_rate, out, table_format } => {
            if !(0.0..1.0).contains(&duplicate_rate) {
                return Err(Error::InvalidConfig(vec![crate::ConfigIssue::new(
                    "--duplicate-rate",
                    "must be in [0, 1)",
                )]));
            }
            let started = Instant::now();
            let data = crate::synth::generate(&crate::synth::SynthOptions { rows, seed, duplicate_rate });
            std::fs::create_dir_all(&out).map_err(|e| Error::io(&out, e))?;
            let ext = table_format.extension();
            crate::output::write_table(&data.records, &out.join(format!("dtks.{ext}")))?;
            crate::output::write_table(&data.truth, &out.join(format!("truth.{ext}")))?;
            let registry = crate::registry::synth::generate_registry(&data, seed);
            crate::output::write_table(&registry.registry, &out.join(format!("registry.{ext}")))?;
            crate::output::write_table(&registry.stale_truth, &out.join(format!("stale_truth.{ext}")))?;
            say!(
                "wrote {rows} rows to {} and the truth to {}, a registry extract of {} rows to {} and its truth \
                 to {} in {:.2} s",
                out.join(format!("dtks.{ext}")).display(),
                out.join(format!("truth.{ext}")).display(),
                registry.registry.num_rows(),
                out.join(format!("registry.{ext}")).display(),
                out.join(format!("stale_truth.{ext}")).display(),
                started.elapsed().as_secs_f64()
            );
            Ok(EXIT_OK)
        }
        Command::Evaluate {
            truth,
            stale_truth,
            flags,
            labels,
            label_column,
            target_precision,
            clusters,
            households,
            pairs,
            threshold,
            id_column,
            format,
            blocking,
            settings,
        } => {
            if let (Some(labels), Some(pairs)) = (&labels, &pairs) {
                return evaluate_labels(labels, &label_column, pairs, threshold, target_precision, format);
            }
            if let (Some(stale_truth), Some(flags)) = (&stale_truth, &flags) {
                return evaluate_stale(stale_truth, flags, &id_column, format);
            }
            let Some(truth) = truth else { unreachable!("clap requires --truth, --stale-truth or --labels") };
            let truth_table = read_table(&truth)?;
            let household_evaluation = match &households {
                Some(path) => Some(crate::households::evaluate(&read_table(path)?, &truth_table)?),
                None => None,
            };
            let evaluation = match (clusters, pairs) {
                (Some(path), _) => {
                    Some(crate::evaluate::evaluate_clusters(&read_table(&path)?, &truth_table, &id_column)?)
                }
                (None, Some(path)) => Some(crate::evaluate::evaluate_pairs(
                    &read_table(&path)?,
                    &truth_table,
                    &id_column,
                    threshold,
                )?),
                (None, None) => None,
            };
            let blocking_evaluation = match &blocking {
                Some(input) => Some(evaluate_blocking(input, settings, &truth_table, &id_column)?),
                None => None,
            };
            if format == OutputFormat::Json {
                let mut value = match &evaluation {
                    Some(evaluation) => serde_json::to_value(evaluation)?,
                    None => serde_json::json!({}),
                };
                if let Some(blocking) = &blocking_evaluation {
                    value["blocking"] = serde_json::to_value(blocking)?;
                }
                if let Some(households) = &household_evaluation {
                    value["households"] = serde_json::to_value(households)?;
                }
                say!("{}", serde_json::to_string_pretty(&value)?);
                return Ok(EXIT_OK);
            }
            if let Some(h) = &household_evaluation {
                let o = h.overall;
                say!(
                    "duplicate households: precision {:.4}  recall {:.4}  F1 {:.4}  (TP {} / predicted {} / true {} KK pairs)",
                    o.precision,
                    o.recall,
                    o.f1,
                    o.true_positives,
                    o.predicted_pairs,
                    o.true_pairs
                );
                for (kind, c) in &h.by_head_agreement {
                    say!("  {kind:<24} {} predicted, {} true", c.predicted, c.true_positives);
                }
                if h.kk_missing_from_truth > 0 {
                    say!("  {} predicted KK numbers were missing from the truth", h.kk_missing_from_truth);
                }
            }
            if let Some(b) = &blocking_evaluation {
                let o = b.candidates.overall;
                say!(
                    "blocking recall {:.4}  ({} of {} true pairs proposed; {} candidate pairs, {:.4} of them true)",
                    o.recall,
                    o.true_positives,
                    o.true_pairs,
                    o.predicted_pairs,
                    o.precision
                );
                for (rule, found) in &b.true_pairs_by_rule {
                    say!("  first by {rule:<24} {found:>8} true pairs");
                }
                for (kind, k) in &b.candidates.by_kind {
                    say!(
                        "  {kind:<24} blocking recall {:.4}  ({} of {} pairs)",
                        k.recall,
                        k.found,
                        k.true_pairs
                    );
                }
            }
            let Some(evaluation) = evaluation else { return Ok(EXIT_OK) };
            match format {
                OutputFormat::Json => unreachable!("JSON was printed above"),
                OutputFormat::Text => {
                    let o = evaluation.overall;
                    say!(
                        "pairwise precision {:.4}  recall {:.4}  F1 {:.4}  (TP {} / predicted {} / true {})",
                        o.precision,
                        o.recall,
                        o.f1,
                        o.true_positives,
                        o.predicted_pairs,
                        o.true_pairs
                    );
                    for (kind, k) in &evaluation.by_kind {
                        say!("  {kind:<24} recall {:.4}  ({} of {} pairs)", k.recall, k.found, k.true_pairs);
                    }
                    if !evaluation.by_variation.is_empty() {
                        say!("  by variation:");
                    }
                    for (variation, k) in &evaluation.by_variation {
                        say!(
                            "    {variation:<22} recall {:.4}  ({} of {} pairs)",
                            k.recall,
                            k.found,
                            k.true_pairs
                        );
                    }
                    if evaluation.rows_missing_from_predictions > 0 {
                        say!(
                            "  {} truth rows were missing from the predictions",
                            evaluation.rows_missing_from_predictions
                        );
                    }
                }
            }
            Ok(EXIT_OK)
        }
        Command::Config => {
            print!("{}", Config::default().to_toml_string());
            Ok(EXIT_OK)
        }
    }
}

/// `padan evaluate --truth T --blocking INPUT`: the configuration's blocking rules run alone on
/// the input, their candidate pairs scored against the truth.
fn evaluate_blocking(
    input: &Path,
    settings: SettingsArgs,
    truth: &arrow_array::RecordBatch,
    id_column: &str,
) -> Result<crate::evaluate::BlockingEvaluation> {
    let deduper = RunArgs { settings, model: None }.deduper()?;
    let config = deduper.config();
    crate::parallel::pool(config.threads)?.install(|| {
        let raw = crate::input::read_path(input, &config.columns)?;
        let prepared = crate::prepare::prepare(&raw, config.indonesian_rules);
        let pairs = crate::block::block(&prepared, &config.blocking, config.max_block_size);
        let ids = crate::explain::id_texts(&prepared.id)?;
        crate::evaluate::evaluate_blocking(&ids, &pairs, &config.blocking, truth, id_column)
    })
}

/// `padan evaluate --stale-truth T --flags F`: precision and recall of the registry flags.
fn evaluate_stale(truth: &Path, flags: &Path, id_column: &str, format: OutputFormat) -> Result<i32> {
    let evaluation = crate::registry::evaluate_stale(&read_table(flags)?, &read_table(truth)?, id_column)?;
    match format {
        OutputFormat::Json => say!("{}", serde_json::to_string_pretty(&evaluation)?),
        OutputFormat::Text => {
            for (code, s) in &evaluation.by_code {
                say!(
                    "{code:<10} precision {:.4}  recall {:.4}  F1 {:.4}  (TP {} / flagged {} / true {})",
                    s.precision,
                    s.recall,
                    s.f1,
                    s.true_positives,
                    s.predicted_pairs,
                    s.true_pairs
                );
            }
            if evaluation.flagged_ids_not_in_truth > 0 {
                say!("  {} flagged ids are not in the truth", evaluation.flagged_ids_not_in_truth);
            }
        }
    }
    Ok(EXIT_OK)
}

/// `padan evaluate --labels L --pairs P`: the precision-recall curve of a pairs file.
fn evaluate_labels(
    labels: &Path,
    label_column: &str,
    pairs: &Path,
    threshold: f64,
    target_precision: Option<f64>,
    format: OutputFormat,
) -> Result<i32> {
    if let Some(target) = target_precision
        && !(0.0..=1.0).contains(&target)
    {
        return Err(Error::InvalidConfig(vec![crate::ConfigIssue::new(
            "--target-precision",
            "must be in [0, 1]",
        )]));
    }
    let labels = crate::labels::Labels::from_path(labels, label_column)?;
    let curve = crate::labels::evaluate_pairs_table(&read_table(pairs)?, &labels)?;
    let at_target = target_precision.map(|t| curve.at_precision(t));
    match format {
        OutputFormat::Json => {
            let mut value = serde_json::to_value(&curve)?;
            value["at_threshold"] = serde_json::to_value(curve.at_probability(threshold))?;
            value["threshold"] = threshold.into();
            value["best_f1"] = serde_json::to_value(curve.best_f1())?;
            if let Some(target) = target_precision {
                value["target_precision"] = target.into();
                value["at_target_precision"] = serde_json::to_value(at_target.flatten())?;
            }
            say!("{}", serde_json::to_string_pretty(&value)?);
        }
        OutputFormat::Text => {
            say!(
                "{} labelled pairs ({} matches); {} not in the pairs file ({} of them matches)",
                curve.labelled_pairs,
                curve.labelled_matches,
                curve.not_scored_pairs,
                curve.not_scored_matches
            );
            let line = |what: String, point: Option<crate::labels::PrPoint>| match point {
                Some(p) => say!(
                    "  {what:<34} probability ≥ {:.6} (weight {:+.2}): precision {:.4}  recall {:.4}  F1 {:.4}",
                    p.match_probability,
                    p.match_weight,
                    p.precision,
                    p.recall,
                    p.f1
                ),
                None => say!("  {what:<34} no threshold"),
            };
            line(format!("at threshold {threshold}"), curve.at_probability(threshold));
            line("best F1".into(), curve.best_f1());
            if let (Some(target), Some(point)) = (target_precision, at_target) {
                line(format!("lowest threshold with precision ≥ {target}"), point);
            }
        }
    }
    Ok(EXIT_OK)
}

/// The options that set up a run: configuration and threads.
#[derive(Debug, Args)]
struct SettingsArgs {
    /// Configuration file (TOML); defaults to the DTKS preset.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Worker threads (default: PADAN_NUM_THREADS or all cores).
    #[arg(long)]
    threads: Option<usize>,
}

/// The options of every command that scores pairs: the settings and an optional model file.
#[derive(Debug, Args)]
struct RunArgs {
    #[command(flatten)]
    settings: SettingsArgs,
    /// Model file (JSON) to score with instead of estimating one from the input.
    #[arg(long)]
    model: Option<PathBuf>,
}

impl RunArgs {
    /// A deduper from the configuration file (or the DTKS preset), the thread count and the model.
    fn deduper(self) -> Result<Deduper> {
        let mut cfg = match self.settings.config {
            Some(path) => Config::from_path(&path)?,
            None => Config::default(),
        };
        if self.settings.threads.is_some() {
            cfg.threads = self.settings.threads;
        }
        let mut deduper = Deduper::new(cfg)?;
        if let Some(path) = self.model {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            deduper = deduper.with_model(Model::from_json(&text)?)?;
        }
        Ok(deduper)
    }
}

fn read_table(path: &Path) -> Result<arrow_array::RecordBatch> {
    let (schema, batches, _) = crate::input::read_batches(path)?;
    Ok(arrow_select::concat::concat_batches(&schema, &batches)?)
}

fn print_human_summary(result: &DedupeResult, input: &Path, out: &Path) {
    let s = &result.summary;
    let mut text = String::new();
    let mut line = |l: String| {
        text.push_str(&l);
        text.push('\n');
    };
    line(format!("padan {}: {}", s.padan_version, input.display()));
    line(format!(
        "  rows read            {:>10}   ({} with problems, {} diagnostics)",
        s.rows_read, s.rows_with_problems, s.diagnostics_total
    ));
    // Rule names are the user's: the counts line up after the longest.
    let rule_width = s.blocking.iter().map(|r| r.name.chars().count()).max().unwrap_or(0).max(20);
    for rule in &s.blocking {
        let capped = if rule.capped_blocks.is_empty() {
            String::new()
        } else {
            format!("   ({} blocks over the cap skipped)", rule.capped_blocks.len())
        };
        line(format!("  pairs by {:<rule_width$} {:>8}{capped}", rule.name, rule.pairs));
    }
    line(format!("  pairs scored         {:>10}", s.pairs_scored));
    line(format!("  pairs ≥ {:.2}          {:>10}", s.match_threshold, s.pairs_above_threshold));
    line(format!(
        "  duplicate clusters   {:>10}   ({} rows in them; {} rows are extra copies)",
        s.clusters_of_two_or_more, s.rows_in_clusters_of_two_or_more, s.duplicate_rows
    ));
    if s.clusters_only {
        line("  flags, households    skipped: clusters only (no flags, households or review list)".into());
    }
    if let Some(f) = &s.flags {
        line(format!(
            "  flags                {:>10}   (on {} rows; ages at {}; review list in review.csv)",
            f.flags_total, f.rows_flagged, f.reference_date
        ));
        for (code, count) in f.by_code.iter().filter(|(_, n)| **n > 0) {
            line(format!("    {code:<24} {count:>8}"));
        }
    }
    if let Some(r) = &s.registry {
        line(format!(
            "  registry rows        {:>10}   ({} with problems); DTKS rows matched to it: {}",
            r.rows_read, r.rows_with_problems, r.dtks_rows_matched
        ));
    }
    for d in s.flags.iter().flat_map(|f| &f.double_recipients).filter(|d| d.persons > 0) {
        line(format!(
            "  double {:<8} {:>6} persons on {} rows ({} extra payments)",
            d.programme, d.persons, d.rows, d.extra_payments
        ));
    }
    if let Some(h) = &s.households {
        line(format!(
            "  households           {:>10}   KK numbers ({} rows without a KK); {} KK pairs share a person",
            h.kk_numbers, h.rows_without_kk, h.kk_pairs_compared
        ));
        line(format!(
            "    duplicate          {:>10}   ({} KK numbers to drop; {} for review, {} splits, {} distinct)",
            h.duplicate_pairs, h.kk_to_drop, h.review_pairs, h.split_pairs, h.distinct_pairs
        ));
        for d in h.double_programmes.iter().filter(|d| d.duplicate_pairs > 0) {
            line(format!("    {:<8} under both KK numbers {:>6}", d.programme, d.duplicate_pairs));
        }
    }
    for d in s.diagnostics.iter().take(5) {
        line(format!("  ! {d}"));
    }
    line(format!("  outputs in {}", out.display()));
    let _ = std::io::stdout().write_all(text.as_bytes());
}

fn timing_line(result: &DedupeResult, write: std::time::Duration, total: std::time::Duration) -> String {
    let mut parts: Vec<String> =
        result.timings.iter().map(|(name, d)| format!("{name} {:.2}s", d.as_secs_f64())).collect();
    parts.push(format!("write {:.2}s", write.as_secs_f64()));
    format!("  time: {} (total {:.2}s)", parts.join(", "), total.as_secs_f64())
}
