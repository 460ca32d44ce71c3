//! Loading a spec whose indicators are computed from raw records.
//!
//! The methodology file names the record sources and the definitions; this module runs them
//! through the engine, resolves city strings with the bundled gazetteer, and hands the values
//! to the ordinary loader, so every later step sees one table whatever its origin. The
//! provenance (files, hashes, rows read, removed by each filter, unresolved) goes to the
//! manifest.

use crate::engine::{Engine, RecordsOutput, Run};
use cityrank_gazetteer::Gazetteer;
use cityrank_io::{Error, LoadedData, LoadedSpec};
use std::path::Path;

/// How record sources are run.
#[derive(Clone, Debug)]
pub struct Settings {
    pub engine: Engine,
    /// Make records whose city string does not resolve an error instead of a count.
    pub strict_cities: bool,
    /// Memory bound of a local run in bytes (the engine spills beyond it); `None`: no bound.
    pub memory_limit: Option<usize>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            engine: Engine::Local,
            strict_cities: false,
            memory_limit: Some(crate::engine::DEFAULT_MEMORY_LIMIT),
        }
    }
}

impl Settings {
    /// Sets `run`'s engine, strictness and memory bound from these settings.
    pub fn apply(&self, run: &mut Run) {
        run.engine = self.engine.clone();
        run.strict_cities = self.strict_cities;
        run.memory_limit = self.memory_limit;
    }
}

/// Loads a spec and its data; record-based indicators are computed first.
pub fn load(path: &Path, settings: &Settings) -> Result<(LoadedSpec, LoadedData), Error> {
    let spec = cityrank_io::load_spec(path)?;
    let data = load_data(&spec, settings)?;
    Ok((spec, data))
}

/// Loads the data of a loaded spec (which may hold tables in memory); record-based indicators
/// are computed first.
pub fn load_data(spec: &LoadedSpec, settings: &Settings) -> Result<LoadedData, Error> {
    let Some(records) = spec.spec.records() else {
        return cityrank_io::load_data(spec);
    };
    let out = compute(spec, &records, settings)?;
    let mut data = cityrank_io::load_data_with(spec, Some(&out.values))?;
    data.extra
        .insert("records".into(), provenance_json(&out, settings));
    Ok(data)
}

fn compute(
    spec: &LoadedSpec,
    records: &crate::RecordsSpec,
    settings: &Settings,
) -> Result<RecordsOutput, Error> {
    let (units, _) = cityrank_io::data::load_units(spec)?;
    let cities: Vec<String> = units.into_iter().map(|u| u.into_info().id).collect();
    let gazetteer = Gazetteer::bundled();
    let resolver = gazetteer.resolver();
    let mut run = Run::new(&spec.dir, &cities, &resolver);
    settings.apply(&mut run);
    run.compute_blocking(records).map_err(|e| to_error(spec, e))
}

/// The engine's errors already name file, line and column; this keeps the text and adds the
/// spec as the place to fix definitions.
pub fn to_error(spec: &LoadedSpec, e: crate::SourceError) -> Error {
    let hint = e.hint();
    let mut err = Error::new(e.to_string(), hint);
    if matches!(e, crate::SourceError::Spec(_)) {
        err.file = Some(spec.path.clone());
    }
    err
}

fn provenance_json(out: &RecordsOutput, settings: &Settings) -> serde_json::Value {
    let engine = match &settings.engine {
        Engine::Local => "datafusion (in-process)".to_string(),
        Engine::Ballista { scheduler_url } => format!("ballista ({scheduler_url})"),
    };
    serde_json::json!({
        "engine": engine,
        "strict_cities": settings.strict_cities,
        "memory_limit_bytes": settings.memory_limit,
        "sources": out.sources,
        "indicators": out.indicators,
    })
}

/// The records behind one city's value of one indicator, as a printable table.
pub fn records_table(
    path: &Path,
    settings: &Settings,
    indicator: &str,
    city: &str,
    limit: usize,
) -> Result<String, Error> {
    let spec = cityrank_io::load_spec(path)?;
    let records = spec.spec.records().ok_or_else(|| {
        Error::new(
            "this spec computes no indicator from records",
            "use a spec with [[source]] sections",
        )
        .at(path, None)
    })?;
    let (units, _) = cityrank_io::data::load_units(&spec)?;
    let cities: Vec<String> = units.into_iter().map(|u| u.into_info().id).collect();
    let gazetteer = Gazetteer::bundled();
    let resolver = gazetteer.resolver();
    let mut run = Run::new(&spec.dir, &cities, &resolver);
    settings.apply(&mut run);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(format!("cannot start the runtime: {e}"), ""))?;
    let (batches, total) = rt
        .block_on(run.records_counted(&records, indicator, city, limit))
        .map_err(|e| to_error(&spec, e))?;
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    let table = datafusion::arrow::util::pretty::pretty_format_batches(&batches)
        .map_err(|e| Error::new(format!("cannot format the records: {e}"), ""))?;
    let note = match records.indicators.get(indicator) {
        Some(ind) if ind.sql.is_some() => format!(
            "\n`{indicator}` is an SQL query: these are all the city's records of source `{}`; the query selects among them:\n{}",
            ind.source,
            ind.sql.as_deref().unwrap_or("").trim()
        ),
        _ => String::new(),
    };
    let shown = if rows == total {
        format!("{} records", thousands(total))
    } else {
        format!(
            "{} of {} records (--limit {limit})",
            thousands(rows),
            thousands(total)
        )
    };
    Ok(format!("{table}\n{shown}{note}"))
}

/// A count with thousands separators: 1548 -> "1,548".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
