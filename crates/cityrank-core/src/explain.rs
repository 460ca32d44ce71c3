//! Explain one unit: its values, scores and ranks at every level, and what lifts or holds it back.

use crate::framework::Framework;
use crate::results::Results;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Profile {
    pub unit: String,
    pub name: String,
    pub name_zh: Option<String>,
    /// Index and dimension scores, top-down.
    pub nodes: Vec<NodeLine>,
    pub indicators: Vec<IndicatorLine>,
    /// Indicator ids, best rank first.
    pub strengths: Vec<String>,
    /// Indicator ids, worst rank first.
    pub weaknesses: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct NodeLine {
    pub node: String,
    pub name: String,
    pub level: u32,
    pub score: f64,
    pub rank: Option<u32>,
    /// How many units have a rank at this node.
    pub of: usize,
    /// The score was imputed (`impute_node`).
    #[serde(skip_serializing_if = "is_false")]
    pub imputed: bool,
    /// The score is a published value that replaced the computed one.
    #[serde(skip_serializing_if = "is_false")]
    pub published: bool,
    /// The node does not apply to the unit (`applies_to`).
    #[serde(skip_serializing_if = "is_false")]
    pub not_applicable: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Clone, Debug, Serialize)]
pub struct IndicatorLine {
    pub indicator: String,
    pub name: String,
    pub parent: String,
    pub raw: f64,
    pub score: f64,
    pub rank: Option<u32>,
    pub imputed: bool,
    /// Missing and not imputed; a value that does not apply is not missing.
    pub missing: bool,
    /// The indicator does not apply to the unit (`applies_to`).
    #[serde(skip_serializing_if = "is_false")]
    pub not_applicable: bool,
}

/// The profile of ranked unit `i`; `n_extremes` strengths and weaknesses (3 in publications).
pub fn profile(res: &Results, fw: &Framework, i: usize, n_extremes: usize) -> Profile {
    let u = &res.units[i];
    let count = |k: usize| {
        (0..res.n_units())
            .filter(|&j| res.rank(j, k).is_some())
            .count()
    };
    let mut aggs: Vec<usize> = fw.bottom_up.clone();
    aggs.reverse();
    let nodes = aggs
        .iter()
        .map(|&k| NodeLine {
            node: fw.nodes[k].id.clone(),
            name: fw.nodes[k].name.clone(),
            level: fw.nodes[k].level,
            score: res.score(i, k),
            rank: res.rank(i, k),
            of: count(k),
            imputed: res.is_imputed(i, k),
            published: res.is_overridden(i, k),
            not_applicable: !res.applicable.applies(i, k),
        })
        .collect();
    let rows = res.n_units();
    let indicators: Vec<IndicatorLine> = (0..fw.n_indicators)
        .map(|j| IndicatorLine {
            indicator: fw.nodes[j].id.clone(),
            name: fw.nodes[j].name.clone(),
            parent: fw.nodes[fw.nodes[j].parent.unwrap()].id.clone(),
            raw: res.raw.get(i, j),
            score: res.score(i, j),
            rank: res.rank(i, j),
            imputed: res.imputed[j * rows + i],
            missing: res.raw.get(i, j).is_nan()
                && !res.imputed[j * rows + i]
                && res.applicable.applies(i, j),
            not_applicable: !res.applicable.applies(i, j),
        })
        .collect();
    let mut ranked: Vec<(u32, usize)> = indicators
        .iter()
        .enumerate()
        .filter_map(|(j, l)| l.rank.map(|r| (r, j)))
        .collect();
    ranked.sort_unstable();
    let pick = |it: &mut dyn Iterator<Item = &(u32, usize)>| {
        it.take(n_extremes)
            .map(|&(_, j)| indicators[j].indicator.clone())
            .collect()
    };
    let strengths = pick(&mut ranked.iter());
    let weaknesses = pick(&mut ranked.iter().rev());
    Profile {
        unit: u.id.clone(),
        name: u.name.clone(),
        name_zh: u.name_zh.clone(),
        nodes,
        indicators,
        strengths,
        weaknesses,
    }
}
