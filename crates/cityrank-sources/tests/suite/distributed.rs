//! A Ballista scheduler and executor started in this process on loopback; the
//! distributed run must give exactly the values of the local run.

use super::common::*;
use ballista_core::serde::protobuf::scheduler_grpc_client::SchedulerGrpcClient;
use ballista_core::serde::BallistaCodec;
use cityrank_sources::{Engine, RecordsSpec};
use std::time::Duration;
use tokio::time::timeout;

/// Starts an in-process scheduler and one executor; returns the scheduler URL.
async fn start_cluster() -> String {
    // Both bind "localhost:0": a free port on the loopback interface.
    let addr = timeout(
        Duration::from_secs(30),
        ballista_scheduler::standalone::new_standalone_scheduler(),
    )
    .await
    .expect("scheduler started in time")
    .expect("scheduler");
    assert!(addr.ip().is_loopback(), "scheduler bound to {addr}");
    let url = format!("http://localhost:{}", addr.port());
    let client = timeout(Duration::from_secs(30), async {
        loop {
            match SchedulerGrpcClient::connect(url.clone()).await {
                Ok(c) => break c,
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    })
    .await
    .expect("scheduler reachable in time");
    timeout(
        Duration::from_secs(30),
        ballista_executor::new_standalone_executor(client, 2, BallistaCodec::default()),
    )
    .await
    .expect("executor started in time")
    .expect("executor");
    format!("df://localhost:{}", addr.port())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ballista_gives_exactly_the_local_values() {
    timeout(Duration::from_secs(300), async {
        let (dir, rows) = firm_dir(4000);
        // A second source in JSON lines, with partial coverage, on the same run.
        let patents = firms(800, 99);
        write_firms_jsonl(&dir.path().join("records/patents.jsonl"), &patents);
        let mut spec = firms_spec("records/firms-*.csv");
        let extra: RecordsSpec = toml::from_str(
            r#"
[[source]]
id = "patents"
files = "records/patents.jsonl"
city_column = "city"
date_column = "registered"
covers = ["110000", "310000", "440300"]

[indicators.patent_capital]
source = "patents"
measure = { sum = "capital" }
cutoff = 2019-12-31
window_days = 730

[indicators.patents_sql]
source = "patents"
sql = "SELECT p.city_code AS city, CAST(count(DISTINCT f.firm_id) AS DOUBLE) AS value FROM patents p JOIN firms f ON p.city_code = f.city_code AND p.industry = f.industry GROUP BY p.city_code"
"#,
        )
        .unwrap();
        spec.sources.extend(extra.sources);
        spec.indicators.extend(extra.indicators);

        let cities = cities();
        let resolver = resolver();
        let local = run(dir.path(), &cities, &resolver).compute(&spec).await.expect("local run");
        assert_eq!(local.values["active_ai"], expected_firm_values(&rows)["active_ai"]);

        let url = start_cluster().await;
        let mut r = run(dir.path(), &cities, &resolver);
        r.engine = Engine::Ballista { scheduler_url: url };
        r.query_timeout = Duration::from_secs(120);
        let distributed = r.compute(&spec).await.expect("ballista run");

        assert_eq!(distributed.values, local.values);
        assert_eq!(distributed.sources, local.sources);
        assert_eq!(distributed.indicators, local.indicators);
        assert_eq!(local.values["patent_capital"][HANGZHOU], None);
    })
    .await
    .expect("the distributed test finished in time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_scheduler_is_an_error_not_a_local_run() {
    // A port nothing listens on: bind one on loopback, then close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (dir, _) = firm_dir(50);
    let spec = firms_spec("records/firms-*.csv");
    let cities = cities();
    let resolver = resolver();
    let mut r = run(dir.path(), &cities, &resolver);
    r.engine = Engine::Ballista {
        scheduler_url: format!("df://127.0.0.1:{port}"),
    };
    r.query_timeout = Duration::from_secs(20);
    let e = timeout(Duration::from_secs(60), r.compute(&spec))
        .await
        .expect("bounded")
        .expect_err("no scheduler there");
    eprintln!("{e}");
}
