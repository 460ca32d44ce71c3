//! Normalise: put indicators in different units on one scale, oriented so that higher is better.

use crate::error::{BuildError, Location};
use crate::spec::{Direction, Normalise, PercentileTies, SdDivisor, Transform};
use crate::stats;
use crate::steps::treat;

/// Normalises a treated column into `out`. `transform` is the indicator's transform, applied to
/// goalposts and targets given in raw units.
pub fn normalise(
    col: &[f64],
    out: &mut [f64],
    method: Normalise,
    direction: Direction,
    transform: Transform,
    indicator: &str,
) -> Result<(), BuildError> {
    let s = direction.sign();
    let err = |msg: String, hint: &str| {
        Err(BuildError::new(
            Location::Column(indicator.into()),
            msg,
            hint,
        ))
    };
    let (lo, hi) = (stats::min(col), stats::max(col));
    match method {
        // Values already on a score scale; a lower-is-better one is reversed in sign so that
        // higher is better here too (an MCDA node then treats it as a cost criterion).
        Normalise::None => map(col, out, |x| s * x),
        Normalise::MinMax { low, high } => {
            if !(hi > lo) {
                return err(
                    format!("all units have the same value ({lo}), so min-max normalisation divides by zero"),
                    "drop the indicator, or use a normalisation with fixed goalposts",
                );
            }
            map(col, out, |x| {
                let t = if s > 0.0 {
                    (x - lo) / (hi - lo)
                } else {
                    (hi - x) / (hi - lo)
                };
                low + t * (high - low)
            });
        }
        Normalise::RatioToMax => {
            if s > 0.0 {
                if !(hi > 0.0) {
                    return err(
                        format!("the leader's value is {hi}, so a ratio to it is undefined"),
                        "ratio to the leader needs a positive maximum; use min_max",
                    );
                }
                map(col, out, |x| 100.0 * x / hi);
            } else {
                if !(lo > 0.0) {
                    return err(format!("the best (lowest) value is {lo}; a lower-is-better ratio needs values > 0"), "use min_max for this indicator");
                }
                map(col, out, |x| 100.0 * lo / x);
            }
        }
        Normalise::Goalposts {
            best,
            worst,
            scale,
            clip,
        } => {
            let (b, w) = (
                treat::apply(transform, best),
                treat::apply(transform, worst),
            );
            if !(b.is_finite() && w.is_finite()) || b == w {
                return err(format!("the goalposts {best} and {worst} are outside the transform's domain or equal after it"), "choose goalposts inside the domain of the transform");
            }
            map(col, out, |x| {
                let v = scale * (x - w) / (b - w);
                if clip {
                    v.clamp(0.0, scale)
                } else {
                    v
                }
            });
        }
        Normalise::ZScore { mean, sd, divisor } => {
            let d = match divisor {
                SdDivisor::NMinus1 => stats::sd(col),
                SdDivisor::N => population_sd(col),
            };
            let m = stats::mean(col);
            if !(d > 0.0) {
                return err(
                    "the indicator has no variance, so its z-score is undefined".into(),
                    "drop the indicator or use fixed goalposts",
                );
            }
            map(col, out, |x| mean + sd * s * (x - m) / d);
        }
        Normalise::Percentile { scale, ties } => percentile(col, out, s, scale, ties),
        Normalise::DistanceToTarget { target, scale, cap } => {
            let t = treat::apply(transform, target);
            let far = if s > 0.0 { lo } else { hi };
            // A target on the worst side of the worst value would turn the scale round.
            if !(t.is_finite() && s * (t - far) > 0.0) {
                let side = if s > 0.0 {
                    "above the lowest"
                } else {
                    "below the highest"
                };
                return err(
                    format!("the target {target} is not {side} value ({far}, after the transform), so the distance to it would not grow with a better value"),
                    &format!("choose a target {side} value, in raw units, inside the transform's domain"),
                );
            }
            map(col, out, |x| {
                let v = scale * (x - far) / (t - far);
                if cap {
                    v.min(scale)
                } else {
                    v
                }
            });
        }
        Normalise::Sum => {
            if s > 0.0 {
                if !(lo >= 0.0 && hi > 0.0) {
                    return err(format!("the values run from {lo} to {hi}; shares of a sum need values >= 0, not all 0"), "use min_max, or shift the values with `transform = { method = \"log_shift\", a = ... }`");
                }
                let total: f64 = present(col).sum();
                map(col, out, |x| x / total);
            } else {
                if !(lo > 0.0) {
                    return err(format!("the lowest value is {lo}; the lower-is-better sum normalisation (1/x) / sum(1/x) needs values > 0"), "use min_max for this indicator");
                }
                let total: f64 = present(col).map(|x| 1.0 / x).sum();
                map(col, out, |x| (1.0 / x) / total);
            }
        }
        Normalise::Vector => {
            let norm = present(col).map(|x| x * x).sum::<f64>().sqrt();
            if !(norm > 0.0 && norm.is_finite()) {
                return err(
                    format!("the vector norm of the values is {norm}"),
                    "vector normalisation needs a column that is not all 0; use min_max",
                );
            }
            if s > 0.0 {
                map(col, out, |x| x / norm);
            } else {
                map(col, out, |x| 1.0 - x / norm);
            }
        }
    }
    Ok(())
}

fn present(col: &[f64]) -> impl Iterator<Item = f64> + '_ {
    col.iter().copied().filter(|x| !x.is_nan())
}

/// The standard deviation with divisor n (the population formula).
fn population_sd(col: &[f64]) -> f64 {
    let n = stats::count(col) as f64;
    let m = stats::mean(col);
    (present(col).map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt()
}

fn map(col: &[f64], out: &mut [f64], f: impl Fn(f64) -> f64) {
    for (o, &x) in out.iter_mut().zip(col) {
        *o = if x.is_nan() { f64::NAN } else { f(x) };
    }
}

/// (rank - 1) / (n - 1) over the present units, ranks ascending (the worst is rank 1): with
/// `average` ties that is the share of the other units a unit beats, ties counting half; with
/// `min` ties, the share it beats outright.
fn percentile(col: &[f64], out: &mut [f64], s: f64, scale: f64, tie_rule: PercentileTies) {
    let n = stats::count(col);
    for (o, &x) in out.iter_mut().zip(col) {
        if x.is_nan() {
            *o = f64::NAN;
            continue;
        }
        if n < 2 {
            *o = scale;
            continue;
        }
        let (mut below, mut ties) = (0.0, 0.0);
        for &y in col.iter().filter(|y| !y.is_nan()) {
            let d = s * (x - y);
            if d > 0.0 {
                below += 1.0;
            } else if d == 0.0 {
                ties += 1.0;
            }
        }
        let tied = match tie_rule {
            PercentileTies::Average => 0.5 * (ties - 1.0),
            PercentileTies::Min => 0.0,
        };
        *o = scale * (below + tied) / (n - 1) as f64;
    }
}
