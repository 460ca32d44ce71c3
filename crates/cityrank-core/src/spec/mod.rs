//! The methodology file: one reviewable document that holds the whole method.
//!
//! These types mirror the TOML a ranking-maker writes (see `docs/spec.md`). They are plain data;
//! [`crate::framework::Framework::from_spec`] checks that they make a consistent tree.
//! Unknown keys are rejected (`deny_unknown_fields`) so that a typo is an error, not a silently
//! ignored setting.

#[macro_use]
mod fields;
pub mod methods;
pub mod names;
pub mod records;
pub mod rules;
pub mod uncertainty;

use methods::shorthand;
pub use methods::*;
pub use rules::*;
use serde::{Deserialize, Serialize};
pub use uncertainty::Uncertainty;

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub meta: Meta,
    pub units: UnitsDecl,
    #[serde(default)]
    pub data: Vec<DataDecl>,
    #[serde(default)]
    pub defaults: Defaults,
    #[serde(default, rename = "level")]
    pub levels: Vec<LevelDecl>,
    #[serde(default)]
    pub screen: ScreenRules,
    #[serde(default)]
    pub publish: Publication,
    pub index: NodeDecl,
    #[serde(default, rename = "node")]
    pub nodes: Vec<NodeDecl>,
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<IndicatorDecl>,
    /// Record sources (`[[source]]`) for indicators computed from raw records.
    #[serde(default, rename = "source", skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<records::SourceDecl>,
    /// Uncertain assumptions for the uncertainty and sensitivity analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Uncertainty>,
}

/// Who made the index, for when, from what.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub edition: Option<String>,
    /// Data cut-off date, as published (e.g. "2020-05-31").
    pub cutoff: Option<String>,
    /// Editions are comparable only when they share a framework version.
    pub framework_version: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    /// Synthetic data: every output carries the `notice`.
    #[serde(default)]
    pub illustrative: bool,
    pub notice: Option<String>,
    /// Seed for everything random downstream (uncertainty analysis); the build itself is
    /// deterministic.
    #[serde(default)]
    pub seed: u64,
}

/// The file that lists the units (cities) assessed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsDecl {
    pub file: String,
    /// The worksheet of a spreadsheet file; only for spreadsheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Sheet>,
    /// Column with the unit id (e.g. administrative code or ISO code).
    #[serde(default = "default_unit_id")]
    pub id: String,
    /// Column with the display name in English.
    #[serde(default = "default_unit_name")]
    pub name: String,
    /// Column with the Chinese name, if any.
    pub name_zh: Option<String>,
    /// Columns kept as groups (province, region...), usable for imputation and reports.
    #[serde(default)]
    pub groups: Vec<String>,
    /// What the units are called in printed output, plural ("cities", "countries").
    #[serde(default = "default_label")]
    pub label: String,
}

fn default_label() -> String {
    "units".into()
}

fn default_unit_id() -> String {
    "unit".into()
}
fn default_unit_name() -> String {
    "name".into()
}

/// What to do with rows for units the units file does not list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownUnits {
    /// Refuse the file: the row is probably a typo or a wrong code.
    #[default]
    Error,
    /// Skip the rows, count them and list them in the run log.
    Ignore,
}

/// A table of indicator values: one row per unit.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataDecl {
    pub file: String,
    /// The worksheet of a spreadsheet file; only for spreadsheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Sheet>,
    /// Column holding the unit id.
    #[serde(default = "default_unit_id")]
    pub key: String,
    /// Indicator id -> column name, where they differ. Without it every other column must be an
    /// indicator id.
    #[serde(default)]
    pub columns: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub unknown_units: UnknownUnits,
    /// Cell texts that mean "missing", besides the empty cell.
    #[serde(default = "default_missing")]
    pub missing: Vec<String>,
}

/// A worksheet by its name or by its position, 1 for the first (as a spreadsheet shows them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Sheet {
    Position(usize),
    Name(String),
}

impl std::fmt::Display for Sheet {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Sheet::Position(n) => write!(f, "sheet {n}"),
            Sheet::Name(s) => write!(f, "sheet `{s}`"),
        }
    }
}

/// The cell texts that mean "missing" when a `[[data]]` entry does not say.
pub fn default_missing() -> Vec<String> {
    vec!["NA".into(), "n/a".into(), "..".into()]
}

/// Per-indicator methods; each is optional so that it can be inherited
/// (indicator, then its nearest ancestor node, then `[defaults]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MethodOverrides {
    pub transform: Option<Transform>,
    pub outliers: Option<Outliers>,
    pub normalise: Option<Normalise>,
    pub impute: Option<Impute>,
}

/// Per-node aggregation settings; each is optional so that it can come from the node, its
/// level, or `[defaults]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AggregationOverrides {
    pub aggregate: Option<Aggregate>,
    /// Minimum share of children (by count) that must have a score for the node to be scored.
    pub min_share: Option<f64>,
    pub rescale: Option<Rescale>,
    pub weighting: Option<Weighting>,
    /// Decimals the node's scores are rounded to before its parent uses them.
    pub round: Option<u32>,
}

spec_struct! {
    /// Methods and aggregation settings for everything the nearer settings leave open.
    #[derive(Clone, Debug, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Defaults {}
    with [methods aggregation]
}

spec_struct! {
    /// Settings and a name for every node at one level (1 = indicators, counted upwards).
    #[derive(Clone, Debug, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct LevelDecl {
        pub level: u32,
        pub name: String,
        pub name_zh: Option<String>,
    }
    with [aggregation]
}

spec_struct! {
    /// An aggregate node: the index itself (`[index]`) or one of its dimensions (`[[node]]`).
    /// Its method settings apply to every indicator below it, unless nearer settings say otherwise.
    #[derive(Clone, Debug, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct NodeDecl {
        pub id: String,
        pub name: String,
        pub name_zh: Option<String>,
        /// Required for `[[node]]`, absent for `[index]`.
        pub parent: Option<String>,
        pub weight: Option<f64>,
        pub description: Option<String>,
        /// The units this node applies to (the others: not applicable).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub applies_to: Option<AppliesTo>,
        /// How a unit left without a score at this node is filled.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub impute_node: Option<NodeImpute>,
    }
    with [aggregation methods]
}

spec_struct! {
    /// A leaf of the tree: one measured quantity.
    #[derive(Clone, Debug, Default, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct IndicatorDecl {
        pub id: String,
        pub name: String,
        pub name_zh: Option<String>,
        pub parent: String,
        pub unit: Option<String>,
        pub source: Option<String>,
        pub weight: Option<f64>,
        #[serde(default)]
        pub direction: Direction,
        pub description: Option<String>,
        /// A column of the indicator's `[[data]]` file to divide its values by (population,
        /// area, GDP...), before any other step: size-dependent counts become comparable rates.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub denominator: Option<String>,
        /// How the value is computed from raw records (`[indicator.records]`), instead of read
        /// from a `[[data]]` table.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub records: Option<records::RecordIndicator>,
        /// The units this indicator applies to (the others: not applicable).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub applies_to: Option<AppliesTo>,
        /// Decimals the normalised scores are rounded to before aggregation.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub round: Option<u32>,
    }
    with [methods]
}

/// Which units are ranked.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScreenRules {
    /// Minimum share of all indicators with data (e.g. 0.6667 for two thirds).
    #[serde(default)]
    pub min_coverage: f64,
    /// Minimum share of each dimension's indicators with data (dimensions = children of the index).
    #[serde(default)]
    pub min_dimension_coverage: f64,
    /// Minimum number of indicators with data in each dimension.
    #[serde(default)]
    pub min_dimension_indicators: usize,
    /// Units ranked whatever their coverage, each with the reason to publish.
    #[serde(default)]
    pub force_in: Vec<ForceIn>,
    /// Units never ranked, with the reason to publish.
    #[serde(default)]
    pub force_out: Vec<ForceOut>,
    /// Coverage thresholds that differ for a group's units or for listed units (the first
    /// entry that selects a unit applies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<CoverageRule>,
    /// Screen the raw data (then impute) or the imputed data.
    #[serde(default, skip_serializing_if = "ScreenOrder::is_default")]
    pub order: ScreenOrder,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForceOut {
    pub unit: String,
    pub reason: String,
}

/// How results are published.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// Headline table length (e.g. 50); 0 means all ranked units.
    #[serde(default)]
    pub top: usize,
    #[serde(default = "default_decimals")]
    pub decimals: u32,
    /// Rank on scores rounded to `decimals` (as printed), or on full precision.
    #[serde(default = "yes_bool")]
    pub rank_on_rounded: bool,
    #[serde(default)]
    pub ties: Ties,
    /// Tiers by overall score, best first.
    #[serde(default, rename = "tier")]
    pub tiers: Vec<Tier>,
}

fn default_decimals() -> u32 {
    2
}
fn yes_bool() -> bool {
    true
}

impl Default for Publication {
    fn default() -> Self {
        Publication {
            top: 0,
            decimals: 2,
            rank_on_rounded: true,
            ties: Ties::Min,
            tiers: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub name: String,
    pub name_zh: Option<String>,
    /// Lowest overall score in the tier.
    pub min_score: f64,
}

impl Spec {
    /// The records part of the spec, in the form the sources engine runs; `None` when no
    /// indicator is computed from records.
    pub fn records(&self) -> Option<records::RecordsSpec> {
        let indicators: std::collections::BTreeMap<String, records::RecordIndicator> = self
            .indicators
            .iter()
            .filter_map(|i| i.records.clone().map(|r| (i.id.clone(), r)))
            .collect();
        (!indicators.is_empty() || !self.sources.is_empty()).then(|| records::RecordsSpec {
            sources: self.sources.clone(),
            indicators,
        })
    }
}
