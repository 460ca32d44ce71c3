//! Results folders that are never seen half-written and never written by two programs at once.
//!
//! A command's files are written into a hidden folder beside `--out`, together with everything
//! already in `--out` that the command does not replace (hard links, so nothing is copied), and
//! the manifest that lists every file's hash. Only then is the hidden folder swapped with `--out`
//! in one atomic rename (`renameat2(RENAME_EXCHANGE)` on Linux). A kill at any moment therefore
//! leaves `--out` as the previous complete result or the new one. A lock file beside `--out`
//! (`.NAME.cityrank.lock`, held with an advisory lock the system drops when the process dies)
//! refuses a second writer.
//!
//! Files in `--out` that cityrank did not write (those no manifest entry lists) are carried over
//! untouched; files a command wrote before and no longer writes are removed with the command's
//! new entry.

use crate::error::Error;
use crate::manifest::{Entry, FolderManifest};
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// Files to write: (name relative to the output folder, contents).
pub type Files = Vec<(String, Vec<u8>)>;

pub const MANIFEST: &str = "manifest.json";

/// Exclusive use of one output folder until dropped.
pub struct Lock {
    _file: File,
}

fn hidden(out: &Path, what: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    out.with_file_name(format!(".{name}.cityrank-{what}"))
}

fn write_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(
        format!("cannot write: {e}"),
        "choose a writable --out folder (one whose parent folder you may write in)",
    )
    .at(path, None)
}

/// The output folder as an absolute path with a name: `.`, `..` and `/` cannot be swapped.
fn absolute(out: &Path) -> Result<PathBuf, Error> {
    let abs = std::path::absolute(out).map_err(|e| write_error(out, e))?;
    let named = abs.file_name().is_some() && !out.ends_with("..") && !out.ends_with(".");
    if !named {
        return Err(Error::new(
            "the output folder must have a name of its own",
            "give --out a folder such as cityrank-out, not `.`, `..` or `/`",
        )
        .at(out, None));
    }
    Ok(abs)
}

impl Lock {
    /// Takes the lock of `out`, or says who holds it.
    pub fn take(out: &Path) -> Result<Lock, Error> {
        let out = absolute(out)?;
        if let Some(parent) = out.parent() {
            fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
        }
        let path = hidden(&out, "lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| write_error(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(Lock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(Error::new(
                "another cityrank command is writing to this output folder",
                "wait until it has finished, or choose another --out",
            )
            .at(&out, None)),
            Err(fs::TryLockError::Error(e)) => Err(write_error(&path, e)),
        }
    }
}

/// Writes `files` as the new output of `entry.command` into `out`, atomically, and records them
/// in the folder's manifest. `top` replaces the manifest's build recipe (only `run` gives one).
pub fn write(
    out: &Path,
    files: &Files,
    mut entry: Entry,
    top: Option<serde_json::Value>,
) -> Result<(), Error> {
    let _lock = Lock::take(out)?;
    let out = absolute(out)?;
    if out.exists() && !out.is_dir() {
        return Err(Error::new(
            "the output folder is a file",
            "give --out a folder (it is created if missing)",
        )
        .at(&out, None));
    }
    let mut manifest = FolderManifest::read_or_default(&out)?;
    let replaced: Vec<String> = manifest
        .take_entry(&entry.command)
        .map(|e| e.outputs.into_iter().map(|o| o.file).collect())
        .unwrap_or_default();
    entry.add_outputs(files);
    let mut skip: Vec<&str> = replaced.iter().map(String::as_str).collect();
    skip.extend(files.iter().map(|(n, _)| n.as_str()));
    skip.push(MANIFEST);
    if let Some(t) = top {
        manifest.set_build(t);
    }
    manifest.insert(entry);

    let tmp = hidden(&out, "new");
    if tmp.exists() {
        // A leftover of a writer that was killed: we hold the lock, so nobody else uses it.
        fs::remove_dir_all(&tmp).map_err(|e| write_error(&tmp, e))?;
    }
    fs::create_dir(&tmp).map_err(|e| write_error(&tmp, e))?;
    if out.is_dir() {
        carry_over(&out, &tmp, "", &skip)?;
    }
    for (name, bytes) in files {
        put(&tmp.join(name), bytes)?;
    }
    put(&tmp.join(MANIFEST), &manifest.to_bytes())?;
    swap_into_place(&tmp, &out)
}

/// Hard-links (or copies) everything under `from` into `to`, except the names in `skip`.
fn carry_over(from: &Path, to: &Path, prefix: &str, skip: &[&str]) -> Result<(), Error> {
    let entries = fs::read_dir(from).map_err(|e| write_error(from, e))?;
    for e in entries {
        let e = e.map_err(|e| write_error(from, e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if skip.contains(&rel.as_str()) {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        let kind = e.file_type().map_err(|e| write_error(&src, e))?;
        if kind.is_dir() {
            fs::create_dir(&dst).map_err(|e| write_error(&dst, e))?;
            carry_over(&src, &dst, &rel, skip)?;
        } else if fs::hard_link(&src, &dst).is_err() {
            fs::copy(&src, &dst).map_err(|e| write_error(&dst, e))?;
        }
    }
    Ok(())
}

fn put(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
    }
    let mut f = File::create(path).map_err(|e| write_error(path, e))?;
    std::io::Write::write_all(&mut f, bytes).map_err(|e| write_error(path, e))?;
    f.sync_all().map_err(|e| write_error(path, e))
}

/// Puts the complete folder `tmp` at `out` in one step, then removes the previous one.
fn swap_into_place(tmp: &Path, out: &Path) -> Result<(), Error> {
    if !out.exists() {
        return fs::rename(tmp, out).map_err(|e| write_error(out, e));
    }
    exchange(tmp, out).map_err(|e| write_error(out, e))?;
    fs::remove_dir_all(tmp).map_err(|e| write_error(tmp, e))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; AT_FDCWD is ignored for absolute paths.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Without an atomic exchange, the previous folder is moved aside first: a kill between the two
/// renames leaves it complete under `.NAME.cityrank-new`.
#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("old");
    fs::rename(b, &aside)?;
    fs::rename(a, b)?;
    fs::rename(&aside, a)
}
