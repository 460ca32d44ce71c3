//! A Parquet file as a table of units: one row per unit, columns by name.
//!
//! Analysts in pandas, polars, R's arrow or DuckDB save tables as Parquet as often as CSV; the
//! file is read whole (a table of units is small) and each cell becomes the text a CSV file
//! would hold, so that the values, the checks and the errors are the same as for CSV. Numbers
//! are written in the shortest form that reads back to the same value, nulls as empty cells.

use crate::error::Error;
use crate::input::{oversized_cell, InputTable, MAX_WORKBOOK};
use crate::limits::excerpt;
use crate::table::Digested;
use arrow::array::{Array, AsArray, RecordBatch, RecordBatchReader};
use arrow::datatypes::{DataType, Float32Type, Float64Type};
use arrow::util::display::{ArrayFormatter, FormatOptions};
use csv::StringRecord;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::path::Path;

/// Reads the whole file; rows are numbered from 1, as a reader of the file counts them.
pub fn read(path: &Path) -> Result<InputTable, Error> {
    let bytes = crate::limits::read_small(path, MAX_WORKBOOK)?;
    let digest = Digested {
        sha256: crate::hash::sha256_hex(&bytes),
        bytes: bytes.len(),
        rows: 0,
    };
    let damaged = |e: &dyn std::fmt::Display| {
        Error::new(
            format!("cannot read the Parquet file: {}", excerpt(&e.to_string())),
            "check that the file is a Parquet file and not damaged (it should open in pandas, polars or DuckDB)",
        )
        .at(path, None)
    };
    let reader = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
        .map_err(|e| damaged(&e))?
        .build()
        .map_err(|e| damaged(&e))?;
    let headers: Vec<String> = reader
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| damaged(&e))?;
        append_rows(path, &headers, &batch, &mut rows)?;
    }
    let digest = Digested {
        rows: rows.len(),
        ..digest
    };
    Ok(InputTable::parquet(path, headers, rows, digest))
}

/// The batch's rows as text cells, after the rows already read.
fn append_rows(
    path: &Path,
    headers: &[String],
    batch: &RecordBatch,
    rows: &mut Vec<(usize, StringRecord)>,
) -> Result<(), Error> {
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (c, array) in batch.columns().iter().enumerate() {
        let texts = cells(array.as_ref()).map_err(|m| {
            Error::new(
                format!("cannot read the column as text: {}", excerpt(&m)),
                "store ids and names as strings or integers, and indicator values as numbers",
            )
            .at(path, None)
            .field(excerpt(&headers[c]))
        })?;
        columns.push(texts);
    }
    for i in 0..batch.num_rows() {
        let line = rows.len() + 1;
        let cells: Vec<&str> = columns.iter().map(|col| col[i].as_str()).collect();
        if let Some((_, e)) = oversized_cell(&cells, headers) {
            return Err(e.at(path, Some(line)));
        }
        rows.push((line, StringRecord::from(cells)));
    }
    Ok(())
}

/// One column's cells as text: floats in their shortest exact form, nulls empty, everything
/// else as Arrow displays it (dates stay dates, and are then refused as numbers).
fn cells(array: &dyn Array) -> Result<Vec<String>, String> {
    let n = array.len();
    let text = |i: usize, s: String| if array.is_null(i) { String::new() } else { s };
    Ok(match array.data_type() {
        DataType::Float64 => {
            let a = array.as_primitive::<Float64Type>();
            (0..n).map(|i| text(i, format!("{}", a.value(i)))).collect()
        }
        DataType::Float32 => {
            let a = array.as_primitive::<Float32Type>();
            (0..n).map(|i| text(i, format!("{}", a.value(i)))).collect()
        }
        _ => {
            let options = FormatOptions::default().with_null("");
            let f = ArrayFormatter::try_new(array, &options).map_err(|e| e.to_string())?;
            (0..n).map(|i| f.value(i).to_string()).collect()
        }
    })
}
