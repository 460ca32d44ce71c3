//! File-level work done before the engine sees a source: globbing, hashing,
//! UTF-8 checks (and conversion of declared encodings), headers.

use crate::definition::{Format, SourceDecl};
use crate::error::SourceError;
use crate::provenance::FileProvenance;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// A source's files once located and checked.
#[derive(Debug, Clone)]
pub(crate) struct SourceFiles {
    pub format: Format,
    /// Absolute paths the engine reads (converted copies for declared encodings).
    pub read_paths: Vec<PathBuf>,
    /// Provenance of the original files.
    pub provenance: Vec<FileProvenance>,
    /// A CSV file has a quoted field holding a line break. The engine then reads each
    /// file whole: splitting a file into byte ranges at line ends would cut such records.
    pub line_breaks_in_quotes: bool,
}

/// Expands the source's glob relative to `spec_dir` into sorted absolute paths.
pub(crate) fn expand_glob(decl: &SourceDecl, spec_dir: &Path) -> Result<Vec<PathBuf>, SourceError> {
    let spec_dir = absolute(spec_dir)?;
    let pattern_path = if Path::new(&decl.files).is_absolute() {
        PathBuf::from(&decl.files)
    } else {
        spec_dir.join(&decl.files)
    };
    let pattern = pattern_path.to_string_lossy().to_string();
    let paths = glob::glob(&pattern).map_err(|e| {
        SourceError::Spec(format!(
            "source `{}`: bad glob `{}`: {e}",
            decl.id, decl.files
        ))
    })?;
    let mut out = Vec::new();
    for entry in paths {
        let p = entry.map_err(|e| SourceError::Io {
            path: e.path().to_path_buf(),
            error: std::io::Error::other(e.error().to_string()),
        })?;
        // Folders matched by the pattern are not records; a pipe, device or socket would
        // block the engine or never end, so it is refused rather than skipped unseen.
        let meta = std::fs::metadata(&p).map_err(|error| SourceError::Io {
            path: p.clone(),
            error,
        })?;
        if meta.is_file() {
            out.push(p);
        } else if !meta.is_dir() {
            return Err(SourceError::Spec(format!(
                "source `{}`: {} is not a regular file (a pipe, device or socket); record files \
                 must be regular files: copy the stream to a file first",
                decl.id,
                p.display()
            )));
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(SourceError::NoFiles {
            source_id: decl.id.clone(),
            pattern,
        });
    }
    Ok(out)
}

fn absolute(p: &Path) -> Result<PathBuf, SourceError> {
    // The directory of a bare file name (`--spec spec.toml`) is the empty path: the current one.
    let p = if p.as_os_str().is_empty() {
        Path::new(".")
    } else {
        p
    };
    std::path::absolute(p).map_err(|error| SourceError::Io {
        path: p.to_path_buf(),
        error,
    })
}

/// Decides the format of a source: declared, or the common extension of its files.
pub(crate) fn source_format(decl: &SourceDecl, files: &[PathBuf]) -> Result<Format, SourceError> {
    if let Some(f) = decl.format {
        return Ok(f);
    }
    let mut found: Option<Format> = None;
    for p in files {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        let Some(f) = Format::from_extension(ext) else {
            return Err(SourceError::Spec(format!(
                "source `{}`: cannot tell the format of {} from its extension; declare `format = \"csv\" | \"parquet\" | \"jsonl\"`",
                decl.id,
                p.display()
            )));
        };
        match found {
            None => found = Some(f),
            Some(g) if g != f => {
                return Err(SourceError::Spec(format!(
                    "source `{}`: files of different formats ({} and {}); declare `format` or narrow the glob",
                    decl.id,
                    g.name(),
                    f.name()
                )))
            }
            _ => {}
        }
    }
    Ok(found.expect("non-empty file list"))
}

/// Hashes every file, checks text files are UTF-8 (or converts them from the
/// declared encoding into `work_dir`), and returns what the engine should read.
pub(crate) fn prepare_files(
    decl: &SourceDecl,
    spec_dir: &Path,
    work_dir: &Path,
) -> Result<SourceFiles, SourceError> {
    let files = expand_glob(decl, spec_dir)?;
    let format = source_format(decl, &files)?;
    let text = matches!(format, Format::Csv | Format::Jsonl);
    let encoding = match decl.encoding.as_deref() {
        None => None,
        Some(label) => {
            let enc =
                encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                    SourceError::UnknownEncoding {
                        source_id: decl.id.clone(),
                        encoding: label.to_string(),
                    }
                })?;
            if enc == encoding_rs::UTF_8 {
                None
            } else {
                Some(enc)
            }
        }
    };
    if encoding.is_some() && !text {
        return Err(SourceError::Spec(format!(
            "source `{}`: `encoding` applies to CSV and JSON-lines files only",
            decl.id
        )));
    }
    let mut read_paths = Vec::new();
    let mut provenance = Vec::new();
    let mut line_breaks_in_quotes = false;
    for path in files {
        let scan = scan_file(&path, text && encoding.is_none(), format == Format::Csv)?;
        line_breaks_in_quotes |= scan.line_break_in_quotes;
        if let Some(bad) = scan.first_invalid_utf8 {
            return Err(SourceError::NotUtf8 {
                source_id: decl.id.clone(),
                line: bad.line,
                byte_offset: bad.byte_offset,
                guess: guess_encoding(&path, &bad),
                path,
            });
        }
        let mut read_path = path.clone();
        let mut converted_from = None;
        if let Some(enc) = encoding {
            std::fs::create_dir_all(work_dir).map_err(|error| SourceError::Io {
                path: work_dir.to_path_buf(),
                error,
            })?;
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("txt");
            let out = work_dir.join(format!("{}.utf8.{ext}", &scan.sha256[..32]));
            if !out.exists() {
                transcode(&path, &out, enc)?;
            }
            read_path = out;
            converted_from = Some(enc.name().to_string());
        } else if scan.has_bom && text {
            // Strip the UTF-8 byte-order mark, which readers would take as part of the first name.
            std::fs::create_dir_all(work_dir).map_err(|error| SourceError::Io {
                path: work_dir.to_path_buf(),
                error,
            })?;
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("txt");
            let out = work_dir.join(format!("{}.nobom.{ext}", &scan.sha256[..32]));
            if !out.exists() {
                transcode(&path, &out, encoding_rs::UTF_8)?;
            }
            read_path = out;
            converted_from = Some("UTF-8 with BOM".to_string());
        }
        provenance.push(FileProvenance {
            path: path.clone(),
            sha256: scan.sha256,
            bytes: scan.bytes,
            converted_from,
        });
        read_paths.push(read_path);
    }
    Ok(SourceFiles {
        format,
        read_paths,
        provenance,
        line_breaks_in_quotes,
    })
}

struct InvalidUtf8 {
    line: u64,
    byte_offset: u64,
}

struct Scan {
    sha256: String,
    bytes: u64,
    has_bom: bool,
    first_invalid_utf8: Option<InvalidUtf8>,
    line_break_in_quotes: bool,
}

/// Follows CSV quoting (`"`, doubled inside a field) across chunks, to see whether
/// a quoted field holds a line break. Chunks without a quote cost one `memchr`.
#[derive(Default)]
struct QuoteScan {
    in_quotes: bool,
    found: bool,
}

impl QuoteScan {
    /// Work is proportional to the quotes, not the lines: outside a quoted field only the
    /// next quote is looked for; inside one, the closing quote or a line break.
    fn feed(&mut self, chunk: &[u8]) {
        let mut i = 0;
        while !self.found && i < chunk.len() {
            let rest = &chunk[i..];
            if self.in_quotes {
                let Some(j) = memchr::memchr2(b'"', b'\n', rest) else {
                    return;
                };
                if rest[j] == b'\n' {
                    self.found = true;
                    return;
                }
                self.in_quotes = false;
                i += j + 1;
            } else {
                let Some(j) = memchr::memchr(b'"', rest) else {
                    return;
                };
                self.in_quotes = true;
                i += j + 1;
            }
        }
    }
}

/// One streaming pass: SHA-256, size, (if `check_utf8`) the first invalid UTF-8 byte and
/// (if `csv`) whether a quoted field holds a line break.
fn scan_file(path: &Path, check_utf8: bool, csv: bool) -> Result<Scan, SourceError> {
    let io = |error| SourceError::Io {
        path: path.to_path_buf(),
        error,
    };
    let mut f = File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    // Bytes of an incomplete UTF-8 sequence carried over from the previous chunk.
    let mut carry: Vec<u8> = Vec::new();
    let mut offset: u64 = 0; // offset of the first byte of `carry` + chunk
    let mut line: u64 = 1;
    let mut bytes = 0u64;
    let mut first_invalid = None;
    let mut has_bom = false;
    let mut first = true;
    let mut quotes = QuoteScan::default();
    loop {
        let n = f.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        if csv {
            quotes.feed(&buf[..n]);
        }
        bytes += n as u64;
        if first {
            has_bom = buf[..n].starts_with(&[0xEF, 0xBB, 0xBF]);
            first = false;
        }
        if check_utf8 && first_invalid.is_none() {
            let mut chunk = std::mem::take(&mut carry);
            chunk.extend_from_slice(&buf[..n]);
            match std::str::from_utf8(&chunk) {
                Ok(_) => {
                    line += memchr_count(&chunk);
                    offset += chunk.len() as u64;
                }
                Err(e) => {
                    let valid = e.valid_up_to();
                    line += memchr_count(&chunk[..valid]);
                    if e.error_len().is_some() {
                        first_invalid = Some(InvalidUtf8 {
                            line,
                            byte_offset: offset + valid as u64,
                        });
                    } else {
                        // Incomplete sequence at the end of the chunk: carry it over.
                        offset += valid as u64;
                        carry = chunk[valid..].to_vec();
                    }
                }
            }
        }
    }
    if check_utf8 && first_invalid.is_none() && !carry.is_empty() {
        first_invalid = Some(InvalidUtf8 {
            line,
            byte_offset: offset,
        });
    }
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Scan {
        sha256,
        bytes,
        has_bom,
        first_invalid_utf8: first_invalid,
        line_break_in_quotes: quotes.found,
    })
}

fn memchr_count(b: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', b).count() as u64
}

/// Guesses the encoding of a file that is not UTF-8, from its start and the bad line.
fn guess_encoding(path: &Path, bad: &InvalidUtf8) -> Option<String> {
    let mut f = File::open(path).ok()?;
    let mut head = vec![0u8; 4];
    let n = f.read(&mut head).ok()?;
    let head = &head[..n];
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some("UTF-16LE".into());
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some("UTF-16BE".into());
    }
    // Decode a window around the first bad byte as GBK (GB18030) and as Big5.
    let mut f = File::open(path).ok()?;
    let start = bad.byte_offset.saturating_sub(4096);
    std::io::copy(&mut (&mut f).take(start), &mut std::io::sink()).ok()?;
    let mut window = Vec::new();
    f.take(64 * 1024).read_to_end(&mut window).ok()?;
    // Trim to line boundaries so a cut multi-byte character does not spoil the test.
    let from = if start == 0 {
        0
    } else {
        window
            .iter()
            .position(|&c| c == b'\n')
            .map(|i| i + 1)
            .unwrap_or(0)
    };
    let to = window
        .iter()
        .rposition(|&c| c == b'\n')
        .map(|i| i + 1)
        .unwrap_or(window.len());
    let window = &window[from..to.max(from)];
    for (enc, name) in [(encoding_rs::GBK, "GBK"), (encoding_rs::BIG5, "Big5")] {
        let (_, had_errors) = enc.decode_without_bom_handling(window);
        if !had_errors {
            return Some(name.into());
        }
    }
    None
}

/// Converts `from` (in `enc`) to UTF-8 at `to`, streaming; fails on malformed input.
fn transcode(
    from: &Path,
    to: &Path,
    enc: &'static encoding_rs::Encoding,
) -> Result<(), SourceError> {
    let io_from = |error| SourceError::Io {
        path: from.to_path_buf(),
        error,
    };
    let io_to = |error| SourceError::Io {
        path: to.to_path_buf(),
        error,
    };
    let mut input = File::open(from).map_err(io_from)?;
    let tmp = to.with_extension("partial");
    let mut out = BufWriter::new(File::create(&tmp).map_err(io_to)?);
    // BOM sniffing strips a UTF-8 / UTF-16 byte-order mark if present.
    let mut decoder = enc.new_decoder_with_bom_removal();
    let mut buf = vec![0u8; 1 << 20];
    let mut text = String::with_capacity(1 << 21);
    let mut line: u64 = 1;
    loop {
        let n = input.read(&mut buf).map_err(io_from)?;
        let last = n == 0;
        let mut src = &buf[..n];
        loop {
            text.clear();
            let (result, read) = decoder.decode_to_string_without_replacement(src, &mut text, last);
            line += text.matches('\n').count() as u64;
            out.write_all(text.as_bytes()).map_err(io_to)?;
            src = &src[read..];
            match result {
                encoding_rs::DecoderResult::InputEmpty => break,
                encoding_rs::DecoderResult::OutputFull => {
                    text.reserve(text.capacity());
                }
                encoding_rs::DecoderResult::Malformed(_, _) => {
                    drop(out);
                    let _ = std::fs::remove_file(&tmp);
                    return Err(SourceError::Decode {
                        path: from.to_path_buf(),
                        line,
                        encoding: enc.name().to_string(),
                    });
                }
            }
        }
        if last {
            break;
        }
    }
    out.flush().map_err(io_to)?;
    drop(out);
    std::fs::rename(&tmp, to).map_err(io_to)?;
    Ok(())
}

/// Reads the header line of a CSV file.
pub(crate) fn csv_header(path: &Path) -> Result<Vec<String>, SourceError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| csv_error(path, e))?;
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => Ok(rec.iter().map(|s| s.trim().to_string()).collect()),
        Ok(false) => Ok(Vec::new()),
        Err(e) => Err(csv_error(path, e)),
    }
}

pub(crate) fn csv_error(path: &Path, e: csv::Error) -> SourceError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    match e.kind() {
        csv::ErrorKind::Io(_) => SourceError::Io {
            path: path.to_path_buf(),
            error: std::io::Error::other(e.to_string()),
        },
        _ => SourceError::Malformed {
            source_id: String::new(),
            path: path.to_path_buf(),
            position: crate::error::Position::Line(line),
            message: e.to_string(),
        },
    }
}
