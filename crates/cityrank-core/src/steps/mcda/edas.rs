//! EDAS, the evaluation based on distance from average solution of Keshavarz Ghorabaee et al.
//! (2015): each alternative's positive and negative distances from the criterion's mean, as
//! shares of the mean, weighted and summed, normalised by their largest values and averaged.

/// The EDAS measures, one value per alternative.
#[derive(Clone, Debug, PartialEq)]
pub struct Edas {
    /// Weighted sum of the positive distances from average, SP.
    pub sp: Vec<f64>,
    /// Weighted sum of the negative distances from average, SN.
    pub sn: Vec<f64>,
    /// Appraisal score AS = (SP / max SP + 1 - SN / max SN) / 2, in [0, 1].
    pub appraisal: Vec<f64>,
}

/// EDAS of a decision matrix whose criterion means are not 0 (a criterion with mean 0
/// contributes nothing). The distances are divided by the mean as the paper does; a negative
/// mean would flip them, so the node check asks for positive scores. When no alternative is above
/// (or below) average anywhere, that normalised sum counts 0 (or 1) for all.
pub fn edas(cols: &[Vec<f64>], w: &[f64], benefit: &[bool]) -> Edas {
    let n = cols[0].len();
    let (mut sp, mut sn) = (vec![0.0; n], vec![0.0; n]);
    for ((c, &wj), &b) in cols.iter().zip(w).zip(benefit) {
        let av = c.iter().sum::<f64>() / n as f64;
        if av == 0.0 {
            continue;
        }
        for i in 0..n {
            let d = if b { c[i] - av } else { av - c[i] } / av;
            sp[i] += wj * d.max(0.0);
            sn[i] += wj * (-d).max(0.0);
        }
    }
    let max_sp = sp.iter().copied().fold(0.0, f64::max);
    let max_sn = sn.iter().copied().fold(0.0, f64::max);
    let appraisal = (0..n)
        .map(|i| {
            let nsp = if max_sp > 0.0 { sp[i] / max_sp } else { 0.0 };
            let nsn = if max_sn > 0.0 {
                1.0 - sn[i] / max_sn
            } else {
                1.0
            };
            (nsp + nsn) / 2.0
        })
        .collect();
    Edas { sp, sn, appraisal }
}
