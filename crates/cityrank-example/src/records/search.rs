//! The search-interest source: a daily series per city rather than one row per counted
//! event, so it has a shape of its own.

use super::dates::day;
use super::rows::Who;
use super::table::{Column, RecordTable};
use super::{RecordGenerator, SourceDef, CUTOFF};
use crate::rng::Draws;

impl RecordGenerator<'_> {
    /// The daily search-interest series: every day of January to June 2020 for each
    /// covered city with interest; the 90 days ending on the cut-off average exactly
    /// the city's value.
    pub(super) fn search(
        &self,
        source: &SourceDef,
        units: &[Option<i64>],
        decimals: u32,
        d: &mut Draws,
    ) -> RecordTable {
        let cutoff = day(CUTOFF);
        let window = source.window_days.expect("a window") as i32;
        let first = day("2020-01-01");
        let last = day("2020-06-30");
        let mut city: Vec<Option<String>> = Vec::new();
        let mut days: Vec<i32> = Vec::new();
        let mut index: Vec<Option<i64>> = Vec::new();
        let mut truth = Vec::new();
        let mut series = |who: Who, level: i64, d: &mut Draws| {
            let inside: Vec<i64> = zero_sum_around(d, level, window as usize);
            let mut k = 0;
            for day in first..=last {
                let v = if day > cutoff - window && day <= cutoff {
                    k += 1;
                    inside[k - 1]
                } else {
                    let trend = if day > cutoff { 1.1 } else { 0.9 };
                    ((level as f64 * trend * (1.0 + 0.2 * d.normal())).round() as i64).max(0)
                };
                city.push(match who {
                    Who::Unresolved => Some("全国".to_string()),
                    _ => self.spell(who, d),
                });
                days.push(day);
                index.push(Some(v));
                truth.push(self.truth(who));
            }
        };
        for (i, u) in units.iter().enumerate() {
            if let Some(level) = *u {
                if level > 0 {
                    series(Who::City(i), level, d);
                }
            }
        }
        // The national series, two cities outside the example, and rows without a city.
        series(Who::Unresolved, 24_000, d);
        series(Who::Outside(0), 310, d);
        series(Who::Outside(6), 95, d);
        for k in 0..3 {
            city.push(None);
            days.push(cutoff - 10 * k);
            index.push(Some(500));
            truth.push(None);
        }
        RecordTable {
            source: *source,
            names: vec!["city", "day", "search_index"],
            columns: vec![
                Column::Text(city),
                Column::Date(days),
                Column::Fixed {
                    units: index,
                    decimals,
                },
            ],
            truth,
        }
    }
}

/// `n` non-negative integers averaging exactly `level`, spread around it.
fn zero_sum_around(d: &mut Draws, level: i64, n: usize) -> Vec<i64> {
    let sd = level as f64 * 0.25;
    let mut v: Vec<i64> = (0..n)
        .map(|_| {
            (level as f64 + sd * d.normal())
                .round()
                .clamp(0.0, 3.0 * level as f64) as i64
        })
        .collect();
    let mut excess: i64 = v.iter().sum::<i64>() - level * n as i64;
    while excess != 0 {
        let i = d.below(n);
        if excess > 0 && v[i] > 0 {
            v[i] -= 1;
            excess -= 1;
        } else if excess < 0 && v[i] < 3 * level {
            v[i] += 1;
            excess += 1;
        }
    }
    v
}
