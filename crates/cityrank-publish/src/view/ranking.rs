//! Ranking tables: overall (with dimension scores, tier and change) and per dimension.

use super::NodeRef;
use crate::edition::{changes, Change, Edition};
use crate::site::slug;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub rank: u32,
    pub unit: String,
    /// The unit id as a file-name and anchor fragment.
    pub slug: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub province: String,
    pub score: String,
    /// Dimension scores, in the order of the view's `dims`.
    pub dims: Vec<String>,
    pub tier: Option<String>,
    pub tier_zh: Option<String>,
    pub change: Option<Change>,
    /// Indicators with data over indicators in the index, e.g. "14/16".
    pub coverage: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DimRanking {
    pub dim: NodeRef,
    pub rows: Vec<DimRow>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DimRow {
    pub rank: u32,
    pub unit: String,
    pub slug: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub score: String,
    pub change: Option<Change>,
    /// Indicators of the dimension with data, e.g. "3/4".
    pub coverage: String,
}

/// How many of `leaves` have a raw value for unit `i` (imputed values do not count), as "k/n".
pub fn coverage(ed: &Edition, i: usize, leaves: &[usize]) -> String {
    let raw = &ed.results.raw;
    let k = leaves.iter().filter(|&&j| !raw.get(i, j).is_nan()).count();
    format!("{k}/{}", leaves.len())
}

/// The province (first group column), where the spec has one.
pub fn group_of(ed: &Edition, i: usize) -> String {
    let u = &ed.results.units[i];
    ed.spec
        .spec
        .units
        .groups
        .first()
        .and_then(|g| u.groups.get(g))
        .cloned()
        .unwrap_or_default()
}

pub fn overall(ed: &Edition, previous: Option<&Edition>) -> Vec<Row> {
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let root_id = &fw.nodes[fw.root].id;
    let mut moved = previous
        .map(|p| changes(ed, p, root_id))
        .unwrap_or_default();
    let all: Vec<usize> = (0..fw.n_indicators).collect();
    r.ranking(fw.root)
        .into_iter()
        .map(|i| {
            let u = &r.units[i];
            let tier = r.tier(fw, i);
            Row {
                rank: r.rank(i, fw.root).unwrap_or(0),
                unit: u.id.clone(),
                slug: slug(&u.id),
                name: u.name.clone(),
                name_zh: u.name_zh.clone(),
                province: group_of(ed, i),
                score: r.display(r.score(i, fw.root)),
                dims: fw
                    .dimensions()
                    .iter()
                    .map(|&d| r.display(r.score(i, d)))
                    .collect(),
                tier: tier.map(|t| t.name.clone()),
                tier_zh: tier.and_then(|t| t.name_zh.clone()),
                change: moved.remove(&u.id),
                coverage: coverage(ed, i, &all),
            }
        })
        .collect()
}

pub fn by_dimension(ed: &Edition, previous: Option<&Edition>) -> Vec<DimRanking> {
    let (fw, r) = (&ed.spec.framework, &ed.results);
    fw.dimensions()
        .iter()
        .map(|&d| {
            let n = &fw.nodes[d];
            let mut moved = previous.map(|p| changes(ed, p, &n.id)).unwrap_or_default();
            let leaves = fw.leaves_under(d);
            DimRanking {
                dim: NodeRef {
                    id: n.id.clone(),
                    name: n.name.clone(),
                    name_zh: n.name_zh.clone(),
                },
                rows: r
                    .ranking(d)
                    .into_iter()
                    .map(|i| DimRow {
                        rank: r.rank(i, d).unwrap_or(0),
                        unit: r.units[i].id.clone(),
                        slug: slug(&r.units[i].id),
                        name: r.units[i].name.clone(),
                        name_zh: r.units[i].name_zh.clone(),
                        score: r.display(r.score(i, d)),
                        change: moved.remove(&r.units[i].id),
                        coverage: coverage(ed, i, &leaves),
                    })
                    .collect(),
            }
        })
        .collect()
}
