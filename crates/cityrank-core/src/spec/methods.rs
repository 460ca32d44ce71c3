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
    /// values get the GII log transform instead.
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
    /// (x - mean) / sd with the n-1 standard deviation, mapped to mean `mean` and sd `sd`.
    ZScore {
        #[serde(default)]
        mean: f64,
        #[serde(default = "one")]
        sd: f64,
    },
    /// Share of the other units a unit beats (ties count half), times `scale`.
    Percentile {
        #[serde(default = "hundred")]
        scale: f64,
    },
    /// Distance to a target in raw units: scale * (x - min) / (target - min), capped at scale.
    DistanceToTarget {
        target: f64,
        #[serde(default = "hundred")]
        scale: f64,
    },
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
    /// Mean of the unit's other normalised indicators in the same parent node; applied after
    /// normalisation, because raw units of different indicators do not mix.
    ParentMean,
}

/// How a node combines its children.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Aggregate {
    #[default]
    Arithmetic,
    /// Weighted geometric mean; needs positive child scores.
    Geometric,
    /// Weighted harmonic mean; needs positive child scores.
    Harmonic,
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// The `weight` written on each child (default 1).
    #[default]
    Explicit,
    /// Every child weighs the same, whatever is written on it.
    Equal,
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
pub(crate) fn shorthand<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    struct V<T>(PhantomData<T>);
    impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a method name, or a table with a `method` key")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<T, E> {
            let pairs = std::iter::once(("method", s));
            T::deserialize(de::value::MapDeserializer::<_, E>::new(pairs))
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_any(V(PhantomData)).map(Some)
}
