//! `[units]` and `[[data]]` from .xlsx workbooks: the same values as from CSV, and errors that
//! name the file, sheet, row and column.

use rust_xlsxwriter::Workbook;
use std::path::Path;

/// Units x indicators: a header row, then (id, name, a, b) with one empty cell.
pub(crate) const ROWS: &[(&str, &str, Option<f64>, Option<f64>)] = &[
    ("u1", "One", Some(1.5), Some(10.0)),
    ("u2", "Two", Some(3.25), None),
    ("u3", "Three", Some(0.1), Some(30.0)),
    ("u4", "Four", Some(2.0), Some(20.0)),
];

/// Writes the rows as a workbook: a first sheet `Notes`, then `Cities` starting at `origin`
/// (row, column), so that positions are checked against the sheet, not the table.
fn workbook(path: &Path, origin: (u32, u16), bad_cell: Option<&str>) {
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "not the data")
        .unwrap();
    let ws = wb.add_worksheet().set_name("Cities").unwrap();
    let (r0, c0) = origin;
    for (j, h) in ["unit", "name", "a", "b"].iter().enumerate() {
        ws.write_string(r0, c0 + j as u16, *h).unwrap();
    }
    for (i, (id, name, a, b)) in ROWS.iter().enumerate() {
        let r = r0 + 1 + i as u32;
        ws.write_string(r, c0, *id).unwrap();
        ws.write_string(r, c0 + 1, *name).unwrap();
        for (k, v) in [a, b].iter().enumerate() {
            if let Some(v) = v {
                ws.write_number(r, c0 + 2 + k as u16, *v).unwrap();
            }
        }
    }
    if let Some(text) = bad_cell {
        // Unit u3's value of `b`.
        ws.write_string(r0 + 3, c0 + 3, text).unwrap();
    }
    wb.save(path).unwrap();
}

pub(crate) fn csv(path: &Path) {
    let mut t = String::from("unit,name,a,b\n");
    for (id, name, a, b) in ROWS {
        let s = |v: &Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        t += &format!("{id},{name},{},{}\n", s(a), s(b));
    }
    std::fs::write(path, t).unwrap();
}

pub(crate) fn spec(dir: &Path, file: &str, sheet: &str) -> std::path::PathBuf {
    let text = format!(
        r#"[meta]
id = "t"
name = "t"

[units]
file = "{file}"
{sheet}

[[data]]
file = "{file}"
{sheet}
key = "unit"
columns = {{ a = "a", b = "b" }}

[index]
id = "I"
name = "I"

[[indicator]]
id = "a"
parent = "I"
name = "a"

[[indicator]]
id = "b"
parent = "I"
name = "b"
"#
    );
    let p = dir.join(format!("{}.toml", file.replace('.', "_")));
    std::fs::write(&p, text).unwrap();
    p
}

pub(crate) fn scores(spec: &Path) -> Vec<f64> {
    let (s, d) = cityrank_io::load(spec).expect("loads");
    let r = cityrank_io::build(&s, &d).expect("builds");
    let root = s.framework.root;
    (0..r.n_units()).map(|i| r.score(i, root)).collect()
}

#[test]
fn a_workbook_sheet_by_name_or_position_gives_the_same_results_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("book.xlsx"), (2, 1), None);
    csv(&dir.path().join("table.csv"));
    let from_csv = scores(&spec(dir.path(), "table.csv", ""));
    let by_name = scores(&spec(dir.path(), "book.xlsx", "sheet = \"Cities\""));
    let by_position = scores(&spec(dir.path(), "book.xlsx", "sheet = 2"));
    assert_eq!(from_csv.len(), 4);
    assert_eq!(by_name, from_csv);
    assert_eq!(by_position, from_csv);
    // u2's missing `b` stays missing: its index is its `a` score alone.
    let (s, d) = cityrank_io::load(&spec(dir.path(), "book.xlsx", "sheet = 2")).unwrap();
    assert!(d.dataset.values.get(1, 1).is_nan());
    assert_eq!(d.dataset.values.get(1, 0), 3.25);
    assert_eq!(d.inputs[0].rows, 4);
    assert_eq!(
        s.spec.data[0].sheet,
        Some(cityrank_core::spec::Sheet::Position(2))
    );
}

#[test]
fn a_text_in_a_number_cell_names_file_sheet_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    // The table starts at B3: the header is row 3, u3 is row 6, `b` is column E.
    workbook(&dir.path().join("book.xlsx"), (2, 1), Some("n.a."));
    let e = cityrank_io::load(&spec(dir.path(), "book.xlsx", "sheet = \"Cities\""))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("book.xlsx:Cities:6:E: `b`: `n.a.` is not a number"),
        "{e}"
    );
}

#[test]
fn a_missing_sheet_lists_the_sheets_there_are() {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("book.xlsx"), (0, 0), None);
    for (sheet, want) in [
        ("sheet = \"Data\"", "no sheet `Data`"),
        ("sheet = 3", "no sheet 3"),
    ] {
        let e = cityrank_io::load(&spec(dir.path(), "book.xlsx", sheet))
            .unwrap_err()
            .to_string();
        assert!(e.contains(want) && e.contains("`Notes`, `Cities`"), "{e}");
    }
    // Without `sheet`, the first sheet is read, which has no `unit` column.
    let e = cityrank_io::load(&spec(dir.path(), "book.xlsx", ""))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("book.xlsx:Notes:1: `unit`: there is no column `unit`"),
        "{e}"
    );
}

#[test]
fn a_sheet_on_a_csv_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    csv(&dir.path().join("table.csv"));
    let e = cityrank_io::load(&spec(dir.path(), "table.csv", "sheet = 1"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("table.csv: `units`: `units` names sheet 1, but this file is CSV"),
        "{e}"
    );
}

#[test]
fn a_duplicate_unit_in_a_workbook_names_both_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (j, h) in ["unit", "name", "a", "b"].iter().enumerate() {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for (i, id) in ["u1", "u2", "u1"].iter().enumerate() {
        ws.write_string(1 + i as u32, 0, *id).unwrap();
        ws.write_string(1 + i as u32, 1, "x").unwrap();
    }
    wb.save(&path).unwrap();
    let e = cityrank_io::load(&spec(dir.path(), "book.xlsx", ""))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("book.xlsx:Sheet1:4:A: `unit`: unit id `u1` appears twice (first on row 2)"),
        "{e}"
    );
}
