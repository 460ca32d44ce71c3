//! The generator, in layers: targets (`plan`) -> indicator scores -> indicator values.
//!
//! It inverts the example's method (log1p, ratio to leader, mean, leader rescaled to
//! 100, equal-weight overall), so the fixed cities' targets come out by construction.

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use crate::cities::{City, CANDIDATES};
use crate::rng::Draws;
use crate::settings::{Dimension, GeneratorSettings, IndicatorSettings};

const STAGE_STRENGTH: u64 = 1;
const STAGE_EXCLUSION: u64 = 2;
const STAGE_EXCLUDED_OVERALL: u64 = 3;
const STAGE_DIMENSIONS: u64 = 4;
const STAGE_MISSING: u64 = 5;
const STAGE_INDICATORS: u64 = 6;
const STAGE_JITTER: u64 = 7;

/// Whether the screening rule lets a city into the ranking, and why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Ranked; `slot` is the intended rank (1-based).
    Ranked { slot: usize },
    /// Fewer indicators present than the rule asks for.
    ExcludedTooFew,
    /// No data at all in this dimension.
    ExcludedMissingDimension(Dimension),
}

impl Status {
    pub fn is_ranked(self) -> bool {
        matches!(self, Status::Ranked { .. })
    }
}

/// What the generator aims at for one city.
#[derive(Debug, Clone, PartialEq)]
pub struct CityTarget {
    pub unit: u32,
    pub status: Status,
    /// Targets taken from `[[fixed]]` (the published facts) rather than drawn.
    pub fixed: bool,
    /// Intended overall score: the mean of `dimensions`.
    pub overall: f64,
    /// Intended dimension scores as the method reports them (leader = 100),
    /// in `Dimension::ALL` order.
    pub dimensions: [f64; 4],
}

/// First layer: cities, their targets and which cells are present.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub label: String,
    pub cities: Vec<City>,
    pub indicators: Vec<IndicatorSettings>,
    /// One per city, in `cities` order.
    pub targets: Vec<CityTarget>,
    /// `present[city][indicator]`.
    pub present: Vec<Vec<bool>>,
}

/// The generated example: the plan, intended indicator scores and the values.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleData {
    pub plan: Plan,
    /// Intended indicator scores (0-100, before rounding the values); `None` = missing.
    pub scores: Vec<Vec<Option<f64>>>,
    /// Indicator values as written to `indicators.csv`; `None` = missing.
    pub values: Vec<Vec<Option<f64>>>,
}

/// Settings that cannot produce the data they describe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateError(pub String);

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "generator settings: {}", self.0)
    }
}

impl std::error::Error for GenerateError {}

fn err<T>(msg: impl Into<String>) -> Result<T, GenerateError> {
    Err(GenerateError(msg.into()))
}

/// Runs all layers.
pub fn generate(settings: &GeneratorSettings) -> Result<ExampleData, GenerateError> {
    let plan = plan(settings)?;
    let scores = indicator_scores(settings, &plan)?;
    let values = indicator_values(&plan, &scores);
    Ok(ExampleData {
        plan,
        scores,
        values,
    })
}

/// Targets: who is ranked, at which slot, with which dimension scores, and the
/// missing-value pattern.
pub fn plan(settings: &GeneratorSettings) -> Result<Plan, GenerateError> {
    let cities: Vec<City> = CANDIDATES.to_vec();
    validate(settings, &cities)?;
    let n_cities = cities.len();
    let index_of: HashMap<u32, usize> = cities
        .iter()
        .enumerate()
        .map(|(i, c)| (c.unit, i))
        .collect();
    let fixed: HashMap<usize, usize> = settings
        .fixed
        .iter()
        .enumerate()
        .map(|(k, f)| (index_of[&f.unit], k))
        .collect();

    // Strength orders the generated cities: size/status, region, group bonuses, noise.
    let st = &settings.strength;
    let mut draws = Draws::new(settings.seed, STAGE_STRENGTH);
    let strength: Vec<f64> = cities
        .iter()
        .map(|c| {
            // GB/T 2260: municipalities end in 0000, provincial capitals in 0100.
            let base = if c.unit % 10_000 == 0 {
                st.municipality
            } else if c.unit % 10_000 == 100 {
                st.capital
            } else {
                st.other
            };
            let bonus: f64 = st
                .groups
                .iter()
                .filter(|g| g.units.contains(&c.unit))
                .map(|g| g.bonus)
                .sum();
            base + st.region.get(c.region) + bonus + st.noise * draws.normal()
        })
        .collect();
    let mut generated: Vec<usize> = (0..n_cities).filter(|i| !fixed.contains_key(i)).collect();
    generated.sort_by(|&a, &b| {
        strength[a]
            .total_cmp(&strength[b])
            .then(cities[a].unit.cmp(&cities[b].unit))
    });

    // Exclusions come from the weakest candidates, with a mix of reasons.
    let counts = &settings.counts;
    let n_ind = settings.indicators.len();
    let dims_clean: Vec<Dimension> = Dimension::ALL
        .into_iter()
        .filter(|&d| n_ind - dim_size(settings, d) >= counts.min_indicators)
        .collect();
    let mut draws = Draws::new(settings.seed, STAGE_EXCLUSION);
    let mut pool: Vec<usize> = generated[..counts.exclusion_pool].to_vec();
    draws.shuffle(&mut pool);
    let mut status: Vec<Option<Status>> = vec![None; n_cities];
    for (k, &i) in pool.iter().enumerate() {
        if k < counts.excluded_too_few {
            status[i] = Some(Status::ExcludedTooFew);
        } else if k < counts.excluded_too_few + counts.excluded_missing_dimension {
            let d = dims_clean[draws.below(dims_clean.len())];
            status[i] = Some(Status::ExcludedMissingDimension(d));
        }
    }
    let taken: BTreeSet<usize> = settings.fixed.iter().map(|f| f.slot).collect();
    let mut free_slots = (1..=counts.ranked).filter(|s| !taken.contains(s));
    for &i in generated.iter().rev() {
        if status[i].is_none() {
            let slot = free_slots.next().expect("slot count checked");
            status[i] = Some(Status::Ranked { slot });
        }
    }
    for (&i, &k) in &fixed {
        status[i] = Some(Status::Ranked {
            slot: settings.fixed[k].slot,
        });
    }
    let status: Vec<Status> = status.into_iter().map(|s| s.expect("all set")).collect();

    // Overall targets: fixed from the facts, ranked from the curve (jittered so the
    // knots do not show), excluded drawn.
    let mut draws = Draws::new(settings.seed, STAGE_EXCLUDED_OVERALL);
    let mut jitter = Draws::new(settings.seed, STAGE_JITTER);
    let [lo, hi] = settings.spread.excluded_overall;
    let j = settings.spread.overall_jitter;
    let overall: Vec<f64> = (0..n_cities)
        .map(|i| match (fixed.get(&i), status[i]) {
            (Some(&k), _) => settings.fixed[k].scores.to_array().iter().sum::<f64>() / 4.0,
            (None, Status::Ranked { slot }) => {
                curve(&settings.curve, slot as f64) + j * (2.0 * jitter.uniform() - 1.0)
            }
            (None, _) => lo + (hi - lo) * draws.uniform(),
        })
        .collect();

    // Dimension targets: overall plus a centred regional bias and noise.
    let sp = &settings.spread;
    let mut draws = Draws::new(settings.seed, STAGE_DIMENSIONS);
    let mut targets = Vec::with_capacity(n_cities);
    for i in 0..n_cities {
        let dimensions = if let Some(&k) = fixed.get(&i) {
            settings.fixed[k].scores.to_array()
        } else {
            let o = overall[i];
            if o < sp.dimension_floor || o > sp.dimension_cap {
                return err(format!(
                    "overall target {o:.2} of {} lies outside [dimension_floor, dimension_cap]",
                    cities[i].unit
                ));
            }
            let bias = settings.region_bias.get(cities[i].region).to_array();
            let mut dev: Vec<f64> = bias
                .iter()
                .map(|b| b + sp.dimension_noise * draws.normal())
                .collect();
            centre_and_fit(o, &mut dev, sp.dimension_floor, sp.dimension_cap);
            [o + dev[0], o + dev[1], o + dev[2], o + dev[3]]
        };
        targets.push(CityTarget {
            unit: cities[i].unit,
            status: status[i],
            fixed: fixed.contains_key(&i),
            overall: overall[i],
            dimensions,
        });
    }

    // Missing cells.
    let mut draws = Draws::new(settings.seed, STAGE_MISSING);
    let dim_of: Vec<Dimension> = settings.indicators.iter().map(|s| s.dimension).collect();
    let mut present = vec![vec![true; n_ind]; n_cities];
    for i in 0..n_cities {
        let row = &mut present[i];
        let mut order: Vec<usize> = (0..n_ind).collect();
        match status[i] {
            _ if fixed.contains_key(&i) => {}
            Status::Ranked { .. } => {
                for (j, ind) in settings.indicators.iter().enumerate() {
                    let u = draws.uniform();
                    let missing = row.iter().filter(|p| !**p).count();
                    if u < ind.missing_rate
                        && missing < counts.max_missing_ranked
                        && dim_present(row, &dim_of, ind.dimension) > 1
                    {
                        row[j] = false;
                    }
                }
            }
            Status::ExcludedTooFew => {
                let fewest = n_ind - counts.min_indicators + 1;
                let most = (fewest + 3).min(n_ind - Dimension::ALL.len());
                let k = fewest + draws.below(most - fewest + 1);
                draws.shuffle(&mut order);
                blank_keeping_dimensions(row, &dim_of, &order, k);
            }
            Status::ExcludedMissingDimension(d) => {
                for j in 0..n_ind {
                    if dim_of[j] == d {
                        row[j] = false;
                    }
                }
                let extra = draws.below(n_ind - dim_size(settings, d) - counts.min_indicators + 1);
                draws.shuffle(&mut order);
                order.retain(|&j| dim_of[j] != d);
                blank_keeping_dimensions(row, &dim_of, &order, extra);
            }
        }
    }

    Ok(Plan {
        label: settings.label.clone(),
        cities,
        indicators: settings.indicators.clone(),
        targets,
        present,
    })
}

/// Second layer: each present cell's intended score. Within a dimension the scores
/// average to the city's raw dimension target (zero-sum noise), and each indicator's
/// leader scores exactly 100, so normalising reproduces the targets.
pub fn indicator_scores(
    settings: &GeneratorSettings,
    plan: &Plan,
) -> Result<Vec<Vec<Option<f64>>>, GenerateError> {
    let leaders = indicator_leaders(settings)?;
    let mut draws = Draws::new(settings.seed, STAGE_INDICATORS);
    let n_ind = plan.indicators.len();
    let mut out = vec![vec![None; n_ind]; plan.cities.len()];
    for (i, target) in plan.targets.iter().enumerate() {
        let noise: Vec<f64> = (0..n_ind)
            .map(|_| settings.spread.indicator_noise * draws.normal())
            .collect();
        for d in Dimension::ALL {
            let cells: Vec<usize> = (0..n_ind)
                .filter(|&j| plan.indicators[j].dimension == d && plan.present[i][j])
                .collect();
            if cells.is_empty() {
                continue;
            }
            let raw = target.dimensions[d.index()] * settings.leader_mean.get(d) / 100.0;
            let (led, free): (Vec<usize>, Vec<usize>) =
                cells.iter().partition(|&&j| leaders[j] == target.unit);
            for &j in &led {
                out[i][j] = Some(100.0);
            }
            if free.is_empty() {
                if (raw - 100.0).abs() > 1e-9 {
                    return err(format!(
                        "{} leads every {} indicator, so its leader_mean must be 100",
                        target.unit,
                        d.id()
                    ));
                }
                continue;
            }
            let mean = (cells.len() as f64 * raw - 100.0 * led.len() as f64) / free.len() as f64;
            if !(0.0..=100.0).contains(&mean) {
                return err(format!(
                    "{} cannot reach its {} target: its other indicators would average {mean:.2}",
                    target.unit,
                    d.id()
                ));
            }
            let mut dev: Vec<f64> = free.iter().map(|&j| noise[j]).collect();
            centre_and_fit(mean, &mut dev, 0.0, 100.0);
            for (&j, e) in free.iter().zip(dev) {
                out[i][j] = Some(mean + e);
            }
        }
    }
    Ok(out)
}

/// Third layer: values from scores by inverting log1p and the ratio to the leader.
/// Rounding errors are carried to the next indicator of the same dimension (finest
/// last), so dimension means stay on target even with small counts.
pub fn indicator_values(plan: &Plan, scores: &[Vec<Option<f64>>]) -> Vec<Vec<Option<f64>>> {
    let n_ind = plan.indicators.len();
    let mut out = vec![vec![None; n_ind]; plan.cities.len()];
    for (i, row) in scores.iter().enumerate() {
        for d in Dimension::ALL {
            let mut cells: Vec<(usize, f64)> = (0..n_ind)
                .filter(|&j| plan.indicators[j].dimension == d)
                .filter_map(|j| row[j].map(|s| (j, s)))
                .collect();
            cells.sort_by(|a, b| {
                let xa = value_for(&plan.indicators[a.0], a.1);
                let xb = value_for(&plan.indicators[b.0], b.1);
                xa.total_cmp(&xb).then(a.0.cmp(&b.0))
            });
            let mut carry = 0.0;
            for (j, s) in cells {
                let ind = &plan.indicators[j];
                let want = s + carry;
                let x = nearest_value(ind, want.clamp(0.0, 100.0));
                carry = want - score_of(ind, x);
                out[i][j] = Some(x);
            }
        }
    }
    out
}

/// Score (0-100) that the method gives value `x` when the leader has `xmax`.
pub fn score_of(ind: &IndicatorSettings, x: f64) -> f64 {
    100.0 * x.ln_1p() / ind.xmax.ln_1p()
}

fn value_for(ind: &IndicatorSettings, score: f64) -> f64 {
    (score / 100.0 * ind.xmax.ln_1p()).exp_m1()
}

/// The representable value (given `decimals`) whose score is closest to `score`.
fn nearest_value(ind: &IndicatorSettings, score: f64) -> f64 {
    let q = 10f64.powi(ind.decimals as i32);
    let k = (value_for(ind, score) * q).floor();
    let candidates = [k / q, (k + 1.0) / q].map(|x| x.clamp(0.0, ind.xmax));
    let err = |x: f64| (score_of(ind, x) - score).abs();
    if err(candidates[1]) < err(candidates[0]) {
        candidates[1]
    } else {
        candidates[0]
    }
}

fn indicator_leaders(settings: &GeneratorSettings) -> Result<Vec<u32>, GenerateError> {
    let mut dim_leader = HashMap::new();
    for d in Dimension::ALL {
        let leaders: Vec<u32> = settings
            .fixed
            .iter()
            .filter(|f| f.scores.get(d) == 100.0)
            .map(|f| f.unit)
            .collect();
        if leaders.len() != 1 {
            return err(format!(
                "dimension {} needs exactly one fixed city scoring 100",
                d.id()
            ));
        }
        dim_leader.insert(d, leaders[0]);
    }
    settings
        .indicators
        .iter()
        .map(|ind| match ind.leader {
            Some(u) if settings.fixed.iter().any(|f| f.unit == u) => Ok(u),
            Some(u) => err(format!("leader {u} of {} is not a fixed city", ind.id)),
            None => Ok(dim_leader[&ind.dimension]),
        })
        .collect()
}

fn validate(settings: &GeneratorSettings, cities: &[City]) -> Result<(), GenerateError> {
    let c = &settings.counts;
    let n_ind = settings.indicators.len();
    let ids: BTreeSet<&str> = settings.indicators.iter().map(|i| i.id.as_str()).collect();
    if ids.len() != n_ind {
        return err("indicator ids must be unique");
    }
    for d in Dimension::ALL {
        if dim_size(settings, d) == 0 {
            return err(format!("dimension {} has no indicator", d.id()));
        }
    }
    for ind in &settings.indicators {
        let q = 10f64.powi(ind.decimals as i32);
        if ind.xmax <= 0.0 || (ind.xmax * q).fract() != 0.0 || ind.decimals > 6 {
            return err(format!(
                "xmax of {} must be positive at its decimals",
                ind.id
            ));
        }
    }
    if c.ranked + c.excluded_too_few + c.excluded_missing_dimension != cities.len() {
        return err(format!(
            "ranked + excluded must equal the {} candidates",
            cities.len()
        ));
    }
    if c.min_indicators > n_ind || c.min_indicators < Dimension::ALL.len() {
        return err("min_indicators out of range");
    }
    if n_ind - c.min_indicators + 1 > n_ind - Dimension::ALL.len() && c.excluded_too_few > 0 {
        return err("cannot miss enough indicators while keeping every dimension");
    }
    if c.max_missing_ranked > n_ind - c.min_indicators {
        return err("max_missing_ranked would exclude ranked cities");
    }
    let clean = Dimension::ALL
        .iter()
        .filter(|&&d| n_ind - dim_size(settings, d) >= c.min_indicators)
        .count();
    if clean == 0 && c.excluded_missing_dimension > 0 {
        return err("no dimension can be missing without too few indicators");
    }
    let generated = cities.len() - settings.fixed.len();
    if c.exclusion_pool < c.excluded_too_few + c.excluded_missing_dimension
        || c.exclusion_pool > generated
    {
        return err("exclusion_pool out of range");
    }
    let mut units = BTreeSet::new();
    let mut slots = BTreeSet::new();
    for f in &settings.fixed {
        if !cities.iter().any(|x| x.unit == f.unit) {
            return err(format!("fixed city {} is not a candidate", f.unit));
        }
        if !units.insert(f.unit) || !slots.insert(f.slot) || f.slot == 0 || f.slot > c.ranked {
            return err(format!("fixed city {}: duplicate unit or bad slot", f.unit));
        }
        if f.scores
            .to_array()
            .iter()
            .any(|s| !(0.0..=100.0).contains(s))
        {
            return err(format!("fixed city {}: scores must be in [0, 100]", f.unit));
        }
    }
    let sp = &settings.spread;
    if sp.dimension_cap >= 100.0 || sp.dimension_floor < 0.0 {
        return err("generated dimension targets must stay in [0, 100)");
    }
    for d in Dimension::ALL {
        let m = settings.leader_mean.get(d);
        if !(0.0..=100.0).contains(&m) || m == 0.0 {
            return err(format!("leader_mean of {} must be in (0, 100]", d.id()));
        }
    }
    if settings.curve.is_empty() || settings.curve.windows(2).any(|w| w[0][0] >= w[1][0]) {
        return err("curve knots must be non-empty with increasing slots");
    }
    Ok(())
}

fn dim_size(settings: &GeneratorSettings, d: Dimension) -> usize {
    settings
        .indicators
        .iter()
        .filter(|i| i.dimension == d)
        .count()
}

fn dim_present(row: &[bool], dim_of: &[Dimension], d: Dimension) -> usize {
    row.iter()
        .zip(dim_of)
        .filter(|(p, &x)| **p && x == d)
        .count()
}

/// Blanks up to `k` cells in `order`, never the last present one of a dimension.
fn blank_keeping_dimensions(row: &mut [bool], dim_of: &[Dimension], order: &[usize], k: usize) {
    let mut done = 0;
    for &j in order {
        if done == k {
            break;
        }
        if row[j] && dim_present(row, dim_of, dim_of[j]) > 1 {
            row[j] = false;
            done += 1;
        }
    }
}

/// Centres `dev` to sum zero, then shrinks it so `centre + dev` stays in [lo, hi].
fn centre_and_fit(centre: f64, dev: &mut [f64], lo: f64, hi: f64) {
    let mean = dev.iter().sum::<f64>() / dev.len() as f64;
    let mut scale: f64 = 1.0;
    for e in dev.iter_mut() {
        *e -= mean;
        if centre + *e > hi {
            scale = scale.min((hi - centre) / *e);
        } else if centre + *e < lo {
            scale = scale.min((centre - lo) / -*e);
        }
    }
    for e in dev.iter_mut() {
        *e *= scale.max(0.0);
    }
}

/// Piecewise-linear overall target by rank slot, flat beyond the end knots.
fn curve(knots: &[[f64; 2]], slot: f64) -> f64 {
    let first = knots[0];
    let last = knots[knots.len() - 1];
    if slot <= first[0] {
        return first[1];
    }
    if slot >= last[0] {
        return last[1];
    }
    let w = knots
        .windows(2)
        .find(|w| slot <= w[1][0])
        .expect("slot inside knots");
    let t = (slot - w[0][0]) / (w[1][0] - w[0][0]);
    w[0][1] + t * (w[1][1] - w[0][1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centring_keeps_mean_and_bounds() {
        let mut dev = vec![30.0, -5.0, 2.0, 1.0];
        centre_and_fit(90.0, &mut dev, 0.0, 100.0);
        assert!(dev.iter().sum::<f64>().abs() < 1e-9);
        assert!(dev
            .iter()
            .all(|e| (0.0..=100.0 + 1e-9).contains(&(90.0 + e))));
    }

    #[test]
    fn curve_interpolates_and_clamps() {
        let knots = [[6.0, 70.0], [10.0, 60.0]];
        assert_eq!(curve(&knots, 1.0), 70.0);
        assert_eq!(curve(&knots, 8.0), 65.0);
        assert_eq!(curve(&knots, 99.0), 60.0);
    }

    #[test]
    fn values_invert_scores() {
        let ind = IndicatorSettings {
            id: "x".into(),
            dimension: Dimension::Rd,
            meaning: String::new(),
            xmax: 1000.0,
            decimals: 0,
            missing_rate: 0.0,
            leader: None,
        };
        assert_eq!(nearest_value(&ind, 100.0), 1000.0);
        assert_eq!(nearest_value(&ind, 0.0), 0.0);
        let x = nearest_value(&ind, 50.0);
        assert_eq!(x, 31.0);
        assert!((score_of(&ind, x) - 50.0).abs() < 0.5);
    }
}
