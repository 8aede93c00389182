//! Input: CSV, Parquet and Arrow IPC files, or Arrow record batches, mapped to logical fields.
//!
//! Every mapped column is read as UTF-8 text (identifiers such as NIK must never pass through a
//! float), every row is kept, and problems with a row (wrong field count, bad UTF-8) become
//! [`Diagnostic`]s with the row number instead of stopping the run.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field as ArrowField, Schema, SchemaRef};

use crate::config::{ColumnMapping, Field};
use crate::error::{Error, Result};

/// A problem with one input row. The row stays in the run and in every count.
///
/// `row` is 1-based: row 1 is the first data row (after a CSV header).
///
/// ```
/// let d = padan::Diagnostic::new(3, "nik", "nik_length", "NIK has 15 digits, expected 16");
/// assert_eq!(d.to_string(), "row 3, nik: NIK has 15 digits, expected 16 [nik_length]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// 1-based data row number.
    pub row: u64,
    /// Logical field (or `row` for whole-row problems).
    pub field: String,
    /// Stable machine-readable code.
    pub code: String,
    /// Human-readable message; never contains a full NIK or KK.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for `row` (1-based).
    pub fn new(row: u64, field: &str, code: &str, message: impl Into<String>) -> Self {
        Self { row, field: field.to_string(), code: code.to_string(), message: message.into() }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}, {}: {} [{}]", self.row, self.field, self.message, self.code)
    }
}

/// The input mapped to logical fields: the id column as given, every other present field as text.
#[derive(Debug, Clone)]
pub struct RawRecords {
    /// Number of rows.
    pub len: usize,
    /// The id column with the input's own type and values.
    pub id: ArrayRef,
    /// Text column per logical field (indexed by [`Field::index`]); `None` when the source lacks it.
    pub fields: Vec<Option<StringArray>>,
    /// Row-level problems found while reading.
    pub diagnostics: Vec<Diagnostic>,
}

impl RawRecords {
    /// The text column of a field, if the input has it.
    pub fn field(&self, field: Field) -> Option<&StringArray> {
        self.fields[field.index()].as_ref()
    }

    /// Logical fields present in the input.
    pub fn present_fields(&self) -> Vec<Field> {
        Field::ALL.iter().copied().filter(|f| *f == Field::Id || self.field(*f).is_some()).collect()
    }
}

/// Supported file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// Arrow IPC file (a.k.a. Feather v2).
    ArrowIpc,
}

impl FileFormat {
    /// The format implied by a path's extension.
    ///
    /// ```
    /// use padan::input::FileFormat;
    /// assert_eq!(FileFormat::from_path("x/dtks.parquet".as_ref()).unwrap(), FileFormat::Parquet);
    /// assert!(FileFormat::from_path("x/dtks.xlsx".as_ref()).is_err());
    /// ```
    pub fn from_path(path: &Path) -> Result<Self> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Ok(FileFormat::Csv),
            "parquet" | "pq" => Ok(FileFormat::Parquet),
            "arrow" | "ipc" | "feather" => Ok(FileFormat::ArrowIpc),
            _ => Err(Error::UnsupportedFormat { path: path.to_path_buf() }),
        }
    }
}

/// Read a whole file into record batches (CSV cells all as text).
///
/// The second value holds row problems found while parsing (CSV only).
pub fn read_batches(path: &Path) -> Result<(SchemaRef, Vec<RecordBatch>, Vec<Diagnostic>)> {
    match FileFormat::from_path(path)? {
        FileFormat::Csv => read_csv(path),
        FileFormat::Parquet => read_parquet(path, PARQUET_BATCH_ROWS),
        FileFormat::ArrowIpc => {
            let file = File::open(path).map_err(|e| Error::io(path, e))?;
            let reader = arrow_ipc::reader::FileReader::try_new(file, None)
                .map_err(|e| Error::Input { path: path.into(), message: e.to_string() })?;
            let schema = reader.schema();
            let batches = reader.collect::<std::result::Result<Vec<_>, _>>()?;
            Ok((schema, batches, Vec::new()))
        }
    }
}

/// Rows per record batch when reading Parquet: large, because the columns are concatenated
/// afterwards (a file of up to this many rows needs no copy), yet far from the 2 GiB of text an
/// Arrow string array can hold.
const PARQUET_BATCH_ROWS: usize = 1 << 20;

/// Read a Parquet file, decoding its columns in parallel.
///
/// A DTKS extract is a few wide row groups of text columns, so columns, not row groups, are
/// the unit of parallel work: each is decoded by its own reader over the shared metadata, and
/// the batches line up because every reader cuts at the same row counts.
fn read_parquet(path: &Path, batch_rows: usize) -> Result<(SchemaRef, Vec<RecordBatch>, Vec<Diagnostic>)> {
    use parquet::arrow::ProjectionMask;
    use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ParquetRecordBatchReaderBuilder};
    use rayon::prelude::*;

    let input_error =
        |e: parquet::errors::ParquetError| Error::Input { path: path.into(), message: e.to_string() };
    let open = || File::open(path).map_err(|e| Error::io(path, e));
    let metadata = ArrowReaderMetadata::load(&open()?, Default::default()).map_err(input_error)?;
    let schema = metadata.schema().clone();
    let leaves = metadata.parquet_schema().num_columns();
    let reader = |mask: ProjectionMask| -> Result<_> {
        Ok(ParquetRecordBatchReaderBuilder::new_with_metadata(open()?, metadata.clone())
            .with_projection(mask)
            .with_batch_size(batch_rows)
            .build()?)
    };
    if leaves != schema.fields().len() || leaves < 2 {
        // Nested columns span several leaves: decode them together.
        let batches = reader(ProjectionMask::all())?.collect::<std::result::Result<Vec<_>, _>>()?;
        return Ok((schema, batches, Vec::new()));
    }
    let columns: Vec<Vec<ArrayRef>> = (0..leaves)
        .into_par_iter()
        .map(|leaf| {
            let mask = ProjectionMask::leaves(metadata.parquet_schema(), [leaf]);
            reader(mask)?.map(|batch| Ok(batch?.column(0).clone())).collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    let batch_count = columns[0].len();
    if columns.iter().any(|c| c.len() != batch_count) {
        return Err(Error::Internal(format!("{}: columns decoded into unequal batches", path.display())));
    }
    let batches = (0..batch_count)
        .map(|k| RecordBatch::try_new(schema.clone(), columns.iter().map(|c| c[k].clone()).collect()))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok((schema, batches, Vec::new()))
}

/// Read a CSV file with a header row; every cell is text, empty cells are null.
///
/// A row with too few or too many fields is kept (missing cells null, extra cells ignored) and
/// reported; a cell with invalid UTF-8 is decoded lossily and reported.
fn read_csv(path: &Path) -> Result<(SchemaRef, Vec<RecordBatch>, Vec<Diagnostic>)> {
    let input_error = |message: String| Error::Input { path: path.into(), message };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_path(path)
        .map_err(|e| input_error(e.to_string()))?;
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| input_error(e.to_string()))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let width = headers.len();
    let mut builders: Vec<StringBuilder> = (0..width).map(|_| StringBuilder::new()).collect();
    let mut diagnostics = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut row: u64 = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(input_error(format!("after data row {row}: {e}"))),
        }
        row += 1;
        if record.len() != width {
            diagnostics.push(Diagnostic::new(
                row,
                "row",
                "field_count",
                format!("row has {} fields, the header has {width}", record.len()),
            ));
        }
        for (col, builder) in builders.iter_mut().enumerate() {
            match record.get(col) {
                None | Some(b"") => builder.append_null(),
                Some(bytes) => match std::str::from_utf8(bytes) {
                    Ok(text) => builder.append_value(text),
                    Err(_) => {
                        diagnostics.push(Diagnostic::new(
                            row,
                            &headers[col],
                            "invalid_utf8",
                            "cell is not valid UTF-8; decoded with replacement characters",
                        ));
                        builder.append_value(String::from_utf8_lossy(bytes));
                    }
                },
            }
        }
    }
    let schema: SchemaRef = Arc::new(Schema::new(
        headers.iter().map(|h| ArrowField::new(h, DataType::Utf8, true)).collect::<Vec<_>>(),
    ));
    let columns: Vec<ArrayRef> = builders.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    Ok((schema, vec![batch], diagnostics))
}

/// Map record batches to logical fields.
///
/// The id column is required; a missing one is an error that names the column and lists the
/// columns that exist. Other fields are optional. Non-text columns are cast to text.
pub fn map_batches(
    schema: &SchemaRef,
    batches: &[RecordBatch],
    mapping: &ColumnMapping,
) -> Result<RawRecords> {
    let len = batches.iter().map(RecordBatch::num_rows).sum();
    let column = |name: &str| -> Result<Option<ArrayRef>> {
        let Ok(index) = schema.index_of(name) else { return Ok(None) };
        let parts: Vec<ArrayRef> = batches.iter().map(|b| b.column(index).clone()).collect();
        let whole = if parts.is_empty() {
            arrow_array::new_empty_array(schema.field(index).data_type())
        } else if parts.len() == 1 {
            parts[0].clone()
        } else {
            let refs: Vec<&dyn Array> = parts.iter().map(AsRef::as_ref).collect();
            arrow_select::concat::concat(&refs)?
        };
        Ok(Some(whole))
    };
    let id_name = mapping.column(Field::Id);
    let id = column(id_name)?.ok_or_else(|| Error::ColumnNotFound {
        column: id_name.to_string(),
        field: "id".into(),
        available: schema.fields().iter().map(|f| f.name().clone()).collect(),
    })?;
    let mut fields = Vec::with_capacity(Field::ALL.len());
    for field in Field::ALL {
        let text = match column(mapping.column(field))? {
            None => None,
            Some(array) => Some(to_text(&array, mapping.column(field))?),
        };
        fields.push(text);
    }
    Ok(RawRecords { len, id, fields, diagnostics: Vec::new() })
}

/// Cast any column to UTF-8 text, refusing types whose text form would corrupt identifiers.
fn to_text(array: &ArrayRef, name: &str) -> Result<StringArray> {
    let utf8 = match array.data_type() {
        DataType::Utf8 => array.clone(),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            // Floats are cast as well, but an identifier stored as float is already damaged; the
            // prepare stage reports such NIKs as invalid rather than silently rounding them.
            arrow_cast::cast(array, &DataType::Utf8)?
        }
        other if arrow_cast::can_cast_types(other, &DataType::Utf8) => {
            arrow_cast::cast(array, &DataType::Utf8)?
        }
        other => {
            return Err(Error::Schema(format!(
                "column `{name}` has type {other}, which cannot be read as text"
            )));
        }
    };
    utf8.as_any()
        .downcast_ref::<StringArray>()
        .cloned()
        .ok_or_else(|| Error::Internal(format!("cast of `{name}` to Utf8 gave {}", utf8.data_type())))
}

/// Read a file and map it to logical fields in one step.
///
/// ```no_run
/// let raw = padan::input::read_path("dtks.csv".as_ref(), &Default::default()).unwrap();
/// println!("{} rows", raw.len);
/// ```
pub fn read_path(path: &Path, mapping: &ColumnMapping) -> Result<RawRecords> {
    let (schema, batches, diagnostics) = read_batches(path)?;
    let mut raw = map_batches(&schema, &batches, mapping)?;
    raw.diagnostics = diagnostics;
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write_temp(name: &str, text: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        File::create(&path).unwrap().write_all(text).unwrap();
        (dir, path)
    }

    #[test]
    fn parquet_columns_decoded_in_parallel_line_up_row_for_row() {
        use parquet::arrow::ArrowWriter;
        use parquet::file::properties::WriterProperties;

        let ids: Vec<String> = (0..10).map(|i| format!("id{i}")).collect();
        let names: Vec<Option<String>> = (0..10).map(|i| (i % 3 != 0).then(|| format!("NAME {i}"))).collect();
        let years: Vec<i64> = (0..10).map(|i| 1950 + i).collect();
        let batch = RecordBatch::try_from_iter([
            ("id_dtks", Arc::new(StringArray::from(ids.clone())) as ArrayRef),
            ("nama", Arc::new(StringArray::from(names.clone())) as ArrayRef),
            ("tahun", Arc::new(arrow_array::Int64Array::from(years)) as ArrayRef),
        ])
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        // Two row groups (4 + 4 + 2 rows) read in batches of 3: batch and group edges differ.
        let props = WriterProperties::builder().set_max_row_group_row_count(Some(4)).build();
        let mut writer =
            ArrowWriter::try_new(File::create(&path).unwrap(), batch.schema(), Some(props)).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();

        let (schema, batches, _) = read_parquet(&path, 3).unwrap();
        assert_eq!(batches.iter().map(RecordBatch::num_rows).collect::<Vec<_>>(), [3, 3, 3, 1]);
        let raw = map_batches(&schema, &batches, &ColumnMapping::default()).unwrap();
        let id = raw.id.as_any().downcast_ref::<StringArray>().unwrap();
        let name = raw.field(Field::Name).unwrap();
        for row in 0..10 {
            assert_eq!(id.value(row), ids[row]);
            assert_eq!(name.is_valid(row).then(|| name.value(row).to_string()), names[row]);
        }
        let whole = arrow_select::concat::concat_batches(&schema, &batches).unwrap();
        assert_eq!(whole, batch);
    }

    #[test]
    fn csv_keeps_malformed_rows_and_reports_them() {
        let (_dir, path) = write_temp(
            "a.csv",
            b"id_dtks,nama,nik\n1,ANI,3273015208850002\n2,BUDI\n3,CICI,1,extra\n4,D\xffE,\n",
        );
        let raw = read_path(&path, &ColumnMapping::default()).unwrap();
        assert_eq!(raw.len, 4);
        let codes: Vec<_> = raw.diagnostics.iter().map(|d| (d.row, d.code.as_str())).collect();
        assert_eq!(codes, [(2, "field_count"), (3, "field_count"), (4, "invalid_utf8")]);
        let nik = raw.field(Field::Nik).unwrap();
        assert_eq!(nik.value(0), "3273015208850002");
        assert!(nik.is_null(1) && nik.is_null(3));
        assert_eq!(raw.field(Field::Name).unwrap().value(3), "D\u{fffd}E");
        assert!(raw.field(Field::Kk).is_none());
    }

    #[test]
    fn missing_id_column_names_it_and_lists_what_exists() {
        let (_dir, path) = write_temp("b.csv", b"nama,nik\nANI,1\n");
        let err = read_path(&path, &ColumnMapping::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("id_dtks") && text.contains("nama, nik"), "{text}");
    }

    #[test]
    fn integer_columns_become_text_and_id_keeps_its_type() {
        let schema = Arc::new(Schema::new(vec![
            ArrowField::new("id_dtks", DataType::Int64, false),
            ArrowField::new("nik", DataType::Int64, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(arrow_array::Int64Array::from(vec![7, 8])),
                Arc::new(arrow_array::Int64Array::from(vec![Some(3273015208850002), None])),
            ],
        )
        .unwrap();
        let raw = map_batches(&schema, &[batch.clone(), batch], &ColumnMapping::default()).unwrap();
        assert_eq!(raw.len, 4);
        assert_eq!(raw.id.data_type(), &DataType::Int64);
        assert_eq!(raw.field(Field::Nik).unwrap().value(2), "3273015208850002");
    }
}
