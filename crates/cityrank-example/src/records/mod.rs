//! The example as raw records: one table per source (firms, patents, news, ...)
//! from which the declarative definitions of `records.toml` compute exactly the
//! values of `indicators.csv`.
//!
//! For each city and indicator the generator writes the records that count (as many
//! as the value, or amounts that add up to it), then noise that the definitions must
//! remove: records after the cut-off or before the look-back window, records failing
//! a filter (cancelled firms, preprints), duplicates by key, records of cities outside
//! the example, and city strings that name no city. A city whose value is missing is
//! one the source does not cover: the source has no record of it.

mod dates;
mod days;
mod defs;
mod payloads;
mod rows;
mod search;
mod sources;
mod table;
mod words;

pub use dates::{day, format_date, format_fixed};
pub use defs::{FilterDef, MeasureDef, SourceDef, CUTOFF, POLICY_WEIGHTS, SOURCES};
pub use table::{Column, RecordTable};

use cityrank_gazetteer::Gazetteer;

use crate::generate::ExampleData;
use crate::messy::{Spellings, OUTSIDE};
use crate::rng::Draws;
use payloads::{amount_payloads, count_payloads, weight_payloads};
use sources::{Ctx, PayloadKind};

/// Writes record tables of the example; one per source, any number of replicas
/// (replica 0 is the committed example; replica `r` has the same values with other
/// records, so `k` replicas multiply counts and sums by `k` and keep means).
pub struct RecordGenerator<'a> {
    data: &'a ExampleData,
    seed: u64,
    cities: Vec<Spellings>,
    outside: Vec<Spellings>,
}

impl<'a> RecordGenerator<'a> {
    pub fn new(data: &'a ExampleData, seed: u64) -> RecordGenerator<'a> {
        let g = Gazetteer::bundled();
        RecordGenerator {
            data,
            seed,
            cities: data
                .plan
                .cities
                .iter()
                .map(|c| Spellings::new(g, c.unit))
                .collect(),
            outside: OUTSIDE.iter().map(|&c| Spellings::new(g, c)).collect(),
        }
    }

    /// Values of one indicator in integer units (`None`: not covered).
    fn units(&self, indicator: &str) -> (Vec<Option<i64>>, u32) {
        let j = self
            .data
            .plan
            .indicators
            .iter()
            .position(|i| i.id == indicator)
            .unwrap_or_else(|| panic!("indicator {indicator} is not generated"));
        let decimals = self.data.plan.indicators[j].decimals;
        let q = 10f64.powi(decimals as i32);
        let units = self
            .data
            .values
            .iter()
            .map(|row| row[j].map(|x| (x * q).round() as i64))
            .collect();
        (units, decimals)
    }

    /// Codes of the cities `source` covers (those with a value).
    pub fn covers(&self, source: &SourceDef) -> Vec<u32> {
        let (units, _) = self.units(source.indicator);
        self.data
            .plan
            .cities
            .iter()
            .zip(units)
            .filter(|(_, u)| u.is_some())
            .map(|(c, _)| c.unit)
            .collect()
    }

    /// The table of one source for one replica.
    pub fn table(&self, source: &SourceDef, replica: u32) -> RecordTable {
        let stage = STAGE_RECORDS
            + SOURCES
                .iter()
                .position(|s| s.id == source.id)
                .expect("known source") as u64;
        let seed = self.seed ^ u64::from(replica).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut d = Draws::new(seed, stage);
        let (units, decimals) = self.units(source.indicator);
        if source.id == "search" {
            return self.search(source, &units, decimals, &mut d);
        }
        let recipe = sources::recipe(source.id)
            .unwrap_or_else(|| panic!("no generator for source {}", source.id));
        let payloads = match recipe.payloads {
            PayloadKind::Count => count_payloads(&units),
            PayloadKind::Amounts {
                typical,
                undisclosed,
            } => amount_payloads(&mut d, &units, typical, undisclosed),
            PayloadKind::Weights => weight_payloads(&mut d, &units),
        };
        let rows = self.plan(
            &mut d,
            replica,
            source,
            &units,
            &payloads,
            recipe.noise,
            recipe.dates,
        );
        let ctx = Ctx {
            generator: self,
            decimals,
        };
        self.build(source, rows, &mut d, recipe.names, |r| {
            (recipe.cells)(&ctx, r)
        })
    }
}

/// The stage of the random stream of the first source (each source has its own).
const STAGE_RECORDS: u64 = 100;
