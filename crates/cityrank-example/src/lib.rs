//! Bundled example data for cityrank: the candidate cities of the 2020 China
//! Blockchain City Innovation Index and a seeded generator of ILLUSTRATIVE,
//! synthetic indicator values that reproduce the release's published facts.
//!
//! Layers: [`plan`] (targets, missing pattern) -> [`indicator_scores`] ->
//! [`indicator_values`]; [`generate`] runs them all.
//!
//! The values also come as raw records ([`RecordGenerator`], [`write_records`]): one
//! table per source with messy city strings and noise, from which the definitions of
//! `records.toml` give exactly the values; [`write_records_scaled`] writes record sets
//! of any size with the same shape, for benchmarks.

mod cities;
mod generate;
mod messy;
mod records;
mod records_write;
mod rng;
mod settings;
mod write;

pub use cities::{City, CANDIDATES};
pub use generate::{
    generate, indicator_scores, indicator_values, plan, score_of, CityTarget, ExampleData,
    GenerateError, Plan, Status,
};
pub use records::{
    day, format_date, format_fixed, Column, FilterDef, MeasureDef, RecordGenerator, RecordTable,
    SourceDef, CUTOFF, POLICY_WEIGHTS, SOURCES,
};
pub use records_write::{
    arrow_batch, arrow_schema, expected_csv, records_toml, resolution_counts, table_bytes,
    table_csv, table_parquet, write_records, write_records_scaled, RecordFormat, ResolutionCounts,
    ScaledSummary, RECORDS_TOML_NOTE,
};
pub use settings::{
    Counts, Dimension, FixedCity, GeneratorSettings, IndicatorSettings, PerDimension, PerRegion,
    Region, Spread, Strength, StrengthGroup,
};
pub use write::{cities_csv, indicators_csv, write_csvs};
