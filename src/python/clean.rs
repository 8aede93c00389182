//! Cleaning functions for Python: one value to a dict, or a text column to a table.
//! User documentation lives in `padan/clean.py`.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, LargeStringArray, cast::AsArray};
use arrow_schema::DataType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use pyo3_arrow::input::AnyArray;

use super::args;
use super::error::{Failure, catch, failure_to_pyerr, to_pyerr};
use super::table::Table;
use crate::clean::{self, Cleaner, IdKind};
use crate::error::Error;

/// Rows below which a call runs on the calling thread: starting a pool would cost more.
const PARALLEL_MIN_ROWS: usize = 4096;

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map_or_else(|_| "?".to_string(), |n| n.to_string())
}

/// `values` as one Arrow array: a list or tuple of `str | None`, or any Arrow array or stream
/// producer (pyarrow Array / ChunkedArray, polars Series, pandas >= 3 Series, a one-column
/// table). Read while attached: a producer's callbacks may need the interpreter.
fn text_column(py: Python<'_>, values: &Bound<'_, PyAny>, function: &str) -> PyResult<ArrayRef> {
    if values.is_instance_of::<PyList>() || values.is_instance_of::<PyTuple>() {
        let mut out: Vec<Option<String>> = Vec::with_capacity(values.len()?);
        for (i, item) in values.try_iter()?.enumerate() {
            let item = item?;
            if item.is_none() {
                out.push(None);
            } else if let Ok(s) = item.cast::<PyString>() {
                out.push(Some(s.to_str()?.to_owned()));
            } else {
                return Err(PyTypeError::new_err(format!(
                    "{function}: a list must hold str or None; item {i} is {}",
                    type_name(&item)
                )));
            }
        }
        // 64-bit offsets: no total length can overflow them.
        return Ok(Arc::new(LargeStringArray::from(out)));
    }
    if !(values.hasattr("__arrow_c_array__")? || values.hasattr("__arrow_c_stream__")?) {
        return Err(PyTypeError::new_err(format!(
            "{function} takes a str, None, a list of str, or an Arrow array or column (pyarrow Array or \
             ChunkedArray, polars Series, pandas Series); got {}",
            type_name(values)
        )));
    }
    let reader = values.extract::<AnyArray>()?.into_reader()?;
    let field = reader.field();
    let chunks = reader.collect::<Result<Vec<_>, _>>().map_err(|e| to_pyerr(py, Error::Arrow(e)))?;
    let column = |chunk: ArrayRef| -> Result<ArrayRef, Error> {
        // A table (pyarrow Table or RecordBatch, a DataFrame) arrives as struct arrays: accept
        // exactly one column.
        match chunk.data_type() {
            DataType::Struct(fields) if fields.len() == 1 => Ok(chunk.as_struct().column(0).clone()),
            DataType::Struct(fields) => Err(Error::Schema(format!(
                "{function} takes one column; got a table with {} columns ({}): pass one of them",
                fields.len(),
                fields.iter().map(|f| f.name().as_str()).collect::<Vec<_>>().join(", ")
            ))),
            _ => Ok(chunk),
        }
    };
    let mut arrays = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        arrays.push(column(chunk).map_err(|e| to_pyerr(py, e))?);
    }
    match arrays.len() {
        0 => {
            let empty = arrow_array::new_empty_array(field.data_type());
            column(empty).map_err(|e| to_pyerr(py, e))
        }
        1 => Ok(arrays.swap_remove(0)),
        _ => {
            let refs: Vec<&dyn Array> = arrays.iter().map(|a| a.as_ref()).collect();
            arrow_select::concat::concat(&refs).map_err(|e| to_pyerr(py, Error::Arrow(e)))
        }
    }
}

/// Run one vectorised function detached, in a pool of `threads` for long columns.
fn vectorised(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    threads: Option<i64>,
    cleaner: Cleaner,
    function: &'static str,
) -> PyResult<Table> {
    let threads = args::threads(threads)?;
    let array = text_column(py, values, function)?;
    let batch = py
        .detach(move || {
            catch(|| {
                let work = || clean::clean_column(cleaner, array.as_ref(), function);
                if array.len() < PARALLEL_MIN_ROWS {
                    return Ok(work()?);
                }
                Ok(crate::parallel::pool(threads)?.install(work)?)
            })
        })
        .map_err(|f| failure_to_pyerr(py, f))?;
    Ok(Table::new(batch))
}

/// Run one single-value function detached (the first NIK call loads the region list).
fn single<T: Send>(py: Python<'_>, work: impl FnOnce() -> T + Send) -> PyResult<T> {
    py.detach(move || catch(|| Ok::<T, Failure>(work()))).map_err(|f| failure_to_pyerr(py, f))
}

/// One name as a dict of the `normalize_names` columns. See `padan.normalize_name`.
#[pyfunction]
pub(crate) fn normalize_name_one<'py>(py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyDict>> {
    let value = value.to_owned();
    let r = single(py, move || clean::name_record(&value))?;
    let d = PyDict::new(py);
    d.set_item("normalized", r.normalized)?;
    d.set_item("father", r.father)?;
    d.set_item("sex_hint", r.sex_hint)?;
    d.set_item("deceased_marker", r.deceased_marker)?;
    d.set_item("birth_order", r.birth_order)?;
    d.set_item("phonetic_key", r.phonetic_key)?;
    d.set_item("phonetic_key_joined", r.phonetic_key_joined)?;
    Ok(d)
}

fn id_one<'py>(py: Python<'py>, value: &str, kind: IdKind) -> PyResult<Bound<'py, PyDict>> {
    let value = value.to_owned();
    let r = single(py, move || clean::id_record(&value, kind))?;
    let d = PyDict::new(py);
    d.set_item("digits", r.digits)?;
    d.set_item("masked", r.masked)?;
    d.set_item("valid", r.valid)?;
    d.set_item("errors", PyTuple::new(py, r.errors)?)?;
    d.set_item("warnings", PyTuple::new(py, r.warnings)?)?;
    d.set_item("excel_truncated", r.excel_truncated)?;
    d.set_item("province_code", r.province_code)?;
    d.set_item("regency_code", r.regency_code)?;
    d.set_item("district_code", r.district_code)?;
    d.set_item("province", r.province)?;
    d.set_item("regency", r.regency)?;
    d.set_item("district", r.district)?;
    d.set_item("regency_successor_code", r.regency_successor_code)?;
    // (year, month, day): the facade makes a datetime.date of it.
    let date = r.date.map(|x| (x.year, x.month, x.day));
    match kind {
        IdKind::Nik => {
            d.set_item("birth_date", date)?;
            d.set_item("sex", r.sex)?;
        }
        IdKind::Kk => d.set_item("recording_date", date)?,
    }
    d.set_item("serial", r.serial)?;
    Ok(d)
}

/// One NIK as a dict of the `parse_niks` columns. See `padan.parse_nik`.
#[pyfunction]
pub(crate) fn parse_nik_one<'py>(py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyDict>> {
    id_one(py, value, IdKind::Nik)
}

/// One KK number as a dict of the `parse_kks` columns. See `padan.parse_kk`.
#[pyfunction]
pub(crate) fn parse_kk_one<'py>(py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyDict>> {
    id_one(py, value, IdKind::Kk)
}

/// One address as a dict of the `parse_addresses` columns. See `padan.parse_address`.
#[pyfunction]
pub(crate) fn parse_address_one<'py>(py: Python<'py>, value: &str) -> PyResult<Bound<'py, PyDict>> {
    let value = value.to_owned();
    let r = single(py, move || crate::indo::address::parse_address(&value))?;
    let d = PyDict::new(py);
    d.set_item("street", r.street)?;
    d.set_item("number", r.number)?;
    d.set_item("gang", r.gang)?;
    d.set_item("blok", r.blok)?;
    d.set_item("dusun", r.dusun)?;
    d.set_item("rt", r.rt)?;
    d.set_item("rw", r.rw)?;
    d.set_item("village", r.village)?;
    d.set_item("normalized", r.normalized)?;
    Ok(d)
}

/// Normalise a column of names. See `padan.normalize_name`.
#[pyfunction]
#[pyo3(signature = (values, threads=None))]
pub(crate) fn normalize_names(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    threads: Option<i64>,
) -> PyResult<Table> {
    vectorised(py, values, threads, Cleaner::Names, "normalize_name")
}

/// Parse a column of NIKs. See `padan.parse_nik`.
#[pyfunction]
#[pyo3(signature = (values, threads=None))]
pub(crate) fn parse_niks(py: Python<'_>, values: &Bound<'_, PyAny>, threads: Option<i64>) -> PyResult<Table> {
    vectorised(py, values, threads, Cleaner::Niks, "parse_nik")
}

/// Parse a column of KK numbers. See `padan.parse_kk`.
#[pyfunction]
#[pyo3(signature = (values, threads=None))]
pub(crate) fn parse_kks(py: Python<'_>, values: &Bound<'_, PyAny>, threads: Option<i64>) -> PyResult<Table> {
    vectorised(py, values, threads, Cleaner::Kks, "parse_kk")
}

/// Parse a column of addresses. See `padan.parse_address`.
#[pyfunction]
#[pyo3(signature = (values, threads=None))]
pub(crate) fn parse_addresses(
    py: Python<'_>,
    values: &Bound<'_, PyAny>,
    threads: Option<i64>,
) -> PyResult<Table> {
    vectorised(py, values, threads, Cleaner::Addresses, "parse_address")
}
