//! Values and provenance computed locally, checked against a row-by-row computation.

use super::common::*;
use cityrank_sources::RecordsSpec;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_values_match_row_by_row_computation() {
    let (dir, rows) = firm_dir(3000);
    let spec = firms_spec("records/firms-*.csv");
    let out = compute(dir.path(), &spec).await;
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
    let out = compute(dir.path(), &spec).await;
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
    let out = compute(dir.path(), &spec).await;
    assert_eq!(out.values["active"][BEIJING], Some(1.0));
    assert_eq!(out.sources["f"].duplicates_removed, 1);
}

/// A keyed source whose kept rows are observed through SQL indicators.
fn keyed_spec(files: &str, extra: &str) -> RecordsSpec {
    toml::from_str(&format!(
        r#"
[[source]]
id = "f"
files = "{files}"
city_column = "city"
date_column = "date"
covers = "all"
key = ["id"]

[indicators.amount]
source = "f"
sql = "SELECT city_code AS city, sum(CAST(amount AS DOUBLE)) AS value FROM f GROUP BY city_code"

[indicators.no_status]
source = "f"
sql = "SELECT city_code AS city, sum(CASE WHEN status IS NULL THEN 1 ELSE 0 END) AS value FROM f GROUP BY city_code"
{extra}
"#
    ))
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_keep_one_whole_row_by_date_then_other_columns() {
    let dir = tempfile::tempdir().unwrap();
    // A: the earliest date wins. B: a row without a date comes last. C: same date, the
    // other columns decide (`a` before `b`). D: same date, an empty cell comes first and
    // stays empty. The kept rows' amounts are 2, 8 | 32, 64 (a mix of rows would differ).
    std::fs::write(
        dir.path().join("f.csv"),
        "id,city,date,status,amount\n\
         A,北京,2020-05-01,revoked,1\n\
         A,北京,2019-01-01,active,2\n\
         B,北京,,active,4\n\
         B,北京,2019-03-01,zz,8\n\
         C,上海,2019-01-01,b,16\n\
         C,上海,2019-01-01,a,32\n\
         D,上海,2019-01-01,,64\n\
         D,上海,2019-01-01,a,128\n",
    )
    .unwrap();
    let out = compute(dir.path(), &keyed_spec("f.csv", "")).await;
    assert_eq!(out.values["amount"][BEIJING], Some(10.0));
    assert_eq!(out.values["amount"][SHANGHAI], Some(96.0));
    assert_eq!(out.values["no_status"][SHANGHAI], Some(1.0));
    assert_eq!(out.values["no_status"][BEIJING], Some(0.0));
    assert_eq!(out.sources["f"].duplicates_removed, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_carry_typed_parquet_values_exactly() {
    use datafusion::arrow::array::{
        ArrayRef, BooleanArray, Date32Array, Float64Array, Int64Array, StringArray,
    };
    use datafusion::arrow::record_batch::RecordBatch;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    // Values that a careless text round trip would change.
    let amounts = [0.1f64, 1e-300, 0.1 + 0.2, -0.0, 2.5e17, 7.0];
    let batch = RecordBatch::try_from_iter(vec![
        (
            "id",
            Arc::new(StringArray::from(vec!["A", "A", "B", "C", "C", "D"])) as ArrayRef,
        ),
        (
            "city",
            Arc::new(StringArray::from(vec!["北京"; 6])) as ArrayRef,
        ),
        (
            "date",
            Arc::new(Date32Array::from(vec![
                18000, 18001, 18000, 18002, 18002, 18003,
            ])) as ArrayRef,
        ),
        (
            "status",
            Arc::new(StringArray::from(vec![
                Some("x"),
                Some("x"),
                None,
                Some("y"),
                Some("y"),
                Some("z"),
            ])) as ArrayRef,
        ),
        (
            "amount",
            Arc::new(Float64Array::from(amounts.to_vec())) as ArrayRef,
        ),
        (
            "n",
            Arc::new(Int64Array::from(vec![i64::MIN, 1, i64::MAX, 3, 4, -5])) as ArrayRef,
        ),
        (
            "flag",
            Arc::new(BooleanArray::from(vec![
                Some(true),
                Some(false),
                None,
                Some(true),
                Some(false),
                Some(true),
            ])) as ArrayRef,
        ),
    ])
    .unwrap();
    let file = std::fs::File::create(dir.path().join("f.parquet")).unwrap();
    let mut w =
        datafusion::parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let spec = keyed_spec(
        "f.parquet",
        r#"
[indicators.n_max]
source = "f"
sql = "SELECT city_code AS city, CAST(max(n) AS DOUBLE) AS value FROM f GROUP BY city_code"

[indicators.amount_max]
source = "f"
sql = "SELECT city_code AS city, max(amount) AS value FROM f GROUP BY city_code"

[indicators.exact]
source = "f"
sql = "SELECT city_code AS city, sum(CASE WHEN amount = 0.1 OR amount = 0.1 + 0.2 THEN 1 ELSE 0 END) AS value FROM f GROUP BY city_code"

[indicators.flags]
source = "f"
sql = "SELECT city_code AS city, sum(CASE WHEN flag THEN 1 WHEN NOT flag THEN 10 ELSE 100 END) AS value FROM f GROUP BY city_code"
"#,
    );
    let out = compute(dir.path(), &spec).await;
    // Kept: A's first row (earlier date), B, C's first row (same date and status: the
    // amounts' text decides, and "-0" sorts before "2..."), D.
    assert_eq!(out.values["amount_max"][BEIJING], Some(amounts[5]));
    assert_eq!(
        out.values["exact"][BEIJING],
        Some(2.0),
        "0.1 and 0.1 + 0.2 exactly"
    );
    let sum = out.values["amount"][BEIJING].unwrap();
    let want = amounts[0] + amounts[2] + amounts[3] + amounts[5];
    assert!((sum - want).abs() < 1e-6, "{sum} != {want}");
    assert_eq!(out.values["no_status"][BEIJING], Some(1.0));
    assert_eq!(out.values["n_max"][BEIJING], Some(i64::MAX as f64));
    // Flags kept: true (A), NULL (B), true (C), true (D).
    assert_eq!(out.values["flags"][BEIJING], Some(103.0));
    assert_eq!(out.sources["f"].duplicates_removed, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nul_character_in_a_keyed_source_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("f.csv"),
        "id,city,date,status,amount\nA,北京,2019-01-01,bad\u{0}text,1\nA,北京,2019-02-01,ok,2\n",
    )
    .unwrap();
    let cities = cities();
    let resolver = resolver();
    let err = run(dir.path(), &cities, &resolver)
        .compute(&keyed_spec("f.csv", ""))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("NUL"), "{err}");
    assert!(err.contains("f.csv") && err.contains("line 2"), "{err}");
    assert!(err.contains("column `status`"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_in_a_source_with_nested_values_keep_a_whole_row() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("f.jsonl"),
        concat!(
            r#"{"id":"A","city":"北京","date":"2020-05-01","status":"late","amount":1,"tags":{"k":1}}"#, "\n",
            r#"{"id":"A","city":"北京","date":"2019-01-01","status":"early","amount":2,"tags":{"k":2}}"#, "\n",
            r#"{"id":"B","city":"上海","date":"2019-01-01","status":null,"amount":4,"tags":{"k":3}}"#, "\n",
        ),
    )
    .unwrap();
    let out = compute(dir.path(), &keyed_spec("f.jsonl", "")).await;
    assert_eq!(out.values["amount"][BEIJING], Some(2.0));
    assert_eq!(out.values["no_status"][SHANGHAI], Some(1.0));
    assert_eq!(out.sources["f"].duplicates_removed, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_in_a_declared_format_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // Slashes without zero padding, as spreadsheets export them; one empty date.
    std::fs::write(
        dir.path().join("f.csv"),
        "id,city,date\n1,北京,2020/5/31\n2,北京,2020/6/1\n3,北京,2019/12/01\n4,上海,2020/1/9\n5,上海,\n",
    )
    .unwrap();
    let spec: RecordsSpec = toml::from_str(
        r#"
[[source]]
id = "f"
files = "f.csv"
city_column = "city"
date_column = "date"
date_format = "%Y/%m/%d"
covers = "all"

[indicators.n]
source = "f"
measure = "count"
cutoff = 2020-05-31
window_days = 366
"#,
    )
    .unwrap();
    let out = compute(dir.path(), &spec).await;
    // 2020/5/31 is on the cut-off, 2020/6/1 after it, 2019/12/01 inside the window.
    assert_eq!(out.values["n"][BEIJING], Some(2.0));
    assert_eq!(out.values["n"][SHANGHAI], Some(1.0));
    let p = &out.indicators["n"];
    assert_eq!(p.removed_after_cutoff, 1);
    assert_eq!(p.removed_without_date, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quoted_line_breaks_in_a_large_csv_are_read_whole() {
    // Above the engine's 10 MB threshold a file is split into byte ranges at line ends;
    // a quoted field with line breaks would be cut (an error or, worse, wrong rows).
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,city,date,title\n");
    let cities = [("北京", BEIJING), ("上海", SHANGHAI)];
    let mut want = [0.0f64; 2];
    let mut i = 0u64;
    while text.len() < 12_000_000 {
        i += 1;
        let c = (i % 2) as usize;
        let title = if i.is_multiple_of(2) {
            format!("\"first line of {i}\nsecond, with a comma\nthird\"")
        } else {
            format!("title {i}")
        };
        text.push_str(&format!(
            "{i},{},2020-01-{:02},{title}\n",
            cities[c].0,
            1 + i % 28
        ));
        want[c] += 1.0;
    }
    std::fs::write(dir.path().join("news.csv"), text).unwrap();
    let spec: RecordsSpec = toml::from_str(
        r#"
[[source]]
id = "news"
files = "news.csv"
city_column = "city"
date_column = "date"
covers = "all"

[indicators.n]
source = "news"
measure = "count"
cutoff = 2020-05-31
"#,
    )
    .unwrap();
    let all = super::common::cities();
    let resolver = resolver();
    let mut r = run(dir.path(), &all, &resolver);
    r.target_partitions = Some(4);
    let out = r.compute(&spec).await.unwrap();
    assert_eq!(out.values["n"][cities[0].1], Some(want[0]));
    assert_eq!(out.values["n"][cities[1].1], Some(want[1]));
    assert_eq!(out.sources["news"].rows_read, i);
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
    let out = compute(dir.path(), &spec).await;
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
    let out = compute(dir.path(), &spec).await;
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
    // An SQL indicator's selection is its query's: the city's rows of its source are listed.
    let sql_rows = r
        .records(&spec, "revoked_sql", SHANGHAI, 1000)
        .await
        .unwrap();
    let listed: usize = sql_rows.iter().map(|b| b.num_rows()).sum();
    assert!(
        listed > n,
        "all of Shanghai's rows, not only the active AI ones"
    );
    for b in &sql_rows {
        let code = b.column(b.schema().index_of("city_code").unwrap()).clone();
        let code =
            datafusion::arrow::compute::cast(&code, &datafusion::arrow::datatypes::DataType::Utf8)
                .unwrap();
        let code = code.as_any().downcast_ref::<StringArray>().unwrap();
        assert!((0..b.num_rows()).all(|i| code.value(i) == SHANGHAI));
    }
}
