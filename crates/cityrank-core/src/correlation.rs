//! Correlations over pairwise-present values: Pearson, and Spearman as Pearson on average ranks
//! (Spearman 1904, ties sharing the mean of their ranks).

use crate::stats;

/// The pairs where both values are present.
fn pairs(x: &[f64], y: &[f64]) -> (Vec<f64>, Vec<f64>) {
    x.iter()
        .zip(y)
        .filter(|(a, b)| !a.is_nan() && !b.is_nan())
        .map(|(a, b)| (*a, *b))
        .unzip()
}

pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    stats::pearson(x, y)
}

pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (a, b) = pairs(x, y);
    stats::pearson(&average_ranks(&a), &average_ranks(&b))
}

/// Ranks 1..n ascending, ties getting the mean of the ranks they span.
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        idx[i..=j].iter().for_each(|&k| r[k] = avg);
        i = j + 1;
    }
    r
}

/// Rows where every column is present.
pub fn complete_rows(cols: &[&[f64]]) -> Vec<usize> {
    let n = cols.first().map_or(0, |c| c.len());
    (0..n)
        .filter(|&i| cols.iter().all(|c| !c[i].is_nan()))
        .collect()
}

/// The correlation matrix (row-major) of the columns over complete rows.
pub fn correlation_matrix(cols: &[&[f64]]) -> Vec<f64> {
    let rows = complete_rows(cols);
    let sub: Vec<Vec<f64>> = cols
        .iter()
        .map(|c| rows.iter().map(|&i| c[i]).collect())
        .collect();
    let k = cols.len();
    let mut m = vec![0.0; k * k];
    for a in 0..k {
        for b in 0..k {
            m[a * k + b] = if a == b {
                1.0
            } else {
                stats::pearson(&sub[a], &sub[b])
            };
        }
    }
    m
}

/// Cronbach's alpha of the columns over complete rows: k / (k - 1) (1 - sum var_i / var_sum),
/// with n - 1 variances (Cronbach 1951).
pub fn cronbach_alpha(cols: &[&[f64]]) -> f64 {
    let k = cols.len() as f64;
    if k < 2.0 {
        return f64::NAN;
    }
    let rows = complete_rows(cols);
    let var = |v: &[f64]| stats::sd(v).powi(2);
    let items: f64 = cols
        .iter()
        .map(|c| var(&rows.iter().map(|&i| c[i]).collect::<Vec<_>>()))
        .sum();
    let total: Vec<f64> = rows
        .iter()
        .map(|&i| cols.iter().map(|c| c[i]).sum())
        .collect();
    k / (k - 1.0) * (1.0 - items / var(&total))
}
