//! Output writers: Parquet, CSV and Arrow IPC by file extension.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use arrow_array::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use crate::error::{Error, Result};
use crate::input::FileFormat;

/// Write one table to `path`, choosing the format from the extension (`.parquet`, `.csv`,
/// `.arrow`/`.ipc`/`.feather`). The bytes depend only on the table.
///
/// ```
/// # use std::sync::Arc;
/// # use arrow_array::{ArrayRef, RecordBatch, UInt64Array};
/// let batch = RecordBatch::try_from_iter([("x", Arc::new(UInt64Array::from(vec![1, 2])) as ArrayRef)]).unwrap();
/// let dir = std::env::temp_dir().join("padan-doc-output");
/// std::fs::create_dir_all(&dir).unwrap();
/// padan::output::write_table(&batch, &dir.join("x.csv")).unwrap();
/// assert_eq!(std::fs::read_to_string(dir.join("x.csv")).unwrap(), "x\n1\n2\n");
/// ```
pub fn write_table(batch: &RecordBatch, path: &Path) -> Result<()> {
    let format = FileFormat::from_path(path)?;
    let file = File::create(path).map_err(|e| Error::io(path, e))?;
    let sink = BufWriter::new(file);
    match format {
        FileFormat::Parquet => {
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::try_new(1)?))
                .build();
            let mut writer = ArrowWriter::try_new(sink, batch.schema(), Some(props))?;
            writer.write(batch)?;
            writer.close()?;
        }
        FileFormat::Csv => {
            let mut writer = arrow_csv::WriterBuilder::new().with_header(true).build(sink);
            writer.write(batch)?;
        }
        FileFormat::ArrowIpc => {
            let mut writer = arrow_ipc::writer::FileWriter::try_new(sink, &batch.schema())?;
            writer.write(batch)?;
            writer.finish()?;
        }
    }
    Ok(())
}

/// Write text (JSON, Markdown) to a file.
pub fn write_text(text: &str, path: &Path) -> Result<()> {
    std::fs::write(path, text).map_err(|e| Error::io(path, e))
}
