//! Statistical coherence, the checks of a JRC audit: does each indicator move with its
//! dimension and the index, are some pairs redundant, how much does each one actually drive
//! the index compared with its nominal weight, and what happens to the ranking without it.

use crate::correlation::{correlation_matrix, cronbach_alpha, pearson, spearman};
use crate::linalg::symmetric_eigen;
use crate::model::Model;
use crate::sensitivity::mean_abs_shift;
use cityrank_core::steps::weight;
use cityrank_core::{BuildError, Framework, Results};
use serde::Serialize;

/// Below this correlation with its parent an indicator is flagged as weak.
pub const WEAK: f64 = 0.3;
/// Above this correlation two siblings are flagged as redundant.
pub const REDUNDANT: f64 = 0.92;

#[derive(Clone, Debug, Serialize)]
pub struct Pair {
    pub a: String,
    pub b: String,
    /// indicator-parent, indicator-index, within-parent, dimension-index.
    pub relation: &'static str,
    pub pearson: f64,
    pub spearman: f64,
    pub flag: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Pca {
    pub node: String,
    pub cronbach_alpha: f64,
    pub complete_units: usize,
    pub eigenvalues: Vec<f64>,
    pub variance_shares: Vec<f64>,
    /// Loadings of the first component, one per column (sign: mostly positive).
    pub columns: Vec<String>,
    pub loadings_pc1: Vec<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Importance {
    pub indicator: String,
    /// Product of nominal weights up to the index.
    pub nominal_weight: f64,
    /// Squared Pearson correlation with the index.
    pub r2_index: f64,
    /// `r2_index` as a share of the sum over indicators, comparable with the weights.
    pub effective_share: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Removal {
    pub removed: String,
    pub level: u32,
    pub mean_abs_shift: f64,
    pub max_abs_shift: u32,
    /// The unit that moves most, and its nominal and new ranks.
    pub most_moved: String,
    pub from: u32,
    pub to: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Coherence {
    pub pairs: Vec<Pair>,
    pub pca: Vec<Pca>,
    pub importance: Vec<Importance>,
    pub removal: Vec<Removal>,
}

pub fn analyse(fw: &Framework, res: &Results, model: &Model) -> Result<Coherence, BuildError> {
    Ok(Coherence {
        pairs: pairs(fw, res),
        pca: pca_all(fw, res),
        importance: importance(fw, res),
        removal: removal(fw, model)?,
    })
}

fn pair(res: &Results, fw: &Framework, a: usize, b: usize, relation: &'static str) -> Pair {
    let (x, y) = (res.scores.col(a), res.scores.col(b));
    let (p, s) = (pearson(x, y), spearman(x, y));
    let flag = match relation {
        "within-parent" if p > REDUNDANT => "redundant (> 0.92)",
        "within-parent" => "",
        _ if p < 0.0 => "negative",
        _ if p < WEAK => "weak (< 0.3)",
        _ => "",
    };
    Pair {
        a: fw.nodes[a].id.clone(),
        b: fw.nodes[b].id.clone(),
        relation,
        pearson: p,
        spearman: s,
        flag: flag.into(),
    }
}

fn pairs(fw: &Framework, res: &Results) -> Vec<Pair> {
    let mut out = Vec::new();
    for j in 0..fw.n_indicators {
        if let Some(p) = fw.nodes[j].parent {
            out.push(pair(res, fw, j, p, "indicator-parent"));
        }
        if fw.nodes[j].parent != Some(fw.root) {
            out.push(pair(res, fw, j, fw.root, "indicator-index"));
        }
    }
    for &p in &fw.bottom_up {
        let kids = &fw.nodes[p].children;
        for (x, &a) in kids.iter().enumerate() {
            for &b in &kids[x + 1..] {
                out.push(pair(res, fw, a, b, "within-parent"));
            }
        }
    }
    for &d in fw.dimensions() {
        if d >= fw.n_indicators {
            out.push(pair(res, fw, d, fw.root, "dimension-index"));
        }
    }
    out
}

/// Cronbach's alpha and PCA of each aggregate's children, and of all indicators together.
fn pca_all(fw: &Framework, res: &Results) -> Vec<Pca> {
    let mut out: Vec<Pca> = fw
        .bottom_up
        .iter()
        .map(|&p| pca(fw, res, &fw.nodes[p].id, &fw.nodes[p].children))
        .collect();
    let all: Vec<usize> = (0..fw.n_indicators).collect();
    out.push(pca(fw, res, "all indicators", &all));
    out
}

pub fn pca(fw: &Framework, res: &Results, name: &str, cols: &[usize]) -> Pca {
    let data: Vec<&[f64]> = cols.iter().map(|&c| res.scores.col(c)).collect();
    let k = cols.len();
    let (values, vectors) = symmetric_eigen(&correlation_matrix(&data), k);
    let total: f64 = values.iter().sum();
    let mut pc1 = vectors.first().cloned().unwrap_or_default();
    if pc1.iter().sum::<f64>() < 0.0 {
        pc1.iter_mut().for_each(|v| *v = -*v);
    }
    Pca {
        node: name.into(),
        cronbach_alpha: cronbach_alpha(&data),
        complete_units: crate::correlation::complete_rows(&data).len(),
        variance_shares: values.iter().map(|v| v / total).collect(),
        eigenvalues: values,
        columns: cols.iter().map(|&c| fw.nodes[c].id.clone()).collect(),
        loadings_pc1: pc1,
    }
}

fn importance(fw: &Framework, res: &Results) -> Vec<Importance> {
    let eff = weight::effective(fw, &res.weights);
    let root = res.scores.col(fw.root);
    let r2: Vec<f64> = (0..fw.n_indicators)
        .map(|j| pearson(res.scores.col(j), root).powi(2))
        .collect();
    let total: f64 = r2.iter().filter(|v| !v.is_nan()).sum();
    (0..fw.n_indicators)
        .map(|j| Importance {
            indicator: fw.nodes[j].id.clone(),
            nominal_weight: eff[j],
            r2_index: r2[j],
            effective_share: r2[j] / total,
        })
        .collect()
}

/// The ranking rebuilt without each indicator and each dimension (siblings reweighted).
fn removal(fw: &Framework, model: &Model) -> Result<Vec<Removal>, BuildError> {
    let mut ws = model.workspace();
    let mut targets: Vec<usize> = (0..fw.n_indicators).collect();
    targets.extend(fw.dimensions().iter().filter(|&&d| d >= fw.n_indicators));
    let mut out = Vec::new();
    for t in targets {
        if fw.nodes[fw.nodes[t].parent.unwrap_or(t)].children.len() < 2 {
            continue;
        }
        let mut p = model.nominal.clone();
        p.excluded = Some(t);
        model.eval_params(&p, &mut ws)?;
        let r0 = &model.nominal_rank;
        let (i, max) = (0..r0.len())
            .map(|i| (i, ws.ranks[i].abs_diff(r0[i])))
            .max_by_key(|&(i, d)| (d, std::cmp::Reverse(i)))
            .unwrap_or((0, 0));
        out.push(Removal {
            removed: fw.nodes[t].id.clone(),
            level: fw.nodes[t].level,
            mean_abs_shift: mean_abs_shift(&ws.ranks, r0),
            max_abs_shift: max,
            most_moved: model.units.get(i).map_or(String::new(), |u| u.name.clone()),
            from: r0.get(i).copied().unwrap_or(0),
            to: ws.ranks.get(i).copied().unwrap_or(0),
        });
    }
    Ok(out)
}
