//! Descriptive statistics over columns with missing values (`NaN` is skipped).
//!
//! Skewness and kurtosis are the sample-adjusted forms of Excel's SKEW and KURT, which COINr and
//! the GII use for the outlier rule; matching them matters because the rule's thresholds were set
//! with them.

use crate::powers;

pub fn present(x: &[f64]) -> impl Iterator<Item = f64> + '_ {
    x.iter().copied().filter(|v| !v.is_nan())
}

pub fn count(x: &[f64]) -> usize {
    present(x).count()
}

pub fn mean(x: &[f64]) -> f64 {
    let (s, n) = present(x).fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

/// Standard deviation with the n-1 denominator.
pub fn sd(x: &[f64]) -> f64 {
    let m = mean(x);
    let n = count(x);
    if n < 2 {
        return f64::NAN;
    }
    (present(x).map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
}

pub fn min(x: &[f64]) -> f64 {
    present(x).fold(f64::NAN, f64::min)
}

pub fn max(x: &[f64]) -> f64 {
    present(x).fold(f64::NAN, f64::max)
}

/// Median of the present values.
pub fn median(x: &[f64]) -> f64 {
    let mut v: Vec<f64> = present(x).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Sums of the 2nd, 3rd and 4th powers of the deviations from the mean, and the count. The
/// powers are `pow`'s, as R's `^` takes them ([`crate::powers`]).
fn central_sums(x: &[f64]) -> (f64, f64, f64, f64) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU has FMA, checked just above.
            return unsafe { central_sums_fma(x) };
        }
    }
    central_sums_by(x, powers::cubes_fourths)
}

/// [`central_sums`] with the powers' exact products by fused multiply-add (the same bits).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
unsafe fn central_sums_fma(x: &[f64]) -> (f64, f64, f64, f64) {
    central_sums_by(x, powers::cubes_fourths_fma)
}

/// The deviations' powers are taken a block at a time (in vector lanes), then summed in the
/// column's order, as one sum per moment would take them.
#[inline(always)]
fn central_sums_by(
    x: &[f64],
    powers: impl Fn(&[f64], &mut [f64], &mut [f64]),
) -> (f64, f64, f64, f64) {
    const BLOCK: usize = 64;
    let m = mean(x);
    let (mut m2, mut m3, mut m4, mut n) = (0.0, 0.0, 0.0, 0.0);
    let (mut d, mut c3, mut c4) = ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
    for block in x.chunks(BLOCK) {
        let len = block.len();
        for (d, &v) in d.iter_mut().zip(block) {
            *d = v - m;
        }
        powers(&d[..len], &mut c3[..len], &mut c4[..len]);
        for i in 0..len {
            if !block[i].is_nan() {
                m2 += d[i] * d[i];
                m3 += c3[i];
                m4 += c4[i];
                n += 1.0;
            }
        }
    }
    (n, m2, m3, m4)
}

/// Sample skewness, as Excel's SKEW: n / ((n-1)(n-2)) * sum(((x - mean) / sd)^3), computed in
/// COINr's order (its `skew`, from e1071's type 2) so that threshold decisions agree with it.
pub fn skewness(x: &[f64]) -> f64 {
    skew_kurt(x).0
}

/// Sample excess kurtosis, as Excel's KURT, computed in COINr's order (its `kurt`).
pub fn kurtosis(x: &[f64]) -> f64 {
    skew_kurt(x).1
}

/// [`skewness`] and [`kurtosis`] from one pass over the column, as the outlier rule needs both.
pub fn skew_kurt(x: &[f64]) -> (f64, f64) {
    let (n, m2, m3, m4) = central_sums(x);
    let skew = if n < 3.0 || m2 == 0.0 {
        f64::NAN
    } else {
        let y = n.sqrt() * m3 / m2.powf(1.5);
        y * (n * (n - 1.0)).sqrt() / (n - 2.0)
    };
    let kurt = if n < 4.0 || m2 == 0.0 {
        f64::NAN
    } else {
        let r = n * m4 / (m2 * m2);
        ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0))
    };
    (skew, kurt)
}

/// Pearson correlation over the pairs where both are present.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .collect();
    let n = pairs.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in &pairs {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    sxy / (sxx * syy).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_skew_and_kurt_on_a_worked_example() {
        // Excel: SKEW(3,4,5,2,3,4,5,6,4,7) = 0.359543; KURT(...) = -0.151799637.
        let x = [3.0, 4.0, 5.0, 2.0, 3.0, 4.0, 5.0, 6.0, 4.0, 7.0];
        assert!((skewness(&x) - 0.359543).abs() < 1e-6);
        assert!((kurtosis(&x) + 0.151799637).abs() < 1e-8);
    }

    #[test]
    fn missing_values_are_skipped() {
        let x = [1.0, f64::NAN, 3.0];
        assert_eq!(mean(&x), 2.0);
        assert_eq!(count(&x), 2);
        assert_eq!(median(&[4.0, 1.0, f64::NAN, 2.0, 3.0]), 2.5);
        assert!((sd(&x) - 2f64.sqrt()).abs() < 1e-12);
    }
}
