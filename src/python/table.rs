//! Result objects handed to Python: an Arrow table that speaks the PyCapsule stream protocol,
//! and the bundle of tables a dedupe run produces. User-facing docs live in `padan/results.py`.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StructArray};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{ArrowError, Field};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDict};
use pyo3_arrow::error::PyArrowResult;
use pyo3_arrow::ffi::{ArrayIterator, to_schema_pycapsule, to_stream_pycapsule};

use super::error::{catch, failure_to_pyerr};
use super::json_loads;
use crate::explain::Language;

/// An immutable Arrow table (one record batch). Export it with `__arrow_c_stream__`.
#[pyclass(frozen, module = "padan._core", name = "Table")]
pub struct Table {
    batch: RecordBatch,
}

impl Table {
    pub(crate) fn new(batch: RecordBatch) -> Self {
        Self { batch }
    }

    pub(crate) fn batch(&self) -> &RecordBatch {
        &self.batch
    }
}

#[pymethods]
impl Table {
    /// Export as an Arrow C stream (the Arrow PyCapsule interface).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyCapsule>>,
    ) -> PyArrowResult<Bound<'py, PyCapsule>> {
        // A stream of struct arrays, one per batch: the shape pyo3-arrow's own PyTable exports.
        let schema = self.batch.schema();
        let field =
            Field::new_struct("", schema.fields().clone(), false).with_metadata(schema.metadata().clone());
        let arrays =
            std::iter::once(Ok::<ArrayRef, ArrowError>(Arc::new(StructArray::from(self.batch.clone()))));
        let reader = Box::new(ArrayIterator::new(arrays, Arc::new(field)));
        to_stream_pycapsule(py, reader, requested_schema)
    }

    /// Export the schema as an Arrow C schema capsule.
    fn __arrow_c_schema__<'py>(&self, py: Python<'py>) -> PyArrowResult<Bound<'py, PyCapsule>> {
        to_schema_pycapsule(py, self.batch.schema().as_ref())
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    /// Number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// Number of columns.
    #[getter]
    fn num_columns(&self) -> usize {
        self.batch.num_columns()
    }

    /// Column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch.schema().fields().iter().map(|f| f.name().clone()).collect()
    }

    /// Arrow type of each column, as text (for display).
    #[getter]
    fn column_types(&self) -> Vec<String> {
        self.batch.schema().fields().iter().map(|f| f.data_type().to_string()).collect()
    }

    /// The first `limit` rows with every cell formatted as text (`null` for missing values).
    #[pyo3(signature = (limit=10))]
    fn format_rows(&self, limit: usize) -> PyResult<Vec<Vec<String>>> {
        let options = FormatOptions::default().with_null("null");
        let formatters = self
            .batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        let rows = limit.min(self.batch.num_rows());
        Ok((0..rows).map(|r| formatters.iter().map(|f| f.value(r).to_string()).collect()).collect())
    }

    fn __repr__(&self) -> String {
        format!("Table(num_rows={}, columns={:?})", self.batch.num_rows(), self.column_names())
    }
}

/// Everything one dedupe run produced.
#[pyclass(frozen, module = "padan._core", name = "DedupeResult")]
pub struct DedupeResult {
    pub(crate) pairs: Py<Table>,
    pub(crate) clusters: Py<Table>,
    pub(crate) diagnostics: Py<Table>,
    pub(crate) summary_json: String,
    pub(crate) model_json: String,
    /// The whole run, kept for explanations.
    pub(crate) result: Arc<crate::pipeline::DedupeResult>,
}

impl DedupeResult {
    /// Build a table from the run, detached from the interpreter.
    fn table(
        &self,
        py: Python<'_>,
        build: fn(&crate::pipeline::DedupeResult) -> crate::Result<RecordBatch>,
    ) -> PyResult<Table> {
        let result = Arc::clone(&self.result);
        let batch = py.detach(move || catch(|| Ok(build(&result)?))).map_err(|f| failure_to_pyerr(py, f))?;
        Ok(Table::new(batch))
    }
}

fn language(lang: &str) -> PyResult<Language> {
    lang.parse().map_err(pyo3::exceptions::PyValueError::new_err)
}

#[pymethods]
impl DedupeResult {
    /// Scored candidate pairs (`id_l`, `id_r`, `blocking_rule`, `gamma_*`, `match_weight`, `match_probability`).
    #[getter]
    fn pairs(&self, py: Python<'_>) -> Py<Table> {
        self.pairs.clone_ref(py)
    }

    /// One row per input record: `id`, `cluster_id`, `cluster_size`.
    #[getter]
    fn clusters(&self, py: Python<'_>) -> Py<Table> {
        self.clusters.clone_ref(py)
    }

    /// Every row problem: `row` (1-based), `field`, `code`, `message`.
    #[getter]
    fn diagnostics(&self, py: Python<'_>) -> Py<Table> {
        self.diagnostics.clone_ref(py)
    }

    /// The run summary as a new dict on every access.
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        Ok(json_loads(py, &self.summary_json)?.cast_into()?)
    }

    /// The summary as the JSON text the CLI writes.
    #[getter]
    fn summary_json(&self) -> &str {
        &self.summary_json
    }

    /// The model that scored the pairs, as the JSON text of a model file.
    #[getter]
    fn model_json(&self) -> &str {
        &self.model_json
    }

    /// The explanation of the candidate pair of records `id_l` and `id_r` (ids as text, in
    /// either order) as JSON: `{"explanation": {...}, "phrases": {"id": [...], "en": [...]},
    /// "text": {"id": "...", "en": "..."}}`; `None` when the two were never blocked together.
    fn explain(&self, py: Python<'_>, id_l: String, id_r: String) -> PyResult<Option<String>> {
        let result = Arc::clone(&self.result);
        py.detach(move || {
            catch(|| {
                let Some(explanation) = result.explain_ids(&id_l, &id_r) else {
                    return Ok(None);
                };
                let both = |f: &dyn Fn(Language) -> serde_json::Value| {
                    serde_json::json!({"id": f(Language::Indonesian), "en": f(Language::English)})
                };
                let value = serde_json::json!({
                    "explanation": &explanation,
                    "phrases": both(&|lang| explanation.phrases(lang).into()),
                    "text": both(&|lang| explanation.to_text(lang).into()),
                });
                Ok(Some(value.to_string()))
            })
        })
        .map_err(|f| failure_to_pyerr(py, f))
    }

    /// Explanations of the pairs in `pairs`: `id_l`, `id_r`, `match_probability`, `decision`,
    /// `explanation` (text in `lang`, `id` or `en`).
    #[pyo3(signature = (lang="id"))]
    fn explanations(&self, py: Python<'_>, lang: &str) -> PyResult<Table> {
        let lang = language(lang)?;
        let result = Arc::clone(&self.result);
        let batch = py
            .detach(move || catch(|| Ok(result.explanations_table(lang)?)))
            .map_err(|f| failure_to_pyerr(py, f))?;
        Ok(Table::new(batch))
    }

    /// The flags: one row per flag (see `padan.DedupeResult.flags`).
    fn flags(&self, py: Python<'_>) -> PyResult<Table> {
        self.table(py, crate::pipeline::DedupeResult::flags_table)
    }

    /// The flags in review order with NIK / KK masked (`review.csv`).
    fn review_list(&self, py: Python<'_>) -> PyResult<Table> {
        self.table(py, crate::pipeline::DedupeResult::review_table)
    }

    /// Flags per province, regency, district and code.
    fn flag_counts(&self, py: Python<'_>) -> PyResult<Table> {
        self.table(py, crate::pipeline::DedupeResult::flag_counts_table)
    }

    /// One row per person and programme received on two or more rows.
    fn double_recipients(&self, py: Python<'_>) -> PyResult<Table> {
        self.table(py, crate::pipeline::DedupeResult::double_recipients_table)
    }

    /// KK pairs sharing a person, scored as duplicate households (see `padan.DedupeResult.households`).
    fn households(&self, py: Python<'_>) -> PyResult<Table> {
        self.table(py, crate::pipeline::DedupeResult::households_table)
    }

    /// The registry link per DTKS row, or `None` when the run had no registry.
    fn registry_links(&self, py: Python<'_>) -> PyResult<Option<Table>> {
        if self.result.registry.is_none() {
            return Ok(None);
        }
        self.table(py, crate::pipeline::DedupeResult::registry_links_table).map(Some)
    }

    fn __repr__(&self) -> String {
        format!(
            "DedupeResult(pairs={} rows, clusters={} rows, diagnostics={} rows)",
            self.pairs.get().batch.num_rows(),
            self.clusters.get().batch.num_rows(),
            self.diagnostics.get().batch.num_rows(),
        )
    }
}
