//! Rank intervals written by `cityrank uncertainty` (`uncertainty.csv` in the output folder).
//!
//! Read by column name so that extra columns, or a different column order, do not break the
//! report; a missing file simply means no uncertainty analysis was run.

use cityrank_io::Error;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Interval {
    pub unit: String,
    pub name: String,
    pub nominal_rank: f64,
    pub median_rank: f64,
    pub p05_rank: f64,
    pub p95_rank: f64,
    #[serde(default)]
    pub mean_abs_shift: Option<f64>,
}

/// The intervals in `path`, or none when the file does not exist.
pub fn read(path: &Path) -> Result<Vec<Interval>, Error> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let bad = |e: csv::Error| {
        Error::new(
            format!("cannot read the uncertainty results: {e}"),
            "rerun `cityrank uncertainty`, or delete the file to publish without rank intervals",
        )
        .at(path, e.position().map(|p| p.line() as usize))
    };
    let mut rd = csv::Reader::from_path(path).map_err(bad)?;
    let mut rows = rd
        .deserialize()
        .collect::<Result<Vec<Interval>, _>>()
        .map_err(bad)?;
    // Written spreadsheet-safe: a name starting with `=` carries an apostrophe in the file.
    for r in &mut rows {
        r.unit = cityrank_io::sheet::unguard(&r.unit).to_string();
        r.name = cityrank_io::sheet::unguard(&r.name).to_string();
    }
    Ok(rows)
}
