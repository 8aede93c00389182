//! Mapping `padan::Error` (and panics) onto the Python exception hierarchy.
//!
//! The exception classes are defined in `padan/exceptions.py`, not with `create_exception!`:
//! `ConfigError(PadanError, ValueError)` and its siblings need two bases, which
//! `create_exception!` / `PyErr::new_type` cannot express without `unsafe` (forbidden in this
//! crate). Python classes also carry `.issues` / `.column` as ordinary attributes and pickle.
//! The classes are imported once and cached.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};

use crate::error::Error;

/// Why detached work failed: a padan error or a panic (a bug).
pub(crate) enum Failure {
    Padan(Error),
    Panic(String),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        Failure::Padan(err)
    }
}

/// Run `work` and turn a panic into [`Failure::Panic`] so that nothing unwinds into Python.
pub(crate) fn catch<T>(work: impl FnOnce() -> Result<T, Failure>) -> Result<T, Failure> {
    // AssertUnwindSafe: on a panic every value the closure touched is dropped unused; the caller
    // only sees the message.
    catch_unwind(AssertUnwindSafe(work))
        .unwrap_or_else(|payload| Err(Failure::Panic(panic_message(&*payload))))
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

macro_rules! exception_class {
    ($fn_name:ident, $class:literal) => {
        fn $fn_name(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
            static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
            CLASS.import(py, "padan.exceptions", $class)
        }
    };
}

exception_class!(config_error, "ConfigError");
exception_class!(schema_error, "SchemaError");
exception_class!(column_not_found_error, "ColumnNotFoundError");
exception_class!(input_error, "InputError");
exception_class!(model_error, "ModelError");
exception_class!(layer_skipped_error, "LayerSkippedError");
exception_class!(internal_error, "InternalError");

/// The Python exception for a failure of detached work.
pub(crate) fn failure_to_pyerr(py: Python<'_>, failure: Failure) -> PyErr {
    match failure {
        Failure::Padan(err) => to_pyerr(py, err),
        Failure::Panic(message) => raise(
            internal_error(py),
            &format!("padan panicked (this is a bug; please report it): {message}"),
            None,
        ),
    }
}

/// The one mapping from `padan::Error` to a Python exception.
///
/// The match is exhaustive on purpose (`#[non_exhaustive]` does not apply inside the crate): a new
/// variant does not compile until it is mapped here.
pub(crate) fn to_pyerr(py: Python<'_>, err: Error) -> PyErr {
    let message = err.to_string();
    let result = (|| -> PyResult<PyErr> {
        let kwargs = PyDict::new(py);
        let class = match err {
            Error::ColumnNotFound { column, field, available } => {
                kwargs.set_item("column", column)?;
                kwargs.set_item("field", field)?;
                kwargs.set_item("available", available)?;
                column_not_found_error(py)
            }
            Error::InvalidConfig(issues) => {
                let list = PyList::empty(py);
                for issue in issues {
                    let item = PyDict::new(py);
                    item.set_item("path", issue.path)?;
                    item.set_item("message", issue.message)?;
                    list.append(item)?;
                }
                kwargs.set_item("issues", list)?;
                config_error(py)
            }
            Error::Input { path, .. } | Error::UnsupportedFormat { path } | Error::Io { path, .. } => {
                kwargs.set_item("path", path.to_string_lossy())?;
                input_error(py)
            }
            // Arrow and Parquet errors come from reading or decoding the user's data.
            Error::Arrow(_) | Error::Parquet(_) | Error::InvalidLabels(_) => input_error(py),
            Error::InvalidModel(_) => model_error(py),
            Error::Schema(_) => schema_error(py),
            Error::LayerSkipped { layer } => {
                kwargs.set_item("layer", layer)?;
                layer_skipped_error(py)
            }
            Error::Json(_) | Error::Internal(_) => internal_error(py),
        };
        Ok(raise(class, &message, Some(&kwargs)))
    })();
    result.unwrap_or_else(|import_failure| import_failure)
}

/// Instantiate `class(message, **kwargs)` as a `PyErr`; any failure along the way is returned instead.
fn raise(class: PyResult<&Bound<'_, PyType>>, message: &str, kwargs: Option<&Bound<'_, PyDict>>) -> PyErr {
    match class.and_then(|class| class.call((message,), kwargs)) {
        Ok(instance) => PyErr::from_value(instance),
        Err(err) => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_failure_with_its_message() {
        let caught = catch::<()>(|| panic!("boom {}", 42));
        assert!(matches!(caught, Err(Failure::Panic(m)) if m == "boom 42"));
        let caught = catch::<()>(|| std::panic::panic_any(7_u8));
        assert!(matches!(caught, Err(Failure::Panic(m)) if m == "unknown panic payload"));
        assert!(matches!(catch(|| Ok(1)), Ok(1)));
    }
}
