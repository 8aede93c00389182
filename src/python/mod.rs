//! Python bindings: the `padan._core` extension module (feature `python`).
//!
//! Thin glue only. Arguments are converted while attached (Arrow batches are read from the
//! producer then), the pipeline runs inside `py.detach` with no Python objects in the closure,
//! and panics are caught there and raised as `padan.InternalError`. User documentation lives in
//! the Python facade (`python/padan/`), which wraps these objects.

mod args;
mod clean;
mod error;
mod table;

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, StringBuilder, UInt8Builder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use self::args::Source;
use self::error::{Failure, catch, failure_to_pyerr};
use self::table::{DedupeResult, Table};
use crate::input::Diagnostic;
use crate::labels::{Labels, PrCurve};
use crate::pipeline::Deduper;

/// `json.loads(text)`.
fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// All diagnostics as a table: `row` (1-based), `field`, `code`, `message`.
fn diagnostics_table(diagnostics: &[Diagnostic]) -> crate::Result<RecordBatch> {
    let mut row = UInt64Builder::with_capacity(diagnostics.len());
    let mut field = StringBuilder::new();
    let mut code = StringBuilder::new();
    let mut message = StringBuilder::new();
    for d in diagnostics {
        row.append_value(d.row);
        field.append_value(&d.field);
        code.append_value(&d.code);
        message.append_value(&d.message);
    }
    Ok(RecordBatch::try_from_iter([
        ("row", Arc::new(row.finish()) as ArrayRef),
        ("field", Arc::new(field.finish()) as ArrayRef),
        ("code", Arc::new(code.finish()) as ArrayRef),
        ("message", Arc::new(message.finish()) as ArrayRef),
    ])?)
}

/// What a detached dedupe run hands back: plain Rust values only.
struct Outputs {
    pairs: RecordBatch,
    clusters: RecordBatch,
    diagnostics: RecordBatch,
    summary_json: String,
    model_json: String,
    result: crate::pipeline::DedupeResult,
}

/// Deduplicate a table. See `padan.dedupe` for the documentation.
#[pyfunction]
#[pyo3(signature = (data, config=None, model=None, threads=None, labels=None, label_column="is_match", registry=None, clusters_only=None))]
#[allow(clippy::too_many_arguments)]
fn dedupe(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    config: Option<&Bound<'_, PyAny>>,
    model: Option<&Bound<'_, PyAny>>,
    threads: Option<i64>,
    labels: Option<&Bound<'_, PyAny>>,
    label_column: &str,
    registry: Option<&Bound<'_, PyAny>>,
    clusters_only: Option<bool>,
) -> PyResult<DedupeResult> {
    let threads = args::threads(threads)?;
    let mut config = args::config(py, config, threads)?;
    if let Some(clusters_only) = clusters_only {
        config.clusters_only = clusters_only;
    }
    let model = args::model(py, model)?;
    let source = args::source(py, data, "data")?;
    let labels = labels.filter(|l| !l.is_none()).map(|l| TableArg::extract(py, l, "labels")).transpose()?;
    let label_column = label_column.to_string();
    let registry =
        registry.filter(|r| !r.is_none()).map(|r| TableArg::extract(py, r, "registry")).transpose()?;
    let outputs = py
        .detach(move || {
            catch(|| {
                let mut deduper = Deduper::new(config)?;
                if let Some(model) = model {
                    deduper = deduper.with_model(model)?;
                }
                if let Some(labels) = labels {
                    deduper = deduper.with_labels(Labels::from_batch(&labels.load()?, &label_column)?);
                }
                let registry = match registry {
                    None => None,
                    Some(TableArg::Path(path)) => {
                        Some(crate::registry::Registry::from_path(&path, &deduper.config().registry)?)
                    }
                    Some(TableArg::Batch(batch)) => Some(crate::registry::Registry::from_batches(
                        &batch.schema(),
                        &[batch],
                        &deduper.config().registry,
                    )?),
                };
                let result = match (source, registry) {
                    (Source::Path(path), None) => deduper.run_path(&path)?,
                    (Source::Batches(schema, batches), None) => deduper.run_batches(&schema, &batches)?,
                    (Source::Path(path), Some(registry)) => deduper.run_with_registry(
                        crate::input::read_path(&path, &deduper.config().columns)?,
                        registry,
                    )?,
                    (Source::Batches(schema, batches), Some(registry)) => {
                        deduper.run_batches_with_registry(&schema, &batches, registry)?
                    }
                };
                Ok(Outputs {
                    pairs: result.pairs_table()?,
                    clusters: result.clusters_table()?,
                    diagnostics: diagnostics_table(&result.prepared.diagnostics)?,
                    summary_json: result.summary_json(),
                    model_json: result.model.to_json(),
                    result,
                })
            })
        })
        .map_err(|f| failure_to_pyerr(py, f))?;
    Ok(DedupeResult {
        pairs: Py::new(py, Table::new(outputs.pairs))?,
        clusters: Py::new(py, Table::new(outputs.clusters))?,
        diagnostics: Py::new(py, Table::new(outputs.diagnostics))?,
        summary_json: outputs.summary_json,
        model_json: outputs.model_json,
        result: Arc::new(outputs.result),
    })
}

/// Compare two snapshots: `(persons, households, summary JSON)`. See `padan.compare_snapshots`.
#[pyfunction]
#[pyo3(signature = (earlier, later, config=None, model=None, threads=None))]
fn compare_snapshots(
    py: Python<'_>,
    earlier: &Bound<'_, PyAny>,
    later: &Bound<'_, PyAny>,
    config: Option<&Bound<'_, PyAny>>,
    model: Option<&Bound<'_, PyAny>>,
    threads: Option<i64>,
) -> PyResult<(Table, Table, String)> {
    let threads = args::threads(threads)?;
    let config = args::config(py, config, threads)?;
    let model = args::model(py, model)?;
    let earlier = args::source(py, earlier, "earlier")?;
    let later = args::source(py, later, "later")?;
    let (persons, households, summary) = py
        .detach(move || {
            catch(|| {
                let mut deduper = Deduper::new(config)?;
                if let Some(model) = model {
                    deduper = deduper.with_model(model)?;
                }
                let diff = match (earlier, later) {
                    (Source::Path(earlier), Source::Path(later)) => {
                        deduper.compare_snapshots_path(&earlier, &later)?
                    }
                    (earlier, later) => {
                        let load = |source: Source| -> crate::Result<_> {
                            match source {
                                Source::Path(path) => {
                                    let (schema, batches, _) = crate::input::read_batches(&path)?;
                                    Ok((schema, batches))
                                }
                                Source::Batches(schema, batches) => Ok((schema, batches)),
                            }
                        };
                        let (earlier_schema, earlier) = load(earlier)?;
                        let (later_schema, later) = load(later)?;
                        deduper.compare_snapshots_batches(&earlier_schema, &earlier, &later_schema, &later)?
                    }
                };
                Ok((diff.persons_table()?, diff.households_table()?, diff.summary_json()))
            })
        })
        .map_err(|f| failure_to_pyerr(py, f))?;
    Ok((Table::new(persons), Table::new(households), summary))
}

/// Generate a synthetic DTKS-like table and its truth. See `padan.synth`.
#[pyfunction]
#[pyo3(signature = (rows=10000, seed=42, duplicate_rate=0.1))]
fn synth(py: Python<'_>, rows: usize, seed: u64, duplicate_rate: f64) -> PyResult<(Table, Table)> {
    if !(0.0..=1.0).contains(&duplicate_rate) {
        return Err(PyValueError::new_err(format!(
            "`duplicate_rate` must be in [0, 1], got {duplicate_rate}"
        )));
    }
    let options = crate::synth::SynthOptions { rows, seed, duplicate_rate };
    let data = py
        .detach(move || catch(|| Ok(crate::synth::generate(&options))))
        .map_err(|f| failure_to_pyerr(py, f))?;
    Ok((Table::new(data.records), Table::new(data.truth)))
}

/// A table argument: a file read by Rust, or a batch already read from a Python producer.
enum TableArg {
    Path(PathBuf),
    Batch(RecordBatch),
}

impl TableArg {
    fn extract(py: Python<'_>, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Self> {
        if let Ok(table) = obj.cast::<Table>() {
            return Ok(TableArg::Batch(table.get().batch().clone()));
        }
        match args::source(py, obj, what)? {
            Source::Path(path) => Ok(TableArg::Path(path)),
            Source::Batches(schema, batches) => arrow_select::concat::concat_batches(&schema, &batches)
                .map(TableArg::Batch)
                .map_err(|e| error::to_pyerr(py, crate::Error::Arrow(e))),
        }
    }

    fn load(self) -> Result<RecordBatch, Failure> {
        match self {
            TableArg::Batch(batch) => Ok(batch),
            TableArg::Path(path) => {
                let (schema, batches, _) = crate::input::read_batches(&path)?;
                Ok(arrow_select::concat::concat_batches(&schema, &batches).map_err(crate::Error::from)?)
            }
        }
    }
}

/// Pairwise precision / recall / F1 of clusters against a truth table. See `padan.evaluate`.
#[pyfunction]
#[pyo3(signature = (clusters, truth, id_column="id_dtks"))]
fn evaluate<'py>(
    py: Python<'py>,
    clusters: &Bound<'py, PyAny>,
    truth: &Bound<'py, PyAny>,
    id_column: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let clusters = TableArg::extract(py, clusters, "clusters")?;
    let truth = TableArg::extract(py, truth, "truth")?;
    let id_column = id_column.to_string();
    let report = py
        .detach(move || {
            catch(|| {
                let report =
                    crate::evaluate::evaluate_clusters(&clusters.load()?, &truth.load()?, &id_column)?;
                Ok(serde_json::to_string(&report).map_err(crate::Error::from)?)
            })
        })
        .map_err(|f| failure_to_pyerr(py, f))?;
    json_loads(py, &report)
}

/// Pairwise precision / recall / F1 of duplicate households against a truth table with `no_kk`
/// and `kk_household_id`. See `padan.evaluate_households`.
#[pyfunction]
fn evaluate_households<'py>(
    py: Python<'py>,
    households: &Bound<'py, PyAny>,
    truth: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let households = TableArg::extract(py, households, "households")?;
    let truth = TableArg::extract(py, truth, "truth")?;
    let report = py
        .detach(move || {
            catch(|| {
                let report = crate::households::evaluate(&households.load()?, &truth.load()?)?;
                Ok(serde_json::to_string(&report).map_err(crate::Error::from)?)
            })
        })
        .map_err(|f| failure_to_pyerr(py, f))?;
    json_loads(py, &report)
}

/// The precision-recall curve of scored pairs against labels: `(points table, JSON)` where the
/// JSON holds the counts, `best_f1` and, with `target_precision`, `at_target_precision` (a point
/// or null). `pairs` is a `DedupeResult` (every candidate pair counts, ids are checked against
/// the input) or a pairs table. See `padan.precision_recall`.
#[pyfunction]
#[pyo3(signature = (pairs, labels, label_column="is_match", target_precision=None))]
fn evaluate_labels(
    py: Python<'_>,
    pairs: &Bound<'_, PyAny>,
    labels: &Bound<'_, PyAny>,
    label_column: &str,
    target_precision: Option<f64>,
) -> PyResult<(Table, String)> {
    if let Some(target) = target_precision
        && !(0.0..=1.0).contains(&target)
    {
        return Err(PyValueError::new_err(format!("`target_precision` must be in [0, 1], got {target}")));
    }
    let result = pairs.cast::<DedupeResult>().ok().map(|r| Arc::clone(&r.get().result));
    let table = match result {
        Some(_) => None,
        None => Some(TableArg::extract(py, pairs, "pairs")?),
    };
    let labels = TableArg::extract(py, labels, "labels")?;
    let label_column = label_column.to_string();
    let (batch, json) = py
        .detach(move || {
            catch(|| {
                let labels = Labels::from_batch(&labels.load()?, &label_column)?;
                let curve: PrCurve = match (&result, table) {
                    (Some(result), _) => result.evaluate_labels(&labels)?,
                    (None, Some(table)) => crate::labels::evaluate_pairs_table(&table.load()?, &labels)?,
                    (None, None) => return Err(crate::Error::Internal("no pairs to evaluate".into()).into()),
                };
                let mut value = serde_json::json!({
                    "labelled_pairs": curve.labelled_pairs,
                    "labelled_matches": curve.labelled_matches,
                    "not_scored_pairs": curve.not_scored_pairs,
                    "not_scored_matches": curve.not_scored_matches,
                    "best_f1": curve.best_f1(),
                });
                if let Some(target) = target_precision {
                    value["target_precision"] = target.into();
                    value["at_target_precision"] =
                        serde_json::to_value(curve.at_precision(target)).map_err(crate::Error::from)?;
                }
                Ok((curve.to_table()?, value.to_string()))
            })
        })
        .map_err(|f| failure_to_pyerr(py, f))?;
    Ok((Table::new(batch), json))
}

/// Parse model JSON exactly as `dedupe(model=...)` does; raise `padan.ModelError` if it cannot be
/// read (malformed, another format version, a prior outside (0, 1)). See `padan.Model`.
#[pyfunction]
fn check_model(py: Python<'_>, text: &str) -> PyResult<()> {
    crate::model::Model::from_json(text).map(|_| ()).map_err(|e| error::to_pyerr(py, e))
}

/// One row per level of every comparison of a model: `comparison`, `level`, `label`, `m`, `u`,
/// `weight` (`log2(m / u)` as scoring uses it, 0 for the null level) and the level's flags.
/// See `padan.Model.levels_table`.
#[pyfunction]
fn model_levels(py: Python<'_>, text: &str) -> PyResult<Table> {
    let model = crate::model::Model::from_json(text).map_err(|e| error::to_pyerr(py, e))?;
    let mut comparison = StringBuilder::new();
    let mut level = UInt8Builder::new();
    let mut label = StringBuilder::new();
    let (mut m, mut u, mut weight) = (Float64Builder::new(), Float64Builder::new(), Float64Builder::new());
    let mut flags: [BooleanBuilder; 4] = std::array::from_fn(|_| BooleanBuilder::new());
    for (c, params) in model.comparisons.iter().enumerate() {
        for (l, p) in params.levels.iter().enumerate() {
            let l = u8::try_from(l).map_err(|_| PyValueError::new_err("a comparison has over 255 levels"))?;
            comparison.append_value(params.kind.name());
            level.append_value(l);
            label.append_value(&p.label);
            m.append_value(p.m);
            u.append_value(p.u);
            weight.append_value(model.level_weight(c, l));
            for (builder, flag) in flags.iter_mut().zip([p.m_fixed, p.u_fixed, p.tf_adjusted, p.review_only])
            {
                builder.append_value(flag);
            }
        }
    }
    let [mut m_fixed, mut u_fixed, mut tf_adjusted, mut review_only] = flags;
    let batch = RecordBatch::try_from_iter([
        ("comparison", Arc::new(comparison.finish()) as ArrayRef),
        ("level", Arc::new(level.finish()) as ArrayRef),
        ("label", Arc::new(label.finish()) as ArrayRef),
        ("m", Arc::new(m.finish()) as ArrayRef),
        ("u", Arc::new(u.finish()) as ArrayRef),
        ("weight", Arc::new(weight.finish()) as ArrayRef),
        ("m_fixed", Arc::new(m_fixed.finish()) as ArrayRef),
        ("u_fixed", Arc::new(u_fixed.finish()) as ArrayRef),
        ("tf_adjusted", Arc::new(tf_adjusted.finish()) as ArrayRef),
        ("review_only", Arc::new(review_only.finish()) as ArrayRef),
    ])
    .map_err(|e| error::to_pyerr(py, crate::Error::Arrow(e)))?;
    Ok(Table::new(batch))
}

/// Run the command-line tool with `argv` (program name first); returns the exit code.
#[cfg(feature = "cli")]
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    py.detach(move || catch(|| Ok(crate::cli::run(argv)))).map_err(|f| failure_to_pyerr(py, f))
}

/// The native half of the `padan` Python package.
#[pymodule(name = "_core", gil_used = false)]
mod core_module {
    #[pymodule_export]
    use super::{
        check_model, compare_snapshots, dedupe, evaluate, evaluate_households, evaluate_labels, model_levels,
        synth,
    };

    #[cfg(feature = "cli")]
    #[pymodule_export]
    use super::run_cli;

    #[pymodule_export]
    use super::table::{DedupeResult, Table};

    #[pymodule_export]
    use super::clean::{
        normalize_name_one, normalize_names, parse_address_one, parse_addresses, parse_kk_one, parse_kks,
        parse_nik_one, parse_niks,
    };

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("MODEL_FORMAT_VERSION", crate::model::MODEL_FORMAT_VERSION)
    }
}
