//! The index as a function of one perturbed recipe, with everything the perturbation does not
//! change computed once.
//!
//! Screening stays that of the nominal build (the ranked units are a publication decision, not
//! a method uncertainty). The indicator scores are computed once per variant (normalisation x
//! outlier treatment) with the core's own steps; a replication then weights, aggregates and
//! ranks with the core's accumulator, in buffers kept across replications.

use crate::assumptions::{self, Assumptions, Factor, Params};
use cityrank_core::data::Matrix;
use cityrank_core::framework::Framework;
use cityrank_core::plan::{Plan, Prepared};
use cityrank_core::spec::{Aggregate, Spec, Ties, Uncertainty};
use cityrank_core::steps::aggregate::{rescale, Accumulator};
use cityrank_core::steps::rank::round_to;
use cityrank_core::{BuildError, Dataset, Location, Unit};

pub struct Model {
    pub spec: Spec,
    /// The nominal plan, its data-driven weights fixed.
    pub plan: Plan,
    pub fw: Framework,
    pub units: Vec<Unit>,
    pub assumptions: Assumptions,
    pub nominal: Params,
    /// Nominal overall rank of each ranked unit (unscored units get n + 1).
    pub nominal_rank: Vec<u32>,
    /// Plans of the indicator-score variants (normalisation x outliers), nominal first.
    pub variant_plans: Vec<Plan>,
    /// Indicator scores of each variant (units x nodes; only indicator columns are used).
    pub variants: Vec<Prepared>,
    /// What the defaults left out, and why.
    pub notes: Vec<String>,
    decimals: Option<u32>,
    ties: Ties,
    /// The specialised hot loop (`None`: always the general path).
    pub kernel: Option<crate::kernel::Kernel>,
}

/// Buffers of one worker, reused across replications.
pub struct Workspace {
    pub params: Params,
    /// An empty recipe that stands in for `params` while it is being filled.
    spare: Params,
    agg: Matrix,
    acc: Accumulator,
    order: Vec<(f64, u32)>,
    /// Overall rank of each unit in the last replication.
    pub ranks: Vec<u32>,
    fast: Option<crate::kernel::Scratch>,
}

impl Model {
    /// The model around `plan`. Data-driven weights are varied around the values the nominal
    /// build computed: a caller that built the index passes its plan with the weights fixed
    /// ([`Plan::fix_weights`]); otherwise they are computed here, by one build.
    pub fn new(spec: &Spec, plan: &Plan, data: &Dataset) -> Result<Model, BuildError> {
        if let Some(rule) = cityrank_core::steps::node_rules::unsupported_in_replications(
            spec,
            &plan.framework,
            data,
        ) {
            return Err(BuildError::new(
                Location::Nowhere,
                format!("the uncertainty analysis does not yet apply `{rule}` in its replications, so its ranks would not be those of the build"),
                "run it on a copy of the spec without that rule",
            ));
        }
        let mut plan = plan.clone();
        if plan.derives_weights() {
            let nominal = plan.build(data)?;
            plan.fix_weights(&nominal);
        }
        let u = spec.uncertainty.clone().unwrap_or_default();
        let fw = &plan.framework;
        let kept = plan.screen(data)?.kept;
        let variant_plans = variant_plans(&u, &plan);
        let variants = variant_plans
            .iter()
            .map(|v| v.prepare(data, &kept))
            .collect::<Result<Vec<_>, _>>()?;
        let nominal = assumptions::nominal(&plan);
        let (aggregations, notes) = feasible_aggregations(&plan, &u, &variants, &nominal)?;
        let assumptions = Assumptions::resolve(&u, fw, aggregations);
        let p = &spec.publish;
        let mut model = Model {
            spec: spec.clone(),
            fw: fw.clone(),
            units: variants[0].units.clone(),
            assumptions,
            nominal,
            nominal_rank: Vec::new(),
            plan,
            variant_plans,
            variants,
            notes,
            decimals: p.rank_on_rounded.then_some(p.decimals),
            ties: p.ties,
            kernel: None,
        };
        let blocks: Vec<&Matrix> = model.variants.iter().map(|v| &v.scores).collect();
        model.kernel = Some(crate::kernel::Kernel::new(
            &model.fw,
            &blocks,
            model.decimals,
            model.ties,
        ));
        let mut ws = model.workspace();
        let nominal = model.nominal.clone();
        model.eval_params(&nominal, &mut ws)?;
        model.nominal_rank = ws.ranks.clone();
        Ok(model)
    }

    pub fn n_units(&self) -> usize {
        self.units.len()
    }

    pub fn workspace(&self) -> Workspace {
        let rows = self.n_units();
        Workspace {
            params: self.nominal.clone(),
            spare: Params::default(),
            agg: Matrix::new(rows, self.fw.nodes.len() - self.fw.n_indicators),
            acc: Accumulator::new(rows),
            order: Vec::with_capacity(rows),
            ranks: vec![0; rows],
            fast: self.kernel.as_ref().map(|k| k.scratch(&self.fw)),
        }
    }

    /// Rebuilds the overall ranking at point `u`; the ranks are left in `ws.ranks`.
    pub fn eval(&self, u: &[f64], ws: &mut Workspace) -> Result<(), BuildError> {
        // The recipe buffer is moved out for the call and back, never reallocated.
        let mut p = std::mem::replace(&mut ws.params, std::mem::take(&mut ws.spare));
        self.assumptions
            .params_into(u, &self.nominal, &self.fw, &mut p);
        let r = self.eval_params(&p, ws);
        ws.spare = std::mem::replace(&mut ws.params, p);
        r
    }

    /// Weights, aggregates and ranks one recipe.
    pub fn eval_params(&self, p: &Params, ws: &mut Workspace) -> Result<(), BuildError> {
        if let (Some(k), Some(s)) = (&self.kernel, ws.fast.as_mut()) {
            if k.eval(&self.fw, p, s, &mut ws.ranks) {
                return Ok(());
            }
        }
        let fw = &self.fw;
        let n_ind = fw.n_indicators;
        let ind = &self.variants[p.variant].scores;
        for &node in &fw.bottom_up {
            let m = p.methods[node - n_ind];
            if m.aggregate.is_mcda() {
                self.mcda_node(node, p, ws);
                continue;
            }
            ws.acc.reset();
            for &c in &fw.nodes[node].children {
                if Some(c) == p.excluded {
                    continue;
                }
                let col = if c < n_ind {
                    ind.col(c)
                } else {
                    ws.agg.col(c - n_ind)
                };
                ws.acc
                    .add(col, p.weights[c], m.aggregate)
                    .map_err(|row| self.positive_error(node, c, row, m.aggregate))?;
            }
            let out = ws.agg.col_mut(node - n_ind);
            ws.acc
                .finish(out, m.aggregate, m.min_share, fw.nodes[node].children.len());
            rescale(out, m.rescale);
        }
        self.rank_root(ws);
        Ok(())
    }

    /// An MCDA node needs its whole child matrix, so it leaves the accumulator for the core's
    /// MCDA step (an excluded child is left out of the criteria).
    fn mcda_node(&self, node: usize, p: &Params, ws: &mut Workspace) {
        let (fw, n_ind) = (&self.fw, self.fw.n_indicators);
        let ind = &self.variants[p.variant].scores;
        let kids: Vec<usize> = fw.nodes[node]
            .children
            .iter()
            .copied()
            .filter(|&c| Some(c) != p.excluded)
            .collect();
        let cols: Vec<Vec<f64>> = kids
            .iter()
            .map(|&c| {
                if c < n_ind {
                    ind.col(c)
                } else {
                    ws.agg.col(c - n_ind)
                }
                .to_vec()
            })
            .collect();
        let refs: Vec<&[f64]> = cols.iter().map(Vec::as_slice).collect();
        let w: Vec<f64> = kids.iter().map(|&c| p.weights[c]).collect();
        let ids: Vec<&str> = kids.iter().map(|&c| fw.nodes[c].id.as_str()).collect();
        let m = p.methods[node - n_ind];
        let out = ws.agg.col_mut(node - n_ind);
        cityrank_core::steps::mcda::aggregate(&refs, &ids, &w, m.aggregate, out);
        rescale(out, m.rescale);
    }

    /// Competition or dense ranks of the overall score, as `rank::rank` gives them, without
    /// allocating; unscored units get n + 1.
    fn rank_root(&self, ws: &mut Workspace) {
        let root = ws.agg.col(self.fw.root - self.fw.n_indicators);
        ws.order.clear();
        for (i, &x) in root.iter().enumerate() {
            if !x.is_nan() {
                let key = self.decimals.map_or(x, |d| round_to(x, d));
                ws.order.push((key, i as u32));
            }
        }
        ws.order
            .sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ws.ranks.fill(self.n_units() as u32 + 1);
        let (mut rank, mut dense) = (0u32, 0u32);
        for pos in 0..ws.order.len() {
            let (v, i) = ws.order[pos];
            if pos == 0 || v != ws.order[pos - 1].0 {
                rank = pos as u32 + 1;
                dense += 1;
            }
            ws.ranks[i as usize] = match self.ties {
                Ties::Min => rank,
                Ties::Dense => dense,
            };
        }
    }

    /// The plan of a recipe, for a full rebuild.
    pub fn plan_of(&self, p: &Params) -> Plan {
        recipe_plan(&self.variant_plans[p.variant], p)
    }

    fn positive_error(&self, node: usize, child: usize, row: usize, how: Aggregate) -> BuildError {
        BuildError::new(
            Location::Node(self.fw.nodes[node].id.clone()),
            format!(
                "the {how} mean needs positive scores, but `{}` scores <= 0 for {}",
                self.fw.nodes[child].id, self.units[row].id
            ),
            "drop this aggregation from [uncertainty] aggregations, or normalise onto a positive range",
        )
    }
}

/// `base` with the weights, aggregations and exclusion of the recipe `p`, the weights as
/// given (a data-driven node keeps the values the recipe perturbs).
fn recipe_plan(base: &Plan, p: &Params) -> Plan {
    let mut plan = base.clone();
    plan.weights.clone_from(&p.weights);
    plan.methods.clone_from(&p.methods);
    plan.excluded = p.excluded.into_iter().collect();
    plan.derived.get_or_insert_with(Vec::new);
    plan
}

/// One plan per (normalisation, outliers) option pair, nominal first.
fn variant_plans(u: &Uncertainty, plan: &Plan) -> Vec<Plan> {
    let norms: Vec<_> = std::iter::once(None)
        .chain(u.normalisations.iter().copied().map(Some))
        .collect();
    let outs: Vec<_> = std::iter::once(None)
        .chain(u.outliers.iter().copied().map(Some))
        .collect();
    let mut out = Vec::new();
    for &n in &norms {
        for &o in &outs {
            out.push(plan.with_indicator_methods(n, o));
        }
    }
    out
}

/// The aggregation options that every variant allows. A declared option that fails is an
/// error; the default geometric mean is dropped with a note when scores of zero rule it out.
fn feasible_aggregations(
    plan: &Plan,
    u: &Uncertainty,
    variants: &[Prepared],
    nominal: &Params,
) -> Result<(Vec<Aggregate>, Vec<String>), BuildError> {
    let fw = &plan.framework;
    let nodes = assumptions::perturbed_nodes(u, fw);
    let mut keep = Vec::new();
    let mut notes = Vec::new();
    for a in assumptions::declared_aggregations(u) {
        let mut p = nominal.clone();
        for &n in &nodes {
            p.methods[n - fw.n_indicators].aggregate = a;
        }
        let trial = recipe_plan(plan, &p);
        let ok = variants
            .iter()
            .try_for_each(|v| trial.finish(v).map(|_| ()));
        match ok {
            Ok(()) => keep.push(a),
            Err(e) if u.aggregations.is_none() => notes.push(format!(
                "{a} aggregation left out of the defaults: {}",
                e.message
            )),
            Err(e) => return Err(e),
        }
    }
    Ok((keep, notes))
}

impl Factor {
    /// The option a replication drew, for the samples table.
    pub fn describe(&self, u: &[f64], fw: &Framework) -> Vec<String> {
        use crate::assumptions::choose;
        match self {
            Factor::Weights { .. } => Vec::new(),
            Factor::Aggregation { options, .. } => {
                vec![options[choose(u[0], options.len())].to_string()]
            }
            Factor::Normalisation { options } => match options[choose(u[0], options.len())] {
                None => vec!["nominal".into()],
                Some(n) => vec![cityrank_core::plan::normalise_name(n)],
            },
            Factor::Outliers { options } => match options[choose(u[0], options.len())] {
                None => vec!["nominal".into()],
                Some(o) => vec![o.to_string()],
            },
            Factor::Exclusion { options } => match options[choose(u[0], options.len())] {
                None => vec![String::new()],
                Some(j) => vec![fw.nodes[j].id.clone()],
            },
        }
    }
}
