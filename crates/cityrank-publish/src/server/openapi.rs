//! The OpenAPI 3.1 description of the API, written by hand next to the handlers it describes.

use axum::Json;
use serde_json::{json, Value};

fn edition_param() -> Value {
    json!({ "name": "edition", "in": "query", "schema": { "type": "string" }, "description": "Edition id (meta.id); default the latest edition that is not illustrative, else the first one served (`default` in /api/editions)" })
}

fn ok(desc: &str) -> Value {
    json!({ "200": { "description": desc, "content": { "application/json": {} } },
            "400": { "description": "Invalid parameter (unknown parameters are refused)" },
            "404": { "description": "Unknown edition, dimension or city" } })
}

pub async fn document() -> Json<Value> {
    Json(json!({
        "openapi": "3.1.0",
        "info": { "title": "cityrank API", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Read-only rankings of cities. Responses of illustrative editions carry `notice`." },
        "paths": {
            "/health": { "get": { "summary": "Liveness", "responses": { "200": { "description": "ok" } } } },
            "/api/editions": { "get": { "summary": "Editions held, their dimensions and nominal weights", "responses": ok("Editions") } },
            "/api/rankings": { "get": {
                "summary": "Overall ranking with dimension scores, tier and change since the previous comparable edition",
                "parameters": [ edition_param(),
                    { "name": "province", "in": "query", "schema": { "type": "string" } },
                    { "name": "tier", "in": "query", "schema": { "type": "string" } },
                    { "name": "sort", "in": "query", "schema": { "type": "string" }, "description": "rank, name, score or a dimension id" },
                    { "name": "order", "in": "query", "schema": { "enum": ["asc", "desc"] } },
                    { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 1000 } },
                    { "name": "offset", "in": "query", "schema": { "type": "integer", "minimum": 0 } } ],
                "responses": ok("Ranking") } },
            "/api/rankings/{dimension}": { "get": { "summary": "One dimension's ranking",
                "parameters": [ { "name": "dimension", "in": "path", "required": true, "schema": { "type": "string" } }, edition_param(),
                    { "name": "limit", "in": "query", "schema": { "type": "integer" } } ],
                "responses": ok("Dimension ranking") } },
            "/api/cities/{city}": { "get": { "summary": "One city: scores (published and full precision), ranks, indicators, strengths, weaknesses, history over editions; for a city the screen excluded (`status: excluded`), its raw values and the reason",
                "parameters": [ { "name": "city", "in": "path", "required": true, "schema": { "type": "string" }, "description": "Administrative code, English or Chinese name" }, edition_param() ],
                "responses": ok("City profile") } },
            "/api/compare": { "get": { "summary": "Several cities side by side",
                "parameters": [ { "name": "units", "in": "query", "required": true, "schema": { "type": "string" }, "description": "2 to 10 comma-separated codes or names" }, edition_param() ],
                "responses": ok("Cities") } },
            "/api/whatif": { "post": { "summary": "Re-rank with other dimension weights or another aggregation",
                "parameters": [ edition_param() ],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/WhatIf" } } } },
                "responses": { "200": { "description": "Recomputed ranking with rank changes" },
                               "400": { "description": "Malformed JSON" },
                               "413": { "description": "Body larger than 16 KiB" },
                               "415": { "description": "Not application/json" },
                               "422": { "description": "Unknown field, unknown or missing dimension, weight negative, not finite, above 1000, or all zero" } } } }
        },
        "components": { "schemas": { "WhatIf": {
            "type": "object", "additionalProperties": false, "required": ["weights"],
            "properties": {
                "weights": { "type": "object", "additionalProperties": { "type": "number", "minimum": 0, "maximum": 1000 },
                             "description": "Every dimension id with a relative weight" },
                "aggregate": { "enum": cityrank_whatif::mean_names() } } } } }
    }))
}
