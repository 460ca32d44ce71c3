//! Collecting a query under its time bound, and the engine's columns as the array types the
//! rest of the crate reads.

use crate::error::SourceError;
use datafusion::arrow::array::{Array, ArrayRef, Decimal128Array, Int64Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::prelude::DataFrame;
use std::time::Duration;

/// The batches of `df`, or a timeout error naming `what` after `timeout`.
pub(crate) async fn collect(
    df: DataFrame,
    what: &str,
    timeout: Duration,
) -> Result<Vec<RecordBatch>, SourceError> {
    match tokio::time::timeout(timeout, df.collect()).await {
        Ok(r) => r.map_err(|e| SourceError::engine(what, e)),
        Err(_) => Err(SourceError::Timeout {
            context: what.to_string(),
            seconds: timeout.as_secs(),
        }),
    }
}

/// `a` cast to `dt` and downcast to its concrete array type.
fn cast_as<T: Array + Clone + 'static>(
    a: &ArrayRef,
    dt: &DataType,
    what: &str,
) -> Result<T, SourceError> {
    let c = cast(a, dt).map_err(|e| SourceError::engine(what, e))?;
    Ok(c.as_any()
        .downcast_ref::<T>()
        .expect("cast gives the requested type")
        .clone())
}

pub(crate) fn as_strings(a: &ArrayRef, what: &str) -> Result<StringArray, SourceError> {
    cast_as(a, &DataType::Utf8, what)
}

pub(crate) fn as_i64(a: &ArrayRef, what: &str) -> Result<Int64Array, SourceError> {
    cast_as(a, &DataType::Int64, what)
}

/// Decimal(38, 6) as f64; deterministic whatever the order of summation was.
pub(crate) fn as_decimal(a: &ArrayRef, what: &str) -> Result<Decimal128Array, SourceError> {
    cast_as(a, &super::compile::DECIMAL, what)
}
