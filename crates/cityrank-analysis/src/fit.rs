//! Weights on the simplex (non-negative, summing to one) that best reproduce a target by least
//! squares: projected gradient descent with the exact Euclidean projection onto the simplex
//! (Duchi et al. 2008), step 1/L with L the largest eigenvalue of X'X. The problem is convex,
//! so this converges to the global minimum.

use crate::linalg::symmetric_eigen;

/// Projects `v` onto { w >= 0, sum w = 1 }.
pub fn project_simplex(v: &mut [f64]) {
    let mut u = v.to_vec();
    u.sort_by(|a, b| b.total_cmp(a));
    let (mut cum, mut theta) = (0.0, 0.0);
    for (k, &x) in u.iter().enumerate() {
        cum += x;
        let t = (cum - 1.0) / (k + 1) as f64;
        if x - t > 0.0 {
            theta = t;
        }
    }
    v.iter_mut().for_each(|x| *x = (*x - theta).max(0.0));
}

/// Minimises ||X w - y||^2 over the simplex. `x` holds one row per observation. Returns the
/// weights and the root mean squared residual.
pub fn simplex_least_squares(x: &[Vec<f64>], y: &[f64]) -> (Vec<f64>, f64) {
    let k = x.first().map_or(0, |r| r.len());
    let mut xtx = vec![0.0; k * k];
    let mut xty = vec![0.0; k];
    for (row, &t) in x.iter().zip(y) {
        for a in 0..k {
            xty[a] += row[a] * t;
            for b in 0..k {
                xtx[a * k + b] += row[a] * row[b];
            }
        }
    }
    let l = symmetric_eigen(&xtx, k)
        .0
        .first()
        .copied()
        .unwrap_or(1.0)
        .max(1e-12);
    let mut w = vec![1.0 / k as f64; k];
    let mut g = vec![0.0; k];
    for _ in 0..200_000 {
        for a in 0..k {
            g[a] = (0..k).map(|b| xtx[a * k + b] * w[b]).sum::<f64>() - xty[a];
        }
        let old = w.clone();
        w.iter_mut().zip(&g).for_each(|(wi, gi)| *wi -= gi / l);
        project_simplex(&mut w);
        let moved: f64 = w.iter().zip(&old).map(|(a, b)| (a - b).abs()).sum();
        if moved < 1e-15 {
            break;
        }
    }
    let sse: f64 = x
        .iter()
        .zip(y)
        .map(|(row, t)| (row.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() - t).powi(2))
        .sum();
    (w, (sse / y.len().max(1) as f64).sqrt())
}
