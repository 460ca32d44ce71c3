//! HTML pages: the dashboard, its script and style, and each edition's static site from memory.

use super::error::ApiError;
use super::state::State;
use crate::templates::{self, CSS, DASHBOARD_JS};
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
    let weights = h.whatif.nominal();
    let sliders: Vec<_> = h
        .view
        .dims
        .iter()
        .map(|d| context! { dim => d, value => (weights[&d.id] * 100.0).round() as u32 })
        .collect();
    let editions: Vec<_> = st
        .editions
        .iter()
        .map(|e| context! { id => e.ed.id(), label => e.view.meta.edition })
        .collect();
    t.render(
        context! { v => &h.view, sliders => sliders, editions => editions, edition => h.ed.id() },
    )
    .map(Html)
    .map_err(|e| ApiError(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
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
