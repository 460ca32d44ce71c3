//! `init`: a spec and data folder from a table (CSV, XLSX or Parquet) or the illustrative example, that
//! loads and builds at once with equal weights, min-max and arithmetic means.

use cityrank_io::init::{init, InitOptions};
use std::path::{Path, PathBuf};

const TABLE: &str = "\
unit,name,region,env_air,env_water,soc_jobs,notes
a,Alpha,N,10,1,5,
b,Beta,S,20,3,,
c,Gamma,N,30,2,15,
";

fn options(from: &Path) -> InitOptions {
    InitOptions {
        from: Some(from.to_path_buf()),
        ..InitOptions::default()
    }
}

/// The index score of each unit, in table order.
fn index_scores(spec: &Path) -> Vec<f64> {
    let (s, d) = cityrank_io::load(spec).expect("the written spec loads");
    let r = cityrank_io::build(&s, &d).expect("and builds");
    (0..r.n_units())
        .map(|i| r.score(i, s.framework.root))
        .collect()
}

fn table(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("table.csv");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_csv_becomes_dimensions_by_prefix_with_equal_weights_min_max_and_means() {
    let tmp = tempfile::tempdir().unwrap();
    let from = table(tmp.path(), TABLE);
    let dir = tmp.path().join("myindex");
    let w = init(&dir, &options(&from)).expect("init");
    let l = &w.layout;
    assert_eq!(
        (l.id_column.as_str(), l.name_column.as_str()),
        ("unit", "name")
    );
    assert_eq!(l.groups, ["region"]);
    assert_eq!(l.empty, ["notes"]);
    let dims: Vec<(&str, usize)> = l
        .dimensions
        .iter()
        .map(|(d, i)| (d.as_str(), i.len()))
        .collect();
    assert_eq!(dims, [("env", 2), ("soc", 1)]);
    assert_eq!(
        std::fs::read_to_string(&w.data).unwrap(),
        TABLE,
        "copied unchanged"
    );
    // By hand: min-max per indicator (air 0/50/100, water 0/100/50, jobs 0/-/100), dimension
    // means (env 0/75/75, soc 0/-/100), index mean over the dimensions present.
    assert_eq!(index_scores(&w.spec), [0.0, 75.0, 87.5]);
    let text = std::fs::read_to_string(&w.spec).unwrap();
    assert!(text.contains("cityrank validate --spec myindex"), "{text}");
    assert!(!text.contains("illustrative = true"));
}

#[test]
fn columns_without_shared_prefixes_make_one_dimension_and_headers_become_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let from = table(
        tmp.path(),
        "Code,City,GDP per head,Green space (%)\nx,X,1,9\ny,Y,3,7\n",
    );
    let w = init(&tmp.path().join("d"), &options(&from)).expect("init");
    assert_eq!(w.layout.id_column, "Code");
    assert_eq!(w.layout.name_column, "City");
    let ids: Vec<&str> = w
        .layout
        .indicators
        .iter()
        .map(|(i, _)| i.as_str())
        .collect();
    assert_eq!(ids, ["gdp_per_head", "green_space"]);
    assert_eq!(w.layout.dimensions.len(), 1);
    assert_eq!(index_scores(&w.spec), [50.0, 50.0]);
}

#[test]
fn an_xlsx_sheet_is_read_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let from = tmp.path().join("cities.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Data").unwrap();
    for (r, line) in TABLE.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(v) => ws.write_number(r, c, v).unwrap(),
                Err(_) if cell.is_empty() => ws,
                Err(_) => ws.write_string(r, c, cell).unwrap(),
            };
        }
    }
    wb.save(&from).unwrap();
    let w = init(&tmp.path().join("x"), &options(&from)).expect("init");
    assert!(std::fs::read_to_string(&w.spec)
        .unwrap()
        .contains("sheet = \"Data\""));
    assert_eq!(index_scores(&w.spec), [0.0, 75.0, 87.5]);
}

#[test]
fn a_parquet_table_is_read_like_the_csv() {
    use arrow::array::{ArrayRef, Float64Array, StringArray};
    use std::sync::Arc;
    let tmp = tempfile::tempdir().unwrap();
    let from = tmp.path().join("cities.parquet");
    // TABLE's columns with their types as pandas would store them; `notes` all null.
    let text = |v: &[&str]| -> ArrayRef { Arc::new(StringArray::from(v.to_vec())) };
    let num = |v: &[Option<f64>]| -> ArrayRef { Arc::new(Float64Array::from(v.to_vec())) };
    let batch = arrow::record_batch::RecordBatch::try_from_iter([
        ("unit", text(&["a", "b", "c"])),
        ("name", text(&["Alpha", "Beta", "Gamma"])),
        ("region", text(&["N", "S", "N"])),
        ("env_air", num(&[Some(10.0), Some(20.0), Some(30.0)])),
        ("env_water", num(&[Some(1.0), Some(3.0), Some(2.0)])),
        ("soc_jobs", num(&[Some(5.0), None, Some(15.0)])),
        ("notes", num(&[None, None, None])),
    ])
    .unwrap();
    let file = std::fs::File::create(&from).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let w = init(&tmp.path().join("p"), &options(&from)).expect("init");
    assert_eq!(w.layout.groups, ["region"]);
    assert_eq!(w.layout.empty, ["notes"]);
    assert!(std::fs::read_to_string(&w.spec)
        .unwrap()
        .contains("file = \"data/cities.parquet\""));
    assert_eq!(index_scores(&w.spec), [0.0, 75.0, 87.5]);
}

#[test]
fn without_a_table_the_example_is_labelled_illustrative() {
    let tmp = tempfile::tempdir().unwrap();
    let w = init(&tmp.path().join("demo"), &InitOptions::default()).expect("init");
    let text = std::fs::read_to_string(&w.spec).unwrap();
    assert!(text.contains("THE DATA ARE ILLUSTRATIVE") && text.contains("illustrative = true"));
    let (s, _) = cityrank_io::load(&w.spec).unwrap();
    assert!(s.spec.meta.illustrative);
    assert_eq!(index_scores(&w.spec).len(), 8);
}

#[test]
fn a_folder_that_is_not_empty_needs_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("keep.txt"), "mine").unwrap();
    let e = init(&dir, &InitOptions::default()).unwrap_err().to_string();
    assert!(
        e.contains("the folder is not empty") && e.contains("--force"),
        "{e}"
    );
    let force = InitOptions {
        force: true,
        ..InitOptions::default()
    };
    init(&dir, &force).expect("with --force");
    assert_eq!(
        std::fs::read_to_string(dir.join("keep.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn bad_tables_are_refused_with_the_place_and_the_fix() {
    let cases = [
        (
            "unit,name,region\na,A,N\n",
            "no column of numbers besides the unit id (`unit`) and name (`name`)",
        ),
        (
            "unit,name,x\na,A,1\nb,B,2\na,C,3\n",
            "table.csv:4: `unit`: unit id `a` appears twice (first on line 2)",
        ),
        (
            "unit,name,x\na,A,1\nb,B,2\nc,C,two\n",
            "table.csv:4: `x`: column `x` holds numbers, and `two` here",
        ),
        (
            "unit,name,x,x\na,A,1,2\n",
            "table.csv:1: column `x` appears twice in the header",
        ),
        ("unit,name,x\n", "the table has a header but no rows"),
    ];
    for (text, want) in cases {
        let tmp = tempfile::tempdir().unwrap();
        let from = table(tmp.path(), text);
        let e = init(&tmp.path().join("d"), &options(&from))
            .unwrap_err()
            .to_string();
        assert!(e.contains(want), "{text}\n{e}");
        assert!(e.contains("fix:"), "{e}");
    }
    let tmp = tempfile::tempdir().unwrap();
    let from = table(tmp.path(), TABLE);
    let opts = InitOptions {
        id_column: Some("id".into()),
        ..options(&from)
    };
    let e = init(&tmp.path().join("d"), &opts).unwrap_err().to_string();
    assert!(
        e.contains("there is no column `id` (given by --id-column)"),
        "{e}"
    );
}
