//! Errors, each naming the file, line and column where it can. What they quote of a file
//! (a value, a header, a reader's message) is cut to a short prefix, control characters
//! escaped, so a broken or hostile file can flood neither a terminal nor a log.

use cityrank_io::limits::{excerpt, excerpt_list, excerpt_n, QUOTE_MESSAGE};
use std::fmt;
use std::path::PathBuf;

/// Where in a file a problem is: 1-based line for text formats, 0-based row
/// index for Parquet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    /// Line number in a CSV or JSON-lines file (1-based; the CSV header is line 1).
    Line(u64),
    /// Row index in a Parquet file (0-based).
    Row(u64),
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Position::Line(l) => write!(f, "line {l}"),
            Position::Row(r) => write!(f, "row {r}"),
        }
    }
}

/// Column names an error lists (the rest are counted).
const MAX_NAMES: usize = 30;

/// Everything that can go wrong computing indicators from records.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The definitions themselves are inconsistent.
    #[error("invalid records spec: {0}")]
    Spec(String),

    /// A source's glob matched no file.
    #[error("source `{source_id}`: the glob `{pattern}` matches no file")]
    NoFiles { source_id: String, pattern: String },

    /// Reading a file failed.
    #[error("{}: {error}", path.display())]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },

    /// A CSV / JSON-lines file is not valid UTF-8.
    #[error(
        "{}: line {line} (byte {byte_offset}) is not valid UTF-8{}; convert the file, for example \
         `iconv -f {iconv} -t UTF-8 '{}' > converted.csv`, or declare `encoding = \"{label}\"` on source `{source_id}`",
        path.display(),
        match guess { Some(g) => format!(" - it looks like {g}"), None => String::new() },
        path.display(),
        iconv = guess.as_deref().map(iconv_name).unwrap_or("<ENCODING>"),
        label = guess.as_deref().map(label_name).unwrap_or("<encoding>"),
    )]
    NotUtf8 {
        source_id: String,
        path: PathBuf,
        line: u64,
        byte_offset: u64,
        /// A guess at the real encoding ("GBK", "UTF-16LE", ...).
        guess: Option<String>,
    },

    /// A file could not be decoded with the declared encoding.
    #[error("{}: line {line} is not valid {encoding}", path.display())]
    Decode {
        path: PathBuf,
        line: u64,
        encoding: String,
    },

    /// The declared encoding is not known.
    #[error("source `{source_id}`: unknown encoding `{encoding}`")]
    UnknownEncoding { source_id: String, encoding: String },

    /// A column named by the spec is not in a file.
    #[error(
        "{}: source `{source_id}` has no column `{column}` (needed as {role}); the file has: {}",
        path.display(),
        excerpt_list(available, MAX_NAMES, ", ")
    )]
    MissingColumn {
        source_id: String,
        path: PathBuf,
        column: String,
        role: String,
        available: Vec<String>,
    },

    /// CSV files of one source have different headers.
    #[error(
        "{}: header differs from the source's first file {} (expected: {}; found: {})",
        path.display(), first.display(), excerpt_list(expected, MAX_NAMES, ","),
        excerpt_list(found, MAX_NAMES, ",")
    )]
    HeaderMismatch {
        source_id: String,
        path: PathBuf,
        first: PathBuf,
        expected: Vec<String>,
        found: Vec<String>,
    },

    /// A value is not of the type the indicator needs.
    #[error(
        "{}:{}: column `{column}` has `{}`, which is not {expected} (source `{source_id}`)",
        path.display(),
        position.as_ref().map(|p| format!(" {p}")).unwrap_or_default(),
        excerpt(value)
    )]
    WrongType {
        source_id: String,
        path: PathBuf,
        position: Option<Position>,
        column: String,
        value: String,
        expected: String,
    },

    /// A date could not be parsed.
    #[error(
        "{}: {position}: column `{column}` has `{}`, which is not a date (expected {expected}; source `{source_id}`)",
        path.display(),
        excerpt(value)
    )]
    BadDate {
        source_id: String,
        path: PathBuf,
        position: Position,
        column: String,
        value: String,
        expected: String,
    },

    /// A record could not be parsed at all (wrong field count, invalid JSON, ...).
    #[error("{}: {position}: {} (source `{source_id}`)", path.display(), excerpt_n(message, QUOTE_MESSAGE))]
    Malformed {
        source_id: String,
        path: PathBuf,
        position: Position,
        message: String,
    },

    /// A source's files hold no record.
    #[error("source `{source_id}` is empty: its files ({}) hold no record", files.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    EmptySource {
        source_id: String,
        files: Vec<PathBuf>,
    },

    /// Strict city resolution: some rows named no known city.
    #[error(
        "source `{source_id}`: {rows} rows name no known city (most frequent: {})",
        top.iter().map(|(s, n)| format!("`{}` x{n}", excerpt(s))).collect::<Vec<_>>().join(", ")
    )]
    UnresolvedCities {
        source_id: String,
        rows: u64,
        top: Vec<(String, u64)>,
    },

    /// An SQL indicator's result does not have exactly the columns `city` and `value`.
    #[error("indicator `{indicator}`: the SQL query must return exactly the columns (city, value), it returns ({})", excerpt_list(found, MAX_NAMES, ", "))]
    SqlColumns {
        indicator: String,
        found: Vec<String>,
    },

    /// An SQL indicator returned a city more than once.
    #[error(
        "indicator `{indicator}`: the SQL query returns city `{}` {count} times",
        excerpt(city)
    )]
    SqlDuplicateCity {
        indicator: String,
        city: String,
        count: usize,
    },

    /// An SQL indicator returned a NULL city or value.
    #[error("indicator `{indicator}`: the SQL query returns NULL {what}")]
    SqlNull { indicator: String, what: String },

    /// An SQL indicator returned NaN or an infinity: refused rather than read as a missing
    /// value, which the user would not see (a division by zero in the query, usually).
    #[error(
        "indicator `{indicator}`: the SQL query returns {value} as the value of city `{}`",
        excerpt(city)
    )]
    SqlNotFinite {
        indicator: String,
        city: String,
        value: f64,
    },

    /// A problem in a denominator table.
    #[error("{}: {position}: {}", path.display(), excerpt_n(message, QUOTE_MESSAGE))]
    Denominator {
        path: PathBuf,
        position: Position,
        message: String,
    },

    /// A covered city has no denominator.
    #[error("indicator `{indicator}`: the denominator table {} has no value for city `{}`", path.display(), excerpt(city))]
    MissingDenominator {
        indicator: String,
        path: PathBuf,
        city: String,
    },

    /// The engine (DataFusion / Ballista) failed.
    #[error("{context}: {}", excerpt_n(message, QUOTE_MESSAGE))]
    Engine { context: String, message: String },

    /// A query did not finish in time.
    #[error("{context}: no answer within {seconds} s")]
    Timeout { context: String, seconds: u64 },
}

fn iconv_name(guess: &str) -> &str {
    match guess {
        "GBK" => "GBK",
        "UTF-16LE" => "UTF-16LE",
        "UTF-16BE" => "UTF-16BE",
        "Big5" => "BIG5",
        other => other,
    }
}

fn label_name(guess: &str) -> &str {
    match guess {
        "GBK" => "gbk",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        "Big5" => "big5",
        _ => "<encoding>",
    }
}

impl SourceError {
    /// What would fix it, for the `fix:` line of the command line.
    pub fn hint(&self) -> &'static str {
        match self {
            SourceError::UnresolvedCities { .. } => "add the spelling to the gazetteer's aliases, or run without --strict-cities to count such rows instead",
            SourceError::Spec(_) => "correct the [[source]] or [indicator.records] section of the spec",
            SourceError::Engine { message, .. } if message.contains("Resources exhausted") => {
                "raise the engine's memory bound with --memory-limit (or CITYRANK_MEMORY_LIMIT), e.g. 8G, or `none`"
            }
            SourceError::SqlNotFinite { .. } => "return a finite number for every city the query lists, and leave out a city that has none (e.g. `WHERE n > 0` before dividing by n)",
            _ => "correct the record file, or the definition in the spec",
        }
    }

    pub(crate) fn engine(context: impl Into<String>, e: impl fmt::Display) -> SourceError {
        SourceError::Engine {
            context: context.into(),
            message: e.to_string(),
        }
    }
}
