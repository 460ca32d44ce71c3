//! A generated record table: its columns and, for checking, the city each row was written
//! for.

use super::dates::{format_date, format_fixed};
use super::SourceDef;

/// A column of a record table.
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Text; `None` is an empty cell.
    Text(Vec<Option<String>>),
    /// Integers.
    Int(Vec<i64>),
    /// Dates, as days since 1970-01-01.
    Date(Vec<i32>),
    /// Decimal numbers as integer units of `10^-decimals`; `None` is an empty cell.
    Fixed {
        units: Vec<Option<i64>>,
        decimals: u32,
    },
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Date(v) => v.len(),
            Column::Fixed { units, .. } => units.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell as written in CSV.
    pub fn cell(&self, row: usize) -> String {
        match self {
            Column::Text(v) => v[row].clone().unwrap_or_default(),
            Column::Int(v) => v[row].to_string(),
            Column::Date(v) => format_date(v[row]),
            Column::Fixed { units, decimals } => match units[row] {
                None => String::new(),
                Some(u) => format_fixed(u, *decimals),
            },
        }
    }
}

/// The records of one source.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordTable {
    pub source: SourceDef,
    /// Column names, in file order.
    pub names: Vec<&'static str>,
    pub columns: Vec<Column>,
    /// The city each row was written for (`None`: a string naming no city, or none).
    pub truth: Vec<Option<u32>>,
}

impl RecordTable {
    pub fn rows(&self) -> usize {
        self.truth.len()
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| *n == name)
            .map(|i| &self.columns[i])
    }
}
