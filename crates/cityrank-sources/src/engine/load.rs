//! Reading a source into a DataFrame, deduplicating it and resolving its cities.

use super::dedup::{self, KEY_NUL, KEY_ROWS};
use super::{as_i64, as_strings, collect, compile, locate};
use crate::definition::{Format, Measure, Per, RecordIndicator, SourceDecl};
use crate::error::{Position, SourceError};
use crate::files::{csv_header, SourceFiles};
use crate::provenance::SourceProvenance;
use crate::resolve::CityResolver;
use datafusion::arrow::array::Array;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::expr_fn::{count, sum};
use datafusion::logical_expr::{when, Expr, JoinType, LogicalPlanBuilder};
use datafusion::prelude::{
    col, ident, lit, CsvReadOptions, DataFrame, JsonReadOptions, ParquetReadOptions, SessionContext,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Names the engine adds; a source may not have columns of these names.
pub(crate) const CITY_CODE: &str = "city_code";
pub(crate) const RECORD_DATE: &str = "record_date";
const CITY_RAW: &str = "__cityrank_city_raw";
const MAP_RAW: &str = "__cityrank_map_raw";
const MAP_CODE: &str = "__cityrank_map_code";

/// Columns a source must have, with the role each plays (for error messages).
pub(crate) fn needed_columns(
    decl: &SourceDecl,
    on_source: &[(&String, &RecordIndicator)],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![(decl.city_column.clone(), "city_column".into())];
    if let Some(d) = &decl.date_column {
        out.push((d.clone(), "date_column".into()));
    }
    for k in decl.key.iter().flatten() {
        out.push((k.clone(), "key".into()));
    }
    for (id, ind) in on_source {
        if let Some(Measure::CountDistinct(c) | Measure::Sum(c) | Measure::Mean(c)) = &ind.measure {
            out.push((c.clone(), format!("the measure of indicator `{id}`")));
        }
        for f in &ind.filters {
            out.push((f.column.clone(), format!("a filter of indicator `{id}`")));
        }
    }
    out
}

fn check_needed(
    decl: &SourceDecl,
    path: &Path,
    names: &[String],
    needed: &[(String, String)],
) -> Result<(), SourceError> {
    for (c, role) in needed {
        if !names.iter().any(|n| n == c) {
            return Err(SourceError::MissingColumn {
                source_id: decl.id.clone(),
                path: path.to_path_buf(),
                column: c.clone(),
                role: role.clone(),
                available: names.to_vec(),
            });
        }
    }
    for n in names {
        if n == CITY_CODE || n == RECORD_DATE || n.starts_with("__cityrank_") {
            return Err(SourceError::Spec(format!(
                "{}: source `{}` has a column named `{n}`, a name the engine reserves; rename it",
                path.display(),
                decl.id
            )));
        }
    }
    Ok(())
}

/// Registers the source's files with the session and checks their columns.
pub(crate) async fn read_source(
    ctx: &SessionContext,
    decl: &SourceDecl,
    files: &SourceFiles,
    needed: &[(String, String)],
) -> Result<DataFrame, SourceError> {
    let what = format!("reading source `{}`", decl.id);
    match files.format {
        Format::Csv => {
            let mut first: Option<(PathBuf, Vec<String>)> = None;
            let mut paths = Vec::new();
            for (read, prov) in files.read_paths.iter().zip(&files.provenance) {
                let header = csv_header(read).map_err(|e| relabel(e, decl, &prov.path))?;
                if header.is_empty() {
                    continue; // an empty file holds no record
                }
                let mut seen = BTreeSet::new();
                for h in &header {
                    if !seen.insert(h.as_str()) {
                        return Err(SourceError::Malformed {
                            source_id: decl.id.clone(),
                            path: prov.path.clone(),
                            position: Position::Line(1),
                            message: format!("column `{h}` appears twice in the header"),
                        });
                    }
                }
                check_needed(decl, &prov.path, &header, needed)?;
                match &first {
                    None => first = Some((prov.path.clone(), header)),
                    Some((fp, fh)) if *fh != header => {
                        return Err(SourceError::HeaderMismatch {
                            source_id: decl.id.clone(),
                            path: prov.path.clone(),
                            first: fp.clone(),
                            expected: fh.clone(),
                            found: header,
                        })
                    }
                    _ => {}
                }
                paths.push(read.to_string_lossy().into_owned());
            }
            let Some((_, header)) = first else {
                return Err(empty(decl, files));
            };
            let schema = Schema::new(
                header
                    .iter()
                    .map(|h| Field::new(h, DataType::Utf8, true))
                    .collect::<Vec<_>>(),
            );
            let opts = CsvReadOptions::new()
                .has_header(true)
                .schema(&schema)
                .newlines_in_values(files.line_breaks_in_quotes)
                .file_extension("");
            ctx.read_csv(paths, opts)
                .await
                .map_err(|e| SourceError::engine(&what, e))
        }
        Format::Parquet => {
            use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
            for (read, prov) in files.read_paths.iter().zip(&files.provenance) {
                let io = |error| SourceError::Io {
                    path: prov.path.clone(),
                    error,
                };
                let f = std::fs::File::open(read).map_err(io)?;
                let len = f.metadata().map_err(io)?.len();
                let malformed = |message: String| SourceError::Malformed {
                    source_id: decl.id.clone(),
                    path: prov.path.clone(),
                    position: Position::Row(0),
                    message,
                };
                let builder = ParquetRecordBatchReaderBuilder::try_new(f)
                    .map_err(|e| malformed(format!("not a readable Parquet file: {e}")))?;
                check_parquet_ranges(builder.metadata(), len).map_err(malformed)?;
                let names: Vec<String> = builder
                    .schema()
                    .fields()
                    .iter()
                    .map(|f| f.name().clone())
                    .collect();
                check_needed(decl, &prov.path, &names, needed)?;
            }
            let paths: Vec<String> = files
                .read_paths
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            let opts = ParquetReadOptions {
                file_extension: "",
                ..Default::default()
            };
            ctx.read_parquet(paths, opts)
                .await
                .map_err(|e| SourceError::engine(&what, e))
        }
        Format::Jsonl => {
            let mut paths = Vec::new();
            for (read, prov) in files.read_paths.iter().zip(&files.provenance) {
                let len = std::fs::metadata(read)
                    .map_err(|error| SourceError::Io {
                        path: prov.path.clone(),
                        error,
                    })?
                    .len();
                if len > 0 {
                    paths.push(read.to_string_lossy().into_owned());
                }
            }
            if paths.is_empty() {
                return Err(empty(decl, files));
            }
            let opts = JsonReadOptions {
                file_extension: "",
                ..Default::default()
            };
            let df = match ctx.read_json(paths, opts).await {
                Ok(df) => df,
                Err(e) => {
                    // Schema inference failed: find the bad line ourselves.
                    if let Some(err) = locate::malformed(decl, files, None) {
                        return Err(err);
                    }
                    return Err(SourceError::engine(&what, e));
                }
            };
            let names: Vec<String> = df
                .schema()
                .fields()
                .iter()
                .map(|f| f.name().clone())
                .collect();
            check_needed(decl, &files.provenance[0].path, &names, needed)?;
            Ok(df)
        }
    }
}

fn relabel(e: SourceError, decl: &SourceDecl, path: &Path) -> SourceError {
    match e {
        SourceError::Malformed {
            position, message, ..
        } => SourceError::Malformed {
            source_id: decl.id.clone(),
            path: path.to_path_buf(),
            position,
            message,
        },
        other => other,
    }
}

fn empty(decl: &SourceDecl, files: &SourceFiles) -> SourceError {
    SourceError::EmptySource {
        source_id: decl.id.clone(),
        files: files.provenance.iter().map(|p| p.path.clone()).collect(),
    }
}

/// A source ready for indicators: resolved, covered, deduplicated rows.
pub(crate) struct Cleaned {
    /// The source's columns plus `city_code` and (with a date column) `record_date`.
    pub view: DataFrame,
    pub provenance: SourceProvenance,
    /// City cell (as written, spaces included) -> code, for the cells whose rows are used.
    pub mapping: HashMap<String, String>,
    /// The batches of the pass over the source, grouped by city string: the
    /// aggregates asked for first (`aggs`), then the engine's own.
    pub per_string: Vec<datafusion::arrow::record_batch::RecordBatch>,
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn clean_source(
    ctx: &SessionContext,
    decl: &SourceDecl,
    files: &SourceFiles,
    raw: DataFrame,
    universe: &BTreeSet<&str>,
    resolver: &dyn CityResolver,
    strict: bool,
    top_n: usize,
    timeout: Duration,
    aggs: Vec<Expr>,
) -> Result<Cleaned, SourceError> {
    let what = format!("source `{}`", decl.id);
    let first_file = files.provenance[0].path.clone();
    let schema = raw.schema().clone();
    let columns: Vec<(String, DataType)> = schema
        .fields()
        .iter()
        .map(|f| (f.name().clone(), f.data_type().clone()))
        .collect();
    let type_of = |name: &str| -> DataType {
        columns
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .expect("checked column")
    };
    let all_cols: Vec<Expr> = columns.iter().map(|(n, _)| ident(n)).collect();

    // Rows are grouped by the city cell as it is; trimming and the empty test happen once
    // per distinct string here, not once per row in the engine.
    let city_type = type_of(&decl.city_column);
    let city_text = if compile::is_string(&city_type) {
        ident(&decl.city_column)
    } else {
        datafusion::logical_expr::cast(ident(&decl.city_column), DataType::Utf8)
    };
    let date = match &decl.date_column {
        None => None,
        Some(d) => Some(compile::date_expr(decl, &first_file, d, &type_of(d))?),
    };

    // Duplicates by key: one row per key, chosen the same way by every engine.
    let deduped = match &decl.key {
        None => raw.clone(),
        Some(key) => dedup::dedup(raw.clone(), key, &columns, date.as_ref().map(|d| &d.parsed))
            .map_err(|e| SourceError::engine(format!("{what}: removing duplicates"), e))?,
    };

    let mut with_cols = all_cols.clone();
    with_cols.push(city_text.alias(CITY_RAW));
    if let Some(d) = &date {
        with_cols.push(d.parsed.clone().alias(RECORD_DATE));
    }
    if decl.key.is_some() {
        with_cols.push(col(KEY_ROWS));
        with_cols.push(col(KEY_NUL));
    }
    let with = deduped
        .select(with_cols)
        .map_err(|e| SourceError::engine(&what, e))?;

    // One pass: the aggregates asked for (rows per city string first), dates that
    // do not parse, rows read before removing duplicates.
    let mut aggs = aggs;
    debug_assert!(!aggs.is_empty(), "count(*) first");
    let bad_col = aggs.len() + 1;
    if let Some(d) = &date {
        aggs.push(
            count(
                when(
                    d.text.clone().is_not_null().and(col(RECORD_DATE).is_null()),
                    lit(1i64),
                )
                .end()
                .expect("case"),
            )
            .alias("__cityrank_bad_dates"),
        );
    }
    let key_rows_col = aggs.len() + 1;
    if decl.key.is_some() {
        aggs.push(sum(col(KEY_ROWS)).alias("__cityrank_rows_read"));
        aggs.push(
            count(when(col(KEY_NUL), lit(1i64)).end().expect("case")).alias("__cityrank_nul_rows"),
        );
    }
    let stats = with
        .clone()
        .aggregate(vec![col(CITY_RAW)], aggs)
        .map_err(|e| SourceError::engine(&what, e))?;
    let batches = match collect(stats, &what, timeout).await {
        Ok(b) => b,
        Err(e) => {
            // A date that does not match a declared format stops the query.
            let bad_date = || match (&decl.date_column, &decl.date_format) {
                (Some(c), Some(_)) => {
                    locate::bad_value(decl, files, c, &locate::Check::date_of(decl))
                }
                _ => None,
            };
            return Err(locate::malformed(decl, files, Some(&schema))
                .or_else(bad_date)
                .unwrap_or(e));
        }
    };
    let mut per_string: Vec<(Option<String>, u64)> = Vec::new();
    let mut bad_dates = 0u64;
    let mut rows_read = 0u64;
    let mut nul_rows = 0u64;
    for b in &batches {
        let s = as_strings(b.column(0), &what)?;
        let n = as_i64(b.column(1), &what)?;
        let bad = if date.is_some() {
            Some(as_i64(b.column(bad_col), &what)?)
        } else {
            None
        };
        if decl.key.is_some() {
            let k = as_i64(b.column(key_rows_col), &what)?;
            rows_read += (0..b.num_rows())
                .map(|i| if k.is_null(i) { 0 } else { k.value(i) as u64 })
                .sum::<u64>();
            let nul = as_i64(b.column(key_rows_col + 1), &what)?;
            nul_rows += (0..b.num_rows()).map(|i| nul.value(i) as u64).sum::<u64>();
        }
        for i in 0..b.num_rows() {
            let raw = if s.is_null(i) {
                None
            } else {
                Some(s.value(i).to_string())
            };
            per_string.push((raw, n.value(i) as u64));
            if let Some(bad) = &bad {
                bad_dates += bad.value(i) as u64;
            }
        }
    }
    let rows_after_dedup: u64 = per_string.iter().map(|(_, n)| n).sum();
    let rows_read = if decl.key.is_some() {
        rows_read
    } else {
        rows_after_dedup
    };
    if rows_read == 0 {
        return Err(empty(decl, files));
    }
    if nul_rows > 0 {
        if let Some(e) = locate::nul_character(decl, files) {
            return Err(e);
        }
        return Err(SourceError::engine(
            &what,
            format!("{nul_rows} records hold a NUL character (\\0), which removing duplicates by `key` cannot carry; remove the NUL characters from the files"),
        ));
    }
    if bad_dates > 0 {
        let col_name = decl.date_column.as_deref().expect("date column");
        return Err(
            locate::bad_value(decl, files, col_name, &locate::Check::date_of(decl)).unwrap_or_else(
                || {
                    SourceError::engine(
                        &what,
                        format!("{bad_dates} values of `{col_name}` are not dates (YYYY-MM-DD)"),
                    )
                },
            ),
        );
    }

    // Resolve the distinct city strings.
    let mut rows_without_city = 0;
    let mut rows_unresolved = 0;
    let mut rows_outside = 0;
    let mut rows_used = 0;
    let mut unresolved: Vec<(String, u64)> = Vec::new();
    let mut mapping: Vec<(String, String)> = Vec::new();
    let mut used: HashMap<String, String> = HashMap::new();
    // Trimmed string -> its resolution, once per spelling.
    let mut resolved: HashMap<String, Option<String>> = HashMap::new();
    let mut unresolved_rows: HashMap<String, u64> = HashMap::new();
    for (raw_city, n) in per_string {
        // Spaces around a name are not part of it (as SQL `btrim`); an empty cell has no city.
        let Some(raw_city) = raw_city.filter(|s| !s.trim_matches(' ').is_empty()) else {
            rows_without_city += n;
            continue;
        };
        let trimmed = raw_city.trim_matches(' ');
        let code = resolved
            .entry(trimmed.to_string())
            .or_insert_with(|| resolver.resolve(trimmed))
            .clone();
        match code {
            None => {
                rows_unresolved += n;
                *unresolved_rows.entry(trimmed.to_string()).or_default() += n;
            }
            Some(code) => {
                if universe.contains(code.as_str()) && decl.covers.contains(&code) {
                    rows_used += n;
                    used.insert(raw_city.clone(), code.clone());
                    mapping.push((raw_city, code));
                } else {
                    rows_outside += n;
                }
            }
        }
    }
    let distinct = resolved.len() as u64;
    let distinct_resolved = resolved.values().filter(|c| c.is_some()).count() as u64;
    unresolved.extend(unresolved_rows);
    unresolved.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if strict && rows_unresolved > 0 {
        unresolved.truncate(top_n.max(1));
        return Err(SourceError::UnresolvedCities {
            source_id: decl.id.clone(),
            rows: rows_unresolved,
            top: unresolved,
        });
    }
    unresolved.truncate(top_n);

    // The mapping as a VALUES plan (always one typed all-NULL row, which joins nothing).
    let null = || lit(ScalarValue::Utf8(None));
    let mut rows: Vec<Vec<Expr>> = vec![vec![null(), null()]];
    rows.extend(mapping.into_iter().map(|(r, c)| vec![lit(r), lit(c)]));
    let plan = LogicalPlanBuilder::values(rows)
        .and_then(|b| {
            b.project(vec![
                col("column1").alias(MAP_RAW),
                col("column2").alias(MAP_CODE),
            ])
        })
        .and_then(|b| b.build())
        .map_err(|e| SourceError::engine(format!("{what}: city mapping"), e))?;
    let mapping_df = DataFrame::new(ctx.state(), plan);

    let mut view_cols = all_cols;
    view_cols.push(col(MAP_CODE).alias(CITY_CODE));
    if date.is_some() {
        view_cols.push(col(RECORD_DATE));
    }
    let view = with
        .join_on(
            mapping_df,
            JoinType::Inner,
            [col(CITY_RAW).eq(col(MAP_RAW))],
        )
        .and_then(|df| df.select(view_cols))
        .map_err(|e| SourceError::engine(format!("{what}: joining resolved cities"), e))?;

    let provenance = SourceProvenance {
        source: decl.id.clone(),
        format: files.format.name().to_string(),
        files: files.provenance.clone(),
        rows_read,
        duplicates_removed: rows_read - rows_after_dedup,
        rows_without_city,
        rows_unresolved,
        top_unresolved: unresolved,
        rows_outside,
        rows_used,
        distinct_city_strings: distinct,
        distinct_city_strings_resolved: distinct_resolved,
    };
    Ok(Cleaned {
        view,
        provenance,
        mapping: used,
        per_string: batches,
    })
}

/// Reads a denominator table (CSV) into city code -> value.
pub(crate) fn read_denominators(
    path: &Path,
    per: &Per,
    resolver: &dyn CityResolver,
) -> Result<HashMap<String, f64>, SourceError> {
    let err = |line: u64, message: String| SourceError::Denominator {
        path: path.to_path_buf(),
        position: Position::Line(line),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .from_path(path)
        .map_err(|e| match e.kind() {
            csv::ErrorKind::Io(_) => SourceError::Io {
                path: path.to_path_buf(),
                error: std::io::Error::other(e.to_string()),
            },
            _ => err(1, e.to_string()),
        })?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| err(1, e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let find = |c: &str| {
        headers.iter().position(|h| h == c).ok_or_else(|| {
            err(
                1,
                format!("no column `{c}` (the file has: {})", headers.join(", ")),
            )
        })
    };
    let ci = find(&per.city_column)?;
    let vi = find(&per.column)?;
    let mut out: HashMap<String, f64> = HashMap::new();
    let mut lines: BTreeMap<String, u64> = BTreeMap::new();
    for rec in rdr.records() {
        let rec =
            rec.map_err(|e| err(e.position().map(|p| p.line()).unwrap_or(0), e.to_string()))?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let city = rec.get(ci).unwrap_or("").trim();
        let value = rec.get(vi).unwrap_or("").trim();
        if city.is_empty() {
            continue;
        }
        let Some(code) = resolver.resolve(city) else {
            continue;
        };
        let v: f64 = value.parse().map_err(|_| {
            err(
                line,
                format!(
                    "column `{}` has `{value}`, which is not a number",
                    per.column
                ),
            )
        })?;
        if let Some(prev) = lines.insert(code.clone(), line) {
            return Err(err(
                line,
                format!("city `{code}` already has a value on line {prev}"),
            ));
        }
        out.insert(code, v);
    }
    Ok(out)
}

/// Every column chunk the footer lists lies within the file. The Parquet reader asserts this
/// while it scans (a panic, which would end the process), so a damaged footer is refused here,
/// with where it points.
fn check_parquet_ranges(
    md: &datafusion::parquet::file::metadata::ParquetMetaData,
    file_len: u64,
) -> Result<(), String> {
    for (g, rg) in md.row_groups().iter().enumerate() {
        for c in rg.columns() {
            let start = c.dictionary_page_offset().unwrap_or(c.data_page_offset());
            let len = c.compressed_size();
            let inside = start >= 0
                && len >= 0
                && start
                    .checked_add(len)
                    .is_some_and(|end| end as u64 <= file_len);
            if !inside {
                return Err(format!(
                    "not a readable Parquet file: its footer places column `{}` of row group {g} at bytes {start}..{start}+{len}, outside the file's {file_len} bytes (the file is damaged; write it again)",
                    cityrank_io::limits::excerpt_n(&c.column_path().string(), 40)
                ));
            }
        }
    }
    Ok(())
}
