//! The uncertain assumptions, resolved against a framework, and the map from a point of the
//! unit hypercube to one perturbed recipe.
//!
//! Every replication is a vector `u` of uniform draws; each [`Factor`] reads its own slice of
//! it. Keeping the draws uniform and the mapping separate is what lets the same machinery serve
//! the Monte Carlo analysis and the Saltelli design, and lets any replication be rebuilt from
//! its draws alone.

use cityrank_core::framework::{AggregateMethods, Framework};
use cityrank_core::spec::{Aggregate, Normalise, Outliers, Uncertainty};
use serde::Serialize;

/// One uncertain assumption (one input of the sensitivity analysis).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Factor {
    /// Each weight of the nodes at `level` times a uniform draw in [1 - noise, 1 + noise].
    Weights {
        level: u32,
        nodes: Vec<usize>,
        noise: f64,
    },
    /// The aggregation of the `nodes`, one of `options`.
    Aggregation {
        nodes: Vec<usize>,
        options: Vec<Aggregate>,
    },
    /// The normalisation of every indicator: nominal (`None`) or an alternative.
    Normalisation { options: Vec<Option<Normalise>> },
    /// The outlier treatment of every indicator: nominal (`None`) or an alternative.
    Outliers { options: Vec<Option<Outliers>> },
    /// No indicator left out (`None`), or one.
    Exclusion { options: Vec<Option<usize>> },
}

impl Factor {
    /// How many uniform draws the factor reads.
    pub fn dims(&self) -> usize {
        match self {
            Factor::Weights { nodes, .. } => nodes.len(),
            _ => 1,
        }
    }

    /// A short name for tables: `weights:Dimension`, `aggregation`...
    pub fn name(&self, fw: &Framework) -> String {
        match self {
            Factor::Weights { level, .. } => format!("weights:{}", fw.level_name(*level)),
            Factor::Aggregation { .. } => "aggregation".into(),
            Factor::Normalisation { .. } => "normalisation".into(),
            Factor::Outliers { .. } => "outliers".into(),
            Factor::Exclusion { .. } => "exclude_indicator".into(),
        }
    }
}

/// A discrete choice among `n` from one uniform draw.
pub fn choose(u: f64, n: usize) -> usize {
    ((u * n as f64) as usize).min(n - 1)
}

/// The resolved assumptions: factors and where each reads in `u`.
#[derive(Clone, Debug, Serialize)]
pub struct Assumptions {
    pub factors: Vec<Factor>,
    pub offsets: Vec<usize>,
    pub dims: usize,
    /// Normalisation options x outlier options: the indicator-score variants.
    pub n_normalise: usize,
    pub n_outliers: usize,
}

/// One perturbed recipe.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Params {
    /// Weight of every node within its parent, summing to one over siblings.
    pub weights: Vec<f64>,
    /// Aggregation settings per aggregate node.
    #[serde(skip)]
    pub methods: Vec<AggregateMethods>,
    /// Which indicator-score variant (normalisation x outliers).
    pub variant: usize,
    pub excluded: Option<usize>,
}

impl Assumptions {
    /// Resolves the spec's section against the tree; `aggregations` are the options already
    /// checked to be feasible.
    pub fn resolve(u: &Uncertainty, fw: &Framework, aggregations: Vec<Aggregate>) -> Assumptions {
        let mut factors = weight_factors(u, fw);
        if aggregations.len() > 1 {
            factors.push(Factor::Aggregation {
                nodes: aggregation_nodes(u, fw),
                options: aggregations,
            });
        }
        if !u.normalisations.is_empty() {
            let mut options = vec![None];
            options.extend(u.normalisations.iter().copied().map(Some));
            factors.push(Factor::Normalisation { options });
        }
        if !u.outliers.is_empty() {
            let mut options = vec![None];
            options.extend(u.outliers.iter().copied().map(Some));
            factors.push(Factor::Outliers { options });
        }
        if u.exclude_indicator {
            let mut options = vec![None];
            options.extend((0..fw.n_indicators).map(Some));
            factors.push(Factor::Exclusion { options });
        }
        let mut offsets = Vec::with_capacity(factors.len());
        let mut dims = 0;
        for f in &factors {
            offsets.push(dims);
            dims += f.dims();
        }
        Assumptions {
            n_normalise: 1 + u.normalisations.len(),
            n_outliers: 1 + u.outliers.len(),
            factors,
            offsets,
            dims,
        }
    }

    pub fn n_variants(&self) -> usize {
        self.n_normalise * self.n_outliers
    }

    /// The recipe at point `u` (length `dims`), written into `p` (which starts from anything).
    pub fn params_into(&self, u: &[f64], nominal: &Params, fw: &Framework, p: &mut Params) {
        self.unnormalised_into(u, nominal, fw, p);
        renormalise(&mut p.weights, fw);
    }

    /// [`Assumptions::params_into`] before the weights of each node's children are made to
    /// sum to one (which [`renormalise`] or its batched form then does).
    pub fn unnormalised_into(&self, u: &[f64], nominal: &Params, fw: &Framework, p: &mut Params) {
        p.weights.copy_from_slice(&nominal.weights);
        p.methods.copy_from_slice(&nominal.methods);
        let (mut norm, mut out) = (0, 0);
        p.excluded = None;
        for (f, &o) in self.factors.iter().zip(&self.offsets) {
            match f {
                Factor::Weights { nodes, noise, .. } => {
                    for (k, &n) in nodes.iter().enumerate() {
                        p.weights[n] *= 1.0 + noise * (2.0 * u[o + k] - 1.0);
                    }
                }
                Factor::Aggregation { nodes, options } => {
                    let a = options[choose(u[o], options.len())];
                    for &n in nodes {
                        p.methods[n - fw.n_indicators].aggregate = a;
                    }
                }
                Factor::Normalisation { options } => norm = choose(u[o], options.len()),
                Factor::Outliers { options } => out = choose(u[o], options.len()),
                Factor::Exclusion { options } => p.excluded = options[choose(u[o], options.len())],
            }
        }
        p.variant = norm * self.n_outliers + out;
    }

    pub fn params(&self, u: &[f64], nominal: &Params, fw: &Framework) -> Params {
        let mut p = nominal.clone();
        self.params_into(u, nominal, fw, &mut p);
        p
    }
}

/// The nominal recipe: the plan's weights and aggregations.
pub fn nominal(plan: &cityrank_core::Plan) -> Params {
    Params {
        weights: plan.weights.clone(),
        methods: plan.methods.clone(),
        variant: 0,
        excluded: None,
    }
}

/// Makes the weights of each node's children sum to one.
pub fn renormalise(w: &mut [f64], fw: &Framework) {
    for &p in &fw.bottom_up {
        let kids = &fw.nodes[p].children;
        let total: f64 = kids.iter().map(|&c| w[c]).sum();
        if total > 0.0 {
            kids.iter().for_each(|&c| w[c] /= total);
        }
    }
}

/// One weight factor per level of weighted children, where there is noise and a choice to make
/// (a node with a single child has nothing to reweight).
fn weight_factors(u: &Uncertainty, fw: &Framework) -> Vec<Factor> {
    let top = fw.nodes[fw.root].level;
    (1..top)
        .filter_map(|level| {
            let noise = u.noise_at(level);
            let nodes: Vec<usize> = (0..fw.nodes.len())
                .filter(|&k| fw.nodes[k].level == level)
                .filter(|&k| {
                    fw.nodes[k]
                        .parent
                        .is_some_and(|p| fw.nodes[p].children.len() > 1)
                })
                .collect();
            (noise > 0.0 && !nodes.is_empty()).then_some(Factor::Weights {
                level,
                nodes,
                noise,
            })
        })
        .collect()
}

/// The aggregate nodes whose method is perturbed: those at the listed levels, or the index.
fn aggregation_nodes(u: &Uncertainty, fw: &Framework) -> Vec<usize> {
    if u.aggregation_levels.is_empty() {
        return vec![fw.root];
    }
    fw.bottom_up
        .iter()
        .copied()
        .filter(|&k| u.aggregation_levels.contains(&fw.nodes[k].level))
        .collect()
}

/// The aggregation options the spec declares, or the default pair.
pub fn declared_aggregations(u: &Uncertainty) -> Vec<Aggregate> {
    u.aggregations
        .clone()
        .unwrap_or_else(|| vec![Aggregate::Arithmetic, Aggregate::Geometric])
}

/// For checks on the resolved nodes before a run.
pub fn perturbed_nodes(u: &Uncertainty, fw: &Framework) -> Vec<usize> {
    aggregation_nodes(u, fw)
}
