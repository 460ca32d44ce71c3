//! Large record sets and indicators computed from a bare records spec.
//!
//! - `cityrank generate-records`: N-row copies of the bundled example's records (CSV or
//!   Parquet) with their `records.toml` and `expected.csv`, for benchmarks;
//! - `cityrank sources`: computes the indicators of a `records.toml` (sources and
//!   `[indicators.*]`, no methodology) through the SQL engine, prints the values, the
//!   provenance and the time taken, and checks them against `expected.csv`;
//! - `cityrank resolve-cities`: the bundled gazetteer over a list of city strings, as a
//!   `raw,code` table (so that another engine can be given the same city resolution).

use cityrank_io::Error;
use cityrank_sources::{RecordsOutput, RecordsSpec, Run};
use clap::{Subcommand, ValueEnum};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Subcommand, Debug)]
pub enum RecordSetCommand {
    /// Developer command (hidden from --help; used by benches/run.sh): write a large
    /// record set with the shape of the bundled example's records.
    #[command(hide = true)]
    GenerateRecords {
        /// About this many rows in all (whole copies of the example's records).
        #[arg(long, default_value_t = 10_000_000)]
        rows: u64,
        /// File format of the records.
        #[arg(long, value_enum, default_value = "parquet")]
        format: RecordFormatArg,
        /// Folder for records/, records.toml and expected.csv.
        #[arg(long)]
        out: PathBuf,
        /// Generator settings.
        #[arg(long, default_value = "examples/blockchain-2020/generator.toml")]
        settings: PathBuf,
    },
    /// Compute the indicators of a records spec (a records.toml) and show their provenance.
    Sources {
        /// A records.toml: [[source]] sections and [indicators.*] definitions.
        #[arg(long)]
        records: PathBuf,
        /// CSV whose first column lists the city codes of the run
        /// (default: expected.csv beside the records spec, else the cities the sources cover).
        #[arg(long)]
        cities: Option<PathBuf>,
        /// Values to check against, as `unit,<indicator>...` (default: expected.csv beside
        /// the records spec, when present). A mismatch is an error.
        #[arg(long)]
        expected: Option<PathBuf>,
        /// Write the values as `indicator,city,value` (empty: not covered).
        #[arg(long)]
        values_out: Option<PathBuf>,
        /// Print the provenance as JSON instead of tables.
        #[arg(long)]
        json: bool,
    },
    /// Resolve city strings (a one-column CSV with a header) with the bundled gazetteer;
    /// writes `raw,code` for the strings that resolve.
    ResolveCities {
        /// The city strings: a one-column CSV with a header.
        #[arg(long = "in")]
        input: PathBuf,
        /// Where to write the `raw,code` table.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum RecordFormatArg {
    Csv,
    Parquet,
}

pub fn dispatch(c: RecordSetCommand, engine: &cityrank_sources::Settings) -> Result<(), Error> {
    match c {
        RecordSetCommand::GenerateRecords {
            rows,
            format,
            out,
            settings,
        } => generate_records(&settings, &out, rows, format),
        RecordSetCommand::Sources {
            records,
            cities,
            expected,
            values_out,
            json,
        } => sources(
            &records,
            cities.as_deref(),
            expected.as_deref(),
            values_out.as_deref(),
            json,
            engine,
        ),
        RecordSetCommand::ResolveCities { input, out } => resolve_cities(&input, &out),
    }
}

fn io_err(what: &str, path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(format!("{what}: {e}"), "check the path").at(path, None)
}

fn generate_records(
    settings: &Path,
    out: &Path,
    rows: u64,
    format: RecordFormatArg,
) -> Result<(), Error> {
    let settings = if settings.exists() {
        settings.to_path_buf()
    } else {
        // From the source tree when not run in the project folder.
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../")).join(settings)
    };
    let s = cityrank_example::GeneratorSettings::load(&settings).map_err(|e| {
        Error::new(
            format!("cannot read the generator settings: {e}"),
            "pass --settings PATH to a generator.toml",
        )
        .at(&settings, None)
    })?;
    let (fmt, fmt_name) = match format {
        RecordFormatArg::Csv => (cityrank_example::RecordFormat::Csv, "CSV"),
        RecordFormatArg::Parquet => (cityrank_example::RecordFormat::Parquet, "Parquet"),
    };
    let t = Instant::now();
    let summary = cityrank_example::write_records_scaled(&s, out, rows, fmt)
        .map_err(|e| io_err("cannot write the record set", out, e))?;
    let bytes: u64 = summary
        .files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "Wrote {} rows ({} replicas of the example's records, {}, {:.1} MB) to {} in {:.1} s.",
        summary.total_rows(),
        summary.replicas,
        fmt_name,
        bytes as f64 / 1e6,
        out.display(),
        t.elapsed().as_secs_f64()
    );
    for (id, n) in &summary.rows {
        println!("  {id:<12} {n:>12}");
    }
    println!(
        "Compute them with: cityrank sources --records {}",
        out.join("records.toml").display()
    );
    Ok(())
}

/// First column of a CSV with a header, non-empty cells.
fn first_column(path: &Path) -> Result<Vec<String>, Error> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| io_err("cannot read", path, e))?;
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| io_err("cannot read", path, e))?;
        if let Some(c) = rec.get(0).map(str::trim).filter(|c| !c.is_empty()) {
            out.push(c.to_string());
        }
    }
    Ok(out)
}

fn sources(
    path: &Path,
    cities: Option<&Path>,
    expected: Option<&Path>,
    values_out: Option<&Path>,
    json: bool,
    engine: &cityrank_sources::Settings,
) -> Result<(), Error> {
    let text = std::fs::read_to_string(path).map_err(|e| io_err("cannot read", path, e))?;
    let spec: RecordsSpec = toml::from_str(&text).map_err(|e| {
        Error::new(
            format!("not a records spec: {e}"),
            "a records.toml has [[source]] sections and [indicators.*] definitions",
        )
        .at(path, None)
    })?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let beside = dir.join("expected.csv");
    let expected: Option<PathBuf> = expected
        .map(Path::to_path_buf)
        .or_else(|| beside.exists().then_some(beside.clone()));
    let cities: Vec<String> = match cities.map(Path::to_path_buf).or(expected.clone()) {
        Some(p) => first_column(&p)?,
        None => {
            let mut all = std::collections::BTreeSet::new();
            for s in &spec.sources {
                if let cityrank_sources::Covers::List(list) = &s.covers {
                    all.extend(list.iter().cloned());
                }
            }
            all.into_iter().collect()
        }
    };
    if cities.is_empty() {
        return Err(Error::new(
            "no city to compute values for",
            "pass --cities FILE (a CSV whose first column lists city codes)",
        ));
    }
    let settings = engine;
    let gazetteer = cityrank_gazetteer::Gazetteer::bundled();
    let resolver = gazetteer.resolver();
    let mut run = Run::new(&dir, &cities, &resolver);
    settings.apply(&mut run);
    let t = Instant::now();
    let out = run.compute_blocking(&spec).map_err(|e| {
        let hint = match &e {
            cityrank_sources::SourceError::Spec(_) => "correct the records spec",
            e => e.hint(),
        };
        Error::new(e.to_string(), hint)
    })?;
    let secs = t.elapsed().as_secs_f64();

    if let Some(p) = values_out {
        write_values(&out, p)?;
    }
    if json {
        let v = serde_json::json!({
            "engine": settings.engine.to_string(),
            "seconds": secs,
            "sources": out.sources,
            "indicators": out.indicators,
        });
        println!("{}", serde_json::to_string_pretty(&v).expect("json"));
    } else {
        print_summary(&out, &run.engine.to_string(), secs);
    }
    if let Some(p) = &expected {
        check(&out, p)?;
    }
    Ok(())
}

fn print_summary(out: &RecordsOutput, engine: &str, secs: f64) {
    let rows: u64 = out.sources.values().map(|s| s.rows_read).sum();
    println!(
        "{} sources, {} rows read, {} indicators computed in {:.2} s (engine: {engine}).",
        out.sources.len(),
        rows,
        out.indicators.len(),
        secs
    );
    println!();
    println!(
        "{:<12} {:>7} {:>12} {:>9} {:>10} {:>10} {:>9} {:>12} {:>9}",
        "source",
        "format",
        "rows read",
        "dupl.",
        "no city",
        "unresolved",
        "outside",
        "used",
        "strings"
    );
    for s in out.sources.values() {
        println!(
            "{:<12} {:>7} {:>12} {:>9} {:>10} {:>10} {:>9} {:>12} {:>9}",
            s.source,
            s.format,
            s.rows_read,
            s.duplicates_removed,
            s.rows_without_city,
            s.rows_unresolved,
            s.rows_outside,
            s.rows_used,
            s.distinct_city_strings
        );
    }
    println!();
    println!(
        "{:<14} {:<10} {:>14} {:>12} {:>10} {:>8} {:>8} {:>12} {:>12}",
        "indicator", "source", "kind", "rows in", "filtered", "cut-off", "window", "used", "sum"
    );
    for (id, p) in &out.indicators {
        let filtered: u64 = p.removed_by_filter.iter().map(|f| f.removed).sum();
        let total: f64 = out.values[id].values().flatten().sum();
        println!(
            "{:<14} {:<10} {:>14} {:>12} {:>10} {:>8} {:>8} {:>12} {:>12.2}",
            id,
            p.source,
            p.kind,
            p.rows_in,
            filtered,
            p.removed_after_cutoff,
            p.removed_before_window,
            p.rows_used,
            total
        );
    }
}

fn write_values(out: &RecordsOutput, path: &Path) -> Result<(), Error> {
    let mut s = String::from("indicator,city,value\n");
    for (id, values) in &out.values {
        for (city, v) in values {
            match v {
                Some(v) => s.push_str(&format!("{id},{city},{v}\n")),
                None => s.push_str(&format!("{id},{city},\n")),
            }
        }
    }
    std::fs::write(path, s).map_err(|e| io_err("cannot write", path, e))
}

/// Compares with `unit,<indicator>...`: an empty cell is a city the source does not
/// cover; a number must equal the value rounded to the cell's decimals.
fn check(out: &RecordsOutput, path: &Path) -> Result<(), Error> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| io_err("cannot read", path, e))?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| io_err("cannot read", path, e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut checked = 0u64;
    let mut bad: Vec<String> = Vec::new();
    let mut rows: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| io_err("cannot read", path, e))?;
        rows.insert(
            rec.get(0).unwrap_or("").trim().to_string(),
            rec.iter().map(|c| c.trim().to_string()).collect(),
        );
    }
    for (j, ind) in headers.iter().enumerate().skip(1) {
        let Some(values) = out.values.get(ind) else {
            bad.push(format!("indicator `{ind}` was not computed"));
            continue;
        };
        for (city, row) in &rows {
            let want = row.get(j).map(String::as_str).unwrap_or("");
            let got = values.get(city).copied().flatten();
            let ok = match (want.is_empty(), got) {
                (true, None) => true,
                (false, Some(v)) => {
                    let decimals = want.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
                    let w: f64 = want.parse().unwrap_or(f64::NAN);
                    let q = 10f64.powi(decimals as i32);
                    (v * q).round() == (w * q).round()
                }
                _ => false,
            };
            checked += 1;
            if !ok && bad.len() < 10 {
                let got = got.map_or("no value".to_string(), |v| v.to_string());
                bad.push(format!("{ind} {city}: expected `{want}`, computed {got}"));
            }
        }
    }
    if bad.is_empty() {
        println!(
            "\nAll {checked} values agree with {} ({} indicators).",
            path.display(),
            headers.len() - 1
        );
        Ok(())
    } else {
        Err(Error::new(
            format!(
                "the values differ from {}:\n  {}",
                path.display(),
                bad.join("\n  ")
            ),
            "the definitions or the engine give other values than the generator",
        ))
    }
}

fn resolve_cities(input: &Path, out: &Path) -> Result<(), Error> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(input)
        .map_err(|e| io_err("cannot read", input, e))?;
    let gazetteer = cityrank_gazetteer::Gazetteer::bundled();
    let mut w = csv::Writer::from_path(out).map_err(|e| io_err("cannot write", out, e))?;
    w.write_record(["raw", "code"])
        .map_err(|e| io_err("cannot write", out, e))?;
    let (mut n, mut resolved) = (0u64, 0u64);
    for rec in rdr.records() {
        let rec = rec.map_err(|e| io_err("cannot read", input, e))?;
        let Some(raw) = rec.get(0) else { continue };
        n += 1;
        // As the engine does: spaces trimmed (SQL `trim`), an empty string names no city.
        let text = raw.trim_matches(' ');
        if text.is_empty() {
            continue;
        }
        if let Some(code) = gazetteer.resolve(text) {
            resolved += 1;
            w.write_record([raw, code])
                .map_err(|e| io_err("cannot write", out, e))?;
        }
    }
    w.flush().map_err(|e| io_err("cannot write", out, e))?;
    eprintln!("{resolved} of {n} strings resolve.");
    Ok(())
}
