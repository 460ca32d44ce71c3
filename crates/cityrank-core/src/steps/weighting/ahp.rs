//! AHP weights from a pairwise comparison matrix (Saaty 1977, 1980): the principal right
//! eigenvector, with the consistency ratio CR = CI / RI, CI = (lambda_max - n) / (n - 1) and
//! Saaty's random index RI. A matrix with CR > 0.1 is refused unless the spec allows it.

/// Saaty's (1980) random consistency index for n = 1 to 15.
pub const RANDOM_INDEX: [f64; 15] = [
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
];

/// The priorities and the consistency of the judgements.
#[derive(Clone, Debug, PartialEq)]
pub struct Ahp {
    pub weights: Vec<f64>,
    pub lambda_max: f64,
    pub ci: f64,
    pub cr: f64,
}

/// Priorities of a positive reciprocal matrix given as rows.
pub fn ahp(rows: &[Vec<f64>]) -> Result<Ahp, String> {
    check(rows)?;
    let n = rows.len();
    let w = principal_eigenvector(rows);
    let aw: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().zip(&w).map(|(a, b)| a * b).sum())
        .collect();
    let lambda_max = aw.iter().zip(&w).map(|(a, b)| a / b).sum::<f64>() / n as f64;
    let ci = if n > 2 {
        (lambda_max - n as f64) / (n as f64 - 1.0)
    } else {
        0.0
    };
    let cr = if n > 2 { ci / RANDOM_INDEX[n - 1] } else { 0.0 };
    Ok(Ahp {
        weights: w,
        lambda_max,
        ci,
        cr,
    })
}

/// Power iteration from equal priorities, normalised to sum one; converges for a positive
/// matrix (Perron-Frobenius).
fn principal_eigenvector(rows: &[Vec<f64>]) -> Vec<f64> {
    let n = rows.len();
    let mut w = vec![1.0 / n as f64; n];
    for _ in 0..1000 {
        let next: Vec<f64> = rows
            .iter()
            .map(|r| r.iter().zip(&w).map(|(a, b)| a * b).sum())
            .collect();
        let s: f64 = next.iter().sum();
        let next: Vec<f64> = next.iter().map(|x| x / s).collect();
        let change: f64 = next.iter().zip(&w).map(|(a, b)| (a - b).abs()).sum();
        w = next;
        if change < 1e-15 {
            break;
        }
    }
    w
}

fn check(rows: &[Vec<f64>]) -> Result<(), String> {
    let n = rows.len();
    if n == 0 || n > RANDOM_INDEX.len() {
        return Err(format!(
            "the pairwise matrix has {n} rows; AHP here takes 1 to {} criteria",
            RANDOM_INDEX.len()
        ));
    }
    for (i, r) in rows.iter().enumerate() {
        if r.len() != n {
            return Err(format!("row {} has {} entries, not {n}", i + 1, r.len()));
        }
        for (j, &a) in r.iter().enumerate() {
            let reciprocal = (a * rows[j][i] - 1.0).abs() < 1e-3;
            if !(a.is_finite() && a > 0.0) || !reciprocal || (i == j && a != 1.0) {
                return Err(format!(
                    "entry ({}, {}) = {a} breaks a positive reciprocal matrix (a_ji must be 1 / a_ij, a_ii = 1)",
                    i + 1,
                    j + 1
                ));
            }
        }
    }
    Ok(())
}
