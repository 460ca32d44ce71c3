//! Record files (CSV, Parquet), their `records.toml`, and large record sets for
//! benchmarks.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{ArrayRef, Date32Array, Decimal128Array, Int64Array, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use cityrank_gazetteer::{Gazetteer, Resolution};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, Encoding};
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;

use crate::generate::{generate, ExampleData, GenerateError};
use crate::records::{
    Column, MeasureDef, RecordGenerator, RecordTable, SourceDef, CUTOFF, SOURCES,
};
use crate::settings::GeneratorSettings;

/// File format of record files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFormat {
    Csv,
    Parquet,
}

impl RecordFormat {
    pub fn extension(self) -> &'static str {
        match self {
            RecordFormat::Csv => "csv",
            RecordFormat::Parquet => "parquet",
        }
    }

    /// The format of a source in the committed example: Parquet for the largest.
    pub fn committed(source: &SourceDef) -> RecordFormat {
        if source.parquet {
            RecordFormat::Parquet
        } else {
            RecordFormat::Csv
        }
    }
}

/// A table as CSV with a header line (`\n` line ends).
pub fn table_csv(table: &RecordTable) -> Vec<u8> {
    let mut w = csv_writer(Vec::new());
    write_csv_rows(&mut w, table, true).expect("writing to memory");
    w.into_inner().expect("writing to memory")
}

fn csv_writer<W: Write>(inner: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(inner)
}

fn write_csv_rows<W: Write>(
    w: &mut csv::Writer<W>,
    table: &RecordTable,
    header: bool,
) -> csv::Result<()> {
    if header {
        w.write_record(&table.names)?;
    }
    let mut rec: Vec<String> = vec![String::new(); table.columns.len()];
    for row in 0..table.rows() {
        for (cell, col) in rec.iter_mut().zip(&table.columns) {
            *cell = col.cell(row);
        }
        w.write_record(&rec)?;
    }
    Ok(())
}

/// The Arrow schema of a table: text, Int64, Date32, Decimal128(18, decimals).
pub fn arrow_schema(table: &RecordTable) -> Arc<Schema> {
    let fields: Vec<Field> = table
        .names
        .iter()
        .zip(&table.columns)
        .map(|(name, col)| match col {
            Column::Text(_) => Field::new(*name, DataType::Utf8, true),
            Column::Int(_) => Field::new(*name, DataType::Int64, false),
            Column::Date(_) => Field::new(*name, DataType::Date32, false),
            Column::Fixed { decimals, .. } => {
                Field::new(*name, DataType::Decimal128(18, *decimals as i8), true)
            }
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// A table as one Arrow record batch.
pub fn arrow_batch(table: &RecordTable) -> RecordBatch {
    let arrays: Vec<ArrayRef> = table
        .columns
        .iter()
        .map(|col| -> ArrayRef {
            match col {
                Column::Text(v) => Arc::new(StringArray::from(v.clone())),
                Column::Int(v) => Arc::new(Int64Array::from(v.clone())),
                Column::Date(v) => Arc::new(Date32Array::from(v.clone())),
                Column::Fixed { units, decimals } => Arc::new(
                    Decimal128Array::from(
                        units.iter().map(|u| u.map(i128::from)).collect::<Vec<_>>(),
                    )
                    .with_precision_and_scale(18, *decimals as i8)
                    .expect("decimal precision"),
                ),
            }
        })
        .collect();
    RecordBatch::try_new(arrow_schema(table), arrays).expect("columns match the schema")
}

/// Writer settings that make the bytes depend on the data alone: a fixed
/// `created_by`, Snappy, delta-encoded integer ids.
fn parquet_properties(table: &RecordTable) -> WriterProperties {
    let mut b = WriterProperties::builder()
        .set_created_by("cityrank-example".to_string())
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(1 << 20));
    for (name, col) in table.names.iter().zip(&table.columns) {
        if matches!(col, Column::Int(_)) {
            let path = ColumnPath::from(*name);
            b = b
                .set_column_dictionary_enabled(path.clone(), false)
                .set_column_encoding(path, Encoding::DELTA_BINARY_PACKED);
        }
    }
    b.build()
}

/// A table as a Parquet file.
pub fn table_parquet(table: &RecordTable) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(
        &mut out,
        arrow_schema(table),
        Some(parquet_properties(table)),
    )
    .expect("a valid schema");
    w.write(&arrow_batch(table)).expect("writing to memory");
    w.close().expect("writing to memory");
    out
}

/// A table in the given format.
pub fn table_bytes(table: &RecordTable, format: RecordFormat) -> Vec<u8> {
    match format {
        RecordFormat::Csv => table_csv(table),
        RecordFormat::Parquet => table_parquet(table),
    }
}

/// `records.toml`: the sources (files in `format`, or the committed formats when
/// `None`) and one definition per indicator, in the shape `cityrank-sources` reads.
pub fn records_toml(
    generator: &RecordGenerator,
    format: Option<RecordFormat>,
    note: &str,
) -> String {
    let mut s = String::new();
    for line in note.lines() {
        s.push_str(format!("# {line}").trim_end());
        s.push('\n');
    }
    for src in &SOURCES {
        let fmt = format.unwrap_or_else(|| RecordFormat::committed(src));
        s.push_str("\n[[source]]\n");
        s.push_str(&format!("id = \"{}\"\n", src.id));
        s.push_str(&format!(
            "files = \"records/{}.{}\"\n",
            src.id,
            fmt.extension()
        ));
        s.push_str(&format!("city_column = \"{}\"\n", src.city_column));
        s.push_str(&format!("date_column = \"{}\"\n", src.date_column));
        if let Some(k) = src.key {
            s.push_str(&format!("key = [\"{k}\"]\n"));
        }
        s.push_str("covers = [\n");
        for chunk in generator.covers(src).chunks(10) {
            let codes: Vec<String> = chunk.iter().map(|c| format!("\"{c}\"")).collect();
            s.push_str(&format!("  {},\n", codes.join(", ")));
        }
        s.push_str("]\n");
    }
    for src in &SOURCES {
        s.push_str(&format!("\n[indicators.{}]\n", src.indicator));
        s.push_str(&format!("source = \"{}\"\n", src.id));
        match src.measure {
            MeasureDef::Count => s.push_str("measure = \"count\"\n"),
            MeasureDef::Sum(c) => s.push_str(&format!("measure = {{ sum = \"{c}\" }}\n")),
            MeasureDef::Mean(c) => s.push_str(&format!("measure = {{ mean = \"{c}\" }}\n")),
            MeasureDef::Weighted { column, weights } => {
                let cases: Vec<String> = weights
                    .iter()
                    .map(|(v, w)| format!("WHEN '{v}' THEN {w}"))
                    .collect();
                s.push_str(&format!(
                    "# Weighted by issuing level: {}.\n",
                    weights
                        .iter()
                        .map(|(v, w)| format!("{v} {w}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                s.push_str("sql = \"\"\"\n");
                s.push_str("SELECT city_code AS city,\n");
                s.push_str(&format!(
                    "       sum(CASE trim({column}) {} ELSE 0 END) AS value\n",
                    cases.join(" ")
                ));
                s.push_str(&format!("FROM {}\n", src.id));
                s.push_str(&format!("WHERE record_date <= DATE '{CUTOFF}'\n"));
                s.push_str("GROUP BY city_code\n\"\"\"\n");
                continue;
            }
        }
        if !src.filters.is_empty() {
            let filters: Vec<String> = src
                .filters
                .iter()
                .map(|f| match f.values {
                    [one] => format!(
                        "{{ column = \"{}\", op = \"=\", value = \"{one}\" }}",
                        f.column
                    ),
                    many => {
                        let list: Vec<String> = many.iter().map(|v| format!("\"{v}\"")).collect();
                        format!(
                            "{{ column = \"{}\", op = \"in\", value = [{}] }}",
                            f.column,
                            list.join(", ")
                        )
                    }
                })
                .collect();
            s.push_str(&format!("filters = [{}]\n", filters.join(", ")));
        }
        s.push_str(&format!("cutoff = {CUTOFF}\n"));
        if let Some(w) = src.window_days {
            s.push_str(&format!("window_days = {w}\n"));
        }
    }
    s
}

/// The head comment of the committed `records.toml`.
pub const RECORDS_TOML_NOTE: &str = "\
Record sources of the blockchain-2020 example and the definitions that compute its 16
indicators from them, in the shape cityrank-sources reads ([[source]] and [indicators.*]).
ILLUSTRATIVE: the records are synthetic, written by the seeded generator (crates/cityrank-example,
records.rs) so that these definitions give exactly the values of data/indicators.csv, with
noise the definitions remove (records after the cut-off or before a window, failing a filter,
duplicates by key, cities outside the example, strings that name no city).
Generated with the record files; regenerate both with CITYRANK_BLESS=1 cargo test -p cityrank-example.
covers: the cities a source has data on. A city it does not cover has no value; a covered
city without matching records has the value 0.";

/// Writes the committed example's record files into `dir/records/` and its
/// `dir/records.toml`; returns the files written.
pub fn write_records(data: &ExampleData, seed: u64, dir: &Path) -> io::Result<Vec<PathBuf>> {
    let generator = RecordGenerator::new(data, seed);
    let records = dir.join("records");
    std::fs::create_dir_all(&records)?;
    let mut written = Vec::new();
    for src in &SOURCES {
        let fmt = RecordFormat::committed(src);
        let path = records.join(format!("{}.{}", src.id, fmt.extension()));
        std::fs::write(&path, table_bytes(&generator.table(src, 0), fmt))?;
        written.push(path);
    }
    let toml_path = dir.join("records.toml");
    std::fs::write(
        &toml_path,
        records_toml(&generator, None, RECORDS_TOML_NOTE),
    )?;
    written.push(toml_path);
    Ok(written)
}

/// What [`write_records_scaled`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaledSummary {
    /// Copies of the example's records: counts and sums are `replicas` times the
    /// example's values, means are the same.
    pub replicas: u32,
    /// Rows written, per source id.
    pub rows: Vec<(String, u64)>,
    /// Record files, `records.toml` and `expected.csv`.
    pub files: Vec<PathBuf>,
}

impl ScaledSummary {
    pub fn total_rows(&self) -> u64 {
        self.rows.iter().map(|(_, n)| n).sum()
    }
}

/// Writes a record set of about `target_rows` rows with the shape of the example's:
/// whole replicas of its records (different records, the same values), one file per
/// source in `dir/records/`, streamed one source table at a time so memory stays
/// bounded whatever the size. Also writes `dir/records.toml` and `dir/expected.csv`
/// (the values the definitions must give: the example's, counts and sums multiplied
/// by the number of replicas).
pub fn write_records_scaled(
    settings: &GeneratorSettings,
    dir: &Path,
    target_rows: u64,
    format: RecordFormat,
) -> io::Result<ScaledSummary> {
    let data = generate(settings)
        .map_err(|e: GenerateError| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let generator = RecordGenerator::new(&data, settings.seed);
    let per_replica: u64 = SOURCES
        .iter()
        .map(|s| generator.table(s, 0).rows() as u64)
        .sum();
    let replicas = ((target_rows as f64 / per_replica as f64).round() as u32).max(1);

    let records = dir.join("records");
    std::fs::create_dir_all(&records)?;
    let mut files = Vec::new();
    let mut rows = Vec::new();
    for src in &SOURCES {
        let path = records.join(format!("{}.{}", src.id, format.extension()));
        let file = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        let mut n = 0u64;
        match format {
            RecordFormat::Csv => {
                let mut w = csv_writer(file);
                for r in 0..replicas {
                    let t = generator.table(src, r);
                    write_csv_rows(&mut w, &t, r == 0).map_err(io::Error::other)?;
                    n += t.rows() as u64;
                }
                w.flush()?;
            }
            RecordFormat::Parquet => {
                let first = generator.table(src, 0);
                let mut w = ArrowWriter::try_new(
                    file,
                    arrow_schema(&first),
                    Some(parquet_properties(&first)),
                )
                .map_err(io::Error::other)?;
                for r in 0..replicas {
                    let t = if r == 0 {
                        first.clone()
                    } else {
                        generator.table(src, r)
                    };
                    w.write(&arrow_batch(&t)).map_err(io::Error::other)?;
                    n += t.rows() as u64;
                }
                w.close().map_err(io::Error::other)?;
            }
        }
        rows.push((src.id.to_string(), n));
        files.push(path);
    }
    let note = format!(
        "A benchmark record set: {replicas} replicas of the blockchain-2020 example's records ({format:?}).\n\
         expected.csv holds the values these definitions must give."
    );
    let toml_path = dir.join("records.toml");
    std::fs::write(&toml_path, records_toml(&generator, Some(format), &note))?;
    files.push(toml_path);
    let expected = dir.join("expected.csv");
    std::fs::write(&expected, expected_csv(&data, replicas))?;
    files.push(expected);
    Ok(ScaledSummary {
        replicas,
        rows,
        files,
    })
}

/// `indicators.csv` for `replicas` copies of the records: counts and sums scale, means do not.
pub fn expected_csv(data: &ExampleData, replicas: u32) -> String {
    let inds = &data.plan.indicators;
    let mut out = String::from("unit");
    for ind in inds {
        out.push(',');
        out.push_str(&ind.id);
    }
    out.push('\n');
    for (c, row) in data.plan.cities.iter().zip(&data.values) {
        out.push_str(&c.unit.to_string());
        for (ind, v) in inds.iter().zip(row) {
            out.push(',');
            let Some(x) = v else { continue };
            let src = SOURCES
                .iter()
                .find(|s| s.indicator == ind.id)
                .expect("a source per indicator");
            let k = if matches!(src.measure, MeasureDef::Mean(_)) {
                1
            } else {
                i64::from(replicas)
            };
            let q = 10f64.powi(ind.decimals as i32);
            out.push_str(&crate::records::format_fixed(
                (x * q).round() as i64 * k,
                ind.decimals,
            ));
        }
        out.push('\n');
    }
    out
}

/// How the city strings of one source resolve with the bundled gazetteer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolutionCounts {
    pub source: String,
    pub rows: u64,
    /// Resolved to one of the example's cities.
    pub in_example: u64,
    /// Resolved to a city outside the example.
    pub outside: u64,
    /// Spellings several cities share.
    pub ambiguous: u64,
    /// Strings naming no city.
    pub unknown: u64,
    /// Empty cells.
    pub empty: u64,
}

/// Counts the resolution of a table's city column; also checks that every string
/// resolves to the city it was written for.
pub fn resolution_counts(table: &RecordTable, example_units: &[u32]) -> ResolutionCounts {
    let g = Gazetteer::bundled();
    let Some(Column::Text(cities)) = table.column(table.source.city_column) else {
        panic!("{}: no text city column", table.source.id)
    };
    let mut out = ResolutionCounts {
        source: table.source.id.to_string(),
        ..Default::default()
    };
    let mut cache: std::collections::HashMap<&str, (Option<u32>, bool)> =
        std::collections::HashMap::new();
    for (raw, truth) in cities.iter().zip(&table.truth) {
        out.rows += 1;
        let Some(raw) = raw else {
            out.empty += 1;
            continue;
        };
        let (code, ambiguous) =
            *cache
                .entry(raw.as_str())
                .or_insert_with(|| match g.resolve_detailed(raw) {
                    Resolution::City(p) => (p.code.parse().ok(), false),
                    Resolution::Ambiguous(_) => (None, true),
                    Resolution::Unknown => (None, false),
                });
        assert_eq!(
            code, *truth,
            "{}: {raw:?} resolves to {code:?}, written for {truth:?}",
            table.source.id
        );
        match code {
            Some(c) if example_units.contains(&c) => out.in_example += 1,
            Some(_) => out.outside += 1,
            None if ambiguous => out.ambiguous += 1,
            None => out.unknown += 1,
        }
    }
    out
}
