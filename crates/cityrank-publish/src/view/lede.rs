//! The opening of every ranking page: a lede and a "how to read this ranking" box, written from
//! the spec and the build so that they say what was actually done.

use super::Row;
use crate::edition::Edition;
use cityrank_core::spec::Rescale;
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Lede {
    /// One paragraph, English then Chinese.
    pub en: String,
    pub zh: String,
    /// The "how to read" points, each (English, Chinese).
    pub how: Vec<(String, String)>,
    /// Ranked units with a value for every indicator.
    pub full_data: usize,
}

pub fn lede(ed: &Edition, rows: &[Row], coverage_rule: &str) -> Lede {
    let (fw, r) = (&ed.spec.framework, &ed.results);
    let label = &ed.spec.spec.units.label;
    let n = rows.len();
    let total = fw.n_indicators;
    let full_data = rows
        .iter()
        .filter(|x| x.coverage == format!("{total}/{total}"))
        .count();
    let names = |k: usize| {
        rows.iter()
            .take(k)
            .map(|x| x.name.clone())
            .collect::<Vec<_>>()
    };
    let zh = |x: &Row| x.name_zh.clone().unwrap_or_else(|| x.name.clone());
    let (en, zh_text) = match rows.first() {
        None => (
            format!("No {label} could be ranked."),
            "没有城市获得排名。".to_string(),
        ),
        Some(first) => (
            format!(
                "{} ranks first of {n} {label} with an index score of {}{}. {full_data} of the {n} have data for every one of the {total} indicators; {} more were assessed but not ranked.",
                first.name,
                first.score,
                match names(3).get(1..) {
                    Some([a, b]) => format!(", ahead of {a} and {b}"),
                    Some([a]) => format!(", ahead of {a}"),
                    _ => String::new(),
                },
                r.excluded.len()
            ),
            format!(
                "{}在{n}个城市中排名第一，总分{}。{full_data}个城市拥有全部{total}项指标的数据；另有{}个城市参评但未排名。",
                zh(first),
                first.score,
                r.excluded.len()
            ),
        ),
    };
    let root = fw.aggregate_methods(fw.root);
    let dims: Vec<Rescale> = fw
        .dimensions()
        .iter()
        .map(|&d| fw.aggregate_methods(d).rescale)
        .collect();
    let method = |k: usize| {
        r.log
            .aggregate
            .iter()
            .find(|a| a.node == fw.nodes[k].id)
            .map(|a| a.method.clone())
            .unwrap_or_default()
    };
    let mut how = vec![scale_point("index", root.rescale, &method(fw.root))];
    if let Some(first) = dims.first().filter(|f| dims.iter().all(|d| d == *f)) {
        how.push(scale_point(
            "dimension",
            *first,
            &method(fw.dimensions()[0]),
        ));
    }
    how.push((
        format!("{coverage_rule} {full_data} of the {n} ranked {label} have every indicator; the Coverage column (for example {total}/{total}) shows how many indicators each score rests on. Missing indicators are left out and the weights of the present ones renormalised, unless the methodology says they are imputed."),
        format!("{full_data}/{n}个城市数据完整；“覆盖”一栏显示每个得分所依据的指标数。缺失指标不计入，其余指标的权重按比例放大。"),
    ));
    how.push((
        "Higher is better on every score; for indicators where lower raw values are better the direction is reversed before scoring.".into(),
        "所有得分越高越好；对“越低越好”的指标，计分前已反转方向。".into(),
    ));
    Lede {
        en,
        zh: zh_text,
        how,
        full_data,
    }
}

/// What a node's scale means to a reader.
fn scale_point(what: &str, rescale: Rescale, method: &str) -> (String, String) {
    let zh_what = if what == "index" {
        "总分"
    } else {
        "各维度得分"
    };
    match rescale {
        Rescale::Leader { scale } => (
            format!("Each {what} score is the {method} mean of its parts, rescaled so that the leader scores {scale}: a score is a percentage of the leader's, not of a maximum."),
            format!("{zh_what}经过缩放，使第一名为{scale}分；得分表示相对第一名的百分比。"),
        ),
        Rescale::MinMax { low, high } => (
            format!("Each {what} score is the {method} mean of its parts, rescaled so that the lowest scores {low} and the highest {high}."),
            format!("{zh_what}经过缩放，最低为{low}，最高为{high}。"),
        ),
        Rescale::None => (
            format!("The {what} score is the {method} mean of its parts and is not rescaled, so the leader need not score 100."),
            format!("{zh_what}为各组成部分的加权平均，未缩放，第一名不一定为100分。"),
        ),
    }
}
