//! Reading a CSV table row by row, hashing it on the way, within the bounds of [`crate::limits`].
//!
//! Rows are handed out one at a time so that the caller's first objection (a duplicate id, a
//! text where a number belongs) stops the read there: a file with a million bad rows fails at
//! the first one, and nothing past it is parsed.

use crate::error::Error;
use crate::limits::{excerpt, open_regular, MAX_CELL, MAX_LINE, MAX_STREAM, QUOTE};
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// An open table: its header, then its rows on demand.
pub struct Table {
    path: PathBuf,
    pub headers: Vec<String>,
    rdr: csv::Reader<Bounded>,
    rows: usize,
}

/// What the manifest records of a table read to its end.
pub struct Digested {
    pub sha256: String,
    pub bytes: usize,
    pub rows: usize,
}

impl Table {
    pub fn open(path: &Path) -> Result<Table, Error> {
        let (file, stream) = open_regular(path)?;
        Table::read_from(path, Box::new(file), stream)
    }

    /// A table held in memory (CSV bytes), read with the same bounds as a file; `path` names
    /// it in errors.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Table, Error> {
        Table::read_from(path, Box::new(io::Cursor::new(bytes)), false)
    }

    fn read_from(path: &Path, source: Box<dyn Read>, stream: bool) -> Result<Table, Error> {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(Bounded::new(source, stream));
        let headers: Vec<String> = rdr
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        if let Some(h) = headers.iter().find(|h| h.len() > MAX_CELL) {
            return Err(too_long_cell(path, 1, "header", h));
        }
        Ok(Table {
            path: path.to_path_buf(),
            headers,
            rdr,
            rows: 0,
        })
    }

    /// The next row with its 1-based line, or `None` at the end.
    pub fn next_row(&mut self) -> Option<Result<(usize, csv::StringRecord), Error>> {
        let mut rec = csv::StringRecord::new();
        match self.rdr.read_record(&mut rec) {
            Ok(false) => None,
            Err(e) => Some(Err(csv_error(&self.path, e))),
            Ok(true) => {
                self.rows += 1;
                let offset = rec.position().map_or(0, |p| p.byte());
                let line = self.rdr.get_mut().line_at(offset);
                if let Some((i, cell)) = rec.iter().enumerate().find(|(_, c)| c.len() > MAX_CELL) {
                    let field = self.headers.get(i).map_or("?", String::as_str);
                    return Some(Err(too_long_cell(&self.path, line, field, cell)));
                }
                Some(Ok((line, rec)))
            }
        }
    }

    /// Reads what is left (normally nothing) so the hash covers the whole file.
    pub fn finish(self) -> Result<Digested, Error> {
        let rows = self.rows;
        let mut inner = self.rdr.into_inner();
        io::copy(&mut inner, &mut io::sink()).map_err(|e| Error::io(&self.path, e))?;
        Ok(Digested {
            sha256: inner
                .hash
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
            bytes: inner.read as usize,
            rows,
        })
    }
}

fn too_long_cell(path: &Path, line: usize, field: &str, cell: &str) -> Error {
    Error::new(
        format!(
            "a cell of {} bytes, more than the {} KiB allowed: `{}`",
            cell.len(),
            MAX_CELL >> 10,
            excerpt(cell)
        ),
        "a cell holds one id, name or number; check the quoting (an unclosed quote swallows the lines after it)",
    )
    .at(path, Some(line))
    .field(excerpt(field))
}

/// A line longer than [`MAX_LINE`], or a stream past [`MAX_STREAM`], as the reader reports it.
#[derive(Debug)]
struct TooLong {
    line: usize,
    prefix: String,
    stream: bool,
}

impl std::fmt::Display for TooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        if self.stream {
            write!(f, "the stream is longer than {} GiB", MAX_STREAM >> 30)
        } else {
            write!(
                f,
                "line {} is longer than {} MiB; it starts `{}`",
                self.line,
                MAX_LINE >> 20,
                self.prefix
            )
        }
    }
}

impl std::error::Error for TooLong {}

/// The file under the CSV reader: hashes and counts what passes, stops an overlong line or
/// stream, and remembers where lines end so a record's byte offset gives its line.
struct Bounded {
    file: Box<dyn Read>,
    stream: bool,
    hash: Sha256,
    read: u64,
    /// Bytes since the last line feed, and the first of them (for the error).
    line_len: usize,
    line_start: Vec<u8>,
    lines_done: usize,
    /// Positions of CR and LF bytes not yet passed by a record start.
    breaks: VecDeque<(u64, u8)>,
    /// Line feeds before the first entry of `breaks`.
    lf_before: usize,
}

impl Bounded {
    fn new(file: Box<dyn Read>, stream: bool) -> Bounded {
        Bounded {
            file,
            stream,
            hash: Sha256::new(),
            read: 0,
            line_len: 0,
            line_start: Vec::new(),
            lines_done: 0,
            breaks: VecDeque::new(),
            lf_before: 0,
        }
    }

    /// The 1-based line of a record starting at `offset`. After a CRLF the CSV reader puts the
    /// next record's start on the `\n` (and before blank lines), so line ends at the offset are
    /// passed first.
    fn line_at(&mut self, mut offset: u64) -> usize {
        while let Some(&(p, b)) = self.breaks.front() {
            if p < offset || p == offset {
                if p == offset {
                    offset += 1;
                }
                self.lf_before += usize::from(b == b'\n');
                self.breaks.pop_front();
            } else {
                break;
            }
        }
        1 + self.lf_before
    }

    fn scan(&mut self, buf: &[u8]) -> io::Result<()> {
        for (i, &b) in buf.iter().enumerate() {
            let pos = self.read + i as u64;
            if b == b'\n' || b == b'\r' {
                self.breaks.push_back((pos, b));
            }
            if b == b'\n' {
                self.lines_done += 1;
                self.line_len = 0;
                self.line_start.clear();
                continue;
            }
            self.line_len += 1;
            if self.line_start.len() < 4 * QUOTE {
                self.line_start.push(b);
            }
            if self.line_len > MAX_LINE {
                return Err(io::Error::other(TooLong {
                    line: self.lines_done + 1,
                    prefix: excerpt(&String::from_utf8_lossy(&self.line_start)),
                    stream: false,
                }));
            }
        }
        Ok(())
    }
}

impl Read for Bounded {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stream && self.read >= MAX_STREAM {
            return Err(io::Error::other(TooLong {
                line: self.lines_done + 1,
                prefix: String::new(),
                stream: true,
            }));
        }
        let n = self.file.read(buf)?;
        self.scan(&buf[..n])?;
        self.hash.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

fn csv_error(path: &Path, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line() as usize);
    let (msg, hint) = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => (
            format!("malformed row: {len} fields where the header has {expected_len}"),
            "every row needs one value per column; quote fields that contain commas",
        ),
        csv::ErrorKind::Utf8 { .. } => (
            "the file is not valid UTF-8 (it may be GBK or another legacy encoding)".to_string(),
            "convert it, e.g. `iconv -f GBK -t UTF-8 in.csv > out.csv`",
        ),
        csv::ErrorKind::Io(io) => {
            if let Some(t) = io.get_ref().and_then(|r| r.downcast_ref::<TooLong>()) {
                let line = (!t.stream).then_some(t.line);
                let hint = if t.stream {
                    "write the stream to a file first"
                } else {
                    "a row holds one unit's values; check that this is a CSV table and that every quote is closed"
                };
                return Error::new(t.to_string(), hint).at(path, line);
            }
            return Error::new(
                format!("cannot read: {io}"),
                "check that the file is readable",
            )
            .at(path, line);
        }
        _ => (
            format!("malformed CSV: {e}"),
            "check the quoting and separators on this line",
        ),
    };
    Error::new(msg, hint).at(path, line)
}
