//! `cityrank serve`: the dashboard, each edition's site and the JSON API, on 127.0.0.1 only.
//!
//! Read-only: every edition is built at start and held in memory; requests never touch the
//! disk. Bodies are limited, query and body fields are checked (unknown ones refused), and
//! every response carries security headers. Connections are bounded in number, time and
//! requests ([`Limits`]). Ctrl-C or SIGTERM stop it after in-flight requests.

mod api;
mod city;
mod error;
mod listen;
mod openapi;
mod pages;
mod security;
mod state;

pub use listen::{serve_within, Limits};
pub use security::CSP;
pub use state::State;

use crate::edition::Edition;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Extension, Router};
use cityrank_io::Error;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;

/// Largest request body accepted (a what-if request is well under 1 KiB).
pub const BODY_LIMIT: usize = 16 * 1024;

/// The application: every route with its layers.
pub fn router(editions: Vec<Edition>) -> Result<Router, Error> {
    let st = Arc::new(State::new(editions)?);
    Ok(Router::new()
        .route("/", get(pages::dashboard))
        .route("/health", get(api::health))
        .route("/static/dashboard.js", get(pages::script))
        .route("/static/style.css", get(pages::style))
        .route("/static/dashboard.css", get(pages::dashboard_style))
        .route("/site/{edition}/{*file}", get(pages::site))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/editions", get(api::editions))
        .route("/api/rankings", get(api::rankings))
        .route("/api/rankings/{dimension}", get(api::dimension))
        .route("/api/cities/{city}", get(city::city))
        .route("/api/compare", get(city::compare))
        .route("/api/whatif", post(api::what_if))
        .layer(Extension(st))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::from_fn(security::headers)))
}

/// Serves until Ctrl-C or SIGTERM.
pub fn serve(editions: Vec<Edition>, port: u16, limits: Limits) -> Result<(), Error> {
    let app = router(editions)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            Error::new(
                format!("cannot start the server runtime: {e}"),
                "check the system's thread limits",
            )
        })?;
    rt.block_on(async move {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::new(format!("cannot listen on {addr}: {e}"), "choose another --port"))?;
        let bound = listener.local_addr().map_err(|e| Error::new(e.to_string(), ""))?;
        println!("Serving the dashboard on http://{bound}/ (API: /api/rankings, /api/openapi.json). Ctrl-C stops.");
        serve_within(listener, app, limits, shutdown()).await;
        println!("Stopped.");
        Ok(())
    })
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
