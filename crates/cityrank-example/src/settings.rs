//! `generator.toml`: everything the generator's output depends on.

use serde::{Deserialize, Serialize};

/// One of the four dimensions of the 2020 blockchain index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Dimension {
    #[serde(rename = "RD")]
    Rd,
    #[serde(rename = "IND")]
    Ind,
    #[serde(rename = "PUB")]
    Pub,
    #[serde(rename = "POL")]
    Pol,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Rd,
        Dimension::Ind,
        Dimension::Pub,
        Dimension::Pol,
    ];

    /// Node id used in the spec and in `published.csv`.
    pub fn id(self) -> &'static str {
        match self {
            Dimension::Rd => "RD",
            Dimension::Ind => "IND",
            Dimension::Pub => "PUB",
            Dimension::Pol => "POL",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// China's four statistical regions (NBS division).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Region {
    East,
    Central,
    West,
    Northeast,
}

impl Region {
    pub fn id(self) -> &'static str {
        match self {
            Region::East => "East",
            Region::Central => "Central",
            Region::West => "West",
            Region::Northeast => "Northeast",
        }
    }
}

/// A value per dimension, written `{ RD = .., IND = .., PUB = .., POL = .. }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerDimension {
    #[serde(rename = "RD")]
    pub rd: f64,
    #[serde(rename = "IND")]
    pub ind: f64,
    #[serde(rename = "PUB")]
    pub pub_: f64,
    #[serde(rename = "POL")]
    pub pol: f64,
}

impl PerDimension {
    pub fn to_array(self) -> [f64; 4] {
        [self.rd, self.ind, self.pub_, self.pol]
    }

    pub fn get(&self, d: Dimension) -> f64 {
        self.to_array()[d.index()]
    }
}

/// A value per region.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerRegion<T> {
    #[serde(rename = "East")]
    pub east: T,
    #[serde(rename = "Central")]
    pub central: T,
    #[serde(rename = "West")]
    pub west: T,
    #[serde(rename = "Northeast")]
    pub northeast: T,
}

impl<T: Copy> PerRegion<T> {
    pub fn get(&self, r: Region) -> T {
        match r {
            Region::East => self.east,
            Region::Central => self.central,
            Region::West => self.west,
            Region::Northeast => self.northeast,
        }
    }
}

/// The whole of `generator.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratorSettings {
    /// Printed wherever the data are shown, so nobody takes them for the real inputs.
    pub label: String,
    pub seed: u64,
    pub counts: Counts,
    /// Raw (pre-rescaling) mean indicator score of each dimension's leader; below 100
    /// lets other cities lead single indicators.
    pub leader_mean: PerDimension,
    pub spread: Spread,
    /// Overall target by rank slot: `[slot, score]` knots, linearly interpolated.
    pub curve: Vec<[f64; 2]>,
    pub strength: Strength,
    /// Added to a city's dimension targets (then centred), by region.
    pub region_bias: PerRegion<PerDimension>,
    pub indicators: Vec<IndicatorSettings>,
    /// Cities whose dimension targets are fixed (the published facts).
    pub fixed: Vec<FixedCity>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub ranked: usize,
    /// Excluded for covering fewer than `min_indicators` indicators.
    pub excluded_too_few: usize,
    /// Excluded for a dimension with no data at all.
    pub excluded_missing_dimension: usize,
    /// Excluded cities are drawn from this many weakest candidates.
    pub exclusion_pool: usize,
    /// The screening rule: at least this many indicators present.
    pub min_indicators: usize,
    /// Most cells a ranked city may miss.
    pub max_missing_ranked: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spread {
    /// Standard deviation of a city's dimension targets around its overall target.
    pub dimension_noise: f64,
    /// Bounds for generated dimension targets (the leaders' 100 stays unique).
    pub dimension_floor: f64,
    pub dimension_cap: f64,
    /// Standard deviation of indicator scores around their dimension's target.
    pub indicator_noise: f64,
    /// Half-width of the uniform jitter added to curve targets; keep it below half
    /// the curve's step so slots stay ranks.
    pub overall_jitter: f64,
    /// Range of overall targets of excluded cities.
    pub excluded_overall: [f64; 2],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strength {
    pub municipality: f64,
    pub capital: f64,
    pub other: f64,
    pub region: PerRegion<f64>,
    pub noise: f64,
    #[serde(default)]
    pub groups: Vec<StrengthGroup>,
}

/// Extra strength for a named group of cities (e.g. sub-provincial cities).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrengthGroup {
    pub name: String,
    pub bonus: f64,
    pub units: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSettings {
    pub id: String,
    pub dimension: Dimension,
    pub meaning: String,
    /// The leader's value: a score of 100 maps to it.
    pub xmax: f64,
    /// Decimals kept in the CSV (0 for counts).
    pub decimals: u32,
    /// Chance that a ranked, non-fixed city misses this indicator.
    pub missing_rate: f64,
    /// A fixed city leading this indicator instead of the dimension leader.
    #[serde(default)]
    pub leader: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedCity {
    pub unit: u32,
    /// The rank slot the city takes in the curve; the other cities fill the rest.
    pub slot: usize,
    pub scores: PerDimension,
}

impl GeneratorSettings {
    pub fn from_toml_str(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// Reads and parses a `generator.toml`.
    pub fn load(path: &std::path::Path) -> std::io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        Self::from_toml_str(&text).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {e}", path.display()),
            )
        })
    }
}
