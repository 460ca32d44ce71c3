//! DataFrames in: any object with the Arrow PyCapsule interface (`__arrow_c_stream__`: pandas,
//! polars, pyarrow, duckdb, ...) read through the Arrow C stream interface and written as the
//! CSV table the io crate reads from files, so a table in memory passes exactly the checks a
//! file does (ids, duplicates, numbers, one row per unit) and its errors name row and column.
//! Numbers are written in shortest round-trip form, so no value changes on the way.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{DataType, Float64Type};
use arrow::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow::record_batch::RecordBatch;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

/// The table behind `obj` as CSV bytes; `what` names the argument in errors.
pub fn csv_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    let batches = read_stream(obj, what)?;
    let Some(first) = batches.first() else {
        return Err(PyValueError::new_err(format!("`{what}` has no columns")));
    };
    let schema = first.schema();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let header: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    w.write_record(&header).map_err(csv_err)?;
    for batch in &batches {
        let cols = batch
            .columns()
            .iter()
            .zip(schema.fields())
            .map(|(c, f)| Column::of(c, f.name(), what))
            .collect::<PyResult<Vec<_>>>()?;
        for i in 0..batch.num_rows() {
            w.write_record(cols.iter().map(|c| c.cell(i)))
                .map_err(csv_err)?;
        }
    }
    w.into_inner()
        .map_err(|e| PyValueError::new_err(format!("cannot render `{what}`: {e}")))
}

fn csv_err(e: csv::Error) -> PyErr {
    PyValueError::new_err(format!("cannot render a table: {e}"))
}

/// Every record batch of the object's Arrow stream.
fn read_stream(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<RecordBatch>> {
    if !obj.hasattr("__arrow_c_stream__")? {
        return Err(PyTypeError::new_err(format!(
            "`{what}` is a {}, not a table: pass a pandas, polars or pyarrow DataFrame (anything with __arrow_c_stream__)",
            obj.get_type().name()?
        )));
    }
    let capsule = obj.call_method0("__arrow_c_stream__")?;
    let capsule = capsule.cast::<PyCapsule>()?;
    let ptr = capsule.pointer_checked(Some(c"arrow_array_stream"))?;
    // SAFETY: the capsule holds an FFI_ArrowArrayStream (checked by name); we take the stream
    // and leave a released one behind, which the capsule's destructor may drop.
    let stream = unsafe {
        std::ptr::replace(
            ptr.as_ptr().cast::<FFI_ArrowArrayStream>(),
            FFI_ArrowArrayStream::empty(),
        )
    };
    let reader = ArrowArrayStreamReader::try_new(stream)
        .map_err(|e| PyValueError::new_err(format!("cannot read `{what}` as Arrow: {e}")))?;
    reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyValueError::new_err(format!("cannot read `{what}` as Arrow: {e}")))
}

/// One column ready to print: text as it is, numbers in shortest round-trip form.
enum Column {
    Text(ArrayRef),
    Number(ArrayRef),
}

impl Column {
    fn of(c: &ArrayRef, name: &str, what: &str) -> PyResult<Column> {
        let t = c.data_type();
        let cast = |to: &DataType| {
            arrow::compute::cast(c, to)
                .map_err(|e| PyValueError::new_err(format!("`{what}` column `{name}` ({t}): {e}")))
        };
        if t.is_integer() || matches!(t, DataType::Null) {
            // Integers as text: an id like 110000 stays exact, whatever its width.
            Ok(Column::Text(cast(&DataType::Utf8)?))
        } else if t.is_floating()
            || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..))
        {
            Ok(Column::Number(cast(&DataType::Float64)?))
        } else if matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
            || matches!(t, DataType::Dictionary(_, v) if v.is_string())
        {
            Ok(Column::Text(cast(&DataType::Utf8)?))
        } else {
            Err(PyTypeError::new_err(format!(
                "`{what}` column `{name}` has type {t}: give numbers or text"
            )))
        }
    }

    fn cell(&self, i: usize) -> String {
        match self {
            _ if self.array().is_null(i) => String::new(),
            Column::Text(a) => a.as_string::<i32>().value(i).to_string(),
            Column::Number(a) => cityrank_io::write::num(a.as_primitive::<Float64Type>().value(i)),
        }
    }

    fn array(&self) -> &ArrayRef {
        match self {
            Column::Text(a) | Column::Number(a) => a,
        }
    }
}
