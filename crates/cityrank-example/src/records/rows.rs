//! The rows of a record table before their cells: whom each is for, when, and whether it
//! counts (or is noise the definitions must remove); then the cells laid out as columns.

use super::days::Days;
use super::payloads::{stochastic_round, Payloads};
use super::table::{Column, RecordTable};
use super::{RecordGenerator, SourceDef};
use crate::messy::{pick_unresolved, OUTSIDE};
use crate::rng::Draws;

/// Rows before their columns: whom they are for, when, and their part.
#[derive(Debug, Clone)]
pub(super) struct Row {
    /// Sequence number within the table, the basis of ids and attributes.
    pub id: u64,
    pub who: Who,
    pub date: i32,
    pub role: Role,
    /// Amount (in units), weight level, or nothing.
    pub payload: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
    /// Index into the candidates.
    City(usize),
    /// Index into `OUTSIDE`.
    Outside(usize),
    /// A string naming no city.
    Unresolved,
    /// An empty cell.
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Passes every filter, dated inside the window.
    Counted,
    /// Dated after the cut-off.
    After,
    /// Dated before the look-back window.
    Before,
    /// Fails the source's filter.
    Failing,
}

/// Noise, as shares of the counted records.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Noise {
    pub after: f64,
    pub before: f64,
    pub failing: f64,
    pub duplicate: f64,
}

const OUTSIDE_SHARE: f64 = 0.03;
const UNRESOLVED_SHARE: f64 = 0.012;
const EMPTY_SHARE: f64 = 0.003;

/// Where counted records fall in time.
pub(super) enum Dates {
    /// Any day from `start` to the cut-off (or the window), later days more likely.
    Range { start: i32 },
    /// One of fixed days (terms, batches): `counted` up to the cut-off, `after` beyond.
    Choices {
        counted: &'static [&'static str],
        after: &'static [&'static str],
    },
}

/// A cell of a row before the city is spelled.
pub(super) enum Cell {
    Text(Option<String>),
    City,
    Int(i64),
    Date(i32),
    Fixed(Option<i64>, u32),
}

impl Cell {
    pub(super) fn text(s: impl Into<String>) -> Cell {
        Cell::Text(Some(s.into()))
    }
}

impl<'a> RecordGenerator<'a> {
    /// Rows of one source: counted rows with their payloads, then noise, shuffled,
    /// numbered, and ordered by date.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn plan(
        &self,
        d: &mut Draws,
        replica: u32,
        source: &SourceDef,
        units: &[Option<i64>],
        payloads: &Payloads,
        noise: Noise,
        dates: Dates,
    ) -> Vec<Row> {
        let recipe = Schedule {
            source,
            payloads,
            noise,
            days: Days::new(dates, source.window_days),
        };
        let mut rows = Planned::default();
        let mut total = 0usize;
        for (i, (unit, counted)) in units.iter().zip(&payloads.counted).enumerate() {
            if unit.is_none() {
                continue; // not covered: the source has no record of the city
            }
            recipe.city_rows(&mut rows, d, Who::City(i), counted);
            total += counted.len();
        }
        recipe.stray_rows(&mut rows, d, total);
        rows.numbered(d, replica)
    }

    /// Spells the cities and lays the cells out as columns.
    pub(super) fn build(
        &self,
        source: &SourceDef,
        rows: Vec<Row>,
        d: &mut Draws,
        names: &[&'static str],
        cells: impl Fn(&Row) -> Vec<Cell>,
    ) -> RecordTable {
        let mut columns: Vec<Column> = Vec::new();
        let mut truth = Vec::with_capacity(rows.len());
        for (n, r) in rows.iter().enumerate() {
            let row = cells(r);
            assert_eq!(row.len(), names.len(), "cells of {}", source.id);
            if n == 0 {
                columns = row
                    .iter()
                    .map(|c| match c {
                        Cell::Text(_) | Cell::City => Column::Text(Vec::new()),
                        Cell::Int(_) => Column::Int(Vec::new()),
                        Cell::Date(_) => Column::Date(Vec::new()),
                        Cell::Fixed(_, decimals) => Column::Fixed {
                            units: Vec::new(),
                            decimals: *decimals,
                        },
                    })
                    .collect();
            }
            for (cell, col) in row.into_iter().zip(columns.iter_mut()) {
                match (cell, col) {
                    (Cell::City, Column::Text(v)) => v.push(self.spell(r.who, d)),
                    (Cell::Text(s), Column::Text(v)) => v.push(s),
                    (Cell::Int(x), Column::Int(v)) => v.push(x),
                    (Cell::Date(x), Column::Date(v)) => v.push(x),
                    (Cell::Fixed(x, _), Column::Fixed { units, .. }) => units.push(x),
                    _ => panic!("cells of {} change type", source.id),
                }
            }
            truth.push(self.truth(r.who));
        }
        RecordTable {
            source: *source,
            names: names.to_vec(),
            columns,
            truth,
        }
    }

    pub(super) fn spell(&self, who: Who, d: &mut Draws) -> Option<String> {
        match who {
            Who::City(i) => Some(self.cities[i].pick(d)),
            Who::Outside(k) => Some(self.outside[k].pick(d)),
            Who::Unresolved => Some(pick_unresolved(d).to_string()),
            Who::Empty => None,
        }
    }

    pub(super) fn truth(&self, who: Who) -> Option<u32> {
        match who {
            Who::City(i) => Some(self.data.plan.cities[i].unit),
            Who::Outside(k) => Some(OUTSIDE[k]),
            Who::Unresolved | Who::Empty => None,
        }
    }

    /// Short Chinese name for names of parks and institutes ("深圳区块链产业园").
    pub(super) fn short_name(&self, who: Who) -> &str {
        match who {
            Who::City(i) => self.cities[i].short_zh(),
            Who::Outside(k) => self.outside[k].short_zh(),
            Who::Unresolved | Who::Empty => "",
        }
    }

    /// The division code inside ids (credit codes, filing numbers); 0 when unknown.
    pub(super) fn area_code(&self, who: Who) -> u32 {
        self.truth(who).unwrap_or(0)
    }
}

/// What the rows of one source are planned from.
struct Schedule<'s> {
    source: &'s SourceDef,
    payloads: &'s Payloads,
    noise: Noise,
    days: Days,
}

impl Schedule<'_> {
    /// The rows of one covered city: its counted rows, then its noise (after the cut-off,
    /// before the window, failing the filter), and duplicates of counted rows.
    fn city_rows(&self, rows: &mut Planned, d: &mut Draws, who: Who, counted: &[Option<i64>]) {
        let first = rows.len();
        for p in counted {
            let date = self.days.counted(d);
            rows.push(who, date, Role::Counted, *p);
        }
        let n = counted.len() as f64;
        self.noise_rows(rows, d, who, n * self.noise.after, Role::After);
        if self.source.window_days.is_some() {
            self.noise_rows(rows, d, who, n * self.noise.before, Role::Before);
        }
        self.noise_rows(rows, d, who, n * self.noise.failing, Role::Failing);
        if counted.is_empty() && d.uniform() < 0.5 {
            // A covered city whose only records are removed: its value is 0.
            let role = if self.noise.failing > 0.0 {
                Role::Failing
            } else {
                Role::After
            };
            let date = self.days.of(role, d);
            rows.push(who, date, role, (self.payloads.noise)(d));
        }
        if self.source.key.is_some() && !counted.is_empty() {
            for _ in 0..stochastic_round(d, n * self.noise.duplicate) {
                rows.duplicate(first + d.below(counted.len()));
            }
        }
    }

    /// About `expected` rows of `who` in the part `role`.
    fn noise_rows(&self, rows: &mut Planned, d: &mut Draws, who: Who, expected: f64, role: Role) {
        for _ in 0..stochastic_round(d, expected) {
            let date = self.days.of(role, d);
            let p = (self.payloads.noise)(d);
            rows.push(who, date, role, p);
        }
    }

    /// Rows of cities outside the example, of strings naming no city, and of empty cells,
    /// as shares of the `total` counted rows.
    fn stray_rows(&self, rows: &mut Planned, d: &mut Draws, total: usize) {
        for (share, kind) in [(OUTSIDE_SHARE, 0), (UNRESOLVED_SHARE, 1), (EMPTY_SHARE, 2)] {
            // At least one of each, so that every source has each kind of stray row.
            for _ in 0..stochastic_round(d, total as f64 * share).max(1) {
                let who = match kind {
                    0 => Who::Outside(d.below(OUTSIDE.len())),
                    1 => Who::Unresolved,
                    _ => Who::Empty,
                };
                let date = self.days.counted(d);
                rows.push(who, date, Role::Counted, (self.payloads.noise)(d));
            }
        }
    }
}

/// Rows being planned, each with the index of the row it duplicates.
#[derive(Default)]
struct Planned {
    rows: Vec<(Row, Option<usize>)>,
}

impl Planned {
    fn len(&self) -> usize {
        self.rows.len()
    }

    fn push(&mut self, who: Who, date: i32, role: Role, payload: Option<i64>) {
        let row = Row {
            id: 0,
            who,
            date,
            role,
            payload,
        };
        self.rows.push((row, None));
    }

    /// A counted copy of row `k`, which will carry its number.
    fn duplicate(&mut self, k: usize) {
        let mut copy = self.rows[k].0.clone();
        copy.role = Role::Counted;
        self.rows.push((copy, Some(k)));
    }

    /// The rows numbered in a random order (so that ids say nothing about the city),
    /// duplicates with the number of their original, ordered by date.
    fn numbered(self, d: &mut Draws, replica: u32) -> Vec<Row> {
        let mut rows = self.rows;
        let mut originals: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].1.is_none()).collect();
        d.shuffle(&mut originals);
        let base = u64::from(replica) * 1_000_000;
        for (n, &i) in originals.iter().enumerate() {
            rows[i].0.id = base + n as u64 + 1;
        }
        for i in 0..rows.len() {
            if let Some(k) = rows[i].1 {
                rows[i].0.id = rows[k].0.id;
            }
        }
        let mut rows: Vec<Row> = rows.into_iter().map(|(r, _)| r).collect();
        rows.sort_by_key(|r| (r.date, r.id));
        rows
    }
}
