//! One error type for everything that reads files: where, what, and how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub file: Option<PathBuf>,
    /// The line of a text file, or the row number of a spreadsheet.
    pub line: Option<usize>,
    /// The worksheet, for a spreadsheet: errors read `file:sheet:row:column`.
    pub sheet: Option<String>,
    /// The spreadsheet column letters (A, B, ... AA), for a spreadsheet.
    pub column: Option<String>,
    /// A column, field or indicator name.
    pub field: Option<String>,
    pub message: String,
    pub hint: String,
}

impl Error {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error {
            file: None,
            line: None,
            sheet: None,
            column: None,
            field: None,
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn at(mut self, file: &Path, line: Option<usize>) -> Error {
        self.file = Some(file.to_path_buf());
        self.line = line;
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Error {
        self.field = Some(field.into());
        self
    }

    pub fn io(file: &Path, e: std::io::Error) -> Error {
        Error::new(
            format!("cannot read: {e}"),
            "check that the path (relative to the spec file) is right",
        )
        .at(file, None)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(s) = &self.sheet {
                write!(f, ":{s}")?;
            }
            if let Some(l) = self.line {
                write!(f, ":{l}")?;
            }
            if let Some(c) = &self.column {
                write!(f, ":{c}")?;
            }
            write!(f, ": ")?;
        }
        if let Some(c) = &self.field {
            write!(f, "`{c}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  fix: {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
