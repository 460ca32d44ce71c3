//! Method choices, one enum per construction step.
//!
//! Every method is an enum variant checked when the spec loads, so a typo fails at once with the
//! list of valid names instead of deep inside a run. In TOML a method without parameters can be
//! written as a plain string (`transform = "log1p"`); one with parameters as a table with a
//! `method` key (`transform = { method = "box_cox", lambda = 0.5 }`).

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// Whether a higher raw value is better for the city.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    #[default]
    Higher,
    Lower,
}

impl Direction {
    pub fn sign(self) -> f64 {
        match self {
            Direction::Higher => 1.0,
            Direction::Lower => -1.0,
        }
    }
}

/// A monotone transform applied to raw values before normalisation (the "treat" step).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Transform {
    #[default]
    None,
    /// ln(x); needs x > 0.
    Log,
    /// ln(1 + x); the usual choice for counts with zeros.
    Log1p,
    /// ln(x + a); needs x + a > 0.
    LogShift { a: f64 },
    /// sqrt(x); needs x >= 0.
    Sqrt,
    /// (x^lambda - 1) / lambda, or ln(x) when lambda is 0; needs x > 0.
    BoxCox { lambda: f64 },
}

/// Outlier treatment, applied after the transform.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Outliers {
    #[default]
    None,
    /// The rule used by COINr and the Global Innovation Index: an indicator is treated when
    /// |skewness| >= `max_skew` and kurtosis >= `max_kurt`; its most extreme points are winsorised
    /// one at a time, up to `max_points`; if that does not bring it within bounds, the original
    /// values get COINr's `log_CT` transform instead: ln(x - min + 0.01 (max - min)).
    SkewKurt {
        #[serde(default = "default_skew")]
        max_skew: f64,
        #[serde(default = "default_kurt")]
        max_kurt: f64,
        #[serde(default = "default_points")]
        max_points: usize,
        #[serde(default = "yes")]
        log_fallback: bool,
    },
}

fn default_skew() -> f64 {
    2.0
}
fn default_kurt() -> f64 {
    3.5
}
fn default_points() -> usize {
    5
}
fn yes() -> bool {
    true
}
fn hundred() -> f64 {
    100.0
}

/// How treated values become comparable scores.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Normalise {
    /// Values are used as they are (for data that are already scores).
    None,
    /// (x - min) / (max - min) mapped to [low, high]; the default, as in COINr.
    MinMax {
        #[serde(default)]
        low: f64,
        #[serde(default = "hundred")]
        high: f64,
    },
    /// x / max * 100: the leader scores 100. For lower-is-better, min / x * 100.
    RatioToMax,
    /// Fixed goalposts in raw units, transformed like the data, clipped to [0, scale]:
    /// scale * (T(x) - T(worst)) / (T(best) - T(worst)). best < worst means lower is better.
    Goalposts {
        best: f64,
        worst: f64,
        #[serde(default = "hundred")]
        scale: f64,
        #[serde(default = "yes")]
        clip: bool,
    },
    /// (x - mean) / sd, mapped to mean `mean` and sd `sd`; the sd divides by n - 1 (COINr,
    /// R's `sd`) or by n (numpy's and scipy's default), as `divisor` says.
    ZScore {
        #[serde(default)]
        mean: f64,
        #[serde(default = "one")]
        sd: f64,
        #[serde(default, skip_serializing_if = "is_default")]
        divisor: SdDivisor,
    },
    /// Percentile rank (rank - 1) / (n - 1) times `scale`, with ties ranked as `ties` says.
    Percentile {
        #[serde(default = "hundred")]
        scale: f64,
        #[serde(default, skip_serializing_if = "is_default")]
        ties: PercentileTies,
    },
    /// Distance to a target in raw units: scale * (x - min) / (target - min), capped at scale
    /// unless `cap = false` (COINr's `n_dist2targ` with `cap_max`).
    DistanceToTarget {
        target: f64,
        #[serde(default = "hundred")]
        scale: f64,
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        cap: bool,
    },
    /// x / sum(x): each unit's share of the column (lower-is-better: (1/x) / sum(1/x)).
    Sum,
    /// x / sqrt(sum(x^2)), TOPSIS's vector normalisation (lower-is-better: 1 - x / sqrt(sum(x^2))).
    Vector,
}

/// The divisor of the variance in a z-score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SdDivisor {
    /// The sample standard deviation (n - 1), as COINr's `n_zscore` and R's `sd`.
    #[default]
    NMinus1,
    /// The population standard deviation (n), as `scipy.stats.zscore` by default.
    N,
}

/// How tied values are ranked in a percentile rank (R's `ties.method`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PercentileTies {
    /// Tied units share the mean of their ranks: a unit scores the share of the other units it
    /// beats, each tie counting half.
    #[default]
    Average,
    /// Tied units get the lowest of their ranks, as COINr's `n_prank` does by default.
    Min,
}

pub(crate) fn is_default<T: Default + PartialEq>(x: &T) -> bool {
    *x == T::default()
}

fn is_true(x: &bool) -> bool {
    *x
}

impl Default for Normalise {
    fn default() -> Self {
        Normalise::MinMax {
            low: 0.0,
            high: 100.0,
        }
    }
}

fn one() -> f64 {
    1.0
}

/// How missing values are filled. Off by default; every filled value is flagged in the results.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Impute {
    #[default]
    None,
    /// Column mean over the units that have a value.
    Mean,
    /// Column median over the units that have a value.
    Median,
    /// Mean of the indicator within the unit's group (a column of the units file, e.g. province).
    GroupMean { group: String },
    /// Median of the indicator within the unit's group, as COINr's `i_median_grp`.
    GroupMedian { group: String },
    /// Mean of the unit's other normalised indicators in the same parent node; applied after
    /// normalisation, because raw units of different indicators do not mix.
    ParentMean,
}

/// How a node combines its children.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Aggregate {
    #[default]
    Arithmetic,
    /// Weighted geometric mean; needs positive child scores.
    Geometric,
    /// Weighted harmonic mean; needs positive child scores.
    Harmonic,
    /// Weighted generalised (power) mean (sum w x^p / sum w)^(1/p), COINr's `a_genmean`; p != 0;
    /// needs child scores >= 0, and > 0 when p < 0.
    GeneralisedMean { p: f64 },
    /// Weighted median of the present children; `ties` settles a cumulative weight of exactly
    /// one half.
    WeightedMedian {
        #[serde(default)]
        ties: MedianTies,
    },
    /// MCDA over the node's whole child matrix (see `steps::mcda`): relative closeness to the
    /// ideal, Hwang & Yoon (1981), x 100, after the given normalisation of each child.
    Topsis {
        #[serde(default, skip_serializing_if = "is_default")]
        normalisation: TopsisNormalisation,
    },
    /// Zavadskas & Kaklauskas (1996) utility degree: 100 x Q / max Q.
    Copras,
    /// Keshavarz Ghorabaee et al. (2015) appraisal score, x 100.
    Edas,
    /// Opricovic & Tzeng (2004): 100 x (1 - Q), with `v` the weight of group utility.
    Vikor {
        #[serde(default = "half")]
        v: f64,
    },
    /// Brans & Vincke (1985) net outranking flow, mapped from [-1, 1] onto [0, 100].
    PrometheeIi {
        #[serde(default)]
        preference: Preference,
        /// Indifference threshold, in child-score units.
        #[serde(default)]
        q: f64,
        /// Strict preference threshold, in child-score units.
        #[serde(default)]
        p: f64,
        /// Gaussian parameter, in child-score units.
        #[serde(default)]
        s: f64,
        /// Thresholds of single children, by child id, instead of the ones above.
        #[serde(default, skip_serializing_if = "Criteria::is_empty")]
        criteria: Criteria,
    },
    /// Deng's grey relational grade against the ideal unit, x 100.
    GreyRelational {
        #[serde(default = "half")]
        rho: f64,
    },
    /// Munda & Nardo's non-compensatory Copeland score (wins minus losses of the weighted
    /// pairwise majority), mapped from [-(n-1), n-1] onto [0, 100].
    Copeland,
}

impl Aggregate {
    /// The weighted means: the aggregations a reader can choose in a what-if.
    pub const MEANS: [Aggregate; 3] = [
        Aggregate::Arithmetic,
        Aggregate::Geometric,
        Aggregate::Harmonic,
    ];

    /// Whether the method needs the whole matrix of the node's children rather than a
    /// per-unit mean.
    pub fn is_mcda(self) -> bool {
        !matches!(
            self,
            Aggregate::Arithmetic
                | Aggregate::Geometric
                | Aggregate::Harmonic
                | Aggregate::GeneralisedMean { .. }
                | Aggregate::WeightedMedian { .. }
        )
    }
}

/// Which value a weighted median takes when the sorted values' cumulative weight reaches exactly
/// one half at a value (so the values below and above it weigh the same).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedianTies {
    /// The mean of that value and the next: with equal weights, the ordinary median.
    #[default]
    Mean,
    /// That value (the lower weighted median).
    Lower,
    /// The next value (the upper weighted median).
    Upper,
}

/// How TOPSIS normalises each criterion before weighting it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TopsisNormalisation {
    /// x / sqrt(sum x^2), Hwang & Yoon's own.
    #[default]
    Vector,
    /// (x - min) / (max - min), pymcdm's default.
    MinMax,
    /// x / sum x.
    Sum,
}

/// One child's PROMETHEE preference function and thresholds, as written in `criteria`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    #[serde(default)]
    pub preference: Preference,
    #[serde(default)]
    pub q: f64,
    #[serde(default)]
    pub p: f64,
    #[serde(default)]
    pub s: f64,
}

/// Per-child PROMETHEE thresholds, by child id (sorted).
///
/// Leaked once when the spec is read, as [`Table`] is, so that `Aggregate` stays `Copy`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Criteria(pub &'static [(&'static str, Thresholds)]);

impl Criteria {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The thresholds written for child `id`, if any.
    pub fn get(&self, id: &str) -> Option<Thresholds> {
        self.0.iter().find(|(k, _)| *k == id).map(|(_, t)| *t)
    }
}

impl Serialize for Criteria {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, t) in self.0 {
            m.serialize_entry(k, t)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Criteria {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Criteria, D::Error> {
        let m: std::collections::BTreeMap<String, Thresholds> = Deserialize::deserialize(d)?;
        let pairs: Vec<(&'static str, Thresholds)> = m
            .into_iter()
            .map(|(k, t)| (&*Box::leak(k.into_boxed_str()), t))
            .collect();
        Ok(Criteria(Box::leak(pairs.into_boxed_slice())))
    }
}

fn half() -> f64 {
    0.5
}

/// PROMETHEE's generalised criteria (Brans & Vincke 1985, types I to VI).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preference {
    /// Type I: any positive difference is a full preference.
    #[default]
    Usual,
    /// Type II: preference once the difference exceeds `q`.
    UShape,
    /// Type III: linear up to `p`.
    VShape,
    /// Type IV: half preference between `q` and `p`, full above `p`.
    Level,
    /// Type V: indifference to `q`, linear to `p`.
    Linear,
    /// Type VI: 1 - exp(-d^2 / (2 s^2)).
    Gaussian,
}

/// An optional rescale of a node's scores after aggregation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rescale {
    #[default]
    None,
    /// The node's leader is set to `scale` (x * scale / max).
    Leader {
        #[serde(default = "hundred")]
        scale: f64,
    },
    /// Min-max onto [low, high].
    MinMax {
        #[serde(default)]
        low: f64,
        #[serde(default = "hundred")]
        high: f64,
    },
}

/// Where a node's child weights come from.
///
/// The data-driven methods (all but `explicit` and `equal`) need the data below the node, so
/// the build computes them in its bottom-up pass (`steps::weighting`). Written as a name or as a table with a `method` key.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Weighting {
    /// The `weight` written on each child (default 1).
    #[default]
    Explicit,
    /// Every child weighs the same, whatever is written on it.
    Equal,
    /// Shannon entropy weights of the child scores (Zeleny 1982; Hwang & Yoon 1981).
    Entropy,
    /// Entropy weights after a min-max rescale of each child onto [0, 1].
    EntropyMinMax,
    /// CRITIC: standard deviation times summed conflict (Diakoulaki et al. 1995).
    Critic,
    /// Standard deviation of each child's min-max rescaled scores.
    Sd,
    /// Standard deviation of each child's scores as they are (`{ method = "sd", data = "raw" }`).
    SdRaw,
    /// Squared loadings of the retained principal components (OECD/JRC Handbook 2008).
    Pca,
    /// The same after a varimax rotation of the retained components, as the Handbook does.
    PcaVarimax,
    /// Principal eigenvector of a pairwise comparison matrix (Saaty 1980), rows in child order.
    Ahp {
        matrix: Table,
        /// Accept a consistency ratio above 0.1.
        allow_inconsistent: bool,
    },
    /// Expert points per child (one row per expert), normalised and averaged.
    Budget { points: Table },
    /// Weights whose children's squared correlations with the node match `target` (default:
    /// the written weights).
    Optimised { target: Option<Table> },
}

impl Weighting {
    /// Whether the weights come from the data (or expert input) rather than the spec alone.
    pub fn is_data_driven(self) -> bool {
        !matches!(self, Weighting::Explicit | Weighting::Equal)
    }

    pub fn name(self) -> &'static str {
        match self {
            Weighting::Explicit => "explicit",
            Weighting::Equal => "equal",
            Weighting::Entropy => "entropy",
            Weighting::EntropyMinMax => "entropy_min_max",
            Weighting::Critic => "critic",
            Weighting::Sd => "sd",
            Weighting::SdRaw => "sd (data = \"raw\")",
            Weighting::Pca => "pca",
            Weighting::PcaVarimax => "pca_varimax",
            Weighting::Ahp { .. } => "ahp",
            Weighting::Budget { .. } => "budget",
            Weighting::Optimised { .. } => "optimised",
        }
    }
}

/// Which scores the standard deviation weights are computed on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SdData {
    /// Each child rescaled onto [0, 1] first (as CRITIC does).
    #[default]
    MinMax,
    /// The children's scores as they are (pymcdm's `standard_deviation_weights`).
    Raw,
}

/// A small numeric table from the spec (rows of equal length), stored row-major.
///
/// The slice is `'static` (leaked once when the spec is read: a spec lives as long as the
/// process) so that `Weighting`, and with it every node's resolved settings, stays `Copy`,
/// which the uncertainty analysis' replication loop relies on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Table {
    pub rows: usize,
    pub values: &'static [f64],
}

impl Table {
    pub fn from_rows(rows: Vec<Vec<f64>>) -> Result<Table, String> {
        let cols = rows.first().map_or(0, Vec::len);
        if rows.iter().any(|r| r.len() != cols) {
            return Err("the rows of the table have different lengths".into());
        }
        let n = rows.len();
        let flat: Vec<f64> = rows.into_iter().flatten().collect();
        Ok(Table {
            rows: n,
            values: Box::leak(flat.into_boxed_slice()),
        })
    }

    pub fn cols(&self) -> usize {
        self.values.len().checked_div(self.rows).unwrap_or(0)
    }

    pub fn row(&self, i: usize) -> &'static [f64] {
        let c = self.cols();
        &self.values[i * c..(i + 1) * c]
    }

    pub fn to_rows(&self) -> Vec<Vec<f64>> {
        (0..self.rows).map(|i| self.row(i).to_vec()).collect()
    }
}

/// The spec form of [`Weighting`], with owned tables.
#[derive(Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
enum WeightingDecl {
    Explicit,
    Equal,
    Entropy,
    EntropyMinMax,
    Critic,
    #[serde(alias = "standard_deviation")]
    Sd {
        #[serde(default, skip_serializing_if = "is_default")]
        data: SdData,
    },
    Pca,
    PcaVarimax,
    Ahp {
        matrix: Vec<Vec<f64>>,
        #[serde(default)]
        allow_inconsistent: bool,
    },
    Budget {
        points: Vec<Vec<f64>>,
    },
    #[serde(alias = "optimized")]
    Optimised {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<Vec<f64>>,
    },
}

impl TryFrom<WeightingDecl> for Weighting {
    type Error = String;
    fn try_from(d: WeightingDecl) -> Result<Weighting, String> {
        Ok(match d {
            WeightingDecl::Explicit => Weighting::Explicit,
            WeightingDecl::Equal => Weighting::Equal,
            WeightingDecl::Entropy => Weighting::Entropy,
            WeightingDecl::EntropyMinMax => Weighting::EntropyMinMax,
            WeightingDecl::Critic => Weighting::Critic,
            WeightingDecl::Sd {
                data: SdData::MinMax,
            } => Weighting::Sd,
            WeightingDecl::Sd { data: SdData::Raw } => Weighting::SdRaw,
            WeightingDecl::Pca => Weighting::Pca,
            WeightingDecl::PcaVarimax => Weighting::PcaVarimax,
            WeightingDecl::Ahp {
                matrix,
                allow_inconsistent,
            } => Weighting::Ahp {
                matrix: Table::from_rows(matrix)?,
                allow_inconsistent,
            },
            WeightingDecl::Budget { points } => Weighting::Budget {
                points: Table::from_rows(points)?,
            },
            WeightingDecl::Optimised { target } => Weighting::Optimised {
                target: target.map(|t| Table::from_rows(vec![t])).transpose()?,
            },
        })
    }
}

impl From<Weighting> for WeightingDecl {
    fn from(w: Weighting) -> WeightingDecl {
        match w {
            Weighting::Explicit => WeightingDecl::Explicit,
            Weighting::Equal => WeightingDecl::Equal,
            Weighting::Entropy => WeightingDecl::Entropy,
            Weighting::EntropyMinMax => WeightingDecl::EntropyMinMax,
            Weighting::Critic => WeightingDecl::Critic,
            Weighting::Sd => WeightingDecl::Sd {
                data: SdData::MinMax,
            },
            Weighting::SdRaw => WeightingDecl::Sd { data: SdData::Raw },
            Weighting::Pca => WeightingDecl::Pca,
            Weighting::PcaVarimax => WeightingDecl::PcaVarimax,
            Weighting::Ahp {
                matrix,
                allow_inconsistent,
            } => WeightingDecl::Ahp {
                matrix: matrix.to_rows(),
                allow_inconsistent,
            },
            Weighting::Budget { points } => WeightingDecl::Budget {
                points: points.to_rows(),
            },
            Weighting::Optimised { target } => WeightingDecl::Optimised {
                target: target.map(|t| t.values.to_vec()),
            },
        }
    }
}

impl Serialize for Weighting {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Weighting::Ahp { .. }
            | Weighting::Budget { .. }
            | Weighting::Optimised { .. }
            | Weighting::SdRaw => WeightingDecl::from(*self).serialize(s),
            // Methods without parameters keep their plain-name form.
            _ => s.serialize_str(self.name()),
        }
    }
}

impl<'de> Deserialize<'de> for Weighting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Weighting, D::Error> {
        let decl: Option<WeightingDecl> = shorthand(d)?;
        decl.map_or(Ok(Weighting::Explicit), |w| {
            Weighting::try_from(w).map_err(de::Error::custom)
        })
    }
}

/// How ties are ranked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ties {
    /// Competition ranking: 1, 2, 2, 4.
    #[default]
    Min,
    /// Dense ranking: 1, 2, 2, 3.
    Dense,
}

/// Accepts a method as a plain string or as a table with a `method` key.
///
/// A table that gives keys to a method without parameters is refused: serde ignores extra keys
/// on the unit variants of an internally tagged enum, and a user who wrote
/// `{ method = "sqrt", power = 3 }` believes a setting ran that did not. (Methods with
/// parameters refuse unknown keys themselves, through `deny_unknown_fields`.)
pub(crate) fn shorthand<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Serialize,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned + Serialize> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a method name, or a table with a `method` key")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            let pairs = std::iter::once(("method", s));
            T::deserialize(de::value::MapDeserializer::<_, E>::new(pairs))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            let mut keys = Vec::new();
            let recording = Keys {
                inner: map,
                keys: &mut keys,
            };
            let method = T::deserialize(de::value::MapAccessDeserializer::new(recording))?;
            match no_parameters(&method, &keys) {
                Some(msg) => Err(de::Error::custom(msg)),
                None => Ok(method),
            }
        }
    }
    d.deserialize_any(V(PhantomData)).map(Some)
}

/// The error for keys given to a method that has no parameters, if there are any.
///
/// A method has no parameters when it serialises to its `method` key alone.
fn no_parameters<T: Serialize>(method: &T, keys: &[String]) -> Option<String> {
    let serde_json::Value::Object(fields) = serde_json::to_value(method).ok()? else {
        return None;
    };
    let name = fields.get("method")?.as_str()?;
    let extra = keys.iter().find(|k| *k != "method")?;
    (fields.len() == 1).then(|| {
        format!("unknown field `{extra}`: method `{name}` takes no parameters, so `{extra}` would not run")
    })
}

/// A map that notes the keys read from it, for [`no_parameters`].
struct Keys<'a, A> {
    inner: A,
    keys: &'a mut Vec<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Keys<'_, A> {
    type Error = A::Error;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let Some(key) = self.inner.next_key::<String>()? else {
            return Ok(None);
        };
        let k = seed.deserialize(de::value::StrDeserializer::<A::Error>::new(&key))?;
        self.keys.push(key);
        Ok(Some(k))
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}
