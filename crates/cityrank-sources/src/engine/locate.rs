//! Finding the file and line of a problem the engine only counted.
//!
//! The engine's queries count bad cells (they do not stop at the first one, and
//! a distributed engine cannot say which file a row came from). When a count is
//! not zero, the files are scanned here, in order, with the same Arrow casts the
//! queries use, to name the first offending cell. This runs only on the error path.

use super::compile::{is_string, DECIMAL};
use crate::definition::{Format, SourceDecl};
use crate::error::{Position, SourceError};
use crate::files::SourceFiles;
use datafusion::arrow::array::{Array, ArrayRef, StringArray};
use datafusion::arrow::compute::{cast_with_options, CastOptions};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::DFSchema;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

/// What a cell must be.
pub(crate) enum Check {
    /// An ISO date (`YYYY-MM-DD`) or a date/timestamp value.
    Date,
    /// A date written in the given strftime pattern.
    DateFormat(String),
    Number,
}

impl Check {
    /// The check of a source's date column.
    pub(crate) fn date_of(decl: &SourceDecl) -> Check {
        match &decl.date_format {
            Some(f) => Check::DateFormat(f.clone()),
            None => Check::Date,
        }
    }
}

const CHUNK: usize = 8192;

fn safe() -> CastOptions<'static> {
    CastOptions {
        safe: true,
        ..Default::default()
    }
}

/// Applies the query's conversion to an array; returns the index and text of the
/// first non-empty cell that does not convert.
fn first_bad(arr: &ArrayRef, check: &Check) -> Option<(usize, String)> {
    if let (Check::DateFormat(f), true) = (check, is_string(arr.data_type())) {
        let s = cast_with_options(arr, &DataType::Utf8, &safe()).ok()?;
        let s = s.as_any().downcast_ref::<StringArray>()?;
        return s.iter().enumerate().find_map(|(i, v)| {
            let v = v.map(str::trim).filter(|v| !v.is_empty())?;
            chrono::NaiveDate::parse_from_str(v, f)
                .is_err()
                .then(|| (i, v.to_string()))
        });
    }
    let (input, converted) = if is_string(arr.data_type()) {
        let s = cast_with_options(arr, &DataType::Utf8, &safe()).ok()?;
        let s = s.as_any().downcast_ref::<StringArray>()?;
        let trimmed: StringArray = s
            .iter()
            .map(|v| v.map(str::trim).filter(|v| !v.is_empty()))
            .collect();
        let trimmed: ArrayRef = Arc::new(trimmed);
        let out = match check {
            Check::Date | Check::DateFormat(_) => {
                cast_with_options(&trimmed, &DataType::Date32, &safe()).ok()?
            }
            Check::Number => {
                let f = cast_with_options(&trimmed, &DataType::Float64, &safe()).ok()?;
                cast_with_options(&f, &DECIMAL, &safe()).ok()?
            }
        };
        (trimmed, out)
    } else {
        let out = match check {
            Check::Date | Check::DateFormat(_) => {
                cast_with_options(arr, &DataType::Date32, &safe()).ok()?
            }
            Check::Number => cast_with_options(arr, &DECIMAL, &safe()).ok()?,
        };
        (arr.clone(), out)
    };
    let i = (0..input.len()).find(|&i| input.is_valid(i) && out_null(&converted, i))?;
    let text = cast_with_options(&input.slice(i, 1), &DataType::Utf8, &safe())
        .ok()
        .and_then(|a| {
            a.as_any()
                .downcast_ref::<StringArray>()
                .map(|s| s.value(0).to_string())
        })
        .unwrap_or_default();
    Some((i, text))
}

fn out_null(a: &ArrayRef, i: usize) -> bool {
    a.is_null(i)
}

fn error(
    decl: &SourceDecl,
    path: &Path,
    position: Position,
    column: &str,
    value: String,
    check: &Check,
) -> SourceError {
    match check {
        Check::Date | Check::DateFormat(_) => SourceError::BadDate {
            source_id: decl.id.clone(),
            path: path.to_path_buf(),
            position,
            column: column.to_string(),
            value,
            expected: match check {
                Check::DateFormat(f) => format!("a date written `{f}` (the source's date_format)"),
                _ => "a date YYYY-MM-DD, or date_format on the source".into(),
            },
        },
        Check::Number => SourceError::WrongType {
            source_id: decl.id.clone(),
            path: path.to_path_buf(),
            position: Some(position),
            column: column.to_string(),
            value,
            expected: "a number".into(),
        },
    }
}

/// The first cell of `column` failing `check`, as an error naming file and line.
pub(crate) fn bad_value(
    decl: &SourceDecl,
    files: &SourceFiles,
    column: &str,
    check: &Check,
) -> Option<SourceError> {
    for (read, prov) in files.read_paths.iter().zip(&files.provenance) {
        let found = match files.format {
            Format::Csv => scan_csv(read, column, check),
            Format::Jsonl => scan_jsonl(read, column, check),
            Format::Parquet => scan_parquet(read, column, check),
        };
        if let Some((pos, value)) = found {
            return Some(error(decl, &prov.path, pos, column, value, check));
        }
    }
    None
}

fn scan_texts(
    items: impl Iterator<Item = (u64, Option<String>)>,
    check: &Check,
) -> Option<(Position, String)> {
    let mut lines = Vec::with_capacity(CHUNK);
    let mut values = Vec::with_capacity(CHUNK);
    let flush = |lines: &mut Vec<u64>, values: &mut Vec<Option<String>>| {
        let arr: ArrayRef = Arc::new(values.iter().map(|v| v.as_deref()).collect::<StringArray>());
        let r = first_bad(&arr, check).map(|(i, v)| (Position::Line(lines[i]), v));
        lines.clear();
        values.clear();
        r
    };
    for (line, v) in items {
        lines.push(line);
        values.push(v);
        if lines.len() == CHUNK {
            if let Some(r) = flush(&mut lines, &mut values) {
                return Some(r);
            }
        }
    }
    if lines.is_empty() {
        None
    } else {
        flush(&mut lines, &mut values)
    }
}

fn scan_csv(path: &Path, column: &str, check: &Check) -> Option<(Position, String)> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .ok()?;
    let idx = rdr
        .headers()
        .ok()?
        .iter()
        .position(|h| h.trim() == column)?;
    let items = rdr.records().map_while(Result::ok).map(move |r| {
        let line = r.position().map(|p| p.line()).unwrap_or(0);
        (line, r.get(idx).map(str::to_string))
    });
    scan_texts(items, check)
}

fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn scan_jsonl(path: &Path, column: &str, check: &Check) -> Option<(Position, String)> {
    let f = std::fs::File::open(path).ok()?;
    let items = BufReader::new(f)
        .lines()
        .enumerate()
        .filter_map(move |(i, l)| {
            let l = l.ok()?;
            if l.trim().is_empty() {
                return None;
            }
            let v: serde_json::Value = serde_json::from_str(&l).ok()?;
            Some((i as u64 + 1, v.get(column).and_then(json_text)))
        });
    scan_texts(items, check)
}

fn scan_parquet(path: &Path, column: &str, check: &Check) -> Option<(Position, String)> {
    use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use datafusion::parquet::arrow::ProjectionMask;
    let f = std::fs::File::open(path).ok()?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(f).ok()?;
    let idx = builder
        .schema()
        .fields()
        .iter()
        .position(|f| f.name() == column)?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), [idx]);
    let reader = builder.with_projection(mask).build().ok()?;
    let mut offset = 0u64;
    for batch in reader {
        let batch = batch.ok()?;
        if let Some((i, v)) = first_bad(batch.column(0), check) {
            return Some((Position::Row(offset + i as u64), v));
        }
        offset += batch.num_rows() as u64;
    }
    None
}

/// After the engine failed reading a source: the first record that cannot be
/// parsed (wrong field count, invalid JSON, a JSON value of the wrong type).
pub(crate) fn malformed(
    decl: &SourceDecl,
    files: &SourceFiles,
    schema: Option<&DFSchema>,
) -> Option<SourceError> {
    for (read, prov) in files.read_paths.iter().zip(&files.provenance) {
        let found = match files.format {
            Format::Csv => malformed_csv(decl, read, &prov.path),
            Format::Jsonl => malformed_jsonl(decl, read, &prov.path, schema),
            Format::Parquet => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

fn malformed_csv(decl: &SourceDecl, read: &Path, path: &Path) -> Option<SourceError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(read)
        .ok()?;
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("the record has {len} fields, the header has {expected_len}")
                    }
                    _ => e.to_string(),
                };
                return Some(SourceError::Malformed {
                    source_id: decl.id.clone(),
                    path: path.to_path_buf(),
                    position: Position::Line(line),
                    message,
                });
            }
        }
    }
}

fn malformed_jsonl(
    decl: &SourceDecl,
    read: &Path,
    path: &Path,
    schema: Option<&DFSchema>,
) -> Option<SourceError> {
    let f = std::fs::File::open(read).ok()?;
    for (i, line) in BufReader::new(f).lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = line.ok()?;
        if line.trim().is_empty() {
            continue;
        }
        let malformed = |message: String| SourceError::Malformed {
            source_id: decl.id.clone(),
            path: path.to_path_buf(),
            position: Position::Line(line_no),
            message,
        };
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                // serde_json's own "at line 1 column N" would be about the line alone.
                let what = e.to_string();
                let what = what.split(" at line ").next().unwrap_or(&what).to_string();
                return Some(malformed(format!(
                    "invalid JSON at column {}: {what}",
                    e.column()
                )));
            }
        };
        let Some(obj) = v.as_object() else {
            return Some(malformed("not a JSON object".into()));
        };
        if let Some(schema) = schema {
            for field in schema.fields() {
                let Some(v) = obj.get(field.name()) else {
                    continue;
                };
                let t = field.data_type();
                let ok = match v {
                    serde_json::Value::Null => true,
                    serde_json::Value::String(_) => {
                        is_string(t) || matches!(t, DataType::Date32 | DataType::Timestamp(_, _))
                    }
                    serde_json::Value::Number(_) => t.is_numeric() || is_string(t),
                    serde_json::Value::Bool(_) => matches!(t, DataType::Boolean) || is_string(t),
                    _ => !t.is_primitive() && !is_string(t),
                };
                if !ok {
                    return Some(SourceError::WrongType {
                        source_id: decl.id.clone(),
                        path: path.to_path_buf(),
                        position: Some(Position::Line(line_no)),
                        column: field.name().clone(),
                        value: v.to_string(),
                        expected: format!("of type {t} like the file's other values"),
                    });
                }
            }
        }
    }
    None
}

/// The first cell holding a NUL character, which the dedup by key cannot carry (CSV and
/// JSON lines; a Parquet source gets the engine's count instead).
pub(crate) fn nul_character(decl: &SourceDecl, files: &SourceFiles) -> Option<SourceError> {
    let message = |what: String| {
        format!("{what} holds a NUL character (\\0), which removing duplicates by `key` cannot carry; remove it from the file")
    };
    for (read, prov) in files.read_paths.iter().zip(&files.provenance) {
        let found = match files.format {
            Format::Csv => {
                let mut rdr = csv::ReaderBuilder::new()
                    .flexible(true)
                    .from_path(read)
                    .ok()?;
                let headers = rdr.headers().ok()?.clone();
                rdr.records().map_while(Result::ok).find_map(|r| {
                    let i = r.iter().position(|f| f.contains('\0'))?;
                    let line = r.position().map(|p| p.line()).unwrap_or(0);
                    let column = headers.get(i).unwrap_or("?").trim().to_string();
                    Some((line, message(format!("column `{column}`"))))
                })
            }
            Format::Jsonl => {
                let f = std::fs::File::open(read).ok()?;
                BufReader::new(f)
                    .lines()
                    .map_while(Result::ok)
                    .enumerate()
                    .find(|(_, l)| l.contains("\\u0000") || l.contains('\0'))
                    .map(|(i, _)| (i as u64 + 1, message("a value".into())))
            }
            Format::Parquet => None,
        };
        if let Some((line, message)) = found {
            return Some(SourceError::Malformed {
                source_id: decl.id.clone(),
                path: prov.path.clone(),
                position: Position::Line(line),
                message,
            });
        }
    }
    None
}
