//! The example as raw records: the committed files are the generator's output, and
//! the definitions of `records.toml`, applied to them, give exactly `indicators.csv`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use cityrank_example::{
    arrow_batch, day, generate, records_toml, resolution_counts, table_bytes, write_records_scaled,
    Column, ExampleData, GeneratorSettings, MeasureDef, RecordFormat, RecordGenerator, RecordTable,
    SourceDef, CUTOFF, RECORDS_TOML_NOTE, SOURCES,
};
use cityrank_gazetteer::Gazetteer;

fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/blockchain-2020")
}

fn settings() -> GeneratorSettings {
    GeneratorSettings::load(&example_dir().join("generator.toml")).expect("generator.toml")
}

fn tables(data: &ExampleData, seed: u64, replica: u32) -> Vec<RecordTable> {
    let g = RecordGenerator::new(data, seed);
    SOURCES.iter().map(|s| g.table(s, replica)).collect()
}

/// The example's data and its records (replica 0), made once for all tests.
fn example() -> &'static (ExampleData, Vec<RecordTable>) {
    static EXAMPLE: std::sync::OnceLock<(ExampleData, Vec<RecordTable>)> =
        std::sync::OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let s = settings();
        let data = generate(&s).unwrap();
        let t = tables(&data, s.seed, 0);
        (data, t)
    })
}

/// Set CITYRANK_BLESS=1 to rewrite the record files and records.toml.
#[test]
fn committed_record_files_are_the_generator_output() {
    let s = settings();
    let data = generate(&s).unwrap();
    let dir = example_dir();
    if std::env::var_os("CITYRANK_BLESS").is_some() {
        cityrank_example::write_records(&data, s.seed, &dir).expect("write records");
    }
    let generator = RecordGenerator::new(&data, s.seed);
    for src in &SOURCES {
        let table = generator.table(src, 0);
        let format = RecordFormat::committed(src);
        let path = dir.join(format!("records/{}.{}", src.id, format.extension()));
        match format {
            RecordFormat::Csv => {
                let committed =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(
                    committed == table_bytes(&table, format),
                    "{} differs",
                    path.display()
                );
            }
            // Compared decoded: the bytes also depend on the Parquet writer's version.
            RecordFormat::Parquet => assert_eq!(
                read_parquet(&path),
                arrow_batch(&table),
                "{}",
                path.display()
            ),
        }
    }
    let toml = std::fs::read_to_string(dir.join("records.toml")).expect("records.toml");
    assert!(
        toml == records_toml(&generator, None, RECORDS_TOML_NOTE),
        "records.toml differs"
    );
}

fn read_parquet(path: &Path) -> arrow::record_batch::RecordBatch {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .with_batch_size(1 << 24)
        .build()
        .unwrap();
    let batches: Vec<_> = reader.map(|b| b.unwrap()).collect();
    assert_eq!(batches.len(), 1);
    batches.into_iter().next().unwrap()
}

#[test]
fn committed_records_stay_small() {
    let dir = example_dir().join("records");
    let total: u64 = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    assert!(total < 15_000_000, "{total} bytes of records");
}

/// A city's value from the records, following the definitions' rules, independently
/// of the SQL engine: resolve, keep covered cities, drop duplicates by key, apply the
/// filters, the cut-off and the window, then aggregate. Values are in integer units
/// (mean: (sum, n)).
fn evaluate(tables: &[&RecordTable], src: &SourceDef, covers: &[u32]) -> BTreeMap<u32, (i64, i64)> {
    let g = Gazetteer::bundled();
    let cutoff = day(CUTOFF);
    let start = src.window_days.map(|w| cutoff - w as i32);
    let mut out: BTreeMap<u32, (i64, i64)> = covers.iter().map(|&c| (c, (0, 0))).collect();
    let mut seen: HashMap<String, ()> = HashMap::new();
    let mut resolved: HashMap<&str, Option<u32>> = HashMap::new();
    for t in tables {
        let text = |name: &str| match t.column(name) {
            Some(Column::Text(v)) => v,
            _ => panic!("{}: no text column {name}", src.id),
        };
        let Some(Column::Date(dates)) = t.column(src.date_column) else {
            panic!("date column")
        };
        let cities = text(src.city_column);
        // Duplicates of one key have one date; keep the first row of each key.
        let keys = src.key.map(text);
        for row in 0..t.rows() {
            if let Some(keys) = keys {
                let k = keys[row].clone().unwrap();
                if seen.insert(k, ()).is_some() {
                    continue;
                }
            }
            let Some(raw) = cities[row].as_deref() else {
                continue;
            };
            let code = *resolved
                .entry(raw)
                .or_insert_with(|| g.resolve(raw.trim()).map(|c| c.parse::<u32>().unwrap()));
            let Some(code) = code else { continue };
            let Some(acc) = out.get_mut(&code) else {
                continue;
            };
            let pass = src.filters.iter().all(|f| {
                let v = text(f.column)[row].as_deref().map(str::trim);
                v.is_some_and(|v| f.values.contains(&v))
            });
            let d = dates[row];
            if !pass || d > cutoff || start.is_some_and(|s| d <= s) {
                continue;
            }
            match src.measure {
                MeasureDef::Count => acc.0 += 1,
                MeasureDef::Sum(c) | MeasureDef::Mean(c) => {
                    let Some(Column::Fixed { units, .. }) = t.column(c) else {
                        panic!("{c}")
                    };
                    if let Some(u) = units[row] {
                        acc.0 += u;
                        acc.1 += 1;
                    }
                }
                MeasureDef::Weighted { column, weights } => {
                    let level = text(column)[row].as_deref().unwrap().trim().to_string();
                    acc.0 += weights
                        .iter()
                        .find(|(l, _)| *l == level)
                        .map_or(0, |(_, w)| i64::from(*w));
                }
            }
        }
    }
    out
}

/// The example's values of one indicator in integer units, by city.
fn units(data: &ExampleData, indicator: &str) -> BTreeMap<u32, Option<i64>> {
    let j = data
        .plan
        .indicators
        .iter()
        .position(|i| i.id == indicator)
        .unwrap();
    let q = 10f64.powi(data.plan.indicators[j].decimals as i32);
    data.plan
        .cities
        .iter()
        .zip(&data.values)
        .map(|(c, row)| (c.unit, row[j].map(|x| (x * q).round() as i64)))
        .collect()
}

fn check_values(data: &ExampleData, all: &[Vec<RecordTable>], replicas: i64) {
    for (k, src) in SOURCES.iter().enumerate() {
        let want = units(data, src.indicator);
        let covers: Vec<u32> = want
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(c, _)| *c)
            .collect();
        let tables: Vec<&RecordTable> = all.iter().map(|r| &r[k]).collect();
        let got = evaluate(&tables, src, &covers);
        for (city, v) in &want {
            let Some(v) = v else {
                assert!(
                    !got.contains_key(city),
                    "{}: {city} is not covered",
                    src.indicator
                );
                continue;
            };
            let (sum, n) = got[city];
            match src.measure {
                MeasureDef::Mean(_) => {
                    assert!(n % 10 == 0 || n == 0, "{}: {city}: {n} days", src.indicator);
                    assert_eq!(sum, v * n, "{}: {city}: mean of {n} values", src.indicator);
                }
                _ => assert_eq!(sum, v * replicas, "{}: {city}", src.indicator),
            }
        }
    }
}

#[test]
fn records_give_the_indicator_values_exactly() {
    let (data, t) = example();
    check_values(data, std::slice::from_ref(t), 1);
}

#[test]
fn every_city_string_resolves_to_the_city_it_was_written_for() {
    let (data, all) = example();
    let units: Vec<u32> = data.plan.cities.iter().map(|c| c.unit).collect();
    let mut totals = (0, 0, 0, 0, 0);
    for t in all {
        // Panics if a string resolves to another city than the one it was written for.
        let r = resolution_counts(t, &units);
        assert_eq!(
            r.rows,
            r.in_example + r.outside + r.ambiguous + r.unknown + r.empty
        );
        assert!(r.outside > 0 && r.unknown > 0 && r.empty > 0, "{r:?}");
        totals.0 += r.rows;
        totals.1 += r.outside;
        totals.2 += r.ambiguous;
        totals.3 += r.unknown;
        totals.4 += r.empty;
    }
    assert!(totals.2 > 0, "some ambiguous spellings");
    let noise = (totals.1 + totals.2 + totals.3 + totals.4) as f64 / totals.0 as f64;
    assert!(
        (0.02..0.08).contains(&noise),
        "share of rows outside the example: {noise}"
    );
}

#[test]
fn city_strings_are_messy() {
    let firms = &example().1[4];
    let Some(Column::Text(cities)) = firms.column("city") else {
        panic!()
    };
    let shenzhen: std::collections::BTreeSet<&str> = cities
        .iter()
        .zip(&firms.truth)
        .filter(|(_, t)| **t == Some(440300))
        .filter_map(|(c, _)| c.as_deref())
        .collect();
    for form in [
        "深圳市",
        "深圳",
        "广东省深圳市",
        "Shenzhen",
        "SHENZHEN",
        "深圳市\u{3000}",
        " 深圳市 ",
    ] {
        assert!(shenzhen.contains(form), "{form:?} not among {shenzhen:?}");
    }
}

#[test]
fn noise_is_there_for_the_definitions_to_remove() {
    let all = &example().1;
    let cutoff = day(CUTOFF);
    for (src, t) in SOURCES.iter().zip(all) {
        let Some(Column::Date(dates)) = t.column(src.date_column) else {
            panic!()
        };
        assert!(
            dates.iter().any(|&d| d > cutoff),
            "{}: nothing after the cut-off",
            src.id
        );
        assert!(
            dates.contains(&cutoff) || src.id == "filings" || src.id == "courses",
            "{}: cut-off day",
            src.id
        );
        if let Some(w) = src.window_days {
            assert!(
                dates.iter().any(|&d| d <= cutoff - w as i32),
                "{}: nothing before the window",
                src.id
            );
        }
        for f in src.filters {
            let Some(Column::Text(v)) = t.column(f.column) else {
                panic!()
            };
            let failing = v
                .iter()
                .filter(|x| !f.values.contains(&x.as_deref().unwrap_or("")))
                .count();
            assert!(failing > 0, "{}: nothing fails {}", src.id, f.column);
        }
        if let Some(k) = src.key {
            let Some(Column::Text(v)) = t.column(k) else {
                panic!()
            };
            let distinct: std::collections::HashSet<_> = v.iter().collect();
            assert!(distinct.len() < v.len(), "{}: no duplicates", src.id);
        }
    }
}

#[test]
fn records_are_deterministic_and_seeded() {
    let s = settings();
    let (data, a) = example();
    let again = RecordGenerator::new(data, s.seed);
    let other_seed = RecordGenerator::new(data, s.seed + 1);
    for (src, t) in SOURCES.iter().zip(a).take(8) {
        assert_eq!(*t, again.table(src, 0));
        assert_ne!(*t, other_seed.table(src, 0));
        assert_ne!(*t, again.table(src, 1));
    }
}

#[test]
fn replicas_multiply_counts_and_sums_and_keep_means() {
    let s = settings();
    let (data, first) = example();
    let reps = vec![
        first.clone(),
        tables(data, s.seed, 1),
        tables(data, s.seed, 2),
    ];
    check_values(data, &reps, 3);
}

#[test]
fn scaled_record_sets_in_both_formats() {
    let s = settings();
    let (data, base) = example();
    let first: u64 = base.iter().map(|t| t.rows() as u64).sum();
    let second: u64 = tables(data, s.seed, 1)
        .iter()
        .map(|t| t.rows() as u64)
        .sum();
    // Two replicas as CSV; as Parquet, a target below one replica still writes one.
    for (format, target, replicas, total) in [
        (RecordFormat::Csv, first + second, 2, first + second),
        (RecordFormat::Parquet, 1, 1, first),
    ] {
        let dir =
            std::env::temp_dir().join(format!("cityrank-scaled-{}-{format:?}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let summary = write_records_scaled(&s, &dir, target, format).unwrap();
        assert_eq!(summary.replicas, replicas);
        assert_eq!(summary.total_rows(), total);
        for (src, (id, n)) in SOURCES.iter().zip(&summary.rows) {
            assert_eq!(src.id, id);
            let path = dir.join(format!("records/{id}.{}", format.extension()));
            assert_eq!(rows_in_file(&path, format), *n, "{}", path.display());
        }
        let toml = std::fs::read_to_string(dir.join("records.toml")).unwrap();
        assert!(toml.contains(&format!("files = \"records/firms.{}\"", format.extension())));
        let expected = std::fs::read_to_string(dir.join("expected.csv")).unwrap();
        assert_eq!(expected, cityrank_example::expected_csv(data, replicas));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

fn rows_in_file(path: &Path, format: RecordFormat) -> u64 {
    match format {
        RecordFormat::Csv => csv::Reader::from_path(path).unwrap().records().count() as u64,
        RecordFormat::Parquet => {
            use parquet::file::reader::{FileReader, SerializedFileReader};
            let r = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
            r.metadata().file_metadata().num_rows() as u64
        }
    }
}
