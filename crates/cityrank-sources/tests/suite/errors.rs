//! Every kind of bad input gives an error naming file, line and column, and no values.

use super::common::*;
use cityrank_sources::{Position, RecordsSpec, SourceError};
use std::path::Path;

const HEADER: &str = "id,city,date,status,capital\n";

fn spec(files: &str, measure: &str, extra_source: &str) -> RecordsSpec {
    toml::from_str(&format!(
        r#"
[[source]]
id = "s"
files = "{files}"
city_column = "city"
date_column = "date"
covers = "all"
{extra_source}

[indicators.x]
source = "s"
measure = {measure}
filters = [{{ column = "status", op = "=", value = "active" }}]
cutoff = 2020-06-30
"#
    ))
    .unwrap()
}

async fn run_err(dir: &Path, spec: &RecordsSpec) -> SourceError {
    let cities = cities();
    let resolver = resolver();
    match run(dir, &cities, &resolver).compute(spec).await {
        Ok(out) => panic!("expected an error, got {:?}", out.values),
        Err(e) => {
            eprintln!("{e}");
            e
        }
    }
}

fn write(dir: &Path, name: &str, body: &str) {
    std::fs::write(dir.join(name), body).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_column_names_file_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        &format!("{HEADER}1,北京,2020-01-01,active,5\n"),
    );
    write(
        dir.path(),
        "b.csv",
        "id,city,date,state,capital\n2,北京,2020-01-01,active,5\n",
    );
    let e = run_err(dir.path(), &spec("*.csv", "\"count\"", "")).await;
    let msg = e.to_string();
    match e {
        SourceError::HeaderMismatch { path, .. } => assert!(path.ends_with("b.csv")),
        SourceError::MissingColumn { path, column, .. } => {
            assert!(path.ends_with("b.csv"));
            assert_eq!(column, "status");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(msg.contains("b.csv"), "{msg}");

    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        "id,town,date,status,capital\n1,北京,2020-01-01,active,5\n",
    );
    let e = run_err(dir.path(), &spec("*.csv", "\"count\"", "")).await;
    let msg = e.to_string();
    assert!(
        matches!(e, SourceError::MissingColumn { ref column, .. } if column == "city"),
        "{e:?}"
    );
    assert!(
        msg.contains("a.csv") && msg.contains("`city`") && msg.contains("town"),
        "{msg}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_type_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        &format!("{HEADER}1,北京,2020-01-01,active,5\n2,上海,2020-01-01,active,12.5\n"),
    );
    write(
        dir.path(),
        "b.csv",
        &format!("{HEADER}3,北京,2020-01-01,active,7\n4,北京,2020-01-01,active,\n5,北京,2020-01-01,active,1,000\n"),
    );
    // "1,000" splits into an extra field: a malformed record on line 4.
    let e = run_err(dir.path(), &spec("*.csv", "{ sum = \"capital\" }", "")).await;
    match &e {
        SourceError::Malformed { path, position, .. } => {
            assert!(path.ends_with("b.csv"));
            assert_eq!(*position, Position::Line(4));
        }
        other => panic!("unexpected {other:?}"),
    }
    write(
        dir.path(),
        "b.csv",
        &format!("{HEADER}3,北京,2020-01-01,active,7\n4,北京,2020-01-01,active,\n5,北京,2020-01-01,active,\"1,000\"\n"),
    );
    let e = run_err(dir.path(), &spec("*.csv", "{ sum = \"capital\" }", "")).await;
    match &e {
        SourceError::WrongType {
            path,
            position,
            column,
            value,
            ..
        } => {
            assert!(path.ends_with("b.csv"));
            assert_eq!(*position, Some(Position::Line(4)));
            assert_eq!(column, "capital");
            assert_eq!(value, "1,000");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(e.to_string().contains("b.csv: line 4"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_type_in_jsonl_and_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = String::new();
    for i in 0..5 {
        s.push_str(&format!("{{\"id\":{i},\"city\":\"北京\",\"date\":\"2020-01-01\",\"status\":\"active\",\"capital\":\"{i}\"}}\n"));
    }
    s.push_str("{\"id\":9,\"city\":\"北京\",\"date\":\"2020-01-01\",\"status\":\"active\",\"capital\":\"lots\"}\n");
    write(dir.path(), "a.jsonl", &s);
    let e = run_err(dir.path(), &spec("a.jsonl", "{ mean = \"capital\" }", "")).await;
    assert!(
        matches!(&e, SourceError::WrongType { position: Some(Position::Line(6)), value, .. } if value == "lots"),
        "{e:?}"
    );

    let mut rows = firms(50, 3);
    rows[37].capital = "n/a".into();
    rows[37].city = "北京".into();
    // Parquet keeps capital as text here, so the cell is found by row.
    let path = dir.path().join("t.parquet");
    {
        use datafusion::arrow::array::{ArrayRef, StringArray};
        use datafusion::arrow::record_batch::RecordBatch;
        use std::sync::Arc;
        let col = |f: &dyn Fn(&Firm) -> String| -> ArrayRef {
            Arc::new(rows.iter().map(|r| Some(f(r))).collect::<StringArray>())
        };
        let batch = RecordBatch::try_from_iter(vec![
            ("id", col(&|r| r.id.clone())),
            ("city", col(&|r| r.city.clone())),
            ("date", col(&|r| r.date.clone())),
            ("status", col(&|r| r.status.clone())),
            ("capital", col(&|r| r.capital.clone())),
        ])
        .unwrap();
        let mut w = datafusion::parquet::arrow::ArrowWriter::try_new(
            std::fs::File::create(&path).unwrap(),
            batch.schema(),
            None,
        )
        .unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }
    let mut spec = spec("t.parquet", "{ sum = \"capital\" }", "");
    spec.indicators.get_mut("x").unwrap().filters.clear();
    spec.indicators.get_mut("x").unwrap().cutoff = None;
    let e = run_err(dir.path(), &spec).await;
    match &e {
        SourceError::WrongType {
            path,
            position,
            value,
            ..
        } => {
            assert!(path.ends_with("t.parquet"));
            assert_eq!(*position, Some(Position::Row(37)));
            assert_eq!(value, "n/a");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unparseable_date_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        &format!("{HEADER}1,北京,2020-01-01,active,5\n2,上海,2020-01-01,active,1\n3,上海,2020年3月1日,active,1\n"),
    );
    let e = run_err(dir.path(), &spec("a.csv", "\"count\"", "")).await;
    match &e {
        SourceError::BadDate {
            path,
            position,
            column,
            value,
            ..
        } => {
            assert!(path.ends_with("a.csv"));
            assert_eq!(*position, Position::Line(4));
            assert_eq!(column, "date");
            assert_eq!(value, "2020年3月1日");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn date_not_matching_the_declared_format_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        &format!("{HEADER}1,北京,2020年1月5日,active,5\n2,上海,2020年1月6日,active,1\n3,上海,2020-03-01,active,1\n"),
    );
    let e = run_err(
        dir.path(),
        &spec("a.csv", "\"count\"", "date_format = \"%Y年%m月%d日\""),
    )
    .await;
    match &e {
        SourceError::BadDate {
            path,
            position,
            value,
            expected,
            ..
        } => {
            assert!(path.ends_with("a.csv"));
            assert_eq!(*position, Position::Line(4));
            assert_eq!(value, "2020-03-01");
            assert!(expected.contains("%Y年%m月%d日"), "{expected}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_date_format_that_is_not_a_date_pattern_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        &format!("{HEADER}1,北京,2020/01/05,active,5\n"),
    );
    for bad in ["%Y/%m", "%Y/%q/%d", "YYYY/MM/DD"] {
        let e = run_err(
            dir.path(),
            &spec("a.csv", "\"count\"", &format!("date_format = \"{bad}\"")),
        )
        .await;
        assert!(
            matches!(&e, SourceError::Spec(m) if m.contains("date_format")),
            "{bad}: {e}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gbk_file_is_detected_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(HEADER);
    for i in 0..50 {
        text.push_str(&format!("{i},Beijing,2020-01-01,active,1\n"));
    }
    text.push_str("99,北京市,2020-01-01,active,1\n");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(dir.path().join("gbk.csv"), &bytes).unwrap();
    let e = run_err(dir.path(), &spec("gbk.csv", "\"count\"", "")).await;
    let msg = e.to_string();
    match &e {
        SourceError::NotUtf8 { line, guess, .. } => {
            assert_eq!(*line, 52);
            assert_eq!(guess.as_deref(), Some("GBK"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(
        msg.contains("iconv -f GBK -t UTF-8") && msg.contains("encoding = \"gbk\""),
        "{msg}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn empty_source_and_glob_matching_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.csv", HEADER);
    write(dir.path(), "b.csv", "");
    let e = run_err(dir.path(), &spec("*.csv", "\"count\"", "")).await;
    assert!(
        matches!(&e, SourceError::EmptySource { files, .. } if files.len() == 2),
        "{e:?}"
    );

    let e = run_err(dir.path(), &spec("nothing/*.csv", "\"count\"", "")).await;
    assert!(
        matches!(&e, SourceError::NoFiles { pattern, .. } if pattern.ends_with("nothing/*.csv")),
        "{e:?}"
    );
    assert!(e.to_string().contains("matches no file"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_jsonl_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.jsonl",
        "{\"id\":1,\"city\":\"北京\",\"date\":\"2020-01-01\",\"status\":\"active\"}\n{\"id\":2,\"city\":\"北京\",\"date\":\"2020-01-01\",\"status\":\"active\"\n",
    );
    let e = run_err(dir.path(), &spec("a.jsonl", "\"count\"", "")).await;
    assert!(
        matches!(
            &e,
            SourceError::Malformed {
                position: Position::Line(2),
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_resolution_fails_on_unknown_cities() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        &format!("{HEADER}1,北京,2020-01-01,active,5\n2,Gotham,2020-01-01,active,1\n3,Gotham,2020-01-01,active,1\n4,Metropolis,2020-01-01,active,1\n"),
    );
    let cities = cities();
    let resolver = resolver();
    let mut r = run(dir.path(), &cities, &resolver);
    r.strict_cities = true;
    let e = r
        .compute(&spec("a.csv", "\"count\"", ""))
        .await
        .unwrap_err();
    match &e {
        SourceError::UnresolvedCities { rows, top, .. } => {
            assert_eq!(*rows, 3);
            assert_eq!(top[0], ("Gotham".to_string(), 2));
        }
        other => panic!("unexpected {other:?}"),
    }
    // Not strict: counted, not an error.
    r.strict_cities = false;
    let out = r.compute(&spec("a.csv", "\"count\"", "")).await.unwrap();
    assert_eq!(out.sources["s"].rows_unresolved, 3);
    assert_eq!(out.values["x"][BEIJING], Some(1.0));
}

async fn sql_err(sql: &str) -> SourceError {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        &format!("{HEADER}1,北京,2020-01-01,active,5\n2,上海,2020-01-01,active,1\n"),
    );
    let spec: RecordsSpec = toml::from_str(&format!(
        "[[source]]\nid = \"s\"\nfiles = \"a.csv\"\ncity_column = \"city\"\ncovers = \"all\"\n\n[indicators.q]\nsource = \"s\"\nsql = \"{sql}\"\n"
    ))
    .unwrap();
    run_err(dir.path(), &spec).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_indicator_with_duplicate_cities_or_wrong_columns() {
    let e = sql_err(
        "SELECT city_code AS city, 1 AS value FROM s UNION ALL SELECT '110000' AS city, 2 AS value",
    )
    .await;
    assert!(
        matches!(&e, SourceError::SqlDuplicateCity { city, count: 2, .. } if city == "110000"),
        "{e:?}"
    );
    let e = sql_err("SELECT city_code, count(*) AS n FROM s GROUP BY city_code").await;
    assert!(
        matches!(&e, SourceError::SqlColumns { found, .. } if found == &["city_code", "n"]),
        "{e:?}"
    );
    let e = sql_err(
        "SELECT city_code AS city, count(*) AS value, 1 AS extra FROM s GROUP BY city_code",
    )
    .await;
    assert!(matches!(&e, SourceError::SqlColumns { .. }), "{e:?}");
    let e = sql_err("SELECT city_code AS city, 'many' AS value FROM s").await;
    assert!(
        matches!(&e, SourceError::Engine { .. } | SourceError::SqlNull { .. }),
        "{e:?}"
    );
}

/// NaN or an infinity from a query is an error naming the indicator and the city, not a
/// value that later reads as missing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sql_indicator_returning_nan_or_infinity() {
    for (text, shown) in [("NaN", "NaN"), ("inf", "inf"), ("-inf", "-inf")] {
        let e = sql_err(&format!(
            "SELECT city_code AS city, CASE WHEN count(*) > 0 THEN CAST('{text}' AS DOUBLE) ELSE 1.0 END AS value FROM s GROUP BY city_code"
        ))
        .await;
        match &e {
            SourceError::SqlNotFinite {
                indicator, value, ..
            } => {
                assert_eq!(indicator, "q");
                assert_eq!(value.to_string(), shown);
            }
            other => panic!("{text}: unexpected {other:?}"),
        }
        let msg = e.to_string();
        assert!(
            msg.contains(&format!("returns {shown} as the value of city `")),
            "{msg}"
        );
        assert!(e.hint().contains("finite number"), "{}", e.hint());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denominator_problems() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.csv",
        &format!("{HEADER}1,北京,2020-01-01,active,5\n"),
    );
    write(
        dir.path(),
        "pop.csv",
        "city,population\n110000,100\n310000,abc\n",
    );
    let mut s = spec("a.csv", "\"count\"", "");
    s.indicators.get_mut("x").unwrap().per = Some(cityrank_sources::Per {
        file: "pop.csv".into(),
        city_column: "city".into(),
        column: "population".into(),
        scale: 1.0,
    });
    let e = run_err(dir.path(), &s).await;
    assert!(
        matches!(
            &e,
            SourceError::Denominator {
                position: Position::Line(3),
                ..
            }
        ),
        "{e:?}"
    );
    write(dir.path(), "pop.csv", "city,population\n110000,100\n");
    let e = run_err(dir.path(), &s).await;
    assert!(
        matches!(&e, SourceError::MissingDenominator { city, .. } if city == SHANGHAI),
        "{e:?}"
    );
}

/// Whatever a record file holds, an error quotes a short prefix of it: a 20 KB value or column
/// name, or a header of 2,000 columns, neither floods the terminal nor the log.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_quote_a_short_prefix_of_what_a_file_holds() {
    let long = "9x".repeat(10_000);
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        // Not a number, in CSV and in JSON lines.
        (
            "a.csv",
            format!("{HEADER}1,北京,2020-01-01,active,{long}\n"),
            "{ sum = \"capital\" }",
        ),
        (
            "a.jsonl",
            format!(
                "{{\"id\":1,\"city\":\"北京\",\"date\":\"2020-01-01\",\"status\":\"active\",\"capital\":\"{long}\"}}\n"
            ),
            "{ mean = \"capital\" }",
        ),
        // Not a date.
        (
            "a.csv",
            format!("{HEADER}1,北京,{long},active,5\n"),
            "\"count\"",
        ),
        // A needed column missing from a very wide header, whose names are long.
        (
            "a.csv",
            format!(
                "id,city,date,{}\n1,北京,2020-01-01\n",
                (0..2000).map(|i| format!("c{i}_{}", "y".repeat(20))).collect::<Vec<_>>().join(",")
            ),
            "\"count\"",
        ),
        // A line with too many fields.
        (
            "a.csv",
            format!("{HEADER}1,北京,2020-01-01,active,5,{long}\n"),
            "\"count\"",
        ),
    ];
    for (file, body, measure) in cases {
        for old in ["a.csv", "a.jsonl"] {
            let _ = std::fs::remove_file(dir.path().join(old));
        }
        write(dir.path(), file, &body);
        let e = run_err(dir.path(), &spec(file, measure, "")).await;
        let msg = e.to_string();
        assert!(
            msg.len() < 1500,
            "{file} {measure}: an error of {} bytes: {}",
            msg.len(),
            &msg[..msg.char_indices().nth(400).map_or(msg.len(), |(i, _)| i)]
        );
    }
}

/// Sources are read side by side, yet the error reported is the first in the spec's
/// order: here the first source's fault is found only at the end of a long file, while
/// the second source's missing column is found at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_error_in_spec_order_when_a_later_source_fails_sooner() {
    let dir = tempfile::tempdir().unwrap();
    let mut long = String::from(HEADER);
    for i in 0..400_000 {
        long.push_str(&format!("{i},北京,2020-01-01,active,5\n"));
    }
    let mut bytes = long.into_bytes();
    bytes.extend_from_slice(b"400000,\xff\xfe,2020-01-01,active,5\n");
    std::fs::write(dir.path().join("long.csv"), bytes).unwrap();
    write(
        dir.path(),
        "short.csv",
        "id,town,date,status,capital\n1,北京,2020-01-01,active,5\n",
    );
    let spec: RecordsSpec = toml::from_str(
        r#"
[[source]]
id = "long"
files = "long.csv"
city_column = "city"
covers = "all"

[[source]]
id = "short"
files = "short.csv"
city_column = "city"
covers = "all"

[indicators.a]
source = "long"
measure = "count"

[indicators.b]
source = "short"
measure = "count"
"#,
    )
    .unwrap();
    for _ in 0..3 {
        match run_err(dir.path(), &spec).await {
            SourceError::NotUtf8 { line, .. } => assert_eq!(line, 400_002),
            other => panic!("expected the first source's error, got {other:?}"),
        }
    }
}
