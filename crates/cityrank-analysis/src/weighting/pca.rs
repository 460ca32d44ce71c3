//! PCA-based weights, after the OECD/JRC Handbook (2008, section 6.1), unrotated variant.
//!
//! On the correlation matrix of the children: components with eigenvalue > 1 are retained
//! (Kaiser; at least the first). Loadings are eigenvector x sqrt(eigenvalue). Within each
//! retained component the squared loadings are scaled to sum to one; each child is assigned to
//! the component on which its squared loading is largest and weighs its scaled squared loading
//! times that component's share of the variance the retained components explain; the weights
//! are then scaled to sum to one. The Handbook rotates the factors (varimax) first; with one
//! retained component the two coincide, and this variant skips the rotation.

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

pub fn pca(cols: &[Vec<f64>]) -> Result<PcaWeights, String> {
    let k = cols.len();
    let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
    let corr: Vec<f64> = correlation_matrix(&refs)
        .into_iter()
        .map(|r| if r.is_nan() { 0.0 } else { r })
        .collect();
    let (values, vectors) = symmetric_eigen(&corr, k);
    let keep = values.iter().take_while(|&&v| v > 1.0).count().max(1);
    let total_kept: f64 = values[..keep].iter().sum();
    let sq: Vec<Vec<f64>> = (0..keep)
        .map(|c| {
            let l: Vec<f64> = vectors[c].iter().map(|v| v * v * values[c]).collect();
            let s: f64 = l.iter().sum();
            l.iter().map(|x| x / s).collect()
        })
        .collect();
    let raw: Vec<f64> = (0..k)
        .map(|j| {
            let best = (0..keep)
                .max_by(|&a, &b| sq[a][j].total_cmp(&sq[b][j]))
                .unwrap_or(0);
            sq[best][j] * values[best] / total_kept
        })
        .collect();
    let weights = super::proportional(&raw, "no component loads on any child")?;
    Ok(PcaWeights {
        weights,
        retained: values[..keep].to_vec(),
        explained: total_kept / k as f64,
    })
}
