//! The HTTP API: status codes, validation, escaping, path traversal and body limits.

use crate::common::{edition, hostile_edition, HOSTILE};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use cityrank_publish::server::{router, BODY_LIMIT};
use http_body_util::BodyExt;
use std::sync::OnceLock;
use tower::ServiceExt;

fn app() -> Router {
    static APP: OnceLock<Router> = OnceLock::new();
    APP.get_or_init(|| router(vec![edition("2020"), edition("2021")]).unwrap())
        .clone()
}

async fn send(app: Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app.oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn get(uri: &str) -> (StatusCode, String) {
    let (s, _, b) = send(app(), Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, b)
}

async fn whatif(body: &str) -> (StatusCode, String) {
    let req = Request::post("/api/whatif")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (s, _, b) = send(app(), req).await;
    (s, b)
}

fn json(b: &str) -> serde_json::Value {
    serde_json::from_str(b).unwrap()
}

#[tokio::test]
async fn health_and_rankings() {
    assert_eq!(get("/health").await.0, StatusCode::OK);
    let (s, b) = get("/api/rankings?limit=5").await;
    assert_eq!(s, StatusCode::OK);
    let v = json(&b);
    assert_eq!(
        v["edition"], "blockchain-2020",
        "both editions are illustrative: the first one given is the default"
    );
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);
    let v = json(&get("/api/rankings?limit=5&edition=blockchain-2021").await.1);
    assert_eq!(v["rows"][0]["name"], "Beijing");
    assert_eq!(v["rows"][2]["name"], "Hangzhou");
    assert_eq!(v["rows"][2]["change"]["rank_change"], 1);
    assert!(v["notice"].as_str().unwrap().contains("ILLUSTRATIVE"));
    let v = json(
        &get("/api/rankings?edition=blockchain-2020&sort=POL&order=desc&limit=1")
            .await
            .1,
    );
    assert_eq!(v["rows"][0]["name"], "Chongqing");
    let v = json(&get("/api/rankings?province=Guangdong").await.1);
    assert!(v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["province"] == "Guangdong"));
}

#[tokio::test]
async fn other_endpoints() {
    assert_eq!(get("/api/editions").await.0, StatusCode::OK);
    assert_eq!(get("/api/rankings/POL?limit=3").await.0, StatusCode::OK);
    assert_eq!(get("/api/rankings/NOPE").await.0, StatusCode::NOT_FOUND);
    let v = json(&get("/api/cities/330100").await.1);
    assert_eq!(
        v["history"].as_array().unwrap().len(),
        2,
        "Hangzhou in both editions"
    );
    assert_eq!(get("/api/cities/999999").await.0, StatusCode::NOT_FOUND);
    assert_eq!(
        get("/api/compare?units=110000,440300").await.0,
        StatusCode::OK
    );
    assert_eq!(
        get("/api/compare?units=110000,440300,310000").await.0,
        StatusCode::OK
    );
    assert_eq!(
        get("/api/compare?units=110000").await.0,
        StatusCode::BAD_REQUEST
    );
    let v = json(&get("/api/openapi.json").await.1);
    assert!(v["paths"]["/api/whatif"].is_object());
    assert_eq!(
        get("/site/blockchain-2021/index.html").await.0,
        StatusCode::OK
    );
    assert_eq!(
        get("/site/blockchain-2021/data/scores_wide.csv").await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn bad_parameters_are_refused() {
    assert_eq!(
        get("/api/rankings?colour=red").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get("/api/rankings?sort=nonsense").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get("/api/rankings?limit=-1").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get("/api/rankings?edition=1999").await.0,
        StatusCode::NOT_FOUND
    );
    let long = "x".repeat(500);
    assert_eq!(
        get(&format!("/api/rankings?province={long}")).await.0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn whatif_reranks() {
    let (s, b) = whatif(r#"{"weights":{"RD":1,"IND":1,"PUB":1,"POL":1}}"#).await;
    assert_eq!(s, StatusCode::OK);
    let v = json(&b);
    assert!(
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["rank_change"] == 0),
        "nominal weights change nothing"
    );
    let v = json(
        &whatif(r#"{"weights":{"RD":0,"IND":0,"PUB":0,"POL":1}}"#)
            .await
            .1,
    );
    assert_eq!(
        v["rows"][0]["name"], "Chongqing",
        "policy alone puts its leader first"
    );
    assert!(v["rows"][0]["rank_change"].as_i64().unwrap() > 0);
}

/// Every aggregation /api/editions offers works through /api/whatif; every one it does not
/// offer is refused with the reason it gives, and that reason names a city whose score on the
/// named dimension is indeed 0 in the published ranking.
#[tokio::test]
async fn offered_aggregations_work_and_the_others_say_why() {
    let eds = json(&get("/api/editions").await.1);
    for ed in eds["editions"].as_array().unwrap() {
        let id = ed["id"].as_str().unwrap();
        let table = json(&get(&format!("/api/rankings?edition={id}")).await.1);
        for c in ed["aggregations"].as_array().unwrap() {
            let m = c["method"].as_str().unwrap();
            let body =
                format!(r#"{{"weights":{{"RD":1,"IND":1,"PUB":1,"POL":1}},"aggregate":"{m}"}}"#);
            let req = Request::post(format!("/api/whatif?edition={id}"))
                .header("content-type", "application/json")
                .body(Body::from(body))
                .unwrap();
            let (s, _, b) = send(app(), req).await;
            if c["defined"] == true {
                assert_eq!(s, StatusCode::OK, "{id} {m}: {b}");
                continue;
            }
            let why = c["reason"].as_str().unwrap();
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(json(&b)["error"], why);
            let first = why.split("; also").next().unwrap();
            let row = table["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| first.contains(&format!("({})", r["unit"].as_str().unwrap())))
                .unwrap_or_else(|| panic!("{why} names a ranked city"));
            let dim = row["dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| first.contains(&format!("({})", d["id"].as_str().unwrap())))
                .unwrap_or_else(|| panic!("{why} names a dimension"));
            assert_eq!(dim["score"], 0.0, "{why}");
        }
        assert_eq!(
            ed["aggregations"][0]["defined"], true,
            "arithmetic always is"
        );
    }
}

#[tokio::test]
async fn numbers_are_json_numbers_rounded_as_published() {
    let v = json(&get("/api/rankings/POL?edition=blockchain-2021").await.1);
    for r in v["rows"].as_array().unwrap() {
        assert!(r["rank"].is_u64() && r["score"].is_f64(), "{r}");
        let Some(c) = r["change"]["score_change"].as_f64() else {
            continue;
        };
        assert_eq!(
            c,
            (c * 100.0).round() / 100.0,
            "{r}: rounded to the 2 decimals published"
        );
    }
    let v = json(&get("/api/cities/330100?edition=blockchain-2021").await.1);
    assert_eq!(v["status"], "ranked");
    assert_eq!(v["rank"], 3);
    assert_eq!(v["of"], 83);
    let (s, f) = (
        v["score"].as_f64().unwrap(),
        v["score_full"].as_f64().unwrap(),
    );
    assert!((s - f).abs() <= 0.005 && s == (f * 100.0).round() / 100.0);
    let ids: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["BCI", "RD", "IND", "PUB", "POL"], "spec order");
    assert!(v["indicators"][0]["rank"].is_u64() && v["indicators"][0]["raw"].is_f64());
    assert!(
        !get("/api/rankings?edition=blockchain-2021")
            .await
            .1
            .contains("e-"),
        "no float noise"
    );
}

#[tokio::test]
async fn cities_are_found_by_name_too() {
    let by_id = json(&get("/api/cities/330100").await.1);
    for q in [
        "Hangzhou",
        "hangzhou",
        "%E6%9D%AD%E5%B7%9E",
        "%E6%9D%AD%E5%B7%9E%E5%B8%82",
    ] {
        let (s, b) = get(&format!("/api/cities/{q}")).await;
        assert_eq!(s, StatusCode::OK, "{q}");
        assert_eq!(json(&b), by_id, "{q}");
    }
    let v = json(
        &get("/api/compare?units=Beijing,440300,%E4%B8%8A%E6%B5%B7")
            .await
            .1,
    );
    let names: Vec<&str> = v["cities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Beijing", "Shenzhen", "Shanghai"]);
    let (s, b) = get("/api/compare?units=Beijing,Baoding").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        b.contains("not ranked") && b.contains("/api/cities/130600"),
        "{b}"
    );
}

/// Baoding is assessed in 2020 but not ranked: its raw values are those of the data file and
/// the reason is the one excluded.csv gives.
#[tokio::test]
async fn an_excluded_city_shows_its_data_and_reason() {
    let (s, b) = get("/api/cities/130600?edition=blockchain-2020").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let v = json(&b);
    assert_eq!(v["status"], "excluded");
    assert_eq!(v["name"], "Baoding");
    let ed = crate::common::edition("2020");
    let want = &ed
        .results
        .excluded
        .iter()
        .find(|e| e.unit == "130600")
        .unwrap()
        .reason;
    assert_eq!(v["reason"], want.as_str());
    let file = std::fs::read_to_string(
        crate::common::root().join("examples/blockchain-2020/data/indicators.csv"),
    )
    .unwrap();
    let mut lines = file.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines
        .find(|l| l.starts_with("130600,"))
        .unwrap()
        .split(',')
        .collect();
    let inds = v["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), header.len() - 1);
    for ind in inds {
        let col = header.iter().position(|h| *h == ind["id"]).unwrap();
        match row[col] {
            "" => assert!(ind["raw"].is_null(), "{ind}"),
            x => assert_eq!(
                ind["raw"].as_f64().unwrap(),
                x.parse::<f64>().unwrap(),
                "{ind}"
            ),
        }
    }
    assert_eq!(
        v["present"],
        row[1..].iter().filter(|x| !x.is_empty()).count()
    );
    let hist = v["history"].as_array().unwrap();
    assert_eq!(hist[0]["status"], "excluded");
    assert_eq!(hist[1]["status"], "ranked", "ranked in 2021");
}

/// With an edition whose data are not illustrative, that one is the default.
#[tokio::test]
async fn a_real_edition_is_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let real = crate::common::real_edition(dir.path());
    let app = router(vec![edition("2020"), real, edition("2021")]).unwrap();
    let (_, _, b) = send(
        app,
        Request::get("/api/editions").body(Body::empty()).unwrap(),
    )
    .await;
    let v = json(&b);
    assert_eq!(v["default"], "blockchain-real");
    assert_eq!(v["latest"], "blockchain-2021");
}

#[tokio::test]
async fn bad_weights_are_refused() {
    let cases = [
        (
            r#"{"weights":{"RD":-1,"IND":1,"PUB":1,"POL":1}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"weights":{"RD":NaN,"IND":1,"PUB":1,"POL":1}}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"weights":{"RD":"NaN","IND":1,"PUB":1,"POL":1}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"weights":{"RD":1e999,"IND":1,"PUB":1,"POL":1}}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            r#"{"weights":{"IND":1,"PUB":1,"POL":1}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"weights":{"RD":0,"IND":0,"PUB":0,"POL":0}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"weights":{"RD":1,"IND":1,"PUB":1,"POL":1,"XX":1}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"weights":{"RD":1,"IND":1,"PUB":1,"POL":1},"admin":true}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"weights":{"RD":1,"IND":1,"PUB":1,"POL":1},"aggregate":"median"}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            r#"{"weights":{"RD":5000,"IND":1,"PUB":1,"POL":1}}"#,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (r#"{"weights":"#, StatusCode::BAD_REQUEST),
    ];
    for (body, want) in cases {
        let (s, b) = whatif(body).await;
        assert_eq!(s, want, "{body} -> {b}");
        assert!(json(&b)["error"].is_string());
    }
}

#[tokio::test]
async fn oversized_bodies_and_wrong_types_are_refused() {
    let big = format!(
        r#"{{"weights":{{"RD":1,"IND":1,"PUB":1,"POL":1}},"pad":"{}"}}"#,
        "x".repeat(BODY_LIMIT)
    );
    assert_eq!(whatif(&big).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let req = Request::post("/api/whatif").body(Body::from("{}")).unwrap();
    assert_eq!(send(app(), req).await.0, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let req = Request::delete("/api/rankings")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(app(), req).await.0, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn paths_outside_the_site_are_refused() {
    for uri in [
        "/site/blockchain-2021/../../Cargo.toml",
        "/site/blockchain-2021/..%2F..%2FCargo.toml",
        "/site/blockchain-2021/data/..%2F..%2F..%2Fetc%2Fpasswd",
        "/site/..%2F..%2Fetc/passwd",
        "/site/blockchain-2021/%2Fetc%2Fpasswd",
        "/site/blockchain-2021/spec.toml",
        "/static/../Cargo.toml",
    ] {
        let (s, b) = get(uri).await;
        assert!(
            s == StatusCode::BAD_REQUEST || s == StatusCode::NOT_FOUND,
            "{uri}: {s}"
        );
        assert!(
            !b.contains("[package]") && !b.contains("root:"),
            "{uri} leaked a file"
        );
    }
}

#[tokio::test]
async fn security_headers_are_set() {
    let (_, h, _) = send(app(), Request::get("/").body(Body::empty()).unwrap()).await;
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
}

#[tokio::test]
async fn a_city_named_script_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(vec![hostile_edition(dir.path())]).unwrap();
    for uri in [
        "/",
        "/site/blockchain-2020/index.html",
        "/site/blockchain-2020/city-110000.html",
        "/site/blockchain-2020/dimension-RD.html",
    ] {
        let (s, _, b) = send(app.clone(), Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert!(!b.contains(HOSTILE), "{uri} carries the raw name");
        assert!(b.contains("&lt;script&gt;"), "{uri} shows the escaped name");
    }
    let (_, _, b) = send(
        app,
        Request::get("/api/rankings?limit=1")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(
        json(&b)["rows"][0]["name"],
        HOSTILE,
        "JSON carries the name as data"
    );
}
