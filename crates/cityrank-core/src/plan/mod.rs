//! The plan of a build: the steps of the OECD/JRC Handbook in order, with every setting
//! resolved, made from a checked spec. It is the one pipeline of cityrank: a full build, the
//! uncertainty analysis (which varies the weights, the aggregation and the indicator methods)
//! and the what-if recompute (which varies the top weights) all run a `Plan`, so they cannot
//! drift apart.
//!
//! ```text
//! screen     which units are ranked                        Plan::screen
//! impute  ┐
//! treat   │  the indicator scores                          Plan::prepare
//! normalise┘
//! weight  ┐  bottom-up: a node's data-driven weights, then
//! aggregate┘ the node itself                              Plan::aggregate
//! rank       every node's column                           Plan::rank
//! ```

mod view;

pub use view::{ChildWeight, IndicatorStep, NodeStep, PlanView, RankStep};

use crate::data::{Dataset, Matrix, Unit};
use crate::error::{BuildError, Location};
use crate::framework::{AggregateMethods, Framework, NodeKind};
use crate::results::{AggregateRecord, BuildLog, NormaliseRecord, Results};
use crate::spec::records::RecordsSpec;
use crate::spec::{
    Direction, Normalise, Outliers, PercentileTies, Publication, Rescale, ScreenRules, SdDivisor,
    Spec,
};
use crate::stats;
use crate::steps::impute::{self, ImputeLog};
use crate::steps::node_rules::{RulesLog, UnitRules};
use crate::steps::screen::ScreenLog;
use crate::steps::screen_impute::{self, Filled};
use crate::steps::treat::{self, TreatRecord};
use crate::steps::weighting::{self, NodeWeights};
use crate::steps::{normalise, rank, weight};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Full builds run in this process: a diagnostic count (it changes no result) by which the
/// command line shows, and its tests check, that a command builds the index once.
static BUILDS: AtomicUsize = AtomicUsize::new(0);

/// How many full builds ([`Plan::build`]) this process has run.
pub fn builds() -> usize {
    BUILDS.load(Ordering::Relaxed)
}

/// Every setting of a build, resolved.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The checked tree; each node carries its resolved indicator or aggregation methods.
    pub framework: Framework,
    pub screen: ScreenRules,
    /// Ranking (ties, rounding) and presentation settings.
    pub publish: Publication,
    /// Weight of every node within its parent, summing to one over siblings: the written (or
    /// equal) weights, or the data-driven ones once [`Plan::fix_weights`] has fixed them.
    pub weights: Vec<f64>,
    /// Aggregation settings per aggregate node (index `k - n_indicators`).
    pub methods: Vec<AggregateMethods>,
    /// Indicators left out: missing for every unit, so their siblings' weights renormalise.
    pub excluded: Vec<usize>,
    /// The data-driven weights as a build computed them; `None` until fixed, in which case
    /// the weight step computes them from the data.
    pub derived: Option<Vec<NodeWeights>>,
    /// How indicators are computed from raw records (run by the sources engine before the
    /// first step; shown so that the plan is the whole recipe).
    pub records: Option<RecordsSpec>,
}

/// The ranked units and their indicator scores: everything before weighting and aggregation,
/// which is what the uncertainty analysis computes once per variant.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub units: Vec<Unit>,
    /// Raw values before imputation (units x indicators).
    pub raw: Matrix,
    /// After imputation, transform and outlier treatment (units x indicators).
    pub treated: Matrix,
    /// Units x nodes; the indicator columns are filled, the aggregate columns are missing.
    pub scores: Matrix,
    /// Imputed values (units x nodes): indicator cells so far; node imputation adds its own
    /// in the aggregate step.
    pub imputed: Vec<bool>,
    pub impute_log: ImputeLog,
    pub treat_log: Vec<TreatRecord>,
    pub normalise_log: Vec<NormaliseRecord>,
    /// The ranked units' rules (applicability, published values), applied when aggregating.
    pub rules: UnitRules,
}

/// The weight and aggregate steps' outcome.
pub struct Aggregated {
    pub weights: Vec<f64>,
    pub weighting: Vec<NodeWeights>,
    /// What the node rules did: published values, node imputations.
    pub log: RulesLog,
}

impl Plan {
    /// The plan a checked spec describes.
    pub fn new(spec: &Spec, fw: &Framework) -> Plan {
        let mut plan = Plan::of_tree(fw.clone(), spec.screen.clone(), spec.publish.clone());
        plan.records = spec.records();
        plan
    }

    /// The plan of a tree with its own screen and publication settings.
    pub fn of_tree(framework: Framework, screen: ScreenRules, publish: Publication) -> Plan {
        let weights = weight::nominal(&framework);
        let methods = (framework.n_indicators..framework.nodes.len())
            .map(|k| *framework.aggregate_methods(k))
            .collect();
        Plan {
            framework,
            screen,
            publish,
            weights,
            methods,
            excluded: Vec::new(),
            derived: None,
            records: None,
        }
    }

    /// Whether some node computes its weights from the data and they are not fixed yet.
    pub fn derives_weights(&self) -> bool {
        self.derived.is_none() && self.methods.iter().any(|m| m.weighting.is_data_driven())
    }

    /// Fixes the data-driven weights to those a build computed, so that every later use of
    /// the plan (an analysis, a what-if) varies around the weights the ranking used.
    pub fn fix_weights(&mut self, results: &Results) {
        self.weights.clone_from(&results.weights);
        self.derived = Some(results.weighting.clone());
    }

    /// The plan with other indicator methods (the uncertainty analysis's variants).
    pub fn with_indicator_methods(
        &self,
        normalise: Option<Normalise>,
        outliers: Option<Outliers>,
    ) -> Plan {
        let mut p = self.clone();
        for node in &mut p.framework.nodes[..self.framework.n_indicators] {
            if let NodeKind::Indicator(m) = &mut node.kind {
                if let Some(n) = normalise {
                    m.normalise = n;
                }
                if let Some(o) = outliers {
                    m.outliers = o;
                }
            }
        }
        p
    }

    /// The settings a build reads, borrowed from the plan.
    fn steps(&self) -> Steps<'_> {
        Steps {
            framework: &self.framework,
            screen: &self.screen,
            publish: &self.publish,
            weights: &self.weights,
            methods: &self.methods,
            excluded: &self.excluded,
            derived: self.derived.as_deref(),
        }
    }

    /// The whole build.
    pub fn build(&self, data: &Dataset) -> Result<Results, BuildError> {
        self.steps().build(data)
    }

    /// Step 1: which units are ranked, and why the others are not. Coverage counts the
    /// indicators that apply to each unit; with `order = "impute_first"` it is counted on
    /// the imputed data.
    pub fn screen(&self, data: &Dataset) -> Result<ScreenLog, BuildError> {
        self.steps().screen(data)
    }

    /// Steps 2-4 for the ranked units `kept` (rows of `data`): impute, treat, normalise, then
    /// the indicator scores' rounding.
    pub fn prepare(&self, data: &Dataset, kept: &[usize]) -> Result<Prepared, BuildError> {
        self.steps().prepare(data, kept)
    }

    /// Steps 5-6, bottom-up: each node's data-driven weights (unless fixed), then the node,
    /// under the ranked units' `rules`. `scores` holds the indicator scores; the aggregate
    /// columns are filled.
    pub fn aggregate(
        &self,
        scores: &mut Matrix,
        rules: &UnitRules,
    ) -> Result<Aggregated, BuildError> {
        self.steps().aggregate(scores, rules)
    }

    /// Steps 5-7 on prepared indicator scores: the scores at every node and their ranks
    /// (column-major, as in [`Results`]).
    pub fn finish(&self, prepared: &Prepared) -> Result<(Matrix, Vec<Option<u32>>), BuildError> {
        self.steps().finish(prepared)
    }

    /// Step 7: every node's column ranked as the publication settings say (column-major).
    pub fn rank(&self, scores: &Matrix) -> Vec<Option<u32>> {
        self.steps().rank(scores)
    }

    /// The ranks of one node's scores.
    pub fn rank_column(&self, col: &[f64]) -> Vec<Option<u32>> {
        self.steps().rank_column(col)
    }
}

/// The whole build of a spec's tree, read in place: the plan [`Plan::new`] would make, without
/// its copy of the tree.
pub fn build_spec(spec: &Spec, fw: &Framework, data: &Dataset) -> Result<Results, BuildError> {
    let weights = weight::nominal(fw);
    let methods: Vec<AggregateMethods> = (fw.n_indicators..fw.nodes.len())
        .map(|k| *fw.aggregate_methods(k))
        .collect();
    Steps {
        framework: fw,
        screen: &spec.screen,
        publish: &spec.publish,
        weights: &weights,
        methods: &methods,
        excluded: &[],
        derived: None,
    }
    .build(data)
}

/// What the steps of a build read: a plan's settings, borrowed, so that a build from a spec
/// need not copy the tree.
#[derive(Clone, Copy)]
struct Steps<'a> {
    framework: &'a Framework,
    screen: &'a ScreenRules,
    publish: &'a Publication,
    weights: &'a [f64],
    methods: &'a [AggregateMethods],
    excluded: &'a [usize],
    derived: Option<&'a [NodeWeights]>,
}

impl Steps<'_> {
    /// The whole build.
    fn build(&self, data: &Dataset) -> Result<Results, BuildError> {
        BUILDS.fetch_add(1, Ordering::Relaxed);
        let screen_log = self.screen(data)?;
        let mut prepared = self.prepare(data, &screen_log.kept)?;
        let mut scores = std::mem::take(&mut prepared.scores);
        let agg = self.aggregate(&mut scores, &prepared.rules)?;
        check_scored(&scores, self.framework, &prepared.units)?;
        let ranks = self.rank(&scores);
        let aggregate_log = self.aggregate_records(&scores);
        let mut impute_log = prepared.impute_log;
        impute_log.imputed.extend(agg.log.impute.imputed);
        impute_log.unfilled.extend(agg.log.impute.unfilled);
        let mut imputed = prepared.imputed;
        imputed.truncate(agg.log.imputed.len());
        for (a, b) in imputed.iter_mut().zip(&agg.log.imputed) {
            *a |= *b;
        }
        Ok(Results {
            units: prepared.units,
            excluded: screen_log.excluded.clone(),
            assessed: data.n_units(),
            raw: prepared.raw,
            treated: prepared.treated,
            scores,
            ranks,
            imputed,
            overridden: agg.log.overridden,
            applicable: prepared.rules.applicable,
            weights: agg.weights,
            weighting: agg.weighting,
            publication: self.publish.clone(),
            log: BuildLog {
                screen: screen_log,
                impute: impute_log,
                treat: prepared.treat_log,
                normalise: prepared.normalise_log,
                aggregate: aggregate_log,
                overrides: agg.log.overrides,
            },
        })
    }

    /// Step 1: which units are ranked, and why the others are not. Coverage counts the
    /// indicators that apply to each unit; with `order = "impute_first"` it is counted on
    /// the imputed data.
    fn screen(&self, data: &Dataset) -> Result<ScreenLog, BuildError> {
        screen_impute::screen(self.framework, self.screen, data)
    }

    /// Steps 2-4 for the ranked units `kept` (rows of `data`): impute, treat, normalise, then
    /// the indicator scores' rounding.
    fn prepare(&self, data: &Dataset, kept: &[usize]) -> Result<Prepared, BuildError> {
        let fw = self.framework;
        let Filled {
            kept,
            mut filled,
            rules,
            mut log,
        } = screen_impute::impute(fw, self.screen, data, kept)?;
        let treat_log = treat_all(&mut filled, fw, &kept.units)?;
        let mut scores = Matrix::new(kept.n_units(), fw.nodes.len());
        let normalise_log = normalise_all(&filled, &mut scores, fw)?;
        impute::impute_parent_mean(
            &mut scores,
            &kept.units,
            fw,
            &mut log.imputed,
            &mut log.impute,
        );
        screen_impute::unfill_not_applicable(
            &mut scores,
            &mut log.imputed,
            &mut log.impute,
            &rules.applicable,
            &kept.units,
            fw,
        );
        UnitRules::round_indicators(&mut scores, fw);
        Ok(Prepared {
            units: kept.units,
            raw: kept.values,
            treated: filled,
            scores,
            imputed: log.imputed,
            impute_log: log.impute,
            treat_log,
            normalise_log,
            rules,
        })
    }

    /// Steps 5-6, bottom-up: each node's data-driven weights (unless fixed), then the node,
    /// under the ranked units' `rules`. `scores` holds the indicator scores; the aggregate
    /// columns are filled.
    fn aggregate(&self, scores: &mut Matrix, rules: &UnitRules) -> Result<Aggregated, BuildError> {
        for &j in self.excluded {
            scores.col_mut(j).fill(f64::NAN);
        }
        let mut weights = self.weights.to_vec();
        let derive = self.derived.is_none();
        let mut log = RulesLog::new(scores.rows, self.framework.nodes.len());
        let found = weighting::weight_and_aggregate(
            scores,
            self.framework,
            &mut weights,
            self.methods,
            derive,
            rules,
            &mut log,
        )?;
        Ok(Aggregated {
            weights,
            weighting: self.derived.map_or(found, <[_]>::to_vec),
            log,
        })
    }

    /// Steps 5-7 on prepared indicator scores: the scores at every node and their ranks
    /// (column-major, as in [`Results`]).
    fn finish(&self, prepared: &Prepared) -> Result<(Matrix, Vec<Option<u32>>), BuildError> {
        let mut scores = prepared.scores.clone();
        self.aggregate(&mut scores, &prepared.rules)?;
        let ranks = self.rank(&scores);
        Ok((scores, ranks))
    }

    /// Step 7: every node's column ranked as the publication settings say (column-major).
    fn rank(&self, scores: &Matrix) -> Vec<Option<u32>> {
        let p = self.publish;
        let decimals = p.rank_on_rounded.then_some(p.decimals);
        let mut out = vec![None; scores.values.len()];
        // One sort buffer for every column.
        let mut order = Vec::with_capacity(scores.rows);
        for (k, ranks) in out.chunks_exact_mut(scores.rows.max(1)).enumerate() {
            rank::rank_into(scores.col(k), decimals, p.ties, &mut order, ranks);
        }
        out
    }

    /// The ranks of one node's scores.
    fn rank_column(&self, col: &[f64]) -> Vec<Option<u32>> {
        let p = self.publish;
        rank::rank(col, p.rank_on_rounded.then_some(p.decimals), p.ties)
    }

    fn aggregate_records(&self, scores: &Matrix) -> Vec<AggregateRecord> {
        let fw = self.framework;
        fw.bottom_up
            .iter()
            .map(|&k| {
                let m = self.methods[k - fw.n_indicators];
                AggregateRecord {
                    node: fw.nodes[k].id.clone(),
                    method: m.aggregate.to_string(),
                    min_share: m.min_share,
                    rescale: rescale_phrase(m.rescale),
                    unscored: scores.col(k).iter().filter(|v| v.is_nan()).count(),
                }
            })
            .collect()
    }
}

/// Every unit that passed the screen must have a finite index score: a ranked unit without one
/// would be counted as ranked while appearing nowhere in the ranking.
fn check_scored(scores: &Matrix, fw: &Framework, units: &[Unit]) -> Result<(), BuildError> {
    let col = scores.col(fw.root);
    let bad: Vec<&str> = units
        .iter()
        .zip(col)
        .filter(|(_, s)| !s.is_finite())
        .map(|(u, _)| u.id.as_str())
        .collect();
    let Some(first) = bad.first() else {
        return Ok(());
    };
    let score = col[units.iter().position(|u| u.id == *first).expect("listed")];
    Err(BuildError::new(
        Location::Node(fw.nodes[fw.root].id.clone()),
        format!(
            "{} unit(s) passed the screen but have no finite index score (first: `{first}`, score {score})",
            bad.len()
        ),
        "exclude units with too little data in [screen] (min_coverage, min_dimension_indicators), lower `min_share`, impute the missing values, or bring the weights to a normal scale",
    ))
}

/// Transform then outlier treatment, column by column.
fn treat_all(
    values: &mut Matrix,
    fw: &Framework,
    units: &[Unit],
) -> Result<Vec<TreatRecord>, BuildError> {
    let mut log = Vec::with_capacity(fw.n_indicators);
    let mut original = Vec::new();
    for j in 0..fw.n_indicators {
        let m = fw.indicator_methods(j);
        let col = values.col_mut(j);
        treat::transform(col, m.transform, &fw.nodes[j].id, units)?;
        let mut rec = TreatRecord {
            indicator: fw.nodes[j].id.clone(),
            transform: treat::transform_name(m.transform),
            ..TreatRecord::default()
        };
        treat::treat_outliers_with(col, m.outliers, &mut rec, &mut original);
        log.push(rec);
    }
    Ok(log)
}

/// Normalises every indicator column of `treated` into the indicator columns of `scores`.
fn normalise_all(
    treated: &Matrix,
    scores: &mut Matrix,
    fw: &Framework,
) -> Result<Vec<NormaliseRecord>, BuildError> {
    let mut log: Vec<NormaliseRecord> = Vec::with_capacity(fw.n_indicators);
    // The last method and its name: indicators mostly share one, written once.
    let mut last: Option<(Normalise, usize)> = None;
    for j in 0..fw.n_indicators {
        let m = fw.indicator_methods(j);
        let col = treated.col(j);
        normalise::normalise(
            col,
            scores.col_mut(j),
            m.normalise,
            m.direction,
            m.transform,
            &fw.nodes[j].id,
        )?;
        let method = match last {
            Some((n, k)) if same_name(n, m.normalise) => log[k].method.clone(),
            _ => {
                last = Some((m.normalise, log.len()));
                normalise_name(m.normalise)
            }
        };
        log.push(NormaliseRecord {
            indicator: fw.nodes[j].id.clone(),
            method,
            direction: match m.direction {
                Direction::Higher => "higher is better".into(),
                Direction::Lower => "lower is better".into(),
            },
            min: stats::min(col),
            max: stats::max(col),
        });
    }
    Ok(log)
}

/// A normalisation as the step logs describe it to a reader (kept in those words, which the
/// published step tables use).
pub fn normalise_name(n: Normalise) -> String {
    match n {
        Normalise::None => "none".into(),
        Normalise::MinMax { low, high } => format!("min-max onto [{low}, {high}]"),
        Normalise::RatioToMax => "ratio to the leader x 100".into(),
        Normalise::Goalposts {
            best, worst, scale, ..
        } => format!("goalposts best {best}, worst {worst}, onto [0, {scale}]"),
        Normalise::ZScore {
            mean,
            sd,
            divisor: SdDivisor::NMinus1,
        } => format!("z-score (mean {mean}, sd {sd})"),
        Normalise::ZScore { mean, sd, .. } => {
            format!("z-score (mean {mean}, sd {sd}, population sd)")
        }
        Normalise::Percentile {
            scale,
            ties: PercentileTies::Average,
        } => format!("percentile rank x {scale}"),
        Normalise::Percentile { scale, .. } => {
            format!("percentile rank x {scale}, ties at the lowest rank")
        }
        Normalise::DistanceToTarget {
            target,
            scale,
            cap: true,
        } => format!("distance to target {target}, x {scale}"),
        Normalise::DistanceToTarget { target, scale, .. } => {
            format!("distance to target {target}, x {scale}, uncapped")
        }
        Normalise::Sum => "share of the column sum".into(),
        Normalise::Vector => "vector normalisation".into(),
    }
}

/// Whether two normalisations have the same [`normalise_name`]: equal, with the same bits in
/// the numbers it prints (`-0` and `0` are equal but print apart).
fn same_name(a: Normalise, b: Normalise) -> bool {
    let printed = |n: Normalise| match n {
        Normalise::MinMax { low, high } => [low, high, 0.0],
        Normalise::Goalposts {
            best, worst, scale, ..
        } => [best, worst, scale],
        Normalise::ZScore { mean, sd, .. } => [mean, sd, 0.0],
        Normalise::Percentile { scale, .. } => [scale, 0.0, 0.0],
        Normalise::DistanceToTarget { target, scale, .. } => [target, scale, 0.0],
        Normalise::None | Normalise::RatioToMax | Normalise::Sum | Normalise::Vector => [0.0; 3],
    };
    a == b && printed(a).map(f64::to_bits) == printed(b).map(f64::to_bits)
}

/// A rescale as the published step table describes it.
fn rescale_phrase(r: Rescale) -> String {
    match r {
        Rescale::None => "none".into(),
        Rescale::Leader { scale } => format!("leader = {scale}"),
        Rescale::MinMax { low, high } => format!("min-max onto [{low}, {high}]"),
    }
}
