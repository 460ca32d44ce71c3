//! API errors: a status and a JSON body `{"error": "..."}` that says what to change.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug)]
pub struct ApiError(pub StatusCode, pub String);

impl ApiError {
    pub fn bad(msg: impl Into<String>) -> ApiError {
        ApiError(StatusCode::BAD_REQUEST, msg.into())
    }
    pub fn not_found(msg: impl Into<String>) -> ApiError {
        ApiError(StatusCode::NOT_FOUND, msg.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

/// Extractor rejections (bad query, bad JSON, body too large) keep their status.
pub fn rejected<T: IntoResponse + std::fmt::Display>(r: T) -> ApiError {
    let msg = r.to_string();
    ApiError(r.into_response().status(), msg)
}
