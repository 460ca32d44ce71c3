//! Raw records to indicator values through an SQL engine.
//!
//! A spec declares record *sources* (CSV / Parquet / JSON-lines files found by a
//! glob) and *indicators* defined on them, declaratively (count, distinct count,
//! sum or mean of a column, with filters, a cut-off date and a look-back window,
//! optionally per capita) or as an SQL query returning `(city, value)`. The
//! [`Run`] computes them with Apache DataFusion in this process, or on an Apache
//! Ballista cluster when [`Engine::Ballista`] names a scheduler, and accounts for
//! every row read ([`SourceProvenance`], [`IndicatorProvenance`]).
//!
//! A covered city with no matching record has the value 0; a city the source does
//! not cover has no value (`None`).
//!
//! ```no_run
//! use cityrank_sources::{MapResolver, RecordsSpec, Run};
//! let spec: RecordsSpec = toml::from_str(r#"
//!     [[source]]
//!     id = "firms"
//!     files = "records/firms-*.csv"
//!     city_column = "city"
//!     date_column = "registered"
//!     covers = "all"
//!
//!     [indicators.active_firms]
//!     source = "firms"
//!     measure = "count"
//!     filters = [{ column = "status", op = "=", value = "active" }]
//!     cutoff = 2020-06-30
//! "#).unwrap();
//! let cities = vec!["110000".to_string(), "310000".to_string()];
//! let resolver: MapResolver = [("北京", "110000"), ("北京市", "110000"), ("上海", "310000")].into_iter().collect();
//! let out = Run::new("spec-dir".as_ref(), &cities, &resolver).compute_blocking(&spec).unwrap();
//! println!("{:?}", out.values["active_firms"]);
//! ```

// Errors carry file, line, column and value so that a bad record can be found;
// they are built only on the way out, so their size costs nothing.
#![allow(clippy::result_large_err)]

pub mod definition;
pub mod engine;
pub mod error;
mod files;
pub mod load;
pub mod provenance;
pub mod resolve;

pub use definition::{
    Covers, Date, Filter, FilterOp, FilterValue, Format, Measure, Per, RecordIndicator,
    RecordsSpec, Scalar, SourceDecl,
};
pub use engine::{validate, Engine, RecordsOutput, Run, DEFAULT_MEMORY_LIMIT};
pub use error::{Position, SourceError};
pub use load::{load, records_table, Settings};
pub use provenance::{FileProvenance, FilterCount, IndicatorProvenance, SourceProvenance};
pub use resolve::{CityResolver, MapResolver};
