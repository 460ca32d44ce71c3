//! TOPSIS, as Hwang & Yoon (1981) define it: each criterion normalised, weighted, Euclidean
//! distances to the ideal and the anti-ideal, relative closeness to the ideal. Hwang & Yoon
//! normalise by the vector norm; min-max and sum normalisation are the variants the MCDA
//! libraries offer (pymcdm's TOPSIS defaults to min-max).

use super::best_worst;
use crate::spec::TopsisNormalisation;

/// Relative closeness with Hwang & Yoon's vector normalisation.
pub fn topsis(cols: &[Vec<f64>], w: &[f64], benefit: &[bool]) -> Vec<f64> {
    topsis_with(cols, w, benefit, TopsisNormalisation::Vector)
}

/// Relative closeness C = S- / (S+ + S-) of each alternative, in [0, 1]; 0.5 when the ideal and
/// anti-ideal coincide (all alternatives alike). Vector and min-max normalisation treat every
/// column alike and take the ideal by direction (for min-max, the same as rescaling a cost
/// criterion to (max - x) / (max - min)); sum normalisation turns a cost criterion into
/// (1/x) / sum(1/x), a benefit one, as pymcdm does (x > 0 there). A constant column, or one whose
/// norm or sum is 0, contributes nothing.
pub fn topsis_with(
    cols: &[Vec<f64>],
    w: &[f64],
    benefit: &[bool],
    how: TopsisNormalisation,
) -> Vec<f64> {
    let n = cols[0].len();
    let reciprocal = |c: &Vec<f64>, b: bool| -> (Vec<f64>, bool) {
        match (how, b) {
            (TopsisNormalisation::Sum, false) => (c.iter().map(|x| 1.0 / x).collect(), true),
            _ => (c.clone(), b),
        }
    };
    let (weighted, benefit): (Vec<Vec<f64>>, Vec<bool>) = cols
        .iter()
        .zip(w)
        .zip(benefit)
        .map(|((c, &wj), &b)| {
            let (c, b) = reciprocal(c, b);
            (normalised(&c, how).into_iter().map(|x| wj * x).collect(), b)
        })
        .unzip();
    let ideals: Vec<(f64, f64)> = weighted
        .iter()
        .zip(&benefit)
        .map(|(c, &b)| best_worst(c, b))
        .collect();
    (0..n)
        .map(|i| {
            let (mut plus, mut minus) = (0.0, 0.0);
            for (c, &(best, worst)) in weighted.iter().zip(&ideals) {
                plus += (c[i] - best).powi(2);
                minus += (c[i] - worst).powi(2);
            }
            let (plus, minus) = (plus.sqrt(), minus.sqrt());
            if plus + minus > 0.0 {
                minus / (plus + minus)
            } else {
                0.5
            }
        })
        .collect()
}

/// One criterion normalised; all zeros where the normalisation is undefined.
fn normalised(c: &[f64], how: TopsisNormalisation) -> Vec<f64> {
    let (shift, div) = match how {
        TopsisNormalisation::Vector => (0.0, c.iter().map(|x| x * x).sum::<f64>().sqrt()),
        TopsisNormalisation::Sum => (0.0, c.iter().sum::<f64>()),
        TopsisNormalisation::MinMax => {
            let lo = c.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi - lo)
        }
    };
    let f = if div > 0.0 { 1.0 / div } else { 0.0 };
    c.iter().map(|x| (x - shift) * f).collect()
}
