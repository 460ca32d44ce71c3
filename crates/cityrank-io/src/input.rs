//! A table of units from CSV, from a sheet of an .xlsx workbook or from a Parquet file, read
//! the same way.
//!
//! CSV is read row by row within the bounds of [`crate::limits`] ([`crate::table`]); a
//! workbook or a Parquet file is read whole (both formats need it) and then handed out row by
//! row too. All give the header, rows of text cells and where each row is, so that an error
//! names the line of a CSV file, the sheet, row and column of a workbook, or the row and
//! column name of a Parquet file, as the analyst sees them.

use crate::error::Error;
use crate::limits::{excerpt, MAX_CELL};
use crate::table::{Digested, Table};
use cityrank_core::spec::Sheet;
use csv::StringRecord;
use std::path::{Path, PathBuf};

/// Largest workbook read (bytes, compressed): far beyond any table of units.
pub const MAX_WORKBOOK: u64 = 512 << 20;

/// An open table: its header, then its rows on demand.
pub struct InputTable {
    pub place: Place,
    pub headers: Vec<String>,
    /// The line (CSV) or row number (workbook) of the header.
    pub header_line: usize,
    rows: Rows,
}

/// Where a table's cells are, as the analyst sees them: the file, and for a workbook the sheet
/// and the column of its first cell. Errors of every table form are located through it.
#[derive(Clone, Debug)]
pub struct Place {
    pub path: PathBuf,
    /// The worksheet's name, for a workbook.
    pub sheet: Option<String>,
    /// The spreadsheet column of the first cell of each row (0 = column A).
    first_column: usize,
    /// A Parquet file: rows are numbered from 1 (the header is its schema, which has no row).
    parquet: bool,
}

impl Place {
    fn file(path: &Path) -> Place {
        Place {
            path: path.to_path_buf(),
            sheet: None,
            first_column: 0,
            parquet: false,
        }
    }

    /// An error at this file, at a row (or the header) and optionally a column.
    pub fn error(&self, e: Error, line: Option<usize>, column: Option<usize>) -> Error {
        // Row 0 of a Parquet file is its schema: the column name (the error's field) says where.
        let line = line.filter(|&l| !(self.parquet && l == 0));
        let mut e = e.at(&self.path, line);
        if let Some(sheet) = &self.sheet {
            e.sheet = Some(sheet.clone());
            e.column = column.map(|c| column_letters(self.first_column + c));
        }
        e
    }

    /// "line" in a text file, "row" in a spreadsheet or a Parquet file.
    pub fn row_word(&self) -> &'static str {
        if self.sheet.is_some() || self.parquet {
            "row"
        } else {
            "line"
        }
    }
}

enum Rows {
    Csv(Table),
    /// Rows read whole: a worksheet or a Parquet file.
    Sheet {
        rows: std::vec::IntoIter<(usize, StringRecord)>,
        digest: Digested,
    },
}

impl InputTable {
    /// Opens a table; `sheet` must be absent for CSV (it would mean nothing there). `field` is
    /// the spec section that names the file, for the errors.
    pub fn open(path: &Path, sheet: Option<&Sheet>, field: &str) -> Result<InputTable, Error> {
        let format = format_of(path)?;
        if format == Format::Workbook {
            return read_workbook(path, sheet, field);
        }
        if let Some(s) = sheet {
            let what = if format == Format::Parquet {
                "Parquet"
            } else {
                "CSV"
            };
            return Err(Error::new(
                format!("`{field}` names {s}, but this file is {what}, which has no sheets"),
                "remove `sheet`, or point `file` at the .xlsx workbook",
            )
            .at(path, None)
            .field(field));
        }
        if format == Format::Parquet {
            return read_parquet(path);
        }
        Ok(InputTable::csv(path, Table::open(path)?))
    }

    /// A table read whole by a reader of a binary format (rows numbered from 1).
    #[cfg(feature = "parquet")]
    pub(crate) fn parquet(
        path: &Path,
        headers: Vec<String>,
        rows: Vec<(usize, StringRecord)>,
        digest: Digested,
    ) -> InputTable {
        InputTable {
            place: Place {
                parquet: true,
                ..Place::file(path)
            },
            headers,
            header_line: 0,
            rows: Rows::Sheet {
                digest,
                rows: rows.into_iter(),
            },
        }
    }

    /// A CSV table held in memory, read as a file is; `path` names it in errors.
    pub fn from_csv_bytes(path: &Path, bytes: Vec<u8>) -> Result<InputTable, Error> {
        Ok(InputTable::csv(path, Table::from_bytes(path, bytes)?))
    }

    fn csv(path: &Path, table: Table) -> InputTable {
        InputTable {
            place: Place::file(path),
            headers: table.headers.clone(),
            header_line: 1,
            rows: Rows::Csv(table),
        }
    }

    /// The next row with its line or row number, or `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<(usize, StringRecord), Error>> {
        match &mut self.rows {
            Rows::Csv(t) => t.next_row(),
            Rows::Sheet { rows, .. } => rows.next().map(Ok),
        }
    }

    /// What the manifest records of the file (its hash covers all of it).
    pub fn finish(self) -> Result<Digested, Error> {
        match self.rows {
            Rows::Csv(t) => t.finish(),
            Rows::Sheet { digest, .. } => Ok(digest),
        }
    }

    /// An error at this table's file, at a row (or the header) and optionally a column.
    pub fn error(&self, e: Error, line: Option<usize>, column: Option<usize>) -> Error {
        self.place.error(e, line, column)
    }

    /// "line" in a text file, "row" in a spreadsheet.
    pub fn row_word(&self) -> &'static str {
        self.place.row_word()
    }

    /// The spreadsheet column letters of a column, for a workbook.
    pub fn column_letters(&self, column: usize) -> Option<String> {
        let p = &self.place;
        p.sheet
            .as_ref()
            .map(|_| column_letters(p.first_column + column))
    }

    /// Reads every row, for callers that need the whole table (`init`, `import coinr`).
    pub fn read_all(mut self) -> Result<WholeTable, Error> {
        let mut rows = Vec::new();
        while let Some(row) = self.next_row() {
            let (line, rec) = row?;
            rows.push((line, rec.iter().map(str::to_string).collect()));
        }
        Ok(WholeTable {
            place: self.place,
            headers: self.headers,
            header_line: self.header_line,
            rows,
        })
    }
}

/// A table read whole.
#[derive(Clone, Debug)]
pub struct WholeTable {
    pub place: Place,
    pub headers: Vec<String>,
    pub header_line: usize,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl WholeTable {
    /// An error at this table's file, at a row (or the header) and optionally a column.
    pub fn error(&self, e: Error, line: Option<usize>, column: Option<usize>) -> Error {
        self.place.error(e, line, column)
    }

    /// "line" in a text file, "row" in a spreadsheet.
    pub fn row_word(&self) -> &'static str {
        self.place.row_word()
    }
}

#[cfg(feature = "parquet")]
fn read_parquet(path: &Path) -> Result<InputTable, Error> {
    crate::parquet::read(path)
}

#[cfg(not(feature = "parquet"))]
fn read_parquet(path: &Path) -> Result<InputTable, Error> {
    Err(Error::new(
        "this build of cityrank reads no Parquet files (built without the `parquet` feature)",
        "save the table as CSV, or use a build with default features",
    )
    .at(path, None))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Workbook,
    Parquet,
}

/// A table's format, by its extension (anything else is read as CSV); spreadsheet formats
/// not read are refused here.
fn format_of(path: &Path) -> Result<Format, Error> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xlsx" | "xlsm") => Ok(Format::Workbook),
        Some("parquet" | "parq") => Ok(Format::Parquet),
        Some("xls" | "xlsb" | "ods" | "numbers") => Err(Error::new(
            "this spreadsheet format is not read; cityrank reads .xlsx workbooks, Parquet and CSV files",
            "save the sheet as .xlsx (Excel Workbook) or as CSV UTF-8",
        )
        .at(path, None)),
        _ => Ok(Format::Csv),
    }
}

fn read_workbook(path: &Path, sheet: Option<&Sheet>, field: &str) -> Result<InputTable, Error> {
    let bytes = crate::limits::read_small(path, MAX_WORKBOOK)?;
    InputTable::from_xlsx_bytes(path, bytes, sheet, field)
}

impl InputTable {
    /// A workbook held in memory, read as a file is; `path` names it in errors.
    pub fn from_xlsx_bytes(
        path: &Path,
        bytes: Vec<u8>,
        sheet: Option<&Sheet>,
        field: &str,
    ) -> Result<InputTable, Error> {
        read_workbook_bytes(path, bytes, sheet, field)
    }
}

fn read_workbook_bytes(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&Sheet>,
    field: &str,
) -> Result<InputTable, Error> {
    use calamine::Reader;
    let digest = Digested {
        sha256: crate::hash::sha256_hex(&bytes),
        bytes: bytes.len(),
        rows: 0,
    };
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| {
        Error::new(
            format!("cannot open the workbook: {e}"),
            "check that the file is an Excel .xlsx workbook and not damaged",
        )
        .at(path, None)
    })?;
    let names = book.sheet_names();
    let name = pick_sheet(&names, sheet).map_err(|(m, h)| {
        let e = Error::new(m, h).at(path, None);
        if sheet.is_some() {
            e.field(format!("{field}.sheet"))
        } else {
            e
        }
    })?;
    let at = |e: Error, line: Option<usize>| {
        let mut e = e.at(path, line);
        e.sheet = Some(name.clone());
        e
    };
    let range = book.worksheet_range(&name).map_err(|e| {
        let e = Error::new(
            format!("cannot read the sheet: {e}"),
            "check that the workbook opens in a spreadsheet program",
        );
        at(e, None)
    })?;
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut lines = range.rows().enumerate();
    let Some((_, head)) = lines.next() else {
        let e = Error::new(
            "the sheet is empty",
            "put a header row and one row per unit on it, or name another sheet with `sheet`",
        );
        return Err(at(e, None));
    };
    let headers: Vec<String> = head
        .iter()
        .map(|c| cell_text(c).trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, r) in lines {
        let cells: Vec<String> = r.iter().map(cell_text).collect();
        // Rows with nothing in them (often left below a table) are not units.
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = row0 as usize + i + 1;
        if let Some((c, e)) = oversized_cell(&cells, &headers) {
            let mut e = at(e, Some(line));
            e.column = Some(column_letters(col0 as usize + c));
            return Err(e);
        }
        rows.push((line, StringRecord::from(cells)));
    }
    Ok(InputTable {
        place: Place {
            path: path.to_path_buf(),
            sheet: Some(name),
            first_column: col0 as usize,
            parquet: false,
        },
        headers,
        header_line: row0 as usize + 1,
        rows: Rows::Sheet {
            digest: Digested {
                rows: rows.len(),
                ..digest
            },
            rows: rows.into_iter(),
        },
    })
}

/// The sheet asked for, or the first one; the error lists the sheets there are.
fn pick_sheet(names: &[String], sheet: Option<&Sheet>) -> Result<String, (String, String)> {
    let list = names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let found = match sheet {
        None => names.first(),
        Some(Sheet::Name(n)) => names.iter().find(|s| *s == n),
        Some(Sheet::Position(p)) => p.checked_sub(1).and_then(|i| names.get(i)),
    };
    found.cloned().ok_or_else(|| match sheet {
        None => (
            "the workbook has no sheets".into(),
            "save a workbook with the table on its first sheet".into(),
        ),
        Some(s) => (
            format!("the workbook has no {s}; its sheets are {list}"),
            format!(
                "set `sheet` to one of the names, or to a position from 1 to {}",
                names.len()
            ),
        ),
    })
}

/// A cell as the text a CSV file would hold: numbers in the shortest form that reads back to
/// the same value; booleans, dates and errors as words (they are then refused as numbers).
fn cell_text(c: &calamine::Data) -> String {
    match c {
        calamine::Data::Float(f) => format!("{f}"),
        // A date is not an indicator value; written out as a date it is refused as a number.
        calamine::Data::DateTime(d) => format!("date {}", d.as_f64()),
        other => other.to_string(),
    }
}

/// The first cell of a row read whole that is longer than [`MAX_CELL`], with its column and
/// the error (its field set to the column's header).
pub(crate) fn oversized_cell<S: AsRef<str>>(
    cells: &[S],
    headers: &[String],
) -> Option<(usize, Error)> {
    let (c, cell) = cells
        .iter()
        .map(AsRef::as_ref)
        .enumerate()
        .find(|(_, c)| c.len() > MAX_CELL)?;
    let e = Error::new(
        format!(
            "a cell of {} bytes, more than the {} KiB allowed: `{}`",
            cell.len(),
            MAX_CELL >> 10,
            excerpt(cell)
        ),
        "a cell holds one id, name or number",
    )
    .field(excerpt(&headers[c]));
    Some((c, e))
}

/// Spreadsheet column letters of a 0-based column: 0 -> A, 25 -> Z, 26 -> AA.
pub fn column_letters(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}
