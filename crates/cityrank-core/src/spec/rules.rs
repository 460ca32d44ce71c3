//! Rules that published indices use beside the methods: which units a node applies to, how a
//! missing aggregate is filled, coverage thresholds that differ by group, and the order of
//! screening and imputation. Every one is off unless the spec writes it, and none changes a
//! spec that does not.

use serde::{Deserialize, Serialize};

fn is_false(b: &bool) -> bool {
    !*b
}

/// The units an indicator or node applies to; for the others it is "not applicable": neither
/// scored nor counted as missing, and its parent is weighted over the children that apply.
/// Exactly one of the three selections is written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliesTo {
    /// A group column declared in `[units] groups`, with `values`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The values of `group` that the node applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The units it applies to, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// It applies to the units with any (raw) data in it, e.g. a fisheries indicator to the
    /// countries that report one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub with_data: bool,
}

/// The statistic that fills a missing aggregate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FillStat {
    Mean,
    Median,
}

/// What a node imputation averages over the peers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FillOver {
    /// The node's own scores: the unit gets the peers' mean (or median) score of the node.
    Scores,
    /// The raw values of the indicators below the node: each of the unit's missing indicators
    /// there gets the peers' mean (or median) raw value, and the node is computed from them.
    Raw,
}

/// Imputation of a node (`impute_node`): a unit left without a score at this node (no child
/// present, or fewer than `min_share`) gets the mean or median over its peers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeImpute {
    pub method: FillStat,
    /// Peers: the units sharing the unit's value of this group (a `[units] groups` column);
    /// without it, every ranked unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub over: FillOver,
    /// Fill only units with a score in at least one child of the node.
    #[serde(default, skip_serializing_if = "is_false")]
    pub only_with_data: bool,
}

impl NodeImpute {
    /// The name listed beside every value it fills.
    pub fn name(&self) -> String {
        let stat = match self.method {
            FillStat::Mean => "mean",
            FillStat::Median => "median",
        };
        let over = match self.over {
            FillOver::Scores => "scores",
            FillOver::Raw => "raw",
        };
        match &self.group {
            Some(g) => format!("node_group_{stat}({g}, {over})"),
            None => format!("node_{stat}({over})"),
        }
    }
}

/// Whether units are screened on the data as given or after imputation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScreenOrder {
    /// Screen the raw data, then impute over the units kept (the default).
    #[default]
    ScreenFirst,
    /// Impute over every assessed unit, then screen the imputed data (COINr's
    /// `Screen_Units(dset = "Imputed")`): an imputed value counts as data.
    ImputeFirst,
}

impl ScreenOrder {
    pub fn is_default(&self) -> bool {
        *self == ScreenOrder::ScreenFirst
    }
}

/// A coverage threshold for some units (`[[screen.coverage]]`): the units of a group value, or
/// listed units, with the reason it differs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// The share of applicable indicators these units need.
    pub min_coverage: f64,
    pub reason: String,
}

impl CoverageRule {
    /// Whether the rule selects a unit with these groups.
    pub fn selects(&self, unit: &crate::data::Unit) -> bool {
        if self.units.iter().any(|u| *u == unit.id) {
            return true;
        }
        self.group
            .as_ref()
            .and_then(|g| unit.groups.get(g))
            .is_some_and(|v| self.values.contains(v))
    }
}

/// A unit ranked whatever its coverage: an id, or `{ unit, reason }` (the reason is printed).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ForceIn {
    Id(String),
    WithReason(ForcedUnit),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForcedUnit {
    pub unit: String,
    pub reason: String,
}

impl ForceIn {
    pub fn unit(&self) -> &str {
        match self {
            ForceIn::Id(u) => u,
            ForceIn::WithReason(f) => &f.unit,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            ForceIn::Id(_) => None,
            ForceIn::WithReason(f) => Some(&f.reason),
        }
    }
}

impl<'de> Deserialize<'de> for ForceIn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ForceIn, D::Error> {
        use serde::de::{self, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ForceIn;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a unit id, or a table `{ unit = \"ID\", reason = \"...\" }`")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<ForceIn, E> {
                Ok(ForceIn::Id(s.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ForceIn, A::Error> {
                ForcedUnit::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(ForceIn::WithReason)
            }
        }
        d.deserialize_any(V)
    }
}
