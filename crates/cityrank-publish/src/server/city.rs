//! One city (ranked or excluded) and the comparison of several, by id or name.

use super::api::{
    held, moves, published, rounded, rows, short, Answer, ApiRow, EditionQuery, Shared,
};
use super::error::{rejected, ApiError};
use super::state::{Held, State};
use crate::lookup::{self, Found};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::{Extension, Json};
use cityrank_core::explain;
use serde::Deserialize;
use serde_json::{json, Value};

/// The city `query` names in edition `h`, or a 404 that says which forms are accepted.
fn find(h: &Held, query: &str) -> Result<Found, ApiError> {
    lookup::find(&h.ed.results, &h.ed.data.dataset, query).ok_or_else(|| {
        ApiError::not_found(format!(
            "no city `{query}` was assessed in edition {}: give its code (110000), English or Chinese name",
            h.ed.id()
        ))
    })
}

pub async fn city(
    Extension(st): Shared,
    Path(query): Path<String>,
    q: Result<Query<EditionQuery>, QueryRejection>,
) -> Answer {
    let Query(q) = q.map_err(rejected)?;
    short("edition", &q.edition)?;
    short("city", &Some(query.clone()))?;
    let h = held(&st, q.edition.as_deref())?;
    let mut v = match find(h, &query)? {
        Found::Ranked(i) => ranked(&st, h, i),
        Found::Excluded(k) => {
            let fw = &h.ed.spec.framework;
            serde_json::to_value(crate::excluded::describe(
                fw,
                &h.ed.data.dataset,
                &h.ed.results,
                k,
            ))
            .expect("serialisable")
        }
    };
    let unit = v["unit"].as_str().unwrap_or_default().to_string();
    if let Some(o) = v.as_object_mut() {
        o.insert("edition".into(), json!(h.ed.id()));
        o.insert("history".into(), json!(history(&st, &unit)));
        o.insert("notice".into(), json!(h.view.meta.notice));
    }
    Ok(Json(v))
}

/// A ranked city: scores (published and full) and ranks at every node in spec order, its
/// indicators, strengths and weaknesses.
fn ranked(st: &State, h: &Held, i: usize) -> Value {
    let (fw, r) = (&h.ed.spec.framework, &h.ed.results);
    let d = r.publication.decimals;
    let p = explain::profile(r, fw, i, 3);
    let mut nodes: Vec<&explain::NodeLine> = p.nodes.iter().collect();
    nodes.sort_by_key(|n| (std::cmp::Reverse(n.level), fw.find(&n.node)));
    let nodes: Vec<Value> = nodes
        .into_iter()
        .map(|n| {
            json!({ "id": n.node, "name": n.name, "level": n.level,
                    "score": published(n.score, d), "score_full": n.score, "rank": n.rank, "of": n.of })
        })
        .collect();
    let indicators: Vec<Value> = p
        .indicators
        .iter()
        .enumerate()
        .map(|(j, l)| {
            json!({ "id": l.indicator, "name": l.name, "name_zh": fw.nodes[j].name_zh, "dim": l.parent,
                    "unit": fw.indicator_methods(j).unit, "raw": (!l.raw.is_nan()).then_some(l.raw),
                    "score": published(l.score, d), "rank": l.rank,
                    "of": (0..r.n_units()).filter(|&u| r.rank(u, j).is_some()).count(),
                    "imputed": l.imputed, "missing": l.missing })
        })
        .collect();
    let u = &r.units[i];
    let root = &fw.nodes[fw.root].id;
    json!({
        "status": "ranked", "unit": u.id, "slug": crate::site::slug(&u.id), "name": u.name,
        "name_zh": u.name_zh, "groups": u.groups, "tier": r.tier(fw, i).map(|t| &t.name),
        "rank": r.rank(i, fw.root), "of": nodes.first().and_then(|n| n["of"].as_u64()),
        "score": published(r.score(i, fw.root), d), "score_full": r.score(i, fw.root),
        "change": moves(st, h, root).remove(&u.id).map(|c| rounded(c, d)),
        "nodes": nodes, "indicators": indicators,
        "strengths": p.strengths, "weaknesses": p.weaknesses,
    })
}

/// The city in every edition held: rank and score where ranked, the reason where excluded.
fn history(st: &State, unit: &str) -> Vec<Value> {
    st.editions
        .iter()
        .filter_map(|e| {
            let (fw, r) = (&e.ed.spec.framework, &e.ed.results);
            let base = json!({ "edition": e.ed.id(), "label": e.view.meta.edition,
                               "framework_version": e.view.meta.framework_version });
            let mut o = base.as_object()?.clone();
            if let Some(i) = r.unit_index(unit) {
                o.insert("status".into(), json!("ranked"));
                o.insert("rank".into(), json!(r.rank(i, fw.root)));
                let s = published(r.score(i, fw.root), r.publication.decimals);
                o.insert("score".into(), json!(s));
            } else {
                let x = r.excluded.iter().find(|x| x.unit == unit)?;
                o.insert("status".into(), json!("excluded"));
                o.insert("reason".into(), json!(x.reason));
            }
            Some(Value::Object(o))
        })
        .collect()
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
    let asked: Vec<&str> = q
        .units
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !(2..=10).contains(&asked.len()) || q.units.len() > 400 {
        return Err(ApiError::bad(
            "give 2 to 10 cities by code or name: units=110000,Shanghai",
        ));
    }
    let list = rows(&st, h);
    let found: Vec<&ApiRow> = asked
        .iter()
        .map(|a| match find(h, a)? {
            Found::Ranked(i) => Ok(&list[position(&list, &h.ed.results.units[i].id)]),
            Found::Excluded(k) => Err(ApiError::not_found(format!(
                "`{a}` is not ranked in this edition: {}; see /api/cities/{}",
                h.ed.results.excluded[k].reason, h.ed.results.excluded[k].unit
            ))),
        })
        .collect::<Result<_, _>>()?;
    Ok(Json(
        json!({ "edition": h.ed.id(), "dimensions": h.view.dims, "notice": h.view.meta.notice, "cities": found }),
    ))
}

fn position(list: &[ApiRow], unit: &str) -> usize {
    list.iter()
        .position(|r| r.unit == unit)
        .expect("every ranked unit has a row")
}
