//! What the counted rows of a source carry: nothing (a count), amounts adding up to a
//! city's total, or issuing levels whose weights add up to its weighted count.

use std::collections::BTreeSet;

use crate::rng::Draws;

/// The payloads of the counted rows of each city, and a draw for noise rows.
pub(super) struct Payloads {
    pub counted: Vec<Vec<Option<i64>>>,
    pub noise: fn(&mut Draws) -> Option<i64>,
}

/// One counted row per unit of a count.
pub(super) fn count_payloads(units: &[Option<i64>]) -> Payloads {
    Payloads {
        counted: units
            .iter()
            .map(|u| vec![None; u.unwrap_or(0).max(0) as usize])
            .collect(),
        noise: |_| None,
    }
}

/// Amounts adding up to each city's total (about `typical` units each, 0.01 million
/// CNY a unit), plus a share
/// of records whose amount is undisclosed (empty, adding nothing).
pub(super) fn amount_payloads(
    d: &mut Draws,
    units: &[Option<i64>],
    typical: i64,
    undisclosed: f64,
) -> Payloads {
    let counted = units
        .iter()
        .map(|u| {
            let Some(total) = *u else { return Vec::new() };
            let mut out: Vec<Option<i64>> = if total > 0 {
                let k = 1 + ((total as f64 / typical as f64) * (0.5 + d.uniform())) as i64;
                partition(d, total, k.min(total))
                    .into_iter()
                    .map(Some)
                    .collect()
            } else {
                Vec::new()
            };
            let n_hidden = stochastic_round(d, out.len().max(1) as f64 * undisclosed);
            out.extend(std::iter::repeat_n(None, n_hidden));
            d.shuffle(&mut out);
            out
        })
        .collect();
    Payloads {
        counted,
        noise: |d| Some(1 + (d.uniform() * 30_000.0) as i64),
    }
}

/// Issuing levels whose weights add up to each city's weighted count.
pub(super) fn weight_payloads(d: &mut Draws, units: &[Option<i64>]) -> Payloads {
    let counted = units
        .iter()
        .map(|u| {
            let mut rest = u.unwrap_or(0);
            let mut out = Vec::new();
            while rest > 0 {
                let x = d.uniform();
                let w = if x < 0.08 {
                    4
                } else if x < 0.28 {
                    3
                } else if x < 0.70 {
                    2
                } else {
                    1
                };
                let w = w.min(rest);
                out.push(Some(w));
                rest -= w;
            }
            out
        })
        .collect();
    Payloads {
        counted,
        noise: |d| Some(1 + d.below(4) as i64),
    }
}

/// `total` split into `k` positive parts at random cut points.
fn partition(d: &mut Draws, total: i64, k: i64) -> Vec<i64> {
    let mut cuts = BTreeSet::new();
    while (cuts.len() as i64) < k - 1 {
        cuts.insert(1 + (d.uniform() * (total - 1) as f64) as i64);
    }
    let mut out = Vec::with_capacity(k as usize);
    let mut prev = 0;
    for c in cuts.into_iter().chain(std::iter::once(total)) {
        out.push(c - prev);
        prev = c;
    }
    out
}

pub(super) fn stochastic_round(d: &mut Draws, x: f64) -> usize {
    let f = x.floor();
    f as usize + usize::from(d.uniform() < x - f)
}
