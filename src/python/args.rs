//! Turning Python arguments into Rust values, while attached to the interpreter.

use std::path::PathBuf;

use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::SchemaRef;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use pyo3_arrow::input::AnyRecordBatch;
use serde_json::Value;

use super::error::to_pyerr;
use crate::config::Config;
use crate::error::{ConfigIssue, Error};
use crate::model::Model;

/// Where the records come from.
pub(crate) enum Source {
    /// A CSV / Parquet / Arrow IPC file read by Rust.
    Path(PathBuf),
    /// Arrow batches already read from a Python producer.
    Batches(SchemaRef, Vec<RecordBatch>),
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map_or_else(|_| "?".to_string(), |n| n.to_string())
}

fn is_arrow_producer(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(obj.hasattr("__arrow_c_stream__")? || obj.hasattr("__arrow_c_array__")?)
}

/// A `str` or `os.PathLike`, if `obj` is one.
fn as_path(obj: &Bound<'_, PyAny>) -> Option<PathBuf> {
    if obj.is_instance_of::<PyString>() || obj.hasattr("__fspath__").unwrap_or(false) {
        obj.extract::<PathBuf>().ok()
    } else {
        None
    }
}

/// `data` (named `what` in errors): a path, or any object with `__arrow_c_stream__` / `__arrow_c_array__`.
///
/// Batches are read here, while attached: a producer's stream callbacks may need the interpreter.
pub(crate) fn source(py: Python<'_>, data: &Bound<'_, PyAny>, what: &str) -> PyResult<Source> {
    if let Some(path) = as_path(data) {
        return Ok(Source::Path(path));
    }
    let (schema, batches) = read_arrow(py, data, what)?;
    Ok(Source::Batches(schema, batches))
}

/// Read every batch of an Arrow PyCapsule producer.
fn read_arrow(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<(SchemaRef, Vec<RecordBatch>)> {
    if !is_arrow_producer(data)? {
        return Err(PyTypeError::new_err(format!(
            "`{what}` must be a path (str or os.PathLike) or an Arrow table-like object with \
             __arrow_c_stream__ (pyarrow Table or RecordBatchReader, polars DataFrame, pandas >= 2.2 \
             DataFrame, ...); got {}",
            type_name(data)
        )));
    }
    let reader = data.extract::<AnyRecordBatch>()?.into_reader()?;
    let schema = reader.schema();
    let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| to_pyerr(py, Error::Arrow(e)))?;
    Ok((schema, batches))
}

/// `config`: `None`, a dict, or a path to a TOML file; `threads` overrides `config.threads`.
pub(crate) fn config(
    py: Python<'_>,
    config: Option<&Bound<'_, PyAny>>,
    threads: Option<usize>,
) -> PyResult<Config> {
    let mut cfg = match config {
        None => Config::default(),
        Some(obj) if obj.is_none() => Config::default(),
        Some(obj) if obj.is_instance_of::<PyDict>() => {
            let text: String = py.import("json")?.call_method1("dumps", (obj,))?.extract()?;
            config_from_json(&text).map_err(|e| to_pyerr(py, e))?
        }
        Some(obj) => match as_path(obj) {
            Some(path) => Config::from_path(&path).map_err(|e| to_pyerr(py, e))?,
            None => {
                return Err(PyTypeError::new_err(format!(
                    "`config` must be None, a dict or a path to a TOML file; got {}",
                    type_name(obj)
                )));
            }
        },
    };
    if threads.is_some() {
        cfg.threads = threads;
    }
    Ok(cfg)
}

/// `model`: `None`, a path to a model JSON file, or model JSON text (as in `DedupeResult.model_json`).
pub(crate) fn model(py: Python<'_>, model: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Model>> {
    let Some(obj) = model.filter(|m| !m.is_none()) else { return Ok(None) };
    if let Ok(text) = obj.cast::<PyString>() {
        let text = text.to_str()?;
        if text.trim_start().starts_with('{') {
            return Model::from_json(text).map(Some).map_err(|e| to_pyerr(py, e));
        }
    }
    let Some(path) = as_path(obj) else {
        return Err(PyTypeError::new_err(format!(
            "`model` must be None, a path to a model JSON file or model JSON text; got {}",
            type_name(obj)
        )));
    };
    let text = std::fs::read_to_string(&path).map_err(|e| to_pyerr(py, Error::Io { path, source: e }))?;
    Model::from_json(&text).map(Some).map_err(|e| to_pyerr(py, e))
}

/// A configuration from JSON text, reporting every unknown key at once, then every invalid value.
fn config_from_json(text: &str) -> Result<Config, Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| single_issue("<config>", &e.to_string()))?;
    // Serialising the default plain struct cannot fail; it lists every key the config accepts.
    let template = serde_json::to_value(Config::default()).map_err(|e| Error::Internal(e.to_string()))?;
    let mut issues = Vec::new();
    unknown_keys(&value, &template, "", &mut issues);
    if !issues.is_empty() {
        return Err(Error::InvalidConfig(issues));
    }
    let cfg: Config = serde_json::from_value(value).map_err(|e| single_issue("<config>", &e.to_string()))?;
    cfg.validate()?;
    Ok(cfg)
}

fn single_issue(path: &str, message: &str) -> Error {
    Error::InvalidConfig(vec![ConfigIssue::new(path, message)])
}

/// Compare the keys of `value` with those of `template` (the serialised default), recursively.
/// Lists are checked element by element against the template's first element.
fn unknown_keys(value: &Value, template: &Value, path: &str, issues: &mut Vec<ConfigIssue>) {
    let join = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
    match (value, template) {
        (Value::Object(given), Value::Object(known)) => {
            for (key, inner) in given {
                match known.get(key) {
                    Some(inner_template) => unknown_keys(inner, inner_template, &join(key), issues),
                    None => {
                        let expected: Vec<&str> = known.keys().map(String::as_str).collect();
                        issues.push(ConfigIssue::new(
                            join(key),
                            format!("unknown key `{key}`; expected one of: {}", expected.join(", ")),
                        ));
                    }
                }
            }
        }
        (Value::Array(items), Value::Array(known)) => {
            if let Some(first) = known.first() {
                for (i, item) in items.iter().enumerate() {
                    unknown_keys(item, first, &format!("{path}[{i}]"), issues);
                }
            }
        }
        _ => {}
    }
}

/// Reject negative thread counts with a clear message (0 means "all cores").
pub(crate) fn threads(threads: Option<i64>) -> PyResult<Option<usize>> {
    threads
        .map(|n| {
            usize::try_from(n).map_err(|_| PyValueError::new_err(format!("`threads` must be >= 0, got {n}")))
        })
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unknown_key_is_reported_with_its_path() {
        let text = r#"{"treshold": 0.5, "columns": {"idd": "x", "id": "row"}, "blocking": [{"name": "a", "keys": ["nik"], "kyes": []}]}"#;
        let Err(Error::InvalidConfig(issues)) = config_from_json(text) else {
            panic!("expected InvalidConfig")
        };
        let paths: Vec<_> = issues.iter().map(|i| i.path.as_str()).collect();
        // serde_json maps are ordered by key, so the report is too.
        assert_eq!(paths, ["blocking[0].kyes", "columns.idd", "treshold"]);
    }

    #[test]
    fn a_valid_dict_overrides_only_what_it_names() {
        let cfg =
            config_from_json(r#"{"columns": {"id": "row_id"}, "match_threshold": 0.8, "threads": null}"#)
                .unwrap();
        assert_eq!(cfg.columns.id, "row_id");
        assert_eq!(cfg.columns.nik, "nik");
        assert_eq!(cfg.match_threshold, 0.8);
    }

    #[test]
    fn bad_values_are_config_issues() {
        let Err(Error::InvalidConfig(issues)) = config_from_json(r#"{"match_threshold": "high"}"#) else {
            panic!("expected InvalidConfig")
        };
        assert_eq!(issues[0].path, "<config>");
        let Err(Error::InvalidConfig(issues)) = config_from_json(r#"{"match_threshold": 2.0}"#) else {
            panic!("expected InvalidConfig")
        };
        assert_eq!(issues[0].path, "match_threshold");
    }
}
