//! PCA-based weights, after the OECD/JRC Handbook (2008, section 6.1), unrotated or varimax-rotated.
//!
//! On the correlation matrix of the children: components with eigenvalue > 1 are retained
//! (Kaiser; at least the first). Loadings are eigenvector x sqrt(eigenvalue). Within each
//! retained component the squared loadings are scaled to sum to one; each child is assigned to
//! the component on which its squared loading is largest and weighs its scaled squared loading
//! times that component's share of the variance the retained components explain; the weights
//! are then scaled to sum to one. `pca_varimax` rotates the retained components (varimax) first,
//! as the Handbook does, and uses the rotated components' variances; with one retained
//! component the two coincide.

use crate::correlation::correlation_matrix;
use crate::linalg::symmetric_eigen;

/// The weights and what they rest on.
#[derive(Clone, Debug, PartialEq)]
pub struct PcaWeights {
    pub weights: Vec<f64>,
    /// Eigenvalues of the retained components.
    pub retained: Vec<f64>,
    /// Share of the total variance they explain.
    pub explained: f64,
}

/// PCA weights of the children `cols` (complete rows); `rotate` applies varimax to the
/// retained components first.
pub fn pca(cols: &[Vec<f64>], rotate: bool) -> Result<PcaWeights, String> {
    let k = cols.len();
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let corr: Vec<f64> = correlation_matrix(&refs)
        .into_iter()
        .map(|r| if r.is_nan() { 0.0 } else { r })
        .collect();
    let (values, vectors) = symmetric_eigen(&corr, k);
    let keep = values.iter().take_while(|&&v| v > 1.0).count().max(1);
    let total_kept: f64 = values[..keep].iter().sum();
    // Loadings, one column per retained component.
    let mut loadings: Vec<Vec<f64>> = (0..keep)
        .map(|c| {
            vectors[c]
                .iter()
                .map(|v| v * values[c].max(0.0).sqrt())
                .collect()
        })
        .collect();
    if rotate {
        loadings = varimax(&loadings);
    }
    // A component's variance is the sum of its squared loadings (its eigenvalue unrotated).
    let variance: Vec<f64> = loadings
        .iter()
        .map(|l| l.iter().map(|x| x * x).sum())
        .collect();
    let sq: Vec<Vec<f64>> = loadings
        .iter()
        .zip(&variance)
        .map(|(l, v)| l.iter().map(|x| x * x / v).collect())
        .collect();
    let raw: Vec<f64> = (0..k)
        .map(|j| {
            let best = (0..keep)
                .max_by(|&a, &b| sq[a][j].total_cmp(&sq[b][j]))
                .unwrap_or(0);
            sq[best][j] * variance[best] / total_kept
        })
        .collect();
    let weights = super::proportional(&raw, "no component loads on any child")?;
    Ok(PcaWeights {
        weights,
        retained: values[..keep].to_vec(),
        explained: total_kept / k as f64,
    })
}

/// Varimax rotation (Kaiser 1958) of loadings given as columns, with Kaiser normalisation:
/// the iteration of R's `stats::varimax` (each step the orthogonal polar factor of
/// `t(x) %*% (z^3 - z %*% diag(colSums(z^2)) / p)`, stopping when the criterion grows by
/// less than a relative 1e-5), so that results can be checked against R.
pub fn varimax(columns: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let m = columns.len();
    if m < 2 {
        return columns.to_vec();
    }
    let p = columns[0].len();
    // Rows scaled to unit length (Kaiser normalisation).
    let scale: Vec<f64> = (0..p)
        .map(|i| columns.iter().map(|c| c[i] * c[i]).sum::<f64>().sqrt())
        .collect();
    let x: Vec<Vec<f64>> = (0..p)
        .map(|i| {
            let s = if scale[i] > 0.0 { scale[i] } else { 1.0 };
            columns.iter().map(|c| c[i] / s).collect()
        })
        .collect();
    let mut t = identity(m);
    let mut d = 0.0;
    for _ in 0..1000 {
        let z = mul_rows(&x, &t);
        let col_sq: Vec<f64> = (0..m)
            .map(|j| z.iter().map(|r| r[j] * r[j]).sum::<f64>() / p as f64)
            .collect();
        // B = t(x) %*% (z^3 - z diag(col_sq)), m x m.
        let mut b = vec![0.0; m * m];
        for (xr, zr) in x.iter().zip(&z) {
            for a in 0..m {
                for c in 0..m {
                    b[a * m + c] += xr[a] * (zr[c].powi(3) - zr[c] * col_sq[c]);
                }
            }
        }
        let (polar, singular_sum) = polar_factor(&b, m);
        t = polar;
        let past = d;
        d = singular_sum;
        if d < past * (1.0 + 1e-5) {
            break;
        }
    }
    let z = mul_rows(&x, &t);
    (0..m)
        .map(|j| (0..p).map(|i| z[i][j] * scale[i]).collect())
        .collect()
}

fn identity(m: usize) -> Vec<Vec<f64>> {
    (0..m)
        .map(|i| (0..m).map(|j| f64::from(u8::from(i == j))).collect())
        .collect()
}

/// `rows` (p x m) times `t` (m x m).
fn mul_rows(rows: &[Vec<f64>], t: &[Vec<f64>]) -> Vec<Vec<f64>> {
    rows.iter()
        .map(|r| {
            (0..t.len())
                .map(|j| r.iter().zip(t).map(|(a, tr)| a * tr[j]).sum())
                .collect()
        })
        .collect()
}

/// The orthogonal factor U V' of the SVD of the m x m matrix `b` (row-major), as
/// B (B'B)^(-1/2), and the sum of B's singular values.
fn polar_factor(b: &[f64], m: usize) -> (Vec<Vec<f64>>, f64) {
    let mut btb = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..m {
            btb[i * m + j] = (0..m).map(|k| b[k * m + i] * b[k * m + j]).sum();
        }
    }
    let (values, vectors) = symmetric_eigen(&btb, m);
    let singular_sum = values.iter().map(|v| v.max(0.0).sqrt()).sum();
    // (B'B)^(-1/2) = V diag(1/sqrt(lambda)) V'.
    let mut inv_sqrt = vec![0.0; m * m];
    for (lambda, v) in values.iter().zip(&vectors) {
        let f = if *lambda > 0.0 {
            1.0 / lambda.sqrt()
        } else {
            0.0
        };
        for i in 0..m {
            for j in 0..m {
                inv_sqrt[i * m + j] += f * v[i] * v[j];
            }
        }
    }
    let polar = (0..m)
        .map(|i| {
            (0..m)
                .map(|j| (0..m).map(|k| b[i * m + k] * inv_sqrt[k * m + j]).sum())
                .collect()
        })
        .collect();
    (polar, singular_sum)
}
