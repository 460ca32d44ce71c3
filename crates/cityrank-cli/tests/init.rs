//! `cityrank init` and `cityrank import coinr` as a user runs them: the folder they write
//! validates and runs at once, and `--spec` takes the folder.

use crate::{cityrank, root};

#[test]
fn init_from_a_table_then_validate_and_run_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("towns");
    let d = dir.to_str().unwrap();
    let from = root().join("examples/tutorial/towns.csv");
    let (ok, stdout, stderr) = cityrank(&["init", d, "--from", from.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("6 indicators in 3 dimension(s): env (2), soc (2), eco (2)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("text columns kept as groups: region"),
        "{stdout}"
    );
    let (ok, _, stderr) = cityrank(&["validate", "--spec", d]);
    assert!(ok, "{stderr}");
    let out = tmp.path().join("out");
    let (ok, stdout, stderr) = cityrank(&["run", "--spec", d, "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Assessed 12 units; ranked 12"), "{stdout}");
    // A second init into the same folder is refused.
    let (ok, _, stderr) = cityrank(&["init", d]);
    assert!(
        !ok && stderr.contains("the folder is not empty"),
        "{stderr}"
    );
}

#[test]
fn a_data_file_given_as_the_spec_points_to_init() {
    let (ok, _, stderr) = cityrank(&["validate", "--spec", "examples/tutorial/towns.csv"]);
    assert!(!ok);
    assert!(
        stderr.contains("this is a data file (.csv), not a methodology file")
            && stderr.contains("cityrank init DIR --from examples/tutorial/towns.csv"),
        "{stderr}"
    );
}

#[test]
fn import_coinr_writes_a_folder_that_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("asem");
    let d = dir.to_str().unwrap();
    let data = root().join("examples/asem/data");
    let (ok, stdout, stderr) = cityrank(&[
        "import",
        "coinr",
        "--idata",
        data.join("ASEM_iData.csv").to_str().unwrap(),
        "--imeta",
        data.join("ASEM_iMeta.csv").to_str().unwrap(),
        d,
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("49 indicators, 11 aggregates, 4 groups, 4 denominators"),
        "{stdout}"
    );
    let out = tmp.path().join("out");
    let (ok, stdout, stderr) = cityrank(&["run", "--spec", d, "--out", out.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("ranked 51"), "{stdout}");
}
