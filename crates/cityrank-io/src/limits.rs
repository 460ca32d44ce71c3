//! Bounds on what a user's files may hold, and what an error may quote of them.
//!
//! A table is read line by line; a line, a cell or a stream past these bounds stops the read
//! with an error that quotes a short prefix, so a hostile or broken file can neither exhaust
//! memory nor flood the terminal.

use crate::error::Error;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Longest line of a CSV table (bytes).
pub const MAX_LINE: usize = 1 << 20;
/// Longest cell of a CSV table (bytes); ids, names and numbers are far shorter.
pub const MAX_CELL: usize = 64 * 1024;
/// Most bytes read from a pipe or device (`--allow-stream`), which has no size of its own.
pub const MAX_STREAM: u64 = 4 << 30;
/// Largest methodology file (bytes).
pub const MAX_SPEC: u64 = 16 << 20;
/// Characters of a bad value quoted in an error.
pub const QUOTE: usize = 40;

static ALLOW_STREAMS: AtomicBool = AtomicBool::new(false);

/// Lets data, units and spec files be pipes or character devices (`--allow-stream`). Off by
/// default: a FIFO nobody writes to blocks for ever, and /dev/zero never ends.
pub fn set_allow_streams(allow: bool) {
    ALLOW_STREAMS.store(allow, Ordering::Relaxed);
}

fn streams_allowed() -> bool {
    ALLOW_STREAMS.load(Ordering::Relaxed)
}

/// Characters of a message from a reader or the SQL engine quoted in an error (they may
/// copy a whole record into their text).
pub const QUOTE_MESSAGE: usize = 400;

/// A value as an error may quote it: at most [`QUOTE`] characters, control characters escaped.
pub fn excerpt(s: &str) -> String {
    excerpt_n(s, QUOTE)
}

/// At most `max` characters of `s`, control characters escaped, and the full length in bytes
/// when it is cut.
pub fn excerpt_n(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .take(max)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if s.chars().nth(max).is_some() {
        out.push_str(&format!("… ({} bytes)", s.len()));
    }
    out
}

/// Up to `max` names, each as [`excerpt`] quotes it, joined by `sep`, and how many more.
pub fn excerpt_list<S: AsRef<str>>(names: &[S], max: usize, sep: &str) -> String {
    let mut out = names
        .iter()
        .take(max)
        .map(|n| excerpt(n.as_ref()))
        .collect::<Vec<_>>()
        .join(sep);
    if names.len() > max {
        out.push_str(&format!("{sep}… ({} more)", names.len() - max));
    }
    out
}

/// Opens a file the user named, refusing what is not a regular file unless streams are allowed.
/// Returns the file and whether it is a stream (whose reads are then capped at [`MAX_STREAM`]).
pub fn open_regular(path: &Path) -> Result<(File, bool), Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    let stream = !meta.is_file();
    if stream {
        let kind = file_kind(&meta);
        let allowed = streams_allowed() && kind != "a folder";
        if !allowed {
            return Err(Error::new(
                format!("not a regular file: it is {kind}"),
                if kind == "a folder" {
                    "name a file, not a folder".to_string()
                } else {
                    "name a regular file; to read a pipe or device on purpose, pass --allow-stream"
                        .to_string()
                },
            )
            .at(path, None));
        }
    }
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    Ok((file, stream))
}

/// Reads a whole small file (the spec), refusing streams as [`open_regular`] does and anything
/// larger than `max` bytes.
pub fn read_small(path: &Path, max: u64) -> Result<Vec<u8>, Error> {
    let (file, _) = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > max {
        return Err(Error::new(
            format!("the file is larger than {} MiB", max >> 20),
            "check that this is the right file: a methodology file is a few kilobytes, a table of units a few megabytes",
        )
        .at(path, None));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a pipe (FIFO)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_short_and_has_no_raw_control_characters() {
        let long = "x".repeat(10_000_000);
        let e = excerpt(&long);
        assert!(e.len() < 80, "{}", e.len());
        assert!(e.ends_with("(10000000 bytes)"));
        assert_eq!(excerpt("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(excerpt("short"), "short");
    }
}
