//! The `[uncertainty]` section: which assumptions of the method are uncertain, and how much.
//!
//! It lives in the spec rather than a file beside it so that the one reviewed document holds
//! the method and the doubts about it, and the manifest's hash of the spec covers both.
//! Every field has a default, so an empty or absent section still gives a sensible analysis.

use super::methods::shorthand;
use super::{Aggregate, Normalise, Outliers};
use serde::de::{DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncertainty {
    /// Relative weight noise: each weight is multiplied by a uniform draw in [1 - x, 1 + x].
    #[serde(default = "quarter")]
    pub weight_noise: f64,
    /// Per-level noise, overriding `weight_noise` (level of the weighted children: 1 = indicators).
    #[serde(default, rename = "level")]
    pub levels: Vec<LevelNoise>,
    /// Alternative aggregations, drawn with equal probability. Absent: arithmetic and geometric
    /// where the nominal scores allow a geometric mean, arithmetic alone otherwise.
    #[serde(default, deserialize_with = "some_methods")]
    pub aggregations: Option<Vec<Aggregate>>,
    /// Levels whose aggregation is perturbed (default: the index level only).
    #[serde(default)]
    pub aggregation_levels: Vec<u32>,
    /// Alternative normalisations for every indicator, besides the nominal one.
    #[serde(default, deserialize_with = "methods")]
    pub normalisations: Vec<Normalise>,
    /// Alternative outlier treatments for every indicator, besides the nominal one.
    #[serde(default, deserialize_with = "methods")]
    pub outliers: Vec<Outliers>,
    /// Drop one indicator at a time (or none), with equal probability.
    #[serde(default)]
    pub exclude_indicator: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelNoise {
    pub level: u32,
    pub noise: f64,
}

fn quarter() -> f64 {
    0.25
}

impl Default for Uncertainty {
    fn default() -> Self {
        Uncertainty {
            weight_noise: quarter(),
            levels: Vec::new(),
            aggregations: None,
            aggregation_levels: Vec::new(),
            normalisations: Vec::new(),
            outliers: Vec::new(),
            exclude_indicator: false,
        }
    }
}

impl Uncertainty {
    /// The weight noise of the children at `level`.
    pub fn noise_at(&self, level: u32) -> f64 {
        self.levels
            .iter()
            .find(|l| l.level == level)
            .map_or(self.weight_noise, |l| l.noise)
    }
}

/// One method, written as a name or as a table (as everywhere in the spec).
#[derive(Deserialize)]
#[serde(transparent, bound = "T: DeserializeOwned + Serialize")]
struct Method<T>(#[serde(deserialize_with = "shorthand")] Option<T>);

fn methods<'de, D: Deserializer<'de>, T: DeserializeOwned + Serialize>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    let v = Vec::<Method<T>>::deserialize(d)?;
    Ok(v.into_iter().filter_map(|m| m.0).collect())
}

fn some_methods<'de, D: Deserializer<'de>, T: DeserializeOwned + Serialize>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    methods(d).map(Some)
}
