//! `denominator`: an indicator divided by another column of its data file, before any step.
//! Checked against COINr's `Denominate` on ASEM in cityrank-analysis's COINr tests; here the
//! rules around it.

use std::path::{Path, PathBuf};

fn write(dir: &Path, data: &str, denominator: &str) -> PathBuf {
    std::fs::write(dir.join("data.csv"), data).unwrap();
    let units: String = data
        .lines()
        .skip(1)
        .map(|l| format!("{0},{0}\n", l.split(',').next().unwrap()))
        .collect();
    std::fs::write(dir.join("units.csv"), format!("unit,name\n{units}")).unwrap();
    let spec = format!(
        r#"[meta]
id = "t"
name = "t"

[units]
file = "units.csv"

[[data]]
file = "data.csv"

[index]
id = "I"
name = "I"

[[indicator]]
id = "cases"
parent = "I"
name = "cases"
{denominator}

[[indicator]]
id = "score"
parent = "I"
name = "score"
"#
    );
    let p = dir.join("spec.toml");
    std::fs::write(&p, spec).unwrap();
    p
}

#[test]
fn values_are_divided_and_the_denominator_column_is_not_an_indicator() {
    let dir = tempfile::tempdir().unwrap();
    let data = "unit,cases,pop,score\na,30,3,1\nb,,2,2\nc,8,0.5,3\n";
    let spec = write(dir.path(), data, "denominator = \"pop\"");
    let (_, d) = cityrank_io::load(&spec).expect("loads");
    let cases = d.dataset.values.col(0);
    assert_eq!(cases[0], 30.0 / 3.0);
    assert!(cases[1].is_nan(), "a missing value stays missing");
    assert_eq!(cases[2], 8.0 / 0.5);
    assert_eq!(d.dataset.values.col(1), &[1.0, 2.0, 3.0]);
    // Without the denominator, `pop` would be a column no indicator claims.
    let spec = write(dir.path(), data, "");
    let e = cityrank_io::load(&spec).unwrap_err().to_string();
    assert!(e.contains("column `pop` is not an indicator"), "{e}");
}

#[test]
fn a_zero_denominator_is_refused_at_its_cell_and_a_missing_one_leaves_the_value_missing() {
    let dir = tempfile::tempdir().unwrap();
    let data = "unit,cases,pop,score\na,30,3,1\nb,5,0,2\n";
    let spec = write(dir.path(), data, "denominator = \"pop\"");
    let e = cityrank_io::load(&spec).unwrap_err().to_string();
    assert!(
        e.contains("data.csv:3: `pop`: the denominator `pop` of indicator `cases` is zero here"),
        "{e}"
    );
    // As in COINr: the value is missing, and the manifest lists the cell.
    let data = "unit,cases,pop,score\na,30,3,1\nb,5,,2\n";
    let spec = write(dir.path(), data, "denominator = \"pop\"");
    let (_, d) = cityrank_io::load(&spec).expect("loads");
    assert!(d.dataset.values.get(1, 0).is_nan());
    assert_eq!(d.missing_cells, 1);
    let listed = &d.extra["missing_denominators"];
    assert_eq!(listed[0]["unit"], "b");
    assert_eq!(listed[0]["line"], 3);
}

#[test]
fn a_denominator_the_file_does_not_have_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = "unit,cases,score\na,30,1\n";
    let spec = write(dir.path(), data, "denominator = \"population\"");
    let e = cityrank_io::load(&spec).unwrap_err().to_string();
    assert!(
        e.contains("there is no column `population` (the denominator of indicator `cases`)"),
        "{e}"
    );
}
