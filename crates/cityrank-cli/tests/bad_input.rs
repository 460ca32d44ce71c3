//! Every bad input gets an error naming the file, line and field, a fix, a non-zero exit, and no
//! partial results.

use crate::cityrank;
use std::path::{Path, PathBuf};

pub const SPEC: &str = r#"[meta]
id = "t"
name = "Test index"

[units]
file = "units.csv"

[[data]]
file = "data.csv"

[defaults]
transform = "none"
normalise = "min_max"

[index]
id = "I"
name = "Index"

[[node]]
id = "D1"
parent = "I"
name = "One"

[[node]]
id = "D2"
parent = "I"
name = "Two"

[[indicator]]
id = "a"
parent = "D1"
name = "A"

[[indicator]]
id = "b"
parent = "D2"
name = "B"
"#;

const UNITS: &str = "unit,name\nc1,City One\nc2,City Two\nc3,City Three\n";
const DATA: &str = "unit,a,b\nc1,1,10\nc2,2,\nc3,3,30\n";

/// A folder with a valid spec, units and data, then the given files replaced.
pub fn case(replace: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("spec.toml", SPEC),
        ("units.csv", UNITS),
        ("data.csv", DATA),
    ] {
        let text = replace
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(text, |(_, t)| t);
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let spec = dir.path().join("spec.toml");
    (dir, spec)
}

/// Runs a build and returns its error output, checking it failed and wrote nothing.
pub fn fails(dir: &Path, spec: &Path) -> String {
    let out = dir.join("out");
    let (ok, _, stderr) = cityrank(&[
        "run",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!ok, "should fail");
    assert!(!out.exists(), "no partial results");
    assert!(stderr.contains("fix:"), "says how to fix: {stderr}");
    stderr
}

fn expect(replace: &[(&str, &str)], wants: &[&str]) {
    let (dir, spec) = case(replace);
    let err = fails(dir.path(), &spec);
    for w in wants {
        assert!(err.contains(w), "missing `{w}` in: {err}");
    }
}

#[test]
fn the_valid_case_builds_and_reports_missing_values() {
    let (dir, spec) = case(&[]);
    let out = dir.path().join("out");
    let (ok, stdout, stderr) = cityrank(&[
        "run",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Assessed 3 units; ranked 3"), "{stdout}");
    let m = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        m.contains("\"missing_values\": 1"),
        "missing values are counted, not zeroed"
    );
}

#[test]
fn malformed_row() {
    expect(
        &[("data.csv", "unit,a,b\nc1,1,10\nc2,2\nc3,3,30\n")],
        &[
            "data.csv:3",
            "malformed row: 2 fields where the header has 3",
        ],
    );
}

#[test]
fn non_numeric_value() {
    expect(
        &[("data.csv", "unit,a,b\nc1,1,10\nc2,2,abc\nc3,3,30\n")],
        &["data.csv:3", "`b`", "`abc` is not a number"],
    );
}

#[test]
fn nan_and_infinity() {
    expect(
        &[("data.csv", "unit,a,b\nc1,NaN,10\nc2,2,20\nc3,3,30\n")],
        &["data.csv:2", "`a`", "not a finite number"],
    );
    expect(
        &[("data.csv", "unit,a,b\nc1,1,10\nc2,2,20\nc3,inf,30\n")],
        &["data.csv:4", "not a finite number"],
    );
}

#[test]
fn duplicate_city_ids() {
    expect(
        &[(
            "units.csv",
            "unit,name\nc1,City One\nc2,City Two\nc2,City Three\n",
        )],
        &["units.csv:4", "`c2` appears twice (first on line 3)"],
    );
    expect(
        &[("data.csv", "unit,a,b\nc1,1,10\nc2,2,20\nc1,3,30\n")],
        &["data.csv:4", "`c1` has two rows"],
    );
}

#[test]
fn duplicate_indicator_ids() {
    let spec = SPEC.replace("id = \"b\"", "id = \"a\"");
    expect(&[("spec.toml", &spec)], &["spec.toml", "`a` is used twice"]);
    expect(
        &[("data.csv", "unit,a,a\nc1,1,10\nc2,2,20\nc3,3,30\n")],
        &["data.csv:1", "appears twice in the header"],
    );
}

#[test]
fn city_unknown_to_the_spec_and_the_reverse() {
    expect(
        &[("data.csv", "unit,a,b\nc1,1,10\nc2,2,20\nc3,3,30\nc4,4,40\n")],
        &[
            "data.csv:5",
            "`c4` is not in the units file",
            "unknown_units",
        ],
    );
    expect(
        &[("data.csv", "unit,a,b\nc1,1,10\nc2,2,20\n")],
        &["data.csv", "`c3` (City Three) has no row"],
    );
}

#[test]
fn negative_value_under_a_log_transform() {
    let spec = SPEC.replace("transform = \"none\"", "transform = \"log\"");
    expect(
        &[
            ("spec.toml", &spec),
            ("data.csv", "unit,a,b\nc1,1,10\nc2,-2,20\nc3,3,30\n"),
        ],
        &[
            "data.csv:3",
            "a (unit c2)",
            "outside the domain of the log transform",
            "log1p",
        ],
    );
}

#[test]
fn zero_variance_under_min_max() {
    expect(
        &[("data.csv", "unit,a,b\nc1,5,10\nc2,5,20\nc3,5,30\n")],
        &["spec.toml:30", "indicator a", "same value (5)"],
    );
}

#[test]
fn negative_or_all_zero_weights() {
    let spec = SPEC.replace("name = \"A\"", "name = \"A\"\nweight = -1");
    expect(
        &[("spec.toml", &spec)],
        &["spec.toml:30", "indicator a", "weight -1"],
    );
    let spec = SPEC
        .replace("name = \"One\"", "name = \"One\"\nweight = 0")
        .replace("name = \"Two\"", "name = \"Two\"\nweight = 0");
    expect(
        &[("spec.toml", &spec)],
        &["spec.toml:16", "node I", "all its children are zero"],
    );
}

#[test]
fn cycle_and_orphan() {
    let spec = SPEC
        .replace(
            "id = \"D1\"\nparent = \"I\"",
            "id = \"D1\"\nparent = \"D2\"",
        )
        .replace(
            "id = \"D2\"\nparent = \"I\"",
            "id = \"D2\"\nparent = \"D1\"",
        );
    expect(&[("spec.toml", &spec)], &["spec.toml", "cycle"]);
    let spec = SPEC.replace("parent = \"D2\"", "parent = \"D3\"");
    expect(
        &[("spec.toml", &spec)],
        &[
            "spec.toml:35",
            "indicator b",
            "orphan",
            "did you mean parent `D",
        ],
    );
}

#[test]
fn unknown_method_name_and_typo_in_a_key() {
    let spec = SPEC.replace("normalise = \"min_max\"", "normalise = \"minmax\"");
    expect(
        &[("spec.toml", &spec)],
        &[
            "spec.toml:13",
            "unknown variant `minmax`",
            "did you mean method `min_max`",
        ],
    );
    let spec = SPEC.replace(
        "name = \"Index\"",
        "name = \"Index\"\nagregate = \"geometric\"",
    );
    expect(
        &[("spec.toml", &spec)],
        &[
            "spec.toml:18",
            "unknown field `agregate`",
            "did you mean key `aggregate`",
        ],
    );
}

#[test]
fn a_key_on_a_method_without_parameters() {
    let spec = SPEC.replace(
        "transform = \"none\"",
        "transform = { method = \"sqrt\", power = 3 }",
    );
    expect(
        &[("spec.toml", &spec)],
        &[
            "spec.toml:12",
            "unknown field `power`: method `sqrt` takes no parameters",
            "remove the key",
        ],
    );
}

#[test]
fn data_file_that_is_not_utf8() {
    let (dir, spec) = case(&[]);
    std::fs::write(
        dir.path().join("units.csv"),
        b"unit,name\nc1,\xb1\xb1\xbe\xa9\nc2,x\nc3,y\n",
    )
    .unwrap();
    let err = fails(dir.path(), &spec);
    assert!(
        err.contains("not valid UTF-8") && err.contains("iconv"),
        "{err}"
    );
}

#[test]
fn a_bad_cell_in_a_crlf_file_names_its_own_line() {
    let (dir, spec) = case(&[("data.csv", "unit,a,b\r\nc1,1,10\r\nc2,2,\r\nc3,x,30\r\n")]);
    let e = fails(dir.path(), &spec);
    assert!(e.contains("data.csv:4:"), "c3 is on line 4: {e}");
}

/// An all-zero column under min-max and an all-missing column were once passed by `validate`
/// and refused by `run`.
#[test]
fn validate_refuses_a_constant_or_empty_column_like_run() {
    for data in [
        "unit,a,b\nc1,0,10\nc2,0,\nc3,0,30\n",
        "unit,a,b\nc1,,10\nc2,,\nc3,,30\n",
    ] {
        let (dir, spec) = case(&[("data.csv", data)]);
        let run = fails(dir.path(), &spec);
        let (ok, _, stderr) = cityrank(&["validate", "--spec", spec.to_str().unwrap()]);
        assert!(!ok, "validate must fail like run: {stderr}\n{run}");
        assert!(stderr.contains("fix:"), "{stderr}");
    }
}

#[test]
fn validate_refuses_what_run_refuses() {
    let (dir, spec) = case(&[
        ("data.csv", "unit,a,b\nc1,-2,10\nc2,2,\nc3,3,30\n"),
        (
            "spec.toml",
            &SPEC.replace("transform = \"none\"", "transform = \"log1p\""),
        ),
    ]);
    let run = fails(dir.path(), &spec);
    let (ok, _, stderr) = cityrank(&["validate", "--spec", spec.to_str().unwrap()]);
    assert!(!ok, "validate must fail like run: {stderr}");
    assert!(
        stderr.contains("data.csv:2:") && run.contains("data.csv:2:"),
        "{stderr}\n{run}"
    );
}
