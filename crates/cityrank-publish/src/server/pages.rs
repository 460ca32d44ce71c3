//! HTML pages: the dashboard, its script and style, and each edition's static site from memory.

use super::error::ApiError;
use super::state::{Held, State};
use crate::templates::{self, CSS, DASHBOARD_CSS, DASHBOARD_JS};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use minijinja::context;
use std::sync::Arc;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DashQuery {
    edition: Option<String>,
}

pub async fn dashboard(
    Extension(st): Extension<Arc<State>>,
    q: Result<Query<DashQuery>, QueryRejection>,
) -> Result<Html<String>, ApiError> {
    let Query(q) = q.map_err(super::error::rejected)?;
    let h = st
        .get(q.edition.as_deref())
        .ok_or_else(|| ApiError::not_found("no such edition"))?;
    let env = templates::env();
    let t = env.get_template("dashboard.html").expect("bundled");
    t.render(context(&st, h))
        .map(Html)
        .map_err(|e| ApiError(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

/// What the dashboard page shows of edition `h`: sliders at the nominal shares, the
/// aggregations (those the data do not allow carry their reason), and the filter choices.
fn context(st: &State, h: &Held) -> minijinja::Value {
    let weights = h.whatif.nominal();
    let total: f64 = weights.values().sum();
    let sliders: Vec<_> = h
        .view
        .dims
        .iter()
        .map(|d| {
            let w = weights[&d.id];
            context! { dim => d, value => (w * 100.0).round() as u32,
            share => format!("{:.0}", 100.0 * w / total) }
        })
        .collect();
    let editions: Vec<_> = st
        .editions
        .iter()
        .map(|e| {
            context! { id => e.ed.id(), label => e.view.meta.edition,
            illustrative => e.ed.spec.spec.meta.illustrative }
        })
        .collect();
    let choices: Vec<_> = h
        .whatif
        .choices()
        .into_iter()
        .map(|c| context! { defined => c.defined, reason => c.reason, zh => zh(&c.method), method => c.method })
        .collect();
    let mut not_offered: Vec<(Vec<String>, String)> = Vec::new();
    for c in h.whatif.choices().into_iter().filter(|c| !c.defined) {
        let cause = c.cause.unwrap_or_default();
        match not_offered.iter_mut().find(|(_, x)| *x == cause) {
            Some((methods, _)) => methods.push(c.method),
            None => not_offered.push((vec![c.method], cause)),
        }
    }
    let not_offered: Vec<_> = not_offered
        .into_iter()
        .map(|(m, cause)| context! { methods => m.join(" and "), cause => cause })
        .collect();
    let provinces: std::collections::BTreeSet<&str> = h
        .view
        .rows
        .iter()
        .map(|r| r.province.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    context! {
        v => &h.view, sliders => sliders, editions => editions, edition => h.ed.id(),
        choices => choices, not_offered => not_offered, aggregate => h.whatif.nominal_aggregate(),
        provinces => provinces, tiers => &h.ed.results.publication.tiers,
    }
}

/// The Chinese name of an aggregation, for the bilingual menu.
fn zh(method: &str) -> &'static str {
    match method {
        "arithmetic" => "算术平均",
        "geometric" => "几何平均",
        "harmonic" => "调和平均",
        _ => "",
    }
}

pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        DASHBOARD_JS,
    )
        .into_response()
}

pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

pub async fn dashboard_style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        DASHBOARD_CSS,
    )
        .into_response()
}

/// A file of an edition's site. Only names the site itself produced are served, so `..`,
/// encoded slashes or absolute paths can never reach the file system.
pub async fn site(
    Extension(st): Extension<Arc<State>>,
    Path((edition, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    if file.contains("..") || file.contains('\\') || file.starts_with('/') || file.len() > 128 {
        return Err(ApiError::bad("invalid path"));
    }
    let h = st
        .get(Some(&edition))
        .ok_or_else(|| ApiError::not_found("no such edition"))?;
    let bytes = h
        .pages
        .get(&file)
        .ok_or_else(|| ApiError::not_found("no such page"))?;
    let mime = match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    };
    let mut res = ([(header::CONTENT_TYPE, mime)], bytes.clone()).into_response();
    if file.starts_with("data/") {
        let name = file.trim_start_matches("data/");
        if let Ok(v) = format!("attachment; filename=\"{name}\"").parse() {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(res)
}
