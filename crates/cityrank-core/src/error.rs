//! Errors of the core, with enough context for the caller to point at a file and line.
//!
//! The core does no I/O, so it cannot know line numbers; it names the spec entry or the data cell
//! (unit and indicator) instead, and the I/O layer turns that into `file:line`.

use std::fmt;

/// Where in the spec or data an error sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A `[[node]]` or `[index]` entry, by id.
    Node(String),
    /// An `[[indicator]]` entry, by id.
    Indicator(String),
    /// A section key such as `screen.min_coverage`.
    Field(String),
    /// A data cell.
    Cell {
        unit: String,
        indicator: String,
    },
    /// An indicator's column of data.
    Column(String),
    Nowhere,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Location::Node(id) => write!(f, "node `{id}`"),
            Location::Indicator(id) => write!(f, "indicator `{id}`"),
            Location::Field(k) => write!(f, "`{k}`"),
            Location::Cell { unit, indicator } => {
                write!(f, "unit `{unit}`, indicator `{indicator}`")
            }
            Location::Column(id) => write!(f, "indicator `{id}`"),
            Location::Nowhere => Ok(()),
        }
    }
}

/// An inconsistent spec: a tree with a cycle, an orphan, a bad weight...
#[derive(Clone, Debug, PartialEq)]
pub struct SpecError {
    pub location: Location,
    pub message: String,
    /// What would fix it.
    pub hint: String,
}

/// A build that cannot go on with these data and settings.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildError {
    pub location: Location,
    pub message: String,
    pub hint: String,
}

macro_rules! impl_error {
    ($t:ident) => {
        impl $t {
            pub fn new(
                location: Location,
                message: impl Into<String>,
                hint: impl Into<String>,
            ) -> Self {
                $t {
                    location,
                    message: message.into(),
                    hint: hint.into(),
                }
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
                if self.location != Location::Nowhere {
                    write!(f, "{}: ", self.location)?;
                }
                write!(f, "{}", self.message)?;
                if !self.hint.is_empty() {
                    write!(f, "\n  fix: {}", self.hint)?;
                }
                Ok(())
            }
        }
        impl std::error::Error for $t {}
    };
}

impl_error!(SpecError);
impl_error!(BuildError);
