//! Bundled example data for cityrank: the candidate cities of the 2020 China
//! Blockchain City Innovation Index and a seeded generator of ILLUSTRATIVE,
//! synthetic indicator values that reproduce the release's published facts.
//!
//! Layers: [`plan`] (targets, missing pattern) -> [`indicator_scores`] ->
//! [`indicator_values`]; [`generate`] runs them all.

mod cities;
mod generate;
mod rng;
mod settings;
mod write;

pub use cities::{City, CANDIDATES};
pub use generate::{
    generate, indicator_scores, indicator_values, plan, score_of, CityTarget, ExampleData,
    GenerateError, Plan, Status,
};
pub use settings::{
    Counts, Dimension, FixedCity, GeneratorSettings, IndicatorSettings, PerDimension, PerRegion,
    Region, Spread, Strength, StrengthGroup,
};
pub use write::{cities_csv, indicators_csv, write_csvs};
