//! Downloads open safely in a spreadsheet: a formula in a city name is text, numbers stay numbers.

use crate::common::{load, root};
use cityrank_publish::downloads;
use cityrank_publish::uncertainty::Interval;

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"Beijing\")";

#[test]
fn a_formula_in_a_city_name_is_escaped_in_every_csv_download() {
    let dir = tempfile::tempdir().unwrap();
    let src = root().join("examples/blockchain-2020");
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    // No log transform, so that a negative raw value is allowed.
    let spec = std::fs::read_to_string(src.join("spec.toml")).unwrap();
    let spec = spec.replacen("transform = \"log1p\"", "transform = \"none\"", 1);
    std::fs::write(dir.path().join("spec.toml"), spec).unwrap();
    let cities = std::fs::read_to_string(src.join("data/cities.csv")).unwrap();
    let quoted = format!("\"{}\"", FORMULA.replace('"', "\"\""));
    let cities = cities.replacen("110000,Beijing,", &format!("110000,{quoted},"), 1);
    std::fs::write(dir.path().join("data/cities.csv"), cities).unwrap();
    // A negative raw value, which must stay a number.
    let ind = std::fs::read_to_string(src.join("data/indicators.csv")).unwrap();
    let ind = ind.replacen("120000,166,", "120000,-1.5,", 1);
    std::fs::write(dir.path().join("data/indicators.csv"), ind).unwrap();
    let mut ed = load(&dir.path().join("spec.toml"));
    ed.intervals = vec![Interval {
        unit: "110000".into(),
        name: FORMULA.into(),
        nominal_rank: 1.0,
        median_rank: 1.0,
        p05_rank: 1.0,
        p95_rank: 2.0,
        mean_abs_shift: None,
    }];
    let files = downloads::files(&ed);
    let csvs: Vec<_> = files.iter().filter(|d| d.name.ends_with(".csv")).collect();
    assert!(
        csvs.len() >= 3,
        "{:?}",
        files.iter().map(|d| &d.name).collect::<Vec<_>>()
    );
    let mut with_name = 0;
    for d in &csvs {
        let mut r = csv::Reader::from_reader(d.bytes.as_slice());
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '@'])
                        && !(cell.starts_with('-') && cell.parse::<f64>().is_err()),
                    "{}: a cell a spreadsheet would run: {cell}",
                    d.name
                );
                with_name += usize::from(cell == format!("'{FORMULA}"));
            }
        }
    }
    assert!(
        with_name >= 3,
        "the name appears, escaped, in the downloads: {with_name}"
    );
    let raw = csvs
        .iter()
        .find(|d| d.name.contains("raw"))
        .expect("raw values download");
    let raw = std::str::from_utf8(&raw.bytes).unwrap();
    assert!(raw.contains(",-1.5,"), "a negative number stays a number");
}

#[test]
fn escaped_names_in_uncertainty_csv_read_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("uncertainty.csv");
    let header = [
        "unit",
        "name",
        "nominal_rank",
        "median_rank",
        "p05_rank",
        "p95_rank",
    ];
    let rows = vec![vec![
        "c1".into(),
        FORMULA.into(),
        "1".into(),
        "1".into(),
        "1".into(),
        "2".into(),
    ]];
    std::fs::write(&path, cityrank_io::write::csv_bytes(&header, rows)).unwrap();
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("\"'=HYPERLINK"));
    let back = cityrank_publish::uncertainty::read(&path).unwrap();
    assert_eq!(back[0].name, FORMULA);
}
