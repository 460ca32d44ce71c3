//! The record sources that have one row per counted event, one file each, as data: how much
//! noise each has, when its records fall, what its counted rows carry, and how a row is
//! written. `RecordGenerator::table` runs them all the same way; only the search series
//! (`search.rs`) has a shape of its own.

mod adoption;
mod courses;
mod deals;
mod events;
mod filings;
mod firms;
mod funds;
mod institutes;
mod news;
mod papers;
mod parks;
mod patents;
mod pilots;
mod policies;
mod social;

use super::rows::{Cell, Dates, Noise, Row, Who};
use super::RecordGenerator;

/// How one source's table is generated.
pub(super) struct Recipe {
    pub noise: Noise,
    pub dates: Dates,
    pub payloads: PayloadKind,
    /// Column names, in file order.
    pub names: &'static [&'static str],
    /// The cells of a row, in the order of `names`.
    pub cells: fn(&Ctx, &Row) -> Vec<Cell>,
}

/// What the counted rows of a source carry.
pub(super) enum PayloadKind {
    /// Nothing: the value is the number of rows.
    Count,
    /// Amounts adding up to the value, about `typical` units each, with a share of rows
    /// whose amount is undisclosed.
    Amounts { typical: i64, undisclosed: f64 },
    /// Issuing levels whose weights add up to the value.
    Weights,
}

/// What a row's cells may read beside the row: the generator's city names and codes, and the
/// decimals of the source's indicator.
pub(super) struct Ctx<'a> {
    pub generator: &'a RecordGenerator<'a>,
    pub decimals: u32,
}

impl Ctx<'_> {
    pub fn short_name(&self, who: Who) -> &str {
        self.generator.short_name(who)
    }

    pub fn area_code(&self, who: Who) -> u32 {
        self.generator.area_code(who)
    }
}

/// The recipe of source `id`, if it is one of the sources with one row per event.
pub(super) fn recipe(id: &str) -> Option<Recipe> {
    let make: fn() -> Recipe = match id {
        "patents" => patents::recipe,
        "papers" => papers::recipe,
        "courses" => courses::recipe,
        "institutes" => institutes::recipe,
        "firms" => firms::recipe,
        "filings" => filings::recipe,
        "deals" => deals::recipe,
        "adoption" => adoption::recipe,
        "news" => news::recipe,
        "events" => events::recipe,
        "social" => social::recipe,
        "policies" => policies::recipe,
        "funds" => funds::recipe,
        "pilots" => pilots::recipe,
        "parks" => parks::recipe,
        _ => return None,
    };
    Some(make())
}

/// What every source file uses.
mod prelude {
    pub(super) use super::super::dates::{day, format_date, year_of};
    pub(super) use super::super::rows::{Cell, Dates, Noise, Role, Row};
    pub(super) use super::super::words::{attr, credit_code, pick};
    pub(super) use super::{Ctx, PayloadKind, Recipe};
}
