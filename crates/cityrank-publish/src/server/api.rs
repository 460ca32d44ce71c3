//! The JSON API: editions, rankings (overall and per dimension), one city, comparison, what-if.

use super::error::{rejected, ApiError};
use super::state::{Held, State};
use crate::edition::{changes, Change};
use crate::view::group;
use crate::whatif;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;

pub(super) type Shared = Extension<Arc<State>>;
pub(super) type Answer = Result<Json<Value>, ApiError>;

/// Longest accepted text parameter; ids and names are short.
pub(super) const MAX_PARAM: usize = 64;

pub(super) fn held<'a>(st: &'a State, id: Option<&str>) -> Result<&'a Held, ApiError> {
    st.get(id).ok_or_else(|| {
        let ids: Vec<&str> = st.editions.iter().map(|h| h.ed.id()).collect();
        ApiError::not_found(format!(
            "no edition `{}`: available {}",
            id.unwrap_or(""),
            ids.join(", ")
        ))
    })
}

pub(super) fn short(name: &str, v: &Option<String>) -> Result<(), ApiError> {
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
                "illustrative": h.ed.spec.spec.meta.illustrative,
                "dimensions": h.view.dims, "weights": h.whatif.nominal(),
                "aggregate": h.whatif.nominal_aggregate(), "aggregations": h.whatif.choices(),
            })
        })
        .collect();
    Json(json!({
        "latest": st.editions.last().map(|h| h.ed.id()),
        "default": st.editions.get(st.default).map(|h| h.ed.id()),
        "editions": list,
    }))
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
pub(super) struct ApiRow {
    rank: u32,
    pub(super) unit: String,
    slug: String,
    name: String,
    name_zh: Option<String>,
    province: String,
    /// As published: rounded to the spec's decimals (ranks are computed on these when
    /// `rank_on_rounded`).
    score: f64,
    /// The unrounded score, for analysis.
    score_full: f64,
    /// Dimension scores and ranks, in spec order.
    dimensions: Vec<DimScore>,
    tier: Option<String>,
    change: Option<Change>,
}

#[derive(Serialize)]
struct DimScore {
    id: String,
    score: Option<f64>,
    rank: Option<u32>,
}

/// A score as published (rounded to `decimals`), `None` when missing.
pub(super) fn published(x: f64, decimals: u32) -> Option<f64> {
    (!x.is_nan()).then(|| cityrank_core::steps::rank::round_to(x, decimals))
}

/// A change between editions with its score difference rounded as the scores are published,
/// so float noise such as 1.4e-14 never reaches a reader.
pub(super) fn rounded(c: Change, decimals: u32) -> Change {
    let score_change = published(c.score_change, decimals).unwrap_or(f64::NAN) + 0.0;
    Change { score_change, ..c }
}

/// Changes at node `id` since the previous edition, when the two are comparable.
pub(super) fn moves(st: &State, h: &Held, id: &str) -> std::collections::HashMap<String, Change> {
    let comparable = h.view.previous.as_ref().is_some_and(|p| p.comparable);
    match (previous(st, h), comparable) {
        (Some(p), true) => changes(&h.ed, &p.ed, id),
        _ => Default::default(),
    }
}

pub(super) fn rows(st: &State, h: &Held) -> Vec<ApiRow> {
    let (fw, r) = (&h.ed.spec.framework, &h.ed.results);
    let d = r.publication.decimals;
    let mut moved = moves(st, h, &fw.nodes[fw.root].id);
    r.ranking(fw.root)
        .into_iter()
        .map(|i| ApiRow {
            rank: r.rank(i, fw.root).unwrap_or(0),
            unit: r.units[i].id.clone(),
            slug: crate::site::slug(&r.units[i].id),
            name: r.units[i].name.clone(),
            name_zh: r.units[i].name_zh.clone(),
            province: group(&h.ed, i),
            score: published(r.score(i, fw.root), d).unwrap_or(f64::NAN),
            score_full: r.score(i, fw.root),
            dimensions: fw
                .dimensions()
                .iter()
                .map(|&k| DimScore {
                    id: fw.nodes[k].id.clone(),
                    score: published(r.score(i, k), d),
                    rank: r.rank(i, k),
                })
                .collect(),
            tier: r.tier(fw, i).map(|t| t.name.clone()),
            change: moved.remove(&r.units[i].id).map(|c| rounded(c, d)),
        })
        .collect()
}

pub(super) fn previous<'a>(st: &'a State, h: &Held) -> Option<&'a Held> {
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
    let mut list = rows(&st, h);
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
        d if list
            .first()
            .is_some_and(|r| r.dimensions.iter().any(|x| x.id == d)) =>
        {
            let key = |r: &ApiRow| {
                r.dimensions
                    .iter()
                    .find(|x| x.id == d)
                    .and_then(|x| x.score)
                    .unwrap_or(f64::NEG_INFINITY)
            };
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
    pub(super) edition: Option<String>,
    pub(super) limit: Option<usize>,
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
    let rows = dim_rows(&st, h, &dr.dim.id, q.limit.unwrap_or(usize::MAX));
    Ok(Json(
        json!({ "edition": h.ed.id(), "dimension": dr.dim, "notice": h.view.meta.notice, "rows": rows }),
    ))
}

/// One dimension's ranking with numbers as numbers.
fn dim_rows(st: &State, h: &Held, id: &str, limit: usize) -> Vec<Value> {
    let (fw, r) = (&h.ed.spec.framework, &h.ed.results);
    let d = r.publication.decimals;
    let k = fw.find(id).expect("a dimension of the framework");
    let mut moved = moves(st, h, id);
    r.ranking(k)
        .into_iter()
        .take(limit)
        .map(|i| {
            let u = &r.units[i];
            json!({
                "rank": r.rank(i, k), "unit": u.id, "slug": crate::site::slug(&u.id),
                "name": u.name, "name_zh": u.name_zh,
                "score": published(r.score(i, k), d), "score_full": r.score(i, k),
                "change": moved.remove(&u.id).map(|c| rounded(c, d)),
            })
        })
        .collect()
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
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(rejected)?;
    short("edition", &q.edition)?;
    let Json(req) = body.map_err(rejected)?;
    let h = held(&st, q.edition.as_deref())?;
    let t = std::time::Instant::now();
    let mut out = h
        .whatif
        .answer(&req, h.ed.id(), h.view.meta.notice.as_deref())
        .map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e))?;
    out.elapsed_us = t.elapsed().as_micros() as u64;
    Ok(json_bytes(&out, 256 + 256 * out.rows.len()))
}

/// `value` as a JSON response, written straight into a buffer of about its size (axum's
/// `Json` starts small and grows it several times for a ranking).
fn json_bytes(value: &impl Serialize, capacity: usize) -> Response {
    let mut buf = Vec::with_capacity(capacity);
    match serde_json::to_writer(&mut buf, value) {
        Ok(()) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            buf,
        )
            .into_response(),
        Err(e) => ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
