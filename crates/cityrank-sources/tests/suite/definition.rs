//! The TOML shapes of the definitions.

use cityrank_sources::*;

#[test]
fn full_example_parses() {
    let spec: RecordsSpec = toml::from_str(
        r#"
[[source]]
id = "firms"
files = "records/firms/*.csv"
format = "csv"
city_column = "city"
date_column = "registered"
covers = "all"
key = ["firm_id"]
encoding = "gbk"

[[source]]
id = "patents"
files = "records/patents-*.parquet"
city_column = "applicant_city"
date_column = "filed"
covers = ["110000", "310000"]

[indicators.active_ai]
source = "firms"
measure = "count"
filters = [
  { column = "status", op = "=", value = "active" },
  { column = "industry", op = "in", value = ["AI", "区块链"] },
  { column = "capital", op = ">=", value = 1e6 },
  { column = "title", op = "contains", value = "chain" },
  { column = "x", op = "not_in", values = [1, 2] },
]
cutoff = 2020-06-30
window_days = 365
per = { file = "pop.csv", column = "population", scale = 10000 }

[indicators.p]
source = "patents"
measure = { count_distinct = "no" }
cutoff = "2020-06-30"

[indicators.s]
source = "firms"
sql = "SELECT city_code AS city, 1 AS value FROM firms GROUP BY city_code"
"#,
    )
    .unwrap();
    assert_eq!(spec.sources.len(), 2);
    assert_eq!(spec.sources[0].covers, Covers::All);
    assert_eq!(
        spec.sources[1].covers,
        Covers::List(vec!["110000".into(), "310000".into()])
    );
    assert_eq!(spec.sources[1].format, None);
    let a = &spec.indicators["active_ai"];
    assert_eq!(a.measure, Some(Measure::Count));
    assert_eq!(a.filters[1].op, FilterOp::In);
    assert_eq!(
        a.filters[1].value,
        FilterValue::Many(vec![Scalar::Str("AI".into()), Scalar::Str("区块链".into())])
    );
    assert_eq!(a.filters[2].value, FilterValue::One(Scalar::Float(1e6)));
    assert_eq!(
        a.filters[4].value,
        FilterValue::Many(vec![Scalar::Int(1), Scalar::Int(2)])
    );
    assert_eq!(a.cutoff, Date::new(2020, 6, 30));
    assert_eq!(a.per.as_ref().unwrap().city_column, "city");
    assert_eq!(a.per.as_ref().unwrap().scale, 10000.0);
    assert_eq!(
        spec.indicators["p"].measure,
        Some(Measure::CountDistinct("no".into()))
    );
    assert_eq!(spec.indicators["p"].cutoff, Date::new(2020, 6, 30));
    assert!(spec.indicators["s"].sql.is_some());
    validate(&spec).unwrap();
    // And back: serializing gives a spec that parses to the same value.
    let again: RecordsSpec = toml::from_str(&toml::to_string(&spec).unwrap()).unwrap();
    assert_eq!(again, spec);
}

#[test]
fn unknown_keys_are_rejected() {
    let e = toml::from_str::<RecordsSpec>(
        r#"
[[source]]
id = "a"
files = "*.csv"
city_column = "city"
covers = "all"
date_colum = "d"
"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("date_colum"), "{e}");
    let e = toml::from_str::<RecordsSpec>(
        r#"
[indicators.x]
source = "a"
measure = "count"
filter = []
"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("filter"), "{e}");
    assert!(toml::from_str::<RecordsSpec>(
        "[indicators.x]\nsource = \"a\"\nmeasure = \"median\"\n"
    )
    .is_err());
    assert!(toml::from_str::<RecordsSpec>(
        "[indicators.x]\nsource = \"a\"\nmeasure = \"count\"\nfilters = [{ column = \"a\", op = \"~\", value = 1 }]\n"
    )
    .is_err());
    assert!(toml::from_str::<RecordsSpec>(
        "[indicators.x]\nsource = \"a\"\nmeasure = \"count\"\ncutoff = 2020-02-30\n"
    )
    .is_err());
}

#[test]
fn inconsistent_definitions_are_rejected() {
    let check = |text: &str, needle: &str| {
        let spec: RecordsSpec = toml::from_str(text).unwrap();
        let e = validate(&spec).unwrap_err();
        assert!(
            e.to_string().contains(needle),
            "{e} should mention {needle}"
        );
    };
    let src = "[[source]]\nid = \"a\"\nfiles = \"*.csv\"\ncity_column = \"c\"\ncovers = \"all\"\n";
    check(
        &format!("{src}[indicators.x]\nsource = \"b\"\nmeasure = \"count\"\n"),
        "unknown source",
    );
    check(
        &format!("{src}[indicators.x]\nsource = \"a\"\n"),
        "needs `measure` or `sql`",
    );
    check(
        &format!("{src}[indicators.x]\nsource = \"a\"\nmeasure = \"count\"\nsql = \"select 1\"\n"),
        "both",
    );
    check(
        &format!("{src}[indicators.x]\nsource = \"a\"\nmeasure = \"count\"\ncutoff = 2020-01-01\n"),
        "date_column",
    );
    check(
        &format!("{src}[indicators.x]\nsource = \"a\"\nmeasure = \"count\"\nfilters = [{{ column = \"s\", op = \"in\", value = \"x\" }}]\n"),
        "take a list",
    );
    check(
        &format!("{src}[indicators.x]\nsource = \"a\"\nmeasure = \"count\"\nfilters = [{{ column = \"s\", op = \"=\", value = [1] }}]\n"),
        "only `in`",
    );
    check(&src.replace("id = \"a\"", "id = \"a-b\""), "must match");
}

#[test]
fn dates_convert_both_ways() {
    for (y, m, d) in [
        (1970, 1, 1),
        (2020, 2, 29),
        (2020, 6, 30),
        (1999, 12, 31),
        (2100, 3, 1),
    ] {
        let date = Date::new(y, m, d).unwrap();
        assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
    }
    assert_eq!(Date::new(1970, 1, 2).unwrap().days_since_epoch(), 1);
    assert_eq!(
        Date::new(2020, 6, 30).unwrap().days_since_epoch()
            - Date::new(2019, 7, 1).unwrap().days_since_epoch(),
        365
    );
    assert_eq!(Date::parse("2020-06-30").unwrap().to_string(), "2020-06-30");
    assert!(Date::parse("2020-6-30").is_none());
    assert!(Date::new(2019, 2, 29).is_none());
}

#[test]
fn engine_setting_parses() {
    assert_eq!("local".parse::<Engine>().unwrap(), Engine::Local);
    assert_eq!(
        "df://127.0.0.1:50050".parse::<Engine>().unwrap(),
        Engine::Ballista {
            scheduler_url: "df://127.0.0.1:50050".into()
        }
    );
    assert!("spark".parse::<Engine>().is_err());
}
