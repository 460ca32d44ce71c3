//! The JSON API: editions, rankings (overall and per dimension), one city, comparison, what-if.

use super::error::{rejected, ApiError};
use super::state::{Held, State};
use crate::edition::{changes, Change};
use crate::view::group;
use crate::whatif;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

type Shared = Extension<Arc<State>>;
type Answer = Result<Json<Value>, ApiError>;

/// Longest accepted text parameter; ids and names are short.
const MAX_PARAM: usize = 64;

fn held<'a>(st: &'a State, id: Option<&str>) -> Result<&'a Held, ApiError> {
    st.get(id).ok_or_else(|| {
        let ids: Vec<&str> = st.editions.iter().map(|h| h.ed.id()).collect();
        ApiError::not_found(format!(
            "no edition `{}`: available {}",
            id.unwrap_or(""),
            ids.join(", ")
        ))
    })
}

fn short(name: &str, v: &Option<String>) -> Result<(), ApiError> {
    match v {
        Some(s) if s.len() > MAX_PARAM => Err(ApiError::bad(format!(
            "`{name}` is longer than {MAX_PARAM} characters"
        ))),
        _ => Ok(()),
    }
}

pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn editions(Extension(st): Shared) -> Json<Value> {
    let list: Vec<Value> = st
        .editions
        .iter()
        .map(|h| {
            let m = &h.view.meta;
            json!({
                "id": m.id, "edition": m.edition, "name": m.name, "name_zh": m.name_zh,
                "cutoff": m.cutoff, "framework_version": m.framework_version,
                "notice": m.notice, "ranked": h.view.method.ranked, "assessed": h.view.method.assessed,
                "compared_with": h.view.previous,
                "dimensions": h.view.dims, "weights": h.whatif.nominal(),
            })
        })
        .collect();
    Json(json!({ "latest": st.editions.last().map(|h| h.ed.id()), "editions": list }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RankingQuery {
    edition: Option<String>,
    province: Option<String>,
    tier: Option<String>,
    /// rank (default), name, score, or a dimension id.
    sort: Option<String>,
    order: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

#[derive(Serialize)]
struct ApiRow {
    rank: u32,
    unit: String,
    slug: String,
    name: String,
    name_zh: Option<String>,
    province: String,
    score: f64,
    dimensions: BTreeMap<String, Option<f64>>,
    tier: Option<String>,
    change: Option<Change>,
}

fn rows(h: &Held, prev: Option<&Held>) -> Vec<ApiRow> {
    let (fw, r) = (&h.ed.spec.framework, &h.ed.results);
    let comparable = h.view.previous.as_ref().is_some_and(|p| p.comparable);
    let mut moved = match (prev, comparable) {
        (Some(p), true) => changes(&h.ed, &p.ed, &fw.nodes[fw.root].id),
        _ => Default::default(),
    };
    let num = |x: f64| {
        (!x.is_nan()).then(|| cityrank_core::steps::rank::round_to(x, r.publication.decimals))
    };
    r.ranking(fw.root)
        .into_iter()
        .map(|i| ApiRow {
            rank: r.rank(i, fw.root).unwrap_or(0),
            unit: r.units[i].id.clone(),
            slug: crate::site::slug(&r.units[i].id),
            name: r.units[i].name.clone(),
            name_zh: r.units[i].name_zh.clone(),
            province: group(&h.ed, i),
            score: num(r.score(i, fw.root)).unwrap_or(f64::NAN),
            dimensions: fw
                .dimensions()
                .iter()
                .map(|&d| (fw.nodes[d].id.clone(), num(r.score(i, d))))
                .collect(),
            tier: r.tier(fw, i).map(|t| t.name.clone()),
            change: moved.remove(&r.units[i].id),
        })
        .collect()
}

fn previous<'a>(st: &'a State, h: &Held) -> Option<&'a Held> {
    let k = st.editions.iter().position(|x| std::ptr::eq(x, h))?;
    k.checked_sub(1).map(|p| &st.editions[p])
}

pub async fn rankings(
    Extension(st): Shared,
    q: Result<Query<RankingQuery>, QueryRejection>,
) -> Answer {
    let Query(q) = q.map_err(rejected)?;
    for (n, v) in [
        ("edition", &q.edition),
        ("province", &q.province),
        ("tier", &q.tier),
        ("sort", &q.sort),
        ("order", &q.order),
    ] {
        short(n, v)?;
    }
    let h = held(&st, q.edition.as_deref())?;
    let mut list = rows(h, previous(&st, h));
    if let Some(p) = &q.province {
        list.retain(|r| r.province.eq_ignore_ascii_case(p));
    }
    if let Some(t) = &q.tier {
        list.retain(|r| r.tier.as_deref().is_some_and(|x| x.eq_ignore_ascii_case(t)));
    }
    sort(&mut list, q.sort.as_deref(), q.order.as_deref())?;
    let total = list.len();
    let limit = q.limit.unwrap_or(total).min(1000);
    let list: Vec<ApiRow> = list
        .into_iter()
        .skip(q.offset.unwrap_or(0))
        .take(limit)
        .collect();
    Ok(Json(json!({
        "edition": h.ed.id(), "index": h.view.index, "dimensions": h.view.dims,
        "notice": h.view.meta.notice, "compared_with": h.view.previous,
        "total": total, "rows": list,
    })))
}

fn sort(list: &mut [ApiRow], by: Option<&str>, order: Option<&str>) -> Result<(), ApiError> {
    let desc = match order {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(o) => return Err(ApiError::bad(format!("order `{o}`: use asc or desc"))),
    };
    match by.unwrap_or("rank") {
        "rank" => list.sort_by_key(|r| r.rank),
        "name" => list.sort_by(|a, b| a.name.cmp(&b.name)),
        "score" => list.sort_by(|a, b| a.score.total_cmp(&b.score)),
        d if list.first().is_some_and(|r| r.dimensions.contains_key(d)) => {
            let key = |r: &ApiRow| r.dimensions[d].unwrap_or(f64::NEG_INFINITY);
            list.sort_by(|a, b| key(a).total_cmp(&key(b)))
        }
        s => {
            return Err(ApiError::bad(format!(
                "sort `{s}`: use rank, name, score or a dimension id"
            )))
        }
    }
    if desc {
        list.reverse();
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditionQuery {
    edition: Option<String>,
    limit: Option<usize>,
}

pub async fn dimension(
    Extension(st): Shared,
    Path(dim): Path<String>,
    q: Result<Query<EditionQuery>, QueryRejection>,
) -> Answer {
    let Query(q) = q.map_err(rejected)?;
    short("edition", &q.edition)?;
    let h = held(&st, q.edition.as_deref())?;
    let dr = h
        .view
        .dim_rankings
        .iter()
        .find(|d| d.dim.id == dim)
        .ok_or_else(|| {
            ApiError::not_found("no such dimension: see /api/editions for the dimension ids")
        })?;
    let rows: Vec<_> = dr.rows.iter().take(q.limit.unwrap_or(usize::MAX)).collect();
    Ok(Json(
        json!({ "edition": h.ed.id(), "dimension": dr.dim, "notice": h.view.meta.notice, "rows": rows }),
    ))
}

pub async fn city(
    Extension(st): Shared,
    Path(unit): Path<String>,
    q: Result<Query<EditionQuery>, QueryRejection>,
) -> Answer {
    let Query(q) = q.map_err(rejected)?;
    short("edition", &q.edition)?;
    let h = held(&st, q.edition.as_deref())?;
    let c = h
        .view
        .cities
        .iter()
        .find(|c| c.row.unit == unit)
        .ok_or_else(|| ApiError::not_found("no ranked city with this code"))?;
    let history: Vec<Value> = st
        .editions
        .iter()
        .filter_map(|e| {
            let row = e.view.rows.iter().find(|r| r.unit == unit)?;
            Some(json!({ "edition": e.ed.id(), "label": e.view.meta.edition, "rank": row.rank, "score": row.score,
                         "framework_version": e.view.meta.framework_version }))
        })
        .collect();
    let mut v = serde_json::to_value(c).expect("serialisable");
    if let Some(o) = v.as_object_mut() {
        o.remove("chart");
        o.insert("history".into(), json!(history));
        o.insert("notice".into(), json!(h.view.meta.notice));
    }
    Ok(Json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    units: String,
    edition: Option<String>,
}

pub async fn compare(
    Extension(st): Shared,
    q: Result<Query<CompareQuery>, QueryRejection>,
) -> Answer {
    let Query(q) = q.map_err(rejected)?;
    short("edition", &q.edition)?;
    let h = held(&st, q.edition.as_deref())?;
    let ids: Vec<&str> = q
        .units
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !(2..=10).contains(&ids.len()) || q.units.len() > 400 {
        return Err(ApiError::bad(
            "give 2 to 10 city codes: units=110000,310000",
        ));
    }
    let list = rows(h, previous(&st, h));
    let found: Vec<&ApiRow> = ids
        .iter()
        .map(|id| {
            list.iter().find(|r| r.unit == *id).ok_or_else(|| {
                ApiError::not_found("a city code in `units` is not ranked in this edition")
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Json(
        json!({ "edition": h.ed.id(), "dimensions": h.view.dims, "notice": h.view.meta.notice, "cities": found }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIfQuery {
    edition: Option<String>,
}

pub async fn what_if(
    Extension(st): Shared,
    q: Result<Query<WhatIfQuery>, QueryRejection>,
    body: Result<Json<whatif::Request>, JsonRejection>,
) -> Answer {
    let Query(q) = q.map_err(rejected)?;
    short("edition", &q.edition)?;
    let Json(req) = body.map_err(rejected)?;
    let h = held(&st, q.edition.as_deref())?;
    let t = std::time::Instant::now();
    let out = h
        .whatif
        .run(&req)
        .map_err(|e| ApiError(axum::http::StatusCode::UNPROCESSABLE_ENTITY, e))?;
    let micros = t.elapsed().as_micros() as u64;
    Ok(Json(
        json!({ "edition": h.ed.id(), "notice": h.view.meta.notice, "elapsed_us": micros,
                    "weights": out.weights, "aggregate": out.aggregate, "rows": out.rows }),
    ))
}
