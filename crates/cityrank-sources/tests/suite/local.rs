//! Values and provenance computed locally, checked against a row-by-row computation.

use super::common::*;
use cityrank_sources::RecordsSpec;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_values_match_row_by_row_computation() {
    let (dir, rows) = firm_dir(3000);
    let spec = firms_spec("records/firms-*.csv");
    let cities = cities();
    let resolver = resolver();
    let out = run(dir.path(), &cities, &resolver)
        .compute(&spec)
        .await
        .unwrap();
    let expected = expected_firm_values(&rows);
    for (id, want) in &expected {
        assert_eq!(&out.values[id], want, "indicator {id}");
    }

    // Provenance: every row accounted for.
    let p = &out.sources["firms"];
    assert_eq!(p.files.len(), 2);
    assert!(p.files.iter().all(|f| f.sha256.len() == 64 && f.bytes > 0));
    assert_eq!(p.rows_read, 3025);
    assert_eq!(p.duplicates_removed, 25);
    assert_eq!(
        p.rows_read,
        p.duplicates_removed
            + p.rows_without_city
            + p.rows_unresolved
            + p.rows_outside
            + p.rows_used
    );
    assert!(p.rows_without_city > 0, "empty city cells are counted");
    assert!(p.rows_outside > 0, "Chengdu resolves but is not in the run");
    assert_eq!(p.top_unresolved.len(), 1);
    assert_eq!(p.top_unresolved[0].0, "Atlantis");
    assert_eq!(p.top_unresolved[0].1, p.rows_unresolved);

    let a = &out.indicators["active_ai"];
    assert_eq!(a.rows_in, p.rows_used);
    assert_eq!(a.removed_by_filter.len(), 2);
    assert_eq!(a.removed_by_filter[0].filter, "status = 'active'");
    let removed: u64 = a.removed_by_filter.iter().map(|f| f.removed).sum();
    assert_eq!(
        a.rows_in,
        removed + a.removed_without_date + a.removed_after_cutoff + a.rows_used
    );
    let total: f64 = out.values["active_ai"].values().map(|v| v.unwrap()).sum();
    assert_eq!(total as u64, a.rows_used);
    let r = &out.indicators["recent"];
    assert!(r.removed_before_window > 0 && r.removed_after_cutoff > 0);
    assert_eq!(
        r.rows_in,
        r.removed_after_cutoff + r.removed_before_window + r.rows_used
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parquet_and_jsonl_give_the_csv_values() {
    let dir = tempfile::tempdir().unwrap();
    let rows = firms(1500, 11);
    write_firms_parquet(&dir.path().join("firms.parquet"), &rows);
    write_firms_jsonl(&dir.path().join("firms.jsonl"), &rows);
    write_firms_csv(&dir.path().join("firms.csv"), &rows);
    write_population(&dir.path().join("population.csv"));
    let cities = cities();
    let resolver = resolver();
    let csv = run(dir.path(), &cities, &resolver)
        .compute(&firms_spec("firms.csv"))
        .await
        .unwrap();
    let pq = run(dir.path(), &cities, &resolver)
        .compute(&firms_spec("firms.parquet"))
        .await
        .unwrap();
    let js = run(dir.path(), &cities, &resolver)
        .compute(&firms_spec("firms.jsonl"))
        .await
        .unwrap();
    assert_eq!(csv.values, expected_firm_values(&rows));
    assert_eq!(pq.values, csv.values);
    assert_eq!(js.values, csv.values);
    assert_eq!(pq.sources["firms"].format, "parquet");
    assert_eq!(js.sources["firms"].format, "jsonl");
    assert_eq!(pq.sources["firms"].rows_read, 1500);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn covered_without_records_is_zero_and_uncovered_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("patents.csv"),
        "no,applicant_city,filed\nP1,北京市,2019-03-01\nP2,Beijing,2019-05-01\nP3,深圳市,2019-05-01\nP1,北京市,2019-03-01\n",
    )
    .unwrap();
    let spec: RecordsSpec = toml::from_str(
        r#"
[[source]]
id = "patents"
files = "patents.csv"
city_column = "applicant_city"
date_column = "filed"
covers = ["110000", "310000"]

[indicators.patents]
source = "patents"
measure = { count_distinct = "no" }
"#,
    )
    .unwrap();
    let cities = cities();
    let resolver = resolver();
    let out = run(dir.path(), &cities, &resolver)
        .compute(&spec)
        .await
        .unwrap();
    let v = &out.values["patents"];
    assert_eq!(v[BEIJING], Some(2.0));
    assert_eq!(v[SHANGHAI], Some(0.0), "covered, no records");
    assert_eq!(v[SHENZHEN], None, "not covered, though it has a record");
    assert_eq!(v[HANGZHOU], None);
    assert_eq!(out.sources["patents"].rows_outside, 1);
    assert_eq!(out.indicators["patents"].cities_without_records, 1);
    assert_eq!(out.indicators["patents"].cities_not_covered, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_keep_the_earliest_record_of_a_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("firms.csv"),
        "id,city,date,status\nA,北京,2020-05-01,revoked\nA,北京,2019-01-01,active\nB,上海,2019-01-01,active\n",
    )
    .unwrap();
    let spec: RecordsSpec = toml::from_str(
        r#"
[[source]]
id = "f"
files = "*.csv"
city_column = "city"
date_column = "date"
covers = "all"
key = ["id"]

[indicators.active]
source = "f"
measure = "count"
filters = [{ column = "status", op = "=", value = "active" }]
"#,
    )
    .unwrap();
    let cities = cities();
    let resolver = resolver();
    let out = run(dir.path(), &cities, &resolver)
        .compute(&spec)
        .await
        .unwrap();
    assert_eq!(out.values["active"][BEIJING], Some(1.0));
    assert_eq!(out.sources["f"].duplicates_removed, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gbk_source_is_converted_when_declared() {
    let dir = tempfile::tempdir().unwrap();
    let text = "name,city\n甲公司,北京市\n乙公司,上海市\n丙公司,北京\n";
    let (bytes, _, _) = encoding_rs::GBK.encode(text);
    std::fs::write(dir.path().join("gbk.csv"), &bytes).unwrap();
    let spec: RecordsSpec = toml::from_str(
        r#"
[[source]]
id = "g"
files = "gbk.csv"
city_column = "city"
covers = "all"
encoding = "gbk"

[indicators.n]
source = "g"
measure = { count_distinct = "name" }
"#,
    )
    .unwrap();
    let cities = cities();
    let resolver = resolver();
    let out = run(dir.path(), &cities, &resolver)
        .compute(&spec)
        .await
        .unwrap();
    assert_eq!(out.values["n"][BEIJING], Some(2.0));
    assert_eq!(out.values["n"][SHANGHAI], Some(1.0));
    assert_eq!(
        out.sources["g"].files[0].converted_from.as_deref(),
        Some("GBK")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_bom_is_stripped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bom.csv"), "\u{feff}city,x\n北京,1\n").unwrap();
    let spec: RecordsSpec = toml::from_str(
        r#"
[[source]]
id = "b"
files = "bom.csv"
city_column = "city"
covers = "all"

[indicators.x]
source = "b"
measure = { sum = "x" }
"#,
    )
    .unwrap();
    let cities = cities();
    let resolver = resolver();
    let out = run(dir.path(), &cities, &resolver)
        .compute(&spec)
        .await
        .unwrap();
    assert_eq!(out.values["x"][BEIJING], Some(1.0));
}

#[test]
fn blocking_entry_point_works_outside_a_runtime() {
    let (dir, rows) = firm_dir(400);
    let spec = firms_spec("records/firms-*.csv");
    let cities = cities();
    let resolver = resolver();
    let out = run(dir.path(), &cities, &resolver)
        .compute_blocking(&spec)
        .unwrap();
    assert_eq!(out.values, expected_firm_values(&rows));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_behind_a_value_are_listed() {
    use datafusion::arrow::array::{Array, StringArray};
    let (dir, rows) = firm_dir(1000);
    let spec = firms_spec("records/firms-*.csv");
    let cities = cities();
    let resolver = resolver();
    let r = run(dir.path(), &cities, &resolver);
    let batches = r
        .records(&spec, "active_ai", SHANGHAI, 100_000)
        .await
        .unwrap();
    let n: usize = batches.iter().map(|b| b.num_rows()).sum();
    let want = expected_firm_values(&rows)["active_ai"][SHANGHAI].unwrap();
    assert_eq!(n as f64, want);
    for b in &batches {
        let schema = b.schema();
        let status = b.column(schema.index_of("status").unwrap());
        let status = status.as_any().downcast_ref::<StringArray>().unwrap();
        let code = b.column(schema.index_of("city_code").unwrap());
        let code =
            datafusion::arrow::compute::cast(code, &datafusion::arrow::datatypes::DataType::Utf8)
                .unwrap();
        let code = code.as_any().downcast_ref::<StringArray>().unwrap();
        for i in 0..b.num_rows() {
            assert_eq!(status.value(i), "active");
            assert_eq!(code.value(i), SHANGHAI);
            assert!(!status.is_null(i));
        }
    }
    let limited = r.records(&spec, "active_ai", SHANGHAI, 3).await.unwrap();
    assert_eq!(
        limited.iter().map(|b| b.num_rows()).sum::<usize>(),
        3.min(n)
    );
    assert!(r.records(&spec, "revoked_sql", SHANGHAI, 3).await.is_err());
}
