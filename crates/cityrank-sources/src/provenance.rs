//! What a run read and what it left out, per source and per indicator.
//!
//! Every row read is accounted for: for a source,
//! `rows_read = duplicates_removed + rows_without_city + rows_unresolved + rows_outside + rows_used`,
//! and for a declarative indicator,
//! `rows_in = sum(removed_by_filter) + removed_without_date + removed_after_cutoff
//!            + removed_before_window + rows_used`.

use serde::Serialize;
use std::path::PathBuf;

/// One file of a source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileProvenance {
    /// Absolute path of the file as found by the glob.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: u64,
    /// The encoding it was converted from before reading, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converted_from: Option<String>,
}

/// Counts for one source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceProvenance {
    /// The source id.
    pub source: String,
    /// `csv`, `parquet` or `jsonl`.
    pub format: String,
    /// Files read.
    pub files: Vec<FileProvenance>,
    /// Rows in the files.
    pub rows_read: u64,
    /// Rows removed because an earlier row had the same key.
    pub duplicates_removed: u64,
    /// Rows whose city cell is empty.
    pub rows_without_city: u64,
    /// Rows whose city string the resolver did not know.
    pub rows_unresolved: u64,
    /// The most frequent unresolved city strings with their row counts.
    pub top_unresolved: Vec<(String, u64)>,
    /// Rows resolved to a city that is not in the run or not covered by the source.
    pub rows_outside: u64,
    /// Rows passed on to the indicators (resolved, covered, deduplicated).
    pub rows_used: u64,
    /// Distinct city strings seen and how many resolved.
    pub distinct_city_strings: u64,
    /// Distinct city strings that resolved to a code.
    pub distinct_city_strings_resolved: u64,
}

/// Rows one filter removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterCount {
    /// The filter as written (`status = 'active'`).
    pub filter: String,
    /// Rows that passed the earlier filters and failed this one.
    pub removed: u64,
}

/// Counts for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorProvenance {
    /// The indicator id.
    pub indicator: String,
    /// Its source.
    pub source: String,
    /// `count`, `count_distinct`, `sum`, `mean` or `sql`.
    pub kind: String,
    /// Rows of the source handed to the indicator (the source's `rows_used`).
    pub rows_in: u64,
    /// Rows removed by each filter, in order.
    pub removed_by_filter: Vec<FilterCount>,
    /// Rows without a date, removed because the indicator has a cut-off.
    pub removed_without_date: u64,
    /// Rows dated after the cut-off.
    pub removed_after_cutoff: u64,
    /// Rows dated before the look-back window.
    pub removed_before_window: u64,
    /// Rows aggregated (for an SQL indicator, which filters by itself: `rows_in`).
    pub rows_used: u64,
    /// Covered cities of the run with no record (value 0).
    pub cities_without_records: u64,
    /// Cities of the run not covered by the source (no value).
    pub cities_not_covered: u64,
}
