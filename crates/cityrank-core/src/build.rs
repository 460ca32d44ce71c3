//! The whole construction: screen, impute, treat, normalise, weight, aggregate, rank.

use crate::data::{Dataset, Matrix};
use crate::error::BuildError;
use crate::framework::{AggregateMethods, Framework};
use crate::results::{AggregateRecord, BuildLog, NormaliseRecord, Results};
use crate::spec::{Direction, Normalise, Rescale, Spec};
use crate::stats;
use crate::steps::impute::{self, ImputeLog};
use crate::steps::treat::{self, TreatRecord};
use crate::steps::{aggregate, normalise, rank, screen, weight, weighting};

/// Builds the index from checked inputs. Pure: the same inputs give the same results.
pub fn build(spec: &Spec, fw: &Framework, data: &Dataset) -> Result<Results, BuildError> {
    let screen_log = screen::screen(data, fw, &spec.screen)?;
    let kept = data.select_units(&screen_log.kept);
    let unit_ids: Vec<String> = kept.units.iter().map(|u| u.id.clone()).collect();

    let mut impute_log = ImputeLog::default();
    let mut treated = kept.clone();
    let mut imputed = impute::impute_raw(&mut treated, fw, &mut impute_log);

    let treat_log = treat_all(&mut treated.values, fw, &unit_ids)?;
    let mut scores = Matrix::new(kept.n_units(), fw.nodes.len());
    let normalise_log = normalise_all(&treated.values, &mut scores, fw)?;
    impute::impute_parent_mean(&mut scores, &kept.units, fw, &mut imputed, &mut impute_log);

    let mut weights = weight::nominal(fw);
    let methods = aggregate_methods(fw);
    let weighting = weighting::weight_and_aggregate(&mut scores, fw, &mut weights, &methods)?;
    check_scored(&scores, fw, &kept.units)?;
    let ranks = rank_all(&scores, spec);
    let aggregate_log = aggregate_records(fw, &scores, &methods);

    Ok(Results {
        units: kept.units.clone(),
        excluded: screen_log.excluded.clone(),
        assessed: data.n_units(),
        raw: kept.values,
        treated: treated.values,
        scores,
        ranks,
        imputed,
        weights,
        weighting,
        publication: spec.publish.clone(),
        log: BuildLog {
            screen: screen_log,
            impute: impute_log,
            treat: treat_log,
            normalise: normalise_log,
            aggregate: aggregate_log,
        },
    })
}

/// Every unit that passed the screen must have a finite index score: a ranked unit without one
/// would be counted as ranked while appearing nowhere in the ranking.
fn check_scored(
    scores: &Matrix,
    fw: &Framework,
    units: &[crate::data::Unit],
) -> Result<(), BuildError> {
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
        crate::error::Location::Node(fw.nodes[fw.root].id.clone()),
        format!(
            "{} unit(s) passed the screen but have no finite index score (first: `{first}`, score {score})",
            bad.len()
        ),
        "exclude units with too little data in [screen] (min_coverage, min_dimension_indicators), lower `min_share`, impute the missing values, or bring the weights to a normal scale",
    ))
}

/// Transform then outlier treatment, column by column.
pub fn treat_all(
    values: &mut Matrix,
    fw: &Framework,
    units: &[String],
) -> Result<Vec<TreatRecord>, BuildError> {
    let mut log = Vec::with_capacity(fw.n_indicators);
    for j in 0..fw.n_indicators {
        let m = fw.indicator_methods(j);
        let col = values.col_mut(j);
        treat::transform(col, m.transform, &fw.nodes[j].id, units)?;
        let mut rec = TreatRecord {
            indicator: fw.nodes[j].id.clone(),
            transform: treat::transform_name(m.transform),
            ..TreatRecord::default()
        };
        treat::treat_outliers(col, m.outliers, &mut rec);
        log.push(rec);
    }
    Ok(log)
}

/// Normalises every indicator column of `treated` into the indicator columns of `scores`.
pub fn normalise_all(
    treated: &Matrix,
    scores: &mut Matrix,
    fw: &Framework,
) -> Result<Vec<NormaliseRecord>, BuildError> {
    let mut log = Vec::with_capacity(fw.n_indicators);
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
        log.push(NormaliseRecord {
            indicator: fw.nodes[j].id.clone(),
            method: normalise_name(m.normalise),
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

/// The resolved aggregation settings of every aggregate node.
pub fn aggregate_methods(fw: &Framework) -> Vec<AggregateMethods> {
    (fw.n_indicators..fw.nodes.len())
        .map(|k| *fw.aggregate_methods(k))
        .collect()
}

/// Ranks every node's column as the publication settings say.
pub fn rank_all(scores: &Matrix, spec: &Spec) -> Vec<Option<u32>> {
    let p = &spec.publish;
    let decimals = p.rank_on_rounded.then_some(p.decimals);
    (0..scores.cols)
        .flat_map(|k| rank::rank(scores.col(k), decimals, p.ties))
        .collect()
}

fn aggregate_records(
    fw: &Framework,
    scores: &Matrix,
    methods: &[AggregateMethods],
) -> Vec<AggregateRecord> {
    fw.bottom_up
        .iter()
        .map(|&k| {
            let m = methods[k - fw.n_indicators];
            AggregateRecord {
                node: fw.nodes[k].id.clone(),
                method: format!("{:?}", m.aggregate).to_lowercase(),
                min_share: m.min_share,
                rescale: match m.rescale {
                    Rescale::None => "none".into(),
                    Rescale::Leader { scale } => format!("leader = {scale}"),
                    Rescale::MinMax { low, high } => format!("min-max onto [{low}, {high}]"),
                },
                unscored: scores.col(k).iter().filter(|v| v.is_nan()).count(),
            }
        })
        .collect()
}

pub fn normalise_name(n: Normalise) -> String {
    match n {
        Normalise::None => "none".into(),
        Normalise::MinMax { low, high } => format!("min-max onto [{low}, {high}]"),
        Normalise::RatioToMax => "ratio to the leader x 100".into(),
        Normalise::Goalposts {
            best, worst, scale, ..
        } => format!("goalposts best {best}, worst {worst}, onto [0, {scale}]"),
        Normalise::ZScore { mean, sd } => format!("z-score (mean {mean}, sd {sd})"),
        Normalise::Percentile { scale } => format!("percentile rank x {scale}"),
        Normalise::DistanceToTarget { target, scale } => {
            format!("distance to target {target}, x {scale}")
        }
    }
}

/// Changes to the nominal recipe that leave the indicator scores alone: what the uncertainty
/// analysis perturbs. `None` keeps the nominal setting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// Weight of every node within its parent (as [`weight::nominal`] returns them).
    pub weights: Option<Vec<f64>>,
    /// Aggregation settings per aggregate node (index `k - n_indicators`).
    pub methods: Option<Vec<AggregateMethods>>,
    /// Indicators left out: treated as missing for every unit, so their siblings' weights are
    /// renormalised. The ranked units stay those of the nominal screen.
    pub excluded: Vec<usize>,
}

/// The ranked units and their indicator scores: everything before weighting and aggregation.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub units: Vec<crate::data::Unit>,
    /// Units x nodes; the indicator columns are filled, the aggregate columns are missing.
    pub scores: Matrix,
}

/// Screen, impute, treat and normalise: the part of [`build`] that weights and aggregation do
/// not change, so an analysis that varies only those can do it once.
pub fn prepare(spec: &Spec, fw: &Framework, data: &Dataset) -> Result<Prepared, BuildError> {
    let screen_log = screen::screen(data, fw, &spec.screen)?;
    prepare_units(fw, data, &screen_log.kept)
}

/// [`prepare`] for a given set of ranked units (rows of `data`).
pub fn prepare_units(
    fw: &Framework,
    data: &Dataset,
    kept: &[usize],
) -> Result<Prepared, BuildError> {
    let kept = data.select_units(kept);
    let unit_ids: Vec<String> = kept.units.iter().map(|u| u.id.clone()).collect();
    let mut log = ImputeLog::default();
    let mut treated = kept.clone();
    let mut imputed = impute::impute_raw(&mut treated, fw, &mut log);
    treat_all(&mut treated.values, fw, &unit_ids)?;
    let mut scores = Matrix::new(kept.n_units(), fw.nodes.len());
    normalise_all(&treated.values, &mut scores, fw)?;
    impute::impute_parent_mean(&mut scores, &kept.units, fw, &mut imputed, &mut log);
    Ok(Prepared {
        units: kept.units,
        scores,
    })
}

/// Aggregates and ranks prepared scores under `overrides`; returns the scores at every node
/// and the ranks (column-major, as in [`Results`]).
pub fn build_with(
    spec: &Spec,
    fw: &Framework,
    prepared: &Prepared,
    overrides: &Overrides,
) -> Result<(Matrix, Vec<Option<u32>>), BuildError> {
    let mut scores = prepared.scores.clone();
    for &j in &overrides.excluded {
        scores.col_mut(j).fill(f64::NAN);
    }
    let weights = overrides
        .weights
        .clone()
        .unwrap_or_else(|| weight::nominal(fw));
    let methods = overrides
        .methods
        .clone()
        .unwrap_or_else(|| aggregate_methods(fw));
    aggregate::aggregate(&mut scores, fw, &weights, &methods)?;
    let ranks = rank_all(&scores, spec);
    Ok((scores, ranks))
}
