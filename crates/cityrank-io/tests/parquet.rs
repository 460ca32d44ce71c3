//! `[units]` and `[[data]]` from Parquet files: the same values as from CSV whatever the column
//! types and codec, and errors that name the file, the row and the column.

use crate::xlsx::{csv, scores, spec, ROWS};
use arrow::array::{ArrayRef, DictionaryArray, Float64Array, Int64Array, StringArray};
use arrow::datatypes::Int32Type;
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::path::Path;
use std::sync::Arc;

fn write(path: &Path, columns: Vec<(&str, ArrayRef)>, codec: Compression) {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let props = WriterProperties::builder()
        .set_compression(codec)
        // Two rows per group: the rows of several groups must be counted on, not restarted.
        .set_max_row_group_row_count(Some(2))
        .build();
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, batch.schema(), Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

fn ids() -> ArrayRef {
    Arc::new(StringArray::from_iter_values(ROWS.iter().map(|r| r.0)))
}

/// Names as pandas writes a categorical column: dictionary-encoded strings.
fn names() -> ArrayRef {
    let d: DictionaryArray<Int32Type> = ROWS.iter().map(|r| r.1).collect();
    Arc::new(d)
}

fn floats(pick: fn(&(&str, &str, Option<f64>, Option<f64>)) -> Option<f64>) -> ArrayRef {
    Arc::new(Float64Array::from(
        ROWS.iter().map(pick).collect::<Vec<_>>(),
    ))
}

fn table(path: &Path, codec: Compression) {
    write(
        path,
        vec![
            ("unit", ids()),
            ("name", names()),
            ("a", floats(|r| r.2)),
            ("b", floats(|r| r.3)),
        ],
        codec,
    );
}

#[test]
fn a_parquet_table_gives_the_same_results_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    csv(&dir.path().join("table.csv"));
    let from_csv = scores(&spec(dir.path(), "table.csv", ""));
    assert_eq!(from_csv.len(), 4);
    for (file, codec) in [
        ("snappy.parquet", Compression::SNAPPY),
        ("zstd.parquet", Compression::ZSTD(ZstdLevel::default())),
        ("plain.parquet", Compression::UNCOMPRESSED),
    ] {
        table(&dir.path().join(file), codec);
        assert_eq!(scores(&spec(dir.path(), file, "")), from_csv, "{file}");
    }
    // u2's null `b` is missing; u3's 0.1 is the same double as in the CSV text.
    let (_, d) = cityrank_io::load(&spec(dir.path(), "zstd.parquet", "")).unwrap();
    assert!(d.dataset.values.get(1, 1).is_nan());
    assert_eq!(d.dataset.values.get(2, 0), 0.1);
    assert_eq!(d.inputs[0].rows, 4);
    assert_eq!(d.dataset.units[0].name, "One");
}

#[test]
fn integer_columns_are_read_as_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let ints: ArrayRef = Arc::new(Int64Array::from(vec![Some(10), None, Some(30), Some(20)]));
    write(
        &dir.path().join("t.parquet"),
        vec![
            ("unit", ids()),
            ("name", names()),
            ("a", floats(|r| r.2)),
            ("b", ints),
        ],
        Compression::SNAPPY,
    );
    csv(&dir.path().join("table.csv"));
    assert_eq!(
        scores(&spec(dir.path(), "t.parquet", "")),
        scores(&spec(dir.path(), "table.csv", ""))
    );
}

#[test]
fn a_text_in_a_number_column_names_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let b: ArrayRef = Arc::new(StringArray::from(vec![
        Some("10"),
        None,
        Some("n.a."),
        Some("20"),
    ]));
    write(
        &dir.path().join("t.parquet"),
        vec![
            ("unit", ids()),
            ("name", names()),
            ("a", floats(|r| r.2)),
            ("b", b),
        ],
        Compression::SNAPPY,
    );
    let e = cityrank_io::load(&spec(dir.path(), "t.parquet", ""))
        .unwrap_err()
        .to_string();
    // u3 is the third row of the file (the header is the schema, not a row).
    assert!(
        e.contains("t.parquet:3: `b`: `n.a.` is not a number"),
        "{e}"
    );
}

#[test]
fn a_missing_column_and_a_duplicate_unit_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let dup: ArrayRef = Arc::new(StringArray::from(vec!["u1", "u2", "u1", "u4"]));
    write(
        &dir.path().join("dup.parquet"),
        vec![
            ("unit", dup),
            ("name", names()),
            ("a", floats(|r| r.2)),
            ("b", floats(|r| r.3)),
        ],
        Compression::SNAPPY,
    );
    let e = cityrank_io::load(&spec(dir.path(), "dup.parquet", ""))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("dup.parquet:3: `unit`: unit id `u1` appears twice (first on row 1)"),
        "{e}"
    );
    write(
        &dir.path().join("noid.parquet"),
        vec![("id", ids()), ("name", names())],
        Compression::SNAPPY,
    );
    let e = cityrank_io::load(&spec(dir.path(), "noid.parquet", ""))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("noid.parquet: `unit`: there is no column `unit`"),
        "{e}"
    );
}

#[test]
fn a_sheet_on_a_parquet_file_and_a_damaged_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    table(&dir.path().join("t.parquet"), Compression::SNAPPY);
    let e = cityrank_io::load(&spec(dir.path(), "t.parquet", "sheet = 1"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("t.parquet: `units`: `units` names sheet 1, but this file is Parquet"),
        "{e}"
    );
    std::fs::write(dir.path().join("bad.parquet"), "unit,name\nu1,One\n").unwrap();
    let e = cityrank_io::load(&spec(dir.path(), "bad.parquet", ""))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bad.parquet: cannot read the Parquet file") && e.contains("fix:"),
        "{e}"
    );
}

#[test]
fn an_oversized_cell_is_refused_with_a_short_quote() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(70 * 1024);
    let names: ArrayRef = Arc::new(StringArray::from(vec![
        "One",
        long.as_str(),
        "Three",
        "Four",
    ]));
    write(
        &dir.path().join("t.parquet"),
        vec![
            ("unit", ids()),
            ("name", names),
            ("a", floats(|r| r.2)),
            ("b", floats(|r| r.3)),
        ],
        Compression::SNAPPY,
    );
    let e = cityrank_io::load(&spec(dir.path(), "t.parquet", ""))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("t.parquet:2: `name`: a cell of 71680 bytes, more than the 64 KiB allowed"),
        "{e}"
    );
    assert!(e.len() < 400, "the cell is quoted short: {e}");
}
