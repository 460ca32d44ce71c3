//! Treat: transforms and outlier treatment.
//!
//! Heavy-tailed indicators (a few cities with most of the patents) would otherwise decide the
//! ranking alone. The transform is the analyst's choice per indicator; the outlier rule is the
//! COINr/GII one, so that results can be compared with theirs.

use crate::error::{BuildError, Location};
use crate::spec::{Outliers, Transform};
use crate::stats;
use serde::Serialize;

/// What treatment did to one indicator.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TreatRecord {
    pub indicator: String,
    pub transform: String,
    pub skew_before: f64,
    pub kurt_before: f64,
    pub skew_after: f64,
    pub kurt_after: f64,
    /// Units whose values were winsorised, with the old and new value.
    pub winsorised: Vec<(usize, f64, f64)>,
    /// The winsorisation did not suffice and the GII log transform was used instead.
    pub log_fallback: bool,
}

/// Applies the transform to a column in place.
pub fn transform(
    col: &mut [f64],
    t: Transform,
    indicator: &str,
    units: &[crate::data::Unit],
) -> Result<(), BuildError> {
    for (i, x) in col.iter_mut().enumerate() {
        if x.is_nan() {
            continue;
        }
        let y = apply(t, *x);
        if !y.is_finite() {
            return Err(BuildError::new(
                Location::Cell {
                    unit: units[i].id.clone(),
                    indicator: indicator.into(),
                },
                format!(
                    "the value {x} is outside the domain of the {} transform",
                    transform_name(t)
                ),
                domain_hint(t),
            ));
        }
        *x = y;
    }
    Ok(())
}

/// The transform of one value; non-finite where the value is outside its domain.
pub fn apply(t: Transform, x: f64) -> f64 {
    let nan_unless = |ok: bool, v: f64| if ok { v } else { f64::NAN };
    match t {
        Transform::None => x,
        Transform::Log => nan_unless(x > 0.0, x.ln()),
        Transform::Log1p => nan_unless(x > -1.0, x.ln_1p()),
        Transform::LogShift { a } => nan_unless(x + a > 0.0, (x + a).ln()),
        Transform::Sqrt => nan_unless(x >= 0.0, x.sqrt()),
        Transform::BoxCox { lambda: 0.0 } => nan_unless(x > 0.0, x.ln()),
        Transform::BoxCox { lambda } => nan_unless(x > 0.0, (x.powf(lambda) - 1.0) / lambda),
    }
}

pub fn transform_name(t: Transform) -> String {
    match t {
        Transform::None => "none".into(),
        Transform::Log => "log".into(),
        Transform::Log1p => "log1p".into(),
        Transform::LogShift { a } => format!("ln(x + {a})"),
        Transform::Sqrt => "sqrt".into(),
        Transform::BoxCox { lambda } => format!("box_cox({lambda})"),
    }
}

fn domain_hint(t: Transform) -> &'static str {
    match t {
        Transform::Log | Transform::BoxCox { .. } => {
            "log and Box-Cox need values > 0: use `log1p` or `{ method = \"log_shift\", a = ... }` for data with zeros, or correct the value"
        }
        Transform::Sqrt => "sqrt needs values >= 0: correct the value or choose another transform",
        _ => "choose a shift `a` larger than minus the smallest value, or correct the value",
    }
}

/// Applies the outlier rule to a column in place and records what it did.
///
/// The rule is COINr's `Treat` with its defaults (COINr 1.1.14, also `qTreat`): an indicator
/// passes when |skewness| < `max_skew` or kurtosis < `max_kurt`; one that fails is winsorised
/// (see [`winsorise`]); if it still fails, the winsorisation is undone and COINr's `log_CT`
/// transform is applied to the original values instead ([`log_ct`]).
pub fn treat_outliers(col: &mut [f64], rule: Outliers, rec: &mut TreatRecord) {
    treat_outliers_with(col, rule, rec, &mut Vec::new());
}

/// [`treat_outliers`] with `original` as a reusable buffer for the column before
/// winsorisation: a build treats every indicator.
pub fn treat_outliers_with(
    col: &mut [f64],
    rule: Outliers,
    rec: &mut TreatRecord,
    original: &mut Vec<f64>,
) {
    // Skewness and kurtosis are taken once per state of the column (one pass each).
    let before = stats::skew_kurt(col);
    (rec.skew_before, rec.kurt_before) = before;
    let mut after = before;
    if let Outliers::SkewKurt {
        max_skew,
        max_kurt,
        max_points,
        log_fallback,
    } = rule
    {
        let flagged = |(s, k): (f64, f64)| s.abs() >= max_skew && k >= max_kurt;
        if flagged(before) {
            original.clear();
            original.extend_from_slice(col);
            after = winsorise(col, max_points, before, &flagged);
            rec.winsorised = original
                .iter()
                .zip(col.iter())
                .enumerate()
                .filter(|(_, (a, b))| !a.is_nan() && a != b)
                .map(|(i, (a, b))| (i, *a, *b))
                .collect();
            if flagged(after) && log_fallback {
                col.copy_from_slice(original);
                rec.winsorised.clear();
                log_ct(col);
                rec.log_fallback = true;
                after = stats::skew_kurt(col);
            }
        }
    }
    (rec.skew_after, rec.kurt_after) = after;
}

/// COINr's winsorisation loop. While the column is flagged and fewer than `max_points` points
/// are counted: on the side of the skew (high when skewness >= 0), every unit at the extreme
/// value takes the next value. As in COINr, the count is the number of units moved in the last
/// high round plus those in the last low round; since the units moved earlier sit at the extreme
/// again, a one-sided run of k rounds moves and counts k units (more with ties). `sk` is the
/// column's skewness and kurtosis on entry; returns them on exit.
fn winsorise(
    col: &mut [f64],
    max_points: usize,
    mut sk: (f64, f64),
    flagged: &dyn Fn((f64, f64)) -> bool,
) -> (f64, f64) {
    let (mut last_high, mut last_low) = (0usize, 0usize);
    while last_high + last_low < max_points && flagged(sk) {
        let high = sk.0 >= 0.0;
        let extreme = if high {
            stats::max(col)
        } else {
            stats::min(col)
        };
        let next = col
            .iter()
            .copied()
            .filter(|v| !v.is_nan() && *v != extreme)
            .fold(f64::NAN, |a, v| if high { a.max(v) } else { a.min(v) });
        if next.is_nan() {
            break;
        }
        let mut moved = 0;
        for v in col.iter_mut().filter(|v| **v == extreme) {
            *v = next;
            moved += 1;
        }
        if high {
            last_high = moved;
        } else {
            last_low = moved;
        }
        sk = stats::skew_kurt(col);
    }
    sk
}

/// COINr's `log_CT` (its default second treatment): ln(x - min + 0.01 (max - min)).
pub fn log_ct(col: &mut [f64]) {
    let (lo, hi) = (stats::min(col), stats::max(col));
    if !(hi > lo) {
        return;
    }
    let shift = 0.01 * (hi - lo);
    for v in col.iter_mut().filter(|v| !v.is_nan()) {
        *v = (*v - lo + shift).ln();
    }
}

/// The GII's log transform for skewed indicators: ln((max - 1)(x - min) / (max - min) + 1).
/// Not used by the outlier rule (COINr's default fallback is [`log_ct`]); kept for callers.
pub fn gii_log(col: &mut [f64]) {
    let (lo, hi) = (stats::min(col), stats::max(col));
    if !(hi > lo) {
        return;
    }
    for v in col.iter_mut().filter(|v| !v.is_nan()) {
        *v = ((hi - 1.0) * (*v - lo) / (hi - lo) + 1.0).ln();
    }
}
